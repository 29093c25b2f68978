/* graph/graph.h - private to lib/: the call graph (pprof internal/graph): nodes, edges and
 * node tags built from a profile's samples (graph.c, nodetags.c), sorting and trimming (trim.c),
 * node names and paths (names.c), ShortenFunctionName (shorten.c). Above profile/.
 */
#ifndef PK_GRAPH_H
#define PK_GRAPH_H

#include "profile/profile.h"

typedef struct pk_ninfo {
	pk_sid name, orig_name, file, objfile;
	uint64_t address;
	int64_t start_line, lineno;
} pk_ninfo;

typedef struct pk_gedge {
	uint32_t src, dst; /* node indices */
	int64_t weight, weight_div;
	bool residual, inl, removed;
	uint64_t stamp; /* last sample that touched it */
} pk_gedge;

typedef struct pk_gnode {
	pk_ninfo info;
	int64_t flat, flat_div, cum, cum_div;
	uint32_t *in, *out; /* edge indices (arena); removed edges stay with removed set */
	uint32_t n_in, n_out, cap_in, cap_out;
	char *name; /* PrintableName, built lazily (arena) */
	uint32_t name_len;
	uint32_t info_id;  /* call tree: its info's index among the tree's distinct infos */
	uint64_t stamp;    /* last sample that touched it */
	uint32_t parent;   /* call tree: the node it hangs from (PK_NONE: a root, or a graph) */
	uint32_t tag_head; /* first of its tags (pk_gtag.next chains them), PK_NONE: none */
} pk_gnode;

/* A tag of a node (graph.go Tag): a label tag (the sample's string labels joined, LabelTags)
 * or a numeric tag (a "bytes" value, NumericTags[group]). Names and units are profile strings. */
typedef struct pk_gtag {
	pk_sid name;
	pk_sid group; /* numeric: the joined labels it belongs to ("" = none) */
	pk_sid unit;  /* numeric only */
	int64_t value;
	int64_t flat, flat_div, cum, cum_div;
	uint32_t node, next;
	bool numeric, removed;
} pk_gtag;
static inline int64_t pk_tag_flat(const pk_gtag *t)
{
	return t->flat_div == 0 ? t->flat : t->flat / t->flat_div;
}
static inline int64_t pk_tag_cum(const pk_gtag *t)
{
	return t->cum_div == 0 ? t->cum : t->cum / t->cum_div;
}

typedef struct pk_graph {
	pk_arena *arena;
	pk_profile *p;
	pk_gnode *node; /* every node created, by index */
	uint32_t n_node_all;
	uint32_t *nodes; /* the graph's nodes (Graph.Nodes), in their current order */
	uint32_t n_nodes;
	pk_gedge *edge;
	size_t n_edges;
	pk_gtag *tag; /* malloc'd; by pk_gopts.tags or pk_graph_add_tags */
	size_t n_tags;
	/* A call tree: the first node of each distinct info (by pk_gnode.info_id), whose name
	 * every node of that info shares. malloc'd. */
	uint32_t *info_rep;
	uint32_t n_infos;
	bool tree; /* built by newTree (-call_tree) */
	bool oom;  /* a node name could not be built (pk_graph_node_name gave "") */
	/* Not a tree: the node of each location line (loc_node[loc_off[l] + j], PK_NONE: not
	 * kept), for pk_graph_add_tags. malloc'd. */
	uint32_t *loc_node;
	size_t *loc_off;
} pk_graph;

/* A set of node infos (NodeSet), for rebuilding a graph with only some nodes. */
typedef struct pk_nodeset {
	pk_ninfo *v;
	uint32_t n;
	pk_hash h;
} pk_nodeset;

typedef struct pk_gopts {
	uint32_t value_index;
	bool mean;
	bool obj_names;
	bool call_tree;
	bool drop_negative;
	bool tags;              /* build node tags (dot, svg only: they cost time) */
	const char *tag_unit;   /* output unit that numeric tag names are scaled to */
	const char *bytes_unit; /* NumLabelUnits["bytes"]; NULL or "": found in the samples */
	const char *trim_path, *source_path;
	const pk_nodeset *kept; /* NULL: all */
	bool no_edges;          /* nodes only: the graph is sorted and cut, then built again */
	/* Edges only into the nodes some location inlines (has at a line but its last): top reads
	 * edges only for its " (inline)" marks, and a node no location inlines has none to mark. */
	bool inline_edges_only;
} pk_gopts;

pk_status pk_graph_new(pk_ctx *ctx, pk_graph **out, pk_profile *p, const pk_gopts *o);
void pk_graph_free(pk_graph *g);
/* (Re)builds every node's in/out edge lists from the edge array. */
pk_status pk_graph_link(pk_ctx *ctx, pk_graph *g);
static inline int64_t pk_node_flat(const pk_gnode *n)
{
	return n->flat_div == 0 ? n->flat : pk_wdiv(n->flat, n->flat_div);
}
static inline int64_t pk_node_cum(const pk_gnode *n)
{
	return n->cum_div == 0 ? n->cum : pk_wdiv(n->cum, n->cum_div);
}
static inline int64_t pk_edge_weight(const pk_gedge *e)
{
	return e->weight_div == 0 ? e->weight : pk_wdiv(e->weight, e->weight_div);
}
/* What top prints after a node's name (report.go printText): "inline" when every live edge
 * into it is inlined, "partial-inline" when some are, "" when none is. */
const char *pk_node_inline_mark(const pk_graph *g, const pk_gnode *n);
/* PrintableName of node i (borrowed from the graph). */
pk_str pk_graph_node_name(pk_graph *g, uint32_t i);

typedef enum {
	PK_ORDER_FLAT_NAME,
	PK_ORDER_FLAT_CUM_NAME,
	PK_ORDER_CUM_NAME,
	PK_ORDER_NAME,
	PK_ORDER_FILE,
	PK_ORDER_ADDRESS,
	PK_ORDER_ENTROPY
} pk_order;
pk_status pk_graph_sort(pk_ctx *ctx, pk_graph *g, pk_order o);
/* Graph.SortNodes */
pk_status pk_graph_sort_nodes(pk_ctx *ctx, pk_graph *g, bool cum, bool visual);
/* Sorted live in/out edges of node (EdgeMap.Sort); *out malloc'd. */
pk_status pk_graph_sorted_edges(pk_ctx *ctx, pk_graph *g, uint32_t node, bool in, uint32_t **out,
                                uint32_t *n);
int pk_graph_trim_low_freq_edges(pk_graph *g, int64_t cutoff);
pk_status pk_graph_remove_redundant_edges(pk_ctx *ctx, pk_graph *g);
/* Sorts edge indices as EdgeMap.Sort does (weight, then source and destination names). */
void pk_graph_sort_edge_list(pk_graph *g, uint32_t *v, size_t n);
/* Graph.TrimTree: keeps the nodes with keep[node index] set, hanging each kept node from its
 * nearest kept ancestor with a residual edge; then RemoveRedundantEdges. */
pk_status pk_graph_trim_tree(pk_ctx *ctx, pk_graph *g, const bool *keep);

/* nodetags.c: tags (nodelets), built while the graph is built (graph.go addSample). */
typedef struct pk_tagbuild pk_tagbuild;
pk_status pk_tags_begin(pk_ctx *ctx, pk_tagbuild **out, pk_graph *g, const char *unit,
                        const char *bytes_unit);
/* Before the nodes of sample s: its joined labels and numeric tag names. */
pk_status pk_tags_sample(pk_tagbuild *tb, size_t s);
/* addSample's tag part for node n (flat: the leaf's flat share, else the cum share). */
pk_status pk_tags_add(pk_tagbuild *tb, uint32_t n, int64_t dw, int64_t w, bool flat);
void pk_tags_end(pk_tagbuild *tb); /* NULL is fine; the tags stay with the graph */
/* The tags of the nodes with want[node index] set (want NULL: every node), for a graph built
 * without them (not a tree): one more pass over the samples, the build's walk. A node's tags
 * depend only on the samples through it, so the graph of a report can be built without tags
 * and give them to just the nodes that are drawn; pk_gopts.tags does it for every node. */
pk_status pk_graph_add_tags(pk_ctx *ctx, pk_graph *g, const pk_gopts *o, const bool *want);
/* The tags of src's first n nodes (src's order) given to the nodes of dst with the same info,
 * each node's chain in its order, those marked removed left out (a trim by the same cutoff
 * would remove them again). A node's tags depend only on the samples through it, so they are
 * those pk_graph_add_tags would give it in any graph of the same profile and options that
 * keeps the node (not a call tree's). dst has no tags yet. */
pk_status pk_graph_copy_tags(pk_ctx *ctx, pk_graph *dst, const pk_graph *src, uint32_t n);
/* Graph.TrimLowFrequencyTags */
void pk_graph_trim_low_freq_tags(pk_graph *g, int64_t cutoff);
/* selectTopNodes in visual mode: how many nodes fit when each node's tags count too. */
uint32_t pk_graph_visual_node_budget(const pk_graph *g, uint32_t max_nodes);
/* Node sets */
pk_status pk_nodeset_init(pk_nodeset *s, uint32_t expect);
void pk_nodeset_destroy(pk_nodeset *s);
pk_status pk_nodeset_add(pk_nodeset *s, const pk_ninfo *info);
bool pk_nodeset_has(const pk_nodeset *s, const pk_ninfo *info);

/* Node selection (graph.go DiscardLowFrequencyNodes, SelectTopNodes): the first n nodes of the
 * current order whose |cum| reaches cum_cutoff, as a node set (rebuild) or as flags by node
 * index (a call tree, trimmed in place; *kept_n gets how many; NULL when out of memory). */
pk_status pk_graph_keep_first(pk_ctx *ctx, pk_graph *g, uint32_t n, int64_t cum_cutoff,
                              pk_nodeset *set);
bool *pk_graph_keep_first_ptrs(pk_graph *g, uint32_t n, int64_t cum_cutoff, uint32_t *kept_n);

/* names.c */
/* report.go trimPath */
void pk_trim_path(pk_sb *sb, const char *path, size_t n, const char *trim_path,
                  const char *search_path);

/* shorten.c: graph.go ShortenFunctionName of s[0..n) into sb. */
void pk_shorten_function_name(pk_sb *sb, const char *s, size_t n);

#endif
