/* main.c — the command line: options, the stages in order, and the exit status. */
#include "c360.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef C360_DATADIR
#define C360_DATADIR "/usr/local/share/c360"
#endif

enum { EXIT_OK = 0, EXIT_BUILD = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: c360 build    [--data DIR] [--out DIR] [--as-of YYYY-MM-DD] [--config FILE] [--theme NAME]\n"
	"                     [--jobs N] [--shard K/N] [--quiet]\n"
	"       c360 render   --gold DIR [--out DIR] [--config FILE] [--theme NAME] [--jobs N] [--shard K/N]\n"
	"                     [--quiet]\n"
	"       c360 check    [--data DIR] [--as-of YYYY-MM-DD] [--config FILE] [--jobs N] [--quiet]\n"
	"       c360 generate --customers N [--seed S] --out DIR\n"
	"       c360 init     DIR\n"
	"       c360 --help | --version\n";

static const char help_text[] =
	"c360 turns five CSV exports (customers, orders, payments, support tickets, web sessions)\n"
	"into a Customer 360 KPI site and gold CSVs for Power BI.\n\n"
	"  build     read, clean and model the data; write the site into --out (default site/)\n"
	"  render    write the site from a folder of gold tables (a build's gold/, or another engine's)\n"
	"  check     read and clean the data; print the data-quality summary; write nothing\n"
	"  generate  write N customers of synthetic, deliberately messy exports into --out\n"
	"  init      make DIR a new report project: configuration, templates and theme to edit\n\n"
	"options:\n"
	"  --data DIR        the folder holding the five CSV files (default: the bundled sample)\n"
	"  --gold DIR        the folder of gold tables to render (docs/gold-schema.md)\n"
	"  --out DIR         where the site goes (build) or the data goes (generate)\n"
	"  --as-of DATE      the report date, YYYY-MM-DD (default: the latest event in the data)\n"
	"  --config FILE     file names, column aliases, date_order, churn_window_days\n"
	"  --theme NAME      the theme under themes/ (default: default)\n"
	"  --customers N     how many customers to generate\n"
	"  --seed S          the generator's seed (default 1)\n"
	"  --jobs N          threads to read with (default: one per processor)\n"
	"  --shard K/N       write shard K of N: the customer pages whose folder is K modulo N\n"
	"                    (shard 0 also everything else); docs/scale-out.md\n"
	"  --quiet           print errors only\n\n"
	"exit status: 0 success, 1 the input cannot be built, 2 usage error.\n"
	"See c360(1) for the files written, docs/rules.md for the cleaning rules and KPI definitions.\n";

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "c360: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "", usage_text);
	return EXIT_USAGE;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder c360 ships (data/sample, templates, themes, assets): beside the executable, one
 * folder up (a build tree), in ../share/c360 (an installed tree, wherever it was moved), else
 * where it was installed. */
static char *resource_dir(const char *rel)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
	if (slash) {
		*slash = '\0';
		static const char *const places[] = {"", "../", "../share/c360/"};
		for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
			Buf b = {0};
			buf_printf(&b, "%s/%s%s", exe, places[i], rel);
			if (is_dir(buf_cstr(&b)))
				return (char *)b.p;
			buf_free(&b);
		}
	}
	return path_join(C360_DATADIR, rel);
}

typedef struct {
	Config cfg;
	const char *cmd;
	const char *gold_dir;	/* render --gold */
	uint64_t customers, seed;
	bool have_customers, theme_given;
	char *owned[4];
} Options;

static bool parse_count(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || !*s || *end || s[0] == '-')
		return false;
	*v = n;
	return true;
}

/* "K/N": shard K of N. */
static bool parse_shard(const char *s, int *k, int *n)
{
	const char *slash = strchr(s, '/');
	uint64_t kk, nn;
	char *ks = slash ? xstrndup(s, (size_t)(slash - s)) : NULL;
	bool ok = ks && parse_count(ks, &kk) && parse_count(slash + 1, &nn) && nn >= 1 && nn <= 256 && kk < nn;
	free(ks);
	if (ok)
		*k = (int)kk, *n = (int)nn;
	return ok;
}

static int parse_options(int argc, char **argv, Options *o)
{
	enum { O_DATA = 256, O_OUT, O_ASOF, O_CONFIG, O_THEME, O_CUSTOMERS, O_SEED, O_QUIET, O_JOBS, O_GOLD, O_SHARD };
	static const struct option longs[] = {
		{"data", required_argument, NULL, O_DATA}, {"out", required_argument, NULL, O_OUT},
		{"as-of", required_argument, NULL, O_ASOF}, {"config", required_argument, NULL, O_CONFIG},
		{"theme", required_argument, NULL, O_THEME}, {"customers", required_argument, NULL, O_CUSTOMERS},
		{"seed", required_argument, NULL, O_SEED}, {"quiet", no_argument, NULL, O_QUIET},
		{"jobs", required_argument, NULL, O_JOBS}, {"gold", required_argument, NULL, O_GOLD},
		{"shard", required_argument, NULL, O_SHARD},
		{NULL, 0, NULL, 0},
	};
	bool generating = strcmp(o->cmd, "generate") == 0, checking = strcmp(o->cmd, "check") == 0,
	     rendering = strcmp(o->cmd, "render") == 0;
	bool out_given = false;
	int c;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case O_DATA: o->cfg.data_dir = optarg; break;
		case O_GOLD: o->gold_dir = optarg; break;
		case O_SHARD:
			if (!parse_shard(optarg, &o->cfg.shard, &o->cfg.shards))
				return usage_error("--shard wants K/N, N from 1 to 256 and K from 0 to N - 1", optarg);
			break;
		case O_OUT: o->cfg.out_dir = optarg, out_given = true; break;
		case O_CONFIG: o->cfg.config_file = optarg; break;
		case O_THEME:
			if (!*optarg || strchr(optarg, '/') || strcmp(optarg, "..") == 0 || strcmp(optarg, ".") == 0)
				return usage_error("--theme wants the name of a folder in themes/", optarg);
			o->cfg.theme = optarg, o->theme_given = true;
			break;
		case O_QUIET: o->cfg.quiet = true; break;
		case O_ASOF:
			if (!date_parse_iso(optarg, &o->cfg.as_of))
				return usage_error("--as-of wants a date YYYY-MM-DD between 1900 and 2100", optarg);
			break;
		case O_CUSTOMERS:
			if (!parse_count(optarg, &o->customers) || o->customers == 0 || o->customers > 100000000)
				return usage_error("--customers wants a number from 1 to 100000000", optarg);
			o->have_customers = true;
			break;
		case O_SEED:
			if (!parse_count(optarg, &o->seed))
				return usage_error("--seed wants a whole number", optarg);
			break;
		case O_JOBS: {
			uint64_t j;
			if (!parse_count(optarg, &j) || j < 1 || j > 64)
				return usage_error("--jobs wants a number from 1 to 64", optarg);
			o->cfg.jobs = (int)j;
			break;
		}
		default:
			return usage_error("unknown or incomplete option", argv[optind - 1]);
		}
		bool gen_only = c == O_CUSTOMERS || c == O_SEED, data_only = c == O_DATA || c == O_ASOF ||
			c == O_CONFIG || c == O_THEME || c == O_QUIET || c == O_JOBS || c == O_SHARD;
		if ((generating && data_only) || (!generating && gen_only) ||
		    (checking && (c == O_OUT || c == O_THEME || c == O_SHARD)) ||
		    (rendering && (c == O_DATA || c == O_ASOF)) || (!rendering && c == O_GOLD))
			return usage_error("option not valid here", argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (generating && (!o->have_customers || !out_given))
		return usage_error("generate needs --customers N and --out DIR", NULL);
	if (rendering && !o->gold_dir)
		return usage_error("render needs --gold DIR", NULL);
	return EXIT_OK;
}

/* Diagnostics go to stderr; the result is the exit status the worst of them calls for. */
static int report(const Silver *s, bool quiet)
{
	Buf b = {0};
	silver_report(&b, s, quiet);
	fwrite(b.p ? b.p : "", 1, b.len, stderr);
	buf_free(&b);
	return silver_worst(s) == SEV_ERROR ? EXIT_BUILD : EXIT_OK;
}

/* Progress on a terminal; with C360_TIMINGS set, the time each stage took (for the benchmark). */
static void progress(const char *what)
{
	static struct timespec last;
	static const char *stage;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (stage && getenv("C360_TIMINGS"))
		fprintf(stderr, "c360: %-22s %8.3f s\n", stage,
			(double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9);
	last = now;
	stage = *what ? what : NULL;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[Kc360: %s", what);
}

/* Everything made from gold, into the staging folder: the gold tables, the charts, the site
 * and the weekly edition beside it. */
static bool render(const Gold *g, const Config *cfg, const char *staging, Buf *err)
{
	bool all = cfg->shard == 0;	/* a shard past the first writes its customer pages only */
	progress("writing gold tables");
	bool ok = !all || gold_write(g, cfg, staging, err);
	progress("drawing the charts");
	ChartSet charts = {0};
	NumFormat fmt;
	fmt_init(&fmt, cfg);
	ok = ok && (!all || chart_set_make(&charts, g, &fmt, err));
	progress("writing the site");
	ok = ok && site_write(g, cfg, &charts, staging, err);
	progress("writing the edition");
	ok = ok && (!all || edition_write(g, cfg, &charts, staging, err));
	chart_set_free(&charts);
	return ok;
}

/* The model made into files: staged beside --out and swapped in whole. */
static int publish(const Options *o, const Gold *g)
{
	Buf err = {0};
	char *staging = NULL;
	bool ok = out_stage(o->cfg.out_dir, &staging, &err) && render(g, &o->cfg, staging, &err);
	progress("replacing the previous site");
	ok = ok && out_commit(o->cfg.out_dir, staging, &err);
	progress("");
	if (!ok) {
		if (staging)
			out_abort(staging);
		fprintf(stderr, "%sc360: the %s stopped; %s is unchanged\n", buf_cstr(&err), o->cmd, o->cfg.out_dir);
	} else if (isatty(STDERR_FILENO)) {
		Buf d = {0};
		buf_date(&d, g->as_of);
		fprintf(stderr, "c360: wrote %s (%zu customers, as of %s)\n", o->cfg.out_dir,
			g->src[SRC_CUSTOMERS].table->n, buf_cstr(&d));
		buf_free(&d);
	}
	buf_free(&err);
	return ok ? EXIT_OK : EXIT_BUILD;
}

/* build: the data stage (silver, then gold), then everything made from gold. */
static int cmd_build(Options *o)
{
	Silver s;
	Gold g = {0};
	progress("reading and cleaning");
	bool ok = silver_load(&s, &o->cfg);
	progress("");
	ok = report(&s, o->cfg.quiet) == EXIT_OK && ok;
	Buf err = {0};
	if (ok) {
		progress("computing KPIs");
		ok = gold_build(&s, &g, &err);
		progress("");
	}
	int status = ok ? publish(o, &g) : EXIT_BUILD;
	if (!ok)
		fprintf(stderr, "%sc360: the build stopped; %s is unchanged\n", buf_cstr(&err), o->cfg.out_dir);
	buf_free(&err);
	gold_free(&g);
	silver_free(&s);
	return status;
}

/* render: everything made from gold, the gold read from a folder (another engine's, or a build's). */
static int cmd_render(Options *o)
{
	Gold g;
	Buf rep = {0};
	progress("reading gold tables");
	bool ok = gold_read(o->gold_dir, &g, &rep, o->cfg.quiet);
	progress("");
	fputs(buf_cstr(&rep), stderr);
	buf_free(&rep);
	int status = ok ? publish(o, &g) : EXIT_BUILD;
	if (!ok)
		fprintf(stderr, "c360: the render stopped; %s is unchanged\n", o->cfg.out_dir);
	gold_free(&g);
	return status;
}

static int cmd_check(Options *o)
{
	Silver s;
	silver_load(&s, &o->cfg);
	int status = report(&s, o->cfg.quiet);
	Buf b = {0};
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	quality_summary(&b, q, s.as_of);
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	silver_free(&s);
	return fflush(stdout) == 0 ? status : EXIT_BUILD;
}

static const char project_config[] =
	"# c360 report configuration: c360 build --config THIS_FILE --data EXPORTS --out SITE\n"
	"# Paths are relative to this file. See c360(1).\n\n"
	"title = Customer 360\n"
	"templates = templates\n"
	"themes = themes\n"
	"theme = default\n"
	"# email_from = Customer 360 <bi@example.com>   # the weekly e-mail's sender\n"
	"# email_to = leadership@example.com\n"
	"# date_order = day-first        # or month-first, when no date column shows which\n"
	"# churn_window_days = 90\n"
	"# thousands_separator = ,     # how pages write 1,234.56; \" \" for a space\n"
	"# currency = EUR               # or a symbol: €\n\n"
	"[files]\n"
	"# customers = crm_export.csv\n\n"
	"[columns]\n"
	"# customers.email = mail, e mail address\n";

/* A new report project: its configuration, and copies of the templates and the default theme
 * to edit. An existing folder must be empty. */
static int cmd_init(const char *dir)
{
	Buf err = {0}, conf = {0};
	char *templates = resource_dir("templates"), *themes = resource_dir("themes");
	char *theme = path_join(themes, "default");
	bool ok = mkdir(dir, 0777) == 0 || (errno == EEXIST && rmdir(dir) == 0 && mkdir(dir, 0777) == 0);
	if (!ok)
		buf_printf(&err, "c360: error: %s: %s (init wants a new or empty folder)\n", dir, strerror(errno));
	buf_puts(&conf, project_config);
	ok = ok && out_mkdir(dir, "templates", &err) && out_mkdir(dir, "themes", &err) &&
	     out_mkdir(dir, "themes/default", &err) && out_copy_dir(templates, dir, "templates", NULL, &err) &&
	     out_copy_dir(theme, dir, "themes/default", NULL, &err) && out_write_file(dir, "c360.conf", &conf, &err);
	if (ok)
		fprintf(stderr, "c360: a new report in %s; edit its templates/ and themes/default/, then\n"
				"      c360 build --config %s/c360.conf --data EXPORTS --out SITE\n", dir, dir);
	else
		fputs(buf_cstr(&err), stderr);
	buf_free(&err);
	buf_free(&conf);
	free(templates), free(themes), free(theme);
	return ok ? EXIT_OK : EXIT_BUILD;
}

static int cmd_generate(Options *o)
{
	Buf err = {0};
	bool ok = generate(o->cfg.out_dir, o->customers, o->seed, &err);
	if (!ok)
		fprintf(stderr, "%s", buf_cstr(&err));
	buf_free(&err);
	return ok ? EXIT_OK : EXIT_BUILD;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("no command given", NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		fputs("\n", stdout);
		fputs(help_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("c360 " C360_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "init") == 0) {
		if (argc != 3 || argv[2][0] == '-')
			return usage_error("init wants one folder", NULL);
		return cmd_init(argv[2]);
	}
	Options o = {.cmd = argv[1], .seed = 1};
	config_defaults(&o.cfg);
	if (strcmp(o.cmd, "build") && strcmp(o.cmd, "check") && strcmp(o.cmd, "generate") && strcmp(o.cmd, "render"))
		return usage_error("unknown command", o.cmd);
	int status = parse_options(argc, argv, &o);
	if (status != EXIT_OK)
		return status;
	if (!o.cfg.data_dir)
		o.cfg.data_dir = o.owned[0] = resource_dir("data/sample");
	o.cfg.templates_dir = o.owned[1] = resource_dir("templates");
	o.cfg.themes_dir = o.owned[2] = resource_dir("themes");
	o.cfg.assets_dir = o.owned[3] = resource_dir("assets");
	const char *theme = o.cfg.theme;	/* --theme wins over the configuration */
	const char *chunk = getenv("C360_CHUNK_MIN");	/* tests split small files with it */
	if (chunk)
		o.cfg.chunk_min = (size_t)strtoull(chunk, NULL, 10);
	if (o.cfg.config_file) {
		Buf err = {0};
		if (!config_load(&o.cfg, o.cfg.config_file, &err)) {
			fputs(buf_cstr(&err), stderr);
			buf_free(&err);
			config_free(&o.cfg);
			for (int i = 0; i < 4; i++)
				free(o.owned[i]);
			return EXIT_BUILD;
		}
		if (o.theme_given)
			o.cfg.theme = theme;
	}
	if (strcmp(o.cmd, "build") == 0)
		status = cmd_build(&o);
	else if (strcmp(o.cmd, "render") == 0)
		status = cmd_render(&o);
	else if (strcmp(o.cmd, "check") == 0)
		status = cmd_check(&o);
	else
		status = cmd_generate(&o);
	config_free(&o.cfg);
	for (int i = 0; i < 4; i++)
		free(o.owned[i]);
	return status;
}
