/* silver_cache.c — each export's cleaned rows kept in the site (.c360-cache/NAME), under a key
 * of everything cleaning it depends on: a rebuild reads and cleans again only what changed.
 *
 * A cache file is a source as it stands once its file is read and closed (silver_source_close,
 * its bytes packed), before silver_finish: the rows, their pointers made offsets into the text
 * the file ends with (a row's id is where the text before it ended, so it is not kept; nor are
 * the bronze record's offset and length, 0 once a source is closed), the problems, the
 * quarantine, the facts' customers not in the CRM, the category labels, the counts and evidence,
 * and the export's length (an export that only grew is read from its cache and the bytes
 * appended: silver_read.c's load_appended). It is c360's own (its rows as this binary lays them
 * out: the binary is in the key) and read back only whole, checked: the sum of its bytes, then
 * every offset, count, label and value against what cleaning can make. */
#include "c360.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "c360cch"	/* and its NUL: 8 bytes */
#define CACHE_VERSION 12u	/* 2: rows without their id pointer and bronze fields; 3: the export's length;
				 * 4: the samples apart from the tallies, up to DIAG_FILE_SAMPLES of a code, and
				 * the head in the sum; 5: the first ambiguous date, and D_BORROWED_ORDER;
				 * 6: D_UNKNOWN_STATUSES; 7: F_DATE_ONLY; 8: D_NOT_CSV; 9: D_EXCLUDED (a reason);
				 * 10: F_TWO_DIGIT_YEAR; 11: D_NOT_UTF8; 12: D_NEAR_IDS */

typedef struct {
	char magic[8];
	uint32_t version, source;
	FileHash key, sum;	/* sum: of the hashes of the bytes after the head, before the text and of it */
	uint64_t row_size, nrows, nquarantine, norphans, ntext;	/* row_size: the table's (a row in the file: row_size - ROW_CUT) */
	uint64_t dict_n[MAX_COLS], dict_text[MAX_COLS];
	uint64_t skipped_lines, rows_read, blank_lines, ambiguous, ambiguous_amounts;
	uint64_t reason_count[D_NREASONS];
	uint64_t evidence[3], decimal_evidence[3];
	int32_t field_of[MAX_COLS];
	int32_t left_out;	/* the column whose absence left the source out; -1: none */
	uint32_t nheader;
	uint8_t present, broken, have_header, unterminated;
	char delimiter, decimal;
	uint8_t utf8_bom;	/* the export starts with a UTF-8 byte-order mark (0 in caches before it) */
	char pad[1];		/* no padding of the compiler's: the bytes written are all set */
	uint32_t nsamples;	/* the problems' samples (CacheSample) after the tallies */
	uint64_t bytes;		/* the export's length: one that grew begins with them (silver_cache_prefix) */
	uint32_t ambiguous_line, pad2;
	char ambiguous_text[AMBIGUOUS_TEXT];	/* NUL-terminated */
} CacheHead;
_Static_assert(sizeof(CacheHead) == 392 + AMBIGUOUS_TEXT, "CacheHead has padding");

typedef struct {
	uint64_t count;
	uint32_t nsamples, pad;	/* its samples: the next nsamples of the CacheSamples */
} CacheTally;

typedef struct {
	uint32_t line, col;
	uint64_t text;	/* offset */
} CacheSample;

typedef struct {
	uint64_t raw;		/* offset */
	uint32_t rawlen, line, reason, pad;
} CacheQuarantined;

typedef struct {
	uint64_t id;		/* offset */
	uint32_t idlen, pad;
} CacheOrphan;

#define ORPHAN_LIMIT (NO_CUSTOMER & ~ORPHAN)

FileHash silver_cache_key(const Silver *s, SourceId id, FileHash bytes)
{
	FileHasher *h = file_hasher_new();
	uint32_t v[2] = {CACHE_VERSION, (uint32_t)id};
	file_hasher_add(h, v, sizeof v);
	file_hasher_add(h, &s->cache_salt, sizeof s->cache_salt);
	file_hasher_add(h, &bytes, sizeof bytes);
	if (source_is_fact(id))
		file_hasher_add(h, &s->cache_key[SRC_CUSTOMERS], sizeof s->cache_key[SRC_CUSTOMERS]);
	return file_hasher_end(h);
}

/* ---- writing: streamed, a section at a time, to where it goes in the file */

/* Bytes going to the file from offset at on, buffered, and hashed as the buffer is written. */
typedef struct {
	int fd;
	uint64_t at, n;		/* where the buffer goes; bytes put so far */
	Buf b;
	FileHasher *h;
	int err;		/* the first write's that failed (EIO if it said none) */
} Out;

static int write_err(void)	/* after a write that failed: 0 bytes written say nothing */
{
	return errno ? errno : EIO;
}

static void out_flush(Out *o)
{
	file_hasher_add(o->h, o->b.p, o->b.len);	/* a buffer at a time: the hash is the same however cut */
	errno = 0;
	if (!o->err && !fd_write_all(o->fd, o->b.p, o->b.len, &o->at))
		o->err = write_err();
	o->b.len = 0;
}

static void out_put(Out *o, const void *p, size_t n)
{
	buf_put(&o->b, p, n);
	o->n += n;
	if (o->b.len >= (1u << 20))
		out_flush(o);
}

/* The text the file ends with: each text of the source put there as it is met, rows first, in
 * row order. (Not the source's kept bytes as they lie: that depends on the chunks the file was
 * read in, and the cache is the same bytes whatever the threads.) Returns its offset. */
static uint64_t text_at(Out *t, const char *p, size_t n)
{
	uint64_t at = t->n;
	out_put(t, p, n);
	return at;
}

static uint64_t text_cstr(Out *t, const char *p)	/* 0: NULL, else 1 + its offset */
{
	return p ? 1 + text_at(t, p, strlen(p) + 1) : 0;
}

static void put_ptr(char *at, uint64_t off)
{
	memcpy(at, &off, sizeof off);
}

_Static_assert(sizeof(Customer) <= ROW_MAX && sizeof(Payment) <= ROW_MAX, "a row fits ROW_MAX");

/* A row in the file is the table's without the head's first 8 bytes (the id pointer) and its
 * last 8 (rawoff, rawlen): the head's when to flags, then the values. */
enum { KEEP_FROM = offsetof(RowHead, when), KEEP_TO = offsetof(RowHead, rawoff), ROW_CUT = sizeof(RowHead) - (KEEP_TO - KEEP_FROM) };
_Static_assert(offsetof(RowHead, id) == 0 && KEEP_FROM == 8 && offsetof(RowHead, rawlen) + 4 == sizeof(RowHead) && ROW_CUT == 16,
	       "RowHead: the id pointer first, the bronze fields last");

static size_t file_row_size(size_t row_size)
{
	return row_size - ROW_CUT;
}

/* Room for n more bytes at the end of o's buffer, for the caller to write and out_took to count. */
static char *out_room(Out *o, size_t n)
{
	if (o->b.cap - o->b.len < n)
		buf_grow(&o->b, n);
	return o->b.p + o->b.len;
}

static void out_took(Out *o, size_t n)
{
	o->b.len += n;
	o->n += n;
	if (o->b.len >= (1u << 20))
		out_flush(o);
}

/* The rows as the file keeps them, each written in place in the buffer: pointers made offsets,
 * the id and the bronze fields gone. */
static void put_rows(const Source *src, Out *o, Out *t)
{
	const Table *tab = &src->table;
	size_t in = file_row_size(tab->size), keep = KEEP_TO - KEEP_FROM, ntexts = 0, texts[MAX_COLS];
	for (int c = 0; c < src->def->ncols; c++)
		if (src->def->rule[c].kind == COL_TITLE || src->def->rule[c].kind == COL_EMAIL)
			texts[ntexts++] = src->def->rule[c].at;
	for (size_t i = 0; i < tab->n; i++) {
		const char *row = ROW(tab, char, i);
		const RowHead *h = (const RowHead *)(const void *)row;
		char *to = out_room(o, in);	/* t's writes below leave o's buffer alone */
		memcpy(to, row + KEEP_FROM, keep);
		memcpy(to + keep, row + sizeof(RowHead), tab->size - sizeof(RowHead));
		text_at(t, h->id, h->idlen);
		for (size_t k = 0; k < ntexts; k++)
			put_ptr(to + texts[k] - ROW_CUT, text_cstr(t, *(const char *const *)(const void *)(row + texts[k])));
		out_took(o, in);
	}
}

/* The tallies, then every code's samples in the codes' order. */
static void put_tallies(const Diags *d, Out *o, Out *t)
{
	for (int c = 0; c < D_COUNT; c++) {
		CacheTally y = {.count = d->tally[c].count, .nsamples = d->tally[c].nsamples};
		out_put(o, &y, sizeof y);
	}
	for (int c = 0; c < D_COUNT; c++)
		for (unsigned i = 0; i < d->tally[c].nsamples; i++) {
			const DiagSample *x = &d->tally[c].sample[i];
			CacheSample y = {x->line, x->col, text_at(t, x->text, strlen(x->text) + 1)};
			out_put(o, &y, sizeof y);
		}
}

static uint32_t samples_of(const Diags *d)
{
	uint32_t n = 0;
	for (int c = 0; c < D_COUNT; c++)
		n += d->tally[c].nsamples;
	return n;
}

static void put_lists(const Source *src, Out *o, Out *t)
{
	for (size_t i = 0; i < src->nquarantine; i++) {
		const Quarantined *q = &src->quarantine[i];
		CacheQuarantined y = {text_at(t, q->raw, q->rawlen), q->rawlen, q->line, (uint32_t)q->reason, 0};
		out_put(o, &y, sizeof y);
	}
	for (size_t i = 0; i < src->norphans; i++) {
		CacheOrphan y = {text_at(t, src->orphans[i].id, src->orphans[i].idlen), src->orphans[i].idlen, 0};
		out_put(o, &y, sizeof y);
	}
	for (int c = 0; c < MAX_COLS; c++) {
		const Dict *d = &src->dict[c];
		if (d->n)
			out_put(o, d->at, (d->n + 1) * sizeof *d->at), out_put(o, d->text, d->at[d->n]);
	}
}

/* The bytes between the head and the text. */
static uint64_t body_size(const Source *src)
{
	uint64_t n = src->table.n * file_row_size(src->table.size) + D_COUNT * sizeof(CacheTally) +
		     samples_of(&src->diags) * sizeof(CacheSample) + src->nquarantine * sizeof(CacheQuarantined) + src->norphans * sizeof(CacheOrphan);
	for (int c = 0; c < MAX_COLS; c++)
		n += src->dict[c].n ? (src->dict[c].n + 1) * sizeof(uint32_t) + src->dict[c].at[src->dict[c].n] : 0;
	return n;
}

static void put_head(const Source *src, FileHash key, uint64_t bytes, uint64_t ntext, CacheHead *h)
{
	*h = (CacheHead){.version = CACHE_VERSION, .source = (uint32_t)src->id, .key = key, .bytes = bytes,
			 .row_size = src->table.size, .nrows = src->table.n, .nquarantine = src->nquarantine,
			 .norphans = src->norphans, .ntext = ntext,
			 .skipped_lines = src->skipped_lines, .rows_read = src->rows_read, .blank_lines = src->blank_lines,
			 .ambiguous = src->ambiguous, .ambiguous_amounts = src->ambiguous_amounts, .left_out = -1,
			 .nheader = src->nheader, .present = src->present, .broken = src->broken,
			 .have_header = src->have_header, .unterminated = src->unterminated, .utf8_bom = src->opt.utf8_bom,
			 .delimiter = src->delimiter, .decimal = src->decimal, .nsamples = samples_of(&src->diags)};
	memcpy(h->magic, CACHE_MAGIC, 8);
	for (int c = 0; c < MAX_COLS; c++) {
		h->field_of[c] = src->field_of[c];
		h->dict_n[c] = src->dict[c].n;
		h->dict_text[c] = src->dict[c].n ? src->dict[c].at[src->dict[c].n] : 0;
		if (c < src->def->ncols && src->left_out == src->def->cols[c])
			h->left_out = c;
	}
	memcpy(h->reason_count, src->reason_count, sizeof h->reason_count);
	memcpy(h->evidence, src->evidence, sizeof h->evidence);
	memcpy(h->decimal_evidence, src->decimal_evidence, sizeof h->decimal_evidence);
	h->ambiguous_line = src->ambiguous_line;
	memcpy(h->ambiguous_text, src->ambiguous_text, AMBIGUOUS_TEXT);
}

/* The sum of the file: of the hashes of its head (the sum itself zero), its body and its text,
 * so that a head changed after it was written (a count it holds) is not taken either. */
static FileHash sum_of(const CacheHead *h, FileHash body, FileHash text)
{
	CacheHead head = *h;
	head.sum = (FileHash){0, 0};
	FileHash three[3] = {file_hash(&head, sizeof head), body, text};
	return file_hash(three, sizeof three);
}

/* src into the open file fd: the body and the text streamed each to its place, the head last.
 * 0, or the errno of the write that failed. */
static int put_file(const Source *src, FileHash key, uint64_t bytes, int fd)
{
	Out o = {fd, sizeof(CacheHead), 0, {0}, file_hasher_new(), 0};
	Out t = {fd, sizeof(CacheHead) + body_size(src), 0, {0}, file_hasher_new(), 0};
	put_rows(src, &o, &t);
	put_tallies(&src->diags, &o, &t);
	put_lists(src, &o, &t);
	out_put(&t, "", 1);	/* the text ends with a NUL: a NUL-terminated text at any offset in it */
	out_flush(&o), out_flush(&t);
	CacheHead h;
	put_head(src, key, bytes, t.n, &h);
	h.sum = sum_of(&h, file_hasher_end(o.h), file_hasher_end(t.h));
	int err = o.err ? o.err : t.err ? t.err : o.at != sizeof h + body_size(src) ? EIO : 0;
	errno = 0;
	if (!err && pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
		err = write_err();
	buf_free(&o.b), buf_free(&t.b);
	return err;
}

int silver_cache_save(const Silver *s, const Source *src, FileHash key, uint64_t bytes)
{
	if (!s->cache_to)
		return 0;
	char *path = path_join(s->cache_to, src->def->name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666), err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		err = put_file(src, key, bytes, fd);
		if (close(fd) != 0 && !err)
			err = errno;
	}
	if (err)
		unlink(path);	/* the next build reads the export */
	free(path);
	return err;
}

int silver_cache_keep(const Silver *s, const Source *src)
{
	if (!s->cache_to)
		return 0;
	char *from = path_join(s->cache_from, src->def->name), *to = path_join(s->cache_to, src->def->name);
	int err = link(from, to) == 0 ? 0 : errno;
	if (err)
		unlink(to);
	free(from), free(to);
	return err;
}

/* ---- reading: the bytes after the head, taken apart and checked */

static bool read_at(int fd, char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t r = pread(fd, p, n, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r, n -= (size_t)r, at += r;
	}
	return true;
}

typedef struct {
	const char *p, *end;
	const char *text;	/* the text's first byte */
	uint64_t ntext;
	uint64_t next;		/* where the next text starts: the writer puts each once, in order */
} Reader;

static const void *take(Reader *r, uint64_t n)
{
	if ((uint64_t)(r->end - r->p) < n)
		return NULL;
	const char *at = r->p;
	r->p += n;
	return at;
}

/* The n bytes at offset off of the text, or NULL. Each text must start where the one before
 * ended, as the writer puts them: a text shared by many rows or samples would make a small file
 * into a large build (and a text skipped, bytes no row owns). */
static const char *text_ptr(Reader *r, uint64_t off, uint64_t n)
{
	if (off != r->next || off > r->ntext || n > r->ntext - off)
		return NULL;
	r->next = off + n;
	return r->text + off;
}

/* A NUL-terminated text at offset off (the text ends with a NUL, checked once), where the one
 * before ended. */
static bool cstr_ptr(Reader *r, uint64_t off, const char **out)
{
	*out = off == r->next && off < r->ntext ? r->text + off : NULL;
	if (*out)
		r->next = off + strlen(*out) + 1;
	return *out != NULL;
}

static bool mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out) && *out < ((uint64_t)1 << 48);
}

/* The sizes the head gives, each with room: false if they do not add up to n bytes. */
static bool sizes_ok(const CacheHead *h, const SourceDef *def, uint64_t n)
{
	uint64_t total = 0, x;
	bool ok = h->row_size == def->row_size && mul_ok(h->nrows, file_row_size(h->row_size), &x) && h->nrows < UINT32_MAX;
	total += ok ? x : 0;
	ok = ok && mul_ok(h->nquarantine, sizeof(CacheQuarantined), &x) && (total += x, true);
	ok = ok && mul_ok(h->norphans, sizeof(CacheOrphan), &x) && h->norphans < ORPHAN_LIMIT && (total += x, true);
	ok = ok && h->nsamples <= D_COUNT * DIAG_FILE_SAMPLES;
	total += D_COUNT * sizeof(CacheTally) + (uint64_t)h->nsamples * sizeof(CacheSample);
	for (int c = 0; ok && c < MAX_COLS; c++) {
		bool category = c < def->ncols && def->rule[c].kind == COL_CATEGORY;
		ok = (h->dict_n[c] == 0 || category) && h->dict_n[c] < UINT32_MAX && h->dict_text[c] < UINT32_MAX &&
		     (h->dict_n[c] > 0) == (h->dict_text[c] > 0);
		total += h->dict_n[c] ? (h->dict_n[c] + 1) * sizeof(uint32_t) + h->dict_text[c] : 0;
	}
	return ok && h->ntext < ((uint64_t)1 << 48) && total + h->ntext == n;
}

/* A date cleaning makes: null, 1899-12-30 to 2101-01-02 (a time zone away from 1900-2100), or
 * in a source that has them an ambiguous one, packed (silver_finish reads it by the order). */
bool cache_moment_ok(int64_t w)
{
	static const int64_t first = -25569 * (int64_t)SECS_PER_DAY, last = 47849 * (int64_t)SECS_PER_DAY;	/* 2101-01-03 */
	return w == MOMENT_NULL || (w >= first && w <= last);
}

static bool when_ok(int64_t w, bool ambiguous)
{
	return cache_moment_ok(w) || (ambiguous && w >= (int64_t)1 << 62);
}

static bool amount_ok(int64_t v)
{
	return v == AMOUNT_NULL || (v >= -100000000000000000 && v <= 100000000000000000);
}

/* The columns of a source whose values are checked: those holding a text (a title, an e-mail:
 * taken in the order the writer put them, row by row, in column order) or else a value (an
 * amount, a label, a gender: checked a column at a time), made once a source. */
typedef struct {
	ColKind kind;
	int col;
	size_t at;
} Checked;

static int checked_columns(const SourceDef *def, bool texts, Checked *out)
{
	int n = 0;
	for (int c = 0; c < def->ncols; c++) {
		ColKind k = def->rule[c].kind;
		bool text = k == COL_TITLE || k == COL_EMAIL;
		if (texts ? text : k == COL_AMOUNT || k == COL_CATEGORY || k == COL_GENDER)
			out[n++] = (Checked){k, c, def->rule[c].at};
	}
	return n;
}

/* A row's texts are where the writer put them: its pointers made pointers again, its id the
 * text where the one before ended; text[0, ntexts): checked_columns' texts. */
static bool row_texts_ok(Reader *r, char *row, const Checked *text, int ntexts)
{
	RowHead *h = (RowHead *)(void *)row;
	uint64_t off;
	h->id = text_ptr(r, r->next, h->idlen);
	bool ok = h->id && h->idlen;
	for (int k = 0; ok && k < ntexts; k++) {
		char *at = row + text[k].at;
		memcpy(&off, at, sizeof off);
		*(const char **)(void *)at = NULL;
		ok = !off || cstr_ptr(r, off - 1, (const char **)(void *)at);
	}
	return ok;
}

/* Every row's values are what cleaning makes, a loop a check with no branch a row: the flags,
 * the date, the customer (ncu: the customers' rows; a fact's customer is one of them, or one of
 * its orphans), a CRM row's mark, and value[0, nvalues) (checked_columns' values). */
static bool values_ok(const Source *src, const CacheHead *head, size_t ncu, const Checked *value, int nvalues)
{
	const Table *t = &src->table;
	bool fact = source_is_fact(src->id), ambiguous = src->ambiguous > 0;
	unsigned bad = 0;
	for (size_t i = 0; i < t->n; i++) {
		const RowHead *h = ROW(t, RowHead, i);
		uint32_t c = h->customer;
		bad |= (h->flags & ~F_KEPT) != 0;
		bad |= !when_ok(h->when, ambiguous);
		bad |= fact ? (c & ORPHAN ? (c & ~ORPHAN) >= head->norphans : c >= ncu) : c != NO_CUSTOMER;
	}
	for (int k = 0; k < nvalues; k++) {
		size_t at = value[k].at;
		uint64_t labels = head->dict_n[value[k].col];
		for (size_t i = 0; value[k].kind == COL_AMOUNT && i < t->n; i++)
			bad |= !amount_ok(*(const int64_t *)(const void *)(ROW(t, char, i) + at));
		for (size_t i = 0; value[k].kind == COL_CATEGORY && i < t->n; i++)
			bad |= *(const uint32_t *)(const void *)(ROW(t, char, i) + at) >= labels;
		for (size_t i = 0; value[k].kind == COL_GENDER && i < t->n; i++)
			bad |= *(const uint8_t *)(ROW(t, char, i) + at) > GENDER_UNKNOWN;
	}
	for (size_t i = 0; !fact && i < t->n; i++) {
		uint8_t crm;
		memcpy(&crm, &ROW(t, Customer, i)->in_crm, 1);
		bad |= crm != 1;
	}
	return !bad;
}

/* diag writes a value's control bytes as \\xNN: a sample is printed as it is. */
static bool printable(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			return false;
	return true;
}

static bool tallies_ok(Source *src, Reader *r, uint32_t nsamples)
{
	const CacheTally *t = take(r, D_COUNT * sizeof *t);
	const CacheSample *at = take(r, (uint64_t)nsamples * sizeof *at);
	for (int c = 0; t && at && c < D_COUNT; c++) {
		CacheTally y;
		memcpy(&y, &t[c], sizeof y);
		/* A cache is saved only without errors; diag keeps the first diag_samples_max. */
		unsigned most = diag_samples_max((DiagCode)c);
		if ((y.count && diag_info[c].sev == SEV_ERROR) || y.nsamples != (y.count < most ? y.count : most) ||
		    y.nsamples > nsamples)
			return false;
		nsamples -= y.nsamples;
		DiagTally *x = &src->diags.tally[c];
		x->count = y.count;
		if (y.nsamples)
			x->sample = xmalloc(most * sizeof *x->sample);
		for (unsigned i = 0; i < y.nsamples; i++, at++) {
			CacheSample z;
			const char *text;
			memcpy(&z, at, sizeof z);
			if (!cstr_ptr(r, z.text, &text) || !printable(text))
				return false;
			x->sample[x->nsamples++] = (DiagSample){z.line, z.col, 0, xstrdup(text)};	/* a cache is a file's: its own */
		}
	}
	return t && at && !nsamples;	/* each sample a code's */
}

static bool lists_ok(Source *src, const Source *customers, Reader *r, uint64_t nq, uint64_t no)
{
	const char *q = take(r, nq * sizeof(CacheQuarantined)), *o = take(r, no * sizeof(CacheOrphan));
	if (!q || !o)
		return false;
	src->quarantine = xmalloc((nq + 1) * sizeof *src->quarantine);
	src->capquarantine = nq + 1;
	for (; src->nquarantine < nq; src->nquarantine++) {
		CacheQuarantined y;
		memcpy(&y, q + src->nquarantine * sizeof y, sizeof y);
		const char *raw = text_ptr(r, y.raw, y.rawlen);
		if (!raw || y.reason >= D_NREASONS)
			return false;
		src->quarantine[src->nquarantine] = (Quarantined){raw, y.rawlen, y.line, (DiagCode)y.reason, NULL};
	}
	src->orphans = xmalloc((no + 1) * sizeof *src->orphans);
	src->caporphans = no + 1;
	for (; src->norphans < no; src->norphans++) {
		CacheOrphan y;
		memcpy(&y, o + src->norphans * sizeof y, sizeof y);
		const char *id = text_ptr(r, y.id, y.idlen);
		if (!id || !y.idlen ||
		    silver_customer_row(customers, str_make(id, y.idlen)) != INDEX_NONE)	/* not in the CRM */
			return false;
		src->orphans[src->norphans] = (struct Orphan){y.idlen, id};
	}
	return true;
}

/* Category labels: n labels, each NUL-terminated, offsets rising to the text's end. */
static bool dict_ok(Dict *d, Reader *r, uint64_t n, uint64_t len)
{
	dict_free(d);
	if (!n)
		return true;
	const uint32_t *at = take(r, (n + 1) * sizeof *at);
	const char *text = take(r, len);
	if (!at || !text)
		return false;
	d->at = big_alloc((n + 1) * sizeof *d->at);
	d->cap = d->n = (uint32_t)n;
	memcpy(d->at, at, (n + 1) * sizeof *d->at);
	d->text = big_alloc(len);
	d->textcap = len;
	memcpy(d->text, text, len);
	bool ok = d->at[0] == 0 && d->at[n] == len;
	for (uint64_t k = 0; ok && k < n; k++)
		ok = d->at[k + 1] > d->at[k] && d->at[k + 1] <= len && d->text[d->at[k + 1] - 1] == '\0';
	return ok;
}

static bool head_ok(Source *src, const CacheHead *h)
{
	bool ok = h->present <= 1 && h->broken <= 1 && h->have_header <= 1 && h->unterminated <= 1 && h->utf8_bom <= 1 &&
		  (h->decimal == '.' || h->decimal == ',') && h->left_out >= -1 && h->left_out < src->def->ncols &&
		  memchr(h->ambiguous_text, '\0', AMBIGUOUS_TEXT);
	for (int c = 0; c < MAX_COLS; c++)
		ok = ok && h->field_of[c] >= -1 && (h->field_of[c] < 0 || (uint32_t)h->field_of[c] < h->nheader);
	if (!ok)
		return false;
	src->present = h->present, src->broken = h->broken, src->have_header = h->have_header;
	src->unterminated = h->unterminated;
	src->nheader = h->nheader, src->delimiter = h->delimiter, src->decimal = h->decimal;
	src->opt.utf8_bom = h->utf8_bom;
	src->left_out = h->left_out >= 0 ? src->def->cols[h->left_out] : NULL;
	memcpy(src->field_of, h->field_of, sizeof src->field_of);
	src->skipped_lines = h->skipped_lines, src->rows_read = h->rows_read, src->blank_lines = h->blank_lines;
	src->ambiguous = h->ambiguous, src->ambiguous_amounts = h->ambiguous_amounts;
	memcpy(src->reason_count, h->reason_count, sizeof src->reason_count);
	memcpy(src->evidence, h->evidence, sizeof src->evidence);
	memcpy(src->decimal_evidence, h->decimal_evidence, sizeof src->decimal_evidence);
	src->ambiguous_line = h->ambiguous_line;
	memcpy(src->ambiguous_text, h->ambiguous_text, AMBIGUOUS_TEXT);
	return true;
}

typedef struct LazySource LazySource;
static bool lazy_rows_ok(LazySource *z, const CacheHead *h, Reader *r, size_t ncu);

/* src from a cache file's head and the rest of its bytes (rest: rsize bytes, a NUL after them,
 * inside *file, which the source takes as its text; rows: the table's, room for cap rows, taken). */
static bool take_apart(Silver *s, Source *src, const CacheHead *h, char *rows, size_t cap, Input *file, char *rest,
		       size_t rsize)
{
	const char *text = rest + (rsize - 1 - h->ntext);	/* sizes_ok: the sections add up */
	Reader r = {rest, text, text, h->ntext, 0};
	src->table.rows = rows;
	src->table.n = h->nrows;
	src->table.cap = cap;
	src->file = *file;
	*file = (Input){0};
	/* The text ends with a NUL: each offset below ntext starts a NUL-terminated text. Its
	 * texts are read in the order they were written: the rows', the samples', the lists'. */
	if (!h->ntext || text[h->ntext - 1] != '\0' || !head_ok(src, h))
		return false;
	const Source *customers = &s->src[SRC_CUSTOMERS];
	Checked texts[MAX_COLS], values[MAX_COLS];
	int ntexts = checked_columns(src->def, true, texts), nvalues = checked_columns(src->def, false, values);
	if (src->lazy && !lazy_rows_ok(src->lazy, h, &r, customers->table.n))
		return false;
	for (size_t i = 0; !src->lazy && i < src->table.n; i++)
		if (!row_texts_ok(&r, ROW(&src->table, char, i), texts, ntexts))
			return false;
	if (!src->lazy && !values_ok(src, h, customers->table.n, values, nvalues))
		return false;
	if (!tallies_ok(src, &r, h->nsamples) || !lists_ok(src, customers, &r, h->nquarantine, h->norphans))
		return false;
	for (int c = 0; c < MAX_COLS; c++)	/* at least the labels every dictionary starts with */
		if (h->dict_n[c] < src->dict[c].n || !dict_ok(&src->dict[c], &r, h->dict_n[c], h->dict_text[c]))
			return false;
	if (!source_is_fact(src->id)) {
		silver_reindex(src);
		if (src->keys.n != src->table.n)	/* cleaning keeps one row a key */
			return false;
	}
	return r.p == text && r.next == h->ntext - 1;
}

/* Checks the head against the source and key, and the sum of the n bytes after it. */
static bool head_read(const Source *src, FileHash key, const CacheHead *h, uint64_t n)
{
	return memcmp(h->magic, CACHE_MAGIC, 8) == 0 && h->version == CACHE_VERSION && h->source == (uint32_t)src->id &&
	       h->key.lo == key.lo && h->key.hi == key.hi && sizes_ok(h, src->def, n);
}

/* The file's rows go at the end of the table's room for them: each row made whole then ends
 * no later than where the next row in the file starts (a row is ROW_CUT bytes longer). */
static char *file_rows(const CacheHead *h, char *rows)
{
	return rows + h->nrows * ROW_CUT;
}

/* frows: the file's rows */
static bool sum_ok(const CacheHead *h, const char *frows, const char *rest, size_t nrest)
{
	FileHasher *hs = file_hasher_new();
	file_hasher_add(hs, frows, h->nrows * file_row_size(h->row_size));
	file_hasher_add(hs, rest, nrest - h->ntext);
	FileHash sum = sum_of(h, file_hasher_end(hs), file_hash(rest + (nrest - h->ntext), h->ntext));
	return sum.lo == h->sum.lo && sum.hi == h->sum.hi;
}

_Static_assert(ROW_CUT >= 8, "a part moves at least 8 bytes forward");

/* n bytes moved from from to to, which is at least 8 bytes before it: 8 at a time, each read
 * before the write that may land on it. */
static inline __attribute__((always_inline)) void move_forward(char *to, const char *from, size_t n)
{
	size_t j = 0;
	for (uint64_t v; j + 8 <= n; j += 8)
		memcpy(&v, from + j, 8), memcpy(to + j, &v, 8);
	for (; j < n; j++)
		to[j] = from[j];
}

/* rows_whole for rows of size bytes, a constant where it is called: each copy a few moves, not
 * a call (a third of the time the cache of a million rows takes to load, else). Row i made
 * whole, [i * size, (i + 1) * size), starts d = (nrows - i) * ROW_CUT bytes before the file's
 * row i and ends where the file's row i + 1 starts at the latest: no later row is touched, and
 * in the row each part moves forward 8 bytes at a time (move_forward), the head's zeros written
 * over bytes of it already moved (d >= ROW_CUT, which is KEEP_FROM and the head's bytes after
 * KEEP_TO). No copy of the row first (read19, session 19). */
static inline __attribute__((always_inline)) void rows_whole_of(size_t size, size_t nrows, char *rows)
{
	size_t in = file_row_size(size), keep = KEEP_TO - KEEP_FROM;
	const char *from = rows + nrows * ROW_CUT;	/* file_rows */
	for (size_t i = 0; i < nrows; i++) {
		const char *f = from + i * in;
		char *to = rows + i * size;
		memset(to, 0, KEEP_FROM);
		move_forward(to + KEEP_FROM, f, keep);
		memset(to + KEEP_TO, 0, sizeof(RowHead) - KEEP_TO);
		move_forward(to + sizeof(RowHead), f + keep, in - keep);
	}
}

/* The table's rows from the file's, in place: the id NULL (row_texts_ok sets it), the bronze fields 0. */
static void rows_whole(const CacheHead *h, char *rows)
{
	size_t z = h->row_size;	/* sizes_ok: the source's */
	if (z == sizeof(Customer))
		rows_whole_of(sizeof(Customer), h->nrows, rows);
	else if (z == sizeof(Order))
		rows_whole_of(sizeof(Order), h->nrows, rows);
	else if (z == sizeof(Payment))
		rows_whole_of(sizeof(Payment), h->nrows, rows);
	else if (z == sizeof(Ticket))
		rows_whole_of(sizeof(Ticket), h->nrows, rows);
	else if (z == sizeof(Session))
		rows_whole_of(sizeof(Session), h->nrows, rows);
	else
		rows_whole_of(z, h->nrows, rows);
}

/* ---- a source whose rows are made when first read: a rebuild's unchanged sessions
 *
 * After silver_finish a rebuild that kept the sessions' groupings, views, facts hashes and gold
 * table reads only the changed customers' sessions (a few % of the table's pages), yet making
 * the table whole (its fresh memory zeroed by the kernel, the file's rows copied and widened)
 * was a large part of such a rebuild. So the table is lazy_pages memory: a page is made from
 * the mapped file when first touched. The whole file is checked on loading as before (its sum,
 * every row's id, values and customer), read through its descriptor a slice at a time into one
 * small buffer, not through the mapping: a loaded rebuild touches only the mapping's pages it
 * makes rows from. What silver_finish reads of the rows is gathered as they are checked (the
 * orphans' rows, the latest dates, the flags); its other passes read the rows' heads from the
 * file (silver_lazy_head). A row made is checked again as it is made: the file could have
 * been written since (silver_cache_intact then stops the build); what does not pass is made a
 * safe value and the source marked broken, so no such row reads out of bounds and no build
 * with one replaces the previous site. What
 * silver_finish does to rows is recorded, not done (the date order its ambiguous dates are read
 * by, each orphan's inferred customer), and done to each row as it is made. Only for a source
 * with no text but its ids (an id is where the one before ended: every LAZY_STEP-th row's
 * offset is kept). */
enum { LAZY_STEP = 64 };

static char *keyed_path_load(const char *path, const char *magic, uint64_t version, FileHash key, uint64_t n, size_t most,
			     size_t *len, struct timespec *mtime);
static void keyed_path_save(const char *path, const char *magic, uint64_t version, FileHash key, uint64_t n, const void *a,
			    size_t na, const void *b, size_t nb);
static const char *keyed_name(char name[static 64], const char *prefix, SourceId id);

struct LazySource {
	LazyPages *pages;
	const char *rows, *text;	/* the file's rows and text, in the source's mapped file */
	size_t in, size, nrows;		/* a row's bytes in the file, in the table */
	uint64_t ntext;
	uint64_t *step;			/* the id offset of row k * LAZY_STEP */
	uint32_t ncu;			/* the customers' rows when it was loaded */
	uint32_t safe_customer;		/* the first row's, as loaded: for a row that no longer passes */
	uint32_t *orphan;		/* orphan k's inferred customer, once inferred */
	size_t norphans;
	bool ambiguous, ordered, timestamp;	/* ambiguous dates; read by order once ordered */
	DateOrder order;
	const TzZone *zone;	/* their local times' (the source's [read] time_zone) */
	bool inferred;
	LazyFinish fin;			/* gathered by lazy_rows_ok */
	size_t orphan_rows_cap;
	Checked value[MAX_COLS];
	uint64_t labels[MAX_COLS];
	int nvalues;
	atomic_bool broken;		/* a row made did not pass */
	int fd;				/* the file, while loading checks it (lazy_rows_ok) */
	struct stat st;			/* the file as opened */
	struct timespec began;		/* when loading began */
	uint64_t text_end;		/* the text's offset after the rows' ids */
	char *kept;			/* its check the previous build's, from this file (lazy_check_load); else NULL */
};

static bool lazy_wanted(const Source *src, const CacheHead *h)
{
	Checked texts[MAX_COLS];
	return src->id == SRC_SESSIONS && h->nrows && !checked_columns(src->def, true, texts);
}

static uint32_t file_idlen(const LazySource *z, size_t i)
{
	uint32_t n;
	memcpy(&n, z->rows + i * z->in + (offsetof(RowHead, idlen) - KEEP_FROM), sizeof n);
	return n;
}

/* A value in the file's row at p, as values_ok checks it; if it does not pass, made null. */
/* Whether the value at p (unaligned) is one cleaning makes. */
static bool value_ok(ColKind kind, const char *p, uint64_t labels)
{
	if (kind == COL_AMOUNT) {
		int64_t v;
		memcpy(&v, p, sizeof v);
		return amount_ok(v);
	}
	if (kind == COL_CATEGORY) {
		uint32_t v;
		memcpy(&v, p, sizeof v);
		return v < labels;
	}
	return (uint8_t)*p <= GENDER_UNKNOWN;
}

static bool value_at_ok(ColKind kind, char *p, uint64_t labels)
{
	if (value_ok(kind, p, labels))
		return true;
	if (kind == COL_AMOUNT)
		memcpy(p, &(int64_t){AMOUNT_NULL}, sizeof(int64_t));
	else if (kind == COL_CATEGORY)
		memset(p, 0, sizeof(uint32_t));
	else
		*p = (char)GENDER_UNKNOWN;
	return false;
}

/* Row i's head from the file (no id), its customer inferred if silver_finish did; false (the
 * head made safe) if it is not one cleaning makes. */
static bool lazy_head_of(const LazySource *z, size_t i, RowHead *h)
{
	memset(h, 0, sizeof *h);
	memcpy((char *)h + KEEP_FROM, z->rows + i * z->in, KEEP_TO - KEEP_FROM);
	bool when = when_ok(h->when, z->ambiguous), ok = (h->flags & ~F_KEPT) == 0 && when;
	h->flags &= F_KEPT;
	if (!when)
		h->when = MOMENT_NULL;
	else if (z->ordered && h->when >= (int64_t)1 << 62)	/* packed ambiguous (when_ok): few rows */
		h->when = silver_resolve_when(h->when, z->order, z->timestamp, z->zone);
	uint32_t c = h->customer;
	if (c & ORPHAN ? (c & ~ORPHAN) >= z->norphans : c >= z->ncu)
		ok = false, c = z->safe_customer;
	if ((c & ORPHAN) && z->inferred)
		c = z->orphan[c & ~ORPHAN], h->flags |= FLAG(D_ORPHAN_CUSTOMER);
	h->customer = c;
	return ok;
}

/* Row i whole at row (the table's row size), its id at text offset off. */
static void lazy_row(LazySource *z, size_t i, uint64_t off, char *row)
{
	RowHead h;
	bool ok = lazy_head_of(z, i, &h);
	memcpy(row + sizeof h, z->rows + i * z->in + (KEEP_TO - KEEP_FROM), z->size - sizeof h);
	if (!h.idlen || off > z->ntext || h.idlen > z->ntext - off)
		ok = false, h.idlen = 1, off = 0;	/* the text's first byte: there is one, its NUL */
	h.id = z->text + off;
	memcpy(row, &h, sizeof h);
	for (int k = 0; k < z->nvalues; k++)
		ok &= value_at_ok(z->value[k].kind, row + z->value[k].at, z->labels[z->value[k].col]);
	if (!ok)
		atomic_store(&z->broken, true);
}

/* LazyMake: the table's bytes [at, at + n). */
static void lazy_make(void *ctx, char *to, size_t at, size_t n)
{
	LazySource *z = ctx;
	size_t i = at / z->size, end = at + n, last = (end + z->size - 1) / z->size;
	size_t first = i - i % LAZY_STEP;
	prefault(z->rows + first * z->in, ((last < z->nrows ? last : z->nrows) - first) * z->in, false);	/* not a fault each */
	uint64_t off = z->step[i / LAZY_STEP];
	for (size_t j = first; j < i; j++)
		off += file_idlen(z, j);
	char row[ROW_MAX];
	for (; i < z->nrows && i * z->size < end; i++) {
		lazy_row(z, i, off, row);
		off += file_idlen(z, i);
		size_t from = i * z->size, a = from > at ? from : at, b = from + z->size < end ? from + z->size : end;
		memcpy(to + (a - at), row + (a - from), b - a);
	}
}

/* A row's part of what silver_finish reads (LazyFinish), from its head x as the file holds it
 * (row i, its key id): its date, its flags counted and the row among each one's first rows. */
static void lazy_finish_add(LazySource *z, const RowHead *x, size_t i, const char *id)
{
	LazyFinish *f = &z->fin;
	int64_t w = x->when;
	bool packed = z->ambiguous && w != MOMENT_NULL && w >= (int64_t)1 << 62;	/* when_ok: read each way */
	for (int o = ORDER_DAY_FIRST; o <= ORDER_MONTH_FIRST; o++) {
		int64_t v = packed ? silver_resolve_when(w, (DateOrder)o, z->timestamp, z->zone) : w;
		if (v > f->last[o])	/* MOMENT_NULL is below every moment; of rows dated alike, the first */
			f->last[o] = v, f->last_line[o] = x->line;
	}
	uint32_t flags = x->flags & F_ROW_FLAGS;
	if (x->customer & ORPHAN) {
		if (f->norphan_rows == z->orphan_rows_cap)
			f->orphan_rows = xrealloc(f->orphan_rows, (z->orphan_rows_cap = z->orphan_rows_cap * 2 + 64) *
							  sizeof *f->orphan_rows);
		f->orphan_rows[f->norphan_rows++] = (LazyOrphanRow){x->line, x->customer & ~ORPHAN};
		flags |= FLAG(D_ORPHAN_CUSTOMER);
	}
	f->flagged_rows += flags != 0;
	uint32_t want = flags ? flag_picks_wanted(&f->picks, flags, x->line) : 0;
	if (want)
		flag_picks_add(&f->picks, want, (uint32_t)i, x->line, id, x->idlen);
	for (; flags; flags &= flags - 1)
		f->flag_count[__builtin_ctz(flags)]++;
}

/* n rows of the file at f (row i first, read into memory) checked as values_ok and
 * row_texts_ok check a table's (their ids' offsets taken in order from r, each LAZY_STEP-th
 * kept), what silver_finish reads of them gathered: false if one has no id where it should; *bad
 * set if a value is not one cleaning makes. */
static bool lazy_rows_checked(LazySource *z, const CacheHead *h, Reader *r, const char *f, size_t i, size_t n,
			      unsigned *bad)
{
	size_t at[MAX_COLS];	/* each value's offset in a row as the file holds it: checked there */
	for (int k = 0; k < z->nvalues; k++)
		at[k] = (KEEP_TO - KEEP_FROM) + z->value[k].at - sizeof(RowHead);
	for (size_t end = i + n; i < end; i++, f += z->in) {
		RowHead x;
		memcpy((char *)&x + KEEP_FROM, f, KEEP_TO - KEEP_FROM);
		if (i % LAZY_STEP == 0)
			z->step[i / LAZY_STEP] = r->next;
		const char *id = x.idlen ? text_ptr(r, r->next, x.idlen) : NULL;
		if (!id)
			return false;
		uint32_t c = x.customer;
		*bad |= (x.flags & ~F_KEPT) != 0;
		*bad |= !when_ok(x.when, z->ambiguous);
		*bad |= c & ORPHAN ? (c & ~ORPHAN) >= h->norphans : c >= z->ncu;
		for (int k = 0; k < z->nvalues; k++)
			*bad |= !value_ok(z->value[k].kind, f + at[k], z->labels[z->value[k].col]);
		if (!*bad)
			lazy_finish_add(z, &x, i, id);
	}
	return true;
}

/* The n bytes of fd from offset at hashed into hs, read a slice at a time into buf. */
static bool hash_at(int fd, FileHasher *hs, uint64_t at, uint64_t n, char *buf, size_t slice)
{
	while (n) {
		size_t k = n < slice ? (size_t)n : slice;
		if (!read_at(fd, buf, k, (off_t)at))
			return false;
		file_hasher_add(hs, buf, k);
		at += k, n -= k;
	}
	return true;
}

/* take_apart's row_texts_ok and values_ok for a lazy source, and sum_ok: the file (z->fd) read
 * once, CACHE_SLICE bytes of whole rows at a time into one reused buffer (no row across a
 * slice's edge), not through its mapping, whose pages a 1 % rebuild then mostly never touches:
 * every row checked, what silver_finish reads of it gathered, every byte after the head summed
 * (the lists and the text too: each text is checked by its offset, read later where it is
 * mapped). r: after the rows, before the text, in the mapping. */
static bool lazy_rows_ok(LazySource *z, const CacheHead *h, Reader *r, size_t ncu)
{
	z->ncu = (uint32_t)ncu;
	for (int k = 0; k < z->nvalues; k++)
		z->labels[z->value[k].col] = h->dict_n[z->value[k].col];
	if (z->kept) {
		r->next = z->text_end;
		return true;
	}
	z->fin.last[ORDER_DAY_FIRST] = z->fin.last[ORDER_MONTH_FIRST] = MOMENT_NULL;
	z->fin.last_line[ORDER_DAY_FIRST] = z->fin.last_line[ORDER_MONTH_FIRST] = 0;
	size_t per = CACHE_SLICE / z->in + 1, slice = per * z->in;	/* whole rows: none across an edge */
	char *buf = xmalloc(slice);
	FileHasher *body = file_hasher_new(), *text = file_hasher_new();
	uint64_t at = sizeof *h;
	unsigned bad = 0;
	bool ok = true;
	for (size_t i = 0, n; ok && i < z->nrows; i += n, at += n * z->in) {
		n = z->nrows - i < per ? z->nrows - i : per;
		ok = read_at(z->fd, buf, n * z->in, (off_t)at);
		if (ok && i == 0)
			memcpy(&z->safe_customer, buf + (offsetof(RowHead, customer) - KEEP_FROM), sizeof z->safe_customer);
		file_hasher_add(body, buf, ok ? n * z->in : 0);
		ok = ok && lazy_rows_checked(z, h, r, buf, i, n, &bad);
	}
	z->text_end = r->next;
	uint64_t lists = (uint64_t)(r->end - r->p);	/* the bytes between the rows and the text */
	ok = ok && hash_at(z->fd, body, at, lists, buf, slice) && hash_at(z->fd, text, at + lists, h->ntext, buf, slice);
	FileHash sum = sum_of(h, file_hasher_end(body), file_hasher_end(text));
	free(buf);
	return ok && !bad && sum.lo == h->sum.lo && sum.hi == h->sum.hi;
}

void silver_lazy_head(const Source *src, size_t r, RowHead *h)
{
	if (!lazy_head_of(src->lazy, r, h))
		atomic_store(&src->lazy->broken, true);
}

void silver_lazy_ordered(Source *src)
{
	src->lazy->order = src->order;
	src->lazy->zone = src->zone;
	src->lazy->timestamp = src->def->timestamp;
	src->lazy->ordered = true;
}

void silver_lazy_orphan(Source *src, size_t k, uint32_t customer)
{
	src->lazy->orphan[k] = customer;
}

/* From now on a made row's orphan customer is the inferred one; a row made before (nothing
 * should make one) gets it now, and its date read by the order. */
void silver_lazy_inferred(Source *src)
{
	LazySource *z = src->lazy;
	size_t total;
	z->inferred = true;
	for (size_t i = 0; lazy_pages_count(z->pages, &total) && i < z->nrows; i++) {
		RowHead x;
		memcpy((char *)&x + KEEP_FROM, z->rows + i * z->in, KEEP_TO - KEEP_FROM);
		size_t at = i * z->size + offsetof(RowHead, when);
		if (!lazy_pages_made(z->pages, at) && !lazy_pages_made(z->pages, at + 23))
			continue;
		RowHead *h = ROW(&src->table, RowHead, i);	/* a part not made is made now, inferred */
		lazy_head_of(z, i, &x);
		h->when = x.when;
		h->customer = x.customer;
		h->flags = x.flags;
	}
}

/* Row i's id offset in the text: its step's, then the ids before it in the step. */
static uint64_t lazy_id_at(const LazySource *z, size_t i)
{
	uint64_t off = z->step[i / LAZY_STEP];
	for (size_t j = i - i % LAZY_STEP; j < i; j++)
		off += file_idlen(z, j);
	return off;
}

const RowHead *silver_lazy_row(const Source *src, size_t r, char *row)
{
	lazy_row(src->lazy, r, lazy_id_at(src->lazy, r), row);
	return (const RowHead *)(void *)row;
}

Str silver_lazy_id(const Source *src, size_t r)
{
	const LazySource *z = src->lazy;
	uint64_t off = lazy_id_at(z, r);
	uint32_t n = file_idlen(z, r);
	if (!n || off > z->ntext || n > z->ntext - off)	/* lazy_row's safe id: the text's first byte */
		return str_make(z->text, 1);
	return str_make(z->text + off, n);
}

const LazyFinish *silver_lazy_finish(const Source *src)
{
	return src->lazy ? &src->lazy->fin : NULL;
}

size_t silver_lazy_made(const Source *src, size_t *total)
{
	*total = 0;
	return src->lazy ? lazy_pages_count(src->lazy->pages, total) : 0;
}

void silver_lazy_free(Source *src)
{
	LazySource *z = src->lazy;
	if (!z)
		return;
	lazy_pages_free(z->pages);
	free(z->kept);
	free(z->step);
	free(z->orphan);
	free(z->fin.orphan_rows);
	free(z);
	src->lazy = NULL;
	src->table.rows = NULL;
}

/* ---- a lazy source's check kept: what it gathered, for a cache file not modified since
 *
 * Checking a lazy source's cache file reads all of it (the sessions': 112 MB at 100k, ~85 ms
 * of CPU in a 1 % rebuild: its copy, its sum, every row), though the build then makes the rows
 * of ~1 % of the customers, each checked again as it is made. So once a build has checked the
 * file whole, it keeps what the check gathered (LazyFinish, the step index, where the rows'
 * ids end in the text) in lazy-NAME beside it, with the file's device, inode, size and mtime as
 * it was opened and when the build began. The next build takes these instead of reading the
 * file again if the file is the same by all of them: the trust kept pages have (regular, of its
 * size, not modified since; a hard link does not change an mtime), and the file's mtime more
 * than LAZY_MARGIN_NS before the check began (no write after the check stamped within the
 * same tick or second as the file was written). What is given up is the sum's check against
 * a change that keeps the mtime: a disk's bit rot, or an edit with its mtime set back; what
 * is kept is that every row made is checked as before, so a file that changed cannot make a
 * build read out of bounds, and each offset the kept check gives is bounded by the file. */
enum { LAZY_MARGIN_NS = 3000000000 };
#define LAZY_MAGIC "c360lzy"
#define LAZY_VERSION 3u	/* 2: each flag's first rows; 3: the latest date's line */

typedef struct {
	FileHash sum;			/* the cache file's (CacheHead.sum) */
	uint64_t dev, ino, size;	/* the cache file as opened */
	int64_t mtime, mtime_ns;
	int64_t began;			/* when the build that checked it began to load it, in ns */
	uint64_t ncu, norphans, text_end, safe_customer;
	int64_t last[2];
	uint64_t last_line[2];		/* LazyFinish.last_line */
	uint32_t pick_row[D_NFLAGS][FLAG_EXAMPLES], pick_line[D_NFLAGS][FLAG_EXAMPLES];	/* LazyFinish.picks */
	uint64_t npicks[D_NFLAGS];
	uint64_t flag_count[D_NFLAGS], flagged_rows, norphan_rows;
} LazyCheck;
_Static_assert(sizeof(LazyCheck) % 8 == 0 && offsetof(LazyCheck, norphan_rows) + 8 == sizeof(LazyCheck),
	       "LazyCheck has padding");

static int64_t lazy_ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static char *lazy_check_path(const char *dir, const Source *src)
{
	char name[64];
	return path_join(dir, keyed_name(name, "lazy-", src->id));
}

/* The previous build's check of src's cache file (head h, z->st as opened) from the folder
 * dir, if it is whole and of that file as it is now: z's finish, steps and safe customer set,
 * z->kept its path. */
static void lazy_check_load(LazySource *z, const char *dir, const Source *src, const CacheHead *h, size_t ncu)
{
	size_t nsteps = h->nrows / LAZY_STEP + 1, len;
	char *path = lazy_check_path(dir, src);
	char *p = keyed_path_load(path, LAZY_MAGIC, LAZY_VERSION, h->key, h->nrows, sizeof(LazyCheck) + (h->nrows + nsteps) * 8,
				  &len, NULL);
	LazyCheck c;
	if (p && len >= sizeof c)
		memcpy(&c, p, sizeof c);
	bool ok = p && len >= sizeof c && c.norphan_rows <= h->nrows &&
		  len == sizeof c + c.norphan_rows * sizeof(LazyOrphanRow) + nsteps * sizeof(uint64_t) &&
		  c.sum.lo == h->sum.lo && c.sum.hi == h->sum.hi && c.dev == (uint64_t)z->st.st_dev &&
		  c.ino == (uint64_t)z->st.st_ino && c.size == (uint64_t)z->st.st_size && c.mtime == z->st.st_mtim.tv_sec &&
		  c.mtime_ns == z->st.st_mtim.tv_nsec && lazy_ns(z->st.st_mtim) < c.began - LAZY_MARGIN_NS &&
		  c.ncu == ncu && c.norphans == h->norphans && c.text_end < h->ntext && c.flagged_rows <= h->nrows &&
		  (c.safe_customer & ORPHAN ? (c.safe_customer & ~ORPHAN) < c.norphans : c.safe_customer < ncu) &&
		  c.safe_customer <= UINT32_MAX;
	for (int o = 0; ok && o < 2; o++)
		ok = (c.last[o] == MOMENT_NULL || cache_moment_ok(c.last[o])) && c.last_line[o] <= UINT32_MAX;
	for (int k = 0; ok && k < D_NFLAGS; k++) {
		ok = c.flag_count[k] <= h->nrows && c.npicks[k] <= FLAG_EXAMPLES && c.npicks[k] <= c.flag_count[k];
		for (unsigned i = 0; ok && i < c.npicks[k]; i++)	/* rows of the file, in order */
			ok = c.pick_row[k][i] < h->nrows &&
			     (i == 0 || c.pick_line[k][i - 1] < c.pick_line[k][i] ||
			      (c.pick_line[k][i - 1] == c.pick_line[k][i] && c.pick_row[k][i - 1] != c.pick_row[k][i]));
	}
	LazyOrphanRow *rows = ok ? xmalloc((c.norphan_rows + 1) * sizeof *rows) : NULL;
	if (ok)
		memcpy(rows, p + sizeof c, c.norphan_rows * sizeof *rows);
	for (uint64_t i = 0; ok && i < c.norphan_rows; i++)
		ok = rows[i].orphan < c.norphans;
	const char *step = ok ? p + sizeof c + c.norphan_rows * sizeof(LazyOrphanRow) : NULL;
	for (size_t k = 0; ok && k < nsteps; k++) {
		memcpy(&z->step[k], step + k * 8, 8);
		ok = z->step[k] < h->ntext;
	}
	free(p);
	if (!ok) {
		free(rows), free(path);
		return;
	}
	z->fin = (LazyFinish){.orphan_rows = rows, .norphan_rows = c.norphan_rows, .last = {c.last[0], c.last[1]},
			      .last_line = {(uint32_t)c.last_line[0], (uint32_t)c.last_line[1]}, .flagged_rows = c.flagged_rows};
	memcpy(z->fin.flag_count, c.flag_count, sizeof c.flag_count);
	for (int k = 0; k < D_NFLAGS; k++) {	/* their keys not known: no row is added to them */
		z->fin.picks.n[k] = (uint8_t)c.npicks[k];
		for (unsigned i = 0; i < c.npicks[k]; i++)
			z->fin.picks.pick[k][i] = (FlagPick){c.pick_row[k][i], c.pick_line[k][i], 0, NULL};
	}
	z->orphan_rows_cap = c.norphan_rows + 1;
	z->safe_customer = (uint32_t)c.safe_customer;
	z->text_end = c.text_end;
	z->kept = path;
}

/* After src was taken lazily: its check into the folder dir, as lazy_check_load takes it (the
 * previous build's linked if it was that). */
static void lazy_check_save(const LazySource *z, const char *dir, const Source *src, const CacheHead *h, size_t ncu)
{
	char *path = lazy_check_path(dir, src);
	if (z->kept) {
		if (link(z->kept, path) != 0)
			unlink(path);
		free(path);
		return;
	}
	LazyCheck c = {h->sum,
		       (uint64_t)z->st.st_dev,
		       (uint64_t)z->st.st_ino,
		       (uint64_t)z->st.st_size,
		       z->st.st_mtim.tv_sec,
		       z->st.st_mtim.tv_nsec,
		       lazy_ns(z->began),
		       ncu,
		       h->norphans,
		       z->text_end,
		       z->safe_customer,
		       {z->fin.last[0], z->fin.last[1]},
		       {z->fin.last_line[0], z->fin.last_line[1]},
		       {{0}},
		       {{0}},
		       {0},
		       {0},
		       z->fin.flagged_rows,
		       z->fin.norphan_rows};
	memcpy(c.flag_count, z->fin.flag_count, sizeof c.flag_count);
	for (int k = 0; k < D_NFLAGS; k++) {
		c.npicks[k] = z->fin.picks.n[k];
		for (unsigned i = 0; i < z->fin.picks.n[k]; i++)
			c.pick_row[k][i] = z->fin.picks.pick[k][i].row, c.pick_line[k][i] = z->fin.picks.pick[k][i].line;
	}
	size_t nsteps = h->nrows / LAZY_STEP + 1;
	Buf b = {0};
	buf_put(&b, &c, sizeof c);
	buf_put(&b, z->fin.orphan_rows, z->fin.norphan_rows * sizeof *z->fin.orphan_rows);
	keyed_path_save(path, LAZY_MAGIC, LAZY_VERSION, h->key, h->nrows, b.p, b.len, z->step, nsteps * sizeof *z->step);
	buf_free(&b);
	free(path);
}

/* src lazily from the mapped file (rest: its bytes after the rows, a NUL after them; st: the
 * file as opened): 1 if taken, 0 if not (src set up anew), -1 if its memory cannot be had
 * (nothing done). */
static int take_lazy(Silver *s, Source *src, const CacheHead *h, int fd, const struct stat *st, Input *file, char *rest,
		     size_t nrest)
{
	LazySource *z = xcalloc(1, sizeof *z);
	z->size = h->row_size, z->in = file_row_size(h->row_size), z->nrows = h->nrows;
	z->pages = lazy_pages_new(h->nrows * h->row_size, lazy_make, z);
	if (!z->pages) {
		free(z);
		return -1;
	}
	z->rows = file->data + sizeof *h;
	z->text = rest + (nrest - h->ntext), z->ntext = h->ntext;
	z->step = xmalloc((h->nrows / LAZY_STEP + 1) * sizeof *z->step);
	z->orphan = xcalloc(h->norphans + 1, sizeof *z->orphan);
	z->norphans = h->norphans;
	z->ambiguous = h->ambiguous > 0;
	z->timestamp = src->def->timestamp;
	z->zone = src->zone;	/* set in silver's source setup, before the cache is read */
	z->nvalues = checked_columns(src->def, false, z->value);
	src->lazy = z;
	z->fd = fd;	/* lazy_rows_ok reads the file through it */
	z->st = *st;
	clock_gettime(CLOCK_REALTIME, &z->began);
	size_t ncu = s->src[SRC_CUSTOMERS].table.n;
	lazy_check_load(z, s->cache_from, src, h, ncu);
	bool ok = take_apart(s, src, h, lazy_pages_base(z->pages), h->nrows, file, rest, nrest + 1) && input_intact(&src->file);
	z->fd = -1;
	if (ok && z->kept)
		say(SAY_VERBOSE, "%s: its cache as the previous build checked it (inode, size, mtime): not read again",
		    config_file_of(s->cfg, src->id));
	if (ok && s->cache_to)
		lazy_check_save(z, s->cache_to, src, h, ncu);
	if (ok)
		return 1;
	input_close(file);
	silver_source_free(src);
	input_close(&src->file);
	silver_source_setup(s, src, src->id);
	return 0;
}

/* src from the head, its rows (the file's, at file_rows, in room for cap rows) and the rest (in
 * file, a NUL after it), all checked, the file (if mapped) still whole and unwritten after; else
 * src set up anew. */
static bool take_whole(Silver *s, Source *src, const CacheHead *h, char *rows, size_t cap, Input *file, char *rest,
		       size_t nrest)
{
	if (sum_ok(h, file_rows(h, rows), rest, nrest) &&
	    (rows_whole(h, rows), take_apart(s, src, h, rows, cap, file, rest, nrest + 1)) && input_intact(&src->file))
		return true;
	if (!src->table.rows)
		big_free(rows, cap * h->row_size);
	input_close(file);
	silver_source_free(src);
	input_close(&src->file);
	silver_source_setup(s, src, src->id);
	return false;
}

bool silver_cache_read(Silver *s, Source *src, FileHash key, const char *p, size_t n)
{
	CacheHead h;
	if (n < sizeof h)
		return false;
	memcpy(&h, p, sizeof h);
	if (!head_read(src, key, &h, n - sizeof h))
		return false;
	size_t nin = h.nrows * file_row_size(h.row_size), nrest = n - sizeof h - nin;
	char *rows = big_alloc(h.nrows * h.row_size), *rest = big_alloc(nrest + 1);
	Input file = {.data = rest, .len = nrest, .size = nrest + 1};
	memcpy(file_rows(&h, rows), p + sizeof h, nin);
	memcpy(rest, p + sizeof h + nin, nrest);
	return take_whole(s, src, &h, rows, h.nrows, &file, rest, nrest);
}

/* The previous site's cache file of src, open, and its head if it is of key (any key: NULL);
 * -1 if there is none. path: its path, if wanted (the caller frees it). */
static int cache_open(const Silver *s, const Source *src, const FileHash *key, CacheHead *h, struct stat *st,
		      char **pathp)
{
	if (!s->cache_from)
		return -1;
	char *path = path_join(s->cache_from, src->def->name);
	const char *why;
	int fd = open_regular(path, &why);
	if (pathp)
		*pathp = path;
	else
		free(path);
	bool ok = fd >= 0 && fstat(fd, st) == 0 && (uint64_t)st->st_size >= sizeof *h &&
		  read_at(fd, (char *)h, sizeof *h, 0) &&
		  head_read(src, key ? *key : h->key, h, (uint64_t)st->st_size - sizeof *h);
	if (!ok && fd >= 0)
		close(fd);
	return ok ? fd : -1;
}

/* silver_cache_load; *bytes: the export's length the cache says. mapped: the rest of the file
 * (its texts and lists) used where it is, the file mapped for the build (silver_cache_intact
 * checks it before the site replaces the previous one), not copied into fresh memory. room:
 * rows the table has room for beyond the file's (the customers' table: as many again), so that
 * rows added later (an export's appended rows, the customers inferred) do not move it: a table
 * moved to another address is touched anew there, as fresh memory (the 1 % rebuild's 23 MB of
 * orders: 0.06 s in this VM). */
static bool cache_load(Silver *s, Source *src, FileHash key, uint64_t *bytes, bool mapped, size_t room)
{
	struct stat st;
	CacheHead h;
	char *path = NULL;
	int fd = cache_open(s, src, &key, &h, &st, &path);
	bool ok = fd >= 0;
	*bytes = ok ? h.bytes : 0;
	if (ok) {
		size_t nin = h.nrows * file_row_size(h.row_size), nrest = (size_t)st.st_size - sizeof h - nin;
		char *rows = NULL, *rest;
		Input file;
		int lazy = -1;
		if (mapped && input_map(fd, path, &st, &file)) {
			rest = file.data + sizeof h + nin;	/* the NUL after it: the page of zeros after the file */
			lazy = lazy_wanted(src, &h) ? take_lazy(s, src, &h, fd, &st, &file, rest, nrest) : -1;
		} else {
			rest = big_alloc(nrest + 1);
			file = (Input){.data = rest, .len = nrest, .size = nrest + 1};
			ok = read_at(fd, rest, nrest, (off_t)(sizeof h + nin));
		}
		if (lazy >= 0) {
			ok = lazy;
		} else {
			size_t cap = h.nrows + (src->id == SRC_CUSTOMERS ? h.nrows : room);	/* as the first inferred one doubles it */
			rows = big_alloc(cap * h.row_size);
			ok = ok && read_at(fd, file_rows(&h, rows), nin, sizeof h);
			if (ok)
				ok = take_whole(s, src, &h, rows, cap, &file, rest, nrest);
			else
				big_free(rows, cap * h.row_size), input_close(&file);
		}
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return ok;
}

bool silver_cache_load(Silver *s, Source *src, FileHash key)
{
	uint64_t bytes;
	return cache_load(s, src, key, &bytes, true, 0);
}

bool silver_cache_intact(const Silver *s)
{
	uint64_t made[SRC_COUNT] = {0};
	size_t total = 0, all;
	for (int i = 0; i < SRC_COUNT; i++)
		made[i] = silver_lazy_made(&s->src[i], &all), total += all;
	if (total)
		console_counts("row pages made when read", made);
	bool ok = true;
	for (int i = 0; i < SRC_COUNT; i++) {
		const LazySource *z = s->src[i].lazy;
		bool broken = z && atomic_load(&z->broken);
		if (broken && z->kept)	/* a row the kept check vouched for does not pass: the next build checks all */
			unlink(z->kept);
		ok = input_intact(&s->src[i].file) && !broken && ok;
	}
	return ok;
}

size_t silver_cache_prefix(Silver *s, Source *src, const Input *in, FileHash *key)
{
	struct stat st;
	CacheHead h;
	int fd = cache_open(s, src, NULL, &h, &st, NULL);
	if (fd < 0)
		return 0;
	close(fd);
	if (!h.bytes || h.bytes >= in->len || in->data[h.bytes - 1] != '\n')
		return 0;
	uint64_t bytes;
	size_t lines = 1;	/* the appended rows: at most a row a line */
	for (const char *p = in->data + h.bytes, *end = in->data + in->len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	*key = silver_cache_key(s, src->id, input_hash(in, (size_t)h.bytes));
	return cache_load(s, src, *key, &bytes, false, lines) && bytes == h.bytes ? (size_t)h.bytes : 0;	/* its text grows */
}

/* ---- keyed files: a head (what the file is, its key, a count), bytes, and the sum of the bytes
 * before it. Each customer's facts of a source hashed (site_customers.c: facts-NAME, the
 * hashes by customer row), grouped (gold.c: by-NAME) and the sessions' views (kpi.c:
 * views-web_activities). */

typedef struct {
	char magic[8];
	uint64_t version;
	FileHash key;		/* the source's rows key (its name among what it holds) */
	uint64_t n;
} KeyedHead;
_Static_assert(sizeof(KeyedHead) == 40, "KeyedHead has padding");

/* The name in the cache folder of source id's keyed file of a kind (prefix). */
static const char *keyed_name(char name[static 64], const char *prefix, SourceId id)
{
	snprintf(name, 64, "%s%s", prefix, source_defs[id].name);
	return name;
}

char *cache_file(const char *site, const char *name)
{
	char *dir = path_join(site, CACHE_DIR), *path = path_join(dir, name);
	free(dir);
	return path;
}

static char *cache_path(const char *site, const char *prefix, SourceId id)
{
	char name[64];
	return cache_file(site, keyed_name(name, prefix, id));
}

static KeyedHead keyed_head(const char *magic, uint64_t version, FileHash key, uint64_t n)
{
	KeyedHead h = {{0}, version, key, n};
	memcpy(h.magic, magic, strnlen(magic, sizeof h.magic - 1));
	return h;
}

static char *keyed_path_load(const char *path, const char *magic, uint64_t version, FileHash key, uint64_t n, size_t most,
			     size_t *len, struct timespec *mtime)
{
	const char *why;
	int fd = open_regular(path, &why);
	struct stat st;
	KeyedHead h, want = keyed_head(magic, version, key, n);
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_size >= sizeof h + sizeof(FileHash) &&
		  (uint64_t)st.st_size - sizeof h - sizeof(FileHash) <= most;
	size_t size = ok ? (size_t)st.st_size : 0;
	char *p = ok ? xmalloc(size) : NULL;
	ok = ok && read_at(fd, p, size, 0);
	if (fd >= 0)
		close(fd);
	if (ok) {
		memcpy(&h, p, sizeof h);
		FileHash sum = file_hash(p, size - sizeof sum), got;
		memcpy(&got, p + size - sizeof got, sizeof got);
		ok = memcmp(&h, &want, sizeof h) == 0 && sum.lo == got.lo && sum.hi == got.hi;
	}
	if (!ok) {
		free(p);
		return NULL;
	}
	*len = size - sizeof h - sizeof(FileHash);
	memmove(p, p + sizeof h, *len);
	if (mtime)
		*mtime = st.st_mtim;
	return p;
}

char *keyed_file_load(const char *site, const char *name, const char *magic, uint64_t version, FileHash key, uint64_t n,
		      size_t most, size_t *len, struct timespec *mtime)
{
	char *path = cache_file(site, name), *p = keyed_path_load(path, magic, version, key, n, most, len, mtime);
	free(path);
	return p;
}

char *keyed_cache_load(const char *site, SourceId id, const char *prefix, const char *magic, uint64_t version, FileHash key,
		       uint64_t n, size_t most, size_t *len)
{
	char name[64];
	return keyed_file_load(site, keyed_name(name, prefix, id), magic, version, key, n, most, len, NULL);
}

/* The keyed file's bytes (a head, then the parts) written to path with the sum of them after
 * them; a file that cannot be written whole is removed (the next build makes again what it
 * keeps). */
static void keyed_write(const char *path, const KeyedHead *head, const void *a, size_t na, const void *b, size_t nb)
{
	FileHasher *hs = file_hasher_new();
	file_hasher_add(hs, head, sizeof *head);
	file_hasher_add(hs, a, na);
	file_hasher_add(hs, b, nb);
	FileHash sum = file_hasher_end(hs);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	const char *part[] = {(const char *)head, a, b, (const char *)&sum};
	size_t len[] = {sizeof *head, na, nb, sizeof sum};
	bool ok = fd >= 0;
	for (int k = 0; k < 4; k++)
		ok = ok && fd_write_all(fd, part[k], len[k], NULL);
	ok = fd >= 0 && close(fd) == 0 && ok;
	if (!ok)
		unlink(path);
}

static void keyed_path_save(const char *path, const char *magic, uint64_t version, FileHash key, uint64_t n, const void *a,
			    size_t na, const void *b, size_t nb)
{
	KeyedHead h = keyed_head(magic, version, key, n);
	keyed_write(path, &h, a, na, b, nb);
}

void keyed_file_save(const char *staging, const char *name, const char *magic, uint64_t version, FileHash key, uint64_t n,
		     const void *a, size_t na, const void *b, size_t nb)
{
	char *path = cache_file(staging, name);
	keyed_path_save(path, magic, version, key, n, a, na, b, nb);
	free(path);
}

void keyed_cache_save(const char *staging, SourceId id, const char *prefix, const char *magic, uint64_t version,
		      FileHash key, uint64_t n, const void *a, size_t na, const void *b, size_t nb)
{
	char name[64];
	keyed_file_save(staging, keyed_name(name, prefix, id), magic, version, key, n, a, na, b, nb);
}

void keyed_cache_keep(const char *site, const char *staging, SourceId id, const char *prefix)
{
	char *from = cache_path(site, prefix, id), *to = cache_path(staging, prefix, id);
	if (link(from, to) != 0)
		unlink(to);
	free(from), free(to);
}


FileHash *facts_cache_load(const char *site, SourceId id, FileHash key, size_t n)
{
	size_t len;
	char *p = keyed_cache_load(site, id, "facts-", FACTS_MAGIC, FACTS_VERSION, key, n, n * sizeof(FileHash), &len);
	if (p && len != n * sizeof(FileHash))
		free(p), p = NULL;
	return (FileHash *)(void *)p;
}

void facts_cache_save(const char *staging, SourceId id, FileHash key, const FileHash *v, size_t n)
{
	keyed_cache_save(staging, id, "facts-", FACTS_MAGIC, FACTS_VERSION, key, n, v, n * sizeof *v, NULL, 0);
}

void facts_cache_keep(const char *site, const char *staging, SourceId id)
{
	keyed_cache_keep(site, staging, id, "facts-");
}

/* ---- each customer's facts of a source grouped latest first (gold.c's ByCustomer): by-NAME's
 * bytes are start[0 .. n + 1], then row[0 .. start[n]), n the customers; read in place (no
 * copy of the rows) */


/* The grouping is whole: the runs start at 0, none ends before it starts, the last ends at
 * start[n + 1] (group_facts': both the number of rows grouped, the file's), each row one of the
 * table's nrows. Which rows they are is the key's (and the sum's): this is what a reader of
 * them must hold. */
static bool by_whole(const uint32_t *start, const uint32_t *row, size_t n, size_t nrows)
{
	bool ok = start[0] == 0 && start[n] == start[n + 1];
	for (size_t c = 0; ok && c < n; c++)
		ok = start[c] <= start[c + 1];
	uint32_t most = 0;
	for (size_t i = 0; ok && i < start[n]; i++)
		most = row[i] > most ? row[i] : most;
	return ok && (start[n] == 0 || most < nrows);
}

bool by_cache_load(const char *site, SourceId id, FileHash key, size_t n, size_t nrows, uint32_t **start,
		   uint32_t **row)
{
	char *path = cache_path(site, "by-", id);
	const char *why;
	int fd = open_regular(path, &why);
	free(path);
	struct stat st;
	KeyedHead h, want = keyed_head(BY_MAGIC, BY_VERSION, key, n);
	size_t nstart = (n + 2) * sizeof **start, fixed = sizeof h + nstart + sizeof(FileHash);
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_size >= fixed &&
		  ((uint64_t)st.st_size - fixed) % sizeof **row == 0 && ((uint64_t)st.st_size - fixed) / sizeof **row <= nrows &&
		  read_at(fd, (char *)&h, sizeof h, 0) && memcmp(&h, &want, sizeof h) == 0;
	size_t nrow = ok ? ((size_t)st.st_size - fixed) / sizeof **row : 0;
	*start = ok ? xmalloc(nstart) : NULL;
	*row = ok ? xmalloc((nrows + 1) * sizeof **row) : NULL;
	FileHash sum = {0, 0};
	ok = ok && read_at(fd, (char *)*start, nstart, sizeof h) &&
	     read_at(fd, (char *)*row, nrow * sizeof **row, (off_t)(sizeof h + nstart)) &&
	     read_at(fd, (char *)&sum, sizeof sum, (off_t)(sizeof h + nstart + nrow * sizeof **row));
	if (fd >= 0)
		close(fd);
	if (ok) {
		FileHasher *hs = file_hasher_new();
		file_hasher_add(hs, &h, sizeof h);
		file_hasher_add(hs, *start, nstart);
		file_hasher_add(hs, *row, nrow * sizeof **row);
		FileHash got = file_hasher_end(hs);
		ok = got.lo == sum.lo && got.hi == sum.hi && (*start)[n] == nrow && by_whole(*start, *row, n, nrows);
	}
	if (!ok) {
		free(*start), free(*row);
		*start = *row = NULL;
	}
	return ok;
}

void by_cache_save(const char *staging, SourceId id, FileHash key, const uint32_t *start, const uint32_t *row, size_t n)
{
	keyed_cache_save(staging, id, "by-", BY_MAGIC, BY_VERSION, key, n, start, (n + 2) * sizeof *start, row,
			 start[n] * sizeof *row);
}

void by_cache_keep(const char *site, const char *staging, SourceId id)
{
	keyed_cache_keep(site, staging, id, "by-");
}
