/* test_format.c — the one formatter: grouping, money, percentages, changes, chart labels and
 * their half-up rounding, the configured separator and currency, and the plain CSV format. */
#include "harness.h"

#include <ctype.h>

#include <unistd.h>

static const NumFormat comma = {",", '.', "", false}, euro = {".", ',', "€", false}, code = {" ", '.', "EUR", false},
		       lakh = {",", '.', "₹", true}, narrow = {"\u202f", '.', "", false};

typedef void (*FmtFn)(Buf *b, const NumFormat *f, int64_t v);

static void check(const char *what, FmtFn fn, const NumFormat *f, int64_t v, const char *want)
{
	Buf b = {0};
	fn(&b, f, v);
	CHECK(strcmp(buf_cstr(&b), want) == 0, "%s(%lld) = \"%s\", want \"%s\"", what, (long long)v, buf_cstr(&b), want);
	buf_free(&b);
}

static void test_numbers_and_money(void **state)
{
	(void)state;
	static const struct { const char *what; FmtFn fn; const NumFormat *f; int64_t v; const char *want; } cases[] = {
		{"int", fmt_int, &comma, 0, "0"}, {"int", fmt_int, &comma, 999, "999"}, {"int", fmt_int, &comma, 1000, "1,000"},
		{"int", fmt_int, &comma, -1234567, "-1,234,567"}, {"int", fmt_int, &fmt_plain, 1234567, "1234567"},
		{"int", fmt_int, &code, 1234567, "1 234 567"},
		{"int", fmt_int, &comma, INT64_MIN, "-9,223,372,036,854,775,808"},
		{"hundredths", fmt_hundredths, &comma, 5, "0.05"}, {"hundredths", fmt_hundredths, &comma, -5, "-0.05"},
		{"hundredths", fmt_hundredths, &comma, 203265, "2,032.65"},
		{"hundredths", fmt_hundredths, &fmt_plain, 203265, "2032.65"},
		{"money", fmt_money, &comma, 203265, "2,032.65"}, {"money", fmt_money, &euro, 203265, "€2.032,65"},
		{"money", fmt_money, &euro, -1500, "-€15,00"}, {"money", fmt_money, &code, 123456789, "EUR 1 234 567.89"},
		{"money", fmt_money, &comma, INT64_MIN, "-92,233,720,368,547,758.08"},
		{"pct", fmt_pct, &comma, 5333, "53.33%"}, {"pct", fmt_pct, &comma, 0, "0.00%"},
		{"pct", fmt_pct, &euro, 5333, "53,33%"}, {"hundredths", fmt_hundredths, &euro, -123456, "-1.234,56"},
		/* below 1000, written by format.c itself: one, two and three digits, a zero inside */
		{"int", fmt_int, &comma, 7, "7"}, {"int", fmt_int, &comma, 40, "40"}, {"int", fmt_int, &comma, 105, "105"},
		{"int", fmt_int, &fmt_plain, -105, "-105"}, {"money", fmt_money, &comma, 10507, "105.07"},
		{"money", fmt_money, &euro, 4009, "€40,09"}, {"money", fmt_money, &comma, 99999, "999.99"},
		{"money", fmt_money, &comma, 100000, "1,000.00"}, {"hundredths", fmt_hundredths, &comma, 90, "0.90"},
		/* lakh grouping: the last three digits, then twos (CLDR's #,##,##0.00 for India) */
		{"int", fmt_int, &lakh, 999, "999"}, {"int", fmt_int, &lakh, 1000, "1,000"},
		{"int", fmt_int, &lakh, 100000, "1,00,000"}, {"int", fmt_int, &lakh, 123456, "1,23,456"},
		{"int", fmt_int, &lakh, INT64_MIN, "-92,23,37,20,36,85,47,75,808"},
		{"money", fmt_money, &lakh, 1234567800, "₹1,23,45,678.00"}, {"money", fmt_money, &lakh, -99999, "-₹999.99"},
		/* 1,000 to 999,999, written by format.c itself: a separator of none, one or more bytes, a
		 * zero in the last three, the edges, lakh below 1,00,000 */
		{"int", fmt_int, &fmt_plain, 1005, "1005"}, {"int", fmt_int, &fmt_plain, 999999, "999999"},
		{"int", fmt_int, &fmt_plain, 1000000, "1000000"}, {"int", fmt_int, &comma, 1005, "1,005"},
		{"int", fmt_int, &comma, 10050, "10,050"}, {"int", fmt_int, &comma, 999999, "999,999"},
		{"int", fmt_int, &comma, 1000000, "1,000,000"}, {"int", fmt_int, &comma, -100000, "-100,000"},
		{"int", fmt_int, &narrow, 12345, "12\u202f345"}, {"int", fmt_int, &narrow, 1234567, "1\u202f234\u202f567"},
		{"int", fmt_int, &lakh, 99999, "99,999"}, {"int", fmt_int, &lakh, 999999, "9,99,999"},
		{"money", fmt_money, &euro, 99999999, "€999.999,99"}, {"money", fmt_money, &code, 100000, "EUR 1 000.00"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check(cases[i].what, cases[i].fn, cases[i].f, cases[i].v, cases[i].want);
}

static void test_figures_and_changes(void **state)
{
	(void)state;
	static const struct { bool change; int kind; int64_t v; const char *want; } cases[] = {
		{false, KV_COUNT, 1234, "1,234"}, {false, KV_MONEY, 18479, "184.79"}, {false, KV_PCT, 3636, "36.36%"},
		{false, KV_MONEY, KPI_NULL, "–"}, {false, KV_PCT, KPI_NULL, "–"},
		{true, KV_COUNT, 8, "+8"}, {true, KV_COUNT, -2, "-2"}, {true, KV_COUNT, 0, "0"},
		{true, KV_MONEY, 166479, "+1,664.79"}, {true, KV_MONEY, -100, "-1.00"},
		{true, KV_PCT, 333, "+3.33 pts"}, {true, KV_PCT, -1136, "-11.36 pts"}, {true, KV_PCT, KPI_NULL, "–"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		(cases[i].change ? fmt_change : fmt_figure)(&b, &comma, cases[i].kind, cases[i].v);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "case %zu: \"%s\", want \"%s\"", i, buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

/* Chart axes (a chart's own figures are fmt_figure's): every tick in one unit and the decimals
 * its step needs (never 5,000 beside 10k); half away from zero, never to even. */
static void test_chart_numbers(void **state)
{
	(void)state;
	static const struct { double top, step; int kind; const char *want; } axes[] = {
		{15000, 5000, KV_COUNT, "0|5 k|10 k|15 k"},
		{3000, 1000, KV_COUNT, "0|1,000|2,000|3,000"},
		{2500000, 500000, KV_MONEY, "0|0.5 M|1.0 M|1.5 M|2.0 M|2.5 M"},
		{150e9, 50e9, KV_MONEY, "0|50 bn|100 bn|150 bn"},	/* not 150,000 M */
		{12000, 2000, KV_MONEY, "0|2 k|4 k|6 k|8 k|10 k|12 k"},
		{1, 0.5, KV_MONEY, "0|0.5|1.0"},
		{0.2, 0.05, KV_MONEY, "0|0.05|0.10|0.15|0.20"},
		{80, 20, KV_PCT, "0|20%|40%|60%|80%"},
	};
	for (size_t i = 0; i < N_ELEMS(axes); i++) {
		AxisFormat a = fmt_axis_for(axes[i].top, axes[i].step, axes[i].kind);
		Buf b = {0};
		for (int k = 0; k * axes[i].step <= axes[i].top + axes[i].step / 2; k++) {
			buf_puts(&b, k ? "|" : "");
			fmt_axis(&b, &comma, &a, k * axes[i].step);
		}
		CHECK(strcmp(buf_cstr(&b), axes[i].want) == 0, "axis to %g: \"%s\", want \"%s\"", axes[i].top, buf_cstr(&b),
		      axes[i].want);
		buf_free(&b);
	}
	static const struct { double v; AxisFormat a; const char *want; } rounding[] = {
		{12500, {1e3, 0, " k"}, "13 k"}, {11500, {1e3, 0, " k"}, "12 k"}, {-1250000, {1e6, 1, " M"}, "-1.3 M"},
		{1350000, {1e6, 1, " M"}, "1.4 M"}, {0.15, {1, 2, ""}, "0,15"}, {2500000, {1e6, 1, " M"}, "2,5 M"},
	};
	for (size_t i = 0; i < N_ELEMS(rounding); i++) {
		Buf b = {0};
		fmt_axis(&b, i < 4 ? &comma : &euro, &rounding[i].a, rounding[i].v);	/* then a decimal comma */
		CHECK(strcmp(buf_cstr(&b), rounding[i].want) == 0, "%g: \"%s\", want \"%s\"", rounding[i].v, buf_cstr(&b),
		      rounding[i].want);
		buf_free(&b);
	}
}

/* A trend chart's labels stay inside the chart at either width: under a year of weeks, the last
 * week's "Dec 23" and "to date" (7 characters, 11 px DejaVu at ~0.6 em each: ~23 px either side of
 * the week's middle, 14 px from the edge without a right-hand axis) end at the edge. */
static void test_chart_week_labels(void **state)
{
	(void)state;
	int64_t week[52], v[52];
	const char *cat[52];
	for (int i = 0; i < 52; i++)
		week[i] = date_days(2024, 1, 1) + 7 * i, v[i] = i, cat[i] = "w";
	Chart c = {.id = "t", .title = "t", .desc = "d", .cat_title = "Week", .axis_title = "Sessions",
		   .kind = CHART_TREND, .format = KV_COUNT, .fmt = &comma, .ncat = 52, .cat = cat, .week = week,
		   .partial_last = true, .nseries = 1,
		   .series = {{.name = "Sessions", .v = v, .line = true}}};
	static const double widths[] = {CHART_NARROW, CHART_WIDE};
	for (size_t k = 0; k < N_ELEMS(widths); k++) {
		ChartPlot *wide = chart_layout(&c, widths[k]);
		Buf b = {0};
		chart_svg(&c, wide, wide, &b);
		bool seen = false;
		for (const char *t = buf_cstr(&b); (t = strstr(t, "<text ")); t++) {
			double x = 0;
			char anchor[8] = "", text[32] = "";
			const char *at = strstr(t, " x=\""), *an = strstr(t, "text-anchor=\"");
			CHECK(at && an && sscanf(at, " x=\"%lf", &x) == 1 && sscanf(an, "text-anchor=\"%7[a-z]", anchor) == 1,
			      "a text without its place");
			sscanf(strchr(t, '>') + 1, "%31[^<]", text);
			double w = (double)strlen(text) * 11 * 0.6, right = !strcmp(anchor, "end") ? x
									     : !strcmp(anchor, "middle") ? x + w / 2 : x + w;
			CHECK(right <= widths[k] + 0.05, "at %g wide, \"%s\" ends at %.1f", widths[k], text, right);
			seen |= !strcmp(text, "to date");
		}
		CHECK(seen, "at %g wide, no \"to date\" under the last week", widths[k]);
		buf_free(&b);
		chart_plot_free(wide);
	}
}

/* A trend chart's two axes share their grid: each right-hand tick stands on a left-hand one, for
 * maxima whose own nice steps would differ (13 orders against 15,935.10 of revenue, 7 against 95). */
static void test_chart_axes_shared(void **state)
{
	(void)state;
	static const struct { int64_t left, right; } cases[] = {{13, 1593510}, {7, 9500}, {1, 100000000}, {250, 1}};
	for (size_t k = 0; k < N_ELEMS(cases); k++) {
		int64_t week[4], l[4], r[4];
		const char *cat[4] = {"a", "b", "c", "d"};
		for (int i = 0; i < 4; i++)
			week[i] = date_days(2024, 1, 1) + 7 * i, l[i] = cases[k].left * (i + 1) / 4, r[i] = cases[k].right * (4 - i) / 4;
		Chart c = {.id = "t", .title = "t", .desc = "d", .cat_title = "Week", .axis_title = "Orders",
			   .axis_title_right = "Revenue", .kind = CHART_TREND, .format = KV_COUNT, .format_right = KV_MONEY,
			   .fmt = &comma, .ncat = 4, .cat = cat, .week = week, .nseries = 2,
			   .series = {{.name = "Orders", .v = l}, {.name = "Revenue", .v = r, .line = true, .right = true}}};
		ChartPlot *p = chart_layout(&c, CHART_WIDE);
		Buf b = {0};
		chart_svg(&c, p, p, &b);	/* the plot twice (wide, narrow): each half as the other */
		double ly[16], ry[16], x, y;
		int nl = 0, nr = 0;
		char anchor[8];
		for (const char *t = buf_cstr(&b); (t = strstr(t, "<text class=\"label\" x=\"")); t++)
			if (sscanf(t, "<text class=\"label\" x=\"%lf\" y=\"%lf\" text-anchor=\"%7[a-z]\"", &x, &y, anchor) == 3 &&
			    isdigit((unsigned char)strchr(t, '>')[1])) {
				if (!strcmp(anchor, "end") && x < 60 && nl < 16)
					ly[nl++] = y;
				else if (!strcmp(anchor, "start") && x > CHART_WIDE - 60 && nr < 16)
					ry[nr++] = y;
			}
		CHECK(nl >= 3 && nl == nr, "case %zu: %d left ticks, %d right", k, nl, nr);
		for (int i = 0; i < nl && i < nr; i++)
			CHECK(ly[i] == ry[i], "case %zu: tick %d at y %.1f left, %.1f right", k, i, ly[i], ry[i]);
		buf_free(&b);
		chart_plot_free(p);
	}
}

/* A stacked bar's part too small to see is drawn 3 px wide (1 of 8,473 rows quarantined shows),
 * taken from the bar's widest part: each bar is as long as its total says (5 rows, 2 of them
 * quarantined, shorter than 100 rows), and the longest ends inside the chart with its total. */
static void test_chart_stacked_min(void **state)
{
	(void)state;
	static const int64_t kept[] = {300, 8449, 3, 100}, out[] = {1, 24, 2, 0}, total[] = {301, 8473, 5, 100};
	static const char *const cat[] = {"customers", "web_activities", "few", "tickets"};
	Chart c = {.id = "q", .title = "q", .desc = "d", .cat_title = "Source", .kind = CHART_BARS, .format = KV_COUNT,
		   .fmt = &comma, .ncat = 4, .cat = cat, .stacked = true, .nseries = 2,
		   .series = {{.name = "In silver", .v = kept}, {.name = "Quarantined", .v = out}}};
	static const double widths[] = {CHART_NARROW, CHART_WIDE};
	for (size_t k = 0; k < N_ELEMS(widths); k++) {
		ChartPlot *p = chart_layout(&c, widths[k]);
		Buf b = {0};
		chart_svg(&c, p, p, &b);	/* the plot twice (wide, narrow): the first is read */
		double len[4] = {0}, row_y[4], x, y, w;
		int rows = 0, parts = 0, series;
		for (const char *r = buf_cstr(&b); rows <= 4 && (r = strstr(r, "<rect class=\"s")); r++) {
			if (sscanf(r, "<rect class=\"s%d\" x=\"%lf\" y=\"%lf\" width=\"%lf\"", &series, &x, &y, &w) != 4 || y < 20)
				continue;	/* the legend's swatches are at the top */
			if (!rows || y != row_y[rows - 1]) {
				if (rows == 4)
					break;	/* the second plot */
				row_y[rows++] = y;
			}
			len[rows - 1] += w;
			if (series == 1) {
				parts++;
				CHECK(w >= 3 || total[rows - 1] < 10, "at %g wide: a quarantined part %.1f wide", widths[k], w);
			}
			CHECK(x + w + 6 + 5 * 11 * 0.6 <= widths[k] + 0.05, "at %g wide: a bar ends at %.1f", widths[k], x + w);
		}
		CHECK(rows == 4 && parts == 3, "at %g wide: %d bars, %d quarantined parts", widths[k], rows, parts);
		for (int i = 0; i < rows; i++)
			for (int j = 0; j < rows; j++)
				CHECK(total[i] >= total[j] || len[i] < len[j], "at %g wide: %s (%lld) %.1f long, %s (%lld) %.1f",
				      widths[k], cat[i], (long long)total[i], len[i], cat[j], (long long)total[j], len[j]);
		buf_free(&b);
		chart_plot_free(p);
	}
}

/* A chart in words (the PDF's /Alt, the e-mail picture's alt): each bar's category and figure,
 * each series named when there are more than one; a chart with no data says so, as it draws it. */
static void test_chart_words(void **state)
{
	(void)state;
	static const int64_t one[] = {123, 74}, kept[] = {25, 8449}, out[] = {3, 24};
	static const char *const seg[] = {"Lost", "Prospects"}, *const src[] = {"orders", "web_activities"};
	Chart bars = {.id = "s", .title = "Customers by segment", .desc = "d", .kind = CHART_BARS, .format = KV_COUNT,
		      .fmt = &comma, .ncat = 2, .cat = seg, .nseries = 1, .series = {{.name = "Customers", .v = one}}};
	Chart stacked = {.id = "q", .title = "Rows", .desc = "d", .kind = CHART_BARS, .format = KV_COUNT, .fmt = &comma,
			 .ncat = 2, .cat = src, .stacked = true, .nseries = 2,
			 .series = {{.name = "In silver", .v = kept}, {.name = "Quarantined", .v = out}}};
	Chart none = bars, trend = {.id = "t", .title = "Sessions per week", .desc = "Lines.", .format = KV_COUNT,
				    .fmt = &comma, .nseries = 1, .series = {{.name = "Sessions", .v = one}}};
	none.ncat = 0;
	const struct { const Chart *c; const char *want; } cases[] = {
		{&bars, "Customers by segment: Lost 123; Prospects 74."},
		{&stacked, "Rows: orders In silver 25, Quarantined 3; web_activities In silver 8,449, Quarantined 24."},
		{&none, "Customers by segment: no data."},
		{&trend, "Sessions per week: no data."},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		chart_words(cases[i].c, &b);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "got [%s], want [%s]", buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

/* Short figures for prose say so by their unit; changes in % carry their sign. */
static void test_compact_and_change_pct(void **state)
{
	(void)state;
	static const NumFormat rupee = {",", '.', "₹", false};
	static const struct { const NumFormat *f; int kind; int64_t v; const char *want; } cases[] = {
		{&comma, KV_COUNT, 9999, "9,999"}, {&comma, KV_COUNT, 10000, "10.0 k"}, {&comma, KV_COUNT, 20867, "20.9 k"},
		{&comma, KV_COUNT, 999949, "999.9 k"}, {&comma, KV_COUNT, 999950, "1.0 M"},
		{&comma, KV_COUNT, 56515011, "56.5 M"}, {&comma, KV_COUNT, 1234567890, "1.2 bn"},
		{&comma, KV_COUNT, -20867, "-20.9 k"}, {&rupee, KV_MONEY, 5651501102, "₹56.5 M"},
		{&rupee, KV_MONEY, 999999, "₹9,999.99"}, {&rupee, KV_MONEY, 1000000, "₹10.0 k"},
		{&rupee, KV_MONEY, -1000000, "-₹10.0 k"}, {&code, KV_MONEY, 5651501102, "EUR 56.5 M"},
		{&comma, KV_PCT, 5333, "53.33%"}, {&comma, KV_MONEY, KPI_NULL, "–"},
		{&euro, KV_MONEY, 5651501102, "€56,5 M"}, {&euro, KV_COUNT, 20867, "20,9 k"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		fmt_compact(&b, cases[i].f, cases[i].kind, cases[i].v);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "case %zu: \"%s\", want \"%s\"", i, buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
	check("change_pct", fmt_change_pct, &comma, 166, "+1.66%");
	check("change_pct", fmt_change_pct, &comma, -1, "-0.01%");
	check("change_pct", fmt_change_pct, &comma, 0, "0.00%");
	check("change_pct", fmt_change_pct, &comma, KPI_NULL, "–");
}

/* The configuration names the separator and the currency; bad ones are refused. */
static void test_config_keys(void **state)
{
	(void)state;
	static const struct { const char *text; bool ok; const char *sep, *cur; } cases[] = {
		{"thousands_separator = \" \"\ncurrency = €\n", true, " ", "€"},
		{"thousands_separator = '\ncurrency = EUR\n", true, "'", "EUR"},
		{"thousands_separator = \"\"\n", true, "", NULL},
		{"thousands_separator =\n", false, NULL, NULL},	/* no value may be empty: "" says none */
		{"thousands_separator = .\n", false, NULL, NULL},
		{"thousands_separator = 1\n", false, NULL, NULL},
		{"currency = US$ 1\n", false, NULL, NULL},
		{"currency = a very long currency\n", false, NULL, NULL},
		{"currency = \"\xc2\x9b\"\n", false, NULL, NULL},	/* C1's CSI: a control, in every figure */
		{"thousands_separator = \"\xc2\x85\"\n", false, NULL, NULL},
		{"thousands_separator = \"\xc2\xa0\"\n", true, "\xc2\xa0", NULL},	/* a no-break space is a character */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char path[] = "/tmp/c360-test-XXXXXX";
		int fd = mkstemp(path);
		CHECK(fd >= 0 && write(fd, cases[i].text, strlen(cases[i].text)) == (ssize_t)strlen(cases[i].text), "temp");
		close(fd);
		Config c;
		config_defaults(&c);
		Buf err = {0};
		bool ok = config_load(&c, path, &err);
		CHECK(ok == cases[i].ok, "case %zu: %s", i, buf_cstr(&err));
		if (ok && cases[i].sep)
			CHECK(strcmp(c.thousands_separator, cases[i].sep) == 0, "case %zu: separator", i);
		if (ok && cases[i].cur)
			CHECK(strcmp(c.currency, cases[i].cur) == 0, "case %zu: currency", i);
		NumFormat f;
		fmt_init(&f, &c);
		Buf b = {0};
		fmt_money(&b, &f, 123456);
		CHECK(!ok || i != 0 || strcmp(buf_cstr(&b), "€1 234.56") == 0, "case %zu: %s", i, buf_cstr(&b));
		buf_free(&b);
		buf_free(&err);
		config_free(&c);
		unlink(path);
	}
	Config c;
	config_defaults(&c);
	NumFormat f;
	fmt_init(&f, &c);
	CHECK(strcmp(f.thousands, ",") == 0 && strcmp(f.currency, "") == 0, "defaults: a comma, no currency");
}

/* buf_int, the plain integer of CSV cells and file names: every length, both signs, the ends,
 * each as printf writes it, after text already in the buffer. */
static void test_buf_int(void **state)
{
	(void)state;
	int64_t vs[100];
	size_t n = 0;
	vs[n++] = 0, vs[n++] = INT64_MAX, vs[n++] = INT64_MIN, vs[n++] = INT64_MIN + 1;
	for (int64_t p = 1; n + 6 <= N_ELEMS(vs) && p <= INT64_MAX / 10; p *= 10)
		vs[n++] = p, vs[n++] = p - 1, vs[n++] = -p, vs[n++] = -(p * 10 - 1), vs[n++] = p * 3 + 7;
	for (size_t i = 0; i < n; i++) {
		Buf b = {0};
		char want[32];
		buf_puts(&b, "x");
		buf_int(&b, vs[i]);
		snprintf(want, sizeof want, "x%lld", (long long)vs[i]);
		CHECK(strcmp(buf_cstr(&b), want) == 0, "buf_int(%lld) = \"%s\"", (long long)vs[i], buf_cstr(&b));
		buf_free(&b);
	}
}

/* The page's dates through the table of days are date.c's, hit or miss, at the edges of the
 * table (days 2048 apart share a slot), far from 1970 and around it. */
static void test_dates_through_the_day_table(void **state)
{
	(void)state;
	static const int64_t days[] = {0, -1, 1, 2048, -2048, 19783, 19783 + 2048, 19784, 2932896, 2999999,
				       3000000, -3000000, -719468, 47482, 47482, 0, 19783};
	for (size_t i = 0; i < N_ELEMS(days); i++) {
		int64_t d = days[i];
		Buf got = {0}, want = {0};
		fmt_date(&got, d), buf_date(&want, d);
		buf_putc(&got, '|'), buf_putc(&want, '|');
		fmt_date_words(&got, d), buf_date_words(&want, d, true);
		char g[DATE_TEXT_MAX], w[DATE_TEXT_MAX];
		for (int64_t secs = 13 * 3600 + 7 * 60 + 9; secs < SECS_PER_DAY; secs += secs < 86390 ? 997 : 1) {
			int64_t moment = d * SECS_PER_DAY + secs;	/* times through the day, its last seconds */
			for (int with_time = 0; with_time < 2; with_time++) {
				size_t gn = fmt_moment(g, moment, with_time), wn = date_format(w, moment, with_time);
				buf_putc(&got, '|'), buf_put(&got, g, gn);
				buf_putc(&want, '|'), buf_put(&want, w, wn);
			}
		}
		CHECK(strcmp(buf_cstr(&got), buf_cstr(&want)) == 0, "day %lld: \"%s\", want \"%s\"", (long long)d,
		      buf_cstr(&got), buf_cstr(&want));
		buf_free(&got), buf_free(&want);
	}
}

/* The table of 1900-2099's ISO days against date.c's formatter: every day of it and the days
 * on either side of its edges (the thread's table or date.c's own then), as fmt_date and as
 * fmt_moment at the day's first and last second, with and without the time. */
static void test_dates_of_the_table(void **state)
{
	(void)state;
	const int64_t first = -25567, end = 47482;	/* 1900-01-01, 2100-01-01 */
	for (int64_t d = first - 400; d < end + 400; d++) {
		Buf got = {0}, want = {0};
		fmt_date(&got, d), buf_date(&want, d);
		char g[DATE_TEXT_MAX], w[DATE_TEXT_MAX];
		for (int at = 0; at < 4; at++) {
			int64_t moment = d * SECS_PER_DAY + (at & 1 ? SECS_PER_DAY - 1 : 0);
			size_t gn = fmt_moment(g, moment, at >= 2), wn = date_format(w, moment, at >= 2);
			buf_putc(&got, '|'), buf_put(&got, g, gn);
			buf_putc(&want, '|'), buf_put(&want, w, wn);
		}
		CHECK(got.len == want.len && memcmp(got.p, want.p, got.len) == 0, "day %lld: \"%s\", want \"%s\"",
		      (long long)d, buf_cstr(&got), buf_cstr(&want));
		buf_free(&got), buf_free(&want);
	}
}

/* The charts' colours in PNG and PDF from a theme's CSS: the light :root's --s0..--s3, the last
 * one winning, #rgb and #rrggbb; @media's (dark, print), other selectors' and values of another
 * form (a warning at their line and column) leave them. */
static void test_chart_css_colours(void **state)
{
	(void)state;
	static const struct { const char *css; uint32_t want[4]; const char *warn; } cases[] = {
		{"", {0x0072b2, 0xb87400, 0x008a65, 0xb55d91}, ""},
		{":root { --s0: #c81e5a; --s2:#ABC }", {0xc81e5a, 0xb87400, 0xaabbcc, 0xb55d91}, ""},
		{":root{--s0:#111111}\n@media (prefers-color-scheme: dark) { :root { --s0: #222222 } }\n"
		 ":root { --s0: #333333 !important; /* brand */ --s3: #444444 /* pink */; }",
		 {0x333333, 0xb87400, 0x008a65, 0x444444}, ""},
		{"/* :root { --s0: #111 } */ .chart :root, a { --s0: #222 } html, :root { --s1: #333; }",
		 {0x0072b2, 0x333333, 0x008a65, 0xb55d91}, ""},
		{"@import \"x.css\";\n:root { --s01: #111; --s4: #222; content: \"}\"; --s2: #333 }\n",
		 {0x0072b2, 0xb87400, 0x333333, 0xb55d91}, ""},
		{":root {\n  --s0: #c81e5a;\n  --s1: var(--brand);\n  --s2: #12345;\n}",
		 {0xc81e5a, 0xb87400, 0x008a65, 0xb55d91},
		 "t.css:3:9: warning: --s1 is not written #rgb or #rrggbb: the PNG and PDF charts keep the colour set before "
		 "it, or c360's (the site's charts take it as it is)\n"
		 "t.css:4:9: warning: --s2 is not written #rgb or #rrggbb: the PNG and PDF charts keep the colour set before "
		 "it, or c360's (the site's charts take it as it is)\n"},
		{":root { --s0: #111; ", {0x111111, 0xb87400, 0x008a65, 0xb55d91}, ""},	/* cut short */
		{"@media print { :root { --s0: #111", {0x0072b2, 0xb87400, 0x008a65, 0xb55d91}, ""},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint32_t got[4];
		memcpy(got, chart_colours_default, sizeof got);
		Buf warn = {0};
		chart_css_colours(cases[i].css, strlen(cases[i].css), "t.css", got, &warn);
		CHECK(memcmp(got, cases[i].want, sizeof got) == 0, "case %zu: %06x %06x %06x %06x", i, got[0], got[1], got[2],
		      got[3]);
		CHECK(strcmp(buf_cstr(&warn), cases[i].warn) == 0, "case %zu: warned \"%s\"", i, buf_cstr(&warn));
		buf_free(&warn);
	}
	/* 100,000 colours not written so: the first ten said where, the rest counted (bounded output) */
	Buf css = {0}, warn = {0};
	for (int i = 0; i < 100000; i++)
		buf_puts(&css, i == 1 ? "\n :root{--s0:red}\n" : ":root{--s0:red}\n");
	uint32_t got[4];
	chart_css_colours(css.p, css.len, "t.css", got, &warn);
	size_t lines = 0;
	for (const char *p = buf_cstr(&warn); (p = strchr(p, '\n')); p++)
		lines++;
	CHECK(lines == 11, "%zu lines of warnings", lines);
	CHECK(strstr(buf_cstr(&warn), "t.css:1:12: warning: --s0 ") == buf_cstr(&warn), "the first warning's place");
	CHECK(strstr(buf_cstr(&warn), "\nt.css:3:13: warning: --s0 ") != NULL, "the second warning's place");
	CHECK(strstr(buf_cstr(&warn), "\nt.css:11:12: warning: --s0 ") != NULL, "the tenth warning's place");
	CHECK(strstr(buf_cstr(&warn), "\nt.css: warning: 99990 more colours not written #rgb or #rrggbb\n") != NULL,
	      "the count of the rest: %s", buf_cstr(&warn));
	buf_free(&css), buf_free(&warn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_money), cmocka_unit_test(test_figures_and_changes),
		cmocka_unit_test(test_chart_numbers), cmocka_unit_test(test_chart_week_labels),
		cmocka_unit_test(test_chart_stacked_min), cmocka_unit_test(test_chart_words), cmocka_unit_test(test_chart_axes_shared), cmocka_unit_test(test_compact_and_change_pct),
		cmocka_unit_test(test_config_keys), cmocka_unit_test(test_buf_int),
		cmocka_unit_test(test_dates_through_the_day_table), cmocka_unit_test(test_dates_of_the_table), cmocka_unit_test(test_chart_css_colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
