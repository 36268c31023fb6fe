/* ingest.c — bronze reading: RFC 4180 records over libcsv, with lines, BOM, blank lines,
 * text repair and recovery from syntax errors. */
#include "c360.h"

#include <csv.h>
#include <stdlib.h>

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
	bool row_done;
	bool bom_checked;
	uint64_t blank;
	const char *comment;	/* a line starting with it is skipped */
	size_t comment_len;
	uint32_t skip;		/* lines still to skip before the header */
	uint64_t skipped;	/* lines skipped: before the header, and comments */
	/* fields of the open record */
	Buf fbuf;
	size_t *fend;		/* end offset of each field in fbuf */
	uint32_t nfields, capfields;
	Str *fields;
	uint32_t capstr;
	unsigned text;
	uint32_t text_col;
	Buf clean;
};

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
		found |= s[i] ? TEXT_INVALID_UTF8 : TEXT_NUL;
		buf_put(out, s + clean_to, i - clean_to);
		buf_put(out, "\xef\xbf\xbd", 3);
		clean_to = ++i;
	}
	if (found)
		buf_put(out, s + clean_to, n - clean_to);
	return found;
}

static void on_field(void *s, size_t len, void *ctx)
{
	Ingest *in = ctx;
	const char *p = s ? s : "";
	unsigned t = utf8_sanitize(p, len, &in->clean);
	if (t) {
		if (!in->text)
			in->text_col = in->nfields + 1;
		in->text |= t;
		p = in->clean.p, len = in->clean.len;
	}
	if (in->nfields == in->capfields) {
		in->capfields = in->capfields ? in->capfields * 2 : 16;
		in->fend = xrealloc(in->fend, in->capfields * sizeof *in->fend);
	}
	buf_put(&in->fbuf, p, len);
	in->fend[in->nfields++] = in->fbuf.len;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	((Ingest *)ctx)->row_done = true;
}

static void emit(Ingest *in, const char *raw, size_t rawlen, int error, uint32_t error_col)
{
	if (in->nfields > in->capstr) {
		in->capstr = in->nfields;
		in->fields = xrealloc(in->fields, in->capstr * sizeof *in->fields);
	}
	const char *base = in->fbuf.p ? in->fbuf.p : "";
	for (uint32_t i = 0; i < in->nfields; i++) {
		size_t start = i ? in->fend[i - 1] : 0;
		in->fields[i] = str_make(base + start, in->fend[i] - start);
	}
	Record r = {
		.line = in->rec_line, .nfields = in->nfields, .fields = in->fields,
		.raw = str_make(raw, rawlen), .error = error, .error_col = error_col,
		.text = in->text, .text_col = in->text_col,
	};
	in->fn(in->ctx, &r);
	in->nfields = 0, in->fbuf.len = 0, in->text = 0, in->text_col = 0;
}

static void reset_parser(Ingest *in)
{
	csv_fini(&in->csv, NULL, NULL, NULL);
	in->open = false;
}

/* Feeds one line's content (without its line end) to libcsv; false on a syntax error. */
static bool feed_line(Ingest *in, const char *p, size_t n)
{
	in->row_done = false;
	if (csv_parse(&in->csv, p, n, on_field, on_row, in) != n ||
	    csv_parse(&in->csv, "\n", 1, on_field, on_row, in) != 1)
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

/* Parses the complete lines of d[pos..len) (and a last partial line at eof). Returns
 * where the unfinished part starts (the open record or a partial line); sets in->stop
 * to where parsing stopped. */
static size_t parse_lines(Ingest *in, const char *d, size_t len, size_t pos, bool eof)
{
	size_t rec = in->open ? 0 : pos;
	while (pos < len) {
		const char *nl = memchr(d + pos, '\n', len - pos);
		if (!nl && !eof)
			break;
		size_t end = nl ? (size_t)(nl - d) : len, next = nl ? end + 1 : len;
		if (!in->bom_checked) {
			in->bom_checked = true;
			if (end - pos >= 3 && memcmp(d + pos, "\xef\xbb\xbf", 3) == 0)
				pos += 3, rec = pos;
			if (pos == end && !nl)
				break;	/* a file holding only a BOM has no lines */
		}
		size_t cend = end > pos && d[end - 1] == '\r' ? end - 1 : end;
		if (!in->open) {
			rec = pos;
			in->rec_line = in->line;
			if (skipped_line(in, d + pos, cend - pos)) {
				in->line++, pos = next;
				continue;
			}
		}
		in->line++;
		if (!feed_line(in, d + pos, cend - pos)) {
			uint32_t col = in->nfields + 1;
			reset_parser(in);
			emit(in, d + rec, cend - rec, REC_STRAY_QUOTE, col);
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

void ingest_finish(Ingest *in)
{
	parse_pending(in, true);
	while (in->open) {
		/* An unterminated quote ran to the end: quarantine the line that opened it and
		 * read the lines after it again as records of their own. */
		const char *d = in->pending.p;
		const char *nl = memchr(d, '\n', in->pending.len);
		size_t first = nl ? (size_t)(nl - d) : in->pending.len;
		size_t cend = first && d[first - 1] == '\r' ? first - 1 : first;
		uint32_t col = in->nfields + 1;
		reset_parser(in);
		in->nfields = 0, in->fbuf.len = 0, in->text = 0;
		emit(in, d, cend, REC_UNTERMINATED, col);
		in->line = in->rec_line + 1;
		in->scan = 0;
		size_t skip = nl ? first + 1 : first;
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
	csv_set_delim(&in->csv, (unsigned char)delimiter);
	in->comment = comment && *comment ? comment : NULL;
	in->comment_len = comment ? strlen(comment) : 0;
	in->skip = header_row ? header_row - 1 : 0;
}

uint64_t ingest_skipped_lines(const Ingest *in)
{
	return in->skipped;
}

void ingest_continue(Ingest *in)
{
	in->bom_checked = true;
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
	csv_free(&in->csv);
	buf_free(&in->pending);
	buf_free(&in->fbuf);
	buf_free(&in->clean);
	free(in->fend);
	free(in->fields);
	free(in);
}
