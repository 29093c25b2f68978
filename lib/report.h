/* report.h - private: the report context shared by pipeline.c, graph*.c and report_*.c, and the
 * call graph. Mirrors internal/report/report.go (Report, Options) and internal/graph/graph.go
 * (Graph, Node, Edge, NodeInfo). */
#ifndef PK_REPORT_H
#define PK_REPORT_H

#include "pk.h"

/* The resolved options of one report: pprof's config after applyCommandOverrides and
 * reportOptions. */
typedef struct pk_rpt {
	pk_ctx *ctx;
	pk_profile *p;
	const pk_options *opt;
	pk_format fmt;

	uint32_t value_index; /* SampleValue: values[value_index] */
	bool mean;            /* SampleMeanDivisor: values[0] */
	pk_sb sample_type;    /* "mean_" + type when mean */
	const char *sample_unit;
	const char *output_unit; /* -unit, replaced by selectOutputUnit */
	char output_unit_buf[64];
	double ratio; /* 1 / divide_by */
	int64_t total;

	int nodecount;
	double nodefraction, edgefraction;
	pk_granularity gran;
	bool noinlines, cum_sort, call_tree, drop_negative, compact_labels;
	const char *title;
	pk_sb filters; /* "focus=RE\0ignore=RE\0...": ActiveFilters */
	int n_filters;
	pk_out out;
	/* NumLabelUnits (labelunits.c): unit of each numeric label key, sorted by key id. */
	struct pk_nlu {
		pk_sid key, unit;
	} * nlu;
	uint32_t n_nlu;
} pk_rpt;

/* rpt.formatValue: ratio applied, then ScaledLabel(v, sample unit, output unit). */
char *pk_rpt_format_value(const pk_rpt *r, char *buf, size_t n, int64_t v);
/* ProfileLabels + the "Showing nodes ..." lines (reportLabels); lines appended to out, each
 * followed by '\n'. */
struct pk_graph;
void pk_rpt_labels(pk_rpt *r, const struct pk_graph *g, int orig_count, int dropped_nodes,
                   int dropped_edges, bool full_headers, pk_sb *out);
void pk_rpt_profile_labels(pk_rpt *r, pk_sb *out);

/* The label lines of traces and raw: a piece [off, off+len) of a scratch buffer, ordered by
 * its bytes (qsort_r with the buffer's base as argument); and the order of a sample's labels:
 * string labels before numeric ones, then by key id, then as they were. */
typedef struct pk_span {
	size_t off, len;
} pk_span;
int pk_span_cmp(const void *a, const void *b, void *base);
/* (*order)[0..n): the indices of labels[0..n) in that order; *order grows (*cap) as needed.
 * False when out of memory. */
bool pk_label_order(const pk_label *labels, uint32_t n, uint32_t **order, size_t *cap);

/* labelunits.c: Profile.NumLabelUnits of r->p into r->nlu (the profile's arena), with pprof's
 * warnings for keys seen with several units; run before anything filters the profile. */
pk_status pk_rpt_num_label_units(pk_rpt *r);
/* o.NumLabelUnits[key]: the key's unit, "" for a key without numeric labels. */
const char *pk_rpt_num_label_unit(const pk_rpt *r, pk_sid key);

/* ---- graph (graph.c) -------------------------------------------------------------------- */
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
	uint64_t stamp;    /* last sample that touched it */
	uint32_t parent;   /* call tree: the node it hangs from (PK_NONE: a root, or a graph) */
	uint32_t tag_head; /* first of its tags (pk_gtag.next chains them), PK_NONE: none */
	uint32_t last_dst, last_edge; /* the out-edge found last: consecutive samples share it */
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
	bool tree; /* built by newTree (-call_tree) */
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

/* graph_tags.c: tags (nodelets), built while the graph is built (graph.go addSample). */
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
/* Graph.TrimLowFrequencyTags */
void pk_graph_trim_low_freq_tags(pk_graph *g, int64_t cutoff);
/* selectTopNodes in visual mode: how many nodes fit when each node's tags count too. */
uint32_t pk_graph_visual_node_budget(const pk_graph *g, uint32_t max_nodes);
/* Node sets */
pk_status pk_nodeset_init(pk_nodeset *s, uint32_t expect);
void pk_nodeset_destroy(pk_nodeset *s);
pk_status pk_nodeset_add(pk_nodeset *s, const pk_ninfo *info);
bool pk_nodeset_has(const pk_nodeset *s, const pk_ninfo *info);

/* report.go newTrimmedGraph */
pk_status pk_rpt_trimmed_graph(pk_rpt *r, pk_graph **out, int *orig_count, int *dropped_nodes,
                               int *dropped_edges);
/* report.go selectOutputUnit */
void pk_rpt_select_output_unit(pk_rpt *r, pk_graph *g);

/* names.c */
/* Go's filepath.Clean of s into sb. */
void pk_clean_path(pk_sb *sb, const char *s, size_t n);
/* report.go trimPath */
void pk_trim_path(pk_sb *sb, const char *path, size_t n, const char *trim_path,
                  const char *search_path);

/* filter.c: -focus ... -tagignore, in pprof's order (driver_focus.go applyFocus); warnings for
 * expressions that match nothing. tagroot.c: -tagroot/-tagleaf pseudo frames. */
pk_status pk_apply_filters(pk_rpt *r);
pk_status pk_tag_roots_leaves(pk_rpt *r);

/* Reports: one function per report, each in its own file. */
pk_status pk_report_text(pk_rpt *r);     /* report_text.c: top */
pk_status pk_report_traces(pk_rpt *r);   /* report_traces.c */
pk_status pk_report_tree(pk_rpt *r);     /* report_tree.c: tree and peek */
pk_status pk_report_tags(pk_rpt *r);     /* report_tags.c */
pk_status pk_report_raw(pk_rpt *r);      /* report_raw.c: raw */
pk_status pk_report_comments(pk_rpt *r); /* report_raw.c: comments */
pk_status pk_report_list(pk_rpt *r);     /* report_list.c */
pk_status pk_report_dot(pk_rpt *r);      /* dot.c */
pk_status pk_report_svg(pk_rpt *r);      /* svg.c */
/* dot.c: the DOT text of the report into o. strict (for svg.c, which renders it) also
 * escapes what pprof writes unescaped (file names, tag names, the title), so that any name
 * gives valid DOT; without it the text is pprof's, byte for byte. */
pk_status pk_dot_compose(pk_rpt *r, pk_out *o, bool strict);
/* dot.c: graph.go ShortenFunctionName of s[0..n) into sb. */
void pk_shorten_function_name(pk_sb *sb, const char *s, size_t n);
pk_status pk_report_proto(pk_rpt *r); /* report_proto.c: printProto */

#endif
