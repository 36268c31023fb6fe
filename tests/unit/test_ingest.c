/* test_ingest.c — bronze reading: records, lines and repairs, fed at every chunk size. */
#include "harness.h"

/* Records written out as text: "L<line> E<error>@<col> T<text>@<col> [f1|f2|...] raw=<raw>". */
static void collect(void *ctx, const Record *r)
{
	Buf *b = ctx;
	buf_printf(b, "L%u", r->line);
	if (r->error)
		buf_printf(b, " E%d@%u", r->error, r->error_col);
	if (r->text)
		buf_printf(b, " T%u@%u", r->text, r->text_col);
	buf_puts(b, " [");
	for (uint32_t i = 0; i < r->nfields && !r->error; i++) {
		if (i)
			buf_putc(b, '|');
		buf_put(b, r->fields[i].p, r->fields[i].n);
	}
	buf_puts(b, "] raw=");
	buf_put(b, r->raw.p, r->raw.n);
	buf_putc(b, '\n');
}

/* Feeds data in chunks of `chunk` bytes (0: all at once) and returns the records as text;
 * at odd chunk sizes the last chunk goes in as the last (ingest_feed_last). */
static char *read_all(const char *data, size_t len, size_t chunk, uint64_t *blank)
{
	Buf out = {0};
	Ingest *in = ingest_new(collect, &out);
	for (size_t at = 0; at < len;) {
		size_t n = chunk && chunk < len - at ? chunk : len - at;
		/* a private copy, so nothing may point into a chunk after its feed */
		char *copy = xmalloc(n);
		memcpy(copy, data + at, n);
		if (chunk % 2 && at + n == len)
			ingest_feed_last(in, copy, n);
		else
			ingest_feed(in, copy, n);
		memset(copy, '#', n);
		free(copy);
		at += n;
	}
	ingest_finish(in);
	if (blank)
		*blank = ingest_blank_lines(in);
	ingest_free(in);
	char *text = xstrdup(buf_cstr(&out));
	buf_free(&out);
	return text;
}

static const struct {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *want;
	uint64_t blank;
} cases[] = {
	{"BOM and CRLF", "\xef\xbb\xbf" "a,b\r\n1,2\r\n", 0, "L1 [a|b] raw=a,b\nL2 [1|2] raw=1,2\n", 0},
	/* two exports joined by cat: the second one's BOM is no part of its first field */
	{"BOM starting a later line", "a,b\n1,2\n\xef\xbb\xbf" "a,b\n\xef\xbb\xbf" "\"3\",4\n", 0,
	 "L1 [a|b] raw=a,b\nL2 [1|2] raw=1,2\nL3 [a|b] raw=a,b\nL4 [3|4] raw=\"3\",4\n", 0},
	{"quoted comma, quote, newline",
	 "id,t\n1,\"x, y\"\n2,\"say \"\"hi\"\"\"\n3,\"multi\nline\"\n4,z\n", 0,
	 "L1 [id|t] raw=id,t\nL2 [1|x, y] raw=1,\"x, y\"\nL3 [2|say \"hi\"] raw=2,\"say \"\"hi\"\"\"\n"
	 "L4 [3|multi\nline] raw=3,\"multi\nline\"\nL6 [4|z] raw=4,z\n", 0},
	/* RFC 4180: a line break inside a quoted field is the field's, as written */
	{"quoted CRLF in a CRLF file", "a\r\n\"x\r\ny\"\r\nb\r\n", 0,
	 "L1 [a] raw=a\nL2 [x\r\ny] raw=\"x\r\ny\"\nL4 [b] raw=b\n", 0},
	{"quoted LF in a CRLF file", "a\r\n\"x\ny\",\"\"\"\r\n\"\r\n", 0, "L1 [a] raw=a\nL2 [x\ny|\"\r\n] raw=\"x\ny\",\"\"\"\r\n\"\n", 0},
	/* a CR alone inside an unquoted field is text, not a line end */
	{"bare CR in a field", "a,b,c\n1,x\ry,2\r\n3,\r,4\n", 0,
	 "L1 [a|b|c] raw=a,b,c\nL2 [1|x\ry|2] raw=1,x\ry,2\nL3 [3|\r|4] raw=3,\r,4\n", 0},
	/* files whose lines end in CR alone (the first line end says which) */
	{"CR line ends", "a,b\r1,2\r\r\"x\ny\",3\r\"p\rq\",4\r5,6", 0,
	 "L1 [a|b] raw=a,b\nL2 [1|2] raw=1,2\nL4 [x\ny|3] raw=\"x\ny\",3\nL5 [p\rq|4] raw=\"p\rq\",4\nL7 [5|6] raw=5,6\n", 1},
	/* a first line that ends in CR alone, and rows in CRLF: each CRLF one line end (helper 111) */
	{"CR first line, CRLF rows", "a,b\r1,2\r\n\"x\ry\",3\r\n\r\n4,5\r\n", 0,
	 "L1 [a|b] raw=a,b\nL2 [1|2] raw=1,2\nL3 [x\ry|3] raw=\"x\ry\",3\nL6 [4|5] raw=4,5\n", 1},
	{"CR line ends, unterminated quote", "a\r\"b\rc\r", 0, "L1 [a] raw=a\nL2 E2@1 [] raw=\"b\nL3 [c] raw=c\n", 0},
	{"blank lines", "a\n\n  \n\r\n\t\nb\n", 0, "L1 [a] raw=a\nL6 [b] raw=b\n", 4},
	{"no final newline", "a,b\n1,2", 0, "L1 [a|b] raw=a,b\nL2 [1|2] raw=1,2\n", 0},
	{"empty fields", "a,,c\n,,\n", 0, "L1 [a||c] raw=a,,c\nL2 [||] raw=,,\n", 0},
	{"spaces around fields", " a , \"b\" ,c\n", 0, "L1 [a|b|c] raw= a , \"b\" ,c\n", 0},
	/* a line without quotes is split in place, as libcsv reads the same line with a quote */
	{"blanks around fields, no quote", " a\t, b c ,\t ,c\t \n", 0, "L1 [a|b c||c] raw= a\t, b c ,\t ,c\t \n", 0},
	{"blanks around fields, a quote", " a\t, b c ,\t ,\"c\"\t \n", 0, "L1 [a|b c||c] raw= a\t, b c ,\t ,\"c\"\t \n", 0},
	/* a quote inside a field that does not begin with one is a character of it, as spreadsheets,
	 * Python's csv and csv-spectrum's location_coordinates.csv read it: one, two, doubled, with
	 * quoted fields on the line, and blanks around them */
	{"quote mid-field", "a,b\n1,x\"y\n2,z\n", 0,
	 "L1 [a|b] raw=a,b\nL2 [1|x\"y] raw=1,x\"y\nL3 [2|z] raw=2,z\n", 0},
	{"quotes mid-field with quoted fields", "1,37.8\"N 2.9\"W,\"a,\"\"b\"\"\" , q\"\" ,\"\"\n2\n", 0,
	 "L1 [1|37.8\"N 2.9\"W|a,\"b\"|q\"\"|] raw=1,37.8\"N 2.9\"W,\"a,\"\"b\"\"\" , q\"\" ,\"\"\nL2 [2] raw=2\n", 0},
	{"a quote mid-field, then one left open", "1,x\"y,\"open\n2\n", 0, "L1 E1@2 [] raw=1,x\"y,\"open\nL2 [2] raw=2\n", 0},
	{"text after a closing quote", "1,\"ab\"c,d\n2,e\n", 0, "L1 E1@2 [] raw=1,\"ab\"c,d\nL2 [2|e] raw=2,e\n", 0},
	/* a record over several lines that goes wrong: its first line goes (the quote it left open),
	 * the lines after it are read again, each a record of its own (rules.md: reading goes on
	 * at the next line), so no line is lost with it */
	{"error on a later line of a record", "1,\"a\nb\"x\n2\n", 0,
	 "L1 E2@2 [] raw=1,\"a\nL2 [b\"x] raw=b\"x\nL3 [2] raw=2\n", 0},
	{"a quote left open up to a later quote", "1,a\n4,\"Ann,x\n2,Bob\n\n5,\"Eve\",e\n3,x,\"Cy\"\n", 0,
	 "L1 [1|a] raw=1,a\nL2 E2@2 [] raw=4,\"Ann,x\nL3 [2|Bob] raw=2,Bob\nL5 [5|Eve|e] raw=5,\"Eve\",e\n"
	 "L6 [3|x|Cy] raw=3,x,\"Cy\"\n", 1},
	{"unterminated quote at the end", "a\n\"open\nb,c\nd\n", 0,
	 "L1 [a] raw=a\nL2 E2@1 [] raw=\"open\nL3 [b|c] raw=b,c\nL4 [d] raw=d\n", 0},
	{"unterminated quote, no final newline", "x,\"y", 0, "L1 E2@2 [] raw=x,\"y\n", 0},
	{"NUL byte", "a\0b,c\n", 6, "L1 T2@1 [a\xef\xbf\xbd" "b|c] raw=a\0b,c\n", 0},
	/* a run of bad bytes is one U+FFFD: repair never makes text longer */
	{"invalid UTF-8", "ok,\xff\xfe\n", 0, "L1 T1@2 [ok|\xef\xbf\xbd] raw=ok,\xff\xfe\n", 0},
	{"overlong and surrogate", "\xc0\xaf,\xed\xa0\x80\n", 0, "L1 T1@1 [\xef\xbf\xbd|\xef\xbf\xbd] raw=\xc0\xaf,\xed\xa0\x80\n", 0},
	{"runs of bad bytes", "a\xff" "b\xff\xfe\xfd" "c,\0\0\0\xff\n", 13,
	 "L1 T3@1 [a\xef\xbf\xbd" "b\xef\xbf\xbd" "c|\xef\xbf\xbd] raw=a\xff" "b\xff\xfe\xfd" "c,\0\0\0\xff\n", 0},
	{"valid UTF-8 untouched", "jos\xc3\xa9,\xe2\x82\xb9,\xf0\x9f\x98\x80\n", 0,
	 "L1 [jos\xc3\xa9|\xe2\x82\xb9|\xf0\x9f\x98\x80] raw=jos\xc3\xa9,\xe2\x82\xb9,\xf0\x9f\x98\x80\n", 0},
	/* lines of 16 bytes and more, split with their line end found in the same pass: a CRLF's
	 * CR left out, a blank line among them, a delimiter and a line end at each place of a step */
	{"long CRLF lines", "id,name,date,amount\r\n1001,Ann Lee,2024-01-02 10:11:12,5\r\n   \r\n1002,Bob,2024-01-03,7\r\n", 0,
	 "L1 [id|name|date|amount] raw=id,name,date,amount\nL2 [1001|Ann Lee|2024-01-02 10:11:12|5] "
	 "raw=1001,Ann Lee,2024-01-02 10:11:12,5\nL4 [1002|Bob|2024-01-03|7] raw=1002,Bob,2024-01-03,7\n", 1},
	{"long lines, delimiters and ends at a step's places",
	 "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r\nabcdefghijklmno\nabcdefghijklmnop\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n"
	 "abcdefghijklmn,\n,bcdefghijklmnopq\nxyz\n", 0,
	 "L1 [a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r] raw=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r\n"
	 "L2 [abcdefghijklmno] raw=abcdefghijklmno\nL3 [abcdefghijklmnop] raw=abcdefghijklmnop\n"
	 "L5 [abcdefghijklmn|] raw=abcdefghijklmn,\nL6 [|bcdefghijklmnopq] raw=,bcdefghijklmnopq\nL7 [xyz] raw=xyz\n", 1},
	{"only blank lines", "\n\n \n", 0, "", 3},
	{"empty input", "", 0, "", 0},
	{"BOM only", "\xef\xbb\xbf", 0, "", 0},
};

static void test_cases_at_every_chunk_size(void **state)
{
	(void)state;
	for (size_t c = 0; c < N_ELEMS(cases); c++) {
		size_t len = cases[c].len ? cases[c].len : strlen(cases[c].in);
		uint64_t blank;
		char *whole = read_all(cases[c].in, len, 0, &blank);
		CHECK(strcmp(whole, cases[c].want) == 0, "%s:\n got: %s\nwant: %s", cases[c].name, whole, cases[c].want);
		CHECK(blank == cases[c].blank, "%s: %llu blank lines, want %llu", cases[c].name,
		      (unsigned long long)blank, (unsigned long long)cases[c].blank);
		for (size_t chunk = 1; chunk <= len; chunk++) {
			char *got = read_all(cases[c].in, len, chunk, &blank);
			CHECK(strcmp(got, whole) == 0, "%s at chunk size %zu:\n got: %s\nwant: %s", cases[c].name, chunk,
			      got, whole);
			CHECK(blank == cases[c].blank, "%s at chunk size %zu: blank lines", cases[c].name, chunk);
			free(got);
		}
		free(whole);
	}
}

/* Reads a file of the repository's fixture whole; the caller frees it. */
static char *fixture(const char *name, size_t *len)
{
	char path[128];
	snprintf(path, sizeof path, "tests/golden/fixture/in/%s", name);
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL, "%s is read from the repository's root", path);
	char *data = xmalloc(8192);
	*len = fread(data, 1, 8192, f);
	fclose(f);
	CHECK(*len > 0 && *len < 8192, "%s fits the buffer", path);
	return data;
}

/* The fixture's files read at every chunk size give the same records: the BOM and CRLF file,
 * and the file with a quoted field across two lines and blank lines. */
static void test_fixture_files_at_every_chunk_size(void **state)
{
	(void)state;
	static const struct { const char *file, *first, *record; uint64_t blank; } files[] = {
		{"payments.csv", "L1 [payment_id|customer_id|payment_date|payment_method|payment_status|amount] raw=payment_id,",
		 "\nL16 [P14|112|2024-03-03|Credit Card|chargeback|65] raw=P14,112,2024-03-03,Credit Card,chargeback,65\n", 1},
		{"support_tickets.csv", "L1 [ticket_id|customer_id|issue_type|ticket_date|resolution_status] raw=",
		 "\nL5 [T04|114|late\ndelivery, again|2024-02-02|in progress] raw=T04,114,\"late\ndelivery, again\",2024-02-02,"
		 "in progress\nL7 [T05|", 0},
		{"customers.csv", "L1 [Customer ID|Name|EMAIL|Gender|dob|LOCATION]",
		 "\nL6 [105|mary \"molly\" o'neil|molly@@mail.com|woman|03.04.1992|boston] raw=105,\"mary \"\"molly\"\" o'neil\","
		 "molly@@mail.com,woman,03.04.1992,boston\nL7 [106|", 2},
	};
	for (size_t k = 0; k < N_ELEMS(files); k++) {
		size_t len;
		char *data = fixture(files[k].file, &len);
		uint64_t blank;
		char *whole = read_all(data, len, 0, &blank);
		CHECK(strncmp(whole, files[k].first, strlen(files[k].first)) == 0, "%s:\n%s", files[k].file, whole);
		CHECK(strstr(whole, files[k].record) != NULL, "%s lacks %s:\n%s", files[k].file, files[k].record, whole);
		CHECK(blank == files[k].blank, "%s: %llu blank lines", files[k].file, (unsigned long long)blank);
		for (size_t chunk = 1; chunk <= len; chunk++) {
			char *got = read_all(data, len, chunk, NULL);
			CHECK(strcmp(got, whole) == 0, "%s at chunk size %zu", files[k].file, chunk);
			free(got);
		}
		free(whole);
		free(data);
	}
}

static void count_fields(void *ctx, const Record *r)
{
	uint64_t *acc = ctx;
	acc[0]++;
	acc[1] = r->nfields;
	acc[2] = r->nfields ? r->fields[r->nfields - 1].n : 0;
}

/* A megabyte field and a row of 10,000 fields are read whole, in little time. */
static void test_huge_field_and_wide_row(void **state)
{
	(void)state;
	Buf b = {0};
	buf_puts(&b, "id,\"");
	for (int i = 0; i < 1 << 20; i++)
		buf_putc(&b, i % 1000 == 999 ? '\n' : 'x');
	buf_puts(&b, "\"\n");
	uint64_t acc[3] = {0};
	Ingest *in = ingest_new(count_fields, acc);
	ingest_feed(in, b.p, b.len);
	ingest_finish(in);
	ingest_free(in);
	CHECK(acc[0] == 1 && acc[1] == 2 && acc[2] == 1 << 20, "records %llu fields %llu last %llu",
	      (unsigned long long)acc[0], (unsigned long long)acc[1], (unsigned long long)acc[2]);
	b.len = 0;
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "%sf%d", i ? "," : "", i);
	buf_putc(&b, '\n');
	memset(acc, 0, sizeof acc);
	in = ingest_new(count_fields, acc);
	ingest_feed(in, b.p, b.len);
	ingest_finish(in);
	ingest_free(in);
	CHECK(acc[0] == 1 && acc[1] == 10000, "wide row: %llu fields", (unsigned long long)acc[1]);
	/* big fields next to each other and to small ones, fed whole and in pieces */
	b.len = 0;
	Buf want = {0};
	buf_puts(&b, "a,");
	buf_puts(&want, "L1 [a|");
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 70000; i++)
			buf_putc(&b, (char)('y' + k)), buf_putc(&want, (char)('y' + k));
		buf_puts(&b, k ? ",\"w\"\"\"\n" : ",");
		buf_puts(&want, "|");
	}
	buf_printf(&want, "w\"] raw=%.*s\n", (int)b.len - 1, b.p);
	for (size_t chunk = 0; chunk < 3; chunk++) {
		char *got = read_all(b.p, b.len, chunk ? 4096 * chunk + 7 : 0, NULL);
		CHECK(strcmp(got, buf_cstr(&want)) == 0, "big fields at chunk size %zu", chunk);
		free(got);
	}
	buf_free(&want);
	buf_free(&b);
}

static void cut_record(void *ctx, const Record *r)
{
	uint64_t *acc = ctx;
	acc[0] = r->nfields, acc[1] = r->cut;
}

/* A record keeps FIELDS_MAX fields and says whether it had more (a header of more is an error
 * of its reader's). */
static void test_fields_past_the_limit(void **state)
{
	(void)state;
	for (uint32_t n = FIELDS_MAX - 1; n <= FIELDS_MAX + 2; n++) {
		Buf b = {0};
		for (uint32_t i = 0; i < n; i++)
			buf_puts(&b, i ? ",f" : "f");
		buf_putc(&b, '\n');
		uint64_t acc[2] = {0};
		Ingest *in = ingest_new(cut_record, acc);
		ingest_feed(in, b.p, b.len);
		ingest_finish(in);
		ingest_free(in);
		CHECK(acc[0] == (n < FIELDS_MAX ? n : FIELDS_MAX) && acc[1] == (n > FIELDS_MAX),
		      "%u fields: kept %llu, cut %llu", n, (unsigned long long)acc[0], (unsigned long long)acc[1]);
		buf_free(&b);
	}
}

typedef struct {
	Buf b;
	bool drop_last;	/* the record's last field is the "" added to it: left out */
} LastRecord;

static void last_record(void *ctx, const Record *r)
{
	LastRecord *x = ctx;
	uint32_t n = r->nfields - (x->drop_last && r->nfields && !r->fields[r->nfields - 1].n);
	x->b.len = 0;
	buf_printf(&x->b, "L%u E%d T%u@%u %u:", r->line, r->error, r->text, r->text_col, n);
	for (uint32_t i = 0; i < n; i++)
		buf_put(&x->b, r->fields[i].p, r->fields[i].n), buf_putc(&x->b, '|');
}

/* The last record of a header line and line, with delimiter delim, then (unless NULL) a
 * delimiter and field; a field "" is left out of the record, a whole field kept. */
static char *read_line(const char *line, size_t n, char delim, const char *field)
{
	LastRecord x = {{0}, field && strcmp(field, "\"\"") == 0};
	Buf text = {0};
	buf_printf(&text, "h%c\n", delim);
	buf_put(&text, line, n);
	if (field)
		buf_printf(&text, "%c%s", delim, field);
	buf_putc(&text, '\n');
	Ingest *in = ingest_new(last_record, &x);
	ingest_options(in, delim, NULL, 0);
	ingest_feed(in, text.p, text.len);
	ingest_finish(in);
	ingest_free(in);
	buf_free(&text);
	char *fields = xstrdup(buf_cstr(&x.b));
	buf_free(&x.b);
	return fields;
}

/* A line without quotes is split in place, libcsv reads a line with one: the same line read
 * both ways (a "" field added) has the same fields, over random lines of blanks, delimiters,
 * bare CRs, NULs and bad and good UTF-8, with a comma and with a tab between fields; then over
 * longer lines of ASCII alone (split 16 bytes a step: a delimiter at every place of a step). */
static void test_unquoted_lines_as_libcsv_reads_them(void **state)
{
	(void)state;
	static const char *const bits[] = {"a", "b", " ", "\t", ",", "\r", "\xff", "\0", "\xc3\xa9", "\xe2\x82", "  "};
	static const size_t bit_len[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2};
	uint32_t seed = 12345;
	for (int k = 0; k < 40000; k++) {
		bool ascii = k >= 20000;	/* the first six bits, up to 100 of them */
		char line[256];
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		for (int parts = (int)(seed >> 16) % (ascii ? 100 : 24); parts > 0; parts--) {
			seed = seed * 1103515245u + 12345u;
			size_t b = (seed >> 16) % (ascii ? 6 : N_ELEMS(bits));
			memcpy(line + n, bits[b], bit_len[b]), n += bit_len[b];
		}
		size_t blank = 0;
		while (blank < n && (line[blank] == ' ' || line[blank] == '\t'))
			blank++;
		if (blank == n || line[n - 1] == '\r')
			continue;	/* a blank line is no record; a CR at the end is the line end's */
		for (int d = 0; d < 2; d++) {
			char *plain = read_line(line, n, d ? '\t' : ',', NULL), *quoted = read_line(line, n, d ? '\t' : ',', "\"\"");
			CHECK(strcmp(plain, quoted) == 0, "line %d: unquoted %s, with a quote %s", k, plain, quoted);
			free(plain), free(quoted);
		}
	}
}

/* A quote inside a field is a character of it, whatever the line around it: a line with a
 * field x"y added has the fields of the same line with x'y added (read without a quote), the
 * quote in place of the apostrophe, over the random lines above, with a comma and with a tab
 * between fields (a tab that is the delimiter is no blank around a field). */
static void test_quote_mid_field_on_any_line(void **state)
{
	(void)state;
	static const char *const bits[] = {"a", " ", "\t", ",", "\r", "\xff", "\0", "\xc3\xa9", "  "};
	static const size_t bit_len[] = {1, 1, 1, 1, 1, 1, 1, 2, 2};
	uint32_t seed = 54321;
	for (int k = 0; k < 20000; k++) {
		char line[64];
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		for (int parts = (int)(seed >> 16) % 24; parts > 0; parts--) {
			seed = seed * 1103515245u + 12345u;
			size_t b = (seed >> 16) % N_ELEMS(bits);
			memcpy(line + n, bits[b], bit_len[b]), n += bit_len[b];
		}
		for (int d = 0; d < 2; d++) {
			char *want = read_line(line, n, d ? '\t' : ',', "x'y"), *got = read_line(line, n, d ? '\t' : ',', "x\"y");
			char *q = strstr(got, "x\"y|");
			if (q)
				*(q + 1) = '\'';
			CHECK(q && strcmp(want, got) == 0, "line %d, %s: without a quote %s, with one %s", k, d ? "tab" : "comma", want, got);
			free(want), free(got);
		}
	}
}

/* Lines before the header and comments are skipped as they are read, long lines too. */
static void test_skipped_long_lines(void **state)
{
	(void)state;
	static const char text[] = "an export's title, long enough\nid,name\n# a comment line, long enough\n"
				   "7,a name long enough to be split\n#7,a commented row of the same\n8,b\n";
	Buf out = {0};
	Ingest *in = ingest_new(collect, &out);
	ingest_options(in, ',', "#", 2);
	ingest_feed(in, text, sizeof text - 1);
	ingest_finish(in);
	CHECK(strcmp(buf_cstr(&out), "L2 [id|name] raw=id,name\nL4 [7|a name long enough to be split] "
				     "raw=7,a name long enough to be split\nL6 [8|b] raw=8,b\n") == 0,
	      "%s", buf_cstr(&out));
	CHECK(ingest_skipped_lines(in) == 3, "%llu skipped", (unsigned long long)ingest_skipped_lines(in));
	ingest_free(in);
	out.len = 0;
	in = ingest_new(collect, &out);	/* no comments: the two title lines are still skipped */
	ingest_options(in, ',', NULL, 3);
	static const char titled[] = "an export's title, long enough\nand its second line, long too\nid,name\n";
	ingest_feed(in, titled, sizeof titled - 1);
	ingest_finish(in);
	CHECK(strcmp(buf_cstr(&out), "L3 [id|name] raw=id,name\n") == 0, "%s", buf_cstr(&out));
	ingest_free(in);
	buf_free(&out);
}

/* JSON saved as .csv is told by its first line, every token of it JSON's in its place; a CSV
 * header that merely starts with [ or {" is none. */
static void test_json_first_line(void **state)
{
	(void)state;
	static const struct { const char *line; bool json; } cases[] = {
		{"[", true},					/* pretty-printed: an array */
		{"{", true},					/* ... an object */
		{"[{", true},
		{"[ {\"payment_id\": \"P1\",", true},		/* an array of objects, cut at the line's end */
		{"[{\"payment_id\":\"P1\",\"amount\":-1.5e2,\"ok\":true,\"x\":null},{\"payment_id\":\"P2\"}]", true},
		{"{\"payment_id\": \"P1\", \"customer_id\": \"C1\"}", true},	/* JSON Lines */
		{"{\"a \\\"b\\\" \\\\\": [1, 2, {\"c\": false}], \"d\": {}}", true},	/* escapes, nesting */
		{"[[\"payment_id\", \"customer_id\"],", true},	/* rows as arrays */
		{"[]", true},
		{"{}", true},
		{"{\"note\"},payment_id,customer_id", false},	/* a key without its value: CSV (a column {"note"}) */
		{"{\"note\":1},payment_id,customer_id", false},	/* text after the whole object */
		{"{\"a\" ,b,c", false},
		{"[{note}],payment_id,customer_id", false},	/* a column named [{note}] */
		{"[payment_id],[customer_id]", false},		/* bracketed names */
		{"[1, 2, 3]", false},				/* no table */
		{"[\"payment_id\", \"customer_id\"]", false},
		{"{payment_id: 1}", false},
		{"{\"a\": tru", false},				/* a word cut by the line's end */
		{"{\"a\": \"b", false},				/* a string cut by it */
		{"{\"a\": 1 2}", false},
		{"{\"a\": 1,}", false},
		{"{\"a\": 1]", false},
		{"payment_id,customer_id", false},
		{"", false},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		CHECK(input_json_line(S(cases[i].line)) == cases[i].json, "%s: want %s", cases[i].line,
		      cases[i].json ? "JSON" : "not JSON");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_at_every_chunk_size),
		cmocka_unit_test(test_fixture_files_at_every_chunk_size),
		cmocka_unit_test(test_huge_field_and_wide_row),
		cmocka_unit_test(test_fields_past_the_limit),
		cmocka_unit_test(test_unquoted_lines_as_libcsv_reads_them),
		cmocka_unit_test(test_quote_mid_field_on_any_line),
		cmocka_unit_test(test_skipped_long_lines),
		cmocka_unit_test(test_json_first_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
