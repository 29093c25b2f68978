/* text.c - the `top` report.
 * Mirrors internal/report/report.go printText and TextItems. */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/structured.h"

pk_status pk_report_text(pk_rpt *r)
{
	if (r->opt->output != PK_OUT_TEXT)
		return pk_report_top_structured(r);
	pk_graph *g;
	int orig = 0, dropped_nodes = 0, dropped_edges = 0;
	pk_status st = pk_rpt_trimmed_graph(r, &g, &orig, &dropped_nodes, &dropped_edges);
	if (st != PK_OK)
		return st;
	pk_rpt_select_output_unit(r, g);
	pk_sb hdr = {0};
	pk_rpt_labels(r, g, orig, dropped_nodes, 0, false, &hdr);
	if (hdr.oom) {
		pk_sb_free(&hdr);
		pk_graph_free(g);
		return pk_oom(r->ctx);
	}
	pk_out_bytes(&r->out, hdr.s, hdr.n);
	pk_sb_free(&hdr);
	pk_out_fmt(&r->out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");

	int64_t flat_sum = 0;
	char fv[128], cv[128], p1[32], p2[32], p3[32];
	for (uint32_t i = 0; i < g->n_nodes && r->out.status == PK_OK; i++) {
		uint32_t ni = g->nodes[i];
		const pk_gnode *n = &g->node[ni];
		int64_t flat = pk_node_flat(n), cum = pk_node_cum(n);
		flat_sum = pk_wadd(flat_sum, flat);
		pk_out_fmt(&r->out, "%10s %s %s %10s %s  ",
		           pk_rpt_format_value(r, fv, sizeof fv, flat),
		           pk_percentage(p1, sizeof p1, flat, r->total),
		           pk_percentage(p2, sizeof p2, flat_sum, r->total),
		           pk_rpt_format_value(r, cv, sizeof cv, cum),
		           pk_percentage(p3, sizeof p3, cum, r->total));
		pk_out_str(&r->out, pk_graph_node_name(g, ni));
		const char *mark = pk_node_inline_mark(g, n);
		pk_out_fmt(&r->out, *mark ? " (%s)\n" : "\n", mark);
	}
	st = g->oom ? pk_oom(r->ctx) : PK_OK;
	pk_graph_free(g);
	return st;
}
