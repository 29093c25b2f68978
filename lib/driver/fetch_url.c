/* fetch_url.c - a PROFILE that is a URL: which sources are URLs, the URL pprof fetches for
 * them (the default path, ?seconds=N, the timeout), and the fetch itself, through libcurl.
 * The bytes fetched are parsed as any file's bytes are. libcurl is loaded (dlopen) at the first
 * fetch, not linked.
 *
 * Mirrors go tool pprof's cmd/pprof/pprof.go (fetcher.Fetch, getProfile, adjustURL,
 * statusCodeError) and internal/driver/fetch.go (adjustURL, fetchURL). Divergences, deliberate:
 * - the timeout bounds the whole transfer (pprof bounds only the wait for the response
 *   headers, timeout + 5 s, so an endless body hangs it); a body is also capped at the
 *   context's inflate cap (default 1 GiB);
 * - a non-200 response names the first line of its body whenever there is one (pprof only for
 *   responses of its own handlers, marked X-Go-Pprof);
 * - the query is kept as written, its keys sorted as Go's url.Values.Encode sorts them, but
 *   not re-escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <dlfcn.h>

#include "driver/driver.h"

#define CPU_PROFILE_PATH "/debug/pprof/profile"

/* "scheme://" with a scheme as RFC 3986 spells it; returns the length of "scheme://" or 0. */
static size_t scheme_len(const char *s)
{
	size_t i = 0;
	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return strncmp(s + i, "://", 3) == 0 && s[i + 3] != '\0' && s[i + 3] != '/' ? i + 3 : 0;
}

/* "[userinfo@]host:port" at the start of s, followed by the end, '/', '?' or '#': its length,
 * or 0. As Go's url.Parse takes "http://" + s: the port is digits, possibly none, after the
 * last ':'; the host may be empty (":6060" is the local host) or [IPv6]. A "file:" scheme is
 * a file name, as in pprof. */
static size_t hostport_len(const char *s)
{
	size_t auth = strcspn(s, "/?#"), colon = auth, start = 0;
	if (strncasecmp(s, "file:", 5) == 0)
		return 0;
	while (colon > 0 && s[colon - 1] != ':')
		colon--;
	if (colon == 0)
		return 0;
	for (size_t i = colon; i < auth; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	colon--; /* at the ':' */
	for (size_t i = 0; i < colon; i++)
		if (s[i] == '@')
			start = i + 1;
	if (start < colon && s[start] == '[')
		return s[colon - 1] == ']' ? auth : 0;
	for (size_t i = start; i < colon; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(".-_~%:", s[i]))
			return 0;
	return auth;
}

PK_API int pk_source_is_url(const char *source)
{
	if (!source || !*source)
		return 0;
	return scheme_len(source) > 0 || hostport_len(source) > 0;
}

/* A growing string. */
struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (!pk_grow((void **)&b->p, &b->cap, b->len + n + 1, 1)) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* One key=value of a query, as written. */
struct param {
	const char *s;
	size_t len, key_len;
	size_t order;
};

static int param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->s, y->s, n);
	if (c)
		return c;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

PK_API pk_status pk_url_resolve(pk_ctx *ctx, const char *source, const pk_fetch_options *o,
                                char **url, int *timeout)
{
	pk_fetch_options defaults = PK_FETCH_OPTIONS_INIT;
	struct buf b = {0};
	struct param *params = NULL;
	size_t np = 0, pre;
	int seconds, tmo;
	const char *rest, *query, *end;

	*url = NULL;
	if (!o)
		o = &defaults;
	if (!pk_source_is_url(source))
		return pk_fail(ctx, PK_EUSAGE, "%s: not a URL", source);
	pre = scheme_len(source);
	if (pre)
		buf_add(&b, source, pre);
	else
		buf_adds(&b, "http://");
	rest = source + pre;
	end = rest + strcspn(rest, "#");
	/* host[:port] */
	size_t host = strcspn(rest, "/?#");
	buf_add(&b, rest, host);
	rest += host;
	query = memchr(rest, '?', (size_t)(end - rest));
	const char *path_end = query ? query : end;
	if (path_end == rest || (path_end - rest == 1 && *rest == '/'))
		buf_adds(&b, CPU_PROFILE_PATH);
	else
		buf_add(&b, rest, (size_t)(path_end - rest));

	/* The query: seconds set from the options, or read from the URL for the timeout. */
	seconds = o->seconds > 0 ? o->seconds : 0;
	if (query) {
		const char *q = query + 1;
		params =
		    pk_calloc((size_t)(end - q) + 1, sizeof *params); /* at most one per byte */
		if (!params) {
			pk_free(b.p);
			return pk_oom(ctx);
		}
		while (q < end) {
			size_t n = strcspn(q, "&;#");
			if (q + n > end)
				n = (size_t)(end - q);
			if (n) {
				const char *eq = memchr(q, '=', n);
				struct param pm = {q, n, eq ? (size_t)(eq - q) : n, np};
				int is_seconds = pm.key_len == 7 && memcmp(q, "seconds", 7) == 0;
				if (is_seconds && o->seconds <= 0 && eq && seconds == 0) {
					char num[16];
					size_t vl = n - pm.key_len - 1;
					if (vl > 0 && vl < sizeof num) {
						char *e;
						memcpy(num, eq + 1, vl);
						num[vl] = '\0';
						errno = 0;
						long v = strtol(num, &e, 10);
						if (!*e && !errno && v > 0 && v <= INT32_MAX)
							seconds = (int)v;
					}
				}
				if (!(is_seconds && o->seconds > 0))
					params[np++] = pm;
			}
			q += n;
			if (q < end)
				q++;
		}
	}
	if (o->seconds > 0) {
		if (!params && !(params = pk_calloc(1, sizeof *params))) {
			pk_free(b.p);
			return pk_oom(ctx);
		}
		/* the text is built below; the key is what sorts */
		params[np++] = (struct param){"seconds", 7, 7, (size_t)-1};
	}
	if (np)
		qsort(params, np, sizeof *params, param_cmp);
	for (size_t i = 0; i < np; i++) {
		buf_adds(&b, i ? "&" : "?");
		if (params[i].order == (size_t)-1) {
			char num[32];
			snprintf(num, sizeof num, "seconds=%d", o->seconds);
			buf_adds(&b, num);
		} else {
			buf_add(&b, params[i].s, params[i].len);
			if (params[i].key_len == params[i].len)
				buf_adds(&b, "="); /* Go writes "key=" for a bare key */
		}
	}
	pk_free(params);
	if (b.oom) {
		pk_free(b.p);
		return pk_oom(ctx);
	}
	tmo = o->timeout;
	if (tmo <= 0)
		tmo = seconds > 0 ? seconds + seconds / 2 : 60;
	*url = b.p;
	if (timeout)
		*timeout = tmo;
	return PK_OK;
}

/* ---- libcurl, loaded when a URL is first fetched ----------------------------------------- */

/* libcurl and the twenty libraries it needs (TLS, HTTP/2, SSH, LDAP...) are loaded only by a
 * program that fetches a URL: linked in, they cost every run several megabytes of memory and
 * the time to load them, for files that need none of it. */
static struct {
	int state; /* 0 not tried, 1 loaded, -1 failed */
	char why[200];
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode code);
} curl;

#define CURL_SYM(field, name) (*(void **)&curl.field = dlsym(lib, name)) != NULL

static int curl_load(void)
{
	void *lib;
	if (curl.state)
		return curl.state;
	curl.state = -1;
	lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *e = dlerror();
		snprintf(curl.why, sizeof curl.why, "%s", e ? e : "libcurl.so.4 not found");
		return curl.state;
	}
	if (!(CURL_SYM(global_init, "curl_global_init") && CURL_SYM(easy_init, "curl_easy_init") &&
	      CURL_SYM(easy_setopt, "curl_easy_setopt") &&
	      CURL_SYM(easy_perform, "curl_easy_perform") &&
	      CURL_SYM(easy_getinfo, "curl_easy_getinfo") &&
	      CURL_SYM(easy_cleanup, "curl_easy_cleanup") &&
	      CURL_SYM(easy_strerror, "curl_easy_strerror"))) {
		snprintf(curl.why, sizeof curl.why, "libcurl.so.4 lacks a function pprofkit uses");
		return curl.state;
	}
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl.why, sizeof curl.why, "libcurl could not be initialised");
		return curl.state;
	}
	curl.state = 1;
	return curl.state;
}

/* ---- the transfer ---------------------------------------------------------------------- */

struct transfer {
	pk_ctx *ctx;
	const pk_fetch_options *o;
	const char *source;
	struct buf body;
	uint64_t cap;
	int over_cap;
	char status[128]; /* "404 Not Found", from the last status line */
	char what[160];   /* the progress label */
};

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	struct transfer *t = payload;
	size_t len = size * n;
	if (t->cap && t->body.len + len > t->cap) {
		t->over_cap = 1;
		return 0;
	}
	buf_add(&t->body, data, len);
	return t->body.oom ? 0 : len;
}

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
	struct transfer *t = payload;
	size_t len = size * n;
	if (len > 5 && memcmp(data, "HTTP/", 5) == 0) {
		const char *sp = memchr(data, ' ', len);
		if (sp) {
			size_t k = len - (size_t)(sp + 1 - data);
			while (k && (sp[k] == '\r' || sp[k] == '\n'))
				k--;
			if (k >= sizeof t->status)
				k = sizeof t->status - 1;
			memcpy(t->status, sp + 1, k);
			t->status[k] = '\0';
		}
		t->body.len = 0; /* a redirect's body is not the profile */
	}
	return len;
}

static int on_xfer(void *payload, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                   curl_off_t ulnow)
{
	struct transfer *t = payload;
	(void)ultotal, (void)ulnow;
	if (t->o->cancel && *t->o->cancel)
		return 1;
	if (dlnow > 0)
		pk_progress(t->ctx, t->what, (uint64_t)dlnow, dltotal > 0 ? (uint64_t)dltotal : 0);
	return 0;
}

/* The first line of a response body, printable, at most 200 bytes; "" when none. */
static void first_line(const struct buf *body, char *out, size_t cap)
{
	size_t i = 0, j = 0;
	out[0] = '\0';
	if (!body->p)
		return;
	while (i < body->len && (body->p[i] == '\n' || body->p[i] == '\r' || body->p[i] == ' '))
		i++;
	for (; i < body->len && body->p[i] != '\n' && body->p[i] != '\r' && j + 1 < cap; i++)
		out[j++] = isprint((unsigned char)body->p[i]) ? body->p[i] : '?';
	while (j && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
}

PK_API pk_status pk_fetch(pk_ctx *ctx, const char *source, const pk_fetch_options *o, void **data,
                          size_t *len)
{
	pk_fetch_options defaults = PK_FETCH_OPTIONS_INIT;
	struct transfer t;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *url = NULL;
	int timeout = 0;
	long code = 0, os_errno = 0;
	pk_status st;
	CURLcode rc;
	CURL *h;

	*data = NULL;
	*len = 0;
	if (!o)
		o = &defaults;
	if ((st = pk_url_resolve(ctx, source, o, &url, &timeout)) != PK_OK)
		return st;
	memset(&t, 0, sizeof t);
	t.ctx = ctx;
	t.o = o;
	t.source = source;
	t.cap = ctx->max_inflated;
	snprintf(t.what, sizeof t.what, "fetching %s", source);

	if (curl_load() != 1) {
		pk_free(url);
		return pk_fail(ctx, PK_EIO, "%s: cannot fetch: %s (Debian package libcurl4)",
		               source, curl.why);
	}
	h = curl.easy_init();
	if (!h) {
		pk_free(url);
		return pk_oom(ctx);
	}
	/* pprof's https+insecure scheme: https without checking the certificate. */
	if (strncasecmp(url, "https+insecure://", 17) == 0) {
		memmove(url + 5, url + 14, strlen(url + 14) + 1);
		curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	curl.easy_setopt(h, CURLOPT_URL, url);
	curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl.easy_setopt(h, CURLOPT_MAXREDIRS, 10L); /* Go's http.Client stops after 10 */
	curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout * 1000L);
	curl.easy_setopt(h, CURLOPT_USERAGENT, "pprofkit/" PK_VERSION_STRING);
	curl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl.easy_setopt(h, CURLOPT_WRITEDATA, &t);
	curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl.easy_setopt(h, CURLOPT_HEADERDATA, &t);
	curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xfer);
	curl.easy_setopt(h, CURLOPT_XFERINFODATA, &t);
	curl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	rc = curl.easy_perform(h);
	curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl.easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
	curl.easy_cleanup(h);
	pk_free(url);

	if (t.body.oom) {
		st = pk_oom(ctx);
	} else if (t.over_cap) {
		st = pk_fail(ctx, PK_ELIMIT, "%s: response larger than %llu bytes", source,
		             (unsigned long long)t.cap);
	} else if (rc == CURLE_ABORTED_BY_CALLBACK) {
		st = pk_fail(ctx, PK_EIO, "%s: interrupted", source);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		st = pk_fail(ctx, PK_EIO, "%s: timed out after %d s (-timeout)", source, timeout);
	} else if (rc == CURLE_COULDNT_CONNECT) {
		st = pk_fail(ctx, PK_EIO, "%s: %s", source,
		             os_errno == ECONNREFUSED ? "connection refused"
		             : os_errno               ? strerror((int)os_errno)
		                                      : "could not connect");
	} else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
		st = pk_fail(ctx, PK_EIO, "%s: unknown host", source);
	} else if (rc == CURLE_PARTIAL_FILE) {
		st = pk_fail(ctx, PK_EIO, "%s: response truncated after %zu bytes", source,
		             t.body.len);
	} else if (rc != CURLE_OK) {
		st = pk_fail(ctx, PK_EIO, "%s: %s", source,
		             *errbuf ? errbuf : curl.easy_strerror(rc));
	} else if (code != 200) {
		char line[201];
		first_line(&t.body, line, sizeof line);
		if (!*t.status)
			snprintf(t.status, sizeof t.status, "%ld", code);
		st = pk_fail(ctx, PK_EIO, "%s: server response: %s%s%s", source, t.status,
		             *line ? " - " : "", line);
	} else {
		*data = t.body.p;
		*len = t.body.len;
		if (!t.body.p && !(*data = pk_malloc(1)))
			return pk_oom(ctx);
		return PK_OK;
	}
	pk_free(t.body.p);
	return st;
}

PK_API pk_status pk_profile_fetch(pk_ctx *ctx, pk_profile **out, const char *source,
                                  const pk_fetch_options *o)
{
	void *data;
	size_t len;
	pk_status st;
	*out = NULL;
	if ((st = pk_fetch(ctx, source, o, &data, &len)) != PK_OK)
		return st;
	if (len == 0)
		st = pk_fail(ctx, PK_EFORMAT, "%s: empty response, not a profile", source);
	else
		st = pk_profile_parse(ctx, out, data, len, source);
	pk_free(data);
	return st;
}
