/* diffbase.c - the profile operations behind -base and -diff_base: whether a sample carries
 * the pprof::base label (profile.go HasLabel, as report.go's DiffBaseSample uses it), and
 * Normalize (merge.go): p scaled so that each sample type totals what it totals in base.
 * Note that Normalize scales the source profile p by base/source per sample type, not the
 * base, and checks compatibility before any unit scaling.
 */
#include <stdlib.h>

#include "profile/profile.h"

bool pk_sample_is_diff_base(const pk_profile *p, size_t i)
{
	const pk_sample *s = &p->samples[i];
	for (uint32_t j = 0; j < s->n_labels; j++) {
		const pk_label *l = &p->labels[s->label_start + j];
		if (!l->is_num && pk_str_eq_cstr(pk_s(p, l->key), "pprof::base") &&
		    pk_str_eq_cstr(pk_s(p, l->str), "true"))
			return true;
	}
	return false;
}

pk_status pk_profile_normalize(pk_ctx *ctx, pk_profile *p, const pk_profile *base)
{
	pk_status st = pk_profile_compatible(ctx, p, base);
	if (st != PK_OK)
		return st;
	size_t nt = p->n_sample_types;
	uint64_t *sums = pk_calloc(2 * (nt ? nt : 1), sizeof *sums); /* base sums, then p's */
	double *ratios = pk_malloc((nt ? nt : 1) * sizeof *ratios);
	if (!sums || !ratios) {
		st = pk_oom(ctx);
		goto done;
	}
	for (size_t i = 0; i < base->n_samples; i++) {
		const int64_t *v = pk_sample_values(base, i);
		for (size_t j = 0; j < nt; j++)
			sums[j] += (uint64_t)v[j]; /* Go's int64 sums wrap */
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		const int64_t *v = pk_sample_values(p, i);
		for (size_t j = 0; j < nt; j++)
			sums[nt + j] += (uint64_t)v[j];
	}
	for (size_t j = 0; j < nt; j++) {
		int64_t b = (int64_t)sums[j], s = (int64_t)sums[nt + j];
		ratios[j] = s == 0 ? 0.0 : (double)b / (double)s;
	}
	st = pk_profile_scale_n(ctx, p, ratios);
done:
	pk_free(sums);
	pk_free(ratios);
	return st;
}

/* A view of d with the samples that are (base) or are not base samples. */
static pk_status half(pk_ctx *ctx, const pk_profile *d, bool base, pk_profile **out)
{
	pk_profile *q = NULL;
	bool *keep = pk_malloc((d->n_samples ? d->n_samples : 1) * sizeof *keep);
	pk_status st = keep ? pk_profile_view(ctx, &q, d) : pk_oom(ctx);
	for (size_t i = 0; st == PK_OK && i < d->n_samples; i++) {
		if ((st = pk_cancel_point(ctx, i)) != PK_OK)
			break;
		keep[i] = pk_sample_is_diff_base(d, i) == base;
	}
	if (st == PK_OK)
		st = pk_profile_keep_samples(ctx, q, keep);
	if (st == PK_OK && d->has_sides) { /* the side's own name and time */
		q->name = q->side_name[base ? 0 : 1];
		q->time_nanos = q->side_time[base ? 0 : 1];
		q->has_sides = false;
	}
	/* The base as it was read: values negated back, without the label. */
	if (st == PK_OK && base)
		st = pk_profile_scale(ctx, q, -1);
	if (st == PK_OK && base)
		st = pk_profile_remove_label(ctx, q, "pprof::base");
	pk_free(keep);
	if (st != PK_OK) {
		pk_profile_free(q);
		q = NULL;
	}
	*out = q;
	return st;
}

PK_API pk_status pk_profile_split_base(pk_ctx *ctx, const pk_profile *d, pk_profile **base,
                                       pk_profile **p)
{
	pk_status st = half(ctx, d, true, base);
	*p = NULL;
	if (st == PK_OK && (st = half(ctx, d, false, p)) != PK_OK) {
		pk_profile_free(*base);
		*base = NULL;
	}
	return st;
}
