/* view.h - private to web/: one view of the loaded profile, computed into memory, for the server
 * (server.c) and the html report (html.c); the embedded front-end files (assets, generated at
 * build time by web/embed from web/ui/).
 */
#ifndef PK_WEB_VIEW_H
#define PK_WEB_VIEW_H

#include <stddef.h>

#include "pprofkit.h"
#include "web.h"

/* A growing buffer with a cap: past max bytes, writes fail (PK_EIO) and over is set. */
struct web_buf {
	char *p;
	size_t n, cap, max;
	int over, oom;
};
/* A writer appending to b. */
pk_writer web_buf_writer(struct web_buf *b);
int web_buf_put(struct web_buf *b, const void *s, size_t n); /* 0, or -1 when over or oom */
int web_buf_str(struct web_buf *b, const char *s);
/* s as a JSON string, quotes included; '<' and '>' escaped so it may sit inside <script>. */
int web_buf_json(struct web_buf *b, const char *s, size_t n);
void web_buf_free(struct web_buf *b);

/* The most a view may write (a peek or list of everything on a big profile): 64 MiB. */
#define WEB_MAX_OUTPUT ((size_t)64 << 20)
/* The most one request parameter may hold. */
#define WEB_MAX_PARAM 4096

/* A request's parameters, validated: name=value pairs. */
struct web_param {
	const char *name, *value;
};

/* Computes view (top, flame, graph, peek, source, compare, meta) with the parameters into out
 * (out->max set by the caller). Returns the HTTP status: 200 with *ctype set; 400 (bad
 * parameter, bad regexp: the message in err), 404 (unknown view), 413 (output over the cap),
 * 503 (over w->timeout, or the server is stopping), 500 (out of memory). */
int web_view(const struct pk_web *w, const char *view, const struct web_param *params, size_t n,
             struct web_buf *out, const char **ctype, char *err, size_t errlen);

/* Whether name is a parameter the views take. */
int web_param_known(const char *name);

/* The front end's files (web/ui/), embedded by web/embed. */
struct web_asset {
	const char *name, *ctype;
	const unsigned char *data;
	size_t len;
};
extern const struct web_asset web_assets[]; /* ends with a NULL name */
const struct web_asset *web_asset_find(const char *name);

/* The page (web/ui/index.html) into b: with inline_assets, the style sheet and the script
 * inside it, and data (JSON, already safe inside <script>; may be NULL) as the views of a
 * static report; otherwise links to /style.css and /app.js. Returns 0 or -1. */
int web_page(struct web_buf *b, int inline_assets, const char *data, size_t data_len);

#endif
