/* graph_trim.c - ordering and trimming of a call graph.
 * Mirrors internal/graph/graph.go (Nodes.Sort with FlatNameOrder, FlatCumNameOrder,
 * CumNameOrder, NameOrder, FileOrder, AddressOrder, EntropyOrder; compareNodes; entropyScore;
 * EdgeMap.Sort; DiscardLowFrequencyNodes(Ptrs); SelectTopNodes(Ptrs); TrimLowFrequencyEdges;
 * RemoveRedundantEdges; TrimTree) and internal/report/report.go (newTrimmedGraph,
 * selectOutputUnit). Node pointer sets (call trees) are flags by node index.
 * Go's sort.Sort is not stable; every comparator here ends in pprof's full tie-break, so the
 * order is the same whatever the algorithm. */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Go's abs64: -MinInt64 wraps to itself. */
static int64_t abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

typedef struct sort_ctx {
	pk_graph *g;
	pk_order order;
	int64_t *score; /* by node index */
	char **sprint;  /* fmt.Sprint(Info) by node index, lazily */
	bool oom;
} sort_ctx;

static const char *sprint_info(sort_ctx *c, uint32_t i)
{
	if (c->sprint[i])
		return c->sprint[i];
	const pk_ninfo *n = &c->g->node[i].info;
	const pk_profile *p = c->g->p;
	pk_str name = pk_s(p, n->name), orig = pk_s(p, n->orig_name), file = pk_s(p, n->file),
	       obj = pk_s(p, n->objfile);
	pk_sb sb = {0};
	pk_sb_bytes(&sb, "{", 1);
	pk_sb_bytes(&sb, name.s, name.n);
	pk_sb_bytes(&sb, " ", 1);
	pk_sb_bytes(&sb, orig.s, orig.n);
	pk_sb_fmt(&sb, " %" PRIu64 " ", n->address);
	pk_sb_bytes(&sb, file.s, file.n);
	pk_sb_fmt(&sb, " %" PRId64 " %" PRId64 " ", n->start_line, n->lineno);
	pk_sb_bytes(&sb, obj.s, obj.n);
	pk_sb_bytes(&sb, "}", 1);
	if (sb.oom) {
		c->oom = true;
		pk_sb_free(&sb);
		return "";
	}
	c->sprint[i] = sb.s;
	return sb.s;
}

/* Compares the byte strings as Go does (they may hold NULs only in pathological names, where
 * strcmp's answer is still a consistent total order). */
static int compare_nodes(sort_ctx *c, uint32_t a, uint32_t b)
{
	return strcmp(sprint_info(c, a), sprint_info(c, b));
}

static int cmp_i64_desc(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b;
}

static int name_cmp(sort_ctx *c, uint32_t a, uint32_t b)
{
	return pk_str_cmp(pk_graph_node_name(c->g, a), pk_graph_node_name(c->g, b));
}

static int node_cmp(const void *pa, const void *pb, void *arg)
{
	sort_ctx *c = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const pk_gnode *l = &c->g->node[a], *r = &c->g->node[b];
	const pk_profile *p = c->g->p;
	int x;
	switch (c->order) {
	case PK_ORDER_FLAT_NAME:
		if ((x = cmp_i64_desc(abs64(l->flat), abs64(r->flat))))
			return x;
		if ((x = name_cmp(c, a, b)))
			return x;
		if ((x = cmp_i64_desc(abs64(l->cum), abs64(r->cum))))
			return x;
		break;
	case PK_ORDER_FLAT_CUM_NAME:
		if ((x = cmp_i64_desc(abs64(l->flat), abs64(r->flat))))
			return x;
		if ((x = cmp_i64_desc(abs64(l->cum), abs64(r->cum))))
			return x;
		if ((x = name_cmp(c, a, b)))
			return x;
		break;
	case PK_ORDER_NAME:
		if ((x = pk_str_cmp(pk_s(p, l->info.name), pk_s(p, r->info.name))))
			return x;
		break;
	case PK_ORDER_FILE:
		if ((x = pk_str_cmp(pk_s(p, l->info.file), pk_s(p, r->info.file))))
			return x;
		if (l->info.start_line != r->info.start_line)
			return l->info.start_line < r->info.start_line ? -1 : 1;
		break;
	case PK_ORDER_ADDRESS:
		if (l->info.address != r->info.address)
			return l->info.address < r->info.address ? -1 : 1;
		break;
	case PK_ORDER_CUM_NAME:
	case PK_ORDER_ENTROPY:
		if ((x = cmp_i64_desc(abs64(c->score[a]), abs64(c->score[b]))))
			return x;
		if ((x = name_cmp(c, a, b)))
			return x;
		if ((x = cmp_i64_desc(abs64(l->flat), abs64(r->flat))))
			return x;
		break;
	}
	return compare_nodes(c, a, b);
}

static double edge_entropy(const pk_graph *g, const uint32_t *edges, uint32_t n, int64_t self)
{
	double score = 0;
	int64_t total = self;
	for (uint32_t i = 0; i < n; i++) {
		const pk_gedge *e = &g->edge[edges[i]];
		if (!e->removed && e->weight > 0)
			total = pk_wadd(total, abs64(e->weight));
	}
	if (total != 0) {
		for (uint32_t i = 0; i < n; i++) {
			const pk_gedge *e = &g->edge[edges[i]];
			if (e->removed)
				continue;
			double frac = (double)abs64(e->weight) / (double)total;
			score += -frac * log2(frac);
		}
		if (self > 0) {
			double frac = (double)abs64(self) / (double)total;
			score += -frac * log2(frac);
		}
	}
	return score;
}

static uint32_t live(const pk_graph *g, const uint32_t *edges, uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += !g->edge[edges[i]].removed;
	return k;
}

static int64_t entropy_score(const pk_graph *g, const pk_gnode *n)
{
	double score = 0;
	if (live(g, n->in, n->n_in) == 0)
		score++;
	else
		score += edge_entropy(g, n->in, n->n_in, 0);
	if (live(g, n->out, n->n_out) == 0)
		score++;
	else
		score += edge_entropy(g, n->out, n->n_out, n->flat);
	/* Go: int64(score*cum) + flat, where a NaN score (diffs: negative edge weights) converts
	 * to MinInt64 and the sum wraps. */
	return (int64_t)((uint64_t)pk_go_f2i(score * (double)n->cum) + (uint64_t)n->flat);
}

pk_status pk_graph_sort(pk_ctx *ctx, pk_graph *g, pk_order order)
{
	sort_ctx c = {g, order, NULL, NULL, false};
	c.sprint = calloc(g->n_node_all ? g->n_node_all : 1, sizeof *c.sprint);
	if (!c.sprint)
		return pk_oom(ctx);
	if (order == PK_ORDER_CUM_NAME || order == PK_ORDER_ENTROPY) {
		c.score = malloc((g->n_node_all ? g->n_node_all : 1) * sizeof *c.score);
		if (!c.score) {
			free(c.sprint);
			return pk_oom(ctx);
		}
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			const pk_gnode *n = &g->node[g->nodes[i]];
			c.score[g->nodes[i]] =
			    order == PK_ORDER_CUM_NAME ? n->cum : entropy_score(g, n);
		}
	}
	qsort_r(g->nodes, g->n_nodes, sizeof *g->nodes, node_cmp, &c);
	for (uint32_t i = 0; i < g->n_node_all; i++)
		free(c.sprint[i]);
	free(c.sprint);
	free(c.score);
	return c.oom ? pk_oom(ctx) : PK_OK;
}

pk_status pk_graph_sort_nodes(pk_ctx *ctx, pk_graph *g, bool cum, bool visual)
{
	return pk_graph_sort(ctx, g,
	                     visual ? PK_ORDER_ENTROPY
	                     : cum  ? PK_ORDER_CUM_NAME
	                            : PK_ORDER_FLAT_NAME);
}

static int edge_cmp(const void *pa, const void *pb, void *arg)
{
	pk_graph *g = arg;
	const pk_gedge *a = &g->edge[*(const uint32_t *)pa], *b = &g->edge[*(const uint32_t *)pb];
	int x;
	if (a->weight != b->weight) {
		/* Go: abs(a) > abs(b) decides; equal abs with different signs falls to names
		 * only through this same test, so mirror it literally. */
		if (abs64(a->weight) > abs64(b->weight))
			return -1;
		if (abs64(b->weight) > abs64(a->weight))
			return 1;
		return 0;
	}
	if ((x = pk_str_cmp(pk_graph_node_name(g, a->src), pk_graph_node_name(g, b->src))))
		return x;
	return pk_str_cmp(pk_graph_node_name(g, a->dst), pk_graph_node_name(g, b->dst));
}

void pk_graph_sort_edge_list(pk_graph *g, uint32_t *v, size_t n)
{
	qsort_r(v, n, sizeof *v, edge_cmp, g);
}

pk_status pk_graph_sorted_edges(pk_ctx *ctx, pk_graph *g, uint32_t node, bool in, uint32_t **out,
                                uint32_t *n)
{
	const pk_gnode *nd = &g->node[node];
	const uint32_t *src = in ? nd->in : nd->out;
	uint32_t cnt = in ? nd->n_in : nd->n_out, k = 0;
	uint32_t *v = malloc((cnt ? cnt : 1) * sizeof *v);
	if (!v)
		return pk_oom(ctx);
	for (uint32_t i = 0; i < cnt; i++)
		if (!g->edge[src[i]].removed)
			v[k++] = src[i];
	qsort_r(v, k, sizeof *v, edge_cmp, g);
	*out = v;
	*n = k;
	return PK_OK;
}

int pk_graph_trim_low_freq_edges(pk_graph *g, int64_t cutoff)
{
	int dropped = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const pk_gnode *n = &g->node[g->nodes[i]];
		for (uint32_t j = 0; j < n->n_in; j++) {
			pk_gedge *e = &g->edge[n->in[j]];
			if (!e->removed && abs64(e->weight) < cutoff) {
				e->removed = true;
				dropped++;
			}
		}
	}
	return dropped;
}

/* isRedundantEdge: is there another path from e's source to its destination? */
static bool redundant(pk_graph *g, uint32_t ei, uint8_t *seen, uint32_t *queue)
{
	const pk_gedge *e = &g->edge[ei];
	uint32_t head = 0, tail = 0;
	bool found = false;
	seen[e->dst] = 1;
	queue[tail++] = e->dst;
	while (head < tail && !found) {
		const pk_gnode *n = &g->node[queue[head++]];
		for (uint32_t j = 0; j < n->n_in; j++) {
			const pk_gedge *ie = &g->edge[n->in[j]];
			if (ie->removed || n->in[j] == ei || seen[ie->src])
				continue;
			if (ie->src == e->src) {
				found = true;
				break;
			}
			seen[ie->src] = 1;
			queue[tail++] = ie->src;
		}
	}
	for (uint32_t i = 0; i < tail; i++)
		seen[queue[i]] = 0;
	return found;
}

pk_status pk_graph_remove_redundant_edges(pk_ctx *ctx, pk_graph *g)
{
	uint8_t *seen = calloc(g->n_node_all ? g->n_node_all : 1, 1);
	uint32_t *queue = malloc((g->n_node_all ? g->n_node_all : 1) * sizeof *queue);
	pk_status st = PK_OK;
	if (!seen || !queue) {
		st = pk_oom(ctx);
		goto done;
	}
	for (uint32_t i = g->n_nodes; i > 0; i--) {
		uint32_t *in, n;
		if ((st = pk_graph_sorted_edges(ctx, g, g->nodes[i - 1], true, &in, &n)) != PK_OK)
			goto done;
		for (uint32_t j = n; j > 0; j--) {
			pk_gedge *e = &g->edge[in[j - 1]];
			if (!e->residual)
				break;
			if (redundant(g, in[j - 1], seen, queue))
				e->removed = true;
		}
		free(in);
	}
done:
	free(seen);
	free(queue);
	return st;
}

/* Appends edge e to node n's out list (arena; the old array is left behind). */
static bool add_out(pk_graph *g, pk_gnode *n, uint32_t e)
{
	if (n->n_out == n->cap_out) {
		uint32_t cap = n->cap_out ? n->cap_out * 2 : 4;
		uint32_t *v = pk_arena_alloc(g->arena, cap * sizeof *v);
		if (!v)
			return false;
		if (n->n_out)
			memcpy(v, n->out, n->n_out * sizeof *v);
		n->out = v;
		n->cap_out = cap;
	}
	n->out[n->n_out++] = e;
	return true;
}

/* The one live in-edge of a tree node, PK_NONE for a root; *count gets how many there are. */
static uint32_t tree_in_edge(const pk_graph *g, const pk_gnode *n, uint32_t *count)
{
	uint32_t e = PK_NONE;
	*count = 0;
	for (uint32_t j = 0; j < n->n_in; j++) {
		if (!g->edge[n->in[j]].removed) {
			e = n->in[j];
			(*count)++;
		}
	}
	return e;
}

pk_status pk_graph_trim_tree(pk_ctx *ctx, pk_graph *g, const bool *keep)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		uint32_t ci = g->nodes[i], n_in;
		pk_gnode *cur = &g->node[ci];
		uint32_t in = tree_in_edge(g, cur, &n_in);
		if (n_in > 1)
			return pk_fail(ctx, PK_EFORMAT, "TrimTree only works on trees");
		if (keep[ci]) {
			g->nodes[k++] = ci;
			continue;
		}
		if (n_in == 0) {
			/* A root goes: its children become roots. */
			for (uint32_t j = 0; j < cur->n_out; j++)
				if (g->edge[cur->out[j]].src == ci)
					g->edge[cur->out[j]].removed = true;
			continue;
		}
		pk_gedge *pe = &g->edge[in];
		uint32_t pi = pe->src;
		bool parent_inline = pe->inl;
		pe->removed = true;
		/* Every edge out of cur now starts at the parent. */
		for (uint32_t j = 0; j < cur->n_out; j++) {
			uint32_t ei = cur->out[j];
			pk_gedge *e = &g->edge[ei];
			if (e->removed || e->src != ci)
				continue;
			e->src = pi;
			e->residual = true;
			e->inl = parent_inline && e->inl;
			if (!add_out(g, &g->node[pi], ei))
				return pk_oom(ctx);
		}
	}
	g->n_nodes = k;
	return pk_graph_remove_redundant_edges(ctx, g);
}

static void gopts_of(pk_rpt *r, pk_gopts *out, const pk_nodeset *kept, bool tags)
{
	pk_gopts o = {0};
	o.value_index = r->value_index;
	o.mean = r->mean;
	o.obj_names = r->fmt == PK_FMT_RAW || r->fmt == PK_FMT_LIST;
	o.call_tree = r->call_tree && (r->fmt == PK_FMT_DOT || r->fmt == PK_FMT_SVG);
	o.drop_negative = r->drop_negative;
	o.tags = tags;
	o.tag_unit = r->output_unit;
	pk_sid bytes = pk_strtab_lookup(&r->p->strs, "bytes", 5);
	o.bytes_unit = bytes == PK_NONE ? NULL : pk_rpt_num_label_unit(r, bytes);
	o.trim_path = r->opt->trim_path;
	o.source_path = r->opt->source_path;
	o.kept = kept;
	*out = o;
}

/* newGraph over the nodes in kept (NULL: all); tags only when asked (a call tree's). */
static pk_status graph_with(pk_rpt *r, pk_graph **out, const pk_nodeset *kept, bool tags)
{
	pk_gopts o;
	gopts_of(r, &o, kept, tags);
	return pk_graph_new(r->ctx, out, r->p, &o);
}

/* The tags of the first n nodes of g's order (dot and svg draw them). */
static pk_status tag_first(pk_rpt *r, pk_graph *g, uint32_t n)
{
	pk_gopts o;
	gopts_of(r, &o, NULL, true);
	bool *want = calloc(g->n_node_all ? g->n_node_all : 1, sizeof *want);
	if (!want)
		return pk_oom(r->ctx);
	for (uint32_t i = 0; i < n && i < g->n_nodes; i++)
		want[g->nodes[i]] = true;
	pk_status st = pk_graph_add_tags(r->ctx, g, &o, want);
	free(want);
	return st;
}

static pk_status keep_first(pk_ctx *ctx, pk_graph *g, uint32_t n, int64_t cum_cutoff,
                            pk_nodeset *set)
{
	if (pk_nodeset_init(set, n) != PK_OK)
		return pk_oom(ctx);
	for (uint32_t i = 0; i < n; i++) {
		const pk_gnode *nd = &g->node[g->nodes[i]];
		if (abs64(nd->cum) < cum_cutoff)
			continue;
		if (pk_nodeset_add(set, &nd->info) != PK_OK)
			return pk_oom(ctx);
	}
	return PK_OK;
}

/* A call tree keeps node pointers (flags by node index): the first n nodes of the current
 * order whose |cum| reaches cum_cutoff; *kept_n gets how many. */
static bool *keep_first_ptrs(pk_graph *g, uint32_t n, int64_t cum_cutoff, uint32_t *kept_n)
{
	bool *keep = calloc(g->n_node_all ? g->n_node_all : 1, sizeof *keep);
	*kept_n = 0;
	if (!keep)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		const pk_gnode *nd = &g->node[g->nodes[i]];
		if (abs64(nd->cum) < cum_cutoff)
			continue;
		keep[g->nodes[i]] = true;
		(*kept_n)++;
	}
	return keep;
}

pk_status pk_rpt_trimmed_graph(pk_rpt *r, pk_graph **out, int *orig_count, int *dropped_nodes,
                               int *dropped_edges)
{
	pk_ctx *ctx = r->ctx;
	pk_graph *g = NULL, *g2;
	pk_nodeset kept = {0};
	bool *keep = NULL;
	uint32_t kept_n;
	pk_status st;
	bool visual = r->fmt == PK_FMT_DOT || r->fmt == PK_FMT_SVG;
	*out = NULL;
	*dropped_nodes = *dropped_edges = 0;

	/* Tags are what a visual graph costs most: a hash entry per node, label set and sample.
	 * pprof builds them on each of the (up to three) graphs; of those, only the tags of the
	 * first nodecount nodes of the sorted second graph (the visual node budget looks no
	 * further) and of the final graph's nodes are ever read. A node's tags depend only on the
	 * samples through it, so here the graphs are built without tags and pk_graph_add_tags
	 * gives just those nodes theirs. A call tree is trimmed in place: it is built with them. */
	bool tree_fmt = r->call_tree && visual;
	if ((st = graph_with(r, &g, NULL, tree_fmt)) != PK_OK)
		return st;
	bool tree = g->tree;
	int64_t total = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		total = pk_wadd(total, g->node[g->nodes[i]].flat);
	int64_t node_cutoff = abs64(pk_go_f2i((double)total * r->nodefraction));
	int64_t edge_cutoff = abs64(pk_go_f2i((double)total * r->edgefraction));

	if (node_cutoff > 0 && tree) {
		if (!(keep = keep_first_ptrs(g, g->n_nodes, node_cutoff, &kept_n)))
			goto oom;
		if (kept_n != g->n_nodes) {
			*dropped_nodes = (int)(g->n_nodes - kept_n);
			if ((st = pk_graph_trim_tree(ctx, g, keep)) != PK_OK)
				goto fail;
		}
		free(keep);
		keep = NULL;
	} else if (node_cutoff > 0) {
		if ((st = keep_first(ctx, g, g->n_nodes, node_cutoff, &kept)) != PK_OK)
			goto fail;
		if (kept.n != g->n_nodes) {
			*dropped_nodes = (int)(g->n_nodes - kept.n);
			if ((st = graph_with(r, &g2, &kept, false)) != PK_OK)
				goto fail;
			pk_graph_free(g);
			g = g2;
		}
		pk_nodeset_destroy(&kept);
	}
	*orig_count = (int)g->n_nodes;

	if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
		goto fail;
	bool add_tags = visual && !tree; /* tags still to be given to the final nodes */
	if (r->nodecount > 0) {
		if (add_tags && (st = tag_first(r, g, (uint32_t)r->nodecount)) != PK_OK)
			goto fail;
		/* Low-frequency tags and edges go first: they weigh on the selection. */
		pk_graph_trim_low_freq_tags(g, node_cutoff);
		pk_graph_trim_low_freq_edges(g, edge_cutoff);
		uint32_t max = (uint32_t)r->nodecount;
		if (visual) /* tags count towards the budget */
			max = pk_graph_visual_node_budget(g, max);
		if (max > g->n_nodes)
			max = g->n_nodes;
		if (max != g->n_nodes && tree) {
			if (!(keep = keep_first_ptrs(g, max, 0, &kept_n)))
				goto oom;
			if ((st = pk_graph_trim_tree(ctx, g, keep)) != PK_OK)
				goto fail;
			free(keep);
			keep = NULL;
			if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
				goto fail;
		} else if (max != g->n_nodes) {
			if ((st = keep_first(ctx, g, max, 0, &kept)) != PK_OK)
				goto fail;
			if ((st = graph_with(r, &g2, &kept, false)) != PK_OK)
				goto fail;
			pk_nodeset_destroy(&kept);
			pk_graph_free(g);
			g = g2;
			if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
				goto fail;
		} else {
			/* Every node of g has its tags: g->n_nodes <= nodecount. */
			add_tags = false;
		}
	}
	if (add_tags && (st = tag_first(r, g, g->n_nodes)) != PK_OK)
		goto fail;
	pk_graph_trim_low_freq_tags(g, node_cutoff);
	*dropped_edges = pk_graph_trim_low_freq_edges(g, edge_cutoff);
	if (visual && (st = pk_graph_remove_redundant_edges(ctx, g)) != PK_OK)
		goto fail;
	*out = g;
	return PK_OK;
oom:
	st = pk_oom(ctx);
fail:
	free(keep);
	pk_nodeset_destroy(&kept);
	pk_graph_free(g);
	return st;
}

void pk_rpt_select_output_unit(pk_rpt *r, pk_graph *g)
{
	if (strcmp(r->output_unit, "minimum") != 0 || g->n_nodes == 0)
		return;
	int64_t min = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const pk_gnode *n = &g->node[g->nodes[i]];
		int64_t m = abs64(pk_node_flat(n));
		if (m == 0)
			m = abs64(pk_node_cum(n));
		if (m > 0 && (min == 0 || m < min))
			min = m;
	}
	int64_t max = r->total;
	if (min == 0)
		min = max;
	if (r->ratio > 0 && r->ratio != 1) {
		min = pk_go_f2i((double)min * r->ratio);
		max = pk_go_f2i((double)max * r->ratio);
	}
	const char *min_unit, *max_unit, *unit;
	pk_scale(min, r->sample_unit, "minimum", &min_unit);
	pk_scale(max, r->sample_unit, "minimum", &max_unit);
	unit = min_unit;
	if (strcmp(min_unit, max_unit) != 0 && pk_wmul(min, 100) < max) /* Go's product wraps */
		pk_scale(pk_wmul(100, min), r->sample_unit, "minimum", &unit);
	snprintf(r->output_unit_buf, sizeof r->output_unit_buf, "%s",
	         unit[0] ? unit : r->sample_unit);
	r->output_unit = r->output_unit_buf;
}
