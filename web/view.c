/* view.c - one view of the loaded profile: the request's parameters laid over the command line's
 * options, a view of the profile (pk_profile_view: its samples shared with the loaded one,
 * copied only where a filter changes them), one report of the library into memory, bounded
 * in time (pk_ctx_set_deadline). Every view is the
 * report a command prints (top and compare as -format=json, flame, svg, peek, list), so its
 * numbers are the text reports' numbers.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view.h"

static int grow(struct web_buf *b, size_t n)
{
	if (b->over || b->oom)
		return -1;
	if (b->max && n > b->max - b->n) {
		b->over = 1;
		return -1;
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	return 0;
}

int web_buf_put(struct web_buf *b, const void *s, size_t n)
{
	if (grow(b, n) != 0)
		return -1;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

int web_buf_str(struct web_buf *b, const char *s)
{
	return web_buf_put(b, s, strlen(s));
}

int web_buf_json(struct web_buf *b, const char *s, size_t n)
{
	int rc = web_buf_put(b, "\"", 1);
	size_t start = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		const char *e = NULL;
		if (c == '"')
			e = "\\\"";
		else if (c == '\\')
			e = "\\\\";
		else if (c == '\n')
			e = "\\n";
		else if (c == '\t')
			e = "\\t";
		else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			e = esc;
		}
		if (!e)
			continue;
		rc = web_buf_put(b, s + start, i - start);
		if (rc == 0)
			rc = web_buf_str(b, e);
		start = i + 1;
	}
	if (rc == 0)
		rc = web_buf_put(b, s + start, n - start);
	if (rc == 0)
		rc = web_buf_put(b, "\"", 1);
	return rc;
}

void web_buf_free(struct web_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

static pk_status buf_write(void *payload, const void *buf, size_t len)
{
	return web_buf_put(payload, buf, len) == 0 ? PK_OK : PK_EIO;
}

pk_writer web_buf_writer(struct web_buf *b)
{
	pk_writer w = {buf_write, b};
	return w;
}

/* ---- parameters --------------------------------------------------------------------------- */

/* The string options a request may set; "" unsets one the command line set. */
static const struct {
	const char *name;
	size_t off;
} str_params[] = {
    {"si", offsetof(pk_options, sample_index)},   {"focus", offsetof(pk_options, focus)},
    {"ignore", offsetof(pk_options, ignore)},     {"hide", offsetof(pk_options, hide)},
    {"show", offsetof(pk_options, show)},         {"show_from", offsetof(pk_options, show_from)},
    {"tagfocus", offsetof(pk_options, tagfocus)}, {"tagignore", offsetof(pk_options, tagignore)},
    {"sym", offsetof(pk_options, symbol)},
};
#define N_STR_PARAMS (sizeof str_params / sizeof str_params[0])

static const char *const gran_names[] = {"functions", "filefunctions", "files", "lines",
                                         "addresses"};

int web_param_known(const char *name)
{
	for (size_t i = 0; i < N_STR_PARAMS; i++)
		if (strcmp(name, str_params[i].name) == 0)
			return 1;
	return strcmp(name, "g") == 0 || strcmp(name, "width") == 0;
}

/* Lays the parameters over *o. Returns 0 or -1 with the reason in err. */
static int apply_params(pk_options *o, const struct web_param *params, size_t n, char *err,
                        size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = params[i].name, *v = params[i].value ? params[i].value : "";
		int done = 0;
		for (size_t k = 0; k < N_STR_PARAMS && !done; k++) {
			if (strcmp(name, str_params[k].name) != 0)
				continue;
			*(const char **)((char *)o + str_params[k].off) = *v ? v : NULL;
			done = 1;
		}
		if (done)
			continue;
		if (strcmp(name, "g") == 0) {
			size_t g = 0;
			while (g < 5 && strcmp(v, gran_names[g]) != 0)
				g++;
			if (g == 5) {
				snprintf(
				    err, errlen,
				    "g=%.64s: the granularity is one of functions, filefunctions, "
				    "files, lines, addresses",
				    v);
				return -1;
			}
			o->granularity = (pk_granularity)g;
			continue;
		}
		if (strcmp(name, "width") == 0) { /* the flame graph's width, pixels */
			char *end;
			double px = strtod(v, &end);
			if (end == v || *end || !(px >= 200 && px <= 20000)) {
				snprintf(err, errlen,
				         "width=%.64s: a number of pixels, 200 to 20000", v);
				return -1;
			}
			o->flame_width = px;
			continue;
		}
		snprintf(err, errlen, "unknown parameter '%.64s'", name);
		return -1;
	}
	return 0;
}

/* ---- views -------------------------------------------------------------------------------- */

static void ignore_warning(void *payload, const char *msg)
{
	(void)payload;
	(void)msg;
}

/* The page's facts: the title, the sample types, the command line's options. */
static int meta(const struct pk_web *w, struct web_buf *b)
{
	const pk_options *o = w->opt;
	int rc = web_buf_str(b, "{\"title\":");
	rc |= web_buf_json(b, w->title ? w->title : "", w->title ? strlen(w->title) : 0);
	rc |= web_buf_str(b, ",\"base\":");
	rc |= web_buf_str(b, w->diff ? "true" : "false");
	rc |= web_buf_str(b, ",\"sample_types\":[");
	for (size_t i = 0; i < pk_profile_sample_type_count(w->profile); i++) {
		const char *unit = NULL, *t = pk_profile_sample_type(w->profile, i, &unit);
		rc |= web_buf_str(b, i ? ",{\"type\":" : "{\"type\":");
		rc |= web_buf_json(b, t ? t : "", t ? strlen(t) : 0);
		rc |= web_buf_str(b, ",\"unit\":");
		rc |= web_buf_json(b, unit ? unit : "", unit ? strlen(unit) : 0);
		rc |= web_buf_str(b, "}");
	}
	rc |= web_buf_str(b, "],\"options\":{");
	for (size_t k = 0; k < N_STR_PARAMS; k++) {
		const char *v = *(const char *const *)((const char *)o + str_params[k].off);
		rc |= web_buf_str(b, k ? ",\"" : "\"");
		rc |= web_buf_str(b, str_params[k].name);
		rc |= web_buf_str(b, "\":");
		rc |= web_buf_json(b, v ? v : "", v ? strlen(v) : 0);
	}
	rc |= web_buf_str(b, ",\"g\":\"");
	rc |= web_buf_str(b, gran_names[o->granularity <= PK_GRAN_ADDRESSES ? o->granularity : 0]);
	rc |= web_buf_str(b, "\"}}");
	return rc ? -1 : 0;
}

/* Takes the loaded profile's lock (struct pk_web): the write side for a view that cuts its
 * stacks, else the read side, waiting no longer than the view's bound (*waited: the seconds
 * it waited). 0, or -1 when the bound passed first. */
static int lock_profile(const struct pk_web *w, bool write, double *waited)
{
	*waited = 0;
	if (!w->lock)
		return 0;
	if (w->timeout <= 0)
		return write ? pthread_rwlock_wrlock(w->lock) : pthread_rwlock_rdlock(w->lock);
	struct timespec t0, until;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &until);
	double whole, frac = modf(w->timeout, &whole);
	until.tv_sec += (time_t)whole;
	until.tv_nsec += (long)(frac * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc = write ? pthread_rwlock_timedwrlock(w->lock, &until)
	               : pthread_rwlock_timedrdlock(w->lock, &until);
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc == 0 ? 0 : -1;
}

/* The HTTP status and message of a view that failed with st (ctx: the view's; it may be NULL
 * for PK_ECANCELED, which reads nothing from it). */
static int status_of(const struct pk_web *w, pk_ctx *ctx, pk_status st, const struct web_buf *out,
                     char *err, size_t errlen)
{
	if (st == PK_ECANCELED) {
		if (w->cancel && __atomic_load_n(w->cancel, __ATOMIC_RELAXED))
			snprintf(err, errlen, "the server is stopping");
		else
			snprintf(
			    err, errlen,
			    "this view took longer than %g s, the server's bound (-http_timeout): "
			    "narrow it (a focus, hide, a coarser granularity) or start the server "
			    "with a larger -http_timeout",
			    w->timeout);
		return 503;
	}
	if (out->over) {
		snprintf(err, errlen, "the view is over %zu MiB: narrow it (a regexp, a focus)",
		         out->max >> 20);
		return 413;
	}
	snprintf(err, errlen, "%s", pk_ctx_message(ctx));
	if (st == PK_EUSAGE || st == PK_EFORMAT)
		return 400;
	if (!*err)
		snprintf(err, errlen, "out of memory");
	return 500;
}

int web_view(const struct pk_web *w, const char *view, const struct web_param *params, size_t n,
             struct web_buf *out, const char **ctype, char *err, size_t errlen)
{
	static const struct {
		const char *name, *ctype;
		pk_format fmt;
		pk_output output;
	} views[] = {
	    {"top", "application/json", PK_FMT_TOP, PK_OUT_JSON},
	    {"flame", "image/svg+xml", PK_FMT_FLAME, PK_OUT_TEXT},
	    {"graph", "image/svg+xml", PK_FMT_SVG, PK_OUT_TEXT},
	    {"peek", "text/plain; charset=utf-8", PK_FMT_PEEK, PK_OUT_TEXT},
	    {"source", "text/plain; charset=utf-8", PK_FMT_LIST, PK_OUT_TEXT},
	    {"compare", "application/json", PK_FMT_COMPARE, PK_OUT_JSON},
	};
	size_t v = 0;
	*err = '\0';
	if (strcmp(view, "meta") == 0) {
		*ctype = "application/json";
		if (n) {
			snprintf(err, errlen, "meta takes no parameters");
			return 400;
		}
		return meta(w, out) == 0 ? 200 : out->over ? 413 : 500;
	}
	while (v < sizeof views / sizeof views[0] && strcmp(view, views[v].name) != 0)
		v++;
	if (v == sizeof views / sizeof views[0]) {
		snprintf(err, errlen, "no view '%.64s' (top, flame, graph, peek, source, compare)",
		         view);
		return 404;
	}
	pk_options o = *w->opt;
	if (apply_params(&o, params, n, err, errlen) != 0)
		return 400;
	o.output = views[v].output;
	/* The flame graph as pprof's UI draws it: the root at the top, in view at once. */
	if (views[v].fmt == PK_FMT_FLAME)
		o.icicle = 1;
	if (views[v].fmt == PK_FMT_PEEK && !(o.symbol && *o.symbol))
		o.symbol = ".";
	if (views[v].fmt == PK_FMT_LIST && !(o.symbol && *o.symbol)) {
		snprintf(err, errlen, "source: give a regexp of the functions to list (search)");
		return 400;
	}
	if (views[v].fmt == PK_FMT_COMPARE && !w->diff) {
		snprintf(err, errlen, "compare needs a base profile (-base or -diff_base)");
		return 404;
	}
	/* hide, show and show_from cut the loaded profile's stacks in place (an exclusive view):
	 * no other view may read it meanwhile. */
	bool cuts = (o.hide && *o.hide) || (o.show && *o.show) || (o.show_from && *o.show_from);
	cuts = cuts && views[v].fmt != PK_FMT_COMPARE;
	double waited = 0;
	if (lock_profile(w, cuts, &waited) != 0) /* the bound passed while waiting: 503 */
		return status_of(w, NULL, PK_ECANCELED, out, err, errlen);
	pk_ctx *ctx = pk_ctx_new();
	if (!ctx) {
		if (w->lock)
			pthread_rwlock_unlock(w->lock);
		snprintf(err, errlen, "out of memory");
		return 500;
	}
	pk_ctx_on_warning(ctx, ignore_warning, NULL);
	/* The bound counts the wait for the lock (all of it spent: due at the first check). */
	double left = w->timeout - waited;
	pk_ctx_set_deadline(ctx, w->timeout > 0 ? (left > 1e-9 ? left : 1e-9) : 0);
	pk_ctx_set_cancel(ctx, w->cancel);
	pk_writer wr = web_buf_writer(out);
	pk_status st;
	int code = 200;
	if (views[v].fmt == PK_FMT_COMPARE) {
		/* OLD and NEW: the halves of the -diff_base form, normalized there already. */
		pk_profile *p[2] = {NULL, NULL};
		st = pk_profile_split_base(ctx, w->diff, &p[0], &p[1]);
		if (st == PK_OK)
			st = pk_report_series(ctx, p, 2, PK_FMT_COMPARE, &o, 0, &wr, NULL);
		pk_profile_free(p[0]);
		pk_profile_free(p[1]);
	} else {
		pk_profile *p = NULL;
		pk_profile *src = views[v].fmt == PK_FMT_FLAME && w->flame ? w->flame : w->profile;
		st = cuts ? pk_profile_view_exclusive(ctx, &p, src) : pk_profile_view(ctx, &p, src);
		if (st == PK_OK && w->as_base && views[v].fmt != PK_FMT_FLAME)
			st = pk_profile_as_base(ctx, p);
		if (st == PK_OK)
			st = pk_report(ctx, p, views[v].fmt, &o, &wr);
		pk_profile_free(p); /* an exclusive view puts the stacks back */
	}
	if (w->lock)
		pthread_rwlock_unlock(w->lock);
	if (st != PK_OK)
		code = status_of(w, ctx, st, out, err, errlen);
	*ctype = views[v].ctype;
	pk_ctx_free(ctx);
	return code;
}
