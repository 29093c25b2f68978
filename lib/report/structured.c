/* structured.c - JSON and CSV building blocks, and `top -format=json|csv`.
 * Not in pprof: its text reports are the reference for the numbers (tests/snapshots). */
#include <stdio.h>
#include <string.h>

#include "report/structured.h"

void pk_out_json_str(pk_out *o, const char *s, size_t n)
{
	pk_out_bytes(o, "\"", 1);
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		pk_out_bytes(o, s + start, i - start);
		start = i + 1;
		if (c == '"' || c == '\\')
			pk_out_fmt(o, "\\%c", c);
		else if (c == '\n')
			pk_out_cstr(o, "\\n");
		else if (c == '\t')
			pk_out_cstr(o, "\\t");
		else
			pk_out_fmt(o, "\\u%04x", c);
	}
	pk_out_bytes(o, s + start, n - start);
	pk_out_bytes(o, "\"", 1);
}

void pk_out_csv_str(pk_out *o, const char *s, size_t n)
{
	bool quote = false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (!quote) {
		pk_out_bytes(o, s, n);
		return;
	}
	pk_out_bytes(o, "\"", 1);
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"') {
			pk_out_bytes(o, s + start, i + 1 - start);
			pk_out_bytes(o, "\"", 1);
			start = i + 1;
		}
	pk_out_bytes(o, s + start, n - start);
	pk_out_bytes(o, "\"", 1);
}

void pk_out_json_pct(pk_out *o, int64_t v, int64_t total)
{
	if (total == 0)
		pk_out_cstr(o, "null");
	else
		pk_out_fmt(o, "%.4f", (double)v / (double)total * 100);
}

void pk_out_csv_pct(pk_out *o, int64_t v, int64_t total)
{
	if (total != 0)
		pk_out_fmt(o, "%.4f", (double)v / (double)total * 100);
}

void pk_rpt_json_value(pk_rpt *r, const char *name, int64_t v, bool comma)
{
	char buf[128];
	pk_out_fmt(&r->out, "%s\"%s\":%lld,\"%s_scaled\":", comma ? "," : "", name, (long long)v,
	           name);
	pk_rpt_format_value(r, buf, sizeof buf, v);
	pk_out_json_str(&r->out, buf, strlen(buf));
}

void pk_rpt_json_head(pk_rpt *r, const char *command)
{
	pk_out_fmt(&r->out, "{\"command\":\"%s\",\"sample_type\":", command);
	pk_out_json_str(&r->out, r->sample_type.s, r->sample_type.n);
	pk_out_cstr(&r->out, ",\"unit\":");
	pk_out_json_str(&r->out, r->sample_unit, strlen(r->sample_unit));
	pk_out_cstr(&r->out, ",\"file\":");
	const char *f = r->p->name ? r->p->name : "";
	pk_out_json_str(&r->out, f, strlen(f));
	pk_out_fmt(&r->out, ",\"time_nanos\":%lld,", (long long)r->p->time_nanos);
	pk_rpt_json_value(r, "total", r->total, false);
	pk_out_cstr(&r->out, ",");
}

pk_status pk_report_top_structured(pk_rpt *r)
{
	pk_graph *g;
	int orig = 0, dropped_nodes = 0, dropped_edges = 0;
	pk_status st = pk_rpt_trimmed_graph(r, &g, &orig, &dropped_nodes, &dropped_edges);
	if (st != PK_OK)
		return st;
	pk_rpt_select_output_unit(r, g);
	bool json = r->opt->output == PK_OUT_JSON;
	pk_out *o = &r->out;
	if (json) {
		pk_rpt_json_head(r, "top");
		pk_out_fmt(o, "\"node_count\":%d,\"dropped_nodes\":%d,\"rows\":[", orig,
		           dropped_nodes);
	} else {
		pk_out_cstr(o, "name,inline,flat,flat_pct,sum_pct,cum,cum_pct,unit,flat_scaled,"
		               "cum_scaled\r\n");
	}
	int64_t flat_sum = 0;
	char fv[128], cv[128];
	for (uint32_t i = 0; i < g->n_nodes && o->status == PK_OK; i++) {
		uint32_t ni = g->nodes[i];
		const pk_gnode *n = &g->node[ni];
		int64_t flat = pk_node_flat(n), cum = pk_node_cum(n);
		flat_sum = pk_wadd(flat_sum, flat);
		pk_str name = pk_graph_node_name(g, ni);
		const char *mark = pk_node_inline_mark(g, n);
		if (json) {
			pk_out_cstr(o, i ? ",{\"name\":" : "{\"name\":");
			pk_out_json_str(o, name.s, name.n);
			pk_out_fmt(o, ",\"inline\":\"%s\"", mark);
			pk_rpt_json_value(r, "flat", flat, true);
			pk_out_cstr(o, ",\"flat_pct\":");
			pk_out_json_pct(o, flat, r->total);
			pk_out_cstr(o, ",\"sum_pct\":");
			pk_out_json_pct(o, flat_sum, r->total);
			pk_rpt_json_value(r, "cum", cum, true);
			pk_out_cstr(o, ",\"cum_pct\":");
			pk_out_json_pct(o, cum, r->total);
			pk_out_cstr(o, "}");
		} else {
			pk_out_csv_str(o, name.s, name.n);
			pk_out_fmt(o, ",%s,%lld,", mark, (long long)flat);
			pk_out_csv_pct(o, flat, r->total);
			pk_out_cstr(o, ",");
			pk_out_csv_pct(o, flat_sum, r->total);
			pk_out_fmt(o, ",%lld,", (long long)cum);
			pk_out_csv_pct(o, cum, r->total);
			pk_out_cstr(o, ",");
			pk_out_csv_str(o, r->sample_unit, strlen(r->sample_unit));
			pk_out_fmt(o, ",%s,%s\r\n", pk_rpt_format_value(r, fv, sizeof fv, flat),
			           pk_rpt_format_value(r, cv, sizeof cv, cum));
		}
	}
	if (json)
		pk_out_cstr(o, "]}\n");
	pk_graph_free(g);
	return PK_OK;
}
