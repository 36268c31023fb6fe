/* fuzz_mailbody.c — libFuzzer: the weekly e-mail's MIME structure and bodies (edition_mail.c's
 * edition_eml) from a title, a text part, an HTML part, a PDF and up to two charts' PNGs of any
 * bytes (pieces of the input cut at NULs; the first byte says how many charts). The message is
 * lines ended by CRLF of at most 998 bytes; its parts are where the boundaries say, each in
 * base64 of lines of 76 characters at most, which decodes to what was given (a text's line ends
 * made CRLF); the Subject's encoded-words decode to the title and the week (each word whole
 * characters), or, written plain, it is the title and the week with its spaces as folding leaves
 * them. */
#include <stdio.h>
#include <stdlib.h>
#include <unistr.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void piece(Buf *b, const uint8_t **at, const uint8_t *end)
{
	const uint8_t *nul = memchr(*at, 0, (size_t)(end - *at)), *stop = nul ? nul : end;
	buf_put(b, *at, (size_t)(stop - *at));
	*at = nul ? nul + 1 : end;
}

/* The strict base64 of s[0..n) decoded into out; false if it is not (a character out of the
 * alphabet, padding before the end, a length that is not a multiple of 4). */
static bool base64_decode(const char *s, size_t n, Buf *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (n % 4)
		return false;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0, pad = 0;
		for (int k = 0; k < 4; k++) {
			const char *d = s[i + k] ? strchr(abc, s[i + k]) : NULL;
			if (s[i + k] == '=' && i + 4 == n && k >= 2 && (pad || k == 3 || s[i + 3] == '='))
				pad++, v <<= 6;
			else if (!d || pad)
				return false;
			else
				v = v << 6 | (unsigned)(d - abc);
		}
		unsigned char bytes[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
		buf_put(out, bytes, 3 - pad);
	}
	return true;
}

/* A part's body (from just past its blank line to the CRLF before the next boundary) decoded:
 * base64 lines of at most 76 characters, each ended by CRLF. */
static void body_check(const char *p, const char *end, const Buf *want)
{
	Buf b64 = {0}, got = {0};
	while (p < end) {
		const char *nl = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!nl || nl - p > 76)
			abort();	/* a base64 line of 76 at most, ended by CRLF */
		buf_put(&b64, p, (size_t)(nl - p));
		p = nl + 2;
	}
	if (!base64_decode(b64.p ? b64.p : "", b64.len, &got))
		abort();
	if (got.len != want->len || (got.len && memcmp(got.p, want->p, got.len) != 0))
		abort();	/* the part decodes to what was given */
	buf_free(&b64), buf_free(&got);
}

/* s with its line ends made CRLF, as a text part's must be. */
static void crlf(Buf *out, const Buf *s)
{
	for (size_t i = 0; i < s->len; i++) {
		if (s->p[i] == '\r' || s->p[i] == '\n')
			buf_puts(out, "\r\n"), i += s->p[i] == '\r' && i + 1 < s->len && s->p[i + 1] == '\n';
		else
			buf_putc(out, s->p[i]);
	}
}

/* The value of the header name (with its colon) in the header section, unfolded (each CRLF
 * before a blank taken out). */
static void header_value(const Buf *m, const char *name, Buf *out)
{
	const char *end = memmem(m->p, m->len, "\r\n\r\n", 4), *p = m->p;
	size_t n = strlen(name);
	while (p && p < end && memcmp(p, name, n) != 0)
		p = (p = memmem(p, (size_t)(end - p), "\r\n", 2)) ? p + 2 : NULL;
	if (!p || p >= end)
		abort();
	for (p += n; p < end + 2; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			if (p[2] != ' ' && p[2] != '\t')
				break;
			p++;
			continue;
		}
		buf_putc(out, *p);
	}
}

/* The Subject reads back as subject: its encoded-words decoded (the blanks between them not
 * text), or as written with its spaces collapsed, as folding at spaces leaves it. */
static void subject_check(const Buf *m, const char *subject)
{
	Buf v = {0}, got = {0}, want = {0};
	header_value(m, "Subject:", &v);
	const char *s = buf_cstr(&v);
	bool whole = !u8_check((const uint8_t *)subject, strlen(subject));	/* UTF-8 given: each word UTF-8 */
	if (strstr(s, "=?UTF-8?B?")) {
		for (const char *p = s; *p;) {
			if (*p == ' ') {
				p++;
				continue;
			}
			const char *end = strstr(p, "?=");
			if (strncmp(p, "=?UTF-8?B?", 10) != 0 || !end || end - p > 75)
				abort();	/* only encoded-words, each of 75 characters at most (RFC 2047 2) */
			size_t was = got.len;
			if (!base64_decode(p + 10, (size_t)(end - p - 10), &got))
				abort();
			if (whole && u8_check((const uint8_t *)got.p + was, got.len - was))
				abort();	/* a word of whole characters (RFC 2047 5 (3)) */
			p = end + 2;
		}
		buf_puts(&want, subject);
	} else {
		for (const char *p = s; *p; p++)
			if (*p != ' ' || (got.len && p[1] && p[1] != ' '))
				buf_putc(&got, *p);
		for (const char *p = subject; *p; p++)
			if (*p != ' ' || (want.len && p[1] && p[1] != ' '))
				buf_putc(&want, *p);
	}
	if (strcmp(buf_cstr(&got), buf_cstr(&want)) != 0)
		abort();
	buf_free(&v), buf_free(&got), buf_free(&want);
}

/* The parts of the multipart whose boundary is given, its header section ending at p (at its
 * blank line's CRLF): each leaf part's body checked against the next of want, each multipart's
 * followed inside. Returns the end of its closing boundary's line. */
static const char *parts(const Buf *m, const char *p, const char *boundary, const Buf *const *want, size_t *nwant)
{
	char open[64], close[64];
	snprintf(open, sizeof open, "\r\n--%s\r\n", boundary);
	snprintf(close, sizeof close, "\r\n--%s--\r\n", boundary);
	const char *end = m->p + m->len;
	p = memmem(p - 2, (size_t)(end - p + 2), open, strlen(open));
	while (p) {
		p += strlen(open);
		const char *head_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!head_end)
			abort();
		const char *sub = memmem(p, (size_t)(head_end - p), "boundary=\"", 10);
		const char *next;
		if (sub) {	/* a multipart: its parts, then what follows its closing boundary */
			char inner[48];
			const char *q = strchr(sub + 10, '"');
			if (!q || q - sub - 10 >= (ptrdiff_t)sizeof inner)
				abort();
			snprintf(inner, sizeof inner, "%.*s", (int)(q - sub - 10), sub + 10);
			next = parts(m, head_end + 2, inner, want, nwant);
		} else {
			const char *stop = memmem(head_end + 2, (size_t)(end - head_end - 2), "\r\n--", 4);
			if (!stop || !memmem(p, (size_t)(head_end - p), "Content-Transfer-Encoding: base64", 33))
				abort();
			if (!want[*nwant])
				abort();	/* more parts than were given */
			body_check(head_end + 4, stop + 2, want[(*nwant)++]);
			next = stop + 2;
		}
		const char *o = memmem(next - 2, (size_t)(end - next + 2), open, strlen(open));
		const char *c = memmem(next - 2, (size_t)(end - next + 2), close, strlen(close));
		if (!c)
			abort();	/* every multipart is closed */
		if (o && o < c) {
			p = o;
			continue;
		}
		return c + strlen(close);
	}
	abort();	/* a multipart with no part */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t ncharts = data[0] % 3;
	const uint8_t *at = data + 1, *end = data + size;
	Buf title = {0}, text = {0}, html = {0}, pdf = {0}, m = {0}, closed = {0};
	piece(&title, &at, end);
	piece(&text, &at, end);
	piece(&html, &at, end);
	piece(&pdf, &at, end);
	static ChartSet charts;
	static ReportChart c[2];
	for (size_t i = 0; i < 2; i++) {
		c[i] = (ReportChart){.dashboard = true};
		c[i].chart.id = i ? "orders" : "revenue";
		if (i < ncharts)
			piece(&c[i].png, &at, end);
	}
	charts.c = c, charts.n = ncharts;
	Config cfg;
	config_defaults(&cfg);
	static Gold g;
	g.as_of = date_days(2024, 3, 11);
	Edition e = {.g = &g, .cfg = &cfg, .charts = &charts};
	snprintf(e.as_of, sizeof e.as_of, "Mar 11, 2024");
	esc_bidi(&closed, buf_cstr(&title), strlen(buf_cstr(&title)));
	e.title = xstrdup(buf_cstr(&closed));
	edition_eml(&e, &text, &html, &pdf, &m);

	for (const char *p = m.p, *stop = m.p + m.len; p < stop;) {	/* CRLF lines of 998 at most */
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		if (!nl || nl == p || nl[-1] != '\r' || nl - 1 - p > 998 || memchr(p, '\r', (size_t)(nl - 1 - p)))
			abort();
		p = nl + 1;
	}
	Buf subject = {0};
	buf_printf(&subject, "%s: the week to %s", e.title, e.as_of);
	subject_check(&m, buf_cstr(&subject));
	Buf ct = {0}, text_crlf = {0}, html_crlf = {0};
	header_value(&m, "Content-Type:", &ct);
	const char *b = strstr(buf_cstr(&ct), "boundary=\""), *q = b ? strchr(b + 10, '"') : NULL;
	if (!q)
		abort();
	char mixed[48];
	snprintf(mixed, sizeof mixed, "%.*s", (int)(q - b - 10), b + 10);
	crlf(&text_crlf, &text);
	crlf(&html_crlf, &html);
	const Buf *want[6] = {&text_crlf, &html_crlf};	/* the text, the HTML, the charts, the PDF */
	for (size_t i = 0; i < ncharts; i++)
		want[2 + i] = &c[i].png;
	want[2 + ncharts] = &pdf;
	size_t found = 0;
	const char *after = parts(&m, memmem(m.p, m.len, "\r\n\r\n", 4) + 2, mixed, want, &found);
	if (found != 3 + ncharts || after != m.p + m.len)
		abort();	/* every part there, nothing after the last boundary */
	free(e.title);
	for (size_t i = 0; i < 2; i++)
		buf_free(&c[i].png);
	buf_free(&title), buf_free(&text), buf_free(&html), buf_free(&pdf), buf_free(&m), buf_free(&closed);
	buf_free(&subject), buf_free(&ct), buf_free(&text_crlf), buf_free(&html_crlf);
	return 0;
}
