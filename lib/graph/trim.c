/* trim.c - ordering and trimming of a call graph.
 * Mirrors internal/graph/graph.go (Nodes.Sort with FlatNameOrder, FlatCumNameOrder,
 * CumNameOrder, NameOrder, FileOrder, AddressOrder, EntropyOrder; compareNodes; entropyScore;
 * EdgeMap.Sort; DiscardLowFrequencyNodes(Ptrs); SelectTopNodes(Ptrs); TrimLowFrequencyEdges;
 * RemoveRedundantEdges; TrimTree). report/trimmed.c (newTrimmedGraph) calls these. Node
 * pointer sets (call trees) are flags by node index.
 * Go's sort.Sort is not stable; every comparator here ends in pprof's full tie-break, so the
 * order is the same whatever the algorithm. */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

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
		if ((x = cmp_i64_desc(pk_wabs(l->flat), pk_wabs(r->flat))))
			return x;
		if ((x = name_cmp(c, a, b)))
			return x;
		if ((x = cmp_i64_desc(pk_wabs(l->cum), pk_wabs(r->cum))))
			return x;
		break;
	case PK_ORDER_FLAT_CUM_NAME:
		if ((x = cmp_i64_desc(pk_wabs(l->flat), pk_wabs(r->flat))))
			return x;
		if ((x = cmp_i64_desc(pk_wabs(l->cum), pk_wabs(r->cum))))
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
		if ((x = cmp_i64_desc(pk_wabs(c->score[a]), pk_wabs(c->score[b]))))
			return x;
		if ((x = name_cmp(c, a, b)))
			return x;
		if ((x = cmp_i64_desc(pk_wabs(l->flat), pk_wabs(r->flat))))
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
			total = pk_wadd(total, pk_wabs(e->weight));
	}
	if (total != 0) {
		for (uint32_t i = 0; i < n; i++) {
			const pk_gedge *e = &g->edge[edges[i]];
			if (e->removed)
				continue;
			double frac = (double)pk_wabs(e->weight) / (double)total;
			score += -frac * log2(frac);
		}
		if (self > 0) {
			double frac = (double)pk_wabs(self) / (double)total;
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

/* ---- sorting a call tree ----------------------------------------------------------------- */
/* A call tree has many nodes per info (a recursion 10^6 deep: 10^6 nodes of one function), and
 * the name and fmt.Sprint comparisons of the orders that use them depend only on the info. So
 * the distinct infos of the nodes are sorted once, by name and then Sprint, and ranked; the
 * nodes are then sorted on integers: (a, b, name rank, c, Sprint rank), a, b and c the order's
 * weights, and last their current position, which is what the stable merge sort of the
 * general path (glibc's qsort) keeps for nodes that compare equal. */
typedef struct tree_key {
	int64_t a, b, c;
	uint32_t name_rank, sprint_rank, pos, node;
} tree_key;

static int info_cmp(const void *pa, const void *pb, void *arg)
{
	sort_ctx *c = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int x = name_cmp(c, a, b);
	return x ? x : compare_nodes(c, a, b);
}

static int tree_key_cmp(const void *pa, const void *pb)
{
	const tree_key *l = pa, *r = pb;
	int x;
	if ((x = cmp_i64_desc(l->a, r->a)) || (x = cmp_i64_desc(l->b, r->b)))
		return x;
	if (l->name_rank != r->name_rank)
		return l->name_rank < r->name_rank ? -1 : 1;
	if ((x = cmp_i64_desc(l->c, r->c)))
		return x;
	if (l->sprint_rank != r->sprint_rank)
		return l->sprint_rank < r->sprint_rank ? -1 : 1;
	return l->pos < r->pos ? -1 : l->pos > r->pos;
}

/* A bottom-up merge sort of v[0..n) through tmp[0..n) (qsort's moves of 40-byte elements
 * cost more than the comparisons); returns the array that holds the result. */
static tree_key *merge_sort(tree_key *v, tree_key *tmp, uint32_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				tmp[o++] = tree_key_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[o++] = v[i++];
			while (j < hi)
				tmp[o++] = v[j++];
		}
		tree_key *t = v;
		v = tmp;
		tmp = t;
	}
	return v;
}

static bool tree_sortable(const pk_graph *g, pk_order order)
{
	return g->tree && g->info_rep &&
	       (order == PK_ORDER_FLAT_NAME || order == PK_ORDER_FLAT_CUM_NAME ||
	        order == PK_ORDER_CUM_NAME || order == PK_ORDER_ENTROPY);
}

static pk_status sort_tree(sort_ctx *c)
{
	pk_graph *g = c->g;
	uint32_t n = g->n_nodes, n_used = 0;
	uint32_t *rank = pk_malloc((g->n_infos ? g->n_infos : 1) * sizeof *rank);
	uint32_t *srank = pk_malloc((g->n_infos ? g->n_infos : 1) * sizeof *srank);
	uint32_t *used = pk_malloc((g->n_infos ? g->n_infos : 1) * sizeof *used);
	tree_key *k = pk_malloc((n ? n : 1) * sizeof *k), *tmp = pk_malloc((n ? n : 1) * sizeof *k);
	pk_status st = PK_ENOMEM;
	if (!rank || !srank || !used || !k || !tmp)
		goto done;
	/* The infos in use, each by its first node (whose name the others share). */
	memset(rank, 0xff, g->n_infos * sizeof *rank);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = g->node[g->nodes[i]].info_id;
		if (rank[id] == PK_NONE) {
			rank[id] = 0;
			used[n_used++] = g->info_rep[id];
		}
	}
	qsort_r(used, n_used, sizeof *used, info_cmp, c);
	for (uint32_t i = 0, nr = 0, sr = 0; i < n_used; i++) {
		if (i > 0 && name_cmp(c, used[i - 1], used[i]) != 0) {
			nr++;
			sr++;
		} else if (i > 0 && compare_nodes(c, used[i - 1], used[i]) != 0) {
			sr++;
		}
		uint32_t id = g->node[used[i]].info_id;
		rank[id] = nr;
		srank[id] = sr;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ni = g->nodes[i];
		const pk_gnode *nd = &g->node[ni];
		tree_key *t = &k[i];
		t->node = ni;
		t->pos = i;
		t->name_rank = rank[nd->info_id];
		t->sprint_rank = srank[nd->info_id];
		switch (c->order) {
		case PK_ORDER_FLAT_NAME:
			t->a = pk_wabs(nd->flat);
			t->b = 0;
			t->c = pk_wabs(nd->cum);
			break;
		case PK_ORDER_FLAT_CUM_NAME:
			t->a = pk_wabs(nd->flat);
			t->b = pk_wabs(nd->cum);
			t->c = 0;
			break;
		default: /* PK_ORDER_CUM_NAME, PK_ORDER_ENTROPY */
			t->a = pk_wabs(c->score[ni]);
			t->b = 0;
			t->c = pk_wabs(nd->flat);
			break;
		}
	}
	tree_key *sorted = merge_sort(k, tmp, n);
	for (uint32_t i = 0; i < n; i++)
		g->nodes[i] = sorted[i].node;
	st = PK_OK;
done:
	pk_free(rank);
	pk_free(srank);
	pk_free(used);
	pk_free(k);
	pk_free(tmp);
	return st;
}

pk_status pk_graph_sort(pk_ctx *ctx, pk_graph *g, pk_order order)
{
	sort_ctx c = {g, order, NULL, NULL, false};
	c.sprint = pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *c.sprint);
	if (!c.sprint)
		return pk_oom(ctx);
	if (order == PK_ORDER_CUM_NAME || order == PK_ORDER_ENTROPY) {
		c.score = pk_malloc((g->n_node_all ? g->n_node_all : 1) * sizeof *c.score);
		if (!c.score) {
			pk_free(c.sprint);
			return pk_oom(ctx);
		}
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			const pk_gnode *n = &g->node[g->nodes[i]];
			c.score[g->nodes[i]] =
			    order == PK_ORDER_CUM_NAME ? n->cum : entropy_score(g, n);
		}
	}
	pk_status st = PK_OK;
	if (tree_sortable(g, order))
		st = sort_tree(&c);
	else
		qsort_r(g->nodes, g->n_nodes, sizeof *g->nodes, node_cmp, &c);
	for (uint32_t i = 0; i < g->n_node_all; i++)
		pk_free(c.sprint[i]);
	pk_free(c.sprint);
	pk_free(c.score);
	return st != PK_OK || c.oom || g->oom ? pk_oom(ctx) : PK_OK;
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
		if (pk_wabs(a->weight) > pk_wabs(b->weight))
			return -1;
		if (pk_wabs(b->weight) > pk_wabs(a->weight))
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
	uint32_t *v = pk_malloc((cnt ? cnt : 1) * sizeof *v);
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
			if (!e->removed && pk_wabs(e->weight) < cutoff) {
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
	uint8_t *seen = pk_calloc(g->n_node_all ? g->n_node_all : 1, 1);
	uint32_t *queue = pk_malloc((g->n_node_all ? g->n_node_all : 1) * sizeof *queue);
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
		pk_free(in);
	}
done:
	pk_free(seen);
	pk_free(queue);
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

pk_status pk_graph_keep_first(pk_ctx *ctx, pk_graph *g, uint32_t n, int64_t cum_cutoff,
                              pk_nodeset *set)
{
	if (pk_nodeset_init(set, n) != PK_OK)
		return pk_oom(ctx);
	for (uint32_t i = 0; i < n; i++) {
		const pk_gnode *nd = &g->node[g->nodes[i]];
		if (pk_wabs(nd->cum) < cum_cutoff)
			continue;
		if (pk_nodeset_add(set, &nd->info) != PK_OK)
			return pk_oom(ctx);
	}
	return PK_OK;
}

/* A call tree keeps node pointers (flags by node index): the first n nodes of the current
 * order whose |cum| reaches cum_cutoff; *kept_n gets how many. */
bool *pk_graph_keep_first_ptrs(pk_graph *g, uint32_t n, int64_t cum_cutoff, uint32_t *kept_n)
{
	bool *keep = pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *keep);
	*kept_n = 0;
	if (!keep)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		const pk_gnode *nd = &g->node[g->nodes[i]];
		if (pk_wabs(nd->cum) < cum_cutoff)
			continue;
		keep[g->nodes[i]] = true;
		(*kept_n)++;
	}
	return keep;
}
