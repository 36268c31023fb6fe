/* escape.c — every escaping of data for output, by context, in one table-driven place. */
#include "c360.h"

#include <unigbrk.h>
#include <unistr.h>
#include <uniwidth.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Byte classes: what each context must do with a byte. */
enum {
	E_MD = 2,		/* Markdown punctuation that can start a construct anywhere */
	E_MD_LEAD = 4,		/* ... or at the start of a value (a line start) */
	E_URL_OK = 8,		/* unreserved in a URL path segment */
	E_NAME_OK = 16,		/* kept as is in a file name */
	E_CTRL = 32,		/* control characters */
	E_BIDI = 64,		/* the first byte of a bidirectional control (and of other characters) */
	E_C1 = 128,		/* the first byte of a C1 control, U+0080-009F (and of other characters) */
};

static unsigned char cls[256];

__attribute__((constructor)) static void classes_init(void)
{
	if (cls['a'])
		return;
	for (int c = 0; c < 32; c++)
		cls[c] |= E_CTRL;
	cls[127] |= E_CTRL;
	cls[0xe2] |= E_BIDI;
	cls[0xc2] |= E_C1;
	for (const char *p = "\\`*_[]<>&|!~#"; *p; p++)
		cls[(unsigned char)*p] |= E_MD;
	for (const char *p = "-+=.):;"; *p; p++)
		cls[(unsigned char)*p] |= E_MD_LEAD;
	for (int c = 0; c < 128; c++) {
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (alnum || c == '-' || c == '.' || c == '_' || c == '~')
			cls[c] |= E_URL_OK;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
			cls[c] |= E_NAME_OK;
	}
}

static void char_ref(Buf *b, unsigned char c)
{
	char tmp[8] = {'&', '#'};
	int n = 2;
	if (c >= 100)
		tmp[n++] = (char)('0' + c / 100);
	if (c >= 10)
		tmp[n++] = (char)('0' + c / 10 % 10);
	tmp[n++] = (char)('0' + c % 10);
	tmp[n++] = ';';
	buf_put(b, tmp, (size_t)n);
}

/* ---- bidirectional controls: data text as a closed unit
 *
 * The embeddings and overrides (U+202A..U+202E: LRE RLE PDF LRO RLO) and isolates (U+2066..
 * U+2069: LRI RLI FSI PDI) of Unicode's bidirectional algorithm (UAX #9) reach past the text
 * that holds them: an RLO never closed reverses the rest of its line, the page's own words
 * included. Text from the data goes into a page as a closed unit: what it opens and leaves
 * open is closed at its end, and a closer that would close something opened before it (none
 * of its own open) is left out. Text without them stays as it is, byte for byte. */

#define BIDI_DEPTH 64	/* openers open at once (UAX #9 stops counting at 125); one more is left out */

typedef struct {
	uint64_t isolate;	/* bit k: the opener at depth k is an isolate, not an embedding */
	unsigned depth;
} Bidi;

enum { BIDI_NONE, BIDI_KEEP, BIDI_DROP };

/* The 3 bytes at p (p[0] is 0xe2, 3 bytes there): BIDI_NONE if not a control; else whether it
 * stays, the state moved on. A PDF closes the embedding on top, never one outside the isolate
 * on top (UAX #9 X7); a PDI closes the latest isolate and what was opened in it (X6a). */
static int bidi_step(Bidi *st, const unsigned char *p)
{
	unsigned c = (unsigned)p[1] << 8 | p[2];
	bool embed = c >= 0x80aa && c <= 0x80ae, isolate = c >= 0x81a6 && c <= 0x81a9;
	if (!embed && !isolate)
		return BIDI_NONE;
	uint64_t open = st->depth ? st->isolate & (~0ull >> (64 - st->depth)) : 0;	/* isolates open */
	if (c == 0x80ac) {
		if (!st->depth || (open >> (st->depth - 1) & 1))
			return BIDI_DROP;
		st->depth--;
		return BIDI_KEEP;
	}
	if (c == 0x81a9) {
		if (!open)
			return BIDI_DROP;
		st->depth = (unsigned)(63 - __builtin_clzll(open));
		return BIDI_KEEP;
	}
	if (st->depth == BIDI_DEPTH)
		return BIDI_DROP;
	st->isolate = (st->isolate & ~(1ull << st->depth)) | (uint64_t)isolate << st->depth;
	st->depth++;
	return BIDI_KEEP;
}

/* Where the first bidirectional control of s is; NULL if none. */
static const unsigned char *bidi_find(const unsigned char *p, const unsigned char *end)
{
	Bidi st = {0};
	for (; (p = memchr(p, 0xe2, (size_t)(end - p))) && end - p >= 3; p++)
		if (bidi_step(&st, p) != BIDI_NONE)
			return p;
	return NULL;
}

bool has_bidi(const char *s, size_t n)
{
	return bidi_find((const unsigned char *)s, (const unsigned char *)s + n) != NULL;
}

void esc_bidi(Buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *from = p;
	Bidi st = {0};
	while ((p = bidi_find(p, end))) {
		if (bidi_step(&st, p) == BIDI_DROP) {
			buf_put(b, from, (size_t)(p - from));
			from = p + 3;
		}
		p += 3;
	}
	buf_put(b, from, (size_t)(end - from));
	while (st.depth--)
		buf_puts(b, st.isolate >> st.depth & 1 ? "\u2069" : "\u202c");
}

/* ---- text for a terminal: c360's messages
 *
 * What a terminal acts on or hides is shown as an escape that names it, so a message stays one
 * line in the order it was written and says what the data holds: a C0 control or DEL as \\xNN
 * (a tab and a line end kept with ESC_TERM_LINES), a byte that is not UTF-8 as \\xNN (a lone
 * 0x9b is CSI to a terminal in an 8-bit mode), and as \\uXXXX a C1 control (U+0080..U+009F:
 * U+009B is CSI, U+0085 a line end to some terminals), a line or paragraph separator (U+2028,
 * U+2029) and a bidirectional control (U+202A..U+202E, U+2066..U+2069, and the marks U+200E,
 * U+200F, U+061C), which a terminal that orders text by UAX #9 lets reorder the message around
 * the value. Other characters stay as they are, letters of right-to-left scripts too. */

/* Whether a message shows the character c (U+0080 or above) as \\uXXXX. */
static bool term_escaped(ucs4_t c)
{
	return c <= 0x9f || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x200e || c == 0x200f || c == 0x061c;
}

/* The character at p[0..n) (n > 0): its length (1 for a byte that is not UTF-8); in *u the code
 * point a message shows as \\uXXXX, 0 for a byte it shows as \\xNN; true if shown as it is. */
static bool term_char(const unsigned char *p, size_t n, unsigned flags, size_t *len, ucs4_t *u)
{
	*len = 1, *u = 0;
	if (p[0] < 0x80)
		return p[0] == '\\' ? !(flags & ESC_TERM_BACKSLASH)
				     : (p[0] >= 0x20 && p[0] != 0x7f) || (flags & ESC_TERM_LINES && (p[0] == '\n' || p[0] == '\t'));
	int k = u8_mbtoucr(u, p, n);	/* -1, -2: not UTF-8 here */
	if (k <= 0) {
		*u = 0;
		return false;
	}
	*len = (size_t)k;
	return !term_escaped(*u);
}

bool term_plain(const char *s, size_t n, size_t *len)
{
	ucs4_t u;
	return term_char((const unsigned char *)s, n, 0, len, &u);
}

void esc_terminal(Buf *b, const char *s, size_t n, unsigned flags)
{
	size_t from = 0, len;
	ucs4_t u;
	for (size_t i = 0; i < n; i += len) {
		if (term_char((const unsigned char *)s + i, n - i, flags, &len, &u))
			continue;
		buf_put(b, s + from, i - from);
		if (u)
			buf_printf(b, "\\u%04x", (unsigned)u);
		else
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
		from = i + len;
	}
	buf_put(b, s + from, n - from);
}

/* The bytes esc_html replaces, and by what: most values (names, dates, figures) have none, and
 * pass 8 bytes at a time. 0xe2 starts a bidirectional control (and other characters), 0xc2 a
 * C1 control (and other characters). */
static const char html_ref[256][8] = {[0 ... 8] = " ", [11 ... 12] = " ", [14 ... 31] = " ", [127] = " ",
				      ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
				      [0xc2] = "\xc2", [0xe2] = "\xe2"};

/* One of & ' (0x26 0x27), < > (0x3c 0x3e), ", 0xc2 or 0xe2, a control or DEL among 8 bytes (a tab
 * or a line end too: HTML's own white space, kept as it is). */
static uint64_t html_word(uint64_t x)
{
	return zero_byte8((x | BYTES8(1)) ^ BYTES8('\'')) | zero_byte8((x | BYTES8(2)) ^ BYTES8('>')) |
	       zero_byte8(x ^ BYTES8('"')) | zero_byte8((x | BYTES8(0x20)) ^ BYTES8(0xe2)) | byte_below8(x, ' ') |
	       zero_byte8(x ^ BYTES8(127));
}

size_t control_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x20 || c == 0x7f)
		return 1;
	return c == 0xc2 && n >= 2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] < 0xa0 ? 2 : 0;
}

/* control_len, or the 3 bytes of U+2028 or U+2029 (a line or paragraph separator, where Pango
 * starts a line: a title with them ran down over the PDF's page header) */
static size_t shown_len(const char *s, size_t n)
{
	size_t k = control_len(s, n);
	return k ? k : n >= 3 && memcmp(s, "\xe2\x80", 2) == 0 && (s[2] == '\xa8' || s[2] == '\xa9') ? 3 : 0;
}

void text_shown(Buf *b, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0, k; i < n; i += k ? k : 1) {
		if (!(k = shown_len(s + i, n - i)))
			continue;
		buf_put(b, s + from, i - from);
		buf_putc(b, ' ');
		from = i + k;
	}
	buf_put(b, s + from, n - from);
}

/* esc_html (C0 and C1 controls and DEL as spaces, as text_shown); closed: s has no bidirectional
 * control left open. */
static void html_text(Buf *b, const char *s, size_t n, bool closed)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *from = p;
	for (;;) {
		while (end - p >= 8 && !html_word(load8(p)))
			p += 8;
		while (p < end && !html_ref[*p][0])
			p++;
		if (p < end && *p == 0xe2) {	/* at the first, whether a control follows: if so the rest closed */
			if (!closed && has_bidi((const char *)p, (size_t)(end - p))) {
				buf_put(b, from, (size_t)(p - from));
				Buf t = {0};
				esc_bidi(&t, (const char *)p, (size_t)(end - p));
				html_text(b, t.p ? t.p : "", t.len, true);
				buf_free(&t);
				return;
			}
			closed = true;
			p++;
			continue;
		}
		if (p < end && *p == 0xc2) {
			if (control_len((const char *)p, (size_t)(end - p)) != 2) {
				p++;
				continue;
			}
			buf_put(b, from, (size_t)(p - from));
			buf_putc(b, ' ');
			from = p += 2;
			continue;
		}
		buf_put(b, from, (size_t)(p - from));
		if (p == end)
			return;
		buf_puts(b, html_ref[*p]);
		from = ++p;
	}
}

void esc_html(Buf *b, const char *s, size_t n)
{
	html_text(b, s, n, false);
}

/* Data in Markdown renders as the same text and never as markup: punctuation that could open
 * a construct becomes a character reference, line breaks and controls become spaces (so data
 * cannot start a block), and a leading character that could start a list, heading, rule or
 * (a blank: four of them) a code block is escaped too, and so is a leading U+FEFF (a byte-order
 * mark: cmark drops one that starts the document). */
static void md_text(Buf *b, const char *s, size_t n, bool closed)
{
	size_t start = b->len, from = 0, digits = 0;	/* "123." or "123)" would start an ordered list */
	const char *whole = s;
	size_t whole_n = n;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		buf_puts(b, "&#65279;");
		s += 3, n -= 3;
	}
	while (digits < n && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned k = cls[c];
		bool lead = i == 0 || (i == digits && digits <= 9);
		if (!(k & (E_MD | E_CTRL | E_BIDI | E_C1)) && !(lead && (k & E_MD_LEAD)) && !(i == 0 && c == ' '))
			continue;
		size_t len = k & E_C1 ? control_len(s + i, n - i) : 1;
		if (!len)
			continue;	/* 0xc2 starting a character that is no control */
		if (k & E_BIDI) {	/* at the first, whether a control follows: if so all again, closed */
			if (!closed && has_bidi(s + i, n - i)) {
				b->len = start;
				Buf t = {0};
				esc_bidi(&t, whole, whole_n);
				md_text(b, t.p ? t.p : "", t.len, true);
				buf_free(&t);
				return;
			}
			closed = true;
			continue;
		}
		buf_put(b, s + from, i - from);
		bool ctrl = k & (E_CTRL | E_C1);
		if (ctrl && i)
			buf_putc(b, ' ');
		else
			char_ref(b, ctrl ? ' ' : c);
		from = i + len;
		i += len - 1;
	}
	buf_put(b, s + from, n - from);
}

void esc_markdown(Buf *b, const char *s, size_t n)
{
	classes_init();
	md_text(b, s, n, false);
}

void esc_url(Buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	classes_init();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (cls[c] & E_URL_OK) {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_put(b, e, 3);
		}
	}
}

/* A JavaScript string literal that is also safe inside an HTML script element. The bytes it
 * looks at: " \\ controls, < > & DEL, and 0xe2 (U+2028, U+2029); the runs between them are
 * copied whole into room made once (6 bytes a byte at most, and the quotes). */
static const bool js_rare[256] = {[0 ... 31] = true, ['"'] = true, ['\\'] = true, ['<'] = true, ['>'] = true,
				  ['&'] = true, [127] = true, [0xe2] = true};

void esc_js(Buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (b->cap - b->len < 6 * n + 2)
		buf_grow(b, 6 * n + 2);
	char *d = b->p + b->len;
	*d++ = '"';
	for (size_t i = 0, from = 0;; i++) {
		while (i < n && !js_rare[(unsigned char)s[i]])
			i++;
		if (i > from)
			memcpy(d, s + from, i - from), d += i - from;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*d++ = '\\', *d++ = (char)c;
		} else if (c != 0xe2) {
			memcpy(d, "\\u00", 4), d[4] = hex[c >> 4], d[5] = hex[c & 15], d += 6;
		} else if (i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			memcpy(d, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6), d += 6;
			i += 2;
		} else {
			*d++ = (char)c;
		}
		from = i + 1;
	}
	*d++ = '"';
	b->len = (size_t)(d - b->p);
}

/* The bytes that make a CSV cell quoted (csv_field's): , " LF CR. */
static bool sheet_special(unsigned char c)
{
	return c == ',' || c == '"' || c == '\n' || c == '\r';
}

#ifdef __SSE2__
/* Of the 16 bytes x, those sheet_special has, a bit each. */
__attribute__((always_inline)) static inline unsigned sheet_special16(__m128i x)
{
	__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')), _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
				   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
	return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Whether s[0, n) holds a byte sheet_special has: 16 at a time where SSE2 is, the last 16 (or,
 * in a shorter text, both ends' 8 or 4) read overlapping what was read, never past the end. */
static bool sheet_quoted(const char *s, size_t n)
{
#ifdef __SSE2__
	if (n >= 16) {
		for (size_t i = 0; i + 16 < n; i += 16)
			if (sheet_special16(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
				return true;
		return sheet_special16(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16))) != 0;
	}
	if (n >= 8)
		return sheet_special16(_mm_set_epi64x((long long)load8(s + n - 8), (long long)load8(s))) != 0;
	if (n >= 4) {
		uint32_t head, tail;
		memcpy(&head, s, 4), memcpy(&tail, s + n - 4, 4);
		return sheet_special16(_mm_set_epi32(0, 0, (int)tail, (int)head)) != 0;	/* a 0 is no special */
	}
#endif
	for (size_t i = 0; i < n; i++)
		if (sheet_special((unsigned char)s[i]))
			return true;
	return false;
}

/* A CSV cell for spreadsheets: csv_field of the cell, after a ' where it starts as a formula
 * would (= + - @ tab CR: OWASP's advice for CSV injection); the text looked at once and copied
 * whole when nothing in it is quoted (a customer list's CSV is mostly names, e-mails and
 * cities). */
void esc_sheet_cell(Buf *b, const char *s, size_t n)
{
	bool formula = n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
	if (!sheet_quoted(s, n)) {
		if (b->cap - b->len < n + 1)
			buf_grow(b, n + 1);
		if (formula)
			b->p[b->len++] = '\'';
		buf_put(b, s, n);
		return;
	}
	csv_quoted(b, s, n, formula);
}

/* Whether s[i..n) starts with a regional indicator (U+1F1E6..U+1F1FF, half a flag). */
static bool regional_at(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s + i;
	return i + 4 <= n && u[0] == 0xf0 && u[1] == 0x9f && u[2] == 0x87 && u[3] >= 0xa6 && u[3] <= 0xbf;
}

#define GRAPHEME_WINDOW 256	/* bytes before a cut whose grapheme clusters are looked at */

/* Not only between two characters but between two grapheme clusters (UAX #29, libunistring):
 * a Devanagari or Thai letter keeps its vowel signs, an emoji its skin tone and the rest of its
 * ZWJ sequence, a flag both its letters. The clusters of a window before max decide; a cluster
 * longer than it (a letter under hundreds of marks) is cut between two characters. */
size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	max = utf8_char_cut(s, n, max);
	if (!max)
		return 0;
	size_t from = max > GRAPHEME_WINDOW ? max - GRAPHEME_WINDOW : 0, end = max + 1;
	/* a character's start or end, 3 bytes away at most: bytes that are not UTF-8 (a run of
	 * continuation bytes) do not take the window past brk */
	for (int k = 0; k < 3 && from && ((unsigned char)s[from] & 0xc0) == 0x80; k++)
		from--;
	for (int k = 0; k < 3 && end < n && ((unsigned char)s[end] & 0xc0) == 0x80; k++)
		end++;
	if (regional_at(s, n, from)) {	/* a flag is two regional indicators counted from the run's start */
		size_t before = 0;
		while (from - before * 4 >= 4 && regional_at(s, n, from - before * 4 - 4))
			before++;
		from -= before % 2 * 4;
	}
	char brk[GRAPHEME_WINDOW + 12];	/* from backs off 3 bytes at most and then a regional indicator, end goes on 3 */
	u8_grapheme_breaks((const uint8_t *)s + from, end - from, brk);
	for (size_t i = max - from; i > 0; i--)
		if (brk[i])
			return from + i;
	return from ? max : 0;	/* 0: the first cluster is longer than max */
}

size_t text_columns(const char *s, size_t n)
{
	size_t cols = 0;
	for (size_t i = 0; i < n;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)s + i, n - i), w = uc_width(cp, "UTF-8");
		cols += w < 0 ? 1 : (size_t)w;
		i += (size_t)(len > 0 ? len : 1);
	}
	return cols;
}

size_t text_columns_cut(const char *s, size_t n, size_t cols)
{
	size_t at = 0;
	for (size_t used = 0; at < n;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)s + at, n - at), w = uc_width(cp, "UTF-8");
		if ((used += w < 0 ? 1 : (size_t)w) > cols)
			break;
		at += (size_t)(len > 0 ? len : 1);
	}
	return at < n ? utf8_cut(s, n, at) : n;
}

/* HTML in a single-quoted JavaScript string literal of a script file that a page loads by its
 * src (customers/packed/K.js): only what ends the literal or a line is escaped (' \\, control
 * characters, U+2028/U+2029), so that the markup keeps its own size. Its < and " stay as they
 * are: an HTML parser never reads a script file's text, and the markup's attributes are in ".
 * A pack is mostly this: it is written straight into room made for a chunk of the input at a
 * time (6 bytes for one at most), the plain bytes skipped 16 at a time where SSE2 is. */
#define JS_CHUNK 4096

/* The bytes esc_js_html looks at: ' \\ controls, DEL, and 0xe2 (U+2028, U+2029). */
static const bool js_html_rare[256] = {[0 ... 31] = true, ['\''] = true, ['\\'] = true, [127] = true, [0xe2] = true};

#ifdef __SSE2__
/* Of the 16 bytes at p, those js_html_rare has (the others are plain, UTF-8 included), a bit each. */
__attribute__((always_inline)) static inline unsigned js_html_rare16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i one = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
				   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(127)), _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xe2))));
	__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));	/* x <= 0x1f */
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(one, ctl));
}
#endif

/* The byte at *at, one js_html_rare has, escaped into d (6 bytes at most); *at past it, and past
 * the rest of a U+2028 or U+2029 (the bytes up to limit may be read). */
__attribute__((always_inline)) static inline char *js_rare_put(char *d, const unsigned char **at,
								  const unsigned char *limit)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = *at;
	unsigned char c = *p++;
	if (c == '\'' || c == '\\') {
		*d++ = '\\', *d++ = (char)c;
	} else if (c == '\n') {
		*d++ = '\\', *d++ = 'n';
	} else if (c == 0xe2 && limit - p > 1 && p[0] == 0x80 && (p[1] == 0xa8 || p[1] == 0xa9)) {
		memcpy(d, p[1] == 0xa8 ? "\\u2028" : "\\u2029", 6), d += 6;
		p += 2;	/* a line or paragraph separator: 3 bytes */
	} else if (c != 0xe2) {	/* a control character or DEL */
		memcpy(d, (char[6]){'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]}, 6), d += 6;
	} else {
		*d++ = (char)c;
	}
	*at = p;
	return d;
}

/* *at up to end escaped into d (room for 6 bytes a byte, and 16 more); the end of d, *at where
 * it stopped: end, or past it by the rest of a U+2028 or U+2029 that end cuts. The bytes up to
 * limit (>= end) may be read. */
__attribute__((always_inline)) static inline char *js_html_put(char *d, const unsigned char **at,
								  const unsigned char *end, const unsigned char *limit)
{
	const unsigned char *p = *at;
	while (p < end) {
#ifdef __SSE2__
		if (limit - p >= 16) {	/* the plain bytes before the next rare one, 16 at a time */
			unsigned r = js_html_rare16(p) | (end - p < 16 ? ~0u << (end - p) : 0);
			memcpy(d, p, 16);
			size_t plain = r ? (size_t)__builtin_ctz(r) : 16;
			d += plain, p += plain;
			if (!r)
				continue;
			if (p == end)
				break;
		}
#endif
		if (!js_html_rare[*p])
			*d++ = (char)*p++;
		else
			d = js_rare_put(d, &p, limit);
	}
	*at = p;
	return d;
}

void esc_js_html(Buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	buf_putc(b, '\'');
	while (p < end) {
		const unsigned char *stop = end - p > JS_CHUNK ? p + JS_CHUNK : end;
		if (b->cap - b->len < 6 * JS_CHUNK + 16)
			buf_grow(b, 6 * JS_CHUNK + 16);
		b->len = (size_t)(js_html_put(b->p + b->len, &p, stop, end) - b->p);
	}
	buf_putc(b, '\'');
}

#ifdef __SSE2__
/* Of the 16 bytes at p: the < (*lt), the > (*gt), the spaces and line ends (*ws) or'd in at bit k. */
__attribute__((always_inline)) static inline void pack_bytes16(const unsigned char *p, int k, uint64_t *lt, uint64_t *gt,
								 uint64_t *ws)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	*lt |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('<'))) << k;
	*gt |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('>'))) << k;
	*ws |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
								  _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')))) << k;
}
#endif

/* Of the 64 bytes at p: the < (*lt), the > (*gt), the spaces and line ends (*ws), a bit each (the
 * four blocks of 16 written out: their shifts are constants). */
static void pack_bytes64(const unsigned char *p, uint64_t *lt, uint64_t *gt, uint64_t *ws)
{
	*lt = *gt = *ws = 0;
#ifdef __SSE2__
	pack_bytes16(p, 0, lt, gt, ws);
	pack_bytes16(p + 16, 16, lt, gt, ws);
	pack_bytes16(p + 32, 32, lt, gt, ws);
	pack_bytes16(p + 48, 48, lt, gt, ws);
#else
	for (int k = 0; k < 64; k++) {
		*lt |= (uint64_t)(p[k] == '<') << k;
		*gt |= (uint64_t)(p[k] == '>') << k;
		*ws |= (uint64_t)(p[k] == ' ' || p[k] == '\n') << k;
	}
#endif
}

/* Where the first text at or after at starts, n if none: the first byte after a > and the spaces
 * and line ends after it, unless a <. s[at] is a < (markup starts where a text ends) or at is 0
 * (as if a > came before s), so what comes before at does not change it. 64 bytes at a time,
 * without a branch on what they are: the spaces after a > are skipped by an addition (the > bit,
 * one up, carried through the run of space bits above it). */
static size_t text_start(const char *s, size_t n, size_t at)
{
	uint64_t after_gt = at == 0, carry = 0;
	for (size_t w = at; w < n; w += 64) {
		const unsigned char *p = (const unsigned char *)s + w;
		unsigned char pad[64];
		if (n - w < 64) {	/* the end: zeros past it (no < > or space) */
			memset(pad, 0, sizeof pad);
			memcpy(pad, p, n - w);
			p = pad;
		}
		uint64_t l, g, ws, sum;
		pack_bytes64(p, &l, &g, &ws);
		uint64_t x = g << 1 | after_gt;
		after_gt = g >> 63;
		bool c1 = __builtin_add_overflow(ws, x, &sum), c2 = __builtin_add_overflow(sum, carry, &sum);
		carry = c1 | c2;
		uint64_t starts = sum & ~ws & ~l;
		if (n - w < 64)
			starts &= (1ull << (n - w)) - 1;	/* not the zeros */
		if (starts)
			return w + (size_t)__builtin_ctzll(starts);
	}
	return n;
}

/* The text at *at escaped into d (esc_js_html's escapes, room for 6 bytes a byte and 16 more): up
 * to the next < or end; the end of d, *at where it stopped. The plain bytes 16 at a time where
 * SSE2 is. */
__attribute__((always_inline)) static inline char *js_text_put(char *d, const unsigned char **at,
								  const unsigned char *end)
{
	const unsigned char *p = *at;
	for (;;) {
#ifdef __SSE2__
		if (end - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned lt = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
			unsigned r = js_html_rare16(p) | lt;
			memcpy(d, p, 16);
			if (!r) {
				d += 16, p += 16;
				continue;
			}
			unsigned k = (unsigned)__builtin_ctz(r);
			d += k, p += k;
			if (lt >> k & 1)
				break;
			d = js_rare_put(d, &p, end);
			continue;
		}
#endif
		if (p == end || *p == '<')
			break;
		if (!js_html_rare[*p])
			*d++ = (char)*p++;
		else
			d = js_rare_put(d, &p, end);
	}
	*at = p;
	return d;
}

/* v in decimal at d; the end. Two digits at a time from digit_pairs (a pack's numbers are mostly
 * of two or three digits). */
static char *put_decimal(char *d, size_t v)
{
	if (v >= 1000) {	/* rare: a pack has a few hundred markups */
		char t[24];
		size_t n = 0;
		do
			t[n++] = (char)('0' + v % 10);
		while ((v /= 10));
		while (n)
			*d++ = t[--n];
		return d;
	}
	if (v < 10) {
		*d = (char)('0' + v);
		return d + 1;
	}
	if (v >= 100)
		*d++ = (char)('0' + v / 100), v %= 100;
	memcpy(d, digit_pairs + 2 * v, 2);
	return d + 2;
}

/* ---- a pack's runs of markup */

#define MARKUP_LOOKED_UP (UINT32_MAX - 1)	/* runs in slot[] and seen[], at most: those after are listed again */

/* Run i's token (PackMarkup.tok): "i,'" and its length in t[7]; none (0) when i has more than 5
 * digits. */
static void run_token(char t[8], size_t i)
{
	memset(t, 0, 8);
	if (i >= 100000)
		return;
	char *e = put_decimal(t, i);
	*e++ = ',', *e++ = '\'';
	t[7] = (char)(e - t);
}

/* Run i's number, a comma and a text's opening quote at d (8 bytes of room); the end. */
__attribute__((always_inline)) static inline char *put_run(char *d, const PackMarkup *m, size_t i)
{
	const char *t = m->tok[i];
	if (!t[7]) {
		d = put_decimal(d, i);
		*d++ = ',', *d++ = '\'';
		return d;
	}
	memcpy(d, t, 8);
	return d + t[7];
}

/* A run's hash, quick: its length, its first, middle and last 8 bytes (the markup that differs
 * within a pack differs mostly in an attribute's value: a date, an id). */
static inline uint64_t markup_hash(const char *s, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15ull;
	if (n >= 8)
		h ^= (load8(s) * 0xff51afd7ed558ccdull) ^ (load8(s + n / 2 - 4) * 0xc4ceb9fe1a85ec53ull) ^ load8(s + n - 8);
	else
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ h >> 32;
}

static void markup_grow(PackMarkup *m)
{
	m->nslots = m->nslots ? m->nslots * 2 : 1024;
	free(m->slot);
	m->slot = xcalloc(m->nslots, sizeof *m->slot);
	for (size_t i = 0; i < m->n && i < MARKUP_LOOKED_UP; i++) {
		Str r = pack_markup_run(m, i);
		uint64_t h = markup_hash(r.p, r.n);
		size_t j = h & (m->nslots - 1);
		while (m->slot[j])
			j = (j + 1) & (m->nslots - 1);
		m->slot[j] = (h >> 32) << 32 | (i + 1);
	}
}

void pack_markup_reset(PackMarkup *m)
{
	if (!m->nslots)
		markup_grow(m);
	memset(m->slot, 0, m->nslots * sizeof *m->slot);
	if (!m->start)
		m->start = xcalloc(1, sizeof *m->start);	/* start[0] = 0; the rest grows with cap */
	m->n = 0, m->text.len = 0, m->nseen = 0, m->body = 0;
}

void pack_markup_free(PackMarkup *m)
{
	buf_free(&m->text);
	free(m->start), free(m->seen_at), free(m->slot), free(m->seen), free(m->ends_tag), free(m->tok);
	memset(m, 0, sizeof *m);
}

/* The number of run s[0, n), looked up by its hash: known, or added. */
static size_t markup_find(PackMarkup *m, const char *s, size_t n)
{
	uint64_t h = markup_hash(s, n), tag = (h >> 32) << 32;
	size_t j = h & (m->nslots - 1);
	for (; m->slot[j]; j = (j + 1) & (m->nslots - 1)) {
		if ((m->slot[j] & ~0xffffffffull) != tag)
			continue;
		size_t i = (uint32_t)m->slot[j] - 1;
		Str r = pack_markup_run(m, i);
		if (r.n == n && bytes_equal(r.p, s, n))
			return i;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->start = xrealloc(m->start, (m->cap + 1) * sizeof *m->start);
		m->seen_at = xrealloc(m->seen_at, m->cap * sizeof *m->seen_at);
		m->ends_tag = xrealloc(m->ends_tag, m->cap * sizeof *m->ends_tag);
		m->tok = xrealloc(m->tok, m->cap * sizeof *m->tok);
	}
	buf_put(&m->text, s, n);
	m->seen_at[m->n] = 0;
	size_t k = n;
	while (k && (s[k - 1] == ' ' || s[k - 1] == '\n'))
		k--;
	m->ends_tag[m->n] = k && s[k - 1] == '>';
	run_token(m->tok[m->n], m->n);
	m->start[++m->n] = m->text.len;
	if (m->n <= MARKUP_LOOKED_UP) {
		m->slot[j] = tag | m->n;
		if (m->n * 2 > m->nslots)
			markup_grow(m);
	}
	return m->n - 1;
}

/* Whether the n bytes at x and y are the same (n > 0): bytes_equal, always inline. */
__attribute__((always_inline)) static inline bool run_equal(const char *x, const char *y, size_t n)
{
	if (n > 16) {	/* the longer first: most runs are of 8 bytes or more */
		if (n <= 32)	/* the first 16 and the last 16, no loop */
			return !(bytes_differ16(x, y) | bytes_differ16(x + n - 16, y + n - 16));
		for (size_t i = 0; i + 16 < n; i += 16)
			if (bytes_differ16(x + i, y + i))
				return false;
		return !bytes_differ16(x + n - 16, y + n - 16);	/* the last 16, over those before */
	}
	if (n >= 8)
		return !((load8(x) ^ load8(y)) | (load8(x + n - 8) ^ load8(y + n - 8)));
	if (n >= 4) {
		uint32_t a, b, c, d;
		memcpy(&a, x, 4), memcpy(&b, y, 4), memcpy(&c, x + n - 4, 4), memcpy(&d, y + n - 4, 4);
		return !((a ^ b) | (c ^ d));
	}
	return x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1];	/* all of them */
}

/* Run i, a body's next, as the bodies' list of runs has it (seen[], room made for the body's
 * runs at its start); where the next guess is. */
static inline size_t markup_seen(PackMarkup *m, size_t i)
{
	m->seen[m->nseen++] = (uint32_t)i;
	size_t was = m->seen_at[i];
	m->seen_at[i] = m->nseen;
	return was;
}

/* The bytes that do not start a text after a tag: those that continue the markup. */
static const bool text_stop[256] = {[' '] = true, ['\n'] = true, ['<'] = true};

void esc_js_pack(Buf *b, const char *s, size_t n, PackMarkup *m)
{
	size_t room = 11 * n + 32;	/* a byte: 6 as an escape, 3 more ('', and a comma) in a text of its own;
					 * markup of a byte: a number (at most 10 digits) and a comma */
	if (b->cap - b->len < room)
		buf_grow(b, room);
	char *d = b->p + b->len;
	const unsigned char *u = (const unsigned char *)s;
	/* One walk: markup, then text up to a <, and so on. The bodies of a pack are mostly the
	 * same runs of markup in the same order: a run is first guessed to be the one after the run
	 * before, where that one was last (seen[guess]; a body's first: the last body's). The guess
	 * holds when its bytes are next and a text starts right after them (the end, or a byte
	 * neither space, line end nor <, after a run that ends in a > and spaces or line ends): a
	 * run starts with a < or where the HTML does, so no text starts within it here if none did
	 * where it was cut. Else the text's start is looked for and the run looked up by its hash.
	 * A run is listed once, so a guess that holds is the number the lookup gives. */
	if (m->seen_cap - m->nseen < n / 2 + 1) {	/* a body's runs: each but the last before a text */
		m->seen_cap = 2 * m->seen_cap > m->nseen + n / 2 + 1 ? 2 * m->seen_cap : m->nseen + n / 2 + 4096;
		m->seen = xrealloc(m->seen, m->seen_cap * sizeof *m->seen);
	}
	size_t guess = m->body;
	m->body = m->nseen;
	*d++ = '[';
	for (size_t at = 0; at < n;) {
		size_t text = at, i = SIZE_MAX;
		if (guess < m->nseen) {
			size_t g = m->seen[guess];
			Str r = pack_markup_run(m, g);
			size_t after = at + r.n;
			if (r.n <= n - at && run_equal(r.p, s + at, r.n) &&
			    (after == n || (m->ends_tag[g] && !text_stop[u[after]]))) {
				i = g, text = after, guess++;
				markup_seen(m, i);
			}
		}
		if (i == SIZE_MAX && (text = text_start(s, n, at)) > at &&
		    (i = markup_find(m, s + at, text - at)) < MARKUP_LOOKED_UP) {
			size_t was = markup_seen(m, i);	/* after its last time; a new one (a date, an id) in
							 * place of the one guessed: the one after that */
			guess = was ? was : guess + 1;
		}
		if (text > at)
			d = put_run(d, m, i);
		else
			*d++ = '\'';
		if (text == n) {
			d--;	/* no text: the quote */
			break;
		}
		const unsigned char *p = u + text;
		d = js_text_put(d, &p, u + n);
		*d++ = '\'', *d++ = ',';
		at = (size_t)(p - u);
	}
	if (n)
		d--;	/* the last comma */
	*d++ = ']';
	b->len = (size_t)(d - b->p);
}

/* A name Windows keeps for a device, whatever follows it (con.html is the console there): a site
 * copied to a Windows share could not hold the page. */
static bool windows_device(const char *id, size_t n)
{
	static const char *const names[] = {"con", "prn", "aux", "nul", "com", "lpt"};
	for (int k = 0; k < 6; k++)
		if ((n == 3 || (n == 4 && k >= 4 && id[3] >= '0' && id[3] <= '9')) && memcmp(id, names[k], 3) == 0)
			return n == 4 || k < 4;
	return false;
}

bool id_name_plain(const char *id, size_t n)
{
	classes_init();
	bool plain = n > 0 && n <= 64;
	for (size_t i = 0; plain && i < n; i++)
		plain = cls[(unsigned char)id[i]] & E_NAME_OK;
	return plain && !windows_device(id, n);
}

/* A file name from an id: the id itself when it is short and plain ([a-z0-9_-], and not a name
 * Windows keeps: con, nul, com1, ...), else a
 * plain version cut to 48 bytes with a ~ and 8 hex digits of the id's hash, so that no id can
 * climb out of its folder or hide, nor be named as a plain id is. Two ids that are not plain
 * can have one name (the hash is no defence against data made to clash): the caller tells
 * them apart (customer_page_path). */
void id_file_name(Buf *b, const char *id, size_t n)
{
	if (id_name_plain(id, n)) {
		buf_put(b, id, n);
		return;
	}
	size_t kept = 0;
	for (size_t i = 0; i < n && kept < 48; i++) {
		char c = id[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (cls[(unsigned char)c] & E_NAME_OK) {
			buf_putc(b, c);
			kept++;
		}
	}
	buf_printf(b, "%s%08x", kept ? "~" : "id~", (unsigned)(hash_bytes(id, n) >> 32));
}
