/* tz.c — named time zones (IANA tzdata): TZif files (RFC 8536) read from $TZDIR or
 * /usr/share/zoneinfo, and their POSIX TZ footer rule, for UTC offsets and local times. */
#include "c360.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_FILE_MAX (256 << 10)	/* no real zone file comes near: a bigger one is no zone */
#define TZ_UNKNOWN_MAX 256	/* unknown names remembered; past them, each is looked up again */
#define TZ_HOUR 3600
#define TZ_FAR ((int64_t)1 << 60)	/* transitions beyond: none real (zic's "big bang" is -2^59) */

/* A rule date of a POSIX TZ string: Jn (1-365, no February 29), n (0-365) or Mm.w.d. */
typedef struct {
	char kind;		/* 'J', 'n' or 'M' */
	int n, m, w, d;
	int32_t time;		/* local seconds after the day's midnight: -167 to 167 hours */
} TzRuleDate;

struct TzZone {
	char name[TZ_NAME_MAX + 1];	/* "" for a zone tz_parse made */
	bool known;		/* false: an unknown name remembered */
	size_t n;		/* transitions */
	int64_t *at;		/* their UTC instants, strictly ascending */
	int32_t *off;		/* the UTC offset from each on */
	int32_t first_off;	/* before the first (RFC 8536: time type 0) */
	bool footer;		/* a TZ string is there (its std offset holds after the last) */
	bool dst;		/* and it has daylight saving time */
	int32_t std_off, dst_off;	/* seconds east of UTC */
	TzRuleDate start, end;	/* to DST, back to standard time */
	FileHash hash;		/* of the file's bytes */
	struct TzZone *next;
};

/* ---- the POSIX TZ string (RFC 8536 3.3: with its hours to 167 and negative rule times) */

static bool tz_digits(const char **p, int max, int *v)
{
	int n = 0, x = 0;
	while (**p >= '0' && **p <= '9' && n < 4)
		x = x * 10 + (*(*p)++ - '0'), n++;
	if (!n || (**p >= '0' && **p <= '9') || x > max)
		return false;
	return *v = x, true;
}

/* [+-]hh[:mm[:ss]], hours to max, as seconds (a sign of its own). */
static bool tz_hms(const char **p, int max, int32_t *secs)
{
	int sign = **p == '-' ? -1 : 1, h, m = 0, s = 0;
	if (**p == '-' || **p == '+')
		(*p)++;
	if (!tz_digits(p, max, &h))
		return false;
	if (**p == ':' && (++*p, !tz_digits(p, 59, &m)))
		return false;
	if (**p == ':' && (++*p, !tz_digits(p, 59, &s)))
		return false;
	return *secs = sign * (h * 3600 + m * 60 + s), true;
}

/* A zone abbreviation: three or more letters, or <...> of letters, digits, + and -. */
static bool tz_abbr(const char **p)
{
	const char *s = *p;
	size_t n = 0;
	if (*s == '<') {
		for (s++; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '+' ||
			   *s == '-'; s++)
			n++;
		if (*s != '>' || n < 3)
			return false;
		return *p = s + 1, true;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++, n++;
	return n >= 3 && (*p = s, true);
}

static bool tz_rule_date(const char **p, TzRuleDate *r)
{
	*r = (TzRuleDate){.time = 2 * TZ_HOUR};
	if (**p == 'M') {
		r->kind = 'M', ++*p;
		if (!tz_digits(p, 12, &r->m) || r->m < 1 || *(*p)++ != '.' || !tz_digits(p, 5, &r->w) || r->w < 1 ||
		    *(*p)++ != '.' || !tz_digits(p, 6, &r->d))
			return false;
	} else if (**p == 'J') {
		r->kind = 'J', ++*p;
		if (!tz_digits(p, 365, &r->n) || r->n < 1)
			return false;
	} else {
		r->kind = 'n';
		if (!tz_digits(p, 365, &r->n))
			return false;
	}
	if (**p == '/') {
		++*p;
		return tz_hms(p, 167, &r->time);
	}
	return true;
}

/* Reads TZ string s into z; false if it is not one (a DST without its rule included: what it
 * would mean is the reader's guess). An empty string: no rule. */
static bool tz_posix(const char *s, TzZone *z)
{
	if (!*s)
		return true;
	int32_t off;
	if (!tz_abbr(&s) || !tz_hms(&s, 24, &off))
		return false;
	z->footer = true, z->std_off = -off;
	if (!*s)
		return true;
	if (!tz_abbr(&s))
		return false;
	z->dst = true, z->dst_off = z->std_off + TZ_HOUR;
	if (*s != ',') {
		if (!tz_hms(&s, 24, &off))
			return false;
		z->dst_off = -off;
	}
	return *s++ == ',' && tz_rule_date(&s, &z->start) && *s++ == ',' && tz_rule_date(&s, &z->end) && !*s;
}

static bool tz_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day number of rule date r in year y (any year: the footer's rule holds past 2100). */
static int64_t tz_rule_day(const TzRuleDate *r, int y)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t jan1 = date_days(y, 1, 1);
	bool leap = tz_leap(y);
	if (r->kind == 'J')
		return jan1 + r->n - 1 + (leap && r->n >= 60);
	if (r->kind == 'n')
		return jan1 + r->n;
	int64_t first = date_days(y, r->m, 1);
	int wd = (int)(((first + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
	int day = 1 + (r->d - wd + 7) % 7 + 7 * (r->w - 1);
	while (day > mdays[r->m - 1] + (r->m == 2 && leap))
		day -= 7;	/* w = 5: the last such day of the month */
	return first + day - 1;
}

typedef struct {
	int64_t at;		/* UTC */
	int32_t before, after;
	int order;		/* ties: the earlier year's, and a year's start before its end */
} TzTrans;

static int tz_trans_cmp(const void *a, const void *b)
{
	const TzTrans *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* The footer's transitions of the years around year y (each year's two), sorted. */
static void tz_footer_years(const TzZone *z, int y, TzTrans t[6])
{
	for (int k = 0; k < 3; k++) {
		int yy = y - 1 + k;
		t[2 * k] = (TzTrans){tz_rule_day(&z->start, yy) * SECS_PER_DAY + z->start.time - z->std_off, z->std_off,
				     z->dst_off, 2 * k};
		t[2 * k + 1] = (TzTrans){tz_rule_day(&z->end, yy) * SECS_PER_DAY + z->end.time - z->dst_off, z->dst_off,
					 z->std_off, 2 * k + 1};
	}
	qsort(t, 6, sizeof *t, tz_trans_cmp);
}

static int tz_year_of(int64_t t)
{
	int y, m, d;
	date_civil(date_floor_day(t), &y, &m, &d);
	return y;
}

/* ---- offsets */

static int32_t tz_max(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* The offset of instant t (UTC; local: a local time, read by tz_local_to_utc's rule) past the
 * last transition, from the footer's rule. */
static int32_t tz_footer_off(const TzZone *z, int64_t t, bool local)
{
	int32_t off = z->n ? z->off[z->n - 1] : z->first_off;
	if (!z->footer)
		return off;
	if (!z->dst)
		return z->std_off;
	TzTrans tr[6];
	tz_footer_years(z, tz_year_of(t), tr);
	for (int k = 0; k < 6; k++) {
		if (z->n && tr[k].at <= z->at[z->n - 1])
			continue;
		if ((local ? tr[k].at + tz_max(tr[k].before, tr[k].after) : tr[k].at) <= t)
			off = tr[k].after;
	}
	return off;
}

int32_t tz_offset(const TzZone *z, int64_t utc)
{
	if (!z->n || utc >= z->at[z->n - 1])
		return tz_footer_off(z, utc, false);
	size_t lo = 0, hi = z->n;	/* the first transition after utc */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? z->off[lo - 1] : z->first_off;
}

/* A transition counts at a local time from the later of its two wall-clock times on: a time in
 * a gap, or the first of a repeated hour, is read with the offset before it (Python's fold=0). */
static int64_t tz_wall(const TzZone *z, size_t i)
{
	return z->at[i] + tz_max(i ? z->off[i - 1] : z->first_off, z->off[i]);
}

int64_t tz_local_to_utc(const TzZone *z, int64_t local)
{
	int32_t off;
	if (!z->n || local >= tz_wall(z, z->n - 1)) {
		off = tz_footer_off(z, local, true);
	} else {
		size_t lo = 0, hi = z->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (tz_wall(z, mid) <= local)
				lo = mid + 1;
			else
				hi = mid;
		}
		off = lo ? z->off[lo - 1] : z->first_off;
	}
	return local - off;
}

/* ---- TZif (RFC 8536) */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct {
	uint32_t isut, isstd, leap, time, type, chars;
} TzCounts;

/* The header at p (n bytes left): its counts, and the data block's size for times of tsize
 * bytes; false if it is no header or the block passes the end. */
static bool tz_header(const unsigned char *p, size_t n, size_t tsize, TzCounts *c, size_t *block)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0 || (p[4] != 0 && (p[4] < '2' || p[4] > '4')))
		return false;
	*c = (TzCounts){be32(p + 20), be32(p + 24), be32(p + 28), be32(p + 32), be32(p + 36), be32(p + 40)};
	if (c->type == 0 || c->type > 256 || c->chars == 0 || (c->isut && c->isut != c->type) ||
	    (c->isstd && c->isstd != c->type) || c->time > TZ_FILE_MAX || c->leap > TZ_FILE_MAX || c->chars > TZ_FILE_MAX)
		return false;
	uint64_t size = (uint64_t)c->time * (tsize + 1) + (uint64_t)c->type * 6 + c->chars +
			(uint64_t)c->leap * (tsize + 4) + c->isstd + c->isut;
	if (size > n - 44)
		return false;
	return *block = (size_t)size, true;
}

/* The data block at p (after its header) into z; false if a count or an index is out of range
 * or the transitions are not in order. */
static bool tz_block(const unsigned char *p, const TzCounts *c, size_t tsize, TzZone *z)
{
	const unsigned char *types = p + (size_t)c->time * tsize, *ttinfo = types + c->time;
	for (uint32_t k = 0; k < c->type; k++) {
		int32_t utoff = (int32_t)be32(ttinfo + 6 * k);
		if (utoff < -89999 || utoff > 93599 || ttinfo[6 * k + 4] > 1 || ttinfo[6 * k + 5] >= c->chars)
			return false;
	}
	if (c->leap)
		return false;	/* the right/ zones count leap seconds: not POSIX time */
	z->n = c->time;
	z->at = xmalloc((c->time ? c->time : 1) * sizeof *z->at);
	z->off = xmalloc((c->time ? c->time : 1) * sizeof *z->off);
	z->first_off = (int32_t)be32(ttinfo);
	for (uint32_t i = 0; i < c->time; i++) {
		z->at[i] = tsize == 8 ? be64(p + 8 * (size_t)i) : (int32_t)be32(p + 4 * (size_t)i);
		if (types[i] >= c->type || (i && z->at[i] <= z->at[i - 1]) || z->at[i] < -TZ_FAR || z->at[i] > TZ_FAR)
			return false;
		z->off[i] = (int32_t)be32(ttinfo + 6 * types[i]);
	}
	return true;
}

static void tz_clear(TzZone *z)
{
	free(z->at);
	free(z->off);
	z->at = NULL, z->off = NULL, z->n = 0;
}

bool tz_parse(const unsigned char *p, size_t n, TzZone *z)
{
	TzCounts c;
	size_t block;
	memset(z, 0, sizeof *z);
	if (n > TZ_FILE_MAX || !tz_header(p, n, 4, &c, &block))
		return false;
	if (p[4] == 0)	/* version 1: 32-bit data, no footer */
		return tz_block(p + 44, &c, 4, z) || (tz_clear(z), false);
	const unsigned char *v2 = p + 44 + block;
	size_t left = n - 44 - block, block2;
	if (!tz_header(v2, left, 8, &c, &block2) || v2[4] != p[4])
		return false;
	const char *foot = (const char *)v2 + 44 + block2, *stop = (const char *)p + n;
	const char *nl = foot < stop && *foot == '\n' ? memchr(foot + 1, '\n', (size_t)(stop - foot - 1)) : NULL;
	char tzs[128];
	if (!nl || (size_t)(nl - foot - 1) >= sizeof tzs || memchr(foot + 1, '\0', (size_t)(nl - foot - 1)))
		return false;
	memcpy(tzs, foot + 1, (size_t)(nl - foot - 1));
	tzs[nl - foot - 1] = '\0';
	if (!tz_block(v2 + 44, &c, 8, z) || !tz_posix(tzs, z))
		return tz_clear(z), false;
	return true;
}

TzZone *tz_new(void)
{
	return xcalloc(1, sizeof(TzZone));
}

void tz_free(TzZone *z)
{
	if (z)
		tz_clear(z), free(z);
}

/* ---- names and files */

bool tz_name_ok(const char *name, size_t n)
{
	if (n == 0 || n > TZ_NAME_MAX || (n == 9 && memcmp(name, "localtime", 9) == 0))
		return false;	/* localtime: the machine's own zone, which builds elsewhere do not share */
	size_t part = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		if (ch == '/') {
			if (!part)
				return false;	/* a leading /, or // */
			part = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		      ch == '+' || ch == '-'))
			return false;	/* a dot (so no . or .. part), a NUL, a space ... */
		part++;
	}
	return part > 0;
}

/* The zone file's bytes (at most TZ_FILE_MAX) into z; false if it is not a regular file of a
 * zone. */
static bool tz_read(const char *name, TzZone *z)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return false;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	unsigned char *bytes = NULL;
	bool ok = false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= TZ_FILE_MAX) {
		size_t n = (size_t)st.st_size, got = 0;
		bytes = xmalloc(n + 1);
		for (ssize_t r; got <= n && (r = read(fd, bytes + got, n + 1 - got)) != 0;)
			if (r > 0)
				got += (size_t)r;
			else if (errno != EINTR)
				break;
		if (got == n && tz_parse(bytes, n, z)) {	/* and it did not grow as it was read */
			FileHasher *h = file_hasher_new();
			file_hasher_add(h, bytes, n);
			z->hash = file_hasher_end(h);
			ok = true;
		}
	}
	free(bytes);
	close(fd);
	return ok;
}

/* Loaded ones, and unknown names, newest first in the list of their name's hash: never freed. A
 * row's lookup is a bucket's few (a value names any of the machine's thousand-odd zones: one list
 * of them all was walked at each row). */
#define TZ_BUCKETS 1024
static _Atomic(TzZone *) zones[TZ_BUCKETS];
static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t nunknown;

static size_t tz_bucket(const char *name, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h & (TZ_BUCKETS - 1);
}

static TzZone *tz_find(TzZone *z, const char *name, size_t n)
{
	for (; z; z = z->next)
		if (strlen(z->name) == n && memcmp(z->name, name, n) == 0)
			return z;
	return NULL;
}

const TzZone *tz_zone(const char *name, size_t n)
{
	if (!tz_name_ok(name, n))
		return NULL;
	_Atomic(TzZone *) *bucket = &zones[tz_bucket(name, n)];
	TzZone *z = tz_find(atomic_load_explicit(bucket, memory_order_acquire), name, n);
	if (z)
		return z->known ? z : NULL;
	pthread_mutex_lock(&zones_lock);
	TzZone *head = atomic_load_explicit(bucket, memory_order_acquire);
	if (!(z = tz_find(head, name, n))) {
		z = tz_new();
		char copy[TZ_NAME_MAX + 1];
		memcpy(copy, name, n);
		copy[n] = '\0';
		z->known = tz_read(copy, z);
		memcpy(z->name, copy, n + 1);
		if (z->known || nunknown < TZ_UNKNOWN_MAX) {
			nunknown += !z->known;
			z->next = head;
			atomic_store_explicit(bucket, z, memory_order_release);
		} else {
			tz_free(z);
			z = NULL;
		}
	}
	pthread_mutex_unlock(&zones_lock);
	return z && z->known ? z : NULL;
}

const char *tz_name(const TzZone *z)
{
	return z->name;
}

FileHash tz_hash(const TzZone *z)
{
	return z->hash;
}

/* The hash of $TZDIR/tzdata.zi (the whole database as text, which tzdata ships beside the
 * zone files), once a process: what changes when tzdata does. A TZDIR without it (a folder of
 * zone files alone) is hashed whole instead: every file's name and bytes, every symbolic link's
 * name and target, folder by folder in strcmp order (tz_tree_hash). */
static FileHash data_hash;
static pthread_once_t data_hashed = PTHREAD_ONCE_INIT;

static int tz_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void tz_tree_hash(FileHasher *h, const char *dir, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, tz_name_cmp);
	file_hasher_add(h, "[", 1);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[4096], buf[8192];
		struct stat st;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) < sizeof path && lstat(path, &st) == 0) {
			file_hasher_add(h, name, strlen(name) + 1);
			if (S_ISLNK(st.st_mode)) {	/* its target: a file inside is hashed as itself */
				ssize_t k = readlink(path, buf, sizeof buf);
				file_hasher_add(h, "@", 1);
				file_hasher_add(h, buf, k > 0 ? (size_t)k : 0);
			} else if (S_ISDIR(st.st_mode) && depth < 8) {
				tz_tree_hash(h, path, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
				file_hasher_add(h, &st.st_size, sizeof st.st_size);
				for (ssize_t k; fd >= 0 && (k = read(fd, buf, sizeof buf)) != 0;)
					if (k > 0)
						file_hasher_add(h, buf, (size_t)k);
					else if (errno != EINTR)
						break;
				if (fd >= 0)
					close(fd);
			}
		}
		free(names[i]);
	}
	file_hasher_add(h, "]", 1);
	if (n >= 0)
		free(names);
}

static void data_hash_make(void)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	dir = dir && *dir ? dir : "/usr/share/zoneinfo";
	snprintf(path, sizeof path, "%s/tzdata.zi", dir);
	FILE *f = fopen(path, "rb");
	FileHasher *h = file_hasher_new();
	if (!f) {	/* its zone files, which may change with no tzdata.zi to say so */
		tz_tree_hash(h, dir, 0);
		data_hash = file_hasher_end(h);
		return;
	}
	char buf[8192];
	for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
		file_hasher_add(h, buf, n);
	data_hash = file_hasher_end(h);
	fclose(f);
}

FileHash tz_data_hash(void)
{
	pthread_once(&data_hashed, data_hash_make);
	return data_hash;
}

/* Into out, the zone name nearest name in $TZDIR/tzdata.zi's zones and links (cut to fit);
 * false if none is near. */
bool tz_nearest(const char *name, char *out, size_t cap)
{
	const char *dir = getenv("TZDIR");
	char path[4096], line[256];
	snprintf(path, sizeof path, "%s/tzdata.zi", dir && *dir ? dir : "/usr/share/zoneinfo");
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char **names = NULL;
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		char *w = NULL;
		if (line[0] == 'Z' && line[1] == ' ')
			w = line + 2;
		else if (line[0] == 'L' && line[1] == ' ' && (w = strchr(line + 2, ' ')))
			w++;
		if (!w)
			continue;
		w[strcspn(w, " \t\n")] = '\0';
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(w);
	}
	fclose(f);
	const char *near = nearest_word(name, strlen(name), (const char *const *)names, n);
	if (near)
		snprintf(out, cap, "%s", near);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return near != NULL;
}
