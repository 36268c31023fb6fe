/* fuzz_pdf.c — libFuzzer: the weekly report's PDF (edition_pdf.c's edition_pdf, through text.c's
 * Pango) from an edition whose texts are any bytes: the title, the site, the date, the week's
 * paragraph, the at-risk list's heading and its none, two KPIs' names and figures, up to ten
 * customers' names, ids, segments, values, dates and open tickets, a bar chart's title and up to
 * three of its categories (pieces of the input cut at NULs). The first byte says how many
 * customers and categories, the KPIs' tones, and whether the pieces are taken as they are or
 * made UTF-8 first (a byte that is not: U+FFFD), as ingest and the config make the real ones.
 * Each goes in its field as edition.c puts it there: cut to the field's size between two
 * characters, "…" after; a customer's name and id blanked first (text_shown), the title closed
 * (esc_bidi), a category cut as chart_set.c's chart_label cuts it.
 *
 * Checked: the PDF is one (%PDF- ... %%EOF), of a size bounded by the input's, made in bounded
 * time; every text drawn or measured (text_show, text_measure: linked with --wrap) is as their
 * contract says, no control character (C0, C1, DEL) nor U+2028 or U+2029, and UTF-8 where the
 * edition's texts all are; where they are, the PDF is made (a text Cairo refuses leaves it cut:
 * edition_pdf fails). The fonts are found once, before the first run. */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistr.h>

#include "c360.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
double __real_text_show(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text);
double __wrap_text_show(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text);
double __real_text_measure(cairo_t *cr, double size, bool bold, const char *text);
double __wrap_text_measure(cairo_t *cr, double size, bool bold, const char *text);

enum { NCAT = 3, SECONDS_MAX = 20 };

/* LeakSanitizer's hook: tests/lsan.supp's, fontconfig's caches, which it never frees. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static bool all_utf8;	/* the edition's texts are all UTF-8: so must every text drawn be */

/* A text as text_show takes it: no control nor line separator, UTF-8 if the edition's is. */
static void text_check(const char *s)
{
	size_t n = strlen(s);
	if (all_utf8 && u8_check((const uint8_t *)s, n))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && d >= 0x80 && d < 0xa0))
			abort();
		if (c == 0xe2 && d == 0x80 && i + 2 < n && ((unsigned char)s[i + 2] & 0xfe) == 0xa8)
			abort();
	}
}

double __wrap_text_show(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text)
{
	text_check(text);
	return __real_text_show(cr, x, y, size, bold, align, text);
}

double __wrap_text_measure(cairo_t *cr, double size, bool bold, const char *text)
{
	text_check(text);
	return __real_text_measure(cr, size, bold, text);
}

static bool raw;	/* the input's bytes as they are, else made UTF-8 as ingest makes them */

static void piece(Buf *b, const uint8_t **at, const uint8_t *end)
{
	const uint8_t *nul = memchr(*at, 0, (size_t)(end - *at)), *stop = nul ? nul : end;
	b->len = 0;
	for (const uint8_t *p = *at; p < stop;) {
		ucs4_t u;
		int k = u8_mbtoucr(&u, p, (size_t)(stop - p));
		if (k > 0 || raw) {
			buf_put(b, p, k > 0 ? (size_t)k : 1);
			p += k > 0 ? k : 1;
		} else {
			buf_puts(b, "\xef\xbf\xbd");	/* U+FFFD for a byte that is not UTF-8 */
			p++;
		}
	}
	buf_cstr(b);
	all_utf8 = all_utf8 && !u8_check((const uint8_t *)b->p, b->len);
	*at = nul ? nul + 1 : end;
}

/* The next piece into out[size] as edition.c's text_into puts it (shown: text_shown first). */
static void field(char *out, size_t size, const uint8_t **at, const uint8_t *end, bool shown)
{
	static const char more[] = "…";
	Buf b = {0}, t = {0};
	piece(&b, at, end);
	if (shown)
		text_shown(&t, b.p, b.len);
	const Buf *s = shown ? &t : &b;
	const char *p = s->p ? s->p : "";
	size_t keep = s->len < size ? s->len : utf8_cut(p, s->len, size - sizeof more);
	memcpy(out, p, keep);
	if (keep < s->len)
		memcpy(out + keep, more, sizeof more);
	else
		out[keep] = '\0';
	buf_free(&b), buf_free(&t);
}

/* A category as chart_set.c's chart_label makes it: a table's cell's length at most, "…" after. */
static char *category(const uint8_t **at, const uint8_t *end, const Config *cfg)
{
	Buf b = {0}, out = {0};
	piece(&b, at, end);
	size_t max = cfg->field_max < CELL_MAX ? cfg->field_max : CELL_MAX, kept = utf8_cut(b.p, b.len, max);
	buf_put(&out, b.p, kept);
	buf_puts(&out, kept < b.len ? "…" : "");
	buf_free(&b);
	return (char *)buf_cstr(&out);
}

static Config cfg;
static Gold g;

/* libFuzzer's -timeout made SECONDS_MAX unless given: a run that never ends (a paragraph that
 * no longer moves on past a word too wide) is a crash in seconds, not after its 20 minutes. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (int i = 1; i < *argc; i++)
		if (strncmp((*argv)[i], "-timeout=", 9) == 0)
			return 0;
	static char timeout[32], **args;
	snprintf(timeout, sizeof timeout, "-timeout=%d", SECONDS_MAX);
	args = xcalloc((size_t)*argc + 2, sizeof *args);
	memcpy(args, *argv, (size_t)*argc * sizeof *args);
	args[(*argc)++] = timeout;
	*argv = args;
	return 0;
}

static void context_make(void)
{
	config_defaults(&cfg);
	g.as_of = date_days(2024, 3, 11);
	Buf err = {0};
	if (!text_fonts_load(&err))
		abort();
	buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool made;
	if (!made)
		context_make(), made = true;
	if (!size)
		return 0;
	const uint8_t *at = data + 1, *end = data + size;
	size_t ncat = data[0] & 3, nrisk = (data[0] >> 2) % (EDITION_AT_RISK + 1);
	raw = data[0] >> 7;
	all_utf8 = true;
	Edition e = {.g = &g, .cfg = &cfg};
	fmt_init(&e.fmt, &cfg);
	Buf b = {0}, closed = {0};
	piece(&b, &at, end);	/* the title: config.c has no control in it; edition.c closes it */
	esc_bidi(&closed, b.p, b.len);
	e.title = xstrdup(buf_cstr(&closed));
	piece(&b, &at, end);
	e.site = b.len ? xstrdup(b.p) : NULL;
	field(e.as_of, sizeof e.as_of, &at, end, false);
	piece(&b, &at, end);
	buf_put(&e.summary, b.p, b.len);
	field(e.at_risk_title, sizeof e.at_risk_title, &at, end, false);
	field(e.at_risk_none, sizeof e.at_risk_none, &at, end, false);
	static char names[2][96];
	for (int k = 0; k < K_COUNT; k++) {	/* two KPIs' texts given, the others' as c360 writes them */
		EditionKpi *r = &e.kpi[k];
		r->tone = (int)((data[0] >> 6 & 1) + (unsigned)k) % 3 - 1;
		r->name = kpi_defs[k].title;
		snprintf(r->now, sizeof r->now, "$1,234.56");
		snprintf(r->before, sizeof r->before, "$1,200.00");
		snprintf(r->change, sizeof r->change, "+$34.56");
		snprintf(r->change_pct, sizeof r->change_pct, "+2.88%%");
		if (k >= 2)
			continue;
		field(names[k], sizeof names[k], &at, end, false);
		r->name = names[k];
		field(r->now, sizeof r->now, &at, end, false);
		field(r->before, sizeof r->before, &at, end, false);
		field(r->change, sizeof r->change, &at, end, false);
		field(r->change_pct, sizeof r->change_pct, &at, end, false);
	}
	for (size_t i = 0; i < nrisk; i++) {
		EditionCustomer *r = &e.at_risk[e.nat_risk++];
		field(r->name, sizeof r->name, &at, end, true);
		field(r->id, sizeof r->id, &at, end, true);
		field(r->segment, sizeof r->segment, &at, end, false);
		field(r->value, sizeof r->value, &at, end, false);
		field(r->last_order, sizeof r->last_order, &at, end, false);
		field(r->open, sizeof r->open, &at, end, false);
	}
	Buf title = {0};
	piece(&title, &at, end);
	char *cat[NCAT] = {NULL};
	static const int64_t v[NCAT] = {30, 20, 10};
	for (size_t i = 0; i < ncat; i++)
		cat[i] = category(&at, end, &cfg);
	Chart c = {.id = "fuzz", .title = buf_cstr(&title), .cat_title = "Category", .axis_title = "Count",
		   .kind = CHART_BARS, .format = KV_COUNT, .fmt = &e.fmt, .ncat = ncat, .cat = (const char *const *)cat,
		   .nseries = 1, .series = {{"Count", v, false, false}}};
	ReportChart rc = {.key = "chart_fuzz", .chart = c, .dashboard = true};
	rc.plot = chart_layout(&rc.chart, CHART_WIDE);
	rc.narrow = chart_layout(&rc.chart, CHART_NARROW);
	ChartSet charts = {.c = &rc, .n = 1};
	e.charts = &charts;

	Buf pdf = {0}, err = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool made_pdf = edition_pdf(&e, &pdf, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (t1.tv_sec - t0.tv_sec > SECONDS_MAX)
		abort();	/* bounded time: the longest text is cut by halving, not a character at a time */
	if (all_utf8 && !made_pdf)
		abort();	/* UTF-8 texts all drawn */
	if (!made_pdf && !strstr(buf_cstr(&err), "cannot draw the PDF"))
		abort();
	if (made_pdf && (pdf.len < 12 || memcmp(pdf.p, "%PDF-", 5) != 0 || !memmem(pdf.p + pdf.len - 7, 7, "%%EOF", 5)))
		abort();	/* a PDF */
	if (pdf.len > ((size_t)1 << 20) + 400 * size)
		abort();	/* of a size bounded by the input's */

	chart_plot_free(rc.plot), chart_plot_free(rc.narrow);
	for (size_t i = 0; i < ncat; i++)
		free(cat[i]);
	free(e.title), free(e.site);
	buf_free(&e.summary), buf_free(&b), buf_free(&closed), buf_free(&title), buf_free(&pdf), buf_free(&err);
	return 0;
}
