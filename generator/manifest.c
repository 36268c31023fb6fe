/* manifest.c — incremental builds: a site's manifest (.c360-site) lists each of its files with
 * a hash of its bytes, so that a rebuild writes only the files whose bytes change and links
 * the others from the previous site into the new one; its files that the rebuild does not
 * make go with the previous site. */
#include "c360.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistring/version.h>
#define XXH_STATIC_LINKING_ONLY	/* the state's size, for the out-of-memory message */
#include <xxhash.h>
#ifdef C360_XXH_DISPATCH	/* the Makefile found the library's runtime choice of AVX2/AVX-512 */
#include <xxh_x86dispatch.h>	/* XXH3_128bits and its update: a third of the SSE2 code's instructions */
#endif

/* What is known of a listed file of the previous site: nothing yet, or whether it is as its
 * manifest says (there, a regular file of its size, not modified since the manifest was written);
 * or that a folder of its path is not one (a link put there by hand: OLD_FOREIGN, never read,
 * linked or removed through it). */
enum { OLD_UNKNOWN, OLD_SAME, OLD_CHANGED, OLD_FOREIGN };

typedef struct {
	const char *path;	/* from the site's root: into the manifest's text, or M.names */
	FileHash hash;
	uint64_t size;
	FileHash input;		/* a page's: what it was made from (has_input) */
	bool has_input;
	bool canon;		/* a list's: its line is as entry_line writes it */
	char state;		/* the previous site's file: OLD_* */
	bool now, page_now;	/* the previous site's: listed in the new site's manifest, and inputs list (listed) */
	uint32_t rank;		/* a new site's file: its path's place in the previous site's list + 1, if known */
	uint32_t spare;		/* the previous site's: the spare's entry of its path + 1 (spare_link) */
} Entry;

/* A site's manifest, read: its lines' entries point into its text. */
typedef struct {
	Buf text;
	struct timespec since;	/* its time: a file changed later is not trusted */
	Entry *e;
	size_t n;
	bool whole;		/* every line an entry */
} OldList;

/* A list's entries by path: open addressing, index + 1. */
typedef struct {
	Entry *e;
	uint32_t *slot;
	size_t nslots;
} PathIndex;

/* A folder of the spare to walk: its path from the root and a '/', the run [lo, hi) of the
 * spare's list under it, its depth. */
typedef struct {
	char *rel;
	size_t lo, hi;
	int depth;
} SpareJob;

/* The build under way: where it writes, the previous site and what it held, what is written. */
static struct {
	char *staging, *out;
	int old_root, new_root;	/* the previous site's folder and the staging folder, open */
	OldList old;
	PathIndex oldx;
	/* The spare, when the staging folder is one (manifest_spare): its manifest, each entry's
	 * state as the check found its file, its folders (paths from its root), and the folders the
	 * build made. */
	OldList spare;
	char **spare_dirs, **made;
	size_t nspare_dirs, nmade;
	bool spare_on, spare_threaded;
	pthread_t spare_thread;
	SpareJob *spare_jobs;	/* the spare's folders below the first level, walked by whichever thread is free */
	size_t nspare_jobs;
	atomic_size_t spare_next;
	atomic_bool spare_listed;	/* spare_jobs whole: other threads may take them */
	char *spare_unread;	/* the first folder of the spare not walked and still there, under mu */
	const char *spare_verb;	/* what could not be done to it: "read", "remove" */
	int spare_errno, new_errno;	/* why not; why the staging folder could not be opened */
	Arena names;		/* the paths of files written, under mu */
	Entry *now;
	size_t n, cap;
	Entry *pages;		/* the pages made with what they were made from: .c360-inputs */
	size_t npages, pages_cap;
	bool old_pages;		/* the previous site says what its pages were made from */
	bool old_loaded;	/* manifest_previous did */
	Buf foreign;		/* the previous site's folders found links or files (old_foreign), ", " between */
	size_t nforeign;
	bool spare_linked;	/* each previous entry knows the spare's of its path (spare_link) */
	uint64_t written, kept, unrendered;
	pthread_mutex_t mu;
} M = {.old_root = -1, .new_root = -1, .mu = PTHREAD_MUTEX_INITIALIZER};

FileHash file_hash(const void *p, size_t n)
{
	XXH128_hash_t h = XXH3_128bits(p, n);
	return (FileHash){h.low64, h.high64};
}

struct FileHasher {
	XXH3_state_t *st;
};

FileHasher *file_hasher_new(void)
{
	FileHasher *h = xcalloc(1, sizeof *h);
	h->st = XXH3_createState();
	if (!h->st)
		out_of_memory(sizeof(XXH3_state_t));
	XXH3_128bits_reset(h->st);
	return h;
}

void file_hasher_add(FileHasher *h, const void *p, size_t n)
{
	XXH3_128bits_update(h->st, p, n);
}

FileHash file_hasher_take(FileHasher *h)
{
	XXH128_hash_t d = XXH3_128bits_digest(h->st);
	XXH3_128bits_reset(h->st);
	return (FileHash){d.low64, d.high64};
}

FileHash file_hasher_end(FileHasher *h)
{
	FileHash d = file_hasher_take(h);
	XXH3_freeState(h->st);
	free(h);
	return d;
}

static uint64_t path_hash(const char *p)
{
	return hash_bytes(p, strlen(p));
}

static void path_index(PathIndex *x, Entry *e, size_t n)
{
	x->e = e;
	for (x->nslots = 16; x->nslots < n * 2; x->nslots *= 2)
		;
	x->slot = xcalloc(x->nslots, sizeof *x->slot);
	for (size_t i = 0; i < n; i++) {
		size_t j = path_hash(e[i].path) & (x->nslots - 1);
		while (x->slot[j])
			j = (j + 1) & (x->nslots - 1);
		x->slot[j] = (uint32_t)i + 1;
	}
}

static Entry *path_find(const PathIndex *x, const char *path)
{
	if (!x->nslots)
		return NULL;
	for (size_t j = path_hash(path) & (x->nslots - 1); x->slot[j]; j = (j + 1) & (x->nslots - 1))
		if (strcmp(x->e[x->slot[j] - 1].path, path) == 0)
			return &x->e[x->slot[j] - 1];
	return NULL;
}

static Entry *old_entry(const char *path)
{
	return path_find(&M.oldx, path);
}

/* Hex digits 8 bytes at a time (two a line of every manifest and inputs list: 100k lines each
 * at 100k customers). hex8_bad: the 8 bytes at p (the first in the high byte) are not all
 * hex digits (either case); hex8_value: their number, if they are. */
static inline uint64_t hex8_bad(uint64_t x)
{
	uint64_t lower = x | BYTES8(0x20);	/* no byte carries below: each < 0x80, or x is bad */
	uint64_t digit = (x + BYTES8(0x80 - '0')) & ~(x + BYTES8(0x80 - '9' - 1));
	uint64_t letter = (lower + BYTES8(0x80 - 'a')) & ~(lower + BYTES8(0x80 - 'f' - 1));
	return (x & BYTES8(0x80)) | (~(digit | letter) & BYTES8(0x80));
}

static inline uint32_t hex8_value(uint64_t x)
{
	x = (x & BYTES8(0x0f)) + (x >> 6 & BYTES8(1)) * 9;	/* each byte its digit's value */
	x = (x | x >> 4) & 0x00ff00ff00ff00ffull;
	x = (x | x >> 8) & 0x0000ffff0000ffffull;
	return (uint32_t)(x | x >> 16);
}

/* A hash as 32 hex digits (high half first) and a space, in a line of n bytes (its end not read);
 * *upper: some are upper case (where upper is given). */
static bool hash_read(const char *line, size_t n, FileHash *h, bool *upper)
{
	if (n < 33 || line[32] != ' ')
		return false;
	uint64_t a = BYTES_BE64(load8(line)), b = BYTES_BE64(load8(line + 8));
	uint64_t c = BYTES_BE64(load8(line + 16)), d = BYTES_BE64(load8(line + 24));
	if (hex8_bad(a) | hex8_bad(b) | hex8_bad(c) | hex8_bad(d))
		return false;
	if (upper)	/* a digit's 0x40 bit without its 0x20 bit: A to F */
		*upper = ((a & ~(a << 1)) | (b & ~(b << 1)) | (c & ~(c << 1)) | (d & ~(d << 1))) & BYTES8(0x40);
	h->hi = (uint64_t)hex8_value(a) << 32 | hex8_value(b);
	h->lo = (uint64_t)hex8_value(c) << 32 | hex8_value(d);
	return true;
}

/* One line of a manifest, n bytes and a NUL: hash, size (decimal digits), path; false if it is
 * not one. */
static bool entry_read(char *line, size_t n, Entry *e)
{
	FileHash h;
	bool upper;
	if (!hash_read(line, n, &h, &upper))
		return false;
	*e = (Entry){.hash = h, .state = OLD_UNKNOWN};
	const char *p = line + 33, *digits = p;
	for (; *p >= '0' && *p <= '9' && p - digits < 19; p++)
		e->size = e->size * 10 + (uint64_t)(*p - '0');
	if (p == digits || *p != ' ' || !p[1] || strlen(p + 1) != (size_t)(line + n - (p + 1)))	/* no NUL in it */
		return false;
	e->path = p + 1;
	e->canon = !upper && (*digits != '0' || p - digits == 1);
	return true;
}

/* Reads the manifest of the site out; false (and o empty) if it has none c360 can read: then
 * it has nothing to give, every file is written. */
static bool list_parse(OldList *o);

static bool old_read(const char *out, OldList *o)
{
	char *path = path_join(out, MANIFEST_NAME);
	Buf ignore = {0};
	struct stat st = {0};
	*o = (OldList){.whole = true};
	bool ok = lstat(path, &st) == 0 && S_ISREG(st.st_mode) && file_read(path, &o->text, &ignore) && list_parse(o);
	o->since = st.st_mtim;
	buf_free(&ignore);
	free(path);
	return ok;
}

/* The entries of the manifest's text o->text; false if it is not one c360 can read. Whole:
 * every line an entry, and sorted by path (as manifest_write writes it), no path twice. */
static bool list_parse(OldList *o)
{
	size_t head = strlen(MANIFEST_HEAD);
	bool ok = o->text.len >= head && memcmp(o->text.p, MANIFEST_HEAD, head) == 0;
	char *p = ok ? (char *)buf_cstr(&o->text) + head : NULL, *end = p ? o->text.p + o->text.len : NULL;
	/* room for as many lines as the text can hold (a hash, a space, a size, a space, a path:
	 * 36 bytes or more): one allocation, touched only as far as there are entries */
	size_t room = p ? (size_t)(end - p) / 36 + 1 : 0;
	o->e = p ? xrealloc(o->e, room * sizeof *o->e) : o->e;
	for (char *nl; p && p < end && o->n < room; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		*nl = '\0';
		if (!entry_read(p, (size_t)(nl - p), &o->e[o->n]))
			o->whole = false;
		else if (o->n++ && strcmp(o->e[o->n - 2].path, o->e[o->n - 1].path) >= 0)
			o->whole = false;
	}
	o->whole = o->whole && p == end;
	return ok;
}

static void old_free(OldList *o)
{
	buf_free(&o->text);
	free(o->e);
	*o = (OldList){0};
}

/* What the previous site's pages were made from: the lines after the first of its
 * .c360-inputs, "hash path" (manifest_write_inputs), sorted by path like its manifest: each
 * found by walking the two side by side (by its path's hash where that fails). */
static void old_pages_load(const char *out)
{
	char *path = path_join(out, INPUTS_NAME);
	Buf text = {0}, ignore = {0};
	size_t j = 0;
	if (file_read(path, &text, &ignore) && text.len) {
		char *end = (char *)buf_cstr(&text) + text.len, *nl = memchr(text.p, '\n', text.len);
		for (char *line; nl && (nl = memchr(line = nl + 1, '\n', (size_t)(end - nl - 1)));) {
			*nl = '\0';
			FileHash h;
			const char *name = line + 33;
			if (!hash_read(line, (size_t)(nl - line), &h, NULL) || strlen(name) != (size_t)(nl - name))
				continue;
			int c = 1;
			while (M.old.whole && j < M.old.n && (c = strcmp(M.old.e[j].path, name)) < 0)
				j++;
			Entry *e = c == 0 ? &M.old.e[j] : old_entry(name);
			if (e)
				e->input = h, e->has_input = M.old_pages = true;
		}
	}
	buf_free(&text), buf_free(&ignore);
	free(path);
}

/* ---- is the previous site up to date? Its files are checked against its manifest (each
 * there, a regular file of its size, not changed since the manifest was written) on a thread
 * of their own while the inputs are hashed; the answer counts only if the hash is the one in
 * its .c360-inputs. When the inputs differ, the thread goes on: the build that follows takes
 * what it found (a file found as listed is linked, not looked at again). With a spare there
 * (out_has_spare), which a build whose inputs differ takes and checks instead, the thread
 * reads the manifest and waits for the answer: a file is looked at only when the inputs are
 * the same, then by both threads (a chunk of the list at a time). */
struct SiteCheck {
	char *out;
	char want[33];		/* the first line of out's .c360-inputs */
	OldList list;		/* out's manifest, each entry's state found */
	bool same;		/* the list read whole, and each file the thread looked at as listed */
	bool threaded;
	bool stop;		/* the build has a spare: the files it needs of out are looked at then */
	bool wait;		/* out has a spare: no file is looked at before the verdict */
	int verdict;		/* under mu: 0 not known yet, 1 the inputs are the same, -1 they differ */
	bool listed;		/* under mu: the list is read */
	size_t lo, hi, floor;	/* under mu: the entries not yet taken, the halves' edge (check_claim) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t t;
};

static bool not_later(struct timespec t, struct timespec since)
{
	return t.tv_sec < since.tv_sec || (t.tv_sec == since.tv_sec && t.tv_nsec <= since.tv_nsec);
}

/* One manifest line's file, by its folder's descriptor (*dirfd for folder dir, opened anew when
 * the folder is not the previous line's). */
static bool file_same(const char *out, const char *path, uint64_t size, struct timespec since, int *dirfd, Buf *dir)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t dn = slash ? (size_t)(slash - path) : 0;
	if (*dirfd < 0 || dir->len != dn || memcmp(dir->p ? dir->p : "", path, dn) != 0) {
		if (*dirfd >= 0)
			close(*dirfd);
		dir->len = 0;
		buf_put(dir, path, dn);
		char *d = dn ? path_join(out, buf_cstr(dir)) : xstrdup(out);
		*dirfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(d);
	}
	struct stat st;
	return *dirfd >= 0 && fstatat(*dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == size && not_later(st.st_mtim, since);
}

#define CHECK_CHUNK 256	/* entries taken at a time: a folder opened a few times, not at every step */

/* The next chunk of the list to check, [*from, *to): the thread's from the bottom, the main
 * thread's from the top, until they meet; false when none is left. With a spare (wait), each
 * has its half (floor), which it began at once: no thread is late to it. */
static bool check_claim(SiteCheck *c, bool top, size_t *from, size_t *to)
{
	pthread_mutex_lock(&c->mu);
	size_t low = c->lo > c->floor ? c->lo : c->floor, high = c->wait ? c->floor : c->hi;
	bool got = top ? c->hi > low : c->lo < high;
	if (got && top)
		*to = c->hi, *from = c->hi = c->hi - low > CHECK_CHUNK ? c->hi - CHECK_CHUNK : low;
	else if (got)
		*from = c->lo, *to = c->lo = high - c->lo > CHECK_CHUNK ? c->lo + CHECK_CHUNK : high;
	pthread_mutex_unlock(&c->mu);
	return got;
}

/* The list's files, a chunk at a time, until none is left or the build stops the check (the
 * rest stay OLD_UNKNOWN): whether each this thread looked at is as listed. */
static bool check_chunks(SiteCheck *c, bool top)
{
	Buf dir = {0};
	int dirfd = -1;
	bool same = true, stop = false;
	for (size_t i, end; !stop && check_claim(c, top, &i, &end);)
		for (; i < end && !(stop = __atomic_load_n(&c->stop, __ATOMIC_RELAXED)); i++) {
			Entry *e = &c->list.e[i];
			e->state = file_same(c->out, e->path, e->size, c->list.since, &dirfd, &dir) ? OLD_SAME : OLD_CHANGED;
			same = same && e->state == OLD_SAME;
		}
	if (dirfd >= 0)
		close(dirfd);
	buf_free(&dir);
	return same && !stop;
}

static void *check_files(void *arg)
{
	SiteCheck *c = arg;
	bool same = old_read(c->out, &c->list) && c->list.whole && c->list.n > 0;
	pthread_mutex_lock(&c->mu);
	c->hi = c->list.n;
	c->floor = c->wait ? c->hi / 2 : 0;
	c->listed = true;
	pthread_cond_broadcast(&c->cv);
	while (c->wait && !c->verdict)
		pthread_cond_wait(&c->cv, &c->mu);
	bool go = !c->wait || c->verdict > 0;
	pthread_mutex_unlock(&c->mu);
	c->same = go && check_chunks(c, false) && same;	/* read after the join */
	return NULL;
}

static void check_free(SiteCheck *c)
{
	if (c->threaded)
		pthread_join(c->t, NULL);
	old_free(&c->list);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c->out);
	free(c);
}

static SiteCheck *pending;	/* a check whose inputs differed, for the build that follows */

SiteCheck *manifest_check_start(const char *out, bool threaded)
{
	if (pending)
		check_free(pending), pending = NULL;
	char *path = path_join(out, INPUTS_NAME);
	SiteCheck *c = xcalloc(1, sizeof *c);
	const char *why;
	int fd = open_regular(path, &why);
	bool ok = fd >= 0 && read(fd, c->want, 33) == 33 && c->want[32] == '\n';
	if (fd >= 0)
		close(fd);
	free(path);
	if (!ok) {
		free(c);
		return NULL;
	}
	c->out = xstrdup(out);
	c->same = true;
	c->wait = threaded && out_has_spare(out);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->threaded = threaded && pthread_create(&c->t, NULL, check_files, c) == 0;
	return c;
}

/* 8 hex digits of v at out, 8 bytes at once. */
static void hex8_text(uint32_t v, char *out)
{
	uint64_t x = v;
	x = (x | x << 16) & 0x0000ffff0000ffffull;
	x = (x | x << 8) & 0x00ff00ff00ff00ffull;
	x = (x | x << 4) & BYTES8(0x0f);	/* each byte a digit's value, the first in the high byte */
	x += BYTES8('0') + ((x + BYTES8(6)) >> 4 & BYTES8(1)) * ('a' - '0' - 10);
	x = BYTES_BE64(x);
	memcpy(out, &x, 8);
}

/* A hash as 32 hex digits, the high half first (and a NUL). */
static void hash_text(FileHash h, char out[33])
{
	hex8_text((uint32_t)(h.hi >> 32), out);
	hex8_text((uint32_t)h.hi, out + 8);
	hex8_text((uint32_t)(h.lo >> 32), out + 16);
	hex8_text((uint32_t)h.lo, out + 24);
	out[32] = '\0';
}

bool manifest_check_end(SiteCheck *c, FileHash inputs)
{
	if (!c)
		return false;
	char got[33];
	hash_text(inputs, got);
	bool same = memcmp(got, c->want, 32) == 0;
	if (c->threaded) {
		pthread_mutex_lock(&c->mu);
		c->verdict = same ? 1 : -1;
		pthread_cond_broadcast(&c->cv);
		while (same && !c->listed)
			pthread_cond_wait(&c->cv, &c->mu);
		pthread_mutex_unlock(&c->mu);
		if (!same) {
			pending = c;
			return false;
		}
		bool mine = check_chunks(c, true);	/* the files looked at by both threads */
		pthread_join(c->t, NULL), c->threaded = false;
		same = mine && c->same;
	} else if (same) {
		check_files(c);
		same = c->same;
	}
	check_free(c);
	return same;
}

void manifest_check_drop(void)
{
	if (!pending)
		return;
	__atomic_store_n(&pending->stop, true, __ATOMIC_RELAXED);
	check_free(pending), pending = NULL;
}

/* The previous site's manifest: the pending check's, if it read out's manifest as it still is
 * (its files' states found), else read now. */
static void old_take(const char *out)
{
	SiteCheck *c = pending;
	pending = NULL;
	if (c) {
		pthread_join(c->t, NULL);
		c->threaded = false;
		char *path = path_join(out, MANIFEST_NAME);
		struct stat st;
		if (strcmp(c->out, out) == 0 && lstat(path, &st) == 0 && st.st_mtim.tv_sec == c->list.since.tv_sec &&
		    st.st_mtim.tv_nsec == c->list.since.tv_nsec && (size_t)st.st_size == c->list.text.len)
			M.old = c->list, c->list = (OldList){0};
		free(path);
		check_free(c);
	}
	if (!M.old.text.p)
		old_read(out, &M.old);
}

/* Whether the previous site's folder dir[0, n) is folders, not links to folders elsewhere (or
 * files): each of its folders looked at without following a link, from the first. If not,
 * *bad is the length of the first that is not one, said (M.foreign) if it is there. */
static bool real_folders(const char *dir, size_t n, size_t *bad)
{
	char *d = xstrndup(dir, n);
	struct stat st;
	bool real = true;
	for (size_t i = 0; real && i <= n; i++) {
		if (i < n && d[i] != '/')
			continue;
		d[i] = '\0';
		bool there = fstatat(M.old_root, d, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (!there || !S_ISDIR(st.st_mode))
			real = false, *bad = i;
		if (there && !S_ISDIR(st.st_mode) && M.nforeign++ < 5) {
			buf_puts(&M.foreign, M.foreign.len ? ", " : "");
			buf_put_printable(&M.foreign, d, i, 200);
		}
		d[i] = i < n ? '/' : '\0';
	}
	free(d);
	return real;
}

/* Marks OLD_FOREIGN the previous site's files under a folder that is a link (or a file): a site's
 * folder replaced by a link to a folder elsewhere by hand is not the site's, and a rebuild
 * removing the previous edition's files through it would remove files outside --out. Each
 * folder is looked at once (the list is in path order), and none below one that is not. */
static void old_foreign(void)
{
	const char *last = NULL, *bad = NULL;
	size_t lastn = 0, badn = 0;	/* the last folder looked at; the last one found not a folder */
	bool last_ok = true;
	for (size_t i = 0; M.old_root >= 0 && i < M.old.n; i++) {
		Entry *e = &M.old.e[i];
		const char *slash = strrchr(e->path, '/');
		size_t n = slash ? (size_t)(slash - e->path) : 0;
		if (!n)
			continue;
		if (bad && n >= badn && memcmp(e->path, bad, badn) == 0 && (n == badn || e->path[badn] == '/')) {
			e->state = OLD_FOREIGN;
			continue;
		}
		if (!last || n != lastn || memcmp(last, e->path, n) != 0) {
			last = e->path, lastn = n, last_ok = real_folders(e->path, n, &badn);
			bad = last_ok ? bad : e->path;
		}
		if (!last_ok)
			e->state = OLD_FOREIGN;
	}
}

/* Reads the previous site's manifest and what its pages were made from. */
static void old_load(const char *out)
{
	old_take(out);
	old_foreign();
	path_index(&M.oldx, M.old.e, M.old.n);
	old_pages_load(out);
}

void manifest_begin(const char *out, const char *staging)
{
	manifest_end();
	M.out = xstrdup(out);
	M.staging = xstrdup(staging);
	M.old_root = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	M.new_root = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	M.new_errno = M.new_root < 0 ? errno : 0;
}

/* A list of the new site in path order: the previous site's entries marked (now, or page_now
 * for the pages' list: listed) merged with those listed anew, rest[0..n) (sorted: by_path).
 * walk_next: the next entry, and *was the previous site's entry of its path (if known), NULL
 * at the end. */
typedef struct {
	Entry *rest;
	size_t n, i, r;
	bool pages;
} Walk;

static Walk walk_start(Entry *rest, size_t n, bool pages)
{
	return (Walk){.rest = rest, .n = n, .pages = pages};
}

static const Entry *walk_next(Walk *w, const Entry **was)
{
	while (w->r < M.old.n && !(w->pages ? M.old.e[w->r].page_now : M.old.e[w->r].now))
		w->r++;
	const Entry *old = w->r < M.old.n ? &M.old.e[w->r] : NULL, *e = w->i < w->n ? &w->rest[w->i] : NULL;
	/* one listed anew goes first if its path comes before the marked one's: known by its rank
	 * (its path's place in the previous list + 1), else compared */
	if (e && (!old || (e->rank ? e->rank - 1 < w->r : strcmp(e->path, old->path) < 0))) {
		w->i++;
		*was = e->rank ? &M.old.e[e->rank - 1] : NULL;
		return e;
	}
	if (old)
		w->r++;
	*was = old;
	return old;
}

/* ---- the spare as the staging folder: a file the build makes whose bytes the spare's file of
 * that name holds (as its manifest lists it, and the file as listed: regular, of its size, not
 * modified since) is left there; the spare's other files and folders go */

static void spare_dir(const char *path)
{
	pthread_mutex_lock(&M.mu);
	if (M.nspare_dirs % 64 == 0)
		M.spare_dirs = xrealloc(M.spare_dirs, (M.nspare_dirs + 64) * sizeof *M.spare_dirs);
	M.spare_dirs[M.nspare_dirs++] = xstrdup(path);
	pthread_mutex_unlock(&M.mu);
}

/* A whole list is sorted, so the entries under a folder (prefix: its path and a '/', plen
 * bytes; the root's is "") are a run. run_bound: in [lo, hi) of list l, a run's first entry
 * (end false), or the first after it (end true). */
static size_t run_bound(const OldList *l, size_t lo, size_t hi, const char *prefix, size_t plen, bool end)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(l->e[mid].path, prefix, plen);
		if (c < 0 || (end && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A folder's files as the spare's list has them: the entries of its run [lo, hi) whose path
 * after the folder's prefix (plen bytes) has no '/', by that name (open addressing, index + 1). */
typedef struct {
	uint32_t *slot;
	size_t nslots, plen;
} FolderIndex;

static void folder_index(FolderIndex *x, size_t lo, size_t hi, size_t plen)
{
	*x = (FolderIndex){.plen = plen};
	for (x->nslots = 16; x->nslots < (hi - lo) * 2; x->nslots *= 2)
		;
	x->slot = xcalloc(x->nslots, sizeof *x->slot);
	for (size_t i = lo; i < hi; i++) {
		const char *path = M.spare.e[i].path, *name = path + plen, *slash = strchr(name, '/');
		if (slash) {	/* a sub-folder's run: skipped whole */
			i = run_bound(&M.spare, i, hi, path, (size_t)(slash - path) + 1, true) - 1;
			continue;
		}
		size_t j = path_hash(name) & (x->nslots - 1);
		while (x->slot[j])
			j = (j + 1) & (x->nslots - 1);
		x->slot[j] = (uint32_t)i + 1;
	}
}

static Entry *folder_find(const FolderIndex *x, const char *name)
{
	for (size_t j = path_hash(name) & (x->nslots - 1); x->slot[j]; j = (j + 1) & (x->nslots - 1))
		if (strcmp(M.spare.e[x->slot[j] - 1].path + x->plen, name) == 0)
			return &M.spare.e[x->slot[j] - 1];
	return NULL;
}

/* A folder of the spare (rel: its path from the root, "" the root) that could not be read, nor
 * removed, or a file of it the new site does not have that could not be removed (verb): the
 * files of the spare there would stay in the new site whether it makes them or not (a
 * customer's page removed from the data, say); manifest_write stops the build. */
static void spare_failed(const char *verb, const char *rel, int why)
{
	pthread_mutex_lock(&M.mu);
	size_t n = strlen(rel);
	if (!M.spare_unread)	/* named without the walk's trailing '/' */
		M.spare_unread = xstrndup(rel, n && rel[n - 1] == '/' ? n - 1 : n), M.spare_verb = verb, M.spare_errno = why;
	pthread_mutex_unlock(&M.mu);
}

static void spare_not_walked(const char *rel, int why)
{
	spare_failed("read", rel, why);
}

/* The spare's folder fd, *rel its path from the root and a '/' (the root: ""), [lo, hi) the
 * run of the spare's list under it: each file the list has is checked (state), any other entry
 * removed, each folder walked (and listed); a folder below the first level is left to
 * spare_jobs_run if defer. A file's entry is looked up among the folder's own (a few hundred,
 * near each other), not among every path of the list. */
static void spare_walk(int fd, Buf *rel, size_t lo, size_t hi, int depth, bool defer)
{
	DIR *d = out_opendir_at(fd);
	if (!d) {	/* out of descriptors (EMFILE), say */
		spare_not_walked(buf_cstr(rel), errno);
		return;
	}
	size_t at = rel->len;
	FolderIndex files;
	folder_index(&files, lo, hi, at);
	for (struct dirent *de; (de = readdir(d));) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") || (depth == 0 && (!strcmp(name, MANIFEST_NAME) ||
		    !strcmp(name, CACHE_DIR) || !strcmp(name, INPUTS_NAME))))	/* the build's own */
			continue;
		struct stat st;
		bool known = de->d_type == DT_UNKNOWN && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (de->d_type == DT_DIR || (known && S_ISDIR(st.st_mode))) {
			bool later = defer && depth >= 1;	/* spare_jobs_run opens it */
			int sub = depth < 16 && !later ? openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
			if (sub < 0 && !later) {
				int why = depth < 16 ? errno : ENOTEMPTY;
				out_remove_at(fd, name, false);
				if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {	/* no read permission, say */
					buf_puts(rel, name);
					spare_not_walked(buf_cstr(rel), why);
					rel->len = at;
				}
				continue;
			}
			buf_puts(rel, name);
			spare_dir(buf_cstr(rel));
			buf_putc(rel, '/');
			size_t from = run_bound(&M.spare, lo, hi, rel->p, rel->len, false),
			       to = run_bound(&M.spare, from, hi, rel->p, rel->len, true);
			if (later) {
				if (M.nspare_jobs % 64 == 0)
					M.spare_jobs = xrealloc(M.spare_jobs, (M.nspare_jobs + 64) * sizeof *M.spare_jobs);
				M.spare_jobs[M.nspare_jobs++] = (SpareJob){xstrdup(buf_cstr(rel)), from, to, depth + 1};
			} else {
				spare_walk(sub, rel, from, to, depth + 1, defer);
				close(sub);
			}
			rel->len = at;
			continue;
		}
		Entry *e = folder_find(&files, name);
		if (!e) {
			out_remove_at(fd, name, false);
			continue;
		}
		known = known || fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		e->state = known && S_ISREG(st.st_mode) && (uint64_t)st.st_size == e->size && not_later(st.st_mtim, M.spare.since)
			 ? OLD_SAME : OLD_CHANGED;
	}
	free(files.slot);
	closedir(d);
}

/* The spare's folders left to walk, each taken by the first thread free (the spare's walk,
 * whose ~100k fstatat were the 1 % rebuild's longest path: the thread that needs its end
 * helps instead of waiting). */
static void spare_jobs_run(void)
{
	for (size_t k; (k = atomic_fetch_add(&M.spare_next, 1)) < M.nspare_jobs;) {
		const SpareJob *j = &M.spare_jobs[k];
		int fd = openat(M.new_root, j->rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {	/* no longer a folder there: what is goes, as any entry not listed */
			int why = errno;
			Buf path = {0};
			struct stat st;
			buf_put(&path, j->rel, strlen(j->rel) - 1);
			out_remove_at(M.new_root, buf_cstr(&path), false);
			if (fstatat(M.new_root, buf_cstr(&path), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
				spare_not_walked(buf_cstr(&path), why);
			buf_free(&path);
			continue;
		}
		Buf rel = {0};
		buf_puts(&rel, j->rel);
		spare_walk(fd, &rel, j->lo, j->hi, j->depth, false);
		buf_free(&rel);
		close(fd);
	}
}

static void *spare_check(void *arg)
{
	(void)arg;
	if (!list_parse(&M.spare) || !M.spare.whole)
		M.spare.n = 0;	/* a spare without a manifest c360 reads: its files go, none is taken */
	Buf rel = {0};
	if (M.new_root >= 0)
		spare_walk(M.new_root, &rel, 0, M.spare.n, 0, true);
	else
		spare_not_walked("", M.new_errno);
	buf_free(&rel);
	atomic_store(&M.spare_listed, true);
	spare_jobs_run();
	return NULL;
}

void manifest_spare(Buf *list, struct timespec since)
{
	M.spare = (OldList){.text = *list, .since = since, .whole = true};
	*list = (Buf){0};
	M.spare_on = true;
	if (pending)	/* few of the previous site's files are needed now */
		__atomic_store_n(&pending->stop, true, __ATOMIC_RELAXED);
	M.spare_threaded = pthread_create(&M.spare_thread, NULL, spare_check, NULL) == 0;
	if (!M.spare_threaded)
		spare_check(NULL);
}

static void spare_join(void)
{
	if (M.spare_threaded && atomic_load(&M.spare_listed))
		spare_jobs_run();
	if (M.spare_threaded)
		pthread_join(M.spare_thread, NULL);
	M.spare_threaded = false;
}

void manifest_made_dir(const char *dir, const char *sub)
{
	if (!M.spare_on || !manifest_active(dir))
		return;
	pthread_mutex_lock(&M.mu);
	if (M.nmade % 64 == 0)
		M.made = xrealloc(M.made, (M.nmade + 64) * sizeof *M.made);
	M.made[M.nmade++] = arena_strndup(&M.names, sub, strlen(sub));
	pthread_mutex_unlock(&M.mu);
}

/* The spare's entry e, if its file holds these bytes. */
static Entry *held(Entry *e, FileHash h, uint64_t size)
{
	return e && e->state == OLD_SAME && e->size == size && e->hash.lo == h.lo && e->hash.hi == h.hi ? e : NULL;
}

/* The spare's file of that name, if it holds these bytes: its list is sorted (whole, else
 * empty), a path is found by halving. */
static Entry *spare_holds(const char *path, FileHash h, uint64_t size)
{
	size_t lo = 0, hi = M.spare_on ? M.spare.n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(M.spare.e[mid].path, path);
		if (c == 0)
			return held(&M.spare.e[mid], h, size);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The spare's file of the previous site's entry e's path, if it holds e's bytes. */
static Entry *spare_holds_old(const Entry *e)
{
	if (!M.spare_linked)
		return spare_holds(e->path, e->hash, e->size);
	return e->spare ? held(&M.spare.e[e->spare - 1], e->hash, e->size) : NULL;
}

/* Each previous entry's path found in the spare's list by walking the two side by side (both
 * sorted: whole), not looked up a page at a time. */
static void spare_link(void)
{
	if (!M.spare_on || !M.old.whole)
		return;
	for (size_t i = 0, j = 0; i < M.old.n && j < M.spare.n; i++) {
		int c = 1;
		while (j < M.spare.n && (c = strcmp(M.spare.e[j].path, M.old.e[i].path)) < 0)
			j++;
		if (c == 0)
			M.old.e[i].spare = (uint32_t)j + 1;
	}
	M.spare_linked = true;
}

/* The spare's files that the build did not make (w: the new site's list, by path), and its
 * folders the build did not make, removed; one that stays is a warning in warn. The spare's
 * list is sorted (whole: else it has no entries). */
static void spare_finish(Walk *w, Buf *warn)
{
	const Entry *was, *now = walk_next(w, &was);
	for (size_t i = 0; i < M.spare.n; i++) {
		const Entry *there = &M.spare.e[i];
		if (there->state == OLD_UNKNOWN)	/* not found there */
			continue;
		int c = 1;
		while (now && (c = strcmp(now->path, there->path)) < 0)
			now = walk_next(w, &was);
		if (c != 0 && unlinkat(M.new_root, there->path, 0) != 0 && errno != ENOENT)	/* immutable, say */
			spare_failed("remove", there->path, errno);
	}
	if (M.nmade)
		qsort(M.made, M.nmade, sizeof *M.made, strcmp_ptr);
	bool said = false;
	for (size_t i = 0; i < M.nspare_dirs; i++) {
		struct stat st;
		if (M.nmade && bsearch(&M.spare_dirs[i], M.made, M.nmade, sizeof *M.made, strcmp_ptr))
			continue;
		out_remove_at(M.new_root, M.spare_dirs[i], true);	/* a file the build made there stays */
		if (!said && fstatat(M.new_root, M.spare_dirs[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode)) {	/* that file is the page the build made in its place: no "remove it" */
			buf_printf(warn, "%swarning: c360 could not remove ", warn->len ? "\n" : "");
			buf_put_printable(warn, M.spare_dirs[i], strlen(M.spare_dirs[i]), 200);
			buf_printf(warn, " from %s/" SPARE_NAME " (folders it may not empty, or more than %ld): it is in the new "
					 "site; remove it by hand", M.out, EMPTY_FOLDERS);
			said = true;
		}
	}
}

void manifest_previous(void)
{
	bool load = M.out && !M.old_loaded;
	if (load)	/* while the spare's walk goes on, if it does: neither reads what the other writes */
		old_load(M.out);
	spare_join();
	if (load)
		spare_link();
	M.old_loaded = true;
}

bool manifest_active(const char *dir)
{
	return M.staging && strcmp(dir, M.staging) == 0;
}

static bool made_from(const Entry *e, FileHash input);

/* A page of the new site with what it was made from, under mu. */
static void page_listed(const char *path, FileHash input, uint32_t rank)
{
	if (M.npages == M.pages_cap) {
		M.pages_cap = M.pages_cap ? M.pages_cap * 2 : 4096;
		M.pages = xrealloc(M.pages, M.pages_cap * sizeof *M.pages);
	}
	M.pages[M.npages++] = (Entry){.path = path, .input = input, .has_input = true, .rank = rank};
}

/* Lists a file of the new site, and with input what it was made from. path is kept (an old
 * entry's) or copied; old is the previous site's entry of that path, if known. */
static void listed(const char *path, bool kept, FileHash h, uint64_t size, const FileHash *input, Entry *old)
{
	uint32_t rank = old ? (uint32_t)(old - M.old.e) + 1 : 0;
	pthread_mutex_lock(&M.mu);
	/* A file kept as the previous site listed it (the same path, hash and size: the callers'
	 * old) is marked in the previous site's list, sorted (whole), not listed anew: a rebuild
	 * keeps ~all of 100k files, and new memory costs more than the rest of their listing. */
	if (kept && old && M.old.whole && !old->now) {
		old->now = true;
		M.kept++;
		if (input && made_from(old, *input))
			old->page_now = true;
		else if (input)
			page_listed(path, *input, rank);
		pthread_mutex_unlock(&M.mu);
		return;
	}
	if (!kept)
		path = arena_strndup(&M.names, path, strlen(path));
	/* first as many as the previous site listed (a rebuild lists about as many): not doubled
	 * and copied up to them, and memory not touched beyond what is listed */
	size_t first = M.old.n + 4096;
	if (M.n == M.cap) {
		M.cap = M.cap ? M.cap * 2 : first;
		M.now = xrealloc(M.now, M.cap * sizeof *M.now);
	}
	M.now[M.n++] = (Entry){.path = path, .hash = h, .size = size, .rank = rank};
	kept ? M.kept++ : M.written++;
	if (input)
		page_listed(path, *input, rank);
	pthread_mutex_unlock(&M.mu);
}

/* Whether the previous site's file of entry e is as its manifest says (found so by the check,
 * else looked at now). */
static bool as_listed(Entry *e)
{
	struct stat st;
	if (e->state == OLD_UNKNOWN)
		e->state = M.old_root >= 0 && fstatat(M.old_root, e->path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				   S_ISREG(st.st_mode) && (uint64_t)st.st_size == e->size && not_later(st.st_mtim, M.old.since)
			   ? OLD_SAME : OLD_CHANGED;
	return e->state == OLD_SAME;
}

/* The previous site's file of entry e, if it is as listed, hard-linked into the staging folder
 * under the same name. */
static bool link_old(Entry *e)
{
	if (!as_listed(e) || M.new_root < 0)
		return false;
	if (linkat(M.old_root, e->path, M.new_root, e->path, 0) == 0)
		return true;
	return errno == EEXIST && unlinkat(M.new_root, e->path, 0) == 0 && linkat(M.old_root, e->path, M.new_root, e->path, 0) == 0;
}

bool manifest_keep(const char *name, FileHash h, uint64_t size, bool written)
{
	Entry *s = written ? NULL : spare_holds(name, h, size);
	if (s) {
		listed(s->path, true, h, size, NULL, NULL);
		return true;
	}
	Entry *e = old_entry(name);
	if (!e || e->size != size || e->hash.lo != h.lo || e->hash.hi != h.hi || !link_old(e))
		return false;
	listed(e->path, true, h, size, NULL, e);
	return true;
}

bool manifest_old_pages(const char *dir)
{
	return manifest_active(dir) && M.old_pages;
}

static bool made_from(const Entry *e, FileHash input)
{
	return e->has_input && e->input.lo == input.lo && e->input.hi == input.hi;
}

bool manifest_file_kept(const char *dir, const char *name, FileHash input)
{
	if (!manifest_active(dir))
		return false;
	Entry *e = old_entry(name);
	if (!e || !made_from(e, input))
		return false;
	Entry *s = spare_holds_old(e);
	if (!s && !link_old(e))
		return false;
	listed(s ? s->path : e->path, true, e->hash, e->size, &input, e);
	return true;
}

int manifest_old_open(const char *dir, const char *name, FileHash input, uint64_t *size)
{
	if (!manifest_active(dir))
		return -1;
	Entry *e = old_entry(name);
	if (!e || !made_from(e, input) || e->size > (1u << 30) || !as_listed(e))
		return -1;
	int fd = openat(M.old_root, e->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != e->size))
		close(fd), fd = -1;
	*size = e->size;
	return fd;
}

bool manifest_old_bytes(const char *dir, const char *name, FileHash input, Buf *out)
{
	uint64_t size;
	int fd = manifest_old_open(dir, name, input, &size);
	size_t at = out->len, n = (size_t)size;
	bool ok = fd >= 0;
	if (ok && n) {
		buf_grow(out, n);
		for (size_t got = 0; ok && got < n;) {
			ssize_t r = pread(fd, out->p + at + got, n - got, (off_t)got);
			ok = r > 0 || (r < 0 && errno == EINTR);
			got += r > 0 ? (size_t)r : 0;
		}
	}
	if (fd >= 0)
		close(fd);
	out->len = ok ? at + n : at;
	return ok;
}

/* The old entry's file is in the staging folder already: the spare's, of the same bytes. */
static bool in_spare(const Entry *e)
{
	return spare_holds_old(e) != NULL;
}

size_t manifest_group_kept(const char *dir, FileHash input)
{
	size_t n = 0, linked = 0;	/* linked: in the staging folder, the spare's or linked */
	for (size_t i = 0; i < M.old.n; i++)
		if (made_from(&M.old.e[i], input) && (n++, !in_spare(&M.old.e[i]) && !as_listed(&M.old.e[i])))
			return 0;
	for (size_t i = 0; manifest_active(dir) && linked < n && i < M.old.n; i++) {
		if (!made_from(&M.old.e[i], input))
			continue;
		if (!in_spare(&M.old.e[i]) && !link_old(&M.old.e[i]))
			break;
		linked++;
	}
	for (size_t i = 0; i < M.old.n; i++) {	/* each listed, or those linked taken back */
		if (!made_from(&M.old.e[i], input))
			continue;
		if (linked == n)
			listed(M.old.e[i].path, true, M.old.e[i].hash, M.old.e[i].size, &input, &M.old.e[i]);
		else if (linked && (in_spare(&M.old.e[i]) || unlinkat(M.new_root, M.old.e[i].path, 0) == 0))
			linked--;
	}
	return linked == n ? n : 0;
}

void manifest_prefetch(const char *name, uint64_t *hash, int step)
{
	if (!M.oldx.nslots)
		return;
	if (step == 2)
		*hash = path_hash(name);
	const uint32_t *slot = &M.oldx.slot[*hash & (M.oldx.nslots - 1)];
	if (step == 2) {
		__builtin_prefetch(slot);
		return;
	}
	if (!*slot)	/* no entry there: nothing to look at */
		return;
	const Entry *e = &M.old.e[*slot - 1];
	if (step == 1) {
		__builtin_prefetch(e);
		return;
	}
	__builtin_prefetch(e->path);
	if (M.spare_linked && e->spare)
		__builtin_prefetch(&M.spare.e[e->spare - 1]);
}

bool manifest_page_kept(const char *dir, const char *name, FileHash input)
{
	if (!manifest_file_kept(dir, name, input))
		return false;
	__atomic_add_fetch(&M.unrendered, 1, __ATOMIC_RELAXED);
	return true;
}

void manifest_page_made(const char *dir, const char *name, FileHash input)
{
	if (!manifest_active(dir))
		return;
	pthread_mutex_lock(&M.mu);
	page_listed(arena_strndup(&M.names, name, strlen(name)), input, 0);
	pthread_mutex_unlock(&M.mu);
}

void manifest_wrote(const char *name, FileHash h, uint64_t size)
{
	listed(name, false, h, size, NULL, NULL);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const Entry *)a)->path, ((const Entry *)b)->path);
}

/* Entries e[0..n) sorted by path, as qsort by entry_cmp sorts them (a path listed twice: in the
 * order listed), without comparing most paths: the previous site's list is sorted (whole), so
 * each entry whose path it holds goes to that path's place (rank; looked up if not known);
 * the others (new paths, or every path with no previous list) are sorted by strcmp and merged in
 * before the first of the previous list's paths that comes after them. */
static void by_path(Entry *e, size_t n)
{
	size_t nold = M.old.whole ? M.old.n : 0;
	if (!n)	/* a shard may write no files, a rebuild keep all (marked): e may be NULL */
		return;
	if (!nold) {
		qsort(e, n, sizeof *e, entry_cmp);
		return;
	}
	uint32_t *at = xcalloc(nold, sizeof *at);	/* the entry (+ 1) at each rank */
	Entry *rest = xmalloc((n + 1) * sizeof *rest), *sorted = xmalloc((n + 1) * sizeof *sorted);
	size_t nrest = 0, k = 0, j = 0;
	for (size_t i = 0; i < n; i++) {
		Entry *old = e[i].rank ? NULL : path_find(&M.oldx, e[i].path);
		uint32_t r = e[i].rank = old ? (uint32_t)(old - M.old.e) + 1 : e[i].rank;
		if (r && !at[r - 1])
			at[r - 1] = (uint32_t)i + 1;
		else
			rest[nrest++] = e[i];
	}
	if (nrest)
		qsort(rest, nrest, sizeof *rest, entry_cmp);
	for (size_t r = 0; r <= nold; r++) {
		while (j < nrest && (r == nold || strcmp(rest[j].path, M.old.e[r].path) < 0))
			sorted[k++] = rest[j++];
		if (r < nold && at[r])
			sorted[k++] = e[at[r] - 1];
	}
	memcpy(e, sorted, n * sizeof *e);
	free(at), free(rest), free(sorted);
}

/* A manifest's line: "%016llx%016llx %llu %s\n", without printf's cost a line. */
static void entry_line(Buf *b, const Entry *e)
{
	char hex[33];
	hash_text(e->hash, hex);
	hex[32] = ' ';
	buf_put(b, hex, sizeof hex);
	buf_int(b, (int64_t)e->size);
	buf_putc(b, ' ');
	buf_puts(b, e->path);
	buf_putc(b, '\n');
}

/* Entry e's line, copied from the list's text where was, that list's entry of its path, has
 * it as entry_line writes it (the same bytes, for the same hash and size). */
static void list_line(Buf *b, const Entry *e, const Entry *was)
{
	if (!was || !was->canon || was->size != e->size || was->hash.lo != e->hash.lo || was->hash.hi != e->hash.hi) {
		entry_line(b, e);
		return;
	}
	size_t digits = 1;
	for (uint64_t v = was->size; v >= 10; v /= 10)
		digits++;
	const char *line = was->path - 34 - digits;	/* hash, space, size, space */
	buf_put(b, line, (size_t)(was->path - line) + strlen(was->path));
	buf_putc(b, '\n');
}

/* Lines of a list gathered a block at a time and written on to fd: the whole list's text is
 * never in memory (fresh memory costs more than writing it). ok: every write so far whole. */
typedef struct {
	int fd;
	Buf b;
	bool ok;
} ListOut;

enum { LIST_BLOCK = 1 << 16 };	/* written a block at a time: the buffer stays in the cache */

static void list_flush(ListOut *o, bool all)
{
	if (o->b.len < (all ? 1 : LIST_BLOCK))
		return;
	o->ok = o->ok && fd_write_all(o->fd, o->b.p, o->b.len, NULL);
	o->b.len = 0;
}

/* Ends the list: its last lines written, fd closed (where close is true); false if a write failed. */
static bool list_end(ListOut *o, bool close_it)
{
	list_flush(o, true);
	int e = o->ok ? 0 : errno;
	if (close_it && o->fd >= 0 && close(o->fd) != 0 && o->ok)
		o->ok = false, e = errno;
	buf_free(&o->b);
	errno = e;
	return o->ok;
}

bool manifest_write(Buf *err, Buf *warn)
{
	by_path(M.now, M.n);
	if (M.spare_on) {
		Walk w = walk_start(M.now, M.n, false);
		spare_finish(&w, warn);
	}
	if (M.spare_unread) {	/* spare_not_walked: not the site a fresh build makes */
		buf_printf(err, "c360: error: cannot %s %s/" SPARE_NAME "%s%s, which this build took to build in: %s "
				"(the next build builds without it)\n", M.spare_verb, M.out, *M.spare_unread ? "/" : "",
			   M.spare_unread, strerror(M.spare_errno));
		return false;
	}
	if (M.nforeign)
		buf_printf(warn, "%swarning: links or files in place of folders of the site in %s: %s%s: what was listed "
				 "under them was left alone (the new site has folders of its own there)", warn->len ? "\n" : "",
			   M.out, buf_cstr(&M.foreign), M.nforeign > 5 ? " and more" : "");
	char *path = path_join(M.staging, MANIFEST_NAME);
	/* truncated, not made anew: the marker's own file, its lock stays */
	ListOut o = {.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)};
	o.ok = o.fd >= 0;
	buf_puts(&o.b, MANIFEST_HEAD);
	Walk w = walk_start(M.now, M.n, false);
	for (const Entry *e, *was; o.ok && (e = walk_next(&w, &was));) {
		list_line(&o.b, e, was);
		list_flush(&o, false);
	}
	bool ok = list_end(&o, true);
	if (!ok)
		buf_printf(err, "c360: error: cannot write %s: %s\n", path, strerror(errno ? errno : EIO));
	free(path);
	return ok;
}

/* The previous site's files that go: gone[from, to), places in its list, removed; ok false if
 * one could not be. */
typedef struct {
	const uint32_t *gone;
	size_t from, to;
	bool ok;
} Removal;

static void *remove_gone(void *arg)
{
	Removal *r = arg;
	for (size_t i = r->from; i < r->to; i++)
		if (unlinkat(M.old_root, M.old.e[r->gone[i]].path, 0) != 0 && errno != ENOENT)
			r->ok = false;
	return NULL;
}

/* After the swap, the previous site (M.old_root, out's spare from now on) keeps only the files
 * the new site holds byte for byte (manifest_write sorted M.now): a customer gone or changed,
 * the previous edition's figures, are not left behind in out's folder until the next build.
 * A file found modified since its manifest goes too; one not looked at (a build with a spare
 * looks at the spare's files, not the site's: no second stat a file) stays, and its manifest
 * keeps its time (the next build trusts a spare's file not modified since). False if the
 * previous site's list is not known whole: the spare must go. */
bool manifest_prune_previous(void)
{
	if (!M.old_loaded || !M.old.whole || M.old_root < 0)
		return false;
	/* written as it is made: a failure on the way leaves a list the caller's removal of the
	 * folder makes moot, and one cut short is not whole (its last line has no newline, or
	 * lists fewer files than are there: those go with the next build) */
	ListOut o = {.fd = openat(M.old_root, MANIFEST_NAME, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)};
	bool ok = o.ok = o.fd >= 0;
	buf_puts(&o.b, MANIFEST_HEAD);
	uint32_t *gone = xmalloc((M.old.n + 1) * sizeof *gone);
	size_t ngone = 0;
	Walk w = walk_start(M.now, M.n, false);	/* sorted by manifest_write */
	const Entry *was = NULL, *now = walk_next(&w, &was);
	for (size_t i = 0; ok && i < M.old.n; i++) {	/* both sorted by path */
		const Entry *old = &M.old.e[i];
		/* the new site's entries before old's path: known by their previous entry's place */
		while (now && (was ? was < old : strcmp(now->path, old->path) < 0))
			now = walk_next(&w, &was);
		if (now && was == old && now->size == old->size && now->hash.lo == old->hash.lo &&
		    now->hash.hi == old->hash.hi && old->state != OLD_CHANGED && old->state != OLD_FOREIGN)
			list_line(&o.b, old, old), list_flush(&o, false);
		else if (old->state != OLD_FOREIGN)	/* not the site's: left where it is */
			gone[ngone++] = (uint32_t)i;
	}
	/* The files that go (a 1 % rebuild's at 100k: ~1,160, the kernel freeing ~150 MB of their
	 * pages) removed on two threads, the list ended meanwhile: one that is whole before they
	 * are all gone lists fewer files than are there, as above. */
	Removal half[2] = {{gone, 0, ngone / 2, true}, {gone, ngone / 2, ngone, true}};
	pthread_t t;
	bool beside = ngone >= 64 && pthread_create(&t, NULL, remove_gone, &half[0]) == 0;
	if (!beside)
		remove_gone(&half[0]);
	list_flush(&o, true);
	ok = ok && o.ok && futimens(o.fd, (struct timespec[2]){M.old.since, M.old.since}) == 0;
	remove_gone(&half[1]);
	if (beside)
		pthread_join(t, NULL);
	free(gone);
	o.ok = ok && half[0].ok && half[1].ok;
	return list_end(&o, true);
}

int manifest_previous_lists(const char *name)
{
	if (!M.old_loaded || !M.old.whole)
		return -1;
	size_t n = strlen(name), i = run_bound(&M.old, 0, M.old.n, name, n + 1, false);	/* its NUL too: name */
	if (i < M.old.n && strcmp(M.old.e[i].path, name) == 0)
		return 1;
	char *folder = path_join(name, "");	/* name and a '/': the first of its files, if any */
	i = run_bound(&M.old, 0, M.old.n, folder, n + 1, false);
	bool listed = i < M.old.n && strncmp(M.old.e[i].path, folder, n + 1) == 0;
	free(folder);
	return listed;
}

void manifest_counts(uint64_t *written, uint64_t *kept, uint64_t *unrendered)
{
	*written = M.written, *kept = M.kept, *unrendered = M.unrendered;
}

void manifest_end(void)
{
	spare_join();
	old_free(&M.old);
	old_free(&M.spare);
	for (size_t i = 0; i < M.nspare_dirs; i++)
		free(M.spare_dirs[i]);
	for (size_t i = 0; i < M.nspare_jobs; i++)
		free(M.spare_jobs[i].rel);
	free(M.spare_dirs), free(M.made), free(M.spare_jobs);
	arena_free(&M.names);
	if (M.old_root >= 0)
		close(M.old_root);
	if (M.new_root >= 0)
		close(M.new_root);
	free(M.now), free(M.pages), free(M.oldx.slot), free(M.out), free(M.staging), buf_free(&M.foreign);
	free(M.spare_unread);
	pthread_mutex_t mu = M.mu;
	memset(&M, 0, sizeof M);
	M.mu = mu;
	M.old_root = M.new_root = -1;
}

/* ---- what a site is made from: rebuilding from the same changes nothing */

/* A file's name, size and bytes, streamed (a render's gold folder is hundreds of MB): a file
 * whose size is not what it was at the start hashes with a mark, so the site is not up to date. */
static void hash_file(FileHasher *h, const char *name, const char *path)
{
	file_hasher_add(h, name, strlen(name) + 1);
	const char *why;
	int fd = open_regular(path, &why);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		file_hasher_add(h, "-", 1);	/* absent */
		if (fd >= 0)
			close(fd);
		return;
	}
	uint64_t n = (uint64_t)st.st_size, got = 0;
	file_hasher_add(h, &n, sizeof n);
	char slice[64 << 10];
	ssize_t r;
	while ((r = read(fd, slice, sizeof slice)) != 0) {
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0)
			file_hasher_add(h, slice, (size_t)r), got += (uint64_t)r;
	}
	if (r != 0 || got != n)
		file_hasher_add(h, "!", 1);	/* unreadable or changed */
	close(fd);
}

/* Whether the site at --out keeps a cache of the export name: the build then takes it from
 * there if it is unchanged or only grew, and reads no more of it than what it grew by. */
static bool cached_before(const Config *cfg, const char *name)
{
	if (!cfg->cache || !cfg->out_dir)
		return false;
	char *dir = path_join(cfg->out_dir, CACHE_DIR), *path = path_join(dir, name);
	bool yes = access(path, F_OK) == 0;	/* a guess: the build checks the file */
	free(dir), free(path);
	return yes;
}

/* The data files (each export, then each file [sql] reads as a table) as hash_file hashes a
 * file, their bytes read once, on the build's threads: the build takes them (inputs_ahead). */
static void hash_inputs(FileHasher *h, const Config *cfg)
{
	size_t n = SRC_COUNT + cfg->ntables;
	const char **name = xmalloc(n * sizeof *name), **file = xmalloc(n * sizeof *file);
	bool *by_read = xmalloc(n * sizeof *by_read);
	FileHash *bytes = xmalloc(n * sizeof *bytes);
	uint64_t *len = xmalloc(n * sizeof *len);
	for (size_t i = 0; i < n; i++) {
		name[i] = i < SRC_COUNT ? source_defs[i].name : cfg->tables[i - SRC_COUNT].name;
		file[i] = i < SRC_COUNT ? config_file_of(cfg, (SourceId)i) : cfg->tables[i - SRC_COUNT].file;
		by_read[i] = cached_before(cfg, name[i]);
	}
	inputs_ahead(cfg, file, by_read, n, config_threads(cfg), cfg->cache ? cfg->out_dir : NULL, bytes, len);
	for (size_t i = 0; i < n; i++) {
		file_hasher_add(h, name[i], strlen(name[i]) + 1);
		if (len[i] == INPUT_UNREADABLE) {
			file_hasher_add(h, "!", 1);	/* no site is made from it: the build says why */
		} else if (len[i] != UINT64_MAX) {
			file_hasher_add(h, &len[i], sizeof len[i]);
			file_hasher_add(h, &bytes[i], sizeof bytes[i]);	/* the cache's key takes it too */
		} else {
			file_hasher_add(h, "-", 1);	/* absent */
		}
	}
	free(name), free(file), free(by_read), free(bytes), free(len);
}

/* Every regular file under dir (by name, sorted), folders included. */
static void hash_tree(FileHasher *h, const char *dir, int depth)
{
	size_t n;
	Buf ignore = {0};
	char **names = dir_list(dir, NULL, &n, &ignore);
	file_hasher_add(h, "[", 1);
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8) {
			file_hasher_add(h, names[i], strlen(names[i]) + 1);
			hash_tree(h, path, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			hash_file(h, names[i], path);
		}
		free(path), free(names[i]);
	}
	file_hasher_add(h, "]", 1);
	free(names);
	buf_free(&ignore);
}

/* c360 itself and the libraries' versions, the settings in force, the config as parsed and
 * the rates, the templates (c360's own too), theme and assets. */
static FileHash exe_hash;
static pthread_once_t exe_hashed = PTHREAD_ONCE_INIT;

static void exe_hash_make(void)
{
	FileHasher *h = file_hasher_new();
	hash_file(h, "c360", "/proc/self/exe");
	exe_hash = file_hasher_end(h);
}

static void hash_settings(FileHasher *h, const Config *cfg)
{
	/* c360 itself once a process (a build takes its settings' hash five times, c360 serve at
	 * every rebuild): the running program's bytes do not change, even if its file is replaced */
	FileHash exe = manifest_program();
	file_hasher_add(h, &exe, sizeof exe);
	/* and the libraries cleaning takes rules from: libunistring's case tables, glibc's iconv */
	int unistring = _libunistring_version;
	file_hasher_add(h, &unistring, sizeof unistring);
	file_hasher_add(h, gnu_get_libc_version(), strlen(gnu_get_libc_version()));
	Buf settings = {0};
	config_show(&settings, cfg);	/* every setting in force, --as-of and the theme's name too */
	file_hasher_add(h, settings.p, settings.len);
	buf_free(&settings);
	if (cfg->config_file) {	/* its input sections ([read], [sql], [currency]...) too, as parsed */
		file_hasher_add(h, "config", sizeof "config");
		file_hasher_add(h, &cfg->config_bytes, sizeof cfg->config_bytes);
	}
	for (size_t i = 0; i < cfg->nread; i++)	/* a zone a value names (%z) is tzdata's: any of them */
		if (cfg->read[i].opt.date_format && strstr(cfg->read[i].opt.date_format, "%z")) {
			FileHash tz = tz_data_hash();
			file_hasher_add(h, &tz, sizeof tz);
			break;
		}
	for (size_t i = 0; i < cfg->nrates; i++) {	/* a rates file's too */
		file_hasher_add(h, cfg->rates[i].code, 4);
		file_hasher_add(h, &cfg->rates[i].nanos, sizeof cfg->rates[i].nanos);
	}
	hash_tree(h, cfg->templates_dir, 0);
	if (cfg->shipped_templates && strcmp(cfg->shipped_templates, cfg->templates_dir) != 0)
		hash_tree(h, cfg->shipped_templates, 0);	/* c360's own, for those the project lacks */
	char *theme = path_join(cfg->themes_dir, cfg->theme);
	hash_tree(h, theme, 0);
	free(theme);
	hash_tree(h, cfg->assets_dir, 0);
}

FileHash manifest_program(void)
{
	pthread_once(&exe_hashed, exe_hash_make);
	return exe_hash;
}

FileHash manifest_settings(const Config *cfg)
{
	Config c = *cfg;	/* where the data is and its date are in the values made from it */
	c.data_dir = "";
	c.as_of = MOMENT_NULL;
	FileHasher *h = file_hasher_new();
	hash_settings(h, &c);
	return file_hasher_end(h);
}

FileHash manifest_inputs(const Config *cfg, const char *gold_dir)
{
	FileHasher *h = file_hasher_new();
	hash_settings(h, cfg);
	file_hasher_add(h, gold_dir ? "render" : "build", 6);
	if (gold_dir) {
		hash_tree(h, gold_dir, 0);
	} else {
		input_ahead_free();	/* a previous build's (c360 serve) */
		hash_inputs(h, cfg);
	}
	return file_hasher_end(h);
}

bool manifest_write_inputs(FileHash inputs, Buf *err)
{
	char text[34];
	hash_text(inputs, text);
	text[32] = '\n';
	OutFile f;
	if (!out_open(&f, M.staging, INPUTS_NAME, err))
		return false;
	buf_put(&f.buf, text, 33);
	by_path(M.pages, M.npages);
	Walk w = walk_start(M.pages, M.npages, true);
	for (const Entry *e, *was; (e = walk_next(&w, &was));) {
		hash_text(e->input, text);
		text[32] = ' ';
		buf_put(&f.buf, text, 33);
		buf_puts(&f.buf, e->path);
		buf_putc(&f.buf, '\n');
		out_flush_over(&f, LIST_BLOCK);
	}
	return out_close(&f, err);
}
