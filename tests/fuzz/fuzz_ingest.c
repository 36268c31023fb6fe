/* fuzz_ingest.c — libFuzzer: any bytes, read whole and in two pieces, give the same records
 * (filled down the same too). */
#include <stdlib.h>

#include "c360.h"

static void collect(void *ctx, const Record *r)
{
	Buf *b = ctx;
	buf_printf(b, "%u %d %u %u|", r->line, r->error, r->nfields, r->text);
	for (uint32_t i = 0; i < r->nfields && !r->error; i++) {
		buf_put(b, r->fields[i].p, r->fields[i].n);
		buf_putc(b, '\x1f');
	}
	buf_put(b, r->raw.p, r->raw.n);
	buf_putc(b, '\x1e');
}

/* Reads data in two pieces, the second fed as the last when last is set; columns a and B
 * (when the header has them) filled down. */
static void read_in(const uint8_t *data, size_t size, size_t cut, bool last, Buf *out, uint64_t *blank)
{
	static char *const fill[] = {"a", " B "};
	Ingest *in = ingest_new(collect, out);
	ingest_fill_down(in, fill, 2);
	ingest_feed(in, (const char *)data, cut);
	(last ? ingest_feed_last : ingest_feed)(in, (const char *)data + cut, size - cut);
	ingest_finish(in);
	*blank = ingest_blank_lines(in);
	ingest_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Buf a = {0}, b = {0}, c = {0};
	uint64_t blank_a, blank_b, blank_c;
	size_t cut = size ? data[0] % size : 0;
	read_in(data, size, size, false, &a, &blank_a);
	read_in(data, size, cut, false, &b, &blank_b);
	read_in(data, size, cut, true, &c, &blank_c);
	if (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0) || blank_a != blank_b || a.len != c.len ||
	    (a.len && memcmp(a.p, c.p, a.len) != 0) || blank_a != blank_c)
		abort();	/* the records must not depend on how the input was cut or its end fed */
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	return 0;
}
