/* compare.c - `compare OLD NEW`: one row per function (granularity, -stacks): old, new,
 * delta, delta as a percentage of old, and a status word; sorted by -sort; a totals row.
 * Not in pprof; its numbers are those of `top` and `top -base OLD NEW` on the same files. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series.h"

typedef struct {
	const pk_series *s;
	int by; /* 0 delta, 1 new, 2 old, 3 pct */
} sort_ctx;

static int64_t abs64(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

static int name_cmp(const pk_series *s, const pk_cmprow *a, const pk_cmprow *b)
{
	return pk_str_cmp(pk_srow_name(s, &s->rows[a->row]), pk_srow_name(s, &s->rows[b->row]));
}

static int cmp_i64_desc(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b;
}

static int row_cmp(const void *x, const void *y, void *arg)
{
	const sort_ctx *c = arg;
	const pk_cmprow *a = x, *b = y;
	int r = 0;
	switch (c->by) {
	case 1:
		r = cmp_i64_desc(a->new_, b->new_);
		break;
	case 2:
		r = cmp_i64_desc(a->old, b->old);
		break;
	case 3: {
		/* rows new in NEW (no percentage) first, then by |pct| */
		bool an = isnan(a->pct), bn = isnan(b->pct);
		if (an != bn)
			r = an ? -1 : 1;
		else if (!an) {
			double pa = fabs(a->pct), pb = fabs(b->pct);
			r = pa > pb ? -1 : pa < pb;
		}
		break;
	}
	default:
		break;
	}
	if (r == 0)
		r = cmp_i64_desc(abs64(a->delta), abs64(b->delta));
	if (r == 0)
		r = cmp_i64_desc(a->delta, b->delta);
	if (r == 0)
		r = name_cmp(c->s, a, b);
	return r;
}

pk_status pk_compare_rows(pk_series *s, pk_cmprow **out, size_t *n)
{
	sort_ctx c = {s, 0};
	const char *by = s->opt->sort;
	if (by && *by) {
		if (!strcmp(by, "delta"))
			c.by = 0;
		else if (!strcmp(by, "new"))
			c.by = 1;
		else if (!strcmp(by, "old"))
			c.by = 2;
		else if (!strcmp(by, "pct"))
			c.by = 3;
		else
			return pk_fail(s->ctx, PK_EUSAGE, "-sort=%s: want delta, new, old or pct",
			               by);
	}
	pk_cmprow *v = pk_calloc(s->n_rows ? s->n_rows : 1, sizeof *v);
	if (!v)
		return pk_oom(s->ctx);
	size_t k = 0;
	size_t last = s->n - 1;
	for (size_t i = 0; i < s->n_rows; i++) {
		const pk_srow *row = &s->rows[i];
		int64_t o = row->v[0], nw = row->v[last];
		if (o == 0 && nw == 0)
			continue; /* nothing to show at this granularity and value */
		pk_cmprow *x = &v[k++];
		x->row = (uint32_t)i;
		x->old = o;
		x->new_ = nw;
		x->delta = pk_wsub(nw, o);
		x->pct = o != 0 ? (double)x->delta / fabs((double)o) * 100 : NAN;
		if (o == 0)
			x->status = "new";
		else if (nw == 0)
			x->status = "gone";
		else if (x->delta > 0)
			x->status = "grew";
		else if (x->delta < 0)
			x->status = "shrank";
		else
			x->status = "same";
	}
	if (k > 1)
		qsort_r(v, k, sizeof *v, row_cmp, &c);
	*out = v;
	*n = k;
	return PK_OK;
}

static char *pct_text(char *buf, size_t n, double pct)
{
	if (isnan(pct))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%+.2f%%", pct);
	return buf;
}

void pk_compare_write(pk_series *s, pk_out *o, const pk_cmprow *rows, size_t n, size_t shown,
                      const char *command, const char *const *extra, bool nested)
{
	size_t last = s->n - 1;
	int64_t to = s->total[0], tn = s->total[last];
	pk_cmprow tot = {0,
	                 to,
	                 tn,
	                 pk_wsub(tn, to),
	                 to != 0 ? ((double)tn - (double)to) / fabs((double)to) * 100 : NAN,
	                 to == 0   ? (tn == 0 ? "same" : "new")
	                 : tn > to ? "grew"
	                 : tn < to ? "shrank"
	                           : "same"};
	char a[128], b[128], c[128], d[64];
	pk_output fmt = s->opt->output;
	if (fmt == PK_OUT_CSV) {
		pk_out_fmt(o,
		           "name,old,new,delta,delta_pct,status,unit,old_scaled,new_scaled,"
		           "delta_scaled%s\r\n",
		           extra ? ",reason" : "");
		for (size_t i = 0; i <= shown; i++) {
			const pk_cmprow *x = i < shown ? &rows[i] : &tot;
			if (i < shown) {
				pk_str nm = pk_srow_name(s, &s->rows[x->row]);
				pk_out_csv_str(o, nm.s, nm.n);
			} else {
				pk_out_cstr(o, "(total)");
			}
			pk_out_fmt(o, ",%lld,%lld,%lld,", (long long)x->old, (long long)x->new_,
			           (long long)x->delta);
			if (!isnan(x->pct))
				pk_out_fmt(o, "%.4f", x->pct);
			pk_out_fmt(o, ",%s,", x->status);
			pk_out_csv_str(o, pk_series_unit(s), strlen(pk_series_unit(s)));
			pk_out_fmt(o, ",%s,%s,%s", pk_series_value(s, a, sizeof a, x->old, false),
			           pk_series_value(s, b, sizeof b, x->new_, false),
			           pk_series_value(s, c, sizeof c, x->delta, true));
			if (extra) {
				pk_out_cstr(o, ",");
				if (i < shown)
					pk_out_csv_str(o, extra[i], strlen(extra[i]));
			}
			pk_out_cstr(o, "\r\n");
		}
		return;
	}
	if (fmt == PK_OUT_JSON) {
		pk_out_cstr(o, "{");
		pk_series_json_head(s, o, command);
		pk_out_fmt(o, "\"rows_are_cumulative\":%s,\"row_count\":%zu,\"rows\":[",
		           s->opt->cum ? "true" : "false", n);
		for (size_t i = 0; i <= shown; i++) {
			const pk_cmprow *x = i < shown ? &rows[i] : &tot;
			if (i == shown)
				pk_out_cstr(o, "],\"total\":{");
			else
				pk_out_cstr(o, i ? ",{\"name\":" : "{\"name\":");
			if (i < shown) {
				pk_str nm = pk_srow_name(s, &s->rows[x->row]);
				pk_out_json_str(o, nm.s, nm.n);
				pk_out_cstr(o, ",");
			}
			pk_out_fmt(o, "\"old\":%lld,\"new\":%lld,\"delta\":%lld,\"delta_pct\":",
			           (long long)x->old, (long long)x->new_, (long long)x->delta);
			if (isnan(x->pct))
				pk_out_cstr(o, "null");
			else
				pk_out_fmt(o, "%.4f", x->pct);
			pk_out_fmt(o,
			           ",\"status\":\"%s\",\"old_scaled\":\"%s\",\"new_scaled\":\"%s\","
			           "\"delta_scaled\":\"%s\"",
			           x->status, pk_series_value(s, a, sizeof a, x->old, false),
			           pk_series_value(s, b, sizeof b, x->new_, false),
			           pk_series_value(s, c, sizeof c, x->delta, true));
			if (extra && i < shown) {
				pk_out_cstr(o, ",\"reason\":");
				pk_out_json_str(o, extra[i], strlen(extra[i]));
			}
			pk_out_cstr(o, "}");
		}
		pk_out_cstr(o, nested ? "}" : "}\n");
		return;
	}
	pk_series_header(s, o);
	if (shown < n)
		pk_out_fmt(o, "Showing %zu of %zu rows\n", shown, n);
	pk_out_fmt(o, "%10s %10s %10s %9s  %-6s  %s%s\n", "old", "new", "delta", "delta%", "status",
	           s->key_name, extra ? "  (reason)" : "");
	for (size_t i = 0; i <= shown && o->status == PK_OK; i++) {
		const pk_cmprow *x = i < shown ? &rows[i] : &tot;
		pk_out_fmt(o, "%10s %10s %10s %9s  %-6s  ",
		           pk_series_value(s, a, sizeof a, x->old, false),
		           pk_series_value(s, b, sizeof b, x->new_, false),
		           pk_series_value(s, c, sizeof c, x->delta, true),
		           pct_text(d, sizeof d, x->pct), x->status);
		if (i < shown)
			pk_out_str(o, pk_srow_name(s, &s->rows[x->row]));
		else
			pk_out_cstr(o, "(total)");
		if (extra && i < shown)
			pk_out_fmt(o, "  (%s)", extra[i]);
		pk_out_cstr(o, "\n");
	}
}

pk_status pk_report_compare(pk_series *s, pk_out *o)
{
	pk_cmprow *rows;
	size_t n;
	pk_status st = pk_compare_rows(s, &rows, &n);
	if (st != PK_OK)
		return st;
	size_t shown = n;
	if (s->opt->nodecount > 0 && (size_t)s->opt->nodecount < n)
		shown = (size_t)s->opt->nodecount;
	pk_compare_write(s, o, rows, n, shown, "compare", NULL, false);
	pk_free(rows);
	return PK_OK;
}
