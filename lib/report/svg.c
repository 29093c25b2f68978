/* svg.c - the `svg` report: the DOT text of the dot report, laid out and rendered to SVG by
 * the Graphviz libraries in this process (libcgraph agmemread, libgvc gvLayout "dot" and
 * gvRenderData "svg"), then given pprof's touch-ups.
 * Mirrors internal/driver/commands.go (massageDotSVG, invokeDot: `dot -Tsvg`) and
 * internal/driver/svg.go (massageSVG). The only file that includes Graphviz headers.
 *
 * Plugins: gvContext() reads the plugin registry that Debian's libgvc6 writes when it is
 * installed (/usr/lib/<triplet>/graphviz/config6a, made by libgvc6-config-update -c), which
 * names the "dot" layout (libgvplugin_dot_layout) and the core "svg" renderer
 * (libgvplugin_core); both ship in libgvc6 itself, so libgraphviz-dev is enough, and text is
 * measured by libgvplugin_pango as the dot program measures it. If the registry is missing
 * (an install without maintainer scripts, or GVBINDIR pointing elsewhere), those plugin
 * libraries are opened by hand from the graphviz/ directory beside libgvc and given to
 * gvContextPlugins as built-ins. Nothing runs the dot program; no child process starts.
 *
 * Graphviz reports problems through one process-wide callback (agseterrf) without a user
 * pointer: while a report renders, a thread-local pointer collects them; errors fail the
 * report, warnings go to the context's warning callback (pprof lets dot print them on
 * stderr). Graphviz itself keeps global state: a process-wide lock lets one report at a time
 * make the context (once, kept) and render, so reports in several threads are safe.
 *
 * Divergences: pprof embeds the third-party SVGPan script for panning and zooming; here a
 * short script of our own does the same (wheel zooms at the pointer, dragging pans). */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include <cgraph.h>
#include <gvc.h>
#include <gvplugin.h>

#include "report/report.h"

/* ---- Graphviz messages ------------------------------------------------------------------- */
static _Thread_local pk_sb *gv_messages;

static int collect_message(char *msg)
{
	if (gv_messages && msg)
		pk_sb_cstr(gv_messages, msg);
	return 0;
}

/* Passes the collected "Warning: ..." lines to the context; returns the first error line (in
 * msgs, NUL-terminated) or NULL. */
static const char *sort_messages(pk_ctx *ctx, pk_sb *msgs)
{
	const char *err = NULL;
	if (!msgs->s || msgs->oom)
		return NULL;
	char *line = msgs->s;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strncmp(line, "Error", 5) == 0) {
			if (!err)
				err = line;
		} else if (*line) {
			pk_warn(ctx, "%s", line);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return err;
}

/* ---- plugins ------------------------------------------------------------------------------- */
static bool has_plugin(GVC_t *gvc, const char *kind, const char *name)
{
	int n = 0;
	char **list = gvPluginList(gvc, kind, &n, NULL);
	bool found = false;
	for (int i = 0; list && i < n; i++) {
		/* entries look like "dot" or "svg:core" */
		size_t len = strcspn(list[i], ":");
		if (len == strlen(name) && strncmp(list[i], name, len) == 0)
			found = true;
		pk_free(list[i]);
	}
	pk_free(list);
	return found;
}

/* Opens graphviz/libgvplugin_NAME.so.6 beside libgvc and finds its plugin table, whose name
 * goes to sym (as gvContextPlugins wants it); NULL when either fails. */
static void *open_plugin(const char *name, pk_sb *sym)
{
	Dl_info info;
	void *lib = NULL, *handle;
	if (!dladdr((void *)gvContext, &info) || !info.dli_fname)
		return NULL;
	const char *slash = strrchr(info.dli_fname, '/');
	pk_sb path = {0};
	if (slash)
		pk_sb_bytes(&path, info.dli_fname, (size_t)(slash - info.dli_fname));
	else
		pk_sb_cstr(&path, ".");
	pk_sb_fmt(&path, "/graphviz/libgvplugin_%s.so.6", name);
	pk_sb_fmt(sym, "gvplugin_%s_LTX_library", name);
	if (!path.oom && !sym->oom && (handle = dlopen(path.s, RTLD_NOW | RTLD_LOCAL)))
		lib = dlsym(handle, sym->s);
	pk_sb_free(&path);
	return lib;
}

enum { N_PLUGINS = 3 };

/* A context able to lay out with "dot" and render "svg". First the ordinary one, which reads
 * the plugin registry; without a registry, one whose built-in plugins are the dot layout and
 * core renderer libraries (and pango's text measurement, when present) loaded by hand. The
 * context keeps pointers to builtins and syms: they must outlive it. */
static GVC_t *context(lt_symlist_t builtins[N_PLUGINS + 1], pk_sb syms[N_PLUGINS], const char **why)
{
	static const char *const names[N_PLUGINS] = {"dot_layout", "core", "pango"};
	GVC_t *gvc = gvContext();
	if (gvc && has_plugin(gvc, "layout", "dot") && has_plugin(gvc, "render", "svg"))
		return gvc;
	if (gvc)
		gvFreeContext(gvc);
	size_t n = 0;
	for (size_t i = 0; i < N_PLUGINS; i++) {
		void *lib = open_plugin(names[i], &syms[i]);
		if (lib) {
			builtins[n].name = syms[i].s;
			builtins[n].address = lib;
			n++;
		} else if (i < 2) {
			*why = i == 0
			           ? "graphviz: the dot layout plugin (libgvplugin_dot_layout) is "
			             "not available"
			           : "graphviz: the svg renderer plugin (libgvplugin_core) is not "
			             "available";
			return NULL;
		}
	}
	builtins[n].name = NULL;
	builtins[n].address = NULL;
	if (!(gvc = gvContextPlugins(builtins, 0))) {
		*why = "graphviz: cannot create a context";
	} else if (!has_plugin(gvc, "layout", "dot") || !has_plugin(gvc, "render", "svg")) {
		*why = "graphviz: the dot layout or svg renderer plugin does not load";
		gvFreeContext(gvc);
		gvc = NULL;
	}
	return gvc;
}

/* The one context of the process, made on first use and kept: Graphviz's pango plugin keeps
 * in a static variable a pointer to the last font name it measured, a string owned by the
 * context's font dictionary, and compares with it on the next call, so freeing a context and
 * making another (a second svg report in one process) reads freed memory inside Graphviz.
 * Made and used only under gv_lock (see above). */
static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER; /* held while Graphviz works */

static GVC_t *shared_context(const char **why)
{
	static GVC_t *gvc;
	static pk_sb syms[N_PLUGINS];
	static lt_symlist_t builtins[N_PLUGINS + 1];
	if (!gvc && !(gvc = context(builtins, syms, why)))
		for (int i = 0; i < N_PLUGINS; i++)
			pk_sb_free(&syms[i]);
	return gvc;
}

/* ---- pprof's touch-ups (massageSVG) -------------------------------------------------------- */
/* Pans on drag and zooms on the wheel by rewriting the transform of <g id="viewport">. */
static const char pan_zoom_script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "(function () {\n"
    "\tvar svg = document.documentElement, view = document.getElementById('viewport');\n"
    "\tif (!svg || !view || !svg.addEventListener) return;\n"
    "\tvar zoom = 0.5, dx = 0, dy = 0, grab = null;\n"
    "\tfunction show() {\n"
    "\t\tview.setAttribute('transform', 'translate(' + dx + ',' + dy + ') scale(' + zoom + ')');\n"
    "\t}\n"
    "\tfunction at(e) {\n"
    "\t\tvar box = svg.getBoundingClientRect();\n"
    "\t\treturn [e.clientX - box.left, e.clientY - box.top];\n"
    "\t}\n"
    "\tsvg.addEventListener('wheel', function (e) {\n"
    "\t\te.preventDefault();\n"
    "\t\tvar p = at(e), f = Math.exp(-Math.max(-100, Math.min(100, e.deltaY)) / 300);\n"
    "\t\tdx = p[0] - (p[0] - dx) * f;\n"
    "\t\tdy = p[1] - (p[1] - dy) * f;\n"
    "\t\tzoom *= f;\n"
    "\t\tshow();\n"
    "\t}, {passive: false});\n"
    "\tsvg.addEventListener('mousedown', function (e) {\n"
    "\t\tif (e.button === 0) { grab = at(e); e.preventDefault(); }\n"
    "\t});\n"
    "\twindow.addEventListener('mousemove', function (e) {\n"
    "\t\tif (!grab) return;\n"
    "\t\tvar p = at(e);\n"
    "\t\tdx += p[0] - grab[0];\n"
    "\t\tdy += p[1] - grab[1];\n"
    "\t\tgrab = p;\n"
    "\t\tshow();\n"
    "\t});\n"
    "\twindow.addEventListener('mouseup', function () { grab = null; });\n"
    "})();\n"
    "]]></script>";

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* `\s*NAME="[^"]+"` at s[i..n): the index after it, or 0. */
static size_t attr_at(const char *s, size_t n, size_t i, const char *name)
{
	size_t k = strlen(name);
	while (i < n && is_space(s[i]))
		i++;
	if (n - i < k + 2 || memcmp(s + i, name, k) != 0 || s[i + k] != '=' || s[i + k + 1] != '"')
		return 0;
	i += k + 2;
	size_t v = i;
	while (i < n && s[i] != '"')
		i++;
	if (i >= n || i == v)
		return 0;
	return i + 1;
}

/* First `<svg\s*width="..."\s*height="..."\s*viewBox="..."`: *b and *e bound it. */
static bool find_svg_head(const char *s, size_t n, size_t *b, size_t *e)
{
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "<svg", 4)); p++) {
		size_t i = (size_t)(p - s) + 4;
		if ((i = attr_at(s, n, i, "width")) && (i = attr_at(s, n, i, "height")) &&
		    (i = attr_at(s, n, i, "viewBox"))) {
			*b = (size_t)(p - s);
			*e = i;
			return true;
		}
	}
	return false;
}

/* First `<g id="graph\d"`. */
static bool find_graph_group(const char *s, size_t n, size_t *b)
{
	static const char pat[] = "<g id=\"graph";
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), pat, sizeof pat - 1)); p++) {
		size_t i = (size_t)(p - s) + sizeof pat - 1;
		if (i + 1 < n && s[i] >= '0' && s[i] <= '9' && s[i + 1] == '"') {
			*b = (size_t)(p - s);
			return true;
		}
	}
	return false;
}

/* massageSVG into out: dot's stray "&;" quoted, the picture sized to the window, and the graph
 * wrapped in a viewport group (at half size, as pprof starts) that the script moves. */
static void massage(pk_out *out, const char *svg, size_t n)
{
	pk_sb s = {0};
	for (size_t i = 0; i < n;) {
		const char *amp = memmem(svg + i, n - i, "&;", 2);
		size_t end = amp ? (size_t)(amp - svg) : n;
		pk_sb_bytes(&s, svg + i, end - i);
		if (!amp)
			break;
		pk_sb_cstr(&s, "&amp;;");
		i = end + 2;
	}
	if (s.oom) {
		out->status = PK_ENOMEM;
		pk_sb_free(&s);
		return;
	}
	const char *t = s.s ? s.s : "";
	size_t hb = 0, he = 0, gb = 0, close_at = 0;
	bool head = find_svg_head(t, s.n, &hb, &he);
	bool group = find_graph_group(t, s.n, &gb);
	const char *cl = memmem(t, s.n, "</svg>", 6);
	if (cl)
		close_at = (size_t)(cl - t);
	size_t pos = 0;
	/* The three edits in the order they appear (the head comes first in dot's output). */
	if (head) {
		pk_out_bytes(out, t, hb);
		pk_out_cstr(out, "<svg width=\"100%\" height=\"100%\"");
		pos = he;
	}
	if (group && gb >= pos) {
		pk_out_bytes(out, t + pos, gb - pos);
		pk_out_cstr(out, pan_zoom_script);
		pk_out_cstr(out, "<g id=\"viewport\" transform=\"scale(0.5,0.5) translate(0,0)\">");
		pos = gb;
	}
	if (cl && close_at >= pos) {
		pk_out_bytes(out, t + pos, close_at - pos);
		pk_out_cstr(out, "</g>");
		pos = close_at;
	}
	pk_out_bytes(out, t + pos, s.n - pos);
	pk_sb_free(&s);
}

/* ---- the report ---------------------------------------------------------------------------- */
static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb *sb = payload;
	pk_sb_bytes(sb, buf, len);
	return sb->oom ? PK_ENOMEM : PK_OK;
}

/* Length of the UTF-8 sequence at s (n bytes left) when it is valid and may appear in XML:
 * shortest form, not a surrogate, at most U+10FFFF, not U+FFFE/U+FFFF, and no C0 control but
 * tab, newline and carriage return. 0 otherwise. */
static size_t xml_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 1 : 0;
	size_t len = pk_utf8_decode((const char *)s, n, &cp);
	return len == 0 || cp == 0xfffe || cp == 0xffff ? 0 : len;
}

/* The DOT text as Graphviz gets it. Names are bytes, but agmemread stops at a NUL, Graphviz
 * copies into the SVG the control characters and the malformed UTF-8 it does not notice
 * (overlong forms, surrogates, code points past U+10FFFF), which XML forbids, and it reads
 * "&...;" in a name as an entity ("&#xD800;" would reach the SVG as it is). So: '&' becomes
 * "&amp;" (Graphviz shows it as '&'), a control character becomes U+FFFD, and a byte that does
 * not start a valid sequence is read as Latin-1, which is what Graphviz itself does with the
 * malformed bytes it notices. */
static void dot_for_graphviz(const pk_sb *in, pk_sb *out)
{
	const unsigned char *s = (const unsigned char *)in->s;
	size_t from = 0, i = 0;
	while (i < in->n) {
		size_t k = xml_utf8_len(s + i, in->n - i);
		if (k && s[i] != '&') {
			i += k;
			continue;
		}
		pk_sb_bytes(out, s + from, i - from);
		if (s[i] == '&') {
			pk_sb_cstr(out, "&amp;");
		} else if (s[i] < 0x80) {
			pk_sb_cstr(out, "\xef\xbf\xbd");
		} else {
			char two[2] = {(char)(0xc0 | s[i] >> 6), (char)(0x80 | (s[i] & 0x3f))};
			pk_sb_bytes(out, two, 2);
		}
		from = ++i;
	}
	pk_sb_bytes(out, s + from, in->n - from);
	pk_sb_bytes(out, "", 1); /* agmemread reads a C string */
}

/* Graphviz, pango, fontconfig and GLib abort or crash when an allocation or a thread creation
 * fails (g_error, unchecked mallocs), so under an address-space limit (ulimit -v) the report
 * fails before calling them unless this much can still be mapped: a fixed part for the font
 * machinery and a thread stack, and a part growing with the DOT text. The probe maps that much
 * address space without touching it and gives it back. */
#define GV_FIXED_BYTES ((size_t)256 << 20)
#define GV_BYTES_PER_DOT_BYTE 256

static bool room_for_graphviz(size_t dot_len, size_t *need)
{
	size_t per = dot_len > SIZE_MAX / 2 / GV_BYTES_PER_DOT_BYTE
	                 ? SIZE_MAX / 2
	                 : dot_len * GV_BYTES_PER_DOT_BYTE;
	*need = GV_FIXED_BYTES + per;
	void *p = mmap(NULL, *need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	munmap(p, *need);
	return true;
}

pk_status pk_report_svg(pk_rpt *r)
{
	pk_ctx *ctx = r->ctx;
	pk_sb raw_dot = {0}, dot = {0}, msgs = {0};
	pk_writer w = {sb_write, &raw_dot};
	pk_out o;
	pk_status st;
	GVC_t *gvc = NULL;
	Agraph_t *g = NULL;
	char *svg = NULL;
	unsigned int svg_len = 0;
	bool laid_out = false, locked = false;

	if (!pk_out_init(&o, &w))
		return pk_oom(ctx);
	st = pk_dot_compose(r, &o, true);
	pk_status fst = pk_out_finish(ctx, &o);
	if (st == PK_OK && fst != PK_OK)
		st = fst;
	if (st != PK_OK)
		goto done;
	dot_for_graphviz(&raw_dot, &dot);
	pk_sb_free(&raw_dot);
	if (dot.oom) {
		st = pk_oom(ctx);
		goto done;
	}

	/* Graphviz's layout cannot be interrupted: a report past its deadline (the web server's
	 * -http_timeout) stops before it. The layout itself is of at most -nodecount nodes (the
	 * server always draws the default 80): milliseconds. */
	if ((st = pk_cancel_check(ctx)) != PK_OK)
		goto done;
	size_t need;
	if (!room_for_graphviz(dot.n, &need)) {
		st = pk_fail(
		    ctx, PK_ENOMEM,
		    "svg: not enough memory for graphviz: it needs about %zu MiB of address "
		    "space, and its libraries abort instead of failing when they run out",
		    need >> 20);
		goto done;
	}
	/* Graphviz's state (the error callback, plugin caches, the shared context) is
	 * process-wide: one report at a time renders, whatever the thread. */
	pthread_mutex_lock(&gv_lock);
	locked = true;
	if ((st = pk_cancel_check(ctx)) != PK_OK) /* the wait for the lock may have taken long */
		goto done;
	pk_sb *saved_messages = gv_messages;
	gv_messages = &msgs;
	agusererrf saved_errf = agseterrf(collect_message);
	agreseterrors();
	const char *what = "graphviz: cannot create a context";
	if (!(gvc = shared_context(&what)))
		goto gv_failed;
	if (!(g = agmemread(dot.s))) {
		what = "graphviz: cannot read the DOT text: ";
		goto gv_failed;
	}
	if (gvLayout(gvc, g, "dot") != 0) {
		what = "graphviz: layout failed: ";
		goto gv_failed;
	}
	laid_out = true;
	if (gvRenderData(gvc, g, "svg", &svg, &svg_len) != 0 || !svg) {
		what = "graphviz: rendering svg failed: ";
		goto gv_failed;
	}
	what = NULL;
gv_failed:
	agseterrf(saved_errf);
	gv_messages = saved_messages;
	const char *err = sort_messages(ctx, &msgs);
	if (what) {
		size_t wl = strlen(what);
		bool detail = wl >= 2 && what[wl - 2] == ':';
		st = pk_fail(ctx, PK_EFORMAT, "%s%s", what,
		             detail ? (err ? err : "unknown error") : "");
		goto done;
	}
	massage(&r->out, svg, svg_len);
	st = PK_OK;
done:
	if (svg)
		gvFreeRenderData(svg);
	if (gvc && g && laid_out)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	if (locked)
		pthread_mutex_unlock(&gv_lock);
	/* The context stays (shared_context), and with it the plugins opened by hand, as Graphviz
	 * never unloads its own: the libraries they use (fontconfig, pango) keep caches. */
	pk_sb_free(&raw_dot);
	pk_sb_free(&dot);
	pk_sb_free(&msgs);
	return st;
}
