#!/usr/bin/env python3
"""agree.py SITE: every figure a site shows, where it shows it, is the figure of its gold tables.

c360 computes each figure once (the gold tables and the KPIs) and its writers only format them:
the dashboard's cards and its charts' data tables, the weekly e-mail's text and the PDF, the
segment lists, the churn-risk and open-tickets lists, the data-quality page's rows read, and
each customer's page (its file, or its record in a pack). This reads them all back, as a reader
would, and compares each with what the gold tables of the same site say (counted here from the
fact tables where the figure is a count of facts). It knows the site's formats (numbers with a
, between thousands, dates in words), not c360's code: a writer that takes another field,
rounds again, or drops a row makes a line here. It needs the default formats (no
`thousands_separator`, `decimal_separator`, `number_grouping` or `currency` in the config).

Prints one line per disagreement and exits 1 if there is any; the count of figures compared last.
"""
import csv
import datetime
import email
import glob
import html
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from email import policy

SITE = sys.argv[1]
problems = []
checked = 0


def same(what, shown, want):
    global checked
    checked += 1
    if shown != want:
        problems.append(f"{what}: shows {shown!r}, from gold {want!r}")


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def number(text):
    """A figure as the site writes it ('28,356,678.80', '81.02%', '–') as gold writes it."""
    t = html.unescape(text).strip().replace(",", "").replace("%", "")
    return "" if t in ("–", "—", "") else t


def cents(text):
    return round(float(text) * 100) if text else None


def day_words(d):
    """2024-07-02 as the site writes it: Jul 2, 2024."""
    if not d:
        return ""
    t = datetime.date.fromisoformat(d)
    return f"{t.strftime('%b')} {t.day}, {t.year}"


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]*>", "", fragment)).strip()


gold = os.path.join(SITE, "gold")
kpi = {r["kpi"]: (r["value"], r["previous_week"]) for r in rows(os.path.join(gold, "kpi_summary.csv"))}
c360 = rows(os.path.join(gold, "customer_360.csv"))
by_id = {r["customer_id"]: r for r in c360}
# customer_360 is dim_customer row for row, with its customer_key (Power BI relates them on it)
dim = [(r["customer_id"], r["customer_key"]) for r in rows(os.path.join(gold, "dim_customer.csv"))]
keys360 = [(r["customer_id"], r["customer_key"]) for r in c360]
same("customer_360's first (id, customer_key) not dim_customer's",
     next((k for k, d in zip(keys360, dim) if k != d), None), None)
same("customer_360's rows and dim_customer's", len(keys360), len(dim))

# ---- the KPIs: the dashboard's cards, the e-mail's text and the PDF's table
LABELS = {"Total revenue": "total_revenue", "Total customers": "total_customers",
          "Average order value": "average_order_value", "Repeat customers": "repeat_customer_pct",
          "Open tickets": "open_tickets", "Churn risk": "churn_risk_customers",
          "Mobile sessions": "mobile_session_pct", "Top payment method": "top_payment_method_pct",
          "Valid orders": "valid_orders", "Customers in the CRM": "known_customers",
          "Web sessions": "web_session_pct"}
PCT = {"repeat_customer_pct", "mobile_session_pct", "top_payment_method_pct", "web_session_pct"}

index = open(os.path.join(SITE, "index.html"), encoding="utf-8").read()
cards = {h: (v, d) for h, v, d in re.findall(r'<h2>([^<]*)</h2>\s*<p class="value">([^<]*)</p>\s*<p class="detail">.*?</p>\s*'
                                               r'(?:<p class="delta[^"]*">(.*?)</p>)?', index)}


def signed(hundredths, whole=False):
    """+1.50, -0.59, 0.00 (whole: +15, 0) from a count of hundredths."""
    sign = "+" if hundredths > 0 else "-" if hundredths < 0 else ""
    h = abs(hundredths)
    return f"{sign}{h // 100}" if whole else f"{sign}{h // 100}.{h % 100:02d}"


def change(key):
    """What a key-figures table says of a KPI's change, worked out from gold's two values."""
    now, before = kpi[key]
    if not now or not before:
        return "–", "–"
    d = cents(now) - cents(before)
    if key in PCT:
        return signed(d) + " pts", "–"
    absolute = signed(d, "." not in now)
    if cents(before) == 0:
        return absolute, "–"
    b = abs(cents(before))	# hundredths of a per cent, rounded half away from zero
    return absolute, signed((2 * abs(d) * 10000 + b) // (2 * b) * (1 if d >= 0 else -1)) + "%"


def key_figures(lines, where):
    """The key-figures table of a text (the e-mail's, the PDF's by pdftotext -layout)."""
    seen = set()
    for line in lines:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) != 5 or cells[0] not in LABELS:
            continue
        key = LABELS[cells[0]]
        seen.add(key)
        same(f"{where}: {cells[0]} now", number(cells[1]), kpi[key][0])
        same(f"{where}: {cells[0]} a week earlier", number(cells[2]), kpi[key][1])
        absolute, pct = change(key)
        same(f"{where}: {cells[0]} change", cells[3].replace(",", ""), absolute)
        same(f"{where}: {cells[0]} change %", cells[4], pct)
    same(f"{where}: the KPIs in its key figures", sorted(seen), sorted(LABELS.values()))


for label in ("Total revenue", "Total customers", "Average order value", "Repeat customers",
              "Open tickets", "Churn risk", "Mobile sessions", "Top payment method"):
    key = LABELS[label]
    value, delta = cards.get(label, ("?", ""))
    same(f"the dashboard's card {label}", number(value), kpi[key][0])
    now, before = kpi[key]
    if now and before:	# the change since a week earlier, its arrow the direction
        absolute, pct = change(key)
        arrow = "▲" if float(now) > float(before) else "▼" if float(now) < float(before) else "■"
        said = absolute if key in PCT else f"{pct} ({absolute})" if pct != "–" else f"({absolute})"
        same(f"the dashboard's card {label}: its change", text_of(delta).replace(",", ""),
             f"{arrow} {said} since {day_words(kpi['as_of'][1]).replace(',', '')}")


mail = email.message_from_binary_file(open(os.path.join(SITE, "weekly", "email.eml"), "rb"), policy=policy.default)
mail_text = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
key_figures(mail_text.splitlines(), "the e-mail's text")
pdf = subprocess.run(["pdftotext", "-layout", os.path.join(SITE, "weekly", "report.pdf"), "-"],
                     capture_output=True, text=True, check=True).stdout
key_figures(pdf.splitlines(), "the PDF")

# ---- the customers at churn risk: the lists, and the ten most valuable in the e-mail
risk = [r for r in c360 if r["churn_risk"] == "true"]
same("customers at churn risk in customer_360", str(len(risk)), kpi["churn_risk_customers"][0] or "0")
same("churn-risk.csv's customers", sorted(r["customer_id"] for r in rows(os.path.join(SITE, "churn-risk.csv"))),
     sorted(r["customer_id"] for r in risk))
same("open-tickets.csv's customers", sorted(r["customer_id"] for r in rows(os.path.join(SITE, "open-tickets.csv"))),
     sorted(r["customer_id"] for r in c360 if int(r["open_tickets"]) > 0))
listed = re.findall(r"^- \u2068(.*)\u2069 \(\u2068(.*)\u2069\), (.*)\n  lifetime value (.*), last order (.*), open tickets (\d+)$",
                    mail_text, re.M)
same("the e-mail's customers at churn risk", len(listed), min(10, len(risk)))
values = []
for name, cid, segment, value, last, open_tickets in listed:
    r = by_id.get(cid)
    if not r:
        problems.append(f"the e-mail lists {cid}, not in customer_360")
        continue
    same(f"the e-mail's {cid}: at churn risk", r["churn_risk"], "true")
    same(f"the e-mail's {cid}: segment", segment, r["segment"])
    same(f"the e-mail's {cid}: lifetime value", number(value), r["lifetime_value"])
    same(f"the e-mail's {cid}: last order", last, day_words(r["last_order_date"]) or "none")
    same(f"the e-mail's {cid}: open tickets", open_tickets, r["open_tickets"])
    values.append(cents(r["lifetime_value"]))
same("the e-mail's customers at churn risk, the most valuable first", values, sorted(values, reverse=True))
if values and len(risk) > len(values):
    more = [r["customer_id"] for r in risk if r["customer_id"] not in {c for _, c, *_ in listed} and
            cents(r["lifetime_value"]) > values[-1]]
    same("customers at churn risk worth more than the e-mail's last, not listed", more, [])

# ---- the dashboard's charts, by their data tables
tables = {}
for label, body in re.findall(r'<details class="chart-data">.*?<table aria-label="([^"]*)">(.*?)</table>', index, re.S):
    tables[html.unescape(label)] = [[text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
                                    for tr in re.findall(r"<tr>(.*?)</tr>", body.split("</thead>")[-1], re.S)]

segments = Counter(r["segment"] for r in c360)
same("the chart of customers by segment", {k: number(v) for k, v in tables["Customers by segment"]},
     {k: str(v) for k, v in segments.items()})
for path in glob.glob(os.path.join(SITE, "segments", "*.csv")):
    listed_segment = rows(path)
    names = {r["segment"] for r in listed_segment}
    if len(names) == 1:
        name = names.pop()
        same(f"{os.path.relpath(path, SITE)}'s customers", sorted(r["customer_id"] for r in listed_segment),
             sorted(r["customer_id"] for r in c360 if r["segment"] == name))

split = rows(os.path.join(gold, "payment_mode_split.csv"))
same("the chart of successful payments by method", [[k, number(v)] for k, v in tables.get("Successful payments by method", [])],
     [[r["payment_method"], r["successful_payments"]] for r in split])

if os.path.exists(os.path.join(gold, "fact_tickets.csv")):
    tickets = rows(os.path.join(gold, "fact_tickets.csv"))
    by_status = Counter(r["resolution_status"] for r in tickets)
    same("the chart of support tickets by status", {k: number(v) for k, v in tables.get("Support tickets by status", [])},
         {k: str(v) for k, v in by_status.items()})
    by_issue = Counter(r["issue_type"] for r in tickets)
    shown = tables.get("Support tickets by issue type", [])
    rest = sum(int(number(v)) for k, v in shown if k.startswith("Other values ("))
    same("the chart of support tickets by issue type: its named types",
         {k: number(v) for k, v in shown if not k.startswith("Other values (")},
         {k: str(by_issue[k]) for k, v in shown if not k.startswith("Other values (")})
    same("the chart of support tickets by issue type: all of them", sum(int(number(v)) for _, v in shown), len(tickets))
    others = [k for k in shown if k[0].startswith("Other values (")]
    if others:
        same("the chart of support tickets by issue type: the other values",
             int(re.search(r"\((\d+)\)", others[0][0]).group(1)), len(by_issue) - (len(shown) - 1))
    if rest:
        named = {k for k, _ in shown}
        same("the chart of support tickets by issue type: the others' tickets", rest,
             sum(n for k, n in by_issue.items() if k not in named))


def week_of(label):
    """'Week of Jul 10, 2023' (or '... (to date: to Jul 2)') as its Monday, ISO."""
    m = re.match(r"Week of (\w+ \d+, \d+)", label)
    return datetime.datetime.strptime(m.group(1), "%b %d, %Y").date() if m else None


orders_week = defaultdict(lambda: [0, 0])
for r in rows(os.path.join(gold, "fact_orders.csv")):
    if r["is_valid"] == "true" and r["order_date"]:
        d = datetime.date.fromisoformat(r["order_date"])
        w = orders_week[d - datetime.timedelta(days=d.weekday())]
        w[0] += 1
        w[1] += cents(r["amount"])
weekly = [t for t in tables if t.startswith("Valid orders and revenue per week")]
same("the dashboard's tables of orders per week", len(weekly), 1)
for label in weekly:
    for row in tables[label]:
        w = orders_week[week_of(row[0])]
        same(f"the chart of orders: {row[0]}", [number(row[1]), number(row[2])],
             [str(w[0]), f"{w[1] // 100}.{w[1] % 100:02d}"])
devices = {(r["week_start"], r["channel"]): r["sessions"] for r in rows(os.path.join(gold, "device_preference.csv"))
           if r["period"] != "all"}
weekly = [t for t in tables if t.startswith("Web and mobile sessions per week")]
same("the dashboard's tables of sessions per week", len(weekly), 1)
for label in weekly:
    for row in tables[label]:
        monday = week_of(row[0]).isoformat()
        same(f"the chart of sessions: {row[0]}", [number(v) for v in row[1:]],
             [devices.get((monday, ch), "0") for ch in ("Mobile", "Web", "Other")])

# ---- the data-quality page's rows read, by where they went: data_quality.csv's, quarantine.csv's
quality = open(os.path.join(SITE, "quality.html"), encoding="utf-8").read()
measures = defaultdict(dict)
for r in rows(os.path.join(gold, "data_quality.csv")):
    if not r["item"]:
        measures[r["source"]][r["measure"]] = r["value"]
quarantined = Counter(r["source"] for r in rows(os.path.join(gold, "quarantine.csv")))
m = re.search(r'<table aria-label="Rows read, by where they went">(.*?)</table>', quality, re.S)
went = [[text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1).split("</thead>")[-1], re.S)] if m else []
same("the data-quality page's table of rows read", [[k, number(a), number(b)] for k, a, b in went],
     [[k, v["silver_rows"], v["quarantined_rows"]] for k, v in measures.items() if "silver_rows" in v])
for source, v in measures.items():
    if "rows_read" in v:
        same(f"{source}: rows read = in silver + quarantined", int(v["rows_read"]),
             int(v["silver_rows"]) + int(v["quarantined_rows"]))
        same(f"{source}: quarantine.csv's rows", quarantined[source], int(v["quarantined_rows"]))

# ---- each customer's page: its strip and its table of figures, from its file (files mode) or
# from its pack (packed mode: customers/packed/K.js, whose bodies are the pages' HTML in pieces)
JS_TOKEN = re.compile(r"""\s*(?:(?P<num>-?\d+)|'(?P<sq>(?:[^'\\]|\\.)*)'|"(?P<dq>(?:[^"\\]|\\.)*)"|(?P<p>[\[\],]))""", re.S)


def js_string(s):
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else
                  {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), s, flags=re.S)


def js_value(text, at):
    """The JS literal (a number, a string, or a list of them) at text[at:]; it and where it ends."""
    m = JS_TOKEN.match(text, at)
    if m.group("num") is not None:
        return int(m.group("num")), m.end()
    if m.group("p") != "[":
        return js_string(m.group("sq") if m.group("sq") is not None else m.group("dq")), m.end()
    items, at = [], m.end()
    while True:
        m = JS_TOKEN.match(text, at)
        if m.group("p") == "]":
            return items, m.end()
        if m.group("p") == ",":
            at = m.end()
            continue
        item, at = js_value(text, at)
        items.append(item)


def packed_pages():
    for path in sorted(glob.glob(os.path.join(SITE, "customers", "packed", "*.js"))):
        text = open(path, encoding="utf-8").read()
        at = text.index(",", len("C360.customers(")) + 1
        entries, at = js_value(text, at)
        runs, _ = js_value(text, text.index(",", at) + 1)
        for cid, title, body in entries:
            yield f"{os.path.relpath(path, SITE)} {cid}", "".join(runs[x] if isinstance(x, int) else x for x in body)


def spread(items):
    return items[::max(1, len(items) // 300)]	# 300 at most, spread over all


pages = [(os.path.relpath(p, SITE), open(p, encoding="utf-8").read())
         for p in spread(sorted(glob.glob(os.path.join(SITE, "customers", "??", "*.html"))))]
for name, page in pages or spread(list(packed_pages())):
    m = re.search(r"<p>Customer <strong>(.*?)</strong>", page)
    cid = text_of(m.group(1)) if m else None
    r = by_id.get(cid)
    if not r:
        problems.append(f"{name}: customer {cid} is not in customer_360")
        continue
    strip = dict((text_of(k), text_of(v)) for k, v in
                 re.findall(r'<span class="label">(.*?)</span> <span class="figure">(.*?)</span>', page))
    where = f"{name} ({cid})"
    same(f"{where}: lifetime value", number(strip.get("Lifetime value", "?")), r["lifetime_value"])
    same(f"{where}: last order", strip.get("Last order", "?"),	# valid orders, none dated: "undated"
         day_words(r["last_order_date"]) or ("undated" if int(r["valid_orders"] or 0) else "none"))
    same(f"{where}: open tickets", strip.get("Open tickets", "?"),
         f"{r['open_tickets']} of {r['tickets']}" if r["tickets"] != "0" else "no tickets")
    head = re.search(r"<thead>(.*?)</thead>\s*<tbody>\s*<tr>(.*?)</tr>", page, re.S)
    cells = dict(zip([text_of(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))],
                     [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", head.group(2))]))
    same(f"{where}: valid orders", number(cells.get("Valid orders", "?")), r["valid_orders"])
    same(f"{where}: average order", number(cells.get("Average order", "?")), r["average_order_value"])
    same(f"{where}: pays by", cells.get("Pays by", "?").replace("–", ""), r["preferred_payment_method"])
    same(f"{where}: visits on", cells.get("Visits on", "?").replace("–", ""), r["preferred_channel"])

for p in problems[:40]:
    print("agree:", p)
if len(problems) > 40:
    print(f"agree: ... and {len(problems) - 40} more")
print(f"agree: {checked} figures, {len(problems)} disagree")
sys.exit(1 if problems else 0)
