/* format.c — the one place figures become text, for every output: counts, money, percentages,
 * changes and chart labels, with the configured thousands separator and currency, or plain
 * for the CSV files. Independent of the locale. */
#include "c360.h"

#include <math.h>

const NumFormat fmt_plain = {"", ""};

void fmt_init(NumFormat *f, const Config *cfg)
{
	f->thousands = cfg->thousands_separator ? cfg->thousands_separator : ",";
	f->currency = cfg->currency ? cfg->currency : "";
}

static void put_grouped(Buf *b, const NumFormat *f, uint64_t u)
{
	if (u < 1000 || (!*f->thousands && u <= INT64_MAX)) {
		buf_int(b, (int64_t)u);
		return;
	}
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
	put_grouped(b, f, u / 100);
	char frac[3] = {'.', (char)('0' + u / 10 % 10), (char)('0' + u % 10)};
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

/* v rounded half away from zero to a multiple of 1/scale, as that multiple. */
static int64_t round_scaled(double v, double scale)
{
	return (int64_t)llround(v * scale);
}

void fmt_chart(Buf *b, const NumFormat *f, double v, int kind)
{
	double a = fabs(v);
	if (a >= 1e6) {		/* 1.2M */
		int64_t tenths = round_scaled(v, 1e-5);
		fmt_int(b, f, tenths / 10);
		buf_printf(b, ".%dM", (int)(magnitude(tenths) % 10));
	} else if (a >= 1e4) {	/* 12k */
		fmt_int(b, f, round_scaled(v, 1e-3));
		buf_putc(b, 'k');
	} else if (kind == KV_COUNT || a >= 100 || v == floor(v)) {
		fmt_int(b, f, round_scaled(v, 1));
	} else {
		fmt_hundredths(b, f, round_scaled(v, 100));
	}
	if (kind == KV_PCT)
		buf_putc(b, '%');
}
