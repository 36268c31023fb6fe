/* fuzz_search.c — libFuzzer: the customer search's files (customers/search/, site_customers.c's
 * write_search) from customers whose id, name, e-mail and city are any bytes (pieces of the
 * input cut at NULs, four a customer, up to four customers; each has an order). Every file is
 * UTF-8 a <script> can hold: no control character but a line end, no U+2028 or U+2029 raw (a
 * line end to old JavaScript), no "</script" nor "<!--". Each records file is
 * C360.records(K,[...]); of arrays of JSON strings, whose first four read back as the
 * customer's id, name, e-mail and city as the search shows them (cut, esc_bidi).
 *
 * What does not depend on the input is made once, at the first run: the config and the site's
 * templates and theme (site_open: two thirds of a run), and one folder the search is
 * written to, emptied after each run and removed when the process ends: at exit, at an abort
 * (its own checks' or the code's: libFuzzer's handler then _Exits, skipping atexit), at SIGINT
 * or SIGTERM, and at a sanitizer's report. A libFuzzer timeout or a SIGKILL leaves it. */
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include <unistr.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_CUSTOMERS = 4, PIECE_MAX = 300 };

/* The next piece of data, up to a NUL or the end (PIECE_MAX bytes at most), as a quoted CSV field. */
static void csv_piece(Buf *b, const uint8_t **at, const uint8_t *end)
{
	const uint8_t *nul = memchr(*at, 0, (size_t)(end - *at)), *stop = nul ? nul : end;
	buf_putc(b, '"');
	for (const uint8_t *p = *at; p < stop && p < *at + PIECE_MAX; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
	*at = nul ? nul + 1 : end;
}

static char tmp_dir[] = "/tmp/fuzz-search-XXXXXX";
static bool tmp_made;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag;
	return f->level ? remove(path) : 0;
}

/* What is in the folder removed (all: the folder too); false if some of it is left. Not
 * async-signal-safe, but only run from a signal handler by a process about to end. */
static bool tmp_empty(bool all)
{
	if (!tmp_made)
		return true;
	if (nftw(tmp_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0 || (all && rmdir(tmp_dir) != 0))
		return false;
	tmp_made = !all;
	return true;
}

static void tmp_remove(void)
{
	tmp_empty(true);
}

/* The handlers libFuzzer set (they end the process without exit), each called after the folder is removed. */
enum { NSIGNALS = 3 };
static const int signals[NSIGNALS] = {SIGABRT, SIGINT, SIGTERM};
static struct sigaction before[NSIGNALS];

static void tmp_signal(int sig, siginfo_t *info, void *context)
{
	tmp_remove();
	for (int i = 0; i < NSIGNALS; i++) {
		if (signals[i] != sig)
			continue;
		sigaction(sig, &before[i], NULL);
		if (before[i].sa_flags & SA_SIGINFO)
			before[i].sa_sigaction(sig, info, context);
		else if (before[i].sa_handler != SIG_DFL && before[i].sa_handler != SIG_IGN)
			before[i].sa_handler(sig);
		else
			raise(sig);	/* delivered once this handler returns */
	}
}

/* The sanitizers' hook for the summary line of a report (printed as their own does), called
 * before they end the process without exit. */
void __sanitizer_report_error_summary(const char *summary);
void __sanitizer_report_error_summary(const char *summary)
{
	fprintf(stderr, "%s\n", summary);
	tmp_remove();
}

/* The folder made, to be removed however the process ends; run at the first run, after
 * libFuzzer has set its handlers. */
static void tmp_make(void)
{
	if (!mkdtemp(tmp_dir))
		abort();
	tmp_made = true;
	atexit(tmp_remove);
	struct sigaction sa = {.sa_sigaction = tmp_signal, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NSIGNALS; i++)
		sigaction(signals[i], &sa, &before[i]);
}

/* The JSON string at *p (its opening quote), decoded into out; false if it is not one. */
static bool json_string(const char **p, const char *end, Buf *out)
{
	const char *s = *p;
	out->len = 0;
	if (s >= end || *s++ != '"')
		return false;
	while (s < end && *s != '"') {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20)
			return false;	/* raw control in a string */
		if (c != '\\') {
			buf_putc(out, *s++);
			continue;
		}
		if (end - s < 2)
			return false;
		char e = s[1];
		const char *simple = strchr("\"\\/bfnrt", e);
		if (e && simple) {
			buf_putc(out, "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"]);
			s += 2;
		} else if (e == 'u' && end - s >= 6) {
			unsigned u = 0;
			for (int k = 2; k < 6; k++) {
				const char *hex = "0123456789abcdef", *d = s[k] ? strchr(hex, s[k]) : NULL;
				if (!d)
					return false;
				u = u << 4 | (unsigned)(d - hex);
			}
			uint8_t enc[6];
			int k = u >= 0xd800 && u <= 0xdfff ? -1 : u8_uctomb(enc, (ucs4_t)u, (int)sizeof enc);
			if (k <= 0)
				return false;	/* a surrogate: not text */
			buf_put(out, enc, (size_t)k);
			s += 6;
		} else {
			return false;
		}
	}
	if (s >= end)
		return false;
	*p = s + 1;
	return true;
}

/* A file a <script> loads: UTF-8, no control but \n, no raw line separator, no end of script. */
static void check_script(const char *s, size_t n)
{
	if (u8_check((const uint8_t *)s, n))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && ((unsigned char)s[i + 2] & 0xfe) == 0xa8)
			abort();
		if (c == '<' && (n - i >= 8 && strncasecmp(s + i, "</script", 8) == 0))
			abort();
		if (c == '<' && n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
			abort();
	}
}

/* What the search shows of a customer's field: cut as a table cuts it, closed. */
static void shown(Buf *b, const Site *site, const char *t, size_t n)
{
	b->len = 0;
	esc_bidi(b, t ? t : "", t ? utf8_cut(t, n, shown_max(site, true)) : 0);
}

static void check_records(const Site *site, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	if (n < 20 || memcmp(p, "C360.records(", 13) != 0 || memcmp(end - 4, "]);\n", 4) != 0)
		abort();
	p = memchr(p, '[', n);
	if (!p)
		abort();
	p++;
	const Table *t = site->g->src[SRC_CUSTOMERS].table;
	Buf field[4] = {{0}}, want = {0}, extra = {0};
	size_t records = 0;
	while (p < end - 4) {
		if (*p == ',' || *p == '\n') {
			p++;
			continue;
		}
		if (*p++ != '[')
			abort();
		for (int f = 0; f < 7; f++)	/* id, name, e-mail, city, value, page, last order */
			if ((f && *p++ != ',') || !json_string(&p, end, f < 4 ? &field[f] : &extra))
				abort();
		if (*p++ != ']')
			abort();
		records++;
		const Customer *cu = NULL;
		for (size_t c = 0; c < t->n && !cu; c++) {
			const Customer *x = ROW(t, Customer, c);
			shown(&want, site, x->h.id, x->h.idlen);
			if (want.len == field[0].len && (!want.len || memcmp(want.p, field[0].p, want.len) == 0))
				cu = x;
		}
		if (!cu)
			abort();	/* the id reads back as a customer's */
		const char *v[3] = {cu->name, cu->email, cu->location};
		for (int f = 1; f < 4; f++) {
			shown(&want, site, v[f - 1], v[f - 1] ? strlen(v[f - 1]) : 0);
			if (want.len != field[f].len || (want.len && memcmp(want.p, field[f].p, want.len) != 0))
				abort();	/* a field reads back as it is shown */
		}
	}
	if (records != t->n)
		abort();	/* one file of records holds them all here */
	for (int f = 0; f < 4; f++)
		buf_free(&field[f]);
	buf_free(&want), buf_free(&extra);
}

static Config cfg;
static Site base;	/* the site's templates and theme, opened once: its g and plan are a run's */
static Buf base_err;

/* The config and the folder, once. */
static void context_make(void)
{
	config_defaults(&cfg);
	cfg.data_dir = "(fuzz)";
	cfg.as_of = date_days(2024, 3, 1);
	cfg.jobs = 1;
	cfg.templates_dir = cfg.shipped_templates = "templates";	/* run from the repository's root */
	cfg.themes_dir = "themes";
	cfg.assets_dir = "assets";
	tmp_make();
	cfg.out_dir = tmp_dir;
}

/* The search's files of the site of g, written to the folder, checked, and removed. */
static void check_site(const Gold *g)
{
	static ChartSet charts;
	static bool opened;
	if (!opened) {	/* the base's plan is the first gold's: each run makes its own */
		if (!site_open(&base, g, &cfg, &charts, tmp_dir, &base_err))
			abort();	/* run from the repository's root */
		page_plan_free(&base.plan);
		base.g = NULL;
		opened = true;
	}
	char path[96];
	Buf err = {0};
	Site site = base;
	site.g = g, site.err = &err;
	page_plan_init(&site.plan, g, &cfg);
	if (!site_customer_index(&site))
		abort();
	const char *dir = tmp_dir;
	for (int k = 0;; k++) {	/* r0.js: one file of records for a few customers */
		Buf b = {0}, ignore = {0};
		snprintf(path, sizeof path, "%s/customers/search/r%d.js", dir, k);
		bool read = file_read(path, &b, &ignore);
		if (read) {
			check_script(b.p, b.len);
			check_records(&site, b.p, b.len);
		} else if (!k && g->src[SRC_CUSTOMERS].table->n) {
			abort();
		}
		buf_free(&b), buf_free(&ignore);
		if (!read)
			break;
	}
	snprintf(path, sizeof path, "%s/customers/search", dir);	/* every file: the word files, info.js */
	DIR *d = opendir(path);
	for (struct dirent *e; d && (e = readdir(d));) {
		Buf b = {0}, ignore = {0};
		char file[160];
		snprintf(file, sizeof file, "%s/%s", path, e->d_name);
		if (e->d_name[0] != '.' && file_read(file, &b, &ignore))
			check_script(b.p, b.len);
		buf_free(&b), buf_free(&ignore);
	}
	if (d)
		closedir(d);
	page_plan_free(&site.plan);
	buf_free(&err);
	if (!tmp_empty(false))
		abort();	/* a run's files would be read as the next run's */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *at = data, *end = data + size;
	Buf cust = {0}, ord = {0}, err = {0};
	buf_puts(&cust, "customer_id,name,email,location\n");
	buf_puts(&ord, "order_id,customer_id,order_date,amount,status\n");
	for (int c = 0; c < MAX_CUSTOMERS && at < end; c++) {
		Buf id = {0};
		csv_piece(&id, &at, end);
		buf_put(&cust, id.p, id.len);
		for (int f = 1; f < 4; f++) {
			buf_putc(&cust, ',');
			csv_piece(&cust, &at, end);
		}
		buf_putc(&cust, '\n');
		buf_printf(&ord, "o%d,", c);
		buf_put(&ord, id.p, id.len);
		buf_puts(&ord, ",2024-01-01,10,completed\n");
		buf_free(&id);
	}
	static bool made;
	if (!made)
		context_make(), made = true;
	Silver s;
	silver_init(&s, &cfg);
	const Buf *text[2] = {&cust, &ord};
	for (int i = 0; i < 2; i++) {
		silver_source_init(&s, &s.src[i], (SourceId)i);
		silver_source_feed(&s, &s.src[i], text[i]->p, text[i]->len, false);
		silver_source_end(&s, &s.src[i]);
	}
	Gold g;
	bool finished = silver_finish(&s);
	if (finished && gold_build(&s, &g, &err))
		check_site(&g);
	if (finished)
		gold_free(&g);
	silver_free(&s);
	buf_free(&cust), buf_free(&ord), buf_free(&err);
	return 0;
}
