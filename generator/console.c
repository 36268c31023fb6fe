/* console.c — what c360 tells its user on standard error: a progress line on a terminal,
 * erased before anything else is written, and messages by how much the user asked to hear. */
#include "c360.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static Verbosity level = SAY_NORMAL;
static bool shown;	/* a progress line is on the terminal */
static Buf *captured;	/* console_capture's, under capture_lock: build threads say things too */
static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;

void console_capture(Buf *b)
{
	pthread_mutex_lock(&capture_lock);
	captured = b;
	pthread_mutex_unlock(&capture_lock);
}

static void capture(const char *s, size_t n)
{
	pthread_mutex_lock(&capture_lock);
	if (captured && captured->len < CAPTURE_MAX)
		buf_put(captured, s, n < CAPTURE_MAX - captured->len ? n : CAPTURE_MAX - captured->len);
	pthread_mutex_unlock(&capture_lock);
}

void console_init(Verbosity v)
{
	level = v;
}

Verbosity console_level(void)
{
	return level;
}

static void erase(void)
{
	if (shown)
		fputs("\r\033[K", stderr);
	shown = false;
}

/* Writes s[0..n) to standard error, and to console_capture's buffer, as a terminal may show it:
 * whatever c360 quotes in it from the data, a file name or the configuration that is not text
 * (a control character, a bidirectional one: esc_terminal) as an escape, its lines kept. */
static void put_err(const char *s, size_t n)
{
	Buf safe = {0};
	esc_terminal(&safe, s, n, ESC_TERM_LINES);
	fwrite(safe.p ? safe.p : "", 1, safe.len, stderr);
	capture(safe.p ? safe.p : "", safe.len);
	buf_free(&safe);
}

void console_write(const char *s, size_t n)
{
	erase();
	put_err(s, n);
}

void console_last(const char *text)
{
	Buf line = {0};
	buf_puts(&line, shown ? "\r\033[K" : "");
	buf_puts(&line, "c360: ");
	esc_terminal(&line, text, strlen(text), 0);
	buf_putc(&line, '\n');
	if (write(STDERR_FILENO, line.p, line.len) < 0)
		line.len = 0;	/* nowhere left to say it */
	buf_free(&line);
}

void say(Verbosity at, const char *fmt, ...)
{
	if (level < at)
		return;
	va_list ap;
	va_start(ap, fmt);
	Buf line = {0};
	buf_puts(&line, "c360: ");
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		buf_grow(&line, (size_t)n + 1);
		vsnprintf(line.p + line.len, (size_t)n + 1, fmt, again);
		line.len += (size_t)n;
	}
	va_end(again);
	buf_putc(&line, '\n');
	erase();
	put_err(line.p, line.len);
	buf_free(&line);
}

void say_lines(Verbosity at, const Buf *lines)
{
	for (const char *line = lines->p, *nl; line && (nl = memchr(line, '\n', lines->len - (size_t)(line - lines->p)));
	     line = nl + 1)
		say(at, "%.*s", (int)(nl - line), line);
}

static double seconds(struct timespec from, struct timespec to)
{
	return (double)(to.tv_sec - from.tv_sec) + (double)(to.tv_nsec - from.tv_nsec) / 1e9;
}

/* With C360_TIMINGS set, the time each stage took (for the benchmark), at any level: the CPU
 * time of every thread, then the wall time (the last figure). */
static void timing(const char *what)
{
	static struct timespec last, last_cpu;
	static char stage[64];
	struct timespec now, cpu;
	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	if (*stage && getenv("C360_TIMINGS")) {
		erase();
		fprintf(stderr, "c360: %-26s cpu %7.3f s, wall %7.3f s\n", stage, seconds(last_cpu, cpu), seconds(last, now));
	}
	last = now, last_cpu = cpu;
	snprintf(stage, sizeof stage, "%s", what);
}

void console_timing(const char *what, double wall)
{
	erase();
	fprintf(stderr, "c360:   %-34s wall %7.3f s\n", what, wall);
}

void console_note(const char *fmt, ...)
{
	if (!getenv("C360_TIMINGS"))
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);	/* a longer note is cut */
	va_end(ap);
	n = n < 0 ? 0 : n < (int)sizeof line - 1 ? n : (int)sizeof line - 2;
	line[n] = '\n', line[n + 1] = '\0';
	erase();
	Buf safe = {0};	/* one write: notes come from several threads */
	buf_puts(&safe, "c360: ");
	esc_terminal(&safe, line, (size_t)n + 1, ESC_TERM_LINES);
	fputs(buf_cstr(&safe), stderr);
	buf_free(&safe);
}

void console_counts(const char *what, const uint64_t *n)
{
	Buf b = {0};
	buf_puts(&b, what);
	buf_putc(&b, ':');
	for (int i = SRC_ORDERS; i < SRC_COUNT; i++)
		buf_printf(&b, "%s %s %llu", i > SRC_ORDERS ? "," : "", source_defs[i].name, (unsigned long long)n[i]);
	console_note("%s", buf_cstr(&b));
	buf_free(&b);
}

void console_progress(const char *what)
{
	timing(what);
	if (level == SAY_QUIET || !isatty(STDERR_FILENO))
		return;
	erase();
	if (*what) {
		Buf safe = {0};
		esc_terminal(&safe, what, strlen(what), 0);
		fprintf(stderr, "c360: %s", buf_cstr(&safe));
		buf_free(&safe);
		shown = true;
	}
	fflush(stderr);
}

/* Edits (insert, delete, replace, swap two neighbours) from a[0..an) to b[0..bn); b at most 64. */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t rows[3][65], *prev2 = rows[0], *prev = rows[1], *row = rows[2];
	for (size_t j = 0; j <= bn; j++)
		prev[j] = j;
	for (size_t i = 1; i <= an; i++) {
		row[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			row[j] = best;
		}
		size_t *t = prev2;
		prev2 = prev, prev = row, row = t;
	}
	return prev[bn];
}

const char *nearest_word(const char *word, size_t n, const char *const *candidates, size_t ncand)
{
	size_t limit = n <= 4 ? 1 : n <= 8 ? 2 : 3, best = SIZE_MAX;
	const char *found = NULL;
	for (size_t i = 0; i < ncand; i++) {
		size_t cn = strlen(candidates[i]);
		if (cn > 64)
			continue;
		size_t d = edit_distance(word, n, candidates[i], cn);
		if (n >= 4 && cn > n && memcmp(candidates[i], word, n) == 0)
			d = 1;	/* the start of a longer name */
		if (d < best && d <= limit)
			best = d, found = candidates[i];
	}
	return found;
}
