/* dot.c - the `dot` report: the trimmed call graph in Graphviz DOT, as go tool pprof -dot
 * writes it.
 * Mirrors internal/report/report.go (printDOT, GetDOT) and internal/graph/dotgraph.go
 * (ComposeDot and its builder: start, addLegend, addNode, addNodelets, numericNodelets,
 * collapsedTags, tagDistance, tagGroupLabel, addEdge, dotColor, multilinePrintableName,
 * escapeForDot); names are shortened by shorten.c.
 * Like pprof, only function names, tooltips and the legend are escaped; file and binary names
 * in labels, tag names and the title are written as they are (a '"' in them breaks the DOT
 * for pprof too). The svg report asks for strict text, where those are escaped as well.
 * Divergences: pow(x, 0.3) is computed as exp(0.3 * log(x)), the way Go's math.Pow does for
 * that exponent.
 * Where Go's unstable sort meets a genuine tie (two tags whose weights differ only in sign),
 * the order here is the names'. */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

enum { MAX_NODELETS = 4 }; /* dotgraph.go maxNodelets */

/* ---- DOT text ----------------------------------------------------------------------------- */
/* A control character (other than newline) or DEL: pprof writes it as it is, which graphviz
 * cannot take (a NUL ends its string, a CR is dropped or breaks the line). Here it is written
 * as the visible text \xNN (a DOT-escaped backslash, then x and two hex digits). */
static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\n') || c == 0x7f;
}

static void ctl(pk_out *o, unsigned char c)
{
	pk_out_fmt(o, "\\\\x%02x", c);
}

/* escapeForDot: backslash and quote escaped, newline made a left-justified line break (and
 * control characters made visible, see ctl). */
static void esc(pk_out *o, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = s[i] == '\\'   ? "\\\\"
		                  : s[i] == '"'  ? "\\\""
		                  : s[i] == '\n' ? "\\l"
		                                 : NULL;
		if (!rep && !is_ctl((unsigned char)s[i]))
			continue;
		pk_out_bytes(o, s + from, i - from);
		if (rep)
			pk_out_bytes(o, rep, 2);
		else
			ctl(o, (unsigned char)s[i]);
		from = i + 1;
	}
	pk_out_bytes(o, s + from, n - from);
}

/* Text as it is but for control characters. */
static void ctl_only(pk_out *o, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_ctl((unsigned char)s[i]))
			continue;
		pk_out_bytes(o, s + from, i - from);
		ctl(o, (unsigned char)s[i]);
		from = i + 1;
	}
	pk_out_bytes(o, s + from, n - from);
}

/* Text pprof writes as it is; strict escapes it. */
static void raw(pk_out *o, pk_str s, bool strict)
{
	if (strict)
		esc(o, s.s, s.n);
	else
		ctl_only(o, s.s, s.n);
}

/* A tag name: pprof joins labels with the two characters \n, meant as line breaks, and writes
 * it as it is; strict escapes quotes and every other backslash. */
static void tag_name(pk_out *o, pk_str s, bool strict)
{
	if (!strict) {
		ctl_only(o, s.s, s.n);
		return;
	}
	size_t from = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.s[i] == '\\' && i + 1 < s.n && s.s[i + 1] == 'n') {
			i++;
			continue;
		}
		if (s.s[i] != '\\' && s.s[i] != '"' && s.s[i] != '\n' &&
		    !is_ctl((unsigned char)s.s[i]))
			continue;
		pk_out_bytes(o, s.s + from, i - from);
		esc(o, s.s + i, 1);
		from = i + 1;
	}
	pk_out_bytes(o, s.s + from, s.n - from);
}

/* filepath.Base as pointer and length (a static "." or "/" for the corner cases). */
static pk_str base_name(pk_str f)
{
	size_t e = f.n, b;
	if (e == 0)
		return (pk_str){".", 1};
	while (e > 0 && f.s[e - 1] == '/')
		e--;
	if (e == 0)
		return (pk_str){"/", 1};
	b = e;
	while (b > 0 && f.s[b - 1] != '/')
		b--;
	return (pk_str){f.s + b, (uint32_t)(e - b)};
}

/* dotColor: grey at 0, red towards 1, green towards -1; light for backgrounds. */
static char *dot_color(char buf[8], double score, bool background)
{
	double saturation = background ? 0.1 : 1.0, value = background ? 0.93 : 0.7;
	/* math.Max(-1, math.Min(1, score)), where NaN stays NaN */
	if (!isnan(score))
		score = score > 1.0 ? 1.0 : score < -1.0 ? -1.0 : score;
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	/* math.Pow(score, 1-shift) with shift 0.7: Go folds 1-0.7 to exactly 0.3 and computes
	 * Exp(0.3 * Log(score)). */
	if (score > 0.0)
		score = exp(0.3 * log(score));
	if (score < 0.0)
		score = -exp(0.3 * log(-score));
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	/* uint8(f) on amd64 keeps the low byte of the int64 conversion */
	snprintf(buf, 8, "#%02x%02x%02x", (unsigned)(uint8_t)pk_go_f2i(r * 255.0),
	         (unsigned)(uint8_t)pk_go_f2i(g * 255.0), (unsigned)(uint8_t)pk_go_f2i(b * 255.0));
	return buf;
}

/* multilinePrintableName: the shortened, escaped function name split at "::" and ".", then
 * the file's base name, each part ending in a "\n" line break. tmp is scratch. */
static void multiline_name(pk_rpt *r, pk_out *o, const pk_ninfo *in, pk_sb *tmp, bool strict)
{
	const pk_profile *p = r->p;
	bool first = true, has_name = false;
	if (in->address) {
		pk_out_fmt(o, "%016" PRIx64, in->address);
		first = false;
	}
	pk_sb_reset(tmp);
	if (in->name) {
		pk_str nm = pk_s(p, in->name);
		pk_shorten_function_name(tmp, nm.s, nm.n);
	}
	if (tmp->oom)
		o->status = PK_ENOMEM;
	if (tmp->n > 0) {
		has_name = true;
		if (!first)
			pk_out_cstr(o, "\\n");
		first = false;
		/* Escaping only adds backslashes, so "::", "[...]" and "." can be looked for in
		 * the unescaped name. */
		const char *s = tmp->s;
		size_t from = 0, i = 0;
		while (i < tmp->n) {
			const char *rep = NULL;
			size_t len = 1;
			if (s[i] == ':' && i + 1 < tmp->n && s[i + 1] == ':')
				rep = "\\n", len = 2;
			else if (s[i] == '[' && tmp->n - i >= 5 && memcmp(s + i, "[...]", 5) == 0)
				rep = "[\xe2\x80\xa6]", len = 5;
			else if (s[i] == '.')
				rep = "\\n";
			if (!rep && (s[i] == '\\' || s[i] == '"' || s[i] == '\n' ||
			             is_ctl((unsigned char)s[i]))) {
				pk_out_bytes(o, s + from, i - from);
				esc(o, s + i, 1);
				from = ++i;
				continue;
			}
			if (!rep) {
				i++;
				continue;
			}
			pk_out_bytes(o, s + from, i - from);
			pk_out_cstr(o, rep);
			i += len;
			from = i;
		}
		pk_out_bytes(o, s + from, tmp->n - from);
	}
	const char *sep = first ? "" : "\\n";
	if (in->lineno != 0) {
		pk_out_cstr(o, sep);
		if (in->file)
			raw(o, base_name(pk_s(p, in->file)), strict);
		pk_out_fmt(o, ":%" PRId64, in->lineno);
	} else if (in->file) {
		pk_out_cstr(o, sep);
		raw(o, base_name(pk_s(p, in->file)), strict);
	} else if (has_name) {
	} else if (in->objfile) {
		pk_out_cstr(o, sep);
		pk_out_cstr(o, "[");
		raw(o, base_name(pk_s(p, in->objfile)), strict);
		pk_out_cstr(o, "]");
	} else {
		pk_out_cstr(o, sep);
		pk_out_cstr(o, "<unknown>");
	}
	pk_out_cstr(o, "\\n");
}

/* ---- nodelets ---------------------------------------------------------------------------- */
/* A tag as the nodelet code sees it: one of the graph's, or a collapsed group of them. */
typedef struct dtag {
	pk_str name;
	pk_sid sid; /* the graph tag's name, PK_NONE for a group */
	const char *unit;
	int64_t value;
	int64_t flat, flat_div, cum, cum_div;
} dtag;

static int64_t dtag_flat(const dtag *t)
{
	return t->flat_div == 0 ? t->flat : pk_wdiv(t->flat, t->flat_div);
}
static int64_t dtag_cum(const dtag *t)
{
	return t->cum_div == 0 ? t->cum : pk_wdiv(t->cum, t->cum_div);
}

/* SortTags: by |cum| (unless flat), |flat|, then name. */
static int dtag_cmp(const void *pa, const void *pb, void *arg)
{
	const dtag *a = pa, *b = pb;
	bool flat = *(const bool *)arg;
	if (!flat && a->cum != b->cum && pk_wabs(a->cum) != pk_wabs(b->cum))
		return pk_wabs(a->cum) > pk_wabs(b->cum) ? -1 : 1;
	if (a->flat != b->flat && pk_wabs(a->flat) != pk_wabs(b->flat))
		return pk_wabs(a->flat) > pk_wabs(b->flat) ? -1 : 1;
	return pk_str_cmp(a->name, b->name);
}

static void sort_tags(dtag *v, size_t n, bool flat)
{
	qsort_r(v, n, sizeof *v, dtag_cmp, &flat);
}

static dtag from_gtag(const pk_graph *g, const pk_gtag *t)
{
	dtag d = {pk_s(g->p, t->name),
	          t->name,
	          pk_s(g->p, t->unit).s,
	          t->value,
	          t->flat,
	          t->flat_div,
	          t->cum,
	          t->cum_div};
	return d;
}

/* tagDistance */
static double tag_distance(const dtag *t, const dtag *u)
{
	double v = pk_scale(u->value, u->unit, t->unit, NULL);
	return v < (double)t->value ? (double)t->value - v : v - (double)t->value;
}

typedef struct nodelet_ctx {
	pk_rpt *r;
	pk_out *o;
	pk_arena *scratch; /* group labels */
	bool oom;
	bool strict;
} nodelet_ctx;

/* tagGroupLabel: "min..max" of a group, with its summed weights. */
static dtag group_tag(nodelet_ctx *c, const dtag *const *g, size_t n)
{
	char a[128], b[128];
	dtag out = {{"", 0}, PK_NONE, "", 0, 0, 0, 0, 0};
	if (n == 1) {
		pk_scaled_label(a, sizeof a, g[0]->value, g[0]->unit, "auto");
		out.flat = dtag_flat(g[0]);
		out.cum = dtag_cum(g[0]);
	} else {
		const dtag *min = g[0], *max = g[0];
		int64_t df = min->flat_div, f = min->flat, dc = min->cum_div, cu = min->cum;
		for (size_t i = 1; i < n; i++) {
			const dtag *t = g[i];
			if (pk_go_f2i(pk_scale(t->value, t->unit, min->unit, NULL)) < min->value)
				min = t;
			if (pk_go_f2i(pk_scale(t->value, t->unit, max->unit, NULL)) > max->value)
				max = t;
			f = pk_wadd(f, t->flat);
			df = pk_wadd(df, t->flat_div);
			cu = pk_wadd(cu, t->cum);
			dc = pk_wadd(dc, t->cum_div);
		}
		if (df != 0)
			f = pk_wdiv(f, df);
		if (dc != 0)
			cu = pk_wdiv(cu, dc);
		size_t la = strlen(pk_scaled_label(a, sizeof a, min->value, min->unit, "auto"));
		snprintf(a + la, sizeof a - la, "..%s",
		         pk_scaled_label(b, sizeof b, max->value, max->unit, "auto"));
		out.flat = f;
		out.cum = cu;
	}
	char *name = pk_arena_strndup(c->scratch, a, strlen(a));
	if (!name)
		c->oom = true;
	out.name = (pk_str){name ? name : "", name ? (uint32_t)strlen(name) : 0};
	return out;
}

/* collapsedTags: more than count tags fold into count groups around the heaviest ones. The
 * result replaces ts[0..*n). */
static void collapse_tags(nodelet_ctx *c, dtag *ts, size_t *n, size_t count, bool flat)
{
	sort_tags(ts, *n, flat);
	if (*n <= count)
		return;
	size_t *group = pk_malloc(*n * sizeof *group);
	const dtag **members = pk_malloc(*n * sizeof *members);
	dtag out[MAX_NODELETS];
	if (!group || !members) {
		c->oom = true;
		goto done;
	}
	for (size_t i = 0; i < *n; i++) {
		size_t gi = i;
		if (i >= count) {
			double d = tag_distance(&ts[i], &ts[0]);
			gi = 0;
			for (size_t k = 1; k < count; k++) {
				double nd = tag_distance(&ts[i], &ts[k]);
				if (nd < d) {
					gi = k;
					d = nd;
				}
			}
		}
		group[i] = gi;
	}
	for (size_t k = 0; k < count; k++) {
		size_t m = 0;
		for (size_t i = 0; i < *n; i++)
			if (group[i] == k)
				members[m++] = &ts[i];
		out[k] = group_tag(c, members, m);
	}
	memcpy(ts, out, count * sizeof *ts);
	*n = count;
	sort_tags(ts, *n, flat);
done:
	pk_free(group);
	pk_free(members);
}

/* numericNodelets: the numeric tags of source, collapsed into at most MAX_NODELETS boxes;
 * returns whether it wrote any. */
static bool numeric_nodelets(nodelet_ctx *c, dtag *nts, size_t n, bool flat_tags,
                             const char *source)
{
	char weight[128];
	bool wrote = false;
	collapse_tags(c, nts, &n, MAX_NODELETS, flat_tags);
	for (size_t j = 0; j < n; j++) {
		const dtag *t = &nts[j];
		int64_t w = dtag_cum(t);
		const char *attr = " style=\"dotted\"";
		if (flat_tags || dtag_flat(t) == dtag_cum(t)) {
			w = dtag_flat(t);
			attr = "";
		}
		if (w == 0)
			continue;
		wrote = true;
		pk_rpt_format_value(c->r, weight, sizeof weight, w);
		pk_out_fmt(c->o, "N%s_%zu [label = \"", source, j);
		tag_name(c->o, t->name, c->strict);
		pk_out_fmt(c->o, "\" id=\"N%s_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n",
		           source, j, weight);
		pk_out_fmt(c->o,
		           "%s -> N%s_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
		           "labeltooltip=\"%s\"%s]\n",
		           source, source, j, weight, weight, weight, attr);
	}
	return wrote;
}

/* The numeric tags of node n in group (a label tag's name, or "" for none), in *out. */
static size_t numeric_group(const pk_graph *g, uint32_t n, pk_sid group, dtag *out)
{
	size_t k = 0;
	for (uint32_t t = g->node[n].tag_head; t != PK_NONE; t = g->tag[t].next) {
		const pk_gtag *tg = &g->tag[t];
		if (tg->numeric && !tg->removed && tg->group == group)
			out[k++] = from_gtag(g, tg);
	}
	return k;
}

static bool has_live_out(const pk_graph *g, uint32_t n)
{
	const pk_gnode *nd = &g->node[n];
	for (uint32_t j = 0; j < nd->n_out; j++)
		if (!g->edge[nd->out[j]].removed && g->edge[nd->out[j]].src == n)
			return true;
	return false;
}

/* addNodelets: returns whether anything was written. */
static bool add_nodelets(nodelet_ctx *c, pk_graph *g, uint32_t n, int id)
{
	size_t n_tags = 0, n_label = 0;
	for (uint32_t t = g->node[n].tag_head; t != PK_NONE; t = g->tag[t].next)
		n_tags++;
	if (n_tags == 0)
		return false;
	dtag *ts = pk_malloc(n_tags * sizeof *ts), *nts = pk_malloc(n_tags * sizeof *nts);
	bool wrote = false;
	if (!ts || !nts) {
		c->oom = true;
		goto done;
	}
	for (uint32_t t = g->node[n].tag_head; t != PK_NONE; t = g->tag[t].next) {
		const pk_gtag *tg = &g->tag[t];
		if (!tg->numeric && !tg->removed)
			ts[n_label++] = from_gtag(g, tg);
	}
	/* For leaves, cumulative tags (they include removed children); else flat ones. */
	bool flat_tags = has_live_out(g, n);
	sort_tags(ts, n_label, flat_tags);
	if (n_label > MAX_NODELETS)
		n_label = MAX_NODELETS;
	char weight[128], source[64];
	for (size_t i = 0; i < n_label; i++) {
		const dtag *t = &ts[i];
		int64_t w = flat_tags ? dtag_flat(t) : dtag_cum(t);
		if (w == 0)
			continue;
		wrote = true;
		pk_rpt_format_value(c->r, weight, sizeof weight, w);
		pk_out_fmt(c->o, "N%d_%zu [label = \"", id, i);
		tag_name(c->o, t->name, c->strict);
		pk_out_fmt(c->o, "\" id=\"N%d_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", id,
		           i, weight);
		pk_out_fmt(c->o,
		           "N%d -> N%d_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
		           "labeltooltip=\"%s\"]\n",
		           id, id, i, weight, weight, weight);
		size_t k = numeric_group(g, n, t->sid, nts);
		if (k > 0) {
			snprintf(source, sizeof source, "N%d_%zu", id, i);
			numeric_nodelets(c, nts, k, flat_tags, source);
		}
	}
	size_t k = numeric_group(g, n, 0, nts);
	if (k > 0) {
		snprintf(source, sizeof source, "N%d", id);
		if (numeric_nodelets(c, nts, k, flat_tags, source))
			wrote = true;
	}
done:
	pk_free(ts);
	pk_free(nts);
	return wrote;
}

/* ---- the graph ---------------------------------------------------------------------------- */
/* addNode */
static void add_node(pk_rpt *r, pk_out *o, pk_graph *g, uint32_t n, int id, double max_flat,
                     pk_sb *tmp, bool strict)
{
	const pk_gnode *nd = &g->node[n];
	int64_t flat = pk_node_flat(nd), cum = pk_node_cum(nd);
	char flat_value[128], cum_value[128], pct[32], fg[8], bg[8];
	pk_out_fmt(o, "N%d [label=\"", id);
	multiline_name(r, o, &nd->info, tmp, strict);
	pk_rpt_format_value(r, flat_value, sizeof flat_value, flat);
	if (flat != 0) {
		pk_percentage(pct, sizeof pct, flat, r->total);
		pk_out_fmt(o, "%s (%s)", flat_value, pct + strspn(pct, " "));
	} else {
		pk_out_cstr(o, "0");
	}
	const char *cum_shown = flat_value;
	if (cum != flat) {
		pk_out_cstr(o, flat != 0 ? "\\n" : " ");
		pk_rpt_format_value(r, cum_value, sizeof cum_value, cum);
		pk_percentage(pct, sizeof pct, cum, r->total);
		pk_out_fmt(o, "of %s (%s)", cum_value, pct + strspn(pct, " "));
		cum_shown = cum_value;
	}
	/* Font sizes from 8 to 24, growing with the square root of the flat share. */
	/* Go's int is 64 bits and int(NaN) is its minimum (sqrt of a negative share, when abs64
	 * wrapped at the minimum): pk_go_f2i, and a wrapping sum. */
	int64_t font = 8;
	double af = (double)pk_wabs(flat);
	if (max_flat != 0 && flat != 0 && af <= max_flat)
		font = (int64_t)((uint64_t)font +
		                 (uint64_t)pk_go_f2i(ceil(16.0 * sqrt(af / max_flat))));
	double score = (double)cum / (double)pk_wabs(r->total);
	pk_out_fmt(o, "\" id=\"node%d\" fontsize=%" PRId64 " shape=box tooltip=\"", id, font);
	pk_str name = pk_graph_node_name(g, n);
	esc(o, name.s, name.n);
	pk_out_fmt(o, " (%s)\" color=\"%s\" fillcolor=\"%s\"]\n", cum_shown,
	           dot_color(fg, score, false), dot_color(bg, score, true));
}

/* addEdge */
static void add_edge(pk_rpt *r, pk_out *o, pk_graph *g, const pk_gedge *e, int from, int to,
                     bool src_has_nodelets)
{
	char w[128], color[8];
	int64_t wv = pk_edge_weight(e), total = r->total;
	pk_rpt_format_value(r, w, sizeof w, wv);
	pk_out_fmt(o, "N%d -> N%d [label=\" %s%s\"", from, to, w, e->inl ? "\\n (inline)" : "");
	if (total != 0) {
		int64_t x = pk_wabs(pk_wdiv(pk_wmul(wv, 100), total));
		int64_t weight = 1 + (x < 100 ? x : 100);
		if (weight > 1)
			pk_out_fmt(o, " weight=%" PRId64, weight);
		x = pk_wabs(pk_wdiv(pk_wmul(wv, 5), total));
		int64_t width = 1 + (x < 5 ? x : 5);
		if (width > 1)
			pk_out_fmt(o, " penwidth=%" PRId64, width);
		pk_out_fmt(o, " color=\"%s\"",
		           dot_color(color, (double)wv / (double)pk_wabs(total), false));
	}
	pk_str src = pk_graph_node_name(g, e->src), dst = pk_graph_node_name(g, e->dst);
	for (int k = 0; k < 2; k++) {
		pk_out_cstr(o, k == 0 ? " tooltip=\"" : " labeltooltip=\"");
		esc(o, src.s, src.n);
		pk_out_cstr(o, e->residual ? " ... " : " -> ");
		esc(o, dst.s, dst.n);
		pk_out_fmt(o, " (%s)\"", w);
	}
	if (e->residual)
		pk_out_cstr(o, " style=\"dotted\"");
	if (src_has_nodelets)
		pk_out_cstr(o, " minlen=2");
	pk_out_cstr(o, "]\n");
}

/* The first legend line (labels[0]), which names the legend node: the header split at its
 * line ends, except that a comment may hold newlines of its own and is one label. */
static size_t first_label_len(const pk_rpt *r, const pk_sb *labels)
{
	const pk_profile *p = r->p;
	bool mapping_line =
	    p->n_mappings > 0 && (p->mappings[0].file != 0 || p->mappings[0].build_id != 0);
	if (!mapping_line) {
		for (uint32_t i = 0; i < p->n_comments; i++) {
			pk_str cm = pk_s(p, p->comments[i]);
			if (cm.n && cm.s[0] == '#')
				continue;
			if (labels->n >= cm.n && memcmp(labels->s, cm.s, cm.n) == 0)
				return cm.n;
			break;
		}
	}
	const char *nl = memchr(labels->s, '\n', labels->n);
	return nl ? (size_t)(nl - labels->s) : labels->n;
}

pk_status pk_dot_compose(pk_rpt *r, pk_out *o, bool strict)
{
	pk_graph *g = NULL;
	int orig = 0, dropped_nodes = 0, dropped_edges = 0;
	pk_status st = pk_rpt_trimmed_graph(r, &g, &orig, &dropped_nodes, &dropped_edges);
	if (st != PK_OK)
		return st;
	pk_rpt_select_output_unit(r, g);
	pk_sb labels = {0}, tmp = {0};
	int *ids = NULL;
	uint32_t *edges = NULL;
	bool *nodelets = NULL;
	nodelet_ctx nc = {r, o, pk_arena_new(), false, strict};
	pk_rpt_labels(r, g, orig, dropped_nodes, dropped_edges, true, &labels);
	if (labels.oom || !nc.scratch)
		goto oom;

	/* start: the title is the base name of the first mapping's file (reportOptions). */
	pk_str title = {"", 0};
	const pk_profile *p = r->p;
	if (p->n_mappings > 0 && p->mappings[0].file != 0)
		title = base_name(pk_s(p, p->mappings[0].file));
	pk_out_cstr(o, "digraph \"");
	if (title.n)
		raw(o, title, strict);
	else
		pk_out_cstr(o, "unnamed");
	pk_out_cstr(o, "\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n");

	/* addLegend: every label escaped, each ending in a left-justified line break. */
	size_t first = first_label_len(r, &labels);
	pk_out_cstr(o, "subgraph cluster_L { \"");
	esc(o, labels.s, first);
	pk_out_cstr(o, "\" [shape=box fontsize=16 label=\"");
	esc(o, labels.s, labels.n);
	pk_out_cstr(o, "\"");
	if (title.n) {
		pk_out_cstr(o, " tooltip=\"");
		raw(o, title, strict);
		pk_out_cstr(o, "\"");
	}
	pk_out_cstr(o, "] }\n");

	if (g->n_nodes > 0) {
		ids = pk_calloc(g->n_node_all, sizeof *ids);
		nodelets = pk_calloc(g->n_node_all, sizeof *nodelets);
		if (!ids || !nodelets)
			goto oom;
		double max_flat = (double)pk_wabs(pk_node_flat(&g->node[g->nodes[0]]));
		size_t n_edges = 0;
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			const pk_gnode *nd = &g->node[g->nodes[i]];
			ids[g->nodes[i]] = (int)i + 1;
			if ((double)pk_wabs(pk_node_flat(nd)) > max_flat)
				max_flat = (double)pk_wabs(pk_node_flat(nd));
			n_edges += nd->n_out;
		}
		edges = pk_malloc((n_edges ? n_edges : 1) * sizeof *edges);
		if (!edges)
			goto oom;
		n_edges = 0;
		for (uint32_t i = 0; i < g->n_nodes && o->status == PK_OK; i++) {
			uint32_t n = g->nodes[i];
			add_node(r, o, g, n, (int)i + 1, max_flat, &tmp, strict);
			nodelets[n] = add_nodelets(&nc, g, n, (int)i + 1);
			const pk_gnode *nd = &g->node[n];
			for (uint32_t j = 0; j < nd->n_out; j++) {
				const pk_gedge *e = &g->edge[nd->out[j]];
				if (!e->removed && e->src == n)
					edges[n_edges++] = nd->out[j];
			}
		}
		if (nc.oom || tmp.oom)
			goto oom;
		/* Heaviest edges first, as a hint to the layout. */
		pk_graph_sort_edge_list(g, edges, n_edges);
		for (size_t i = 0; i < n_edges && o->status == PK_OK; i++) {
			const pk_gedge *e = &g->edge[edges[i]];
			add_edge(r, o, g, e, ids[e->src], ids[e->dst], nodelets[e->src]);
		}
	}
	pk_out_cstr(o, "}\n");
	st = g->oom ? pk_oom(r->ctx) : PK_OK;
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	pk_free(ids);
	pk_free(edges);
	pk_free(nodelets);
	pk_arena_free(nc.scratch);
	pk_sb_free(&labels);
	pk_sb_free(&tmp);
	pk_graph_free(g);
	return st;
}

pk_status pk_report_dot(pk_rpt *r)
{
	return pk_dot_compose(r, &r->out, false);
}
