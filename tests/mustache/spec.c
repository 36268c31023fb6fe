/* spec.c — the Mustache spec's cases run through the template engine: reads the cases
 * convert.mjs writes (a file named on the command line), renders each with tpl_render (HTML
 * escaping, plain figures) and compares it with what the spec expects. A case listed in
 * tpl_deviations (site_vars.c: c360 help templates prints the same list) is skipped with its
 * reason; one that passes all the same fails the run, so the list stays true. The last line
 * is "mustache-spec: N passed, N failed, N skipped"; the exit status is 1 on a failure. */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	const char *p, *end;
	const char *file;
	bool html;	/* the data's text is HTML c360 made (V_RAW), as {{{ }}} writes it unescaped */
	bool bad;
} Reader;

static bool read_word(Reader *r, const char *want, long long *num)
{
	size_t n = strlen(want);
	if (r->bad || (size_t)(r->end - r->p) < n + 1 || memcmp(r->p, want, n) != 0)
		return r->bad = true, false;
	r->p += n;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	if (!nl)
		return r->bad = true, false;
	*num = 0;
	if (*r->p == ' ') {
		char *stop;
		*num = strtoll(r->p + 1, &stop, 10);
		if (stop != nl)
			r->bad = true;
	} else if (r->p != nl) {
		r->bad = true;
	}
	r->p = nl + 1;
	return !r->bad;
}

/* "s LEN\n" and LEN bytes (or, with kind 'f', "f LEN\n"): lent from the file, NUL-terminated in
 * the arena. */
static Str read_text(Reader *r, Arena *a, const char *kind)
{
	long long n;
	if (!read_word(r, kind, &n) || n < 0 || n > r->end - r->p) {
		r->bad = true;
		return str_make("", 0);
	}
	Str s = str_make(arena_strndup(a, r->p, (size_t)n), (size_t)n);
	r->p += n;
	return s;
}

static Value *read_value(Reader *r, Arena *a, int depth)
{
	long long n;
	if (r->bad || r->p >= r->end || depth > 64)
		return r->bad = true, v_new(a, V_NULL);
	switch (*r->p) {
	case 's': {
		Str s = read_text(r, a, "s");
		return r->html ? v_raw_lent(a, s.p, s.n) : v_lent(a, s.p, s.n);
	}
	case 'f': {	/* c360 has no fractional numbers but money and percentages: as JSON writes it */
		Str s = read_text(r, a, "f");
		return v_lent(a, s.p, s.n);
	}
	case 'i':
		read_word(r, "i", &n);
		return v_num(a, V_INT, n);
	case 'b':
		read_word(r, "b", &n);
		return v_bool(a, n != 0);
	case 'n':
		read_word(r, "n", &n);
		return v_new(a, V_NULL);
	case 'l': {
		Value *l = v_list(a);
		read_word(r, "l", &n);
		for (long long i = 0; i < n && !r->bad; i++)
			v_push(a, l, read_value(r, a, depth + 1));
		return l;
	}
	case 'o': {
		Value *o = v_obj(a);
		read_word(r, "o", &n);
		for (long long i = 0; i < n && !r->bad; i++) {
			Str key = read_text(r, a, "s");	/* a key in the arena: it lives as long as the run */
			v_set(a, o, key.p, read_value(r, a, depth + 1));
		}
		return o;
	}
	}
	r->bad = true;
	return v_new(a, V_NULL);
}

static const TplDeviation *deviation(const char *file, const char *name)
{
	for (const TplDeviation *d = tpl_deviations; d->file; d++)
		if (strcmp(d->file, file) == 0 && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static void show(Buf *why, const char *what, const char *s, size_t n)
{
	buf_printf(why, "  %s: \"", what);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			buf_puts(why, "\\n");
		else if (s[i] == '\r')
			buf_puts(why, "\\r");
		else
			buf_putc(why, s[i]);
	buf_puts(why, "\"\n");
}

/* One case: renders it; whether the output is the one expected (errors, in err, count as output
 * that is not); if not, why says what it was. */
static bool run_case(Reader *r, Arena *a, Buf *got, Buf *err, Buf *why)
{
	Value *data = read_value(r, a, 0);
	long long np;
	TplSet partials = {0};
	read_word(r, "p", &np);
	for (long long i = 0; i < np && !r->bad; i++) {
		Str name = read_text(r, a, "s"), src = read_text(r, a, "s");
		Template *t = tpl_parse(name.p, src.p, src.n, err);
		if (t)
			tpl_set_add(&partials, name.p, t);
	}
	Str src = read_text(r, a, "s"), want = read_text(r, a, "s");
	got->len = 0;
	Template *t = r->bad ? NULL : tpl_parse("template", src.p, src.n, err);
	if (t)
		tpl_render(t, data, ESC_HTML, &partials, NULL, &fmt_plain, got, SIZE_MAX, err);
	bool ok = t && err->len == 0 && got->len == want.n && memcmp(got->p ? got->p : "", want.p, want.n) == 0;
	if (!ok && !r->bad) {
		show(why, "template", src.p, src.n);
		show(why, "want", want.p, want.n);
		show(why, "got", got->p ? got->p : "", got->len);
		if (err->len)
			show(why, "error", err->p, err->len - (err->p[err->len - 1] == '\n'));
	}
	tpl_free(t);
	tpl_set_free(&partials);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CASES (tests/mustache/convert.mjs writes them)\n", argv[0]);
		return 2;
	}
	Buf file = {0}, err = {0}, got = {0}, why = {0};
	if (!file_read(argv[1], &file, &err)) {
		fputs(buf_cstr(&err), stderr);
		return 2;
	}
	Arena a = {0};
	Reader r = {file.p ? file.p : "", file.p ? file.p + file.len : "", argv[1], false, false};
	int passed = 0, failed = 0, skipped = 0;
	long long unused;
	while (r.p < r.end && read_word(&r, "case", &unused)) {
		Str spec = read_text(&r, &a, "s"), name = read_text(&r, &a, "s");
		if (r.bad)
			break;
		const TplDeviation *d = deviation(spec.p, name.p);
		const char *at = r.p;
		err.len = why.len = 0;
		bool ok = run_case(&r, &a, &got, &err, &why);
		if (r.bad)
			break;
		if (d && !ok && d->as_html) {	/* the case again, its text c360's HTML: it must pass */
			const char *next = r.p;
			r.p = at, r.html = true;
			err.len = why.len = 0;
			ok = run_case(&r, &a, &got, &err, &why);
			r.p = next, r.html = false;
			if (!ok) {
				printf("FAIL %s: %s, with its data's text as HTML c360 made\n%s", spec.p, name.p,
				       buf_cstr(&why));
				failed++;
				continue;
			}
			ok = false;
		}
		if (d && ok) {
			printf("FAIL %s: %s passes, but is listed as a deviation (%s): take it off the list\n", spec.p,
			       name.p, d->why);
			failed++;
		} else if (d) {
			printf("skipped %s: %s (deviation: %s)\n", spec.p, name.p, d->why);
			skipped++;
		} else if (ok) {
			passed++;
		} else {
			printf("FAIL %s: %s\n%s", spec.p, name.p, buf_cstr(&why));
			failed++;
		}
	}
	if (r.bad) {
		fprintf(stderr, "%s: not a cases file as convert.mjs writes it (at byte %td)\n", argv[1],
			r.p - (file.p ? file.p : ""));
		failed++;
	}
	if (passed + failed + skipped == 0) {
		fprintf(stderr, "%s: no cases\n", argv[1]);
		failed++;
	}
	printf("mustache-spec: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	arena_free(&a);
	buf_free(&file);
	buf_free(&err);
	buf_free(&got);
	buf_free(&why);
	return failed ? 1 : 0;
}
