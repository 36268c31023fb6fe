/* fuzz_values.c — libFuzzer: the value rules on any text, with invariants from SPEC §5. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Str s = str_make((const char *)data, size);
	Buf out = {0};

	DateParse p = clean_date(s);
	int64_t m = clean_date_moment(&p, ORDER_DAY_FIRST, true);
	if (p.status == DATE_OK && m == MOMENT_NULL)
		abort();	/* a date read as valid is a real day */
	if (m != MOMENT_NULL) {
		int y, mo, d;
		date_civil(date_floor_day(clean_date_moment(&p, ORDER_DAY_FIRST, false)), &y, &mo, &d);
		if (!date_valid(y, mo, d))
			abort();
	}

	int64_t cents;
	if (clean_amount(s, &cents) == AMOUNT_OK) {	/* an amount prints and reads back the same */
		Buf t = {0};
		fmt_hundredths(&t, &fmt_plain, cents);
		int64_t again;
		if (clean_amount(str_make(t.p, t.len), &again) != AMOUNT_OK || again != cents)
			abort();
		buf_free(&t);
	}

	if (clean_email(s, &out)) {	/* a valid address has one @ and no upper case */
		const char *at = memchr(out.p, '@', out.len);
		if (!at || memchr(at + 1, '@', out.len - (size_t)(at - out.p) - 1))
			abort();
		for (size_t i = 0; i < out.len; i++)
			if (out.p[i] >= 'A' && out.p[i] <= 'Z')
				abort();
	}

	if (!utf8_sanitize(s.p, s.n, &out)) {	/* title case of valid text is idempotent */
		Str t = clean_title(s, &out);
		Buf again = {0};
		char *copy = xstrndup(t.p, t.n);
		Str t2 = clean_title(str_make(copy, t.n), &again);
		if (t2.n != t.n || (t.n && memcmp(t2.p, copy, t.n) != 0))
			abort();
		free(copy);
		buf_free(&again);
	}
	clean_id(s);
	clean_gender(s);
	buf_free(&out);
	return 0;
}
