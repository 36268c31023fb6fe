/* spectrum.c — csv-spectrum's files read by c360's CSV reader (ingest.c, as every export is
 * read): for each file named, one line of JSON on stdout, its records in order, each an array
 * of its fields as the reader gives them. tests/csv.sh compares them with the suite's JSON.
 * A record the reader calls a syntax error is {"error": N, "line": L} instead. */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	Buf out;
	size_t n;
} Records;

static void record(void *ctx, const Record *r)
{
	Records *rs = ctx;
	buf_puts(&rs->out, rs->n++ ? "," : "[");
	if (r->error) {
		buf_printf(&rs->out, "{\"error\":%d,\"line\":%u}", r->error, r->line);
		return;
	}
	buf_putc(&rs->out, '[');
	for (uint32_t i = 0; i < r->nfields; i++) {
		buf_puts(&rs->out, i ? "," : "");
		esc_js(&rs->out, r->fields[i].p, r->fields[i].n);	/* a JSON string too */
	}
	buf_putc(&rs->out, ']');
}

int main(int argc, char **argv)
{
	int status = 0;
	for (int i = 1; i < argc; i++) {
		Buf text = {0}, why = {0};
		if (!file_read(argv[i], &text, &why)) {
			fprintf(stderr, "%s: %s\n", argv[i], buf_cstr(&why));
			status = 1;
			continue;
		}
		Records rs = {0};
		Ingest *in = ingest_new(record, &rs);
		ingest_feed_last(in, text.p ? text.p : "", text.len);
		ingest_finish(in);
		ingest_free(in);
		buf_puts(&rs.out, rs.n ? "]\n" : "[]\n");
		fwrite(rs.out.p, 1, rs.out.len, stdout);
		buf_free(&rs.out);
		buf_free(&text);
		buf_free(&why);
	}
	return status;
}
