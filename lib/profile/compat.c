/* compat.c - whether profiles can be merged or diffed, and their units made common first.
 * Mirrors profile/merge.go (compatible, equalValueType) and internal/measurement/measurement.go
 * (ScaleProfiles, CommonValueType, compatibleValueTypes).
 *
 * Deliberate divergence: "incompatible sample types" prints the types as [type/unit ...]; Go
 * prints the addresses of its ValueType pointers.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

/* ---- compatibility ---------------------------------------------------------------------- */

static bool str_eq(pk_str a, pk_str b)
{
	return a.n == b.n && (!a.n || !memcmp(a.s, b.s, a.n));
}

static bool vt_eq(const pk_profile *a, pk_valtype x, const pk_profile *b, pk_valtype y)
{
	return str_eq(pk_s(a, x.type), pk_s(b, y.type)) && str_eq(pk_s(a, x.unit), pk_s(b, y.unit));
}

static void sb_types(pk_sb *b, const pk_profile *p)
{
	pk_sb_cstr(b, "[");
	for (uint32_t i = 0; i < p->n_sample_types; i++) {
		pk_sb_fmt(b, "%s%s/%s", i ? " " : "", pk_s(p, p->sample_types[i].type).s,
		          pk_s(p, p->sample_types[i].unit).s);
	}
	pk_sb_cstr(b, "]");
}

pk_status pk_profile_compatible(pk_ctx *ctx, const pk_profile *a, const pk_profile *b)
{
	if (!vt_eq(a, a->period_type, b, b->period_type))
		return pk_fail(ctx, PK_EFORMAT,
		               "incompatible period types &{%s %s 0 0} and &{%s %s 0 0}",
		               pk_s(a, a->period_type.type).s, pk_s(a, a->period_type.unit).s,
		               pk_s(b, b->period_type.type).s, pk_s(b, b->period_type.unit).s);
	bool same = a->n_sample_types == b->n_sample_types;
	for (uint32_t i = 0; same && i < a->n_sample_types; i++)
		same = vt_eq(a, a->sample_types[i], b, b->sample_types[i]);
	if (same)
		return PK_OK;
	pk_sb sb = {0};
	pk_sb_cstr(&sb, "incompatible sample types ");
	sb_types(&sb, a);
	pk_sb_cstr(&sb, " and ");
	sb_types(&sb, b);
	pk_status st = sb.oom ? pk_oom(ctx) : pk_fail(ctx, PK_EFORMAT, "%s", sb.s);
	pk_sb_free(&sb);
	return st;
}

/* ---- ScaleProfiles ---------------------------------------------------------------------- */

static pk_valtype type_of(const pk_profile *p, int which)
{
	return which < 0 ? p->period_type : p->sample_types[which];
}

/* compatibleValueTypes: types equal but for one trailing 's' each; units equal or of one
 * family. */
static bool compatible_value_types(const pk_profile *a, pk_valtype x, const pk_profile *b,
                                   pk_valtype y)
{
	pk_str t1 = pk_s(a, x.type), t2 = pk_s(b, y.type);
	if (t1.n && t1.s[t1.n - 1] == 's')
		t1.n--;
	if (t2.n && t2.s[t2.n - 1] == 's')
		t2.n--;
	if (!str_eq(t1, t2))
		return false;
	pk_str u1 = pk_s(a, x.unit), u2 = pk_s(b, y.unit);
	return str_eq(u1, u2) || pk_units_same_family(u1.s, u2.s);
}

/* CommonValueType of the period type (which < 0) or sample type `which` of n >= 2 profiles:
 * *min is the profile whose type is the finest. */
static pk_status common_value_type(pk_ctx *ctx, pk_profile *const *in, size_t n, int which,
                                   const char *what, size_t *min)
{
	size_t m = 0;
	for (size_t j = 1; j < n; j++) {
		pk_valtype mt = type_of(in[m], which), t = type_of(in[j], which);
		if (!compatible_value_types(in[m], mt, in[j], t))
			return pk_fail(ctx, PK_EFORMAT,
			               "%s: incompatible types: {%s %s 0 0} {%s %s 0 0}", what,
			               pk_s(in[m], mt.type).s, pk_s(in[m], mt.unit).s,
			               pk_s(in[j], t.type).s, pk_s(in[j], t.unit).s);
		if (pk_scale(1, pk_s(in[j], t.unit).s, pk_s(in[m], mt.unit).s, NULL) < 1)
			m = j;
	}
	*min = m;
	return PK_OK;
}

pk_status pk_scale_profiles(pk_ctx *ctx, pk_profile *const *in, size_t n)
{
	if (n <= 1) /* CommonValueType of one type is nil: nothing changes */
		return PK_OK;
	pk_status st = PK_OK;
	uint32_t nt = in[0]->n_sample_types;
	pk_str *common = NULL; /* [0] period unit, [1 + i] sample type i's unit */
	double *ratios = NULL;
	size_t m;
	if ((st = common_value_type(ctx, in, n, -1, "period type", &m)) != PK_OK)
		return st;
	for (size_t j = 1; j < n; j++)
		if (in[j]->n_sample_types != nt)
			return pk_fail(ctx, PK_EFORMAT,
			               "inconsistent samples type count: %" PRIu32 " != %" PRIu32,
			               nt, in[j]->n_sample_types);
	common = pk_malloc((nt + 1) * sizeof *common);
	ratios = pk_malloc((nt + 1) * sizeof *ratios);
	if (!common || !ratios) {
		st = pk_oom(ctx);
		goto done;
	}
	/* The strings live in the profiles' arenas, so they outlast the units changed below. */
	common[0] = pk_s(in[m], in[m]->period_type.unit);
	for (uint32_t i = 0; i < nt; i++) {
		if ((st = common_value_type(ctx, in, n, (int)i, "sample types", &m)) != PK_OK)
			goto done;
		common[1 + i] = pk_s(in[m], in[m]->sample_types[i].unit);
	}
	for (size_t j = 0; j < n; j++) {
		pk_profile *p = in[j];
		p->period = pk_go_f2i(
		    pk_scale(p->period, pk_s(p, p->period_type.unit).s, common[0].s, NULL));
		p->period_type.unit = pk_strtab_intern(&p->strs, common[0].s, common[0].n);
		if (p->period_type.unit == PK_NONE) {
			st = pk_oom(ctx);
			goto done;
		}
		for (uint32_t i = 0; i < nt; i++) {
			pk_valtype *t = &p->sample_types[i];
			ratios[i] = pk_scale(1, pk_s(p, t->unit).s, common[1 + i].s, NULL);
			t->unit = pk_strtab_intern(&p->strs, common[1 + i].s, common[1 + i].n);
			if (t->unit == PK_NONE) {
				st = pk_oom(ctx);
				goto done;
			}
		}
		if ((st = pk_profile_scale_n(ctx, p, ratios)) != PK_OK)
			goto done;
	}
done:
	pk_free(common);
	pk_free(ratios);
	return st;
}
