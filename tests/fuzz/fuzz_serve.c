/* fuzz_serve.c — libFuzzer: `c360 serve`'s request paths (serve_path) from any bytes. The first
 * byte sets the room given (1 to 256 bytes, in a buffer of exactly that size: ASan sees a byte
 * written past it), the rest is the path as libmicrohttpd hands it over (up to a NUL). What it
 * names must stay inside the site: relative, no segment that starts with a dot (no "..", no
 * dot file), no empty segment, no control character, a NUL within the room; and a path that
 * names a folder is its index.html. serve_content_type names a type for any name. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t cap = (size_t)data[0] + 1;
	char *url = xstrndup((const char *)data + 1, size - 1), *out = xmalloc(cap);
	if (serve_path(url, out, cap)) {
		size_t n = strnlen(out, cap);
		if (n == cap || n == 0 || out[0] == '/')
			abort();	/* a NUL in the room; a name, relative */
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)out[i];
			bool starts = i == 0 || out[i - 1] == '/';
			if (c < 0x20 || c == 0x7f || (starts && (c == '.' || c == '/')))
				abort();	/* no control, no dot segment or dot file, no empty segment */
		}
		size_t len = strlen(url);
		if (len && url[len - 1] == '/' && (n < 10 || strcmp(out + n - 10, "index.html") != 0))
			abort();	/* a folder's page */
	}
	if (!serve_content_type(url))
		abort();
	free(url), free(out);
	return 0;
}
