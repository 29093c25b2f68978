/* flame.c - the `flame` report (a self-contained interactive SVG flame graph) and the `folded`
 * report (Brendan Gregg's folded stacks), both from the profile the pipeline hands over, so
 * every sample, filter, granularity and tag-root option applies as it does to `traces`.
 *
 * The stacks are merged in one pass over the samples into a trie keyed by (parent, frame name):
 * each sample adds its value to the node of its whole stack only (the node's "self" value);
 * totals are summed afterwards child to parent, which needs no second pass since a child is
 * always created after its parent (a larger index). Frame names are the names `traces` prints
 * for each location line, interned once per location line; siblings are ordered by name
 * (byte order, as Go compares strings), through one sort of all nodes by (parent, name rank).
 *
 * Layout (FlameGraph's conventions): one row per depth, the root ("all") at the bottom, or at
 * the top with -icicle; a frame's offset and width in sample-value units are written as
 * inferno's fg:x and fg:w attributes; frames narrower than -flame_minwidth pixels are left out
 * with their subtrees and counted in the subtitle, which bounds the output.
 *
 * Differential graphs: when the profile holds base samples (labelled pprof::base=true, as
 * -diff_base makes them; `pprofkit flame` also asks for that labelling under -base), each node
 * keeps the base ("before") and the rest ("after") apart. The layout width of a node is its
 * "after" self value plus its children's layout widths, and a subtree that has no "after"
 * value keeps its "before" width, so what disappeared stays visible (-flame_width_from=old is
 * the mirror image; max takes the larger self value). Colour: red grew, blue shrank, the
 * intensity the change over the largest change of any frame.
 *
 * Deterministic: no hash order reaches the output, colours come from a fixed hash of the name.
 */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/flame.h"

#define ROW 16        /* pixels per depth */
#define MAX_ROWS 4096 /* rows drawn at most (65536 px): deeper frames are counted, not drawn */
#define FONT 12       /* font size */
#define CHAR_W 7.08   /* FONT * 0.59: the width FlameGraph assumes for one character */
#define PAD 10        /* left and right margin */
#define HEADER 70     /* title, subtitle, controls */
#define FOOTER 44     /* details line, legend */
#define NAME_SEED 0x666c616d65ULL

typedef struct fnode {
	uint32_t parent, name, depth;
	uint32_t last_kid; /* the child found or made last (PK_NONE: none): samples in a row
	                      often share it, and it saves a hash lookup */
	int64_t self_new, self_old; /* values of the samples whose stack ends here */
} fnode;

typedef struct ftree {
	pk_rpt *r;
	pk_arena *arena;
	pk_strtab names;
	uint32_t *rank;    /* by name id: its place in byte order */
	uint32_t *lname;   /* name id of location line: lname[loc_first[l] + j] */
	size_t *loc_first; /* n_locations + 1 */
	fnode *n;
	size_t n_nodes, cap;
	pk_hash h;
	bool diff;
	/* after build_totals */
	int64_t *tot_new, *tot_old, *lay; /* totals and layout widths, by node */
	uint32_t *first_kid, *next_sib;   /* children lists, unordered (PK_NONE ends them) */
} ftree;

typedef struct fkey {
	uint32_t parent, name;
} fkey;

static bool node_eq(const void *ctx, uint32_t idx, const void *key)
{
	const ftree *t = ctx;
	const fkey *k = key;
	return t->n[idx].parent == k->parent && t->n[idx].name == k->name;
}

/* The child of parent named name, created when missing; PK_NONE when out of memory. */
static uint32_t child(ftree *t, uint32_t parent, uint32_t name)
{
	uint32_t last = t->n[parent].last_kid;
	if (last != PK_NONE && t->n[last].name == name)
		return last;
	fkey k = {parent, name};
	uint64_t hv = pk_hash_mix(pk_hash_mix(NAME_SEED, parent), name);
	if (!pk_grow((void **)&t->n, &t->cap, t->n_nodes + 1, sizeof *t->n) ||
	    t->n_nodes >= PK_NONE - 1)
		return PK_NONE;
	bool found;
	uint32_t i = pk_hash_intern(&t->h, hv, node_eq, t, &k, (uint32_t)t->n_nodes, &found);
	if (i == PK_NONE)
		return i;
	if (!found) {
		t->n[i] = (fnode){parent, name, t->n[parent].depth + 1, PK_NONE, 0, 0};
		t->n_nodes++;
	}
	t->n[parent].last_kid = i;
	return i;
}

static const pk_strtab *rank_tab;
static int rank_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return pk_str_cmp(pk_strtab_get(rank_tab, x), pk_strtab_get(rank_tab, y));
}

/* Names of every location line, interned, and their byte order. */
static bool build_names(ftree *t)
{
	const pk_profile *p = t->r->p;
	pk_sb name = {0}, clean = {0};
	size_t total = 0;
	if (!(t->loc_first = pk_rpt_frame_index(p, &total)))
		return false;
	t->lname = pk_malloc((total ? total : 1) * sizeof *t->lname);
	if (!t->lname)
		return false;
	bool ok = true;
	for (uint32_t i = 0; i < p->n_locations && ok; i++) {
		const pk_location *l = &p->locations[i];
		uint32_t nl = l->n_lines ? l->n_lines : 1;
		for (uint32_t j = 0; j < nl && ok; j++) {
			pk_sb_reset(&name);
			pk_trace_frame_name(&name, &clean, p, l,
			                    l->n_lines ? &p->lines[l->line_start + j] : NULL);
			uint32_t id =
			    name.oom ? PK_NONE
			             : pk_strtab_intern(&t->names, name.s ? name.s : "", name.n);
			ok = id != PK_NONE && !clean.oom;
			t->lname[t->loc_first[i] + j] = id;
		}
	}
	pk_sb_free(&name);
	pk_sb_free(&clean);
	if (!ok)
		return false;
	uint32_t nn = t->names.n, *order = pk_malloc((size_t)nn * sizeof *order);
	t->rank = pk_malloc((size_t)nn * sizeof *t->rank);
	if (!order || !t->rank) {
		pk_free(order);
		return false;
	}
	for (uint32_t i = 0; i < nn; i++)
		order[i] = i;
	rank_tab = &t->names;
	qsort(order, nn, sizeof *order, rank_cmp);
	for (uint32_t i = 0; i < nn; i++)
		t->rank[order[i]] = i;
	pk_free(order);
	return true;
}

/* The value of sample s as `traces` prints it: the selected value, divided by the -mean
 * divisor. */
static int64_t sample_value(const pk_rpt *r, size_t s)
{
	const int64_t *v = pk_sample_values(r->p, s);
	int64_t val = v[r->value_index], d = r->mean ? v[0] : 0;
	if (d != 0)
		val = (val == INT64_MIN && d == -1) ? val : val / d;
	return val;
}

/* One pass over the samples. diff: base samples count as "before" (their negated values
 * negated back), the others as "after". */
static pk_status build(ftree *t, bool diff, bool reverse)
{
	pk_rpt *r = t->r;
	const pk_profile *p = r->p;
	t->arena = pk_arena_new();
	if (!t->arena || !pk_strtab_init(&t->names, t->arena, p->n_functions + 16) ||
	    !pk_hash_init(&t->h, 1024) || !build_names(t))
		return pk_oom(r->ctx);
	if (!pk_grow((void **)&t->n, &t->cap, 1, sizeof *t->n))
		return pk_oom(r->ctx);
	t->n[0] = (fnode){PK_NONE, 0, 0, PK_NONE, 0, 0};
	t->n_nodes = 1;
	t->diff = false;
	/* The previous sample's stack (frame names and nodes by depth): the prefix a sample
	 * shares with it is found without a lookup. */
	uint32_t *prev = NULL;
	size_t cap_prev = 0, n_prev = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		const pk_sample *sm = &p->samples[s];
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		uint32_t cur = 0;
		size_t depth = 0;
		bool same = true;
		pk_progress_items(r->ctx, "flame graph", s, p->n_samples);
		pk_status cs = pk_cancel_point(r->ctx, s);
		if (cs != PK_OK) {
			pk_free(prev);
			return cs;
		}
		for (uint32_t i = 0; i < sm->n_locs && cur != PK_NONE; i++) {
			uint32_t li = locs[reverse ? i : sm->n_locs - 1 - i];
			size_t a = t->loc_first[li], b = t->loc_first[li + 1];
			for (size_t k = 0; k < b - a && cur != PK_NONE; k++, depth++) {
				uint32_t nm = t->lname[reverse ? a + k : b - 1 - k];
				if (same && depth < n_prev && prev[2 * depth] == nm) {
					cur = prev[2 * depth + 1];
					continue;
				}
				same = false;
				cur = child(t, cur, nm);
				if (!pk_grow((void **)&prev, &cap_prev, 2 * depth + 2,
				             sizeof *prev)) {
					cur = PK_NONE;
					break;
				}
				prev[2 * depth] = nm;
				prev[2 * depth + 1] = cur;
			}
		}
		n_prev = depth;
		if (cur == PK_NONE) {
			pk_free(prev);
			return pk_oom(r->ctx);
		}
		int64_t v = sample_value(r, s);
		if (diff && pk_sample_is_diff_base(p, s)) {
			t->n[cur].self_old = pk_wsub(t->n[cur].self_old, v);
			t->diff = true;
		} else {
			t->n[cur].self_new = pk_wadd(t->n[cur].self_new, v);
		}
	}
	pk_free(prev);
	return PK_OK;
}

static bool has_base_samples(const pk_profile *p)
{
	for (size_t s = 0; s < p->n_samples; s++)
		if (pk_sample_is_diff_base(p, s))
			return true;
	return false;
}

/* A sample's place in its stack while the tree grows one depth at a time. */
typedef struct cursor {
	uint32_t s;    /* sample */
	uint32_t node; /* the node of its stack so far */
	uint32_t i, k; /* next frame: location i (root first, or leaf first), its line k */
} cursor;

/* The next frame name of c's stack; false at its end. */
static bool next_frame(const ftree *t, cursor *c, bool reverse, uint32_t *name)
{
	const pk_profile *p = t->r->p;
	const pk_sample *sm = &p->samples[c->s];
	const uint32_t *locs = p->sample_locs + sm->loc_start;
	for (; c->i < sm->n_locs; c->i++, c->k = 0) {
		uint32_t li = locs[reverse ? c->i : sm->n_locs - 1 - c->i];
		size_t a = t->loc_first[li], b = t->loc_first[li + 1];
		if (c->k < b - a) {
			*name = t->lname[reverse ? a + c->k : b - 1 - c->k];
			c->k++;
			return true;
		}
	}
	return false;
}

/* The tree of a profile without base samples, grown one depth at a time with only the
 * samples whose frame so far is wide enough to be drawn: a frame narrower than minwidth gets
 * its exact value but no children, so the work and memory follow what is drawn (a profile of
 * millions of distinct deep stacks has a few thousand drawable frames). self_new ends as
 * each node's value less its children's, as build gives it, for build_totals. */
static pk_status build_pruned(ftree *t, bool reverse, double width, double minwidth)
{
	pk_rpt *r = t->r;
	const pk_profile *p = r->p;
	cursor *alive = NULL;
	size_t n_alive = 0;
	t->arena = pk_arena_new();
	if (!t->arena || !pk_strtab_init(&t->names, t->arena, p->n_functions + 16) ||
	    !pk_hash_init(&t->h, 1024) || !build_names(t) ||
	    !pk_grow((void **)&t->n, &t->cap, 1, sizeof *t->n))
		return pk_oom(r->ctx);
	t->diff = false;
	int64_t total = 0;
	if (p->n_samples > UINT32_MAX)
		return pk_fail(r->ctx, PK_ELIMIT, "flame: more than 2^32 samples");
	alive = pk_malloc((p->n_samples ? p->n_samples : 1) * sizeof *alive);
	if (!alive)
		return pk_oom(r->ctx);
	for (size_t s = 0; s < p->n_samples; s++) {
		total = pk_wadd(total, sample_value(r, s));
		alive[n_alive++] = (cursor){(uint32_t)s, 0, 0, 0};
	}
	t->n[0] = (fnode){PK_NONE, 0, 0, PK_NONE, total, 0};
	t->n_nodes = 1;
	double scale = total > 0 ? width / (double)total : 0;
	while (n_alive > 0) {
		size_t level = t->n_nodes, kept = 0;
		for (size_t j = 0; j < n_alive; j++) {
			cursor *c = &alive[j];
			uint32_t name;
			pk_status cs = pk_cancel_point(r->ctx, j);
			if (cs != PK_OK) {
				pk_free(alive);
				return cs;
			}
			if (!next_frame(t, c, reverse, &name)) {
				c->node = PK_NONE; /* its stack ends here */
				continue;
			}
			uint32_t ch = child(t, c->node, name);
			if (ch == PK_NONE) {
				pk_free(alive);
				return pk_oom(r->ctx);
			}
			t->n[ch].self_new = pk_wadd(t->n[ch].self_new, sample_value(r, c->s));
			c->node = ch;
		}
		/* samples go on only through the frames that will be drawn */
		for (size_t j = 0; j < n_alive; j++) {
			uint32_t nd = alive[j].node;
			if (nd != PK_NONE && nd >= level && t->n[nd].self_new > 0 &&
			    (double)t->n[nd].self_new * scale >= minwidth)
				alive[kept++] = alive[j];
		}
		n_alive = kept;
	}
	pk_free(alive);
	/* in creation order: a node's own value is still whole when it is taken from its
	 * parent's, as its children all come after it */
	for (size_t i = 1; i < t->n_nodes; i++)
		t->n[t->n[i].parent].self_new =
		    pk_wsub(t->n[t->n[i].parent].self_new, t->n[i].self_new);
	return PK_OK;
}

/* Siblings by name: qsort_r's argument is the tree. */
static int kid_cmp(const void *a, const void *b, void *tree)
{
	const ftree *t = tree;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t rx = t->rank[t->n[x].name], ry = t->rank[t->n[y].name];
	return rx < ry ? -1 : rx > ry;
}

/* Totals, layout widths and the child lists (sorted only where drawn, by place). from:
 * 'n'ew, 'o'ld or 'm'ax. */
static pk_status build_totals(ftree *t, char from)
{
	size_t n = t->n_nodes;
	/* No node is added once the tree is built: its table goes before the totals come (on a
	 * diff of big profiles, tens of millions of nodes: hundreds of MB). */
	pk_hash_destroy(&t->h);
	t->tot_new = pk_calloc(n, sizeof *t->tot_new);
	t->tot_old = pk_calloc(n, sizeof *t->tot_old);
	t->lay = pk_calloc(n, sizeof *t->lay);
	t->first_kid = pk_malloc(n * sizeof *t->first_kid);
	t->next_sib = pk_malloc(n * sizeof *t->next_sib);
	if (!t->tot_new || !t->tot_old || !t->lay || !t->first_kid || !t->next_sib)
		return pk_oom(t->r->ctx);
	memset(t->first_kid, 0xff, n * sizeof *t->first_kid); /* PK_NONE */
	for (size_t i = n; i-- > 0;) {
		const fnode *f = &t->n[i];
		int64_t nv = pk_wadd(t->tot_new[i], f->self_new);
		int64_t ov = pk_wadd(t->tot_old[i], f->self_old);
		int64_t kids_lay = t->lay[i]; /* the children's layout widths, summed so far */
		int64_t lay;
		t->tot_new[i] = nv;
		t->tot_old[i] = ov;
		if (!t->diff || from == 'n')
			lay = nv != 0 || !t->diff ? pk_wadd(f->self_new, kids_lay) : ov;
		else if (from == 'o')
			lay = ov != 0 ? pk_wadd(f->self_old, kids_lay) : nv;
		else
			lay = pk_wadd(f->self_new > f->self_old ? f->self_new : f->self_old,
			              kids_lay);
		t->lay[i] = lay;
		if (i > 0) {
			uint32_t pa = f->parent;
			t->tot_new[pa] = pk_wadd(t->tot_new[pa], nv);
			t->tot_old[pa] = pk_wadd(t->tot_old[pa], ov);
			t->lay[pa] = pk_wadd(t->lay[pa], lay);
			t->next_sib[i] = t->first_kid[pa];
			t->first_kid[pa] = (uint32_t)i;
		}
	}
	t->next_sib[0] = PK_NONE;
	return PK_OK;
}

static void ftree_free(ftree *t)
{
	pk_hash_destroy(&t->h);
	if (t->names.v)
		pk_strtab_destroy(&t->names);
	pk_arena_free(t->arena);
	pk_free(t->rank);
	pk_free(t->lname);
	pk_free(t->loc_first);
	pk_free(t->n);
	pk_free(t->tot_new);
	pk_free(t->tot_old);
	pk_free(t->lay);
	pk_free(t->first_kid);
	pk_free(t->next_sib);
}

/* ---- folded ----------------------------------------------------------------------------- */

/* A name as a folded frame: ';' (the separator) is written ':', a line break ' '. */
static void folded_name(pk_sb *sb, pk_str s)
{
	size_t start = sb->n;
	pk_sb_bytes(sb, s.s, s.n);
	if (sb->oom)
		return;
	for (size_t i = start; i < sb->n; i++) {
		if (sb->s[i] == ';')
			sb->s[i] = ':';
		else if (sb->s[i] == '\n' || sb->s[i] == '\r')
			sb->s[i] = ' ';
	}
}

/* A value of the folded format: the sample unit's integer, or scaled to -unit / -divide_by
 * with at most six decimals, trailing zeros dropped. */
static void folded_value(const pk_rpt *r, pk_sb *sb, int64_t v)
{
	const char *u = r->output_unit;
	bool scale = u && *u && strcmp(u, "minimum") != 0 && strcmp(u, "auto") != 0;
	if (!scale && (r->ratio == 1 || r->ratio <= 0)) {
		pk_sb_fmt(sb, "%" PRId64, v);
		return;
	}
	double x = scale ? pk_scale(v, r->sample_unit, u, NULL) : (double)v;
	if (r->ratio > 0)
		x *= r->ratio;
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%.6f", x);
	if (n <= 0 || (size_t)n >= sizeof buf) {
		pk_sb_cstr(sb, "0");
		return;
	}
	while (n > 1 && buf[n - 1] == '0')
		n--;
	if (buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	pk_sb_cstr(sb, strcmp(buf, "-0") == 0 ? "0" : buf);
}

pk_status pk_report_folded(pk_rpt *r)
{
	ftree t = {0};
	pk_sb text = {0};
	pk_span *lines = NULL;
	size_t n_lines = 0, cap_lines = 0;
	uint32_t *path = NULL;
	size_t cap_path = 0;
	t.r = r;
	pk_status st = build(&t, false, r->opt->flame_reverse);
	if (st != PK_OK)
		goto done;
	for (size_t i = 1; i < t.n_nodes; i++) {
		if (t.n[i].self_new == 0)
			continue;
		uint32_t d = t.n[i].depth;
		if (!pk_grow((void **)&path, &cap_path, d, sizeof *path) ||
		    !pk_grow((void **)&lines, &cap_lines, n_lines + 1, sizeof *lines))
			goto oom;
		uint32_t c = (uint32_t)i;
		for (uint32_t k = d; k-- > 0; c = t.n[c].parent)
			path[k] = c;
		pk_span sp = {text.n, 0};
		for (uint32_t k = 0; k < d; k++) {
			if (k)
				pk_sb_bytes(&text, ";", 1);
			folded_name(&text, pk_strtab_get(&t.names, t.n[path[k]].name));
		}
		pk_sb_bytes(&text, " ", 1);
		folded_value(r, &text, t.n[i].self_new);
		if (text.oom)
			goto oom;
		sp.len = text.n - sp.off;
		lines[n_lines++] = sp;
	}
	if (n_lines)
		qsort_r(lines, n_lines, sizeof *lines, pk_span_cmp, text.s);
	for (size_t i = 0; i < n_lines; i++) {
		pk_out_bytes(&r->out, text.s + lines[i].off, lines[i].len);
		pk_out_bytes(&r->out, "\n", 1);
	}
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	ftree_free(&t);
	pk_sb_free(&text);
	pk_free(lines);
	pk_free(path);
	return st;
}

/* ---- flame ------------------------------------------------------------------------------ */

/* XML text of s: markup escaped, control characters and invalid UTF-8 as U+FFFD (XML 1.0
 * cannot hold them). At most max_runes runes (SIZE_MAX: all). */
static void xml_text(pk_out *o, const char *s, size_t n, size_t max_runes)
{
	size_t runes = 0;
	for (size_t i = 0; i < n && runes < max_runes; runes++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			if (c == '&')
				pk_out_cstr(o, "&amp;");
			else if (c == '<')
				pk_out_cstr(o, "&lt;");
			else if (c == '>')
				pk_out_cstr(o, "&gt;");
			else if (c == '"')
				pk_out_cstr(o, "&quot;");
			else if (c < 0x20 || c == 0x7f)
				pk_out_cstr(o, "\xef\xbf\xbd");
			else
				pk_out_bytes(o, &c, 1);
			continue;
		}
		uint32_t rune;
		size_t len = pk_utf8_decode(s + i, n - i, &rune);
		if (len && rune != 0xfffe && rune != 0xffff) { /* valid, and allowed in XML */
			pk_out_bytes(o, s + i, len);
			i += len;
		} else {
			pk_out_cstr(o, "\xef\xbf\xbd");
			i++;
		}
	}
}

/* The prefix that names a frame's package: a C++ namespace (before the first "::"), a Go
 * package path (up to the first '.' after the last '/'), a Java class (the dotted prefix up to
 * the first segment that starts with a capital letter), else the part before the first '.'. */
static pk_str package_of(pk_str s)
{
	size_t n = s.n;
	for (size_t i = 0; i < n; i++)
		if (s.s[i] == '(' && i > 0) { /* arguments and receivers do not count */
			if (i + 1 < n && s.s[i + 1] == '*')
				break;
			n = i;
			break;
		}
	for (size_t i = 0; i + 1 < n; i++)
		if (s.s[i] == ':' && s.s[i + 1] == ':')
			return (pk_str){s.s, (uint32_t)i};
	size_t slash = 0;
	for (size_t i = 0; i < n; i++)
		if (s.s[i] == '/')
			slash = i + 1;
	if (slash) {
		for (size_t i = slash; i < n; i++)
			if (s.s[i] == '.')
				return (pk_str){s.s, (uint32_t)i};
		return (pk_str){s.s, (uint32_t)n};
	}
	size_t first_dot = n;
	for (size_t i = 0; i < n; i++)
		if (s.s[i] == '.') {
			first_dot = i;
			break;
		}
	/* Java: lower-case package segments, then a capitalised class segment that is not the
	 * last one (the method). */
	for (size_t i = first_dot; i < n; i++) {
		if (s.s[i] != '.' || i + 1 >= n)
			continue;
		char c = s.s[i + 1];
		if (c >= 'A' && c <= 'Z') {
			size_t e = i + 1;
			while (e < n && s.s[e] != '.')
				e++;
			if (e < n)
				return (pk_str){s.s, (uint32_t)e};
			break;
		}
		if (!(c >= 'a' && c <= 'z'))
			break;
	}
	return (pk_str){s.s, (uint32_t)first_dot};
}

typedef struct rgb {
	int r, g, b;
} rgb;

static rgb hsl(double h, double s, double l)
{
	double c = (1 - fabs(2 * l - 1)) * s, hp = h / 60, x = c * (1 - fabs(fmod(hp, 2) - 1));
	double r = 0, g = 0, b = 0, m = l - c / 2;
	if (hp < 1)
		r = c, g = x;
	else if (hp < 2)
		r = x, g = c;
	else if (hp < 3)
		g = c, b = x;
	else if (hp < 4)
		g = x, b = c;
	else if (hp < 5)
		r = x, b = c;
	else
		r = c, b = x;
	return (rgb){(int)lround((r + m) * 255), (int)lround((g + m) * 255),
	             (int)lround((b + m) * 255)};
}

static rgb palette_color(char pal, pk_str name)
{
	uint64_t h = pk_hash_bytes_fixed(name.s, name.n, NAME_SEED);
	double v1 = (double)(h & 0xff) / 255, v2 = (double)((h >> 8) & 0xff) / 255,
	       v3 = (double)((h >> 16) & 0xff) / 255;
	switch (pal) {
	case 'm':
		return (rgb){0, 190 + (int)(50 * v2), (int)(210 * v1)};
	case 'i': {
		int x = 80 + (int)(60 * v1);
		return (rgb){x, x, 190 + (int)(55 * v2)};
	}
	case 'p': {
		pk_str pkg = package_of(name);
		uint64_t ph = pk_hash_bytes_fixed(pkg.s, pkg.n, NAME_SEED);
		return hsl((double)(ph % 360), 0.6, 0.55 + 0.1 * v1);
	}
	default:
		return (rgb){205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2)};
	}
}

static rgb diff_color(int64_t delta, double max_abs)
{
	if (delta == 0 || max_abs <= 0)
		return (rgb){225, 225, 225};
	double f = fabs((double)delta) / max_abs;
	int c = 225 - (int)lround(190 * (f > 1 ? 1 : f));
	return delta > 0 ? (rgb){255, c, c} : (rgb){c, c, 255};
}

typedef struct placed {
	uint32_t node;
	int64_t x; /* fg:x */
} placed;

typedef struct flame {
	pk_rpt *r;
	ftree t;
	placed *v;
	size_t n, cap;
	size_t omitted;  /* frames with a width left out, whose caller is drawn */
	size_t too_deep; /* frames wide enough but past MAX_ROWS, whose caller is drawn */
	uint32_t max_depth;
	double scale; /* pixels per value unit */
	double width; /* of the frames area */
} flame;

/* Which frames are drawn, with their offsets: depth first from the root, children in name
 * order, a frame narrower than minwidth left out with everything above it. */
static pk_status place(flame *f, double minwidth)
{
	ftree *t = &f->t;
	placed *stack = NULL;
	size_t sn = 0, scap = 0, kcap = 0;
	uint32_t *kids = NULL;
	if (t->lay[0] <= 0)
		return PK_OK;
	if (!pk_grow((void **)&stack, &scap, 1, sizeof *stack))
		return pk_oom(f->r->ctx);
	stack[sn++] = (placed){0, 0};
	while (sn > 0) {
		placed c = stack[--sn];
		if (!pk_grow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v))
			goto oom;
		f->v[f->n++] = c;
		if (t->n[c.node].depth > f->max_depth)
			f->max_depth = t->n[c.node].depth;
		/* its children that have a width, in name order */
		size_t kn = 0;
		for (uint32_t ch = t->first_kid[c.node]; ch != PK_NONE; ch = t->next_sib[ch]) {
			if (t->lay[ch] <= 0)
				continue;
			if (!pk_grow((void **)&kids, &kcap, kn + 1, sizeof *kids))
				goto oom;
			kids[kn++] = ch;
		}
		qsort_r(kids, kn, sizeof *kids, kid_cmp, t);
		if (!pk_grow((void **)&stack, &scap, sn + kn, sizeof *stack))
			goto oom;
		/* offsets left to right; pushed right to left so the leftmost pops first */
		int64_t x = c.x;
		size_t base = sn;
		for (size_t k = 0; k < kn; k++) {
			int64_t w = t->lay[kids[k]];
			if ((double)w * f->scale < minwidth)
				f->omitted++;
			else if (t->n[kids[k]].depth >= MAX_ROWS)
				f->too_deep++;
			else
				stack[sn++] = (placed){kids[k], x};
			x = pk_wadd(x, w);
		}
		for (size_t a = base, b = sn; b > a + 1; a++, b--) {
			placed tmp = stack[a];
			stack[a] = stack[b - 1];
			stack[b - 1] = tmp;
		}
	}
	pk_free(stack);
	pk_free(kids);
	return PK_OK;
oom:
	pk_free(stack);
	pk_free(kids);
	return pk_oom(f->r->ctx);
}

static const char style[] = "<style type=\"text/css\">\n"
                            "text{font-family:Verdana,sans-serif;font-size:12px;fill:rgb(0,0,0)}\n"
                            "#title{text-anchor:middle;font-size:17px}\n"
                            "#subtitle{text-anchor:middle;fill:rgb(80,80,80)}\n"
                            "#matched{text-anchor:end}\n"
                            ".f{cursor:pointer}\n"
                            ".f:hover rect{stroke:rgb(0,0,0);stroke-width:0.5}\n"
                            ".f text{pointer-events:none}\n"
                            ".anc{opacity:0.6}\n"
                            ".hidden{display:none}\n"
                            "#unzoom{cursor:pointer}\n"
                            "#unzoom.off{opacity:0.3;cursor:default}\n"
                            "</style>\n";

/* The script: our own, no dependency. Frames are read back from their fg:x/fg:w attributes. */
static const char script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "\"use strict\";\n"
    "(function () {\n"
    "var root = document.getElementById(\"frames\");\n"
    "var X0 = +root.getAttribute(\"data-x\"), W = +root.getAttribute(\"data-width\");\n"
    "var total = +root.getAttribute(\"data-total\");\n"
    "var details = document.getElementById(\"details\");\n"
    "var matched = document.getElementById(\"matched\");\n"
    "var unzoom = document.getElementById(\"unzoom\");\n"
    "var input = document.getElementById(\"search\");\n"
    "var frames = [], zoomed = null, CW = 7.08;\n"
    "function label(name, w) {\n"
    "  var fit = Math.floor((w - 6) / CW), cs = Array.from(name);\n"
    "  if (fit < 3) return \"\";\n"
    "  return cs.length <= fit ? name : cs.slice(0, fit - 2).join(\"\") + \"..\";\n"
    "}\n"
    "function draw(f, px, pw) {\n"
    "  f.r.setAttribute(\"x\", px.toFixed(2));\n"
    "  f.r.setAttribute(\"width\", pw.toFixed(2));\n"
    "  f.t.setAttribute(\"x\", (px + 3).toFixed(2));\n"
    "  f.t.textContent = label(f.name, pw);\n"
    "}\n"
    "function layout() {\n"
    "  var zx = 0, zw = total, zd = 0;\n"
    "  if (zoomed) { zx = zoomed.x; zw = zoomed.w; zd = zoomed.d; }\n"
    "  frames.forEach(function (f) {\n"
    "    f.g.classList.remove(\"hidden\");\n"
    "    f.g.classList.remove(\"anc\");\n"
    "    if (zoomed && f.d < zd && f.x <= zx && f.x + f.w >= zx + zw) {\n"
    "      f.g.classList.add(\"anc\");\n"
    "      draw(f, X0, W);\n"
    "    } else if (zoomed && (f.d < zd || f.x < zx || f.x + f.w > zx + zw)) {\n"
    "      f.g.classList.add(\"hidden\");\n"
    "    } else {\n"
    "      draw(f, X0 + (f.x - zx) / zw * W, f.w / zw * W);\n"
    "    }\n"
    "  });\n"
    "  unzoom.setAttribute(\"class\", zoomed ? \"\" : \"off\");\n"
    "}\n"
    "function search() {\n"
    "  var re = null, hits = [];\n"
    "  if (input.value !== \"\") {\n"
    "    try { re = new RegExp(input.value); } catch (e) {\n"
    "      matched.textContent = \"bad expression\"; return; }\n"
    "  }\n"
    "  frames.forEach(function (f) {\n"
    "    var hit = re !== null && re.test(f.name);\n"
    "    f.r.setAttribute(\"fill\", hit ? \"rgb(230,0,230)\" : f.fill);\n"
    "    if (hit) hits.push(f);\n"
    "  });\n"
    "  if (re === null) { matched.textContent = \"\"; return; }\n"
    "  hits.sort(function (a, b) { return a.x - b.x || b.w - a.w; });\n"
    "  var sum = 0, end = -Infinity;\n"
    "  hits.forEach(function (f) {\n"
    "    if (f.x >= end) { sum += f.w; end = f.x + f.w; }\n"
    "    else if (f.x + f.w > end) { sum += f.x + f.w - end; end = f.x + f.w; }\n"
    "  });\n"
    "  matched.textContent = \"Matched: \" + (total > 0 ? 100 * sum / total : 0).toFixed(2) + "
    "\"%\";\n"
    "}\n"
    "Array.prototype.forEach.call(root.getElementsByTagName(\"g\"), function (g) {\n"
    "  var r = g.getElementsByTagName(\"rect\")[0], t = g.getElementsByTagName(\"text\")[0];\n"
    "  var title = g.getElementsByTagName(\"title\")[0].textContent.split(\"\\n\");\n"
    "  var f = {g: g, r: r, t: t, x: +r.getAttribute(\"fg:x\"), w: +r.getAttribute(\"fg:w\"),\n"
    "    d: +g.getAttribute(\"data-d\"), name: title[0], info: title.join(\", \"),\n"
    "    fill: r.getAttribute(\"fill\")};\n"
    "  frames.push(f);\n"
    "  g.addEventListener(\"click\", function () { zoomed = f.d === 0 ? null : f; layout(); });\n"
    "  g.addEventListener(\"mouseover\", function () { details.textContent = f.info; });\n"
    "  g.addEventListener(\"mouseout\", function () { details.textContent = \" \"; });\n"
    "});\n"
    "unzoom.addEventListener(\"click\", function () { zoomed = null; layout(); });\n"
    "input.addEventListener(\"input\", search);\n"
    "document.addEventListener(\"keydown\", function (e) {\n"
    "  if ((e.ctrlKey || e.metaKey) && (e.key === \"f\" || e.key === \"F\")) {\n"
    "    e.preventDefault(); input.focus(); input.select();\n"
    "  } else if (e.key === \"Escape\") { zoomed = null; layout(); }\n"
    "});\n"
    "layout();\n"
    "})();\n"
    "]]></script>\n";

static void out_value(pk_rpt *r, const char *prefix, int64_t v)
{
	char buf[128];
	pk_rpt_format_value(r, buf, sizeof buf, v);
	pk_out_cstr(&r->out, prefix);
	xml_text(&r->out, buf, strlen(buf), SIZE_MAX);
}

static void out_percent(pk_rpt *r, int64_t v, int64_t total)
{
	char buf[32];
	pk_percentage(buf, sizeof buf, v, total);
	const char *s = buf;
	while (*s == ' ')
		s++;
	pk_out_cstr(&r->out, s);
}

/* The tooltip lines after the name. */
static void tooltip(flame *f, uint32_t i)
{
	pk_rpt *r = f->r;
	const ftree *t = &f->t;
	if (!t->diff) {
		out_value(r, "\n", t->tot_new[i]);
		pk_out_cstr(&r->out, " (");
		out_percent(r, t->tot_new[i], r->total);
		pk_out_cstr(&r->out, ")");
		return;
	}
	int64_t o = t->tot_old[i], n = t->tot_new[i], d = pk_wsub(n, o);
	out_value(r, "\nbefore: ", o);
	out_value(r, "\nafter: ", n);
	out_value(r, d > 0 ? "\ndelta: +" : "\ndelta: ", d);
	if (o != 0)
		pk_out_fmt(&r->out, " (%+.2f%%)", 100.0 * (double)d / fabs((double)o));
	else
		pk_out_cstr(&r->out, " (new)");
}

static void subtitle(flame *f, size_t omitted, double minwidth)
{
	pk_rpt *r = f->r;
	const pk_profile *p = r->p;
	pk_out *o = &r->out;
	pk_str pt = pk_s(p, p->period_type.type), pu = pk_s(p, p->period_type.unit);
	pk_out_cstr(o, "Type: ");
	xml_text(o, r->sample_type.s, r->sample_type.n, SIZE_MAX);
	pk_out_cstr(o, " (");
	xml_text(o, r->sample_unit, strlen(r->sample_unit), SIZE_MAX);
	pk_out_cstr(o, ")");
	if (pt.n) {
		pk_out_cstr(o, ", profile: ");
		xml_text(o, pt.s, pt.n, SIZE_MAX);
		if (pu.n) {
			pk_out_cstr(o, "/");
			xml_text(o, pu.s, pu.n, SIZE_MAX);
		}
	}
	if (f->t.diff) {
		out_value(r, ", before: ", f->t.tot_old[0]);
		out_value(r, ", after: ", f->t.tot_new[0]);
	} else {
		out_value(r, ", total: ", f->t.tot_new[0]);
		if (f->t.tot_new[0] != r->total) {
			pk_out_cstr(o, " (");
			out_percent(r, f->t.tot_new[0], r->total);
			out_value(r, " of ", r->total);
			pk_out_cstr(o, ")");
		}
	}
	const char *flt = r->filters.s;
	for (int i = 0; i < r->n_filters; i++) {
		size_t n = strlen(flt);
		pk_out_cstr(o, i == 0 ? ", filters: " : " ");
		xml_text(o, flt, n, SIZE_MAX);
		flt += n + 1;
	}
	if (r->opt->prune_from && *r->opt->prune_from) {
		pk_out_cstr(o, r->n_filters ? " " : ", filters: ");
		pk_out_cstr(o, "prune_from=");
		xml_text(o, r->opt->prune_from, strlen(r->opt->prune_from), SIZE_MAX);
	}
	if (r->opt->flame_reverse)
		pk_out_cstr(o, ", reversed (merged from the leaf)");
	if (omitted)
		pk_out_fmt(o, ", %zu frame%s narrower than %g px not shown", omitted,
		           omitted == 1 ? "" : "s", minwidth);
	if (f->too_deep)
		pk_out_fmt(o, ", stacks cut at %d frames (%zu deeper frame%s not shown)",
		           MAX_ROWS - 1, f->too_deep, f->too_deep == 1 ? "" : "s");
}

pk_status pk_report_flame(pk_rpt *r)
{
	const pk_options *opt = r->opt;
	flame f = {0};
	pk_out *o = &r->out;
	f.r = r;
	f.t.r = r;
	double width = opt->flame_width, minwidth = opt->flame_minwidth;
	const char *colors = opt->flame_colors && *opt->flame_colors ? opt->flame_colors : "hot";
	const char *from =
	    opt->flame_width_from && *opt->flame_width_from ? opt->flame_width_from : "new";
	char pal;
	if (!(width >= 200 && width <= 100000))
		return pk_fail(r->ctx, PK_EUSAGE, "-flame_width: %g is not between 200 and 100000",
		               width);
	if (!(minwidth >= 0 && minwidth <= width))
		return pk_fail(r->ctx, PK_EUSAGE, "-flame_minwidth: %g is not between 0 and %g",
		               minwidth, width);
	if (strcmp(colors, "hot") == 0 || strcmp(colors, "mem") == 0 || strcmp(colors, "io") == 0 ||
	    strcmp(colors, "package") == 0)
		pal = colors[0];
	else
		return pk_fail(r->ctx, PK_EUSAGE,
		               "-flame_colors: %s is not one of hot, mem, io, package", colors);
	if (strcmp(from, "new") != 0 && strcmp(from, "old") != 0 && strcmp(from, "max") != 0)
		return pk_fail(r->ctx, PK_EUSAGE,
		               "-flame_width_from: %s is not one of old, new, max", from);

	pk_status st = has_base_samples(r->p)
	                   ? build(&f.t, true, opt->flame_reverse)
	                   : build_pruned(&f.t, opt->flame_reverse, width - 2 * PAD, minwidth);
	if (st == PK_OK)
		st = build_totals(&f.t, from[0] == 'm' ? 'm' : from[0]);
	if (st != PK_OK)
		goto done;
	ftree *t = &f.t;
	f.width = width - 2 * PAD;
	f.scale = t->lay[0] > 0 ? f.width / (double)t->lay[0] : 0;
	if ((st = place(&f, minwidth)) != PK_OK)
		goto done;
	size_t omitted = f.omitted;
	double max_abs = 0;
	if (t->diff)
		for (size_t i = 1; i < t->n_nodes; i++) {
			double d = fabs((double)pk_wsub(t->tot_new[i], t->tot_old[i]));
			if (d > max_abs)
				max_abs = d;
		}

	uint32_t rows = f.n ? f.max_depth + 1 : 1;
	int height = HEADER + (int)rows * ROW + FOOTER;
	pk_out_cstr(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
	pk_out_fmt(o,
	           "<svg version=\"1.1\" width=\"%g\" height=\"%d\" viewBox=\"0 0 %g %d\" "
	           "xmlns=\"http://www.w3.org/2000/svg\" "
	           "xmlns:fg=\"http://github.com/jonhoo/inferno\">\n",
	           width, height, width, height);
	pk_out_cstr(o, style);
	pk_out_fmt(o,
	           "<rect x=\"0\" y=\"0\" width=\"%g\" height=\"%d\" fill=\"rgb(248,248,248)\"/>\n",
	           width, height);
	pk_out_fmt(o, "<text id=\"title\" x=\"%g\" y=\"24\">", width / 2);
	const char *title = opt->flame_title && *opt->flame_title
	                        ? opt->flame_title
	                        : (t->diff ? "Differential Flame Graph" : "Flame Graph");
	xml_text(o, title, strlen(title), SIZE_MAX);
	pk_out_cstr(o, "</text>\n");
	pk_out_fmt(o, "<text id=\"subtitle\" x=\"%g\" y=\"42\">", width / 2);
	subtitle(&f, omitted, minwidth);
	pk_out_cstr(o, "</text>\n");
	pk_out_fmt(o, "<text id=\"unzoom\" class=\"off\" x=\"%d\" y=\"62\">Reset zoom</text>\n",
	           PAD);
	pk_out_fmt(o, "<text id=\"matched\" x=\"%g\" y=\"62\"></text>\n", width - PAD - 210);
	pk_out_fmt(o,
	           "<foreignObject x=\"%g\" y=\"48\" width=\"200\" height=\"20\">"
	           "<input xmlns=\"http://www.w3.org/1999/xhtml\" id=\"search\" type=\"search\" "
	           "placeholder=\"Search (regular expression, Ctrl-F)\" "
	           "style=\"width:196px;font-size:11px\"/></foreignObject>\n",
	           width - PAD - 200);
	pk_out_fmt(o, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", PAD,
	           HEADER + (int)rows * ROW + 16);
	if (t->diff) {
		int y = HEADER + (int)rows * ROW + 26;
		rgb g = diff_color(1, 1), s = diff_color(-1, 1), u = diff_color(0, 1);
		pk_out_fmt(
		    o,
		    "<g id=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"14\" height=\"12\" "
		    "fill=\"rgb(%d,%d,%d)\"/><text x=\"%d\" y=\"%d\">grew</text>"
		    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"12\" fill=\"rgb(%d,%d,%d)\"/>"
		    "<text x=\"%d\" y=\"%d\">shrank</text>"
		    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"12\" fill=\"rgb(%d,%d,%d)\"/>"
		    "<text x=\"%d\" y=\"%d\">unchanged (deeper colour: larger change; width: "
		    "%s)</text></g>\n",
		    PAD, y, g.r, g.g, g.b, PAD + 18, y + 11, PAD + 70, y, s.r, s.g, s.b, PAD + 88,
		    y + 11, PAD + 150, y, u.r, u.g, u.b, PAD + 168, y + 11,
		    from[0] == 'o'   ? "before"
		    : from[0] == 'm' ? "the larger"
		                     : "after");
	}
	pk_out_fmt(o,
	           "<g id=\"frames\" data-x=\"%d\" data-width=\"%g\" data-total=\"%" PRId64 "\">\n",
	           PAD, f.width, t->lay[0]);
	for (size_t k = 0; k < f.n && o->status == PK_OK; k++) {
		uint32_t i = f.v[k].node, d = t->n[i].depth;
		pk_str name = i == 0 ? (pk_str){"all", 3} : pk_strtab_get(&t->names, t->n[i].name);
		double px = PAD + (double)f.v[k].x * f.scale, pw = (double)t->lay[i] * f.scale;
		int y = opt->icicle ? HEADER + (int)d * ROW : HEADER + (int)(rows - 1 - d) * ROW;
		rgb c = t->diff ? diff_color(pk_wsub(t->tot_new[i], t->tot_old[i]), max_abs)
		                : palette_color(pal, name);
		pk_out_fmt(o, "<g class=\"f\" data-d=\"%u\"><title>", d);
		xml_text(o, name.s, name.n, SIZE_MAX);
		tooltip(&f, i);
		pk_out_fmt(o,
		           "</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
		           "fill=\"rgb(%d,%d,%d)\" fg:x=\"%" PRId64 "\" fg:w=\"%" PRId64
		           "\"/><text x=\"%.2f\" y=\"%d\">",
		           px, y, pw, ROW - 1, c.r, c.g, c.b, f.v[k].x, t->lay[i], px + 3,
		           y + ROW - 4);
		long fit = (long)floor((pw - 6) / CHAR_W);
		size_t runes = pk_rune_count(name.s, name.n);
		if (fit >= 3) {
			if (runes <= (size_t)fit) {
				xml_text(o, name.s, name.n, SIZE_MAX);
			} else {
				xml_text(o, name.s, name.n, (size_t)fit - 2);
				pk_out_cstr(o, "..");
			}
		}
		pk_out_cstr(o, "</text></g>\n");
	}
	pk_out_cstr(o, "</g>\n");
	pk_out_cstr(o, script);
	pk_out_cstr(o, "</svg>\n");
done:
	ftree_free(&f.t);
	pk_free(f.v);
	return st;
}
