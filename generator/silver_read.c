/* silver_read.c — the reader: files mapped and read in chunks by threads, the header mapped
 * to canonical columns, each record handed to the table rules of silver.c. */
#include "c360.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the header */

static bool is_required(const Source *src, int col)
{
	return col == 0 || col == src->def->customer_col;
}

static int header_column(const Source *src, const char *name)
{
	for (int c = 0; c < src->def->ncols; c++) {
		if (strcmp(name, src->def->cols[c]) == 0)
			return c;
		for (int a = 0; a < MAX_ALIASES && src->cfg->alias[src->id][c][a]; a++)
			if (strcmp(name, src->cfg->alias[src->id][c][a]) == 0)
				return c;
	}
	return -1;
}

static void read_header(Source *src, const Record *r)
{
	src->have_header = true;
	src->nheader = r->nfields;
	Buf names = {0};
	for (int c = 0; c < MAX_COLS; c++)
		src->field_of[c] = -1;
	for (uint32_t i = 0; i < r->nfields; i++) {
		char *name = config_normalise(r->fields[i]);
		int c = header_column(src, name);
		if (c >= 0 && src->field_of[c] < 0)
			src->field_of[c] = (int)i;
		else
			diag(&src->diags, c >= 0 ? D_COLUMN_DUPLICATE : D_COLUMN_UNKNOWN, r->line, i + 1, name, NULL, 0);
		buf_printf(&names, "%s%s", i ? ", " : "", name);
		free(name);
	}
	if (r->error)
		diag(&src->diags, D_NO_HEADER, r->line, r->error_col, "the header row is malformed", NULL, 0);
	for (int c = 0; c < src->def->ncols; c++) {
		if (src->field_of[c] >= 0)
			continue;
		bool required = is_required(src, c);
		src->broken |= required;
		diag(&src->diags, required ? D_COLUMN_REQUIRED : D_COLUMN_ABSENT, r->line, 0, src->def->cols[c],
		     names.p, names.len);
	}
	buf_free(&names);
}

/* ---- records: the header, then rows */

/* The record's bytes, kept as long as the build: in the input when it stays, else copied. */
static Str bronze_keep(Source *src, Str raw)
{
	if (src->input && raw.p >= src->input && raw.p + raw.n <= src->input + src->input_len)
		return raw;
	return str_make(arena_strndup(&src->arena, raw.p, raw.n), raw.n);
}

static void on_record(void *ctx, const Record *r)
{
	Source *src = ctx;
	if (!src->have_header) {
		read_header(src, r);
		return;
	}
	src->rows_read++;
	Str raw = bronze_keep(src, r->raw);
	if (r->error || src->broken) {
		silver_reject(src, r, raw);
		return;
	}
	Str f[MAX_COLS];
	for (int c = 0; c < MAX_COLS; c++) {
		int i = src->field_of[c];
		f[c] = i >= 0 && (uint32_t)i < r->nfields ? r->fields[i] : str_make("", 0);
	}
	silver_row(src, r, raw, f);
}

/* ---- sources fed from memory or from a file */

void silver_source_init(Silver *s, Source *src, SourceId id)
{
	silver_source_free(src);
	silver_source_setup(s, src, id);
	src->ingest = ingest_new(on_record, src);
}

void silver_source_feed(Silver *s, Source *src, const char *data, size_t len, bool persistent)
{
	(void)s;
	src->input = persistent ? data : NULL;
	src->input_len = persistent ? len : 0;
	ingest_feed(src->ingest, data, len);
}

void silver_source_end(Silver *s, Source *src)
{
	(void)s;
	ingest_finish(src->ingest);
	src->blank_lines += ingest_blank_lines(src->ingest);
	ingest_free(src->ingest);
	src->ingest = NULL;
	src->present = true;
	if (!src->have_header)
		diag(&src->diags, src->def->required ? D_NO_HEADER : D_EMPTY_OPTIONAL, 0, 0,
		     "the file is empty: no header row", NULL, 0);
	silver_source_close(src);
}

static void source_free(Source *src)
{
	ingest_free(src->ingest);
	src->ingest = NULL;
	silver_source_free(src);
}

/* ---- reading a file: whole into memory, then in chunks read in parallel */

typedef struct {
	Source src;
	const char *data;
	size_t len;
	pthread_t thread;
	bool running;
} Chunk;

/* Feeds data[0..n) of the file that ends at end: its last bytes as such. */
static void feed(Ingest *in, const char *data, size_t n, const char *end)
{
	if (data + n == end)
		ingest_feed_last(in, data, n);
	else
		ingest_feed(in, data, n);
}

static void *chunk_read(void *arg)
{
	Chunk *c = arg;
	feed(c->src.ingest, c->data, c->len, c->src.input + c->src.input_len);
	return NULL;
}

/* Splits data[at..len) into at most one chunk per thread, each at least chunk_min bytes and
 * ending after a line end (the last at len). */
static Chunk *split_chunks(const Silver *s, const char *data, size_t at, size_t len, size_t *count)
{
	size_t n = (len - at) / (s->cfg->chunk_min ? s->cfg->chunk_min : 1), threads = (size_t)config_threads(s->cfg);
	n = n < 1 ? 1 : n > threads ? threads : n;
	Chunk *ch = xcalloc(n, sizeof *ch);
	for (size_t k = 0, start = at; k < n; k++) {
		size_t end = at + (len - at) / n * (k + 1);
		const char *nl = k + 1 < n && end < len ? memchr(data + end, '\n', len - end) : NULL;
		end = nl ? (size_t)(nl - data) + 1 : len;
		if (end < start)
			end = start;
		ch[k].data = data + start;
		ch[k].len = end - start;
		start = end;
	}
	*count = n;
	return ch;
}

/* A chunk after the first reads with its own state and the first's header. */
static void start_chunk(Silver *s, const Source *src, Chunk *c)
{
	silver_source_init(s, &c->src, src->id);
	ingest_continue(c->src.ingest, src->ingest);
	c->src.have_header = true;
	c->src.broken = src->broken;
	c->src.nheader = src->nheader;
	memcpy(c->src.field_of, src->field_of, sizeof src->field_of);
	c->src.input = src->input;
	c->src.input_len = src->input_len;
	c->running = pthread_create(&c->thread, NULL, chunk_read, c) == 0;
	if (!c->running)
		chunk_read(c);
}

/* Merges the chunks into src in order. The first chunk whose predecessor ended inside a
 * record started inside a quoted field: it and those after it are dropped, and the
 * predecessor reads on to the end instead. */
static void merge_chunks(Source *src, Chunk *ch, size_t n)
{
	size_t good = 1;
	Ingest *last = src->ingest;
	while (good < n && !ingest_open(last))
		last = ch[good++].src.ingest;
	if (good < n)
		ingest_feed_last(last, ch[good].data, (size_t)(src->input + src->input_len - ch[good].data));
	uint32_t offset = ingest_lines(src->ingest);
	for (size_t k = 1; k < n; k++) {
		Source *c = &ch[k].src;
		if (k < good) {
			ingest_finish(c->ingest);
			silver_merge(src, c, offset);
			src->blank_lines += ingest_blank_lines(c->ingest);
			offset += ingest_lines(c->ingest);
		}
		source_free(c);
	}
}

/* Feeds the file's bytes to src: the header line by line (the other chunks need it), then the
 * rest in chunks read by threads and merged in file order. */
static void read_chunked(Silver *s, Source *src, const char *data, size_t len)
{
	size_t at = 0, n;
	src->input = data;
	src->input_len = len;
	while (at < len && !src->have_header) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		feed(src->ingest, data + at, end - at, data + len);
		at = end;
	}
	Chunk *ch = split_chunks(s, data, at, len, &n);
	for (size_t k = 1; k < n; k++)
		start_chunk(s, src, &ch[k]);
	feed(src->ingest, ch[0].data, ch[0].len, data + len);
	for (size_t k = 1; k < n; k++)
		if (ch[k].running)
			pthread_join(ch[k].thread, NULL);
	merge_chunks(src, ch, n);
	free(ch);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Reads the open regular file at path whole into memory of the build's own: the build never
 * depends on the file again (an export rewritten under a mapping would kill it). Returns 0,
 * an errno, or -1 if the file changed while it was read (its size, times or inode, or what
 * the path names). */
static int read_whole(int fd, const char *path, const struct stat *before, char **bytes, size_t *nbytes)
{
	size_t n = (size_t)before->st_size, got = 0;
	char *p = big_alloc(n + 1);	/* one byte more: a file that grew shows it */
	ssize_t r = 1;
	while (got <= n && (r = read(fd, p + got, n + 1 - got)) != 0) {
		if (r < 0 && errno != EINTR)
			break;
		got += r > 0 ? (size_t)r : 0;
	}
	int e = r < 0 ? errno : 0;
	struct stat now, named;
	if (!e && (got != n || fstat(fd, &now) != 0 || stat(path, &named) != 0 || !same_file(before, &now) ||
		   !same_file(before, &named)))
		e = -1;
	*bytes = p;
	*nbytes = n + 1;
	return e;
}

/* Opens a source's file: a regular file only (a FIFO would hang the build, a folder is no
 * export); -1 after saying why. */
static int open_file(Source *src, const char *path, struct stat *st)
{
	const char *why;
	errno = 0;
	int fd = open_regular(path, &why);
	if (fd >= 0 && fstat(fd, st) == 0)
		return fd;
	DiagCode code = errno != ENOENT ? D_READ_ERROR : src->def->required ? D_FILE_MISSING : D_OPTIONAL_MISSING;
	diag(&src->diags, code, 0, 0, fd >= 0 ? strerror(errno) : why, NULL, 0);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Reads a file whole, then in chunks: bronze points into the bytes read, nothing more is copied. */
static void load_file(Silver *s, Source *src)
{
	char *path = path_join(s->cfg->data_dir, config_file_of(s->cfg, src->id));
	struct stat st;
	src->path = path;
	src->diags.file = path;
	int fd = open_file(src, path, &st);
	if (fd < 0)
		return;
	char *bytes = NULL;
	size_t nbytes = 0;
	int e = st.st_size > 0 ? read_whole(fd, path, &st, &bytes, &nbytes) : 0;
	close(fd);
	if (e) {
		diag(&src->diags, e < 0 ? D_CHANGED : D_READ_ERROR, 0, 0, e < 0 ? NULL : strerror(e), NULL, 0);
		big_free(bytes, nbytes);
		return;
	}
	silver_source_init(s, src, src->id);
	src->path = path;
	src->diags.file = path;
	src->bytes = bytes;
	src->nbytes = nbytes;
	if (st.st_size > 0)
		read_chunked(s, src, bytes, (size_t)st.st_size);
	silver_source_end(s, src);
}

/* ---- once silver is built: the bytes of the files that nothing points into go back */

/* Marks the pages of the file bytes that [p, p + n) lies in, whichever source's they are. */
static void hold(const Silver *s, uint8_t *used[SRC_COUNT], size_t page, const char *p, size_t n)
{
	for (int i = 0; p && i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (p < src->bytes || p >= src->bytes + src->nbytes)
			continue;
		size_t from = (size_t)(p - src->bytes) / page, to = ((size_t)(p - src->bytes) + n) / page;
		memset(used[i] + from, 1, to - from + 1);
		return;
	}
}

/* Silver rows keep their keys (often inside the bytes read) but no longer their bronze text;
 * the quarantine keeps its rows whole. Pages of the files that neither needs are given back
 * to the system: a file of a few huge rows no longer counts twice. */
static void release_bronze(Silver *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *used[SRC_COUNT];
	for (int i = 0; i < SRC_COUNT; i++)
		used[i] = xcalloc(s->src[i].nbytes / page + 2, 1);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		for (size_t r = 0; r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			h->raw = NULL, h->rawlen = 0;
			hold(s, used, page, h->id, h->idlen);
		}
		for (size_t q = 0; q < src->nquarantine; q++)
			hold(s, used, page, src->quarantine[q].raw, src->quarantine[q].rawlen);
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		size_t pages = s->src[i].nbytes / page;	/* whole pages only */
		for (size_t k = 0, run; k < pages; k = run) {
			for (run = k; run < pages && !used[i][run]; run++)
				;
			if (run > k)
				madvise(s->src[i].bytes + k * page, (run - k) * page, MADV_DONTNEED);
			run += run == k;
		}
		free(used[i]);
	}
}

bool silver_load(Silver *s, Config *cfg)
{
	silver_init(s, cfg);
	int dir = open(cfg->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		diag(&s->general, D_NO_DATA_DIR, 0, 0, cfg->data_dir, NULL, 0);
		s->general.file = NULL;
		return false;
	}
	close(dir);
	for (int i = 0; i < SRC_COUNT; i++)
		load_file(s, &s->src[i]);
	if (!silver_finish(s))
		return false;
	release_bronze(s);
	return true;
}

void silver_free(Silver *s)
{
	diag_free(&s->general);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		source_free(src);
		free(src->path);
		big_free(src->bytes, src->nbytes);
	}
}
