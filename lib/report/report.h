/* report/report.h - private to lib/: the report stage (pprof internal/report). pk_rpt is one
 * report's resolved options and state, shared by the driver (which fills it) and every report
 * (text.c, tree.c, traces.c, tags.c, raw.c, list.c, proto.c, dot.c, svg.c); report.c holds what
 * they share (value formatting, header lines), trimmed.c the graph they draw. Above graph/.
 */
#ifndef PK_REPORT_H
#define PK_REPORT_H

#include "graph/graph.h"

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
	pk_nlu_table nlu; /* NumLabelUnits, taken before anything filters the profile */
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

/* o.NumLabelUnits[key] of the report's profile: the key's unit, "" for none. */
const char *pk_rpt_num_label_unit(const pk_rpt *r, pk_sid key);

/* trimmed.c: report.go newTrimmedGraph */
pk_status pk_rpt_trimmed_graph(pk_rpt *r, pk_graph **out, int *orig_count, int *dropped_nodes,
                               int *dropped_edges);
/* trimmed.c: report.go selectOutputUnit */
void pk_rpt_select_output_unit(pk_rpt *r, pk_graph *g);

/* Reports: one function per report, each in its own file. */
pk_status pk_report_text(pk_rpt *r);     /* text.c: top */
pk_status pk_report_traces(pk_rpt *r);   /* traces.c */
pk_status pk_report_tree(pk_rpt *r);     /* tree.c: tree and peek */
pk_status pk_report_tags(pk_rpt *r);     /* tags.c */
pk_status pk_report_raw(pk_rpt *r);      /* raw.c: raw */
pk_status pk_report_comments(pk_rpt *r); /* raw.c: comments */
pk_status pk_report_list(pk_rpt *r);     /* list.c */
pk_status pk_report_dot(pk_rpt *r);      /* dot.c */
pk_status pk_report_svg(pk_rpt *r);      /* svg.c */
/* dot.c: the DOT text of the report into o. strict (for svg.c, which renders it) also
 * escapes what pprof writes unescaped (file names, tag names, the title), so that any name
 * gives valid DOT; without it the text is pprof's, byte for byte. */
pk_status pk_dot_compose(pk_rpt *r, pk_out *o, bool strict);
pk_status pk_report_proto(pk_rpt *r); /* proto.c: printProto */

/* traces.c: the name `traces` prints for line ln of location l (ln NULL: a location without
 * lines), appended to sb; clean is scratch. After aggregation to a granularity these are the
 * names every stack report prints for it. */
void pk_trace_frame_name(pk_sb *sb, pk_sb *clean, const pk_profile *p, const pk_location *l,
                         const pk_line *ln);
/* traces.c: where the frames of each location start when every line of a location is a frame
 * (a location without lines is one): index[l] .. index[l + 1] for location l; *total frames in
 * all. pk_malloc'd (n_locations + 1 entries); NULL when out of memory. */
size_t *pk_rpt_frame_index(const pk_profile *p, size_t *total);

#endif
