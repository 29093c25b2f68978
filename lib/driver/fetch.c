/* fetch.c - how go tool pprof combines the profiles it fetched: several inputs are merged in
 * chunks of 64 (each chunk after ScaleProfiles), each chunk then merged into the running result;
 * -base and -diff_base label the base (diff_base only), optionally normalize the source to the
 * base's totals, negate the base, and merge the two.
 *
 * Mirrors internal/driver/fetch.go (fetchProfiles, chunkedGrab, combineProfiles, the pbase
 * branch). Merge itself is profile/merge.c; Normalize and the base label are profile/diffbase.c.
 * Deliberate divergences: none intended.
 */
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

#define CHUNK_SIZE 64 /* fetch.go chunkedGrab */

PK_API pk_status pk_profile_apply_base(pk_ctx *ctx, pk_profile **out, pk_profile *p,
                                       pk_profile *base, pk_base_mode mode, int normalize)
{
	pk_status st;
	*out = NULL;
	/* Whether the label marks the base's samples only (as in apply_base_take). */
	bool disjoint = pk_strtab_lookup(&p->strs, "pprof::base", 11) == PK_NONE;
	if (mode == PK_BASE_DIFF &&
	    (st = pk_profile_set_label(ctx, base, "pprof::base", "true")) != PK_OK)
		return st;
	if (normalize && (st = pk_profile_normalize(ctx, p, base)) != PK_OK)
		return st;
	if ((st = pk_profile_scale(ctx, base, -1)) != PK_OK)
		return st;
	pk_profile *pair[2] = {p, base};
	const char *const name[2] = {base->name, p->name};
	const int64_t time[2] = {base->time_nanos, p->time_nanos};
	if ((st = pk_profile_merge(ctx, out, pair, 2)) == PK_OK && mode == PK_BASE_DIFF) {
		pk_profile *d = *out;
		if ((st = pk_profile_set_sides(ctx, d, name, time)) != PK_OK) {
			pk_profile_free(d);
			*out = NULL;
		} else {
			d->base_disjoint = disjoint;
		}
	}
	return st;
}

/* combineProfiles: ScaleProfiles, then Merge. */
static pk_status combine(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n)
{
	pk_status st = pk_scale_profiles(ctx, in, n);
	if (st != PK_OK) {
		*out = NULL;
		return st;
	}
	return pk_profile_merge_core(ctx, out, in, n);
}

PK_API pk_status pk_profile_merge(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n)
{
	pk_status st = PK_OK;
	pk_profile *acc = NULL;
	*out = NULL;
	if (n == 0)
		return pk_fail(ctx, PK_EUSAGE, "no profiles to merge");
	/* chunkedGrab: each chunk of 64 is combined, then combined with the result so far. */
	for (size_t start = 0; start < n; start += CHUNK_SIZE) {
		size_t len = n - start < CHUNK_SIZE ? n - start : CHUNK_SIZE;
		pk_profile *chunk, *next;
		if ((st = combine(ctx, &chunk, in + start, len)) != PK_OK)
			goto done;
		if (!acc) {
			acc = chunk;
			continue;
		}
		pk_profile *pair[2] = {acc, chunk};
		st = combine(ctx, &next, pair, 2);
		pk_profile_free(chunk);
		if (st != PK_OK)
			goto done;
		pk_profile_free(acc);
		acc = next;
	}
done:
	if (st != PK_OK) {
		pk_profile_free(acc);
		return st;
	}
	*out = acc;
	return PK_OK;
}

PK_API pk_status pk_profile_merge_take(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n)
{
	pk_status st;
	if (n == 1) {
		/* chunkedGrab of one: combineProfiles of one, which scales nothing. */
		pk_profile *one = in[0];
		in[0] = NULL;
		return pk_profile_merge_one(ctx, out, one);
	}
	if (n <= CHUNK_SIZE) { /* one chunk: combineProfiles, each input freed once merged */
		*out = NULL;
		st = pk_scale_profiles(ctx, in, n);
		if (st == PK_OK)
			return pk_profile_merge_core_take(ctx, out, in, n);
	} else {
		st = pk_profile_merge(ctx, out, in, n);
	}
	for (size_t i = 0; i < n; i++) {
		pk_profile_free(in[i]);
		in[i] = NULL;
	}
	return st;
}

PK_API pk_status pk_profile_merge_take_sums(pk_ctx *ctx, pk_profile **out, pk_profile **in,
                                            size_t n)
{
	if (n != 1)
		return pk_profile_merge_take(ctx, out, in, n);
	pk_profile *one = in[0];
	in[0] = NULL;
	return pk_profile_merge_one_sums(ctx, out, one);
}

/* Whether every sample type has the same unit in a and b: then ScaleProfiles changes no
 * value (a different unit may still scale by 1, which only the usual way takes). */
static bool same_units(const pk_profile *a, const pk_profile *b)
{
	if (a->n_sample_types != b->n_sample_types)
		return false;
	for (uint32_t i = 0; i < a->n_sample_types; i++)
		if (pk_str_cmp(pk_s(a, a->sample_types[i].unit),
		               pk_s(b, b->sample_types[i].unit)) != 0)
			return false;
	return true;
}

/* apply_base_take; with sums, for a report that only sums samples (pk_format_sums), whose
 * inputs may have equal samples apart (pk_profile_merge_take_sums). */
static pk_status apply_base_take(pk_ctx *ctx, pk_profile **out, pk_profile **p, pk_profile **base,
                                 pk_base_mode mode, int normalize, bool sums)
{
	pk_status st;
	pk_profile *pair[2] = {*p, *base};
	*out = NULL;
	*p = *base = NULL;
	/* Every base sample gets the label pprof::base: when the profile has no such string, none
	 * of its samples can equal a base sample, and each side is combined only within itself. */
	bool disjoint =
	    mode == PK_BASE_DIFF && pk_strtab_lookup(&pair[0]->strs, "pprof::base", 11) == PK_NONE;
	/* For a report that sums, each side's equal samples may stay apart where combining them
	 * changes no sum: the sides never share a sample (disjoint), each side's values have one
	 * sign and no wrapping total (pk_profile_sums_plain, the base's before it is negated), and
	 * no value is scaled, which rounds a combined sample once and its parts each. Otherwise a
	 * side left apart is combined first, as go tool pprof's merge of each side did. */
	bool apart = sums && disjoint && !normalize && same_units(pair[0], pair[1]) &&
	             (pair[0]->sums_only || pk_profile_sums_plain(pair[0])) &&
	             (pair[1]->sums_only || pk_profile_sums_plain(pair[1]));
	for (int i = 0; i < 2 && !apart; i++) {
		if (pair[i]->sums_only) {
			pk_profile *one = pair[i];
			pair[i] = NULL;
			if ((st = pk_profile_merge_one(ctx, &pair[i], one)) != PK_OK)
				goto fail;
		}
	}
	if (mode == PK_BASE_DIFF &&
	    (st = pk_profile_set_label(ctx, pair[1], "pprof::base", "true")) != PK_OK)
		goto fail;
	if (normalize && (st = pk_profile_normalize(ctx, pair[0], pair[1])) != PK_OK)
		goto fail;
	if ((st = pk_profile_scale(ctx, pair[1], -1)) != PK_OK)
		goto fail;
	/* The sides' names and times (for pk_profile_split_base), kept before they go. */
	char *name[2] = {NULL, NULL};
	const int64_t time[2] = {pair[1]->time_nanos, pair[0]->time_nanos};
	for (int i = 0; i < 2; i++) {
		const char *nm = pair[1 - i]->name;
		if (nm && !(name[i] = pk_strdup(nm))) {
			pk_free(name[0]);
			st = pk_oom(ctx);
			goto fail;
		}
	}
	if (!disjoint) {
		st = pk_profile_merge_take(ctx, out, pair, 2);
	} else if ((st = pk_scale_profiles(ctx, pair, 2)) == PK_OK) { /* as merge_take does */
		st = apart ? pk_profile_merge_core_take_apart(ctx, out, pair, 2)
		           : pk_profile_merge_core_take_disjoint(ctx, out, pair, 2);
	} else {
		pk_profile_free(pair[0]);
		pk_profile_free(pair[1]);
	}
	if (st == PK_OK && mode == PK_BASE_DIFF) {
		pk_profile *d = *out;
		if ((st = pk_profile_set_sides(ctx, d, (const char *const *)name, time)) != PK_OK) {
			pk_profile_free(d);
			*out = NULL;
		} else {
			d->base_disjoint = disjoint;
		}
	}
	pk_free(name[0]);
	pk_free(name[1]);
	return st;
fail:
	pk_profile_free(pair[0]);
	pk_profile_free(pair[1]);
	return st;
}

PK_API pk_status pk_profile_apply_base_take(pk_ctx *ctx, pk_profile **out, pk_profile **p,
                                            pk_profile **base, pk_base_mode mode, int normalize)
{
	return apply_base_take(ctx, out, p, base, mode, normalize, false);
}

PK_API pk_status pk_profile_apply_base_take_sums(pk_ctx *ctx, pk_profile **out, pk_profile **p,
                                                 pk_profile **base, pk_base_mode mode,
                                                 int normalize)
{
	return apply_base_take(ctx, out, p, base, mode, normalize, true);
}

PK_API pk_status pk_profile_merge_into(pk_ctx *ctx, pk_profile **acc, pk_profile *next)
{
	pk_status st;
	pk_profile *merged = NULL;
	if (!*acc)
		return pk_profile_merge_one(ctx, acc, next);
	pk_profile *pair[2] = {*acc, next};
	st = combine(ctx, &merged, pair, 2);
	pk_profile_free(next);
	if (st != PK_OK)
		return st;
	pk_profile_free(*acc);
	*acc = merged;
	return PK_OK;
}
