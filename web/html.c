/* html.c - the page, and `pprofkit html`: the views computed once (flame graph, top table,
 * graph; compare under a base) and written with the page's style sheet and script into one
 * self-contained file that opens offline (no request leaves it).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "view.h"

static const struct web_asset *asset(const char *name)
{
	return web_asset_find(name);
}

/* Writes the template from *pos up to marker, and moves *pos past the marker. */
static int upto(struct web_buf *b, const char **pos, const char *end, const char *marker)
{
	const char *m = memmem(*pos, (size_t)(end - *pos), marker, strlen(marker));
	if (!m)
		return -1;
	int rc = web_buf_put(b, *pos, (size_t)(m - *pos));
	*pos = m + strlen(marker);
	return rc;
}

int web_page(struct web_buf *b, int inline_assets, const char *data, size_t data_len)
{
	const struct web_asset *page = asset("index.html"), *css = asset("style.css"),
	                       *js = asset("app.js");
	if (!page || !css || !js)
		return -1;
	const char *pos = (const char *)page->data, *end = pos + page->len;
	int rc = upto(b, &pos, end, "<!--PK-STYLE-->");
	if (inline_assets) {
		rc |= web_buf_str(b, "<style>\n");
		rc |= web_buf_put(b, css->data, css->len);
		rc |= web_buf_str(b, "</style>");
	} else {
		rc |= web_buf_str(b, "<link rel=\"stylesheet\" href=\"style.css\">");
	}
	rc |= upto(b, &pos, end, "<!--PK-DATA-->");
	if (data) {
		rc |= web_buf_str(b, "<script id=\"pk-data\" type=\"application/json\">");
		rc |= web_buf_put(b, data, data_len);
		rc |= web_buf_str(b, "</script>");
	}
	rc |= upto(b, &pos, end, "<!--PK-SCRIPT-->");
	if (inline_assets) {
		rc |= web_buf_str(b, "<script>\n");
		rc |= web_buf_put(b, js->data, js->len);
		rc |= web_buf_str(b, "</script>");
	} else {
		rc |= web_buf_str(b, "<script src=\"app.js\"></script>");
	}
	rc |= web_buf_put(b, pos, (size_t)(end - pos));
	return rc ? -1 : 0;
}

/* One view into the data object: "name":VALUE, where JSON views go as they are (with '<'
 * escaped, which JSON allows only inside strings) and others as a JSON string. */
static pk_status add_view(const struct pk_web *w, struct web_buf *data, const char *name, int json,
                          char *err, size_t errlen)
{
	struct web_buf v = {.max = 0};
	const char *ctype;
	int code = web_view(w, name, NULL, 0, &v, &ctype, err, errlen);
	(void)ctype;
	if (code != 200) {
		web_buf_free(&v);
		return code == 400 ? PK_EUSAGE : PK_ENOMEM;
	}
	int rc = web_buf_str(data, ",\"");
	rc |= web_buf_str(data, name);
	rc |= web_buf_str(data, "\":");
	if (json) {
		size_t start = 0;
		for (size_t i = 0; i < v.n && rc == 0; i++)
			if (v.p[i] == '<') {
				rc |= web_buf_put(data, v.p + start, i - start);
				rc |= web_buf_str(data, "\\u003c");
				start = i + 1;
			}
		rc |= web_buf_put(data, v.p ? v.p + start : "", v.n - start);
	} else {
		rc |= web_buf_json(data, v.p ? v.p : "", v.n);
	}
	web_buf_free(&v);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc ? PK_ENOMEM : PK_OK;
}

pk_status pk_web_html(const struct pk_web *w, pk_writer *out, char *err, size_t errlen)
{
	struct web_buf data = {.max = 0}, page = {.max = 0};
	const char *ctype;
	pk_status st = PK_OK;
	snprintf(err, errlen, "out of memory");
	if (web_view(w, "meta", NULL, 0, &data, &ctype, err, errlen) != 200 || data.n < 2) {
		web_buf_free(&data);
		return PK_ENOMEM;
	}
	/* {"meta":{...},"top":...,"flame":"...",...} */
	struct web_buf all = {.max = 0};
	int rc = web_buf_str(&all, "{\"meta\":");
	rc |= web_buf_put(&all, data.p, data.n);
	web_buf_free(&data);
	if (rc)
		st = PK_ENOMEM;
	if (st == PK_OK)
		st = add_view(w, &all, "top", 1, err, errlen);
	if (st == PK_OK)
		st = add_view(w, &all, "flame", 0, err, errlen);
	if (st == PK_OK)
		st = add_view(w, &all, "graph", 0, err, errlen);
	if (st == PK_OK && w->diff)
		st = add_view(w, &all, "compare", 1, err, errlen);
	if (st == PK_OK && web_buf_str(&all, "}") != 0)
		st = PK_ENOMEM;
	if (st == PK_OK && web_page(&page, 1, all.p, all.n) != 0)
		st = PK_ENOMEM;
	if (st == PK_OK) {
		st = out->write(out->payload, page.p, page.n);
		if (st != PK_OK)
			snprintf(err, errlen, "write error");
	}
	web_buf_free(&all);
	web_buf_free(&page);
	return st;
}
