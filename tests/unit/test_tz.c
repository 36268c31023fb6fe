/* test_tz.c — named time zones: TZif files and their POSIX TZ footer (tz.c), local times read
 * in a zone (clean.c). Known instants are worked out by hand from the zones' rules; glibc's
 * localtime_r under TZ (its own TZif reader) is the oracle for random instants. */
#include "harness.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t at(int y, int mo, int d, int h, int mi, int s)
{
	return date_days(y, mo, d) * SECS_PER_DAY + h * 3600 + mi * 60 + s;
}

static const TzZone *zone(const char *name)
{
	const TzZone *z = tz_zone(name, strlen(name));
	if (!z)
		fail_msg("zone %s not found: is tzdata installed?", name);
	return z;
}

static char *utc_text(int64_t t)
{
	static char out[32];
	Buf b = {0};
	buf_moment(&b, t);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Local wall time L in zone name is UTC instant want. */
#define LOCAL_IS(name, L, want)                                                                   \
	do {                                                                                      \
		int64_t got_ = tz_local_to_utc(zone(name), (L));                                  \
		CHECK(got_ == (want), "%s: local %s", name, utc_text(L));                         \
		CHECK(got_ == (want), "  is %s UTC", utc_text(got_));                             \
		CHECK(got_ == (want), "  want %s UTC", utc_text(want));                           \
	} while (0)

static void test_known_instants(void **state)
{
	(void)state;
	const char *la = "America/Los_Angeles";
	/* 2024-03-10: clocks go from 02:00 PST (-08:00) to 03:00 PDT (-07:00) */
	LOCAL_IS(la, at(2024, 3, 10, 1, 59, 59), at(2024, 3, 10, 9, 59, 59));
	LOCAL_IS(la, at(2024, 3, 10, 3, 0, 0), at(2024, 3, 10, 10, 0, 0));
	LOCAL_IS(la, at(2024, 3, 10, 2, 30, 0), at(2024, 3, 10, 10, 30, 0));	/* the gap: the offset before, -08:00 */
	LOCAL_IS(la, at(2024, 3, 10, 2, 0, 0), at(2024, 3, 10, 10, 0, 0));
	/* 2024-11-03: 02:00 PDT goes back to 01:00 PST; 01:30 happens twice, the first at -07:00 */
	LOCAL_IS(la, at(2024, 11, 3, 1, 30, 0), at(2024, 11, 3, 8, 30, 0));
	LOCAL_IS(la, at(2024, 11, 3, 0, 59, 59), at(2024, 11, 3, 7, 59, 59));
	LOCAL_IS(la, at(2024, 11, 3, 2, 0, 0), at(2024, 11, 3, 10, 0, 0));
	LOCAL_IS(la, at(2024, 7, 4, 23, 30, 0), at(2024, 7, 5, 6, 30, 0));
	/* past the file's last transition (2037): the footer's PST8PDT,M3.2.0,M11.1.0 */
	LOCAL_IS(la, at(2090, 7, 1, 12, 0, 0), at(2090, 7, 1, 19, 0, 0));
	LOCAL_IS(la, at(2090, 1, 1, 12, 0, 0), at(2090, 1, 1, 20, 0, 0));
	/* 2090: the second Sunday of March is the 12th (March 1 2090 is a Wednesday) */
	LOCAL_IS(la, at(2090, 3, 12, 1, 59, 59), at(2090, 3, 12, 9, 59, 59));
	LOCAL_IS(la, at(2090, 3, 12, 3, 0, 0), at(2090, 3, 12, 10, 0, 0));
	CHECK(tz_offset(zone(la), at(2090, 3, 12, 9, 59, 59)) == -8 * 3600, "2090 before the change");
	CHECK(tz_offset(zone(la), at(2090, 3, 12, 10, 0, 0)) == -7 * 3600, "2090 after the change");
	CHECK(tz_offset(zone(la), at(2024, 3, 10, 9, 59, 59)) == -8 * 3600 &&
		      tz_offset(zone(la), at(2024, 3, 10, 10, 0, 0)) == -7 * 3600,
	      "2024's change at 10:00 UTC");
	/* India: +05:30 all year */
	LOCAL_IS("Asia/Kolkata", at(2024, 6, 1, 12, 0, 0), at(2024, 6, 1, 6, 30, 0));
	LOCAL_IS("Asia/Kolkata", at(2024, 1, 1, 3, 0, 0), at(2023, 12, 31, 21, 30, 0));
	/* Lord Howe: +10:30, and +11:00 from the first Sunday of October (2024-10-06) 02:00 */
	LOCAL_IS("Australia/Lord_Howe", at(2024, 1, 15, 12, 0, 0), at(2024, 1, 15, 1, 0, 0));
	LOCAL_IS("Australia/Lord_Howe", at(2024, 7, 1, 12, 0, 0), at(2024, 7, 1, 1, 30, 0));
	LOCAL_IS("Australia/Lord_Howe", at(2024, 10, 6, 2, 15, 0), at(2024, 10, 5, 15, 45, 0));	/* the half-hour gap */
	LOCAL_IS("Australia/Lord_Howe", at(2090, 7, 1, 12, 0, 0), at(2090, 7, 1, 1, 30, 0));
	LOCAL_IS("Australia/Lord_Howe", at(2090, 12, 1, 12, 0, 0), at(2090, 12, 1, 1, 0, 0));
	/* London: GMT, BST (+01:00) from the last Sunday of March, 01:00 UTC */
	LOCAL_IS("Europe/London", at(2024, 1, 15, 12, 0, 0), at(2024, 1, 15, 12, 0, 0));
	LOCAL_IS("Europe/London", at(2024, 7, 1, 12, 0, 0), at(2024, 7, 1, 11, 0, 0));
	LOCAL_IS("Europe/London", at(2024, 3, 31, 1, 30, 0), at(2024, 3, 31, 1, 30, 0));	/* the gap */
	LOCAL_IS("Europe/London", at(2024, 10, 27, 1, 30, 0), at(2024, 10, 27, 0, 30, 0));	/* the first 01:30 */
	/* Tokyo: +09:00, no DST */
	LOCAL_IS("Asia/Tokyo", at(2024, 6, 1, 9, 0, 0), at(2024, 6, 1, 0, 0, 0));
	LOCAL_IS("Asia/Tokyo", at(2095, 1, 1, 0, 0, 0), at(2094, 12, 31, 15, 0, 0));
	LOCAL_IS("UTC", at(2024, 6, 1, 9, 0, 0), at(2024, 6, 1, 9, 0, 0));
}

/* ---- a TZif file made in memory: n transitions at t to types idx, types of offsets off */

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
	return 4;
}

static uint32_t leaps;	/* leap-second records to write (a right/ zone's), 0 else */

static size_t tzif_block(unsigned char *p, int tsize, const int64_t *t, const uint8_t *idx, size_t n, const int32_t *off,
			 size_t ntypes, char version)
{
	size_t k = 0;
	memcpy(p, "TZif", 4), p[4] = (unsigned char)version, memset(p + 5, 0, 15), k = 20;
	uint32_t counts[6] = {0, 0, leaps, (uint32_t)n, (uint32_t)ntypes, 4};
	for (int i = 0; i < 6; i++)
		k += put32(p + k, counts[i]);
	for (size_t i = 0; i < n; i++) {
		if (tsize == 8)
			k += put32(p + k, (uint32_t)((uint64_t)t[i] >> 32));
		k += put32(p + k, (uint32_t)t[i]);
	}
	if (n)
		memcpy(p + k, idx, n), k += n;
	for (size_t i = 0; i < ntypes; i++)
		k += put32(p + k, (uint32_t)off[i]), p[k++] = 0, p[k++] = 0;
	memcpy(p + k, "XXX", 4), k += 4;
	for (uint32_t i = 0; i < leaps; i++) {	/* 2017-01-01 00:00:00, 27 s */
		if (tsize == 8)
			k += put32(p + k, 0);
		k += put32(p + k, 1483228800u + 26), k += put32(p + k, 27);
	}
	return k;
}

static size_t tzif(unsigned char *p, const int64_t *t, const uint8_t *idx, size_t n, const int32_t *off, size_t ntypes,
		   const char *footer)
{
	size_t k = tzif_block(p, 4, t, idx, n, off, ntypes, '2');
	k += tzif_block(p + k, 8, t, idx, n, off, ntypes, '2');
	p[k++] = '\n';
	memcpy(p + k, footer, strlen(footer)), k += strlen(footer);
	p[k++] = '\n';
	return k;
}

/* A zone of no transitions, one type of offset 0 and this footer; NULL if it is refused. */
static TzZone *footer_zone(const char *footer)
{
	unsigned char buf[512];
	int32_t off = 0;
	size_t n = tzif(buf, NULL, NULL, 0, &off, 1, footer);
	TzZone *z = tz_new();
	if (!tz_parse(buf, n, z)) {
		tz_free(z);
		return NULL;
	}
	return z;
}

static void test_footer_rules(void **state)
{
	(void)state;
	TzZone *z = footer_zone("PST8PDT,M3.2.0,M11.1.0");
	CHECK(z, "PST8PDT's rule");
	CHECK(tz_offset(z, at(2024, 3, 10, 9, 59, 59)) == -8 * 3600 && tz_offset(z, at(2024, 3, 10, 10, 0, 0)) == -7 * 3600,
	      "M3.2.0: the second Sunday of March 2024, 02:00 PST");
	CHECK(tz_offset(z, at(2024, 11, 3, 8, 59, 59)) == -7 * 3600 && tz_offset(z, at(2024, 11, 3, 9, 0, 0)) == -8 * 3600,
	      "M11.1.0: the first Sunday of November 2024, 02:00 PDT");
	CHECK(tz_local_to_utc(z, at(2024, 3, 10, 2, 30, 0)) == at(2024, 3, 10, 10, 30, 0), "a gap in the footer");
	CHECK(tz_local_to_utc(z, at(2024, 11, 3, 1, 30, 0)) == at(2024, 11, 3, 8, 30, 0), "a repeated hour in the footer");
	tz_free(z);
	/* RFC 8536's: DST all year (from Jan 1 00:00 to Dec 31 24:00 + 1 h, the next year's start) */
	z = footer_zone("EST5EDT,0/0,J365/25");
	CHECK(z && tz_offset(z, at(2024, 1, 1, 12, 0, 0)) == -4 * 3600 && tz_offset(z, at(2023, 12, 31, 23, 0, 0)) == -4 * 3600 &&
		      tz_offset(z, at(2024, 7, 1, 12, 0, 0)) == -4 * 3600,
	      "EST5EDT,0/0,J365/25 is -04:00 all year");
	tz_free(z);
	/* Israel's (RFC 8536): the 4th Thursday of March (2024-03-28) at 26:00 = Friday 02:00 +02 */
	z = footer_zone("IST-2IDT,M3.4.4/26,M10.5.0");
	CHECK(z && tz_offset(z, at(2024, 3, 28, 23, 59, 59)) == 2 * 3600 && tz_offset(z, at(2024, 3, 29, 0, 0, 0)) == 3 * 3600,
	      "M3.4.4/26");
	CHECK(z && tz_offset(z, at(2024, 10, 26, 22, 59, 59)) == 3 * 3600 && tz_offset(z, at(2024, 10, 26, 23, 0, 0)) == 2 * 3600,
	      "M10.5.0: the last Sunday of October 2024 (the 27th) at 02:00 +03");
	tz_free(z);
	/* Greenland's: negative times; the last Sunday of March 2024 is the 31st, -1:00 is Saturday 23:00 -02 */
	z = footer_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
	CHECK(z && tz_offset(z, at(2024, 3, 31, 0, 59, 59)) == -2 * 3600 && tz_offset(z, at(2024, 3, 31, 1, 0, 0)) == -1 * 3600,
	      "M3.5.0/-1");
	CHECK(z && tz_offset(z, at(2024, 10, 27, 0, 59, 59)) == -1 * 3600 && tz_offset(z, at(2024, 10, 27, 1, 0, 0)) == -2 * 3600,
	      "M10.5.0/0");
	tz_free(z);
	/* Jn never counts February 29: J60 is March 1 in every year; n does: 59 is Feb 29 in 2024 */
	z = footer_zone("AAA0BBB,J60,J300");
	CHECK(z && tz_offset(z, at(2024, 3, 1, 1, 59, 59)) == 0 && tz_offset(z, at(2024, 3, 1, 2, 0, 0)) == 3600, "J60 in 2024");
	CHECK(z && tz_offset(z, at(2023, 3, 1, 1, 59, 59)) == 0 && tz_offset(z, at(2023, 3, 1, 2, 0, 0)) == 3600, "J60 in 2023");
	tz_free(z);
	z = footer_zone("AAA0BBB,59,300");
	CHECK(z && tz_offset(z, at(2024, 2, 29, 1, 59, 59)) == 0 && tz_offset(z, at(2024, 2, 29, 2, 0, 0)) == 3600, "59 in 2024");
	CHECK(z && tz_offset(z, at(2023, 3, 1, 1, 59, 59)) == 0 && tz_offset(z, at(2023, 3, 1, 2, 0, 0)) == 3600, "59 in 2023");
	tz_free(z);
	/* southern: Lord Howe's half hour, DST over the new year */
	z = footer_zone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
	CHECK(z && tz_offset(z, at(2024, 1, 1, 0, 0, 0)) == 11 * 3600 && tz_offset(z, at(2024, 7, 1, 0, 0, 0)) == 37800,
	      "Lord Howe's rule");
	tz_free(z);
	z = footer_zone("<+0530>-5:30");
	CHECK(z && tz_offset(z, at(2024, 7, 1, 0, 0, 0)) == 19800, "a quoted name and a half hour");
	tz_free(z);
	z = footer_zone("");
	CHECK(z && tz_offset(z, at(2024, 7, 1, 0, 0, 0)) == 0, "an empty footer: the last type");
	tz_free(z);
	/* Europe/Dublin's negative DST: IST +01 in summer, GMT in winter */
	z = footer_zone("IST-1GMT0,M10.5.0,M3.5.0/1");
	CHECK(z && tz_offset(z, at(2024, 7, 1, 0, 0, 0)) == 3600 && tz_offset(z, at(2024, 1, 1, 0, 0, 0)) == 0, "Dublin's");
	tz_free(z);
	const char *bad[] = {"PST8PDT", "PST8PDT,M3.2.0", "PST8PDT,M13.2.0,M11.1.0", "PST8PDT,M3.6.0,M11.1.0",
			     "PST8PDT,M3.2.7,M11.1.0", "PST8PDT,J0,J300", "PST8PDT,366,300", "PST8PDT,M3.2.0/168,M11.1.0",
			     "<+05", "<+5>-5", "AB5", "PST", "PST25", "PST8PDT,M3.2.0,M11.1.0x", "PST8:60"};
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		z = footer_zone(bad[i]);
		CHECK(!z, "footer \"%s\" refused", bad[i]);
		tz_free(z);
	}
}

/* ---- glibc as the oracle: random instants of 1900-2100 */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void test_glibc_oracle(void **state)
{
	(void)state;
	const char *zones[] = {"America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Tokyo",
			       "America/Nuuk", "Asia/Gaza", "Europe/Dublin", "Pacific/Chatham", "Antarctica/Troll",
			       "America/Santiago", "America/Sao_Paulo", "Africa/Casablanca", "America/New_York"};
	int64_t lo = at(1900, 1, 1, 0, 0, 0), span = at(2100, 12, 31, 23, 59, 59) - lo;
	char *was = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	for (size_t k = 0; k < N_ELEMS(zones); k++) {
		const TzZone *z = zone(zones[k]);
		setenv("TZ", zones[k], 1);
		tzset();
		int bad = 0;
		for (int i = 0; i < 4000 && bad < 5; i++) {
			int64_t u = lo + (int64_t)(next_random() % (uint64_t)span);
			if (i < 400)	/* and near this century's changes, where DST lives */
				u = at(2000, 1, 1, 0, 0, 0) + (int64_t)(next_random() % ((uint64_t)100 * 366 * SECS_PER_DAY));
			time_t t = (time_t)u;
			struct tm tm;
			localtime_r(&t, &tm);
			int32_t off = tz_offset(z, u);
			if (off != tm.tm_gmtoff) {
				bad++;
				CHECK(off == tm.tm_gmtoff, "%s at %s UTC: offset %d, glibc %ld", zones[k], utc_text(u), off,
				      tm.tm_gmtoff);
			}
			/* the local time back: that instant, or (a repeated time) an earlier one of the same wall time */
			int64_t local = u + off, back = tz_local_to_utc(z, local);
			bool ok = back == u || (back < u && back + tz_offset(z, back) == local);
			if (!ok) {
				bad++;
				CHECK(ok, "%s: local %s back to %s UTC", zones[k], utc_text(local), utc_text(back));
			}
		}
	}
	if (was)
		setenv("TZ", was, 1), free(was);
	else
		unsetenv("TZ");
	tzset();
}

/* ---- hostile names and damaged files */

static void test_names(void **state)
{
	(void)state;
	const char *bad[] = {"../etc/passwd", "/etc/localtime", "a//b", ".", "..", "America/../etc", "America/.",
			     "America/", "", "localtime", "Los Angeles", "America\\Los_Angeles", "América/X", "a;b",
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		CHECK(!tz_name_ok(bad[i], strlen(bad[i])), "name \"%s\" refused", bad[i]);
		CHECK(!tz_zone(bad[i], strlen(bad[i])), "zone \"%s\" refused", bad[i]);
	}
	CHECK(!tz_zone("UTC\0/../etc/passwd", 18) && !tz_zone("UTC\0", 4), "a NUL in a name");
	const char *good[] = {"America/Los_Angeles", "Etc/GMT+5", "Etc/GMT-14", "UTC", "America/Argentina/Buenos_Aires",
			      "GMT0"};
	for (size_t i = 0; i < N_ELEMS(good); i++)
		CHECK(tz_name_ok(good[i], strlen(good[i])) && tz_zone(good[i], strlen(good[i])), "zone \"%s\"", good[i]);
	CHECK(tz_offset(zone("Etc/GMT+5"), at(2024, 1, 1, 0, 0, 0)) == -5 * 3600, "Etc/GMT+5 is -05:00 (POSIX's sign)");
	CHECK(!tz_zone("Mars/Olympus_Mons", 17), "a name no file has");
	CHECK(tz_zone("Asia/Tokyo", 10) == tz_zone("Asia/Tokyo", 10), "loaded once");
}

/* Threads loading the same names at once (cleaning runs on several): one zone each name. */
static const char *const racing[] = {"Europe/Paris", "Africa/Cairo", "America/Chicago", "Asia/Singapore", "Nowhere/At_All",
				     "Pacific/Auckland", "America/Denver", "Asia/Dubai"};

static void *race(void *arg)
{
	const TzZone **got = arg;
	for (size_t i = 0; i < N_ELEMS(racing); i++)
		got[i] = tz_zone(racing[i], strlen(racing[i]));
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[8];
	const TzZone *got[8][N_ELEMS(racing)];
	for (int k = 0; k < 8; k++)
		CHECK(pthread_create(&t[k], NULL, race, got[k]) == 0, "thread %d", k);
	for (int k = 0; k < 8; k++)
		pthread_join(t[k], NULL);
	for (size_t i = 0; i < N_ELEMS(racing); i++)
		for (int k = 0; k < 8; k++)
			CHECK(got[k][i] == got[0][i] && (got[k][i] != NULL) == (i != 4), "%s in thread %d", racing[i], k);
	CHECK(tz_offset(got[0][0], at(2024, 7, 1, 0, 0, 0)) == 7200, "Paris in summer");
}

static size_t sample(unsigned char *buf)
{
	int64_t t[3] = {at(2020, 3, 8, 10, 0, 0), at(2020, 11, 1, 9, 0, 0), at(2021, 3, 14, 10, 0, 0)};
	uint8_t idx[3] = {1, 0, 1};
	int32_t off[2] = {-8 * 3600, -7 * 3600};
	return tzif(buf, t, idx, 3, off, 2, "PST8PDT,M3.2.0,M11.1.0");
}

static bool parses(const unsigned char *p, size_t n)
{
	TzZone *z = tz_new();
	bool ok = tz_parse(p, n, z);
	tz_free(z);
	return ok;
}

static void test_damaged(void **state)
{
	(void)state;
	unsigned char buf[1024], bad[1024];
	size_t n = sample(buf);
	CHECK(parses(buf, n), "the sample zone");
	for (size_t k = 0; k < n; k++)
		CHECK(!parses(buf, k), "cut short at %zu of %zu bytes", k, n);
	size_t v2 = n - 1 - strlen("PST8PDT,M3.2.0,M11.1.0") - 1 - (44 + 3 * 9 + 2 * 6 + 4);
	struct { size_t at; uint32_t v; const char *what; } counts[] = {
		{32, 0xffffffffu, "v1 transitions too many"}, {v2 + 32, 0xffffffffu, "v2 transitions too many"},
		{v2 + 32, 4, "v2 transitions one too many"}, {v2 + 36, 0, "no types"}, {v2 + 36, 300, "types too many"},
		{v2 + 40, 0, "no designations"}, {v2 + 28, 1, "a leap second"}, {v2 + 20, 1, "UT indicators not per type"},
	};
	for (size_t i = 0; i < N_ELEMS(counts); i++) {
		memcpy(bad, buf, n);
		put32(bad + counts[i].at, counts[i].v);
		CHECK(!parses(bad, n), "%s", counts[i].what);
	}
	memcpy(bad, buf, n);	/* the v2 transitions out of order: the second before the first */
	memcpy(bad + v2 + 44 + 8, buf + v2 + 44, 8), memcpy(bad + v2 + 44, buf + v2 + 44 + 8, 8);
	CHECK(!parses(bad, n), "unsorted transitions");
	memcpy(bad, buf, n);
	put32(bad + v2 + 44 + 16, 0x7fffffffu), put32(bad + v2 + 44 + 20, 0xffffffffu);	/* the last at 2^63 - 1 */
	CHECK(!parses(bad, n), "a transition beyond 2^60 s");
	memcpy(bad, buf, n);
	bad[v2 + 44 + 24 + 1] = 2;	/* a transition to a type that is not there */
	CHECK(!parses(bad, n), "a type index out of range");
	memcpy(bad, buf, n);
	put32(bad + v2 + 44 + 27, 100000);	/* an offset above 26 hours */
	CHECK(!parses(bad, n), "an offset out of range");
	memcpy(bad, buf, n);
	bad[n - 2] = 'x';	/* M11.1.x */
	CHECK(!parses(bad, n), "a bad footer");
	memcpy(bad, buf, n);
	bad[n - 1] = ' ';
	CHECK(!parses(bad, n), "a footer without its newline");
	leaps = 1;	/* a well-formed file that counts leap seconds: its times are not POSIX's */
	size_t nl = sample(bad);
	leaps = 0;
	CHECK(nl == n + 2 * 8 + 4 && !parses(bad, nl), "a right/ zone (leap seconds)");
	static unsigned char huge[(256 << 10) + 1];
	memcpy(huge, buf, n);
	CHECK(parses(huge, 256 << 10) && !parses(huge, (256 << 10) + 1), "a zone within 256 KiB, and one past it");
	/* the footer holds after the last transition only: a zone at -05:00 from 2020-06-01 on has
	 * no DST in July 2020, though the footer's rule would have started it in March */
	int64_t t1 = at(2020, 6, 1, 0, 0, 0);
	uint8_t i1 = 1;
	int32_t o2[2] = {-8 * 3600, -5 * 3600};
	size_t n1 = tzif(bad, &t1, &i1, 1, o2, 2, "PST8PDT,M3.2.0,M11.1.0");
	TzZone *z = tz_new();
	CHECK(tz_parse(bad, n1, z) && tz_offset(z, at(2020, 7, 1, 0, 0, 0)) == -5 * 3600 &&
		      tz_local_to_utc(z, at(2020, 7, 1, 0, 0, 0)) == at(2020, 7, 1, 5, 0, 0) &&
		      tz_offset(z, at(2020, 11, 1, 9, 0, 0)) == -8 * 3600 && tz_offset(z, at(2021, 7, 1, 0, 0, 0)) == -7 * 3600,
	      "the footer after the last transition only");
	tz_free(z);
	memcpy(bad, buf, n);
	bad[0] = 'X';
	CHECK(!parses(bad, n), "no magic");
	memcpy(bad, buf, n);
	bad[v2 + 4] = '3';
	CHECK(!parses(bad, n), "the two headers' versions differ");

	/* files: in a folder of our own, as $TZDIR */
	char dir[] = TEST_DIR "/tzdirXXXXXX", path[512];
	CHECK(mkdtemp(dir) != NULL, "a temp folder");
	char *was = getenv("TZDIR") ? strdup(getenv("TZDIR")) : NULL;
	setenv("TZDIR", dir, 1);
	snprintf(path, sizeof path, "%s/Test", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/Test/Dir", dir);
	mkdir(path, 0700);
	struct { const char *name; size_t n; } files[] = {{"Test/Good", n}, {"Test/Cut", n - 10}, {"Test/Big", 300 << 10}};
	for (size_t i = 0; i < N_ELEMS(files); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		FILE *f = fopen(path, "wb");
		unsigned char *big = calloc(1, files[i].n);
		memcpy(big, buf, files[i].n < n ? files[i].n : n);
		CHECK(f && fwrite(big, 1, files[i].n, f) == files[i].n && fclose(f) == 0, "writing %s", path);
		free(big);
	}
	snprintf(path, sizeof path, "%s/Test/Fifo", dir);
	CHECK(mkfifo(path, 0600) == 0, "a FIFO");
	const TzZone *good = tz_zone("Test/Good", 9);
	CHECK(good && tz_local_to_utc(good, at(2020, 7, 1, 12, 0, 0)) == at(2020, 7, 1, 19, 0, 0), "the good file read");
	CHECK(good && tz_offset(good, at(2030, 7, 1, 0, 0, 0)) == -7 * 3600, "and its footer after 2021");
	CHECK(!tz_zone("Test/Cut", 8), "a file cut short");
	CHECK(!tz_zone("Test/Big", 8), "a file over 256 KiB");
	CHECK(!tz_zone("Test/Dir", 8), "a folder");
	CHECK(!tz_zone("Test/Fifo", 9), "a FIFO");
	CHECK(!tz_zone("Test/None", 9), "no file");
	const char *names[] = {"Test/Good", "Test/Cut", "Test/Big", "Test/Fifo"};
	for (size_t i = 0; i < N_ELEMS(names); i++)
		snprintf(path, sizeof path, "%s/%s", dir, names[i]), unlink(path);
	snprintf(path, sizeof path, "%s/Test/Dir", dir), rmdir(path);
	snprintf(path, sizeof path, "%s/Test", dir), rmdir(path);
	rmdir(dir);
	if (was)
		setenv("TZDIR", was, 1), free(was);
	else
		unsetenv("TZDIR");
}

static void test_real_file_cut(void **state)
{
	(void)state;
	FILE *f = fopen("/usr/share/zoneinfo/America/Los_Angeles", "rb");
	if (!f)
		skip();
	static unsigned char buf[256 << 10];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	CHECK(parses(buf, n), "Los Angeles's file");
	for (size_t k = 0; k < n; k += 1 + k / 64)
		CHECK(!parses(buf, k), "Los Angeles's file cut at %zu", k);
}

/* ---- dates read in a zone (clean.c) */

static int64_t zoned(const char *text, const char *format, const char *zone_name, int *status)
{
	DateParse p = format ? clean_date_format(S(text), format) : clean_date(S(text));
	clean_date_zone(&p, zone_name ? zone(zone_name) : NULL);
	*status = p.status;
	return p.status == DATE_OK ? clean_date_moment(&p, ORDER_MONTH_FIRST, true) : MOMENT_NULL;
}

static void test_clean_dates(void **state)
{
	(void)state;
	const char *la = "America/Los_Angeles", *mdy = "%m/%d/%Y %H:%M:%S %z";
	struct { const char *in, *fmt, *zone; int status; int64_t want; } cases[] = {
		{"2024-07-04 23:30", NULL, la, DATE_OK, at(2024, 7, 5, 6, 30, 0)},
		{"2024-07-04T23:30:00", NULL, la, DATE_OK, at(2024, 7, 5, 6, 30, 0)},
		{"2024-03-10 02:30", NULL, la, DATE_OK, at(2024, 3, 10, 10, 30, 0)},
		{"2024-07-04 23:30", NULL, NULL, DATE_OK, at(2024, 7, 4, 23, 30, 0)},	/* no zone: UTC, as ever */
		{"2024-07-04 23:30-05:00", NULL, la, DATE_OK, at(2024, 7, 5, 4, 30, 0)},	/* its own offset kept */
		{"2024-07-04 23:30Z", NULL, la, DATE_OK, at(2024, 7, 4, 23, 30, 0)},
		{"2024-07-04 23:30 UTC", NULL, la, DATE_OK, at(2024, 7, 4, 23, 30, 0)},
		{"2024-07-04", NULL, la, DATE_OK, at(2024, 7, 4, 0, 0, 0)},	/* a date alone stays that day */
		{"2100-12-31 20:00", NULL, la, DATE_BAD, MOMENT_NULL},	/* 2101 in UTC */
		{"1900-01-01 01:00", NULL, "Asia/Tokyo", DATE_BAD, MOMENT_NULL},	/* 1899 in UTC */
		{"03/08/2024 17:30:00 America/Los_Angeles", mdy, NULL, DATE_OK, at(2024, 3, 9, 1, 30, 0)},
		{"03/08/2024 17:30:00 America/Los_Angeles", mdy, "Asia/Tokyo", DATE_OK, at(2024, 3, 9, 1, 30, 0)},
		{"07/01/2024 17:30:00 America/Los_Angeles", mdy, NULL, DATE_OK, at(2024, 7, 2, 0, 30, 0)},
		{"03/10/2024 02:30:00 America/Los_Angeles", mdy, NULL, DATE_OK, at(2024, 3, 10, 10, 30, 0)},
		{"07/01/2024 12:00:00 Asia/Kolkata", mdy, NULL, DATE_OK, at(2024, 7, 1, 6, 30, 0)},
		{"03/08/2024 17:30:00 -0800", mdy, la, DATE_OK, at(2024, 3, 9, 1, 30, 0)},
		{"03/08/2024 17:30:00 UTC", mdy, la, DATE_OK, at(2024, 3, 8, 17, 30, 0)},
		{"03/08/2024 17:30:00 Mars/Olympus_Mons", mdy, NULL, DATE_BAD, MOMENT_NULL},
		{"03/08/2024 17:30:00 PST", mdy, NULL, DATE_BAD, MOMENT_NULL},
		{"03/08/2024 17:30:00 EST", mdy, NULL, DATE_BAD, MOMENT_NULL},	/* tzdata has an EST file: no / is no name */
		{"03/08/2024 17:30:00 CET", mdy, NULL, DATE_BAD, MOMENT_NULL},
		{"03/08/2024 17:30:00 ../../etc/passwd", mdy, NULL, DATE_BAD, MOMENT_NULL},
		{"03/08/2024 17:30:00 America/Los_Angeles x", mdy, NULL, DATE_BAD, MOMENT_NULL},
		{"03/08/2024 17:30:00", "%m/%d/%Y %H:%M:%S", la, DATE_OK, at(2024, 3, 9, 1, 30, 0)},
		{"03/08/2024", "%m/%d/%Y", la, DATE_OK, at(2024, 3, 8, 0, 0, 0)},
		{"45292.5", "excel", la, DATE_OK, at(2024, 1, 1, 20, 0, 0)},	/* a spreadsheet's noon in LA */
		{"1704110400", "%s", la, DATE_OK, at(2024, 1, 1, 12, 0, 0)},	/* seconds since 1970 are UTC's */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int status;
		int64_t got = zoned(cases[i].in, cases[i].fmt, cases[i].zone, &status);
		CHECK(status == cases[i].status && got == cases[i].want, "\"%s\" (%s, zone %s): status %d at %s", cases[i].in,
		      cases[i].fmt ? cases[i].fmt : "usual", cases[i].zone ? cases[i].zone : "none", status,
		      got == MOMENT_NULL ? "null" : utc_text(got));
	}
	/* an ambiguous date's local time waits for its order: March 4 (PST) or April 3 (PDT) */
	DateParse p = clean_date(S("03/04/2024 23:30"));
	clean_date_zone(&p, zone(la));
	CHECK(p.status == DATE_AMBIGUOUS && p.local, "03/04/2024 23:30 ambiguous, local");
	CHECK(clean_date_moment_zoned(&p, ORDER_MONTH_FIRST, true, zone(la)) == at(2024, 3, 5, 7, 30, 0), "month-first");
	CHECK(clean_date_moment_zoned(&p, ORDER_DAY_FIRST, true, zone(la)) == at(2024, 4, 4, 6, 30, 0), "day-first");
	CHECK(clean_date_moment_zoned(&p, ORDER_DAY_FIRST, false, zone(la)) == at(2024, 4, 4, 0, 0, 0), "its UTC day");
	/* ... unless a reading leaves 1900-2100 in UTC: then it is no date now (an invalid_date said
	 * at its line), not a null found once the order is decided */
	p = clean_date(S("1/1/1900 00:30"));
	clean_date_zone(&p, zone("Asia/Kolkata"));
	CHECK(p.status == DATE_BAD, "1/1/1900 00:30 in Kolkata is 1899-12-31 19:00 UTC: %d", p.status);
	p = clean_date(S("1/1/1900 06:00"));
	clean_date_zone(&p, zone("Asia/Kolkata"));
	CHECK(p.status == DATE_AMBIGUOUS, "1/1/1900 06:00 in Kolkata is 00:30 UTC: %d", p.status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_instants), cmocka_unit_test(test_footer_rules),
		cmocka_unit_test(test_glibc_oracle),   cmocka_unit_test(test_names),
		cmocka_unit_test(test_damaged),	       cmocka_unit_test(test_real_file_cut),
		cmocka_unit_test(test_clean_dates),    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
