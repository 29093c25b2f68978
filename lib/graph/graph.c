/* graph.c - the call graph built from a profile's samples.
 * Mirrors internal/graph/graph.go: New, newGraph, newTree, CreateNodes, nodeInfo,
 * FindOrInsertNode, addSample, AddToEdgeDiv, selectNodesForGraph,
 * NodeInfo.NameComponents/PrintableName, and the
 * per-build path clean-up of internal/report/report.go newGraph (trimPath on every function's
 * file name, as pprof does on each rebuild).
 * Divergences: nodes are created only for location lines (pprof also creates a function-level
 * node per line node, which never carries a value and is dropped by selectNodesForGraph);
 * node and edge identity use hash tables over indices; "seen in this sample" sets are stamps;
 * a call tree's per-parent node maps are one table keyed by (parent, info).
 * Tags (nodelets) are built by nodetags.c, only for the reports that show them (gopts.tags). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

static uint64_t info_hash(const pk_ninfo *i)
{
	uint64_t h = pk_hash_mix(i->name, i->orig_name);
	h = pk_hash_mix(h, ((uint64_t)i->file << 32) | i->objfile);
	h = pk_hash_mix(h, i->address);
	h = pk_hash_mix(h, (uint64_t)i->start_line);
	return pk_hash_mix(h, (uint64_t)i->lineno);
}

static bool info_eq(const pk_ninfo *a, const pk_ninfo *b)
{
	return a->name == b->name && a->orig_name == b->orig_name && a->file == b->file &&
	       a->objfile == b->objfile && a->address == b->address &&
	       a->start_line == b->start_line && a->lineno == b->lineno;
}

/* ---- node sets -------------------------------------------------------------------------- */
static bool set_eq(const void *ctx, uint32_t idx, const void *key)
{
	return info_eq(&((const pk_nodeset *)ctx)->v[idx], key);
}

pk_status pk_nodeset_init(pk_nodeset *s, uint32_t expect)
{
	s->n = 0;
	s->v = pk_malloc((expect ? expect : 1) * sizeof *s->v);
	if (!s->v || !pk_hash_init(&s->h, expect)) {
		pk_free(s->v);
		s->v = NULL;
		return PK_ENOMEM;
	}
	return PK_OK;
}

void pk_nodeset_destroy(pk_nodeset *s)
{
	pk_free(s->v);
	pk_hash_destroy(&s->h);
	memset(s, 0, sizeof *s);
}

/* The caller sized the set for every info it adds (expect). */
pk_status pk_nodeset_add(pk_nodeset *s, const pk_ninfo *info)
{
	s->v[s->n] = *info;
	bool found;
	if (pk_hash_intern(&s->h, info_hash(info), set_eq, s, info, s->n, &found) == PK_NONE)
		return PK_ENOMEM;
	if (!found)
		s->n++;
	return PK_OK;
}

bool pk_nodeset_has(const pk_nodeset *s, const pk_ninfo *info)
{
	return pk_hash_find(&s->h, info_hash(info), set_eq, s, info) != PK_NONE;
}

/* ---- building --------------------------------------------------------------------------- */
/* A call tree's nodes by parent << 32 | info number, the key kept in the slot: open
 * addressing, linear probing, no callback and no candidate node written per lookup. The slot
 * is the keyed pk_hash_mix of the key and a secret taken once per map (base/hash.c), so that
 * no profile can be built to make the nodes of its tree collide. */
typedef struct tree_map {
	uint64_t *key; /* EMPTY: free slot */
	uint32_t *val;
	size_t mask, n;
	uint64_t seed;
} tree_map;
#define EMPTY UINT64_MAX

static inline size_t tmap_slot(const tree_map *m, uint64_t key)
{
	return pk_hash_mix(key, m->seed) & m->mask;
}

static bool tmap_grow(tree_map *m)
{
	size_t cap = m->key ? (m->mask + 1) * 2 : 1024;
	if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
		return false;
	uint64_t *k = pk_malloc(cap * sizeof *k);
	uint32_t *v = pk_malloc(cap * sizeof *v);
	if (!k || !v) {
		pk_free(k);
		pk_free(v);
		return false;
	}
	memset(k, 0xff, cap * sizeof *k);
	if (!m->key)
		m->seed = pk_hash_slot((uint64_t)(uintptr_t)m);
	tree_map grown = {k, v, cap - 1, 0, m->seed};
	for (size_t i = 0; m->key && i <= m->mask; i++) {
		if (m->key[i] == EMPTY)
			continue;
		size_t j = tmap_slot(&grown, m->key[i]);
		while (k[j] != EMPTY)
			j = (j + 1) & (cap - 1);
		k[j] = m->key[i];
		v[j] = m->val[i];
	}
	pk_free(m->key);
	pk_free(m->val);
	m->key = k;
	m->val = v;
	m->mask = cap - 1;
	return true;
}

static void tmap_destroy(tree_map *m)
{
	pk_free(m->key);
	pk_free(m->val);
}

typedef struct build {
	pk_graph *g;
	pk_hash nodes;
	size_t cap_nodes;
	size_t cap_edges;
} build;

/* A node's identity: its info, and in a call tree also its parent. */
typedef struct node_key {
	const pk_ninfo *info;
	uint32_t parent;
} node_key;

static bool node_eq(const void *ctx, uint32_t idx, const void *key)
{
	const pk_gnode *n = &((const pk_graph *)ctx)->node[idx];
	const node_key *k = key;
	return n->parent == k->parent && info_eq(&n->info, k->info);
}

static uint32_t find_or_insert_node(build *b, const pk_ninfo *info, uint32_t parent)
{
	pk_graph *g = b->g;
	if (g->n_node_all + 1 >= PK_NONE ||
	    !pk_grow((void **)&g->node, &b->cap_nodes, (size_t)g->n_node_all + 1, sizeof *g->node))
		return PK_NONE;
	pk_gnode *n = &g->node[g->n_node_all];
	memset(n, 0, sizeof *n);
	n->info = *info;
	n->parent = parent;
	n->tag_head = PK_NONE;
	node_key key = {info, parent};
	bool found;
	uint32_t idx = pk_hash_intern(&b->nodes, pk_hash_mix(info_hash(info), parent), node_eq, g,
	                              &key, g->n_node_all, &found);
	if (idx != PK_NONE && !found)
		g->n_node_all++;
	return idx;
}

void pk_graph_free(pk_graph *g)
{
	if (!g)
		return;
	pk_free(g->node);
	pk_free(g->edge);
	pk_free(g->tag);
	pk_free(g->loc_node);
	pk_free(g->loc_off);
	pk_free(g->info_rep);
	pk_arena_free(g->arena);
	pk_free(g);
}

/* report.go newGraph's file clean-up: trimPath on every function's file name, in place. */
static pk_status trim_function_files(pk_ctx *ctx, pk_profile *p, const pk_gopts *o)
{
	pk_sb sb = {0};
	for (uint32_t i = 0; i < p->n_functions; i++) {
		pk_str f = pk_s(p, p->functions[i].filename);
		pk_trim_path(&sb, f.s, f.n, o->trim_path, o->source_path);
		if (sb.oom)
			goto oom;
		if (sb.n != f.n) {
			pk_sid id = pk_strtab_intern(&p->strs, sb.s, sb.n);
			if (id == PK_NONE)
				goto oom;
			p->functions[i].filename = id;
		}
	}
	pk_sb_free(&sb);
	return PK_OK;
oom:
	pk_sb_free(&sb);
	return pk_oom(ctx);
}

/* ---- call trees (newTree) ---------------------------------------------------------------- */
/* A tree node is a (parent, info) pair. The infos of the location lines are numbered once
 * (equal infos, one number), so that a node is found by the 64-bit key parent << 32 | info
 * number in a tree_map, and each node keeps its one in-edge: a frame costs one lookup,
 * however deep the stack. */
typedef struct tree_build {
	tree_map nodes;    /* parent << 32 | info number -> node */
	uint32_t *in_edge; /* by node: the edge from its parent (PK_NONE: a root) */
	size_t cap_in_edge;
	uint32_t *info_id; /* by location line (loc_info index): its info's number */
} tree_build;

static bool linfo_eq(const void *ctx, uint32_t idx, const void *key)
{
	return info_eq(&((const pk_ninfo *)ctx)[idx], key);
}

/* Numbers the distinct infos of loc_info[0..total) into t->info_id; g->info_rep gets one
 * PK_NONE per number. */
static pk_status number_infos(tree_build *t, pk_graph *g, const pk_ninfo *loc_info, size_t total)
{
	pk_hash h;
	uint32_t n = 0;
	if (total >= PK_NONE || !pk_hash_init(&h, total))
		return PK_ENOMEM;
	t->info_id = pk_malloc((total ? total : 1) * sizeof *t->info_id);
	if (!t->info_id)
		goto oom;
	for (size_t k = 0; k < total; k++) {
		bool found;
		uint32_t first = pk_hash_intern(&h, info_hash(&loc_info[k]), linfo_eq, loc_info,
		                                &loc_info[k], (uint32_t)k, &found);
		if (first == PK_NONE)
			goto oom;
		t->info_id[k] = found ? t->info_id[first] : n++;
	}
	pk_hash_destroy(&h);
	g->info_rep = pk_malloc((n ? n : 1) * sizeof *g->info_rep);
	if (!g->info_rep)
		return PK_ENOMEM;
	memset(g->info_rep, 0xff, (n ? n : 1) * sizeof *g->info_rep);
	g->n_infos = n;
	return PK_OK;
oom:
	pk_hash_destroy(&h);
	return PK_ENOMEM;
}

/* The node of loc_info[k] under parent (PK_NONE: a root), created with its in-edge when
 * missing; *edge gets that edge (PK_NONE for a root). PK_NONE when out of memory. */
static uint32_t tree_node(build *b, tree_build *t, const pk_ninfo *loc_info, size_t k,
                          uint32_t parent, uint32_t *edge)
{
	pk_graph *g = b->g;
	tree_map *m = &t->nodes;
	uint32_t id = t->info_id[k];
	uint64_t key = (uint64_t)parent << 32 | id; /* id < PK_NONE: never EMPTY */
	if ((m->n + 1) * 2 > (m->key ? m->mask + 1 : 0) && !tmap_grow(m))
		return PK_NONE;
	size_t j = tmap_slot(m, key);
	for (; m->key[j] != EMPTY; j = (j + 1) & m->mask) {
		if (m->key[j] == key) {
			*edge = t->in_edge[m->val[j]];
			return m->val[j];
		}
	}
	uint32_t ni = g->n_node_all;
	if (ni + 1 >= PK_NONE || (parent != PK_NONE && g->n_edges + 1 >= PK_NONE) ||
	    !pk_grow((void **)&g->node, &b->cap_nodes, (size_t)ni + 1, sizeof *g->node) ||
	    !pk_grow((void **)&t->in_edge, &t->cap_in_edge, (size_t)ni + 1, sizeof *t->in_edge) ||
	    (parent != PK_NONE &&
	     !pk_grow((void **)&g->edge, &b->cap_edges, g->n_edges + 1, sizeof *g->edge)))
		return PK_NONE;
	pk_gnode *n = &g->node[ni];
	memset(n, 0, sizeof *n);
	n->info = loc_info[k];
	n->info_id = id;
	n->parent = parent;
	n->tag_head = PK_NONE;
	if (g->info_rep[id] == PK_NONE)
		g->info_rep[id] = ni;
	*edge = PK_NONE;
	if (parent != PK_NONE) {
		pk_gedge *e = &g->edge[g->n_edges];
		memset(e, 0, sizeof *e);
		e->src = parent;
		e->dst = ni;
		e->inl = true;
		*edge = (uint32_t)g->n_edges++;
	}
	t->in_edge[ni] = *edge;
	m->key[j] = key;
	m->val[j] = ni;
	m->n++;
	g->n_node_all++;
	return ni;
}

/* newTree: every sample's stack becomes a path from a root; a node is a (parent, info) pair,
 * so equal frames under different callers stay apart. */
static pk_status build_tree(pk_ctx *ctx, build *b, pk_profile *p, const pk_gopts *o,
                            const pk_ninfo *loc_info, const size_t *loc_off, size_t total,
                            pk_tagbuild *tb)
{
	pk_graph *g = b->g;
	const uint32_t nt = p->n_sample_types;
	tree_build t = {0};
	pk_status st = number_infos(&t, g, loc_info, total);
	if (st != PK_OK)
		goto done;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = p->values + s * nt;
		int64_t w = v[o->value_index], dw = o->mean ? v[0] : 0;
		pk_progress_items(ctx, "building the call tree", s, p->n_samples);
		if ((st = pk_cancel_point(ctx, s)) != PK_OK)
			goto done;
		if ((w == 0 && dw == 0) || pk_sample_grp_zero(p, s))
			continue;
		if (tb && (st = pk_tags_sample(tb, s)) != PK_OK)
			goto done;
		const pk_sample *sm = &p->samples[s];
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		uint32_t parent = PK_NONE;
		for (uint32_t i = sm->n_locs; i-- > 0;) {
			uint32_t li = locs[i];
			size_t off = loc_off[li], nl = loc_off[li + 1] - off;
			for (size_t ni = nl; ni-- > 0;) {
				uint32_t e, n = tree_node(b, &t, loc_info, off + ni, parent, &e);
				if (n == PK_NONE) {
					st = PK_ENOMEM;
					goto done;
				}
				g->node[n].cum_div = pk_wadd(g->node[n].cum_div, dw);
				g->node[n].cum = pk_wadd(g->node[n].cum, w);
				if (tb && (st = pk_tags_add(tb, n, dw, w, false)) != PK_OK)
					goto done;
				if (e != PK_NONE) {
					pk_gedge *ed = &g->edge[e];
					ed->weight_div = pk_wadd(ed->weight_div, dw);
					ed->weight = pk_wadd(ed->weight, w);
					if (ni == nl - 1)
						ed->inl = false;
				}
				parent = n;
			}
		}
		if (parent != PK_NONE) {
			g->node[parent].flat_div = pk_wadd(g->node[parent].flat_div, dw);
			g->node[parent].flat = pk_wadd(g->node[parent].flat, w);
			if (tb && (st = pk_tags_add(tb, parent, dw, w, true)) != PK_OK)
				goto done;
		}
	}
	st = PK_OK;
done:
	tmap_destroy(&t.nodes);
	pk_free(t.in_edge);
	pk_free(t.info_id);
	return st == PK_ENOMEM ? pk_oom(ctx) : st;
}

/* ---- newGraph's pass over the samples ----------------------------------------------------- */
/* One visit per frame of every sample, so what it touches is kept small: a node's sums, its
 * "seen in this sample" stamp and its last out-edge in 32 bytes, and each edge in one 32-byte
 * slot of an open-addressing table keyed by src, dst (slot = the salted key's hash), so that a
 * frame costs one node line and at most one edge line. The sums go to g->node and g->edge
 * (edges in creation order) at the end. The divisors of -mean in arrays of their own. */
typedef struct node_acc {
	int64_t cum, flat;
	uint32_t stamp, last_dst, last_slot, pad;
} node_acc;

typedef struct edge_slot {
	uint32_t src, dst; /* dst PK_NONE: a free slot */
	uint32_t idx, stamp;
	int64_t weight;
	bool residual, called; /* called: seen at a location boundary (not inline) */
} edge_slot;

typedef struct edge_acc {
	edge_slot *slot;
	size_t mask, n;
	uint64_t seed;
	int64_t *div; /* by idx, -mean only */
	size_t cap_div;
} edge_acc;

static inline size_t eacc_slot(const edge_acc *m, uint32_t src, uint32_t dst)
{
	return pk_hash_mix((uint64_t)src << 32 | dst, m->seed) & m->mask; /* keyed, as tmap_slot */
}

/* Doubles the table (a first one of 1024 slots); the nodes' cached slots are then stale. */
static bool eacc_grow(edge_acc *m, node_acc *na, uint32_t n_nodes)
{
	size_t cap = m->slot ? (m->mask + 1) * 2 : 1024;
	if (cap > SIZE_MAX / 2 / sizeof(edge_slot))
		return false;
	edge_slot *t = pk_malloc(cap * sizeof *t);
	if (!t)
		return false;
	for (size_t i = 0; i < cap; i++)
		t[i].dst = PK_NONE;
	if (!m->slot)
		m->seed = pk_hash_slot((uint64_t)(uintptr_t)m);
	edge_acc grown = {t, cap - 1, m->n, m->seed, NULL, 0};
	for (size_t i = 0; m->slot && i <= m->mask; i++) {
		if (m->slot[i].dst == PK_NONE)
			continue;
		size_t j = eacc_slot(&grown, m->slot[i].src, m->slot[i].dst);
		while (t[j].dst != PK_NONE)
			j = (j + 1) & (cap - 1);
		t[j] = m->slot[i];
	}
	pk_free(m->slot);
	m->slot = t;
	m->mask = cap - 1;
	for (uint32_t i = 0; i < n_nodes; i++)
		na[i].last_dst = PK_NONE;
	return true;
}

/* The slot of edge src->dst, created when missing; NULL when out of memory or past 2^32 - 1
 * edges. */
static edge_slot *eacc_find(edge_acc *m, node_acc *na, uint32_t n_nodes, uint32_t src, uint32_t dst,
                            bool mean)
{
	node_acc *s = &na[src];
	if ((m->n + 1) * 2 > (m->slot ? m->mask + 1 : 0) && !eacc_grow(m, na, n_nodes))
		return NULL;
	size_t j = eacc_slot(m, src, dst);
	for (; m->slot[j].dst != PK_NONE; j = (j + 1) & m->mask)
		if (m->slot[j].dst == dst && m->slot[j].src == src)
			goto found;
	if (m->n + 1 >= PK_NONE)
		return NULL;
	if (mean && !pk_grow((void **)&m->div, &m->cap_div, m->n + 1, sizeof *m->div))
		return NULL;
	if (mean)
		m->div[m->n] = 0;
	m->slot[j] = (edge_slot){src, dst, (uint32_t)m->n++, 0, 0, false, false};
found:
	s->last_dst = dst;
	s->last_slot = (uint32_t)j;
	return &m->slot[j];
}

/* eacc_find, with the source's last edge looked at first (inline: most frames repeat it). */
static inline __attribute__((always_inline)) edge_slot *
eacc_get(edge_acc *m, node_acc *na, uint32_t n_nodes, uint32_t src, uint32_t dst, bool mean)
{
	const node_acc *s = &na[src];
	if (s->last_dst == dst)
		return &m->slot[s->last_slot];
	return eacc_find(m, na, n_nodes, src, dst, mean);
}

#define LOC_LINES 0x80000000u /* in loc1: the location has other than one line */

typedef struct frame_walk {
	uint32_t parent; /* the node of the frame before (callerward), PK_NONE at the root */
	bool residual;   /* frames were dropped since parent */
} frame_walk;

/* One frame of a sample: node n (PK_NONE: not kept), called when it is a location's last
 * line (the edge into it crosses a location). False when out of memory. */
static inline __attribute__((always_inline)) bool visit(frame_walk *fw, uint32_t n, bool called,
                                                        node_acc *na, int64_t *ndiv, edge_acc *m,
                                                        uint32_t nn, uint32_t stamp, int64_t w,
                                                        int64_t dw, bool mean, bool edges,
                                                        const bool *edges_into)
{
	if (n == PK_NONE) {
		fw->residual = true;
		return true;
	}
	node_acc *node = &na[n];
	if (node->stamp != stamp) {
		node->stamp = stamp;
		node->cum = pk_wadd(node->cum, w);
		if (mean)
			ndiv[2 * n] = pk_wadd(ndiv[2 * n], dw);
	}
	uint32_t parent = fw->parent;
	if (parent != PK_NONE && n != parent && edges && (!edges_into || edges_into[n])) {
		edge_slot *ed = eacc_get(m, na, nn, parent, n, mean);
		if (!ed)
			return false;
		if (ed->stamp != stamp) {
			ed->stamp = stamp;
			ed->weight = pk_wadd(ed->weight, w);
			if (mean)
				m->div[ed->idx] = pk_wadd(m->div[ed->idx], dw);
			if (fw->residual)
				ed->residual = true;
			if (called)
				ed->called = true;
		}
	}
	fw->parent = n;
	fw->residual = false;
	return true;
}

/* The pass over the samples: PK_OK, PK_ENOMEM or PK_ECANCELED (message set). */
static inline __attribute__((always_inline)) pk_status
sum_pass(pk_ctx *ctx, const pk_profile *p, const pk_gopts *o, const uint32_t *loc1,
         const uint32_t *lines, node_acc *na, int64_t *ndiv, edge_acc *m, uint32_t nn,
         const bool mean, const bool edges, const bool *edges_into)
{
	const uint32_t nt = p->n_sample_types;
	uint32_t stamp = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = p->values + s * nt;
		int64_t w = v[o->value_index], dw = mean ? v[0] : 0;
		pk_progress_items(ctx, "building the graph", s, p->n_samples);
		if (pk_cancel_point(ctx, s) != PK_OK)
			return PK_ECANCELED;
		if ((w == 0 && dw == 0) || pk_sample_grp_zero(p, s))
			continue;
		if (++stamp == UINT32_MAX) { /* a new epoch of stamps: none is current */
			for (uint32_t i = 0; i < nn; i++)
				na[i].stamp = 0;
			for (size_t i = 0; edges && i <= m->mask; i++)
				m->slot[i].stamp = 0;
			stamp = 1;
		}
		const pk_sample *sm = &p->samples[s];
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		frame_walk fw = {PK_NONE, false};
		for (uint32_t i = sm->n_locs; i-- > 0;) {
			uint32_t n = loc1[locs[i]];
			if (n == PK_NONE || !(n & LOC_LINES)) {
				if (!visit(&fw, n, true, na, ndiv, m, nn, stamp, w, dw, mean, edges,
				           edges_into))
					return PK_ENOMEM;
				continue;
			}
			const uint32_t *ln = lines + (n & ~LOC_LINES);
			for (uint32_t j = 1; j <= ln[0]; j++)
				if (!visit(&fw, ln[j], j == 1, na, ndiv, m, nn, stamp, w, dw, mean,
				           edges, edges_into))
					return PK_ENOMEM;
		}
		if (fw.parent != PK_NONE && !fw.residual) {
			na[fw.parent].flat = pk_wadd(na[fw.parent].flat, w);
			if (mean)
				ndiv[2 * fw.parent + 1] = pk_wadd(ndiv[2 * fw.parent + 1], dw);
		}
	}
	return PK_OK;
}

static pk_status sum_samples(pk_ctx *ctx, build *b, const pk_profile *p, const pk_gopts *o,
                             const size_t *loc_off, const uint32_t *loc_nodes,
                             const bool *edges_into)
{
	pk_graph *g = b->g;
	const uint32_t nn = g->n_node_all;
	const bool mean = o->mean, edges = !o->no_edges;
	pk_status st = PK_ENOMEM;
	edge_acc m = {0};
	uint32_t *loc1 = NULL, *lines = NULL;
	node_acc *na = pk_calloc(nn ? nn : 1, sizeof *na);
	int64_t *ndiv = mean ? pk_calloc(2 * (size_t)(nn ? nn : 1), sizeof *ndiv) : NULL;
	if (!na || (mean && !ndiv) || (edges && !eacc_grow(&m, na, nn)))
		goto done;
	for (uint32_t i = 0; i < nn; i++)
		na[i].last_dst = PK_NONE;
	/* What a frame visits, in one array read with one load: a location of one line (most
	 * frames) holds its node (or PK_NONE); one of other than one line holds LOC_LINES | k,
	 * where lines[k] is its number of lines and the nodes follow in the order visited (the
	 * caller, its last line, first). */
	const uint32_t n_loc = p->n_locations;
	if (nn >= LOC_LINES || loc_off[n_loc] + n_loc >= LOC_LINES)
		goto done; /* 2^31 nodes or lines: more than memory holds anyway */
	if (!(loc1 = pk_malloc((n_loc ? n_loc : 1) * sizeof *loc1)) ||
	    !(lines = pk_malloc((loc_off[n_loc] + n_loc + 1) * sizeof *lines)))
		goto done;
	for (uint32_t li = 0, k = 0; li < n_loc; li++) {
		size_t off = loc_off[li], nl = loc_off[li + 1] - off;
		if (nl == 1) {
			loc1[li] = loc_nodes[off];
			continue;
		}
		loc1[li] = LOC_LINES | k;
		lines[k++] = (uint32_t)nl;
		for (size_t ni = nl; ni-- > 0;)
			lines[k++] = loc_nodes[off + ni];
	}
	/* The pass, compiled for each case so that the common one (no -mean) carries nothing of
	 * the others in its registers. */
	if (mean)
		st = sum_pass(ctx, p, o, loc1, lines, na, ndiv, &m, nn, true, edges, edges_into);
	else if (edges)
		st = sum_pass(ctx, p, o, loc1, lines, na, ndiv, &m, nn, false, true, edges_into);
	else
		st = sum_pass(ctx, p, o, loc1, lines, na, ndiv, &m, nn, false, false, edges_into);
	if (st != PK_OK)
		goto done;
	st = PK_ENOMEM;
	for (uint32_t i = 0; i < nn; i++) {
		pk_gnode *n = &g->node[i];
		n->cum = na[i].cum;
		n->flat = na[i].flat;
		if (mean) {
			n->cum_div = ndiv[2 * i];
			n->flat_div = ndiv[2 * i + 1];
		}
	}
	if (edges && m.n) {
		if (!pk_grow((void **)&g->edge, &b->cap_edges, m.n, sizeof *g->edge))
			goto done;
		for (size_t i = 0; i <= m.mask; i++) {
			const edge_slot *sl = &m.slot[i];
			if (sl->dst == PK_NONE)
				continue;
			pk_gedge *e = &g->edge[sl->idx];
			memset(e, 0, sizeof *e);
			e->src = sl->src;
			e->dst = sl->dst;
			e->weight = sl->weight;
			e->weight_div = mean ? m.div[sl->idx] : 0;
			e->residual = sl->residual;
			e->inl = !sl->called;
		}
		g->n_edges = m.n;
	}
	st = PK_OK;
done:
	pk_free(loc1);
	pk_free(lines);
	pk_free(na);
	pk_free(ndiv);
	pk_free(m.slot);
	pk_free(m.div);
	return st == PK_ENOMEM ? pk_oom(ctx) : st; /* PK_ECANCELED: its message is set */
}

pk_status pk_graph_new(pk_ctx *ctx, pk_graph **out, pk_profile *p, const pk_gopts *o)
{
	pk_status st = PK_ENOMEM;
	build b = {0};
	uint32_t *loc_nodes = NULL, *file_clean = NULL;
	bool *edges_into = NULL;
	pk_ninfo *loc_info = NULL;
	pk_tagbuild *tb = NULL;
	size_t *loc_off = NULL;
	pk_sb sb = {0};
	*out = NULL;

	if ((st = trim_function_files(ctx, p, o)) != PK_OK)
		return st;
	st = PK_ENOMEM;
	pk_graph *g = pk_calloc(1, sizeof *g);
	if (!g || !(g->arena = pk_arena_new()))
		goto fail;
	g->p = p;
	b.g = g;
	if (!pk_hash_init(&b.nodes, p->n_locations + 16))
		goto fail;

	/* filepath.Clean of each function's file, once per function. */
	file_clean = pk_malloc(((size_t)p->n_functions + 1) * sizeof *file_clean);
	loc_off = pk_malloc(((size_t)p->n_locations + 1) * sizeof *loc_off);
	if (!file_clean || !loc_off)
		goto fail;
	for (uint32_t i = 0; i < p->n_functions; i++) {
		pk_str f = pk_s(p, p->functions[i].filename);
		file_clean[i] = 0;
		if (f.n) {
			pk_clean_path(&sb, f.s, f.n);
			if (sb.oom ||
			    (file_clean[i] = pk_strtab_intern(&p->strs, sb.s, sb.n)) == PK_NONE)
				goto fail;
		}
	}

	/* CreateNodes: the node info of each location's lines, in line order. */
	size_t total = 0;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		loc_off[i] = total;
		total += p->locations[i].n_lines ? p->locations[i].n_lines : 1;
	}
	loc_off[p->n_locations] = total;
	loc_info = pk_malloc((total ? total : 1) * sizeof *loc_info);
	if (!loc_info)
		goto fail;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		const pk_location *l = &p->locations[i];
		pk_sid objfile = 0;
		if (l->mapping != PK_NONE)
			objfile = p->mappings[l->mapping].file;
		uint32_t nl = l->n_lines ? l->n_lines : 1;
		for (uint32_t j = 0; j < nl; j++) {
			pk_ninfo ni = {0};
			ni.address = l->address;
			const pk_line *ln = l->n_lines ? &p->lines[l->line_start + j] : NULL;
			if (!ln || ln->function == PK_NONE) {
				ni.objfile = objfile;
			} else {
				const pk_function *f = &p->functions[ln->function];
				ni.lineno = ln->line;
				ni.name = f->name;
				ni.file = file_clean[ln->function];
				if (o->obj_names || ni.name == 0) {
					ni.objfile = objfile;
					ni.start_line = f->start_line;
				}
			}
			loc_info[loc_off[i] + j] = ni;
		}
	}
	/* A call tree gets its tags as it is built; a graph in one more pass once it is built. */
	if (o->tags && o->call_tree &&
	    (st = pk_tags_begin(ctx, &tb, g, o->tag_unit, o->bytes_unit)) != PK_OK)
		goto fail;
	st = PK_ENOMEM;
	g->tree = o->call_tree;
	if (o->call_tree) {
		if ((st = build_tree(ctx, &b, p, o, loc_info, loc_off, total, tb)) != PK_OK)
			goto fail;
		goto built;
	}

	/* The graph's nodes, one per distinct info. */
	loc_nodes = pk_malloc((total ? total : 1) * sizeof *loc_nodes);
	if (!loc_nodes)
		goto fail;
	for (size_t k = 0; k < total; k++) {
		uint32_t idx = PK_NONE;
		if (!o->kept || pk_nodeset_has(o->kept, &loc_info[k])) {
			idx = find_or_insert_node(&b, &loc_info[k], PK_NONE);
			if (idx == PK_NONE)
				goto fail;
		}
		loc_nodes[k] = idx;
	}

	if (o->inline_edges_only && !o->no_edges) {
		/* A node at a line of a location but its last is inlined there (graph.go: an edge
		 * is inline when it does not cross a location). */
		if (!(edges_into =
		          pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *edges_into)))
			goto fail;
		for (uint32_t i = 0; i < p->n_locations; i++)
			for (size_t k = loc_off[i]; k + 1 < loc_off[i + 1]; k++)
				if (loc_nodes[k] != PK_NONE)
					edges_into[loc_nodes[k]] = true;
	}
	if ((st = sum_samples(ctx, &b, p, o, loc_off, loc_nodes, edges_into)) != PK_OK)
		goto fail;
	st = PK_ENOMEM;

built:
	/* Adjacency lists, then selectNodesForGraph. */
	if ((st = pk_graph_link(ctx, g)) != PK_OK)
		goto fail;
	g->nodes = pk_arena_calloc(g->arena, g->n_node_all ? g->n_node_all : 1, sizeof *g->nodes);
	if (!g->nodes)
		goto oom;
	for (uint32_t i = 0; i < g->n_node_all; i++) {
		const pk_gnode *n = &g->node[i];
		if (n->cum == 0 && n->flat == 0)
			continue;
		if (o->drop_negative && (n->flat < 0 || (n->flat == 0 && n->cum < 0)))
			continue;
		g->nodes[g->n_nodes++] = i;
	}
	g->loc_node = loc_nodes; /* for pk_graph_add_tags */
	g->loc_off = loc_off;
	loc_nodes = NULL;
	loc_off = NULL;
	if (o->tags && !o->call_tree && (st = pk_graph_add_tags(ctx, g, o, NULL)) != PK_OK)
		goto fail;
	*out = g;
	g = NULL;
	st = PK_OK;
	goto done;
oom:
	st = PK_ENOMEM;
fail:
	if (st == PK_ENOMEM)
		st = pk_oom(ctx);
done:
	pk_tags_end(tb);
	pk_graph_free(g);
	pk_hash_destroy(&b.nodes);
	pk_free(loc_nodes);
	pk_free(edges_into);
	pk_free(loc_info);
	pk_free(loc_off);
	pk_free(file_clean);
	pk_sb_free(&sb);
	return st;
}

/* In and out edge lists of every node, in edge creation order. */
pk_status pk_graph_link(pk_ctx *ctx, pk_graph *g)
{
	for (uint32_t i = 0; i < g->n_node_all; i++) {
		g->node[i].n_in = g->node[i].n_out = 0;
	}
	for (size_t e = 0; e < g->n_edges; e++) {
		g->node[g->edge[e].src].n_out++;
		g->node[g->edge[e].dst].n_in++;
	}
	for (uint32_t i = 0; i < g->n_node_all; i++) {
		pk_gnode *n = &g->node[i];
		n->cap_in = n->n_in;
		n->cap_out = n->n_out;
		n->in = n->n_in ? pk_arena_alloc(g->arena, n->n_in * sizeof *n->in) : NULL;
		n->out = n->n_out ? pk_arena_alloc(g->arena, n->n_out * sizeof *n->out) : NULL;
		if ((n->n_in && !n->in) || (n->n_out && !n->out))
			return pk_oom(ctx);
		n->n_in = n->n_out = 0;
	}
	for (size_t e = 0; e < g->n_edges; e++) {
		pk_gnode *s = &g->node[g->edge[e].src], *d = &g->node[g->edge[e].dst];
		s->out[s->n_out++] = (uint32_t)e;
		d->in[d->n_in++] = (uint32_t)e;
	}
	return PK_OK;
}

/* NodeInfo.NameComponents joined by spaces. */
pk_str pk_graph_node_name(pk_graph *g, uint32_t i)
{
	pk_gnode *n = &g->node[i];
	if (n->name)
		return (pk_str){n->name, n->name_len};
	if (g->info_rep && g->info_rep[n->info_id] != i) {
		/* A call tree: the name of the first node of the same info, built once. */
		pk_str s = pk_graph_node_name(g, g->info_rep[n->info_id]);
		n->name = (char *)s.s;
		n->name_len = s.n;
		return s;
	}
	const pk_profile *p = g->p;
	pk_sb sb = {0};
	const pk_ninfo *in = &n->info;
	if (in->address)
		pk_sb_fmt(&sb, "%016" PRIx64, in->address);
	if (in->name) {
		if (sb.n)
			pk_sb_bytes(&sb, " ", 1);
		pk_str s = pk_s(p, in->name);
		pk_sb_bytes(&sb, s.s, s.n);
	}
	const char *sep = sb.n ? " " : "";
	if (in->lineno != 0) {
		pk_str f = pk_s(p, in->file);
		pk_sb_cstr(&sb, sep);
		pk_sb_bytes(&sb, f.s, f.n);
		pk_sb_fmt(&sb, ":%" PRId64, in->lineno);
	} else if (in->file) {
		pk_str f = pk_s(p, in->file);
		pk_sb_cstr(&sb, sep);
		pk_sb_bytes(&sb, f.s, f.n);
	} else if (in->name) {
	} else if (in->objfile) {
		pk_str f = pk_s(p, in->objfile);
		size_t e = f.n;
		while (e > 0 && f.s[e - 1] == '/')
			e--;
		size_t b = e;
		while (b > 0 && f.s[b - 1] != '/')
			b--;
		pk_sb_cstr(&sb, sep);
		pk_sb_bytes(&sb, "[", 1);
		if (e == 0)
			pk_sb_bytes(&sb, f.n ? "/" : ".", 1);
		else
			pk_sb_bytes(&sb, f.s + b, e - b);
		pk_sb_bytes(&sb, "]", 1);
	} else {
		pk_sb_cstr(&sb, sep);
		pk_sb_cstr(&sb, "<unknown>");
	}
	char *copy = sb.oom ? NULL : pk_arena_strndup(g->arena, sb.s ? sb.s : "", sb.n);
	uint32_t len = (uint32_t)sb.n;
	pk_sb_free(&sb);
	if (!copy) {
		g->oom = true;
		return (pk_str){"", 0};
	}
	n->name = copy;
	n->name_len = len;
	return (pk_str){n->name, n->name_len};
}

/* Tags node n with sample s's labels, made at the first node of the sample that wants them. */
static pk_status tag_node(pk_tagbuild *tb, size_t s, bool *tagged, uint32_t n, int64_t dw,
                          int64_t w, bool flat)
{
	if (!*tagged) {
		*tagged = true;
		pk_status st = pk_tags_sample(tb, s);
		if (st != PK_OK)
			return st;
	}
	return pk_tags_add(tb, n, dw, w, flat);
}

pk_status pk_graph_add_tags(pk_ctx *ctx, pk_graph *g, const pk_gopts *o, const bool *want)
{
	pk_profile *p = g->p;
	pk_tagbuild *tb = NULL;
	pk_status st;
	if (g->tree || !g->loc_node)
		return pk_fail(ctx, PK_EUSAGE, "tags of a call tree are built with the tree");
	uint64_t *stamp = pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *stamp);
	if (!stamp)
		return pk_oom(ctx);
	if ((st = pk_tags_begin(ctx, &tb, g, o->tag_unit, o->bytes_unit)) != PK_OK)
		goto done;
	/* The build's walk (pk_graph_new), nodes only: cum once per node and sample, flat to the
	 * last node when no dropped node follows it. */
	const uint32_t nt = p->n_sample_types;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = p->values + s * nt;
		int64_t w = v[o->value_index], dw = o->mean ? v[0] : 0;
		const pk_sample *sm = &p->samples[s];
		pk_progress_items(ctx, "tagging the graph", s, p->n_samples);
		if ((st = pk_cancel_point(ctx, s)) != PK_OK)
			goto done;
		if ((w == 0 && dw == 0) || sm->n_labels == 0 || /* no labels: no tags */
		    pk_sample_grp_zero(p, s))
			continue;
		bool tagged = false; /* the sample's tags are made at its first wanted node */
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		uint32_t parent = PK_NONE;
		bool residual = false;
		for (uint32_t i = sm->n_locs; i-- > 0;) {
			size_t off = g->loc_off[locs[i]], nl = g->loc_off[locs[i] + 1] - off;
			for (size_t ni = nl; ni-- > 0;) {
				uint32_t n = g->loc_node[off + ni];
				if (n == PK_NONE) {
					residual = true;
					continue;
				}
				if (stamp[n] != s + 1) {
					stamp[n] = s + 1;
					if ((!want || want[n]) &&
					    (st = tag_node(tb, s, &tagged, n, dw, w, false)) !=
					        PK_OK)
						goto done;
				}
				parent = n;
				residual = false;
			}
		}
		if (parent != PK_NONE && !residual && (!want || want[parent]) &&
		    (st = tag_node(tb, s, &tagged, parent, dw, w, true)) != PK_OK)
			goto done;
	}
	st = PK_OK;
done:
	pk_tags_end(tb);
	pk_free(stamp);
	return st;
}

pk_status pk_graph_copy_tags(pk_ctx *ctx, pk_graph *dst, const pk_graph *src, uint32_t n)
{
	if (dst->n_tags)
		return pk_fail(ctx, PK_EUSAGE, "the graph has tags already");
	if (n > src->n_nodes)
		n = src->n_nodes;
	pk_nodeset set;
	if (pk_nodeset_init(&set, n) != PK_OK)
		return pk_oom(ctx);
	pk_status st = PK_OK;
	for (uint32_t i = 0; i < n && st == PK_OK; i++)
		st = pk_nodeset_add(&set, &src->node[src->nodes[i]].info);
	/* dst's node j takes the tags of src's node from[j] (PK_NONE: none). */
	uint32_t *from = pk_malloc((dst->n_nodes ? dst->n_nodes : 1) * sizeof *from);
	size_t total = 0;
	if (st != PK_OK || !from) {
		st = pk_oom(ctx);
		goto done;
	}
	for (uint32_t j = 0; j < dst->n_nodes; j++) {
		const pk_ninfo *info = &dst->node[dst->nodes[j]].info;
		uint32_t k = pk_hash_find(&set.h, info_hash(info), set_eq, &set, info);
		from[j] = k == PK_NONE ? PK_NONE : src->nodes[k];
		for (uint32_t t = from[j] == PK_NONE ? PK_NONE : src->node[from[j]].tag_head;
		     t != PK_NONE; t = src->tag[t].next)
			total += !src->tag[t].removed;
	}
	if (total >= PK_NONE) {
		st = pk_oom(ctx);
		goto done;
	}
	if (total && !(dst->tag = pk_malloc(total * sizeof *dst->tag))) {
		st = pk_oom(ctx);
		goto done;
	}
	/* Each chain copied in its order (a node's tags print in chain order when they tie),
	 * less the tags already removed: no reader looks at those. */
	for (uint32_t j = 0; j < dst->n_nodes; j++) {
		uint32_t node = dst->nodes[j], *link = &dst->node[node].tag_head;
		for (uint32_t t = from[j] == PK_NONE ? PK_NONE : src->node[from[j]].tag_head;
		     t != PK_NONE; t = src->tag[t].next) {
			if (src->tag[t].removed)
				continue;
			pk_gtag *c = &dst->tag[dst->n_tags];
			*c = src->tag[t];
			c->node = node;
			c->removed = false;
			c->next = PK_NONE;
			*link = (uint32_t)dst->n_tags++;
			link = &c->next;
		}
	}
done:
	pk_free(from);
	pk_nodeset_destroy(&set);
	return st;
}

const char *pk_node_inline_mark(const pk_graph *g, const pk_gnode *n)
{
	bool inl = false, noinl = false;
	for (uint32_t j = 0; j < n->n_in; j++) {
		const pk_gedge *e = &g->edge[n->in[j]];
		if (e->removed)
			continue;
		if (e->inl)
			inl = true;
		else
			noinl = true;
	}
	return inl ? (noinl ? "partial-inline" : "inline") : "";
}
