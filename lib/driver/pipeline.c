/* pipeline.c - pk_report: the steps between a loaded profile and a report, in pprof's order.
 * Mirrors internal/driver/driver.go generateRawReport, applyCommandOverrides, reportOptions,
 * sampleFormat and aggregate, and internal/report/report.go New/computeTotal.
 * The order decides percentages: command overrides; tag roots/leaves; with
 * -relative_percentages filter first; the total; otherwise filter after the total; aggregate
 * to the granularity; the report. It stays in this one function.
 * Divergence: pprof copies the profile first; pk_report works in place (see pprofkit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"
#include "report/flame.h"
#include "driver/prepare.h"
#include "report/goroutines.h"

static pk_status aggregate(pk_rpt *r)
{
	bool inlines = !r->noinlines, function = false, filename = false, line = false,
	     address = false;
	if (r->fmt == PK_FMT_GOROUTINES) /* groups by whole stacks, lines included */
		return PK_OK;
	switch (r->gran) {
	case PK_GRAN_ADDRESSES:
		if (inlines)
			return PK_OK;
		function = filename = line = address = true;
		break;
	case PK_GRAN_LINES:
		function = filename = line = true;
		break;
	case PK_GRAN_FILES:
		filename = true;
		break;
	case PK_GRAN_FUNCTIONS:
		function = true;
		break;
	case PK_GRAN_FILEFUNCTIONS:
		function = filename = true;
		break;
	default:
		return pk_fail(r->ctx, PK_EUSAGE, "unexpected granularity");
	}
	return pk_profile_aggregate(r->ctx, r->p, inlines, function, filename, line, address);
}

/* A view reporting as -base (pk_profile_as_base): computeTotal over the samples -base's merge
 * would have made, each group's values summed first. Marks the groups that sum to zero for the
 * graph (p->grp_zero): the filters after this keep or drop whole groups (one stack, the same
 * labels), so the marks hold for what they leave. */
static pk_status compute_total_as_base(pk_rpt *r)
{
	pk_profile *p = r->p;
	int64_t total = 0, div = 0;
	int64_t *gw = pk_calloc(p->n_grp ? p->n_grp : 1, sizeof *gw);
	int64_t *gd = r->mean ? pk_calloc(p->n_grp ? p->n_grp : 1, sizeof *gd) : NULL;
	uint8_t *zero = pk_arena_alloc(p->arena, p->n_grp ? p->n_grp : 1);
	pk_status st = !gw || (r->mean && !gd) || !zero ? pk_oom(r->ctx) : PK_OK;
	for (size_t i = 0; st == PK_OK && i < p->n_samples; i++) {
		if ((st = pk_cancel_point(r->ctx, i)) != PK_OK)
			break;
		const int64_t *v = pk_sample_values(p, i);
		uint32_t g = p->grp[i];
		gw[g] = pk_wadd(gw[g], v[r->value_index]);
		if (gd)
			gd[g] = pk_wadd(gd[g], v[0]);
	}
	for (uint32_t g = 0; st == PK_OK && g < p->n_grp; g++) {
		int64_t d = gd ? gd[g] : 0;
		total = pk_wadd(total, pk_wabs(gw[g]));
		div = pk_wadd(div, d);
		zero[g] = gw[g] == 0 && d == 0;
	}
	pk_free(gw);
	pk_free(gd);
	if (st != PK_OK)
		return st;
	p->grp_zero = zero;
	r->total = div != 0 ? pk_wdiv(total, div) : total;
	return PK_OK;
}

static pk_status compute_total(pk_rpt *r)
{
	const pk_profile *p = r->p;
	if (p->as_base)
		return compute_total_as_base(r);
	int64_t total = 0, div = 0, diff_total = 0, diff_div = 0;
	/* Without the string pprof::base no sample is a base sample: no label walk per sample. */
	bool maybe_base = pk_strtab_lookup(&p->strs, "pprof::base", 11) != PK_NONE;
	for (size_t i = 0; i < p->n_samples; i++) {
		pk_status st = pk_cancel_point(r->ctx, i);
		if (st != PK_OK)
			return st;
		const int64_t *v = pk_sample_values(p, i);
		int64_t x = v[r->value_index], d = r->mean ? v[0] : 0;
		x = pk_wabs(x); /* Go's int64 sums wrap: see pk.h */
		total = pk_wadd(total, x);
		div = pk_wadd(div, d);
		if (maybe_base && pk_sample_is_diff_base(p, i)) {
			diff_total = pk_wadd(diff_total, x);
			diff_div = pk_wadd(diff_div, d);
		}
	}
	if (diff_total > 0) {
		total = diff_total;
		div = diff_div;
	}
	r->total = div != 0 ? pk_wdiv(total, div) : total;
	return PK_OK;
}

static void add_filter(pk_rpt *r, const char *k, const char *v)
{
	if (!v || !*v)
		return;
	pk_sb_fmt(&r->filters, "%s=%s", k, v);
	pk_sb_bytes(&r->filters, "", 1); /* the NUL separates the entries */
	r->n_filters++;
}

/* applyCommandOverrides + reportOptions. */
static pk_status resolve(pk_rpt *r)
{
	const pk_options *o = r->opt;
	pk_profile *p = r->p;
	bool trim = o->trim;
	r->gran = o->granularity;
	r->noinlines = o->noinlines;
	r->nodecount = o->nodecount;
	r->nodefraction = o->nodefraction;
	r->edgefraction = o->edgefraction;
	switch (r->fmt) {
	case PK_FMT_PEEK:
		trim = false;
		break;
	case PK_FMT_LIST:
		trim = false;
		r->gran = PK_GRAN_LINES;
		break;
	case PK_FMT_TOP:
		if (r->nodecount == -1)
			r->nodecount = 0;
		break;
	default:
		if (r->nodecount == -1)
			r->nodecount = 80;
	}
	if (r->fmt == PK_FMT_PROTO || r->fmt == PK_FMT_RAW) {
		trim = false;
		r->gran = PK_GRAN_ADDRESSES;
		r->noinlines = false;
	}
	if (!trim) {
		r->nodecount = 0;
		r->nodefraction = 0;
		r->edgefraction = 0;
	}
	r->cum_sort = o->cum;
	r->call_tree = o->call_tree;
	r->drop_negative = o->drop_negative;
	r->compact_labels = o->compact_labels;
	r->output_unit = o->unit && *o->unit ? o->unit : "minimum";

	if (p->n_sample_types == 0)
		return pk_fail(r->ctx, PK_EFORMAT, "profile has no samples");
	pk_status st = pk_sample_index_by_name(r->ctx, p, o->sample_index ? o->sample_index : "",
	                                       &r->value_index);
	if (st != PK_OK)
		return st;
	r->mean = o->mean;
	pk_str type = pk_s(p, p->sample_types[r->value_index].type);
	if (r->mean)
		pk_sb_cstr(&r->sample_type, "mean_");
	pk_sb_bytes(&r->sample_type, type.s, type.n);
	r->sample_unit = pk_s(p, p->sample_types[r->value_index].unit).s;
	if (o->divide_by == 0)
		return pk_fail(r->ctx, PK_EUSAGE, "zero divisor specified");
	r->ratio = 1 / o->divide_by;

	add_filter(r, "focus", o->focus);
	add_filter(r, "ignore", o->ignore);
	add_filter(r, "hide", o->hide);
	add_filter(r, "show", o->show);
	add_filter(r, "show_from", o->show_from);
	add_filter(r, "tagfocus", o->tagfocus);
	add_filter(r, "tagignore", o->tagignore);
	add_filter(r, "tagshow", o->tagshow);
	add_filter(r, "taghide", o->taghide);
	if (r->sample_type.oom || r->filters.oom)
		return pk_oom(r->ctx);
	if (p->n_mappings > 0 && p->mappings[0].file)
		r->title = pk_s(p, p->mappings[0].file).s;
	return PK_OK;
}

/* generateRawReport compiles the peek/list argument before it filters (without
 * -relative_percentages), so a bad one is reported before a bad filter. The reports compile it
 * again for their own use. */
static pk_status check_symbol(pk_rpt *r)
{
	pk_regex *re = NULL;
	const char *sym = r->opt->symbol;
	if (!sym || (r->fmt != PK_FMT_PEEK && r->fmt != PK_FMT_LIST))
		return PK_OK;
	pk_status st = pk_regex_compile(r->ctx, &re, sym, NULL);
	pk_regex_free(re);
	if (st == PK_EUSAGE) {
		char msg[sizeof r->ctx->msg];
		snprintf(msg, sizeof msg, "%s", pk_ctx_message(r->ctx));
		return pk_fail(r->ctx, st, "parsing argument regexp %s: %s", sym, msg);
	}
	return st;
}

static pk_status generate(pk_rpt *r)
{
	switch (r->fmt) {
	case PK_FMT_TOP:
		return pk_report_text(r);
	case PK_FMT_TRACES:
		return pk_report_traces(r);
	case PK_FMT_PEEK:
	case PK_FMT_TREE:
		return pk_report_tree(r);
	case PK_FMT_TAGS:
		return pk_report_tags(r);
	case PK_FMT_RAW:
		return pk_report_raw(r);
	case PK_FMT_COMMENTS:
		return pk_report_comments(r);
	case PK_FMT_LIST:
		return pk_report_list(r);
	case PK_FMT_DOT:
		return pk_report_dot(r);
	case PK_FMT_SVG:
		return pk_report_svg(r);
	case PK_FMT_PROTO:
		return pk_report_proto(r);
	case PK_FMT_FLAME:
		return pk_report_flame(r);
	case PK_FMT_FOLDED:
		return pk_report_folded(r);
	case PK_FMT_COMPARE:
	case PK_FMT_TREND:
	case PK_FMT_CHECK:
		break; /* several profiles: pk_report_series */
	case PK_FMT_GOROUTINES:
		return pk_report_goroutines(r);
	}
	return pk_fail(r->ctx, PK_EUSAGE, "unknown report format %d", (int)r->fmt);
}

/* The reports a view reporting as -base may give: those that read the samples only through
 * the graph (and the total), where a group's samples sum as -base's one sample would. */
static bool as_base_reads(pk_format fmt)
{
	return fmt == PK_FMT_TOP || fmt == PK_FMT_PEEK || fmt == PK_FMT_TREE ||
	       fmt == PK_FMT_LIST || fmt == PK_FMT_DOT || fmt == PK_FMT_SVG;
}

/* Everything pk_report does before the report itself, in pprof's order: the one place that
 * order lives. r->ctx, r->p, r->fmt and r->opt are set by the caller; pk_rpt_release frees
 * what it allocates. series.c (compare, trend, check) runs it on each snapshot. */
pk_status pk_rpt_prepare(pk_rpt *r)
{
	pk_status st;
	if (r->p->as_base && !as_base_reads(r->fmt))
		return pk_fail(r->ctx, PK_EUSAGE,
		               "%s: read from the -diff_base form for reports of its graph: run "
		               "this report on the profile combined with -base",
		               r->p->name ? r->p->name : "profile");
	if ((st = pk_profile_num_label_units(r->ctx, r->p, &r->nlu)) != PK_OK)
		return st;
	pk_fenv env = {r->ctx, r->p, &r->nlu};
	/* As generateRawReport: tag roots/leaves, then (-relative_percentages) the filters, before
	 * reportOptions can fail on -sample_index or -divide_by. */
	if ((st = pk_tag_roots_leaves(&env, r->opt)) != PK_OK)
		return st;
	if (r->opt->relative_percentages && (st = pk_apply_filters(&env, r->opt)) != PK_OK)
		return st;
	if ((st = resolve(r)) != PK_OK)
		return st;
	if ((st = check_symbol(r)) != PK_OK)
		return st;
	if ((st = compute_total(r)) != PK_OK)
		return st;
	if (!r->opt->relative_percentages && (st = pk_apply_filters(&env, r->opt)) != PK_OK)
		return st;
	return aggregate(r);
}

void pk_rpt_release(pk_rpt *r)
{
	pk_sb_free(&r->sample_type);
	pk_sb_free(&r->filters);
}

PK_API int pk_format_sums(pk_format fmt, const pk_options *opt)
{
	switch (fmt) {
	case PK_FMT_FLAME:
	case PK_FMT_FOLDED:
		return !opt || !opt->mean;
	case PK_FMT_TOP:
	case PK_FMT_PEEK:
	case PK_FMT_LIST:
	case PK_FMT_TREE:
	case PK_FMT_TAGS:
	case PK_FMT_DOT:
	case PK_FMT_SVG:
	case PK_FMT_COMMENTS:
		return 1;
	default:
		return 0;
	}
}

PK_API pk_status pk_report(pk_ctx *ctx, pk_profile *p, pk_format fmt, const pk_options *opt,
                           pk_writer *out)
{
	pk_options defaults = PK_OPTIONS_INIT;
	pk_rpt r;
	pk_status st;
	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	r.p = p;
	r.fmt = fmt;
	r.opt = opt ? opt : &defaults;
	if (p->sums_only && !pk_format_sums(fmt, r.opt))
		return pk_fail(ctx, PK_EUSAGE,
		               "%s: merged for reports that sum samples: merge it with "
		               "pk_profile_merge_take for this report",
		               p->name ? p->name : "profile");
	if (r.opt->output != PK_OUT_TEXT && fmt != PK_FMT_TOP && fmt != PK_FMT_TRACES &&
	    fmt != PK_FMT_PEEK && fmt != PK_FMT_TREE && fmt != PK_FMT_TAGS &&
	    fmt != PK_FMT_GOROUTINES)
		return pk_fail(
		    ctx, PK_EUSAGE,
		    "-format: JSON and CSV are written by top, peek, tree, traces, tags, "
		    "goroutines, compare, trend and check");
	if (!pk_out_init(&r.out, out))
		return pk_oom(ctx);

	if ((st = pk_rpt_prepare(&r)) == PK_OK)
		st = generate(&r);
	pk_status fst = pk_out_finish(ctx, &r.out);
	if (st == PK_OK)
		st = fst;
	pk_rpt_release(&r);
	return st;
}
