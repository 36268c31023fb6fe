/* test_dynlib.c — a library opened when first needed (lib_load): its functions found and
 * callable, a missing library or function said once with what it was needed for, never
 * tried again. */
#include "harness.h"

static size_t (*my_strlen)(const char *);
static int (*my_abs)(int);

static void test_found(void **state)
{
	(void)state;
	const LibFn fns[] = {{"strlen", &my_strlen}, {"abs", &my_abs}, {NULL, NULL}};
	Lib lib = {.soname = "libc.so.6", .needed_for = "a test", .fn = fns};
	Buf err = {0};
	CHECK(lib_load(&lib, &err), "libc.so.6 not loaded: %s", buf_cstr(&err));
	CHECK(err.len == 0, "an error said: %s", buf_cstr(&err));
	CHECK(my_strlen && my_strlen("c360") == 4, "strlen not found, or not strlen");
	CHECK(my_abs && my_abs(-7) == 7, "abs not found, or not abs");
	CHECK(lib_load(&lib, &err) && lib.tried, "a second load failed");
	buf_free(&err);
}

static void test_missing(void **state)
{
	(void)state;
	static void (*never)(void);
	const LibFn none[] = {{"strlen", &never}, {NULL, NULL}};
	Lib gone = {.soname = "libc360-no-such-library.so.1", .needed_for = "reading exports from S3", .fn = none};
	Buf err = {0};
	CHECK(!lib_load(&gone, &err), "a library that is not there loaded");
	CHECK(strstr(buf_cstr(&err), "cannot load libc360-no-such-library.so.1 (reading exports from S3): "),
	      "the error does not say which library and what for: %s", buf_cstr(&err));
	CHECK(!never, "a function filled from a library that is not there");
	err.len = 0;
	CHECK(!lib_load(&gone, &err) && strstr(buf_cstr(&err), "libc360-no-such-library"),
	      "the second try does not say why again: %s", buf_cstr(&err));

	const LibFn odd[] = {{"strlen", &my_strlen}, {"c360_no_such_function", &never}, {NULL, NULL}};
	Lib part = {.soname = "libc.so.6", .needed_for = "serving the site", .fn = odd};
	err.len = 0;
	CHECK(!lib_load(&part, &err), "a library without one of the functions loaded");
	CHECK(strstr(buf_cstr(&err), "cannot load libc.so.6 (serving the site): it has no c360_no_such_function"),
	      "the error does not name the missing function: %s", buf_cstr(&err));
	CHECK(!never, "the missing function was filled");
	free(gone.why), free(part.why);	/* c360's libraries are static: their why stays */
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
