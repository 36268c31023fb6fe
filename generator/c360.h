/* c360.h — the one internal header shared by every stage of c360. */
#ifndef C360_H
#define C360_H

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define C360_VERSION "0.1.0"

/* ------------------------------------------------------------------ memory (arena.c)
 * Out of memory is handled in exactly one place: these functions print a message
 * and end the process, so no caller ever sees NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* p, an array of n items of size bytes, with room for one more: doubled where n is 0 or a power of
 * two (a million items are ~20 copies, where an allocator, ASan's, cannot grow in place) */
void *xgrow(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void out_of_memory(size_t n);	/* what a caller's own limit comes to (n bytes asked) */
/* Main's end, before it returns its status: waits for the end a thread that ran out of memory
 * makes (status 1) if one did; after it, a thread that runs out waits for main's. */
void process_end(void);
void memory_context(const char *file);	/* the file this thread reads, named if it runs out (NULL: none) */

/* Big arrays (tables, sort buffers): zero-filled, growing without copies; free with the size. */
void *big_alloc(size_t n);
void *big_realloc(void *p, size_t old, size_t n);
void big_free(void *p, size_t n);
void big_release(void *p, size_t n);	/* the whole pages inside [p, p+n) go back to the system */
void prefault(const void *p, size_t n, bool write);	/* [p, p+n)'s pages made now, not by faults */
/* Memory of bytes bytes whose pages are made on first touch by make(ctx, to, at, n): the n
 * bytes from offset at, written at to (lazy_pages.c). NULL if it cannot be had. Never to be
 * given to a system call (the kernel's touch does not fault). made: whether the page holding
 * offset at is made; count: the pages made, of *total. */
typedef void LazyMake(void *ctx, char *to, size_t at, size_t n);
typedef struct LazyPages LazyPages;
LazyPages *lazy_pages_new(size_t bytes, LazyMake *make, void *ctx);
char *lazy_pages_base(const LazyPages *l);
bool lazy_pages_made(const LazyPages *l, size_t at);
size_t lazy_pages_count(const LazyPages *l, size_t *total);
void lazy_pages_free(LazyPages *l);

typedef struct ArenaBlock ArenaBlock;
typedef struct ArenaOwned ArenaOwned;
typedef struct {
	ArenaBlock *head;
	ArenaOwned *owned;	/* malloc'd blocks handed over: freed with the arena */
	size_t used;		/* bytes handed out, for the benchmark */
	char *next, *end;	/* the free part of head */
} Arena;

void *arena_block(Arena *a, size_t n, size_t align);	/* arena_bump when head has no room */
/* n bytes aligned to align (a power of 2): a bump of next, inline (a page makes hundreds). */
static inline void *arena_bump(Arena *a, size_t n, size_t align)
{
	uintptr_t at = ((uintptr_t)a->next + align - 1) & ~(uintptr_t)(align - 1);
	if (!a->end || at + n > (uintptr_t)a->end)
		return arena_block(a, n, align);
	a->next = (char *)at + n;
	a->used += n;
	return (char *)at;
}
static inline void *arena_alloc(Arena *a, size_t n)	/* 8-byte aligned, uninitialised */
{
	return arena_bump(a, n, 8);
}
char *arena_strndup(Arena *a, const char *s, size_t n);	/* NUL-terminated copy */
void arena_adopt(Arena *a, Arena *from);	/* a takes over from's blocks */
char *arena_own(Arena *a, char *p);	/* a frees p (from malloc) with its blocks; returns p */
void arena_reset(Arena *a);	/* forgets everything, keeps one block for reuse */
void arena_free(Arena *a);

/* A growable byte buffer that carries its length; the caller frees with buf_free. */
typedef struct {
	char *p;
	size_t len, cap;
} Buf;

void buf_grow(Buf *b, size_t more);
/* n <= 16 bytes from s to d, without a call: two copies that may overlap (most of a page's
 * copies are a few bytes: a call to memcpy costs more than the bytes). gcc warns of the
 * branches for longer copies where it knows s is short, which are never taken. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
static inline void copy_small(char *d, const char *s, size_t n)
{
	if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, s, 8), memcpy(&y, s + n - 8, 8);
		memcpy(d, &x, 8), memcpy(d + n - 8, &y, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4), memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4), memcpy(d + n - 4, &y, 4);
	} else if (n) {
		char x = s[0], y = s[n / 2], z = s[n - 1];
		d[0] = x, d[n / 2] = y, d[n - 1] = z;
	}
}
/* 16 < n <= 64 bytes from s to d, 16 at a time, the last 16 overlapping: a template's text
 * between two tags is mostly of this size, and a call to memcpy costs more than its bytes. */
static inline void copy_medium(char *d, const char *s, size_t n)
{
	char x[16], y[16];
	memcpy(y, s + n - 16, 16);
	for (size_t i = 0; i < n - 16; i += 16)
		memcpy(x, s + i, 16), memcpy(d + i, x, 16);
	memcpy(d + n - 16, y, 16);
}
/* buf_put inlined wherever it is written: for the text of a page's own markup, a literal whose
 * length the compiler knows, where a call (gcc keeps buf_put's copy out of line in big
 * functions) costs more than the copy. */
static inline __attribute__((always_inline)) void buf_put_inline(Buf *b, const void *s, size_t n)
{
	if (!n)
		return;
	if (b->cap - b->len < n)
		buf_grow(b, n);
	if (n <= 16)
		copy_small(b->p + b->len, s, n);
	else if (n <= 64)
		copy_medium(b->p + b->len, s, n);
	else
		memcpy(b->p + b->len, s, n);
	b->len += n;
}
static inline void buf_put(Buf *b, const void *s, size_t n)
{
	buf_put_inline(b, s, n);
}
#pragma GCC diagnostic pop

/* Scanning text 8 bytes at a time: the 8 bytes at p, and whether one of them is 0 (the high bit
 * of such a byte set; a byte above one may be set too), or below c (c <= 128). */
#define BYTES8(c) (0x0101010101010101ull * (uint8_t)(c))
static inline uint64_t load8(const void *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}
static inline uint64_t zero_byte8(uint64_t x)
{
	return (x - BYTES8(1)) & ~x & BYTES8(0x80);
}
static inline uint64_t byte_below8(uint64_t x, unsigned c)
{
	return (x - BYTES8(c)) & ~x & BYTES8(0x80);
}

/* Short keys (ids, labels) compared without a call: memcmp's sign for n bytes, from at most
 * two overlapping loads each (n up to 16; the bytes before the first that differs are equal
 * in both loads), memcmp itself for longer ones; bytes_equal their equality without a call at
 * any length (a pack's markup runs: tens of bytes; too large to inline everywhere). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BYTES_BE64(x) __builtin_bswap64(x)
#define BYTES_BE32(x) __builtin_bswap32(x)
#else
#define BYTES_BE64(x) (x)
#define BYTES_BE32(x) (x)
#endif
static inline uint64_t bytes_short(const char *p, size_t n)	/* n in 1..7, in memcmp's order */
{
	uint32_t a, b;
	if (n < 4)
		return (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n / 2] << 8 | (unsigned char)p[n - 1];
	memcpy(&a, p, 4), memcpy(&b, p + n - 4, 4);
	return (uint64_t)BYTES_BE32(a) << 32 | BYTES_BE32(b);
}
static inline int bytes_order(const char *x, const char *y, size_t n)
{
	uint64_t a, b;
	if (n > 16)
		return memcmp(x, y, n);
	if (n >= 8) {
		a = BYTES_BE64(load8(x)), b = BYTES_BE64(load8(y));
		if (a == b)
			a = BYTES_BE64(load8(x + n - 8)), b = BYTES_BE64(load8(y + n - 8));
	} else if (n) {
		a = bytes_short(x, n), b = bytes_short(y, n);
	} else {
		return 0;
	}
	return a < b ? -1 : a > b;
}
static inline uint64_t bytes_differ16(const char *x, const char *y)	/* 0 if the 16 bytes are the same */
{
	return (load8(x) ^ load8(y)) | (load8(x + 8) ^ load8(y + 8));
}
static inline bool bytes_same(const char *x, const char *y, size_t n)
{
	return bytes_order(x, y, n) == 0;
}
static inline bool bytes_equal(const char *x, const char *y, size_t n)	/* bytes_same, longer ones 16 bytes a step */
{
	if (n <= 16)
		return bytes_order(x, y, n) == 0;
	for (size_t i = 0; i + 16 < n; i += 16)
		if (bytes_differ16(x + i, y + i))
			return false;
	return !bytes_differ16(x + n - 16, y + n - 16);	/* the last 16, over those before */
}
static inline void buf_putc(Buf *b, char c)
{
	if (b->cap == b->len)
		buf_grow(b, 1);
	b->p[b->len++] = c;
}
static inline void buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));	/* inline: a literal's length is known where it is written */
}
static inline __attribute__((always_inline)) void buf_puts_inline(Buf *b, const char *s)
{
	buf_put_inline(b, s, strlen(s));	/* a literal: its length and copy folded (buf_put_inline) */
}
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(Buf *b);	/* NUL-terminates without counting the NUL */
void buf_free(Buf *b);

void buf_int(Buf *b, int64_t v);	/* locale-independent; figures for people: fmt_* */
/* Hostile text (a value, a file name) in a message: escaped for a terminal (esc_terminal), \\ too, cut at
 * max bytes between characters with "…" (U+2026): the message stays one printable line. */
void buf_put_printable(Buf *b, const char *s, size_t n, size_t max);
#define MSG_VALUE_MAX 60	/* the bytes of a value quoted in a message */
/* A value in a message that diag() is given whole (as its column, which it makes printable):
 * in double quotes, cut at MSG_VALUE_MAX bytes as buf_put_printable cuts, not escaped. */
void buf_put_quoted(Buf *b, const char *s, size_t n);

/* A view of bytes that need not be NUL-terminated. */
typedef struct {
	const char *p;
	size_t n;
} Str;

static inline Str str_make(const char *p, size_t n) { return (Str){p, n}; }
static inline bool str_space(char c)	/* ASCII white space: what str_trim takes off */
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}
static inline Str str_trim(Str s)	/* inline: a call for each of the millions of values read */
{
	if (s.n && (unsigned char)s.p[0] > ' ' && (unsigned char)s.p[s.n - 1] > ' ')
		return s;	/* the usual value: its ends are no white space (nor any control byte) */
	while (s.n && str_space(s.p[0]))
		s.p++, s.n--;
	while (s.n && str_space(s.p[s.n - 1]))
		s.n--;
	return s;
}
bool str_eq(Str a, const char *lit);

/* ------------------------------------------------------------------ the console (console.c)
 * Everything c360 says on stderr goes through here, so that the progress line (shown on a
 * terminal, never with --quiet) is erased before any other text. */
typedef enum { SAY_QUIET, SAY_NORMAL, SAY_VERBOSE } Verbosity;	/* --quiet, neither, --verbose */
void console_init(Verbosity v);
Verbosity console_level(void);
void console_progress(const char *what);	/* "": erases the line */
/* With C360_TIMINGS: a part of the stage under way that took wall seconds (render.c's, which overlap). */
void console_timing(const char *what, double wall);
/* With C360_TIMINGS set, a count of each fact source (n by SourceId) as one line: "c360: what: orders N, ...". */
void console_counts(const char *what, const uint64_t *n);
/* With C360_TIMINGS set, "c360: " and the text and a newline in one write (any thread may say it). */
void console_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t n);	/* text already formatted, at every level */
/* "c360: " and text and a newline in one write(2), at every level: the last words of a process
 * that a signal ends while other threads may be printing. */
void console_last(const char *text);
/* "c360: " and the message and a newline, if the level is at least `at`. */
void say(Verbosity at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void say_lines(Verbosity at, const Buf *lines);	/* each line ended by '\n' said as by say */
/* From now on what console_write and say write is also kept in b (its first CAPTURE_MAX bytes),
 * until console_capture(NULL): c360 serve shows a failed rebuild's messages in the page. */
#define CAPTURE_MAX (64 << 10)
void console_capture(Buf *b);

/* The candidate nearest to word by edit distance, if near enough to be a likely typo; else NULL. */
const char *nearest_word(const char *word, size_t n, const char *const *candidates, size_t ncand);

/* ------------------------------------------------------------------ hashing (index.c) */
uint64_t hash_bytes(const char *s, size_t n);
/* Sorts a[0..n) in place by their bits [low, top) (those from top up are the same in all): a
 * most significant digit radix sort, without a second array, its digit narrower for fewer
 * values (about 8 to a bucket); values the same in those bits keep no order. */
void radix_sort_u64(uint64_t *a, size_t n, int top, int low);
typedef struct {
	uint64_t lo, hi;
} FileHash;	/* 128 bits of XXH3 (manifest.c) */

/* An open-addressing map from keys to 32-bit values. The index keeps only the values
 * and 32 bits of each key's hash; the caller says how to get a value's key back. */
typedef Str (*IndexKey)(const void *ctx, uint32_t value);
#define INDEX_NONE UINT32_MAX

typedef struct {
	uint64_t *slots;	/* hash << 32 | (value + 1); 0 = empty */
	uint32_t nslots, n;
} Index;

uint32_t index_find(const Index *ix, Str key, IndexKey fn, const void *ctx);
/* Maps key to value; returns the value key had before, INDEX_NONE if it was new. */
uint32_t index_set(Index *ix, Str key, uint32_t value, IndexKey fn, const void *ctx);
void index_free(Index *ix);

/* Interned labels: a string gets a small number, in order of first appearance. The labels are
 * packed one after another, each NUL-terminated (they may hold NULs of their own), with a 32-bit
 * offset each: 4 bytes a label besides its text and the index's slot. */
typedef struct {
	Index ix;		/* none once sealed */
	char *text;		/* big_alloc */
	uint32_t *at;		/* label k is text + at[k], at[k + 1] - at[k] - 1 bytes; big_alloc */
	size_t textcap;
	uint32_t n, cap;	/* labels; room in at for cap + 1 offsets */
} Dict;

static inline const char *dict_label(const Dict *d, uint32_t k) { return d->text + d->at[k]; }
static inline uint32_t dict_len(const Dict *d, uint32_t k) { return d->at[k + 1] - d->at[k] - 1; }
static inline Str dict_str(const Dict *d, uint32_t k) { return str_make(dict_label(d, k), dict_len(d, k)); }
uint32_t dict_intern(Dict *d, Str s);
/* INDEX_NONE if absent; a sealed dictionary is searched label by label (tests). */
uint32_t dict_find(const Dict *d, Str s);
/* Adds from's labels to d, map[k] the number of from's label k in d; from is freed. */
void dict_take(Dict *d, Dict *from, uint32_t *map);
/* No more lookups for now (a source read whole): the index is freed, and made again by the
 * next dict_intern. */
void dict_seal(Dict *d);
void dict_free(Dict *d);

/* ------------------------------------------------------------------ dates (date.c)
 * A moment is seconds since 1970-01-01T00:00:00Z; a date is a moment at midnight.
 * A day number is days since 1970-01-01. */
#define MOMENT_NULL INT64_MIN
#define SECS_PER_DAY 86400

int64_t date_days(int y, int m, int d);	/* no validation */
/* date_days of a year of 1901-2099 and a month of 1-12 (the usual date), inline: the days of
 * the years and months before; a year there is leap when 4 divides it, and the years before y
 * hold (y - 1) / 4 - 15 Gregorian leap days since year 0, 477 of them before 1970. */
static inline int64_t date_days_usual(int y, int m, int d)
{
	static const int16_t before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	return 365 * (int64_t)(y - 1970) + ((y - 1) >> 2) - 492 + before[m - 1] + (m > 2 && (y & 3) == 0) + d - 1;
}
bool date_valid(int y, int m, int d);	/* years 1900-2100, real calendar days */
void date_civil(int64_t days, int *y, int *m, int *d);
static inline int64_t date_floor_day(int64_t moment)	/* the day number of a moment */
{
	return moment / SECS_PER_DAY - (moment % SECS_PER_DAY < 0);
}
int date_weekday(int64_t days);		/* ISO: 1 = Monday ... 7 = Sunday */
int64_t date_monday(int64_t days);	/* the Monday of its ISO week: weeks start there everywhere */
void date_iso_week(int64_t days, int *iso_year, int *week);
bool date_parse_iso(const char *s, int64_t *days);	/* strict YYYY-MM-DD (CLI, config) */
#define DATE_TEXT_MAX 19
/* "YYYY-MM-DD", with_time "YYYY-MM-DD HH:MM:SS", into out; returns the length. */
size_t date_format(char *out, int64_t moment, bool with_time);
void buf_date(Buf *b, int64_t days);	/* YYYY-MM-DD */
void buf_moment(Buf *b, int64_t moment);	/* YYYY-MM-DD HH:MM:SS */

/* ------------------------------------------------------------------ time zones (tz.c)
 * IANA zones from the machine's tzdata ($TZDIR, else /usr/share/zoneinfo): TZif files
 * (RFC 8536), their transitions and their footer's POSIX TZ rule for the years after them. */
#define TZ_NAME_MAX 64
typedef struct TzZone TzZone;
/* Whether name (n bytes) may name a zone: letters, digits, _ + - in parts split by single /s,
 * no leading /, at most TZ_NAME_MAX bytes (so no . or .. part, no NUL), not "localtime". */
bool tz_name_ok(const char *name, size_t n);
/* The zone of that name, loaded once a process (thread-safe; the zone lives as long as the
 * process); NULL if the name is not one tz_name_ok takes or its file is no sound zone file. */
const TzZone *tz_zone(const char *name, size_t n);
const char *tz_name(const TzZone *z);
FileHash tz_hash(const TzZone *z);	/* of its file's bytes */
FileHash tz_data_hash(void);	/* of $TZDIR/tzdata.zi: changes with tzdata; without it, of TZDIR's files */
/* The UTC offset (seconds east) in force at UTC instant utc. */
int32_t tz_offset(const TzZone *z, int64_t utc);
/* The UTC instant of local wall time local (seconds since 1970 as if the zone were UTC). A time
 * that happens twice (clocks going back) is the first, a time that does not happen (clocks
 * going forward) is read with the offset before the change: Python's fold=0. */
int64_t tz_local_to_utc(const TzZone *z, int64_t local);
/* TZif bytes p[0..n) into z (a fresh tz_new): false if they are not a sound zone file
 * (then z holds nothing); tz_free frees it. For tests and the fuzzer. */
bool tz_parse(const unsigned char *p, size_t n, TzZone *z);
TzZone *tz_new(void);
void tz_free(TzZone *z);
/* The name of $TZDIR/tzdata.zi nearest name, into out; false if none is near. */
bool tz_nearest(const char *name, char *out, size_t cap);
void buf_iso_week(Buf *b, int64_t days);	/* YYYY-Www */
void buf_date_words(Buf *b, int64_t days, bool year);	/* Mar 4, or Mar 4, 2024 (English, for people) */
extern const char *const date_month_abbr[12];	/* Jan ... Dec */
extern const char *const date_weekday_abbr[7];	/* Mon ... Sun */

/* ------------------------------------------------------------------ diagnostics (diag.c)
 * The catalogue: every problem c360 reports, its severity and its message. Flags are
 * kept on silver rows; quarantine reasons send a row to quarantine. */
typedef enum { SEV_NOTE, SEV_WARNING, SEV_ERROR } Severity;

typedef enum {
	/* quarantine reasons */
	D_MISSING_KEY, D_MISSING_CUSTOMER_ID, D_DUPLICATE_KEY, D_MALFORMED_ROW,
	D_EXCLUDED,	/* a [sql] SELECT's _quarantine: the user's reason, not c360's (Quarantined.note) */
	/* row flags */
	D_RAGGED_ROW, D_INVALID_UTF8, D_NUL_BYTE, D_INVALID_DATE, D_INVALID_EMAIL,
	D_IMPLAUSIBLE_DOB, D_INVALID_AMOUNT, D_NEGATIVE_AMOUNT, D_UNCONVERTIBLE_CURRENCY, D_ORPHAN_CUSTOMER,
	D_UNKNOWN_CATEGORY,
	/* file and column problems */
	D_NO_DATA_DIR, D_FILE_MISSING, D_OPTIONAL_MISSING, D_READ_ERROR, D_CHANGED, D_NO_HEADER, D_EMPTY_OPTIONAL,
	D_HEADER_ENCODING, D_NOT_CSV, D_UNKNOWN_STATUS, D_NO_DATES, D_BORROWED_ORDER, D_UNKNOWN_DEVICES, D_UNKNOWN_STATUSES,
	D_NOT_UTF8, D_NEAR_IDS,
	D_COLUMN_REQUIRED, D_COLUMN_ABSENT, D_COLUMN_UNKNOWN, D_COLUMN_DUPLICATE, D_COLUMN_SHADOWED, D_COLUMN_ALIAS,
	D_AFTER_AS_OF, D_NO_AS_OF, D_READ_AS, D_LINES_SKIPPED, D_DECIMAL, D_SOURCE_LEFT_OUT, D_SQL_ERROR, D_SQL_AMOUNT,
	D_CONFIG_NOTE,
	/* a gold folder read back (gold_read.c) */
	D_GOLD_NO_PARTS, D_GOLD_INT, D_GOLD_KEY, D_GOLD_DECIMAL, D_GOLD_DATE, D_GOLD_BOOL, D_GOLD_NAME, D_GOLD_REF,
	D_GOLD_RULE, D_GOLD_MISSING_ROW, D_GOLD_SUM, D_GOLD_TWICE, D_GOLD_FIGURE,
	D_COUNT
} DiagCode;

#define D_FIRST_REASON D_MISSING_KEY
#define D_NREASONS (D_EXCLUDED - D_MISSING_KEY + 1)
#define D_FIRST_FLAG D_RAGGED_ROW
#define D_NFLAGS (D_UNKNOWN_CATEGORY - D_RAGGED_ROW + 1)
#define FLAG(code) (1u << ((code) - D_FIRST_FLAG))
#define F_QUARANTINED (1u << 31)	/* internal: row leaves silver (duplicate key) */
#define F_DATE_ONLY (1u << 30)	/* internal, kept: a timestamp column's value gave its day alone, no time
				 * of day (`2024-03-05`): its moment is that midnight, shown as the date */
#define F_TWO_DIGIT_YEAR (1u << 29)	/* internal, kept: a date of birth read by a %y, its century the latest
				 * not after the as-of date (check_date), which a build may move */
#define F_KEPT (((1u << D_NFLAGS) - 1) | F_DATE_ONLY | F_TWO_DIGIT_YEAR)	/* the bits a silver row keeps in its flags */
#define F_ROW_FLAGS ((1u << D_NFLAGS) - 1)	/* of them, the row flags (D_FIRST_FLAG ...) */
/* internal, a [sql] source's row: the file its _file names (its Diags.at, the table's number + 1;
 * 0: none, or past F_FILE_MAX), for the problems said of it after its SELECT (a duplicate key, an
 * orphan). Not kept: no cache holds a SQL source, and gold has no column for it (SPEC). */
#define F_FILE_SHIFT 16
#define F_FILE_MAX ((1u << 13) - 1)	/* bits 16 to 28 (29 is F_TWO_DIGIT_YEAR) */
#define F_FILE (F_FILE_MAX << F_FILE_SHIFT)
#define ROW_FILE(h) (((h)->flags & F_FILE) >> F_FILE_SHIFT)
_Static_assert(D_NFLAGS <= F_FILE_SHIFT, "the row flags and a row's file share RowHead.flags");

typedef struct {
	const char *name;	/* snake_case id used in CSVs and messages */
	Severity sev;
	const char *msg;	/* {c} stands for the column, {v} for the value; a quoted one is cut short */
} DiagInfo;

extern const DiagInfo diag_info[D_COUNT];

/* What a quarantine reason or a row flag means, in plain words, and how to fix it at the source
 * (the data-quality page); NULL for the other codes. */
typedef struct {
	const char *what, *fix;
} DiagHelp;
extern const DiagHelp diag_help[D_COUNT];

#define DIAG_SAMPLES 3	/* a row problem's examples kept: the quarantine and the flags list every row */
#define DIAG_FILE_SAMPLES 64	/* a file's or a column's: every one of a header's, up to so many */

typedef struct {
	uint32_t line, col;
	uint32_t file;		/* the file named: 0 the Diags's, k its files[k - 1] (a [sql] source's row's) */
	char *text;
} DiagSample;

typedef struct {
	uint64_t count;
	unsigned nsamples;
	DiagSample *sample;	/* the first diag_samples_max(code) in full, made at the first */
} DiagTally;

/* The problems of one input file: counts per code and the first few in full. */
typedef struct {
	const char *file;	/* as named in messages */
	const char *scope;	/* NULL, or what reads the file, said before each message ("[sql] payments": two
				 * sources' SELECTs of one table each say their own problems of its rows); not
				 * said twice where it is the file named (a [sql] source of several files) */
	/* The other files its samples may name, not owned: a [sql] source's rows are each of a
	 * [tables] file (Silver.paths), a few for any number of rows; NULL: none */
	const char *const *files;
	uint32_t at;		/* the file the samples diag() makes name (DiagSample.file): the row's */
	DiagTally tally[D_COUNT];
} Diags;

/* Records one problem. line/col 0 when unknown; column names the CSV column; value is
 * the offending text (quoted, shortened and made printable in the message). A column in quotes
 * (a header's name) is shortened as a value is; one that is not (c360's names, a message c360
 * made) is only made printable. */
void diag(Diags *d, DiagCode code, uint32_t line, uint32_t col, const char *column,
	  const char *value, size_t vlen);
Severity diag_worst(const Diags *d, size_t n);	/* worst over n Diags; SEV_NOTE if none */
/* Row problems (quarantine reasons, flags, facts after the as-of date), as opposed to problems
 * with a file or a column. */
bool diag_row_level(DiagCode code);
unsigned diag_samples_max(DiagCode code);	/* DIAG_SAMPLES for a row problem, else DIAG_FILE_SAMPLES */
/* Writes the samples and a count line per code, errors first: errors at every level, problems
 * with files and columns unless quiet, row problems only when verbose; DIAG_SAMPLES of a code's
 * samples, all that are kept when verbose. */
void diag_format(Buf *out, const Diags *d, Verbosity v);
void diag_set_count(Diags *d, DiagCode code, uint64_t count);	/* counts rows, as the tables do */
void diag_free(Diags *d);
/* Adds from's problems to d, from's lines shifted by line_offset; from is emptied. */
void diag_merge(Diags *d, Diags *from, uint32_t line_offset);
/* Adds from's problems to d, each at line and col, its text after prefix; from is emptied. */
void diag_move(Diags *d, Diags *from, uint32_t line, uint32_t col, const char *prefix);
/* Its samples but those naming file (DiagSample.file; 0: all) located by line alone (sqlmap.c: a
 * SELECT's rows of another file than the one its columns are taken from as they are). */
void diag_drop_columns(Diags *d, uint32_t file);

/* ------------------------------------------------------------------ sources and config */
typedef enum { SRC_CUSTOMERS, SRC_ORDERS, SRC_PAYMENTS, SRC_TICKETS, SRC_SESSIONS, SRC_COUNT } SourceId;

enum { CU_ID, CU_NAME, CU_EMAIL, CU_GENDER, CU_DOB, CU_LOCATION, CU_NCOLS };
enum { OR_ID, OR_CUSTOMER, OR_DATE, OR_AMOUNT, OR_STATUS, OR_CURRENCY, OR_NCOLS };
enum { PA_ID, PA_CUSTOMER, PA_DATE, PA_METHOD, PA_STATUS, PA_AMOUNT, PA_CURRENCY, PA_NCOLS };
enum { TI_ID, TI_CUSTOMER, TI_ISSUE, TI_DATE, TI_STATUS, TI_NCOLS };
enum { SE_ID, SE_CUSTOMER, SE_PAGE, SE_TIME, SE_DEVICE, SE_NCOLS };
#define MAX_COLS 7
#define MAX_ALIASES 8

typedef enum { ORDER_DAY_FIRST, ORDER_MONTH_FIRST } DateOrder;
/* The kinds of category: each has its rules (clean.c), and words from the configuration. */
typedef enum { CAT_NONE, CAT_ORDER_STATUS, CAT_PAY_METHOD, CAT_PAY_STATUS, CAT_TICKET_STATUS, CAT_DEVICE,
	       CAT_ISSUE, CAT_PAGE, CAT_GENDER, CAT_COUNT } CatKind;	/* CAT_GENDER: words only (clean_gender) */

/* UTF-16 and UTF-32 are known by their byte-order mark or NUL bytes; ENC_AUTO: UTF-8 if every
 * byte of the file is, else Windows-1252 (an export whose re-saves are, and downloads are not) */
enum { ENC_UTF8, ENC_CP1252, ENC_LATIN1, ENC_AUTO };

/* How one input file is read ([read] in the configuration); what is unset is sniffed. */
typedef struct {
	char delimiter;		/* ',' ';' '\t' '|'; 0: the most frequent of them in the header line */
	char decimal;		/* '.' or ','; 0: decided by the values (SPEC §5 amounts) */
	signed char encoding;	/* ENC_*; -1: unset (UTF-8) */
	bool utf8_bom;		/* the file starts with a UTF-8 byte-order mark (input_prepare) */
	const char *not_csv;	/* what the file is if it is no CSV, by its first line with text (input_prepare); NULL: CSV */
	uint32_t header_row;	/* the header's line number; 0: the first line with text */
	const char *comment;	/* a line starting with it is skipped; NULL: none */
	const char *currency;	/* the currency of amounts that name none; NULL: the base */
	const char *date_format;	/* its dates as strptime reads them (clean_date_format); NULL: SPEC's forms */
	const char *time_zone;	/* the zone of its times written without an offset (tz_zone); NULL: UTC */
	signed char title_case;	/* -1: names and locations as written (IBM, GmbH); 1: title-cased; 2: those of one case; 0: unset (1) */
	char **fill_down;	/* header names of columns whose empty fields take the value above */
	size_t nfill_down;
} ReadOptions;

typedef struct {
	const char *name;	/* a source's or a table's name; "" for every file */
	ReadOptions opt;
	unsigned line;		/* where the configuration first named it: checked once all is read */
	unsigned value_line;	/* where it first set how values are cleaned (value_opt), 0 if nowhere: a
				 * source's business, not a [tables] file's (its values are text for the SQL) */
	const char *value_opt;
} NamedOptions;

/* A file loaded whole as a table for the SQL sources ([tables]). */
typedef struct {
	const char *name;	/* its name in SQL */
	const char *file;	/* in the data folder */
} TableDef;

/* A table's column named in [columns] TABLE.NAME: in SQL, NAME is the first of the header's
 * columns that is NAME or one of the aliases, in their order (an export's versions name a
 * column differently); empty if the header has none of them. */
typedef struct {
	const char *table, *name;	/* the configuration's */
	const char *alias[MAX_ALIASES];	/* normalised as header names are compared */
	unsigned line;			/* where the configuration names it: the table is checked once all is read */
} TableColumn;

/* A source defined by a SQL SELECT ([sql]); line k of its text starts at off[k] and stands at
 * line[k], column col[k] of the configuration file. */
typedef struct {
	const char *text;	/* NULL: the source is read from its file */
	uint32_t nlines;
	uint32_t *off, *line, *col;
} SqlDef;

/* A [sql] key that is no source's: a view, one SELECT the sources' SELECTs (and other views) read
 * as a table by its name (sqlmap.c makes it a TEMP VIEW when a query first reads it). */
typedef struct {
	const char *name;	/* as the configuration spells it */
	SqlDef q;
	uint32_t line, col;	/* the key's, for a name that clashes */
} SqlView;

/* A word of a category map from the configuration ([categories]). */
typedef struct {
	const char *key;	/* as compared: letters and digits, case-folded */
	const char *label;
} CatWord;

typedef struct {
	char code[4];
	int64_t nanos;		/* one unit is worth nanos / 10^9 units of the base currency */
	bool from_file;		/* set last by [currency] rates_file, not by a CODE line */
} Rate;

typedef struct {
	const char *data_dir;
	const char *out_dir;
	const char *config_file;
	FileHash config_bytes;	/* a hash of the configuration's bytes as config_load parsed them */
	const char *theme;
	int64_t as_of;		/* day number, MOMENT_NULL when not given */
	DateOrder date_order;
	bool date_order_set;	/* by the configuration: a warning says where evidence overrode it */
	int churn_window_days;
	char *file[SRC_COUNT];	/* file names inside data_dir */
	bool no_file[SRC_COUNT];	/* [files] SOURCE = none: an optional source the exports never have */
	bool no_column[SRC_COUNT][MAX_COLS];	/* [columns] SOURCE.COLUMN = none: nor that column */
	char *alias[SRC_COUNT][MAX_COLS][MAX_ALIASES];	/* normalised extra header names */
	char *nulls[SRC_COUNT][MAX_COLS][MAX_ALIASES];	/* [null]: a column's values that mean none */
	Verbosity verbosity;
	int jobs;		/* threads to read with; 0: one per processor */
	const char *templates_dir, *themes_dir, *assets_dir;	/* where the site's sources are */
	const char *shipped_templates;	/* c360's own templates: where templates_dir lacks one */
	const char *title;	/* the report's name */
	const char *email_from, *email_to;	/* the weekly e-mail's From and To */
	char **owned;		/* strings the configuration file set */
	size_t nowned;
	size_t chunk_min;	/* a file is split into chunks of at least this many bytes */
	const char *thousands_separator, *currency;	/* how pages write figures (NULL: ",", none) */
	char decimal_separator;	/* ... '.' or ',' (then the thousands separator is '.' unless set) */
	bool thousands_set;	/* thousands_separator was set by the configuration */
	bool lakh_grouping;	/* number_grouping = lakh: 12,34,567 on pages */
	int64_t noise;		/* a KPI change below this, in hundredths of a percent, is not coloured */
	const char *site_url;	/* where the site is published, for the e-mail's link; NULL: not said */
	bool gold_bom;		/* the gold CSVs start with a UTF-8 BOM (for Excel; Power BI needs none) */
	bool cache;		/* the cleaned exports kept in the site for rebuilds (.c360-cache) */
	/* the inputs (config_input.c) */
	NamedOptions *read;	/* [read]: options for every file, then per file */
	size_t nread;
	TableDef *tables;	/* [tables] */
	size_t ntables;
	TableColumn *table_columns;	/* [columns] TABLE.NAME */
	size_t ntable_columns;
	SqlDef sql[SRC_COUNT];	/* [sql] */
	SqlView *views;		/* [sql] VIEW, in the file's order */
	size_t nviews;
	struct ConfigNote {
		const char *text;
		uint32_t line;	/* its line in the configuration file, 0 if none */
	} *notes;		/* what the build says of the configuration (silver_init): a label near a known
				 * one, keys not used (config_note); every one: the messages count and cut them */
	size_t nnotes;
	CatWord *words[CAT_COUNT];	/* [categories]: checked before the built-in words */
	size_t nwords[CAT_COUNT];
	char base_currency[4];	/* [currency] base; "" when amounts are not converted */
	Rate *rates;
	size_t nrates;
	const char *rates_file;	/* [currency] rates_file, read: --out must not hold it (check_out) */
	const char *s3_region, *s3_endpoint;	/* [s3]; NULL: from the environment */
	long s3_timeout, s3_connect_timeout;	/* seconds */
	int shard, shards;	/* --shard K/N: this run writes shard K of N (0 of 1: everything) */
	/* Limits that keep hostile data from blowing pages up (c360(1), LIMITS): */
	size_t field_max;	/* bytes of one value shown on a page; the gold tables keep it whole */
	size_t page_max;	/* bytes of one page, and of what a template writes */
	int chart_max;		/* values a chart shows; the rest are added up in one bar */
	int sql_timeout;	/* seconds a [sql] SELECT may run */
	const char *keep;	/* names in --out that every build keeps, separated by commas */
	const char *customer_pages;	/* files, packed, top N or none as set; NULL: by the customer count */
	const char *customer_pages_by;	/* what set it: "customer_pages", or "--customer-pages" */
	int pages_mode;		/* PAGES_* of customer_pages */
	uint32_t pages_top;	/* N of top N */
} Config;
/* customer_pages: a page per customer, their pages packed in scripts that one viewer page shows,
 * pages for the N most valuable only, or none. PAGES_AUTO: files up to PACKED_FROM customers. */
enum { PAGES_AUTO, PAGES_FILES, PAGES_PACKED, PAGES_TOP, PAGES_NONE };
#define PACKED_FROM 200000
#define KEEP_MAX 16		/* names in keep */

void config_defaults(Config *c);
char *config_normalise(Str s);	/* a header name as compared; the caller frees */
/* The field of a header (names: normalised) a column is read from: the first of its aliases in
 * the configuration that the header has (an alias wins over the column's own name), else own;
 * -1 if none. */
int config_header_field(const char *const *alias, const char *own, char *const *names, uint32_t n);
int source_by_name(Str name);	/* the source of that name, or -1 */
size_t config_normalise_to(Str s, char *out);
#define NO_FILE "(none)"	/* config_file_of's name for a source [files] says the exports have none of */
#define SQL_FILE "(SQL)"	/* config_file_of's name for a source made by SQL, which reads no file of its own */	/* the same into out (s.n + 1 bytes); its length */
#define CONFIG_LINE_MAX 4096	/* bytes of a configuration's line, its end included */
/* Reads an INI-style file into c; on failure appends "file:line:col: error: ..." to err. */
bool config_load(Config *c, const char *path, Buf *err);
/* customer_pages = v: files, packed, none, or top N with N from 1 to 100000000; false if v is none of them.
 * A copy of v is kept (config_keep). */
bool config_customer_pages(Config *c, const char *v);
void config_doc(Buf *out);	/* every setting and what it expects: c360 help config */
void config_show(Buf *out, const Config *c);	/* the settings in force, as a configuration file */
void config_free(Config *c);
/* A value as a list: items split at commas outside double quotes, each trimmed and unquoted
 * ("" inside quotes is one "); false (why in err) on an unclosed quote or an empty item. */
bool config_list(Str value, char ***items, size_t *n, Buf *err);
/* config_list of header names: none unquoted among several is refused (none alone is the
 * caller's to read: a column not in the exports). */
bool config_names(Str value, char ***items, size_t *n, Buf *err);
char *config_unquote(Str value);	/* a single value, its quotes removed; the caller frees */
bool config_none(Str raw);	/* the value as written is none, in any case, unquoted ("none" is a name) */
/* Text as a --config file reads it back as a value: in double quotes (each " doubled) where a
 * #, a quote, a comma or blanks at its ends need them (config_unquote's inverse). */
void config_put_text(Buf *b, const char *s);
void config_put_list(Buf *b, char *const *items, size_t n);	/* up to n items (or a NULL), each so, ", " between */
const char *config_keep(Config *c, char *s);	/* a string the configuration frees */
const char *config_path(Config *c, const char *file, const char *v);	/* relative to file's folder */
/* A setting being set from the file: each setter (config.c's settings table) returns false if
 * the value is not what it expects, and may say why. */
typedef struct {
	Config *c;
	const char *file;	/* the configuration file, for relative paths */
	Str key;
	const char *v;		/* the value, trimmed and unquoted */
	Str raw;		/* the value as written, not empty: a list may quote its items */
	const SqlDef *map;	/* where each line of the value stands in the file */
	Buf *why;
	size_t field;		/* offsetof the setting's value in Config */
	size_t at;		/* a setter may set it: where in raw the value goes wrong (0: its start) */
	bool in_key;		/* a setter may set it: the key is wrong (a label), at bytes into it */
	uint32_t line, col;	/* where the key stands in the file */
} SetArgs;
/* The sections about the inputs (config_input.c): [read], [tables], [sql], [categories],
 * [currency], [s3]. */
bool config_set_read(SetArgs *a);
/* Every [read] FILE. names a source or a [tables] table, every [columns] TABLE.NAME a table
 * (false: says which not, at its line). */
bool config_read_names_check(const Config *c, const char *path, Buf *err);
/* No [sql] VIEW is named as a [tables] table (in any case): false after saying which, at its key. */
bool config_views_check(const Config *c, const char *path, Buf *err);
bool config_set_table(SetArgs *a);
bool config_set_table_column(SetArgs *a);	/* [columns] TABLE.NAME */
bool config_set_sql(SetArgs *a);
bool config_set_words(SetArgs *a);
bool config_set_currency(SetArgs *a);
bool config_set_s3(SetArgs *a);
/* Whether key is one of those the capitals stand for: MAP.LABEL, TABLE or CODE. */
bool config_key_matches(const char *pattern, Str key);
/* [read], [tables], [sql], [categories], [currency] and [s3] as in force, as config_load reads them
 * back (config_show's end); [s3]'s keys are the environment's, not shown. */
void config_input_show(Buf *b, const Config *c);
void config_input_free(Config *c);
/* A note on the configuration at its line, said by every build (silver_init); a copy of text is
 * kept. */
void config_note(Config *c, unsigned line, const char *text);
/* The reader options of a source's or table's file: every file's, then its own. */
ReadOptions config_read_options(const Config *c, const char *name);
/* The rate of a currency: 0 for the base, k for rates[k - 1], -1 if there is none. */
int config_rate(const Config *c, const char *code);

/* ------------------------------------------------------------------ ingest (ingest.c)
 * A streaming RFC 4180 reader over libcsv that tracks lines, skips and counts blank
 * lines, drops a UTF-8 BOM, replaces invalid UTF-8 and NUL bytes with U+FFFD and
 * recovers from syntax errors at the next line. */
enum { REC_OK, REC_STRAY_QUOTE, REC_UNTERMINATED, REC_FOOTER, REC_FILL_BIG };	/* FOOTER: silver_read.c's */
enum { TEXT_INVALID_UTF8 = 1, TEXT_NUL = 2 };
#define FIELDS_MAX 65536	/* fields kept per record; more are counted (the rest stays in raw) */
/* What a header cut at FIELDS_MAX says, at column FIELDS_MAX + 1 (silver_read.c, gold_read.c) */
#define HEADER_CUT_MESSAGE "the header row has more than 65,536 columns, the most a file may have"

typedef struct {
	uint32_t line;		/* physical line where the record starts */
	uint32_t nfields;
	const Str *fields;	/* valid during the callback only */
	Str raw;		/* the record's bytes as read, without the final line end */
	int error;		/* REC_* */
	uint32_t error_col;	/* field where the syntax error was seen */
	unsigned text;		/* TEXT_* found in the fields */
	uint32_t text_col;	/* field of the first replaced byte */
	bool cut;		/* it has more than FIELDS_MAX fields: fields holds the first FIELDS_MAX */
} Record;

typedef void (*RecordFn)(void *ctx, const Record *r);
typedef struct Ingest Ingest;

Ingest *ingest_new(RecordFn fn, void *ctx);
void ingest_feed(Ingest *in, const char *data, size_t len);
/* Feeds the last bytes of the input: its last line needs no line end to be read at once. */
void ingest_feed_last(Ingest *in, const char *data, size_t len);
void ingest_finish(Ingest *in);	/* flushes the last record */
uint64_t ingest_blank_lines(const Ingest *in);
/* Fields split at delimiter; lines starting with comment (NULL: none), and the lines before
 * line header_row (0: none), are no records. Before the first feed. */
void ingest_options(Ingest *in, char delimiter, const char *comment, uint32_t header_row);
uint64_t ingest_skipped_lines(const Ingest *in);	/* before the header, and comments */
uint64_t ingest_crlf_after_cr(const Ingest *in);	/* CRLFs read as line ends in a file of CR alone */
/* With names: the header's columns of those names are filled down (an empty field takes the
 * value above it; names stays the caller's), before the first feed. Without: the first of
 * them the header does not have, once it is read, or NULL. */
const char *ingest_fill_down(Ingest *in, char *const *names, size_t n);
/* The input continues the file first began: no BOM at its start, the same line ends, delimiter
 * and comments. */
void ingest_continue(Ingest *in, const Ingest *first);
/* The same for a file whose earlier lines were read by another build: its line end ('\n': LF
 * or CRLF, '\r': CR alone), delimiter and comments. */
void ingest_resume(Ingest *in, char eol, char delimiter, const char *comment);
bool ingest_open(const Ingest *in);	/* a record or line is unfinished */
uint32_t ingest_lines(const Ingest *in);	/* lines read so far */
void ingest_free(Ingest *in);
/* Where a report's footer starts in a file's data[0..len) after its header of nheader fields
 * (silver_read.c: the lines after the last blank line, each of one field, or to a quarter of
 * the header's in a wide file);
 * len if it has none. A source's file and a [tables] table's alike. */
size_t report_footer_start(const char *data, size_t len, uint32_t nheader, char delim, const char *comment);
/* Each line of a report's footer data[from..len) (its lines numbered in data): a blank one
 * counted in *blank, a comment in *skipped, any other given to row as a Record (REC_FOOTER). */
void report_footer_rows(const char *data, size_t from, size_t len, const char *comment, uint64_t *blank,
			uint64_t *skipped, void (*row)(void *ctx, const Record *r), void *ctx);
bool csv_quote_closes(const char *p, size_t n);	/* p[0..n), read inside a quoted field, closes it */

/* Replaces invalid UTF-8 and NUL bytes in s with U+FFFD into out; returns TEXT_* found
 * (0: s is clean and out is untouched). */
unsigned utf8_sanitize(const char *s, size_t n, Buf *out);

/* ------------------------------------------------------------------ cleaning rules (clean.c)
 * Pure functions: one rule each, from SPEC §5. */
bool clean_is_null(Str s);
Str clean_trim(Str s);	/* s without white space at its ends, Unicode's (U+00A0, U+3000 ...) too */
size_t clean_space_len(const char *p, size_t n);	/* the white space character at p (clean_trim's), 0 if none */
Str clean_id_text(Str s);	/* clean_id's every case */
static inline Str clean_id(Str s)	/* trimmed; "13085.0" -> "13085"; n == 0 means null */
{
	if (s.n) {	/* the usual id, as it is: a digit or a letter but n first (no null token), */
		unsigned char first = (unsigned char)s.p[0], last = (unsigned char)s.p[s.n - 1], low = first | 0x20;
		if (((first >= '0' && first <= '9') || (low >= 'a' && low <= 'z' && low != 'n')) && last > ' ' &&
		    last < 0x80 && last != '0')
			return s;	/* and no blank (nor a no-break space) to trim, nor the 0 of a float */
	}
	return clean_id_text(s);
}

/* An id that is an e-mail address (it holds an @, at most ID_FOLD_MAX bytes) as the e-mail column
 * has it, lower-cased: into fold if it has a capital letter, else id itself. So a shop's
 * JANE.DOE@GMAIL.COM is the CRM's jane.doe@gmail.com when e-mails are the customers' key. */
#define ID_FOLD_MAX 254
Str clean_id_email(Str id, char *fold);

enum { DATE_NONE, DATE_OK, DATE_AMBIGUOUS, DATE_BAD };
enum { EVIDENCE_NONE, EVIDENCE_DAY_FIRST, EVIDENCE_MONTH_FIRST };

typedef struct {
	int status;		/* DATE_* */
	int evidence;		/* EVIDENCE_* for A?B?YYYY forms */
	int y, a, b;		/* year and the two leading numbers (for YYYY forms: month, day) */
	int32_t secs;		/* seconds of the day in UTC (may leave [0, 86400)); 0 without time */
	bool has_time;
	bool local;		/* a time without an offset: secs are the local clock's (clean_date_zone) */
	const TzZone *zone;	/* a zone the value names (a date_format's %z): its local time */
	bool two_digit;		/* its year was written in two digits (%y): its century the rule's */
} DateParse;

DateParse clean_date(Str s);
/* A date as a [read] date_format writes it: strptime's conversions %Y %y %m %b %B %h %d %e %a %A %H
 * %I %M %S %p %z (C's English month and weekday names), to the value's end; DATE_OK or DATE_BAD. A
 * %y year of 69-99 is 1969-1999, of 00-68 2000-2068; a %a or %A weekday must be the written day's. Its evidence is
 * the format's order where day and month come before the year and the value shows it (a day
 * above 12, a month's name), as the same value would be without a format. clean_date_format_why: NULL if format is one (a year, a month and a day), else why
 * not. */
DateParse clean_date_format(Str s, const char *format);
/* A date_format's facts, worked out once for all the values of a file (clean_date_formatted reads
 * them as clean_date_format does): its text, the evidence its order may show, its conversions. */
typedef struct {
	const char *text;	/* strptime's format, %s or excel */
	int evidence;		/* EVIDENCE_* of its day and month before its year, shown where a value's day is
				 * above 12 or the month a name; EVIDENCE_NONE: no such order */
	bool named;		/* that month a name (%b %B %h) */
	bool two_digit;		/* %y */
	bool time;		/* %H %I %M %S %T %R %r */
	bool am_pm_hour;	/* %p with %H: the AM or PM checked against the hour */
	bool weekday;		/* %a %A: checked against the day */
	bool offset;		/* %z */
} DateFormat;
DateFormat clean_date_form(const char *format);
DateParse clean_date_formatted(Str s, const DateFormat *f);
const char *clean_date_format_why(const char *format);
/* The moment of a parsed date in UTC (keep_time false: the midnight of its UTC day);
 * MOMENT_NULL if the reading is impossible. */
int64_t clean_date_moment(const DateParse *p, DateOrder order, bool keep_time);
/* A DATE_OK date's local time (p->local) made UTC by the zone it names, else by zone (a file's
 * [read] time_zone; NULL: none, kept as UTC); DATE_BAD if its UTC day is outside 1900-2100.
 * A date without a time of day, or with an offset, is as it was. */
void clean_date_zone(DateParse *p, const TzZone *zone);
/* clean_date_moment of an ambiguous or OK date whose local time is still local, by zone. */
int64_t clean_date_moment_zoned(const DateParse *p, DateOrder order, bool keep_time, const TzZone *zone);
/* The usual date text's moment, as clean_date and clean_date_moment make it (DATE_OK: no order
 * needed) with its evidence: YYYY?MM?DD (? one of - / ., twice the same), YYYYMMDD, or DD?MM?YYYY
 * and MM?DD?YYYY when one of the two exceeds 12, of a real day of 1901-2099; alone or then
 * [ T]HH:MM[:SS] and Z, +HH:MM or +HHMM (or -) or nothing; nothing around it (*has_time: whether
 * a time of day followed the date, as DateParse's). False for any other text (clean_date's to read). */
bool clean_date_usual(Str s, bool keep_time, int64_t *moment, int *evidence, bool *has_time);

/* [read] title_case: names and locations as written, title-cased, or title-cased only when their
 * letters are of one case (JOHN SMITH, john smith; McDonald, van den Berg as written) */
typedef enum { TITLE_KEEP, TITLE_ALL, TITLE_ONE_CASE } TitleCase;
Str clean_title(Str s, Buf *scratch, TitleCase how);	/* trimmed, spaces collapsed, words title-cased as how says */
bool clean_email(Str s, Buf *out);	/* lower-cased into out; false if invalid */

enum { GENDER_MALE, GENDER_FEMALE, GENDER_OTHER, GENDER_UNKNOWN };
extern const char *const gender_label[];
int clean_gender(Str s, const CatWord *words, size_t nwords, Buf *scratch);	/* [categories] gender's words first */

#define AMOUNT_NULL INT64_MIN
enum { AMOUNT_OK, AMOUNT_NONE, AMOUNT_BAD, AMOUNT_AMBIGUOUS };
enum { DECIMAL_NONE, DECIMAL_POINT, DECIMAL_COMMA };

typedef struct {
	int status;		/* AMOUNT_* */
	int evidence;		/* DECIMAL_*: the separator the value can only have as its decimal one */
	int64_t cents;		/* AMOUNT_OK: the amount; AMOUNT_NULL when null or unparseable */
	uint32_t grouped;	/* AMOUNT_AMBIGUOUS: X<sep>YYY as X * 1000 + YYY */
	char sep;		/* AMOUNT_AMBIGUOUS: the separator written, '.' or ',' */
	bool negative;
	char currency[4];	/* named by a symbol or code before or after the number; "" if none */
	bool generic;		/* the symbol ($, ¥) is shared by several currencies */
} AmountParse;

/* The codes an amount may name besides ISO 4217's: the configuration's base and rates (RMB,
 * HRK, BTC), and a file's currency. */
typedef struct {
	const Config *cfg;	/* or NULL */
	const char *file;	/* or NULL */
} KnownCodes;

/* An amount: decimal is '.' or ',' (the other one groups thousands), or 0 to read each value by
 * the separators it has, leaving X<sep>YYY ambiguous; known (or NULL) the codes it may name
 * besides ISO 4217's. */
AmountParse clean_amount(Str s, char decimal, const KnownCodes *known);
/* A currency as a column or the configuration writes it: a code or a symbol; a symbol several
 * currencies share ($, ¥, kr) is shared (a code) if given, else its usual one (USD, JPY, SEK). */
bool clean_currency(Str s, const char *shared, char code[4]);
/* An ambiguous amount's cents (without its sign) once the decimal separator is known. */
int64_t clean_amount_read(uint32_t grouped, char sep, char decimal);

/* Categories: canonical labels first, then unknown values as they come. */

enum { OS_COMPLETED, OS_SHIPPED, OS_PENDING, OS_CANCELLED, OS_FAILED, OS_RETURNED, OS_UNKNOWN };
enum { PM_CREDIT, PM_DEBIT, PM_UPI, PM_PAYPAL, PM_WALLET, PM_CASH, PM_NETBANKING, PM_VOUCHER, PM_UNKNOWN };
enum { PS_SUCCESS, PS_FAILED, PS_PENDING, PS_REFUNDED, PS_UNKNOWN };
enum { TS_CLOSED, TS_RESOLVED, TS_OPEN, TS_PENDING, TS_UNKNOWN };
enum { DV_ANDROID, DV_IOS, DV_WINDOWS, DV_MACOS, DV_LINUX, DV_CHROMEOS, DV_UNKNOWN };
enum { ISSUE_UNSPECIFIED };
enum { CH_MOBILE, CH_WEB, CH_OTHER, CH_COUNT };
extern const char *const channel_label[CH_COUNT];

/* Labels every dictionary of kind starts with, in enum order. */
void clean_category_init(Dict *d, CatKind kind);
uint32_t clean_category_builtin(CatKind kind);	/* its labels clean_category_init interns, the first of a column's */
/* Its values are matched to known labels (a value none matches is kept, flagged unknown_category). */
bool clean_category_ruled(CatKind kind);
/* Maps a value to its label number in d (adding unknown values): the configuration's words
 * first, then the built-in ones; *unknown is set when a non-null value matched neither, for
 * a kind that has rules. */
uint32_t clean_category(Dict *d, CatKind kind, const CatWord *words, size_t nwords, Str s, Buf *scratch,
			bool *unknown);
/* A value as categories compare it: letters and digits only (any script), case-folded, NFC. */
void clean_category_key(Str s, Buf *out);
/* A label as the configuration names it: a built-in label's own spelling if it is one; the
 * caller frees. */
char *clean_category_label(CatKind kind, const char *label);
const char *category_label_near(CatKind kind, const char *label);	/* a known label near a new one, or NULL */
static inline int device_channel(uint32_t device)	/* CH_* */
{
	return device == DV_ANDROID || device == DV_IOS ? CH_MOBILE
	       : device >= DV_WINDOWS && device <= DV_CHROMEOS ? CH_WEB : CH_OTHER;
}

/* ------------------------------------------------------------------ sources (silver.c)
 * One row per source: its file, its columns and the rule each column's value goes through
 * into its silver row. A new source is a row here, its row struct and its column enum. */
typedef enum {
	COL_KEY,		/* the row's key: trimmed, 13085.0 -> 13085; missing: quarantine */
	COL_CUSTOMER,		/* a fact's customer id, looked up among the customers */
	COL_DATE,		/* the source's date column: RowHead.when */
	COL_AMOUNT,		/* money in cents (int64_t) */
	COL_CATEGORY,		/* a label number (uint32_t) by the category's rules */
	COL_TITLE,		/* title-cased text (const char *) */
	COL_EMAIL,		/* a valid lower-cased e-mail or NULL (const char *) */
	COL_GENDER,		/* GENDER_* (uint8_t) */
	COL_CURRENCY,		/* the currency of the row's amount (not kept) */
} ColKind;

typedef struct {
	ColKind kind;
	CatKind category;	/* COL_CATEGORY: whose rules */
	size_t at;		/* where the value goes in the row */
	bool extra;		/* a column most exports lack: absent without a warning */
} ColumnRule;

typedef struct {
	const char *name;	/* "customers" */
	const char *file;	/* default file name */
	bool required;		/* a build needs the file */
	int ncols;
	const char *cols[MAX_COLS];	/* canonical names; [0] is the key */
	ColumnRule rule[MAX_COLS];
	int customer_col;	/* a fact's customer column; -1 for the customers themselves */
	int date_col;		/* the one date column (for customers, the date of birth) */
	int currency_col;	/* the amount's currency column; -1 for none */
	bool timestamp;		/* the date column keeps its time */
	size_t row_size;	/* the silver row: a RowHead, then the values */
} SourceDef;

extern const SourceDef source_defs[SRC_COUNT];
static inline bool source_is_fact(SourceId id) { return source_defs[id].customer_col >= 0; }
/* A column a row cannot be read without: the key, a fact's customer. */
static inline bool column_required(const SourceDef *def, int col) { return col == 0 || col == def->customer_col; }

/* ------------------------------------------------------------------ silver (silver.c) */
/* Every silver row starts with this head (40 bytes: most rows are a head and a few labels), so
 * table rules work on any source. It keeps the row's bronze record, its line and, while its
 * source is read, its text. */
typedef struct {
	const char *id;		/* cleaned key, not NUL-terminated: inside the record's text while the
				 * source is read, then among the keys its file's bytes keep (or in an arena) */
	int64_t when;		/* the date column as a moment, MOMENT_NULL if null */
	uint32_t idlen, line;
	uint32_t customer;	/* index into the customers table; NO_CUSTOMER until known */
	uint32_t flags;		/* FLAG(D_...) bits */
	/* The record as read (any bytes) is the rawlen bytes at id - rawoff, until its source is
	 * closed; then both are 0 (the quarantine keeps its rows' text). */
	uint32_t rawoff, rawlen;
} RowHead;

#define NO_CUSTOMER UINT32_MAX
/* A fact whose customer is not in the CRM, until customers are inferred: its row's customer
 * is ORPHAN | its number in its source's orphans. */
struct Orphan {
	uint32_t idlen;
	const char *id;
};
#define ORPHAN (1u << 31)

typedef struct {
	RowHead h;		/* h.when is the date of birth */
	const char *name, *email, *location;	/* NUL-terminated or NULL */
	uint8_t gender;
	bool in_crm;
} Customer;

typedef struct {
	RowHead h;
	int64_t cents;		/* AMOUNT_NULL when null */
	uint32_t status;
} Order;

typedef struct {
	RowHead h;
	int64_t cents;
	uint32_t method, status;
} Payment;

typedef struct {
	RowHead h;
	uint32_t issue, status;
} Ticket;

typedef struct {
	RowHead h;
	uint32_t page, device;
} Session;

typedef struct {
	char *rows;
	size_t n, cap, size;
} Table;

#define ROW(t, T, i) ((T *)(void *)((t)->rows + (size_t)(i) * (t)->size))

typedef struct {
	const char *raw;
	uint32_t rawlen, line;
	DiagCode reason;
	const char *note;	/* D_EXCLUDED: the reason the SELECT gave, printable and cut (quarantine_note); else NULL */
} Quarantined;

/* A [sql] source's _quarantine value as a quarantined row keeps it (note): in UTF-8, escaped as a
 * message's values are (control bytes as \xNN, \\), cut at QUARANTINE_NOTE_MAX bytes with "…";
 * gold's reason is "excluded: " and the note. */
#define QUARANTINE_NOTE_MAX 200
#define QUARANTINE_NOTE_PREFIX "excluded: "
void quarantine_note(Buf *b, const char *s, size_t n);

typedef enum { BASIS_COLUMN, BASIS_DATASET, BASIS_CONFIG, BASIS_FORMAT } OrderBasis;	/* FORMAT: [read] date_format */

/* An input file's bytes in UTF-8, a NUL after them: a file's mapped (its pages in the page
 * cache, used in place), or in memory of the build's own (big_alloc): converted from another
 * encoding, fetched, or read when the file cannot be mapped. */
typedef struct {
	char *data;
	size_t len;	/* the file's bytes */
	size_t size;	/* the memory's */
	int map;	/* 1 + the file's slot among those mapped; 0: memory of the build's own */
	bool changed;	/* the file changed since it was opened (input_changed) */
} Input;

enum { ROW_MAX = 128 };	/* a silver row's bytes at most */

/* A flag's first rows, the examples quality.html shows: per source and flag, the first
 * FLAG_EXAMPLES rows by line (then key) among the rows the gold tables hold (a fact dated after
 * the as-of date is in none), each with its line, its key and the values the flag names as its
 * gold row has them. Chosen where the rows are walked anyway: silver_finish's check of every row
 * (check_rows; a lazy source's, as its loading checked its rows, LazyFinish) and the reading of a
 * gold folder (gold_read.c), by the same functions (quality.c), so a build and the render of its
 * gold choose the same rows. Keys and values are cut to EXAMPLE_BYTES bytes (any bytes: the page
 * makes them valid UTF-8 and escapes them). */
#define FLAG_EXAMPLES 5
#define EXAMPLE_BYTES 300
#define EXAMPLE_VALUES 3	/* a row's values a flag names: at most the amount, or two categories */
typedef struct {
	int8_t col;		/* the source's column */
	bool emptied;		/* null in gold: the flag emptied it */
	uint32_t len;
	const char *text;	/* "" if emptied */
} ExampleValue;

typedef struct {
	uint32_t line, keylen;
	const char *key;
	uint8_t nvalues;
	ExampleValue value[EXAMPLE_VALUES];
} FlagExample;

typedef struct {
	FlagExample row[D_NFLAGS][FLAG_EXAMPLES];
	uint8_t n[D_NFLAGS];
} FlagExamples;

/* The rows chosen so far, per flag, first by (line, key, row): a row is one of a table's. */
typedef struct {
	uint32_t row, line, keylen;
	const char *key;	/* NULL: not known (a lazy source's check kept: no more rows come) */
} FlagPick;

typedef struct {
	FlagPick pick[D_NFLAGS][FLAG_EXAMPLES];
	uint8_t n[D_NFLAGS];
} FlagPicks;

/* Of a row's flags, those whose first rows a row of this line could be among (its key then
 * needed): a cheap test first, for facts in file order most often none. */
uint32_t flag_picks_wanted(const FlagPicks *p, uint32_t flags, uint32_t line);
/* The row r (line, key) among the first rows of each flag in flags, if it is. */
void flag_picks_add(FlagPicks *p, uint32_t flags, uint32_t row, uint32_t line, const char *key, uint32_t keylen);
/* Flag k's example of row h of source id (a silver or gold row whole: its categories' labels in
 * dict[MAX_COLS], its customer a row of customers; cfg's [categories], the labels it adds), its
 * texts in a. */
void flag_example_make(FlagExample *e, Arena *a, const Config *cfg, SourceId id, int k, const RowHead *h,
		       const Dict *dict, const Table *customers);
/* The examples of every chosen row, rows as row_of(ctx, row, buf) gives them (buf: ROW_MAX bytes). */
void flag_examples_make(FlagExamples *x, const FlagPicks *p, Arena *a, const Config *cfg, SourceId id, const Dict *dict,
			const Table *customers, const RowHead *(*row_of)(void *ctx, uint32_t row, char *buf), void *ctx);

typedef struct Source Source;
#define AMBIGUOUS_TEXT 40
struct Source {
	SourceId id;
	const SourceDef *def;
	const Config *cfg;
	const Source *customers;	/* for facts: where customer ids are looked up */
	/* the reader's (silver_read.c) */
	char *path;
	bool present, broken;
	bool unterminated;	/* a quoted field ran to the file's end (its record quarantined) */
	bool sql;		/* read from its [sql] SELECT: fields are no file's columns */
	const char *left_out;	/* an optional source without this required column: not read */
	Ingest *ingest;
	const char *input;	/* a buffer fed whole that outlives the build (bronze points into it) */
	size_t input_len;
	Input file;		/* the file's bytes, when read from a file */
	char delimiter;
	uint64_t skipped_lines;	/* before the header row, and comments */
	bool have_header;
	uint32_t nheader;
	/* what a key must be to be the header's name for it (a header row again: silver.c,
	 * header_again): at least this long, its first byte one of these */
	size_t key_name_min;
	uint64_t key_name_first[4];
	int field_of[MAX_COLS];	/* canonical column -> field number, -1 if absent */
	/* a SQL source's (field_of numbers its result's columns): canonical column -> the field of
	 * the file a value is taken from as it is, for the rows of sql_file (sqlmap.c,
	 * result_header); -1 else (a value the SELECT makes) */
	int sql_field[MAX_COLS];
	uint32_t sql_file;	/* the file sql_field's fields are of (Diags.files' number + 1): a row of
				 * another (Diags.at) names no column; 0: none */
	/* columns [0, in_order - 1) stand at their own fields and the others are absent (an optional
	 * currency column): in_order - 1 of them; -1 when not so; 0 until a row is read */
	int8_t in_order;
	bool nulls;		/* [null] names values of its columns that mean none */
	uint8_t nvalues, value_col[MAX_COLS];	/* the columns row_values cleans (not the key, customer, currency) */
	/* bronze */
	uint64_t rows_read, blank_lines;
	uint64_t crlf_after_cr;	/* CRLFs read as line ends after a first line ending in CR alone */
	Diags diags;
	Arena arena;
	/* silver (silver.c) */
	Table table;
	bool lent;		/* table.rows are another source's, lent while chunks are read: copied to
				 * rows of its own (silver_own_rows) before they grow, never freed */
	struct LazySource *lazy;	/* table.rows made when first read (silver_cache.c), else NULL */
	Index keys;		/* customers only: id -> row number */
	struct Orphan *orphans;
	size_t norphans, caporphans;
	uint32_t last_customer;	/* the last customer id looked up, and its row */
	Str last_customer_id;
	char last_customer_id_buf[32];
	char id_fold[ID_FOLD_MAX];	/* a row's key or customer id lower-cased (clean_id_email) */
	Quarantined *quarantine;
	size_t nquarantine, capquarantine;
	/* silver_source_kept's for silver_source_pack, which packs the halves on two threads: the
	 * bytes, the row whose key starts the second half, where that key is, and how many bytes
	 * the keys, orphans' ids and quarantined texts before it take at most (bytes NULL: none) */
	struct {
		const char *bytes, *split;
		size_t row, before;
	} pack_half;
	uint64_t reason_count[D_NREASONS];
	uint64_t flag_count[D_NFLAGS];	/* silver rows with each flag */
	uint64_t flagged_rows;	/* silver rows with any flag */
	FlagExamples examples;	/* each flag's first rows (check_rows), their texts in arena */
	Dict dict[MAX_COLS];	/* category labels per column */
	Dict memo[MAX_COLS];	/* raw value -> label, per category column */
	uint32_t *memo_val[MAX_COLS];
	struct MemoSlot *memo_fast;	/* short raw values met lately -> label, in front of memo */
	uint64_t evidence[3];	/* per EVIDENCE_* among the date column's values */
	uint64_t ambiguous;
	uint32_t ambiguous_line;	/* the first ambiguous value's, and its text (cut): an example */
	char ambiguous_text[AMBIGUOUS_TEXT];	/* for the warning when other files decide its order */
	const TzZone *zone;	/* [read] time_zone's, NULL: none */
	DateOrder order;
	OrderBasis basis;
	uint64_t after_as_of;
	ReadOptions opt;	/* how its file is read */
	DateFormat date_form;	/* opt.date_format's facts, once (clean_date_form) */
	uint64_t decimal_evidence[3];	/* per DECIMAL_* among the amounts */
	uint64_t ambiguous_amounts;	/* X<sep>YYY values, read once the file's separator is known */
	char decimal;		/* the separator they were read with */
	Buf scratch;
};

/* A file loaded whole as a table for the SQL sources (sqlmap.c): rows read = rows in the
 * table + rows quarantined. */
typedef struct {
	const TableDef *def;
	char *path;
	bool present;
	bool empty;		/* present without a header row: no table made, as if missing */
	bool not_csv;		/* a spreadsheet or JSON (D_NOT_CSV says which): no table made, as if missing */
	uint64_t rows_read, blank_lines, skipped_lines, loaded;
	Quarantined *quarantine;
	size_t nquarantine;
	Diags diags;
	Arena arena;		/* the quarantined rows' text */
} RawTable;

/* The latest date of a silver fact (an order, payment, ticket or session), as the default
 * as-of date is taken: its moment (MOMENT_NULL: no fact is dated), source and line (of the first
 * row so dated; a rebuild's source whose rows are not read: the line its loading kept, the same;
 * 0: not known); and how many facts are dated on or before the
 * as-of date (counted: of a rebuild's source not read for it, one if any is). */
typedef struct {
	int64_t when;
	SourceId source;
	uint32_t line;
	uint32_t file;		/* a [sql] source's: its row's file (ROW_FILE: Silver.paths[file - 1]); 0: none */
	uint64_t counted;
	int64_t other;		/* the latest moment of every other event (MOMENT_NULL: none) */
	bool seen_all;		/* other is known: the latest is no lazy source's, whose other rows are unread */
} LatestEvent;

typedef struct {
	Config *cfg;
	Source src[SRC_COUNT];
	RawTable *raw;		/* one per [tables] entry, when a source is SQL */
	size_t nraw;
	const char **paths;	/* raw's paths, in its order: the files a [sql] source's rows name (Diags.files) */
	Diags config_diags;	/* problems located in the configuration file (SQL) */
	Diags general;		/* problems with no file of their own */
	int64_t as_of;		/* day number */
	LatestEvent latest;	/* without --as-of: the event as_of is the day of (find_as_of) */
	uint64_t dataset_evidence[3];
	size_t ncrm;		/* customers from the CRM; inferred ones follow */
	/* the cleaned exports' cache (silver_cache.c): read from the previous site's, written to
	 * the staging folder's; NULL: none */
	const char *cache_from, *cache_to;
	FileHash cache_salt;	/* c360 and the settings (manifest_settings) */
	FileHash cache_key[SRC_COUNT];	/* what each source's cleaning depends on */
	/* each fact source's rows as silver_finish leaves them, as a key (silver_rows_key); zero:
	 * not known (no cache, SQL, S3, a file not read). Before silver_finish: the cache key, once
	 * the source is what that key names (taken from the cache, or read whole and cleaned) */
	FileHash rows_key[SRC_COUNT];
	/* a fact source whose export only grew (load_appended): how many of its rows, first in its
	 * table, the previous build had, and those rows' key as that build's rows key was made
	 * (rows_keys); zero rows: not grown. Only with a rows key. */
	size_t grown_from[SRC_COUNT];
	FileHash grown_key[SRC_COUNT];
	struct Tail *tail;	/* a fact source's packing and cache being done on a thread (silver_tail_join) */
} Silver;

#define CUSTOMERS(s) (&(s)->src[SRC_CUSTOMERS].table)

/* ---- the reader (silver_read.c): files mapped and read in chunks by threads, header names
 * mapped to columns, each record handed to the table rules below. */

/* Reads file name of the data location into in; false after saying why in d (a missing file
 * with the code missing). */
bool input_open(const Config *cfg, const char *name, DiagCode missing, Input *in, Diags *d);
/* Makes in UTF-8 (from its UTF-16 byte-order mark, or o's encoding) and returns its delimiter
 * (o's, else that of Excel's "sep=;" first line, when no header_row is set, which makes the
 * header line 2 in o, else the most frequent of , ; tab | in the header line); a note says what
 * was not the usual. */
char input_prepare(Input *in, ReadOptions *o, Diags *d);
bool input_json_line(Str line);	/* the first line of a JSON text, not a CSV header (line trimmed) */
/* A header row r that is no UTF-8, of a file whose encoding is not set: a warning in d that
 * names the setting (its garbled names are the columns then missed); of a spreadsheet or JSON
 * renamed .csv (o->not_csv), whatever the encoding, none. */
const char *input_header_check(const Record *r, const ReadOptions *o, Diags *d);	/* what a file that is not CSV is, else NULL (said by the caller) */
void input_from(Input *in, const char *p, size_t n);	/* in: a copy of p[0..n) */
/* Opens (maps) files name[0..n) of the data location now, for the inputs hash, and hashes them
 * (input_hash) on up to threads threads, a piece at a time: hash[i] the bytes' hash, len[i] their number
 * (UINT64_MAX: there is no such file, or it changed as it was read, or the data is on S3;
 * INPUT_UNREADABLE: something is there that cannot be read, a FIFO, a folder, no permission:
 * not the file that was absent). The next input_open of such a file takes these bytes instead of opening it again, if the file is still as it was (device,
 * inode, size, times). Main thread only, as are input_open and input_close.
 * by_read[i]: hashed as input_hash does, its mapping untouched (the build will likely take the
 * export from a cache); else through the mapping, which the build's reading then finds touched.
 * seen: a previous site whose cache folder records the exports its build hashed (SEEN_NAME): a
 * file stat finds as recorded is not read, its hash the record's (NULL: none). Returns how many
 * were. */
#define INPUT_UNREADABLE (UINT64_MAX - 1)
size_t inputs_ahead(const Config *cfg, const char *const *name, const bool *by_read, size_t n, int threads,
		    const char *seen, FileHash *hash, uint64_t *len);
/* The record of the files read ahead, in staging's cache folder, its mtime when they began to
 * be read. */
void inputs_seen_save(const char *staging);
void input_ahead_free(void);	/* the bytes read ahead that no input_open took */
/* Whether in's file changed since it was opened: its size, times or inode, or what its path
 * names, or it shrank under the mapping (the pages gone read as zeros, never SIGBUS). */
bool input_changed(Input *in);
/* The open regular file at path (st: as opened, not empty) mapped whole into in, as an export is
 * (a page of zeros after it; a page gone, the file shrunk under it, becomes zeros, marked): its
 * pages the page cache's, none copied; false if it cannot be. Until input_close. */
struct stat;
bool input_map(int fd, const char *path, const struct stat *st, Input *in);
/* Whether a record of a file stat says st of, on a file system of that type (statfs), made
 * when its reading began at began, may be trusted. */
bool input_seen_trusted(long fs_type, const struct stat *st, struct timespec began);
/* The hash of in's first n bytes, a mapped file's read through its descriptor: file_hash's up to
 * 8 MiB, else the file_hash of each 8 MiB piece's file_hash (a big export's pieces hashed on
 * threads: inputs_ahead). */
FileHash input_hash(const Input *in, size_t n);
/* Whether in, if mapped, has lost no page and its file still has the size and mtime it had when
 * mapped (it was not cut short or written since); true for memory of the build's own. */
bool input_intact(const Input *in);
void input_close(Input *in);

/* ---- libraries opened when first needed (dynlib.c) */
typedef struct {
	const char *name;	/* "curl_easy_init" */
	void *at;		/* the function pointer it goes into */
} LibFn;
typedef struct {
	const char *soname, *needed_for;	/* "libcurl.so.4", "reading exports from S3" */
	const LibFn *fn;			/* ended by {NULL} */
	bool tried;
	char *why;				/* why it could not be loaded, once tried */
} Lib;
/* Opens lib once (thread-safe) and fills its function pointers; false with why in err. */
bool lib_load(Lib *lib, Buf *err);

/* ---- S3 (s3.c) */
enum { S3_OK, S3_MISSING, S3_ERROR };
bool s3_location(const char *data);	/* an s3://BUCKET/PREFIX/ address */
/* The @ after a user name or password in an endpoint (http://user:pw@host), else NULL: SigV4 signs
 * requests, so such an endpoint is refused, and not shown. */
const char *s3_endpoint_userinfo(const char *endpoint);
/* Fetches the object name under the configuration's s3:// data location into out: S3_OK,
 * S3_MISSING (no such object), or S3_ERROR with why in err. */
int s3_get(const Config *cfg, const char *name, Buf *out, Buf *err);

/* Reads and cleans every source. Returns false when the build cannot go on (the reason
 * is in the diagnostics). */
bool silver_load(Silver *s, Config *cfg);
/* The same, each export's cleaned rows taken from the site old's cache where it was cleaned from
 * the same (its bytes, c360, the settings, and for a fact the customers'), and every export's
 * written into the cache of the staging folder staging (both NULL: no cache). */
bool silver_load_cached(Silver *s, Config *cfg, const char *old, const char *staging);
void silver_free(Silver *s);
/* For tests and the fuzzer: sources from memory. silver_init, then per source
 * silver_source_init/feed/end (customers first), then silver_finish. */
void silver_source_init(Silver *s, Source *src, SourceId id);
/* Feeds bytes; persistent says data stays valid until silver_free (bronze keeps pointers). */
void silver_source_feed(Silver *s, Source *src, const char *data, size_t len, bool persistent);
void silver_source_end(Silver *s, Source *src);
/* Feeds a whole input (which must outlive silver): decoded, its delimiter found, in chunks. */
void silver_source_input(Silver *s, Source *src, Input *in);
/* One record of a source: the first is its header, then rows through the table rules. */
void silver_source_record(void *src, const Record *r);

/* ---- SQL sources (sqlmap.c): the [tables] files in an in-memory SQLite database, each row
 * with the columns _file and _line, and each [sql] SELECT read as its source's records. */
typedef struct SqlMap SqlMap;
SqlMap *sqlmap_new(Silver *s);	/* the database, and s->raw for the tables */
void sqlmap_load(SqlMap *m, RawTable *t, Input *in);	/* a table from its file's bytes */
SqlMap *sqlmap_open(Silver *s);	/* sqlmap_new, then every table from its file */
/* Reads src (set up anew) from its SELECT; a SQL error names the configuration's line. */
void sqlmap_source(SqlMap *m, Silver *s, Source *src);
/* The [sql] views no source's SELECT read, made once the sources are read (their errors said),
 * and each said unless a source's SELECT failed: a note (config_note), as the view changes no
 * figure; a source's name misspelt ("order =") is a view, its source then read from its file. */
void sqlmap_views(SqlMap *m);
void sqlmap_close(SqlMap *m);
void raw_tables_free(Silver *s);

/* ---- the cleaned exports' cache (silver_cache.c): .c360-cache/NAME in the site, a source as
 * it stands once read and closed (before silver_finish), under a key of everything its cleaning
 * depends on. A file that is not a cache of that key (absent, another key, damaged, hostile)
 * is not taken: the export is read. */
#define CACHE_DIR ".c360-cache"
/* The key of src's cleaning, its file's bytes hashing to bytes: c360 and the settings, and for
 * a fact the customers' key (their row numbers are in its rows). */
FileHash silver_cache_key(const Silver *s, SourceId id, FileHash bytes);
/* src (set up, nothing read) from s->cache_from's cache file of key; false (src set up anew)
 * if there is none that can be taken. The file's texts are used where they are, the file
 * mapped until silver_free (the rows are copied: they become the table's; the sessions' table
 * is made a page at a time when first read, see silver_lazy_head). */
bool silver_cache_load(Silver *s, Source *src, FileHash key);
/* A source made lazily (silver_lazy_head) is checked on loading by reading its file this many
 * bytes (rounded up to whole rows) at a time, not through its mapping. */
enum { CACHE_SLICE = 256 << 10 };
/* Whether every cache file a source of s uses in place is as it was when it was checked: none
 * cut short (its pages gone, read as zeros) or written since. A build whose caches are not
 * must not replace the previous site. A kept check (lazy-NAME) whose rows do not pass is
 * removed, so that the next build checks that cache whole. */
bool silver_cache_intact(const Silver *s);
/* src, read and closed from an export of bytes bytes, into s->cache_to's cache as key's: 0, or
 * why it could not be written (an errno; none is left behind then). */
int silver_cache_save(const Silver *s, const Source *src, FileHash key, uint64_t bytes);
/* src (set up, nothing read) from s->cache_from's cache file of the bytes the export had then,
 * if they are the first bytes of data[0, len), fewer, ending a line: returns how many (0: no
 * such cache taken; src may hold one, to be set up anew), and its key in *key. */
size_t silver_cache_prefix(Silver *s, Source *src, const Input *in, FileHash *key);
/* The previous site's cache file of src, taken, linked into s->cache_to: 0, or link's errno. */
int silver_cache_keep(const Silver *s, const Source *src);
/* src from a cache file's n bytes at p (the fuzzer); as silver_cache_load. */
bool silver_cache_read(Silver *s, Source *src, FileHash key, const char *p, size_t n);
/* A source whose rows are made when first read (silver_cache_load: a rebuild's unchanged
 * sessions, which after silver_finish only the changed customers' pages read): its row r's
 * head as the file holds it (before silver_finish), for silver_finish's passes, which make no
 * row; orphan k's inferred customer (every row of it then has that customer and the orphan
 * flag, made or not); how many of its table's pages were made, of *total. */
void silver_lazy_head(const Source *src, size_t r, RowHead *h);
void silver_lazy_ordered(Source *src);	/* src->order decided: ambiguous dates read by it */
void silver_lazy_orphan(Source *src, size_t k, uint32_t customer);
/* when, if an ambiguous date (packed), read by order; else when itself */
int64_t silver_resolve_when(int64_t when, DateOrder order, bool keep_time, const TzZone *zone);
void silver_lazy_inferred(Source *src);
/* What silver_finish reads of a lazy source's rows, gathered as loading checked each of them:
 * the rows whose customer is an orphan (row order: each one's line and orphan, so that inferring
 * their customers reads no row of the file), the latest date read by each date order
 * (MOMENT_NULL: none) and the line of the first row dated so (the row a fresh build's
 * quality_latest_event names), and the rows with each flag and with any, each orphan's row with the
 * orphan flag (as once its customer is inferred). */
typedef struct {
	uint32_t line, orphan;	/* orphan: k of the row's customer ORPHAN | k */
} LazyOrphanRow;
typedef struct {
	LazyOrphanRow *orphan_rows;
	size_t norphan_rows;
	int64_t last[2];	/* by DateOrder */
	uint32_t last_line[2];	/* the first row of last[o]'s line, by DateOrder (0: none) */
	uint64_t flag_count[D_NFLAGS], flagged_rows;
	FlagPicks picks;	/* each flag's first rows (their keys known while loading only) */
} LazyFinish;
/* src's, if src is lazy; else NULL (silver_finish reads each row). */
const LazyFinish *silver_lazy_finish(const Source *src);
size_t silver_lazy_made(const Source *src, size_t *total);
/* Row r whole into row (ROW_MAX bytes), as its page would be made, no page made; its key. */
const RowHead *silver_lazy_row(const Source *src, size_t r, char *row);
Str silver_lazy_id(const Source *src, size_t r);
void silver_lazy_free(Source *src);
/* .c360-cache/facts-NAME: n hashes (each customer's facts of a fact source, site_customers.c)
 * under a key (the source's rows key). Load: site's file of that key and n, else NULL. */
FileHash *facts_cache_load(const char *site, SourceId id, FileHash key, size_t n);
void facts_cache_save(const char *staging, SourceId id, FileHash key, const FileHash *v, size_t n);
void facts_cache_keep(const char *site, const char *staging, SourceId id);	/* the file linked */
/* Each customer's facts of a source grouped (gold.c's ByCustomer: n customers, start[n + 2],
 * row[] of room nrows + 1, both malloc'd) from the site's .c360-cache/by-NAME under key; false
 * (nothing allocated) if it is not there whole and of that key. */
bool by_cache_load(const char *site, SourceId id, FileHash key, size_t n, size_t nrows, uint32_t **start,
		   uint32_t **row);
void by_cache_save(const char *staging, SourceId id, FileHash key, const uint32_t *start, const uint32_t *row, size_t n);
void by_cache_keep(const char *site, const char *staging, SourceId id);	/* the file linked */
/* A keyed file of source id in a site's cache, .c360-cache/PREFIX + the source's name: a head
 * (magic, version, key, n), the bytes, and a sum of the bytes before it. Load: the bytes
 * (malloc'd; *len of them, at most most) if the file is whole and its head is the one given,
 * else NULL. */
char *keyed_cache_load(const char *site, SourceId id, const char *prefix, const char *magic, uint64_t version, FileHash key,
		       uint64_t n, size_t most, size_t *len);
/* The same for the file name of the cache folder; *mtime (if wanted): the file's. */
char *keyed_file_load(const char *site, const char *name, const char *magic, uint64_t version, FileHash key, uint64_t n,
		      size_t most, size_t *len, struct timespec *mtime);
char *cache_file(const char *site, const char *name);	/* the path of file name of site's cache folder */
void keyed_file_save(const char *staging, const char *name, const char *magic, uint64_t version, FileHash key, uint64_t n,
		     const void *a, size_t na, const void *b, size_t nb);
void keyed_cache_save(const char *staging, SourceId id, const char *prefix, const char *magic, uint64_t version,
		      FileHash key, uint64_t n, const void *a, size_t na, const void *b, size_t nb);
void keyed_cache_keep(const char *site, const char *staging, SourceId id, const char *prefix);	/* the file linked */
/* The keyed files' kinds: magic (its NUL makes 8 bytes) and version */
#define FACTS_MAGIC "c360fct"	/* facts-NAME: each customer's facts hashed (site_customers.c) */
#define FACTS_VERSION 1u
#define BY_MAGIC "c360by"	/* by-NAME: the facts grouped by customer (gold.c) */
#define BY_VERSION 1u
#define ROWS_MAGIC "c360rws"	/* rows-TABLE-customers: a customer table's rows' values and lengths (gold_csv.c) */
#define ROWS_VERSION 1u
#define VIEWS_MAGIC "c360ses"	/* views-web_activities: the sessions' views (kpi.c) */
#define VIEWS_VERSION 1u
#define SEEN_NAME "exports-seen"	/* each export's hash and what stat said of it (silver_read.c) */
#define SEEN_MAGIC "c360see"
#define SEEN_VERSION 1u
bool cache_moment_ok(int64_t w);	/* a moment cleaning can make: MOMENT_NULL, or 1900-01-01 to 2101-01-03 */

/* ---- the table rules (silver.c): pure, on rows the reader hands over */
void silver_init(Silver *s, Config *cfg);
void silver_source_setup(Silver *s, Source *src, SourceId id);	/* empty tables, the category labels */
/* A record with its fields in canonical column order (absent columns empty): cleaned into
 * a silver row, or quarantined. raw stays valid for the whole build. */
void silver_row(Source *src, const Record *r, Str raw, const Str *f);
void silver_reject(Source *src, const Record *r, Str raw);	/* a malformed record: to quarantine */
/* A row a [sql] SELECT sends to quarantine with its _quarantine value why (not empty): D_EXCLUDED,
 * why kept as its note (quarantine_note). */
void silver_exclude(Source *src, const Record *r, Str raw, Str why);
/* silver_source_record for a row of an [sql] SELECT whose _quarantine is why (not empty). */
void silver_source_excluded(Source *src, const Record *r, Str why);
void silver_source_close(Source *src);	/* after the last row: duplicate keys out */
/* After silver_source_close: copies the bytes of [bytes, bytes + len) that the source still
 * points into (its keys, the customer ids its facts name that the CRM lacks, its quarantined
 * rows' text) to the front of to (bytes itself, or len bytes elsewhere), in order, and points
 * there; returns how many bytes are kept. The rows' bronze text is gone. When to is elsewhere,
 * bytes is a file's mapping: its whole pages go back to the system (big_release) as they are
 * passed, a slice at a time. */
size_t silver_source_pack(Source *src, const char *bytes, size_t len, char *to);
/* At most how many bytes silver_source_pack keeps (the room to give it elsewhere). */
size_t silver_source_kept(Source *src, const char *bytes, size_t len);
/* Moves a part's rows, quarantine and problems into dst, its lines shifted by offset. Lent
 * rows must lie in dst's, after its own. */
void silver_merge(Source *dst, Source *part, uint32_t offset);
/* A fact source read and closed (its rows those of the first bytes of a file, a prefix ending
 * a record) and tail, the rest of the file read but not closed, its lines from 1: tail merged
 * into src, its lines shifted by offset (the prefix's lines), and closed as src would be had
 * the whole file been read, its bytes [bytes, bytes + len) packed into src's arena. False
 * (src then to be set up anew) where the result could differ from reading the whole file: a
 * key of the prefix again in the tail (the later row wins), or a decimal separator the tail's
 * amounts make another (or that the prefix said something about). */
bool silver_append(Source *src, Source *tail, uint32_t offset, const char *bytes, size_t len);
void silver_own_rows(Source *src);	/* lent rows copied to rows of the source's own */
void silver_source_free(Source *src);
void silver_reindex(Source *src);	/* the customers' keys index made anew from their rows */
uint32_t silver_customer_row(const Source *customers, Str id);	/* its row, or INDEX_NONE */
/* After every source: date order, inferred customers, the as-of date, counts. */
bool silver_finish(Silver *s);
/* The thread packing a fact source and writing its cache while the next is read done, and what
 * it did said as if done in place (silver_read.c); nothing when there is none. */
void silver_tail_join(Silver *s);
/* Silver rows that came from the file (customers: without the inferred ones). */
size_t silver_rows(const Silver *s, SourceId id);
Severity silver_worst(const Silver *s);
void silver_report(Buf *out, const Silver *s, Verbosity v);	/* diagnostics of every file */

/* ------------------------------------------------------------------ gold: the model
 * The one contract every writer reads. The gold tables of docs/gold-schema.md in memory, made
 * from silver by the data stage (kpi.c, quality.c) or read from a gold folder (gold_read.c),
 * and views computed from those tables alone (gold.c): the site, the edition and the gold
 * CSVs show the same figures whichever way the model was made. */
enum {
	K_TOTAL_CUSTOMERS, K_AVERAGE_ORDER_VALUE, K_REPEAT_CUSTOMER_PCT, K_OPEN_TICKETS,
	K_CHURN_RISK, K_TOTAL_REVENUE, K_VALID_ORDERS, K_KNOWN_CUSTOMERS, K_MOBILE_PCT,
	K_WEB_PCT, K_TOP_METHOD_PCT, K_COUNT
};
enum { KV_COUNT, KV_MONEY, KV_PCT };	/* what a figure counts: things, cents, hundredths of a percent */

/* A KPI, once for the cards, the edition, kpi_summary.csv and the definitions page. */
typedef struct {
	const char *id;		/* its row in kpi_summary.csv */
	const char *title;	/* how pages, the edition and the e-mail name it */
	int kind;		/* KV_* */
	bool lower_is_better;	/* a fall is good news */
	int card;		/* its place among the dashboard's cards, from 1; 0: no card */
	const char *note;	/* what the card's value is (of), under it, or NULL */
	const char *definition;	/* the rule, for the definitions page */
	SourceId needs;		/* the optional export its figure is of (SRC_CUSTOMERS: none) */
} KpiDef;

extern const KpiDef kpi_defs[K_COUNT];
#define KPI_NULL INT64_MIN

typedef struct {
	int64_t as_of;
	int64_t v[K_COUNT];	/* counts, cents or hundredths of a percent; KPI_NULL if undefined */
} Kpis;

#define SPARK_WEEKS 12	/* a KPI's recent history: as of A, A − 7, …, A − 77 */

/* num / den rounded half away from zero (0.005 -> 0.01); KPI_NULL when den is 0. */
int64_t kpi_ratio(int64_t num, int64_t den);
int64_t kpi_pct(uint64_t part, uint64_t whole);	/* part / whole in hundredths of a percent */

typedef struct {
	uint32_t method;	/* a payment-method label */
	uint64_t count;		/* successful payments */
	int64_t cents;		/* their amounts of 0 or more */
	int64_t share;		/* hundredths of a percent of all successful payments */
} PaymentSplit;
/* The split's order everywhere: most payments first, then the method's name in byte order (the
 * "most used method" is the first; a table read in another order is put in this one). */
void payment_split_sort(PaymentSplit *split, size_t n, const Dict *methods);

typedef struct {
	int64_t days;		/* the week's Monday, MOMENT_NULL for the all-time row */
	uint64_t n[CH_COUNT];
	int64_t share[CH_COUNT];	/* hundredths of a percent of the period's sessions; KPI_NULL if none */
} WeekChannels;

enum { SEG_CHAMPIONS, SEG_LOYAL, SEG_NEW, SEG_AT_RISK, SEG_LOST, SEG_PROSPECTS, SEG_COUNT };

typedef struct {
	const char *label;	/* "At Risk" */
	const char *slug;	/* "at-risk": for file names */
	const char *rule;	/* the rule, in words */
} SegmentDef;

extern const SegmentDef segment_defs[SEG_COUNT];

enum { PAY_SUCCESS, PAY_FAILED, PAY_PENDING, PAY_REFUNDED, PAY_OTHER, PAY_COUNT };	/* payments_* columns */

/* One customer's 360° figures as of the as-of date (customer_360.csv). */
typedef struct {
	int64_t first_order, last_order;	/* day numbers of valid dated orders */
	uint32_t valid_orders;
	int64_t lifetime_cents;
	int64_t average_cents;	/* of a valid order; KPI_NULL without one */
	uint32_t pay_by_status[PAY_COUNT];
	uint32_t preferred_method;	/* a payment-method label; UINT32_MAX if none */
	uint32_t tickets, open_tickets;
	uint32_t sessions[CH_COUNT];
	int preferred_channel;	/* -1 if none */
	int64_t days_since_last_order;	/* KPI_NULL without a dated valid order */
	bool active, repeat, churn_risk;
	int segment;
} Customer360;

/* A gold fact table's columns after its id, customer_key, date_key and date: one description
 * writes the CSV, reads it back and lists a customer's facts on their page. */
typedef enum {
	FC_MONEY,		/* the amount of column col */
	FC_LABEL,		/* the label of category column col */
	FC_RULE,		/* true or false, by rule */
	FC_CHANNEL,		/* the channel of device column col */
} FactColKind;

typedef struct {
	const char *name;	/* the CSV header */
	const char *key;	/* the name on a customer page */
	FactColKind kind;
	int col;
	bool (*rule)(const RowHead *h);	/* FC_RULE */
} FactCol;

typedef struct {
	const char *date;	/* the date column's header */
	const char *key;	/* the list on a customer page: "orders" */
	int ncols;
	FactCol cols[3];
} FactTable;

extern const FactTable fact_tables[SRC_COUNT];	/* the facts' ([SRC_CUSTOMERS] is empty) */

/* Where column col's value sits in a row of source src (ColumnRule.at). */
static inline void *fact_field(const RowHead *h, SourceId src, int col)
{
	return (char *)(uintptr_t)h + source_defs[src].rule[col].at;
}

/* The gold tables, in the order they are written, and their columns: one schema for the
 * writer (gold_csv.c) and the reader (gold_read.c). */
enum {
	GT_KPI_SUMMARY, GT_PAYMENT_SPLIT, GT_DEVICES, GT_CUSTOMER_360, GT_DIM_CUSTOMER, GT_DIM_DATE,
	GT_FACT_ORDERS, GT_FACT_PAYMENTS, GT_FACT_TICKETS, GT_FACT_SESSIONS, GT_QUARANTINE, GT_DATA_QUALITY,
	GT_COUNT
};
#define GOLD_MAX_COLS 32

typedef struct {
	const char *name;	/* the file is NAME.csv */
	SourceId src;		/* the table of a source (customers, facts) */
	int ncols;
	const char *cols[GOLD_MAX_COLS];	/* a fact table's come from fact_tables */
} GoldTableDef;

extern const GoldTableDef gold_tables[GT_COUNT];
int gold_columns(int table, const char **cols);	/* fills cols[GOLD_MAX_COLS]; returns how many */

/* The data-quality measures of a source (data_quality.csv), counted once. */
/* STATUS_NOT_CSV: a source whose file is a spreadsheet or JSON (an optional one left out); STATUS_NONE:
 * one the configuration says the exports never have ([files] SOURCE = none) */
typedef enum { STATUS_LOADED, STATUS_MISSING, STATUS_EMPTY, STATUS_LEFT_OUT, STATUS_NOT_CSV, STATUS_NONE, STATUS_COUNT } SourceStatus;
extern const char *const source_status_name[STATUS_COUNT];	/* "loaded", ..., "not CSV", "none" */

/* A warning the build said of a source's file (not a row's: the quarantine and flags count those). */
typedef struct {
	const char *code;	/* its diag_info name */
	uint32_t line;		/* in the source's file; 0: none (a [sql] source's, or the file's as a whole) */
	const char *text;	/* as the terminal had it, without the file and line */
} QualityWarning;

typedef struct {
	const char *file;	/* the file read, in the data folder */
	SourceStatus status;
	uint64_t rows_read, blank_lines, silver_rows, quarantined_rows, after_as_of;
	uint64_t skipped_lines;	/* before the header row or comments ([read]): no rows */
	uint64_t flagged_rows;	/* silver rows with any flag (flag[] counts rows per flag) */
	uint64_t inferred;	/* customers: those known only from facts */
	uint64_t reason[D_NREASONS], flag[D_NFLAGS];
	DateOrder order;	/* how A?B?YYYY dates were read */
	OrderBasis basis;	/* decided on */
	int unordered;		/* DATES_*: dates with no day and month to order, of a [read] date_format,
				 * or none: DATES_ABSENT */
	bool date_none;		/* absent as [columns] says: SOURCE.DATE = none */
	uint64_t evidence[3];	/* per EVIDENCE_*, of the basis */
	uint64_t ambiguous;
	const Quarantined *quarantine;	/* the quarantined rows, by line */
	size_t nquarantine;
	const FlagExamples *examples;	/* each flag's first rows (NULL: none) */
	QualityWarning *warnings;	/* owned (quality_free); the texts are the Silver's or the gold store's */
	size_t nwarnings;
} SourceQuality;

/* A file read as a table for the SQL sources: rows read = rows in the table + quarantined. */
typedef struct {
	const char *name, *file;
	SourceStatus status;	/* loaded or missing */
	uint64_t rows_read, blank_lines, table_rows;
	const Quarantined *quarantine;
	size_t nquarantine;
} TableQuality;

/* A gold table: its rows and the labels of its category columns. */
typedef struct {
	const Table *table;
	const Dict *dict;	/* [MAX_COLS] */
} GoldTable;

/* Each source's facts grouped by customer row, latest first. */
typedef struct {
	uint32_t *start;	/* customer c's facts are row[start[c] .. start[c + 1]) */
	uint32_t *row;
} ByCustomer;

/* A customer's lifecycle: signup (first seen) → browse → order → pay → complaint. */
enum { LC_BROWSE, LC_ORDER, LC_PAY, LC_COMPLAINT, LC_COUNT };
typedef struct {
	int64_t seen;		/* the first dated fact, counted in a stage or not (signup), MOMENT_NULL */
	int64_t first[LC_COUNT], last[LC_COUNT];	/* a stage's first and latest dated events (moments), MOMENT_NULL */
	uint32_t count[LC_COUNT];	/* sessions, valid orders, successful payments, tickets */
} Lifecycle;

typedef struct GoldStore GoldStore;

/* What the sessions give the views as of A (kpi.c): the first dated one (a moment,
 * MOMENT_NULL), the device preference's weeks (as Gold's), the sessions by the first KPI
 * snapshot they count in, each customer's sessions per channel (of: NULL when the gold was
 * read back, not built); kept: taken from the previous site's cache. */
typedef struct {
	int64_t first;
	WeekChannels *weeks;
	size_t nweeks;
	uint64_t snap[SPARK_WEEKS][CH_COUNT];
	uint32_t (*of)[CH_COUNT];
	bool kept;
} SessionViews;

typedef struct {
	/* the tables */
	int64_t as_of;		/* day number A */
	int churn_window_days;	/* W */
	Kpis now, week_before;
	PaymentSplit *split;	/* methods with a successful payment, most first */
	size_t nsplit;
	WeekChannels *weeks;	/* [0] is all time, then every week from the first session's */
	size_t nweeks;
	GoldTable src[SRC_COUNT];	/* customers, then facts (any dated after A count in nothing) */
	size_t ncrm;		/* customers from the CRM; the others are inferred */
	Customer360 *c360;	/* per customer row */
	uint32_t *order;	/* customer rows in output order (natural order of ids) */
	uint32_t *rank;		/* a customer row's place in that order */
	uint64_t *key;		/* a customer row's customer_key (gold_customer_keys) */
	char (*key_text)[16];	/* ... as text, its length in the last byte (gold_key_texts) */
	int64_t first_day;	/* the first dated fact (read back: dim_date's first day) */
	SourceQuality quality[SRC_COUNT];
	TableQuality *tables;	/* the files read as SQL tables */
	size_t ntables;
	/* views, from the tables alone (gold.c) */
	uint32_t *by_value;	/* customer rows, highest lifetime value first */
	ByCustomer by[SRC_COUNT];
	bool by_kept[SRC_COUNT];	/* that grouping taken from the previous site's cache (gold_views) */
	bool by_grown[SRC_COUNT];	/* made from the previous site's grouping of a grown source's rows */
	struct KeptLoad *kept_load;	/* gold_views_begin's thread taking them, until gold_views joins it */
	SessionViews sessions;	/* gold_build's; its weeks are weeks */
	uint64_t segment_size[SEG_COUNT];
	int64_t segment_cents[SEG_COUNT], segment_share[SEG_COUNT];	/* lifetime value; % of customers */
	int64_t first_week;	/* the Monday of the weekly series' first week and dim_date's first day: the
				 * first dated fact's week, or the week before A's if that is later */
	size_t nseries;		/* weeks from first_week to A's week */
	uint64_t *week_orders;	/* valid dated orders per week */
	int64_t *week_cents;	/* and their revenue */
	uint64_t *ticket_status, *ticket_issue;	/* tickets per status label and per issue label */
	Kpis series[SPARK_WEEKS];	/* the KPIs week by week, as of A last (kpi_series) */
	uint32_t *churn_list;	/* customers at churn risk, highest lifetime value first */
	size_t nchurn;
	uint32_t *open_list;	/* customers with open tickets: most open first, then by lifetime value */
	size_t nopen;
	GoldStore *store;	/* what the model owns when read from a gold folder */
	FileHash rows_key[SRC_COUNT];	/* Silver's: each fact source's rows as a key; zero: not known */
	size_t grown_from[SRC_COUNT];	/* Silver's: a grown source's previous rows, and their key */
	FileHash grown_key[SRC_COUNT];
} Gold;

/* The data stage: gold from silver, views included; false after reporting to err a figure
 * that cannot be made (gold_free it all the same). */
bool gold_build(const Silver *s, Gold *g, Buf *err);
/* Every customer's 360° figures as g's fact tables give them as of A (gold_build's rules: a
 * render checks customer_360's rows against them); *out the caller frees, also when it returns
 * false: a customer's valid orders add up to more than c360 can count (*over: whose). */
bool customer_360_of_facts(const Gold *g, Customer360 **out, uint32_t *over);
/* customer_360's figures, its columns from first_order to segment, as its CSV has them. */
enum {
	FIG_FIRST_ORDER, FIG_LAST_ORDER, FIG_VALID_ORDERS, FIG_LIFETIME, FIG_AVERAGE, FIG_PAY,
	FIG_METHOD = FIG_PAY + PAY_COUNT, FIG_TICKETS, FIG_OPEN, FIG_SESSIONS, FIG_CHANNEL = FIG_SESSIONS + CH_COUNT,
	FIG_DAYS, FIG_ACTIVE, FIG_REPEAT, FIG_CHURN, FIG_SEGMENT, FIG_COUNT
};
/* x's figure f as customer_360.csv's cell, the comma before it included (gold_csv.c). */
void customer_360_cell(Buf *b, const Gold *g, const Customer360 *x, int f);
/* Gold read back from a folder of gold CSVs (docs/gold-schema.md; a table may be a folder of
 * part-*.csv files), views included; the problems, file:line:col, go to report as diag_format
 * shows them at cfg's verbosity, the same whatever its threads (a fact table's file is read in
 * chunks of at least chunk_min bytes, one per thread). False when the folder cannot be read as
 * gold; gold_free it all the same. */
bool gold_read(const char *dir, Gold *g, Buf *report, const Config *cfg);
/* The views, once the tables are there (with threads > 1, the sessions by customer on a thread
 * of their own meanwhile; a fact source's grouping by customer taken from site's cache when its
 * rows key is the one it was made under: site NULL, none); -1, or the gold table (GT_*) whose
 * money adds up to more than 64 bits of cents hold (then the views are not whole). */
int gold_views(Gold *g, int threads, const char *site);
/* With threads > 1, the groupings gold_views takes from site's cache read, and the facts not
 * taken grouped, on a thread of their own from now on (g's tables and rows keys set), while the
 * caller makes the customers' figures; gold_views (or gold_free) waits for it. gold_views starts
 * it itself when not started. */
void gold_views_begin(Gold *g, int threads, const char *site);
/* The groupings by customer and the sessions' views cached in staging for the next build:
 * those taken from site's cache linked, the others written (a source without a rows key:
 * neither). */
void gold_views_keep(const Gold *g, const char *site, const char *staging);
void session_views_keep(const Gold *g, const char *site, const char *staging);	/* gold_views_keep's */
/* The sessions' views from site's cache (.c360-cache/views-web_activities) of key, for n
 * customers, if whole (a first session cleaning can date, the weeks one after the other from
 * its Monday, as they are made; shares not set); else false, nothing allocated. */
bool session_views_load(const char *site, FileHash key, size_t n, SessionViews *v);
void gold_free(Gold *g);
void gold_store_free(GoldStore *st);	/* gold_read.c */
const char *gold_label(const Gold *g, SourceId src, int col, uint32_t v);
/* A fact column's value: money (cents, KPI_NULL if none), text (a label) or a truth. */
typedef struct {
	enum { FV_MONEY, FV_TEXT, FV_BOOL } kind;
	int64_t cents;
	const char *text;
	bool yes;
} FactValue;
FactValue gold_fact_value(const Gold *g, SourceId src, const FactCol *fc, const RowHead *h);
void gold_lifecycle(const Gold *g, uint32_t c, Lifecycle *lc);	/* of customer row c */
/* A fact of a customer's activity. */
typedef struct {
	SourceId src;
	uint32_t row;
} Activity;
/* Customer row c's facts of every source merged, newest first (undated ones last; at one moment,
 * sources in table order): the first max of them into out; returns how many. */
size_t gold_activity(const Gold *g, uint32_t c, Activity *out, size_t max);
/* The customer_key of the customers in g->order: their ids' FNV-1a (64 bits) modulo
 * CUSTOMER_KEY_MAX, plus one; an id whose number an id before it in that order has takes the
 * next free one (wrapping). The same id has the same key in every edition whatever other
 * customers come and go, but for such a clash (at a million customers, about one chance in a
 * thousand). At most 15 digits: a spreadsheet keeps them exact. */
#define CUSTOMER_KEY_MAX 999999999999999ull
void gold_customer_keys(Gold *g);
void gold_key_texts(Gold *g);	/* g->key_text of g->key */
/* An index of customer_keys: keys[value] is a value's. */
Str customer_key_str(const void *keys, uint32_t row);
int64_t gold_last_seen(const Gold *g, uint32_t c);	/* the moment of c's newest dated fact, MOMENT_NULL */
/* The KPIs as of each snapshot, from the gold tables alone (kpi.c). */
void kpi_series(const Gold *g, Kpis series[SPARK_WEEKS]);
/* KPI k now less a week earlier: KPI_NULL if either is, or the difference does not fit. */
int64_t kpi_change(const Gold *g, int k);
/* KPI k now against a week earlier, as a share of the earlier value, in hundredths of a percent;
 * KPI_NULL when either is null or the earlier one is 0. */
int64_t kpi_change_rel(const Gold *g, int k);
/* kpi_change_rel as pages and the edition show it: none for a percentage, whose change is in
 * points (kpi_change), not in percent of a percent. */
int64_t kpi_change_pct(const Gold *g, int k);
/* How a KPI moved: up, down or not (direction 1, -1, 0), and whether that is news (tone 1 good,
 * -1 bad, 0 a change smaller than noise, in hundredths of a percent of the earlier value). */
typedef struct {
	int direction, tone;
} KpiTrend;
KpiTrend kpi_trend(const Gold *g, int k, int64_t noise);
bool order_is_valid(const Order *o);
bool payment_succeeded(const Payment *p);	/* its status is Success: counted by method, in payment_mode_split */
bool ticket_is_open(const Ticket *t);
static inline int64_t date_last_moment(int64_t day)	/* the last moment of a day; saturates */
{
	int64_t next;
	if (__builtin_add_overflow(day, 1, &next) || __builtin_mul_overflow(next, SECS_PER_DAY, &next))
		return day < 0 ? INT64_MIN : INT64_MAX;
	return next - 1;
}
static inline bool fact_after(const RowHead *h, int64_t last)	/* dated after the moment last */
{
	return h->when > last;	/* MOMENT_NULL never is */
}
static inline bool fact_is_late(const RowHead *h, int64_t as_of)	/* dated after day as_of: in no figure */
{
	return fact_after(h, date_last_moment(as_of));	/* loops: fact_after with date_last_moment once */
}
static inline int64_t fact_day(const RowHead *h)	/* the day of a fact, MOMENT_NULL */
{
	return h->when == MOMENT_NULL ? MOMENT_NULL : date_floor_day(h->when);
}
int id_compare(const char *a, size_t an, const char *b, size_t bn);	/* natural order */
/* The data-quality measures of every source, from silver (quality.c). */
void quality_measure(const Silver *s, SourceQuality q[SRC_COUNT]);
void quality_warning_add(SourceQuality *q, const char *code, uint32_t line, const char *text);
void quality_free(SourceQuality q[SRC_COUNT]);
TableQuality *quality_tables(const Silver *s, size_t *n);	/* the SQL tables'; the caller frees */
/* Why an optional source has no data, for the sections that would show it; nothing if it has. */
void source_why(Buf *b, const SourceQuality *q);
extern const char *const basis_name[4], *const order_name[2], *const evidence_name[3];	/* data_quality.csv */
/* A date column read in a date_format of %s or excel, or one whose year comes first (%Y-%m-%d): no
 * day/month order claimed for it, its value and text say what the dates are instead
 * (unordered_name[DATES_ORDERED] is NULL). DATES_ABSENT: no
 * header with the column was read (not in the file, or the file not loaded): no dates, no order
 * decided, no basis (an empty date_basis in data_quality.csv), no evidence. */
enum { DATES_ORDERED, DATES_UNIX, DATES_EXCEL, DATES_YEAR_FIRST, DATES_ABSENT, DATES_COUNT };
extern const char *const unordered_name[DATES_COUNT], *const unordered_text[DATES_COUNT];
/* Why a loaded source has no dates (DATES_ABSENT) where that is not its file's lack: "none in the exports
 * ([columns] says so)", "not in its SQL SELECT"; NULL else (check names the file, the page says "not in the
 * file"). Check, data_quality.csv and the data-quality page say it in these words. */
const char *dates_absent_why(const SourceQuality *q);
bool quality_conserved(const SourceQuality *m);	/* rows read = silver rows + quarantined rows */
bool table_conserved(const TableQuality *t);	/* an SQL table's: rows read = table rows + quarantined rows */

/* ------------------------------------------------------------------ incremental builds (manifest.c)
 * A site's manifest (.c360-site) lists every file with a 128-bit hash of its bytes; a rebuild
 * links the previous site's file where the bytes are the same instead of writing them again.
 * .c360-inputs holds a hash of everything the site was made from: a rebuild from the same
 * inputs leaves the site as it is. Both are written beside the site's files, in no manifest. */
typedef struct FileHasher FileHasher;

#define MANIFEST_NAME ".c360-site"
#define MANIFEST_HEAD "c360 " C360_VERSION "\n"	/* its first line; a staging folder's marker */
#define INPUTS_NAME ".c360-inputs"
FileHash file_hash(const void *p, size_t n);
FileHasher *file_hasher_new(void);
void file_hasher_add(FileHasher *h, const void *p, size_t n);
FileHash file_hasher_take(FileHasher *h);	/* the hash of the bytes so far; h starts again */
FileHash file_hasher_end(FileHasher *h);	/* and frees h */
void manifest_begin(const char *out, const char *staging);	/* out's site is replaced by staging */
/* Reads out's manifest (once the check of its files is over: a build stages the site before
 * reading the data, while the check still runs), before the first file is written. */
void manifest_previous(void);
bool manifest_active(const char *dir);	/* dir is the staging folder of the build under way */
/* The file name has these bytes: the spare's file (unless the build has written it already) or
 * the previous site's, linked into the staging folder, is taken instead. */
bool manifest_keep(const char *name, FileHash h, uint64_t size, bool written);
/* The staging folder is out's spare (out_stage): list is its manifest's text (taken), since the
 * manifest's time. Its files are checked, and what it holds that no manifest lists removed, on a
 * thread until manifest_previous; manifest_write removes what the build did not make. */
void manifest_spare(Buf *list, struct timespec since);
void manifest_made_dir(const char *dir, const char *sub);	/* out_mkdir made dir/sub */
void manifest_wrote(const char *name, FileHash h, uint64_t size);	/* name was written */
bool manifest_write(Buf *err, Buf *warn);	/* the staging folder's manifest, sorted by path */
void manifest_counts(uint64_t *written, uint64_t *kept, uint64_t *unrendered);	/* files; pages kept unrendered */
bool manifest_prune_previous(void);	/* after the swap: the spare keeps only what the site holds */
/* Whether the previous site's list names name (an entry of its folder): a file, or a folder
 * of its files; -1 if there is no whole list to tell. */
int manifest_previous_lists(const char *name);
void manifest_end(void);
/* What a build is made from: c360 itself, the settings in force, the templates, theme, assets
 * and the data (the exports, or gold_dir). */
FileHash manifest_inputs(const Config *cfg, const char *gold_dir);
FileHash manifest_settings(const Config *cfg);	/* the same but the data, its folder and --as-of */
FileHash manifest_program(void);	/* c360's own bytes' hash */
/* Whether out was made from the inputs and is untouched since: its files checked (on a thread
 * if threaded) while the inputs are hashed. NULL: out says nothing of what it was made from. */
typedef struct SiteCheck SiteCheck;
SiteCheck *manifest_check_start(const char *out, bool threaded);
bool manifest_check_end(SiteCheck *c, FileHash inputs);	/* and frees c */
/* The check manifest_check_end left for the build that follows (its inputs differed), its thread
 * stopped and joined: for a build that stops before it writes the site. */
void manifest_check_drop(void);
/* .c360-inputs: the inputs' hash, then each page's of manifest_page_kept/made, by path. */
bool manifest_write_inputs(FileHash inputs, Buf *err);
/* Pages that need not be rendered: a page says what it is made from (a hash of its values and
 * the settings); a page made from the same as the previous site's page of that name, which is
 * as the manifest says, is that page, linked into the staging folder dir. */
bool manifest_old_pages(const char *dir);	/* the previous site says what its pages were made from */
bool manifest_page_kept(const char *dir, const char *name, FileHash input);
void manifest_page_made(const char *dir, const char *name, FileHash input);	/* or another file's */
/* A hint, no more: name's manifest_page_kept comes soon; step 2 (which sets *hash), 1 then 0
 * (the lookup's slot, entry, then its path and spare entry read into the cache a step at a
 * time: each a miss that waits on the one before). */
void manifest_prefetch(const char *name, uint64_t *hash, int step);
/* The same for a file that is not a page (a gold table): not counted as a page not rendered. */
bool manifest_file_kept(const char *dir, const char *name, FileHash input);
/* The bytes of the previous site's file name appended to out, if it was made from input and is
 * as its manifest says (a chart's PNG, which the edition needs too): nothing linked yet. */
bool manifest_old_bytes(const char *dir, const char *name, FileHash input, Buf *out);
/* The previous site's file name, open for reading (its *size bytes as listed), if it was made
 * from input and is as its manifest says; -1 if not. */
int manifest_old_open(const char *dir, const char *name, FileHash input, uint64_t *size);
/* Files made together from one input (the search's word files): every file of the previous
 * site listed as made from input, linked if each is as its manifest says; how many (0: none). */
size_t manifest_group_kept(const char *dir, FileHash input);

/* ------------------------------------------------------------------ editions in git (publish.c) */
/* Returns once no git gc runs in dir's .git (gc.pid names a live process of this host). git
 * runs the gc a commit starts (gc --auto) in the background: a build that moved .git with the
 * site under it made it fail, leave gc.log and stop every automatic gc for a day. */
void git_gc_wait(const char *dir);
/* dir is a git working tree (git init if new or empty), its killed builds' staging folders
 * tidied first with keep (the setting) as the names they give back; false after saying why. */
bool publish_prepare(const char *dir, const char *keep, Buf *err);
/* The edition's changes in dir staged (the site's files, what keep keeps, what the build removed
 * of the site HEAD holds: a file c360 did not write, or its removal, is warned about and left
 * out) and committed: 1 committed, 0 nothing changed (no commit), -1 failed (err says). */
int publish_commit(const char *dir, const char *message, Buf *err);

/* ------------------------------------------------------------------ output (output.c, gold_csv.c) */
/* Writes a whole file atomically (temp file + rename); false after reporting to err. */
bool out_write_file(const char *dir, const char *name, const Buf *content, Buf *err);
/* n bytes of p written to fd whole (with pwrite at *at, which moves on, unless at is NULL), a
 * write cut short or interrupted taken up again; false at the first that fails (errno; EIO for a
 * write of nothing). */
bool fd_write_all(int fd, const void *p, size_t n, uint64_t *at);
/* A streaming file writer: buffered, checked. */
typedef struct {
	Buf buf;
	int fd;
	char *path;
	bool failed;
	char *name;		/* in the site, when it is written into the staging folder */
	FileHasher *hash;	/* its bytes so far */
	uint64_t size;
} OutFile;
bool out_open(OutFile *f, const char *dir, const char *name, Buf *err);
void out_flush_if_full(OutFile *f);
void out_flush_over(OutFile *f, size_t n);	/* written on once it holds n bytes */
/* Writes rows [0, n): fn formats a range of them; `threads` threads format blocks of rows at
 * once and write them in order, so the file is the same for any number of threads. */
void out_rows(OutFile *f, size_t n, void (*fn)(void *ctx, size_t from, size_t to, Buf *out), void *ctx,
	      int threads);
bool out_close(OutFile *f, Buf *err);
/* The bytes of the previous site's file name, if it was made from input and is as its manifest
 * says (manifest_old_open), written to f (just opened: nothing in it yet) a block at a time
 * through one small buffer, not read whole into memory; false if not, f then empty again. */
bool out_old_bytes(OutFile *f, const char *dir, const char *name, FileHash input);
/* A hash of rows [0, n) by the bytes fn puts for them, a block of rows at a time on threads:
 * the same whatever the threads (what a file of those rows is made from). */
FileHash out_rows_hash(size_t n, void (*fn)(void *ctx, size_t from, size_t to, Buf *out), void *ctx, int threads);
void out_tidy(const char *out);	/* removes the staging folders killed builds of out left */
/* Creates the staging folder beside out; false after reporting to err. */
bool out_stage(const char *out, char **staging, Buf *err);
/* An existing --out is replaced only if c360 made it (or it holds only what a site keeps: it
 * is empty, or a new git working tree); false after saying why in err. */
bool out_may_replace(const char *out, Buf *err);
bool out_replaceable(const char *out);	/* out_stage would not refuse out (absent, or a site), nor make its folder */
/* The names a site's folder keeps that c360 does not make (the keep setting, names separated by
 * commas): they are moved or linked into each new site, and a folder holding only them may
 * become a site. */
void out_keep(const char *list);
bool out_is_kept(const char *name);	/* name (an entry of --out) is one of out_keep's */
/* Whether the previous site is kept after a swap as out's spare (SPARE_NAME in it), which the
 * next build takes as its staging folder: its files of the same bytes are not made again. */
#define SPARE_NAME ".c360-prev"
void out_spare(bool on);
bool out_has_spare(const char *out);	/* out has a spare a build would take (out_spare on) */
/* A .gitignore of "*" in the folder dirfd: git (c360 publish, the user's own commits) leaves it out. */
bool out_git_ignored(int dirfd);
void out_remove_at(int dirfd, const char *name, bool folder);	/* a file (unless folder), or a folder and all in it */
/* Bounded stack and time whatever a user put into a site (five thousand folders within each
 * other; folders c360 may not empty): how deep a removal goes at once (deeper folders are moved
 * up and emptied from there), and how many folders it opens at most. */
#define EMPTY_DEPTH 64
#define EMPTY_FOLDERS (1L << 22)
DIR *out_opendir_at(int fd);	/* a DIR reading the folder open as fd (which stays open), or NULL */
/* Swaps the staging folder in place of out (keeping out whole on failure), then keeps the
 * previous site as out's spare (out_spare), or removes it on threads. What out held that c360
 * had not made and keep does not name is said in left (a warning; empty if none). */
bool out_commit(const char *out, const char *staging, int threads, Buf *err, Buf *left);
void out_abort(const char *staging);
/* From now on (call it before any thread starts), SIGINT, SIGTERM and SIGHUP remove the staging
 * folder and end the process with 128 + the signal, saying what became of out (which existed
 * before, or not). */
void out_guard(const char *out, bool existed);
/* The signals that stop a build: SIGINT, SIGTERM and SIGHUP, but those ignored (nohup's). */
void out_signals(sigset_t *set);
/* What an interruption now says of out (which existed before the build, or not): serve's
 * builds, each its own. */
void out_guard_set(const char *out, bool existed);
/* The staging folder removed, what became of out said (out_guard_set's), the process ended with
 * 128 + sig: a build interrupted (from a thread that waits for the signals the others block). */
__attribute__((noreturn)) void out_interrupt(int sig);
bool out_mkdir(const char *dir, const char *sub, Buf *err);
/* May c360 write the files `ours` into dir? Yes if dir does not exist or is empty, or holds the
 * marker and nothing but `ours`; with force, always. Else false after saying why in err. */
bool out_claim(const char *dir, const char *marker, const char *const *ours, size_t n, bool force, Buf *err);
/* Opens a regular file to read, refusing at once a FIFO (which would hang), a device or a
 * folder; -1 with *why saying why not. */
int open_regular(const char *path, const char **why);
bool file_read(const char *path, Buf *out, Buf *err);
/* file_read of a template's or theme's file: never through a symbolic link (the project's
 * files are hostile; a link would publish whatever it points at). */
bool file_read_own(const char *path, Buf *out, Buf *err);
bool file_read_head(const char *path, size_t most, Buf *out, Buf *err);	/* file_read's first most bytes */
/* The names in dir ending in suffix (NULL: all), sorted, without dot files; free each and it. */
char **dir_list(const char *dir, const char *suffix, size_t *n, Buf *err);
int strcmp_ptr(const void *a, const void *b);	/* qsort and bsearch of char *: by strcmp */
/* Copies the regular files of from (but skip) into dir/sub; a symbolic link is an error. */
bool out_copy_dir(const char *from, const char *dir, const char *sub, const char *skip, Buf *err);
char *path_join(const char *a, const char *b);
/* path made absolute, without ".", ".." or symbolic links where it exists (a part that does not
 * exist yet is kept as written); the caller frees. */
char *path_resolve(const char *path);
bool is_dir(const char *path);	/* a folder, or a link to one */
bool path_inside(const char *path, const char *dir);	/* both resolved: path is dir or under it */

void csv_field(Buf *b, const char *s, size_t n);	/* RFC 4180 quoting when needed */
void csv_quoted(Buf *b, const char *s, size_t n, bool apostrophe);	/* always quoted, after a ' if apostrophe */
#define UTF8_BOM "\xef\xbb\xbf"	/* starts a CSV file for Excel, which otherwise reads it in the local code page */
bool gold_write(const Gold *g, const Config *cfg, const char *dir, Buf *err);
int config_threads(const Config *c);	/* --jobs, else one per processor */
const char *config_file_of(const Config *c, SourceId id);	/* a source's file name in the data folder, SQL_FILE or NO_FILE */
/* data_quality.csv's rows: the sources', then the SQL tables'. */
void quality_table(Buf *out, const SourceQuality q[SRC_COUNT], const TableQuality *t, size_t nt);
/* `c360 check`'s text; as_of MOMENT_NULL: the cleaning did not finish, only the files are shown. */
void quality_summary(Buf *out, const SourceQuality q[SRC_COUNT], const TableQuality *t, size_t nt, int64_t as_of);
LatestEvent quality_latest_event(const Silver *s);	/* LatestEvent, above Silver */
/* An --as-of the churn window's days or more after the latest event (no order can be in the
 * window), or before every dated fact; without --as-of, a latest event the churn window's days or
 * more after every other (one date typed wrong makes the report's day): the warning's text into
 * b (no "c360: "), true; else false, b untouched. */
bool quality_as_of_warning(const Silver *s, Buf *b);
/* A line per file read, each after prefix: rows read, in silver, flagged, quarantined. */
void quality_lines(Buf *out, const SourceQuality q[SRC_COUNT], const char *prefix);

/* ------------------------------------------------------------------ figures as text (format.c)
 * The one formatter of every output: pages, the edition, the e-mail, the charts, the CSV files.
 * Negative numbers start with '-'; money puts the currency after the sign. */
typedef struct {
	const char *thousands;	/* between groups of three digits; "" for none */
	char decimal;		/* before the decimals: '.' or ',' */
	const char *currency;	/* before money: a symbol (€) or a code (EUR, then a space); "" for none */
	bool lakh;		/* the digits above the last three grouped in twos: 12,34,567 */
} NumFormat;

extern const NumFormat fmt_plain;	/* the CSV files': no separator, no currency */
void fmt_init(NumFormat *f, const Config *cfg);	/* thousands_separator and currency of the config */
void fmt_int(Buf *b, const NumFormat *f, int64_t v);	/* 1,234 */
void fmt_hundredths(Buf *b, const NumFormat *f, int64_t v);	/* 123456 -> 1,234.56 */
void fmt_money(Buf *b, const NumFormat *f, int64_t cents);	/* -€1,234.56 */
void fmt_pct(Buf *b, const NumFormat *f, int64_t hundredths);	/* 12.34% */
void fmt_figure(Buf *b, const NumFormat *f, int kind, int64_t v);	/* by KV_*; KPI_NULL: "–" */
void fmt_change(Buf *b, const NumFormat *f, int kind, int64_t d);	/* +8, -€1.00, +3.33 pts */
void fmt_change_pct(Buf *b, const NumFormat *f, int64_t hundredths);	/* +16.67%, -0.01%; KPI_NULL: "–" */
/* A figure in short, for prose, its suffix saying so: up to 9,999 (money 9,999.99) exact, then
 * one decimal: 20.9 k, €56.5 M, 1.2 bn; rounded half away from zero. Percentages as fmt_pct. */
void fmt_compact(Buf *b, const NumFormat *f, int kind, int64_t v);
/* "3 warnings" (f's digits), of every source's (quality.c): what the dashboard and the edition say
 * of them; returns how many. */
size_t quality_warnings_text(Buf *b, const SourceQuality q[SRC_COUNT], const NumFormat *f);
/* Dates as date.c writes them (buf_date, buf_date_words with the year, date_format), through a
 * thread's table of days: for pages, which write the same days again and again. */
void fmt_date(Buf *b, int64_t days);
void fmt_date_words(Buf *b, int64_t days);
size_t fmt_moment(char *out, int64_t moment, bool with_time);
extern const char digit_pairs[201];	/* "00" to "99": a number below 100 as two digits at 2 * it */
/* An axis writes every tick in one unit, chosen from its top tick, with the decimals its step
 * needs: 0 500 1,000 | 0 5 k 10 k | 0 0.5 M 1.0 M | 0 25% 50%. */
typedef struct {
	double unit;
	int decimals;		/* 0 to 2 */
	const char *suffix;
} AxisFormat;
AxisFormat fmt_axis_for(double top, double step, int kind);
void fmt_axis(Buf *b, const NumFormat *f, const AxisFormat *a, double v);

/* ------------------------------------------------------------------ escaping (escape.c) */
/* Data text as a closed unit for a page: the bidirectional embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) it leaves open closed at its end (U+202C, U+2069), a closer
 * of something opened before it left out, so that it cannot reorder the text around it; text
 * without one as it is. esc_html and esc_markdown do it; text written another way (a JS string,
 * text that others are added to) is given it first. */
void esc_bidi(Buf *b, const char *s, size_t n);
bool has_bidi(const char *s, size_t n);			/* s holds one of those controls */
void esc_html(Buf *b, const char *s, size_t n);		/* text and quoted attributes; C0 controls but tab and
							 * line ends, and DEL, as spaces */
/* The length of the control character at s (C0, DEL, or C1 as UTF-8: U+0080..U+009F), 0 if none:
 * text shown outside a page (the e-mail's text, the PDF) has a space for each, as the pages do
 * for C0 and DEL, so that none reaches a terminal (a backspace, an escape sequence). */
size_t control_len(const char *s, size_t n);
/* Text for c360's messages on a terminal: C0 controls, DEL and bytes that are not UTF-8 as \\xNN,
 * C1 controls (U+0080..U+009F), U+2028, U+2029 and the bidirectional controls (U+202A..U+202E,
 * U+2066..U+2069, U+200E, U+200F, U+061C) as \\uXXXX; with ESC_TERM_BACKSLASH \\ as \\x5c too
 * (a value, whose escapes read back), with ESC_TERM_LINES a tab and a line end kept (a message). */
enum { ESC_TERM_BACKSLASH = 1, ESC_TERM_LINES = 2 };
void esc_terminal(Buf *b, const char *s, size_t n, unsigned flags);
/* Whether the character at s[0..n) (n > 0) reaches a terminal as it is (esc_terminal, no flags);
 * its length (1 for a byte that is not UTF-8) in *len. For where nothing can be allocated. */
bool term_plain(const char *s, size_t n, size_t *len);
void text_shown(Buf *b, const char *s, size_t n);	/* s with a space for each control_len, U+2028 and U+2029 */
void esc_markdown(Buf *b, const char *s, size_t n);	/* literal text in Markdown */
void esc_url(Buf *b, const char *s, size_t n);		/* one URL path segment */
void esc_js(Buf *b, const char *s, size_t n);		/* a quoted JS string, safe in <script> */
void esc_js_html(Buf *b, const char *s, size_t n);	/* ... of HTML in a script file: ' \\ line ends escaped */
/* A pack's runs of markup (esc_js_pack), each listed once: the bodies name them by number. */
typedef struct {
	Buf text;		/* the runs one after another */
	size_t *start;		/* run i is text[start[i], start[i + 1]) (start[0] is 0: cap + 1 of them) */
	size_t *seen_at;	/* where in seen[] run i was last, + 1 (0: not yet) */
	uint64_t *slot;		/* open addressing: the run's hash's high half, then run + 1; 0 if empty */
	uint32_t *seen;		/* the runs the bodies had, one after another */
	bool *ends_tag;		/* run i ends with a > and spaces or line ends (a text may start after it) */
	char (*tok)[8];		/* run i as a body names it: "i,'" (its number, a comma, a text's quote),
				 * their count in tok[i][7]; 0 there for a number of 6 digits or more */
	size_t n, cap, nslots, nseen, seen_cap, body;	/* body: where in seen[] the last body starts */
} PackMarkup;

void pack_markup_reset(PackMarkup *m);	/* a new pack: no runs */
void pack_markup_free(PackMarkup *m);

static inline Str pack_markup_run(const PackMarkup *m, size_t i)
{
	return (Str){m->text.p + m->start[i], m->start[i + 1] - m->start[i]};
}

/* HTML as a JS list of its text, each a single-quoted string as esc_js_html writes it, and its
 * markup (a tag with the tags, spaces and line ends after it), each as the number of its run in
 * m (added when new); joined in order, the list is the HTML (customers/packed/K.js). */
void esc_js_pack(Buf *b, const char *s, size_t n, PackMarkup *m);
void esc_sheet_cell(Buf *b, const char *s, size_t n);	/* a CSV cell no spreadsheet runs */
void id_file_name(Buf *b, const char *id, size_t n);	/* a safe file name for an id */
bool id_name_plain(const char *id, size_t n);	/* id_file_name is the id itself ([a-z0-9_-], 64 bytes) */
size_t utf8_cut(const char *s, size_t n, size_t max);	/* n, or at most max without splitting a character or a grapheme cluster */
/* n, or at most max without splitting a character (an RFC 2047 encoded-word's need) */
static inline size_t utf8_char_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}
/* How many columns s[0..n) takes, as a terminal or a font of fixed width shows it: 2 for a wide
 * (Chinese, Japanese, Korean, full-width) character, 0 for a combining mark, else 1. */
size_t text_columns(const char *s, size_t n);
/* How much of s[0..n) fits in cols columns, cut between grapheme clusters (n if all of it). */
size_t text_columns_cut(const char *s, size_t n, size_t cols);

/* ------------------------------------------------------------------ templates (template.c)
 * Values are what pages are made of; they live in an arena. Templates are Mustache:
 * {{name}} {{name|filter}} {{#section}} {{^inverted}} {{/section}} {{>partial}} {{! comment}},
 * {{=<% %>=}} (other delimiters to the template's end) and {{{raw}}}, which writes only V_RAW values
 * (text c360 made) unescaped. Filters: number,
 * money, pct, date, signed, url. Falsy: null, false, the number 0, "" and empty lists (money,
 * percentages and dates are true unless null). */
typedef enum { V_NULL, V_STR, V_INT, V_MONEY, V_PCT, V_DATE, V_BOOL, V_LIST, V_OBJ, V_RAW } VKind;

typedef struct Value {
	VKind kind;
	bool lists;		/* V_OBJ: one of its items is a list */
	bool aligned;		/* V_RAW: holds no " align=\"" (md_align_classes leaves it as it is) */
	bool plain;		/* V_STR: c360's own text, none of & < > " ' in it (esc_html leaves it as it is) */
	const char *s;		/* V_STR, V_RAW */
	size_t n;		/* length of s, or number of items */
	union {
		int64_t i;	/* numbers: counts, cents, hundredths of a percent, day numbers */
		uint64_t shape;	/* V_OBJ: a hash of its keys' addresses and its items' kinds, in order
				 * (SHAPE_LAZY: not made yet; read it by v_shape) */
	};
	struct Value **items;	/* V_LIST, V_OBJ */
	const char **keys;	/* V_OBJ */
	size_t cap;
} Value;

/* A page makes hundreds of values: the small ones are made inline. */
static inline Value *v_new(Arena *a, VKind kind)
{
	Value *v = arena_alloc(a, sizeof *v);
	*v = (Value){.kind = kind};
	return v;
}
Value *v_str(Arena *a, const char *s, size_t n);	/* NULL s: null */
/* Text from the data for a page: at most max bytes of it (whole characters); a longer value
 * is written with a mark saying how much of it is shown. s is lent: it must outlive the value
 * (the data's text does: it lives as long as the build). */
static inline Value *v_text(Arena *a, const char *s, size_t n, size_t max)	/* inline: ~80 a customer page */
{
	Value *v = v_new(a, s ? V_STR : V_NULL);
	size_t kept = !s ? 0 : n <= max ? n : utf8_cut(s, n, max);
	v->s = s, v->n = kept;	/* lent, not copied */
	v->i = kept < n ? (int64_t)n : 0;	/* the whole length of a value cut short */
	return v;
}
Value *v_cstr(Arena *a, const char *s);
/* Text that outlives the value (c360's own labels, or text in the arena): lent, not copied;
 * NULL: null. */
static inline Value *v_lent(Arena *a, const char *s, size_t n)
{
	Value *v = v_new(a, s ? V_STR : V_NULL);
	v->s = s, v->n = s ? n : 0;
	return v;
}
static inline Value *v_lit(Arena *a, const char *s)
{
	return v_lent(a, s, s ? strlen(s) : 0);
}
Value *v_raw(Arena *a, const char *s, size_t n);
Value *v_raw_lent(Arena *a, const char *s, size_t n);	/* s not copied: it must outlive the value */
static inline Value *v_num(Arena *a, VKind kind, int64_t i)	/* KPI_NULL or MOMENT_NULL: null */
{
	Value *v = v_new(a, i == KPI_NULL || i == MOMENT_NULL ? V_NULL : kind);
	v->i = i;
	return v;
}
static inline Value *v_bool(Arena *a, bool b)
{
	Value *v = v_new(a, V_BOOL);
	v->i = b;
	return v;
}
static inline Value *v_list(Arena *a)
{
	return v_new(a, V_LIST);
}
/* Whether a section shows for v (the templates' rule; site_customers.c's fragments follow it too). */
static inline __attribute__((always_inline)) bool v_truthy(const Value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case V_NULL: return false;
	case V_STR: case V_RAW: return v->n > 0;
	case V_LIST: return v->n > 0;
	case V_INT: case V_BOOL: return v->i != 0;
	default: return true;	/* objects, and money, percentages and dates that are not null */
	}
}
#define SHAPE_SEED 0x9e3779b97f4a7c15u	/* an object with no keys yet */
#define SHAPE_LAZY 0			/* an object whose shape is made when it is first read */
/* An object's shape after one more key and its item's kind (v_set, v_shape_make). */
static inline uint64_t shape_step(uint64_t shape, const char *key, VKind kind)
{
	return (shape ^ ((uintptr_t)key << 4 | kind)) * 0x100000001b3u;
}
static inline Value *v_obj(Arena *a)
{
	Value *v = v_new(a, V_OBJ);
	v->shape = SHAPE_SEED;
	return v;
}
/* An object whose shape is not kept as its keys are set (by v_set_lazy, never v_set) but made
 * when it is first read (v_shape writes it then): for the rows a page makes by the hundred,
 * which only the thread making the page reads; never for one that threads share (the site's),
 * which v_shape would write into as they read it. */
static inline Value *v_obj_lazy(Arena *a)
{
	return v_new(a, V_OBJ);	/* shape SHAPE_LAZY */
}
uint64_t v_shape_make(Value *obj);	/* obj's shape, kept in it */
static inline uint64_t v_shape(const Value *obj)	/* a V_OBJ's shape */
{
	return obj->shape != SHAPE_LAZY ? obj->shape : v_shape_make((Value *)obj);
}
void v_grow(Arena *a, Value *v);	/* room for more items: arena arrays that double when full */
/* A new list or object with room for cap items (more still grow it): no call to v_grow for the
 * first (an object of a page known to hold about so many). */
static inline Value *v_room(Arena *a, Value *v, size_t cap)
{
	v->items = arena_alloc(a, cap * (sizeof *v->items + sizeof *v->keys));
	v->keys = (const char **)(v->items + cap);
	v->cap = cap;
	return v;
}
static inline Value *v_push(Arena *a, Value *list, Value *item)
{
	if (list->n == list->cap)
		v_grow(a, list);
	list->keys[list->n] = NULL;
	list->items[list->n++] = item;
	return item;
}
/* key: a string of the program's (a literal, a static table's), never one made at run time:
 * page_data_check and the template's lookups know shapes by their keys' addresses. An object
 * changes only through v_set (its shape is kept as it is set), and an item's kind never after. */
static inline Value *v_set(Arena *a, Value *obj, const char *key, Value *item)
{
	if (obj->n == obj->cap)
		v_grow(a, obj);
	obj->keys[obj->n] = key;
	obj->items[obj->n++] = item;
	obj->shape = shape_step(obj->shape, key, item->kind);
	obj->lists |= item->kind == V_LIST;
	return item;
}
/* v_set for an object of v_obj_lazy, whose shape is made when it is read: while no key is read,
 * none is hashed. (v_set would hash on from SHAPE_LAZY: a shape of the keys after, not all.) */
static inline Value *v_set_lazy(Arena *a, Value *obj, const char *key, Value *item)
{
	if (obj->n == obj->cap)
		v_grow(a, obj);
	obj->keys[obj->n] = key;
	obj->items[obj->n++] = item;
	obj->shape = SHAPE_LAZY;	/* made again from every key if it was read before */
	obj->lists |= item->kind == V_LIST;
	return item;
}

typedef enum { ESC_MARKDOWN, ESC_HTML } TplEscape;

/* Fragments of HTML c360 made, kept out of the Markdown until it is rendered: in Markdown
 * {{{x}}} writes the placeholder \x02<k>\x03, which no data can contain. */
typedef struct {
	const char **s;
	size_t *len;
	bool *aligned;		/* Value.aligned */
	size_t n, cap;
} RawStash;
typedef struct Template Template;
typedef struct {
	char **name;
	Template **tpl;
	size_t n, cap;
} TplSet;

/* Parses a template; on a syntax error appends "name:line:col: error: ..." to err. */
Template *tpl_parse(const char *name, const char *src, size_t len, Buf *err);
void tpl_free(Template *t);
/* Renders t with data, escaping every value for esc and writing figures by fmt (NULL: plain),
 * adding at most max bytes to out; false after reporting to err (a missing partial, or output
 * past max: rendering stops there). */
bool tpl_render(const Template *t, const Value *data, TplEscape esc, const TplSet *partials, RawStash *raws,
		const NumFormat *fmt, Buf *out, size_t max, Buf *err);
void raw_stash_free(RawStash *r);
/* t's source is src (NUL-terminated), byte for byte. */
bool tpl_source_is(const Template *t, const char *src);
/* v as a tag {{name}} (with day, {{name|day}}) writes it into HTML (formatted by fmt, NULL: plain,
 * then escaped), appended to out; scratch is overwritten. */
void tpl_put_html(Buf *out, Buf *scratch, const Value *v, bool day, const NumFormat *fmt);
/* Where t's top level has its one {{a}} and then its one {{{b}}}, both plain (no filter), when no
 * other tag names either and t has no partial: true, their places among the top level's nodes in
 * hole[0] and hole[1]; t is then the same around them for the same other values. */
bool tpl_holes(const Template *t, const char *a, const char *b, size_t hole[2]);
/* Renders the top-level nodes [from, to) of t (to past the end: to the end), escaped for HTML,
 * with no partials and no limit. */
bool tpl_render_top(const Template *t, size_t from, size_t to, const Value *data, const NumFormat *fmt, Buf *out,
		    Buf *err);

/* A page's values kept apart from its Markdown: tpl_render_slots writes a mark where each value
 * that is not empty goes and keeps the value's text (formatted, not yet escaped) here, so that
 * pages whose Markdown differs only in their values share one cmark run (skeleton.c). */
typedef struct {
	Buf text;		/* the texts, one after another */
	size_t *end;		/* slot k's text is text[k ? end[k - 1] : 0, end[k]) */
	size_t *at;		/* and its place, a "Z", is at[k] in the Markdown */
	size_t n, cap;
} Slots;

/* tpl_render for Markdown, with the values in slots instead. */
bool tpl_render_slots(const Template *t, const Value *data, const TplSet *partials, RawStash *raws,
		      const NumFormat *fmt, Buf *out, size_t max, Slots *slots, Buf *err);
void slots_grow(Slots *s);
static inline __attribute__((always_inline)) void slot_put_inline(Slots *s, Buf *md, const char *text, size_t n)
{
	if (!n)
		return;		/* an empty value writes nothing: the shape shows it */
	if (s->n == s->cap)
		slots_grow(s);
	s->at[s->n] = md->len;
	buf_putc(md, 'Z');	/* a stand-in: the skeleton writes a part's marks, numbered, where they are */
	buf_put_inline(&s->text, text, n);
	s->end[s->n++] = s->text.len;
}
static inline void slot_put(Slots *s, Buf *md, const char *text, size_t n)	/* a value's place in md, its text kept */
{
	slot_put_inline(s, md, text, n);
}
void slots_free(Slots *s);
/* {{name}} (raw: {{{name}}}) with value v in a Markdown template rendered with slots, as
 * tpl_render_slots writes it: a slot of the value's text (formatted where the slot keeps it),
 * or a raw value's placeholder. */
void tpl_put_slot(Buf *md, Slots *slots, RawStash *raws, const Value *v, bool raw, const NumFormat *fmt);

/* What each page's template can use (site_vars.c): the one table of page variables. */
typedef enum { T_TEXT, T_NUMBER, T_MONEY, T_PCT, T_DATE, T_BOOL, T_HTML, T_LIST } VarType;
typedef struct PageVar {
	const char *name;	/* NULL ends a list of variables */
	VarType type;
	const struct PageVar *fields;	/* T_LIST: the fields of its items; NULL for a list of text */
	const char *doc;
} PageVar;
typedef struct {
	const char *tpl;	/* templates/TPL.md; NULL ends page_defs */
	const char *file;	/* the pages it makes */
	const PageVar *vars;	/* besides the global ones */
	const char *doc;
#define PAGE_FRAGMENTS 3
	const char *fragments[PAGE_FRAGMENTS];	/* templates/FRAGMENT, rendered with the page's data; NULL ends */
} PageDef;
extern const PageDef page_defs[];
extern const PageDef page_layout;	/* the theme's layout.html */
extern const PageDef page_own;	/* templates/pages/NAME.md: a page of the project's own, NAME.html */
extern const PageVar *const page_globals_vars;	/* every page has them */
const PageDef *page_def(const char *tpl);
const PageVar *page_var(const PageVar *vars, const char *name, size_t n);
/* Shapes of page data that passed page_data_check: hashes of an object's keys and its values'
 * kinds (open addressing; 0 is empty). */
typedef struct {
	uint64_t *h;
	size_t n, cap;
} ShapeSet;
void shape_set_free(ShapeSet *s);
/* The data of a page is exactly its variables and the global ones, each of its type; false after
 * saying what differs in err (a defect of c360, not of the input). With seen, an object of a
 * shape in it has only its lists' items checked, and one that passes is added to it; and not
 * deep, data of a shape in it is not looked at further (its items are, on other pages). */
bool page_data_check(const PageDef *page, const Value *data, const char *path, ShapeSet *seen, bool deep, Buf *err);
void page_vars_doc(Buf *out);	/* c360 help templates: docs/templates.md */
/* The Mustache spec's cases c360 does not pass on purpose, by spec file ("interpolation") and case
 * name, and why; c360 help templates lists them, and tests/mustache/spec.c skips them (as_html:
 * it checks that the case passes with the data's text as HTML c360 made). NULL ends. */
typedef struct {
	const char *file, *name, *why;
	bool as_html;
} TplDeviation;
extern const TplDeviation tpl_deviations[];
/* Every tag of t (and of the partials it includes) names a variable the page has, used as its
 * type allows; false after appending "template:line:col: error: ..." to err for each that does not. */
bool tpl_check(const Template *t, const PageDef *page, const TplSet *partials, Buf *err);
const Value *v_find(const Value *obj, const char *key);	/* the value of key in obj, or NULL */

/* ------------------------------------------------------------------ Markdown (markdown.c) */
void md_init(void);	/* once, before threads */
/* Renders Markdown (safe mode: no raw HTML, no dangerous links) with GFM tables to out,
 * putting the stashed fragments back; cmark's memory comes from arena. */
void md_render(const char *md, size_t n, const RawStash *raws, Arena *arena, Buf *out);
void md_html(const char *md, size_t n, Arena *arena, Buf *out);	/* cmark's HTML, as it comes */
/* The text a reader sees of a heading's text in Markdown (# text): **VIP** &amp; co as VIP & co,
 * its HTML dropped (a page's <title>, escaped there as any text). */
void md_heading_text(const char *text, size_t n, Buf *out);
void md_align_classes(char *html, size_t n);	/* align="..." (HTML4) as class="..." */
/* Where a scan of cmark's HTML is, a byte at a time (html_at_step with each byte from start to
 * end): inside a tag, inside one of its quoted attribute values (and which), how deep in code. */
typedef struct {
	bool tag;
	const char *value;	/* the attribute value's start, NULL outside one */
	bool url;		/* the value is an href or src */
	int code;
} HtmlAt;
void html_at_step(HtmlAt *h, const char *p, const char *start, const char *end);
static inline bool html_at_text(const HtmlAt *h)	/* in text, outside code: where HTML may go */
{
	return !h->tag && !h->value && h->code <= 0;
}

/* Compiled pages (skeleton.c): the HTML of a page's shape (its Markdown with marks for values,
 * tpl_render_slots) is made by cmark once and cut at the marks; a page of a known shape is that
 * HTML with each value put in, escaped as cmark would. A shape where a value could change what
 * cmark makes of the Markdown is not compiled, and neither is a value that would: such pages
 * go through cmark whole. Each thread keeps its own cache of shapes. */
typedef struct SkelCache SkelCache;
/* The page's HTML as md_render makes it of the Markdown the slots stand for. cache NULL: every
 * page through cmark. */
void skel_render(SkelCache *cache, const Buf *md, const Slots *slots, const RawStash *raws, Arena *arena,
		 Buf *scratch, Buf *out);
/* skel_render of a page with a long table (site.c): the table a row at a time; false (nothing
 * written) if the page has none that can be. */
bool skel_render_rows(SkelCache *c, const Buf *md, const Slots *s, const RawStash *raws, Arena *arena, Buf *scratch,
		      Buf *out);
SkelCache *skel_new(size_t max_bytes);	/* shapes up to max_bytes; then new ones go through cmark */
void skel_free(SkelCache *c);
void skel_stats(const SkelCache *c, uint64_t *filled, uint64_t *through_cmark, size_t *shapes);
void tpl_set_add(TplSet *s, const char *name, Template *t);	/* s owns t */
const Template *tpl_set_get(const TplSet *s, const char *name, size_t n);
/* The Markdown after "# " of t's first line if it is a heading of level 1 without tags ("# VIP
 * customers ##": "VIP customers ##"); empty if not: a page's title (templates/pages/NAME.md), as
 * md_heading_text reads it. */
Str tpl_title(const Template *t);
void tpl_set_free(TplSet *s);
bool tpl_set_includes(const TplSet *s, const char *name);	/* a template of s has {{>name}} */

/* ------------------------------------------------------------------ charts (chart.c)
 * A chart is described once, laid out once (scales, ticks, bars, lines, labels), then drawn
 * to SVG for the site (CSS classes for colours, <title>/<desc>, a data table) or with
 * Cairo to PNG and PDF. */
typedef enum { CHART_BARS, CHART_TREND } ChartKind;

typedef struct {
	const char *name;
	const int64_t *v;	/* one per category, in its axis' KV_* units (cents...); KPI_NULL: none */
	bool line;		/* a line through the categories, else bars */
	bool right;		/* on the right-hand axis (trend charts) */
} ChartSeries;

typedef struct {
	const char *id;		/* unique on its page: [a-z0-9-] */
	const char *title, *desc, *cat_title;
	const char *axis_title, *axis_title_right;	/* trend charts: what the values are ("Valid orders") */
	ChartKind kind;
	int format, format_right;	/* KV_* of the left and right axes */
	const NumFormat *fmt;	/* how its labels write numbers */
	size_t ncat;
	const char *const *cat;	/* the categories' names: bar labels, hover titles, the data table */
	const int64_t *week;	/* trend charts: each category's Monday, for the axis (Mar 4) */
	bool partial_last;	/* trend charts: the last week is not over (lighter, dashed, "to date") */
	const char *const *link;	/* where a click on a category goes, from the page (NULL: nowhere) */
	bool stacked;		/* bar charts: the series end to end, their total after them */
	size_t nseries;
	ChartSeries series[4];
	const uint32_t *colours;	/* the series' 4 colours in PNG and PDF, 0xRRGGBB (NULL: c360's) */
} Chart;

typedef struct ChartPlot ChartPlot;
#define CHART_WIDE 560.0	/* the width of the site's, the PDF's and the e-mail's charts */
#define CHART_NARROW 360.0	/* of the site's on a phone */
ChartPlot *chart_layout(const Chart *c, double width);
/* <figure> with the wide and the narrow SVG (CSS shows one), a hover title and link per category,
 * and the data table. */
void chart_svg(const Chart *c, const ChartPlot *wide, const ChartPlot *narrow, Buf *out);
/* The chart in words, for a reader that cannot see it (the PDF's /Alt): its title, then each
 * category with its figures (a bar chart's few), else what it shows (a trend's 52 weeks). */
void chart_words(const Chart *c, Buf *b);
struct _cairo;
void chart_draw(const ChartPlot *p, struct _cairo *cr);	/* in a width x height box at the origin */
/* The chart as a PNG, twice the size: the previous site's file name when the pixels drawn and
 * the encoder (salt: c360 and the settings; libpng's and zlib's versions) are those it was
 * encoded from (manifest_old_bytes: listed in .c360-inputs), else encoded; either way listed
 * so for the next build when dir is the staging folder. False, with why it could not (out of
 * memory, Cairo's or libpng's failure) in why, if it could not. */
bool chart_png(const ChartPlot *p, Buf *out, const char *dir, const char *name, FileHash salt, Buf *why);
/* A sparkline: a small SVG line through n (at most 64) values, NAN leaving a gap, the last point
 * marked, each point's tips[i] shown on hover; label says what it shows to screen readers. */
void chart_sparkline(Buf *b, const double *v, const char *const *tips, size_t n, const char *label);
double chart_width(const ChartPlot *p);
double chart_height(const ChartPlot *p);
void chart_plot_free(ChartPlot *p);
extern const uint32_t chart_colours_default[4];	/* the default theme's light --s0..--s3 */
/* The charts' series colours as a theme's CSS (css[0, n), read from name) sets them for light
 * pages: --s0..--s3 in its top-level :root rules, not in @media (the dark and print colours) nor
 * any other at-rule, the last of each winning as in the cascade, written #rgb or #rrggbb (then
 * perhaps !important). colour[k] is left as it is for a property not set so; one set otherwise
 * (var(), rgb()) is a warning appended to warn, "name:LINE:COL: warning: ...". */
void chart_css_colours(const char *css, size_t n, const char *name, uint32_t colour[4], Buf *warn);

/* ------------------------------------------------------------------ the report's charts (chart_set.c)
 * Described from the gold model, laid out and drawn to PNG once: the dashboard shows them as
 * SVG, the edition draws them into its PDF and attaches the PNGs to the e-mail. */
typedef struct {
	const char *key;	/* the page's template variable: "chart_orders" */
	Chart chart;
	ChartPlot *plot, *narrow;	/* CHART_WIDE and CHART_NARROW */
	bool dashboard;		/* on the dashboard and in the edition; else on the quality page */
	Buf png;
} ReportChart;

typedef struct {
	ReportChart *c;		/* in the dashboard's order */
	size_t n, cap;
	Arena arena;		/* their labels and values */
	uint32_t colours[4];	/* the series' in PNG and PDF: theme_chart_colours */
} ChartSet;

/* false after reporting to err a chart that cannot be drawn; chart_set_free it all the same.
 * dir: the staging folder, whose previous site's PNGs drawn from the same pixels are taken
 * (chart_png). A dashboard chart's character no font has is said in warn (text_boxed). */
bool chart_set_make(ChartSet *set, const Gold *g, const Config *cfg, const NumFormat *fmt, const char *dir, Buf *warn,
		    Buf *err);
void chart_set_free(ChartSet *set);
/* The charts' series colours in PNG and PDF: chart_css_colours of the theme's style.css (none,
 * or one that cannot be read: c360's), its warnings appended to warn. */
void theme_chart_colours(const Config *cfg, uint32_t colour[4], Buf *warn);

/* ---- text drawn by Cairo in the charts and the PDF (text.c): shaped, in the order it reads,
 * each character from a font that has it */
enum { TEXT_LEFT, TEXT_CENTRE, TEXT_RIGHT };
/* text (UTF-8, as text_shown leaves it: no control nor line separator, Pango would start a line
 * there) with its baseline at y, starting, centred or ending at x, size units high; returns how
 * wide it is. */
double text_show(struct _cairo *cr, double x, double y, double size, bool bold, int align, const char *text);
double text_measure(struct _cairo *cr, double size, bool bold, const char *text);	/* as text_show draws it */
/* The fonts found and read now, while one thread runs, and kept: a chart drawn beside threads
 * that may have taken the memory then finds them ready (fontconfig crashed where an allocation
 * failed, under ulimit -v). False, said in err, where the address space left is too little for
 * them (Pango would end the process). */
bool text_fonts_load(Buf *err);
/* Whether a text drawn since the last call had a character no installed font has (drawn as
 * a box): if warn, a warning naming file, the first such character and its text. */
bool text_boxed(Buf *warn, const char *file);

/* ------------------------------------------------------------------ the site (site*.c) */
/* Everything made from gold, into dir (render.c): the gold tables, the charts, the site and
 * the weekly edition beside it; false after reporting to err what a single thread would have
 * reported, in its order, whatever the threads. */
bool render_gold(const Gold *g, const Config *cfg, const char *dir, Buf *err);
/* The weekly edition (edition.c): weekly/report.pdf, weekly/email.eml and weekly/email.html. */
struct PagePlan;	/* the site's: where the customers at churn risk have their pages */
bool edition_write(const Gold *g, const Config *cfg, const ChartSet *charts, const struct PagePlan *plan, const char *dir,
		   Buf *err);
/* The week in one paragraph, written from the KPIs and their changes (noise: kpi_trend's). */
void report_summary(Buf *b, const Gold *g, const NumFormat *fmt, int64_t noise);
/* The most used payment method's name, or those tied at it ("Credit Card and UPI"; three, then how
 * many more), controls blanked and bidi closed; how many are tied (0: no successful payment). */
size_t top_methods(Buf *b, const Gold *g);

/* What the edition's PDF (edition_pdf.c) and e-mail (edition_mail.c) show, as text made once. */
#define EDITION_AT_RISK 10	/* the customers at churn risk it names */
typedef struct {
	const char *name;
	char now[48], before[48], change[48], change_pct[32];
	int tone;		/* KpiTrend's: 1 good news, -1 bad, 0 neither */
} EditionKpi;
typedef struct {
	char name[96], id[64], segment[16], value[48], last_order[16], open[32];	/* open: open_tickets, 1,234 */
	uint32_t open_tickets;
	char page[160];		/* customers/xx/ID.html, customers/view.html?id=ID; "": no page */
} EditionCustomer;
typedef struct {
	const Gold *g;
	const Config *cfg;
	const ChartSet *charts;
	NumFormat fmt;
	char as_of[32];		/* Mar 11, 2024 */
	EditionKpi kpi[K_COUNT];	/* the cards' first, in their order, then the others */
	EditionCustomer at_risk[EDITION_AT_RISK];
	size_t nat_risk;
	char at_risk_title[96];	/* their heading: how many of how many */
	char at_risk_none[96];	/* what stands for the list when it is empty: none, or no data */
	Buf summary;
	char *title;		/* the report's, a closed unit (esc_bidi): an override it opens ends with it */
	char *site;		/* the dashboard's address (site_url), or NULL */
} Edition;
/* weekly/report.pdf into out; false after reporting to err. */
bool edition_pdf(const Edition *e, Buf *out, Buf *err);
/* The e-mail's HTML (preview: for weekly/email.html, its pictures from ../charts/) and its text. */
void edition_mail_html(const Edition *e, Buf *b, bool preview);
void edition_mail_text(const Edition *e, Buf *b);
/* weekly/email.eml: the text and the HTML as alternatives, the charts inline, the PDF attached. */
void edition_eml(const Edition *e, const Buf *text, const Buf *html, const Buf *pdf, Buf *m);
/* NULL if list is the mailboxes of an e-mail header (one: just one), else why not, *at the
 * offset of the mailbox that is not one. */
const char *mail_addresses_check(const char *list, bool one, size_t *at);

/* The customer_pages mode in force for n customers (never PAGES_AUTO); with why, the summary's
 * words for it: "packed (1,000,000 customers > 200,000; set customer_pages to change)". */
int customer_pages_mode(const Config *cfg, size_t n, Buf *why);
/* Which customers have a page, and where (site_customers.c). */
typedef struct PagePlan {
	int mode;		/* PAGES_* in force */
	uint32_t top;		/* PAGES_TOP: pages for the customers of places 0 to top - 1 */
	uint32_t *rank;		/* PAGES_TOP: each customer's place by lifetime value */
	uint32_t packs;		/* PAGES_PACKED: how many packed/K.js files (a power of two) */
	uint64_t *twin;		/* customers whose page name is another's: row << 32 | its number (2, 3...), by row */
	size_t ntwin;
} PagePlan;

/* A customer page's fragments that c360 may write itself (site_customers.c builtin_fragment). */
typedef enum { FRAG_ACTIVITY, FRAG_LIFECYCLE, FRAG_STRIP, FRAG_COUNT } Fragment;
void page_plan_init(PagePlan *p, const Gold *g, const Config *cfg);
void page_plan_free(PagePlan *p);
/* Appends customer c's page from the root (customers/xx/NAME.html or customers/view.html?id=ID);
 * false, appending nothing, if c has no page. */
bool customer_url(const PagePlan *p, const Gold *g, uint32_t c, Buf *b);

typedef struct Site {
	const Gold *g;
	const Config *cfg;
	const ChartSet *charts;
	NumFormat fmt;
	const char *dir;	/* the staging folder */
	Buf *err;
	int threads;
	bool cmark_every_page;	/* no compiled pages (C360_RENDERER=cmark): to compare */
	bool check_every_page;	/* every page's data checked whole (C360_CHECK_PAGES=1: the tests) */
	TplSet tpl;		/* templates/NAME.md by NAME */
	Template *layout;	/* the theme's layout.html */
	size_t layout_hole[2];	/* where its {{title}} and {{{body}}} are, if layout_cut (tpl_holes) */
	bool layout_cut;
	FileHash page_salt;	/* what every page is made from besides its values (manifest_settings) */
	/* why an optional fact source has no data (source_why: "payments.csv is missing"), empty if it
	 * was read: a customer's page says so in its section, not "No payments." */
	Buf source_why[SRC_COUNT];
	PagePlan plan;		/* which customers have a page */
	FileHash *label_hash[SRC_COUNT][3];	/* fact column f's texts hashed, by label number (site_customers.c) */
	/* each customer's facts of a source hashed (facts_input), by customer row: taken from the
	 * cache (.c360-cache/facts-NAME) or filled as the pages are made; NULL: made with each page */
	FileHash *facts_hash[SRC_COUNT];
	bool facts_fill[SRC_COUNT];	/* filled as the pages are made, then cached */
	/* a grown source's facts_hash, the previous build's: by customer row, 1 for a customer whose
	 * facts are hashed again (one of the new rows is theirs), 0 for one whose hash is kept; NULL:
	 * none kept (each customer's facts hashed, or each kept) */
	uint8_t *facts_grown[SRC_COUNT];
	bool label_dict_len[SRC_COUNT][3];	/* fact column f's texts are its labels, none holding a NUL (site_customers.c) */
	bool builtin[FRAG_COUNT];	/* the customer page's fragment's template is c360's (site_customers.c) */
	bool builtin_md;	/* ... and its Markdown template (customer.md) */
	bool detail_plain[SRC_COUNT];	/* an activity line of the source holds none of & < > " ' (site_customers.c) */
	bool detail_bidi[SRC_COUNT];	/* ... a label with a bidirectional control (closed: esc_bidi) */
} Site;

/* The values customer.md uses, by place (customer_md_slots): then for orders, payments, tickets and
 * sessions in turn, the list of rows, their count and how many more (CMD_LIST, CMD_COUNT_OF,
 * CMD_MORE after CMD_FACTS + 3 * k). */
enum {
	CMD_TITLE, CMD_ID, CMD_IN_CRM, CMD_STRIP, CMD_EMAIL, CMD_GENDER, CMD_DOB, CMD_LOCATION, CMD_VALID_ORDERS,
	CMD_AVERAGE_ORDER, CMD_PAYMENT_METHOD, CMD_CHANNEL, CMD_ACTIVITY, CMD_LIFECYCLE, CMD_MOBILE, CMD_WEB, CMD_OTHER,
	CMD_SESSIONS_TIMED, CMD_PAYMENTS_WHY, CMD_TICKETS_WHY, CMD_SESSIONS_WHY, CMD_FACTS, CMD_COUNT = CMD_FACTS + 12
};
enum { CMD_LIST, CMD_COUNT_OF, CMD_MORE };

/* What one thread needs to render pages; the arena holds one page's values. */
typedef struct {
	Arena arena;
	Buf md, html, page, err, scratch;
	Buf frag[PAGE_FRAGMENTS];	/* the page's fragments, lent to its values */
	int nfrags;			/* of them made for the page being made */
	RawStash raws;
	Slots slots;
	SkelCache *skel;	/* the shapes this thread's pages had */
	ShapeSet checked;	/* the shapes of values page_data_check passed */
	uint32_t pages;		/* pages begun: the data of one in CHECK_EVERY is checked whole */
	bool undated;		/* a customer's page: no edition-wide value (the as-of date) */
	bool same_globals;	/* its pages' globals differ only in title and root (customer pages): */
	Buf cut[4];		/* the layout made once for each root, before the title, between it and
				   the body, after the body, and the root it was made for */
	bool cut_made;
	/* the page's Markdown and slots written by customer_md_slots with md_values when its data
	   is md_for (page_body, once), not by the engine */
	const Value *md_values[CMD_COUNT];
	const Value *md_for;
} PageWork;

#define CELL_MAX 256	/* bytes of a value shown in a table, a list, a chart or the search */
/* The most of a value a page shows: alone (field_max_bytes), or in a table (CELL_MAX at most). */
static inline size_t shown_max(const Site *site, bool in_table)
{
	size_t max = site->cfg->field_max;
	return in_table && max > CELL_MAX ? CELL_MAX : max;
}

void page_init(PageWork *w);
void page_free(PageWork *w);
/* Renders templates/tpl.md with data for the page at path into w->html (no layout, nothing written). */
bool page_html(const Site *site, PageWork *w, const char *path, const char *tpl, Value *data);
/* Renders templates/tpl.md with data, puts it in the layout and writes dir/path. */
bool page_write(const Site *site, PageWork *w, const char *path, const char *tpl, Value *data);
/* templates/NAME (HTML) rendered with the data of the page at path, as a value the page writes
 * unescaped ({{{key}}}). */
Value *page_fragment(const Site *site, PageWork *w, const char *path, const char *name, Value *data);
/* page_fragment's two halves, for a fragment written by c360's own code (activity_html): the
 * buffer it goes into (data's globals set first; NULL when the page has no fragment's buffer
 * left), then its value once written there. */
Buf *page_fragment_buf(const Site *site, PageWork *w, const char *path, Value *data);
Value *page_fragment_value(PageWork *w, Buf *out);
/* templates/activity.html, lifecycle.html and customer_strip.html as c360 ships them: a site
 * whose fragment is this text has it written by activity_html, lifecycle_html or strip_html (the
 * same bytes as the template engine's), not rendered. */
extern const char activity_builtin[], lifecycle_builtin[], strip_builtin[];
/* templates/customer.md as c360 ships it, and what tpl_render_slots writes of it (Markdown with
 * slots, the fragments stashed in raws) with the data whose values v holds (by their places:
 * CMD_*; rows as a customer's page has them: id, date, line and the fact table's columns);
 * false (with some of it written) if a value is of a kind it leaves to the engine. */
extern const char customer_md_builtin[];
bool customer_md_slots(const Value *const v[CMD_COUNT], const NumFormat *fmt, Buf *md, Slots *slots, RawStash *raws);
/* days, as a customer's page has them (each day's day, date and events, each event's time,
 * kind, id, detail and open, set in that order), as activity_builtin renders them with fmt,
 * every value escaped for HTML as the engine escapes it; appended to out (scratch overwritten). */
void activity_html(const Value *days, const NumFormat *fmt, Buf *scratch, Buf *out);
/* The lifecycle (first_seen, and stages as a customer's page has them: each stage's stage, done,
 * first, latest, count and noun, set in that order) as lifecycle_builtin renders them. */
void lifecycle_html(const Value *first_seen, const Value *stages, const NumFormat *fmt, Buf *scratch, Buf *out);
/* The strip of figures, of the page's lifetime_value, last_order, last_seen, open_tickets,
 * tickets_count, valid_orders and tickets_why values, as strip_builtin renders them. */
void strip_html(const Value *const v[7], const NumFormat *fmt, Buf *scratch, Buf *out);
/* The site's templates and theme loaded (shard 0: its assets copied) into *site, whose err is
 * err; false after reporting to err. site_close it all the same. Its pages may then be written
 * on any threads, each with a Site of its own err (a copy). */
bool site_open(Site *site, const Gold *g, const Config *cfg, const ChartSet *charts, const char *dir, Buf *err);
/* The templates and the theme's layout loaded and checked as site_open does (before the data is
 * read). */
bool site_templates_check(const Config *cfg, Buf *err);
void site_close(Site *site);
bool site_shared(Site *site);	/* the dashboard, the quality page, the segments and the lists */
bool site_dashboard(Site *site);
bool site_quality(Site *site);
bool site_segments(Site *site);
/* The segments in the order of their rules (name, slug, rule, customers, share, lifetime_value),
 * each with its most valuable customers' customer_rows as its page lists them (rows, shown):
 * segments/index.html's and a page of the project's own's. */
Value *segment_list(const Site *site, Arena *a);
bool site_lists(Site *site);
/* customers/: a page per customer (or the packs and their viewer), on the site's threads. */
bool site_customer_pages(Site *site);
/* customers/search/ and customers/index.html. */
bool site_customer_index(Site *site);
void search_fold(const char *s, size_t n, Buf *out);	/* accents off, lower case: as search.js folds a query */
/* n search tokens and their values put in the word files' order, in place (by the tokens' bytes,
 * then by value): the index's sort, for its test. */
void search_order(char **tokens, uint32_t *values, size_t n);
void customer_page_path(Buf *b, const PagePlan *p, uint32_t c, const RowHead *customer);	/* customers/xx/NAME.html */
unsigned customer_folder(const RowHead *customer);	/* xx: 0 to 255, from a hash of the id */
/* Whether a run writes the pages of a customer folder: shard K of N writes the folders f with
 * f % N = K; shard 0 writes everything else besides. */
static inline bool shard_has(const Config *cfg, unsigned folder)
{
	return cfg->shards <= 1 || (int)(folder % (unsigned)cfg->shards) == cfg->shard;
}
/* The customer lists a KPI card opens (site_lists.c): a sortable page and a CSV each. */
enum { LIST_CHURN, LIST_OPEN, LIST_COUNT };
typedef struct {
	const char *slug;	/* the page SLUG.html and the list SLUG.csv, at the site's root */
	const char *var;	/* its rows among a page of the project's own's variables */
	const char *title;	/* "Churn risk" */
	const char *noun, *noun_one;	/* "customers at churn risk"; "customer at churn risk", for one */
	const char *rule;	/* who is on it */
	int kpi;		/* the card that opens it */
} CustomerListDef;
extern const CustomerListDef customer_list_defs[LIST_COUNT];
const uint32_t *customer_list(const Gold *g, int list, size_t *n);
/* The customer_rows its page shows (the first 500), *shown how many. */
Value *customer_list_rows(const Site *site, Arena *a, int list, size_t *shown);
/* dir/path: customers as CSV for spreadsheets (a UTF-8 BOM, no cell a formula); false after
 * reporting to the site's err. */
bool customer_csv(const Site *site, const char *path, const uint32_t *rows, size_t n);
/* Table rows for customers: name, id, email, location, segment, lifetime value, valid orders, last
 * order, days since it, tickets, open tickets, url (from the root). */
Value *customer_rows(const Site *site, Arena *a, const uint32_t *customers, size_t n);
/* The customer_rows of the customers of highest lifetime value (the 100 customers/index.html
 * lists, and a page of the project's own), *n how many. */
Value *top_customers(const Site *site, Arena *a, size_t *n);

/* ------------------------------------------------------------------ preview server (serve.c) */
typedef struct {
	const char *bind;	/* an IPv4 address to listen on */
	unsigned port;		/* 0: any free port (the one taken is printed) */
	int (*build)(void *ctx);	/* builds the site afresh, configuration included; 0 on success */
	void *ctx;
	const Config *cfg;	/* in force after each build: --out, and the folders to watch */
	const bool *unchanged;	/* after a build that succeeded: it found the site up to date (NULL: never) */
} ServeOptions;
/* Builds, then serves cfg->out_dir and rebuilds when a source changes, until SIGINT or
 * SIGTERM. Returns the exit status: 0 when stopped, 1 if the first build or the server failed. */
int serve(const ServeOptions *so);
bool serve_path(const char *url, char *out, size_t cap);	/* a request path -> a file of the site */
const char *serve_content_type(const char *name);

/* ------------------------------------------------------------------ generate.c */
/* Writes synthetic exports into out, which must be new, empty, or written by generate before
 * (unless force). */
bool generate(const char *out, uint64_t customers, uint64_t seed, bool force, Buf *err);

#endif
