/* output.c — the only stage that writes: a staging folder swapped in whole, checked files. */
#include "c360.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MARKER MANIFEST_NAME

char *path_join(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);
	bool slash = an && a[an - 1] != '/';
	char *p = xmalloc(an + slash + bn + 1);
	memcpy(p, a, an);
	if (slash)
		p[an] = '/';
	memcpy(p + an + slash, b, bn + 1);
	return p;
}

char *path_resolve(const char *path)
{
	char *cur = path[0] == '/' ? xstrdup("/") : realpath(".", NULL);
	if (!cur)
		cur = xstrdup(".");
	size_t real = strlen(cur);	/* cur[0..real) exists and is resolved */
	char *copy = xstrdup(path), *save = NULL;
	for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		if (strcmp(part, "..") == 0) {
			char *slash = strrchr(cur, '/');
			if (slash)
				slash[slash == cur] = '\0';
			if (strlen(cur) < real)
				real = strlen(cur);
			continue;
		}
		char *next = path_join(cur, part), *resolved = real == strlen(cur) ? realpath(next, NULL) : NULL;
		free(cur);
		cur = resolved ? (free(next), resolved) : next;
		if (resolved)
			real = strlen(cur);
	}
	free(copy);
	return cur;
}

bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The entries of the folder open as fd, but for . and .. and the one named last. */
static int folder_entries(int fd, const char *last, char *buf, size_t size)
{
	int count = 0;
	lseek(fd, 0, SEEK_SET);
	for (ssize_t n; (n = getdents64(fd, buf, size)) > 0;)
		for (ssize_t at = 0; at < n;) {
			const struct dirent64 *e = (const struct dirent64 *)(void *)(buf + at);
			at += e->d_reclen;
			count += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
				 !(last && strcmp(e->d_name, last) == 0);
		}
	return count;
}

/* A folder too deep to go into (EMPTY_DEPTH) moved up into the top folder being emptied, as
 * .c360-deep-N: a later pass there goes EMPTY_DEPTH further down it. False if it could not be. */
static bool hoist(int fd, const char *name, int top, unsigned *hoisted)
{
	char to[32];
	for (int tries = 0; tries < 64; tries++) {
		snprintf(to, sizeof to, ".c360-deep-%u", (*hoisted)++);
		if (renameat2(fd, name, top, to, RENAME_NOREPLACE) == 0)
			return true;
		if (errno != EEXIST)
			return false;
	}
	return false;
}

/* Empties the folder open as fd, but for the entry named last (NULL: none), without following
 * symbolic links and without allocating (it runs when memory has run out); again while entries
 * came as it read (more are there than it could not remove): a few times, or at the top (top
 * is fd there) as long as folders hoisted from below come. */
static void empty_folder_in(int fd, const char *last, int depth, long *folders, int top, unsigned *hoisted)
{
	char buf[1024];
	for (int pass = 0, again = 1; again && pass < (depth ? 8 : 1 << 16); pass++) {
		int left = 0, seen = 0;
		lseek(fd, 0, SEEK_SET);
		for (ssize_t n; (n = getdents64(fd, buf, sizeof buf)) > 0;) {
			for (ssize_t at = 0; at < n;) {
				const struct dirent64 *e = (const struct dirent64 *)(void *)(buf + at);
				at += e->d_reclen;
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
				    (last && strcmp(e->d_name, last) == 0))
					continue;
				seen++;
				if (unlinkat(fd, e->d_name, 0) == 0)
					continue;
				if (errno != EISDIR && errno != EPERM) {
					left += errno != ENOENT;
					continue;
				}
				if (--*folders <= 0) {
					left++;
					continue;
				}
				if (depth + 1 == EMPTY_DEPTH && hoist(fd, e->d_name, top, hoisted))
					continue;
				int sub = depth + 1 < EMPTY_DEPTH
						  ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
						  : -1;
				if (sub >= 0) {
					empty_folder_in(sub, NULL, depth + 1, folders, top, hoisted);
					close(sub);
				}
				left += unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0 && errno != ENOENT;
			}
		}
		again = seen && folder_entries(fd, last, buf, sizeof buf) > left;	/* an empty folder: one look */
	}
}

static void empty_folder(int fd, const char *last)
{
	long folders = EMPTY_FOLDERS;
	unsigned hoisted = 0;
	empty_folder_in(fd, last, 0, &folders, fd, &hoisted);
}

void out_remove_at(int dirfd, const char *name, bool folder)
{
	if (!folder && (unlinkat(dirfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM)))
		return;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		empty_folder(fd, NULL);
		close(fd);
	}
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Removes a tree without following symbolic links. A staging folder's marker goes last, and
 * only once the rest is gone: a build killed while it removes one, or one that could not remove
 * all of it (an immutable file, a folder it may not read), leaves a folder the next build still
 * knows to remove. */
static void remove_tree(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	empty_folder(fd, MARKER);
	char buf[1024];
	if (folder_entries(fd, MARKER, buf, sizeof buf) == 0)
		out_remove_at(fd, MARKER, false);	/* a file, or whatever stands in its name */
	close(fd);
	rmdir(dir);
}

/* Removes a folder in the way of a file: true once it is gone. */
static bool rmtree_ok(const char *dir)
{
	remove_tree(dir);
	return access(dir, F_OK) != 0;
}

/* The staging folder of this run, removed if the process ends before the swap; after the
 * swap it holds the previous site until that is removed (or kept as the spare). */
static pthread_mutex_t staging_mu = PTHREAD_MUTEX_INITIALIZER;
static char *staging_dir;	/* under staging_mu */
static bool staging_swapped;
static bool staging_exchanged;	/* swapped by one atomic exchange: the previous site is whole */

/* Removes the staging folder while other threads may still write into it: it is moved aside
 * first (to a name the next build would also clear), so that they find nothing to write to.
 * False if some of it stays (its name in left, PATH_MAX bytes, unless NULL). */
static bool remove_while_written(const char *dir, char *left)
{
	char aside[PATH_MAX];
	size_t n = strlen(dir);
	if (n < 6 || n >= sizeof aside) {
		remove_tree(dir);
		return access(dir, F_OK) != 0;
	}
	memcpy(aside, dir, n + 1);
	memcpy(aside + n - 6, "XXXXXX", 6);
	if (!mkdtemp(aside)) {
		memcpy(aside, dir, n + 1);
	} else if (rename(dir, aside) != 0) {
		rmdir(aside);
		memcpy(aside, dir, n + 1);
	}
	remove_tree(aside);
	for (int tries = 0; tries < 100 && access(aside, F_OK) == 0; tries++) {
		nanosleep(&(struct timespec){0, 10000000}, NULL);	/* writes under way end */
		remove_tree(aside);
	}
	if (access(aside, F_OK) != 0)
		return true;
	if (left)
		memcpy(left, aside, strlen(aside) + 1);
	return false;
}

/* fn(arg) on threads threads at once, this one among them; returns when all have returned. */
static void run_threads(void *(*fn)(void *), void *arg, int threads)
{
	pthread_t *t = xcalloc((size_t)(threads > 1 ? threads : 1), sizeof *t);
	int started = 0;
	for (int i = 1; i < threads; i++)
		started += pthread_create(&t[started], NULL, fn, arg) == 0;
	fn(arg);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* Folders two levels down a tree (customers/xx/: most of a site's files), emptied on threads
 * that each take the next as they come free. */
typedef struct {
	int top;
	char **sub;		/* "a/b" */
	size_t n, next;
} Sweep;

static void *sweep(void *arg)
{
	Sweep *w = arg;
	for (size_t k; (k = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n;) {
		int fd = openat(w->top, w->sub[k], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			empty_folder(fd, NULL);
			close(fd);
		}
	}
	return NULL;
}

DIR *out_opendir_at(int fd)
{
	int own = dup(fd);
	DIR *d = own >= 0 ? fdopendir(own) : NULL;
	if (!d && own >= 0)
		close(own);
	return d;
}

/* The folders of the folder fd at, under the name prefix ("" or "a/"), appended to w. */
static void sweep_list(Sweep *w, int at, const char *prefix)
{
	DIR *d = out_opendir_at(at);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		w->sub = xrealloc(w->sub, (w->n + 1) * sizeof *w->sub);
		w->sub[w->n++] = path_join(prefix, e->d_name);
	}
	closedir(d);
}

static void sweep_tree(const char *dir, int threads)
{
	Sweep w = {.top = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
	Sweep first = {0};
	if (w.top < 0)
		return;
	sweep_list(&first, w.top, "");
	for (size_t i = 0; i < first.n; i++) {
		int fd = openat(w.top, first.sub[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			sweep_list(&w, fd, first.sub[i]), close(fd);
		free(first.sub[i]);
	}
	free(first.sub);
	run_threads(sweep, &w, threads);
	for (size_t i = 0; i < w.n; i++)
		free(w.sub[i]);
	free(w.sub);
	close(w.top);
}

/* Removes the staging folder (after the swap: the previous site; its biggest folders emptied
 * on threads first); what stays of it is a warning in warn, unless NULL. */
static void remove_staging_on(int threads, Buf *warn)
{
	char left[PATH_MAX];
	pthread_mutex_lock(&staging_mu);
	if (staging_dir && threads > 1)
		sweep_tree(staging_dir, threads);
	if (staging_dir && !remove_while_written(staging_dir, left) && warn)
		buf_printf(warn, "%swarning: c360 could not remove all of %s (folders it may not empty, or more than %ld, "
				 "that were put into the site): remove it by hand",
			   warn->len ? "\n" : "", left, EMPTY_FOLDERS);
	free(staging_dir);
	staging_dir = NULL;
	pthread_mutex_unlock(&staging_mu);
}

/* At exit: a thread that ran out of memory ends the process while others still write into
 * the staging folder, by its name: the folder goes, its name stays theirs (freed, it was read
 * half overwritten, and a page was written under that garbage in the working folder). */
static void remove_staging_at_exit(void)
{
	pthread_mutex_lock(&staging_mu);
	if (staging_dir)
		remove_while_written(staging_dir, NULL);
	pthread_mutex_unlock(&staging_mu);
}

static bool mkdir_parents(const char *path, Buf *err)
{
	char *p = xstrdup(path);
	for (char *s = strchr(p + 1, '/'); ; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			buf_printf(err, "c360: error: cannot create %s: %s\n", p, strerror(errno));
			free(p);
			return false;
		}
		if (!s)
			break;
		*s = '/';
	}
	free(p);
	return true;
}

/* ---- what the site's folder keeps that c360 does not make: .git, CNAME ... (keep in the
 * configuration) */

static char keep_text[1024];	/* the names, each ended by a NUL */
static const char *keep[KEEP_MAX + 1];
static size_t nkeep;

/* .git is kept whatever the list says: a keep without it would move a working tree's history
 * aside with the previous site (publish then found no repository, and the next one made one) */
void out_keep(const char *list)
{
	keep[0] = ".git";
	nkeep = 1;
	size_t at = 0;
	for (const char *p = list; *p && nkeep < KEEP_MAX + 1;) {
		size_t len = strcspn(p, ",");
		Str name = str_trim(str_make(p, len));
		if (name.n && at + name.n < sizeof keep_text && !str_eq(name, ".git")) {
			memcpy(keep_text + at, name.p, name.n);
			keep_text[at + name.n] = '\0';
			keep[nkeep++] = keep_text + at;
			at += name.n + 1;
		}
		p += len + (p[len] == ',');
	}
}

bool out_is_kept(const char *name)
{
	for (size_t i = 0; i < nkeep; i++)
		if (strcmp(name, keep[i]) == 0)
			return true;
	return false;
}

/* Moves (folders) or links (anything else) the kept entries of from that to lacks into to;
 * back is the way back: folders only, so that nothing is ever in neither place. */
static bool keep_move(const char *from, const char *to, bool back)
{
	bool ok = true;
	for (size_t i = 0; i < nkeep; i++) {
		char *f = path_join(from, keep[i]), *t = path_join(to, keep[i]);
		struct stat st, there;
		if (lstat(f, &st) == 0 && lstat(t, &there) != 0 && errno == ENOENT) {
			if (S_ISDIR(st.st_mode))
				ok &= rename(f, t) == 0;
			else if (!back)
				ok &= link(f, t) == 0;
		}
		free(f), free(t);
	}
	return ok;
}

/* Every entry of the folder is one it keeps (an empty folder too). */
static bool only_kept(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return false;
	struct dirent *e;
	bool only = true;
	while (only && (e = readdir(d)))
		only = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || out_is_kept(e->d_name);
	closedir(d);
	return only;
}

static bool is_ours(const char *name, const char *const *ours, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, ours[i]) == 0)
			return true;
	return false;
}

static void name_list(Buf *b, size_t *count, const char *name)
{
	if ((*count)++ < 3) {
		buf_puts(b, *count > 1 ? ", " : "");
		buf_put_printable(b, name, strlen(name), 200);
	} else if (*count == 4)
		buf_puts(b, ", ...");
}

bool out_claim(const char *dir, const char *marker, const char *const *ours, size_t n, bool force, Buf *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT || (buf_printf(err, "c360: error: %s: %s\n", dir, strerror(errno)), false);
	Buf all = {0}, foreign = {0}, over = {0};	/* over: of all, those a write replaces */
	size_t nall = 0, nforeign = 0, nover = 0;
	bool marked = false;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strcmp(e->d_name, marker) == 0) {
			marked = true;
			continue;
		}
		name_list(&all, &nall, e->d_name);
		if (!is_ours(e->d_name, ours, n))
			name_list(&foreign, &nforeign, e->d_name);
		else
			name_list(&over, &nover, e->d_name);
	}
	closedir(d);
	bool ok = force || (marked ? !nforeign : !nall);
	if (!ok)	/* unmarked, a file of a name c360 writes is not c360's: --force replaces it */
		buf_printf(err, "c360: error: %s holds files c360 did not write (%s); not writing into it "
				"(--force writes anyway, %s%s)\n", dir, buf_cstr(marked ? &foreign : &all),
			   marked || !nover ? "beside them" : "replacing ", marked || !nover ? "" : buf_cstr(&over));
	buf_free(&all);
	buf_free(&foreign);
	buf_free(&over);
	return ok;
}

/* The folder is the root of a mounted file system (a disk, a tmpfs, a bind mount such as a
 * container's volume): no rename moves it, so no site can be swapped in there. The kernel says
 * so where it can (statx, Linux 5.8); else another device than its parent's. */
static bool mount_root(const char *bare, const struct stat *st)
{
	struct statx sx;
	if (statx(AT_FDCWD, bare, AT_SYMLINK_NOFOLLOW, 0, &sx) == 0 && (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	char *parent = path_join(bare, "..");
	struct stat up;
	bool root = stat(parent, &up) == 0 && (up.st_dev != st->st_dev || up.st_ino == st->st_ino);
	free(parent);
	return root;
}

bool out_may_replace(const char *out, Buf *err)
{
	/* without its trailing slashes: lstat of "link/" follows the link, the swap's rename does not */
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	char *bare = xstrndup(out, n);
	struct stat st;
	int seen = lstat(bare, &st);
	bool mounted = seen == 0 && S_ISDIR(st.st_mode) && mount_root(bare, &st);
	free(bare);
	if (seen != 0)
		return errno == ENOENT || (buf_printf(err, "c360: error: %s: %s\n", out, strerror(errno)), false);
	if (mounted) {	/* said before the data is read: the swap at the end would fail (EXDEV, EBUSY) */
		buf_printf(err, "c360: error: %s is a mount point; a build replaces its --out folder whole, which cannot "
				"be done to a mount point: give --out a new folder inside it (%s%ssite, say)\n", out, out,
			   out[strlen(out) - 1] == '/' ? "" : "/");
		return false;
	}
	if (S_ISLNK(st.st_mode)) {	/* the swap would put a folder in the link's place */
		char *to = realpath(out, NULL);
		buf_printf(err, "c360: error: %s is a symbolic link; give --out the folder it leads to%s%s\n", out,
			   to ? ": " : "", to ? to : "");
		free(to);
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		buf_printf(err, "c360: error: %s exists and is not a folder; not replacing it (build into a new folder)\n", out);
		return false;
	}
	char *marker = path_join(out, MARKER);
	bool ok = access(marker, F_OK) == 0 || only_kept(out);
	free(marker);
	if (!ok)
		buf_printf(err, "c360: error: %s is not a folder c360 made (no %s in it); not replacing it (build into a new or "
				"empty folder)\n", out, MARKER);
	return ok;
}

bool out_replaceable(const char *out)
{
	Buf ignore = {0};
	bool ok = out_may_replace(out, &ignore);
	buf_free(&ignore);
	char *parent = xstrdup(out);	/* and its folder there: a build that fails leaves no folder */
	char *slash = strrchr(parent, '/');
	struct stat st;
	if (slash && slash != parent)
		*slash = '\0';
	ok = ok && (!slash || slash == parent || (stat(parent, &st) == 0 && S_ISDIR(st.st_mode)));
	free(parent);
	return ok;
}

/* The staging folder's marker stays locked while its build runs, so a later build can tell a
 * folder a killed build left behind (unlocked) from one still being written. */
static int staging_lock = -1;

static bool marker_unlocked(const char *dir)	/* locked a moment, and let go */
{
	char *marker = path_join(dir, MARKER);
	int fd = open(marker, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(marker);
	bool unlocked = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (fd >= 0)
		close(fd);
	return unlocked;
}

static int create(const char *path, bool staging);

/* A fresh staging folder's marker, made and locked; the folder is made again if it has gone:
 * another build's remove_stale_staging takes an empty one, or one whose marker it locked before
 * this build could (it then removes it). The marker is made beside and renamed over the one a
 * spare taken may hold (never written into: it may be linked), so that the folder never holds
 * files without a marker. The marker locked is the one at its path, or it is made again. */
static bool stage_marker(const char *dir, Buf *err)
{
	char *marker = path_join(dir, MARKER), *fresh = path_join(dir, MARKER ".new");
	bool ok = false;
	for (int tries = 0; tries < 8 && !ok; tries++) {
		pthread_mutex_lock(&staging_mu);	/* not after the signal guard has removed it */
		bool made = mkdir(dir, 0755) == 0;
		int made_errno = errno;
		pthread_mutex_unlock(&staging_mu);
		if (made)
			chmod(dir, 0755);	/* as out_stage made it: whatever the umask */
		else if ((errno = made_errno) != EEXIST)
			break;
		int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
		bool beside = fd < 0 && errno == EEXIST;
		if (beside)
			fd = create(fresh, true);
		struct stat locked, there;
		ok = fd >= 0 && flock(fd, LOCK_EX) == 0 && (!beside || rename(fresh, marker) == 0) &&
		     fstat(fd, &locked) == 0 && lstat(marker, &there) == 0 &&
		     locked.st_ino == there.st_ino && locked.st_dev == there.st_dev &&
		     write(fd, MANIFEST_HEAD, strlen(MANIFEST_HEAD)) == (ssize_t)strlen(MANIFEST_HEAD);
		if (ok)
			staging_lock = fd;	/* held until the site is swapped in, or the process ends */
		else if (fd >= 0)
			close(fd);
	}
	if (!ok)
		buf_printf(err, "c360: error: cannot write %s: %s\n", marker, strerror(errno));
	free(marker), free(fresh);
	return ok;
}

/* The staging folder is gone or has become the site: its lock goes (`c360 serve` builds many
 * times in one process). */
static void staging_unlock(void)
{
	if (staging_lock >= 0)
		close(staging_lock);
	staging_lock = -1;
}

/* Removes the staging folders of builds of out that were killed before they finished. */
static void remove_stale_staging(const char *out, size_t n)
{
	char *dir = xstrndup(out, n), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	char *parent = slash ? (slash == dir ? xstrdup("/") : xstrndup(dir, (size_t)(slash - dir))) : xstrdup(".");
	size_t count;
	Buf ignore = {0}, prefix = {0};
	buf_printf(&prefix, "%s.tmp-", base);
	char **names = dir_list(parent, NULL, &count, &ignore);
	for (size_t i = 0; i < count; i++) {
		char *path = path_join(parent, names[i]);
		if (strncmp(names[i], prefix.p, prefix.len) == 0 && strlen(names[i]) == prefix.len + 6) {
			if (marker_unlocked(path)) {
				keep_move(path, dir, true);	/* a build killed as it swapped: .git goes back */
				remove_tree(path);
			} else
				rmdir(path);	/* empty: killed before its marker (or staged a moment ago: stage_marker) */
		}
		free(path);
		free(names[i]);
	}
	free(names);
	buf_free(&ignore), buf_free(&prefix);
	free(dir), free(parent);
}

void out_tidy(const char *out)
{
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	remove_stale_staging(out, n);
}

/* ---- the spare: the site a build replaced, kept in out (.c360-prev) after the swap
 * and taken by the next build as its staging folder, so that the files it would make again
 * are there already (manifest_spare) */

static bool spare_on = true;

void out_spare(bool on)
{
	spare_on = on;
}

bool out_has_spare(const char *out)
{
	char *spare = path_join(out, SPARE_NAME), *path = path_join(spare, MARKER);
	struct stat st;
	bool has = spare_on && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(spare), free(path);
	return has;
}

/* Moves out's spare to tmpl (an empty folder made for it), taken by its manifest's lock, so that
 * two builds never take one spare and no build removes it as a killed build's folder. *marker
 * is then the locked manifest's descriptor, or -1 if the folder moved is not the spare locked
 * (the spare was replaced meanwhile): it is then a folder to empty. False: none was moved. */
static bool spare_take(const char *out, const char *tmpl, int *marker)
{
	*marker = -1;
	if (!spare_on)
		return false;
	char *spare = path_join(out, SPARE_NAME), *path = path_join(spare, MARKER), *moved = path_join(tmpl, MARKER);
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	bool taken = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
	pthread_mutex_lock(&staging_mu);	/* not after the signal guard has removed tmpl */
	taken = taken && rename(spare, tmpl) == 0;
	pthread_mutex_unlock(&staging_mu);
	struct stat locked, there;
	if (taken && fstat(fd, &locked) == 0 && lstat(moved, &there) == 0 && locked.st_ino == there.st_ino &&
	    locked.st_dev == there.st_dev && S_ISREG(locked.st_mode) && locked.st_nlink == 1)
		*marker = fd, fd = -1;
	if (fd >= 0)
		close(fd);
	free(spare), free(path), free(moved);
	return taken;
}

/* The manifest of the spare taken, read by its descriptor (its time: its files not modified
 * since are as it lists them), then made the staging folder's marker: the lock stays. */
static bool spare_marker(int fd, Buf *list, struct timespec *since)
{
	struct stat st;
	char chunk[65536];
	ssize_t n = 0;
	bool ok = fstat(fd, &st) == 0;
	*since = st.st_mtim;
	if (ok && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 4)
		buf_grow(list, (size_t)st.st_size + 1);	/* sized once: no copies as it grows */
	for (off_t at = 0; ok && (n = pread(fd, chunk, sizeof chunk, at)) > 0; at += n)
		buf_put(list, chunk, (size_t)n);
	return ok && n == 0 && ftruncate(fd, 0) == 0 &&
	       pwrite(fd, MANIFEST_HEAD, strlen(MANIFEST_HEAD), 0) == (ssize_t)strlen(MANIFEST_HEAD);
}

/* What of a spare no build takes as it is: the cache (a build makes its own: no second copy of
 * the cleaned exports) and the inputs' list (written last). */
static void spare_clear_at(int fd)
{
	out_remove_at(fd, CACHE_DIR, false);
	out_remove_at(fd, INPUTS_NAME, false);
}

static void spare_clear(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		spare_clear_at(fd), close(fd);
}

/* After the swap: the previous site (staging_dir, under staging_mu) is kept as out's spare,
 * cleared (spare_clear_at) and holding only files the new site holds byte for byte
 * (manifest_prune_previous); false if it cannot be (it is then removed). A previous folder that
 * is no site (no manifest: the folder a first build replaced) is not kept, nor one that holds a
 * spare it did not give a build (two builds at once): both go. */
static bool spare_keep(const char *out)
{
	if (!spare_on || !staging_exchanged || !staging_dir)
		return false;
	int fd = open(staging_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstatat(fd, MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		  fstatat(fd, SPARE_NAME, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
	if (ok) {
		spare_clear_at(fd);
		ok = manifest_prune_previous() && out_git_ignored(fd);
	}
	close(fd);
	char *to = path_join(out, SPARE_NAME);
	ok = ok && rename(staging_dir, to) == 0;
	free(to);
	return ok;
}

bool out_git_ignored(int dirfd)
{
	unlinkat(dirfd, ".gitignore", 0);
	int fd = openat(dirfd, ".gitignore", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	bool ok = fd >= 0 && write(fd, "*\n", 2) == 2;
	return fd >= 0 && close(fd) == 0 && ok;
}

bool out_stage(const char *out, char **staging, Buf *err)
{
	if (!out_may_replace(out, err))
		return false;
	char *parent = xstrdup(out);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (!mkdir_parents(parent, err)) {
			free(parent);
			return false;
		}
	}
	free(parent);
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	remove_stale_staging(out, n);
	char *tmpl = xmalloc(n + 16);
	memcpy(tmpl, out, n);
	strcpy(tmpl + n, ".tmp-XXXXXX");
	static bool at_exit;	/* registered once: `c360 serve` builds many times */
	if (!at_exit)
		at_exit = atexit(remove_staging_at_exit) == 0;
	pthread_mutex_lock(&staging_mu);	/* made and named at once: a signal never finds a folder it does not know */
	bool made = mkdtemp(tmpl) != NULL;
	int made_errno = errno;
	if (made) {
		staging_dir = tmpl;
		staging_swapped = staging_exchanged = false;
	}
	pthread_mutex_unlock(&staging_mu);
	if (!made) {
		buf_printf(err, "c360: error: cannot create a folder beside %s: %s\n", out, strerror(made_errno));
		free(tmpl);
		return false;
	}
	chmod(tmpl, 0755);
	*staging = tmpl;
	int fd;
	bool spare = spare_take(out, tmpl, &fd);
	Buf list = {0};
	struct timespec since = {0};
	bool ok;
	if (fd >= 0 && spare_marker(fd, &list, &since)) {
		staging_lock = fd;	/* held until the site is swapped in, or the process ends */
		ok = true;
	} else {
		if (fd >= 0)
			close(fd);
		buf_free(&list);	/* a spare without a manifest: every file of it goes */
		ok = stage_marker(tmpl, err);
	}
	if (spare)
		spare_clear(tmpl);
	if (ok)
		manifest_begin(out, tmpl);
	if (ok && spare)
		manifest_spare(&list, since);
	buf_free(&list);
	return ok;
}

/* Puts the staging folder in place of out, with what out keeps (.git ...); then staging_dir
 * names the previous site. Under staging_mu: no signal removes the staging folder while it
 * holds what out keeps. */
static bool swap_in(const char *out, const char *staging)
{
	struct stat st;
	if (lstat(out, &st) != 0)
		return rename(staging, out) == 0;
	if (!keep_move(out, staging, false)) {
		keep_move(staging, out, true);
		return false;
	}
	if (renameat2(AT_FDCWD, staging, AT_FDCWD, out, RENAME_EXCHANGE) == 0)
		return staging_exchanged = true;
	/* No atomic exchange here: move the old site aside, then the new one in. */
	char *old = xmalloc(strlen(staging) + 5);
	sprintf(old, "%s.old", staging);
	if (rename(out, old) != 0 || rename(staging, out) != 0) {
		int why = errno;	/* the rename's, said as the reason, not the way back's */
		keep_move(staging, out, true);
		free(old);
		errno = why;
		return false;
	}
	free(staging_dir);
	staging_dir = old;
	return true;
}

int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define STRANGER_DEPTH 8	/* folders deep that strangers_in looks */

/* The entries of folder rel of out ("": out itself) that the previous site's list does not
 * name, nor keep, nor are c360's own, added to found: a user's robots.txt, images/ or
 * assets/logo.png. The folders the list names are looked into, except customers/ (a hundred
 * thousand pages and more: a file put there goes unsaid). */
static void strangers_in(const char *out, const char *rel, int depth, char ***found, size_t *n)
{
	static const char *const own[] = {MANIFEST_NAME, CACHE_DIR, INPUTS_NAME, SPARE_NAME};
	char *path = *rel ? path_join(out, rel) : xstrdup(out);
	DIR *d = opendir(path);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (!*rel && (is_ours(e->d_name, own, sizeof own / sizeof *own) || out_is_kept(e->d_name))))
			continue;
		char *name = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		int listed = manifest_previous_lists(name);
		struct stat st;
		bool folder = e->d_type == DT_DIR ||
			      (e->d_type == DT_UNKNOWN && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			       S_ISDIR(st.st_mode));
		if (listed == 0) {
			*found = xrealloc(*found, (*n + 1) * sizeof **found);
			(*found)[(*n)++] = name;
			continue;
		}
		if (listed > 0 && folder && depth < STRANGER_DEPTH && strcmp(name, "customers") != 0)
			strangers_in(out, name, depth + 1, found, n);
		free(name);
	}
	if (d)
		closedir(d);
	free(path);
}

/* What out holds that c360 did not make (strangers_in), named in name order: they are not in
 * the new site; nested: one of them is inside a folder of c360's. */
static size_t strangers(const char *out, Buf *names, bool *nested)
{
	char **found = NULL;
	size_t n = 0, listed = 0;
	strangers_in(out, "", 0, &found, &n);
	*nested = false;
	for (size_t i = 0; i < n; i++)
		*nested |= strchr(found[i], '/') != NULL;
	if (n)
		qsort(found, n, sizeof *found, strcmp_ptr);
	for (size_t i = 0; i < n; i++)
		name_list(names, &listed, found[i]), free(found[i]);
	free(found);
	return n;
}

bool out_commit(const char *out, const char *staging, int threads, Buf *err, Buf *left)
{
	if (!manifest_write(err, left)) {
		manifest_end();
		return false;
	}
	Buf names = {0};
	bool nested;
	size_t nstrangers = strangers(out, &names, &nested);
	git_gc_wait(out);	/* the swap moves .git: not under a gc (outside the lock: a signal stops the wait) */
	pthread_mutex_lock(&staging_mu);
	bool ok = swap_in(out, staging);
	staging_swapped = ok;
	pthread_mutex_unlock(&staging_mu);
	if (!ok) {
		manifest_end();
		buf_free(&names);
		buf_printf(err, "c360: error: cannot move the new site into %s: %s\n", out, strerror(errno));
		return false;
	}
	pthread_mutex_lock(&staging_mu);
	bool spared = spare_keep(out);	/* the previous site, for the next build */
	if (spared)
		free(staging_dir), staging_dir = NULL;
	pthread_mutex_unlock(&staging_mu);
	if (nstrangers)
		buf_printf(left, "warning: %s held %s, which c360 did not make and keep does not name: %s %s (%s)", out,
			   buf_cstr(&names), nstrangers == 1 ? "it is" : "they are",
			   spared ? "now in " SPARE_NAME ", which the next build empties" : "removed with the previous site",
			   nested ? "c360's own folders hold only what it makes: keep names a file or folder at the top, "
				    "such as a folder of your own"
			   : nstrangers == 1 ? "add its name to keep to keep it" : "add their names to keep to keep them");
	buf_free(&names);
	manifest_end();
	if (!spared)
		remove_staging_on(threads, left);
	staging_unlock();
	return true;
}

void out_abort(const char *staging)
{
	(void)staging;
	manifest_end();
	remove_staging_on(1, NULL);
	staging_unlock();
}

/* ---- SIGINT, SIGTERM and SIGHUP: the staging folder goes, the previous site stays */

static char *guarded_out;	/* under staging_mu */
static bool guarded_existed;

void out_guard_set(const char *out, bool existed)
{
	char *copy = xstrdup(out);
	pthread_mutex_lock(&staging_mu);
	free(guarded_out);
	guarded_out = copy, guarded_existed = existed;
	staging_swapped = false;	/* a build begins (serve's next): the last one's swap is not its */
	pthread_mutex_unlock(&staging_mu);
}

void out_interrupt(int sig)
{
	pthread_mutex_lock(&staging_mu);	/* held to the end: no swap or spare's move can follow */
	if (staging_dir)
		remove_while_written(staging_dir, NULL);
	char line[PATH_MAX + 64];
	snprintf(line, sizeof line, "interrupted; %s %s", guarded_out ? guarded_out : "the site",
		 staging_swapped ? "already holds the new site" : guarded_existed ? "is unchanged" : "was not created");
	console_last(line);
	_exit(128 + sig);
}

/* The thread that waits for the signals the other threads block (out_interrupt). */
static void *guard(void *arg)
{
	sigset_t *set = arg;
	int sig = 0;
	while (sigwait(set, &sig) != 0)
		;
	out_interrupt(sig);
}

void out_signals(sigset_t *set)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	sigemptyset(set);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction now;
		if (sigaction(sigs[i], NULL, &now) == 0 && now.sa_handler != SIG_IGN)	/* ignored stays ignored */
			sigaddset(set, sigs[i]);
	}
}

void out_guard(const char *out, bool existed)
{
	static sigset_t set;
	out_signals(&set);
	out_guard_set(out, existed);
	pthread_t t;
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&t, NULL, guard, &set) == 0)
		pthread_detach(t);
	else
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* A folder of the staging folder: one the spare has already is taken (a file of that name goes). */
bool out_mkdir(const char *dir, const char *sub, Buf *err)
{
	char *p = path_join(dir, sub);
	bool ok = mkdir(p, 0777) == 0;
	struct stat st;
	if (!ok && errno == EEXIST)
		ok = !manifest_active(dir) || (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) ||
		     (unlink(p) == 0 && mkdir(p, 0777) == 0);
	if (!ok)
		buf_printf(err, "c360: error: cannot create %s: %s\n", p, strerror(errno));
	else
		manifest_made_dir(dir, sub);
	free(p);
	return ok;
}

/* A new file: one already there is unlinked first, never written into (in the staging folder
 * it may be a link to the previous site's file; there, a folder of that name, the spare's, goes too). */
static int create(const char *path, bool staging)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0 && errno == EEXIST && (unlink(path) == 0 || (staging && errno == EISDIR && rmtree_ok(path))))
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	return fd;
}

/* Files of the site, but the manifest and what stands beside it, are in the manifest. */
static bool in_manifest(const char *dir, const char *name)
{
	return strncmp(name, ".c360-", 6) != 0 && manifest_active(dir);
}

/* listed: its bytes are hashed as they are written, for the manifest */
static bool open_file(OutFile *f, const char *dir, const char *name, bool listed, Buf *err)
{
	*f = (OutFile){0};
	f->path = path_join(dir, name);
	f->fd = create(f->path, manifest_active(dir));
	if (f->fd >= 0 && listed)
		f->name = xstrdup(name), f->hash = file_hasher_new();
	if (f->fd < 0) {
		buf_printf(err, "c360: error: cannot write %s: %s\n", f->path, strerror(errno));
		free(f->path);
		return false;
	}
	return true;
}

bool out_open(OutFile *f, const char *dir, const char *name, Buf *err)
{
	return open_file(f, dir, name, in_manifest(dir, name), err);
}

bool fd_write_all(int fd, const void *p, size_t n, uint64_t *at)
{
	for (const char *c = p; n;) {
		ssize_t w = at ? pwrite(fd, c, n, (off_t)*at) : write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;	/* nothing written says nothing: errno may be an earlier EINTR's */
		if (w <= 0)
			return false;
		c += w, n -= (size_t)w;
		if (at)
			*at += (uint64_t)w;
	}
	return true;
}

/* Writes p[0..n) to the file, unless an earlier write failed. */
static void out_put(OutFile *f, const char *p, size_t n)
{
	if (f->hash)
		file_hasher_add(f->hash, p ? p : "", n);
	f->size += n;
	f->failed = f->failed || !fd_write_all(f->fd, p, n, NULL);
}

static void out_drain(OutFile *f)
{
	out_put(f, f->buf.p, f->buf.len);
	f->buf.len = 0;
}

void out_flush_if_full(OutFile *f)
{
	out_flush_over(f, 1 << 20);
}

void out_flush_over(OutFile *f, size_t n)
{
	if (f->buf.len >= n)
		out_drain(f);
}

/* ---- rows formatted by several threads, written in order */

typedef struct {
	OutFile *f;
	size_t n, nblocks;
	void (*fn)(void *ctx, size_t from, size_t to, Buf *out);
	void *ctx;
	pthread_mutex_t mu;
	pthread_cond_t turn;
	size_t next_take, next_write;
} RowWriter;

#define BLOCK_ROWS 32768

static void *row_worker(void *arg)
{
	RowWriter *w = arg;
	Buf b = {0};
	for (;;) {
		pthread_mutex_lock(&w->mu);
		size_t k = w->next_take++;
		pthread_mutex_unlock(&w->mu);
		if (k >= w->nblocks)
			break;
		size_t to = (k + 1) * BLOCK_ROWS < w->n ? (k + 1) * BLOCK_ROWS : w->n;
		b.len = 0;
		w->fn(w->ctx, k * BLOCK_ROWS, to, &b);
		pthread_mutex_lock(&w->mu);
		while (w->next_write != k)
			pthread_cond_wait(&w->turn, &w->mu);
		pthread_mutex_unlock(&w->mu);
		/* Only this block's turn now: write while the others go on formatting. */
		Buf saved = w->f->buf;
		w->f->buf = b;
		out_drain(w->f);
		b = w->f->buf;
		w->f->buf = saved;
		pthread_mutex_lock(&w->mu);
		w->next_write++;
		pthread_cond_broadcast(&w->turn);
		pthread_mutex_unlock(&w->mu);
	}
	buf_free(&b);
	return NULL;
}

void out_rows(OutFile *f, size_t n, void (*fn)(void *ctx, size_t from, size_t to, Buf *out), void *ctx,
	      int threads)
{
	out_drain(f);
	RowWriter w = {.f = f, .n = n, .nblocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS, .fn = fn, .ctx = ctx};
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.turn, NULL);
	if ((size_t)threads > w.nblocks)
		threads = (int)w.nblocks;
	run_threads(row_worker, &w, threads);
	pthread_cond_destroy(&w.turn);
	pthread_mutex_destroy(&w.mu);
}

typedef struct {
	size_t n, nblocks, next;
	void (*fn)(void *ctx, size_t from, size_t to, Buf *out);
	void *ctx;
	FileHash *block;	/* each block's hash */
} RowHasher;

static void *hash_worker(void *arg)
{
	RowHasher *w = arg;
	Buf b = {0};
	for (size_t k; (k = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->nblocks;) {
		b.len = 0;
		w->fn(w->ctx, k * BLOCK_ROWS, (k + 1) * BLOCK_ROWS < w->n ? (k + 1) * BLOCK_ROWS : w->n, &b);
		w->block[k] = file_hash(b.p ? b.p : "", b.len);
	}
	buf_free(&b);
	return NULL;
}

FileHash out_rows_hash(size_t n, void (*fn)(void *ctx, size_t from, size_t to, Buf *out), void *ctx, int threads)
{
	RowHasher w = {.n = n, .nblocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS, .fn = fn, .ctx = ctx};
	w.block = xcalloc(w.nblocks + 1, sizeof *w.block);
	if ((size_t)threads > w.nblocks)
		threads = (int)w.nblocks;
	run_threads(hash_worker, &w, threads);
	FileHash h = file_hash(w.block, w.nblocks * sizeof *w.block);
	free(w.block);
	return h;
}

bool out_close(OutFile *f, Buf *err)
{
	out_drain(f);
	int e = f->failed ? errno : 0;
	if (close(f->fd) != 0 && !e)
		e = errno, f->failed = true;
	if (f->failed)
		buf_printf(err, "c360: error: cannot write %s: %s\n", f->path, strerror(e ? e : EIO));
	if (f->hash) {	/* the same bytes as the previous site's file: that file takes its place */
		FileHash h = file_hasher_end(f->hash);
		if (!f->failed && !manifest_keep(f->name, h, f->size, true))
			manifest_wrote(f->name, h, f->size);
		free(f->name);
	}
	bool ok = !f->failed;
	buf_free(&f->buf);
	free(f->path);
	return ok;
}

enum { OLD_BLOCK = 1 << 16 };	/* bytes read and written at a time: the buffer stays in the cache */

bool out_old_bytes(OutFile *f, const char *dir, const char *name, FileHash input)
{
	uint64_t size = 0;
	int fd = f->size || f->buf.len ? -1 : manifest_old_open(dir, name, input, &size);
	bool ok = fd >= 0;
	for (uint64_t got = 0; ok && got < size;) {
		size_t want = size - got < OLD_BLOCK ? (size_t)(size - got) : OLD_BLOCK;
		buf_grow(&f->buf, want);
		ssize_t r = pread(fd, f->buf.p, want, (off_t)got);
		ok = r > 0 || (r < 0 && errno == EINTR);
		f->buf.len = r > 0 ? (size_t)r : 0;
		got += f->buf.len;
		out_drain(f);
	}
	if (fd >= 0)
		close(fd);
	if (!ok && fd >= 0 && !f->failed) {	/* the file shrank: f starts again, empty */
		ok = ftruncate(f->fd, 0) == 0 && lseek(f->fd, 0, SEEK_SET) == 0;
		f->failed = !ok;
		if (f->hash)
			file_hasher_take(f->hash);
		f->size = 0;
		ok = false;
	}
	return ok && !f->failed;
}

bool out_write_file(const char *dir, const char *name, const Buf *content, Buf *err)
{
	bool listed = in_manifest(dir, name);
	FileHash h = listed ? file_hash(content->p ? content->p : "", content->len) : (FileHash){0, 0};
	if (listed && manifest_keep(name, h, content->len, false))
		return true;	/* the previous site's file, linked: nothing written */
	OutFile f;
	if (!open_file(&f, dir, name, false, err))	/* hashed already */
		return false;
	out_put(&f, content->p, content->len);	/* not copied: pages can be big */
	if (!out_close(&f, err))
		return false;
	if (listed)
		manifest_wrote(name, h, content->len);
	return true;
}

/* ---- reading the files c360 ships */

/* A regular file opened for reading, or -1 with why; with own, not through a symbolic link. */
static int open_to_read(const char *path, bool own, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (own ? O_NOFOLLOW : 0));	/* a FIFO opens at once, and is refused */
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return fd;
	*why = fd < 0 && errno == ELOOP && own ? "a symbolic link; the templates and the theme are read only from files "
						 "of their own (a link could publish any file: copy it here)"
	     : fd < 0 ? strerror(errno) : S_ISDIR(st.st_mode) ? "it is a folder, not a file"
	     : "not a regular file (a FIFO, a device or a socket); c360 reads files only";
	if (fd >= 0)
		close(fd);
	return -1;
}

int open_regular(const char *path, const char **why)
{
	return open_to_read(path, false, why);
}

/* path into out, read straight in, sized once by the file's size (a manifest is megabytes: no
 * copies as the buffer grows); a file that grows meanwhile is read to its end all the same. */
static bool read_file(const char *path, bool own, size_t most, Buf *out, Buf *err)
{
	const char *why;
	int fd = open_to_read(path, own, &why);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		buf_printf(err, "%s: error: cannot read: %s\n", path, fd >= 0 ? strerror(errno) : why);
		if (fd >= 0)
			close(fd);
		return false;
	}
	/* a byte more than its size (or than most): the read that finds its end needs room too */
	uint64_t size = most && (uint64_t)st.st_size > most ? most : (uint64_t)st.st_size;
	buf_grow(out, size > 0 && size < SIZE_MAX / 4 ? (size_t)size + 1 : 65536);
	size_t start = out->len;
	ssize_t r;
	do {
		if (out->cap - out->len < 2)
			buf_grow(out, 65536);
		size_t room = out->cap - out->len - 1;	/* a byte kept for a NUL */
		if (most && room > most - (out->len - start))
			room = most - (out->len - start);
		r = room ? read(fd, out->p + out->len, room) : 0;
		out->len += r > 0 ? (size_t)r : 0;
	} while (r > 0 || (r < 0 && errno == EINTR));
	close(fd);
	if (r < 0)
		buf_printf(err, "%s: error: cannot read\n", path);
	return r == 0;
}

bool file_read(const char *path, Buf *out, Buf *err)
{
	return read_file(path, false, 0, out, err);
}

bool file_read_own(const char *path, Buf *out, Buf *err)
{
	return read_file(path, true, 0, out, err);
}

bool file_read_head(const char *path, size_t most, Buf *out, Buf *err)
{
	return read_file(path, false, most, out, err);
}

char **dir_list(const char *dir, const char *suffix, size_t *n, Buf *err)
{
	DIR *d = opendir(dir);
	*n = 0;
	if (!d) {
		buf_printf(err, "%s: error: cannot open: %s\n", dir, strerror(errno));
		return NULL;
	}
	char **names = xmalloc(sizeof *names);
	size_t sl = suffix ? strlen(suffix) : 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < sl || (sl && strcmp(e->d_name + len - sl, suffix) != 0))
			continue;
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, *n, sizeof *names, strcmp_ptr);
	return names;
}

#define COPIED_MAX (256u << 20)	/* bytes of a file out_copy_dir copies: each is held whole */

bool out_copy_dir(const char *from, const char *dir, const char *sub, const char *skip, Buf *err)
{
	size_t n;
	char **names = dir_list(from, NULL, &n, err);
	bool ok = names != NULL;
	for (size_t i = 0; i < n; i++) {
		char *src = path_join(from, names[i]), *dst = path_join(sub, names[i]);
		struct stat st;
		Buf content = {0};
		if ((!skip || strcmp(names[i], skip) != 0) && lstat(src, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
			if (ok && st.st_size > COPIED_MAX)	/* a 3 GB file was an out-of-memory error naming none */
				ok = false, buf_printf(err, "%s: error: %lld bytes; a file of a theme or of the assets is at "
						       "most 256 MiB\n", src, (long long)st.st_size);
			ok = ok && file_read_own(src, &content, err) && out_write_file(dir, dst, &content, err);
		}
		buf_free(&content);
		free(src);
		free(dst);
		free(names[i]);
	}
	free(names);
	return ok;
}
