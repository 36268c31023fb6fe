/* s3.c — exports read from S3 or any S3-compatible store: one GET per file, signed with AWS
 * Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4), credentials from the environment. */
#include "c360.h"

#include <curl/curl.h>
#include <stdlib.h>

/* libcurl's functions c360 calls, opened with it on the first request (lib_load). */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	void (*easy_cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} curl;

#define CURL_FN(f) {"curl_" #f, &curl.f}	/* the name in the library is the member's, after "curl_" */
static const LibFn curl_fns[] = {
	CURL_FN(global_init), CURL_FN(easy_init), CURL_FN(easy_setopt), CURL_FN(easy_perform), CURL_FN(easy_getinfo),
	CURL_FN(easy_strerror), CURL_FN(easy_cleanup), CURL_FN(slist_append), CURL_FN(slist_free_all), {NULL, NULL},
};

static Lib libcurl = {.soname = "libcurl.so.4", .needed_for = "reading exports from S3", .fn = curl_fns};

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

bool s3_location(const char *data)
{
	return strncmp(data, "s3://", 5) == 0;
}

const char *s3_endpoint_userinfo(const char *endpoint)
{
	const char *auth = endpoint ? strstr(endpoint, "://") : NULL, *at = auth ? strchr(auth + 3, '@') : NULL;
	return at && at < auth + 3 + strcspn(auth + 3, "/?#") ? at : NULL;
}

/* Percent-encodes s as a SigV4 canonical path does: all but A-Z a-z 0-9 - _ . ~ and /. */
static void url_path(Buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-_.~/", c))
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* The object's URL: path-style on a configured endpoint, else virtual-hosted on AWS. */
static bool object_url(const Config *cfg, const char *region, const char *name, Buf *url, Buf *err)
{
	const char *bucket = cfg->data_dir + 5, *slash = strchr(bucket, '/');
	size_t blen = slash ? (size_t)(slash - bucket) : strlen(bucket);
	const char *endpoint = cfg->s3_endpoint ? cfg->s3_endpoint : env("AWS_ENDPOINT_URL_S3");
	endpoint = endpoint ? endpoint : env("AWS_ENDPOINT_URL");
	if (!blen || strspn(bucket, "abcdefghijklmnopqrstuvwxyz0123456789.-") < blen) {
		buf_printf(err, "%s names no bucket (s3://BUCKET/PREFIX/)", cfg->data_dir);
		return false;
	}
	/* a user or password in the endpoint (http://user:pw@host) signs nothing (SigV4 does) and
	 * would be printed with the URL in every message: refused, and not shown */
	const char *at = s3_endpoint_userinfo(endpoint), *auth = at ? strstr(endpoint, "://") : NULL;
	if (at) {
		buf_printf(err, "the S3 endpoint %.*s...%s holds a user name or password: c360 signs requests with "
			   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; name the endpoint without them",
			   (int)(auth + 3 - endpoint), endpoint, at);
		return false;
	}
	if (endpoint) {
		size_t n = strlen(endpoint);
		buf_put(url, endpoint, n && endpoint[n - 1] == '/' ? n - 1 : n);
		buf_printf(url, "/%.*s", (int)blen, bucket);
	} else {
		buf_printf(url, "https://%.*s.s3.%s.amazonaws.com", (int)blen, bucket, region);
	}
	buf_putc(url, '/');
	const char *prefix = slash ? slash + 1 : "";
	size_t plen = strlen(prefix);
	while (plen && prefix[plen - 1] == '/')
		plen--;
	url_path(url, prefix, plen);
	if (plen)
		buf_putc(url, '/');
	url_path(url, name, strlen(name));
	return true;
}

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	buf_put(ctx, p, size * n);
	return size * n;
}

/* The <Code> and <Message> of an S3 error body, if it has them. */
static void s3_error_text(Buf *err, const Buf *body)
{
	static const char *const tags[] = {"Code", "Message"};
	const char *text = body->p ? buf_cstr((Buf *)body) : "";
	for (int k = 0; k < 2; k++) {
		char open[16], close[16];
		snprintf(open, sizeof open, "<%s>", tags[k]);
		snprintf(close, sizeof close, "</%s>", tags[k]);
		const char *a = strstr(text, open), *b = a ? strstr(a, close) : NULL;
		if (b)
			buf_printf(err, "%s%.*s", k ? ": " : " ", (int)(b - a - strlen(open)), a + strlen(open));
	}
}

static CURL *s3_request(const Config *cfg, const char *url, const char *region, Buf *out, struct curl_slist **h)
{
	static bool ready;
	if (!ready)
		ready = curl.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	CURL *c = curl.easy_init();
	if (!c)
		return NULL;
	char sigv4[96];
	snprintf(sigv4, sizeof sigv4, "aws:amz:%s:s3", region);
	*h = curl.slist_append(NULL, "x-amz-content-sha256: " EMPTY_SHA256);	/* S3 wants it signed */
	if (env("AWS_SESSION_TOKEN")) {
		Buf t = {0};
		buf_printf(&t, "x-amz-security-token: %s", env("AWS_SESSION_TOKEN"));
		*h = curl.slist_append(*h, buf_cstr(&t));
		buf_free(&t);
	}
	curl.easy_setopt(c, CURLOPT_URL, url);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4);
	curl.easy_setopt(c, CURLOPT_USERNAME, env("AWS_ACCESS_KEY_ID"));
	curl.easy_setopt(c, CURLOPT_PASSWORD, env("AWS_SECRET_ACCESS_KEY"));
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, *h);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->s3_connect_timeout ? cfg->s3_connect_timeout : 10L);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, cfg->s3_timeout ? cfg->s3_timeout : 300L);
	return c;
}

int s3_get(const Config *cfg, const char *name, Buf *out, Buf *err)
{
	if (!env("AWS_ACCESS_KEY_ID") || !env("AWS_SECRET_ACCESS_KEY")) {
		buf_puts(err, "no credentials for S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
		return S3_ERROR;
	}
	if (!lib_load(&libcurl, err))
		return S3_ERROR;
	const char *region = cfg->s3_region ? cfg->s3_region : env("AWS_REGION");
	region = region ? region : env("AWS_DEFAULT_REGION");
	region = region ? region : "us-east-1";
	Buf url = {0};
	if (!object_url(cfg, region, name, &url, err)) {
		buf_free(&url);
		return S3_ERROR;
	}
	struct curl_slist *headers = NULL;
	CURL *c = s3_request(cfg, buf_cstr(&url), region, out, &headers);
	CURLcode rc = c ? curl.easy_perform(c) : CURLE_FAILED_INIT;
	long status = 0;
	if (c)
		curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	int result = rc == CURLE_OK && status == 200 ? S3_OK : rc == CURLE_OK && status == 404 ? S3_MISSING : S3_ERROR;
	if (rc == CURLE_OPERATION_TIMEDOUT)
		buf_printf(err, "%s: no answer within the time allowed ([s3] timeout = %ld, connect_timeout = %ld seconds)",
			   url.p, cfg->s3_timeout ? cfg->s3_timeout : 300L,
			   cfg->s3_connect_timeout ? cfg->s3_connect_timeout : 10L);
	else if (rc != CURLE_OK)
		buf_printf(err, "%s: %s", url.p, curl.easy_strerror(rc));
	else if (result == S3_ERROR) {
		buf_printf(err, "%s: HTTP %ld", url.p, status);
		s3_error_text(err, out);
	}
	if (result != S3_OK)
		out->len = 0;
	curl.slist_free_all(headers);
	if (c)
		curl.easy_cleanup(c);
	buf_free(&url);
	return result;
}
