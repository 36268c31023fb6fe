/* site_customers.c — customers/: a page per customer, the list, and the sharded search index. */
#include "c360.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#define LIST_ROWS 10		/* rows of each history on a customer page */
#define TOP_CUSTOMERS 100	/* rows of the list on customers/index.html */
#define RECORDS_PER_FILE 1000	/* search records per script file */

unsigned customer_folder(const RowHead *c)
{
	return (unsigned)(hash_bytes(c->id, c->idlen) >> 56);
}

void customer_page_path(Buf *b, const RowHead *c)
{
	buf_printf(b, "customers/%02x/", customer_folder(c));
	id_file_name(b, c->id, c->idlen);
	buf_puts(b, ".html");
}

/* ---- one customer's page */

/* Text from the data, as much of it as a page shows alone (gold has it all). */
static Value *field(const Site *site, Arena *a, const char *s, size_t n)
{
	return v_text(a, s, n, shown_max(site, false));
}

static Value *cfield(const Site *site, Arena *a, const char *s)
{
	return field(site, a, s, s ? strlen(s) : 0);
}

/* ... and in a table or a list. */
static Value *cell(const Site *site, Arena *a, const char *s, size_t n)
{
	return v_text(a, s, n, shown_max(site, true));
}

static Value *ccell(const Site *site, Arena *a, const char *s)
{
	return cell(site, a, s, s ? strlen(s) : 0);
}

/* A fact's value for a customer page, by its fact table's description. */
static Value *fact_value(const Site *site, Arena *a, SourceId src, const FactCol *fc, const RowHead *h)
{
	FactValue v = gold_fact_value(site->g, src, fc, h);
	return v.kind == FV_MONEY ? v_num(a, V_MONEY, v.cents)
	     : v.kind == FV_TEXT ? ccell(site, a, v.text) : v_bool(a, v.yes);
}

/* A customer's facts of one source: the latest LIST_ROWS, how many there are, and how many more. */
static void history(const Site *site, PageWork *w, Value *data, SourceId src, uint32_t c)
{
	Arena *a = &w->arena;
	const FactTable *ft = &fact_tables[src];
	const ByCustomer *bc = &site->g->by[src];
	const Table *t = site->g->src[src].table;
	uint32_t n = bc->start[c + 1] - bc->start[c];
	Value *list = v_set(a, data, ft->key, v_list(a));
	char more_key[32], count_key[32];
	snprintf(more_key, sizeof more_key, "%s_more", ft->key);
	snprintf(count_key, sizeof count_key, "%s_count", ft->key);
	v_set(a, data, arena_strndup(a, more_key, strlen(more_key)), v_num(a, V_INT, n > LIST_ROWS ? n - LIST_ROWS : 0));
	v_set(a, data, arena_strndup(a, count_key, strlen(count_key)), v_num(a, V_INT, n));
	for (uint32_t k = 0; k < n && k < LIST_ROWS; k++) {
		const RowHead *h = ROW(t, RowHead, bc->row[bc->start[c] + k]);
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "id", cell(site, a, h->id, h->idlen));
		if (source_defs[src].timestamp && h->when != MOMENT_NULL) {
			char text[DATE_TEXT_MAX];
			v_set(a, o, "date", v_str(a, text, date_format(text, h->when, true)));
		} else {
			v_set(a, o, "date", v_num(a, V_DATE, fact_day(h)));
		}
		v_set(a, o, "line", v_num(a, V_INT, h->line));
		for (int f = 0; f < ft->ncols; f++)
			v_set(a, o, ft->cols[f].key, fact_value(site, a, src, &ft->cols[f], h));
	}
}

/* The lifecycle: signup → browse → order → pay → complaint, each with its first date. The
 * exports carry no signup date: signup is when the customer is first seen in any of them. */
static Value *timeline(const Site *site, PageWork *w, uint32_t c)
{
	static const struct { const char *stage, *one, *many; } stages[LC_COUNT] = {
		[LC_BROWSE] = {"Browse", "session", "sessions"}, [LC_ORDER] = {"Order", "valid order", "valid orders"},
		[LC_PAY] = {"Pay", "successful payment", "successful payments"},
		[LC_COMPLAINT] = {"Complaint", "ticket", "tickets"},
	};
	Lifecycle lc;
	gold_lifecycle(site->g, c, &lc);
	Buf *b = &w->scratch;
	b->len = 0;
	buf_puts(b, "<ol class=\"timeline\">\n<li class=\"");
	buf_puts(b, lc.seen == MOMENT_NULL ? "todo\"><span class=\"stage\">Signup</span> <span class=\"when\">no dated event"
					    : "done\"><span class=\"stage\">Signup</span> <span class=\"when\">first seen ");
	if (lc.seen != MOMENT_NULL)
		buf_date(b, date_floor_day(lc.seen));
	buf_puts(b, "</span></li>\n");
	for (int k = 0; k < LC_COUNT; k++) {
		buf_printf(b, "<li class=\"%s\"><span class=\"stage\">%s</span> <span class=\"when\">",
			   lc.count[k] ? "done" : "todo", stages[k].stage);
		if (lc.first[k] != MOMENT_NULL)
			buf_date(b, date_floor_day(lc.first[k]));
		else
			buf_puts(b, lc.count[k] ? "undated" : "not yet");
		buf_printf(b, "</span> <span class=\"count\">%u %s</span></li>\n", lc.count[k],
			   lc.count[k] == 1 ? stages[k].one : stages[k].many);
	}
	buf_puts(b, "</ol>\n");
	return v_raw(&w->arena, b->p, b->len);
}

static void customer_values(const Site *site, PageWork *w, Value *d, uint32_t c)
{
	Arena *a = &w->arena;
	const Gold *g = site->g;
	const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
	const Customer360 *x = &g->c360[c];
	v_set(a, d, "id", field(site, a, cu->h.id, cu->h.idlen));
	v_set(a, d, "name", cfield(site, a, cu->name));
	v_set(a, d, "title", cu->name ? cfield(site, a, cu->name) : field(site, a, cu->h.id, cu->h.idlen));
	v_set(a, d, "email", cfield(site, a, cu->email));
	v_set(a, d, "gender", v_cstr(a, gender_label[cu->gender]));
	v_set(a, d, "dob", v_num(a, V_DATE, fact_day(&cu->h)));
	v_set(a, d, "location", cfield(site, a, cu->location));
	v_set(a, d, "in_crm", v_bool(a, cu->in_crm));
	v_set(a, d, "crm_line", v_num(a, V_INT, cu->h.line));
	v_set(a, d, "lifetime_value", v_num(a, V_MONEY, x->lifetime_cents));
	v_set(a, d, "average_order_value", v_num(a, V_MONEY, x->average_cents));
	v_set(a, d, "valid_orders", v_num(a, V_INT, x->valid_orders));
	v_set(a, d, "open_tickets", v_num(a, V_INT, x->open_tickets));
	v_set(a, d, "first_order", v_num(a, V_DATE, x->first_order));
	v_set(a, d, "last_order", v_num(a, V_DATE, x->last_order));
	v_set(a, d, "preferred_payment_method",
	      cfield(site, a, x->preferred_method == UINT32_MAX ? NULL : gold_label(g, SRC_PAYMENTS, PA_METHOD, x->preferred_method)));
	v_set(a, d, "preferred_channel",
	      v_cstr(a, x->preferred_channel < 0 ? NULL : channel_label[x->preferred_channel]));
	v_set(a, d, "sessions_mobile", v_num(a, V_INT, x->sessions[CH_MOBILE]));
	v_set(a, d, "sessions_web", v_num(a, V_INT, x->sessions[CH_WEB]));
	v_set(a, d, "sessions_other", v_num(a, V_INT, x->sessions[CH_OTHER]));
	v_set(a, d, "timeline", timeline(site, w, c));
	for (int i = 0; i < SRC_COUNT; i++)
		if (source_is_fact((SourceId)i))
			history(site, w, d, (SourceId)i, c);
}

typedef struct {
	Site *site;
	size_t from, to;	/* customers in output order */
	PageWork w;
	bool ok;
} PageJob;

static void *customer_pages(void *arg)
{
	PageJob *j = arg;
	Buf path = {0};
	j->ok = true;
	const Table *customers = j->site->g->src[SRC_CUSTOMERS].table;
	for (size_t i = j->from; i < j->to && j->ok; i++) {
		uint32_t c = j->site->g->order[i];
		if (!shard_has(j->site->cfg, customer_folder(&ROW(customers, Customer, c)->h)))
			continue;	/* another shard's */
		arena_reset(&j->w.arena);
		Value *d = v_obj(&j->w.arena);
		customer_values(j->site, &j->w, d, c);
		path.len = 0;
		customer_page_path(&path, &ROW(customers, Customer, c)->h);
		j->ok = page_write(j->site, &j->w, buf_cstr(&path), "customer", d);
	}
	buf_free(&path);
	return NULL;
}

static bool write_customer_pages(Site *site)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n, n = (size_t)site->threads;
	PageJob *jobs = xcalloc(n, sizeof *jobs);
	pthread_t *t = xcalloc(n, sizeof *t);
	bool *started = xcalloc(n, sizeof *started);
	for (size_t k = 0; k < n; k++) {
		jobs[k] = (PageJob){.site = site, .from = nc * k / n, .to = nc * (k + 1) / n};
		page_init(&jobs[k].w);
		jobs[k].w.undated = true;
		if (k)
			started[k] = pthread_create(&t[k], NULL, customer_pages, &jobs[k]) == 0;
	}
	customer_pages(&jobs[0]);
	bool ok = true;
	uint64_t filled = 0, through_cmark = 0;
	size_t shapes = 0;
	for (size_t k = 0; k < n; k++) {
		if (k && started[k])
			pthread_join(t[k], NULL);
		else if (k)
			customer_pages(&jobs[k]);
		ok &= jobs[k].ok;
		skel_stats(jobs[k].w.skel, &filled, &through_cmark, &shapes);
		buf_put(site->err, jobs[k].w.err.p, jobs[k].w.err.len);
		page_free(&jobs[k].w);
	}
	if (getenv("C360_TIMINGS"))
		fprintf(stderr, "c360: customer pages: %llu compiled, %llu through cmark, %zu shapes\n",
			(unsigned long long)filled, (unsigned long long)through_cmark, shapes);
	free(jobs);
	free(t);
	free(started);
	return ok;
}

/* ---- the search index: records in files of a thousand, tokens in files by their first two bytes */

/* Lower case, accents off, split at anything but letters and digits: as search.js does. */
static void search_tokens(const char *s, size_t n, Buf *out)
{
	size_t dn = 0, ln = 0;
	uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)s, n, NULL, &dn);
	if (!d)
		return;
	Buf kept = {0};
	for (size_t i = 0; i < dn;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, d + i, dn - i);
		if (!uc_is_general_category(cp, UC_CATEGORY_M))
			buf_put(&kept, d + i, (size_t)len);
		i += (size_t)len;
	}
	uint8_t *low = u8_tolower((const uint8_t *)(kept.p ? kept.p : ""), kept.len, NULL, NULL, NULL, &ln);
	for (size_t i = 0; low && i < ln;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, low + i, ln - i);
		bool word = uc_is_general_category(cp, UC_CATEGORY_L) || uc_is_general_category(cp, UC_CATEGORY_N);
		buf_put(out, word ? (const char *)low + i : "\n", word ? (size_t)len : 1);
		i += (size_t)len;
	}
	buf_putc(out, '\n');
	free(d);
	free(low);
	buf_free(&kept);
}

typedef struct {
	char *token;
	uint32_t ord;
	uint16_t shard;
} Entry;

static int entry_cmp(const void *a, const void *b)
{
	const Entry *x = a, *y = b;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	int c = strcmp(x->token, y->token);
	return c ? c : (x->ord > y->ord) - (x->ord < y->ord);
}

/* The words of the index: every word of each customer's id, name, e-mail and city. */
typedef struct {
	Entry *e;
	size_t n, cap;
	Arena words;
	Buf scratch;
} Words;

static void add_words(Words *w, uint32_t ord, const char *s, size_t len)
{
	if (!s)
		return;
	w->scratch.len = 0;
	search_tokens(s, len, &w->scratch);
	for (char *p = w->scratch.p, *end = p + w->scratch.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t tl = (size_t)(nl - p);
		if (tl >= 2) {
			if (w->n == w->cap) {
				w->cap = w->cap ? w->cap * 2 : 4096;
				w->e = xrealloc(w->e, w->cap * sizeof *w->e);
			}
			w->e[w->n++] = (Entry){arena_strndup(&w->words, p, tl), ord,
					       (uint16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1])};
		}
		p = nl + 1;
	}
}

/* One customer in a records file: id, name, e-mail, city, value, page. Nothing that depends on
 * the as-of date alone (the segment) is in it, so it changes only with the customer. */
static void record(const Site *site, Buf *b, uint32_t c, Buf *path)
{
	const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, c);
	const Customer360 *x = &site->g->c360[c];
	const char *fields[] = {cu->name, cu->email, cu->location};
	size_t max = shown_max(site, true);
	buf_putc(b, '[');
	esc_js(b, cu->h.id, utf8_cut(cu->h.id, cu->h.idlen, max));
	for (size_t f = 0; f < 3; f++) {
		buf_putc(b, ',');
		esc_js(b, fields[f] ? fields[f] : "", fields[f] ? utf8_cut(fields[f], strlen(fields[f]), max) : 0);
	}
	path->len = 0;
	customer_page_path(path, &cu->h);
	buf_printf(b, ",%lld,", (long long)x->lifetime_cents);
	esc_js(b, path->p + strlen("customers/"), path->len - strlen("customers/"));	/* from customers/ */
	buf_putc(b, ']');
}

/* customers/search/t<hex of the first two bytes>.js: sorted words and their customers. */
static bool write_words(Site *site, Words *w)
{
	Buf b = {0}, path = {0};
	bool ok = true;
	if (w->n)
		qsort(w->e, w->n, sizeof *w->e, entry_cmp);
	for (size_t i = 0, j; ok && i < w->n; i = j) {
		b.len = 0;
		buf_printf(&b, "C360.tokens(\"%04x\",[", w->e[i].shard);
		for (j = i; j < w->n && w->e[j].shard == w->e[i].shard; j++) {
			if (j > i && strcmp(w->e[j].token, w->e[j - 1].token) == 0 && w->e[j].ord == w->e[j - 1].ord)
				continue;
			buf_puts(&b, j > i ? "," : "");
			esc_js(&b, w->e[j].token, strlen(w->e[j].token));
			buf_printf(&b, ",%u", w->e[j].ord);
		}
		buf_puts(&b, "]);\n");
		path.len = 0;
		buf_printf(&path, "customers/search/t%04x.js", w->e[i].shard);
		ok = out_write_file(site->dir, buf_cstr(&path), &b, site->err);
	}
	buf_free(&b);
	buf_free(&path);
	return ok;
}

/* customers/search/segments.js: each customer's segment, a letter per customer in id order, the
 * one search file that changes with the as-of date alone. */
static bool write_segments(Site *site, Buf *b)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	b->len = 0;
	buf_puts(b, "C360.segments([");
	for (int k = 0; k < SEG_COUNT; k++) {
		buf_puts(b, k ? "," : "");
		esc_js(b, segment_defs[k].label, strlen(segment_defs[k].label));
	}
	buf_puts(b, "],\"");
	for (size_t i = 0; i < nc; i++)
		buf_putc(b, (char)('A' + site->g->c360[site->g->order[i]].segment));
	buf_puts(b, "\");\n");
	return out_write_file(site->dir, "customers/search/segments.js", b, site->err);
}

/* The search index: customers in id order, a thousand per records file, and their words. */
static bool write_search(Site *site)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	Words w = {0};
	Buf b = {0}, path = {0};
	bool ok = out_mkdir(site->dir, "customers/search", site->err);
	for (size_t i = 0; ok && i < nc; i++) {
		uint32_t c = site->g->order[i];
		const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, c);
		if (i % RECORDS_PER_FILE == 0)
			buf_printf(&b, "C360.records(%zu,[", i / RECORDS_PER_FILE);
		buf_puts(&b, i % RECORDS_PER_FILE ? ",\n" : "\n");
		record(site, &b, c, &path);
		size_t max = shown_max(site, true);	/* the words of what the record shows */
		add_words(&w, (uint32_t)i, cu->h.id, utf8_cut(cu->h.id, cu->h.idlen, max));
		const char *text[] = {cu->name, cu->email, cu->location};
		for (size_t f = 0; f < 3; f++)
			add_words(&w, (uint32_t)i, text[f], text[f] ? utf8_cut(text[f], strlen(text[f]), max) : 0);
		if (i % RECORDS_PER_FILE == RECORDS_PER_FILE - 1 || i + 1 == nc) {
			buf_puts(&b, "]);\n");
			path.len = 0;
			buf_printf(&path, "customers/search/r%zu.js", i / RECORDS_PER_FILE);
			ok = out_write_file(site->dir, buf_cstr(&path), &b, site->err);
			b.len = 0;
		}
	}
	ok = ok && write_words(site, &w) && write_segments(site, &b);
	b.len = 0;
	buf_printf(&b, "C360.searchInfo({customers:%zu,perFile:%d});\n", nc, RECORDS_PER_FILE);
	ok = ok && out_write_file(site->dir, "customers/search/info.js", &b, site->err);
	arena_free(&w.words);
	free(w.e);
	buf_free(&w.scratch), buf_free(&b), buf_free(&path);
	return ok;
}

/* ---- customers/index.html: the search, and the customers with the highest lifetime value */

Value *customer_rows(const Site *site, Arena *a, const uint32_t *customers, size_t n)
{
	Value *list = v_list(a);
	Buf path = {0};
	for (size_t i = 0; i < n; i++) {
		const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, customers[i]);
		const Customer360 *x = &site->g->c360[customers[i]];
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "id", cell(site, a, cu->h.id, cu->h.idlen));
		v_set(a, o, "name", cu->name ? ccell(site, a, cu->name) : cell(site, a, cu->h.id, cu->h.idlen));
		v_set(a, o, "email", ccell(site, a, cu->email));
		v_set(a, o, "location", ccell(site, a, cu->location));
		v_set(a, o, "segment", v_cstr(a, segment_defs[x->segment].label));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, x->lifetime_cents));
		v_set(a, o, "valid_orders", v_num(a, V_INT, x->valid_orders));
		v_set(a, o, "last_order", v_num(a, V_DATE, x->last_order));
		path.len = 0;
		customer_page_path(&path, &cu->h);
		v_set(a, o, "url", v_str(a, path.p, path.len));
	}
	buf_free(&path);
	return list;
}

static bool write_index(Site *site)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n, top = nc < TOP_CUSTOMERS ? nc : TOP_CUSTOMERS;
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *d = v_obj(a);
	v_set(a, d, "title", v_cstr(a, "Customers"));
	v_set(a, d, "customers", v_num(a, V_INT, (int64_t)nc));
	v_set(a, d, "known_customers", v_num(a, V_INT, (int64_t)site->g->ncrm));
	v_set(a, d, "top", customer_rows(site, a, site->g->by_value, top));
	v_set(a, d, "top_count", v_num(a, V_INT, (int64_t)top));
	Value *scripts = v_set(a, d, "scripts", v_list(a));
	v_push(a, scripts, v_cstr(a, "assets/search.js"));
	v_push(a, scripts, v_cstr(a, "customers/search/info.js"));
	static const char box[] =
		"<form class=\"search\" role=\"search\" action=\"#\">\n<label for=\"q\">Search customers</label>\n"
		"<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" "
		"placeholder=\"Name, e-mail, id or city\">\n"
		"<p id=\"search-status\" class=\"status\" role=\"status\" aria-live=\"polite\">Type two letters or more.</p>\n"
		"</form>\n<div id=\"search-results\"></div>\n";
	v_set(a, d, "search_box", v_raw(a, box, sizeof box - 1));
	v_set(a, d, "inferred_customers", v_num(a, V_INT, (int64_t)site->g->quality[SRC_CUSTOMERS].inferred));
	bool ok = page_write(site, &w, "customers/index.html", "customers", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

bool site_customers(Site *site)
{
	const Table *customers = site->g->src[SRC_CUSTOMERS].table;
	bool ok = out_mkdir(site->dir, "customers", site->err), used[256] = {false};
	for (size_t c = 0; c < customers->n; c++)
		used[customer_folder(&ROW(customers, Customer, c)->h)] = true;
	Buf dir = {0};
	for (unsigned k = 0; ok && k < 256; k++) {	/* the folders pages go into, made before the threads start */
		dir.len = 0;
		buf_printf(&dir, "customers/%02x", k);
		ok = !used[k] || !shard_has(site->cfg, k) || out_mkdir(site->dir, buf_cstr(&dir), site->err);
	}
	buf_free(&dir);
	ok = ok && write_customer_pages(site);
	return ok && (site->cfg->shard != 0 || (write_search(site) && write_index(site)));
}
