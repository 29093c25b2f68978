/* tree.c - the `tree` and `peek` reports: for each node of the (trimmed) call graph, its
 * callers above it, the node's own flat and cumulative values, and its callees below it.
 *
 * Mirrors internal/report/report.go printTree, and internal/graph/graph.go EdgeMap.Sort
 * (pk_graph_sorted_edges) and NodeInfo.PrintableName (pk_graph_node_name).
 * - peek keeps only the nodes whose printable name the RE matches (unanchored, as
 *   Regexp.MatchString); the RE is compiled as driver.go compiles a command's argument, and a
 *   bad one fails with "parsing argument regexp RE: ...". No match is an error, "no matches
 *   found for regexp: RE", and pprof then prints nothing: so matches are counted before
 *   anything is written. It is PK_ENOMATCH, as in list.c (the CLI exits 1, as pprof does).
 * - Edge lines show the edge's raw weight (not divided by -mean), as a percentage of the
 *   node's cumulative value; "sum%" adds up the flat values of the printed nodes only.
 * - The legend line ends in tab characters, as pprof's does.
 * Divergence: pprof compiles the peek RE before it applies -focus and the other filters, so
 * with a bad filter RE and a bad peek RE it names the peek RE; here the filter is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/structured.h"

static const char separator[] =
    "----------------------------------------------------------+-------------\n";
static const char legend[] =
    "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n";

/* regexp.Compile of the peek argument, with driver.go's wording on failure. */
static pk_status compile_symbol(pk_rpt *r, pk_regex **re)
{
	const char *sym = r->opt->symbol ? r->opt->symbol : "";
	pk_status st = pk_regex_compile(r->ctx, re, sym, NULL);
	if (st == PK_EUSAGE) {
		char msg[sizeof r->ctx->msg];
		snprintf(msg, sizeof msg, "%s", pk_ctx_message(r->ctx));
		return pk_fail(r->ctx, st, "parsing argument regexp %s: %s", sym, msg);
	}
	return st;
}

static void edge_line(pk_rpt *r, pk_graph *g, const pk_gedge *e, uint32_t other, int64_t cum)
{
	char v[128], pct[32];
	pk_out_fmt(&r->out, "%50s %s |   ", pk_rpt_format_value(r, v, sizeof v, e->weight),
	           pk_percentage(pct, sizeof pct, e->weight, cum));
	pk_out_str(&r->out, pk_graph_node_name(g, other));
	pk_out_cstr(&r->out, e->inl ? " (inline)\n" : "\n");
}

static pk_status print_edges(pk_rpt *r, pk_graph *g, uint32_t ni, bool in, int64_t cum)
{
	uint32_t *edges, n;
	pk_status st = pk_graph_sorted_edges(r->ctx, g, ni, in, &edges, &n);
	if (st != PK_OK)
		return st;
	for (uint32_t i = 0; i < n; i++) {
		const pk_gedge *e = &g->edge[edges[i]];
		edge_line(r, g, e, in ? e->src : e->dst, cum);
	}
	pk_free(edges);
	return PK_OK;
}

/* -format=json|csv: the nodes printTree prints, each with its callers and callees (sorted as
 * there). CSV: one row per node line and per edge line, relation self, caller or callee. */
static pk_status edges_structured(pk_rpt *r, pk_graph *g, uint32_t ni, bool in, bool json,
                                  pk_str node)
{
	uint32_t *edges, n;
	pk_out *o = &r->out;
	char v[128];
	pk_status st = pk_graph_sorted_edges(r->ctx, g, ni, in, &edges, &n);
	if (st != PK_OK)
		return st;
	for (uint32_t i = 0; i < n; i++) {
		const pk_gedge *e = &g->edge[edges[i]];
		pk_str other = pk_graph_node_name(g, in ? e->src : e->dst);
		if (json) {
			pk_out_cstr(o, i ? ",{\"name\":" : "{\"name\":");
			pk_out_json_str(o, other.s, other.n);
			pk_out_fmt(o, ",\"inline\":%s", e->inl ? "true" : "false");
			pk_rpt_json_value(r, "weight", e->weight, true);
			pk_out_cstr(o, "}");
		} else {
			pk_out_csv_str(o, node.s, node.n);
			pk_out_cstr(o, in ? ",caller," : ",callee,");
			pk_out_csv_str(o, other.s, other.n);
			pk_out_fmt(o, ",%s,,,%lld,", e->inl ? "true" : "false",
			           (long long)e->weight);
			pk_out_csv_str(o, r->sample_unit, strlen(r->sample_unit));
			pk_out_fmt(o, ",,,%s\r\n", pk_rpt_format_value(r, v, sizeof v, e->weight));
		}
	}
	pk_free(edges);
	return PK_OK;
}

static pk_status tree_structured(pk_rpt *r, pk_graph *g, const bool *show)
{
	pk_out *o = &r->out;
	bool json = r->opt->output == PK_OUT_JSON;
	char fv[128], cv[128];
	pk_status st;
	if (json) {
		pk_rpt_json_head(r, r->fmt == PK_FMT_PEEK ? "peek" : "tree");
		pk_out_cstr(o, "\"nodes\":[");
	} else {
		pk_out_cstr(o, "node,relation,name,inline,flat,cum,weight,unit,flat_scaled,"
		               "cum_scaled,weight_scaled\r\n");
	}
	bool first = true;
	for (uint32_t i = 0; i < g->n_nodes && o->status == PK_OK; i++) {
		if (!show[i])
			continue;
		uint32_t ni = g->nodes[i];
		const pk_gnode *n = &g->node[ni];
		int64_t flat = pk_node_flat(n), cum = pk_node_cum(n);
		pk_str name = pk_graph_node_name(g, ni);
		if (json) {
			pk_out_cstr(o, first ? "{\"name\":" : ",{\"name\":");
			pk_out_json_str(o, name.s, name.n);
			pk_rpt_json_value(r, "flat", flat, true);
			pk_out_cstr(o, ",\"flat_pct\":");
			pk_out_json_pct(o, flat, r->total);
			pk_rpt_json_value(r, "cum", cum, true);
			pk_out_cstr(o, ",\"cum_pct\":");
			pk_out_json_pct(o, cum, r->total);
			pk_out_cstr(o, ",\"callers\":[");
		}
		first = false;
		if ((st = edges_structured(r, g, ni, true, json, name)) != PK_OK)
			return st;
		if (json) {
			pk_out_cstr(o, "],\"callees\":[");
		} else {
			pk_out_csv_str(o, name.s, name.n);
			pk_out_cstr(o, ",self,");
			pk_out_csv_str(o, name.s, name.n);
			pk_out_fmt(o, ",,%lld,%lld,,", (long long)flat, (long long)cum);
			pk_out_csv_str(o, r->sample_unit, strlen(r->sample_unit));
			pk_out_fmt(o, ",%s,%s,\r\n", pk_rpt_format_value(r, fv, sizeof fv, flat),
			           pk_rpt_format_value(r, cv, sizeof cv, cum));
		}
		if ((st = edges_structured(r, g, ni, false, json, name)) != PK_OK)
			return st;
		if (json)
			pk_out_cstr(o, "]}");
	}
	if (json)
		pk_out_cstr(o, "]}\n");
	return PK_OK;
}

pk_status pk_report_tree(pk_rpt *r)
{
	pk_graph *g = NULL;
	pk_regex *re = NULL;
	bool *show = NULL;
	pk_sb hdr = {0};
	int orig = 0, dropped_nodes = 0, dropped_edges = 0;
	pk_status st;
	if (r->fmt == PK_FMT_PEEK && (st = compile_symbol(r, &re)) != PK_OK)
		return st;
	if ((st = pk_rpt_trimmed_graph(r, &g, &orig, &dropped_nodes, &dropped_edges)) != PK_OK)
		goto done;
	pk_rpt_select_output_unit(r, g);

	/* Which nodes to print; with none, pprof fails before printing anything. */
	show = pk_malloc((g->n_nodes ? g->n_nodes : 1) * sizeof *show);
	if (!show)
		goto oom;
	uint32_t matched = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		pk_str name = pk_graph_node_name(g, g->nodes[i]);
		show[i] = !re || pk_regex_match(re, name.s, name.n);
		matched += show[i];
	}
	if (g->oom)
		goto oom;
	if (re && matched == 0) {
		st =
		    pk_fail(r->ctx, PK_ENOMATCH, "no matches found for regexp: %s", r->opt->symbol);
		goto done;
	}

	if (r->opt->output != PK_OUT_TEXT) {
		st = tree_structured(r, g, show);
		goto done;
	}
	pk_rpt_labels(r, g, orig, dropped_nodes, 0, false, &hdr);
	if (hdr.oom)
		goto oom;
	pk_out_bytes(&r->out, hdr.s, hdr.n);
	pk_out_cstr(&r->out, separator);
	pk_out_cstr(&r->out, legend);

	int64_t flat_sum = 0;
	char fv[128], cv[128], p1[32], p2[32], p3[32];
	for (uint32_t i = 0; i < g->n_nodes && r->out.status == PK_OK; i++) {
		if (!show[i])
			continue;
		uint32_t ni = g->nodes[i];
		const pk_gnode *n = &g->node[ni];
		int64_t flat = pk_node_flat(n), cum = pk_node_cum(n);
		pk_out_cstr(&r->out, separator);
		if ((st = print_edges(r, g, ni, true, cum)) != PK_OK)
			goto done;
		flat_sum = (int64_t)((uint64_t)flat_sum + (uint64_t)flat);
		pk_out_fmt(&r->out, "%10s %s %s %10s %s                | ",
		           pk_rpt_format_value(r, fv, sizeof fv, flat),
		           pk_percentage(p1, sizeof p1, flat, r->total),
		           pk_percentage(p2, sizeof p2, flat_sum, r->total),
		           pk_rpt_format_value(r, cv, sizeof cv, cum),
		           pk_percentage(p3, sizeof p3, cum, r->total));
		pk_out_str(&r->out, pk_graph_node_name(g, ni));
		pk_out_bytes(&r->out, "\n", 1);
		if ((st = print_edges(r, g, ni, false, cum)) != PK_OK)
			goto done;
	}
	if (g->n_nodes > 0)
		pk_out_cstr(&r->out, separator);
	st = g->oom ? pk_oom(r->ctx) : PK_OK;
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	pk_free(show);
	pk_sb_free(&hdr);
	pk_graph_free(g);
	pk_regex_free(re);
	return st;
}
