/* trend.c - `trend T0 T1 ... Tn`: for each row (function, stack or label value), its values in
 * the snapshots (already in time order), the growth over the span and per hour (least squares
 * against the snapshots' times), how steadily it grew, its share of the growth, a sparkline,
 * ranked by a leak score (documented in man/pprofkit.1):
 *
 *   steadiness = up * R2 * net
 *   score = 100 * steadiness * (3 + share) / 4   when the fitted slope and the growth are > 0,
 *           0                                   otherwise
 *
 * up: the share of steps from one snapshot to the next in which the value grew; R2: the
 * coefficient of determination of the least-squares line (0 when the values do not vary);
 * net: (sum of rises - sum of falls) / (sum of rises + sum of falls) over the steps, so that a
 * cache emptied once loses what it lost; share: the row's growth over the sum of the growths
 * of all rows that grew. Steadiness (in [0, 1]) weighs more than size (share adds at most a
 * third), so a small site that grows at every step outranks a large flat one, a sawtooth and
 * churn.
 * Not in pprof. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series.h"

typedef struct {
	uint32_t row;
	int64_t growth;
	double slope; /* per x unit (hours when times are known, else per step) */
	double r2, up, net, share, score;
} trow;

static int trow_cmp(const void *x, const void *y, void *arg)
{
	const pk_series *s = arg;
	const trow *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->growth != b->growth)
		return a->growth > b->growth ? -1 : 1;
	return pk_str_cmp(pk_srow_name(s, &s->rows[a->row]), pk_srow_name(s, &s->rows[b->row]));
}

static void fit(const double *x, const int64_t *v, size_t n, double *slope, double *r2)
{
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += (double)v[i];
	}
	mx /= (double)n;
	my /= (double)n;
	double sxx = 0, sxy = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = (double)v[i] - my;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	*slope = sxx > 0 ? sxy / sxx : 0;
	*r2 = (sxx > 0 && syy > 0) ? (sxy * sxy) / (sxx * syy) : 0;
}

static const char *const spark_utf8[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                          "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                          "\xe2\x96\x87", "\xe2\x96\x88"};
static const char spark_ascii[] = "_.-:=+*#";

static void sparkline(const pk_series *s, const int64_t *v, pk_sb *sb)
{
	int64_t lo = v[0], hi = v[0];
	for (size_t i = 1; i < s->n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (size_t i = 0; i < s->n; i++) {
		int level =
		    hi > lo
		        ? (int)floor(((double)v[i] - (double)lo) / ((double)hi - (double)lo) * 7.0 +
		                     0.5)
		        : 0;
		if (s->opt->ascii)
			pk_sb_bytes(sb, &spark_ascii[level], 1);
		else
			pk_sb_cstr(sb, spark_utf8[level]);
	}
}

pk_status pk_report_trend(pk_series *s, pk_out *o)
{
	size_t n = s->n, last = n - 1;
	double *x = pk_calloc(n, sizeof *x);
	trow *t = pk_calloc(s->n_rows ? s->n_rows : 1, sizeof *t);
	if (!x || !t) {
		pk_free(x);
		pk_free(t);
		return pk_oom(s->ctx);
	}
	for (size_t i = 0; i < n; i++)
		x[i] =
		    s->times_ok
		        ? ((double)s->r[i].p->time_nanos - (double)s->r[0].p->time_nanos) / 3.6e12
		        : (double)i;
	size_t k = 0;
	double grown = 0;
	for (size_t i = 0; i < s->n_rows; i++) {
		const pk_srow *row = &s->rows[i];
		bool any = false;
		for (size_t j = 0; j < n; j++)
			any |= row->v[j] != 0;
		if (!any)
			continue;
		trow *r = &t[k++];
		r->row = (uint32_t)i;
		r->growth = pk_wsub(row->v[last], row->v[0]);
		fit(x, row->v, n, &r->slope, &r->r2);
		size_t ups = 0;
		double rise = 0, fall = 0;
		for (size_t j = 1; j < n; j++) {
			double d = (double)row->v[j] - (double)row->v[j - 1];
			ups += d > 0;
			if (d > 0)
				rise += d;
			else
				fall -= d;
		}
		r->up = (double)ups / (double)(n - 1);
		r->net = rise + fall > 0 ? (rise - fall) / (rise + fall) : 0;
		if (r->growth > 0)
			grown += (double)r->growth;
	}
	for (size_t i = 0; i < k; i++) {
		trow *r = &t[i];
		r->share = r->growth > 0 && grown > 0 ? (double)r->growth / grown : 0;
		r->score = r->slope > 0 && r->growth > 0
		               ? 100 * r->up * r->r2 * r->net * (3 + r->share) / 4
		               : 0;
	}
	if (k > 1)
		qsort_r(t, k, sizeof *t, trow_cmp, s);
	size_t shown = k;
	if (s->opt->nodecount > 0 && (size_t)s->opt->nodecount < k)
		shown = (size_t)s->opt->nodecount;

	pk_sb spark = {0};
	char a[128], b[128];
	pk_output fmt = s->opt->output;
	if (fmt == PK_OUT_JSON) {
		pk_out_cstr(o, "{");
		pk_series_json_head(s, o, "trend");
		pk_out_fmt(o,
		           "\"times_ordered\":%s,\"rate_per\":\"%s\",\"row_count\":%zu,\"rows\":[",
		           s->times_ok ? "true" : "false", s->times_ok ? "hour" : "step", k);
	} else if (fmt == PK_OUT_CSV) {
		pk_out_cstr(
		    o, "rank,name,score,steps_up,r2,net,growth,growth_rate,rate_per,share,unit,"
		       "growth_scaled");
		for (size_t j = 0; j < n; j++)
			pk_out_fmt(o, ",t%zu", j);
		pk_out_cstr(o, "\r\n");
	} else {
		pk_series_header(s, o);
		if (!s->times_ok) {
			pk_out_cstr(
			    o, "Times missing or equal: snapshots in argument order, rates per "
			       "step\n");
		} else {
			double span =
			    ((double)s->r[last].p->time_nanos - (double)s->r[0].p->time_nanos) /
			    1e9;
			if (span < 120)
				pk_out_fmt(o, "Span: %.3gs\n", span);
			else if (span < 7200)
				pk_out_fmt(o, "Span: %.3gmin\n", span / 60);
			else
				pk_out_fmt(o, "Span: %.3ghrs\n", span / 3600);
		}
		if (shown < k)
			pk_out_fmt(o, "Showing %zu of %zu rows\n", shown, k);
		pk_out_fmt(o, "%6s %5s %5s %10s %10s %6s  %-*s", "score", "up", "R2", "growth",
		           s->times_ok ? "per hour" : "per step", "share", (int)n, "trend");
		for (size_t j = 0; j < n; j++)
			pk_out_fmt(o, " %9s%zu", "T", j);
		pk_out_fmt(o, "  %s\n", s->key_name);
	}
	for (size_t i = 0; i < shown && o->status == PK_OK; i++) {
		const trow *r = &t[i];
		const pk_srow *row = &s->rows[r->row];
		pk_str nm = pk_srow_name(s, row);
		int64_t per = pk_go_f2i(r->slope);
		pk_sb_reset(&spark);
		sparkline(s, row->v, &spark);
		if (spark.oom)
			break;
		size_t ups = (size_t)floor(r->up * (double)(n - 1) + 0.5);
		if (fmt == PK_OUT_JSON) {
			pk_out_cstr(o, i ? ",{\"name\":" : "{\"name\":");
			pk_out_json_str(o, nm.s, nm.n);
			pk_out_fmt(o,
			           ",\"rank\":%zu,\"score\":%.4f,\"steps_up\":%zu,\"steps\":%zu,"
			           "\"up_share\":%.4f,\"r2\":%.4f,\"net\":%.4f,\"growth\":%lld,"
			           "\"growth_scaled\":",
			           i + 1, r->score, ups, n - 1, r->up, r->r2, r->net,
			           (long long)r->growth);
			pk_series_value(s, a, sizeof a, r->growth, true);
			pk_out_json_str(o, a, strlen(a));
			pk_out_fmt(o, ",\"growth_rate\":%lld,\"share\":%.4f,\"sparkline\":",
			           (long long)per, r->share);
			pk_out_json_str(o, spark.s, spark.n);
			pk_out_cstr(o, ",\"values\":[");
			for (size_t j = 0; j < n; j++)
				pk_out_fmt(o, "%s%lld", j ? "," : "", (long long)row->v[j]);
			pk_out_cstr(o, "],\"values_scaled\":[");
			for (size_t j = 0; j < n; j++) {
				pk_series_value(s, a, sizeof a, row->v[j], false);
				if (j)
					pk_out_cstr(o, ",");
				pk_out_json_str(o, a, strlen(a));
			}
			pk_out_cstr(o, "]}");
		} else if (fmt == PK_OUT_CSV) {
			pk_out_fmt(o, "%zu,", i + 1);
			pk_out_csv_str(o, nm.s, nm.n);
			pk_out_fmt(o, ",%.4f,%zu,%.4f,%.4f,%lld,%lld,%s,%.4f,", r->score, ups,
			           r->r2, r->net, (long long)r->growth, (long long)per,
			           s->times_ok ? "hour" : "step", r->share);
			pk_out_csv_str(o, pk_series_unit(s), strlen(pk_series_unit(s)));
			pk_out_fmt(o, ",%s", pk_series_value(s, a, sizeof a, r->growth, true));
			for (size_t j = 0; j < n; j++)
				pk_out_fmt(o, ",%lld", (long long)row->v[j]);
			pk_out_cstr(o, "\r\n");
		} else {
			char up[32];
			snprintf(up, sizeof up, "%zu/%zu", ups, n - 1);
			pk_out_fmt(o, "%6.1f %5s %5.2f %10s %10s %5.1f%%  ", r->score, up, r->r2,
			           pk_series_value(s, a, sizeof a, r->growth, true),
			           pk_series_value(s, b, sizeof b, per, true), r->share * 100);
			pk_out_bytes(o, spark.s, spark.n);
			for (size_t j = 0; j < n; j++)
				pk_out_fmt(o, " %10s",
				           pk_series_value(s, a, sizeof a, row->v[j], false));
			pk_out_cstr(o, "  ");
			pk_out_str(o, nm);
			pk_out_cstr(o, "\n");
		}
	}
	if (fmt == PK_OUT_JSON)
		pk_out_cstr(o, "]}\n");
	bool oom = spark.oom;
	pk_sb_free(&spark);
	pk_free(x);
	pk_free(t);
	return oom ? pk_oom(s->ctx) : PK_OK;
}
