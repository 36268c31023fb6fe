/* ingest.c — bronze reading: RFC 4180 records over libcsv, with lines, BOM, blank lines,
 * text repair and recovery from syntax errors. */
#include "c360.h"

#include <csv.h>
#include <stdlib.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A field of the open record: in fbuf at start, or (a big one) at p: in the line fed or in a
 * buffer taken over from libcsv (own). */
typedef struct {
	const char *p;
	size_t start, len;
	char *own;
} Field;

#define BIG_FIELD (64u << 10)	/* a field this long is taken over from libcsv, not copied */
#define KEEP_BUFFER (1u << 20)	/* buffers bigger than this are freed after their record */

struct Ingest {
	struct csv_parser csv;
	RecordFn fn;
	void *ctx;
	Buf pending;		/* bytes kept across feeds, from the start of the open record */
	size_t scan;		/* how much of pending libcsv has already seen */
	size_t stop;		/* where the last parse_lines call stopped */
	uint32_t line;		/* number of the next line */
	uint32_t rec_line;
	bool open;		/* libcsv is inside a record */
	bool quoted;		/* ... and inside a quoted field: a line end there is data */
	bool row_done;
	bool bom_checked;
	char eol;		/* the file's line end: '\n' (LF or CRLF), '\r' (CR alone); 0 not known yet */
	uint64_t blank;
	char delim;		/* the field delimiter */
	const char *comment;	/* a line starting with it is skipped */
	size_t comment_len;
	uint32_t skip;		/* lines still to skip before the header */
	uint64_t skipped;	/* lines skipped: before the header, and comments */
	uint64_t lf_after_cr;	/* LFs read as the end of a CRLF in a file whose first line ends in CR alone */
	/* fields of the open record */
	Buf fbuf;
	Field *field;
	uint32_t nfields, capfields;	/* nfields counts them all, field holds FIELDS_MAX at most */
	uint32_t nown;		/* fields with a buffer of their own */
	bool plain;		/* the fields are in fields already (a plain record of valid text) */
	Str *fields;
	uint32_t capstr;
	unsigned text;
	uint32_t text_col;
	Buf clean;
	/* fill-down columns (a report's grouped values): an empty field takes the one above */
	char *const *fill_names;
	size_t nfill;
	uint32_t *fill_col;	/* found in the header (the first record): its field, or UINT32_MAX */
	Buf *fill_last;		/* the last value of each that was not empty */
	uint64_t fill_rows, filled;	/* bytes of the records after the header, and of the values filled in */
};

/* The values filled down may add up to FILL_TIMES the records' own bytes and FILL_SLACK: a value
 * of megabytes above thousands of empty fields made gigabytes of silver out of a file of a few
 * (8 MB, 3 GB). A grouped report's values are a few times its short rows at most (four: as the
 * rows an [sql] source may make of its tables'). */
#define FILL_TIMES 4
#define FILL_SLACK (1u << 20)

static bool has_zero_or_high(uint64_t v)
{
	return ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) || (v & 0x8080808080808080ull);
}

/* Length of the valid UTF-8 sequence at s (never NUL), 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c && c < 0x80)
		return 1;
	size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||	/* overlong, surrogate */
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))	/* overlong, > U+10FFFF */
		return 0;
	return len;
}

/* Invalid UTF-8 and NUL bytes become U+FFFD, a run of them one U+FFFD: repair never makes
 * text longer than it was. */
unsigned utf8_sanitize(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (has_zero_or_high(v))
			break;
		i += 8;
	}
	size_t clean_to = i;
	unsigned found = 0;
	for (; i < n;) {
		size_t len = utf8_seq((const unsigned char *)s + i, n - i);
		if (len) {
			i += len;
			continue;
		}
		if (!found)
			out->len = 0, buf_put(out, s, clean_to);
		bool run = found && clean_to == i;	/* the byte before was replaced too */
		found |= s[i] ? TEXT_INVALID_UTF8 : TEXT_NUL;
		buf_put(out, s + clean_to, i - clean_to);
		if (!run)
			buf_put(out, "\xef\xbf\xbd", 3);
		clean_to = ++i;
	}
	if (found)
		buf_put(out, s + clean_to, n - clean_to);
	return found;
}

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

/* The open record's next field, its text *p of *len bytes repaired (then in clean) when it
 * is no valid UTF-8 (checked unless valid is known); NULL past FIELDS_MAX (only counted). */
static Field *next_field(Ingest *in, const char **p, size_t *len, unsigned *repaired, bool valid)
{
	if (in->nfields++ >= FIELDS_MAX)
		return NULL;
	unsigned t = *repaired = valid ? 0 : utf8_sanitize(*p, *len, &in->clean);
	if (t) {
		if (!in->text)
			in->text_col = in->nfields;
		in->text |= t;
		*p = in->clean.p, *len = in->clean.len;
	}
	if (in->nfields > in->capfields) {
		in->capfields = in->capfields ? in->capfields * 2 : 16;
		in->field = xrealloc(in->field, in->capfields * sizeof *in->field);
	}
	Field *f = &in->field[in->nfields - 1];
	*f = (Field){NULL, in->fbuf.len, *len, NULL};
	return f;
}

static void on_field(void *s, size_t len, void *ctx)
{
	Ingest *in = ctx;
	const char *p = s ? s : "";
	unsigned t;
	Field *f = next_field(in, &p, &len, &t, false);
	if (!f)
		return;
	if (len >= BIG_FIELD && s == in->csv.entry_buf) {
		/* A huge field is never held twice: the repaired copy, or libcsv's buffer becomes
		 * the field's (libcsv takes a new one). */
		if (t)
			buf_put(&in->fbuf, p, len), free(s);
		else
			f->p = f->own = s, in->nown++;
		in->csv.entry_buf = NULL;
		in->csv.entry_size = 0;
		csv_set_blk_size(&in->csv, 4096);
		return;
	}
	buf_put(&in->fbuf, p, len);
}

/* The field at *p of a plain line that ends at end, without the blanks around it; *p moves
 * past its delimiter, to NULL after the last field. */
static inline Str plain_cell(const char **p, const char *end, char delim)
{
	const char *s = *p, *d = memchr(s, delim, (size_t)(end - s)), *stop = d ? d : end;
	while (s < stop && is_blank_char(*s))
		s++;
	while (stop > s && is_blank_char(stop[-1]))
		stop--;
	*p = d ? d + 1 : NULL;
	return str_make(s, (size_t)(stop - s));
}

/* The fields of a plain line of valid text, straight into fields. */
static void plain_fields(Ingest *in, const char *p, size_t n)
{
	for (const char *q = p, *end = p + n; q;) {
		Str cell = plain_cell(&q, end, in->delim);
		if (in->nfields < FIELDS_MAX) {
			if (in->nfields == in->capstr) {
				in->capstr = in->capstr ? in->capstr * 2 : 16;
				in->fields = xrealloc(in->fields, in->capstr * sizeof *in->fields);
			}
			in->fields[in->nfields] = cell;
		}
		in->nfields++;
	}
	in->plain = true;
}

/* The cell p[from, to) without the blanks around it, as plain_cell makes it. */
static inline Str ascii_cell(const char *p, size_t from, size_t to)
{
	if (from < to && ((unsigned char)p[from] <= ' ' || (unsigned char)p[to - 1] <= ' ')) {	/* else no blank to trim */
		while (from < to && is_blank_char(p[from]))
			from++;
		while (to > from && is_blank_char(p[to - 1]))
			to--;
	}
	return str_make(p + from, to - from);
}

/* The usual line, outside a record: ASCII without a quote or a NUL, of fewer than FIELDS_MAX
 * bytes, split at its delimiters in one pass (16 bytes a step where SSE2 is; the last step
 * ends at the line's end, over bytes already seen) — what feed_line's quote scan,
 * utf8_sanitize and plain_fields would make of it. False, and no fields, for any other line. */
static bool ascii_record(Ingest *in, const char *p, size_t n)
{
	if (n >= FIELDS_MAX || in->nfields)
		return false;
	if (in->capstr < n + 1) {	/* room for a cell a byte and the last: no test a cell */
		in->capstr = in->capstr * 2 > n + 1 ? in->capstr * 2 : (uint32_t)n + 1;
		in->fields = xrealloc(in->fields, in->capstr * sizeof *in->fields);
	}
	Str *f = in->fields;
	uint32_t nf = 0;
	size_t i = 0, from = 0;
	char delim = in->delim;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), sep = _mm_set1_epi8(delim), zero = _mm_setzero_si128();
	while (i < n && n >= 16) {
		size_t at = i + 16 <= n ? i : n - 16;	/* the last step: the 16 bytes that end the line */
		unsigned seen = (unsigned)(i - at), keep = 0xffffu << seen;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
		__m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, zero)), v);
		if ((unsigned)_mm_movemask_epi8(odd) & keep)
			return false;
		for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep)) & keep; m; m &= m - 1) {
			size_t d = at + (size_t)__builtin_ctz(m);
			f[nf++] = ascii_cell(p, from, d);
			from = d + 1;
		}
		i = at + 16;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == 0 || c >= 0x80)
			return false;
		if (c == (unsigned char)delim)
			f[nf++] = ascii_cell(p, from, i), from = i + 1;
	}
	f[nf++] = ascii_cell(p, from, n);
	in->nfields = nf;
	in->plain = in->row_done = true;
	return true;
}

/* The usual line at p (avail bytes from p on), outside a record, found and split in one pass
 * 16 bytes a step: its line end found with its delimiters (no memchr before). What
 * line_content and ascii_record make of it: its fields in fields, *n its content's length
 * (without the CR of a CRLF); returns where the next line starts. 0, and no fields, for any
 * other line (one ascii_record refuses, or whose end is not in the first avail bytes less the
 * last 15), or without SSE2. */
static size_t ascii_line(Ingest *in, const char *p, size_t avail, size_t *n)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), sep = _mm_set1_epi8(in->delim), zero = _mm_setzero_si128(),
		      eol = _mm_set1_epi8(in->eol);
	uint32_t nf = 0;
	size_t from = 0, end, stop = avail < FIELDS_MAX ? avail : FIELDS_MAX;
	if (in->nfields)
		return 0;
	for (size_t i = 0;; i += 16) {
		if (i + 17 > in->capstr || i + 16 > stop) {	/* room for a cell a byte seen and the last */
			if (i + 16 > stop)
				return 0;
			in->capstr = in->capstr * 2 > i + 17 ? in->capstr * 2 : (uint32_t)i + 17;
			in->fields = xrealloc(in->fields, in->capstr * sizeof *in->fields);
		}
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned at_end = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, eol));
		unsigned keep = at_end ? (1u << __builtin_ctz(at_end)) - 1 : 0xffffu;	/* the bytes before it */
		__m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, zero)), v);
		if ((unsigned)_mm_movemask_epi8(odd) & keep)
			return 0;
		for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep)) & keep; m; m &= m - 1) {
			size_t d = i + (size_t)__builtin_ctz(m);
			in->fields[nf++] = ascii_cell(p, from, d);
			from = d + 1;
		}
		if (at_end) {
			end = i + (size_t)__builtin_ctz(at_end);
			break;
		}
	}
	*n = in->eol == '\n' && end && p[end - 1] == '\r' ? end - 1 : end;
	if (*n >= FIELDS_MAX)
		return 0;
	in->fields[nf++] = ascii_cell(p, from, *n);
	in->nfields = nf;
	in->plain = true;
	return end + 1;
#else
	(void)in, (void)p, (void)avail, (void)n;
	return 0;
#endif
}

/* A line without quotes, outside any record, is a record by itself: its fields are its text
 * between delimiters without the blanks around it, as libcsv reads them, left in place. */
static void plain_record(Ingest *in, const char *p, size_t n)
{
	in->row_done = true;
	if (!utf8_sanitize(p, n, &in->clean)) {	/* then so is every field */
		plain_fields(in, p, n);
		return;
	}
	for (const char *q = p, *end = p + n; q;) {
		Str cell = plain_cell(&q, end, in->delim);
		unsigned t;
		Field *f = next_field(in, &cell.p, &cell.n, &t, false);
		if (f && t)
			buf_put(&in->fbuf, cell.p, cell.n);
		else if (f)
			f->p = cell.p;
	}
}

/* Forgets the open record's fields; big buffers go back to the system. */
static void clear_fields(Ingest *in)
{
	for (uint32_t i = 0; in->nown && i < in->nfields && i < FIELDS_MAX; i++)
		free(in->field[i].own);
	in->nown = 0, in->plain = false, in->nfields = 0, in->fbuf.len = 0, in->text = 0, in->text_col = 0;
	if (in->fbuf.cap > KEEP_BUFFER)
		buf_free(&in->fbuf);
	if (in->clean.cap > KEEP_BUFFER)
		buf_free(&in->clean);
	if (csv_get_buffer_size(&in->csv) > KEEP_BUFFER && !in->open)
		csv_free(&in->csv);
}

static void on_row(int c, void *ctx)
{
	(void)c;
	((Ingest *)ctx)->row_done = true;
}

/* The first record is the header: the fill-down columns are found by name in it (blanks
 * around it and case aside). After it, an empty fill-down field of a record (not a syntax
 * error's) takes the last value above it that was not empty; a record the values filled in
 * would make bigger than FILL_TIMES the file is none, quarantined (REC_FILL_BIG). */
static void fill_down(Ingest *in, Record *r)
{
	if (!in->fill_col) {
		in->fill_col = xmalloc(in->nfill * sizeof *in->fill_col);
		in->fill_last = xcalloc(in->nfill, sizeof *in->fill_last);
		for (size_t k = 0; k < in->nfill; k++) {
			in->fill_col[k] = UINT32_MAX;
			Str want = str_trim(str_make(in->fill_names[k], strlen(in->fill_names[k])));
			for (uint32_t i = 0; i < r->nfields && in->fill_col[k] == UINT32_MAX; i++) {
				Str name = str_trim(r->fields[i]);
				if (name.n == want.n && strncasecmp(name.p, want.p, want.n) == 0)
					in->fill_col[k] = i;
			}
		}
		return;
	}
	if (r->error)
		return;
	in->fill_rows += r->raw.n;
	uint64_t filled = in->filled;
	for (size_t k = 0; k < in->nfill; k++) {
		uint32_t c = in->fill_col[k];
		if (c < r->nfields && !str_trim(r->fields[c]).n && (filled += in->fill_last[k].len) > FILL_TIMES * in->fill_rows + FILL_SLACK) {
			r->error = REC_FILL_BIG, r->error_col = c + 1;
			return;
		}
	}
	in->filled = filled;
	for (size_t k = 0; k < in->nfill; k++) {
		uint32_t c = in->fill_col[k];
		if (c >= r->nfields)
			continue;
		Buf *last = &in->fill_last[k];
		if (!str_trim(r->fields[c]).n)
			in->fields[c] = str_make(last->p ? last->p : "", last->len);
		else
			last->len = 0, buf_put(last, r->fields[c].p, r->fields[c].n);
	}
}

const char *ingest_fill_down(Ingest *in, char *const *names, size_t n)
{
	if (names) {
		in->fill_names = names, in->nfill = n;
		return NULL;
	}
	for (size_t k = 0; in->fill_col && k < in->nfill; k++)
		if (in->fill_col[k] == UINT32_MAX)
			return in->fill_names[k];
	return NULL;
}

static void emit(Ingest *in, const char *raw, size_t rawlen, int error, uint32_t error_col)
{
	uint32_t n = in->nfields < FIELDS_MAX ? in->nfields : FIELDS_MAX;
	if (n > in->capstr) {
		in->capstr = n;
		in->fields = xrealloc(in->fields, in->capstr * sizeof *in->fields);
	}
	const char *base = in->fbuf.p ? in->fbuf.p : "";
	for (uint32_t i = 0; !in->plain && i < n; i++) {
		const Field *f = &in->field[i];
		in->fields[i] = str_make(f->p ? f->p : base + f->start, f->len);
	}
	Record r = {
		.line = in->rec_line, .nfields = n, .fields = in->fields,
		.raw = str_make(raw, rawlen), .error = error, .error_col = error_col,
		.text = in->text, .text_col = in->text_col, .cut = in->nfields > FIELDS_MAX,
	};
	if (__builtin_expect(in->nfill > 0, 0))
		fill_down(in, &r);
	in->fn(in->ctx, &r);
	clear_fields(in);
}

/* The usual line's record, split by ascii_line: it owns nothing and used no buffer (nor
 * libcsv), so its fields are forgotten without clear_fields' checks. */
static void emit_usual(Ingest *in, const char *raw, size_t rawlen)
{
	Record r = {.line = in->rec_line, .nfields = in->nfields, .fields = in->fields, .raw = str_make(raw, rawlen)};
	if (__builtin_expect(in->nfill > 0, 0))
		fill_down(in, &r);
	in->fn(in->ctx, &r);
	in->plain = false, in->nfields = 0;
}

static void reset_parser(Ingest *in)
{
	csv_fini(&in->csv, NULL, NULL, NULL);
	in->open = in->quoted = false;
}

/* Feeds one line to libcsv: its content, then its line end (brk, as in the file) as data
 * if a quoted field goes on past it, else the file's line end char, the record's end. False
 * on a syntax error. */
static bool feed_line(Ingest *in, const char *p, size_t n, const char *brk, size_t nbrk)
{
	in->row_done = false;
	if (!in->open && ascii_record(in, p, n))
		return true;
	bool quotes = false;
	for (const char *q = p; (q = memchr(q, '"', n - (size_t)(q - p))); q++)
		in->quoted = !in->quoted, quotes = true;	/* "" inside a quoted field toggles twice */
	if (!in->open && !quotes) {
		plain_record(in, p, n);
		return true;
	}
	if (!in->quoted)
		brk = &in->eol, nbrk = 1;
	bool ok = csv_parse(&in->csv, p, n, on_field, on_row, in) == n &&
		  csv_parse(&in->csv, brk, nbrk, on_field, on_row, in) == nbrk;
	if (!ok)
		return false;
	in->open = !in->row_done;
	/* Grow libcsv's field buffer geometrically: a megabyte field must not cost O(n^2). */
	if (csv_get_buffer_size(&in->csv) > 4096)
		csv_set_blk_size(&in->csv, csv_get_buffer_size(&in->csv));
	return true;
}

static bool is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* A line read as no record: blank, before the header, or a comment (counted as it is). */
static bool skipped_line(Ingest *in, const char *p, size_t n)
{
	if (in->skip || (in->comment && n >= in->comment_len && memcmp(p, in->comment, in->comment_len) == 0)) {
		in->skip -= in->skip > 0;
		in->skipped++;
		return true;
	}
	if (is_blank(p, n)) {
		in->blank++;
		return true;
	}
	return false;
}

static int is_lf(unsigned char c)
{
	return c == '\n';
}

static int is_cr(unsigned char c)
{
	return c == '\r';
}

/* Records end at the file's line end char only: the other one, alone in a field, is text. */
static void set_eol(Ingest *in, char eol)
{
	in->eol = eol;
	csv_set_term_func(&in->csv, eol == '\r' ? is_cr : is_lf);
}

/* The file's line ends, from its first one: LF or CRLF, or CR alone (old Mac exports).
 * False while d holds none yet. */
static bool decide_eol(Ingest *in, const char *d, size_t n, bool eof)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 < n || eof))) {
			set_eol(in, d[i] == '\r' && (i + 1 == n || d[i + 1] != '\n') ? '\r' : '\n');
			return true;
		}
		if (d[i] == '\r')
			return false;	/* a CR at the end: wait for what follows */
	}
	if (eof)
		set_eol(in, '\n');
	return eof;
}

/* The line at d: the length of its content (without the CR of a CRLF); *next is where the
 * next line starts, n if d holds no line end (then *whole is false). */
static size_t line_content(const Ingest *in, const char *d, size_t n, size_t *next, bool *whole)
{
	const char *brk = memchr(d, in->eol, n);
	size_t end = brk ? (size_t)(brk - d) : n;
	*next = brk ? end + 1 : n;
	*whole = brk != NULL;
	return in->eol == '\n' && end && d[end - 1] == '\r' ? end - 1 : end;
}

/* The field of line p (n bytes) in which its last quote left open was opened (1 if none). */
static uint32_t open_quote_field(const Ingest *in, const char *p, size_t n)
{
	bool quoted = false;
	uint32_t field = 1, at = 1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			at = quoted ? at : field, quoted = !quoted;
		else if (!quoted && p[i] == in->delim)
			field++;
	}
	return at;
}

/* A line libcsv (strict) refused, read as spreadsheets and Python's csv read it, where that is
 * one reading only: a quote inside a field that does not begin with one is a character of it
 * (12" pizza, 37°36'37.8"N); a quoted field must still end at a delimiter or the line's end.
 * With fill, its fields become the open record's. False when the line is no record so read (text
 * after a closing quote, "ab"c; a quote left open): the caller's error stands. */
static bool quotes_in_fields(Ingest *in, const char *p, size_t n, bool fill)
{
	Buf cell = {0};
	bool ok = true;
	if (fill)
		clear_fields(in);
	for (size_t i = 0; ok;) {
		while (i < n && is_blank_char(p[i]) && p[i] != in->delim)	/* a tab may be the delimiter */
			i++;
		cell.len = 0;
		if (i < n && p[i] == '"') {
			for (i++; i < n && (p[i] != '"' || (i + 1 < n && p[i + 1] == '"' && ++i)); i++)
				buf_putc(&cell, p[i]);
			ok = i++ < n;	/* closed */
			while (ok && i < n && is_blank_char(p[i]) && p[i] != in->delim)
				i++;
			ok = ok && (i == n || p[i] == in->delim);
		} else {
			const char *d = memchr(p + i, in->delim, n - i);
			size_t end = d ? (size_t)(d - p) : n, stop = end;
			while (stop > i && is_blank_char(p[stop - 1]))
				stop--;
			buf_put(&cell, p + i, stop - i);
			i = end;
		}
		if (ok && fill) {
			const char *t = cell.p ? cell.p : "";
			size_t len = cell.len;
			unsigned repaired;
			if (next_field(in, &t, &len, &repaired, false))
				buf_put(&in->fbuf, t, len);
		}
		if (i >= n)
			break;
		i++;	/* the delimiter */
	}
	buf_free(&cell);
	return ok;
}

/* Parses the complete lines of d[pos..len) (and a last partial line at eof). Returns
 * where the unfinished part starts (the open record or a partial line); sets in->stop
 * to where parsing stopped. */
static size_t parse_lines(Ingest *in, const char *d, size_t len, size_t pos, bool eof)
{
	size_t rec = in->open ? 0 : pos;
	while (pos < len) {
		if (!in->eol && !decide_eol(in, d + pos, len - pos, eof))
			break;
		if (in->eol == '\r' && d[pos] == '\n' && !in->open && in->line > 1) {
			in->lf_after_cr++;	/* a CRLF after a first line ending in CR alone: one line end */
			rec = ++pos;
			continue;
		}
		size_t n, line = in->bom_checked && !in->open ? ascii_line(in, d + pos, len - pos, &n) : 0;
		if (line) {	/* the usual line, split already */
			rec = pos;
			in->rec_line = in->line++;
			if ((in->skip || in->comment || !n || is_blank_char(d[pos])) && skipped_line(in, d + pos, n))
				in->nfields = 0, in->plain = false;
			else
				emit_usual(in, d + pos, n);
			pos += line;
			continue;
		}
		bool whole;
		size_t next, cend = pos + line_content(in, d + pos, len - pos, &next, &whole);
		next += pos;
		if (!whole && !eof)
			break;
		if (!in->bom_checked) {
			in->bom_checked = true;
			if (cend - pos >= 3 && memcmp(d + pos, "\xef\xbb\xbf", 3) == 0)
				pos += 3, rec = pos;
			if (pos == cend && !whole)
				break;	/* a file holding only a BOM has no lines */
		} else if (!in->open && cend - pos >= 3 && memcmp(d + pos, "\xef\xbb\xbf", 3) == 0) {
			pos += 3;	/* a BOM starting a later line: two exports joined by cat */
		}
		if (!in->open) {
			rec = pos;
			in->rec_line = in->line;
			if (skipped_line(in, d + pos, cend - pos)) {
				in->line++, pos = next;
				continue;
			}
		}
		in->line++;
		if (!feed_line(in, d + pos, cend - pos, d + cend, next - cend)) {
			uint32_t col = in->nfields + 1;
			reset_parser(in);
			if (in->rec_line + 1 < in->line) {
				/* A record over several lines went wrong: the quote that opened it on its
				 * first line was never closed there, and took the lines after it. That line
				 * goes; the lines after it are read again as records of their own. */
				bool whole;
				size_t first = rec + line_content(in, d + rec, len - rec, &next, &whole);
				next += rec;
				clear_fields(in);
				emit(in, d + rec, first - rec, REC_UNTERMINATED, open_quote_field(in, d + rec, first - rec));
				in->line = in->rec_line + 1;
			} else if (quotes_in_fields(in, d + rec, cend - rec, false)) {
				quotes_in_fields(in, d + rec, cend - rec, true);
				emit(in, d + rec, cend - rec, REC_OK, 0);
			} else {
				emit(in, d + rec, cend - rec, REC_STRAY_QUOTE, col);
			}
		} else if (in->row_done) {
			emit(in, d + rec, cend - rec, REC_OK, 0);
		}
		pos = next;
	}
	in->stop = pos;
	return in->open ? rec : pos;
}

Ingest *ingest_new(RecordFn fn, void *ctx)
{
	Ingest *in = xcalloc(1, sizeof *in);
	in->fn = fn;
	in->ctx = ctx;
	in->line = 1;
	csv_init(&in->csv, CSV_STRICT);
	in->delim = ',';
	set_eol(in, 0);
	csv_set_realloc_func(&in->csv, xrealloc);
	csv_set_blk_size(&in->csv, 4096);
	return in;
}

/* Parses what pending holds and drops the finished part. */
static void parse_pending(Ingest *in, bool eof)
{
	size_t keep = parse_lines(in, in->pending.p, in->pending.len, in->scan, eof);
	in->scan = in->stop - keep;
	if (keep)
		memmove(in->pending.p, in->pending.p + keep, in->pending.len - keep);
	in->pending.len -= keep;
}

void ingest_feed(Ingest *in, const char *data, size_t len)
{
	/* Finish what pending holds one line at a time, so the bulk of data is parsed in place. */
	while (len && in->pending.len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) + 1 : len;
		buf_put(&in->pending, data, take);
		data += take, len -= take;
		parse_pending(in, false);
	}
	if (!len)
		return;
	size_t keep = parse_lines(in, data, len, 0, false);
	buf_put(&in->pending, data + keep, len - keep);
	in->scan = in->stop - keep;
}

void ingest_feed_last(Ingest *in, const char *data, size_t len)
{
	if (in->pending.len) {
		ingest_feed(in, data, len);
		return;
	}
	size_t keep = parse_lines(in, data, len, 0, true);	/* in place to the end: no copy */
	buf_put(&in->pending, data + keep, len - keep);
	in->scan = in->stop - keep;
}

void ingest_finish(Ingest *in)
{
	parse_pending(in, true);
	while (in->open) {
		/* An unterminated quote ran to the end: quarantine the line that opened it and
		 * read the lines after it again as records of their own. */
		const char *d = in->pending.p;
		bool whole;
		size_t skip, cend = line_content(in, d, in->pending.len, &skip, &whole);
		uint32_t col = in->nfields + 1;
		reset_parser(in);
		clear_fields(in);
		emit(in, d, cend, REC_UNTERMINATED, col);
		in->line = in->rec_line + 1;
		in->scan = 0;
		memmove(in->pending.p, d + skip, in->pending.len - skip);
		in->pending.len -= skip;
		parse_pending(in, true);
	}
}

uint64_t ingest_blank_lines(const Ingest *in)
{
	return in->blank;
}

void ingest_options(Ingest *in, char delimiter, const char *comment, uint32_t header_row)
{
	in->delim = delimiter;
	csv_set_delim(&in->csv, (unsigned char)delimiter);
	in->comment = comment && *comment ? comment : NULL;
	in->comment_len = in->comment ? strlen(comment) : 0;
	in->skip = header_row ? header_row - 1 : 0;
}

uint64_t ingest_skipped_lines(const Ingest *in)
{
	return in->skipped;
}

uint64_t ingest_crlf_after_cr(const Ingest *in)
{
	return in->lf_after_cr;
}

void ingest_resume(Ingest *in, char eol, char delimiter, const char *comment)
{
	in->bom_checked = true;
	set_eol(in, eol);
	ingest_options(in, delimiter, comment, 0);
}

void ingest_continue(Ingest *in, const Ingest *first)
{
	ingest_resume(in, first->eol, first->delim, first->comment);
}

bool ingest_open(const Ingest *in)
{
	return in->open || in->pending.len;
}

uint32_t ingest_lines(const Ingest *in)
{
	return in->line - 1;
}

void ingest_free(Ingest *in)
{
	if (!in)
		return;
	clear_fields(in);
	csv_free(&in->csv);
	buf_free(&in->pending);
	buf_free(&in->fbuf);
	buf_free(&in->clean);
	free(in->field);
	free(in->fields);
	for (size_t k = 0; in->fill_last && k < in->nfill; k++)
		buf_free(&in->fill_last[k]);
	free(in->fill_last);
	free(in->fill_col);
	free(in);
}
