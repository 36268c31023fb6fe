/* test_format.c — the one formatter: grouping, money, percentages, changes, chart labels and
 * their half-up rounding, the configured separator and currency, and the plain CSV format. */
#include "harness.h"

#include <unistd.h>

static const NumFormat comma = {",", ""}, euro = {".", "€"}, code = {" ", "EUR"};

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
		{"money", fmt_money, &comma, 203265, "2,032.65"}, {"money", fmt_money, &euro, 203265, "€2.032.65"},
		{"money", fmt_money, &euro, -1500, "-€15.00"}, {"money", fmt_money, &code, 123456789, "EUR 1 234 567.89"},
		{"money", fmt_money, &comma, INT64_MIN, "-92,233,720,368,547,758.08"},
		{"pct", fmt_pct, &comma, 5333, "53.33%"}, {"pct", fmt_pct, &comma, 0, "0.00%"},
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

/* Chart labels round half away from zero, never to even: 12.5k is 13k, 1.25M is 1.3M. */
static void test_chart_labels_round_half_up(void **state)
{
	(void)state;
	static const struct { double v; int kind; const char *want; } cases[] = {
		{0, KV_COUNT, "0"}, {950, KV_COUNT, "950"}, {2500, KV_MONEY, "2,500"},
		{12345, KV_COUNT, "12k"}, {12500, KV_COUNT, "13k"}, {11500, KV_COUNT, "12k"},
		{1250000, KV_COUNT, "1.3M"}, {1350000, KV_COUNT, "1.4M"}, {-1250000, KV_COUNT, "-1.3M"},
		{2.5, KV_MONEY, "2.50"}, {0.125, KV_MONEY, "0.13"}, {40, KV_PCT, "40%"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		fmt_chart(&b, &comma, cases[i].v, cases[i].kind);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "%g: \"%s\", want \"%s\"", cases[i].v, buf_cstr(&b),
		      cases[i].want);
		buf_free(&b);
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_money), cmocka_unit_test(test_figures_and_changes),
		cmocka_unit_test(test_chart_labels_round_half_up), cmocka_unit_test(test_config_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
