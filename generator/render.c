/* render.c — everything made from gold, into the staging folder: the customer pages on every
 * thread, the gold tables, the charts, the other pages and the edition on one more thread
 * beside them, the search on whichever of the two comes to it first; what is said is what one
 * thread doing it all in order would say. */
#include "c360.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The stages in the order one thread runs them, each after those it needs. */
enum { ST_GOLD, ST_CHARTS, ST_SITE, ST_SHARED, ST_PAGES, ST_INDEX, ST_EDITION, ST_COUNT };
enum { NOT_RUN, DONE, FAILED };

typedef struct {
	const Gold *g;
	const Config *cfg;
	const char *dir;
	ChartSet charts;
	NumFormat fmt;		/* the charts' */
	Site site;		/* its templates: ST_SITE */
	Buf said[ST_COUNT];	/* what each stage said */
	Buf warned;		/* the charts' and the edition's warnings: one thread runs both, in order */
	int state[ST_COUNT];
	bool taken[ST_COUNT];	/* by a thread beside the main one's customer pages */
	double seconds[ST_COUNT];
} Render;

/* Whether this run writes everything, not only its shard's customer pages. */
static bool all(const Render *r)
{
	return r->cfg->shard == 0;
}

/* The gold tables, and the views' groupings cached for the next build. */
static bool write_gold(Render *r, Site *site)
{
	if (!all(r))
		return true;
	gold_views_keep(r->g, r->cfg->out_dir, r->dir);
	return gold_write(r->g, r->cfg, r->dir, site->err);
}

static bool draw_charts(Render *r, Site *site)
{
	fmt_init(&r->fmt, r->cfg);
	return !all(r) || chart_set_make(&r->charts, r->g, r->cfg, &r->fmt, r->dir, &r->warned, site->err);
}

static bool load_site(Render *r, Site *site)
{
	return site_open(&r->site, r->g, r->cfg, &r->charts, r->dir, site->err);
}

static bool write_shared(Render *r, Site *site)
{
	return !all(r) || site_shared(site);
}

static bool write_customer_pages(Render *r, Site *site)
{
	(void)r;
	return site_customer_pages(site);
}

static bool write_customer_index(Render *r, Site *site)
{
	return !all(r) || site_customer_index(site);
}

static bool write_edition(Render *r, Site *site)
{
	bool ok = !all(r) || edition_write(r->g, r->cfg, &r->charts, &site->plan, r->dir, site->err);
	text_boxed(&r->warned, "weekly/report.pdf");
	return ok;
}

static const struct {
	const char *name;
	bool (*run)(Render *r, Site *site);
} stages[ST_COUNT] = {
	[ST_GOLD] = {"gold tables", write_gold}, [ST_CHARTS] = {"charts", draw_charts},
	[ST_SITE] = {"templates and theme", load_site}, [ST_SHARED] = {"shared pages", write_shared},
	[ST_PAGES] = {"customer pages", write_customer_pages}, [ST_INDEX] = {"search and customer list", write_customer_index},
	[ST_EDITION] = {"edition", write_edition},
};

/* Runs stage st, saying what it says into its own buffer. */
static bool run(Render *r, int st)
{
	Site site = r->site;	/* the site's err: this stage's */
	site.err = &r->said[st];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool ok = stages[st].run(r, &site);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds[st] = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	r->state[st] = ok ? DONE : FAILED;
	return ok;
}

/* Runs stage st unless the other thread has taken it; false if it failed. */
static bool take(Render *r, int st)
{
	return __atomic_exchange_n(&r->taken[st], true, __ATOMIC_ACQ_REL) || run(r, st);
}

/* The stages but the templates and the customer pages, in order, until one fails. The search
 * and customer list, which needs nothing the others make, comes last: the main thread takes
 * it when its customer pages are done first (a rebuild with few changed customers). */
static void *beside(void *arg)
{
	static const int order[] = {ST_GOLD, ST_CHARTS, ST_SHARED, ST_EDITION, ST_INDEX};
	for (size_t i = 0; i < sizeof order / sizeof *order && take(arg, order[i]); i++)
		;
	return NULL;
}

bool render_gold(const Gold *g, const Config *cfg, const char *dir, Buf *err)
{
	Render r = {.g = g, .cfg = cfg, .dir = dir};
	pthread_t t;
	if (!text_fonts_load(err))
		return false;
	if (config_threads(cfg) > 1 && run(&r, ST_SITE) && pthread_create(&t, NULL, beside, &r) == 0) {
		if (run(&r, ST_PAGES))
			take(&r, ST_INDEX);
		pthread_join(t, NULL);
	}
	/* What one thread would have done: each stage in order until one fails, those not run yet
	 * (--jobs 1, or after a stage beside failed) run now; the rest is not said. */
	bool ok = true;
	for (int st = 0; ok && st < ST_COUNT; st++) {
		ok = r.state[st] == DONE || (r.state[st] == NOT_RUN && run(&r, st));
		buf_put(err, r.said[st].p, r.said[st].len);
	}
	if (ok)
		say_lines(SAY_NORMAL, &r.warned);
	buf_free(&r.warned);
	for (int st = 0; st < ST_COUNT; st++) {
		if (getenv("C360_TIMINGS") && r.state[st] != NOT_RUN)
			console_timing(stages[st].name, r.seconds[st]);
		buf_free(&r.said[st]);
	}
	if (r.state[ST_SITE] != NOT_RUN)
		site_close(&r.site);
	chart_set_free(&r.charts);
	return ok;
}
