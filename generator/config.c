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

bool config_list(Str value, char ***items, size_t *n, Buf *err)
{
	*items = NULL, *n = 0;
	const char *p = value.p, *end = value.p + value.n;
	while (p <= end) {
		Buf item = {0};
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		bool quoted = q < end && *q == '"';
		if (quoted) {
			for (q++; q < end && !(*q == '"' && (q + 1 == end || q[1] != '"')); q++) {
				buf_putc(&item, *q);
				q += *q == '"';	/* "" is one " */
			}
			if (q == end) {
				buf_printf(err, "a quote is never closed");
				buf_free(&item);
				goto fail;
			}
			q++;
		}
		const char *comma = memchr(q, ',', (size_t)(end - q));
		const char *stop = comma ? comma : end;
		Str rest = str_trim(str_make(q, (size_t)(stop - q)));
		if (quoted ? rest.n != 0 : (buf_put(&item, rest.p, rest.n), item.len == 0)) {
			buf_printf(err, quoted ? "text after a quoted name" : "an empty name in the list");
			buf_free(&item);
			goto fail;
		}
		*items = xrealloc(*items, (*n + 1) * sizeof **items);
		(*items)[(*n)++] = item.p ? (char *)buf_cstr(&item) : xstrdup("");
		p = stop + 1;
	}
	return true;
fail:
	while (*n)
		free((*items)[--*n]);
	free(*items);
	*items = NULL;
	return false;
}

char *config_unquote(Str v)
{
	v = str_trim(v);
	if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"')
		return xstrndup(v.p, v.n);
	Buf b = {0};
	for (size_t i = 1; i + 1 < v.n; i++) {
		buf_putc(&b, v.p[i]);
		i += v.p[i] == '"' && v.p[i + 1] == '"';
	}
	return b.p ? (char *)buf_cstr(&b) : xstrdup("");
}

static bool set_alias(Config *c, Str key, Str value, Buf *err)
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
		char **names;
		size_t n;
		if (!config_list(value, &names, &n, err))
			return false;
		for (size_t a = 0; a < MAX_ALIASES; a++) {
			free(c->alias[src][k][a]);
			c->alias[src][k][a] = a < n ? config_normalise(str_make(names[a], strlen(names[a]))) : NULL;
		}
		for (size_t a = 0; a < n; a++)
			free(names[a]);
		free(names);
		if (n > MAX_ALIASES)
			buf_printf(err, "at most %d names for a column", MAX_ALIASES);
		return n <= MAX_ALIASES;
	}
	return false;
}

const char *config_keep(Config *c, char *s)
{
	c->owned = xrealloc(c->owned, (c->nowned + 1) * sizeof *c->owned);
	return c->owned[c->nowned++] = s;
}

const char *config_path(Config *c, const char *file, const char *v)
{
	if (v[0] == '/')
		return config_keep(c, xstrdup(v));
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
	char *p = strcmp(v, ".") == 0 ? xstrdup(dir) : path_join(dir, v);
	free(dir);
	return config_keep(c, p);
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
	bool separator = str_eq(key, "thousands_separator");
	if (!number_text(v, separator ? 4 : 8, separator))
		return false;
	if (separator)
		c->thousands_separator = config_keep(c, xstrdup(v));
	else
		c->currency = config_keep(c, xstrdup(v));
	return true;
}

/* The data location: an s3:// address, or a folder relative to the file; --data wins. */
static bool set_data(Config *c, const char *file, const char *v)
{
	if (!*v)
		return false;
	if (!c->data_dir)
		c->data_dir = strncmp(v, "s3://", 5) == 0 ? config_keep(c, xstrdup(v)) : config_path(c, file, v);
	return true;
}

static bool set_key(Config *c, const char *file, const char *section, Str key, Str value, Buf *err)
{
	char *v = config_unquote(value);
	bool ok = true;
	if (!*section && (str_eq(key, "templates") || str_eq(key, "themes"))) {
		ok = *v != '\0';
		if (ok && str_eq(key, "templates"))
			c->templates_dir = config_path(c, file, v);
		else if (ok)
			c->themes_dir = config_path(c, file, v);
	} else if (!*section && str_eq(key, "data")) {
		ok = set_data(c, file, v);
	} else if (!*section && str_eq(key, "theme")) {
		ok = *v && !strchr(v, '/') && strcmp(v, "..") != 0 && strcmp(v, ".") != 0;
		if (ok)
			c->theme = config_keep(c, xstrdup(v));
	} else if (!*section && str_eq(key, "title")) {
		c->title = config_keep(c, xstrdup(v));
	} else if (!*section && (str_eq(key, "email_from") || str_eq(key, "email_to"))) {
		ok = *v && !strpbrk(v, "\r\n");	/* one header line each: no header injection */
		if (ok && str_eq(key, "email_from"))
			c->email_from = config_keep(c, xstrdup(v));
		else if (ok)
			c->email_to = config_keep(c, xstrdup(v));
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
		ok = set_alias(c, key, value, err);
	} else {
		ok = false;
	}
	free(v);
	return ok;
}

/* A line of the file, where its comment is cut: at a # outside double quotes, or (sql) only
 * a whole line. */
static Str config_line(char *line, bool sql)
{
	Str s = str_trim(str_make(line, strlen(line)));
	if (s.n && s.p[0] == '#')
		return str_make(s.p, 0);
	bool quoted = false;
	for (size_t i = 0; !sql && i < s.n; i++) {
		quoted ^= s.p[i] == '"';
		if (s.p[i] == '#' && !quoted)
			return str_trim(str_make(s.p, i));
	}
	return s;
}

/* A value being read: in [sql] it goes on over the indented lines after its key. */
typedef struct {
	Buf key, value;
	uint32_t line, col, vcol;
	SqlDef map;		/* where each line of the value stands */
	bool open;
} Pending;

static void pending_line(Pending *p, Str text, uint32_t line, uint32_t col)
{
	if (p->value.len)
		buf_putc(&p->value, '\n');
	p->map.off = xrealloc(p->map.off, (p->map.nlines + 1) * sizeof *p->map.off);
	p->map.line = xrealloc(p->map.line, (p->map.nlines + 1) * sizeof *p->map.line);
	p->map.col = xrealloc(p->map.col, (p->map.nlines + 1) * sizeof *p->map.col);
	p->map.off[p->map.nlines] = (uint32_t)p->value.len;
	p->map.line[p->map.nlines] = line;
	p->map.col[p->map.nlines++] = col;
	buf_put(&p->value, text.p, text.n);
}

/* Applies the value read; false after saying why in err. */
static bool pending_apply(Config *c, const char *path, const char *section, Pending *p, Buf *err)
{
	if (!p->open)
		return true;
	p->open = false;
	Str key = str_make(p->key.p, p->key.len), value = str_make(p->value.p ? p->value.p : "", p->value.len);
	Buf why = {0};
	bool ok;
	if (strcmp(section, "sql") == 0) {
		ok = config_sql(c, key, value, &p->map, &why);
	} else if (config_input_section(section)) {
		ok = config_input_key(c, path, section, key, value, &why);
	} else {
		ok = set_key(c, path, section, key, value, &why);
	}
	if (!ok)
		buf_printf(err, "%s:%u:%u: error: %s%s%.*s = %.*s\n", path, p->line, p->col, buf_cstr(&why),
			   why.len ? ": " : "unknown key or bad value: ", (int)key.n, key.p, (int)value.n, value.p);
	buf_free(&why);
	free(p->map.off), free(p->map.line), free(p->map.col);
	p->map = (SqlDef){0};
	p->key.len = p->value.len = 0;
	return ok;
}

static bool config_section(const char *path, unsigned lineno, unsigned col, Str s, char *section, Buf *err)
{
	Str name = str_trim(str_make(s.p + 1, s.n - 2));
	bool known = str_eq(name, "files") || str_eq(name, "columns") || str_eq(name, "sql");
	char buf[32];
	snprintf(buf, sizeof buf, "%.*s", (int)(name.n < 31 ? name.n : 31), name.p);
	if (!known && !config_input_section(buf)) {
		buf_printf(err, "%s:%u:%u: error: unknown section [%.*s]\n", path, lineno, col, (int)name.n, name.p);
		return false;
	}
	memcpy(section, buf, strlen(buf) + 1);
	return true;
}

bool config_load(Config *c, const char *path, Buf *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(err, "%s: error: cannot open the configuration: %s\n", path, strerror(errno));
		return false;
	}
	char line[4096], section[32] = "";
	unsigned lineno = 0;
	bool ok = true;
	Pending p = {0};
	while (ok && fgets(line, sizeof line, f)) {
		lineno++;
		bool sql = strcmp(section, "sql") == 0;
		Str s = config_line(line, sql);
		if (!s.n)
			continue;
		unsigned col = (unsigned)(s.p - line) + 1;
		if (sql && p.open && (line[0] == ' ' || line[0] == '\t')) {
			pending_line(&p, s, lineno, col);	/* the SQL goes on */
			continue;
		}
		ok = pending_apply(c, path, section, &p, err);
		if (!ok)
			break;
		if (s.p[0] == '[' && s.p[s.n - 1] == ']') {
			ok = config_section(path, lineno, col, s, section, err);
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
		buf_put(&p.key, key.p, key.n);
		p.line = lineno, p.col = col, p.vcol = (uint32_t)(value.p - line) + 1, p.open = true;
		if (value.n)
			pending_line(&p, value, lineno, p.vcol);
	}
	ok = ok && pending_apply(c, path, section, &p, err);
	buf_free(&p.key), buf_free(&p.value);
	free(p.map.off), free(p.map.line), free(p.map.col);
	fclose(f);
	return ok;
}

const char *config_file_of(const Config *c, SourceId id)
{
	return c->sql[id].text ? "(SQL)" : c->file[id] ? c->file[id] : source_defs[id].file;
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
	config_input_free(c);
	for (int s = 0; s < SRC_COUNT; s++) {
		free(c->file[s]);
		for (int k = 0; k < MAX_COLS; k++)
			for (int a = 0; a < MAX_ALIASES; a++)
				free(c->alias[s][k][a]);
	}
}
