/* dynlib.c — libraries opened when first needed, not at every start. libcurl (S3) and
 * libmicrohttpd (serve) bring some thirty more with them (TLS, Kerberos, LDAP, SSH, IDN...):
 * loading and relocating them all cost every run of c360 ~8 ms (perf stat of a program linked
 * with them and of one linked without, session 21), more than a small build's whole work. Only
 * the runs that read S3 or serve a site open them now. */
#include "c360.h"

#include <dlfcn.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

bool lib_load(Lib *lib, Buf *err)
{
	pthread_mutex_lock(&lock);
	if (!lib->tried) {
		lib->tried = true;
		void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		const char *missing = NULL;
		for (size_t i = 0; h && !missing && lib->fn[i].name; i++) {
			void *p = dlsym(h, lib->fn[i].name);
			if (p)
				memcpy(lib->fn[i].at, &p, sizeof p);	/* a function's address, as dlsym gives it */
			else
				missing = lib->fn[i].name;
		}
		if (!h || missing) {
			Buf why = {0};
			buf_printf(&why, "cannot load %s (%s): %s", lib->soname, lib->needed_for,
				   h ? "it has no " : dlerror());
			if (missing)
				buf_puts(&why, missing);
			buf_cstr(&why);	/* ends it */
			lib->why = why.p;
		}
	}
	bool ok = !lib->why;
	pthread_mutex_unlock(&lock);
	if (!ok)
		buf_puts(err, lib->why);
	return ok;
}
