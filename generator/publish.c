/* publish.c — c360 publish --git DIR: a site built into a git working tree, committed as one
 * edition. It runs the git command (not libgit2): the user's own git then does the commit, with
 * their identity, hooks, signing and configuration, as if they had typed it. */
#include "c360.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Runs git -C dir args... (after --literal-pathspecs if literal: a site's file named "*.md" is
 * that file); in: written to its standard input, out: its standard output kept (NULL: both
 * the caller's). Its exit status, or -1 after reporting to err that it could not run. */
static int git_io(const char *dir, bool literal, const char *const *args, const Buf *in, Buf *out, Buf *err)
{
	const char *argv[16] = {"git", "-C", dir};
	size_t n = 3;
	if (literal)
		argv[n++] = "--literal-pathspecs";
	for (size_t a = 0; args[a] && n < 15; a++)
		argv[n++] = args[a];
	argv[n] = NULL;
	int to[2] = {-1, -1}, from[2] = {-1, -1};
	if ((in && pipe2(to, O_CLOEXEC) != 0) || (out && pipe2(from, O_CLOEXEC) != 0)) {
		buf_printf(err, "c360: error: cannot run git %s in %s: %s\n", args[0], dir, strerror(errno));
		for (int i = 0; i < 2; i++)
			if (to[i] >= 0)
				close(to[i]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if ((in && dup2(to[0], 0) < 0) || (out && dup2(from[1], 1) < 0))
			_exit(127);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	if (in) {
		close(to[0]);
		/* git gone before reading it all: EPIPE, not the signal that would end c360 */
		void (*was)(int) = signal(SIGPIPE, SIG_IGN);
		for (size_t at = 0; pid > 0 && at < in->len;) {
			ssize_t w = write(to[1], in->p + at, in->len - at);
			if (w < 0 && errno != EINTR)
				break;
			at += w > 0 ? (size_t)w : 0;
		}
		close(to[1]);
		signal(SIGPIPE, was);
	}
	if (out) {
		close(from[1]);
		char chunk[64 << 10];
		for (ssize_t r; pid > 0 && (r = read(from[0], chunk, sizeof chunk)) != 0;)
			if (r > 0)
				buf_put(out, chunk, (size_t)r);
			else if (errno != EINTR)
				break;
		close(from[0]);
	}
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int code = pid < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == 127 || code < 0) {
		buf_printf(err, "c360: error: cannot run git %s in %s (is git installed?)\n", args[0], dir);
		return -1;
	}
	return code;
}

static int git(const char *dir, const char *const *args, Buf *err)
{
	return git_io(dir, false, args, NULL, NULL, err);
}

static bool is_empty_or_site(const char *dir)
{
	size_t n;
	Buf ignore = {0};
	char **names = dir_list(dir, NULL, &n, &ignore);	/* names not starting with a dot */
	char *marker = path_join(dir, MANIFEST_NAME);
	bool ok = names && (n == 0 || access(marker, F_OK) == 0);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names), free(marker);
	buf_free(&ignore);
	return ok;
}

/* The paths a manifest lists (sorted by path), each ended by a NUL in names; their starts in at. */
typedef struct {
	Buf names;
	size_t *at, n;
} Paths;

/* p->names, a manifest's text, made into its paths. */
static void paths_parse(Paths *p)
{
	size_t head = strlen(MANIFEST_HEAD);
	p->at = NULL, p->n = 0;
	if (p->names.len < head)
		return;
	char *s = p->names.p + head, *end = p->names.p + p->names.len;
	p->at = xmalloc(((size_t)(end - s) / 36 + 1) * sizeof *p->at);	/* "hash size path" is 36 bytes or more */
	for (char *nl; s < end && (nl = memchr(s, '\n', (size_t)(end - s))); s = nl + 1) {
		*nl = '\0';
		char *name = strchr(s, ' ');
		name = name ? strchr(name + 1, ' ') : NULL;
		if (name)
			p->at[p->n++] = (size_t)(name + 1 - p->names.p);
	}
}

/* The site in dir, as its manifest lists it. */
static void site_paths(const char *dir, Paths *p)
{
	char *path = path_join(dir, MANIFEST_NAME);
	Buf ignore = {0};
	if (!file_read(path, &p->names, &ignore))
		p->names.len = 0;
	paths_parse(p);
	buf_free(&ignore);
	free(path);
}

/* The site HEAD holds, as its manifest there lists it (none: HEAD is unborn, or no site). */
static void head_paths(const char *dir, Paths *p, Buf *err)
{
	Buf blob = {0};
	int r = git_io(dir, false, (const char *const[]){"rev-parse", "-q", "--verify", "HEAD:" MANIFEST_NAME, NULL},
		       NULL, &blob, err);
	while (blob.len && (blob.p[blob.len - 1] == '\n' || blob.p[blob.len - 1] == '\r'))
		blob.len--;
	if (r == 0 && blob.len &&
	    git_io(dir, false, (const char *const[]){"cat-file", "blob", buf_cstr(&blob), NULL}, NULL, &p->names, err) != 0)
		p->names.len = 0;
	buf_free(&blob);
	paths_parse(p);
}

static bool paths_has(const Paths *p, const char *path)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->names.p + p->at[mid], path);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void paths_free(Paths *p)
{
	buf_free(&p->names);
	free(p->at);
}

static bool kept(const char *path)	/* path is under a name keep keeps */
{
	size_t top = strcspn(path, "/");
	char first[256];
	if (top >= sizeof first)
		return false;
	memcpy(first, path, top);
	first[top] = '\0';
	return out_is_kept(first);
}

void git_gc_wait(const char *dir)
{
	char *file = path_join(dir, ".git/gc.pid"), host[256] = "", me[256] = "";
	gethostname(me, sizeof me - 1);
	bool said = false;
	for (;;) {
		FILE *f = fopen(file, "r");
		struct stat st;
		long pid = 0;
		/* git's own test: a process of this host, the file younger than 12 hours */
		bool running = f && fstat(fileno(f), &st) == 0 && time(NULL) - st.st_mtime < 12 * 3600 &&
			       fscanf(f, "%ld %255s", &pid, host) == 2 && pid > 0 && !strcmp(host, me) &&
			       (kill((pid_t)pid, 0) == 0 || errno == EPERM);
		if (f)
			fclose(f);
		if (!running)
			break;
		if (!said)
			say(SAY_NORMAL, "waiting for git gc (process %ld) to end in %s", pid, dir), said = true;
		nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	}
	free(file);
}

/* HEAD is a branch (born or not): an edition committed on a detached HEAD is on no branch, and
 * the next checkout leaves it behind. */
static bool on_branch(const char *dir, Buf *err)
{
	Buf ref = {0};
	int r = git_io(dir, false, (const char *const[]){"symbolic-ref", "-q", "HEAD", NULL}, NULL, &ref, err);
	buf_free(&ref);
	if (r == 1)
		buf_printf(err, "c360: error: %s has a detached HEAD: an edition committed there would be on no branch; "
				"not publishing (check out a branch first: git -C %s switch BRANCH)\n", dir, dir);
	else if (r > 1)
		buf_printf(err, "c360: error: git symbolic-ref HEAD in %s failed\n", dir);
	return r == 0;
}

/* Whether path, a change to the site in dir (staged, or in the working tree), is c360's: a file
 * of the site (the one built there, or HEAD's), its manifest and inputs, or under a name keep
 * keeps. */
static bool c360s(const char *path, const Paths *site, const Paths *head)
{
	return kept(path) || !strcmp(path, MANIFEST_NAME) || !strcmp(path, INPUTS_NAME) || paths_has(site, path) ||
	       paths_has(head, path);
}

/* word in b as one word of the shell: as it is if it is safe, else in single quotes. */
static void shell_word(Buf *b, const char *word)
{
	if (*word && strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./+=:,@%") ==
			     strlen(word)) {
		buf_puts(b, word);
		return;
	}
	buf_putc(b, '\'');
	for (const char *c = word; *c; c++)
		if (*c == '\'')
			buf_puts(b, "'\\''");	/* ends the quote, a quote, quotes again */
		else
			buf_putc(b, *c);
	buf_putc(b, '\'');
}

/* The index of dir holds no change but c360's (those of a publish whose commit failed): git
 * commit commits the whole index, so a file the user staged would be published as the edition. */
static bool index_clean(const char *dir, Buf *err)
{
	Buf staged = {0}, names = {0}, words = {0};
	Paths site = {0}, head = {0};
	site_paths(dir, &site);
	head_paths(dir, &head, err);
	size_t n = 0;
	int r = git_io(dir, false, (const char *const[]){"diff", "--cached", "--name-only", "-z", "--no-renames", NULL},
		       NULL, &staged, err);
	for (size_t i = 0; r == 0 && i < staged.len; i += strlen(staged.p + i) + 1)
		if (!c360s(staged.p + i, &site, &head) && n++ < 3) {
			buf_printf(&names, " %s", staged.p + i);
			buf_putc(&words, ' '), shell_word(&words, staged.p + i);
		}
	paths_free(&site), paths_free(&head), buf_free(&staged);
	if (r != 0 && !err->len)
		buf_printf(err, "c360: error: git diff --cached in %s failed\n", dir);
	/* the hint is a command to paste: the paths quoted, or beyond three the whole index (c360
	 * stages its own changes again); reset, as restore --staged fails before the first commit */
	Buf cd = {0};
	shell_word(&cd, dir);
	if (r == 0 && n)
		buf_printf(err, "c360: error: the index of %s holds changes c360 did not make (%s%s): a commit of the "
				"edition would publish them; not publishing (unstage them: git -C %s reset -q%s%s)\n",
			   dir, buf_cstr(&names) + 1, n > 3 ? " ..." : "", buf_cstr(&cd), n > 3 ? "" : " --",
			   n > 3 ? "" : buf_cstr(&words));
	buf_free(&names), buf_free(&words), buf_free(&cd);
	return r == 0 && !n;
}

bool publish_prepare(const char *dir, const char *keep, Buf *err)
{
	/* a build killed as it swapped left .git in its staging folder: back before .git is looked
	 * for (else git init, and the tidy of the build removed the old .git with the folder) */
	out_keep(keep);
	out_tidy(dir);
	char *dotgit = path_join(dir, ".git");
	struct stat st;
	bool ready = lstat(dotgit, &st) == 0;
	free(dotgit);
	if (!ready && lstat(dir, &st) == 0 && !is_empty_or_site(dir)) {
		buf_printf(err, "c360: error: %s is not a git working tree (no .git in it), nor empty; not publishing "
				"into it (give --git a new or empty folder)\n", dir);
		return false;
	}
	if (!ready && git(".", (const char *const[]){"init", "-q", dir, NULL}, err) != 0)
		return err->len ? false : (buf_printf(err, "c360: error: git init %s failed\n", dir), false);
	return on_branch(dir, err) && index_clean(dir, err);
}

/* Whether path, a change git status found in dir, is the edition's: a file of the site or its
 * manifest and inputs, a name keep keeps (and what is in it), or a file of the site HEAD holds
 * that is gone (the build removed it). Anything else was put there (or removed) by someone
 * else: a commit of the edition would publish it (and the next build that changes the site
 * removes it, a second commit); *gone: it is a removal. */
static bool editions(const char *dir, const char *path, const Paths *site, const Paths *head, bool *gone)
{
	char *full = path_join(dir, path);
	struct stat st;
	*gone = lstat(full, &st) != 0 && errno == ENOENT;
	free(full);
	return kept(path) || !strcmp(path, MANIFEST_NAME) || !strcmp(path, INPUTS_NAME) || paths_has(site, path) ||
	       (*gone && paths_has(head, path));
}

static void stray_list(Buf *b, size_t *count, const char *path)
{
	if ((*count)++ < 3)
		buf_printf(b, "%s%s", *count > 1 ? ", " : "", path);
}

static void strays_say(const char *dir, Buf *strays, size_t n, Buf *gone, size_t ngone)
{
	if (n > 3)
		buf_printf(strays, " and %zu more", n - 3);
	if (ngone > 3)
		buf_printf(gone, " and %zu more", ngone - 3);
	if (n)
		say(SAY_NORMAL, "warning: %s holds %s, which c360 did not make and keep does not name: left out of the "
		    "commit (add %s to keep to publish %s)", dir, buf_cstr(strays), n == 1 ? "its name" : "their names",
		    n == 1 ? "it" : "them");
	if (ngone)
		say(SAY_NORMAL, "warning: %s no longer holds %s, which c360 did not make and keep does not name: %s "
		    "left out of the commit (commit %s yourself if you meant it)", dir, buf_cstr(gone),
		    ngone == 1 ? "its removal is" : "their removals are", ngone == 1 ? "it" : "them");
}

int publish_commit(const char *dir, const char *message, Buf *err)
{
	/* what changed, by git (files one by one, no renames), staged only if it is the edition's */
	Buf status = {0}, add = {0}, strays = {0}, gones = {0};
	Paths site = {0}, head = {0};
	size_t nstrays = 0, ngone = 0;
	bool edition = false;	/* a file other than c360's lists changed */
	site_paths(dir, &site);
	head_paths(dir, &head, err);
	int r = git_io(dir, false, (const char *const[]){"status", "--porcelain", "-z", "--untracked-files=all",
				    "--no-renames", NULL}, NULL, &status, err);
	for (size_t i = 0; r == 0 && i + 3 < status.len;) {
		const char *path = status.p + i + 3;	/* "XY path", each ended by a NUL */
		size_t len = strlen(path);
		bool gone;
		if (editions(dir, path, &site, &head, &gone)) {
			buf_put(&add, path, len + 1);
			edition |= strcmp(path, MANIFEST_NAME) != 0 && strcmp(path, INPUTS_NAME) != 0;
		} else {
			stray_list(gone ? &gones : &strays, gone ? &ngone : &nstrays, path);
		}
		i += 3 + len + 1;
	}
	paths_free(&site), paths_free(&head), buf_free(&status);
	strays_say(dir, &strays, nstrays, &gones, ngone);
	buf_free(&strays), buf_free(&gones);
	/* c360's lists alone are no edition: the inputs' hash covers where the data is and c360's
	 * own bytes, which a data folder moved or a new c360 changes with the site the same. They
	 * go with the next edition (a clone's build then reads the older list: it builds, and
	 * renders again only what the per-file hashes say changed). */
	if (r == 0 && edition)
		r = git_io(dir, true, (const char *const[]){"add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul",
					NULL}, &add, NULL, err);
	buf_free(&add);
	if (r != 0)
		return err->len ? -1 : (buf_printf(err, "c360: error: git add in %s failed\n", dir), -1);
	int same = git(dir, (const char *const[]){"diff", "--cached", "--quiet", NULL}, err);
	if (same == 0)
		return 0;
	if (same != 1 || git(dir, (const char *const[]){"commit", "-q", "-m", message, NULL}, err) != 0) {
		if (!err->len)
			buf_printf(err, "c360: error: git commit in %s failed\n", dir);
		return -1;
	}
	return 1;
}
