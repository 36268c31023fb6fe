/* test_escape.c — data text as a closed bidirectional unit (esc_bidi), and esc_html and
 * esc_markdown, which close it themselves: cases checked by hand, then random texts against
 * a plain reading of UAX #9's matching. */
#include "harness.h"

#include <unistr.h>

#define LRE "\xe2\x80\xaa"
#define RLE "\xe2\x80\xab"
#define PDF "\xe2\x80\xac"
#define LRO "\xe2\x80\xad"
#define RLO "\xe2\x80\xae"
#define LRI "\xe2\x81\xa6"
#define RLI "\xe2\x81\xa7"
#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"

static char *bidi(const char *s, size_t n)
{
	Buf b = {0};
	esc_bidi(&b, s, n);
	return (char *)buf_cstr(&b);
}

static void test_cases(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } cases[] = {
		{"Ann " RLO "Lee", "Ann " RLO "Lee" PDF},	/* an override left open: closed */
		{LRE "a", LRE "a" PDF}, {RLE "a", RLE "a" PDF}, {LRO "a", LRO "a" PDF},
		{LRI "a", LRI "a" PDI}, {RLI "a", RLI "a" PDI}, {FSI "a", FSI "a" PDI},
		{"Cy " RLO "ok" PDF " fine", "Cy " RLO "ok" PDF " fine"},	/* closed already: as it is */
		{RLI "a" RLE "b", RLI "a" RLE "b" PDF PDI},	/* closed inside out */
		{RLE "a" RLI "b", RLE "a" RLI "b" PDI PDF},
		{RLI "a" RLE "b" PDI "c", RLI "a" RLE "b" PDI "c"},	/* a PDI closes what its isolate opened */
		{PDF "x", "x"}, {PDI "x", "x"}, {"a" PDF PDI "b", "ab"},	/* closers of nothing of theirs */
		{RLE "a" PDI "b", RLE "a" "b" PDF},	/* a PDI with no isolate open closes nothing */
		{RLI "a" PDF "b", RLI "a" "b" PDI},	/* a PDF does not close past an isolate */
		{RLO RLO "a" PDF, RLO RLO "a" PDF PDF},
	};
	/* the neighbours of the controls, and a control cut short, are text */
	static const char *const plain[] = {"", "Ann Lee", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\xa6",
					    "a\xe2\x80", "a\xe2"};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *got = bidi(cases[i].in, strlen(cases[i].in));
		CHECK(strcmp(got, cases[i].want) == 0, "case %zu", i);
		CHECK(has_bidi(cases[i].in, strlen(cases[i].in)), "has_bidi, case %zu", i);
		free(got);
	}
	for (size_t i = 0; i < N_ELEMS(plain); i++) {
		char *got = bidi(plain[i], strlen(plain[i]));
		CHECK(strcmp(got, plain[i]) == 0 && !has_bidi(plain[i], strlen(plain[i])), "plain %zu", i);
		free(got);
	}
	/* 64 open at once; one more is left out, with the closer that would have been its */
	Buf in = {0}, want = {0};
	for (int k = 0; k < 65; k++)
		buf_puts(&in, RLE);
	for (int k = 0; k < 65; k++)
		buf_puts(&in, PDF);
	for (int k = 0; k < 64; k++)
		buf_puts(&want, RLE);
	for (int k = 0; k < 64; k++)
		buf_puts(&want, PDF);
	char *got = bidi(in.p, in.len);
	CHECK(strcmp(got, buf_cstr(&want)) == 0, "65 deep: %zu bytes", strlen(got));
	free(got);
	buf_free(&in), buf_free(&want);
}

/* esc_html and esc_markdown close the text as esc_bidi does, then escape it: a closer left out
 * does not hide a Markdown construct behind it. */
static void test_escapes_close(void **state)
{
	(void)state;
	static const struct { bool md; const char *in, *want; } cases[] = {
		{false, "<" RLO "x>", "&lt;" RLO "x&gt;" PDF},
		{false, "a & b", "a &amp; b"},
		{false, "\xe2\x80\xa6 " PDI "'", "\xe2\x80\xa6 &#39;"},
		{true, RLO "# x", RLO "&#35; x" PDF},
		{true, PDF "1. x", "1&#46; x"},	/* the list it would start once the PDF is gone: escaped */
		{true, PDI "- x", "&#45; x"},
		{true, "x" RLI "*y*", "x" RLI "&#42;y&#42;" PDI},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		buf_puts(&b, "before|");
		(cases[i].md ? esc_markdown : esc_html)(&b, cases[i].in, strlen(cases[i].in));
		CHECK(strcmp(buf_cstr(&b), "before|") > 0 && strcmp(b.p + 7, cases[i].want) == 0, "case %zu: %s", i, b.p);
		buf_free(&b);
	}
}

/* UAX #9's matching, plainly: every closer closes something of the text's own, and nothing is
 * left open (no depth limit: the texts below stay under 64). */
static bool closed(const char *s, size_t n)
{
	char stack[256];
	size_t depth = 0;
	for (size_t i = 0; i + 2 < n; i++) {
		const unsigned char *p = (const unsigned char *)s + i;
		if (p[0] != 0xe2)
			continue;
		unsigned c = (unsigned)p[1] << 8 | p[2];
		if ((c >= 0x80aa && c <= 0x80ae && c != 0x80ac) || (c >= 0x81a6 && c <= 0x81a8)) {
			stack[depth++] = c >= 0x81a6 ? 'I' : 'E';
		} else if (c == 0x80ac) {
			if (!depth || stack[depth - 1] != 'E')
				return false;
			depth--;
		} else if (c == 0x81a9) {
			while (depth && stack[depth - 1] != 'I')
				depth--;
			if (!depth)
				return false;
			depth--;
		}
	}
	return depth == 0;
}

/* s without its bidirectional controls. */
static char *without(const char *s, size_t n)
{
	Buf b = {0};
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)s + i;
		if (i + 2 < n && p[0] == 0xe2 && has_bidi((const char *)p, 3)) {
			i += 2;
			continue;
		}
		buf_putc(&b, s[i]);
	}
	return (char *)buf_cstr(&b);
}

static void test_random_texts(void **state)
{
	(void)state;
	static const char *const piece[] = {LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, "a", "1", ".", "<",
					    "&", "#", " ", "\xe2\x80\xa6", "\xe2\x80\xa8", "\xe2"};
	uint64_t seed = 42;
	for (int round = 0; round < 20000; round++) {
		Buf in = {0};
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t len = (size_t)(seed >> 59);
		for (size_t k = 0; k < len; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			buf_puts(&in, piece[(seed >> 33) % N_ELEMS(piece)]);
		}
		const char *s = buf_cstr(&in);
		char *out = bidi(s, in.len), *again = bidi(out, strlen(out));
		char *a = without(s, in.len), *b = without(out, strlen(out));
		CHECK(closed(out, strlen(out)), "round %d: not closed", round);
		CHECK(strcmp(a, b) == 0, "round %d: the text besides the controls changed", round);
		CHECK(strcmp(out, again) == 0, "round %d: closing twice differs", round);
		CHECK(!closed(s, in.len) || strcmp(out, s) == 0, "round %d: a closed text changed", round);
		Buf h1 = {0}, h2 = {0}, m1 = {0}, m2 = {0};
		esc_html(&h1, s, in.len), esc_html(&h2, out, strlen(out));
		esc_markdown(&m1, s, in.len), esc_markdown(&m2, out, strlen(out));
		CHECK(strcmp(buf_cstr(&h1), buf_cstr(&h2)) == 0 && closed(h1.p, h1.len), "round %d: esc_html", round);
		CHECK(strcmp(buf_cstr(&m1), buf_cstr(&m2)) == 0 && closed(m1.p, m1.len), "round %d: esc_markdown", round);
		buf_free(&h1), buf_free(&h2), buf_free(&m1), buf_free(&m2);
		free(out), free(again), free(a), free(b);
		buf_free(&in);
	}
}

/* A CSV cell as a spreadsheet must get it, byte by byte: a ' before a formula's first byte,
 * quoted (its quotes doubled) when it holds , " LF or CR (the oracle for esc_sheet_cell). */
static void sheet_slowly(Buf *b, const char *s, size_t n)
{
	Buf t = {0};
	if (n && strchr("=+-@\t\r", s[0]) && s[0])
		buf_putc(&t, '\'');
	bool quoted = false;
	for (size_t i = 0; i < n; i++)
		quoted |= s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (quoted)
		buf_putc(b, '"');
	buf_put(b, t.p, t.len);
	for (size_t i = 0; i < n; i++) {
		buf_putc(b, s[i]);
		if (quoted && s[i] == '"')
			buf_putc(b, '"');
	}
	if (quoted)
		buf_putc(b, '"');
	buf_free(&t);
}

/* Every length up to 40 with each byte that matters (and a NUL) at each place, in a buffer that
 * ends where the text does (ASan: nothing read past it). */
static void test_sheet_cells(void **state)
{
	(void)state;
	static const char lead[] = "a=+-@\t\r", mid[] = ",\"\n\r\0' x=";
	for (size_t n = 0; n <= 40; n++)
		for (size_t l = 0; l < sizeof lead - 1; l++)
			for (size_t m = 0; m < sizeof mid - 1; m++)
				for (size_t at = 1; at <= n; at++) {
					char *s = malloc(n ? n : 1);
					for (size_t i = 0; i < n; i++)
						s[i] = (char)('a' + i % 26);
					if (n)
						s[0] = lead[l];
					if (at < n)
						s[at] = mid[m];
					Buf got = {0}, want = {0};
					buf_puts(&got, "x,");
					buf_puts(&want, "x,");
					esc_sheet_cell(&got, s, n);
					sheet_slowly(&want, s, n);
					CHECK(got.len == want.len && memcmp(got.p, want.p, got.len) == 0,
					      "length %zu, lead %zu, byte %zu at %zu: %s", n, l, m, at, buf_cstr(&got));
					buf_free(&got), buf_free(&want);
					free(s);
				}
}

/* esc_html as it must be, a byte at a time: C0 controls but tab and line ends, DEL, and C1 controls
 * (0xc2 then 0x80..0x9f) as spaces. */
static void html_slowly(Buf *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
			buf_putc(b, ' ');
			i++;
			continue;
		}
		const char *ref = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
				: c == '\'' ? "&#39;" : (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f ? " " : NULL;
		if (ref)
			buf_puts(b, ref);
		else
			buf_putc(b, (char)c);
	}
}

/* Every byte but 0xe2 (a bidirectional control's first: test_cases) at each place of a text of
 * 20, alone and as 0xc2 and the byte (a C1 control from 0x80 to 0x9f, another character or
 * invalid after it), so that the 8-at-a-time scan meets it at each of its places; and
 * text_shown's controls, C1 (U+0080..U+009F) among them, each one space. */
static void test_controls_as_spaces(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++)
		for (size_t at = 0; at < 20 && c != 0xe2; at++)
			for (int after_c2 = 0; after_c2 < 2; after_c2++) {
				unsigned char s[20];
				memset(s, 'a', sizeof s);
				s[at] = (unsigned char)c;
				if (after_c2 && at)
					s[at - 1] = 0xc2;
				Buf got = {0}, want = {0};
				esc_html(&got, (const char *)s, sizeof s);
				html_slowly(&want, s, sizeof s);
				CHECK(got.len == want.len && memcmp(got.p, want.p, got.len) == 0, "esc_html: byte %d at %zu%s: %s",
				      c, at, after_c2 ? " after 0xc2" : "", buf_cstr(&got));
				buf_free(&got), buf_free(&want);
			}
	static const struct { const char *in, *want; } shown[] = {
		{"Back\b\bEvil", "Back  Evil"}, {"Esc\x1b]0;x\x07", "Esc ]0;x "}, {"Del\x7fX", "Del X"},
		{"Csi\xc2\x9b" "2J", "Csi 2J"}, {"Nel\xc2\x85", "Nel "}, {"\xc2\x80", " "}, {"No\xc2\xa0" "break", "No\xc2\xa0" "break"},
		{"\xc2", "\xc2"}, {"caf\xc3\xa9\tx", "caf\xc3\xa9 x"}, {"", ""},
	};
	for (size_t i = 0; i < N_ELEMS(shown); i++) {
		Buf b = {0};
		text_shown(&b, shown[i].in, strlen(shown[i].in));
		CHECK(strcmp(buf_cstr(&b), shown[i].want) == 0, "text_shown(%s): %s", shown[i].want, buf_cstr(&b));
		buf_free(&b);
	}
}

/* utf8_cut never splits a grapheme cluster (a letter and its vowel signs, an emoji's ZWJ
 * sequence or skin tone, a flag), nor a character; text_columns counts a wide character as two
 * columns and a mark as none, and text_columns_cut fits whole clusters in columns. */
static void test_cuts(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t max, want;
	} cuts[] = {
		{"ab", 5, 2},
		{"abc", 2, 2},
		{"\xc3\xa9t\xc3\xa9", 3, 3},	/* été: between é and t */
		{"\xc3\xa9t\xc3\xa9", 4, 3},	/* not inside the second é */
		{"e\xcc\x81te\xcc\x81", 2, 0},	/* decomposed: not between e and its accent */
		{"e\xcc\x81te\xcc\x81", 4, 4},
		{"e\xcc\x81te\xcc\x81", 5, 4},
		{"a\xe0\xa4\xaa\xe0\xa5\x8d\xe0\xa4\xb0\xe0\xa4\xbf", 10, 7},	/* aप्रि: पि keeps its sign ि */
		{"a\xe0\xb8\x93\xe0\xb8\xb1\xe0\xb8\x90", 4, 1},	/* aณัฐ: ณ keeps its ั */
		{"a\xe0\xb8\x93\xe0\xb8\xb1\xe0\xb8\x90", 7, 7},
		{"a\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x92\xbb", 14, 1},	/* a👩🏽‍💻: whole or not */
		{"a\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x92\xbb", 8, 1},
		{"a\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x92\xbb" "b", 16, 16},
		{"\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5\xf0\x9f\x87\xae\xf0\x9f\x87\xb3", 12, 8},	/* 🇯🇵🇮🇳: flags whole */
		{"\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5\xf0\x9f\x87\xae\xf0\x9f\x87\xb3", 7, 7 - 7},
	};
	for (size_t i = 0; i < N_ELEMS(cuts); i++) {
		size_t got = utf8_cut(cuts[i].s, strlen(cuts[i].s), cuts[i].max);
		CHECK(got == cuts[i].want, "utf8_cut(%s, %zu): %zu, want %zu", cuts[i].s, cuts[i].max, got, cuts[i].want);
	}
	/* one cluster longer than the window: cut between characters rather than to nothing */
	Buf zalgo = {0};
	buf_putc(&zalgo, 'Z');
	for (int i = 0; i < 400; i++)
		buf_puts(&zalgo, "\xcc\x81");
	CHECK(utf8_cut(zalgo.p, zalgo.len, 600) == 599, "a letter under 400 marks: %zu", utf8_cut(zalgo.p, zalgo.len, 600));
	buf_free(&zalgo);
	/* bytes that are not UTF-8: a run of continuation bytes before or after the cut does not
	 * take the clusters' window past its end (it overflowed the stack) */
	Buf junk = {0};
	buf_putc(&junk, 'a');
	for (int i = 0; i < 20000; i++)
		buf_putc(&junk, (char)0x80);
	for (int i = 0; i < 300; i++)
		buf_putc(&junk, 'b');
	buf_putc(&junk, (char)0xc3);
	for (int i = 0; i < 20000; i++)
		buf_putc(&junk, (char)0x80);
	for (size_t max = 19990; max < 20320; max += 7) {
		size_t got = utf8_cut(junk.p, junk.len, max);
		CHECK(got <= max, "not UTF-8, at most %zu: %zu", max, got);
	}
	CHECK(utf8_cut(junk.p, junk.len, 20200) == 20200, "between two b: %zu", utf8_cut(junk.p, junk.len, 20200));
	CHECK(utf8_cut(junk.p, junk.len, 20302) <= 20301, "not after the lead byte: %zu", utf8_cut(junk.p, junk.len, 20302));
	buf_free(&junk);
	/* 75 flags: each two regional indicators counted from the first, wherever the window starts */
	Buf flags = {0};
	for (int i = 0; i < 75; i++)
		buf_puts(&flags, "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5");	/* 🇯🇵 */
	for (size_t max = 0; max < flags.len; max++)
		CHECK(utf8_cut(flags.p, flags.len, max) == max / 8 * 8, "75 flags, at most %zu: %zu", max,
		      utf8_cut(flags.p, flags.len, max));
	buf_free(&flags);
	static const char wide[] = "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e Li";	/* 王小明 Li */
	CHECK(text_columns(wide, strlen(wide)) == 9, "王小明 Li: %zu columns", text_columns(wide, strlen(wide)));
	CHECK(text_columns("e\xcc\x81", 3) == 1, "a mark takes no column");
	CHECK(text_columns_cut(wide, strlen(wide), 5) == 6, "王小 in 5 columns: %zu", text_columns_cut(wide, strlen(wide), 5));
	CHECK(text_columns_cut(wide, strlen(wide), 9) == strlen(wide), "all of it in 9");
	CHECK(text_columns_cut("ae\xcc\x81" "b", 5, 2) == 4, "a, é in 2 columns");
}

/* Whether s[0..n) is what a terminal shows as it is written: UTF-8 without a C0 control (but a
 * line end and a tab with lines), DEL, a C1 control, U+2028, U+2029 or a bidirectional control. */
static bool terminal_safe(const char *s, size_t n, bool lines)
{
	if (u8_check((const uint8_t *)s, n))
		return false;
	for (size_t i = 0; i < n;) {
		ucs4_t c;
		i += (size_t)u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
		if ((c < 0x20 && !(lines && (c == '\n' || c == '\t'))) || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
		    c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
		    c == 0x200f || c == 0x061c)
			return false;
	}
	return true;
}

/* Text in a message: what a terminal acts on or hides as an escape that names it, the rest,
 * right-to-left letters too, as it is. */
static void test_terminal(void **state)
{
	(void)state;
	static const struct { const char *in, *want; unsigned flags; } cases[] = {
		{"Esc\x1b]0;x\x07", "Esc\\x1b]0;x\\x07", 0}, {"Del\x7f", "Del\\x7f", 0},
		{"Csi\xc2\x9b" "2J", "Csi\\u009b2J", 0}, {"Nel\xc2\x85" "Y", "Nel\\u0085Y", 0},
		{"\xc2\x80\xc2\x9f", "\\u0080\\u009f", 0}, {"No\xc2\xa0" "break", "No\xc2\xa0" "break", 0},
		{"lone\x9b" "2J", "lone\\x9b2J", 0}, {"\x85\x80", "\\x85\\x80", 0}, {"cut\xc2", "cut\\xc2", 0},
		{"\xe2\x80", "\\xe2\\x80", 0}, {"\xc0\x80", "\\xc0\\x80", 0}, {"\xed\xa0\x80", "\\xed\\xa0\\x80", 0},
		{"a\xe2\x80\xa8" "b\xe2\x80\xa9", "a\\u2028b\\u2029", 0},
		{"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae", "\\u202a\\u202b\\u202c\\u202d\\u202e", 0},
		{"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069", 0},
		{"\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c", 0},
		{"\xe2\x80\xaf\xe2\x81\xa5\xe2\x80\xa6", "\xe2\x80\xaf\xe2\x81\xa5\xe2\x80\xa6", 0},	/* U+202F, U+2065, … */
		{"caf\xc3\xa9 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80", "caf\xc3\xa9 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80", 0},
		{"a\\x1b", "a\\x1b", 0}, {"a\\x1b", "a\\x5cx1b", ESC_TERM_BACKSLASH},
		{"one\ntwo\tthree\r", "one\\x0atwo\\x09three\\x0d", 0}, {"one\ntwo\tthree\r", "one\ntwo\tthree\\x0d", ESC_TERM_LINES},
		{"", "", 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf b = {0};
		esc_terminal(&b, cases[i].in, strlen(cases[i].in), cases[i].flags);
		CHECK(strcmp(buf_cstr(&b), cases[i].want) == 0, "case %zu: %s", i, buf_cstr(&b));
		buf_free(&b);
	}
	/* any bytes, most of them the ones that start or continue the characters at stake */
	static const unsigned char pick[] = {0x00, 0x1b, '\n', '\\', 'a', 0x7f, 0x80, 0x85, 0x9b, 0x9f, 0xa0, 0xa8,
					     0xa9, 0xaa, 0xae, 0xa6, 0x81, 0x8e, 0xc2, 0xd8, 0x9c, 0xe2, 0xed, 0xf0, 0xff};
	uint64_t seed = 40;
	for (int round = 0; round < 200000; round++) {
		unsigned char s[8];
		for (size_t k = 0; k < sizeof s; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			s[k] = pick[(seed >> 33) % sizeof pick];
		}
		for (unsigned flags = 0; flags < 4; flags++) {
			Buf b = {0};
			esc_terminal(&b, (const char *)s, sizeof s, flags);
			CHECK(terminal_safe(b.p, b.len, flags & ESC_TERM_LINES), "round %d, flags %u: %.*s", round, flags,
			      (int)b.len, b.p);
			buf_free(&b);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_escapes_close),
		cmocka_unit_test(test_random_texts),
		cmocka_unit_test(test_sheet_cells),
		cmocka_unit_test(test_controls_as_spaces),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
