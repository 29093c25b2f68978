/* snapshots.c - pk_report_series: compare, trend and check, the reports on several profiles.
 * Each profile goes through pk_rpt_prepare (pprof's order of operations, the one in
 * pipeline.c) with the same options; their values are then lined up by row name
 * (report/series.c). Trend orders the snapshots by their Time. Not in pprof. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/prepare.h"
#include "report/series.h"

static const char *key_name(const pk_options *o)
{
	if (o->by_label && *o->by_label)
		return o->by_label;
	if (o->stacks)
		return "stack";
	switch (o->granularity) {
	case PK_GRAN_FILEFUNCTIONS:
		return "function (file)";
	case PK_GRAN_FILES:
		return "file";
	case PK_GRAN_LINES:
		return "line";
	case PK_GRAN_ADDRESSES:
		return "address";
	default:
		return "function";
	}
}

/* Trend: the snapshots by Time (stable); false, and argument order, when a Time is missing
 * or two are equal. */
static bool order_by_time(pk_ctx *ctx, pk_profile *const *p, size_t n, size_t *ord)
{
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	for (size_t i = 0; i < n; i++)
		if (p[i]->time_nanos == 0) {
			pk_warn(ctx, "trend: %s has no Time: snapshots taken in argument order",
			        p[i]->name ? p[i]->name : "a profile");
			return false;
		}
	for (size_t i = 1; i < n; i++) /* insertion sort: n is small, and it is stable */
		for (size_t j = i; j > 0 && p[ord[j - 1]]->time_nanos > p[ord[j]]->time_nanos;
		     j--) {
			size_t t = ord[j];
			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	for (size_t i = 1; i < n; i++)
		if (p[ord[i]]->time_nanos == p[ord[i - 1]]->time_nanos) {
			pk_warn(ctx,
			        "trend: %s and %s have the same Time: snapshots taken in argument "
			        "order",
			        p[ord[i - 1]]->name ? p[ord[i - 1]]->name : "a profile",
			        p[ord[i]]->name ? p[ord[i]]->name : "a profile");
			for (size_t k = 0; k < n; k++)
				ord[k] = k;
			return false;
		}
	return true;
}

PK_API pk_status pk_report_series(pk_ctx *ctx, pk_profile *const *in, size_t n, pk_format fmt,
                                  const pk_options *opt, int normalize, pk_writer *out,
                                  int *exceeded)
{
	pk_options defaults = PK_OPTIONS_INIT;
	if (!opt)
		opt = &defaults;
	if (exceeded)
		*exceeded = 0;
	if (fmt == PK_FMT_TREND ? n < 3 : n != 2)
		return pk_fail(ctx, PK_EUSAGE,
		               fmt == PK_FMT_TREND
		                   ? "trend needs three or more snapshots"
		                   : "compare and check take two profiles, OLD NEW");
	if (fmt != PK_FMT_COMPARE && fmt != PK_FMT_TREND && fmt != PK_FMT_CHECK)
		return pk_fail(ctx, PK_EUSAGE, "not a report on several profiles: %d", (int)fmt);
	for (size_t i = 1; i < n; i++) {
		pk_status st = pk_profile_compatible(ctx, in[0], in[i]);
		if (st != PK_OK) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", pk_ctx_message(ctx));
			return pk_fail(ctx, st, "%s: not comparable with %s: %s",
			               in[i]->name ? in[i]->name : "a profile",
			               in[0]->name ? in[0]->name : "the first profile", msg);
		}
	}
	pk_status st = pk_scale_profiles(ctx, in, n);
	if (st != PK_OK)
		return st;

	pk_series s;
	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	s.opt = opt;
	s.n = n;
	s.key_name = key_name(opt);
	size_t *ord = pk_calloc(n, sizeof *ord);
	pk_profile **p = pk_calloc(n, sizeof *p);
	s.r = pk_calloc(n, sizeof *s.r);
	s.total = pk_calloc(n, sizeof *s.total);
	pk_out o;
	bool out_ok = false;
	if (!ord || !p || !s.r || !s.total) {
		st = pk_oom(ctx);
		goto done;
	}
	if (fmt == PK_FMT_TREND) {
		s.times_ok = order_by_time(ctx, in, n, ord);
	} else {
		for (size_t i = 0; i < n; i++)
			ord[i] = i;
		s.times_ok = in[0]->time_nanos != 0 && in[1]->time_nanos > in[0]->time_nanos;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = in[ord[i]];
	if (normalize)
		for (size_t i = 1; i < n; i++)
			if ((st = pk_profile_normalize(ctx, p[i], p[0])) != PK_OK)
				goto done;
	for (size_t i = 0; i < n; i++) {
		pk_rpt *r = &s.r[i];
		r->ctx = ctx;
		r->p = p[i];
		r->fmt = PK_FMT_TOP; /* the command overrides of top: no trimming by default */
		r->opt = opt;
		if ((st = pk_rpt_prepare(r)) != PK_OK)
			goto done;
		if ((st = pk_series_add(&s, (uint32_t)i)) != PK_OK)
			goto done;
	}
	if ((st = pk_series_finish(&s)) != PK_OK)
		goto done;
	if (!pk_out_init(&o, out)) {
		st = pk_oom(ctx);
		goto done;
	}
	out_ok = true;
	int ex = 0;
	if (fmt == PK_FMT_COMPARE)
		st = pk_report_compare(&s, &o);
	else if (fmt == PK_FMT_TREND)
		st = pk_report_trend(&s, &o);
	else
		st = pk_report_check(&s, &o, &ex);
	if (exceeded)
		*exceeded = ex;
done:
	if (out_ok) {
		pk_status fst = pk_out_finish(ctx, &o);
		if (st == PK_OK)
			st = fst;
	}
	if (s.r)
		for (size_t i = 0; i < n; i++)
			pk_rpt_release(&s.r[i]);
	pk_series_free(&s);
	pk_free(s.r);
	pk_free(s.total);
	pk_free(ord);
	pk_free(p);
	return st;
}
