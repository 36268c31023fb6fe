/* test_edition.c — the week in one paragraph, written from the KPIs: which way each moved, by how
 * much (counts by so many, money in %, percentages in points), steady within the noise, from
 * nothing, and short figures where they are large. */
#include "harness.h"

static void test_summary(void **state)
{
	(void)state;
	static const NumFormat comma = {",", '.', "", false};
	static const int k[] = {K_TOTAL_REVENUE, K_TOTAL_CUSTOMERS, K_AVERAGE_ORDER_VALUE, K_REPEAT_CUSTOMER_PCT,
				K_OPEN_TICKETS, K_CHURN_RISK};
	static const struct { int64_t now[6], before[6]; const char *want; } cases[] = {
		{{647259, 14, 34066, 2857, 8, 7}, {636709, 12, 39794, 3333, 6, 4},
		 "As of Mar 11, 2024, against a week earlier (Mar 4, 2024): total revenue up 1.66% to 6,472.59; total "
		 "customers up by 2 to 14; average order value down 14.39% to 340.66; repeat customers down 4.76 pts to "
		 "28.57%; open tickets up by 2 to 8; churn risk up by 3 to 7."},
		{{5651501102, 20867, 34063, KPI_NULL, 2, 0}, {5580000000, 20867, 34066, 5000, 0, 0},
		 "As of Mar 11, 2024, against a week earlier (Mar 4, 2024): total revenue up 1.28% to 56.5 M; total "
		 "customers unchanged at 20.9 k; average order value steady at 340.63 (-0.01%); repeat customers: no data; "
		 "open tickets up from 0 to 2; churn risk unchanged at 0."},
		/* a figure without one a week earlier: as it is */
		{{5651501102, 20867, 34063, 5000, 2, 0}, {5580000000, 20867, 34066, KPI_NULL, 0, 0},
		 "As of Mar 11, 2024, against a week earlier (Mar 4, 2024): total revenue up 1.28% to 56.5 M; total "
		 "customers unchanged at 20.9 k; average order value steady at 340.63 (-0.01%); repeat customers at "
		 "50.00%; open tickets up from 0 to 2; churn risk unchanged at 0."},
		/* a percentage within the noise: its change in points, as the cards give it */
		{{647259, 14, 34066, 5004, 8, 7}, {647259, 14, 34066, 5000, 8, 7},
		 "As of Mar 11, 2024, against a week earlier (Mar 4, 2024): total revenue unchanged at 6,472.59; total "
		 "customers unchanged at 14; average order value unchanged at 340.66; repeat customers steady at 50.04% "
		 "(+0.04 pts); open tickets unchanged at 8; churn risk unchanged at 7."},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Gold g = {0};
		g.as_of = date_days(2024, 3, 11);
		g.week_before.as_of = g.as_of - 7;
		for (int j = 0; j < 6; j++) {
			g.now.v[k[j]] = cases[i].now[j];
			g.week_before.v[k[j]] = cases[i].before[j];
		}
		Buf b = {0};
		report_summary(&b, &g, &comma, 100);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "case %zu:\n%s\nwant\n%s", i, buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
