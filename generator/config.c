/* config.c — the report's configuration: defaults and an INI-style file. */
#include "c360.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void config_defaults(Config *c)
{
	*c = (Config){0};
	c->out_dir = "site";
	c->theme = "default";
	c->as_of = MOMENT_NULL;
	c->date_order = ORDER_DAY_FIRST;
	c->churn_window_days = 90;
	c->chunk_min = 4u << 20;
	c->shards = 1;
}

/* Header names compare trimmed, lower-cased, with runs of spaces, hyphens and
 * underscores read as one underscore. */
char *config_normalise(Str s)
{
	s = str_trim(s);
	char *out = xmalloc(s.n + 1), *o = out;
	bool sep = false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == ' ' || c == '-' || c == '_' || c == '\t') {
			sep = true;
			continue;
		}
		if (sep && o > out)
			*o++ = '_';
		sep = false;
		*o++ = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	*o = '\0';
	return out;
}

static int source_by_name(Str name)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (str_eq(name, source_defs[i].name))
			return i;
	return -1;
}

static bool set_alias(Config *c, Str key, Str value)
{
	const char *dot = memchr(key.p, '.', key.n);
	if (!dot)
		return false;
	int src = source_by_name(str_make(key.p, (size_t)(dot - key.p)));
	if (src < 0)
		return false;
	Str col = str_make(dot + 1, key.n - (size_t)(dot + 1 - key.p));
	const SourceDef *def = &source_defs[src];
	for (int k = 0; k < def->ncols; k++) {
		if (!str_eq(col, def->cols[k]))
			continue;
		int n = 0;
		const char *p = value.p, *end = value.p + value.n;
		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			char *name = config_normalise(str_make(p, (size_t)(stop - p)));
			if (*name && n < MAX_ALIASES) {
				free(c->alias[src][k][n]);
				c->alias[src][k][n++] = name;
			} else {
				free(name);
			}
			p = stop + 1;
		}
		return true;
	}
	return false;
}

/* A string the configuration keeps: freed with it. */
static const char *keep(Config *c, char *s)
{
	c->owned = xrealloc(c->owned, (c->nowned + 1) * sizeof *c->owned);
	return c->owned[c->nowned++] = s;
}

/* Paths in the file are relative to the file's folder. */
static const char *keep_path(Config *c, const char *file, const char *v)
{
	if (v[0] == '/')
		return keep(c, xstrdup(v));
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
	char *p = path_join(dir, v);
	free(dir);
	return keep(c, p);
}

/* How figures are written: a thousands separator or a currency of a few characters, no digits
 * and no control characters (the separator not the decimal point); quotes keep spaces. */
static bool number_text(const char *v, size_t max, bool separator)
{
	size_t n = strlen(v);
	if (n > max || (separator && strcmp(v, ".") == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f || (v[i] >= '0' && v[i] <= '9') || v[i] == '"')
			return false;
	return true;
}

static bool set_format(Config *c, Str key, char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		memmove(v, v + 1, n - 2), v[n - 2] = '\0';
	bool separator = str_eq(key, "thousands_separator");
	if (!number_text(v, separator ? 4 : 8, separator))
		return false;
	if (separator)
		c->thousands_separator = keep(c, xstrdup(v));
	else
		c->currency = keep(c, xstrdup(v));
	return true;
}

static bool set_key(Config *c, const char *file, const char *section, Str key, Str value)
{
	char *v = xstrndup(value.p, value.n);
	bool ok = true;
	if (!*section && (str_eq(key, "templates") || str_eq(key, "themes"))) {
		ok = *v != '\0';
		if (ok && str_eq(key, "templates"))
			c->templates_dir = keep_path(c, file, v);
		else if (ok)
			c->themes_dir = keep_path(c, file, v);
	} else if (!*section && str_eq(key, "theme")) {
		ok = *v && !strchr(v, '/') && strcmp(v, "..") != 0 && strcmp(v, ".") != 0;
		if (ok)
			c->theme = keep(c, xstrdup(v));
	} else if (!*section && str_eq(key, "title")) {
		c->title = keep(c, xstrdup(v));
	} else if (!*section && (str_eq(key, "email_from") || str_eq(key, "email_to"))) {
		ok = *v && !strpbrk(v, "\r\n");	/* one header line each: no header injection */
		if (ok && str_eq(key, "email_from"))
			c->email_from = keep(c, xstrdup(v));
		else if (ok)
			c->email_to = keep(c, xstrdup(v));
	} else if (!*section && (str_eq(key, "thousands_separator") || str_eq(key, "currency"))) {
		ok = set_format(c, key, v);
	} else if (!*section && str_eq(key, "date_order")) {
		if (strcmp(v, "day-first") == 0)
			c->date_order = ORDER_DAY_FIRST;
		else if (strcmp(v, "month-first") == 0)
			c->date_order = ORDER_MONTH_FIRST;
		else
			ok = false;
	} else if (!*section && str_eq(key, "churn_window_days")) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		ok = !errno && *v && !*end && n >= 1 && n <= 3650;
		if (ok)
			c->churn_window_days = (int)n;
	} else if (strcmp(section, "files") == 0) {
		int src = source_by_name(key);
		ok = src >= 0 && *v && !strchr(v, '/');
		if (ok) {
			free(c->file[src]);
			c->file[src] = v;
			v = NULL;
		}
	} else if (strcmp(section, "columns") == 0) {
		ok = set_alias(c, key, value);
	} else {
		ok = false;
	}
	free(v);
	return ok;
}

bool config_load(Config *c, const char *path, Buf *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(err, "%s: error: cannot open the configuration: %s\n", path, strerror(errno));
		return false;
	}
	char line[4096], section[64] = "";
	unsigned lineno = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof line, f)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		Str s = str_trim(str_make(line, strlen(line)));
		if (!s.n)
			continue;
		unsigned col = (unsigned)(s.p - line) + 1;
		if (s.p[0] == '[' && s.p[s.n - 1] == ']' && s.n - 2 < sizeof section) {
			memcpy(section, s.p + 1, s.n - 2);
			section[s.n - 2] = '\0';
			if (strcmp(section, "files") && strcmp(section, "columns")) {
				buf_printf(err, "%s:%u:%u: error: unknown section [%s]\n", path, lineno, col, section);
				ok = false;
			}
			continue;
		}
		const char *eq = memchr(s.p, '=', s.n);
		if (!eq) {
			buf_printf(err, "%s:%u:%u: error: expected \"key = value\"\n", path, lineno, col);
			ok = false;
			continue;
		}
		Str key = str_trim(str_make(s.p, (size_t)(eq - s.p)));
		Str value = str_trim(str_make(eq + 1, s.n - (size_t)(eq + 1 - s.p)));
		if (!set_key(c, path, section, key, value)) {
			buf_printf(err, "%s:%u:%u: error: unknown key or bad value: %.*s\n", path, lineno, col,
				   (int)s.n, s.p);
			ok = false;
		}
	}
	fclose(f);
	return ok;
}

const char *config_file_of(const Config *c, SourceId id)
{
	return c->file[id] ? c->file[id] : source_defs[id].file;
}

int config_threads(const Config *c)
{
	long n = c->jobs > 0 ? c->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

void config_free(Config *c)
{
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	for (int s = 0; s < SRC_COUNT; s++) {
		free(c->file[s]);
		for (int k = 0; k < MAX_COLS; k++)
			for (int a = 0; a < MAX_ALIASES; a++)
				free(c->alias[s][k][a]);
	}
}
