/* test_date.c — calendar arithmetic: day numbers, weekdays, ISO weeks. */
#include "harness.h"

static void test_round_trip(void **state)
{
	(void)state;
	int64_t expect = date_days(1900, 1, 1);
	for (int y = 1900; y <= 2100; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				if (!date_valid(y, m, d))
					continue;
				int64_t n = date_days(y, m, d);
				CHECK(n == expect, "%04d-%02d-%02d is day %lld, want %lld", y, m, d, (long long)n,
				      (long long)expect);
				int yy, mm, dd;
				date_civil(n, &yy, &mm, &dd);
				CHECK(yy == y && mm == m && dd == d, "%04d-%02d-%02d round trip", y, m, d);
				expect++;
			}
	CHECK(date_days(1970, 1, 1) == 0 && date_days(2000, 3, 1) == 11017, "known day numbers");
}

static void test_validity(void **state)
{
	(void)state;
	CHECK(date_valid(2000, 2, 29) && date_valid(2024, 2, 29), "leap years");
	CHECK(!date_valid(1900, 2, 29) && !date_valid(2100, 2, 29) && !date_valid(2023, 2, 29), "not leap years");
	CHECK(!date_valid(2022, 4, 31) && !date_valid(2022, 13, 1) && !date_valid(2022, 0, 1) && !date_valid(2022, 1, 0),
	      "impossible days");
	CHECK(!date_valid(1899, 12, 31) && !date_valid(2101, 1, 1), "years 1900-2100");
}

static void test_iso_weeks(void **state)
{
	(void)state;
	static const struct { int y, m, d, wd, iy, iw; } cases[] = {
		{1970, 1, 1, 4, 1970, 1}, {2022, 7, 18, 1, 2022, 29}, {2022, 7, 17, 7, 2022, 28},
		{2021, 1, 3, 7, 2020, 53}, {2021, 1, 4, 1, 2021, 1}, {2019, 12, 30, 1, 2020, 1},
		{2024, 12, 29, 7, 2024, 52}, {2024, 12, 30, 1, 2025, 1}, {2026, 12, 31, 4, 2026, 53},
		{1969, 12, 31, 3, 1970, 1}, {1900, 1, 1, 1, 1900, 1},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t n = date_days(cases[i].y, cases[i].m, cases[i].d);
		int iy, iw;
		date_iso_week(n, &iy, &iw);
		CHECK(date_weekday(n) == cases[i].wd, "%04d-%02d-%02d weekday %d", cases[i].y, cases[i].m, cases[i].d,
		      date_weekday(n));
		CHECK(iy == cases[i].iy && iw == cases[i].iw, "%04d-%02d-%02d is %d-W%02d", cases[i].y, cases[i].m,
		      cases[i].d, iy, iw);
	}
}

static void test_formatting(void **state)
{
	(void)state;
	Buf b = {0};
	buf_moment(&b, date_days(2022, 7, 18) * SECS_PER_DAY + 3661);
	buf_putc(&b, ' ');
	buf_iso_week(&b, date_days(2021, 1, 3));
	buf_putc(&b, ' ');
	buf_moment(&b, -1);
	CHECK(strcmp(buf_cstr(&b), "2022-07-18 01:01:01 2020-W53 1969-12-31 23:59:59") == 0, "%s", buf_cstr(&b));
	b.len = 0;	/* in words: the day without a leading zero, the year only when asked */
	buf_date_words(&b, date_days(2024, 3, 4), true);
	buf_putc(&b, '|');
	buf_date_words(&b, date_days(2023, 12, 31), false);
	buf_putc(&b, '|');
	buf_date_words(&b, date_days(987, 1, 10), true);
	CHECK(strcmp(buf_cstr(&b), "Mar 4, 2024|Dec 31|Jan 10, 987") == 0, "%s", buf_cstr(&b));
	int64_t d;
	CHECK(date_parse_iso("2022-07-26", &d) && d == date_days(2022, 7, 26), "--as-of");
	CHECK(!date_parse_iso("2022-7-26", &d) && !date_parse_iso("2022-02-30", &d) && !date_parse_iso("26/07/2022", &d),
	      "--as-of is strict");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip), cmocka_unit_test(test_validity),
		cmocka_unit_test(test_iso_weeks), cmocka_unit_test(test_formatting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
