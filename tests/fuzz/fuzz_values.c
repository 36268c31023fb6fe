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

	/* a [read] date_format's reading: a date read is a real day; a two-digit year is of
	 * 1969-2068 (the rule's two centuries' halves), whatever digits, weekday or offset surround it;
	 * a day's ordinal (13th) and an AM or PM after %H are read again where the first reading failed */
	static const char *const formats[] = {"%m/%d/%y", "%a, %d %b %y %H:%M:%S %z", "%A %d %B %Y", "%b %d, %Y %I:%M %p",
					      "%b %d %Y", "%e %B %Y %H:%M %p"};
	for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
		p = clean_date_format(s, formats[f]);
		m = clean_date_moment(&p, ORDER_MONTH_FIRST, true);
		if (p.status == DATE_OK && (m == MOMENT_NULL || !date_valid(p.y, p.a, p.b)))
			abort();
		if (p.status == DATE_OK && strstr(formats[f], "%y") && (p.y < 1969 || p.y > 2068))
			abort();
	}

	AmountParse a = clean_amount(s, '.', NULL);
	if (a.status == AMOUNT_OK) {	/* an amount prints and reads back the same */
		Buf t = {0};
		fmt_hundredths(&t, &fmt_plain, a.cents);
		if (clean_amount(str_make(t.p, t.len), '.', NULL).cents != a.cents)
			abort();
		buf_free(&t);
	}
	a = clean_amount(s, 0, NULL);	/* a value read by its own separators is one of the two readings */
	if (a.status == AMOUNT_OK && a.cents != clean_amount(s, a.evidence == DECIMAL_COMMA ? ',' : '.', NULL).cents)
		abort();

	if (clean_email(s, &out)) {	/* a valid address has one @ and no upper case */
		const char *at = memchr(out.p, '@', out.len);
		if (!at || memchr(at + 1, '@', out.len - (size_t)(at - out.p) - 1))
			abort();
		for (size_t i = 0; i < out.len; i++)
			if (out.p[i] >= 'A' && out.p[i] <= 'Z')
				abort();
	}

	for (int cased = 0; cased < 3 && !utf8_sanitize(s.p, s.n, &out); cased++) {	/* idempotent on valid text, */
		Str t = clean_title(s, &out, cased);	/* as written, title-cased, or title-cased if of one case */
		Buf again = {0};
		char *copy = xstrndup(t.p, t.n);
		Str t2 = clean_title(str_make(copy, t.n), &again, cased);
		if (t2.n != t.n || (t.n && memcmp(t2.p, copy, t.n) != 0))
			abort();
		free(copy);
		buf_free(&again);
	}
	clean_id(s);
	static const CatWord words[] = {{"herr", "Male"}, {"f", "Other"}};
	clean_gender(s, words, 2, &out);
	buf_free(&out);
	return 0;
}
