/* server.c - `pprofkit -http=[HOST]:PORT`: the web UI, served by libmicrohttpd, one thread per
 * connection. GET only: "/" is the page, "/app.js" and "/style.css" its files (embedded),
 * "/api/VIEW?PARAMS" one view computed from the loaded profile (view.c). Every request
 * works on its own view of the profile and its own pk_ctx, so requests share nothing but
 * the read-only loaded profiles (each view is a pk_profile_view of them). At most
 * WEB_MAX_ACTIVE views are computed at once (503 beyond: a bounded amount of memory); a view's
 * output is capped (413), its time too (w->timeout, -http_timeout: 503 with a message).
 *
 * Not in go tool pprof's form: pprof's UI (internal/driver/webui.go) is the model for the
 * views and the Refine menu; the page and the code are our own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <microhttpd.h>

#include "view.h"

#define WEB_MAX_ACTIVE 4
#define WEB_MAX_PARAMS 32

extern char **environ;

struct server {
	struct pk_web w; /* the caller's, with cancel pointing at stopping */
	int stopping;    /* set (atomically) at SIGINT/SIGTERM: views being computed stop */
	int check_host;  /* bound to loopback: only Host: localhost / 127.x / [::1] (no DNS
	                    rebinding) */
	atomic_int active;
	pthread_rwlock_t lock; /* the loaded profile's (struct pk_web) */
};

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned code, const char *ctype,
                                void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* {"error": msg}, with code. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
	struct web_buf b = {0};
	if (web_buf_str(&b, "{\"error\":") != 0 || web_buf_json(&b, msg, strlen(msg)) != 0 ||
	    web_buf_str(&b, "}\n") != 0) {
		web_buf_free(&b);
		return MHD_NO;
	}
	return send_buf(c, code, "application/json", b.p, b.n, MHD_RESPMEM_MUST_FREE);
}

struct params {
	struct web_param v[WEB_MAX_PARAMS];
	size_t n;
	char err[256];
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	struct params *p = cls;
	(void)kind;
	if (!key || !web_param_known(key)) {
		snprintf(p->err, sizeof p->err, "unknown parameter '%.64s'", key ? key : "");
		return MHD_NO;
	}
	if (value && strlen(value) > WEB_MAX_PARAM) {
		snprintf(p->err, sizeof p->err, "%s: longer than %d bytes", key, WEB_MAX_PARAM);
		return MHD_NO;
	}
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, key) == 0) {
			snprintf(p->err, sizeof p->err, "%s given twice", key);
			return MHD_NO;
		}
	if (p->n == WEB_MAX_PARAMS) {
		snprintf(p->err, sizeof p->err, "too many parameters");
		return MHD_NO;
	}
	p->v[p->n].name = key;
	p->v[p->n].value = value ? value : "";
	p->n++;
	return MHD_YES;
}

static int loopback_host(const char *host)
{
	if (!host)
		return 0;
	size_t n = strcspn(host, ":");
	if (host[0] == '[')
		return strncmp(host, "[::1]", 5) == 0;
	return (n == 9 && strncmp(host, "localhost", 9) == 0) || strncmp(host, "127.", 4) == 0;
}

static enum MHD_Result api(struct server *s, struct MHD_Connection *c, const char *view)
{
	struct params p = {.n = 0};
	if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &p) < 0 || p.err[0])
		return send_error(c, MHD_HTTP_BAD_REQUEST, p.err[0] ? p.err : "bad query");
	if (atomic_fetch_add(&s->active, 1) >= WEB_MAX_ACTIVE) {
		atomic_fetch_sub(&s->active, 1);
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		                  "busy: other views are being computed; try again");
	}
	struct web_buf out = {.max = WEB_MAX_OUTPUT};
	const char *ctype = "text/plain";
	char err[1024];
	int code = web_view(&s->w, view, p.v, p.n, &out, &ctype, err, sizeof err);
	/* The last view out gives the memory the views freed back to the system (the
	 * connection threads' malloc arenas keep it otherwise): between views the server holds
	 * the loaded profile, not the peak of its biggest view. */
	if (atomic_fetch_sub(&s->active, 1) == 1)
		malloc_trim(0);
	if (code != 200) {
		web_buf_free(&out);
		return send_error(c, (unsigned)code, err);
	}
	if (!out.p) /* an empty report */
		return send_buf(c, 200, ctype, (void *)"", 0, MHD_RESPMEM_PERSISTENT);
	return send_buf(c, 200, ctype, out.p, out.n, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	(void)version;
	(void)upload;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
		*upload_size = 0;
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET");
	}
	if (s->check_host &&
	    !loopback_host(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
		return send_error(c, MHD_HTTP_FORBIDDEN, "Host is not this machine's loopback");
	if (strncmp(url, "/api/", 5) == 0)
		return api(s, c, url + 5);
	if (strcmp(url, "/") == 0) {
		/* The page's own query (view and options) is the front end's to read. */
		struct web_buf b = {0};
		if (web_page(&b, 0, NULL, 0) != 0) {
			web_buf_free(&b);
			return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		}
		return send_buf(c, 200, "text/html; charset=utf-8", b.p, b.n,
		                MHD_RESPMEM_MUST_FREE);
	}
	const struct web_asset *a = url[0] == '/' ? web_asset_find(url + 1) : NULL;
	if (a && strcmp(a->name, "index.html") != 0)
		return send_buf(c, 200, a->ctype, (void *)a->data, a->len, MHD_RESPMEM_PERSISTENT);
	return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
}

/* "[HOST]:PORT" into host (empty: localhost) and port. Returns 0 or -1. */
static int split_addr(const char *addr, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(addr, ':');
	if (!colon || !colon[1] || strlen(colon + 1) >= portlen)
		return -1;
	for (const char *q = colon + 1; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	if (atol(colon + 1) > 65535)
		return -1;
	const char *h = addr;
	size_t n = (size_t)(colon - addr);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
		h++, n -= 2;
	if (n >= hostlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return 0;
}

int pk_web_addr_ok(const char *addr)
{
	char host[256], port[8];
	return split_addr(addr, host, sizeof host, port, sizeof port) == 0;
}

static void open_browser(const char *url)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	char *argv[] = {"xdg-open", (char *)url, NULL};
	if (posix_spawn_file_actions_init(&fa) != 0)
		return;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) == 0)
		(void)waitpid(pid, NULL, WNOHANG);
	posix_spawn_file_actions_destroy(&fa);
}

int pk_web_serve(const struct pk_web *w, const char *addr, int no_browser, FILE *log)
{
	char host[256], port[8];
	if (split_addr(addr, host, sizeof host, port, sizeof port) != 0) {
		fprintf(log, "pprofkit: -http=%s: give [HOST]:PORT, as in -http=:8080\n", addr);
		return 2;
	}
	int loopback = host[0] == '\0';
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
	int gai = getaddrinfo(loopback ? "localhost" : host, port, &hints, &ai);
	if (gai != 0 || !ai) {
		fprintf(log, "pprofkit: -http=%s: %s\n", addr, gai_strerror(gai));
		return 2;
	}
	/* localhost: the IPv4 loopback when the resolver gives both. */
	struct addrinfo *pick = ai;
	for (struct addrinfo *q = ai; loopback && q; q = q->ai_next)
		if (q->ai_family == AF_INET) {
			pick = q;
			break;
		}
	struct server s = {.w = *w, .stopping = 0, .active = 0};
	s.w.cancel = &s.stopping;
	/* Views that cut stacks in the loaded profile wait for the write side; writers first,
	 * or a stream of views could keep one waiting past its bound. */
	pthread_rwlockattr_t la;
	pthread_rwlockattr_init(&la);
	pthread_rwlockattr_setkind_np(&la, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&s.lock, &la);
	pthread_rwlockattr_destroy(&la);
	s.w.lock = &s.lock;
	char numeric[NI_MAXHOST] = "";
	getnameinfo(pick->ai_addr, pick->ai_addrlen, numeric, sizeof numeric, NULL, 0,
	            NI_NUMERICHOST);
	s.check_host = loopback || strcmp(numeric, "127.0.0.1") == 0 || strcmp(numeric, "::1") == 0;

	/* SIGINT and SIGTERM are taken by sigwait below: blocked in every thread. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (pick->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d =
	    MHD_start_daemon(flags, 0, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR, pick->ai_addr,
	                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
	int err = errno;
	freeaddrinfo(ai);
	if (!d) {
		fprintf(log, "pprofkit: -http=%s: cannot listen: %s\n", addr,
		        err ? strerror(err) : "libmicrohttpd failed to start");
		pthread_rwlock_destroy(&s.lock);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned bound = info ? info->port : (unsigned)atoi(port);
	char url[300];
	const char *shown = loopback ? "localhost" : host;
	if (strchr(shown, ':'))
		snprintf(url, sizeof url, "http://[%s]:%u/", shown, bound);
	else
		snprintf(url, sizeof url, "http://%s:%u/", shown, bound);
	fprintf(log, "Serving web UI on %s\n", url);
	fflush(log);
	if (!no_browser)
		open_browser(url);
	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	__atomic_store_n(&s.stopping, 1, __ATOMIC_RELAXED); /* views being computed end (503) */
	MHD_stop_daemon(d);
	pthread_rwlock_destroy(&s.lock);
	fprintf(log, "pprofkit: stopped (%s)\n", sig == SIGINT ? "interrupt" : "terminated");
	return 0;
}
