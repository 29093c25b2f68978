/* diffbase.c - the profile operations behind -base and -diff_base: whether a sample carries
 * the pprof::base label (profile.go HasLabel, as report.go's DiffBaseSample uses it), and
 * Normalize (merge.go): p scaled so that each sample type totals what it totals in base.
 * Note that Normalize scales the source profile p by base/source per sample type, not the
 * base, and checks compatibility before any unit scaling.
 */
#include <stdlib.h>
#include <string.h>

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

/* A view of d with the samples that are (base) or are not base samples. When the base's samples
 * all follow the profile's (first_base: the first of them; as the -diff_base merge of disjoint
 * sides lays them out), each half is a range of d's samples, shared; otherwise (first_base
 * (size_t)-1) the kept samples are copied. */
static pk_status half(pk_ctx *ctx, const pk_profile *d, bool base, size_t first_base,
                      pk_profile **out)
{
	pk_profile *q = NULL;
	bool range = first_base != (size_t)-1;
	bool *keep = range ? NULL : pk_malloc((d->n_samples ? d->n_samples : 1) * sizeof *keep);
	pk_status st = range || keep ? pk_profile_view(ctx, &q, d) : pk_oom(ctx);
	if (st == PK_OK) { /* a half is no -diff_base form: no groups to carry */
		q->grp = NULL;
		q->n_grp = 0;
		q->base_disjoint = false;
	}
	if (st == PK_OK && range) {
		size_t from = base ? first_base : 0, to = base ? d->n_samples : first_base;
		if (from) {
			q->samples = d->samples + from;
			q->values = d->values + from * d->n_sample_types;
		}
		q->n_samples = to - from;
	}
	for (size_t i = 0; st == PK_OK && !range && i < d->n_samples; i++) {
		if ((st = pk_cancel_point(ctx, i)) != PK_OK)
			break;
		keep[i] = pk_sample_is_diff_base(d, i) == base;
	}
	if (st == PK_OK && !range)
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
	/* Where the base's samples begin, if they all follow the profile's. */
	size_t first = d->n_samples;
	pk_status st = PK_OK;
	*base = *p = NULL;
	for (size_t i = 0; i < d->n_samples; i++) {
		if ((st = pk_cancel_point(ctx, i)) != PK_OK)
			return st;
		bool b = pk_sample_is_diff_base(d, i);
		if (b && first == d->n_samples)
			first = i;
		else if (!b && first != d->n_samples) {
			first = (size_t)-1; /* a profile's sample after a base's */
			break;
		}
	}
	st = half(ctx, d, true, first, base);
	if (st == PK_OK && (st = half(ctx, d, false, first, p)) != PK_OK) {
		pk_profile_free(*base);
		*base = NULL;
	}
	return st;
}

/* ---- -base read from the -diff_base form ---------------------------------------------------- */

typedef struct {
	const pk_profile *p;
	pk_sid base;
} grp_ctx;

/* The next label of s at or after *j that is not pprof::base, or NULL. */
static const pk_label *next_label(const grp_ctx *c, const pk_sample *s, uint32_t *j)
{
	const pk_label *l = c->p->labels + s->label_start;
	for (; *j < s->n_labels; ++*j)
		if (l[*j].is_num || l[*j].key != c->base)
			return &l[(*j)++];
	return NULL;
}

/* Whether samples a and b would be one sample of -base's merge: the same stack and the same
 * labels (as the merge compares them, in the merged order) but for pprof::base. */
static bool grp_eq(const void *ctx, uint32_t a, const void *key)
{
	const grp_ctx *c = ctx;
	const pk_profile *p = c->p;
	const pk_sample *x = &p->samples[a], *y = &p->samples[*(const uint32_t *)key];
	if (x->n_locs != y->n_locs ||
	    (x->n_locs && memcmp(p->sample_locs + x->loc_start, p->sample_locs + y->loc_start,
	                         x->n_locs * sizeof *p->sample_locs) != 0))
		return false;
	uint32_t i = 0, j = 0;
	for (;;) {
		const pk_label *l = next_label(c, x, &i), *m = next_label(c, y, &j);
		if (!l || !m)
			return !l && !m;
		if (!pk_label_eq(l, m))
			return false;
	}
}

PK_API pk_status pk_profile_base_groups(pk_ctx *ctx, pk_profile *d)
{
	if (!d->has_sides || !d->base_disjoint)
		return pk_fail(
		    ctx, PK_EUSAGE,
		    "%s: not a -diff_base combination whose label pprof::base marks only "
		    "the base's samples",
		    d->name ? d->name : "profile");
	if (d->shared)
		return pk_fail(ctx, PK_EUSAGE, "%s: a view has no groups of its own",
		               d->name ? d->name : "profile");
	if (d->n_samples >= PK_NONE)
		return pk_fail(ctx, PK_EFORMAT, "%s: too many samples",
		               d->name ? d->name : "profile");
	grp_ctx c = {d, pk_strtab_lookup(&d->strs, "pprof::base", 11)};
	uint32_t *grp = pk_arena_alloc(d->arena, (d->n_samples ? d->n_samples : 1) * sizeof *grp);
	pk_hash h;
	if (!grp || !pk_hash_init(&h, d->n_samples))
		return pk_oom(ctx);
	uint32_t n = 0;
	pk_status st = PK_OK;
	for (uint32_t i = 0; i < d->n_samples; i++) {
		if ((st = pk_cancel_point(ctx, i)) != PK_OK)
			break;
		pk_progress_items(ctx, "grouping the samples", i, d->n_samples);
		const pk_sample *s = &d->samples[i];
		uint64_t hv = pk_hash_bytes(d->sample_locs + s->loc_start,
		                            s->n_locs * sizeof *d->sample_locs, s->n_locs);
		uint32_t j = 0;
		for (const pk_label *l; (l = next_label(&c, s, &j));)
			hv = pk_label_hash(hv, l);
		bool found;
		uint32_t r = pk_hash_intern(&h, hv, grp_eq, &c, &i, i, &found);
		if (r == PK_NONE) {
			st = pk_oom(ctx);
			break;
		}
		grp[i] = found ? grp[r] : n++;
	}
	pk_hash_destroy(&h);
	if (st != PK_OK) {
		pk_arena_release(d->arena, grp);
		return st;
	}
	d->grp = grp;
	d->n_grp = n;
	return PK_OK;
}

PK_API pk_status pk_profile_as_base(pk_ctx *ctx, pk_profile *v)
{
	if (!v->grp)
		return pk_fail(ctx, PK_EUSAGE,
		               "%s: no groups (pk_profile_base_groups) to report as -base",
		               v->name ? v->name : "profile");
	v->as_base = true;
	v->base_key = pk_strtab_lookup(&v->strs, "pprof::base", 11);
	/* -base's result has one time and name, its sides' merged (split gives each its own). */
	v->has_sides = false;
	return PK_OK;
}
