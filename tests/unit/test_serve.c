/* test_serve.c — what a request path names (nothing outside the site) and its content type. */
#include "harness.h"

static void test_paths(void **state)
{
	(void)state;
	static const struct {
		const char *url, *file;	/* file NULL: not found */
	} cases[] = {
		{"/", "index.html"},
		{"/index.html", "index.html"},
		{"/customers/", "customers/index.html"},
		{"//customers//c1.html", "customers/c1.html"},
		{"/a.b/c", "a.b/c"},
		{"/a%20b.html", "a b.html"},
		{"/%41%62", "Ab"},
		{"/%252e%252e/etc/passwd", "%2e%2e/etc/passwd"},	/* decoded once: a name with '%' */
		{"/../etc/passwd", NULL},
		{"/a/../../etc/passwd", NULL},
		{"/a/./b", NULL},
		{"/%2e%2e/%2e%2e/etc/passwd", NULL},
		{"/%2E%2E/etc/passwd", NULL},
		{"/..%2f..%2fetc/passwd", NULL},
		{"/a%2fb", NULL},
		{"/a%2Fb", NULL},
		{"/.c360-site", NULL},
		{"/index.html%00.png", NULL},
		{"/a%0ab", NULL},
		{"/a\tb", NULL},
		{"/a%7fb", NULL},
		{"/a%", NULL},
		{"/a%4", NULL},
		{"/a%zz", NULL},
		{"index.html", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char out[64] = "";
		bool ok = serve_path(cases[i].url, out, sizeof out);
		if (cases[i].file)
			CHECK(ok && strcmp(out, cases[i].file) == 0, "%s -> %s, not %s", cases[i].url, ok ? out : "refused",
			      cases[i].file);
		else
			CHECK(!ok, "%s should be refused, not -> %s", cases[i].url, out);
	}
}

/* The name and its NUL must fit; nothing is cut short to fit. */
static void test_path_room(void **state)
{
	(void)state;
	char out[11];
	CHECK(serve_path("/abcdefghij", out, sizeof out) && strcmp(out, "abcdefghij") == 0, "10 bytes fit in 11");
	CHECK(!serve_path("/abcdefghijk", out, sizeof out), "11 bytes do not fit in 11");
	CHECK(!serve_path("/x/", out, sizeof out), "x/index.html does not fit in 11");
	CHECK(!serve_path("/abcdefghij/", out, sizeof out), "no room for the '/'");
	CHECK(!serve_path("/", out, 10), "index.html does not fit in 10");
}

static void test_content_types(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"index.html", "text/html; charset=utf-8"},
		{"assets/style.css", "text/css; charset=utf-8"},
		{"assets/search.js", "text/javascript; charset=utf-8"},
		{"assets/favicon.svg", "image/svg+xml"},
		{"charts/revenue.png", "image/png"},
		{"weekly/report.pdf", "application/pdf"},
		{"gold/customers.csv", "text/csv; charset=utf-8"},
		{"weekly/email.eml", "message/rfc822"},
		{"search.json", "application/json"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"assets/logo.jpg", "image/jpeg"},
		{"assets/LOGO.JPEG", "image/jpeg"},
		{"assets/logo.webp", "image/webp"},
		{"assets/brand.woff2", "font/woff2"},
		{"assets/Brand.TTF", "font/ttf"},
		{"a.html/readme", "application/octet-stream"},
		{"setup.exe", "application/octet-stream"},
		{"html", "application/octet-stream"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		CHECK(strcmp(serve_content_type(cases[i][0]), cases[i][1]) == 0, "%s is %s, not %s", cases[i][0],
		      serve_content_type(cases[i][0]), cases[i][1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_path_room),
		cmocka_unit_test(test_content_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
