/* silver_read.c — the reader: files mapped whole, then read in chunks by threads, the header
 * matched to canonical columns, each record handed to the table rules of silver.c. */
#include "c360.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <unistr.h>

/* ---- the header */

static int header_field(const Source *src, int col, char *const *names, uint32_t n)
{
	if (src->cfg->no_column[src->id][col])	/* [columns] says the exports have none */
		return -1;
	return config_header_field((const char *const *)src->cfg->alias[src->id][col], src->def->cols[col], names, n);
}

/* A field no column reads: a repeated column, one an alias stands in for, or an unknown one;
 * named as the export has it, to name in [columns]. */
static void unused_field(Source *src, const Record *r, char *const *names, uint32_t i)
{
	Str name = str_trim(r->fields[i]);
	char *shown = xstrndup(name.p, name.n);
	int c = 0;
	while (c < src->def->ncols && strcmp(names[i], src->def->cols[c]) != 0)
		c++;
	if (c < src->def->ncols && src->cfg->no_column[src->id][c]) {
		Buf why = {0};
		buf_printf(&why, "column \"%s\" ignored: [columns] %s.%s = none", shown, src->def->name, src->def->cols[c]);
		diag(&src->diags, D_CONFIG_NOTE, r->line, i + 1, buf_cstr(&why), NULL, 0);
		buf_free(&why);
	} else if (c < src->def->ncols) {
		Str used = str_trim(r->fields[src->field_of[c]]);
		diag(&src->diags, strcmp(names[src->field_of[c]], names[i]) == 0 ? D_COLUMN_DUPLICATE : D_COLUMN_SHADOWED,
		     r->line, i + 1, shown, used.p, used.n);
	} else {
		diag(&src->diags, D_COLUMN_UNKNOWN, r->line, i + 1, shown, NULL, 0);
	}
	free(shown);
}

/* The header's name nearest a [columns] name: as the file has it, in quotes if it holds a #
 * (a # outside them starts a comment: "Ticket #" unquoted reads as ticket). */
static void nearest_column(Buf *v, const Record *r, char *const *names, uint32_t n, const char *near)
{
	uint32_t i = 0;
	while (i + 1 < n && names[i] != near)
		i++;
	Str h = str_trim(r->fields[i]);
	if (memchr(h.p, '#', h.n))
		buf_printf(v, "nearest: \"%.*s\": write it in double quotes, as a # outside them starts a comment",
			   (int)h.n, h.p);
	else
		buf_printf(v, "nearest: %s", near);
}

/* Columns the header lacks: a required one stops the build, or leaves an optional source out
 * (read no further); another is null (said, unless a SELECT chose not to have it). */
static void missing_columns(Source *src, const Record *r, const Buf *list, char *const *names, uint32_t n)
{
	for (int c = 0; c < src->def->ncols; c++) {	/* a name [columns] gives that no header has: a typo? */
		char *const *alias = src->cfg->alias[src->id][c];
		if (src->field_of[c] >= 0 || !alias[0])
			continue;
		Buf what = {0};
		buf_printf(&what, "%s.%s = ", src->def->name, src->def->cols[c]);
		for (int a = 0; a < MAX_ALIASES && alias[a]; a++)	/* a header named none quoted, as written */
			buf_printf(&what, strcmp(alias[a], "none") == 0 ? "%s\"%s\"" : "%s%s", a ? ", " : "", alias[a]);
		const char *near = nearest_word(alias[0], strlen(alias[0]), (const char *const *)names, n);
		Buf v = {0};
		if (near)
			nearest_column(&v, r, names, n, near);
		else
			buf_printf(&v, "its columns: %.*s", (int)list->len, list->p ? list->p : "");
		diag(&src->diags, D_COLUMN_ALIAS, r->line, 0, buf_cstr(&what), v.p, v.len);
		buf_free(&what);
		buf_free(&v);
	}
	for (int c = 0; c < src->def->ncols; c++)
		if (src->field_of[c] < 0 && column_required(src->def, c) && !src->def->required && !src->left_out)
			src->left_out = src->def->cols[c];
	for (int c = 0; c < src->def->ncols; c++) {
		bool required = column_required(src->def, c);
		if (src->field_of[c] >= 0 || src->def->rule[c].extra || src->cfg->no_column[src->id][c] ||
		    (!required && (src->left_out || src->sql)))
			continue;
		src->broken |= required;
		diag(&src->diags, src->left_out ? D_SOURCE_LEFT_OUT : required ? D_COLUMN_REQUIRED : D_COLUMN_ABSENT, r->line, 0,
		     src->def->cols[c], list->p, list->len);
	}
}

/* A header of more columns than a record keeps (FIELDS_MAX): those past it could not be read,
 * and one the build needs may be among them, so the source cannot be read. Said at the column
 * where the limit is passed; false if there is none. */
static bool header_cut(Source *src, const Record *r)
{
	if (!r->cut)
		return false;
	for (int c = 0; c < MAX_COLS; c++)
		src->field_of[c] = -1;
	src->broken = true;
	diag(&src->diags, D_NO_HEADER, r->line, FIELDS_MAX + 1, HEADER_CUT_MESSAGE, NULL, 0);
	return true;
}

/* A file that is no CSV at all (a spreadsheet or JSON renamed .csv): no column of it can be read,
 * and its "header" is bytes of a zip, so it is said once, without the columns it lacks. A build
 * needs a required source's: an error; an optional one is left out. False if the file is CSV. */
static bool not_csv_header(Source *src, const Record *r)
{
	const char *what = input_header_check(r, &src->opt, &src->diags);
	if (!what)
		return false;
	for (int c = 0; c < MAX_COLS; c++)
		src->field_of[c] = -1;
	Buf b = {0};
	buf_printf(&b, "%s%s", what, src->def->required ? "" : "; this optional source is left out and its sections say so");
	diag(&src->diags, src->def->required ? D_NO_HEADER : D_NOT_CSV, r->line, 1, buf_cstr(&b), NULL, 0);
	buf_free(&b);
	src->broken |= src->def->required;
	src->left_out = src->def->required ? NULL : src->def->cols[0];
	return true;
}

static void read_header(Source *src, const Record *r)
{
	src->have_header = true;
	src->nheader = r->nfields;
	if (header_cut(src, r) || not_csv_header(src, r))
		return;
	Buf list = {0};
	char **names = xcalloc(r->nfields + 1, sizeof *names);
	bool *used = xcalloc(r->nfields + 1, sizeof *used);
	for (uint32_t i = 0; i < r->nfields; i++) {
		names[i] = config_normalise(r->fields[i]);
		Str name = str_trim(r->fields[i]);	/* as the export has it, to name in [columns] */
		buf_printf(&list, "%s%.*s", i ? ", " : "", (int)name.n, name.p);
	}
	for (int c = 0; c < MAX_COLS; c++) {
		src->field_of[c] = c < src->def->ncols ? header_field(src, c, names, r->nfields) : -1;
		if (src->field_of[c] >= 0)
			used[src->field_of[c]] = true;
	}
	for (uint32_t i = 0; i < r->nfields; i++)
		if (!used[i])
			unused_field(src, r, names, i);
	if (r->error)
		diag(&src->diags, D_NO_HEADER, r->line, r->error_col, "the header row is malformed", NULL, 0);
	missing_columns(src, r, &list, names, r->nfields);
	for (uint32_t i = 0; i < r->nfields; i++)
		free(names[i]);
	free(names);
	free(used);
	buf_free(&list);
}

/* ---- records: the header, then rows */

/* The record's bytes, kept as long as the build: in the input when it stays, else copied. */
static Str bronze_keep(Source *src, Str raw)
{
	if (src->input && raw.p >= src->input && raw.p + raw.n <= src->input + src->input_len)
		return raw;
	return str_make(arena_strndup(&src->arena, raw.p, raw.n), raw.n);
}

/* A row of a source some of whose columns have values that mean none ([null]): those are
 * empty, as if the file had none there. */
static void row_with_nulls(Source *src, const Record *r, Str raw)
{
	Str f[MAX_COLS];
	for (int c = 0; c < src->def->ncols; c++) {
		int i = src->field_of[c];
		f[c] = i >= 0 && (uint32_t)i < r->nfields ? r->fields[i] : str_make("", 0);
		Str v = str_trim(f[c]);
		char *const *none = src->cfg->nulls[src->id][c];
		for (int k = 0; k < MAX_ALIASES && none[k] && v.n; k++)
			if (strlen(none[k]) == v.n && strncasecmp(none[k], v.p, v.n) == 0)
				f[c] = str_make("", 0), v.n = 0;
	}
	silver_row(src, r, raw, f);
}

void silver_source_record(void *ctx, const Record *r)
{
	Source *src = ctx;
	if (!src->have_header) {
		read_header(src, r);
		const char *absent = src->opt.nfill_down && src->ingest ? ingest_fill_down(src->ingest, NULL, 0) : NULL;
		if (absent) {
			Buf why = {0};
			buf_printf(&why, "[read] fill_down names \"%s\", which the header does not have: nothing is filled "
					 "down in it", absent);
			diag(&src->diags, D_CONFIG_NOTE, r->line, 0, buf_cstr(&why), NULL, 0);
			buf_free(&why);
		}
		return;
	}
	src->rows_read++;
	Str raw = bronze_keep(src, r->raw);
	if (r->error || src->broken) {
		silver_reject(src, r, raw);
		return;
	}
	int ncols = src->def->ncols;
	if (__builtin_expect(src->nulls, 0)) {
		row_with_nulls(src, r, raw);
		return;
	}
	if (!src->in_order) {	/* set before the first row, field_of stays */
		int k = 0;
		while (k < ncols && src->field_of[k] == k)
			k++;
		src->in_order = (int8_t)(k + 1);
		for (int c = k; c < ncols; c++)
			src->in_order = src->field_of[c] < 0 ? src->in_order : -1;
	}
	int k = src->in_order - 1;
	if (k == ncols && r->nfields >= (uint32_t)ncols) {
		silver_row(src, r, raw, r->fields);	/* the usual file: its columns in their order */
		return;
	}
	Str f[MAX_COLS];	/* silver_row reads the source's columns only */
	if (k >= 0 && r->nfields >= (uint32_t)k) {	/* those columns in order, the others absent */
		memcpy(f, r->fields, (size_t)k * sizeof *f);
		for (int c = k; c < ncols; c++)
			f[c] = str_make("", 0);
		silver_row(src, r, raw, f);
		return;
	}
	for (int c = 0; c < ncols; c++) {
		int i = src->field_of[c];
		f[c] = i >= 0 && (uint32_t)i < r->nfields ? r->fields[i] : str_make("", 0);
	}
	silver_row(src, r, raw, f);
}

void silver_source_excluded(Source *src, const Record *r, Str why)
{
	if (!src->have_header) {	/* never: sqlmap.c gives the header first */
		silver_source_record(src, r);
		return;
	}
	src->rows_read++;
	silver_exclude(src, r, bronze_keep(src, r->raw), why);
}

/* ---- sources fed from memory or from a file */

void silver_source_init(Silver *s, Source *src, SourceId id)
{
	silver_source_free(src);
	silver_source_setup(s, src, id);
	src->ingest = ingest_new(silver_source_record, src);
	src->delimiter = src->opt.delimiter ? src->opt.delimiter : ',';
	ingest_options(src->ingest, src->delimiter, src->opt.comment, src->opt.header_row);
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
	src->skipped_lines += ingest_skipped_lines(src->ingest);
	uint64_t crlf = src->crlf_after_cr += ingest_crlf_after_cr(src->ingest);	/* and the chunks' */
	ingest_free(src->ingest);
	src->ingest = NULL;
	src->present = true;
	if (!src->have_header)
		diag(&src->diags, src->def->required ? D_NO_HEADER : D_EMPTY_OPTIONAL, 0, 0,
		     src->def->required ? "the file is empty: no header row" : NULL, NULL, 0);
	if (src->skipped_lines && !src->opt.not_csv) {	/* a workbook's lines: its one message says what it is */
		Buf b = {0};
		buf_printf(&b, "%llu line%s skipped (before the header row, or comments)",
			   (unsigned long long)src->skipped_lines, src->skipped_lines == 1 ? "" : "s");
		diag(&src->diags, D_LINES_SKIPPED, 0, 0, buf_cstr(&b), NULL, 0);
		buf_free(&b);
	}
	if (crlf) {	/* said whatever the verbosity: the rows are read as their lines */
		Buf b = {0};
		buf_printf(&b, "line ends: the first line ends in CR alone, %llu later line%s in CRLF; each CRLF read as "
			       "one line end", (unsigned long long)crlf, crlf == 1 ? "" : "s");
		diag(&src->diags, D_READ_AS, 0, 0, buf_cstr(&b), NULL, 0);
		buf_free(&b);
	}
	silver_source_close(src);
}

static void source_free(Source *src)
{
	ingest_free(src->ingest);
	src->ingest = NULL;
	silver_source_free(src);
}

/* ---- an input file's bytes: mapped (or read whole), decoded, its delimiter found */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Reads the open regular file at path whole into in, memory of the build's own (when it
 * cannot be mapped). Returns 0, an errno, or -1 if the file changed while it was read (its
 * size, times or inode, or what the path names). */
static int read_whole(int fd, const char *path, const struct stat *before, Input *in)
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
	*in = (Input){.data = p, .len = n, .size = n + 1};
	return e;
}

/* The files mapped, each until its source is read (then what silver keeps of it is copied).
 * A page of one that is gone (the file shrank under the mapping: SIGBUS) becomes a page of
 * zeros and the file is marked changed: the build reads on and stops with D_CHANGED. The
 * signal handler reads start, len and gone only; slots are taken and freed by the main thread,
 * while no other thread reads the file. */
enum { MAPS = 64 };
typedef struct {
	_Atomic uintptr_t start;	/* 0: a free slot */
	size_t len;		/* the file's whole pages */
	atomic_bool gone;	/* a page was gone */
	int fd;
	char *path;
	struct stat st;		/* the file when it was opened */
} Mapped;
static Mapped mapped[MAPS];
static uintptr_t page_size;	/* 0 until the handler is in place */
static struct sigaction bus_before;

static void on_bus(int sig, siginfo_t *info, void *context)
{
	(void)context;
	uintptr_t at = (uintptr_t)info->si_addr;
	for (int i = 0; i < MAPS; i++) {
		uintptr_t start = atomic_load(&mapped[i].start);
		if (!start || at < start || at - start >= mapped[i].len)
			continue;
		atomic_store(&mapped[i].gone, true);
		void *page = (void *)(at & ~(page_size - 1));
		if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == page)
			return;
	}
	sigaction(sig, &bus_before, NULL);	/* no file's page: it faults again, as it would have */
}

static void catch_bus(void)
{
	if (page_size)
		return;
	struct sigaction sa = {.sa_sigaction = on_bus, .sa_flags = SA_SIGINFO | SA_RESTART};
	sigemptyset(&sa.sa_mask);
	page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	sigaction(SIGBUS, &sa, &bus_before);
}

/* Maps the open regular file at path (st: as opened, not empty) whole into in, a page of zeros
 * after it (the text ends with a NUL; a scan past its end stops there): its pages are the page
 * cache's, none copied. False if it cannot be mapped. */
static bool map_whole(int fd, const char *path, const struct stat *st, Input *in)
{
	int slot = 0;
	while (slot < MAPS && atomic_load(&mapped[slot].start))
		slot++;
	if (slot == MAPS)
		return false;
	catch_bus();
	size_t n = (size_t)st->st_size, pages = (n + page_size - 1) & ~(page_size - 1);
	Mapped *m = &mapped[slot];
	char *p = mmap(NULL, pages + page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m->fd = p != MAP_FAILED ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (m->fd < 0 || mmap(p, n, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
		if (m->fd >= 0)
			close(m->fd);
		if (p != MAP_FAILED)
			munmap(p, pages + page_size);
		return false;
	}
	m->path = xstrdup(path);
	m->st = *st;
	m->len = pages;
	atomic_store(&m->gone, false);
	atomic_store(&m->start, (uintptr_t)p);
	*in = (Input){.data = p, .len = n, .size = pages + page_size, .map = slot + 1};
	return true;
}

bool input_changed(Input *in)
{
	if (in->map) {
		const Mapped *m = &mapped[in->map - 1];
		struct stat now, named;
		in->changed |= atomic_load(&m->gone) || fstat(m->fd, &now) != 0 || stat(m->path, &named) != 0 ||
			       !same_file(&m->st, &now) || !same_file(&m->st, &named);
	}
	return in->changed;
}

/* An export's bytes are hashed a piece of HASH_PIECE at a time, each piece apart, and a file of
 * more than one piece is the hash of its pieces' hashes (one piece: its own, file_hash's), so
 * that a big export's pieces are hashed on threads (inputs_ahead). */
enum { HASH_PIECE = 8 << 20 };

static size_t pieces(size_t n)
{
	return n <= HASH_PIECE ? 1 : (n + HASH_PIECE - 1) / HASH_PIECE;
}

static FileHash pieces_hash(const FileHash *h, size_t k)
{
	return k == 1 ? h[0] : file_hash(h, k * sizeof *h);
}

/* in's n bytes from at hashed. by_read: a mapped file's read through its descriptor, a slice
 * at a time into memory that stays in the cache: the first touch of a mapped page costs
 * several times the read's copy (this VM: 147 MB hashed in 50-110 ms through a new mapping, 24
 * ms read in 256 KiB slices), and an export the build then takes from its cache is never touched
 * at all. Bytes the file no longer has are hashed from the mapping, where they read as zeros,
 * the file marked changed. */
static FileHash piece_hash(const Input *in, size_t at, size_t n, bool by_read)
{
	if (!in->map || !by_read) {
		if (in->map)
			prefault(in->data + at, n, false);	/* a mapping first read here: not a fault each 64 KiB */
		return file_hash(in->data ? in->data + at : "", n);
	}
	enum { SLICE = 256 << 10 };
	char *slice = xmalloc(SLICE);
	FileHasher *h = file_hasher_new();
	int fd = mapped[in->map - 1].fd;
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, slice, n - got < SLICE ? n - got : SLICE, (off_t)(at + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		file_hasher_add(h, slice, (size_t)r);
		got += (size_t)r;
	}
	if (got < n)
		file_hasher_add(h, in->data + at + got, n - got);
	free(slice);
	return file_hasher_end(h);
}

FileHash input_hash(const Input *in, size_t n)
{
	size_t k = pieces(n);
	FileHash *h = xmalloc(k * sizeof *h);
	for (size_t i = 0; i < k; i++)
		h[i] = piece_hash(in, i * HASH_PIECE, i + 1 < k ? HASH_PIECE : n - i * HASH_PIECE, true);
	FileHash sum = pieces_hash(h, k);
	free(h);
	return sum;
}

bool input_map(int fd, const char *path, const struct stat *st, Input *in)
{
	return st->st_size > 0 && map_whole(fd, path, st, in);
}

bool input_intact(const Input *in)
{
	if (!in->map)
		return true;
	const Mapped *m = &mapped[in->map - 1];
	struct stat now;
	return !atomic_load(&m->gone) && fstat(m->fd, &now) == 0 && now.st_size == m->st.st_size &&
	       now.st_mtim.tv_sec == m->st.st_mtim.tv_sec && now.st_mtim.tv_nsec == m->st.st_mtim.tv_nsec;
}

/* The open regular file at path (st: as opened) into in, mapped or else read. Returns 0, an
 * errno, or -1 if it changed (what the path names, since it was opened). */
static int input_file(int fd, const char *path, const struct stat *st, Input *in)
{
	if (!st->st_size) {
		input_from(in, "", 0);	/* no bytes, yet a text: its NUL */
		return 0;
	}
	if (!map_whole(fd, path, st, in))
		return read_whole(fd, path, st, in);
	return input_changed(in) ? -1 : 0;
}

/* Reads the file at path: a regular file only (a FIFO would hang the build, a folder is no
 * export). False after saying why in d (a missing file with the code missing, not at all
 * when that is D_COUNT). st: the file as it was read. */
static bool input_read(const char *path, DiagCode missing, Input *in, Diags *d, struct stat *st)
{
	const char *why = NULL;
	errno = 0;
	int fd = open_regular(path, &why), e = fd < 0 ? (errno ? errno : EINVAL) : 0;
	if (fd >= 0) {
		e = fstat(fd, st) != 0 ? errno : input_file(fd, path, st, in);
		why = e > 0 ? strerror(e) : NULL;
		close(fd);
	}
	if (!e)
		return true;
	DiagCode code = e < 0 ? D_CHANGED : e != ENOENT ? D_READ_ERROR : missing;
	if (code != D_COUNT)	/* missing: the code's message says it all */
		diag(d, code, 0, 0, code == missing ? NULL : why, NULL, 0);
	input_close(in);
	return false;
}

void input_from(Input *in, const char *p, size_t n)
{
	*in = (Input){.data = big_alloc(n + 1), .len = n, .size = n + 1};
	if (n)
		memcpy(in->data, p, n);
}

/* An object of an s3:// data location, fetched whole. */
static bool input_fetch(const Config *cfg, const char *name, DiagCode missing, Input *in, Diags *d)
{
	Buf b = {0}, why = {0};
	int r = s3_get(cfg, name, &b, &why);
	if (r == S3_OK)
		input_from(in, b.p, b.len);
	else if (r == S3_ERROR || missing != D_COUNT)
		diag(d, r == S3_ERROR ? D_READ_ERROR : missing, 0, 0, r == S3_ERROR ? buf_cstr(&why) : NULL, NULL, 0);
	buf_free(&b);
	buf_free(&why);
	return r == S3_OK;
}

/* Files read ahead for the inputs hash, until the build takes them. */
typedef struct {
	char *path;
	Input in;
	struct stat st;
	FileHash hash;		/* of in's bytes */
	bool changed;		/* while it was read ahead: the build stops there */
	bool seen;		/* as the previous build recorded it: hash the record's, not read */
} Ahead;
static Ahead *ahead;
static size_t nahead;
static char **absent;	/* the exports absent when read ahead: the inputs hash says so */
static size_t nabsent;
static struct timespec ahead_began;	/* before the files were read ahead */

/* ---- exports as the previous build saw them: their hash taken from its record, not read
 *
 * Most of a rebuild's exports are the previous build's files, untouched: in make bench's 1 %
 * rebuild four of the five (187 of 210 MB), which were read and hashed again. So a build
 * records in its cache folder (SEEN_NAME) each export's hash with what stat said of the file:
 * device, inode, size, mtime and ctime to the nanosecond; the record's own mtime is set to
 * when the reading began. The next build takes the hash of a file whose stat says all the
 * same, without reading it, as git's index does. No tool can set a ctime: a write to the file,
 * or a new file at its inode, sets it to the write's time. A write after the file was read
 * leaves it the same only if stamped at the same time, which the kernel's coarse clock (a
 * tick: 4 ms at Debian's HZ=250, 10 ms at most) allows only to a file written within a tick of
 * when it was read. So a record is taken only if both the file's times are more than
 * SEEN_MARGIN_NS before the record's mtime, on a local file system that stamps times in
 * nanoseconds from this machine's clock (not NFS, whose server stamps them; not one of whole
 * seconds, as ext4 with small inodes or FAT: a ctime of no nanoseconds is taken for one). Any
 * other file is read and hashed at each build, as before. Every file is recorded, whatever
 * its times (the test is made when the record is used), so that two builds of the same files
 * write the same record. What it rests on, beyond what the caches rest on: the clock not set
 * back by more than the margin between two builds. */
enum { SEEN_MARGIN_NS = 50 * 1000 * 1000 };

typedef struct {
	FileHash hash;
	uint64_t dev, ino, size;
	int64_t mtime, mtime_ns, ctime, ctime_ns;
	uint64_t pathlen;	/* its path follows the records, after those before it */
} SeenRecord;
_Static_assert(sizeof(SeenRecord) == 80, "SeenRecord has padding");

static bool local_fs(long type)
{
	switch (type) {
	case EXT4_SUPER_MAGIC:	/* ext2 and ext3 too */
	case TMPFS_MAGIC:
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
	case 0x2fc12fc1:	/* ZFS */
		return true;
	default:
		return false;
	}
}

static int64_t ns_of(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

bool input_seen_trusted(long fs_type, const struct stat *st, struct timespec began)
{
	int64_t before = ns_of(began) - SEEN_MARGIN_NS;
	return local_fs(fs_type) && st->st_ctim.tv_nsec != 0 && ns_of(st->st_ctim) < before && ns_of(st->st_mtim) < before;
}

static SeenRecord seen_record(const Ahead *a)
{
	return (SeenRecord){a->hash,
			    (uint64_t)a->st.st_dev,
			    (uint64_t)a->st.st_ino,
			    (uint64_t)a->st.st_size,
			    a->st.st_mtim.tv_sec,
			    a->st.st_mtim.tv_nsec,
			    a->st.st_ctim.tv_sec,
			    a->st.st_ctim.tv_nsec,
			    strlen(a->path)};
}

/* The previous build's record, from the cache folder of site: a count n, n records, their
 * paths (checked: as many bytes as the records say); *began: its mtime. NULL if there is none
 * whole; else the records (free the bytes at them less 8). */
static SeenRecord *seen_load(const char *site, size_t *n, struct timespec *began)
{
	enum { MOST = 1 << 20 };
	size_t len = 0;
	char *p = keyed_file_load(site, SEEN_NAME, SEEN_MAGIC, SEEN_VERSION, manifest_program(), 0, MOST, &len, began);
	uint64_t k = 0, text = 1;	/* not 0: none whole */
	if (p && len >= sizeof k)
		memcpy(&k, p, sizeof k);
	if (p && len >= sizeof k && k <= (len - sizeof k) / sizeof(SeenRecord)) {
		text = len - sizeof k - k * sizeof(SeenRecord);	/* the paths' bytes */
		for (uint64_t i = 0; i < k && text != UINT64_MAX; i++) {
			SeenRecord r;
			memcpy(&r, p + sizeof k + i * sizeof r, sizeof r);
			text = r.pathlen <= text ? text - r.pathlen : UINT64_MAX;
		}
	}
	if (text) {
		free(p);
		return NULL;
	}
	*n = (size_t)k;
	return (SeenRecord *)(void *)(p + sizeof k);
}

/* Whether a's file is one of the n records (their paths after them) as stat says it is now,
 * and may be trusted to be (input_seen_trusted, by the record's time began); if so a's hash is
 * the record's. */
static bool seen_find(const SeenRecord *rec, size_t n, struct timespec began, Ahead *a)
{
	const char *path = (const char *)(rec + n);
	SeenRecord now = seen_record(a);
	struct statfs fs;
	for (size_t i = 0; i < n; path += rec[i].pathlen, i++) {
		SeenRecord r = rec[i];
		now.hash = r.hash;
		if (memcmp(&r, &now, sizeof r) == 0 && memcmp(path, a->path, r.pathlen) == 0) {
			if (statfs(a->path, &fs) != 0 || !input_seen_trusted((long)fs.f_type, &a->st, began))
				return false;
			a->hash = r.hash;
			return true;
		}
	}
	return false;
}

void inputs_seen_save(const char *staging)
{
	Buf recs = {0}, paths = {0};
	uint64_t n = 0;
	buf_put(&recs, &n, sizeof n);	/* made n below */
	for (size_t i = 0; i < nahead; i++) {
		if (ahead[i].changed)
			continue;
		SeenRecord r = seen_record(&ahead[i]);
		buf_put(&recs, &r, sizeof r);
		buf_put(&paths, ahead[i].path, r.pathlen);
		n++;
	}
	memcpy(recs.p, &n, sizeof n);
	if (n) {
		keyed_file_save(staging, SEEN_NAME, SEEN_MAGIC, SEEN_VERSION, manifest_program(), 0, recs.p, recs.len, paths.p,
				paths.len);
		char *path = cache_file(staging, SEEN_NAME);
		utimensat(AT_FDCWD, path, (struct timespec[]){{0, UTIME_OMIT}, ahead_began}, AT_SYMLINK_NOFOLLOW);
		free(path);
	}
	buf_free(&recs), buf_free(&paths);
}

/* The files opened ahead, their pieces hashed by threads that take the next of them. */
typedef struct {
	Ahead *a;
	const bool *by_read;	/* of each file */
	FileHash **piece;	/* of each file, its pieces' hashes */
	size_t *job, njobs;	/* each piece to hash: its file, times the most pieces a file has, and its number */
	size_t most;
	atomic_size_t next;
} AheadHash;

static void *ahead_hash(void *arg)
{
	AheadHash *h = arg;
	for (size_t k; (k = atomic_fetch_add(&h->next, 1)) < h->njobs;) {
		size_t f = h->job[k] / h->most, i = h->job[k] % h->most, n = h->a[f].in.len;
		h->piece[f][i] = piece_hash(&h->a[f].in, i * HASH_PIECE, i + 1 < pieces(n) ? HASH_PIECE : n - i * HASH_PIECE,
					    h->by_read[f]);
	}
	return NULL;
}

size_t inputs_ahead(const Config *cfg, const char *const *name, const bool *by_read, size_t n, int threads,
		    const char *seen, FileHash *hash, uint64_t *len)
{
	clock_gettime(CLOCK_REALTIME, &ahead_began);
	size_t nrec = 0, nseen = 0;
	struct timespec recorded;
	SeenRecord *rec = seen ? seen_load(seen, &nrec, &recorded) : NULL;
	size_t from = nahead, *of = xmalloc((n + 1) * sizeof *of);
	ahead = xrealloc(ahead, (nahead + n + 1) * sizeof *ahead);
	bool *read = xmalloc((n + 1) * sizeof *read);
	AheadHash h = {.a = ahead + from, .by_read = read, .most = 1};
	for (size_t i = 0; i < n; i++) {
		len[i] = UINT64_MAX;
		of[i] = SIZE_MAX;
		if (s3_location(cfg->data_dir))
			continue;
		Ahead a = {.path = path_join(cfg->data_dir, name[i])};
		Diags ignore = {0};
		bool ok = input_read(a.path, D_COUNT, &a.in, &ignore, &a.st);
		a.changed = ignore.tally[D_CHANGED].count > 0;
		bool unreadable = ignore.tally[D_READ_ERROR].count > 0;
		diag_free(&ignore);
		if (!ok && !a.changed) {
			/* a FIFO or a folder where no export was: not the absent file the previous
			 * site was made without, or the build it stops is taken for done */
			len[i] = unreadable ? INPUT_UNREADABLE : UINT64_MAX;
			struct stat st;
			if (!unreadable && lstat(a.path, &st) != 0 && errno == ENOENT) {
				absent = xrealloc(absent, (nabsent + 1) * sizeof *absent);
				absent[nabsent++] = a.path;
			} else {
				free(a.path);
			}
			continue;
		}
		len[i] = ok ? a.in.len : UINT64_MAX;	/* one that changed as it was read: as if absent */
		a.seen = ok && rec && seen_find(rec, nrec, recorded, &a);
		nseen += a.seen;
		of[i] = nahead - from;
		read[of[i]] = by_read[i];
		h.most = pieces(a.in.len) > h.most ? pieces(a.in.len) : h.most;
		ahead[nahead++] = a;
	}
	size_t files = nahead - from;
	h.piece = xmalloc((files + 1) * sizeof *h.piece);
	for (size_t f = 0; f < files; f++)
		h.njobs += h.a[f].seen ? 0 : pieces(h.a[f].in.len);
	h.job = xmalloc((h.njobs + 1) * sizeof *h.job);
	for (size_t f = 0, k = 0; f < files; f++) {
		h.piece[f] = xmalloc(pieces(h.a[f].in.len) * sizeof **h.piece);
		for (size_t i = 0; !h.a[f].seen && i < pieces(h.a[f].in.len); i++)
			h.job[k++] = f * h.most + i;
	}
	size_t nt = threads > 1 ? (size_t)threads - 1 : 0;
	nt = nt < h.njobs ? nt : h.njobs ? h.njobs - 1 : 0;
	pthread_t *t = xmalloc((nt + 1) * sizeof *t);
	size_t started = 0;
	while (started < nt && pthread_create(&t[started], NULL, ahead_hash, &h) == 0)
		started++;
	ahead_hash(&h);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	for (size_t f = 0; f < files; f++) {
		if (!h.a[f].seen)
			h.a[f].hash = pieces_hash(h.piece[f], pieces(h.a[f].in.len));
		free(h.piece[f]);
	}
	if (nseen)
		say(SAY_VERBOSE, "%zu of the %zu inputs as the previous build recorded them (device, inode, size and "
		    "times): not read, their hash the record's", nseen, files);
	if (rec)
		free((char *)rec - sizeof(uint64_t));
	for (size_t i = 0; i < n; i++)
		if (of[i] != SIZE_MAX)
			hash[i] = ahead[from + of[i]].hash;
	free(t), free(read), free(of), free(h.piece), free(h.job);
	return nseen;
}

void input_ahead_free(void)
{
	for (size_t i = 0; i < nahead; i++) {
		free(ahead[i].path);
		input_close(&ahead[i].in);
	}
	free(ahead);
	ahead = NULL, nahead = 0;
	for (size_t i = 0; i < nabsent; i++)
		free(absent[i]);
	free(absent);
	absent = NULL, nabsent = 0;
}

/* The bytes of path read ahead (and their hash), if the file is still as it was then; *changed
 * if it changed while it was read ahead or since, or was absent then and is there now (the
 * inputs hash, which the site records as what it is made from, did not see the file the build
 * would read: a site made from a file cut short meanwhile would be up to date again once the
 * file is whole). */
static bool take_ahead(const char *path, Input *in, FileHash *hash, bool *changed)
{
	struct stat now;
	for (size_t i = 0; i < nahead; i++) {
		if (strcmp(ahead[i].path, path) != 0)
			continue;
		*changed = ahead[i].changed;
		if (!ahead[i].in.size)
			continue;
		if (stat(path, &now) != 0 || !same_file(&now, &ahead[i].st)) {
			*changed = true;
			return false;
		}
		*in = ahead[i].in;
		*hash = ahead[i].hash;
		ahead[i].in = (Input){0};
		return true;
	}
	for (size_t i = 0; i < nabsent; i++)	/* absent then, there now: the hash did not see it */
		*changed |= !strcmp(absent[i], path) && access(path, F_OK) == 0;
	return false;
}

/* input_open; *hashed when *hash is the hash of in's bytes (read ahead). */
static bool input_open_hashed(const Config *cfg, const char *name, DiagCode missing, Input *in, Diags *d,
			      FileHash *hash, bool *hashed)
{
	*in = (Input){0};
	*hashed = false;
	if (s3_location(cfg->data_dir))
		return input_fetch(cfg, name, missing, in, d);
	char *path = path_join(cfg->data_dir, name);
	struct stat st;
	bool changed = false, ok = *hashed = take_ahead(path, in, hash, &changed);
	if (changed)
		diag(d, D_CHANGED, 0, 0, NULL, NULL, 0);
	else if (!ok)
		ok = input_read(path, missing, in, d, &st);
	free(path);
	return ok;
}

bool input_open(const Config *cfg, const char *name, DiagCode missing, Input *in, Diags *d)
{
	FileHash hash;
	bool hashed;
	return input_open_hashed(cfg, name, missing, in, d, &hash, &hashed);
}

/* Keeps the first n bytes of in: the whole pages after them go back to the system. */
static void input_keep(Input *in, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), keep = (n + page - 1) / page * page;
	if (!n) {
		input_close(in);
	} else if (keep < in->size) {
		big_free(in->data + keep, in->size - keep);
		in->size = keep;
	}
	in->len = n;
}

void input_close(Input *in)
{
	if (in->map) {	/* the slot given back last: another thread may take it from then on */
		Mapped *m = &mapped[in->map - 1];
		close(m->fd);
		free(m->path);
		atomic_store(&m->start, 0);
	}
	big_free(in->data, in->size);
	*in = (Input){0};
}

/* Converts in from encoding `from` (after skip bytes) to UTF-8; a unit (of unit bytes) that is
 * no character becomes the byte 0xff, which no UTF-8 has: the reader then flags its row and
 * replaces it with U+FFFD where it stands (line and column), as in a UTF-8 file. Returns how
 * many units did; *half says the file ended in part of a unit, left out (a row of its own would
 * be no row of the file's). */
static uint64_t decode(Input *in, const char *from, size_t skip, size_t unit, bool *half)
{
	iconv_t cd = iconv_open("UTF-8", from);
	Buf out = {0};
	uint64_t replaced = 0;
	char *p = in->data + skip;
	size_t left = in->len - skip;
	while (cd != (iconv_t)-1 && left) {
		buf_grow(&out, left * 2 + 16);
		char *o = out.p + out.len;
		size_t room = out.cap - out.len;
		size_t r = iconv(cd, &p, &left, &o, &room);
		out.len = (size_t)(o - out.p);
		if (r == (size_t)-1 && errno != E2BIG && left < unit) {	/* EINVAL: the end cut short */
			*half = true;
			break;
		}
		if (r == (size_t)-1 && errno != E2BIG) {	/* EILSEQ, or EINVAL on a first surrogate at the end */
			buf_putc(&out, '\xff');
			p += unit, left -= unit, replaced++;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	bool changed = input_changed(in);
	input_close(in);
	input_from(in, out.p, out.len);
	in->changed = changed;
	buf_free(&out);
	return replaced;
}

/* A file in UTF-16 or UTF-32: by its byte-order mark, else by the NUL bytes of its first 256: in
 * half the places of a kind or more, and in almost none of the others (ASCII has them there;
 * text of another script, Cyrillic, in a part: helper 119). SQL Server's bcp -w writes no mark
 * (helper 118). */
typedef struct {
	const char *name;	/* iconv's, or NULL: neither */
	size_t skip, unit;	/* the mark's bytes (0: known without one); a character's */
} Wide;

static Wide wide_sniff(const unsigned char *u, size_t n)
{
	if (n >= 4 && !memcmp(u, "\xff\xfe\0\0", 4))
		return (Wide){"UTF-32LE", 4, 4};
	if (n >= 4 && !memcmp(u, "\0\0\xfe\xff", 4))
		return (Wide){"UTF-32BE", 4, 4};
	if (n >= 2 && (!memcmp(u, "\xff\xfe", 2) || !memcmp(u, "\xfe\xff", 2)))
		return (Wide){u[0] == 0xff ? "UTF-16LE" : "UTF-16BE", 2, 2};
	size_t m = (n < 256 ? n : 256) & ~(size_t)3, zero[4] = {0};
	for (size_t i = 0; i < m; i++)
		zero[i & 3] += !u[i];
	size_t k = m / 4, most = (k + 1) / 2, few = k / 10;	/* of the m / 4 places of each kind */
	if (k < 2)
		return (Wide){0};
	bool z[4], nz[4];
	for (int i = 0; i < 4; i++)
		z[i] = zero[i] >= most, nz[i] = zero[i] <= few;
	if (nz[0] && z[1] && z[2] && z[3])
		return (Wide){"UTF-32LE", 0, 4};
	if (z[0] && z[1] && z[2] && nz[3])
		return (Wide){"UTF-32BE", 0, 4};
	if (nz[0] && z[1] && nz[2] && z[3])
		return (Wide){"UTF-16LE", 0, 2};
	if (z[0] && nz[1] && z[2] && nz[3])
		return (Wide){"UTF-16BE", 0, 2};
	return (Wide){0};
}

static bool is_blank_line(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/* The most frequent of , ; tab | outside quotes in the header line (, when there is none). */
static char sniff_delimiter(const char *d, size_t n, const ReadOptions *o)
{
	static const char cand[] = {',', ';', '\t', '|'};
	size_t pos = n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, clen = o->comment ? strlen(o->comment) : 0;
	for (uint32_t line = 1; pos < n; line++) {
		const char *nl = memchr(d + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - d) : n;
		if (line >= o->header_row && !is_blank_line(d + pos, end - pos) &&
		    !(clen && end - pos >= clen && memcmp(d + pos, o->comment, clen) == 0)) {
			size_t count[4] = {0}, best = 0;
			bool quoted = false;
			for (size_t i = pos; i < end; i++) {
				quoted ^= d[i] == '"';
				for (int k = 0; k < 4 && !quoted; k++)
					count[k] += d[i] == cand[k];
			}
			for (int k = 1; k < 4; k++)
				best = count[k] > count[best] ? (size_t)k : best;
			return cand[best];
		}
		pos = end + 1;
	}
	return ',';
}

/* The end of the JSON string at p (after its opening quote), before e; NULL if the line ends in
 * it or it holds a control character (JSON writes a line break in a string as \n). */
static const char *json_string_end(const char *p, const char *e)
{
	for (; p < e; p++) {
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20 || (*p == '\\' && ++p == e))
			return NULL;
	}
	return NULL;
}

/* Whether the line h (trimmed) is JSON's first line: an object or an array of objects or arrays,
 * whole (one object a line, JSON Lines) or as far as the line goes (pretty-printed: a "[" or "{"
 * alone, "[{"), every token of it JSON's in its place: {"payment_id": "P1", ... or [{"a": 1},.
 * A CSV header is none: its names are not keys and values (a stray quote in {"a",b,c; one
 * column named [{note}]). */
bool input_json_line(Str h)
{
	enum { VALUE, KEY, COLON, NEXT } want = VALUE;
	char open[64];
	int depth = 0;
	bool empty = false, top_first = false;	/* just opened: may close; the top array's first value */
	const char *p = h.p, *e = h.p + h.n;
	if (!h.n || (*p != '{' && *p != '['))
		return false;
	while (p < e) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			p++;
			continue;
		}
		if (want == NEXT || empty) {
			if (!depth)	/* text after the whole value */
				return false;
			if (c == (open[depth - 1] == '{' ? '}' : ']')) {
				depth--, p++, want = NEXT, empty = top_first = false;
				continue;
			}
			if (want == NEXT) {
				if (c != ',')
					return false;
				want = open[depth - 1] == '{' ? KEY : VALUE;
				p++;
				continue;
			}
		}
		empty = false;
		if (want == COLON) {
			if (c != ':')
				return false;
			p++, want = VALUE;
			continue;
		}
		if (want == KEY) {
			if (c != '"' || !(p = json_string_end(p + 1, e)))
				return false;
			want = COLON;
			continue;
		}
		if (top_first && c != '{' && c != '[')	/* an array of numbers or text: no table */
			return false;
		top_first = false;
		if (c == '{' || c == '[') {
			if (depth == (int)sizeof open)
				return true;	/* so deep: JSON's, no CSV header's */
			top_first = depth == 0 && c == '[';
			open[depth++] = c, p++, want = c == '{' ? KEY : VALUE, empty = true;
			continue;
		}
		if (c == '"') {
			if (!(p = json_string_end(p + 1, e)))
				return false;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			while (p < e && *p && strchr("0123456789+-.eE", *p))
				p++;
		} else {
			static const char *const word[] = {"true", "false", "null"};
			size_t k = c == 't' ? 0 : c == 'f' ? 1 : c == 'n' ? 2 : 3, n = k < 3 ? strlen(word[k]) : 0;
			if (k == 3 || (size_t)(e - p) < n || memcmp(p, word[k], n) != 0)
				return false;
			p += n;
		}
		want = NEXT;
	}
	return true;
}

/* What a file that is not CSV is, by how it starts, else NULL: a zip (.xlsx, .ods) or OLE2 (.xls)
 * renamed .csv, or JSON (input_json_line). */
static const char *not_csv(Str raw)
{
	if ((raw.n >= 4 && memcmp(raw.p, "PK\x03\x04", 4) == 0) ||
	    (raw.n >= 8 && memcmp(raw.p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0))
		return "the file is a spreadsheet (.xlsx, .xls or .ods), not CSV: save it as CSV UTF-8 (Excel: File, Save As)";
	if (input_json_line(str_trim(raw)))
		return "the file is JSON, not CSV: export it as CSV, a header row and a line a record";
	return NULL;
}

/* not_csv of the file's first line with text (after a byte-order mark): a workbook or JSON is
 * known by how it starts, whichever line header_row names its header */
static const char *file_not_csv(const char *d, size_t n)
{
	size_t at = n >= 3 && memcmp(d, UTF8_BOM, 3) == 0 ? 3 : 0;
	while (at < n) {
		const char *nl = memchr(d + at, '\n', n - at);
		size_t end = nl ? (size_t)(nl - d) : n;
		Str line = str_make(d + at, end - at);
		if (str_trim(line).n)
			return not_csv(line);
		at = end + 1;
	}
	return NULL;
}

const char *input_header_check(const Record *r, const ReadOptions *o, Diags *d)
{
	const char *what = o->not_csv;
	if (!what && (r->text & TEXT_INVALID_UTF8) && o->encoding < 0)	/* what garbles names; unless UTF-8 was asked */
		diag(d, D_HEADER_ENCODING, r->line, r->text_col,
		     "a Windows-1252 or Latin-1 file? name its encoding: [read] encoding = windows-1252", NULL, 0);
	return what;
}

/* The delimiter of Excel's "sep=;" first line (after a byte-order mark), 0 if there is none. */
static char excel_sep(const char *d, size_t n)
{
	size_t at = n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	if (n - at < 5 || memcmp(d + at, "sep=", 4) != 0 || !d[at + 4] || !strchr(",;\t|", d[at + 4]))
		return 0;
	size_t end = at + 5 + (at + 5 < n && d[at + 5] == '\r');
	return end == n || d[end] == '\n' ? d[at + 4] : 0;
}

char input_prepare(Input *in, ReadOptions *o, Diags *d)
{
	static const char *const enc_name[] = {"UTF-8", "CP1252", "ISO-8859-1", "CP1252"};
	static const char *const enc_text[] = {"UTF-8", "Windows-1252", "Latin-1", "Windows-1252 (encoding = auto: it is not UTF-8)"};
	Buf note = {0};
	const unsigned char *u = (const unsigned char *)in->data;
	Wide wide = wide_sniff(u, in->len);
	o->utf8_bom = in->len >= 3 && memcmp(u, "\xef\xbb\xbf", 3) == 0;
	uint64_t replaced = 0;
	bool half = false;
	if (wide.name) {
		replaced = decode(in, wide.name, wide.skip, wide.unit, &half);
		buf_printf(&note, "%s (by its %s)", wide.name, wide.skip ? "byte-order mark" : "NUL bytes: it has no byte-order mark");
		o->encoding = o->encoding < 0 ? ENC_UTF8 : o->encoding;	/* UTF-8 now: no advice to name an encoding */
	} else if (o->encoding == ENC_AUTO && !u8_check(u, in->len)) {
		/* UTF-8, as every byte of it is: WooCommerce's download, read by a configuration that
		 * its Excel re-save (Windows-1252) shares */
	} else if (o->encoding > ENC_UTF8 && in->len >= 3 && memcmp(u, "\xef\xbb\xbf", 3) == 0) {
		/* a UTF-8 byte-order mark says UTF-8 whatever is set (Excel's "CSV UTF-8" of a folder
		 * whose other files are Windows-1252) */
		buf_printf(&note, "UTF-8 (by its byte-order mark), not %s as set", enc_text[o->encoding]);
	} else if (o->encoding > ENC_UTF8 && in->len) {
		replaced = decode(in, enc_name[o->encoding], 0, 1, &half);
		buf_puts(&note, enc_text[o->encoding]);
	}
	if (replaced)	/* "1 byte that is", "3 units of 16 bits that are" */
		buf_printf(&note, ", %llu %s%s%s %s no character (their rows flagged invalid_utf8)", (unsigned long long)replaced,
			   wide.name ? "unit" : "byte", replaced == 1 ? "" : "s",
			   !wide.name ? "" : wide.unit == 2 ? " of 16 bits" : " of 32 bits", replaced == 1 ? "that is" : "that are");
	if (half)
		buf_puts(&note, wide.unit == 4 ? ", the last bytes, part of a unit of 32 bits, left out"
					       : ", a last byte that is half a unit of 16 bits left out");
	o->not_csv = file_not_csv(in->data, in->len);
	char sep = o->delimiter || o->header_row ? 0 : excel_sep(in->data, in->len);
	char delim = o->delimiter ? o->delimiter : sep ? sep : sniff_delimiter(in->data, in->len, o);
	o->header_row = sep ? 2 : o->header_row;	/* the header after Excel's line */
	if (sep)
		buf_printf(&note, "%s%s-separated (by Excel's first line \"sep=%s\", skipped)", note.len ? ", " : "",
			   delim == '\t' ? "tab" : delim == ';' ? "semicolon" : delim == ',' ? "comma" : "pipe",
			   delim == '\t' ? "\\t" : (char[]){delim, 0});
	else if (!o->delimiter && delim != ',')
		buf_printf(&note, "%s%s-separated (found in the header line)", note.len ? ", " : "",
			   delim == '\t' ? "tab" : delim == ';' ? "semicolon" : "pipe");
	if (note.len && !o->not_csv)	/* no CSV read as anything: its one message says what it is */
		diag(d, D_READ_AS, 0, 0, buf_cstr(&note), NULL, 0);
	buf_free(&note);
	return delim;
}

/* ---- reading a file: in chunks read in parallel */

typedef struct {
	Source src;
	const char *data;
	size_t len;
	size_t at, lent;	/* the rows of the first's table lent to it: from row at, lent of them */
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
	memory_context(c->src.path);
	feed(c->src.ingest, c->data, c->len, c->src.input + c->src.input_len);
	return NULL;
}

/* Splits data[at..len) into at most one chunk per thread, each at least chunk_min bytes and
 * ending after a line end (the last at len). */
static Chunk *split_chunks(const Silver *s, const Source *src, const char *data, size_t at, size_t len, size_t *count)
{
	size_t n = (len - at) / (s->cfg->chunk_min ? s->cfg->chunk_min : 1), threads = (size_t)config_threads(s->cfg);
	n = n < 1 || src->opt.nfill_down ? 1 : n > threads ? threads : n;	/* filled down: a row needs the one above */
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

/* The line ends in p[0..n), 64 bytes at a time (a loop the compiler makes vector code of: twice
 * as fast as a memchr a line on lines of ~55 bytes). */
static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0, i = 0;
	for (; i + 64 <= n; i += 64) {
		unsigned char in_block = 0;
		for (int k = 0; k < 64; k++)
			in_block += p[i + k] == '\n';
		lines += in_block;
	}
	for (; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

static void *chunk_lines(void *arg)
{
	Chunk *c = arg;
	c->lent = count_lines(c->data, c->len) + 1;
	return NULL;
}

/* Gives src's table room for every chunk's rows, and lends each chunk as many as it has lines
 * (a record starts a line; a file with other line ends outgrows them, and is copied), so that
 * the rows need no copy into new memory when the chunks are merged; the lines are counted on
 * a thread a chunk. Returns the room. */
static size_t lend_rows(Source *src, Chunk *ch, size_t n)
{
	for (size_t k = 1; k < n; k++)
		ch[k].running = pthread_create(&ch[k].thread, NULL, chunk_lines, &ch[k]) == 0;
	size_t rows = 0;
	for (size_t k = 0; k < n; k++) {
		if (!k || !ch[k].running)
			chunk_lines(&ch[k]);
		else
			pthread_join(ch[k].thread, NULL);
		ch[k].running = false;
		ch[k].at = rows, rows += ch[k].lent;
	}
	Table *t = &src->table;
	big_free(t->rows, t->cap * t->size);	/* no row yet: only the header was read */
	t->rows = big_alloc(rows * t->size);
	t->cap = ch[0].lent;	/* the first chunk's rows stop where the next's start */
	src->lent = true;
	return rows;
}

/* Before chunk k's rows join src's: lent rows they would cover, or all of them if src's rows
 * must grow (and may move), get rows of their own. */
static void make_room(Source *src, Chunk *ch, size_t k, size_t good)
{
	size_t end = src->table.n + ch[k].src.table.n;
	bool grows = end > src->table.cap;
	for (size_t j = k; j < good; j++)
		if (ch[j].src.lent && (grows || (j > k && ch[j].at < end)))
			silver_own_rows(&ch[j].src);
}

/* A chunk after the first reads with its own state and the first's header. */
static void start_chunk(Silver *s, const Source *src, Chunk *c)
{
	silver_source_init(s, &c->src, src->id);
	c->src.table.rows = src->table.rows + c->at * src->table.size;
	c->src.table.cap = c->lent;
	c->src.lent = true;
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

/* Whether p[0..n), read from inside a quoted field, closes it: a quote not doubled. */
bool csv_quote_closes(const char *p, size_t n)
{
	for (const char *q = p, *end = p + n; (q = memchr(q, '"', (size_t)(end - q))); q += 2)
		if (q + 1 == end || q[1] != '"')
			return true;
	return false;
}

/* Merges the chunks into src in order. The first chunk whose predecessor ended inside a
 * record started inside a quoted field: it and those after it are dropped, and the
 * predecessor reads on to the end instead. So with what looked like a report's footer, the
 * rest bytes after the chunks: true if the last chunk ended inside a quoted value that the rest
 * closes (a value's blank line and a line of quotes), and the rest was read as the file's. */
static bool merge_chunks(Source *src, Chunk *ch, size_t n, size_t rest)
{
	size_t good = 1;
	Ingest *last = src->ingest;
	while (good < n && !ingest_open(last))
		last = ch[good++].src.ingest;
	if (good < n)
		ingest_feed_last(last, ch[good].data, (size_t)(src->input + src->input_len - ch[good].data));
	bool read_on = rest && ingest_open(last) && csv_quote_closes(src->input + src->input_len, rest);
	if (read_on) {
		ingest_feed_last(last, src->input + src->input_len, rest);
		src->input_len += rest;
	}
	uint32_t offset = ingest_lines(src->ingest);
	for (size_t k = 1; k < n; k++) {
		Source *c = &ch[k].src;
		if (k < good) {
			ingest_finish(c->ingest);
			make_room(src, ch, k, good);
			silver_merge(src, c, offset);
			src->blank_lines += ingest_blank_lines(c->ingest);
			src->crlf_after_cr += ingest_crlf_after_cr(c->ingest);
			src->skipped_lines += ingest_skipped_lines(c->ingest);
			offset += ingest_lines(c->ingest);
		}
		source_free(c);
	}
	return read_on;
}

/* Whether data's lines end in LF or CRLF (not CR alone), by its first line end, as the reader
 * decides, and its bytes are no UTF-16 or UTF-32 (wide_sniff). */
static bool lf_lines(const char *data, size_t len)
{
	if (wide_sniff((const unsigned char *)data, len).name)
		return false;
	for (size_t i = 0; i < len; i++)
		if (data[i] == '\n' || data[i] == '\r')
			return data[i] == '\n' || (i + 1 < len && data[i + 1] == '\n');
	return false;
}

/* The fields of the line p[0..n) when each is quoted whole (its quotes inside doubled) or has
 * no quote; 0 when a quote stands elsewhere (a line no report's footer has). */
static uint32_t line_fields(const char *p, size_t n, char delim)
{
	uint32_t k = 0;
	for (size_t i = 0;; i++) {	/* i at a field's start, then past its delimiter */
		k++;
		if (i < n && p[i] == '"') {
			for (i++;; i++) {
				if (i >= n)
					return 0;	/* never closed */
				if (p[i] == '"' && (i + 1 >= n || p[i + 1] != '"'))
					break;
				i += p[i] == '"';	/* a doubled quote */
			}
			if (++i < n && p[i] != delim)
				return 0;	/* text after the closing quote */
		} else
			for (; i < n && p[i] != delim; i++)
				if (p[i] == '"')
					return 0;
		if (i >= n)
			return k;
	}
}

#define FOOTER_MAX 10	/* lines a report's footer may have */
/* The fewest columns of a file whose footer lines may have several fields: a report's (eBay's 79);
 * a file of the SPEC's columns (at most six) pads a short row with nulls, as the SPEC says */
#define FOOTER_WIDE 10

/* Where a report's footer starts in a file's data[0..len) after its header of nheader fields:
 * the lines after its last blank line when each is one field (Salesforce's lone "Confidential
 * Information - Do Not Distribute" and its copyright), or, in a file of FOOTER_WIDE columns or
 * more, has at most a quarter of the header's fields (eBay's "19","record(s) downloaded","from Mar-01-24
 * to May-31-24" of 79 columns and its Seller ID line), in a file of two columns or more and of
 * LF or CRLF lines; len if there is none. Blank lines after the footer's are part of it; comment
 * lines are skipped. */
size_t report_footer_start(const char *data, size_t len, uint32_t nheader, char delim, const char *comment)
{
	if (nheader < 2 || !lf_lines(data, len))
		return len;
	size_t pos = len, start = len;
	for (int lines = 0; pos > 0 && lines <= FOOTER_MAX;) {
		size_t end = pos - (data[pos - 1] == '\n'), b = end;
		while (b > 0 && data[b - 1] != '\n')
			b--;
		Str line = str_trim(str_make(data + b, end - b));	/* a CR before the LF is trimmed */
		bool note = comment && end - b >= strlen(comment) && memcmp(data + b, comment, strlen(comment)) == 0;
		if (!line.n && start < len)
			return start;
		uint32_t fields = line.n && !note ? line_fields(line.p, line.n, delim) : 0;
		if (line.n && !note && (!fields || fields > (nheader >= FOOTER_WIDE ? nheader / 4 : 1)))
			return len;
		lines += line.n > 0 && !note;	/* a comment is skipped there as anywhere */
		start = line.n ? b : start;
		pos = b;
	}
	return len;
}

static size_t footer_start(const Source *src, const char *data, size_t len)
{
	return report_footer_start(data, len, src->nheader, src->delimiter, src->opt.comment);
}

void report_footer_rows(const char *data, size_t from, size_t len, const char *comment, uint64_t *blank,
			uint64_t *skipped, void (*row)(void *ctx, const Record *r), void *ctx)
{
	uint32_t line = (uint32_t)count_lines(data, from) + 1;	/* the footer's first line's number */
	for (size_t b = from; b < len; line++) {
		const char *nl = memchr(data + b, '\n', len - b);
		size_t end = nl ? (size_t)(nl - data) : len;
		Str text = str_make(data + b, end - b - (end > b && data[end - 1] == '\r'));
		b = end + 1;
		if (!str_trim(text).n)
			++*blank;
		else if (comment && text.n >= strlen(comment) && memcmp(text.p, comment, strlen(comment)) == 0)
			++*skipped;	/* a comment, as anywhere in the file */
		else
			row(ctx, &(Record){.line = line, .raw = text, .error = REC_FOOTER, .error_col = 1});
	}
}

/* A line of a report's footer (report_footer_rows): a row that goes to quarantine as malformed. */
static void footer_row(void *ctx, const Record *r)
{
	Source *src = ctx;
	src->rows_read++;
	silver_reject(src, r, bronze_keep(src, r->raw));
}

/* Feeds the file's bytes to src: the header line by line (the other chunks need it), then the
 * rest in chunks read by threads and merged in file order; a report's footer last. */
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
	if (src->left_out)
		return;
	size_t all = len;
	len = at + footer_start(src, data + at, len - at);
	src->input_len = len;
	Chunk *ch = split_chunks(s, src, data, at, len, &n);
	size_t room = n > 1 ? lend_rows(src, ch, n) : 0;
	char *rows = src->table.rows;
	for (size_t k = 1; k < n; k++)
		start_chunk(s, src, &ch[k]);
	feed(src->ingest, ch[0].data, ch[0].len, data + len);
	for (size_t k = 1; k < n; k++)
		if (ch[k].running)
			pthread_join(ch[k].thread, NULL);
	bool owns = src->lent;	/* the first chunk's rows did not outgrow theirs: all are its */
	if (owns)
		src->table.cap = room, src->lent = false;
	bool footer = !merge_chunks(src, ch, n, all - len) && len < all;
	if (n > 1 && !owns)
		big_free(rows, room * src->table.size);
	free(ch);
	if (footer) {
		ingest_finish(src->ingest);	/* a quote left open before it quarantines its line first */
		report_footer_rows(data, len, all, src->opt.comment, &src->blank_lines,
				   &src->skipped_lines, footer_row, src);
	}
}

void silver_source_input(Silver *s, Source *src, Input *in)
{
	src->delimiter = input_prepare(in, &src->opt, &src->diags);
	ingest_options(src->ingest, src->delimiter, src->opt.comment, src->opt.header_row);
	ingest_fill_down(src->ingest, src->opt.fill_down, src->opt.nfill_down);
	if (in->len)
		read_chunked(s, src, in->data, in->len);
}

/* Once src is read from in: what its rows point into is kept, packed at the front of in's
 * bytes, or of memory of the build's own when in is a mapped file, which is let go. */
static void input_pack(Source *src, Input *in)
{
	size_t room = in->map ? silver_source_kept(src, in->data, in->len) : 0;
	Input own = in->map ? (Input){.data = big_alloc(room + 1), .len = room, .size = room + 1} : *in;
	size_t kept = silver_source_pack(src, in->data, in->len, own.data);
	if (in->map)
		input_close(in);
	*in = own;
	input_keep(in, kept);
}

/* Reads the lines of in after its first plen bytes (a prefix src was read from, ending a line)
 * into tail: src's header, lines from 1. False if a line was skipped (a comment: the note
 * counting them would change). */
static bool read_tail(Silver *s, Source *src, Source *tail, const Input *in, size_t plen)
{
	silver_source_init(s, tail, src->id);
	ingest_resume(tail->ingest, '\n', src->delimiter, src->opt.comment);
	tail->have_header = true;
	tail->nheader = src->nheader;
	tail->delimiter = src->delimiter;
	memcpy(tail->field_of, src->field_of, sizeof src->field_of);
	tail->input = in->data;
	tail->input_len = in->len;
	ingest_feed_last(tail->ingest, in->data + plen, in->len - plen);
	ingest_finish(tail->ingest);
	src->blank_lines += ingest_blank_lines(tail->ingest);
	bool ok = !ingest_skipped_lines(tail->ingest);
	ingest_free(tail->ingest);
	tail->ingest = NULL;
	return ok;
}

/* Why a file could not be opened or written, err an errno: its text, and for too many files
 * open (ulimit -n) the limit and the way on. */
static void why_not(Buf *b, int err)
{
	struct rlimit files;
	buf_puts(b, strerror(err));
	if ((err == EMFILE || err == ENFILE) && getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
		buf_printf(b, ": ulimit -n allows %llu at once; raise it, e.g. ulimit -n 1024", (unsigned long long)files.rlim_cur);
}

/* The cleaned exports not cached for the next build (site's cache folder), err why: kept, the
 * first of a build, to be said once the sources are read (not if the build stops: that is said).
 * The site is whole; only the next build's time is lost, which is what a user who made the limit
 * of open files tight (a build needs a dozen or more, its cache two more) is told. */
static Buf cache_warning;
static const char *cache_site;	/* the site whose cache it is (--out), for the warning */

static void cache_not_written(const char *what, int err)
{
	if (cache_warning.len)
		return;
	buf_printf(&cache_warning, "warning: %s/" CACHE_DIR ": %s: ", cache_site, what);
	why_not(&cache_warning, err);
	buf_puts(&cache_warning, "; this site is whole, but the next build that finds an export changed reads and "
		 "cleans every one again");
}

/* After silver_cache_save or _keep: err (their errno), why src's cache file could not be written
 * (silver_cache.c removes what it could not write whole), said once. */
static void cache_check(Silver *s, const Source *src, int err)
{
	silver_tail_join(s);	/* a source read before says its own first */
	if (!err)
		return;
	Buf what = {0};
	buf_printf(&what, "the cleaned %s cannot be cached for the next build", config_file_of(s->cfg, src->id));
	cache_not_written(buf_cstr(&what), err);
	buf_free(&what);
}

/* A fact export that only grew since the previous build (rows appended): the rows of the
 * bytes it had then come from their cache, and only the lines after them are read; the source
 * is what reading the whole file makes. False (src set up anew) when there is no such cache,
 * or where the result could differ: a prefix that does not end a record (a quoted field ran
 * to its end, which the new bytes may close), a source with no header or left out, lines that
 * end in CR alone, a file decoded first or filled down, a report's footer before or after the new lines, or
 * what silver_append refuses; and when the new bytes are too many for one thread (more than half
 * the prefix, two chunks or more): a whole read on threads is quicker. */
static bool load_appended(Silver *s, Source *src, Input *in, FileHash key)
{
	if (!source_is_fact(src->id) || src->opt.encoding > ENC_UTF8 || src->opt.nfill_down || in->len >= UINT32_MAX ||
	    !lf_lines(in->data, in->len))
		return false;
	FileHash before;
	size_t plen = silver_cache_prefix(s, src, in, &before), more = in->len - plen;
	size_t from = src->table.n;
	bool threads = config_threads(s->cfg) > 1 && more >= 2 * s->cfg->chunk_min && more > plen / 2;
	bool ok = plen && !threads && src->have_header && !src->broken && !src->left_out && !src->unterminated &&
		  footer_start(src, in->data, plen) == plen && footer_start(src, in->data, in->len) == in->len;
	Source tail = {0};
	ok = ok && read_tail(s, src, &tail, in, plen) &&
	     silver_append(src, &tail, count_lines(in->data, plen), in->data + plen, in->len - plen);
	source_free(&tail);
	if (ok && !input_changed(in)) {
		say(SAY_VERBOSE, "%s: only the %zu bytes appended since the previous build read (the rows before "
		    "them from its cache)", config_file_of(s->cfg, src->id), in->len - plen);
		cache_check(s, src, silver_cache_save(s, src, key, (uint64_t)in->len));
		input_close(in);
		s->grown_from[src->id] = from, s->grown_key[src->id] = before;	/* rows_keys makes it a rows key */
		return true;
	}
	input_close(&src->file);
	source_free(src);
	silver_source_setup(s, src, src->id);
	return false;
}

/* A fact source read whole, once its source is closed: its bytes packed (input_pack) and its
 * cache written on a thread while the next source is read (which reads the customers' rows
 * and its own, none of this one's). Only one at a time, joined before the next one starts,
 * before anything else is said of the cache, and before silver_finish, so that what is said is
 * as if each were done in place. */
struct Tail {
	Silver *s;
	Source *src;
	FileHash key;
	uint64_t length;
	bool cache;	/* the cache written too */
	int err;
	pthread_t t;
};

static void tail_do(struct Tail *t)
{
	memory_context(t->src->path);
	input_pack(t->src, &t->src->file);
	t->err = t->cache ? silver_cache_save(t->s, t->src, t->key, t->length) : 0;
}

static void *tail_thread(void *arg)
{
	tail_do(arg);
	return NULL;
}

void silver_tail_join(Silver *s)
{
	struct Tail *t = s->tail;
	if (!t)
		return;
	s->tail = NULL;
	pthread_join(t->t, NULL);
	if (t->cache) {
		cache_check(s, t->src, t->err);
		s->rows_key[t->src->id] = t->key;
	}
	free(t);
}

/* src's packing and cache (if cache) on a thread with more than one, else now. A customers'
 * source is done now: the facts read next look its rows' keys up. */
static void tail_start(Silver *s, Source *src, FileHash key, uint64_t length, bool cache)
{
	silver_tail_join(s);
	struct Tail *t = xmalloc(sizeof *t);
	*t = (struct Tail){s, src, key, length, cache, 0, 0};
	if (source_is_fact(src->id) && config_threads(s->cfg) > 1 && pthread_create(&t->t, NULL, tail_thread, t) == 0) {
		s->tail = t;
		return;
	}
	tail_do(t);
	if (cache) {
		cache_check(s, src, t->err);
		s->rows_key[src->id] = key;
	}
	free(t);
}

/* Reads a file whole, then in chunks: bronze points into the file's bytes, nothing more is
 * copied; once the source is read, only what its rows point into is kept. A file that changed
 * meanwhile leaves the source unread, that said. */
static void load_file_at(Silver *s, Source *src, const char *name, char *path)
{
	Input in;
	FileHash bytes, key = {0, 0};
	bool hashed, cache = s->cache_from || s->cache_to, cached = false;
	src->diags.file = src->path = path;
	if (!input_open_hashed(s->cfg, name, src->def->required ? D_FILE_MISSING : D_OPTIONAL_MISSING, &in, &src->diags,
			       &bytes, &hashed))
		return;
	if (cache) {
		key = s->cache_key[src->id] = silver_cache_key(s, src->id, hashed ? bytes : input_hash(&in, in.len));
		cached = silver_cache_load(s, src, key);
	}
	if (!cached && cache && load_appended(s, src, &in, key)) {
		src->diags.file = src->path = path;
		s->rows_key[src->id] = key;
		return;
	}
	if (cached) {
		input_close(&in);
		src->diags.file = src->path = path;
		cache_check(s, src, silver_cache_keep(s, src));
		s->rows_key[src->id] = key;
		return;
	}
	silver_source_init(s, src, src->id);
	src->diags.file = src->path = path;
	uint64_t length = in.len;	/* before it is decoded */
	src->file = in;
	silver_source_input(s, src, &src->file);
	silver_source_end(s, src);
	if (!input_changed(&src->file)) {
		tail_start(s, src, key, length, cache && diag_worst(&src->diags, 1) != SEV_ERROR);
		return;
	}
	input_close(&src->file);
	source_free(src);
	silver_source_setup(s, src, src->id);
	src->diags.file = src->path = path;
	diag(&src->diags, D_CHANGED, 0, 0, NULL, NULL, 0);
}

/* load_file_at, the file named if memory runs out while it is read, decoded or cached */
static void load_file(Silver *s, Source *src)
{
	if (s->cfg->no_file[src->id])	/* not there, as the configuration says: nothing to say */
		return;
	const char *name = config_file_of(s->cfg, src->id);
	char *path = path_join(s->cfg->data_dir, name);
	memory_context(path);
	load_file_at(s, src, name, path);
	memory_context(NULL);
}

static bool load_sources(Silver *s, Config *cfg);

/* The rows key of fact source id's rows read under cache key cache, the customers' ids hashing
 * to ids (rows_keys). */
static FileHash rows_key(const Silver *s, SourceId id, FileHash cache, FileHash ids)
{
	struct {
		char what[16];
		FileHash cache, ids;
		int64_t as_of, order;
	} in = {"c360 fact rows", cache, ids, s->as_of, s->src[id].order};
	return file_hash(&in, sizeof in);
}

/* What each fact source's rows are once silver_finish has run, as a key: the source's cache key
 * (its state before silver_finish: c360, the settings, the export's bytes, the customers'
 * key), and what silver_finish and the gold views do to its rows from the other sources: the
 * date order read its ambiguous dates by (the dataset's evidence may decide it), the customers
 * in row order by id (an orphan fact's customer is the inferred customer of its id, numbered
 * after the CRM's and the earlier sources' orphans; the gold tables' customer_key is made from
 * the ids), and the as-of date (the facts after it are in no gold table or view). Zero: not known
 * (the source not from a cache key). A gold fact table (fact_input) and a customer's facts of
 * a source on its page (site_customers.c) are the same when this key is. A grown source's
 * previous rows (grown_from) get the key they had in the previous build, if it read them with
 * this build's customers, as-of date and date order. */
static void rows_keys(Silver *s)
{
	const Table *cu = CUSTOMERS(s);
	FileHasher *h = file_hasher_new();
	Buf b = {0};
	for (size_t r = 0; r < cu->n; r++) {
		const RowHead *c = ROW(cu, RowHead, r);
		uint32_t n = c->idlen;
		buf_put(&b, &n, sizeof n);
		buf_put(&b, c->id, c->idlen);
		if (b.len >= 1u << 16)
			file_hasher_add(h, b.p, b.len), b.len = 0;
	}
	uint64_t count = cu->n;
	buf_put(&b, &count, sizeof count);
	file_hasher_add(h, b.p, b.len);
	buf_free(&b);
	FileHash ids = file_hasher_end(h);
	for (int i = 0; i < SRC_COUNT; i++) {
		FileHash *k = &s->rows_key[i];
		if (!source_is_fact((SourceId)i) || !(k->lo | k->hi)) {
			*k = (FileHash){0, 0};
			continue;
		}
		*k = rows_key(s, (SourceId)i, *k, ids);
		if (s->grown_from[i])	/* the previous build's rows, had they been read in this one's */
			s->grown_key[i] = rows_key(s, (SourceId)i, s->grown_key[i], ids);
	}
}

/* The cache's folder in the staging folder: none if it cannot be made (said). */
static char *cache_folder(const char *staging)
{
	char *dir = path_join(staging, CACHE_DIR);
	int fd = mkdir(dir, 0777) == 0 ? open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	int err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		errno = 0;
		if (!out_git_ignored(fd))
			err = errno ? errno : EIO;	/* a short write of its .gitignore says none */
		close(fd);
	}
	bool ok = !err;
	if (!ok) {
		cache_not_written("the cleaned exports cannot be cached for the next build", err);
		free(dir);
	}
	return ok ? dir : NULL;
}

bool silver_load_cached(Silver *s, Config *cfg, const char *old, const char *staging)
{
	silver_init(s, cfg);
	bool sql = cfg->nviews > 0;
	for (int i = 0; i < SRC_COUNT; i++)
		sql |= cfg->sql[i].text != NULL;
	if (sql || s3_location(cfg->data_dir) || !old || !staging)	/* a cache of files only */
		return load_sources(s, cfg);
	cache_warning.len = 0, cache_site = old;
	char *from = path_join(old, CACHE_DIR), *to = cache_folder(staging);
	if (to)
		inputs_seen_save(staging);
	s->cache_from = from, s->cache_to = to;
	s->cache_salt = manifest_settings(cfg);
	bool ok = load_sources(s, cfg);
	if (ok && cache_warning.len)
		say(SAY_NORMAL, "%s", buf_cstr(&cache_warning));
	buf_free(&cache_warning);
	if (ok)
		rows_keys(s);
	else
		memset(s->rows_key, 0, sizeof s->rows_key);
	s->cache_from = s->cache_to = NULL;
	free(from), free(to);
	return ok;
}

bool silver_load(Silver *s, Config *cfg)
{
	silver_init(s, cfg);
	return load_sources(s, cfg);
}

static bool load_sources(Silver *s, Config *cfg)
{
	int dir = s3_location(cfg->data_dir) ? -2 : open(cfg->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir == -1) {
		Buf why = {0};	/* the folder and why not: none there, not a folder, no permission, too many files open */
		int err = errno;
		buf_printf(&why, "%s (", cfg->data_dir);
		why_not(&why, err);
		buf_putc(&why, ')');
		const char *slash = strrchr(cfg->data_dir, '/');
		struct stat st;
		if (err == ENOTDIR && stat(cfg->data_dir, &st) == 0 && S_ISREG(st.st_mode))	/* its folder: the last name dropped */
			buf_printf(&why, "; the data folder is the one that holds the exports, not a file: %.*s",
				   slash ? (int)(slash - cfg->data_dir + (slash == cfg->data_dir)) : 1, slash ? cfg->data_dir : ".");
		diag(&s->general, D_NO_DATA_DIR, 0, 0, buf_cstr(&why), NULL, 0);
		buf_free(&why);
		s->general.file = NULL;
		return false;
	}
	if (dir >= 0)
		close(dir);
	SqlMap *m = NULL;
	for (int i = 0; i < SRC_COUNT; i++)
		if ((cfg->sql[i].text || cfg->nviews) && !m)
			m = sqlmap_open(s);	/* no SQLite for files that need no SQL */
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!cfg->sql[i].text) {
			load_file(s, &s->src[i]);
			continue;
		}
		silver_tail_join(s);	/* the query's rows are the customers' and its own */
		sqlmap_source(m, s, &s->src[i]);
	}
	if (m)
		sqlmap_views(m);
	sqlmap_close(m);
	input_ahead_free();	/* what the build did not read */
	return silver_finish(s);
}

void silver_free(Silver *s)
{
	silver_tail_join(s);
	diag_free(&s->general);
	diag_free(&s->config_diags);
	raw_tables_free(s);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		source_free(src);
		free(src->path), free((char *)src->diags.scope);
		input_close(&src->file);
	}
}
