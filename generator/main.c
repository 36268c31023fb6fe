/* main.c — the command line: the commands and their options, the stages in order, and the
 * exit status. */
#include "c360.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef C360_DATADIR
#define C360_DATADIR "/usr/local/share/c360"
#endif

enum { EXIT_OK = 0, EXIT_BUILD = 1, EXIT_USAGE = 2 };

typedef struct Options Options;

/* A command: its name; its options in the order usage shows them ("name!" is required, an
 * upper-case word an operand); what it does; how it runs; whether it reads data (and starts
 * again with huge pages for it: start_with_huge_pages). A new command is one row here. */
typedef struct {
	const char *name, *args, *summary;
	int (*run)(Options *o);
	bool reads;
} Command;

/* An option: its name; its argument (NULL: none); the command this row describes it for
 * (NULL: any); what it does; how it is set: NULL on success, else what it wants. */
typedef struct {
	const char *name, *arg, *only, *help;
	const char *(*set)(Options *o, const char *arg);
} OptionDef;

/* An option as given: its row, and its value in argv (NULL: an option that takes none). */
typedef struct {
	const OptionDef *opt;
	const char *arg;
} Given;

struct Options {
	Config cfg;
	Given *given;		/* the options as given, in order: settings() sets them again */
	size_t ngiven;
	const Command *cmd;
	const char *operand;	/* init's DIR */
	const char *gold_dir;	/* render's --gold */
	const char *bind;	/* serve's --bind */
	const char *message;	/* publish's --message */
	int64_t built_as_of;	/* the as-of date of the site written, MOMENT_NULL before */
	bool unchanged;		/* the last build found the site up to date: it wrote nothing */
	uint64_t customers, seed, port;
	bool force, theme_given, pages_given, help;
	char *owned[4];
};

static int cmd_build(Options *o);
static int cmd_render(Options *o);
static int cmd_check(Options *o);
static int cmd_serve(Options *o);
static int cmd_publish(Options *o);
static int cmd_generate(Options *o);
static int cmd_init(Options *o);

static const char *program = "c360";	/* as it was run: ./c360 in a clone, c360 installed */

static const Command commands[] = {
	{"build", "data out as-of config theme customer-pages jobs shard quiet verbose",
	 "read, clean and model the data; write the site into --out (default site/)", cmd_build, true},
	{"render", "gold! out config theme customer-pages jobs shard quiet verbose",
	 "write the site from a folder of gold tables (a build's gold/, or another engine's)", cmd_render, true},
	{"check", "data as-of config jobs quiet verbose",
	 "read and clean the data; print the data-quality summary; write nothing", cmd_check, true},
	{"serve", "data out as-of config theme customer-pages jobs port bind quiet verbose",
	 "build, serve the site on http://127.0.0.1:8360/ and rebuild when a source changes", cmd_serve, true},
	{"publish", "git! data as-of config theme customer-pages jobs message quiet verbose",
	 "build the site into a git working tree and commit it: one commit per edition, none if nothing changed",
	 cmd_publish, true},
	{"generate", "customers! seed out! force", "write N customers of synthetic, deliberately messy exports",
	 cmd_generate, false},
	{"init", "DIR", "make DIR a new report project: configuration, templates and theme to edit", cmd_init, false},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

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

static const char *set_data(Options *o, const char *v)
{
	o->cfg.data_dir = v;
	return *v ? NULL : "a folder";
}

static const char *set_gold(Options *o, const char *v)
{
	o->gold_dir = v;
	return *v ? NULL : "a folder";
}

static const char *set_message(Options *o, const char *v)
{
	o->message = v;
	return *v ? NULL : "a commit message";
}

static const char *set_out(Options *o, const char *v)
{
	o->cfg.out_dir = v;
	return NULL;	/* checked with --data once all options are read */
}

static const char *set_as_of(Options *o, const char *v)
{
	if (date_parse_iso(v, &o->cfg.as_of))
		return NULL;
	/* a date of the right shape, year and month whose day is not in the calendar (2024-02-30):
	 * said so, not as a date out of the years */
	static char why[96];
	char month[11];
	int64_t ignore;
	snprintf(month, sizeof month, "%.8s01", v);
	if (strlen(v) == 10 && strspn(v + 8, "0123456789") == 2 && date_parse_iso(month, &ignore)) {
		int last = 31;
		for (; last > 28; last--) {
			snprintf(month, sizeof month, "%.8s%02d", v, last);
			if (date_parse_iso(month, &ignore))
				break;
		}
		snprintf(why, sizeof why, "a day that exists (%.7s has %d days, no day %.2s)", v, last, v + 8);
		return why;
	}
	snprintf(month, sizeof month, "%.5s01-01", v);	/* ... a month that is not one (2024-13-01) */
	if (strlen(v) == 10 && v[4] == '-' && v[7] == '-' && strspn(v + 5, "0123456789") == 2 &&
	    date_parse_iso(month, &ignore)) {
		snprintf(why, sizeof why, "a month of 01 to 12 (not %.2s)", v + 5);
		return why;
	}
	return "a date YYYY-MM-DD between 1900 and 2100";
}

static const char *set_config(Options *o, const char *v)
{
	o->cfg.config_file = v;
	return *v ? NULL : "a file";
}

static const char *set_theme(Options *o, const char *v)
{
	o->cfg.theme = v, o->theme_given = true;
	bool name = *v && !strchr(v, '/') && strcmp(v, "..") != 0 && strcmp(v, ".") != 0;
	return name ? NULL : "the name of a folder in themes/";
}

static const char *set_pages(Options *o, const char *v)
{
	o->pages_given = true;
	o->cfg.customer_pages_by = "--customer-pages";
	return config_customer_pages(&o->cfg, v) ? NULL : "files, packed, \"top N\" (N from 1 to 100000000) or none";
}

static const char *set_jobs(Options *o, const char *v)
{
	uint64_t j;
	if (!parse_count(v, &j) || j < 1 || j > 64)
		return "a number from 1 to 64";
	o->cfg.jobs = (int)j;
	return NULL;
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

static const char *set_shard(Options *o, const char *v)
{
	return parse_shard(v, &o->cfg.shard, &o->cfg.shards) ? NULL : "K/N, N from 1 to 256 and K from 0 to N - 1";
}

static const char *set_customers(Options *o, const char *v)
{
	bool ok = parse_count(v, &o->customers) && o->customers >= 1 && o->customers <= 100000000;
	return ok ? NULL : "a number from 1 to 100000000";
}

static const char *set_seed(Options *o, const char *v)
{
	return parse_count(v, &o->seed) ? NULL : "a whole number";
}

static const char *set_port(Options *o, const char *v)
{
	return parse_count(v, &o->port) && o->port <= 65535 ? NULL : "a number from 0 to 65535";
}

static const char *set_bind(Options *o, const char *v)
{
	struct in_addr a;
	o->bind = v;
	return inet_pton(AF_INET, v, &a) == 1 ? NULL : "an IPv4 address";
}

static const char *set_quiet(Options *o, const char *v)
{
	(void)v;
	bool clash = o->cfg.verbosity == SAY_VERBOSE;
	o->cfg.verbosity = SAY_QUIET;
	return clash ? "to be given without --verbose" : NULL;
}

static const char *set_verbose(Options *o, const char *v)
{
	(void)v;
	bool clash = o->cfg.verbosity == SAY_QUIET;
	o->cfg.verbosity = SAY_VERBOSE;
	return clash ? "to be given without --quiet" : NULL;
}

static const char *set_force(Options *o, const char *v)
{
	(void)v;
	o->force = true;
	return NULL;
}

static const char *set_help(Options *o, const char *v)
{
	(void)v;
	o->help = true;
	return NULL;
}

static const OptionDef options[] = {
	{"data", "DIR", NULL, "the folder of the five CSV files, or s3://BUCKET/PREFIX/ (default: the --config file's data, else the sample)", set_data},
	{"gold", "DIR", NULL, "the folder of gold tables to render (docs/gold-schema.md)", set_gold},
	{"out", "DIR", "generate", "the folder to write the five CSV files into", set_out},
	{"out", "DIR", NULL, "where the site goes (default: site); replaced whole, only if c360 made it", set_out},
	{"git", "DIR", NULL, "the git working tree to build the site into (git init if new or empty)", set_out},
	{"message", "M", NULL, "the commit's message (default: Customer 360 as of the as-of date)", set_message},
	{"as-of", "YYYY-MM-DD", NULL, "the report date (default: the latest event in the data)", set_as_of},
	{"config", "FILE", "render", "title, theme, templates, e-mail, figures... (its export settings are unused: "
	 "render reads gold)", set_config},
	{"config", "FILE", NULL, "file names, columns, reader options, category words, SQL, title... (docs/exports.md)", set_config},
	{"theme", "NAME", NULL, "the theme: a folder in themes/ (default: default)", set_theme},
	{"jobs", "N", NULL, "threads to read and write with, 1 to 64 (default: one per processor)", set_jobs},
	{"customer-pages", "MODE", NULL, "files, packed, \"top N\" or none: a page per customer, packed in scripts, "
	 "the N most valuable, none (default: files up to 200,000 customers)", set_pages},
	{"shard", "K/N", NULL, "write the customer pages of folders K modulo N (N 1 to 256); shard 0 all else too", set_shard},
	{"quiet", NULL, NULL, "print errors only, and what c360 moved or left in the site's folder (not with --verbose)", set_quiet},
	{"verbose", NULL, NULL, "print examples of every problem found, and (check) the settings in force", set_verbose},
	{"customers", "N", NULL, "how many customers to generate, 1 to 100000000", set_customers},
	{"seed", "S", NULL, "the generator's seed (default 1): the same seed, the same data", set_seed},
	{"port", "N", NULL, "the port to serve on (default 8360; 0: any free port, printed)", set_port},
	{"bind", "ADDR", NULL, "the IPv4 address to listen on (default 127.0.0.1; on a 127.x address only "
	 "requests for localhost or an IP address are answered)", set_bind},
	{"force", NULL, "generate", "write into --out even if it holds files c360 did not write", set_force},
	{"help", NULL, NULL, "print this help", set_help},
};
#define NOPTIONS (sizeof options / sizeof *options)

static const Command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* The row describing option `name` for command `cmd`. */
static const OptionDef *find_option(const char *name, size_t n, const Command *cmd)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strlen(options[i].name) == n && memcmp(options[i].name, name, n) == 0 &&
		    (!options[i].only || (cmd && strcmp(options[i].only, cmd->name) == 0)))
			return &options[i];
	return NULL;
}

/* The words of a command's args: an option's name or an operand, and whether it is required. */
typedef struct {
	const char *w;
	size_t n;
	bool required, operand;
} ArgWord;

/* The i-th word of cmd's args; false past the last. */
static bool arg_word(const Command *cmd, size_t i, ArgWord *a)
{
	const char *p = cmd->args;
	for (size_t k = 0; *p; k++) {
		size_t n = strcspn(p, " ");
		if (k == i) {
			bool required = n && p[n - 1] == '!';
			*a = (ArgWord){p, n - required, required, *p >= 'A' && *p <= 'Z'};
			return true;
		}
		p += n + (p[n] == ' ');
	}
	return false;
}

static bool command_takes(const Command *cmd, const char *name)
{
	ArgWord a;
	for (size_t i = 0; arg_word(cmd, i, &a); i++)
		if (!a.operand && a.n == strlen(name) && memcmp(a.w, name, a.n) == 0)
			return true;
	return strcmp(name, "help") == 0;
}

/* "c360 build [--data DIR] ..." with `lead` before it, wrapped under the first option. */
static void usage_line(Buf *b, const char *lead, const Command *cmd)
{
	size_t line = b->len, indent = strlen(lead) + 13;
	buf_printf(b, "%sc360 %-8s", lead, cmd->name);
	ArgWord a;
	for (size_t i = 0; arg_word(cmd, i, &a); i++) {
		const OptionDef *opt = a.operand ? NULL : find_option(a.w, a.n, cmd);
		if (b->len - line + a.n + 16 > 96) {
			buf_printf(b, "\n%*s", (int)indent, "");
			line = b->len - indent;
		}
		bool brackets = opt && !a.required;
		buf_printf(b, " %s%s%.*s", brackets ? "[" : "", opt ? "--" : "", (int)a.n, a.w);
		if (opt && opt->arg)
			buf_printf(b, " %s", opt->arg);
		buf_puts(b, brackets ? "]" : "");
	}
	buf_puts(b, " [--help]\n");
}

static void usage_all(Buf *b)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		usage_line(b, i ? "       " : "usage: ", &commands[i]);
	buf_puts(b, "       c360 help [COMMAND | templates | config]\n       c360 --version\n");
}

/* Says what is wrong, then how the command is used; the exit status of a usage error. */
__attribute__((format(printf, 2, 3))) static int usage_error(const Command *cmd, const char *fmt, ...)
{
	Buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	char text[512];
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	buf_printf(&b, "c360: %s\n", text);
	if (cmd) {
		usage_line(&b, "usage: ", cmd);
		buf_printf(&b, "Run 'c360 help %s' for what the options do.\n", cmd->name);
	} else {
		usage_all(&b);
	}
	console_write(b.p, b.len);
	buf_free(&b);
	return EXIT_USAGE;
}

static void help_option(Buf *b, const OptionDef *opt)
{
	size_t start = b->len;
	buf_printf(b, "  --%s%s%s", opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
	buf_printf(b, "%*s%s\n", (int)(start + 24 > b->len ? start + 24 - b->len : 1), "", opt->help);
}

static const char see_also[] = "\nexit status: 0 success, 1 the input cannot be built or the output cannot be written (said why), "
			       "2 usage error.\n"
			       "See c360(1) for the files written, docs/rules.md for the cleaning rules and KPI definitions.\n";

static void help_command(Buf *b, const Command *cmd)
{
	usage_line(b, "usage: ", cmd);
	buf_printf(b, "\n%c%s.\n\noptions:\n", cmd->summary[0] - 32, cmd->summary + 1);
	ArgWord a;
	for (size_t i = 0; arg_word(cmd, i, &a); i++)
		if (!a.operand)
			help_option(b, find_option(a.w, a.n, cmd));
	help_option(b, find_option("help", 4, cmd));
	buf_puts(b, see_also);
}

static void help_overview(Buf *b)
{
	usage_all(b);
	buf_puts(b, "\nc360 turns five CSV exports (customers, orders, payments, support tickets, web sessions)\n"
		    "into a Customer 360 KPI site and gold CSVs for Power BI.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		buf_printf(b, "  %-10s%s\n", commands[i].name, commands[i].summary);
	buf_puts(b, "  help      this text; 'c360 help COMMAND' (or 'c360 COMMAND --help') for a command's options,\n"
		    "            'c360 help templates' for what each page's template can use,\n"
		    "            'c360 help config' for the settings of a configuration file\n");
	buf_puts(b, see_also);
}

static int print_out(Buf *b)
{
	fwrite(b->p ? b->p : "", 1, b->len, stdout);
	buf_free(b);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_BUILD;
}

/* " (did you mean "build"?)" if a command's name (or `extra`'s) is near word, else "". */
static const char *did_you_mean(const char *word, const char *extra, const char *extra2, char *out, size_t size)
{
	const char *names[NCOMMANDS + 2] = {extra, extra2};
	size_t n = 2;
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[n++] = commands[i].name;
	const char *near = nearest_word(word, strlen(word), names, n);
	snprintf(out, size, near ? " (did you mean \"%s\"?)" : "%s", near ? near : "");
	return out;
}

static int help(const char *topic)
{
	Buf b = {0};
	const Command *cmd = topic ? find_command(topic) : NULL;
	if (!topic || strcmp(topic, "help") == 0)	/* help help: what help tells */
		help_overview(&b);
	else if (cmd)
		help_command(&b, cmd);
	else if (strcmp(topic, "templates") == 0)
		page_vars_doc(&b);
	else if (strcmp(topic, "config") == 0)
		config_doc(&b);
	else {
		char near[96];
		return usage_error(NULL, "no help on \"%s\"%s", topic,
				   did_you_mean(topic, "templates", "config", near, sizeof near));
	}
	return print_out(&b);
}

/* ---- parsing */

static int parse_operands(int argc, char **argv, Options *o)
{
	size_t want = 0;
	ArgWord a;
	for (size_t i = 0; arg_word(o->cmd, i, &a); i++) {
		want += a.operand;
		bool seen = a.operand;
		for (size_t k = 0; k < o->ngiven && !seen; k++)
			seen = strlen(o->given[k].opt->name) == a.n && memcmp(o->given[k].opt->name, a.w, a.n) == 0;
		if (a.required && !seen && !o->help)
			return usage_error(o->cmd, "%s needs --%.*s", o->cmd->name, (int)a.n, a.w);
	}
	if ((size_t)(argc - optind) > want)
		return usage_error(o->cmd, "unexpected argument: %s", argv[optind + want]);
	if (want && optind == argc && !o->help)
		return usage_error(o->cmd, "%s wants a folder", o->cmd->name);
	if (want && optind < argc)
		o->operand = argv[optind];
	if (o->operand && !*o->operand)
		return usage_error(o->cmd, "the folder cannot be an empty name");
	return EXIT_OK;
}

/* An option word the command does not know (--ouput, -q): said with the option of the command
 * it is near, or for a letter (-q) the only one starting with it. */
static int unknown_option(const Command *cmd, const char *word)
{
	const char *name = word + strspn(word, "-");
	size_t n = strcspn(name, "=");
	const char *names[NOPTIONS + 1];
	size_t k = 0;
	ArgWord a;
	for (size_t i = 0; arg_word(cmd, i, &a) && k < NOPTIONS; i++)
		if (!a.operand)
			names[k++] = find_option(a.w, a.n, cmd)->name;
	names[k++] = "help";
	const char *near = n > 1 ? nearest_word(name, n, names, k) : NULL;
	for (size_t i = 0; n == 1 && i < k; i++)
		if (names[i][0] == name[0])
			near = near ? "" : names[i];	/* "": two start with it */
	if (near && *near)
		return usage_error(cmd, "unknown option: %s (did you mean --%s?)", word, near);
	return usage_error(cmd, "unknown option: %s", word);
}

static int parse_options(int argc, char **argv, Options *o)
{
	struct option longs[NOPTIONS + 1];
	for (size_t i = 0; i < NOPTIONS; i++)
		longs[i] = (struct option){options[i].name, options[i].arg ? required_argument : no_argument, NULL,
					   (int)(256 + i)};
	longs[NOPTIONS] = (struct option){0};
	int c;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			c = 256 + (int)(find_option("help", 4, NULL) - options);
		if (c == ':' && optopt >= 256)	/* the last word, an option that takes a value */
			return usage_error(o->cmd, "--%s wants %s after it", options[optopt - 256].name,
					   options[optopt - 256].arg);
		if (c == ':')
			return usage_error(o->cmd, "missing value: %s", argv[optind - 1]);
		if (c < 256 && optopt > 0 && optopt < 128)	/* a letter: -q, or one of -qv */
			return unknown_option(o->cmd, (char[]){'-', (char)optopt, '\0'});
		if (c < 256 && optopt && optind < argc && strchr(argv[optind] + 1, optopt))
			return unknown_option(o->cmd, argv[optind]);	/* a byte of -é: getopt is still in its word */
		if (c < 256)
			return unknown_option(o->cmd, argv[optind - 1]);
		const char *name = options[c - 256].name;
		if (!command_takes(o->cmd, name))
			return usage_error(o->cmd, "--%s is not an option of %s", name, o->cmd->name);
		const OptionDef *opt = find_option(name, strlen(name), o->cmd);
		const char *wants = opt->set(o, optarg);
		if (wants)
			return usage_error(o->cmd, "--%s wants %s%s%s", name, wants, optarg ? ", not: " : "",
					   optarg ? optarg : "");
		o->given = xrealloc(o->given, (o->ngiven + 1) * sizeof *o->given);
		o->given[o->ngiven++] = (Given){opt, optarg};
	}
	return parse_operands(argc, argv, o);
}

/* ---- where things are */

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

/* The name of what of rout's (both resolved) holds path: NULL if rout does not hold it, or
 * holds it in an entry it keeps (.git, ...: the keep setting). */
static char *replaced_in(const char *rout, const char *path)
{
	char *rpath = path_resolve(path);
	char *name = NULL;
	if (strcmp(rout, "/") != 0 && path_inside(rpath, rout) && rpath[strlen(rout)] == '/') {
		const char *entry = rpath + strlen(rout) + 1;
		name = xstrndup(entry, strcspn(entry, "/"));
		if (out_is_kept(name))
			free(name), name = NULL;
	}
	free(rpath);
	return name;
}

/* --out names a folder c360 may fill: not "" or /, nor (a site) the current folder or around it, and not
 * inside the folder read (--data or --gold) or around it, nor around the configuration, its rates file,
 * templates or themes a build reads (it would replace them: move them aside with the previous site), but
 * in an entry it keeps. */
static int check_out(Options *o)
{
	if (!command_takes(o->cmd, "out") && !command_takes(o->cmd, "git"))
		return EXIT_OK;
	const char *out = o->cfg.out_dir;
	const char *opt = command_takes(o->cmd, "git") ? "--git" : "--out";	/* as the user named it */
	if (!*out)
		return usage_error(o->cmd, "%s cannot be an empty name", opt);
	bool gold = command_takes(o->cmd, "gold");
	const char *in = gold ? o->gold_dir : command_takes(o->cmd, "data") ? o->cfg.data_dir : NULL;
	const char *what = gold ? "gold" : "data";
	char *rout = path_resolve(out), *rin = in ? path_resolve(in) : NULL;
	int status = EXIT_OK;
	if (strcmp(rout, "/") == 0)
		status = usage_error(o->cmd, "%s cannot be the root folder: %s", opt, out);
	else if (rin && path_inside(rout, rin))
		status = usage_error(o->cmd, "%s cannot be inside the %s folder: %s", opt, what, out);
	else if (rin && path_inside(rin, rout))
		status = usage_error(o->cmd, "%s cannot hold the %s folder, which a %s would replace: %s", opt, what,
				     o->cmd->name, out);
	out_keep(o->cfg.keep);
	char *theme = o->cfg.themes_dir && o->cfg.theme ? path_join(o->cfg.themes_dir, o->cfg.theme) : NULL;
	const char *source[][2] = {{"--config", o->cfg.config_file}, {"the rates file", o->cfg.rates_file},
				   {"the templates", o->cfg.templates_dir}, {"the themes", o->cfg.themes_dir},
				   {"the theme", theme}};	/* the files, then the folders */
	for (size_t i = 0; i < sizeof source / sizeof *source && status == EXIT_OK; i++) {
		char *entry = source[i][1] ? replaced_in(rout, source[i][1]) : NULL;
		char *rsource = source[i][1] ? path_resolve(source[i][1]) : NULL;
		if (entry)
			status = usage_error(o->cmd, "%s holds %s, which a %s would replace with the site "
				"(keep it outside, or name %s in keep): %s", opt, source[i][0], o->cmd->name, entry,
				source[i][1]);
		else if (rsource && strcmp(rsource, rout) == 0)	/* never the site: not "a folder c360 did not make" */
			status = usage_error(o->cmd, "%s cannot be %s, which a %s reads (the site would take its "
				"place): %s", opt, source[i][0], o->cmd->name, out);
		free(entry), free(rsource);
	}
	for (size_t i = 2; i < sizeof source / sizeof *source && status == EXIT_OK; i++) {	/* folders */
		char *rsource = source[i][1] ? path_resolve(source[i][1]) : NULL;
		if (rsource && path_inside(rout, rsource))	/* serve built again on its own writing there */
			status = usage_error(o->cmd, "%s cannot be inside %s folder, which a %s reads (keep the site "
				"beside it): %s", opt, source[i][0], o->cmd->name, out);
		free(rsource);
	}
	free(theme);
	char *cwd = realpath(".", NULL);	/* a site replaces --out: a shell in it would be left in the old one */
	if (status == EXIT_OK && o->cmd->run != cmd_generate && cwd && path_inside(cwd, rout))
		status = usage_error(o->cmd, "%s cannot be the current folder or hold it: a %s puts a new folder in its "
				     "place, and this shell would be left in the old one; name it from beside it (cd .., then "
				     "%s NAME): %s", opt, o->cmd->name, opt, out);
	free(cwd);
	free(rout);
	free(rin);
	return status;
}

/* ---- the commands */

/* Diagnostics go to stderr; the result is the exit status the worst of them calls for. */
static int report(const Silver *s, Verbosity v)
{
	Buf b = {0};
	silver_report(&b, s, v);
	console_write(b.p ? b.p : "", b.len);
	buf_free(&b);
	return silver_worst(s) == SEV_ERROR ? EXIT_BUILD : EXIT_OK;
}

/* A build's and check's warning of an --as-of far after the data or before every dated fact
 * (quality_as_of_warning). */
static void say_as_of(const Silver *s)
{
	Buf b = {0};
	if (quality_as_of_warning(s, &b))
		say(SAY_NORMAL, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The lines a build prints when all is well: one per file, and where to see more. */
static void report_counts(const SourceQuality q[SRC_COUNT], Verbosity v)
{
	Buf b = {0};
	quality_lines(&b, q, "c360: ");
	if (v >= SAY_NORMAL)
		console_write(b.p, b.len);
	bool problems = false;
	for (int i = 0; i < SRC_COUNT; i++)
		problems |= q[i].quarantined_rows || q[i].flagged_rows;
	if (problems && v == SAY_NORMAL)
		say(SAY_NORMAL, "examples of each problem: --verbose; every quarantined row: gold/quarantine.csv");
	/* an --as-of before some of the data: said, so that a date mistyped is not a quiet report of a
	 * part of it */
	uint64_t late = 0;
	b.len = 0;
	for (int i = 0; i < SRC_COUNT; i++)
		if (q[i].after_as_of) {
			buf_printf(&b, "%s%s %llu", late ? ", " : "", source_defs[i].name, (unsigned long long)q[i].after_as_of);
			late += q[i].after_as_of;
		}
	if (late)
		say(SAY_NORMAL, "%llu %s dated after the as-of date, left out of every figure (%s)", (unsigned long long)late,
		    late == 1 ? "row is" : "rows are", buf_cstr(&b));
	buf_free(&b);
}

/* Says what became of --out when a build or render (serve's builds too) stopped; the exit status. */
static int stopped(const Options *o, bool existed)
{
	manifest_check_drop();	/* the previous site's files are not needed: its check's thread ends */
	say(SAY_QUIET, "the %s stopped; %s %s", o->cmd->run == cmd_render ? "render" : "build", o->cfg.out_dir,
	    existed ? "is unchanged" : "was not created");
	return EXIT_BUILD;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* The site at --out was made from these inputs and is as it was then: nothing to do (but for
 * --verbose, which asks for the details only reading the data gives, and S3 data, which only
 * reading it shows). */
static bool up_to_date(const Options *o, const char *gold_dir, FileHash *inputs)
{
	out_keep(o->cfg.keep);	/* before any staging folder is touched: what a killed swap took goes back */
	out_spare(o->cfg.cache);	/* cache = false: the site's folder keeps nothing for rebuilds but its lists */
	SiteCheck *c = o->cfg.verbosity == SAY_VERBOSE || s3_location(o->cfg.data_dir)	/* S3 objects are not stat'ed */
		     ? NULL : manifest_check_start(o->cfg.out_dir, config_threads(&o->cfg) > 1);
	console_progress("reading the inputs");
	*inputs = manifest_inputs(&o->cfg, gold_dir);
	console_progress("");
	if (!manifest_check_end(c, *inputs))
		return false;
	input_ahead_free();	/* the exports read for the hash: no build takes them (c360 serve holds none open) */
	out_tidy(o->cfg.out_dir);
	say(SAY_NORMAL, "%s is up to date: nothing it is made from has changed (--verbose builds it again, saying every "
	    "problem in the data)", o->cfg.out_dir);
	return true;
}

/* The model made into files: staged beside --out, the files whose bytes are the previous
 * site's linked from it, and swapped in whole; not if a cache file the build used in place
 * (silver: the data's, NULL for gold read back) was cut short or written meanwhile. Frees g and
 * silver: with threads, beside the swap (the previous site's pruning), which needs neither. */
typedef struct {
	Gold *g;
	Silver *s;
} Model;

static void *model_free(void *arg)
{
	Model *m = arg;
	gold_free(m->g);
	if (m->s)
		silver_free(m->s);
	return NULL;
}

static int write_site(Options *o, Gold *g, Silver *silver, bool existed, FileHash inputs, char *staging)
{
	Buf err = {0};
	bool ok = staging || out_stage(o->cfg.out_dir, &staging, &err);
	console_progress("writing the site");
	manifest_previous();
	ok = ok && render_gold(g, &o->cfg, staging, &err) && manifest_write_inputs(inputs, &err);
	uint64_t written = 0, kept = 0, unrendered = 0;
	manifest_counts(&written, &kept, &unrendered);
	if (ok && silver && !silver_cache_intact(silver)) {
		buf_printf(&err, "c360: error: a file of %s/" CACHE_DIR " changed while the build read it: build again\n",
			   o->cfg.out_dir);
		ok = false;
	}
	console_progress("replacing the previous site");
	int64_t as_of = g->as_of;
	size_t nc = g->src[SRC_CUSTOMERS].table ? g->src[SRC_CUSTOMERS].table->n : 0, ncrm = g->ncrm;
	Model m = {g, silver};
	pthread_t t;
	bool freeing = config_threads(&o->cfg) > 1 && pthread_create(&t, NULL, model_free, &m) == 0;
	Buf left = {0};
	ok = ok && out_commit(o->cfg.out_dir, staging, config_threads(&o->cfg), &err, &left);
	if (freeing)
		pthread_join(t, NULL);
	else
		model_free(&m);
	console_progress("");
	if (!ok) {
		if (staging)
			out_abort(staging);
		console_write(err.p ? err.p : "", err.len);
		stopped(o, existed);
	} else {
		Buf d = {0};
		buf_date(&d, as_of);
		o->built_as_of = as_of;
		say(SAY_VERBOSE, "%llu files written, %llu kept from the previous site (%llu pages not rendered again: "
		    "made from the same rows)", (unsigned long long)written, (unsigned long long)kept,
		    (unsigned long long)unrendered);
		Buf why = {0};
		int mode = customer_pages_mode(&o->cfg, nc, &why);
		say(SAY_NORMAL, "customer pages: %s", buf_cstr(&why));
		if (o->cfg.shards > 1)	/* c360(1) --shard: its folders' pages; shard 0 the rest too */
			say(SAY_NORMAL, "wrote %s, shard %d of %d: the customer pages of the folders %d modulo %d%s (as of %s)",
			    o->cfg.out_dir, o->cfg.shard, o->cfg.shards, o->cfg.shard, o->cfg.shards,
			    o->cfg.shard ? "" : ", index.html, gold/ and weekly/", buf_cstr(&d));
		else {
			size_t pages = mode == PAGES_NONE ? 0 : mode == PAGES_TOP && o->cfg.pages_top < nc ? o->cfg.pages_top : nc;
			Buf inferred = {0};	/* the CRM's 300 customers make 329 pages: say why */
			if (pages == nc && nc > ncrm)
				buf_printf(&inferred, " (%zu for customers not in the CRM, named by their facts)", nc - ncrm);
			say(SAY_NORMAL, "wrote %s: index.html, %zu customer page%s%s, gold/ and weekly/ (as of %s)", o->cfg.out_dir,
			    pages, pages == 1 ? "" : "s", buf_cstr(&inferred), buf_cstr(&d));
			buf_free(&inferred);
		}
		buf_free(&why);
		buf_free(&d);
		if (left.len)	/* also under --quiet: run from cron, a folder left build after build fills the disk */
			say(SAY_QUIET, "%s", buf_cstr(&left));
	}
	buf_free(&left);
	buf_free(&err);
	return ok ? EXIT_OK : EXIT_BUILD;
}

/* The templates and the theme's layout, and --out a folder the site may replace, checked
 * before the data is read: a mistake stops the build at once, not after a data stage of a
 * minute. */
static bool start_ok(const Options *o)
{
	Buf err = {0};
	bool ok = out_may_replace(o->cfg.out_dir, &err) && site_templates_check(&o->cfg, &err);
	console_write(err.p ? err.p : "", err.len);
	buf_free(&err);
	return ok;
}

static void *previous_site(void *arg)
{
	(void)arg;
	manifest_previous();
	return NULL;
}

/* Gold from silver; with a staged site and threads to spare, the previous site's lists read
 * meanwhile (manifest_previous: the writing stage's first step, which needs no gold). */
static bool gold_stage(Options *o, const Silver *s, Gold *g, const char *staging, Buf *err)
{
	pthread_t t;
	bool beside = staging && config_threads(&o->cfg) > 1 && pthread_create(&t, NULL, previous_site, NULL) == 0;
	bool ok = gold_build(s, g, err);
	if (beside)
		pthread_join(t, NULL);
	return ok;
}

/* The data stage (silver, then gold), then everything made from gold. */
static int build(Options *o, bool existed)
{
	FileHash inputs;
	if ((o->unchanged = up_to_date(o, NULL, &inputs)))
		return EXIT_OK;
	if (!start_ok(o))
		return stopped(o, existed);
	Silver s;
	Gold g = {0};
	Buf err = {0};
	char *staging = NULL;	/* staged first when it can be: the cleaned exports are cached in it */
	console_progress("staging the site");
	if (o->cfg.cache && out_replaceable(o->cfg.out_dir) && !out_stage(o->cfg.out_dir, &staging, &err)) {
		if (staging)	/* a read-only or full file system: said now, not after the data stage */
			out_abort(staging);
		console_write(err.p, err.len);
		buf_free(&err);
		return stopped(o, existed);
	}
	console_progress("reading and cleaning");
	bool ok = silver_load_cached(&s, &o->cfg, o->cfg.out_dir, staging);
	console_progress("");
	ok = report(&s, o->cfg.verbosity) == EXIT_OK && ok;
	if (ok)
		say_as_of(&s);
	if (ok) {
		console_progress("computing KPIs");
		ok = gold_stage(o, &s, &g, staging, &err);
		console_progress("");
		console_write(err.p ? err.p : "", err.len);
	}
	if (ok)
		report_counts(g.quality, o->cfg.verbosity);
	else if (staging)
		out_abort(staging);
	buf_free(&err);
	if (ok)
		return write_site(o, &g, &s, existed, inputs, staging);
	gold_free(&g);
	silver_free(&s);
	return stopped(o, existed);
}

/* build: a build whose interruption leaves --out as it was. */
static int cmd_build(Options *o)
{
	bool existed = exists(o->cfg.out_dir);
	out_guard(o->cfg.out_dir, existed);	/* before any thread: SIGINT, SIGTERM and SIGHUP leave --out whole */
	return build(o, existed);
}

/* render: everything made from gold, the gold read from a folder (another engine's, or a build's). */
static int cmd_render(Options *o)
{
	FileHash inputs;
	if (up_to_date(o, o->gold_dir, &inputs))
		return EXIT_OK;
	Gold g;
	Buf rep = {0};
	bool existed = exists(o->cfg.out_dir);
	out_guard(o->cfg.out_dir, existed);	/* before any thread: SIGINT, SIGTERM and SIGHUP leave --out whole */
	if (!start_ok(o))
		return stopped(o, existed);
	errno = 0;
	if (!is_dir(o->gold_dir)) {	/* one error, not one a table */
		say(SAY_QUIET, "error: cannot open the gold folder: %s (%s)", o->gold_dir,
		    strerror(errno ? errno : ENOTDIR));
		return stopped(o, existed);
	}
	char *kpis = path_join(o->gold_dir, "kpi_summary.csv"), *site_kpis = path_join(o->gold_dir, "gold/kpi_summary.csv");
	bool site = !exists(kpis) && exists(site_kpis);	/* a site's folder: its gold tables are in gold/ */
	free(kpis), free(site_kpis);
	if (site) {	/* one error, not one a table */
		say(SAY_QUIET, "error: %s holds no gold tables, but its gold/ folder does (a site's): --gold %s/gold",
		    o->gold_dir, o->gold_dir);
		return stopped(o, existed);
	}
	console_progress("reading gold tables");
	bool ok = gold_read(o->gold_dir, &g, &rep, &o->cfg);
	console_progress("");
	console_write(rep.p ? rep.p : "", rep.len);
	buf_free(&rep);
	if (ok)
		return write_site(o, &g, NULL, existed, inputs, NULL);
	gold_free(&g);
	return stopped(o, existed);
}

/* The as-of date of the site in out, as its gold/kpi_summary.csv has it (an up-to-date site,
 * which a build did not write again: a commit that failed is made by the next publish), into
 * b as YYYY-MM-DD; false if none. */
static bool site_as_of(const char *out, Buf *b)
{
	char *path = path_join(out, "gold/kpi_summary.csv"), text[512];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	if (f)
		fclose(f);
	free(path);
	text[n] = 0;
	const char *at = strstr(text, "\nas_of,");
	bool ok = at && strspn(at + 7, "0123456789-") == 10;
	if (ok)
		buf_put(b, at + 7, 10);
	return ok;
}

/* publish: a build into a git working tree, then its changes committed as one edition. */
static int cmd_publish(Options *o)
{
	Buf err = {0}, message = {0};
	int status = publish_prepare(o->cfg.out_dir, o->cfg.keep, &err) ? cmd_build(o) : EXIT_BUILD;
	if (o->message) {
		buf_puts(&message, o->message);
	} else {
		buf_puts(&message, "Customer 360 as of ");
		if (o->built_as_of != MOMENT_NULL)
			buf_date(&message, o->built_as_of);
		else if (!site_as_of(o->cfg.out_dir, &message))
			message.len = 0, buf_puts(&message, "Customer 360");
	}
	int committed = status == EXIT_OK ? publish_commit(o->cfg.out_dir, buf_cstr(&message), &err) : -1;
	if (committed >= 0)
		say(SAY_NORMAL, committed ? "committed the edition in %s: %s" : "nothing changed in %s: no commit%s",
		    o->cfg.out_dir, committed ? buf_cstr(&message) : "");
	console_write(err.p ? err.p : "", err.len);
	buf_free(&err), buf_free(&message);
	return status != EXIT_OK ? status : committed < 0 ? EXIT_BUILD : EXIT_OK;
}

static int cmd_check(Options *o)
{
	Silver s;
	Buf b = {0};
	if (o->cfg.verbosity == SAY_VERBOSE)
		config_show(&b, &o->cfg);
	console_progress("reading and cleaning");
	bool ok = silver_load(&s, &o->cfg);
	console_progress("");
	int status = report(&s, o->cfg.verbosity);
	if (ok && status == EXIT_OK)	/* as build: not of data that cannot be built */
		say_as_of(&s);
	SourceQuality q[SRC_COUNT];
	size_t nt;
	quality_measure(&s, q);
	TableQuality *t = quality_tables(&s, &nt);
	Buf sum = {0};
	if (!s.general.tally[D_NO_DATA_DIR].count)	/* there was a folder to read */
		quality_summary(&sum, q, t, nt, ok ? s.as_of : MOMENT_NULL);
	/* after the settings, comments: the whole output is a configuration a build reads
	 * (c360 check --verbose >x.conf), where the table's lines would be [columns] entries */
	bool comment = o->cfg.verbosity == SAY_VERBOSE;
	if (comment && sum.len)
		buf_puts(&b, "\n# the data-quality summary:\n");
	for (size_t i = 0, nl; i < sum.len; i = nl + 1) {
		const char *line = sum.p + i, *end = memchr(line, '\n', sum.len - i);
		nl = end ? (size_t)(end - sum.p) : sum.len;
		if (comment)
			buf_puts(&b, nl > i ? "# " : "#");
		buf_put(&b, line, nl - i);
		buf_putc(&b, '\n');
	}
	buf_free(&sum);
	free(t);
	quality_free(q);
	silver_free(&s);
	int written = print_out(&b);
	return !ok || status != EXIT_OK ? EXIT_BUILD : written;
}

static bool load_config(Options *o);

static void settings(Options *o);

/* serve's build: the settings made again from the command line, the configuration file read
 * again, then the build (serve's own thread takes the signals: one during the build ends it
 * with out_interrupt, which says this of --out). */
static int rebuild(void *ctx)
{
	Options *o = ctx;
	settings(o);
	if (!load_config(o))
		return EXIT_BUILD;
	bool existed = exists(o->cfg.out_dir);
	out_guard_set(o->cfg.out_dir, existed);
	return build(o, existed);
}

/* serve: a build, then --out served and built again whenever a source changes. */
static int cmd_serve(Options *o)
{
	return serve(&(ServeOptions){.bind = o->bind, .port = (unsigned)o->port, .build = rebuild, .ctx = o,
				     .cfg = &o->cfg, .unchanged = &o->unchanged});
}

static const char project_config[] =
	"# c360 report configuration: c360 build --config THIS_FILE --data EXPORTS --out SITE\n"
	"# Paths are relative to this file. See c360(1), or c360 help config.\n\n"
	"title = Customer 360\n"
	"templates = templates\n"
	"themes = themes\n"
	"theme = default\n"
	"# email_from = Customer 360 <bi@example.com>   # the weekly e-mail's sender\n"
	"# email_to = leadership@example.com\n"
	"# date_order = day-first        # or month-first, when no date column shows which\n"
	"# churn_window_days = 90\n"
	"# thousands_separator = ,     # how pages write 1,234.56; \" \" for a space\n"
	"# decimal_separator = .       # or \",\": 1.234,56 on pages (the CSV files keep 1234.56)\n"
	"# number_grouping = thousands # or lakh: 12,34,567.00 on pages\n"
	"# currency = EUR               # or a symbol: €\n"
	"# noise_threshold_pct = 1      # a KPI change below 1% of the week before's is not coloured\n"
	"# site_url = https://intranet.example/c360/   # the e-mail links to the dashboard there\n"
	"# gold_bom = false             # true: the gold CSVs start with a BOM, for Excel\n"
	"# cache = true                 # false: no .c360-cache (the cleaned exports) nor .c360-prev, for rebuilds\n"
	"# data = exports                # the exports, or s3://BUCKET/PREFIX/ (--data wins)\n\n"
	"[files]\n"
	"# customers = crm_export.csv\n"
	"# web_activities = none         # the exports have none: no warning that the file is missing\n\n"
	"[columns]\n"
	"# customers.email = mail, e mail address\n"
	"# orders.order_id = \"Order #\"\n"
	"# customers.gender = none        # the exports have none: no warning that it is missing\n\n"
	"[null]                           # values that mean none in one column\n"
	"# orders.customer_id = 0         # a shop's guests: no customer\n\n"
	"[read]                           # found in each file when not set\n"
	"# delimiter = ;\n"
	"# decimal = ,\n"
	"# encoding = windows-1252        # the default is utf-8; auto: windows-1252 if not UTF-8\n"
	"# orders.date_format = %m/%d/%Y %I:%M %p\n"
	"# orders.time_zone = America/Los_Angeles  # its times without an offset are the shop's clock\n"
	"# orders.fill_down = Stage       # a grouped report: the value on its group's first row only\n"
	"# customers.title_case = false   # a CRM of companies: IBM, Acme GmbH as written; one-case: JOHN SMITH\n"
	"                                 # cased, McDonald as written\n\n"
	"[categories]\n"
	"# order_status.Completed = Concluído, Entregue\n"
	"# gender.Female = Frau, Mrs\n\n"
	"[currency]\n"
	"# base = EUR\n"
	"# USD = 0.92\n\n"
	"# [tables], [sql] (sources defined by SQL) and [s3]: see docs/exports.md\n";

/* A new report project: its configuration, and copies of the templates and the default theme
 * to edit. An existing folder must be empty. */
static int cmd_init(Options *o)
{
	const char *dir = o->operand;
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
	char *sample = resource_dir("data/sample");
	if (ok)
		say(SAY_NORMAL, "a new report in %s; edit its c360.conf, templates/ and themes/default/, then, with\n"
				"      EXPORTS your exports' folder (or %s) and SITE where the site goes:\n"
				"      %s check --config %s/c360.conf --data EXPORTS     # what they hold; writes nothing\n"
				"      %s build --config %s/c360.conf --data EXPORTS --out SITE",
		    dir, sample, program, dir, program, dir);
	else
		console_write(err.p, err.len);
	buf_free(&err);
	buf_free(&conf);
	free(templates), free(themes), free(theme), free(sample);
	return ok ? EXIT_OK : EXIT_BUILD;
}

static int cmd_generate(Options *o)
{
	Buf err = {0};
	bool ok = generate(o->cfg.out_dir, o->customers, o->seed, o->force, &err);
	if (!ok)
		console_write(err.p, err.len);
	else
		say(SAY_NORMAL, "wrote %llu customers of synthetic exports into %s", (unsigned long long)o->customers,
		    o->cfg.out_dir);
	buf_free(&err);
	return ok ? EXIT_OK : EXIT_BUILD;
}

/* ---- main */

/* The configuration file, if one was given, over the command line's settings; --theme over both. */
static bool load_config(Options *o)
{
	const char *theme = o->cfg.theme;	/* --theme and --customer-pages win over the configuration */
	Config pages = o->cfg;
	bool ok = true;
	if (o->cfg.config_file) {
		Buf err = {0};
		ok = config_load(&o->cfg, o->cfg.config_file, &err);
		if (!ok)
			console_write(err.p, err.len);
		buf_free(&err);
		if (o->theme_given)
			o->cfg.theme = theme;
		if (o->pages_given) {
			o->cfg.customer_pages = pages.customer_pages;
			o->cfg.customer_pages_by = pages.customer_pages_by;
			o->cfg.pages_mode = pages.pages_mode;
			o->cfg.pages_top = pages.pages_top;
		}
	}
	if (!o->cfg.data_dir) {	/* --data, else the configuration's data, else the sample */
		o->cfg.data_dir = o->owned[0] ? o->owned[0] : (o->owned[0] = resource_dir("data/sample"));
		if (ok && o->cfg.config_file && o->cmd->run != cmd_render)	/* a report's, forgotten: its site of the sample's figures */
			say(SAY_QUIET, "warning: neither --data nor %s's data = names the exports: reading the bundled "
				       "sample data, %s", o->cfg.config_file, o->cfg.data_dir);
	}
	return ok;
}

/* The command line's settings over the defaults, in o->cfg, made anew: what o->cfg held is
 * freed first. serve makes them so before each build, as a build does once, so that a build's
 * settings share nothing with the next's and config_free frees them whole, whatever a setter
 * keeps (config_keep) or the configuration file adds. The options were checked by parse_options:
 * set again, they say nothing. */
static void settings(Options *o)
{
	config_free(&o->cfg);
	config_defaults(&o->cfg);
	for (size_t i = 0; i < o->ngiven; i++)
		o->given[i].opt->set(o, o->given[i].arg);
	o->cfg.templates_dir = o->cfg.shipped_templates = o->owned[1];
	o->cfg.themes_dir = o->owned[2];
	o->cfg.assets_dir = o->owned[3];
	const char *chunk = getenv("C360_CHUNK_MIN");	/* tests split small files with it */
	if (chunk)
		o->cfg.chunk_min = (size_t)strtoull(chunk, NULL, 10);
}

static int run(Options *o, int argc, char **argv)
{
	int status = parse_options(argc, argv, o);
	if (status != EXIT_OK || o->help)
		return status != EXIT_OK ? status : help(o->cmd->name);
	console_init(o->cfg.verbosity);
	o->owned[1] = resource_dir("templates");
	o->owned[2] = resource_dir("themes");
	o->owned[3] = resource_dir("assets");
	settings(o);
	if (!load_config(o))
		return EXIT_BUILD;
	status = check_out(o);	/* against the data the configuration may name */
	return status != EXIT_OK ? status : o->cmd->run(o);
}

/* glibc puts its heap on the kernel's transparent huge pages only when asked, and is asked only
 * through GLIBC_TUNABLES, which it reads as a program starts. Where the kernel gives huge pages
 * only to memory that asks for them ("[madvise]"), a build faults in ~3x the 4 KiB pages it
 * would with them, and on a virtual machine a fault can cost ~14 us: a 1 %-changed rebuild of
 * 100k customers spent a fifth of its CPU there. So a command that reads data starts c360
 * again, once, with glibc.malloc.hugetlb=1, and two more: threads' own heaps get no huge pages,
 * nor memory other threads freed, so one heap serves all (arena_max=1; not slower at --jobs 8 on
 * 2 cores: small blocks come from each thread's cache, without the heap's lock); and blocks of
 * 128 KiB to 32 MiB, which glibc maps one by one at addresses no huge page fits, come from that
 * heap too (mmap_threshold, glibc's own largest). A 100k build faults 43k -> 5.6k pages. The
 * second start keeps the first's name (not "exe": pkill c360 finds it) and takes the tunables
 * out of the environment its children see. Not where the environment already says something
 * to malloc (GLIBC_TUNABLES, even empty: the way to turn this off; MALLOC_*) or to the loader
 * (LD_PRELOAD: valgrind's tools, which would follow no exec); nor where c360 was started by
 * the loader by name (/proc/self/exe is the loader then), with privileges (glibc ignores the
 * tunables), or under a seccomp filter (which may forbid the exec); nor under a sanitizer,
 * whose malloc is its own. Output does not depend on it. The second start costs ~7 ms (the
 * libraries loaded again), which the faults it spares make up for from the smallest build on. */
#define HUGE_FIRST "glibc.malloc.hugetlb=1"	/* what glibc leaves of the string it read */
#define HUGE_TUNABLES HUGE_FIRST ":glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432"

static bool malloc_told(void)
{
	if (getenv("GLIBC_TUNABLES") || getenv("LD_PRELOAD"))
		return true;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "MALLOC_", 7) == 0)
			return true;
	return false;
}

/* The first line of path starting with key, its rest in line; false if none. */
static bool file_line(const char *path, const char *key, char *line, size_t size)
{
	FILE *f = fopen(path, "re");
	bool found = false;
	while (f && !found && fgets(line, (int)size, f))
		found = strncmp(line, key, strlen(key)) == 0;
	if (f)
		fclose(f);
	return found;
}

static void start_with_huge_pages(char **argv)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	(void)argv;
#else
	const char *again = getenv("C360_HUGE_PAGES"), *tunables = getenv("GLIBC_TUNABLES");
	if (again && tunables && strncmp(tunables, HUGE_FIRST, strlen(HUGE_FIRST)) == 0) {	/* the second start */
		prctl(PR_SET_NAME, again, 0, 0, 0);
		unsetenv("C360_HUGE_PAGES");
		unsetenv("GLIBC_TUNABLES");
		return;
	}
	char line[256], name[17] = "";
	if (again || malloc_told() || !getauxval(AT_BASE) || getauxval(AT_SECURE) ||
	    !file_line("/sys/kernel/mm/transparent_hugepage/enabled", "", line, sizeof line) || !strstr(line, "[madvise]") ||
	    !file_line("/proc/self/status", "Seccomp:", line, sizeof line) || strtol(line + 8, NULL, 10) != 0 ||
	    prctl(PR_GET_NAME, name, 0, 0, 0) != 0)
		return;
	if (setenv("GLIBC_TUNABLES", HUGE_TUNABLES, 1) == 0 && setenv("C360_HUGE_PAGES", name, 1) == 0)
		execv("/proc/self/exe", argv);
	unsetenv("C360_HUGE_PAGES");	/* no exec: go on as started */
	unsetenv("GLIBC_TUNABLES");
#endif
}

/* A soft limit of open files below its hard limit raised to it, to 1024 at most: a build holds a
 * dozen files open and its cache two more (config_threads), and a limit set low for a shell or a
 * service is one a program may raise, as it is meant to be. A hard limit too low stays: the
 * build says what it could not do, and how to raise it. */
static void files_room(void)
{
	struct rlimit files;
	if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur >= 1024 || files.rlim_cur >= files.rlim_max)
		return;
	files.rlim_cur = files.rlim_max < 1024 ? files.rlim_max : 1024;
	setrlimit(RLIMIT_NOFILE, &files);
}

int main(int argc, char **argv)
{
	program = argv[0] && *argv[0] ? argv[0] : "c360";
	if (argc < 2)
		return usage_error(NULL, "no command given");
	const char *first = argv[1];
	if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
		if (argc > 3)
			return usage_error(NULL, "help wants one topic at most, not: %s", argv[3]);
		return help(argc == 3 ? argv[2] : NULL);
	}
	if (strcmp(first, "--version") == 0) {
		if (argc > 2)
			return usage_error(NULL, "--version takes no argument, not: %s", argv[2]);
		puts("c360 " C360_VERSION);
		return EXIT_OK;
	}
	Options o = {.cmd = find_command(first), .seed = 1, .port = 8360, .bind = "127.0.0.1", .built_as_of = MOMENT_NULL};
	if (!o.cmd) {
		char near[96];
		return usage_error(NULL, "unknown command \"%s\"%s", first, did_you_mean(first, "help", "help", near, sizeof near));
	}
	if (o.cmd->reads)
		start_with_huge_pages(argv);
	signal(SIGXFSZ, SIG_IGN);	/* a file over ulimit -f: a write error that names it, not a silent kill */
	files_room();
	config_defaults(&o.cfg);
	int status = run(&o, argc, argv);
	config_free(&o.cfg);
	free(o.given);
	for (int i = 0; i < 4; i++)
		free(o.owned[i]);
	process_end();
	return status;
}
