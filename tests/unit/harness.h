/* harness.h — cmocka plus the helpers the unit tests share. */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "c360.h"

#define N_ELEMS(a) (sizeof(a) / sizeof *(a))

/* Fails the test naming the table case, so a broken rule says which input broke it. */
#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			print_error("%s:%d: ", __FILE__, __LINE__);                      \
			print_error(__VA_ARGS__);                                        \
			print_error("\n");                                               \
			fail();                                                          \
		}                                                                        \
	} while (0)

static inline Str S(const char *s)
{
	return str_make(s, strlen(s));
}

static inline char *date_text(int64_t days)
{
	static char out[16];
	Buf b = {0};
	if (days == MOMENT_NULL)
		buf_puts(&b, "null");
	else
		buf_date(&b, days);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

#endif
