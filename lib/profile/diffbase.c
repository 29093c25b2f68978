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
