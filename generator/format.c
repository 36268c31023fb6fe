/* format.c — the one place figures become text, for every output: counts, money, percentages,
 * changes and chart labels, with the configured thousands separator and currency, or plain
 * for the CSV files. Independent of the locale. */
#include "c360.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

const NumFormat fmt_plain = {"", '.', "", false};

void fmt_init(NumFormat *f, const Config *cfg)
{
	f->thousands = cfg->thousands_separator ? cfg->thousands_separator : ",";
	f->decimal = cfg->decimal_separator ? cfg->decimal_separator : '.';
	f->currency = cfg->currency ? cfg->currency : "";
	f->lakh = cfg->lakh_grouping;
}

/* u (1 or more) in groups of two digits: the lakhs and crores above the last three (1,23,45,678). */
static void put_twos(Buf *b, const NumFormat *f, uint64_t u)
{
	if (u < 100) {
		buf_int(b, (int64_t)u);
		return;
	}
	put_twos(b, f, u / 100);
	buf_puts(b, f->thousands);
	char d[2] = {(char)('0' + u / 10 % 10), (char)('0' + u % 10)};
	buf_put(b, d, 2);
}

/* u (below 1000) in decimal at d; the end. */
static inline char *put_below1000(char *d, unsigned u)
{
	if (u < 10) {
		*d = (char)('0' + u);
		return d + 1;
	}
	if (u >= 100)
		*d++ = (char)('0' + u / 100), u %= 100;
	memcpy(d, digit_pairs + 2 * u, 2);
	return d + 2;
}

/* u's digits, the last three a group and the others groups of three, or of two (lakh: 12,34,567). */
static void put_grouped(Buf *b, const NumFormat *f, uint64_t u)
{
	if (u < 1000) {	/* most figures on a page: written here, not by buf_int */
		if (b->cap - b->len < 3)
			buf_grow(b, 3);
		b->len = (size_t)(put_below1000(b->p + b->len, (unsigned)u) - b->p);
		return;
	}
	if (u < 1000000 && (!f->lakh || u < 100000)) {	/* 1,000 to 999,999 (most amounts): into the room */
		const char *t = f->thousands;
		size_t tn = !t[0] ? 0 : !t[1] ? 1 : strlen(t);
		if (b->cap - b->len < 6 + tn)
			buf_grow(b, 6 + tn);
		char *d = put_below1000(b->p + b->len, (unsigned)(u / 1000));
		if (tn == 1)
			*d = *t;
		else
			memcpy(d, t, tn);
		d += tn;
		unsigned low = (unsigned)(u % 1000);
		*d = (char)('0' + low / 100);
		memcpy(d + 1, digit_pairs + 2 * (low % 100), 2);
		b->len = (size_t)(d + 3 - b->p);
		return;
	}
	if (!*f->thousands && u <= INT64_MAX) {
		buf_int(b, (int64_t)u);
		return;
	}
	if (f->lakh)
		put_twos(b, f, u / 1000);
	else
		put_grouped(b, f, u / 1000);
	buf_puts(b, f->thousands);
	char d[3] = {(char)('0' + u / 100 % 10), (char)('0' + u / 10 % 10), (char)('0' + u % 10)};
	buf_put(b, d, 3);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

void fmt_int(Buf *b, const NumFormat *f, int64_t v)
{
	if (v < 0)
		buf_putc(b, '-');
	put_grouped(b, f, magnitude(v));
}

static void put_hundredths(Buf *b, const NumFormat *f, uint64_t u)
{
	if (u < 100000) {	/* below 1000: the whole and the hundredths at once */
		if (b->cap - b->len < 6)
			buf_grow(b, 6);
		char *d = put_below1000(b->p + b->len, (unsigned)(u / 100));
		*d = f->decimal;
		memcpy(d + 1, digit_pairs + 2 * (u % 100), 2);
		b->len = (size_t)(d + 3 - b->p);
		return;
	}
	put_grouped(b, f, u / 100);
	char frac[3] = {f->decimal, (char)('0' + u / 10 % 10), (char)('0' + u % 10)};
	buf_put(b, frac, 3);
}

void fmt_hundredths(Buf *b, const NumFormat *f, int64_t v)
{
	if (v < 0)
		buf_putc(b, '-');
	put_hundredths(b, f, magnitude(v));
}

/* A code (EUR) stands apart from the number; a symbol (€, $) does not. */
static void put_currency(Buf *b, const NumFormat *f)
{
	if (!*f->currency)
		return;		/* none (the default): no strlen for each amount */
	size_t n = strlen(f->currency);
	buf_put(b, f->currency, n);
	if (n && ((f->currency[n - 1] | 0x20) >= 'a' && (f->currency[n - 1] | 0x20) <= 'z'))
		buf_putc(b, ' ');
}

void fmt_money(Buf *b, const NumFormat *f, int64_t cents)
{
	if (cents < 0)
		buf_putc(b, '-');
	put_currency(b, f);
	put_hundredths(b, f, magnitude(cents));
}

void fmt_pct(Buf *b, const NumFormat *f, int64_t hundredths)
{
	fmt_hundredths(b, f, hundredths);
	buf_putc(b, '%');
}

void fmt_figure(Buf *b, const NumFormat *f, int kind, int64_t v)
{
	if (v == KPI_NULL)
		buf_puts(b, "–");
	else if (kind == KV_MONEY)
		fmt_money(b, f, v);
	else if (kind == KV_PCT)
		fmt_pct(b, f, v);
	else
		fmt_int(b, f, v);
}

void fmt_change(Buf *b, const NumFormat *f, int kind, int64_t d)
{
	if (d == KPI_NULL) {
		buf_puts(b, "–");
		return;
	}
	if (d > 0)
		buf_putc(b, '+');
	if (kind == KV_PCT) {
		fmt_hundredths(b, f, d);	/* a percentage moves in points */
		buf_puts(b, " pts");
	} else {
		fmt_figure(b, f, kind, d);
	}
}

void fmt_change_pct(Buf *b, const NumFormat *f, int64_t hundredths)
{
	if (hundredths == KPI_NULL) {
		buf_puts(b, "–");
		return;
	}
	if (hundredths > 0)
		buf_putc(b, '+');
	fmt_pct(b, f, hundredths);
}

/* v / 10^k rounded half away from zero. */
static uint64_t div_round(uint64_t v, uint64_t by)
{
	return v / by + (v % by >= by - by / 2);
}

void fmt_compact(Buf *b, const NumFormat *f, int kind, int64_t v)
{
	static const struct { uint64_t unit; const char *suffix; } units[] = {
		{1000000000, " bn"}, {1000000, " M"}, {1000, " k"},
	};
	uint64_t u = magnitude(v), cents = kind == KV_MONEY ? 100 : 1;
	if (v == KPI_NULL || kind == KV_PCT || u < 10000 * cents) {
		fmt_figure(b, f, kind, v);
		return;
	}
	size_t i = 0;
	while (i + 1 < sizeof units / sizeof *units && u < units[i].unit * cents)
		i++;
	uint64_t tenths = div_round(u, units[i].unit * cents / 10);
	if (tenths >= 10000 && i > 0)	/* 999.96 k is 1.0 M */
		tenths = div_round(u, units[--i].unit * cents / 10);
	if (v < 0)
		buf_putc(b, '-');
	if (kind == KV_MONEY)
		put_currency(b, f);
	put_grouped(b, f, tenths / 10);
	buf_printf(b, "%c%d%s", f->decimal, (int)(tenths % 10), units[i].suffix);
}

/* v rounded half away from zero to a multiple of 1/scale, as that multiple. */
static int64_t round_scaled(double v, double scale)
{
	return (int64_t)llround(v * scale);
}

AxisFormat fmt_axis_for(double top, double step, int kind)
{
	AxisFormat a = {1, 0, ""};
	if (top >= 1e9)	/* "150 bn", as the week's paragraph says it (helper 117: "150,000 M", cut at the edge) */
		a.unit = 1e9, a.suffix = " bn";
	else if (top >= 1e6)
		a.unit = 1e6, a.suffix = " M";
	else if (top >= 1e4)
		a.unit = 1e3, a.suffix = " k";
	double s = step / a.unit;
	a.decimals = s >= 1 ? 0 : s >= 0.1 ? 1 : 2;
	if (kind == KV_PCT)
		a.suffix = "%";
	return a;
}

void fmt_axis(Buf *b, const NumFormat *f, const AxisFormat *a, double v)
{
	if (v == 0) {
		buf_putc(b, '0');
		return;
	}
	static const double scale[] = {1, 10, 100};
	int64_t n = round_scaled(v / a->unit, scale[a->decimals]);
	if (n < 0)
		buf_putc(b, '-');
	uint64_t m = magnitude(n), d = (uint64_t)scale[a->decimals];
	put_grouped(b, f, m / d);
	if (a->decimals)
		buf_printf(b, "%c%0*d", f->decimal, a->decimals, (int)(m % d));
	buf_puts(b, a->suffix);
}

/* ---- dates for pages: a page shows the same few hundred days again and again, so each
 * thread keeps a day's texts (as date.c makes them) in a table by the day's number. */

typedef struct {
	int64_t day;		/* DAY_NONE: empty */
	char iso[10];		/* YYYY-MM-DD */
	uint8_t words_len;
	char words[13];		/* Mar 4, 2024 */
} DayText;

const char digit_pairs[201] = "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
			     "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

enum { DAY_TABLE = 2048 };
#define DAY_NONE INT64_MIN
#define DAY_FAR 3000000	/* days beyond (~8,200 years) are formatted each time */

#define WORDS_UNMADE UINT8_MAX	/* a day's words made when first asked for: a birth date's never are */

/* The day's table entry, its ISO text made; NULL for a day of another width. */
static DayText *day_text(int64_t days)
{
	static _Thread_local DayText tab[DAY_TABLE];
	static _Thread_local bool ready;
	if (!ready) {
		for (size_t i = 0; i < DAY_TABLE; i++)
			tab[i].day = DAY_NONE;
		ready = true;
	}
	DayText *t = &tab[(uint64_t)days & (DAY_TABLE - 1)];
	if (t->day == days)
		return t;
	char iso[DATE_TEXT_MAX];
	if (date_format(iso, days * SECS_PER_DAY, false) != 10)
		return NULL;
	t->day = days;
	memcpy(t->iso, iso, 10);
	t->words_len = WORDS_UNMADE;
	return t;
}

/* ---- the ISO texts of every day of 1900-2099, made once for the process on first use: the gold
 * tables write a date or a moment a fact (35 M at a million customers), birth dates are spread over
 * decades, and a text from this table is an index and a copy where the thread's table above is a
 * probe that misses on every day 2048 days from the last one in its slot. */

#define DAYS_FIRST (-25567)	/* 1900-01-01 */
#define DAYS_END 47482		/* 2100-01-01 */

static char (*days_iso)[10];	/* DAYS_END - DAYS_FIRST of them, made by days_iso_make, kept to the end */
static atomic_bool days_iso_made;
static pthread_once_t days_iso_once = PTHREAD_ONCE_INIT;

/* Each day after the one before: a year is leap when 4 divides it, 1900 aside (2000 is). */
static void days_iso_make(void)
{
	static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	char (*t)[10] = days_iso = xmalloc((DAYS_END - DAYS_FIRST) * sizeof *days_iso);
	for (int y = 1900; y < 2100; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1, n = month_days[m - 1] + (m == 2 && y % 4 == 0 && y != 1900); d <= n; d++, t++) {
				memcpy(*t, digit_pairs + 2 * (y / 100), 2), memcpy(*t + 2, digit_pairs + 2 * (y % 100), 2);
				(*t)[4] = (*t)[7] = '-';
				memcpy(*t + 5, digit_pairs + 2 * m, 2), memcpy(*t + 8, digit_pairs + 2 * d, 2);
			}
	atomic_store_explicit(&days_iso_made, true, memory_order_release);
}

/* The day's YYYY-MM-DD (10 bytes, no NUL), or NULL for a day outside 1900-2099. */
static inline const char *day_iso(int64_t days)
{
	if ((uint64_t)(days - DAYS_FIRST) >= (uint64_t)(DAYS_END - DAYS_FIRST))
		return NULL;
	if (!atomic_load_explicit(&days_iso_made, memory_order_acquire))
		pthread_once(&days_iso_once, days_iso_make);
	return days_iso[days - DAYS_FIRST];
}

void fmt_date(Buf *b, int64_t days)
{
	const char *iso = day_iso(days);
	if (iso) {
		buf_put(b, iso, 10);
		return;
	}
	const DayText *t = days > -DAY_FAR && days < DAY_FAR ? day_text(days) : NULL;
	if (t)
		buf_put(b, t->iso, 10);
	else
		buf_date(b, days);
}

void fmt_date_words(Buf *b, int64_t days)
{
	DayText *t = days > -DAY_FAR && days < DAY_FAR ? day_text(days) : NULL;
	if (t && t->words_len == WORDS_UNMADE) {
		Buf w = {0};
		buf_date_words(&w, days, true);
		if (w.len <= sizeof t->words)	/* else made each time */
			memcpy(t->words, w.p, w.len), t->words_len = (uint8_t)w.len;
		buf_free(&w);
	}
	if (t && t->words_len != WORDS_UNMADE)
		buf_put(b, t->words, t->words_len);
	else
		buf_date_words(b, days, true);
}

size_t fmt_moment(char *out, int64_t moment, bool with_time)
{
	int64_t days = date_floor_day(moment);
	const char *iso = day_iso(days);
	if (!iso) {
		const DayText *t = days > -DAY_FAR && days < DAY_FAR ? day_text(days) : NULL;
		if (!t)
			return date_format(out, moment, with_time);
		iso = t->iso;
	}
	memcpy(out, iso, 10);
	if (!with_time)
		return 10;
	int secs = (int)(moment - days * SECS_PER_DAY), h = secs / 3600, mi = (secs - h * 3600) / 60,
	    s = secs - h * 3600 - mi * 60;
	char *hms = out + 10;
	hms[0] = ' ', hms[3] = hms[6] = ':';
	memcpy(hms + 1, digit_pairs + 2 * h, 2), memcpy(hms + 4, digit_pairs + 2 * mi, 2);
	memcpy(hms + 7, digit_pairs + 2 * s, 2);
	return 19;
}
