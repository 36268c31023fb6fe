#!/usr/bin/env python3
"""oracle_rules.py [DIR]: SPEC section 5's per-value rules, written again from the SPEC's text
(not from generator/clean.c), against c360's gold tables.

It writes seven small data sets of random and edge-case values (null tokens in Unicode white
space, ids as floats, dates in every shape with times, offsets and impossible days, day-first and
month-first evidence per column and per data set, names in many scripts, e-mail addresses at the
limits of the rule, genders, dates of birth at the 120-year and as-of boundaries, amounts,
every word of the category maps, duplicate and missing keys, orphans), builds each with $C360
(default ./c360) into DIR (default a temporary folder), and compares every cleaned value, flag
and quarantine reason of gold/ with its own. Where the SPEC is silent it follows docs/rules.md
(marked DOC); amounts in the shapes only rules.md knows (decimal commas, a currency after the
number) and letters whose case needs Unicode's full mappings (U+FB01, U+01F0) are left to the
unit tests. Deterministic (seeded); prints one line per difference and exits 1 if any.
"""
import collections, csv, shlex, tempfile, datetime as dt, os, random, re as _re, subprocess, sys, unicodedata
class re:  # the oracle's patterns read ASCII digits only: "\\d" is [0-9] (U+0661 is no digit here)
    fullmatch=staticmethod(lambda p,s: _re.fullmatch(p,s,_re.A))
    split=staticmethod(_re.split)
    compile=staticmethod(lambda p: _re.compile(p,_re.A))


NULLS = {'', 'na', 'n/a', 'null', 'none', 'nan', '-', '?', 'not available'}

def trim(s):
    return s.strip()          # Python's Unicode whitespace (rules.md)

def is_null(s):
    return trim(s).casefold() in NULLS

# ---- IDs
def clean_id(s):
    if is_null(s):
        return None
    t = trim(s)
    m = re.fullmatch(r'(-?[0-9]+)\.0+', t)
    if m:
        t = m.group(1)
    if '@' in t:                       # DOC: e-mail ids lower-cased (ASCII)
        t = ''.join(c.lower() if c.isascii() else c for c in t)
    return t

# ---- dates
DATE_YF = re.compile(r'(\d{4})([-/.])(\d{1,2})\2(\d{1,2})')   # DOC: one or two digits
DATE_C = re.compile(r'(\d{4})(\d{2})(\d{2})')
DATE_AB = re.compile(r'(\d{1,2})([-/.])(\d{1,2})\2(\d{4})')
TIME = re.compile(r'[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?'
                  r'(?:([Zz])| ?([Zz]|UTC|GMT)| ?([+-])(\d{2})(?::?(\d{2}))?)?')

def valid_ymd(y, m, d):
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False

def split_date(s):
    """-> (kind, parts, rest) kind 'ymd' or 'ab'"""
    for rx, kind in ((DATE_YF, 'ymd'), (DATE_AB, 'ab'), (DATE_C, 'ymd')):
        m = rx.match(s)
        if m:
            g = m.groups()
            if kind == 'ymd':
                y = int(g[0]); mo = int(g[2] if rx is DATE_YF else g[1]); d = int(g[3] if rx is DATE_YF else g[2])
                return kind, (y, mo, d), s[m.end():]
            return kind, (int(g[0]), int(g[2]), int(g[3])), s[m.end():]
    return None

def parse_time(rest):
    """-> (secs_of_day, offset_secs, has_time) or None if invalid"""
    if rest == '':
        return 0, 0, False
    m = TIME.fullmatch(rest)
    if not m:
        return None
    hh, mm, ss, frac, z1, z2, sg, oh, om = m.groups()
    hh = int(hh); mm = int(mm); ss = int(ss or 0)
    if hh > 23 or mm > 59 or ss > 60:  # DOC: a 60th second is a leap second (clean_date decides)
        return None
    off = 0
    if sg:
        oh = int(oh); om = int(om or 0)
        if om > 59:
            return None
        off = (oh * 3600 + om * 60) * (1 if sg == '+' else -1)
        if abs(off) > 14 * 3600:
            return None
    return hh * 3600 + mm * 60 + ss, off, True

def evidence(s):
    """'D', 'M' or None for a raw value (valid dates only)."""
    if is_null(s):
        return None
    t = trim(s)
    p = split_date(t)
    if not p or p[0] != 'ab':
        return None
    a, b, y = p[1]
    if clean_date(s)[0] == 'bad':  # DOC: only a date counts (a time, a leap second)
        return None
    if a > 12 and b <= 12 and valid_ymd(y, b, a) and 1900 <= y <= 2100:
        return 'D'
    if b > 12 and a <= 12 and valid_ymd(y, a, b) and 1900 <= y <= 2100:
        return 'M'
    return None

LEAP_DAYS = {'1972-06-30', '1972-12-31', '1973-12-31', '1974-12-31', '1975-12-31', '1976-12-31', '1977-12-31',
             '1978-12-31', '1979-12-31', '1981-06-30', '1982-06-30', '1983-06-30', '1985-06-30', '1987-12-31',
             '1989-12-31', '1990-12-31', '1992-06-30', '1993-06-30', '1994-06-30', '1995-12-31', '1997-06-30',
             '1998-12-31', '2005-12-31', '2008-12-31', '2012-06-30', '2015-06-30', '2016-12-31'}

def clean_date(s, order='D'):
    """-> (None,None) null; ('bad',None) invalid; else (datetime UTC, has_time)"""
    if is_null(s):
        return None, None
    t = trim(s)
    p = split_date(t)
    if not p:
        return 'bad', None
    kind, parts, rest = p
    if kind == 'ymd':
        y, mo, d = parts
    else:
        a, b, y = parts
        if a > 12 and b <= 12:
            d, mo = a, b
        elif b > 12 and a <= 12:
            mo, d = a, b
        elif order == 'D':
            d, mo = a, b
        else:
            mo, d = a, b
    tm = parse_time(rest)
    if tm is None or not valid_ymd(y, mo, d) or not (1900 <= y <= 2100):
        return 'bad', None
    secs, off, has_time = tm
    moment = dt.datetime(y, mo, d) + dt.timedelta(seconds=secs - off)
    if has_time and TIME.fullmatch(rest).group(3) == '60':
        # DOC: only 23:59:60 UTC of a day RFC 3339's appendix D lists, kept as 23:59:59 of that day
        moment -= dt.timedelta(seconds=1)
        if moment.strftime('%H:%M:%S') != '23:59:59' or moment.strftime('%Y-%m-%d') not in LEAP_DAYS:
            return 'bad', None
        if kind == 'ab' and a <= 12 and b <= 12 and a != b:
            return 'bad', None  # DOC: a leap second in one reading only (1/7 or 7/1 with an offset) is none
    if not (1900 <= moment.year <= 2100):
        return 'bad', None
    return moment, has_time

# ---- names
def title_word(w):
    # DOC: the first letter or digit title-cased, what follows lower-cased in the word's context
    for i, c in enumerate(w):
        if c.isalpha() or c.isdigit():
            rest = (c + w[i + 1:]).lower()[len(c.lower()):]
            return w[:i] + (c.title() if c.isalpha() else c) + rest
    return w

def title_text(s, underscores=False):
    if underscores:
        s = s.replace('_', ' ')
    s = ' '.join(s.split())
    parts = re.split(r"([ \-'\u2019])", s)   # DOC: the typographic apostrophe too
    return unicodedata.normalize('NFC', ''.join(p if p in (' ', '-', "'", '\u2019') else title_word(p) for p in parts))

def clean_name(s):
    if is_null(s):
        return None
    return title_text(trim(s))

# ---- email
LOCAL_OK = set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")
def clean_email(s):
    if is_null(s):
        return None, False
    t = trim(s).lower()
    if t.count('@') != 1:
        return None, True
    loc, dom = t.split('@')
    if not (1 <= len(loc) <= 64) or any(c not in LOCAL_OK for c in loc) or loc[0] == '.' or loc[-1] == '.' or '..' in loc:
        return None, True
    labels = dom.split('.')
    if len(labels) < 2:
        return None, True
    for l in labels:
        if not re.fullmatch(r'[a-z0-9-]{1,63}', l) or l[0] == '-' or l[-1] == '-':
            return None, True
    if not re.fullmatch(r'[a-z]{2,}', labels[-1]):
        return None, True
    return t, False

def clean_gender(s):
    if is_null(s):
        return 'Unknown'
    t = trim(s).lower()
    if t in ('m', 'male', 'man'):
        return 'Male'
    if t in ('f', 'female', 'woman'):
        return 'Female'
    return 'Other'

# ---- amounts (SPEC + DOC extensions: sign before/after mark, parentheses, trailing minus)
SYMS = ['US$', 'R$', '$', '€', '£', '¥', '₹']
ISO = {'USD', 'EUR', 'INR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF'}
def clean_amount(s):
    """-> (None, flag) ; returns cents or None, and flag set"""
    if is_null(s):
        return None, set()
    t = trim(s)
    neg = False
    if t.startswith('(') and t.endswith(')'):
        neg = True; t = t[1:-1]
    elif t.endswith('-') and len(t) > 1:
        neg = True; t = t[:-1]
    if t[:1] in '+-':
        if neg:
            return None, {'invalid_amount'}
        neg = t[0] == '-'; t = t[1:]
    for sy in SYMS:
        if t.startswith(sy):
            t = t[len(sy):]; break
    else:
        if len(t) >= 3 and t[:3].upper() in ISO and t[:3].isalpha():
            t = t[3:]
    if t.startswith(' '):
        t = t[1:]
    if t[:1] in '+-' and not neg and not s.strip().startswith(('+', '-')):
        neg = t[0] == '-'; t = t[1:]
    m = re.fullmatch(r'(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?', t)
    if not m:
        return None, {'invalid_amount'}
    ip = int(m.group(1).replace(',', ''))
    fr = m.group(2) or ''
    num = ip * 100
    if fr:
        f3 = (fr + '000')
        num += int(f3[:2])
        if len(fr) > 2 and int(fr[2]) >= 5:
            num += 1
    if ip > 10**15:
        return None, {'invalid_amount'}
    if neg and num != 0:
        return -num, {'negative_amount'}
    return num, set()

def fmt_cents(c):
    if c is None:
        return ''
    sg = '-' if c < 0 else ''
    c = abs(c)
    return f'{sg}{c // 100}.{c % 100:02d}'

# ---- categories
CATS = {
 'order': {'Completed': 'complete completed delivered fulfilled', 'Shipped': 'shipped intransit dispatched',
           'Pending': 'pending processing created approved invoiced onhold', 'Cancelled': 'cancelled canceled unavailable',
           'Failed': 'failed', 'Returned': 'returned refunded'},
 'method': {'Credit Card': 'creditcard credit cc', 'Debit Card': 'debitcard debit', 'UPI': 'upi', 'PayPal': 'paypal',
            'Wallet': 'wallet ewallet', 'Cash': 'cash cod cashondelivery', 'Net Banking': 'netbanking banktransfer internetbanking',
            'Voucher': 'voucher giftcard', 'Unknown': 'notdefined'},
 'pstatus': {'Success': 'success successful succeeded paid completed captured', 'Failed': 'failed failure declined error',
             'Pending': 'pending processing', 'Refunded': 'refunded'},
 'tstatus': {'Closed': 'closed', 'Resolved': 'resolved solved', 'Open': 'open new reopened',
             'Pending': 'pending waiting onhold inprogress'},
 'device': {'Android': 'android', 'iOS': 'ios iphone ipad ipados', 'Windows': 'windows win', 'macOS': 'macos mac osx',
            'Linux': 'linux ubuntu', 'ChromeOS': 'chromeos'},
}
CATMAP = {k: {w: lab for lab, ws in v.items() for w in ws.split()} for k, v in CATS.items()}

def cat_key(s):
    return ''.join(c for c in s.lower() if c.isalnum())

def clean_cat(kind, s):
    if is_null(s):
        return 'Unknown', set()
    k = cat_key(trim(s))
    if k in CATMAP[kind]:
        return CATMAP[kind][k], set()
    return title_text(trim(s), underscores=True), {'unknown_category'}

def channel(dev):
    return {'Android': 'Mobile', 'iOS': 'Mobile', 'Windows': 'Web', 'macOS': 'Web', 'Linux': 'Web', 'ChromeOS': 'Web'}.get(dev, 'Other')

def clean_issue(s):
    if is_null(s):
        return 'Unspecified'
    return title_text(trim(s), underscores=True)   # DOC: '_' read as a space as in categories

def clean_page(s):
    if is_null(s):
        return ''
    t = unicodedata.normalize('NFC', trim(s).lower())
    m = _re.match(r'https?://[^/]*(/[^?#]*)?', t)
    if m:   # DOC: a whole URL is its path
        t = m.group(1) or '/'
    return t if t.startswith('/') else '/' + t


ASOF = ['2100-12-31']
C360 = shlex.split(os.environ.get('C360', './c360'))	# a command: valgrind and its options, maybe
WS = [' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', ' \t ', '\u2009']

def rnd_ws(r):
    return r.choice(WS) if r.random() < 0.3 else ' '

NULL_RAW = ['', 'NA', 'n/a', 'NULL', 'None', 'NaN', '-', '?', 'Not Available', ' null ', 'N/A ', '\u00a0na', 'nil', '--', 'n.a.']

def maybe_null(r, p=0.05):
    return r.choice(NULL_RAW) if r.random() < p else None

# ---------- random generators
ID_EDGE = ['13085.0', '13085', '1e3', '13085.50', '-0.0', '+5', '007.0', '007', '5.00', '5', ' 77 ', '\u00a0C2', 'C2',
           '123456789012345678901234567890.0', '99999999999999999999', 'C7', 'c7', 'Jane.Doe@Example.COM',
           'jane.doe@example.com', '0.0', '0', '.0', '5.', '12.0.0', '1,000', '-5.0', '-5', '5.0e0', '١٢.٠']

def gen_id(r, i):
    x = r.random()
    if x < 0.15:
        return r.choice(ID_EDGE)
    if x < 0.25:
        return r.choice(NULL_RAW)
    if x < 0.5:
        return str(r.randint(1, 3000)) + r.choice(['', '.0', '.00', '.000', '.5', '.05', ' ', '.0 '])
    return 'K' + str(i)

WORDS = ['anna', 'MARIA', 'lopez', 'JOSÉ', 'garcía', "o'brien", 'jean-luc', 'zoë', 'SALDAÑA', '"molly"', 'straße',
         'STRASSE', 'ıstanbul', 'İZMİR', 'istanbul', 'ΟΔΥΣΣΕΥΣ', 'σοφία', 'e\u0301cole', 'E\u0301COLE', '3rd', 'x2y',
         'mcdonald', "d'artagnan", "o''neil", '-dash', 'trail-', 'ǆemal', 'ǅemal', 'ÅSA', 'øre', 'ĳssel',
         'van', 'DER', 'berg', 'новый', 'ГОРОД', '東京', 'aʼb', 'o’brien', 'mary_jane', 'ÆON', 'élan', '123',
         'a.b', 'x', 'Σ', 'ΣΑ']

def gen_name(r):
    n = maybe_null(r)
    if n is not None:
        return n
    k = r.randint(1, 4)
    s = ''.join((rnd_ws(r) if j else '') + r.choice(WORDS) for j in range(k))
    if r.random() < 0.3:
        s = rnd_ws(r) + s + rnd_ws(r)
    return s

LOCALS = ['anna', 'Anna.Lopez', 'sean+news', 'a', 'x' * 64, 'x' * 65, '.tom', 'tom.', 'priya..nair', "o'hara", 'a!b#c$d%e&f',
          "q*r+s/t=u?v^w_x`y{z|}~-", 'josé', 'ÉMILE', 'a b', 'a"b', 'a(b)', 'A1', '']
DOMAINS = ['gmail.com', 'Example.COM', 'mail.co.uk', 'mail', '.com', 'mail.c0m', 'ma-il.com', '-mail.com', 'mail-.com',
           'a.b', 'a.bc', 'x' * 63 + '.com', 'x' * 64 + '.com', 'mail..com', 'mail.com.', 'mail_x.com', 'münchen.de',
           'MAIL.IE', '.'.join(['d' * 63] * 3) + '.com', '1.2.3.com', 'mail.co1', 'mail.c', 'xn--mnchen-3ya.de', 'mail.ÉÉ']

def gen_email(r):
    n = maybe_null(r)
    if n is not None:
        return n
    x = r.random()
    if x < 0.1:
        return r.choice(['sophie@gmail', 'anjali@@gmail.com', 'neha@.com', 'GRACE@NAVY.MIL', 'noat', '@a.com', 'a@', 'a@b@c.com',
                         ' Trim@Me.com ', 'İ@x.com', 'K@x.com'])
    return r.choice(LOCALS) + '@' + r.choice(DOMAINS)

GENDERS = ['m', 'M', 'male', 'MALE', 'Man', 'f', 'F', 'female', 'Woman', 'WOMAN', ' m ', 'M.', 'mal', 'nonbinary', 'x', 'femme',
           '\u00a0f', 'Male ', 'boy', 'MAN\u00a0', 'fEmAlE', 'ｍ']

def gen_gender(r):
    n = maybe_null(r)
    return n if n is not None else r.choice(GENDERS)

def gen_date(r, mode, ts=False):
    """mode: 'mixed', 'D', 'M', 'none' - what evidence this column may show"""
    n = maybe_null(r, 0.04)
    if n is not None:
        return n
    x = r.random()
    if x < 0.03:
        return r.choice(['2022-02-30', '05/03/88', '1899-12-31', '2101-01-01', '1900-02-29', '2000-02-29', '2100-02-29',
                         '2024-02-29', '2023-02-29', '31/04/2024', '2024-13-01', '2024-00-10', 'yesterday', '2024-3-5',
                         '20240230', '2024-03-05T24:00', '2024-03-05 23:59:60', '2100-12-31T23:30-01:00',
                         '1900-01-01T00:30+01:00', '1900-01-01T00:30:00Z', '2024-03-05t10:00', '2024-03-05T10:00z',
                         '2024-03-05 10:00 CET', '2024-03-05 10:00 UTC', '2024-03-05T9:15', '2024-03-05T10:00:00.123456789',
                         '2024-03-05T10:00+14:00', '2024-03-05T10:00+14:30', '2024-03-05T10:00-1400', '2024-03-05T10:00+05',
                         '2024-03-05T10:00 +05:30', '2024-03-05  10:00', '2024/03-05', '2024-03-05T', '2024-03-05 10',
                         '0001-01-01', '20240305T101500', '2024-03-05T10:00:00+05:30:00', '2024-03-05T10:60', '１２/０３/２０２４',
                         '2024-03-05T10:00+0530 ', ' 2024-03-05 ', '2024-03-05T10:00:00.', '13/13/2024', '00/01/2024',
                         '1998-12-31T23:59:60Z', '2016-12-31 23:59:60.5', '2017-01-01T00:59:60+01:00', '30/06/2015 23:59:60',
                         '1998-12-31T23:58:60Z', '1998-12-31T23:59:60+01:00', '2016-06-30 23:59:60', '1998-12-31T23:59:61Z',
                         '01/01/2017 00:59:60+01:00', '01/07/2015 00:59:60+01:00', '07/01/2015 00:59:60+01:00'])
    y = r.choice([r.randint(1990, 2030)] * 8 + [r.randint(1895, 2105)])
    mo = r.randint(1, 12) if r.random() < 0.97 else r.choice([0, 13])
    d = r.randint(1, 28) if r.random() < 0.8 else r.randint(0, 32)
    f = r.randint(0, 7)
    if f == 0:
        s = f'{y:04d}-{mo:02d}-{d:02d}'
    elif f == 1:
        s = f'{y:04d}/{mo:02d}/{d:02d}'
    elif f == 2:
        s = f'{y:04d}.{mo:02d}.{d:02d}'
    elif f == 3:
        s = f'{y:04d}{mo:02d}{d:02d}'
    else:
        sep = '-/.'[f - 4] if f < 7 else r.choice('-/.')
        if mode == 'none' or (mode in 'DM' and r.random() < 0.5):
            a, b = r.randint(1, 12), r.randint(1, 12)
            a, b = (a, min(b, 12)) if valid_ymd(y, b, a) else (1, 1)
        elif mode == 'D':
            a, b = d, mo
        elif mode == 'M':
            a, b = mo, d
        else:
            a, b = (d, mo) if r.random() < 0.5 else (mo, d)
        fa = r.choice(['{}', '{:02d}'])
        fb = r.choice(['{}', '{:02d}'])
        s = fa.format(a) + sep + fb.format(b) + sep + f'{y:04d}'
    if r.random() < (0.6 if ts else 0.15):
        hh = r.randint(0, 23) if r.random() < 0.97 else r.choice([24, 25])
        mi = r.randint(0, 59) if r.random() < 0.97 else 60
        t = r.choice(['T', ' ', 't']) + f'{hh:02d}:{mi:02d}'
        if r.random() < 0.6:
            t += f':{r.randint(0, 59) if r.random() < 0.97 else 60:02d}'
            if r.random() < 0.3:
                t += '.' + str(r.randint(0, 999999))[:r.randint(1, 6)]
        z = r.random()
        if z < 0.15:
            t += r.choice(['Z', ' Z', 'z'])
        elif z < 0.5:
            oh = r.randint(0, 14); om = r.choice([0, 0, 30, 45])
            sg = r.choice('+-')
            sp = r.choice(['', '', ' '])
            t += sp + sg + (f'{oh:02d}:{om:02d}' if r.random() < 0.5 else f'{oh:02d}{om:02d}')
        s += t
    return s

CUR = ['$', '€', '£', '₹', 'US$', 'USD', 'usd', 'EUR', 'INR', 'XYZ', 'ABC', 'R$', '¥']
AMT_EDGE = ['1,234,567.89', '1,23,456.00', '.5', '5.', '+5', '-0', '-0.00', '(5.00)', '1,234', '12,34,567',
            '1.2345', '1.005', '1.004', '1.995', '0.125', '-0.004', '-0.005', '1e3', '$ 5', '$  5', 'USD 5',
            'USD5', '$-5', '-$5', '--5', '(-5)', '5-', '(5.00', '1,2345.00', ',123', '1,,234', '1000000000000000',
            '1000000000000001', '999999999999999.99', '99999999999999999999', '1,234.5678', '$1,234,567', '€0.5',
            '$.5', '0x10', 'INR 2,500', '£ 12.345', '¥100', '100 pcs', 'TBD 5', '+$5', '$+5',
            '\u00a05.00', '5.00\u00a0', '1_000', '1,000.', '00012.30', '0', '0.0']

def gen_amount(r):
    n = maybe_null(r, 0.04)
    if n is not None:
        return n
    if r.random() < 0.2:
        return r.choice(AMT_EDGE)
    ip = r.choice([r.randint(0, 999), r.randint(0, 99999), r.randint(0, 10**9)])
    if r.random() < 0.4 and ip >= 1000:
        ip_s = f'{ip:,}'
    else:
        ip_s = str(ip)
    nd = r.choice([0, 1, 2, 2, 2, 3, 4])
    s = ip_s + ('.' + ''.join(r.choice('0123456789') for _ in range(nd)) if nd else '')
    if r.random() < 0.3:
        s = r.choice(CUR) + r.choice(['', '', ' ']) + s
    if r.random() < 0.15:
        s = '-' + s
    return s

ORDER_ST = ['Complete', 'completed', 'DELIVERED', 'fulfilled', 'Shipped', 'In Transit', 'in-transit', 'dispatched', 'pending',
            'Processing', 'created', 'approved', 'invoiced', 'On Hold', 'on_hold', 'cancelled', 'Canceled', 'unavailable',
            'FAILED', 'returned', 'Refunded', 'lost_in_post', 'escalated', 'weird  VALUE', 'Compl-eted', 'C.O.M.P.L.E.T.E',
            'ÉCHOUÉ', 'smart_tv', 'o\'neil state', 'completed ✓', '__x__']
METHODS = ['Credit Card', 'credit-card', 'CREDIT', 'cc', 'C.C.', 'Debit Card', 'debit', 'UPI', 'PayPal', 'pay pal', 'wallet',
           'e-wallet', 'E_Wallet', 'cash', 'COD', 'C.O.D.', 'Cash on Delivery', 'net banking', 'Bank Transfer',
           'internet_banking', 'voucher', 'Gift Card', 'not_defined', 'NOT DEFINED', 'crypto', 'apple_pay', 'BNPL']
PSTATUS = ['success', 'Successful', 'succeeded', 'PAID', 'completed', 'captured', 'failed', 'failure', 'declined', 'Error',
           'pending', 'processing', 'refunded', 'settled', 'chargeback', 'partially_refunded']
TSTATUS = ['closed', 'Resolved', 'solved', 'OPEN', 'new', 'Re-opened', 'pending', 'waiting', 'On Hold', 'in progress',
           'In-Progress', 'escalated', 'wont_fix']
DEVICES = ['android', 'Android', 'iOS', 'iPhone', 'ipad', 'iPadOS', 'windows', 'Win', 'macOS', 'Mac', 'OS X', 'os-x',
           'linux', 'Ubuntu', 'Chrome OS', 'chromeos', 'smart_tv', 'PlayStation', 'win10', 'Windows 10']
ISSUES = ['delivery delay', 'PAYMENT  issue', 'login_problem', "o'brien-style issue", 'ÉCHEC paiement', 'refund\u00a0request']
PAGES = ['/Home', 'PRODUCTS/Shoes', '/ÉTÉ', 'cart', ' /Cart ', '/a b', 'HTTPS://Shop.Example.com/Mug?utm=x', '//x', 'İ']

def cat(r, lst):
    n = maybe_null(r, 0.05)
    return n if n is not None else r.choice(lst)


def gen(seed, outdir, n=1500, fm=None):
    r = random.Random(seed)
    modes = {c: (fm.split(',')[j] if fm else r.choice(['mixed', 'D', 'M', 'none', 'none'])) for j, c in enumerate (('dob', 'order_date', 'payment_date', 'ticket_date', 'session_time'))}
    os.makedirs(outdir, exist_ok=True)
    rows = {}
    a = dt.date.fromisoformat(ASOF[0])
    def y120(k):
        try: return a.replace(year=a.year - k)
        except ValueError: return a.replace(year=a.year - k, day=28)
    edges = [a, a + dt.timedelta(1), a - dt.timedelta(1), y120(120), y120(120) - dt.timedelta(1), y120(120) + dt.timedelta(1),
             dt.date(1904, 2, 29), dt.date(1904, 2, 28), dt.date(1904, 3, 1), y120(121), y120(119)]
    def dob():
        if r.random() < 0.15:
            e = r.choice(edges)
            return r.choice([e.isoformat(), e.strftime('%d/%m/%Y') if e.day > 12 else e.isoformat(), e.isoformat() + 'T23:30-05:00', e.isoformat() + 'T00:30+05:00'])
        return gen_date(r, modes['dob'])
    cust = [[gen_id(r, i), gen_name(r), gen_email(r), gen_gender(r), dob(), gen_name(r)] for i in range(n)]
    rows['customers'] = (['customer_id', 'name', 'email', 'gender', 'dob', 'location'], cust)
    cids = [c[0] for c in cust]

    def fk():
        x = r.random()
        if x < 0.05:
            return r.choice(NULL_RAW)
        if x < 0.12:
            return 'ORPH' + str(r.randint(1, 50)) + r.choice(['', '.0'])
        return r.choice(cids)

    def key(p, i):
        x = r.random()
        if x < 0.03:
            return r.choice(NULL_RAW)
        if x < 0.08:
            return p + str(r.randint(0, 20))
        return p + str(i)
    rows['orders'] = (['order_id', 'customer_id', 'order_date', 'amount', 'status'],
                      [[key('O', i), fk(), gen_date(r, modes['order_date']), gen_amount(r), cat(r, ORDER_ST)] for i in range(n)])
    rows['payments'] = (['payment_id', 'customer_id', 'payment_date', 'payment_method', 'payment_status', 'amount'],
                        [[key('P', i), fk(), gen_date(r, modes['payment_date']), cat(r, METHODS), cat(r, PSTATUS), gen_amount(r)] for i in range(n)])
    rows['support_tickets'] = (['ticket_id', 'customer_id', 'issue_type', 'ticket_date', 'resolution_status'],
                               [[key('T', i), fk(), cat(r, ISSUES + WORDS), gen_date(r, modes['ticket_date']), cat(r, TSTATUS)] for i in range(n)])
    rows['web_activities'] = (['session_id', 'customer_id', 'page_viewed', 'session_time', 'device_type'],
                              [[key('S', i), fk(), cat(r, PAGES), gen_date(r, modes['session_time'], True), cat(r, DEVICES)] for i in range(n)])
    for name, (hdr, rs) in rows.items():
        with open(os.path.join(outdir, name + '.csv'), 'w', newline='', encoding='utf-8') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(hdr)
            w.writerows(rs)
    return rows

DATECOL = {'customers': 4, 'orders': 2, 'payments': 2, 'support_tickets': 3, 'web_activities': 3}
KEYCOL = 0

def expected(rows, asof):
    """returns per source: {line: dict of expected values}, quarantine set"""
    quar = set()
    live = {}
    ev = {}
    for src, (hdr, rs) in rows.items():
        seen = {}
        for i, row in enumerate(rs):
            line = i + 2
            k = clean_id(row[0])
            if k is None:
                quar.add((src, line, 'missing_key')); continue
            if src != 'customers' and clean_id(row[1]) is None:
                quar.add((src, line, 'missing_customer_id')); continue
            e = evidence(row[DATECOL[src]])
            c = ev.setdefault(src, [0, 0])
            if e == 'D': c[0] += 1
            if e == 'M': c[1] += 1
            if k in seen:
                quar.add((src, seen[k], 'duplicate_key'))
            seen[k] = line
        live[src] = {l: k for k, l in seen.items()}
    tot = [sum(v[0] for v in ev.values()), sum(v[1] for v in ev.values())]
    order = {}
    for src in rows:
        c = ev.get(src, [0, 0])
        if c[0] != c[1]:
            order[src] = 'D' if c[0] > c[1] else 'M'
        elif tot[0] != tot[1]:
            order[src] = 'D' if tot[0] > tot[1] else 'M'
        else:
            order[src] = 'D'
    custids = set(live['customers'].values())
    exp = {}
    for src, (hdr, rs) in rows.items():
        out = {}
        for line, k in live[src].items():
            row = rs[line - 2]
            flags = set()
            d, ht = clean_date(row[DATECOL[src]], order[src])
            if d == 'bad':
                flags.add('invalid_date'); d = None
            e = {'id': k}
            if src == 'customers':
                e['name'] = clean_name(row[1]) or ''
                em, bad = clean_email(row[2])
                if bad: flags.add('invalid_email')
                e['email'] = em or ''
                e['gender'] = clean_gender(row[3])
                if d is not None:
                    a = dt.date.fromisoformat(asof)
                    try:
                        lim = a.replace(year=a.year - 120)
                    except ValueError:
                        lim = a.replace(year=a.year - 120, day=28)
                    if d.date() > a or d.date() < lim:
                        flags.add('implausible_dob'); d = None
                e['dob'] = d.strftime('%Y-%m-%d') if d else ''
                e['location'] = clean_name(row[5]) or ''
            else:
                if d is not None and d.date() > dt.date.fromisoformat(asof):
                    continue
                cid = clean_id(row[1])
                if cid not in custids: flags.add('orphan_customer')
                if src == 'orders':
                    e['date'] = d.strftime('%Y-%m-%d') if d else ''
                    c, f = clean_amount(row[3]); flags |= f; e['amount'] = fmt_cents(c)
                    v, f = clean_cat('order', row[4]); flags |= f; e['status'] = v
                elif src == 'payments':
                    e['date'] = d.strftime('%Y-%m-%d') if d else ''
                    v, f = clean_cat('method', row[3]); flags |= f; e['method'] = v
                    v, f = clean_cat('pstatus', row[4]); flags |= f; e['pstatus'] = v
                    c, f = clean_amount(row[5]); flags |= f; e['amount'] = fmt_cents(c)
                elif src == 'support_tickets':
                    e['date'] = d.strftime('%Y-%m-%d') if d else ''
                    e['issue'] = clean_issue(row[2])
                    v, f = clean_cat('tstatus', row[4]); flags |= f; e['tstatus'] = v
                else:
                    e['date'] = (d.strftime('%Y-%m-%d %H:%M:%S') if ht else d.strftime('%Y-%m-%d')) if d else ''
                    e['page'] = clean_page(row[2])
                    v, f = clean_cat('device', row[4]); flags |= f; e['device'] = v; e['channel'] = channel(v)
            e['flags'] = flags
            out[line] = e
        exp[src] = out
    return exp, quar, order

VFLAGS = {'invalid_date', 'invalid_email', 'implausible_dob', 'invalid_amount', 'negative_amount', 'unknown_category', 'orphan_customer'}

def actual(out):
    g = os.path.join(out, 'gold')
    def rd(f):
        with open(os.path.join(g, f), encoding='utf-8', newline='') as fh:
            return list(csv.DictReader(fh))
    act = {}
    fl = lambda s: set(s.split(';')) & VFLAGS if s else set()
    act['customers'] = {int(r['source_line']): {'id': r['customer_id'], 'name': r['name'], 'email': r['email'], 'gender': r['gender'],
                        'dob': r['dob'], 'location': r['location'], 'flags': fl(r['flags'])} for r in rd('dim_customer.csv') if r['in_crm'] == 'true'}
    act['orders'] = {int(r['source_line']): {'id': r['order_id'], 'date': r['order_date'], 'amount': r['amount'], 'status': r['status'],
                     'flags': fl(r['flags'])} for r in rd('fact_orders.csv')}
    act['payments'] = {int(r['source_line']): {'id': r['payment_id'], 'date': r['payment_date'], 'method': r['payment_method'],
                       'pstatus': r['payment_status'], 'amount': r['amount'], 'flags': fl(r['flags'])} for r in rd('fact_payments.csv')}
    act['support_tickets'] = {int(r['source_line']): {'id': r['ticket_id'], 'date': r['ticket_date'], 'issue': r['issue_type'],
                              'tstatus': r['resolution_status'], 'flags': fl(r['flags'])} for r in rd('fact_tickets.csv')}
    act['web_activities'] = {int(r['source_line']): {'id': r['session_id'], 'date': r['session_time'], 'page': r['page_viewed'],
                             'device': r['device_type'], 'channel': r['channel'], 'flags': fl(r['flags'])} for r in rd('fact_sessions.csv')}
    quar = {(r['source'], int(r['line']), r['reason']) for r in rd('quarantine.csv')}
    return act, quar

def compare(rows, exp, quar, act, aquar, diffs, counts):
    for q in sorted(quar ^ aquar):
        diffs.append(('quarantine', 'expected' if q in quar else 'c360 only', q, rows[q[0]][1][q[1] - 2]))
    for src in exp:
        e, a = exp[src], act[src]
        for line in sorted(set(e) | set(a)):
            raw = rows[src][1][line - 2]
            if line not in a:
                diffs.append((src, 'missing in gold', line, raw, e[line])); continue
            if line not in e:
                diffs.append((src, 'extra in gold', line, raw, a[line])); continue
            for col in e[line]:
                counts[src + '.' + col] += 1
                if e[line][col] != a[line][col]:
                    diffs.append((src + '.' + col, line, raw, 'oracle=%r' % (e[line][col],), 'c360=%r' % (a[line][col],)))

RUNS = [  # (seed, as-of, each date column's evidence: dob, order_date, payment_date, ticket_date, session_time)
    (1, '2100-12-31', None), (2, '2024-02-29', None), (3, '2000-06-15', None),
    (4, '2024-02-29', 'none,none,none,none,none'), (5, '2030-01-01', 'none,none,none,none,M'),
    (6, '2030-01-01', 'D,none,none,none,M'), (7, '2030-01-01', 'none,M,none,D,none'),
]


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix='c360-oracle-')
    diffs = []
    counts = collections.Counter()
    for seed, asof, modes in RUNS:
        ASOF[0] = asof
        d, o = os.path.join(work, f'in{seed}'), os.path.join(work, f'out{seed}')
        rows = gen(seed, d, 1200 if modes is None else 300, modes)
        exp, quar, order = expected(rows, asof)
        p = subprocess.run([*C360, 'build', '--quiet', '--data', d, '--out', o, '--as-of', asof, '--customer-pages', 'none'],
                           capture_output=True, text=True)
        if p.returncode:
            diffs.append(('build failed', seed, p.stderr[-2000:]))
            continue
        act, aquar = actual(o)
        compare(rows, exp, quar, act, aquar, diffs, counts)
    for d in diffs[:40]:
        print(repr(d))
    print(f'oracle_rules: {sum(counts.values())} cleaned values compared, {len(diffs)} differ', file=sys.stderr)
    sys.exit(1 if diffs else 0)


if __name__ == '__main__':
    main()
