/* clean.c — the silver value rules of SPEC §5, one pure function per rule. */
#include "c360.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool null_token(Str s);

/* clean_is_null of a value already trimmed: the common case decided inline, at once. */
static inline bool is_null_trimmed(Str s)
{
	if (s.n == 0)
		return true;
	char first = ascii_lower(s.p[0]);
	return s.n <= 13 && (first == 'n' || first == '-' || first == '?') && null_token(s);
}

/* Whether s (1 to 13 bytes) is one of the null tokens, in any case. */
static bool null_token(Str s)
{
	static const struct { const char *text; size_t n; } tokens[] = {
		{"na", 2}, {"n/a", 3}, {"null", 4}, {"none", 4}, {"nan", 3}, {"-", 1}, {"?", 1}, {"not available", 13},
	};
	char low[16];
	for (size_t i = 0; i < s.n; i++)
		low[i] = ascii_lower(s.p[i]);
	for (size_t t = 0; t < sizeof tokens / sizeof *tokens; t++)
		if (tokens[t].n == s.n && memcmp(tokens[t].text, low, s.n) == 0)
			return true;
	return false;
}

bool clean_is_null(Str s)
{
	return is_null_trimmed(clean_trim(s));
}

/* The length of the white space character at p[0..n): ASCII's, or Unicode's (U+0085, U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000: what Python's str.strip
 * takes); 0 if it is none. The text is UTF-8 (ingest.c made it so). */
size_t clean_space_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	if (!n || u[0] < 0x80)
		return n && str_space(p[0]);
	if (u[0] == 0xc2)
		return n >= 2 && (u[1] == 0x85 || u[1] == 0xa0) ? 2 : 0;
	if (n < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80)
		return u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf ? 3 : 0;
	return (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) || (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||
			       (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ? 3 : 0;
}

Str clean_trim(Str s)
{
	s = str_trim(s);
	if (!s.n || ((unsigned char)s.p[0] < 0x80 && (unsigned char)s.p[s.n - 1] < 0x80))
		return s;	/* ASCII ends: str_trim took what there was */
	for (size_t k; (k = clean_space_len(s.p, s.n));)
		s.p += k, s.n -= k;
	for (size_t k = 1; k;) {	/* a character's lead byte is no other's continuation byte */
		k = s.n >= 3 && clean_space_len(s.p + s.n - 3, 3) == 3 ? 3 : s.n >= 2 && clean_space_len(s.p + s.n - 2, 2) == 2 ? 2
		    : s.n && clean_space_len(s.p + s.n - 1, 1) == 1 ? 1 : 0;
		s.n -= k;
	}
	return s;
}

Str clean_id_text(Str s)
{
	s = clean_trim(s);
	if (is_null_trimmed(s))
		return str_make(s.p, 0);
	/* An integer written as a float: -?digits.0+ (so it ends in a 0: most ids do not) */
	if (s.n < 3 || s.p[s.n - 1] != '0')
		return s;
	size_t i = s.p[0] == '-', int_end;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	int_end = i;
	if (int_end > (s.p[0] == '-') && i + 1 < s.n && s.p[i] == '.') {
		for (i++; i < s.n && s.p[i] == '0'; i++)
			;
		if (i == s.n)
			s.n = int_end;
	}
	return s;
}

/* ---- dates */

/* Reads 1 to max digits at *i; -1 if there are none. */
static int read_num(Str s, size_t *i, int max, int *ndigits)
{
	int v = 0, n = 0;
	while (*i < s.n && is_digit(s.p[*i]) && n < max)
		v = v * 10 + (s.p[(*i)++] - '0'), n++;
	if (ndigits)
		*ndigits = n;
	if (*i < s.n && is_digit(s.p[*i]))
		return -1;	/* too many digits */
	return n ? v : -1;
}

/* The n digits at p as a number, -1 if one is not a digit. Two or four (a date's parts) are
 * read at once: less '0' each, a byte below '0' has its high bit set, and one above '9' too
 * once 0x76 is added; bytes before the first that is not a digit borrow or carry nothing into
 * it, and what that byte does to those after does not matter. */
static int fixed_num(const char *p, int n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n == 2 || n == 4) {
		uint32_t x = 0x30300000u;	/* two digits: '0's after them */
		memcpy(&x, p, (size_t)n);
		uint32_t d = x - 0x30303030u;
		if ((d | (d + 0x76767676u)) & 0x80808080u)
			return -1;
		d = (d * 10 + (d >> 8)) & 0x00ff00ffu;	/* the first two digits' value, the last two's */
		return n == 2 ? (int)(d & 0xff) : (int)((d & 0xff) * 100 + (d >> 16));
	}
#endif
	int v = 0;
	for (int k = 0; k < n; k++) {
		if (!is_digit(p[k]))
			return -1;
		v = v * 10 + (p[k] - '0');
	}
	return v;
}

/* Whether the n bytes at p name UTC as BigQuery's CSV writes it (2024-03-05 14:22:10 UTC), or as
 * GMT; no other zone name: its offset would be a guess (CET, EST ...). */
static bool utc_name(const char *p, size_t n)
{
	return n == 3 && (memcmp(p, "UTC", 3) == 0 || memcmp(p, "GMT", 3) == 0);
}

/* The UTC offset at i to the end: Z (z), UTC, GMT, ±HH:MM, ±HHMM or ±HH (PostgreSQL's +01),
 * optionally after one space; 0 if none. */
static bool read_offset(Str s, size_t i, int32_t *offset)
{
	*offset = 0;
	if (i < s.n && s.p[i] == ' ')
		i++;
	if (i < s.n && (s.p[i] == 'Z' || s.p[i] == 'z'))	/* RFC 3339 5.6: t and z may be lower case */
		return i + 1 == s.n;
	if (i < s.n && utc_name(s.p + i, s.n - i))
		return true;
	if (i >= s.n || (s.p[i] != '+' && s.p[i] != '-'))
		return false;
	int sign = s.p[i++] == '-' ? -1 : 1;
	size_t rest = s.n - i;
	bool colon = rest == 5 && s.p[i + 2] == ':';
	if (rest != 4 && rest != 2 && !colon)
		return false;
	const char *d = s.p + i, *md = rest == 2 ? "00" : d + 2 + colon;
	if (!is_digit(d[0]) || !is_digit(d[1]) || !is_digit(md[0]) || !is_digit(md[1]))
		return false;
	int oh = (d[0] - '0') * 10 + d[1] - '0', om = (md[0] - '0') * 10 + md[1] - '0';
	if (om > 59 || oh * 60 + om > 14 * 60)	/* real offsets: -14:00 to +14:00 */
		return false;
	*offset = sign * (oh * 3600 + om * 60);
	return true;
}

/* The days a leap second was inserted at their end, 23:59:60 UTC (RFC 3339's appendix D, the
 * IERS's Bulletin C to 2016; none since), as YYYYMMDD. */
static const int32_t leap_days[] = {
	19720630, 19721231, 19731231, 19741231, 19751231, 19761231, 19771231, 19781231, 19791231,
	19810630, 19820630, 19830630, 19850630, 19871231, 19891231, 19901231, 19920630, 19930630,
	19940630, 19951231, 19970630, 19981231, 20051231, 20081231, 20121231, 20150630, 20161231,
};

/* A time's 60th second (RFC 3339 5.7): true if it is a leap second, 23:59:60 UTC of a day that had
 * one. secs holds the time in UTC from the written day's midnight with :59 in the 60th's place,
 * as the moment is kept (POSIX time has no 61st second), so the event is dated by that day. */
static bool leap_second(int y, int m, int d, int32_t secs)
{
	if (!date_valid(y, m, d))
		return false;
	int64_t at = date_days(y, m, d) * SECS_PER_DAY + secs, day = date_floor_day(at);
	if (at - day * SECS_PER_DAY != SECS_PER_DAY - 1)
		return false;
	int ly, lm, ld;
	date_civil(day, &ly, &lm, &ld);
	int32_t key = ly * 10000 + lm * 100 + ld;
	for (size_t k = 0; k < sizeof leap_days / sizeof *leap_days; k++)
		if (leap_days[k] == key)
			return true;
	return false;
}

/* [Tt ]HH:MM[:SS[.fff]][offset] from i to the end, as seconds of the day in UTC. A 60th second
 * is read as the 59th, *leap set: the caller, who knows the day, asks leap_second. */
static bool read_time(Str s, size_t i, int32_t *secs, bool *leap, bool *local)
{
	if (s.p[i] != ' ' && s.p[i] != 'T' && s.p[i] != 't')
		return false;
	i++;
	int nd, h, m, sec = 0;
	if (s.n - i >= 5 && s.p[i + 2] == ':' && (s.n - i == 5 || !is_digit(s.p[i + 5])) &&
	    (h = fixed_num(s.p + i, 2)) >= 0 && (m = fixed_num(s.p + i + 3, 2)) >= 0) {
		i += 5;	/* the usual HH:MM, read at once */
	} else {
		h = read_num(s, &i, 2, NULL);
		if (h < 0 || i >= s.n || s.p[i++] != ':')
			return false;
		m = read_num(s, &i, 2, &nd);
		if (m < 0 || nd != 2)
			return false;
	}
	if (i < s.n && s.p[i] == ':') {
		i++;
		if (s.n - i >= 2 && (s.n - i == 2 || !is_digit(s.p[i + 2])) && (sec = fixed_num(s.p + i, 2)) >= 0)
			i += 2;	/* the usual SS, read at once */
		else if ((sec = read_num(s, &i, 2, &nd)) < 0 || nd != 2)
			return false;
		if (i < s.n && s.p[i] == '.') {
			size_t start = ++i;
			while (i < s.n && is_digit(s.p[i]))
				i++;
			if (i == start)
				return false;
		}
	}
	*leap = sec == 60;
	if (h > 23 || m > 59 || sec > 60)
		return false;
	int32_t offset = 0;
	if (i < s.n && !read_offset(s, i, &offset))
		return false;
	*local = i == s.n;
	*secs = h * 3600 + m * 60 + sec - *leap - offset;
	return true;
}

static bool is_date_sep(char c)
{
	return c == '-' || c == '/' || c == '.';
}

enum { SHAPE_NONE, SHAPE_YEAR_FIRST, SHAPE_YEAR_LAST };

/* The usual date parts, YYYY?MM?DD and DD?MM?YYYY not followed by a digit, read at once as
 * read_date_part reads them; SHAPE_NONE for any other (read_date_part reads it). */
static int usual_date_part(Str s, DateParse *p)
{
	if (s.n < 10 || (s.n > 10 && is_digit(s.p[10])))
		return SHAPE_NONE;
	const char *d = s.p;
	bool year_first = is_date_sep(d[4]) && d[7] == d[4], year_last = is_date_sep(d[2]) && d[5] == d[2];
	int y = year_first ? fixed_num(d, 4) : year_last ? fixed_num(d + 6, 4) : -1;
	int a = fixed_num(d + (year_first ? 5 : 0), 2), b = fixed_num(d + (year_first ? 8 : 3), 2);
	if (y < 0 || a < 0 || b < 0)
		return SHAPE_NONE;
	p->y = y, p->a = a, p->b = b;
	return year_first ? SHAPE_YEAR_FIRST : SHAPE_YEAR_LAST;
}

/* The date part: YYYY?M?D, YYYYMMDD or A?B?YYYY, ending at *end. */
static int read_date_part(Str s, DateParse *p, size_t *end)
{
	int usual = usual_date_part(s, p);
	if (usual != SHAPE_NONE)
		return *end = 10, usual;
	size_t i = 0;
	int nd, first = read_num(s, &i, 8, &nd);
	if (first < 0)
		return SHAPE_NONE;
	*end = i;
	if (nd == 8) {	/* YYYYMMDD */
		p->y = first / 10000, p->a = first / 100 % 100, p->b = first % 100;
		return SHAPE_YEAR_FIRST;
	}
	if (i >= s.n || !is_date_sep(s.p[i]))
		return SHAPE_NONE;
	char sep = s.p[i++];
	int second = read_num(s, &i, 2, NULL);
	if (second < 0 || i >= s.n || s.p[i++] != sep)
		return SHAPE_NONE;
	int nd3, third = read_num(s, &i, 4, &nd3);
	*end = i;
	if (third < 0)
		return SHAPE_NONE;
	if (nd == 4 && nd3 <= 2) {
		p->y = first, p->a = second, p->b = third;
		return SHAPE_YEAR_FIRST;
	}
	if (nd <= 2 && nd3 == 4) {
		p->y = third, p->a = first, p->b = second;
		return SHAPE_YEAR_LAST;
	}
	return SHAPE_NONE;	/* two-digit years and other shapes */
}

/* Whether the written day is real and its time (secs from its midnight, in UTC) falls on a
 * UTC day of 1900-2100: an offset can move 1900-01-01 into 1899, 2100-12-31 into 2101. */
static bool day_in_range(int y, int m, int d, int32_t secs)
{
	if (y > 1900 && y < 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 28)
		return true;	/* the usual day, real in every month and year: no call */
	if (!date_valid(y, m, d))
		return false;
	if (y > 1900 && y < 2100)
		return true;	/* an offset moves a day by one at most: the usual date costs nothing */
	int64_t day = date_floor_day(date_days(y, m, d) * SECS_PER_DAY + secs);
	return day >= date_days(1900, 1, 1) && day <= date_days(2100, 12, 31);
}

DateParse clean_date(Str s)
{
	DateParse p = {0};
	s = clean_trim(s);
	if (is_null_trimmed(s))
		return p;	/* DATE_NONE */
	p.status = DATE_BAD;
	size_t end = 0;
	int shape = read_date_part(s, &p, &end);
	if (shape == SHAPE_NONE)
		return p;
	bool leap = false;
	if (end < s.n) {
		if (!read_time(s, end, &p.secs, &leap, &p.local))
			return p;
		p.has_time = true;
	}
	if (shape == SHAPE_YEAR_LAST) {
		if (p.a > 12 && p.b > 12)
			return p;
		if (p.a > 12) {	/* only a day can exceed 12 */
			p.evidence = EVIDENCE_DAY_FIRST;
			int d = p.a;
			p.a = p.b, p.b = d;
		} else if (p.b > 12) {
			p.evidence = EVIDENCE_MONTH_FIRST;
		} else {
			/* a <= 12 and b <= 12: both readings or neither. A leap second (June 30 or December
			 * 31 in UTC) can be one only with an offset from July 1 or January 1: of both
			 * readings where they are the same day (1/1), else of neither (rules.md) */
			if (p.a >= 1 && p.b >= 1 && day_in_range(p.y, p.a, p.b, p.secs) &&
			    (!leap || (p.a == p.b && leap_second(p.y, p.a, p.b, p.secs))))
				p.status = DATE_AMBIGUOUS;
			return p;
		}
	}
	if (day_in_range(p.y, p.a, p.b, p.secs) && (!leap || leap_second(p.y, p.a, p.b, p.secs)))
		p.status = DATE_OK;
	return p;
}

/* ---- dates in a [read] date_format */

const char *clean_date_format_why(const char *format)
{
	if (strcmp(format, "excel") == 0)
		return NULL;
	if (strstr(format, "%s"))
		return strcmp(format, "%s") == 0 ? NULL : "%s, seconds since 1970, stands alone";
	int year4 = 0, year2 = 0, month = 0, day = 0, weekday = 0;	/* how many of each */
	for (const char *f = format; *f; f++) {
		if (*f != '%')
			continue;
		char c = *++f;
		year4 += c == 'Y', year2 += c == 'y', weekday += c == 'a' || c == 'A';
		month += c == 'm' || c == 'b' || c == 'B' || c == 'h', day += c == 'd' || c == 'e';
		if (!c || !strchr("YymbBhdeaAHIMSpz%", c))
			return c ? "a conversion other than these" : "a % at the end";
	}
	/* each once: strptime keeps the last of two, and the first would go unchecked */
	return year4 + year2 > 1 ? "a year twice (%Y or %y)" : !year4 && !year2 ? "no year (%Y or %y)"
	       : month > 1 ? "a month twice (%m, %b or %B)" : !month ? "no month (%m, %b or %B)"
	       : day > 1 ? "a day twice (%d or %e)" : !day ? "no day (%d or %e)"
	       : weekday > 1 ? "a weekday twice (%a or %A)" : NULL;
}

/* The year of a two-digit year yy (0-99), by POSIX's strptime rule, Python's too: 69-99 are
 * 1969-1999, 00-68 are 2000-2068. Fixed here rather than left to the C library's %y, so that no
 * libc's choice (nor the as-of date) moves a date by a century. */
static int two_digit_year(int yy)
{
	return yy < 69 ? 2000 + yy : 1900 + yy;
}

/* The day of the week of a real day, 0 Sunday to 6 Saturday (struct tm's tm_wday): 1970-01-01
 * was a Thursday. */
static int week_day(int y, int m, int d)
{
	int64_t days = date_days(y, m, d);
	return (int)(((days + 4) % 7 + 7) % 7);
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_make(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* "%s": seconds since 1970-01-01 00:00 UTC (Matomo's, an API's timestamps), a fraction after
 * them ignored; from 1900 to 2100 as every date. */
static DateParse epoch_seconds(Str s)
{
	DateParse p = {.status = DATE_BAD};
	size_t i = s.n && s.p[0] == '-', digits = 0;
	int64_t secs = 0;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && digits < 12; i++, digits++)
		secs = secs * 10 + (s.p[i] - '0');
	if (i < s.n && s.p[i] == '.' && digits)
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
			;
	if (!digits || i != s.n)
		return p;
	secs = s.p[0] == '-' ? -secs : secs;
	int64_t day = date_floor_day(secs);
	date_civil(day, &p.y, &p.a, &p.b);
	p.secs = (int32_t)(secs - day * SECS_PER_DAY);
	p.has_time = true;
	if (day_in_range(p.y, p.a, p.b, p.secs))
		p.status = DATE_OK;
	return p;
}

/* "excel": a spreadsheet's serial day (45292 is 2024-01-01), a fraction the time of day, in
 * Excel's 1900 system: day 61 is 1900-03-01, 25569 is 1970-01-01. Below 61 (Excel's own 1900-02-29
 * among them) no day is certain; from 1900-03-01 to 2100 as every date. */
#define EXCEL_1970 25569
static DateParse excel_serial(Str s)
{
	DateParse p = {.status = DATE_BAD};
	size_t i = 0, digits = 0;
	int64_t day = 0, frac = 0, scale = 1;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && digits < 7; i++, digits++)
		day = day * 10 + (s.p[i] - '0');
	if (i < s.n && s.p[i] == '.' && digits)
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
			if (scale < 1000000000)
				frac = frac * 10 + (s.p[i] - '0'), scale *= 10;
	if (!digits || i != s.n || day < 61)
		return p;
	int64_t secs = (frac * SECS_PER_DAY + scale / 2) / scale;	/* to the nearest second */
	day += secs / SECS_PER_DAY - EXCEL_1970, secs %= SECS_PER_DAY;
	date_civil(day, &p.y, &p.a, &p.b);
	p.secs = (int32_t)secs;
	p.has_time = scale > 1;	/* a fraction written: a time of day */
	p.local = p.has_time;	/* a spreadsheet's clock: no zone in it */
	if (day_in_range(p.y, p.a, p.b, p.secs))
		p.status = DATE_OK;
	return p;
}

/* The evidence a format's values may show (DateFormat.evidence, .named): a format that writes
 * the day and the month before the year, as A?B?YYYY does, is its order's where the value shows
 * that order on its own (a day above 12, a month's name), as the value would be without the
 * format: so naming one file's format does not change how the others' ambiguous dates are read.
 * A year-first format (ISO's) shows no day/month habit. */
static int format_evidence(const char *format, bool *named)
{
	int first = EVIDENCE_NONE;
	bool have_day = false, have_month = false;
	*named = false;
	for (const char *f = format; *f; f++) {
		if (*f != '%')
			continue;
		char c = *++f;
		if (!c)
			break;
		bool is_day = c == 'd' || c == 'e', is_month = c && strchr("mbBh", c);
		if (c == 'Y' || c == 'y')
			return have_day && have_month ? first : EVIDENCE_NONE;
		if (first == EVIDENCE_NONE && (is_day || is_month))
			first = is_day ? EVIDENCE_DAY_FIRST : EVIDENCE_MONTH_FIRST;
		have_day |= is_day, have_month |= is_month, *named |= is_month && c != 'm';
	}
	return EVIDENCE_NONE;
}

/* Where text's reading by format's first k bytes ends (strptime's, in the C locale); NULL if it
 * does not read. Any k: am_pm_agrees refuses every value where it is not taken. */
static char *read_upto(char *text, const char *format, size_t k)
{
	char small[64], *upto = k < sizeof small ? small : xmalloc(k + 1);
	memcpy(upto, format, k);
	upto[k] = '\0';
	struct tm tm = {0};
	char *end = strptime_l(text, upto, &tm, c_locale);
	if (upto != small)
		free(upto);
	return end;
}

/* Where format's day (%d or %e, not followed by letters of the format's own) ends in text, the
 * English ordinal's two letters after it dropped: 13th, 1st, 22nd, 3rd, in any case, the ones
 * of the day written only (PHP's "jS", which BigCommerce's and WordPress's date settings use:
 * "Mar 13th 2026" is %b %d %Y's). False if there were none. */
static bool drop_ordinal(char *text, const char *format)
{
	const char *f = strchr(format, '%');
	while (f && f[1] && f[1] != 'd' && f[1] != 'e')
		f = strchr(f + 2, '%');
	if (!f || !f[1] || is_alpha(f[2]))
		return false;
	char *end = read_upto(text, format, (size_t)(f + 2 - format));
	if (!end || end == text || !is_digit(end[-1]))
		return false;
	int day = end[-1] - '0';
	if (end - text >= 2 && is_digit(end[-2]))
		day += 10 * (end[-2] - '0');
	const char *th = day / 10 == 1 ? "th" : day % 10 == 1 ? "st" : day % 10 == 2 ? "nd" : day % 10 == 3 ? "rd" : "th";
	if ((end[0] | 0x20) != th[0] || (end[1] | 0x20) != th[1] || is_alpha(end[2]))
		return false;
	memmove(end, end + 2, strlen(end + 2) + 1);
	return true;
}

/* text (n bytes and a NUL, in cap) made what strptime reads, where the format's %z, %d and %S
 * meet what they cannot: a zone written UTC or GMT at the end (BigQuery's) becomes +0000, a
 * day's ordinal letters are dropped (13th), and a fraction of a second after the seconds is
 * dropped, as the usual dates' are. False if none was there. */
static bool format_retry(char *text, size_t n, size_t cap, const char *format)
{
	bool changed = false;
	if (strstr(format, "%z") && n >= 3 && n + 2 < cap && utc_name(text + n - 3, 3))
		memcpy(text + n - 3, "+0000", 6), changed = true;
	changed |= drop_ordinal(text, format);
	const char *sec = strstr(format, "%S");
	char *end = sec ? read_upto(text, format, (size_t)(sec + 2 - format)) : NULL;	/* where the seconds end */
	size_t digits = 0;
	while (end && end[0] == '.' && is_digit(end[1 + digits]))
		digits++;
	if (digits)
		memmove(end, end + 1 + digits, strlen(end + 1 + digits) + 1);
	return changed || digits;
}

/* Where format's %z meets a zone's name in text (n bytes and a NUL, in cap): the name, an IANA
 * one of Area/Location form (America/Los_Angeles, Etc/GMT+5: a / in it, so no abbreviation
 * such as CET or EST, whose offset would be a guess), is made +0000 and its zone kept in *zone
 * (NULL if it names none: the value is then no date). False if there is no such name there. */
static bool format_zone_name(char *text, size_t n, size_t cap, const char *format, const TzZone **zone)
{
	const char *z = strstr(format, "%z");
	char *at = z ? read_upto(text, format, (size_t)(z - format)) : NULL;
	if (!at)
		return false;
	while (*at == ' ')
		at++;	/* strptime's %z takes blanks before it too */
	size_t len = 0;
	while (is_alpha(at[len]) || is_digit(at[len]) || at[len] == '_' || at[len] == '+' || at[len] == '-' ||
	       at[len] == '/')
		len++;
	if (!len || !is_alpha(at[0]) || !memchr(at, '/', len))
		return false;
	*zone = tz_zone(at, len);
	size_t tail = n - (size_t)(at + len - text);
	if (!*zone || (size_t)(at - text) + 5 + tail >= cap)
		return *zone = NULL, true;
	memmove(at + 5, at + len, tail + 1);
	memcpy(at, "+0000", 5);
	return true;
}

/* Where format has its first conversion of those listed in convs (their letters: "aA" for %a or
 * %A); NULL if none. */
static const char *format_at(const char *format, const char *convs)
{
	for (const char *f = strchr(format, '%'); f && f[1]; f = strchr(f + 2, '%'))
		if (strchr(convs, f[1]))
			return f;
	return NULL;
}

static bool format_has(const char *format, const char *convs)
{
	return format_at(format, convs) != NULL;
}

/* Whether the AM or PM that text writes where format's %p reads it is the half of the day of
 * hour (0-23): strptime reads a %p after %H and ignores it, so that with %H (Magento 2.1's
 * 16:02:00 PM) 9:05 PM would be 09:05, the PM lost. */
static bool am_pm_agrees(char *text, const char *format, int hour)
{
	const char *p = format_at(format, "p");
	char *end = read_upto(text, format, (size_t)(p + 2 - format));
	return end && end - text >= 2 && ((end[-2] | 0x20) == 'p') == (hour >= 12);
}

DateFormat clean_date_form(const char *format)
{
	DateFormat f = {.text = format, .two_digit = format_has(format, "y"), .time = format_has(format, "HIMSTRr"),
			.am_pm_hour = format_has(format, "p") && format_has(format, "H"), .weekday = format_has(format, "aA"),
			.offset = strstr(format, "%z") != NULL};
	f.evidence = format_evidence(format, &f.named);
	return f;
}

DateParse clean_date_format(Str s, const char *format)
{
	DateFormat f = clean_date_form(format);
	return clean_date_formatted(s, &f);
}

DateParse clean_date_formatted(Str s, const DateFormat *f)
{
	const char *format = f->text;
	DateParse p = {0};
	s = clean_trim(s);
	if (is_null_trimmed(s))
		return p;	/* DATE_NONE */
	if (format[0] == '%' && format[1] == 's' && !format[2])
		return epoch_seconds(s);
	if (format[0] == 'e' && strcmp(format, "excel") == 0)
		return excel_serial(s);
	p.status = DATE_BAD;
	char text[128];
	pthread_once(&c_locale_once, c_locale_make);
	if (!c_locale || s.n >= sizeof text || memchr(s.p, '\0', s.n))
		return p;
	memcpy(text, s.p, s.n);
	text[s.n] = '\0';
	struct tm tm = {0};
	const char *end = strptime_l(text, format, &tm, c_locale);	/* C's month and day names, whatever the locale */
	if ((!end || *end) && format_retry(text, s.n, sizeof text, format)) {
		tm = (struct tm){0};
		end = strptime_l(text, format, &tm, c_locale);
	}
	const TzZone *zone = NULL;
	if ((!end || *end) && format_zone_name(text, strlen(text), sizeof text, format, &zone)) {
		if (!zone)
			return p;	/* a name no zone file has: never a guess */
		tm = (struct tm){0};
		end = strptime_l(text, format, &tm, c_locale);
	}
	bool leap = tm.tm_sec == 60;
	if (!end || *end || tm.tm_sec > 60 || tm.tm_gmtoff > 14 * 3600 || tm.tm_gmtoff < -14 * 3600)
		return p;
	p.two_digit = f->two_digit;
	p.y = p.two_digit ? two_digit_year(tm.tm_year % 100) : tm.tm_year + 1900;
	p.a = tm.tm_mon + 1, p.b = tm.tm_mday;
	p.evidence = f->evidence && (tm.tm_mday > 12 || f->named) ? f->evidence : EVIDENCE_NONE;
	p.secs = (int32_t)(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec - leap - tm.tm_gmtoff);
	p.has_time = f->time;
	if (f->am_pm_hour && !am_pm_agrees(text, format, tm.tm_hour))
		return p;	/* 9:05 PM read by %H: no date rather than the wrong half of the day */
	p.zone = zone;
	p.local = p.has_time && (zone || !f->offset);	/* no offset written */
	if (f->weekday && (!date_valid(p.y, p.a, p.b) || week_day(p.y, p.a, p.b) != tm.tm_wday))
		return p;	/* a weekday not the written day's: the date was misread or mistyped */
	if (day_in_range(p.y, p.a, p.b, p.secs) && (!leap || leap_second(p.y, p.a, p.b, p.secs)))
		p.status = DATE_OK;
	return p;
}

/* The usual time after a date at i: [ T]HH:MM, then :SS or not, then Z, +HH:MM, -HH:MM,
 * +HHMM, -HHMM or nothing, to the end, in range, as seconds of the day in UTC; what read_time
 * reads it as. False for any other (a fraction, a space before the offset, one-digit hours):
 * clean_date reads those. */
static bool usual_time(const char *t, size_t n, int32_t *secs)
{
	if (n < 6 || (t[0] != ' ' && t[0] != 'T') || t[3] != ':')
		return false;
	int h = fixed_num(t + 1, 2), m = fixed_num(t + 4, 2), sec = 0;
	size_t i = 6;
	if (n - i >= 3 && t[i] == ':') {
		sec = fixed_num(t + i + 1, 2), i += 3;
		if (sec < 0 || sec > 59)
			return false;
	}
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	int offset = 0;
	if (n - i == 1 && t[i] == 'Z') {
		i++;
	} else if (n - i == 5 || (n - i == 6 && t[i + 3] == ':')) {
		if (t[i] != '+' && t[i] != '-')
			return false;
		int oh = fixed_num(t + i + 1, 2), om = fixed_num(t + i + n - i - 2, 2);
		if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 14 * 60)
			return false;
		offset = (t[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60), i = n;
	}
	*secs = h * 3600 + m * 60 + sec - offset;
	return i == n;
}

bool clean_date_usual(Str s, bool keep_time, int64_t *moment, int *evidence, bool *has_time)
{
	const char *d = s.p;
	int y, m, day;
	size_t i = 10;
	*evidence = EVIDENCE_NONE;
	if (s.n < 8)
		return false;
	if (s.n >= 10 && is_date_sep(d[4]) && d[7] == d[4]) {	/* YYYY?MM?DD */
		y = fixed_num(d, 4), m = fixed_num(d + 5, 2), day = fixed_num(d + 8, 2);
	} else if (s.n >= 10 && is_date_sep(d[2]) && d[5] == d[2]) {	/* DD?MM?YYYY or MM?DD?YYYY */
		int a = fixed_num(d, 2), b = fixed_num(d + 3, 2);
		if ((a > 12) == (b > 12))
			return false;	/* ambiguous, or neither: clean_date's */
		*evidence = a > 12 ? EVIDENCE_DAY_FIRST : EVIDENCE_MONTH_FIRST;	/* only a day exceeds 12 */
		y = fixed_num(d + 6, 4), m = a > 12 ? b : a, day = a > 12 ? a : b;
	} else {	/* YYYYMMDD */
		y = fixed_num(d, 4), m = fixed_num(d + 4, 2), day = fixed_num(d + 6, 2), i = 8;
	}
	if (y <= 1900 || y >= 2100 || m < 1 || m > 12 || day < 1 || (day > 28 && !date_valid(y, m, day)))
		return false;	/* also a part that is not digits (-1); day_in_range's test */
	int32_t secs = 0;
	if (i < s.n && !usual_time(d + i, s.n - i, &secs))
		return false;
	int64_t at = date_days_usual(y, m, day) * SECS_PER_DAY + secs;
	*has_time = i < s.n;
	*moment = keep_time ? at : date_floor_day(at) * SECS_PER_DAY;
	return true;
}

int64_t clean_date_moment(const DateParse *p, DateOrder order, bool keep_time)
{
	return clean_date_moment_zoned(p, order, keep_time, NULL);
}

void clean_date_zone(DateParse *p, const TzZone *zone)
{
	zone = p->zone ? p->zone : zone;
	if (p->status == DATE_AMBIGUOUS && p->local && p->has_time && zone) {
		/* converted once its order is decided (clean_date_moment_zoned): a bad date now if either
		 * reading would leave 1900-2100 there (1/1/1900 00:30 east of Greenwich), as an invalid_date */
		for (int order = ORDER_DAY_FIRST; order <= ORDER_MONTH_FIRST; order++)
			if (clean_date_moment_zoned(p, (DateOrder)order, true, zone) == MOMENT_NULL)
				p->status = DATE_BAD;
		return;
	}
	if (p->status != DATE_OK || !p->local || !p->has_time || !zone)
		return;
	int64_t local = date_days(p->y, p->a, p->b) * SECS_PER_DAY + p->secs;
	p->secs = (int32_t)(p->secs - (local - tz_local_to_utc(zone, local)));
	p->local = false, p->zone = NULL;
	if (!day_in_range(p->y, p->a, p->b, p->secs))
		p->status = DATE_BAD;
}

int64_t clean_date_moment_zoned(const DateParse *p, DateOrder order, bool keep_time, const TzZone *zone)
{
	int m = p->a, d = p->b;
	if (p->status == DATE_AMBIGUOUS && order == ORDER_DAY_FIRST)
		m = p->b, d = p->a;
	else if (p->status != DATE_OK && p->status != DATE_AMBIGUOUS)
		return MOMENT_NULL;
	if (p->status != DATE_OK && !date_valid(p->y, m, d))	/* clean_date checked an OK one's day */
		return MOMENT_NULL;
	int64_t moment = date_days(p->y, m, d) * SECS_PER_DAY + p->secs;	/* in UTC */
	if (p->local && p->has_time && zone) {	/* an ambiguous date's: its day is known now */
		moment = tz_local_to_utc(zone, moment);
		if (date_floor_day(moment) < date_days(1900, 1, 1) || date_floor_day(moment) > date_days(2100, 12, 31))
			return MOMENT_NULL;
	}
	return keep_time ? moment : date_floor_day(moment) * SECS_PER_DAY;
}

/* ---- names and other title-cased text */

static bool is_word_sep(const char *p, size_t left)
{
	return *p == ' ' || *p == '-' || *p == '\'' ||
	       (left >= 3 && memcmp(p, "\xe2\x80\x99", 3) == 0);	/* U+2019 apostrophe */
}

/* Whether s's letters beyond ASCII are all Latin-1's with a case pair a row of 32 apart in
 * the same two-byte form (C3 80-9E upper, C3 A0-BE lower; not the signs x and / between, nor
 * sharp s): what title_latin1 cases as libunistring does (they need no normalising). */
static bool latin1_cased(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			continue;
		if (c != 0xc3 || i + 1 == n)
			return false;
		c = (unsigned char)s[++i];
		if (c < 0x80 || c > 0xbe || c == 0x97 || c == 0x9f || c == 0xb7)
			return false;
	}
	return true;
}

/* Title-cases ASCII text, or text latin1_cased takes (already trimmed and collapsed), in
 * place: in each word, the first letter upper case unless a digit comes before it ("42nd"),
 * and the rest lower case; punctuation before the first letter stays ("\"pepe\"" ->
 * "\"Pepe\""). */
static void title_latin1(char *s, size_t n)
{
	bool start = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\xc3') {	/* a letter: C3 80-9E upper, C3 A0-BE lower */
			unsigned char l = (unsigned char)s[++i];
			s[i] = (char)(start ? (l >= 0xa0 ? l - 0x20 : l) : (l < 0xa0 ? l + 0x20 : l));
			start = false;
		} else if (is_word_sep(s + i, n - i)) {
			start = true;
		} else if (is_alpha(c) || is_digit(c)) {
			s[i] = start && c >= 'a' && c <= 'z' ? (char)(c - 32) : start ? c : ascii_lower(c);
			start = false;
		}
	}
}

/* Title-casing beyond Latin-1 works in the text it reads: what it writes goes back into the
 * text behind what it has read, so a text of any size costs its own bytes and a few KB (a
 * 64 MB name cost five times its size in copies: collapsed, cased, a word's lower case,
 * normalised, and the result). The bytes are those of casing each word as a whole, then
 * normalising the whole to NFC (u8_normalize): a long word is lower-cased in pieces, each
 * with its context, and NFC is libunistring's stream (uninorm_filter, u8_normalize's method
 * a character at a time). */
enum { TITLE_PIECE = 1024, TITLE_STAGE = 4096 };

typedef struct {
	char *p;		/* the text: read from read on, written at at (at <= read) */
	size_t read, at;
	Buf over;		/* bytes that would pass read (a mapping longer than its text), from over_at */
	size_t over_at;
	struct uninorm_filter *nfc;
	uint8_t stage[TITLE_STAGE];	/* cased bytes not yet decoded for nfc */
	size_t staged;
} TitleText;

static void title_drain(TitleText *t)
{
	size_t k = t->over.len - t->over_at;
	k = k < t->read - t->at ? k : t->read - t->at;
	memcpy(t->p + t->at, t->over.p + t->over_at, k);
	t->at += k, t->over_at += k;
	if (t->over_at == t->over.len) {
		t->over.len = t->over_at = 0;
	} else if (t->over_at >= 65536 && t->over_at > t->over.len / 2) {
		memmove(t->over.p, t->over.p + t->over_at, t->over.len - t->over_at);
		t->over.len -= t->over_at, t->over_at = 0;
	}
}

/* nfc's output: a character into the text, in order. */
static int title_emit(void *data, ucs4_t uc)
{
	TitleText *t = data;
	uint8_t enc[6];
	int len = u8_uctomb(enc, uc, sizeof enc);	/* never fails: uc was decoded or composed */
	if (len <= 0)
		return 0;
	if (t->over.len)
		title_drain(t);
	if (!t->over.len && t->at + (size_t)len <= t->read) {
		memcpy(t->p + t->at, enc, (size_t)len);
		t->at += (size_t)len;
	} else {
		buf_put(&t->over, enc, (size_t)len);
	}
	return 0;
}

/* The staged bytes into nfc, decoded as u8_normalize decodes the whole: a character only with
 * 4 bytes from its start staged (the most a decoding reads), unless end. */
static void title_decode(TitleText *t, bool end)
{
	size_t i = 0;
	while (i < t->staged && (end || t->staged - i >= 4)) {
		ucs4_t uc;
		i += (size_t)u8_mbtouc_unsafe(&uc, t->stage + i, t->staged - i);
		if (uninorm_filter_write(t->nfc, uc) < 0)
			out_of_memory(sizeof t->stage);
	}
	memmove(t->stage, t->stage + i, t->staged - i);
	t->staged -= i;
}

/* Cased bytes (not the text's: read is where the caller left it) to be normalised. */
static void title_stage(TitleText *t, const void *s, size_t n)
{
	const uint8_t *b = s;
	while (n) {
		size_t k = n < TITLE_STAGE - t->staged ? n : TITLE_STAGE - t->staged;
		memcpy(t->stage + t->staged, b, k);
		t->staged += k, b += k, n -= k;
		if (t->staged == TITLE_STAGE)
			title_decode(t, false);
	}
}

/* The text's bytes [from, to) as they are (punctuation, a separator). */
static void title_keep(TitleText *t, size_t from, size_t to)
{
	while (from < to) {
		size_t k = to - from < TITLE_STAGE - t->staged ? to - from : TITLE_STAGE - t->staged;
		memcpy(t->stage + t->staged, t->p + from, k);
		t->staged += k, from += k;
		t->read = from;
		if (t->staged == TITLE_STAGE)
			title_decode(t, false);
	}
}

/* Whether u8_ct_tolower reads uc as case-ignorable (its own table, not unictype's): the
 * context of a suffix that starts with uc names uc unless uc is. U+FFFD, the empty suffix's
 * name, is not case-ignorable. */
static bool title_ignorable(ucs4_t uc)
{
	uint8_t enc[6];
	int n = u8_uctomb(enc, uc, sizeof enc);
	return n > 0 && u8_casing_suffix_context(enc, (size_t)n).first_char_except_ignorable != uc;
}

/* Where the piece of [from, end) that starts at from ends: after the character that makes it
 * TITLE_PIECE bytes or more, or at end (a character's bytes, well formed or a U+FFFD's, decode
 * cut after them as in the whole); *last is the last character in it that is not
 * case-ignorable, if any (as u8_ct_tolower tracks it). */
static size_t title_piece(const uint8_t *u, size_t from, size_t end, ucs4_t *last)
{
	size_t i = from;
	while (i < end) {
		ucs4_t uc;
		size_t len = (size_t)u8_mbtouc_unsafe(&uc, u + i, end - i);
		if (!title_ignorable(uc))
			*last = uc;
		i += len;
		if (i - from >= TITLE_PIECE)
			break;
	}
	return i;
}

/* The rest of a word, [from, end), lower-cased in its context (a last Σ is ς) after before:
 * in pieces for a long word, each with what comes before and after it in the word as
 * u8_ct_tolower of the whole would see it (a language's rules are not asked for: the first
 * character of each side that is not case-ignorable is all of it). */
static void title_lower(TitleText *t, size_t from, size_t end, casing_prefix_context_t before)
{
	const uint8_t *u = (const uint8_t *)t->p;
	size_t next = from, nextlen = 0;	/* the first character at or after a piece's end not case-ignorable */
	while (from < end) {
		size_t to = end;
		ucs4_t last = UINT32_MAX;
		casing_suffix_context_t after = unicase_empty_suffix_context;
		if (end - from > TITLE_PIECE)
			to = title_piece(u, from, end, &last);
		if (to < end) {
			if (next < to) {
				ucs4_t uc;
				for (next = to; next < end; next += nextlen) {
					nextlen = (size_t)u8_mbtouc_unsafe(&uc, u + next, end - next);
					if (!title_ignorable(uc))
						break;
				}
			}
			if (next < end)	/* its first 4 bytes decode it as the whole does */
				after = u8_casing_suffix_context(u + next, end - next < 4 ? end - next : 4);
		}
		/* a piece's lower case is at most 1.5x it (İ -> i + U+0307), 3x for bytes not UTF-8
		 * (each a U+FFFD: u8_ct_tolower then mallocs) */
		uint8_t low[2 * TITLE_PIECE + 16];
		size_t len = sizeof low;
		uint8_t *rest = u8_ct_tolower(u + from, to - from, before, after, NULL, NULL, low, &len);
		if (last != UINT32_MAX) {	/* the next piece's context, before this one is written over */
			uint8_t enc[6];
			int elen = u8_uctomb(enc, last, sizeof enc);
			before = u8_casing_prefixes_context(enc, elen > 0 ? (size_t)elen : 0, before);
		}
		if (!rest)	/* out of memory: the one way it fails (a byte not UTF-8 is read as U+FFFD) */
			out_of_memory(3 * (to - from));
		t->read = from = to;
		title_stage(t, rest, len);
		if (rest != low)
			free(rest);
	}
}

/* One word, [i, sep): its first letter title-cased (or digit: kept), the rest lower case;
 * punctuation before the first letter stays. */
static void title_word(TitleText *t, size_t i, size_t sep)
{
	const uint8_t *u = (const uint8_t *)t->p;
	size_t at = i;
	ucs4_t cp = 0;
	int len = 1;
	for (; at < sep; at += (size_t)len) {
		len = u8_mbtouc(&cp, u + at, sep - at);
		if (uc_is_alpha(cp) || uc_is_digit(cp))
			break;
	}
	title_keep(t, i, at);
	if (at < sep) {
		uint8_t enc[6];
		int elen = u8_uctomb(enc, uc_is_alpha(cp) ? uc_totitle(cp) : cp, sizeof enc);
		casing_prefix_context_t before = u8_casing_prefix_context(u + at, (size_t)len);
		t->read = at + (size_t)len;
		title_stage(t, enc, elen > 0 ? (size_t)elen : 0);
		title_lower(t, at + (size_t)len, sep, before);
	}
}

/* b's text (trimmed, collapsed), each word title-cased and the whole NFC, in place. */
static void title_unicode(Buf *b)
{
	size_t n = b->len, i = 0;
	TitleText text = {.p = b->p}, *t = &text;
	t->nfc = uninorm_filter_create(UNINORM_NFC, title_emit, t);
	if (!t->nfc)
		out_of_memory(sizeof *t);
	while (i < n) {
		size_t sep = i;
		while (sep < n && !is_word_sep(b->p + sep, n - sep))
			sep++;
		if (sep > i)
			title_word(t, i, sep);
		size_t seplen = sep < n ? (b->p[sep] == '\xe2' ? 3 : 1) : 0;
		title_keep(t, sep, sep + seplen);
		i = sep + seplen;
	}
	t->read = n;
	title_decode(t, true);
	if (uninorm_filter_free(t->nfc) < 0)
		out_of_memory(sizeof *t);
	b->len = t->at;
	if (t->over.len)	/* what grew past the text */
		buf_put(b, t->over.p + t->over_at, t->over.len - t->over_at);
	buf_free(&t->over);
}

/* Whether the text has a capital and a small letter (McDonald, van den Berg, iPhone): one that
 * has a small or a capital of its own; ß, small without a capital, is in GROßMANN too */
static bool mixed_case(const char *p, size_t n)
{
	bool upper = false, lower = false;
	for (size_t i = 0; i < n && !(upper && lower);) {
		ucs4_t c = (unsigned char)p[i];
		int w = c < 0x80 ? 1 : u8_mbtouc(&c, (const uint8_t *)p + i, n - i);
		upper |= c < 0x80 ? (c >= 'A' && c <= 'Z') : uc_tolower(c) != c;
		lower |= c < 0x80 ? (c >= 'a' && c <= 'z') : uc_toupper(c) != c;
		i += (size_t)w;
	}
	return upper && lower;
}

/* clean_title, reading '_' as a space when underscores is set; how: the words as written,
 * title-cased, or title-cased where their letters are of one case. */

static Str title_into(Str s, Buf *scratch, bool underscores, TitleCase how)
{
	s = clean_trim(s);	/* "-" and a no-break space is the null "-" */
	scratch->len = 0;
	if (clean_is_null(s))
		return str_make(scratch->p, 0);
	bool ascii = true, space = false;	/* spaces (Unicode's too) collapsed into scratch, then cased there */
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		size_t w = (unsigned char)c < 0x80 ? str_space(c) : clean_space_len(s.p + i, s.n - i);
		if (w || (underscores && c == '_')) {
			space = true;
			i += w ? w - 1 : 0;
			continue;
		}
		if (space && scratch->len)
			buf_putc(scratch, ' ');
		space = false;
		ascii &= (unsigned char)c < 0x80;
		buf_putc(scratch, c);
	}
	if (how == TITLE_KEEP || (how == TITLE_ONE_CASE && mixed_case(scratch->p, scratch->len)))
		return str_make(scratch->p ? scratch->p : "", scratch->len);
	if (ascii || latin1_cased(scratch->p, scratch->len)) {
		title_latin1(scratch->p, scratch->len);
	} else {
		title_unicode(scratch);
	}
	return str_make(scratch->p ? scratch->p : "", scratch->len);
}

Str clean_title(Str s, Buf *scratch, TitleCase how)
{
	return title_into(s, scratch, false, how);
}

/* ---- e-mail */

static bool email_local_char(char c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr(".!#$%&'*+/=?^_`{|}~-", c));
}

static bool email_domain_ok(const char *d, size_t n)
{
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && d[i] != '.')
			continue;
		size_t len = i - start;
		const char *l = d + start;
		if (len < 1 || len > 63 || l[0] == '-' || l[len - 1] == '-')
			return false;
		bool letters = true;
		for (size_t k = 0; k < len; k++) {
			if (!is_alpha(l[k]) && !is_digit(l[k]) && l[k] != '-')
				return false;
			letters &= is_alpha(l[k]);
		}
		labels++;
		if (i == n && (!letters || len < 2))
			return false;	/* the top-level label */
		start = i + 1;
	}
	return labels >= 2;
}

bool clean_email(Str s, Buf *out)
{
	s = clean_trim(s);
	out->len = 0;
	const char *at = memchr(s.p, '@', s.n);
	if (!at || memchr(at + 1, '@', s.n - (size_t)(at - s.p) - 1))
		return false;
	size_t local = (size_t)(at - s.p);
	if (local < 1 || local > 64 || s.p[0] == '.' || s.p[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++)
		if (!email_local_char(s.p[i]) || (s.p[i] == '.' && s.p[i + 1] == '.'))
			return false;
	for (size_t i = 0; i < s.n; i++)
		buf_putc(out, ascii_lower(s.p[i]));
	return email_domain_ok(out->p + local + 1, s.n - local - 1);
}

Str clean_id_email(Str id, char *fold)
{
	if (id.n > ID_FOLD_MAX || !memchr(id.p, '@', id.n))
		return id;
	size_t i = 0;
	while (i < id.n && !(id.p[i] >= 'A' && id.p[i] <= 'Z'))
		i++;
	if (i == id.n)
		return id;
	for (i = 0; i < id.n; i++)
		fold[i] = ascii_lower(id.p[i]);
	return str_make(fold, id.n);
}

/* ---- gender */

const char *const gender_label[] = {"Male", "Female", "Other", "Unknown"};

int clean_gender(Str s, const CatWord *config, size_t nconfig, Buf *scratch)
{
	static const struct { const char *word; int g; } words[] = {
		{"m", GENDER_MALE}, {"male", GENDER_MALE}, {"man", GENDER_MALE},
		{"f", GENDER_FEMALE}, {"female", GENDER_FEMALE}, {"woman", GENDER_FEMALE},
	};
	s = clean_trim(s);
	if (clean_is_null(s))
		return GENDER_UNKNOWN;
	if (nconfig) {	/* Herr, Frau; Mr, Mrs: the configuration's words, compared as a category's */
		clean_category_key(s, scratch);
		for (size_t i = 0; i < nconfig; i++)
			if (strcmp(config[i].key, buf_cstr(scratch)) == 0)
				for (int g = 0; g <= GENDER_UNKNOWN; g++)
					if (strcmp(config[i].label, gender_label[g]) == 0)
						return g;
	}
	char low[8];
	if (s.n < sizeof low) {
		for (size_t i = 0; i < s.n; i++)
			low[i] = ascii_lower(s.p[i]);
		for (size_t w = 0; w < sizeof words / sizeof *words; w++)
			if (strlen(words[w].word) == s.n && memcmp(words[w].word, low, s.n) == 0)
				return words[w].g;
	}
	return GENDER_OTHER;
}

/* ---- amounts */

#define SYMBOL(sym, code, generic) {sym, sizeof sym - 1, code, generic}
static const struct {
	const char *sym;
	size_t len;
	const char *code;
	bool generic;		/* shared by several currencies */
} symbols[] = {
	SYMBOL("R$", "BRL", false), SYMBOL("US$", "USD", false), SYMBOL("CA$", "CAD", false), SYMBOL("AU$", "AUD", false),
	SYMBOL("NZ$", "NZD", false), SYMBOL("HK$", "HKD", false), SYMBOL("MX$", "MXN", false), SYMBOL("C$", "CAD", false),
	SYMBOL("A$", "AUD", false), SYMBOL("S$", "SGD", false), SYMBOL("$", "USD", true), SYMBOL("\xe2\x82\xac", "EUR", false),
	SYMBOL("\xc2\xa3", "GBP", false), SYMBOL("\xc2\xa5", "JPY", true), SYMBOL("\xe2\x82\xb9", "INR", false),	/* € £ ¥ ₹ */
	SYMBOL("kr", "SEK", true), SYMBOL("z\xc5\x82", "PLN", false), SYMBOL("K\xc4\x8d", "CZK", false),	/* kr zł Kč */
	SYMBOL("Ft", "HUF", false), SYMBOL("\xe2\x82\xa9", "KRW", false), SYMBOL("\xe2\x82\xbd", "RUB", false),	/* ₩ ₽ */
	SYMBOL("\xe2\x82\xba", "TRY", false), SYMBOL("\xe2\x82\xaa", "ILS", false), SYMBOL("\xe2\x82\xb1", "PHP", false),	/* ₺ ₪ ₱ */
	SYMBOL("\xe0\xb8\xbf", "THB", false), SYMBOL("\xe2\x82\xab", "VND", false),	/* ฿ ₫ */
};
#undef SYMBOL

/* The codes of ISO 4217 (its list of 2024, funds and metals too), in order, three letters each:
 * any three other letters by a number (100 pcs, TBD 5) make no amount (helper 118: they were
 * taken as a currency). */
static const char iso4217[] =
	"AEDAFNALLAMDANGAOAARSAUDAWGAZNBAMBBDBDTBGNBHDBIFBMDBNDBOBBOVBRLBSDBTNBWPBYNBZDCADCDFCHECHFCHW"
	"CLFCLPCNYCOPCOUCRCCUCCUPCVECZKDJFDKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNFGTQGYDHKDHNLHTG"
	"HUFIDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZTLAKLBPLKRLRDLSLLYDMADMDLMGAMKDMMKMNT"
	"MOPMRUMURMVRMWKMXNMXVMYRMZNNADNGNNIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQARRONRSDRUBRWFSARSBDSCR"
	"SDGSEKSGDSHPSLESLLSOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTNDTOPTRYTTDTWDTZSUAHUGXUSDUSNUYIUYUUYWUZSVED"
	"VESVNDVUVWSTXAFXAGXAUXBAXBBXBCXBDXCDXCGXDRXOFXPDXPFXPTXSUXTSXUAXXXYERZARZMWZWGZWL";

static bool iso4217_code(const char c[3])
{
	size_t lo = 0, hi = (sizeof iso4217 - 1) / 3;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = memcmp(iso4217 + 3 * mid, c, 3);
		if (!d)
			return true;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Whether an amount may name code: ISO 4217's, or one known has. */
static bool code_known(const char code[4], const KnownCodes *known)
{
	return iso4217_code(code) || (known && ((known->cfg && config_rate(known->cfg, code) >= 0) ||
						(known->file && strcmp(known->file, code) == 0)));
}

/* A currency symbol or code (any case) at s.p[i] (prefix: not followed by a letter; else it must
 * end s): its length, 0 if none; p learns the currency. A code is one code_known has, or with
 * any_code any three letters (a currency column's value). */
static size_t currency_at(Str s, size_t i, bool prefix, bool any_code, const KnownCodes *known, AmountParse *p)
{
	if (i >= s.n || is_digit(s.p[i]))
		return 0;	/* no mark starts with a digit: the usual amount costs nothing */
	for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++) {
		size_t len = symbols[k].len;
		if (s.n - i >= len && s.p[i] == symbols[k].sym[0] && memcmp(s.p + i, symbols[k].sym, len) == 0 &&
		    (prefix ? i + len == s.n || !is_alpha(s.p[i + len]) || !is_alpha(symbols[k].sym[len - 1])
			    : i + len == s.n)) {	/* "kr 5" and "5 kr", not "krw 5" */
			memcpy(p->currency, symbols[k].code, 4);
			p->generic = symbols[k].generic;
			return len;
		}
	}
	for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++) {	/* eBay's "C $45.00", "AU $12.00", "US $5" */
		size_t len = symbols[k].len;
		if (len >= 2 && symbols[k].sym[len - 1] == '$' && is_alpha(symbols[k].sym[0]) && s.n - i > len &&
		    memcmp(s.p + i, symbols[k].sym, len - 1) == 0 && s.p[i + len - 1] == ' ' && s.p[i + len] == '$' &&
		    (prefix || i + len + 1 == s.n)) {
			memcpy(p->currency, symbols[k].code, 4);
			p->generic = symbols[k].generic;
			return len + 1;
		}
	}
	if (s.n - i < 3 || !is_alpha(s.p[i]) || !is_alpha(s.p[i + 1]) || !is_alpha(s.p[i + 2]) ||
	    (s.n - i > 3 && (!prefix || is_alpha(s.p[i + 3]))))
		return 0;
	char code[4];
	for (int k = 0; k < 3; k++)
		code[k] = (char)(ascii_lower(s.p[i + k]) - 32);
	code[3] = '\0';
	if (!any_code && !code_known(code, known))
		return 0;
	memcpy(p->currency, code, 4);
	return 3;
}

/* Digits with optional 1<t>234<t>567 grouping and an optional <d>fraction: the whole of s. */
static bool read_number(Str s, char d, char t, int64_t *cents)
{
	int64_t units = 0;
	size_t i = 0, group = 0;
	bool grouped = false;
	for (; i < s.n && (is_digit(s.p[i]) || s.p[i] == t); i++) {
		if (s.p[i] == t) {	/* a first group of 0 is none: 0,001 is no thousand */
			if ((grouped ? group != 3 : (group < 1 || group > 3 || s.p[0] == '0')))
				return false;
			grouped = true, group = 0;
			continue;
		}
		units = units * 10 + (s.p[i] - '0');
		if (units > 1000000000000000)	/* 10^15 whole units: beyond any order amount */
			return false;
		group++;
	}
	if (i == 0 || group == 0 || (grouped && group != 3))
		return false;
	int64_t frac = 0;
	if (i < s.n && s.p[i] == d) {
		size_t fstart = ++i;
		int nd = 0;
		for (; i < s.n && is_digit(s.p[i]); i++, nd++)
			if (nd < 3)
				frac = frac * 10 + (s.p[i] - '0');
		if (i == fstart)
			return false;
		frac = nd == 1 ? frac * 10 : nd == 2 ? frac : (frac + 5) / 10;	/* half away from zero */
	}
	if (i != s.n || units * 100 + frac > 100000000000000000)	/* the cache and conversions' bound */
		return false;
	*cents = units * 100 + frac;
	return true;
}

/* The number between the sign and currency marks: strict with a decimal separator given,
 * else by the value itself: its last separator is the decimal one unless three digits follow
 * it (a thousands separator needs them); X<sep>YYY fits both and is left ambiguous. */
static void read_body(Str b, char decimal, AmountParse *p)
{
	int64_t point, comma;
	size_t k = b.n;	/* after the last separator */
	while (k && b.p[k - 1] != '.' && b.p[k - 1] != ',')
		k--;
	if (decimal || !k || b.n - k != 3) {
		char d = decimal ? decimal : k ? b.p[k - 1] : '.';
		bool ok = read_number(b, d, d == '.' ? ',' : '.', &p->cents);
		p->status = ok ? AMOUNT_OK : AMOUNT_BAD;
		if (ok && !decimal && k)
			p->evidence = d == '.' ? DECIMAL_POINT : DECIMAL_COMMA;
		return;
	}
	bool by_point = read_number(b, '.', ',', &point), by_comma = read_number(b, ',', '.', &comma);
	p->status = by_point || by_comma ? AMOUNT_OK : AMOUNT_BAD;
	p->cents = by_point ? point : comma;
	if (by_point != by_comma)
		p->evidence = by_point ? DECIMAL_POINT : DECIMAL_COMMA;
	if (by_point && by_comma) {
		p->status = AMOUNT_AMBIGUOUS;
		p->sep = memchr(b.p, ',', b.n) ? ',' : '.';
		p->grouped = (uint32_t)((p->sep == ',' ? point : comma) / 100);
	}
}

/* A space between a currency mark and the number: a space, a no-break space (U+00A0) or a
 * narrow one (U+202F), as French typography writes "12,50 €": its length at s.p[i] (space_at)
 * or ending before it (space_before), 0 if none. */
static size_t space_at(Str s, size_t i)
{
	if (i < s.n && s.p[i] == ' ')
		return 1;
	if (s.n - i >= 2 && memcmp(s.p + i, "\xc2\xa0", 2) == 0)
		return 2;
	return s.n - i >= 3 && memcmp(s.p + i, "\xe2\x80\xaf", 3) == 0 ? 3 : 0;
}

static size_t space_before(Str s, size_t i)
{
	for (size_t n = 1; n <= 3 && n <= i; n++)
		if (space_at(s, i - n) == n)
			return n;
	return 0;
}

/* A mark grouping thousands that is no decimal separator: a space (space_at), an apostrophe
 * or U+2019 (Swiss "1'234.50"): its length at b.p[i], 0 if none. */
static size_t group_mark_at(Str b, size_t i)
{
	size_t n = space_at(b, i);
	if (n || i >= b.n)
		return n;
	if (b.p[i] == '\'')
		return 1;
	return b.n - i >= 3 && memcmp(b.p + i, "\xe2\x80\x99", 3) == 0 ? 3 : 0;
}

/* A number whose thousands are grouped by one of those marks, the same throughout, with a
 * decimal separator that is then whichever of '.' and ',' follows them (the configured one, if
 * set): "1 234,50", "1 234 567", "1'234.50". p is left as it is if b is not one. */
static void read_space_grouped(Str b, char decimal, AmountParse *p)
{
	char digits[40];
	size_t n = 0, i = 0, group = 0, mark = 0, ngroups = 1;
	while (i < b.n && n < 32) {
		if (is_digit(b.p[i])) {
			digits[n++] = b.p[i++], group++;
			continue;
		}
		size_t m = group_mark_at(b, i);
		if (!m || (mark && (m != mark || memcmp(b.p + i, b.p + i - group - mark, m) != 0)) ||
		    (ngroups == 1 ? group < 1 || group > 3 : group != 3))
			break;
		mark = m, i += m, group = 0, ngroups++;
	}
	if (!mark || group != 3 || n >= 32 || digits[0] == '0')
		return;	/* a first group of 0 is none, as in read_number: "0 123" is no thousand */
	char d = 0;
	if (i < b.n && (b.p[i] == '.' || b.p[i] == ',') && (!decimal || b.p[i] == decimal)) {
		d = b.p[i++];
		digits[n++] = '.';
		for (; i < b.n && is_digit(b.p[i]) && n < sizeof digits; i++)
			digits[n++] = b.p[i];
	}
	int64_t cents;
	if (i != b.n || !read_number(str_make(digits, n), '.', ',', &cents))
		return;
	p->status = AMOUNT_OK, p->cents = cents;
	if (d && !decimal)
		p->evidence = d == '.' ? DECIMAL_POINT : DECIMAL_COMMA;
}

/* A sign at s.p[i]: '-' or a typeset minus (U+2212), or '+': its length, 0 if none. */
static size_t sign_at(Str s, size_t i, int *sign)
{
	if (i < s.n && (s.p[i] == '-' || s.p[i] == '+')) {
		*sign = s.p[i] == '-' ? -1 : 1;
		return 1;
	}
	if (s.n - i >= 3 && memcmp(s.p + i, "\xe2\x88\x92", 3) == 0) {
		*sign = -1;
		return 3;
	}
	return 0;
}

AmountParse clean_amount(Str s, char decimal, const KnownCodes *known)
{
	AmountParse p = {.status = AMOUNT_NONE, .cents = AMOUNT_NULL};
	s = clean_trim(s);
	if (clean_is_null(s))
		return p;
	int sign = 0, outer = 0;	/* outer: the sign of an accountant's "(15.00)" or SAP's "15.00-" */
	char unwrapped[64];
	const char *close = s.n > 2 && s.p[0] == '(' ? memchr(s.p, ')', s.n) : NULL;
	if (close && s.n - 2 < sizeof unwrapped && !memchr(close + 1, ')', (size_t)(s.p + s.n - close - 1))) {
		size_t in = (size_t)(close - s.p) - 1;	/* "(15.00) €" as "15.00 €" */
		memcpy(unwrapped, s.p + 1, in);
		memcpy(unwrapped + in, close + 1, s.n - 2 - in);
		s = str_trim(str_make(unwrapped, s.n - 2)), outer = -1;
	} else if (s.n > 1 && s.p[s.n - 1] == '-') {
		s = str_trim(str_make(s.p, s.n - 1)), outer = -1;
	} else if (s.n > 3 && memcmp(s.p + s.n - 3, "\xe2\x88\x92", 3) == 0) {
		s = str_trim(str_make(s.p, s.n - 3)), outer = -1;
	}
	if (!s.n) {
		p.status = AMOUNT_BAD;
		return p;
	}
	size_t i = sign_at(s, 0, &sign), end = s.n;
	size_t cur = currency_at(s, i, true, false, known, &p);
	if (cur) {
		i += cur;
		i += space_at(s, i);
		if (!sign)
			i += sign_at(s, i, &sign);
	} else if (!is_digit(s.p[s.n - 1])) {	/* a mark after the number: "12,50 €", "5 USD" */
		for (size_t k = s.n > i + 4 ? s.n - 4 : i + 1; k < s.n; k++)	/* the longest mark first */
			if (currency_at(s, k, false, false, known, &p)) {
				end = k - space_before(s, k);
				break;
			}
	}
	Str body = str_make(s.p + i, end > i ? end - i : 0);
	read_body(body, decimal, &p);
	if (p.status == AMOUNT_BAD)
		read_space_grouped(body, decimal, &p);
	if (outer && sign)
		p.status = AMOUNT_BAD;	/* two signs: "(-15)", "-15-" */
	if (p.status == AMOUNT_BAD)
		p.cents = AMOUNT_NULL;
	sign = outer ? outer : sign;
	p.negative = sign < 0 && !(p.status == AMOUNT_OK && p.cents == 0);	/* "-0.00" is 0: not negative */
	if (p.negative && p.status == AMOUNT_OK)
		p.cents = -p.cents;
	return p;
}

bool clean_currency(Str s, const char *shared, char code[4])
{
	AmountParse p = {0};
	s = clean_trim(s);
	if (!s.n || currency_at(s, 0, false, true, NULL, &p) != s.n)
		return false;
	memcpy(code, p.generic && shared ? shared : p.currency, 4);
	return true;
}

int64_t clean_amount_read(uint32_t grouped, char sep, char decimal)
{
	return sep == decimal ? ((int64_t)grouped + 5) / 10 : (int64_t)grouped * 100;
}

/* ---- categories */

typedef struct {
	const char *key;	/* lower case, letters and digits only */
	uint32_t label;
} Synonym;

static const char *const order_status_labels[] = {"Completed", "Shipped", "Pending", "Cancelled", "Failed", "Returned", "Unknown", NULL};
static const Synonym order_status_rules[] = {
	{"complete", OS_COMPLETED}, {"completed", OS_COMPLETED}, {"delivered", OS_COMPLETED}, {"fulfilled", OS_COMPLETED},
	{"shipped", OS_SHIPPED}, {"intransit", OS_SHIPPED}, {"dispatched", OS_SHIPPED},
	{"pending", OS_PENDING}, {"processing", OS_PENDING}, {"created", OS_PENDING}, {"approved", OS_PENDING},
	{"invoiced", OS_PENDING}, {"onhold", OS_PENDING},
	{"cancelled", OS_CANCELLED}, {"canceled", OS_CANCELLED}, {"unavailable", OS_CANCELLED},
	{"failed", OS_FAILED}, {"returned", OS_RETURNED}, {"refunded", OS_RETURNED}, {NULL, 0},
};
static const char *const pay_method_labels[] = {"Credit Card", "Debit Card", "UPI", "PayPal", "Wallet", "Cash", "Net Banking", "Voucher", "Unknown", NULL};
static const Synonym pay_method_rules[] = {
	{"creditcard", PM_CREDIT}, {"credit", PM_CREDIT}, {"cc", PM_CREDIT}, {"debitcard", PM_DEBIT}, {"debit", PM_DEBIT},
	{"upi", PM_UPI}, {"paypal", PM_PAYPAL}, {"wallet", PM_WALLET}, {"ewallet", PM_WALLET},
	{"cash", PM_CASH}, {"cod", PM_CASH}, {"cashondelivery", PM_CASH},
	{"netbanking", PM_NETBANKING}, {"banktransfer", PM_NETBANKING}, {"internetbanking", PM_NETBANKING},
	{"voucher", PM_VOUCHER}, {"giftcard", PM_VOUCHER}, {"notdefined", PM_UNKNOWN}, {NULL, 0},
};
static const char *const pay_status_labels[] = {"Success", "Failed", "Pending", "Refunded", "Unknown", NULL};
static const Synonym pay_status_rules[] = {
	{"success", PS_SUCCESS}, {"successful", PS_SUCCESS}, {"succeeded", PS_SUCCESS}, {"paid", PS_SUCCESS},
	{"completed", PS_SUCCESS}, {"captured", PS_SUCCESS},
	{"failed", PS_FAILED}, {"failure", PS_FAILED}, {"declined", PS_FAILED}, {"error", PS_FAILED},
	{"pending", PS_PENDING}, {"processing", PS_PENDING}, {"refunded", PS_REFUNDED}, {NULL, 0},
};
static const char *const ticket_status_labels[] = {"Closed", "Resolved", "Open", "Pending", "Unknown", NULL};
static const Synonym ticket_status_rules[] = {
	{"closed", TS_CLOSED}, {"resolved", TS_RESOLVED}, {"solved", TS_RESOLVED},
	{"open", TS_OPEN}, {"new", TS_OPEN}, {"reopened", TS_OPEN},
	{"pending", TS_PENDING}, {"waiting", TS_PENDING}, {"onhold", TS_PENDING}, {"inprogress", TS_PENDING}, {NULL, 0},
};
static const char *const device_labels[] = {"Android", "iOS", "Windows", "macOS", "Linux", "ChromeOS", "Unknown", NULL};
static const Synonym device_rules[] = {
	{"android", DV_ANDROID}, {"ios", DV_IOS}, {"iphone", DV_IOS}, {"ipad", DV_IOS}, {"ipados", DV_IOS},
	{"windows", DV_WINDOWS}, {"win", DV_WINDOWS}, {"macos", DV_MACOS}, {"mac", DV_MACOS}, {"osx", DV_MACOS},
	{"linux", DV_LINUX}, {"ubuntu", DV_LINUX}, {"chromeos", DV_CHROMEOS}, {NULL, 0},
};
static const char *const issue_labels[] = {"Unspecified", NULL};
static const char *const page_labels[] = {"", NULL};
static const char *const gender_labels[] = {"Male", "Female", "Other", "Unknown", NULL};

static const struct {
	const char *const *labels;
	const Synonym *rules;	/* NULL: free text */
	uint32_t null_label;
} categories[CAT_COUNT] = {
	[CAT_NONE] = {page_labels + 1, NULL, 0},
	[CAT_ORDER_STATUS] = {order_status_labels, order_status_rules, OS_UNKNOWN},
	[CAT_PAY_METHOD] = {pay_method_labels, pay_method_rules, PM_UNKNOWN},
	[CAT_PAY_STATUS] = {pay_status_labels, pay_status_rules, PS_UNKNOWN},
	[CAT_TICKET_STATUS] = {ticket_status_labels, ticket_status_rules, TS_UNKNOWN},
	[CAT_DEVICE] = {device_labels, device_rules, DV_UNKNOWN},
	[CAT_ISSUE] = {issue_labels, NULL, ISSUE_UNSPECIFIED},
	[CAT_PAGE] = {page_labels, NULL, 0},
	[CAT_GENDER] = {gender_labels, NULL, GENDER_UNKNOWN},
};

const char *const channel_label[CH_COUNT] = {"Mobile", "Web", "Other"};

uint32_t clean_category_builtin(CatKind kind)
{
	uint32_t n = 0;
	while (categories[kind].labels[n])
		n++;
	return n;
}

bool clean_category_ruled(CatKind kind)
{
	return categories[kind].rules != NULL;
}

void clean_category_init(Dict *d, CatKind kind)
{
	for (const char *const *l = categories[kind].labels; *l; l++)
		dict_intern(d, str_make(*l, strlen(*l)));
}

void clean_category_key(Str s, Buf *out)
{
	out->len = 0;
	bool ascii = true;
	for (size_t i = 0; i < s.n; i++) {
		char c = ascii_lower(s.p[i]);
		ascii &= (unsigned char)c < 0x80;
		if (is_alpha(c) || is_digit(c))
			buf_putc(out, c);
	}
	if (ascii)
		return;
	out->len = 0;
	size_t n = 0;
	uint8_t *folded = u8_casefold((const uint8_t *)s.p, s.n, NULL, UNINORM_NFC, NULL, &n);
	for (size_t i = 0; folded && i < n;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, folded + i, n - i);
		if (uc_is_alpha(cp) || uc_is_digit(cp))
			buf_put(out, folded + i, (size_t)len);
		i += (size_t)len;
	}
	free(folded);
}

char *clean_category_label(CatKind kind, const char *label)
{
	Buf a = {0}, b = {0};
	clean_category_key(str_make(label, strlen(label)), &a);
	const char *found = NULL;
	for (const char *const *l = categories[kind].labels; *l && !found; l++) {
		clean_category_key(str_make(*l, strlen(*l)), &b);
		if (a.len == b.len && memcmp(a.p, b.p, a.len) == 0)
			found = *l;
	}
	buf_free(&a), buf_free(&b);
	return xstrdup(found ? found : label);
}

const char *category_label_near(CatKind kind, const char *label)
{
	size_t n = 0;
	const char *const *known = categories[kind].labels;
	while (known[n])
		if (strcmp(known[n++], label) == 0)
			return NULL;
	return nearest_word(label, strlen(label), known, n);
}

/* The configuration's words, then the built-in ones; key is the value's key. */
static bool category_rule(CatKind kind, const CatWord *words, size_t nwords, Dict *d, const char *key,
			  uint32_t *label)
{
	for (size_t i = 0; i < nwords; i++)
		if (strcmp(words[i].key, key) == 0)
			return *label = dict_intern(d, str_make(words[i].label, strlen(words[i].label))), true;
	for (const Synonym *r = categories[kind].rules; r->key; r++)
		if (strcmp(r->key, key) == 0)
			return *label = r->label, true;
	return false;
}

/* A page as an analytics export may write it, a whole URL: its path alone
 * ("https://shop.example.com/products/mug?utm_source=x" -> "/products/mug"); else s. */
static Str url_path(Str s)
{
	size_t i = s.n > 7 && strncasecmp(s.p, "http://", 7) == 0 ? 7 : s.n > 8 && strncasecmp(s.p, "https://", 8) == 0 ? 8 : 0;
	if (!i)
		return s;
	while (i < s.n && s.p[i] != '/' && s.p[i] != '?' && s.p[i] != '#')
		i++;	/* the host */
	size_t end = i;
	while (end < s.n && s.p[end] != '?' && s.p[end] != '#')
		end++;
	return str_make(s.p + i, end - i);
}

/* A page's path lower-cased onto out: ASCII a byte at a time, else by Unicode's rules, composed
 * as NFC (/ÉTÉ as /été), a byte that is not UTF-8 as U+FFFD (as clean_title has it). */
static void page_lower(Str s, Buf *out)
{
	size_t i = 0;
	while (i < s.n && (unsigned char)s.p[i] < 0x80)
		i++;
	size_t len = 0;
	uint8_t *low = i < s.n ? u8_tolower((const uint8_t *)s.p, s.n, NULL, UNINORM_NFC, NULL, &len) : NULL;
	if (low) {
		buf_put(out, low, len);
		free(low);
		return;
	}
	for (i = 0; i < s.n; i++)
		buf_putc(out, ascii_lower(s.p[i]));
}

uint32_t clean_category(Dict *d, CatKind kind, const CatWord *words, size_t nwords, Str s, Buf *scratch,
			bool *unknown)
{
	*unknown = false;
	s = clean_trim(s);
	if (clean_is_null(s))
		return categories[kind].null_label;
	uint32_t label;
	if (categories[kind].rules) {
		clean_category_key(s, scratch);
		bool found = category_rule(kind, words, nwords, d, buf_cstr(scratch), &label);
		if (found)
			return label;
		*unknown = true;
	}
	if (kind == CAT_PAGE) {
		s = url_path(s);
		scratch->len = 0;
		if (!s.n || s.p[0] != '/')
			buf_putc(scratch, '/');
		page_lower(s, scratch);
		return dict_intern(d, str_make(scratch->p, scratch->len));
	}
	return dict_intern(d, title_into(s, scratch, true, TITLE_ALL));
}
