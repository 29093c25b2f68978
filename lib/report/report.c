/* report.c - what every report shares: value formatting and the header lines.
 * Mirrors internal/report/report.go: New (formatValue), ProfileLabels, reportLabels,
 * legendActiveFilters, genLabel. */
#define _GNU_SOURCE /* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

char *pk_rpt_format_value(const pk_rpt *r, char *buf, size_t n, int64_t v)
{
	if (r->ratio > 0 && r->ratio != 1)
		v = pk_go_f2i((double)v * r->ratio);
	return pk_scaled_label(buf, n, v, r->sample_unit, r->output_unit);
}

static void line(pk_sb *out, const char *s, size_t n)
{
	pk_sb_bytes(out, s, n);
	pk_sb_bytes(out, "\n", 1);
}

void pk_rpt_profile_labels(pk_rpt *r, pk_sb *out)
{
	const pk_profile *p = r->p;
	char a[128], b[128], c[64];
	if (p->n_mappings > 0) {
		pk_str f = pk_s(p, p->mappings[0].file);
		if (f.n) {
			/* filepath.Base */
			size_t e = f.n, s;
			while (e > 0 && f.s[e - 1] == '/')
				e--;
			s = e;
			while (s > 0 && f.s[s - 1] != '/')
				s--;
			pk_sb_cstr(out, "File: ");
			if (e == 0)
				line(out, "/", 1);
			else
				line(out, f.s + s, e - s);
		}
		pk_str bid = pk_s(p, p->mappings[0].build_id);
		if (bid.n) {
			pk_sb_cstr(out, "Build ID: ");
			line(out, bid.s, bid.n);
		}
	}
	for (uint32_t i = 0; i < p->n_comments; i++) {
		pk_str cm = pk_s(p, p->comments[i]);
		if (cm.n && cm.s[0] == '#')
			continue;
		line(out, cm.s, cm.n);
	}
	if (r->sample_type.n) {
		pk_sb_cstr(out, "Type: ");
		line(out, r->sample_type.s, r->sample_type.n);
	}
	if (p->time_nanos != 0) {
		pk_sb_cstr(out, "Time: ");
		pk_go_time_label(a, sizeof a, p->time_nanos);
		line(out, a, strlen(a));
	}
	if (p->duration_nanos != 0) {
		const char *unit;
		double total_ns = pk_scale(r->total, r->sample_unit, "nanoseconds", &unit);
		c[0] = 0;
		if (strcmp(unit, "ns") == 0 && total_ns != 0) {
			char pct[32];
			pk_percentage(pct, sizeof pct, pk_go_f2i(total_ns), p->duration_nanos);
			snprintf(c, sizeof c, "(%s)", pct);
		}
		pk_scaled_label(a, sizeof a, p->duration_nanos, "nanoseconds", "auto");
		pk_rpt_format_value(r, b, sizeof b, r->total);
		pk_sb_fmt(out, "Duration: %s, Total samples = %s %s\n", a, b, c);
	}
}

void pk_rpt_labels(pk_rpt *r, const pk_graph *g, int orig_count, int dropped_nodes,
                   int dropped_edges, bool full_headers, pk_sb *out)
{
	char a[128], b[128], pct[32];
	if (full_headers || !r->compact_labels)
		pk_rpt_profile_labels(r, out);
	int64_t flat_sum = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		flat_sum = pk_wadd(flat_sum, pk_node_flat(&g->node[g->nodes[i]]));
	if (r->n_filters > 0) {
		pk_sb_cstr(out, "Active filters:\n");
		const char *f = r->filters.s;
		for (int i = 0; i < r->n_filters; i++) {
			size_t n = strlen(f);
			pk_sb_cstr(out, "   ");
			if (n > 80) {
				/* Go slices bytes: s[:80] + "…" */
				pk_sb_bytes(out, f, 80);
				pk_sb_cstr(out, "\xe2\x80\xa6");
			} else {
				pk_sb_bytes(out, f, n);
			}
			pk_sb_cstr(out, "\n");
			f += n + 1;
		}
	}
	pk_percentage(pct, sizeof pct, flat_sum, r->total);
	const char *pt = pct;
	while (*pt == ' ')
		pt++;
	pk_sb_fmt(out, "Showing nodes accounting for %s, %s of %s total\n",
	          pk_rpt_format_value(r, a, sizeof a, flat_sum), pt,
	          pk_rpt_format_value(r, b, sizeof b, r->total));
	if (r->total != 0) {
		if (dropped_nodes > 0) {
			int64_t v = pk_go_f2i((double)r->total * r->nodefraction);
			pk_sb_fmt(out, "Dropped %d node%s (cum <= %s)\n", dropped_nodes,
			          dropped_nodes > 1 ? "s" : "",
			          pk_rpt_format_value(r, a, sizeof a, pk_wabs(v)));
		}
		if (dropped_edges > 0) {
			int64_t v = pk_go_f2i((double)r->total * r->edgefraction);
			pk_sb_fmt(out, "Dropped %d edge%s (freq <= %s)\n", dropped_edges,
			          dropped_edges > 1 ? "s" : "",
			          pk_rpt_format_value(r, a, sizeof a, pk_wabs(v)));
		}
		if (g->n_nodes > 0 && (int)g->n_nodes < orig_count)
			pk_sb_fmt(out, "Showing top %u nodes out of %d\n", g->n_nodes, orig_count);
	}
	if (full_headers)
		pk_sb_cstr(out, "\nSee https://git.io/JfYMW for how to read the graph\n");
}

int pk_span_cmp(const void *a, const void *b, void *base)
{
	const pk_span *x = a, *y = b;
	const char *s = base;
	return pk_str_cmp((pk_str){s + x->off, (uint32_t)x->len},
	                  (pk_str){s + y->off, (uint32_t)y->len});
}

static int label_order_cmp(const void *a, const void *b, void *labels)
{
	const pk_label *l = labels;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (l[x].is_num != l[y].is_num)
		return l[x].is_num ? 1 : -1;
	if (l[x].key != l[y].key)
		return l[x].key < l[y].key ? -1 : 1;
	return x < y ? -1 : x > y;
}

bool pk_label_order(const pk_label *labels, uint32_t n, uint32_t **order, size_t *cap)
{
	if (!pk_grow((void **)order, cap, n, sizeof **order))
		return false;
	for (uint32_t i = 0; i < n; i++)
		(*order)[i] = i;
	qsort_r(*order, n, sizeof **order, label_order_cmp, (void *)labels);
	return true;
}

const char *pk_rpt_num_label_unit(const pk_rpt *r, pk_sid key)
{
	return pk_nlu_unit(r->p, &r->nlu, key);
}
