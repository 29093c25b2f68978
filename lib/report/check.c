/* check.c - `check OLD NEW`: a gate for CI. The compare rows of OLD and NEW held against the
 * limits: -max_growth (percent growth of the total), -max_site_growth (growth of one row, an
 * amount in the sample's unit), -max_new (a row absent from OLD that reaches an amount in NEW).
 * The rows beyond a limit are written, with the limit they break; *exceeded tells the caller
 * (the command exits 3). Not in pprof. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series.h"

pk_status pk_report_check(pk_series *s, pk_out *o, int *exceeded)
{
	const pk_options *opt = s->opt;
	double site = -1, fresh = -1;
	pk_status st;
	*exceeded = 0;
	if (opt->max_site_growth && *opt->max_site_growth &&
	    (st = pk_series_amount(s, "max_site_growth", opt->max_site_growth, &site)) != PK_OK)
		return st;
	if (opt->max_new && *opt->max_new &&
	    (st = pk_series_amount(s, "max_new", opt->max_new, &fresh)) != PK_OK)
		return st;
	if (opt->max_growth < 0 && site < 0 && fresh < 0)
		return pk_fail(s->ctx, PK_EUSAGE,
		               "check: no limit given (-max_growth, -max_site_growth, -max_new)");
	pk_cmprow *rows;
	size_t n;
	if ((st = pk_compare_rows(s, &rows, &n)) != PK_OK)
		return st;
	/* The offending rows, each with its reason, in compare's order; the total first. */
	pk_cmprow *bad = pk_calloc(n + 1, sizeof *bad);
	char **why = pk_calloc(n + 1, sizeof *why);
	char *whybuf = pk_malloc((n + 1) * 160);
	if (!bad || !why || !whybuf) {
		pk_free(rows);
		pk_free(bad);
		pk_free(why);
		pk_free(whybuf);
		return pk_oom(s->ctx);
	}
	size_t nb = 0;
	char a[128];
	size_t last = s->n - 1;
	int64_t to = s->total[0], tn = s->total[last];
	double total_pct =
	    to != 0 ? ((double)tn - (double)to) / fabs((double)to) * 100 : (tn > 0 ? INFINITY : 0);
	bool total_bad = opt->max_growth >= 0 && total_pct > opt->max_growth;
	for (size_t i = 0; i < n; i++) {
		const pk_cmprow *x = &rows[i];
		char *w = whybuf + nb * 160;
		if (fresh >= 0 && x->old == 0 && (double)x->new_ >= fresh)
			snprintf(w, 160, "new, reaches %s >= -max_new=%s",
			         pk_series_value(s, a, sizeof a, x->new_, false), opt->max_new);
		else if (site >= 0 && (double)x->delta > site)
			snprintf(w, 160, "grew %s > -max_site_growth=%s",
			         pk_series_value(s, a, sizeof a, x->delta, true),
			         opt->max_site_growth);
		else
			continue;
		why[nb] = w;
		bad[nb++] = *x;
	}
	*exceeded = total_bad || nb > 0;
	if (opt->output == PK_OUT_TEXT) {
		char b[128], c[128];
		if (total_bad)
			pk_out_fmt(o, "check: total grew %+.2f%% (%s -> %s) > -max_growth=%g%%\n",
			           total_pct, pk_series_value(s, a, sizeof a, to, false),
			           pk_series_value(s, b, sizeof b, tn, false), opt->max_growth);
		if (nb > 0)
			pk_out_fmt(o, "check: %zu row%s beyond the limits\n", nb,
			           nb == 1 ? "" : "s");
		if (!*exceeded)
			pk_out_fmt(o, "check: within limits (total %s, %s -> %s)\n",
			           pk_series_value(s, c, sizeof c, pk_wsub(tn, to), true),
			           pk_series_value(s, a, sizeof a, to, false),
			           pk_series_value(s, b, sizeof b, tn, false));
		if (nb > 0)
			pk_compare_write(s, o, bad, nb, nb, "check", (const char *const *)why,
			                 false);
	} else if (opt->output == PK_OUT_JSON) {
		/* {"exceeded":..., "total_growth_pct":..., "limits":{...}, then compare's members}
		 */
		pk_out_fmt(o,
		           "{\"command\":\"check\",\"exceeded\":%s,\"total_exceeded\":%s,\"total_"
		           "growth_pct\":",
		           *exceeded ? "true" : "false", total_bad ? "true" : "false");
		if (isfinite(total_pct))
			pk_out_fmt(o, "%.4f", total_pct);
		else
			pk_out_cstr(o, "null");
		pk_out_cstr(o, ",\"limits\":{");
		bool comma = false;
		if (opt->max_growth >= 0) {
			pk_out_fmt(o, "\"max_growth_pct\":%g", opt->max_growth);
			comma = true;
		}
		if (site >= 0) {
			pk_out_fmt(o, "%s\"max_site_growth\":%.0f", comma ? "," : "", site);
			comma = true;
		}
		if (fresh >= 0)
			pk_out_fmt(o, "%s\"max_new\":%.0f", comma ? "," : "", fresh);
		pk_out_cstr(o, "},\"report\":");
		pk_compare_write(s, o, bad, nb, nb, "check", (const char *const *)why, true);
		pk_out_cstr(o, "}\n");
	} else {
		pk_compare_write(s, o, bad, nb, nb, "check", (const char *const *)why, false);
	}
	pk_free(rows);
	pk_free(bad);
	pk_free(why);
	pk_free(whybuf);
	return PK_OK;
}
