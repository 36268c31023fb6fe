/* fuzz_mail.c — libFuzzer: the weekly e-mail's headers (edition_mail.c) from any email_from,
 * email_to and title (the bytes cut at their first two NULs): an address list is checked as the
 * configuration checks it (mail_addresses_check), and what passes is written. The message's
 * header section is lines ended by CRLF, no CR or LF alone (no header injection), each line
 * at most 998 characters (RFC 5322 2.1.1) and either a continuation (a blank first) or a header
 * of those edition_mail.c writes; the text part carries the body whole. */
#include <stdio.h>
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next piece of data, up to a NUL or the end, as a string. */
static char *piece(const uint8_t **data, const uint8_t *end)
{
	const uint8_t *nul = memchr(*data, 0, (size_t)(end - *data));
	const uint8_t *stop = nul ? nul : end;
	char *s = xstrndup((const char *)*data, (size_t)(stop - *data));
	*data = nul ? nul + 1 : end;
	return s;
}

static void check_headers(const Buf *m)
{
	static const char *const names[] = {"From:", "To:", "Subject:", "Date:", "Message-ID:", "MIME-Version:",
					    "Content-Type:"};
	const char *p = m->p, *end = memmem(m->p, m->len, "\r\n\r\n", 4);
	if (!end)
		abort();	/* the header section ends */
	end += 2;
	for (bool first = true; p < end; first = false) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl == p || nl[-1] != '\r')
			abort();	/* a line ends with CRLF */
		size_t n = (size_t)(nl - 1 - p);
		if (n > 998 || memchr(p, '\r', n))
			abort();	/* no CR alone, no line longer than RFC 5322 allows */
		bool named = false;
		for (size_t k = 0; k < sizeof names / sizeof *names && !named; k++)
			named = n >= strlen(names[k]) && memcmp(p, names[k], strlen(names[k])) == 0;
		if (!named && (first || (*p != ' ' && *p != '\t')))
			abort();	/* a header of ours, or a continuation of one */
		p = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *at = data, *end = data + size;
	char *from = piece(&at, end), *to = piece(&at, end), *title = piece(&at, end);
	size_t col;
	Config cfg;
	config_defaults(&cfg);
	if (!mail_addresses_check(from, true, &col))
		cfg.email_from = from;
	if (!mail_addresses_check(to, false, &col))
		cfg.email_to = to;
	static Gold g;
	g.as_of = date_days(2024, 3, 11);
	ChartSet charts = {0};
	Edition e = {.g = &g, .cfg = &cfg, .charts = &charts};
	snprintf(e.as_of, sizeof e.as_of, "Mar 11, 2024");
	Buf closed = {0}, text = {0}, html = {0}, pdf = {0}, m = {0};
	esc_bidi(&closed, title, strlen(title));
	e.title = xstrdup(buf_cstr(&closed));
	buf_put(&text, at, (size_t)(end - at));	/* the rest: the text part's body */
	buf_puts(&html, "<p>x</p>");
	edition_eml(&e, &text, &html, &pdf, &m);
	check_headers(&m);
	free(e.title);
	free(from), free(to), free(title);
	buf_free(&closed), buf_free(&text), buf_free(&html), buf_free(&pdf), buf_free(&m);
	return 0;
}
