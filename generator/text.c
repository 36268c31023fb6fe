/* text.c — the text Cairo draws in the charts' PNGs and the PDF, through Pango: it shapes text
 * (Arabic's joined letters, Devanagari's conjuncts, Thai's marks), lays a line out in the order
 * it reads (a Hebrew name right to left inside an English line), and takes each character from
 * a font that has it (DejaVu Sans first, then what fontconfig finds: Droid Sans Fallback for
 * Chinese and Japanese, which scripts/install-deps installs). Cairo's own text (DejaVu Sans
 * alone, one glyph a character, left to right) drew a box for each CJK character and Arabic as
 * loose letters backwards.
 *
 * Pango is opened when first needed (lib_load), as libcurl is: linking it, with GLib and
 * HarfBuzz, cost every run of c360 ~40 ms at start (a program linked with them and one without,
 * 200 runs each), more than a small build. One font map serves every thread, under a lock (a
 * font map is not for two threads at once; the text of a build is a few hundred lines). Where
 * Pango cannot be opened (or C360_NO_PANGO is set), or the text is not UTF-8, Cairo's own text
 * draws it. */
#include "c360.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistr.h>

static struct {
	PangoFontMap *(*font_map_new)(void);
	PangoContext *(*font_map_create_context)(PangoFontMap *);
	void (*set_font_options)(PangoContext *, const cairo_font_options_t *);
	void (*round_glyph_positions)(PangoContext *, gboolean);
	PangoLayout *(*layout_new)(PangoContext *);
	PangoFontDescription *(*description_new)(void);
	void (*set_family)(PangoFontDescription *, const char *);
	void (*set_weight)(PangoFontDescription *, PangoWeight);
	void (*set_absolute_size)(PangoFontDescription *, double);
	void (*description_free)(PangoFontDescription *);
	void (*set_font_description)(PangoLayout *, const PangoFontDescription *);
	void (*set_text)(PangoLayout *, const char *, int);
	void (*get_extents)(PangoLayout *, PangoRectangle *, PangoRectangle *);
	int (*get_baseline)(PangoLayout *);
	void (*show_layout)(cairo_t *, PangoLayout *);
	int (*unknown_glyphs)(PangoLayout *);
} pango;

static const LibFn pango_fns[] = {
	{"pango_cairo_font_map_new", &pango.font_map_new},
	{"pango_font_map_create_context", &pango.font_map_create_context},
	{"pango_cairo_context_set_font_options", &pango.set_font_options},
	{"pango_context_set_round_glyph_positions", &pango.round_glyph_positions},
	{"pango_layout_new", &pango.layout_new},
	{"pango_font_description_new", &pango.description_new},
	{"pango_font_description_set_family", &pango.set_family},
	{"pango_font_description_set_weight", &pango.set_weight},
	{"pango_font_description_set_absolute_size", &pango.set_absolute_size},
	{"pango_font_description_free", &pango.description_free},
	{"pango_layout_set_font_description", &pango.set_font_description},
	{"pango_layout_set_text", &pango.set_text},
	{"pango_layout_get_extents", &pango.get_extents},
	{"pango_layout_get_baseline", &pango.get_baseline},
	{"pango_cairo_show_layout", &pango.show_layout},
	{"pango_layout_get_unknown_glyphs_count", &pango.unknown_glyphs},
	{NULL, NULL},
};

static Lib libpango = {.soname = "libpangocairo-1.0.so.0", .needed_for = "drawing text", .fn = pango_fns};

/* Text is laid out at one size, in one context (no hinting, glyphs not put on whole units: its
 * widths scale), and drawn scaled to the size asked: fontconfig then finds the fonts for two
 * faces, once, in text_fonts_load, rather than for every size, on the threads that draw. */
#define LAID_OUT 64.0
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PangoLayout *layout[2];	/* under lock: normal, bold; NULL: Cairo's own text */
static bool tried;
static char *boxed;		/* under lock: the first text drawn since text_boxed with a character no
				 * font has (Pango draws a box with its code in it); one measured alone is
				 * not: it may be drawn shortened, without it */

static bool pango_ready(void)
{
	if (tried)
		return layout[0] != NULL;
	tried = true;
	Buf ignore = {0};
	if (getenv("C360_NO_PANGO") || !lib_load(&libpango, &ignore)) {
		buf_free(&ignore);
		return false;
	}
	PangoContext *context = pango.font_map_create_context(pango.font_map_new());
	cairo_font_options_t *options = cairo_font_options_create();
	cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
	pango.set_font_options(context, options);
	cairo_font_options_destroy(options);
	pango.round_glyph_positions(context, FALSE);
	for (int bold = 0; bold < 2; bold++) {
		PangoFontDescription *font = pango.description_new();
		pango.set_family(font, "DejaVu Sans");
		pango.set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
		pango.set_absolute_size(font, LAID_OUT * PANGO_SCALE);
		layout[bold] = pango.layout_new(context);
		pango.set_font_description(layout[bold], font);
		pango.description_free(font);
	}
	return true;	/* the context, its font map and the layouts: for the process */
}

/* The address space Pango needs free to find and load the sample's fonts (its threads' stacks,
 * the fonts' files mapped): where `ulimit -v` leaves less, GLib ends the process when Pango
 * cannot make a thread, and Pango crashes on a font it could not load (a build of the fixture
 * under `ulimit -v` 50-75 MB did both; with 24 MB asked free first it still did, with 32 MB not:
 * 48 MB were asked, for other fonts and stack sizes). Loading them grows the address space by
 * 39 MB, by 63 MB since scripts/install-deps installs fonts-nanum and fonts-symbola (a build of
 * the fixture under 100 MB crashed again with 48 MB asked): 80 MB. */
#define PANGO_ROOM ((size_t)80 << 20)

/* Whether PANGO_ROOM of address space is free now, if the process has a limit to it. */
static bool pango_room(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
		return true;
	void *p = mmap(NULL, PANGO_ROOM, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	munmap(p, PANGO_ROOM);
	return true;
}

bool text_fonts_load(Buf *err)
{
	pthread_mutex_lock(&lock);
	bool room = tried || getenv("C360_NO_PANGO") || pango_room(), ready = room && pango_ready();
	pthread_mutex_unlock(&lock);
	if (!room) {
		buf_printf(err, "c360: error: out of memory: laying out the charts' and the PDF's text needs %zu MB more of "
			   "address space than the limit leaves (ulimit -v)\n", PANGO_ROOM >> 20);
		return false;
	}
	if (!ready)
		return true;
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(surface);
	/* each face's fonts for the scripts of most names (Latin, Greek, Cyrillic, Hebrew, Arabic,
	   Devanagari, Thai, Hangul, Kana, Han), found: a script's first text finds its fonts; and
	   an emoji's, which Pango matches in threads it makes then (GLib ends the process when it
	   cannot make one: a render thread beside the pages', ulimit -v, did not); Han alone too,
	   as a Chinese name is, with a character of simplified Chinese: a font of Hangul and the
	   common Han (fonts-nanum) comes first for some, and a Chinese name's others from the next;
	   an empty text (an empty cell: its line's height), whose font Pango matched anew; and the
	   other scripts of living languages (Ethiopic, Tamil, Armenian, Georgian, Bengali, ...),
	   most of which no font here has: for a character no font has, Pango tries every font,
	   which it did on the PDF's thread for an Ethiopic name (~8 M instructions here, once) */
	static const char *const sample[] = {"0 \u03b1 \u0436 \u05d0 \u0639 \u0915 \u0e01 \ud55c \u3042 \u65e5 \U0001f600",
					     "\u65e5\u4eec", "",
					     ("\u1200 \u0b85 \u0531 \u10d0 \u0995 \u0a85 \u0a15 \u0c85 \u0d05 \u0c05 \u0b05 \u0d85 "
					      "\u1780 \u0e81 \u1000 \u0f40 \u13a0 \u1401 \u0710 \u0780 \u07ca \u2d30 \u1820 \ua000")};
	for (int bold = 0; bold < 2; bold++)
		for (size_t i = 0; i < sizeof sample / sizeof *sample; i++)
			text_show(cr, 0, 0, 1, bold, TEXT_LEFT, sample[i]);
	text_boxed(NULL, NULL);	/* the sample's characters are not the build's */
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return true;
}

/* text as Cairo's own text shows it: DejaVu Sans, one glyph a character. */
static double cairo_text(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text, bool draw)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents_t ex;
	cairo_text_extents(cr, text, &ex);
	if (draw) {
		cairo_move_to(cr, align == TEXT_RIGHT ? x - ex.x_advance : align == TEXT_CENTRE ? x - ex.x_advance / 2 : x, y);
		cairo_show_text(cr, text);
	}
	return ex.x_advance;
}

static double text_draw(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text, bool draw)
{
	size_t n = strlen(text);
	pthread_mutex_lock(&lock);
	if (!pango_ready() || n > INT32_MAX || u8_check((const uint8_t *)text, n)) {
		pthread_mutex_unlock(&lock);
		return cairo_text(cr, x, y, size, bold, align, text, draw);	/* not UTF-8: Cairo says so */
	}
	PangoLayout *l = layout[bold];
	pango.set_text(l, text, (int)n);	/* on one line: text_shown's, no control nor separator */
	PangoRectangle logical;
	pango.get_extents(l, NULL, &logical);
	if (draw && !boxed && pango.unknown_glyphs(l) > 0)
		boxed = xstrdup(text);
	double scale = size / LAID_OUT, width = logical.width * scale / PANGO_SCALE;
	if (draw) {	/* its baseline at y, as Cairo's own text */
		cairo_save(cr);
		cairo_translate(cr, align == TEXT_RIGHT ? x - width : align == TEXT_CENTRE ? x - width / 2 : x,
				y - pango.get_baseline(l) * scale / PANGO_SCALE);
		cairo_scale(cr, scale, scale);
		cairo_move_to(cr, 0, 0);
		pango.show_layout(cr, l);
		cairo_new_path(cr);
		cairo_restore(cr);
	}
	pthread_mutex_unlock(&lock);
	return width;
}

double text_measure(cairo_t *cr, double size, bool bold, const char *text)
{
	return text_draw(cr, 0, 0, size, bold, TEXT_LEFT, text, false);
}

double text_show(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text)
{
	return text_draw(cr, x, y, size, bold, align, text, true);
}

bool text_boxed(Buf *warn, const char *file)
{
	pthread_mutex_lock(&lock);
	char *text = boxed;
	boxed = NULL;
	if (text && warn) {	/* which character: each of the first 256 laid out alone, up to one no font has */
		size_t n = strlen(text), at = 0;
		ucs4_t c = 0;
		bool found = false;
		for (int len, k = 0; !found && k < 256 && at < n && (len = u8_mbtouc(&c, (const uint8_t *)text + at, n - at)) > 0;
		     k++) {
			pango.set_text(layout[0], text + at, len);
			found = pango.unknown_glyphs(layout[0]) > 0;
			at += found ? 0 : (size_t)len;
		}
		size_t from = found && at > 24 ? at - 24 : 0;
		while (from && (text[from] & 0xc0) == 0x80)	/* the text around it, from a character's start */
			from--;
		buf_printf(warn, "%s: warning: no installed font has ", file);
		if (found)
			buf_printf(warn, "U+%04X (in \"%s", (unsigned)c, from ? "\xe2\x80\xa6" : "");
		else
			buf_puts(warn, "a character of \"");
		buf_put_printable(warn, text + from, n - from, 60);
		buf_puts(warn, found ? "\")" : "\"");
		bool private_use = found && ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000);	/* no font but one made for it */
		buf_puts(warn, private_use ? ": it is drawn as a box (a private-use character: only a font made for it has it)\n"
				       : ": it is drawn as a box; install a font for its script (Debian: fonts-noto-core has most)\n");
	}
	bool had = text != NULL;
	free(text);
	pthread_mutex_unlock(&lock);
	return had;
}
