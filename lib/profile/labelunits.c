/* labelunits.c - the unit of each numeric label key, decided once per report before anything
 * filters the profile, and pprof's warning about keys seen with several units.
 *
 * Mirrors profile/profile.go Profile.NumLabelUnits and internal/driver/driver.go
 * identifyNumLabelUnits: a key's unit is the first non-empty unit met in sample order (values
 * of one sample in their order); a key never seen with a unit takes "bytes" when it is
 * "alignment" or "request", else its own name. Other units met for a key are reported, sorted.
 *
 * Divergence: pprof warns in map order (random when several keys disagree); the warnings here
 * come in key order.
 */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

typedef struct seen_unit {
	pk_sid key, unit;
} seen_unit;

static int cmp_pair(const void *a, const void *b)
{
	const seen_unit *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int cmp_ignored(const void *a, const void *b, void *arg)
{
	const pk_profile *p = arg;
	const seen_unit *x = a, *y = b;
	int c = pk_str_cmp(pk_s(p, x->key), pk_s(p, y->key));
	if (c)
		return c;
	return pk_str_cmp(pk_s(p, x->unit), pk_s(p, y->unit));
}

static void warn_ignored(pk_ctx *ctx, pk_profile *p, const pk_nlu_table *t, seen_unit *ign,
                         size_t n)
{
	pk_sb sb = {0};
	/* ign is sorted by (key, unit) as strings and holds no duplicates. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		pk_sb_reset(&sb);
		while (j < n && ign[j].key == ign[i].key) {
			pk_str u = pk_s(p, ign[j].unit);
			if (j > i)
				pk_sb_cstr(&sb, ", ");
			pk_sb_bytes(&sb, u.s, u.n);
			j++;
		}
		if (!sb.oom)
			pk_warn(ctx, "For tag %s used unit %s, also encountered unit(s) %.*s",
			        pk_s(p, ign[i].key).s, pk_nlu_unit(p, t, ign[i].key), (int)sb.n,
			        sb.s ? sb.s : "");
		i = j;
	}
	pk_sb_free(&sb);
}

pk_status pk_profile_num_label_units(pk_ctx *ctx, pk_profile *p, pk_nlu_table *out)
{
	pk_status st = PK_OK;
	uint32_t *slot = NULL; /* key sid -> index in keys + 1 */
	seen_unit *keys = NULL, *ign = NULL;
	size_t n_keys = 0, n_ign = 0, cap_ign = 0;
	out->v = NULL;
	out->n = 0;
	if (p->n_labels == 0)
		return PK_OK;
	slot = pk_calloc(p->strs.n, sizeof *slot);
	keys = pk_malloc(sizeof *keys * 16);
	size_t cap_keys = 16;
	if (!slot || !keys)
		goto oom;
	for (size_t s = 0; s < p->n_samples; s++) {
		const pk_sample *sm = &p->samples[s];
		const pk_label *l = p->labels + sm->label_start;
		for (uint32_t i = 0; i < sm->n_labels; i++) {
			if (!l[i].is_num)
				continue;
			uint32_t k = slot[l[i].key];
			if (k == 0) {
				if (!pk_grow((void **)&keys, &cap_keys, n_keys + 1, sizeof *keys))
					goto oom;
				keys[n_keys] = (seen_unit){l[i].key, 0};
				k = slot[l[i].key] = (uint32_t)++n_keys;
			}
			seen_unit *e = &keys[k - 1];
			if (l[i].unit == 0)
				continue;
			if (e->unit == 0) {
				e->unit = l[i].unit;
			} else if (e->unit != l[i].unit) {
				if (!pk_grow((void **)&ign, &cap_ign, n_ign + 1, sizeof *ign))
					goto oom;
				ign[n_ign++] = (seen_unit){l[i].key, l[i].unit};
			}
		}
	}
	pk_sid bytes = 0;
	for (size_t i = 0; i < n_keys; i++) {
		if (keys[i].unit != 0)
			continue;
		pk_str k = pk_s(p, keys[i].key);
		if (pk_str_eq_cstr(k, "alignment") || pk_str_eq_cstr(k, "request")) {
			if (!bytes && (bytes = pk_strtab_intern_cstr(&p->strs, "bytes")) == PK_NONE)
				goto oom;
			keys[i].unit = bytes;
		} else {
			keys[i].unit = keys[i].key;
		}
	}
	qsort(keys, n_keys, sizeof *keys, cmp_pair);
	out->v = pk_arena_alloc(p->arena, sizeof *out->v * (n_keys ? n_keys : 1));
	if (!out->v)
		goto oom;
	for (size_t i = 0; i < n_keys; i++) {
		out->v[i].key = keys[i].key;
		out->v[i].unit = keys[i].unit;
	}
	out->n = (uint32_t)n_keys;

	if (n_ign) {
		/* Distinct (key, unit) pairs, in string order. */
		qsort(ign, n_ign, sizeof *ign, cmp_pair);
		size_t k = 0;
		for (size_t i = 0; i < n_ign; i++)
			if (k == 0 || ign[i].key != ign[k - 1].key ||
			    ign[i].unit != ign[k - 1].unit)
				ign[k++] = ign[i];
		qsort_r(ign, k, sizeof *ign, cmp_ignored, p);
		warn_ignored(ctx, p, out, ign, k);
	}
	goto done;
oom:
	st = pk_oom(ctx);
done:
	pk_free(slot);
	pk_free(keys);
	pk_free(ign);
	return st;
}

const char *pk_nlu_unit(const pk_profile *p, const pk_nlu_table *t, pk_sid key)
{
	uint32_t lo = 0, hi = t->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].key == key)
			return pk_s(p, t->v[mid].unit).s;
		if (t->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}
