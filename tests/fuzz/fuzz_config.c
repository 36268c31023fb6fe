/* fuzz_config.c — libFuzzer: any bytes as a configuration file load or fail with a message
 * naming the file, line and column; what loads is within its bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	if (fd < 0)
		fd = memfd_create("fuzz.conf", 0);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	Config cfg;
	config_defaults(&cfg);
	Buf err = {0};
	bool ok = config_load(&cfg, path, &err);
	char want[80];
	snprintf(want, sizeof want, "%s:", path);
	if (!ok && (strncmp(buf_cstr(&err), want, strlen(want)) != 0 || !strstr(err.p, ": error: ")))
		abort();	/* a configuration that does not load says where and why */
	if (ok && (cfg.churn_window_days < 1 || cfg.churn_window_days > 3650 || cfg.field_max < 64 ||
		   cfg.page_max < 65536 || cfg.chart_max < 1 || cfg.chart_max > 1000 ||
		   (cfg.email_from && strpbrk(cfg.email_from, "\r\n")) || (cfg.email_to && strpbrk(cfg.email_to, "\r\n"))))
		abort();	/* limits within bounds; a header line stays one line */
	for (int s = 0; ok && s < SRC_COUNT; s++)
		if (cfg.file[s] && (!*cfg.file[s] || strchr(cfg.file[s], '/')))
			abort();	/* a source's file stays inside the data folder */
	config_free(&cfg);
	buf_free(&err);
	return 0;
}
