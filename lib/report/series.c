/* series.c - a table of values across snapshots: one row per function (at the report's
 * granularity, named as `top` names it), per call stack (-stacks) or per label value
 * (-by_label), one column per snapshot. Built from reports already prepared by the driver, so
 * each snapshot went through the same sample index, filters and aggregation as `top`.
 * Not in pprof: the basis of compare, trend and check. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series.h"

static pk_status add_entry(pk_series *s, uint32_t snap, const char *key, size_t n, int64_t v,
                           int64_t d)
{
	if (s->n_ent == s->cap_ent) {
		size_t cap = s->cap_ent ? 2 * s->cap_ent : 256;
		pk_sent *e = pk_realloc_array(s->ent, cap, sizeof *e);
		if (!e)
			return pk_oom(s->ctx);
		s->ent = e;
		s->cap_ent = cap;
	}
	pk_sent *e = &s->ent[s->n_ent++];
	e->key_off = s->keys.n;
	e->key_len = n;
	e->snap = snap;
	e->v = v;
	e->d = d;
	pk_sb_bytes(&s->keys, key, n);
	return s->keys.oom ? pk_oom(s->ctx) : PK_OK;
}

/* One row per graph node, named as top names it but without top's " (inline)" mark: that
 * depends on which edges survive -edgefraction, which may differ from one snapshot to the
 * next, and one function must stay one row. */
static pk_status add_graph(pk_series *s, uint32_t snap)
{
	pk_rpt *r = &s->r[snap];
	pk_graph *g;
	int orig = 0, dn = 0, de = 0;
	r->nodecount = 0;
	r->nodefraction = 0;
	pk_status st = pk_rpt_trimmed_graph(r, &g, &orig, &dn, &de);
	if (st != PK_OK)
		return st;
	for (uint32_t i = 0; i < g->n_nodes && st == PK_OK; i++) {
		uint32_t ni = g->nodes[i];
		const pk_gnode *n = &g->node[ni];
		pk_str nm = pk_graph_node_name(g, ni);
		int64_t v = s->opt->cum ? pk_node_cum(n) : pk_node_flat(n);
		st = add_entry(s, snap, nm.s, nm.n, v, 0);
	}
	pk_graph_free(g);
	return st;
}

/* The frames of sample i, root first, joined by ';' (folded stacks). */
static void stack_key(const pk_profile *p, size_t i, pk_sb *sb)
{
	const pk_sample *sm = &p->samples[i];
	bool first = true;
	for (uint32_t j = sm->n_locs; j-- > 0;) {
		const pk_location *l = &p->locations[p->sample_locs[sm->loc_start + j]];
		if (l->n_lines == 0) {
			pk_sb_fmt(sb, "%s0x%llx", first ? "" : ";", (unsigned long long)l->address);
			first = false;
			continue;
		}
		for (uint32_t k = l->n_lines; k-- > 0;) {
			const pk_line *ln = &p->lines[l->line_start + k];
			if (!first)
				pk_sb_bytes(sb, ";", 1);
			first = false;
			if (ln->function == PK_NONE) {
				pk_sb_fmt(sb, "0x%llx", (unsigned long long)l->address);
				continue;
			}
			pk_str nm = pk_s(p, p->functions[ln->function].name);
			pk_sb_bytes(sb, nm.s, nm.n);
		}
	}
	if (first)
		pk_sb_cstr(sb, "(no frames)");
}

/* The value of label s->opt->by_label in sample i ("(none)" without one). */
static void label_key(const pk_profile *p, size_t i, const char *key, pk_sb *sb)
{
	const pk_sample *sm = &p->samples[i];
	bool found = false;
	for (uint32_t j = 0; j < sm->n_labels; j++) {
		const pk_label *l = &p->labels[sm->label_start + j];
		if (!pk_str_eq_cstr(pk_s(p, l->key), key))
			continue;
		if (found)
			pk_sb_bytes(sb, ",", 1);
		found = true;
		if (l->is_num) {
			pk_str u = pk_s(p, l->unit);
			pk_sb_fmt(sb, "%lld", (long long)l->num);
			pk_sb_bytes(sb, u.s, u.n);
		} else {
			pk_str v = pk_s(p, l->str);
			pk_sb_bytes(sb, v.s, v.n);
		}
	}
	if (!found)
		pk_sb_cstr(sb, "(none)");
}

pk_status pk_series_add(pk_series *s, uint32_t snap)
{
	pk_rpt *r = &s->r[snap];
	const pk_profile *p = r->p;
	int64_t total = 0, div = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const int64_t *v = pk_sample_values(p, i);
		total = pk_wadd(total, v[r->value_index]);
		div = pk_wadd(div, r->mean ? v[0] : 0);
	}
	s->total[snap] = div != 0 ? pk_wdiv(total, div) : total;

	bool by_label = s->opt->by_label && *s->opt->by_label;
	if (!by_label && !s->opt->stacks)
		return add_graph(s, snap);
	pk_sb key = {0};
	pk_status st = PK_OK;
	for (size_t i = 0; i < p->n_samples && st == PK_OK; i++) {
		const int64_t *v = pk_sample_values(p, i);
		pk_sb_reset(&key);
		if (by_label)
			label_key(p, i, s->opt->by_label, &key);
		else
			stack_key(p, i, &key);
		if (key.oom) {
			st = pk_oom(s->ctx);
			break;
		}
		st = add_entry(s, snap, key.s, key.n, v[r->value_index], r->mean ? v[0] : 0);
	}
	pk_sb_free(&key);
	return st;
}

static int ent_cmp(const void *a, const void *b, void *base)
{
	const pk_sent *x = a, *y = b;
	const char *k = base;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(k + x->key_off, k + y->key_off, n);
	if (c != 0)
		return c;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	if (x->snap != y->snap)
		return x->snap < y->snap ? -1 : 1;
	return x->key_off < y->key_off ? -1 : x->key_off > y->key_off;
}

pk_status pk_series_finish(pk_series *s)
{
	if (s->n_ent > 1)
		qsort_r(s->ent, s->n_ent, sizeof *s->ent, ent_cmp, s->keys.s);
	size_t rows = 0;
	for (size_t i = 0; i < s->n_ent; i++)
		if (i == 0 || s->ent[i].key_len != s->ent[i - 1].key_len ||
		    memcmp(s->keys.s + s->ent[i].key_off, s->keys.s + s->ent[i - 1].key_off,
		           s->ent[i].key_len) != 0)
			rows++;
	s->rows = pk_calloc(rows ? rows : 1, sizeof *s->rows);
	s->vals = pk_calloc(rows * s->n + 1, sizeof *s->vals);
	int64_t *divs = pk_calloc(rows * s->n + 1, sizeof *divs);
	s->has = pk_calloc(rows * s->n + 1, 1);
	if (!s->rows || !s->vals || !divs || !s->has) {
		pk_free(divs);
		return pk_oom(s->ctx);
	}
	size_t r = 0;
	for (size_t i = 0; i < s->n_ent; i++) {
		const pk_sent *e = &s->ent[i];
		if (i > 0 && (e->key_len != s->ent[i - 1].key_len ||
		              memcmp(s->keys.s + e->key_off, s->keys.s + s->ent[i - 1].key_off,
		                     e->key_len) != 0))
			r++;
		pk_srow *row = &s->rows[r];
		if (row->v == NULL) {
			row->key_off = e->key_off;
			row->key_len = e->key_len;
			row->v = s->vals + r * s->n;
			row->has = s->has + r * s->n;
		}
		row->v[e->snap] = pk_wadd(row->v[e->snap], e->v);
		divs[r * s->n + e->snap] = pk_wadd(divs[r * s->n + e->snap], e->d);
		row->has[e->snap] = 1;
	}
	s->n_rows = rows;
	for (size_t i = 0; i < rows * s->n; i++)
		if (divs[i] != 0)
			s->vals[i] = pk_wdiv(s->vals[i], divs[i]);
	pk_free(divs);
	pk_free(s->ent);
	s->ent = NULL;
	s->n_ent = s->cap_ent = 0;
	return PK_OK;
}

void pk_series_free(pk_series *s)
{
	pk_free(s->ent);
	pk_free(s->rows);
	pk_free(s->vals);
	pk_free(s->has);
	pk_sb_free(&s->keys);
}

char *pk_series_value(const pk_series *s, char *buf, size_t n, int64_t v, bool sign)
{
	char tmp[128];
	pk_rpt_format_value(&s->r[0], tmp, sizeof tmp, v);
	snprintf(buf, n, "%s%s", sign && v > 0 ? "+" : "", tmp);
	return buf;
}

const char *pk_series_unit(const pk_series *s)
{
	return s->r[0].sample_unit;
}

void pk_series_header(const pk_series *s, pk_out *o)
{
	const pk_rpt *r = &s->r[0];
	if (r->title) {
		const char *base = strrchr(r->title, '/');
		pk_out_fmt(o, "File: %s\n", base ? base + 1 : r->title);
	}
	pk_out_fmt(o, "Type: %.*s\n", (int)r->sample_type.n, r->sample_type.s);
	for (size_t i = 0; i < s->n; i++) {
		char t[64] = "no time";
		if (s->r[i].p->time_nanos != 0)
			pk_go_time_label(t, sizeof t, s->r[i].p->time_nanos);
		pk_out_fmt(o, "T%zu: %s  (%s)\n", i, s->r[i].p->name ? s->r[i].p->name : "-", t);
	}
	if (r->n_filters > 0) {
		pk_out_cstr(o, "Active filters:\n");
		const char *f = r->filters.s;
		for (int i = 0; i < r->n_filters; i++) {
			pk_out_fmt(o, "   %s\n", f);
			f += strlen(f) + 1;
		}
	}
}

void pk_series_json_head(const pk_series *s, pk_out *o, const char *command)
{
	const pk_rpt *r = &s->r[0];
	pk_out_fmt(o, "\"command\":\"%s\",\"sample_type\":", command);
	pk_out_json_str(o, r->sample_type.s, r->sample_type.n);
	pk_out_cstr(o, ",\"unit\":");
	pk_out_json_str(o, r->sample_unit, strlen(r->sample_unit));
	pk_out_fmt(o, ",\"rows_are\":\"%s\",\"snapshots\":[", s->key_name);
	for (size_t i = 0; i < s->n; i++) {
		const pk_profile *p = s->r[i].p;
		char v[128];
		pk_out_cstr(o, i ? ",{\"file\":" : "{\"file\":");
		const char *nm = p->name ? p->name : "";
		pk_out_json_str(o, nm, strlen(nm));
		pk_out_fmt(o, ",\"time_nanos\":%lld,\"total\":%lld,\"total_scaled\":",
		           (long long)p->time_nanos, (long long)s->total[i]);
		pk_series_value(s, v, sizeof v, s->total[i], false);
		pk_out_json_str(o, v, strlen(v));
		pk_out_cstr(o, "}");
	}
	pk_out_cstr(o, "],");
}

pk_status pk_series_amount(const pk_series *s, const char *flag, const char *text, double *out)
{
	char *end;
	const char *unit = pk_series_unit(s);
	double x = strtod(text, &end);
	if (end == text || !isfinite(x) || x < 0)
		return pk_fail(s->ctx, PK_EUSAGE,
		               "-%s=%s: not an amount (a number and a unit: 1MB, "
		               "500ms, 100)",
		               flag, text);
	if (*end == 0) {
		*out = x;
		return PK_OK;
	}
	if (!pk_units_same_family(end, unit))
		return pk_fail(s->ctx, PK_EUSAGE, "-%s=%s: unit %s does not measure %s", flag, text,
		               end, unit);
	*out = x * pk_scale(1000000, end, unit, NULL) / 1e6;
	return PK_OK;
}
