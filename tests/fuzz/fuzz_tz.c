/* fuzz_tz.c — libFuzzer: the TZif reader (tz.c) on any bytes; a zone it takes answers every
 * instant of 1900-2100 with a real offset, and a local time comes back to one of its instants. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TzZone *z = tz_new();
	if (tz_parse(data, size, z)) {
		int64_t lo = date_days(1900, 1, 1) * SECS_PER_DAY, span = date_days(2101, 1, 1) * SECS_PER_DAY - lo;
		for (int k = 0; k < 64; k++) {
			int64_t u = lo + (int64_t)(((uint64_t)k * 0x9e3779b97f4a7c15u + size) % (uint64_t)span);
			int32_t off = tz_offset(z, u);
			if (off < -100000 || off > 100000)
				abort();	/* offsets are under 28 hours each way */
			int64_t back = tz_local_to_utc(z, u + off);
			if (back - u > 200000 || u - back > 200000)
				abort();
		}
	}
	tz_free(z);
	return 0;
}
