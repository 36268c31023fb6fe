/* serve.c — `c360 serve`: builds, serves --out over HTTP and rebuilds when a source changes. */
#include "c360.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 150		/* a rebuild waits until the sources have been still this long, */
#define MAX_WAIT_MS 1000	/* but no longer than this after the first change */
#define BUILD_ID_URL "/__c360/build-id"
#define RELOAD_URL "/__c360/reload.js"
#define FAILED_URL "/__c360/failed"	/* the messages of the last rebuild if it failed, else empty */
#define PER_ADDRESS 32u	/* connections at once from one address */

/* Served as RELOAD_URL and named in every HTML response: polls the build id and reloads the
 * page once it differs from the build the page came from. */
static const char reload_js[] =
	"/* c360 serve: reloads the page when the site has been rebuilt, and shows why a rebuild\n"
	" * failed over the page (the previous site's) until one succeeds. */\n"
	"(function () {\n"
	"\tvar built = document.currentScript.getAttribute(\"data-build\");\n"
	"\tfunction show(text) {\n"
	"\t\tvar box = document.getElementById(\"c360-serve-failed\");\n"
	"\t\tif (!text) {\n"
	"\t\t\tif (box)\n"
	"\t\t\t\tbox.remove();\n"
	"\t\t\treturn;\n"
	"\t\t}\n"
	"\t\tif (!box) {\n"
	"\t\t\tbox = document.createElement(\"pre\");\n"
	"\t\t\tbox.id = \"c360-serve-failed\";\n"
	"\t\t\tbox.setAttribute(\"role\", \"alert\");\n"
	"\t\t\tbox.style.cssText = \"position:fixed;left:0;right:0;bottom:0;max-height:45vh;overflow:auto;margin:0;\" +\n"
	"\t\t\t\t\"padding:1em;z-index:2147483647;white-space:pre-wrap;font:13px/1.4 monospace;\" +\n"
	"\t\t\t\t\"background:#fdeceb;color:#1c1e21;border-top:4px solid #b3261e\";\n"
	"\t\t\tdocument.body.appendChild(box);\n"
	"\t\t}\n"
	"\t\tbox.textContent = \"The rebuild failed: this page is the previous site's. c360 said:\\n\\n\" + text;\n"
	"\t}\n"
	"\tfunction poll() {\n"
	"\t\tfetch(\"" BUILD_ID_URL "\", {cache: \"no-store\"}).then(function (r) {\n"
	"\t\t\treturn r.ok ? r.text() : built;\n"
	"\t\t}).then(function (id) {\n"
	"\t\t\tif (id !== built) {\n"
	"\t\t\t\tlocation.reload();\n"
	"\t\t\t\treturn;\n"
	"\t\t\t}\n"
	"\t\t\treturn fetch(\"" FAILED_URL "\", {cache: \"no-store\"}).then(function (r) {\n"
	"\t\t\t\treturn r.ok ? r.text() : \"\";\n"
	"\t\t\t}).then(function (text) {\n"
	"\t\t\t\tshow(text);\n"
	"\t\t\t\tsetTimeout(poll, 1000);\n"
	"\t\t\t});\n"
	"\t\t}).catch(function () {\n"
	"\t\t\tsetTimeout(poll, 2000);\n"
	"\t\t});\n"
	"\t}\n"
	"\tpoll();\n"
	"})();\n";

typedef struct {
	const char *out;	/* the site's folder */
	bool loopback;		/* bound to 127.0.0.0/8: only this machine's browser is served */
	long pid;
	atomic_ulong generation;	/* successful builds so far */
	pthread_mutex_t lock;
	char *failed;		/* under lock: the last rebuild's messages, if it failed (FAILED_URL) */
	bool building, stopping;	/* under lock: a build runs; a signal came between builds */
	sigset_t stop;		/* SIGHUP, SIGINT, SIGTERM: blocked in every thread, the signals' thread's */
	int wake[2];		/* a pipe: the signals' thread writes a byte once one came between builds */
} Server;

/* libmicrohttpd's functions c360 calls, opened with it when a site is first served (lib_load). */
static struct {
	struct MHD_Daemon *(*start_daemon)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *, MHD_AccessHandlerCallback,
					   void *, ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
	struct MHD_Response *(*create_response_from_buffer_with_free_callback)(size_t, void *,
									       MHD_ContentReaderFreeCallback);
	struct MHD_Response *(*create_response_from_fd)(size_t, int);
	enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned, struct MHD_Response *);
	void (*destroy_response)(struct MHD_Response *);
	const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
} mhd;

#define MHD_FN(f) {"MHD_" #f, &mhd.f}	/* the name in the library is the member's, after "MHD_" */
static const LibFn mhd_fns[] = {
	MHD_FN(start_daemon), MHD_FN(stop_daemon), MHD_FN(create_response_from_buffer),
	MHD_FN(create_response_from_buffer_with_free_callback), MHD_FN(create_response_from_fd),
	MHD_FN(add_response_header), MHD_FN(queue_response), MHD_FN(destroy_response), MHD_FN(lookup_connection_value),
	{NULL, NULL},
};

static Lib libmhd = {.soname = "libmicrohttpd.so.12", .needed_for = "serving the site", .fn = mhd_fns};

static void build_id(const Server *sv, char *out, size_t cap)
{
	snprintf(out, cap, "%ld-%lu", sv->pid, atomic_load(&sv->generation));
}

/* ------------------------------------------------------------------ what a URL names */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The file a request path names, relative to the site, into out (cap bytes with the NUL).
 * Escapes are decoded once; empty segments are dropped; a path ending in '/' names its
 * index.html. False (not found) for a bad escape, an encoded '/', a control character or NUL,
 * a segment starting with '.' (so "..", "." and dot files), or a path longer than out. */
bool serve_path(const char *url, char *out, size_t cap)
{
	size_t n = 0;
	bool seg_start = true;
	if (url[0] != '/' || cap < sizeof "index.html")
		return false;
	for (const char *p = url + 1; *p; p++) {
		int c = (unsigned char)*p;
		if (c == '/') {
			if (!seg_start)	/* fits: the byte before it left room for one more */
				out[n++] = '/';
			seg_start = true;
			continue;
		}
		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0 || (c = hi << 4 | lo) == '/')
				return false;
			p += 2;
		}
		if (c < 0x20 || c == 0x7f || (seg_start && c == '.') || n + 1 >= cap)
			return false;
		out[n++] = (char)c;
		seg_start = false;
	}
	if (seg_start) {
		if (n + sizeof "index.html" > cap)
			return false;
		memcpy(out + n, "index.html", sizeof "index.html");
		return true;
	}
	out[n] = '\0';
	return true;
}

/* The Content-Type of a file of the site, by its extension. */
const char *serve_content_type(const char *name)
{
	static const char *const types[][2] = {
		{"html", "text/html; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
		{"js", "text/javascript; charset=utf-8"}, {"svg", "image/svg+xml"}, {"png", "image/png"},
		{"pdf", "application/pdf"}, {"csv", "text/csv; charset=utf-8"}, {"eml", "message/rfc822"},
		{"json", "application/json"}, {"txt", "text/plain; charset=utf-8"},
		{"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"}, {"webp", "image/webp"},
		{"avif", "image/avif"}, {"ico", "image/vnd.microsoft.icon"},	/* a theme's images and fonts */
		{"woff2", "font/woff2"}, {"woff", "font/woff"}, {"ttf", "font/ttf"}, {"otf", "font/otf"},
	};
	const char *slash = strrchr(name, '/'), *dot = strrchr(slash ? slash : name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcasecmp(dot + 1, types[i][0]) == 0)	/* LOGO.PNG too */
			return types[i][1];
	return "application/octet-stream";
}

/* Opens rel (from serve_path) inside root without following any symbolic link, so nothing
 * outside the site can be reached; -1 if that fails. */
static int open_beneath(const char *root, char *rel)
{
	int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (char *seg = rel; dir >= 0;) {
		char *slash = strchr(seg, '/');
		if (slash)
			*slash = '\0';
		int fd = openat(dir, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : O_NONBLOCK));
		close(dir);
		if (!slash)
			return fd;
		*slash = '/';
		dir = fd, seg = slash + 1;
	}
	return -1;
}

/* ------------------------------------------------------------------ responses */

/* Queues r (NULL: out of memory) with the headers every response has. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ok = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ok;
}

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned status, const char *type, const char *text)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	if (r && status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	return respond(c, status, type, r);
}

static enum MHD_Result not_found(struct MHD_Connection *c)
{
	return respond_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
}

/* A folder asked for without its '/': sent to the same path with one (relative to the request,
 * so the client keeps its host). */
static enum MHD_Result redirect_to_dir(struct MHD_Connection *c, const char *rel)
{
	const char *slash = strrchr(rel, '/'), *name = slash ? slash + 1 : rel;
	Buf to = {0};
	esc_url(&to, name, strlen(name));
	buf_putc(&to, '/');
	struct MHD_Response *r = mhd.create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r)
		mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, buf_cstr(&to));
	buf_free(&to);
	return respond(c, MHD_HTTP_MOVED_PERMANENTLY, "text/plain; charset=utf-8", r);
}

/* An HTML page as served: the file with the reload script named before its last </body>. */
static enum MHD_Result respond_html(const Server *sv, struct MHD_Connection *c, int fd)
{
	Buf page = {0}, file = {0};
	char buf[65536], id[48];
	ssize_t got;
	while ((got = read(fd, buf, sizeof buf)) > 0)
		buf_put(&file, buf, (size_t)got);
	close(fd);
	if (got < 0) {
		buf_free(&file);
		return not_found(c);
	}
	size_t at = file.len;
	for (const char *p = file.p; p && (p = memmem(p, file.len - (size_t)(p - file.p), "</body>", 7)); p++)
		at = (size_t)(p - file.p);
	build_id(sv, id, sizeof id);
	buf_put(&page, file.p, at);
	buf_printf(&page, "<script src=\"%s\" data-build=\"%s\" defer></script>\n", RELOAD_URL, id);
	buf_put(&page, file.p + at, file.len - at);
	buf_free(&file);
	struct MHD_Response *r = mhd.create_response_from_buffer_with_free_callback(page.len, page.p, free);
	if (!r)
		buf_free(&page);
	return respond(c, MHD_HTTP_OK, serve_content_type(".html"), r);
}

static enum MHD_Result respond_file(const Server *sv, struct MHD_Connection *c, const char *url)
{
	char rel[PATH_MAX];
	struct stat st;
	int fd = serve_path(url, rel, sizeof rel) ? open_beneath(sv->out, rel) : -1;
	if (fd < 0 || fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
		if (fd >= 0)
			close(fd);
		return not_found(c);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return redirect_to_dir(c, rel);
	}
	const char *type = serve_content_type(rel);
	if (strcmp(type, serve_content_type(".html")) == 0)
		return respond_html(sv, c, fd);
	struct MHD_Response *r = mhd.create_response_from_fd((size_t)st.st_size, fd);
	if (!r)
		close(fd);
	return respond(c, MHD_HTTP_OK, type, r);
}

/* Whether a request may be answered: on a loopback address, only one whose Host (if it has
 * one) is localhost or an address. Else a page from anywhere could read the site through a
 * name of its own that it points at 127.0.0.1 once loaded (DNS rebinding). Bound to another
 * address, the site is on the network as a published one is, under any name. */
static bool host_allowed(const Server *sv, struct MHD_Connection *c)
{
	const char *h = mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!sv->loopback || !h || h[0] == '[')	/* no Host (HTTP/1.0), or an IPv6 address */
		return true;
	char name[256];
	size_t n = strcspn(h, ":");
	if (n >= sizeof name)
		return false;
	memcpy(name, h, n);
	name[n] = '\0';
	struct in_addr a;
	static const char local[] = ".localhost";
	return inet_pton(AF_INET, name, &a) == 1 || strcasecmp(name, "localhost") == 0 ||
	       (n > sizeof local - 1 && strcasecmp(name + n - (sizeof local - 1), local) == 0);
}

/* libmicrohttpd's request handler: GET and HEAD of the site's files and of the two files of
 * the reloader; anything else is 405 at once, a Host host_allowed refuses 403. GET and HEAD
 * are answered on the second call, once the whole request is in, so the connection can stay
 * open for the next one. */
static enum MHD_Result serve_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				     const char *version, const char *upload, size_t *upload_size, void **state)
{
	static int seen;
	Server *sv = cls;
	(void)version, (void)upload, (void)upload_size;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "method not allowed\n");
	if (!*state) {
		*state = &seen;
		return MHD_YES;
	}
	if (!host_allowed(sv, c))
		return respond_text(c, MHD_HTTP_FORBIDDEN, "text/plain; charset=utf-8",
				    "c360 serve answers requests for localhost or an address, not this host name\n");
	if (strcmp(url, BUILD_ID_URL) == 0) {
		char id[48];
		build_id(sv, id, sizeof id);
		return respond_text(c, MHD_HTTP_OK, "text/plain; charset=utf-8", id);
	}
	if (strcmp(url, RELOAD_URL) == 0)
		return respond_text(c, MHD_HTTP_OK, serve_content_type(".js"), reload_js);
	if (strcmp(url, FAILED_URL) == 0) {	/* paths of this machine: for its own browser only */
		pthread_mutex_lock(&sv->lock);
		enum MHD_Result done = respond_text(c, MHD_HTTP_OK, "text/plain; charset=utf-8",
						    sv->loopback && sv->failed ? sv->failed : "");
		pthread_mutex_unlock(&sv->lock);
		return done;
	}
	return respond_file(sv, c, url);
}

/* Leaves the request path as it came, so serve_path decodes it once and sees every %00. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

/* ------------------------------------------------------------------ watching the sources */

typedef struct {
	int fd;			/* inotify */
	struct {
		int wd;
		char *dir;
		char *name;	/* only events about this name count; NULL: any */
	} *w;
	size_t n;
	Buf changed;		/* the first change seen since the last build */
} Watch;

#define WATCH_MASK (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

/* Watches folder dir, for changes to name in it (NULL: to anything in it). */
static void watch_add(Watch *w, const char *dir, const char *name)
{
	int wd = inotify_add_watch(w->fd, dir, WATCH_MASK);
	if (wd < 0) {
		say(SAY_NORMAL, "warning: %s: cannot watch it for changes: %s", dir, strerror(errno));
		return;
	}
	for (size_t i = 0; i < w->n; i++)
		if (w->w[i].wd == wd) {
			if (!name)
				free(w->w[i].name), w->w[i].name = NULL;
			return;
		}
	w->w = xrealloc(w->w, (w->n + 1) * sizeof *w->w);
	w->w[w->n].wd = wd;
	w->w[w->n].dir = xstrdup(dir);
	w->w[w->n++].name = name ? xstrdup(name) : NULL;
}

/* Watches what the build in force read: the data folder, the templates, the theme and the
 * configuration file. Folders an earlier configuration named stay watched. */
static void watch_sources(Watch *w, const Config *cfg)
{
	char *theme = path_join(cfg->themes_dir, cfg->theme);
	watch_add(w, cfg->data_dir, NULL);
	watch_add(w, cfg->templates_dir, NULL);
	char *pages = path_join(cfg->templates_dir, "pages");	/* the project's own pages */
	if (is_dir(pages))
		watch_add(w, pages, NULL);
	free(pages);
	watch_add(w, theme, NULL);
	free(theme);
	if (cfg->config_file) {
		const char *slash = strrchr(cfg->config_file, '/');
		char *dir = slash ? xstrndup(cfg->config_file, (size_t)(slash - cfg->config_file + 1)) : xstrdup(".");
		watch_add(w, dir, slash ? slash + 1 : cfg->config_file);
		free(dir);
	}
}

static bool ends_with(const char *s, size_t n, const char *end)
{
	size_t k = strlen(end);
	return n >= k && memcmp(s + n - k, end, k) == 0;
}

/* An editor's file beside the one it edits, which no build reads: vim's swap files
 * (.NAME.swp, .swo, .swx) and its write test (4913), a backup (NAME~), emacs's lock and
 * auto-save files (.#NAME, #NAME#). vim writes its swap file every few seconds of typing. */
static bool editor_file(const char *name)
{
	size_t n = strlen(name);
	return (name[0] == '.' && (ends_with(name, n, ".swp") || ends_with(name, n, ".swo") ||
				    ends_with(name, n, ".swx") || name[1] == '#')) ||
	       (n && name[n - 1] == '~') || (n > 1 && name[0] == '#' && name[n - 1] == '#') || strcmp(name, "4913") == 0;
}

/* Reads the pending events; true if one of them is a change that counts (the first one is
 * named in w->changed); an editor's own files (editor_file) do not. */
static bool watch_changed(Watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t got = read(w->fd, buf, sizeof buf);
	for (char *p = buf; got > 0 && p < buf + got;) {
		const struct inotify_event *e = (const struct inotify_event *)(void *)p;
		for (size_t i = 0; i < w->n; i++) {
			if (w->w[i].wd != e->wd || (w->w[i].name && (!e->len || strcmp(e->name, w->w[i].name))) ||
			    (e->len && editor_file(e->name)))
				continue;
			if (!w->changed.len) {
				char *path = path_join(w->w[i].dir, e->len ? e->name : "");
				buf_puts(&w->changed, path);
				free(path);
			}
			changed = true;
		}
		changed |= (e->mask & IN_Q_OVERFLOW) != 0;
		p += sizeof *e + e->len;
	}
	return changed;
}

static void watch_free(Watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i].dir), free(w->w[i].name);
	free(w->w);
	buf_free(&w->changed);
	close(w->fd);
}

/* ------------------------------------------------------------------ the server */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A listening TCP socket on addr:port (port 0: any free one); -1 after saying why. */
static int listen_on(const char *addr, unsigned *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)*port)};
	socklen_t len = sizeof sa;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		errno = EINVAL;
	else if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
		 bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(fd, 64) == 0 &&
		 getsockname(fd, (struct sockaddr *)&sa, &len) == 0) {
		*port = ntohs(sa.sin_port);
		return fd;
	}
	int e = errno;	/* a port in use: most often another c360 serve, left running in a terminal */
	say(SAY_QUIET, "error: cannot listen on %s:%u: %s%s", addr, *port, strerror(e),
	    e == EADDRINUSE ? " (another server has it: --port N names another, --port 0 any free one)" : "");
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The thread that takes SIGHUP, SIGINT and SIGTERM: during a build, it ends the process as an
 * interrupted `c360 build` ends (the staging folder removed, the previous site whole, 128 + the
 * signal: out_interrupt); between builds, the server stops with status 0 (a byte on wake). */
static void *signals(void *arg)
{
	Server *sv = arg;
	int sig = 0;
	while (sigwait(&sv->stop, &sig) != 0)
		;
	pthread_mutex_lock(&sv->lock);
	if (sv->building)
		out_interrupt(sig);
	sv->stopping = true;
	pthread_mutex_unlock(&sv->lock);
	while (write(sv->wake[1], "", 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A build, unless a signal came since the last: its status (1 if none ran). */
static int build_once(Server *sv, const ServeOptions *so)
{
	pthread_mutex_lock(&sv->lock);
	bool go = sv->building = !sv->stopping;
	pthread_mutex_unlock(&sv->lock);
	int status = go ? so->build(so->ctx) : 1;
	pthread_mutex_lock(&sv->lock);
	sv->building = false;
	pthread_mutex_unlock(&sv->lock);
	return status;
}

static void rebuild(Server *sv, const ServeOptions *so, Watch *w)
{
	say(SAY_NORMAL, "%s changed; rebuilding", w->changed.len ? buf_cstr(&w->changed) : "a source");
	w->changed.len = 0;
	Buf said = {0};
	console_capture(&said);
	bool failed = build_once(sv, so) != 0;
	console_capture(NULL);
	pthread_mutex_lock(&sv->lock);
	free(sv->failed);
	sv->failed = failed ? xstrdup(buf_cstr(&said)) : NULL;
	pthread_mutex_unlock(&sv->lock);
	buf_free(&said);
	if (failed) {
		say(SAY_QUIET, "the rebuild failed; still serving the previous site");
	} else if (!so->unchanged || !*so->unchanged) {
		atomic_fetch_add(&sv->generation, 1);
		say(SAY_NORMAL, "rebuilt %s; open pages reload", sv->out);
	}	/* else a change undone (a template broken, then put back): the build said the site
		 * is up to date, which the pages open show as it is */
	watch_sources(w, so->cfg);
}

/* Rebuilds after changes (once they settle) until a signal's byte arrives on wake. */
static void serve_loop(Server *sv, const ServeOptions *so, Watch *w)
{
	struct pollfd pf[2] = {{.fd = sv->wake[0], .events = POLLIN}, {.fd = w->fd, .events = POLLIN}};
	int64_t first = -1, due = -1;	/* the first change not yet built, and when to build */
	for (;;) {
		int64_t now = now_ms();
		if (due >= 0 && now >= due) {
			rebuild(sv, so, w);
			first = due = -1;
			continue;
		}
		if (poll(pf, 2, due < 0 ? -1 : (int)(due - now)) < 0 && errno != EINTR)
			return;
		if (pf[0].revents)
			return;
		if ((pf[1].revents & POLLIN) && watch_changed(w)) {
			now = now_ms();
			first = first < 0 ? now : first;
			due = now + QUIET_MS < first + MAX_WAIT_MS ? now + QUIET_MS : first + MAX_WAIT_MS;
		}
	}
}

/* SIGHUP, SIGINT and SIGTERM stop the server (between builds, status 0) or its build (as `c360
 * build` is stopped: nothing left half made, the previous site served until then left whole). */
int serve(const ServeOptions *so)
{
	Buf why = {0};
	if (!lib_load(&libmhd, &why)) {
		say(SAY_QUIET, "error: %s", buf_cstr(&why));
		buf_free(&why);
		return 1;
	}
	struct in_addr bound;
	Server sv = {.out = so->cfg->out_dir, .pid = (long)getpid(), .lock = PTHREAD_MUTEX_INITIALIZER,
		     .loopback = inet_pton(AF_INET, so->bind, &bound) == 1 && (ntohl(bound.s_addr) >> 24) == 127,
		     .wake = {-1, -1}};
	out_signals(&sv.stop);	/* SIGHUP if not ignored (nohup) */
	sigaddset(&sv.stop, SIGINT);	/* always: a shell starts a job in the background ignoring it */
	sigaddset(&sv.stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sv.stop, NULL);	/* before any thread starts: they inherit it */
	signal(SIGPIPE, SIG_IGN);
	unsigned port = so->port;
	pthread_t taker;
	bool taking = pipe2(sv.wake, O_CLOEXEC) == 0 && pthread_create(&taker, NULL, signals, &sv) == 0;
	int status = 1, sock = listen_on(so->bind, &port);
	Watch w = {.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)};
	struct MHD_Daemon *d = NULL;
	if (!taking || w.fd < 0)
		say(SAY_QUIET, "error: cannot watch for changes: %s", strerror(errno));
	if (!taking || w.fd < 0 || sock < 0 || build_once(&sv, so) != 0)
		goto out;
	watch_sources(&w, so->cfg);
	/* at most PER_ADDRESS connections from one address: one that holds many open (a request sent a
	 * byte at a time) leaves the server's others to the rest (a browser opens six or so). Not on
	 * the loopback address, where every client has the one address: 32 idle tabs' connections or
	 * a script's would keep out the rest (helper 126), and each is the user's own. */
	d = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, serve_request, &sv,
			     MHD_OPTION_LISTEN_SOCKET, sock, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, sv.loopback ? 0u : PER_ADDRESS,
			     MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_END);
	if (!d) {
		say(SAY_QUIET, "error: cannot start the web server");
		goto out;
	}
	sock = -1;	/* the server closes it */
	say(SAY_QUIET, "serving %s at http://%s:%u/ (Ctrl-C stops)", sv.out, so->bind, port);
	serve_loop(&sv, so, &w);
	mhd.stop_daemon(d);
	status = 0;
out:
	if (sock >= 0)
		close(sock);
	if (w.fd >= 0)
		watch_free(&w);
	if (taking) {	/* its wait ended by a signal of its own, if none came */
		pthread_kill(taker, SIGTERM);
		pthread_join(taker, NULL);
	}
	for (int i = 0; i < 2; i++)
		if (sv.wake[i] >= 0)
			close(sv.wake[i]);
	free(sv.failed);
	return status;
}
