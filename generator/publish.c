/* publish.c — c360 publish --git DIR: a site built into a git working tree, committed as one
 * edition. It runs the git command (not libgit2): the user's own git then does the commit, with
 * their identity, hooks, signing and configuration, as if they had typed it. */
#include "c360.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs git -C dir args...; its exit status, or -1 after reporting to err that it could not run. */
static int git(const char *dir, const char *const *args, Buf *err)
{
	const char *argv[16] = {"git", "-C", dir};
	size_t n = 3;
	for (; args[n - 3] && n < 15; n++)
		argv[n] = args[n - 3];
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		execvp("git", (char *const *)argv);
		_exit(127);
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

bool publish_prepare(const char *dir, Buf *err)
{
	char *dotgit = path_join(dir, ".git");
	struct stat st;
	bool ready = lstat(dotgit, &st) == 0;
	free(dotgit);
	if (ready)
		return true;
	if (lstat(dir, &st) == 0 && !is_empty_or_site(dir)) {
		buf_printf(err, "c360: error: %s is not a git working tree (no .git in it), nor empty; not publishing "
				"into it\n", dir);
		return false;
	}
	return git(".", (const char *const[]){"init", "-q", dir, NULL}, err) == 0 ||
	       (buf_printf(err, "c360: error: git init %s failed\n", dir), false);
}

int publish_commit(const char *dir, const char *message, Buf *err)
{
	if (git(dir, (const char *const[]){"add", "-A", ".", NULL}, err) != 0)
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
