/* profile.c - the profile object and its in-place transforms: create, free, copy, read-only
 * facts, sample index by name, Aggregate, Scale/ScaleN, keeping samples, setting and removing
 * labels, CheckValid.
 *
 * Mirrors profile/profile.go (Aggregate, Scale, ScaleN, SetLabel, RemoveLabel, Copy, CheckValid)
 * and profile/index.go (SampleIndexByName).
 *
 * Deliberate divergences:
 * - Copy is a table-wise deep copy, not an encode/decode round trip; string ids are kept.
 * - CheckValid's nil checks cannot fail on the index model (the decoder rejects dangling
 *   references); "a line with nil function" can, as a line whose function is PK_NONE.
 * - SampleIndexByName with no sample types and no name gives PK_NONE where Go gives -1.
 * - The %q quoting of the sample_index error treats every valid non-ASCII rune as printable
 *   except the control, format, separator and private-use ranges listed in go_is_print; Go
 *   also escapes unassigned code points.
 * - RemoveLabel leaves holes in p->labels (each sample's slice shrinks in place); SetLabel
 *   rebuilds the array and appends the new label after the sample's other labels.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

pk_profile *pk_profile_new_empty(void)
{
	pk_profile *p = pk_calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->arena = pk_arena_new();
	if (!p->arena || !pk_strtab_init(&p->strs, p->arena, 64)) {
		pk_arena_free(p->arena);
		pk_free(p);
		return NULL;
	}
	return p;
}

/* ---- the log of an exclusive view ------------------------------------------------------ */

typedef struct undo_entry {
	size_t si;       /* the lender's sample */
	uint32_t n_locs; /* its frame count before the change */
	bool cut;        /* frames were cut out of its stack (else it was only shortened) */
} undo_entry;

struct pk_undo {
	pk_sample *samples; /* the lender's arrays the changes were made in */
	uint32_t *locs;
	size_t n_locs_all;
	undo_entry *e;
	size_t n, cap;
	uint64_t *bits;    /* a bit per place of locs: a frame cut out from there */
	uint32_t *removed; /* the locations cut out, in the order they were */
	size_t n_removed, cap_removed;
};

pk_status pk_undo_reserve(pk_ctx *ctx, pk_profile *p, uint32_t n_cut)
{
	struct pk_undo *u = p->undo;
	if (!u) {
		if (!(u = pk_calloc(1, sizeof *u)))
			return pk_oom(ctx);
		u->samples = p->samples;
		u->locs = p->sample_locs;
		u->n_locs_all = p->n_sample_locs;
		p->undo = u;
	}
	if (n_cut && !u->bits && !(u->bits = pk_calloc(u->n_locs_all / 64 + 1, sizeof *u->bits)))
		return pk_oom(ctx);
	if (!pk_grow((void **)&u->e, &u->cap, u->n + 1, sizeof *u->e) ||
	    !pk_grow((void **)&u->removed, &u->cap_removed, u->n_removed + n_cut,
	             sizeof *u->removed))
		return pk_oom(ctx);
	return PK_OK;
}

void pk_undo_sample(pk_profile *p, size_t si, bool cut)
{
	struct pk_undo *u = p->undo;
	u->e[u->n++] = (undo_entry){si, u->samples[si].n_locs, cut};
}

void pk_undo_frame(pk_profile *p, size_t place, uint32_t loc)
{
	struct pk_undo *u = p->undo;
	u->bits[place / 64] |= (uint64_t)1 << (place % 64);
	u->removed[u->n_removed++] = loc;
}

/* Each change undone, the last first: a shortened stack gets its length back; a cut one its
 * frames, walked from the end - the frames kept sit at or before their old places, so each
 * is moved before its place is written. */
static void undo_play(struct pk_undo *u)
{
	size_t r = u->n_removed;
	for (size_t k = u->n; k-- > 0;) {
		pk_sample *s = &u->samples[u->e[k].si];
		if (u->e[k].cut) {
			uint32_t *locs = u->locs + s->loc_start;
			uint32_t kept = s->n_locs;
			for (uint32_t i = u->e[k].n_locs; i-- > 0;) {
				size_t place = s->loc_start + i;
				if (u->bits[place / 64] >> (place % 64) & 1)
					locs[i] = u->removed[--r];
				else
					locs[i] = locs[--kept];
			}
		}
		s->n_locs = u->e[k].n_locs;
	}
	pk_free(u->e);
	pk_free(u->bits);
	pk_free(u->removed);
	pk_free(u);
}

PK_API void pk_profile_free(pk_profile *p)
{
	if (!p)
		return;
	if (p->undo)
		undo_play(p->undo);
	pk_strtab_destroy(&p->strs);
	pk_arena_free(p->arena);
	pk_free(p);
}

PK_API size_t pk_profile_sample_count(const pk_profile *p)
{
	return p ? p->n_samples : 0;
}

PK_API size_t pk_profile_sample_type_count(const pk_profile *p)
{
	return p ? p->n_sample_types : 0;
}

PK_API const char *pk_profile_sample_type(const pk_profile *p, size_t i, const char **unit)
{
	if (!p || i >= p->n_sample_types) {
		if (unit)
			*unit = NULL;
		return NULL;
	}
	if (unit)
		*unit = pk_s(p, p->sample_types[i].unit).s;
	return pk_s(p, p->sample_types[i].type).s;
}

/* The file of mapping i (the main binary is mapping 0), borrowed; NULL when out of range. */
PK_API const char *pk_profile_mapping_file(const pk_profile *p, size_t i)
{
	return p && i < p->n_mappings ? pk_s(p, p->mappings[i].file).s : NULL;
}

PK_API size_t pk_profile_function_count(const pk_profile *p)
{
	return p ? p->n_functions : 0;
}

PK_API const char *pk_profile_function_name(const pk_profile *p, size_t i)
{
	return p && i < p->n_functions ? pk_s(p, p->functions[i].name).s : NULL;
}

/* Copies n elements of size sz into q's arena; never NULL unless out of memory. */
static void *dup_array(pk_arena *a, const void *src, size_t n, size_t sz)
{
	size_t bytes;
	if (!pk_mul_ok(n, sz, &bytes))
		return NULL;
	void *d = pk_arena_alloc(a, bytes);
	if (d && bytes)
		memcpy(d, src, bytes);
	return d;
}

/* pk_profile_copy and pk_profile_view: with view, the per-sample tables stay p's. */
static pk_status copy(pk_ctx *ctx, pk_profile **out, const pk_profile *p, bool view)
{
	pk_status st = PK_OK;
	*out = NULL;
	pk_profile *q = pk_profile_new_empty();
	if (!q)
		return pk_oom(ctx);
	pk_arena *a = q->arena;
	pk_strtab saved = q->strs;
	memcpy(q, p, sizeof *q);
	q->arena = a;
	q->strs = saved;
	q->lender = NULL; /* a copy of an exclusive view is an ordinary one */
	q->undo = NULL;
	q->cut_lent = false;
	q->grp_zero = NULL; /* the pipeline's, for one report of p */
	/* p's table has no duplicates, so interning in order keeps every id. */
	for (uint32_t i = 1; i < p->strs.n; i++) {
		if (pk_strtab_intern(&q->strs, p->strs.v[i].s, p->strs.v[i].n) != i) {
			st = pk_oom(ctx);
			goto done;
		}
	}
	q->name = p->name ? pk_arena_strndup(a, p->name, strlen(p->name)) : NULL;
	for (int i = 0; i < 2; i++)
		if (p->side_name[i] && !(q->side_name[i] = pk_arena_strndup(
		                             a, p->side_name[i], strlen(p->side_name[i])))) {
			st = pk_oom(ctx);
			goto done;
		}
	q->sample_types = dup_array(a, p->sample_types, p->n_sample_types, sizeof(pk_valtype));
	q->shared = view ? PK_SHARED_SAMPLES | PK_SHARED_LOCS | PK_SHARED_LABELS : 0;
	if (!view) {
		q->samples = dup_array(a, p->samples, p->n_samples, sizeof(pk_sample));
		q->values =
		    dup_array(a, p->values, p->n_samples * p->n_sample_types, sizeof(int64_t));
		q->sample_locs = dup_array(a, p->sample_locs, p->n_sample_locs, sizeof(uint32_t));
		q->labels = dup_array(a, p->labels, p->n_labels, sizeof(pk_label));
		if (p->grp && !(q->grp = dup_array(a, p->grp, p->n_samples, sizeof *p->grp))) {
			st = pk_oom(ctx);
			goto done;
		}
	}
	q->mappings = dup_array(a, p->mappings, p->n_mappings, sizeof(pk_mapping));
	q->locations = dup_array(a, p->locations, p->n_locations, sizeof(pk_location));
	q->lines = dup_array(a, p->lines, p->n_lines, sizeof(pk_line));
	q->functions = dup_array(a, p->functions, p->n_functions, sizeof(pk_function));
	q->comments = dup_array(a, p->comments, p->n_comments, sizeof(pk_sid));
	if ((p->name && !q->name) || !q->sample_types || !q->samples || !q->values ||
	    !q->sample_locs || !q->labels || !q->mappings || !q->locations || !q->lines ||
	    !q->functions || !q->comments)
		st = pk_oom(ctx);
done:
	if (st != PK_OK) {
		pk_profile_free(q);
		return st;
	}
	*out = q;
	return PK_OK;
}

PK_API pk_status pk_profile_copy(pk_ctx *ctx, pk_profile **out, const pk_profile *p)
{
	return copy(ctx, out, p, false);
}

PK_API pk_status pk_profile_view(pk_ctx *ctx, pk_profile **out, const pk_profile *p)
{
	return copy(ctx, out, p, true);
}

PK_API pk_status pk_profile_view_exclusive(pk_ctx *ctx, pk_profile **out, pk_profile *p)
{
	pk_status st = copy(ctx, out, p, true);
	if (st == PK_OK)
		(*out)->lender = p;
	return st;
}

pk_status pk_profile_set_sides(pk_ctx *ctx, pk_profile *d, const char *const name[2],
                               const int64_t time[2])
{
	for (int i = 0; i < 2; i++) {
		const char *nm = name[i];
		d->side_name[i] = nm ? pk_arena_strndup(d->arena, nm, strlen(nm)) : NULL;
		if (nm && !d->side_name[i])
			return pk_oom(ctx);
		d->side_time[i] = time[i];
	}
	d->has_sides = true;
	return PK_OK;
}

pk_status pk_profile_own(pk_ctx *ctx, pk_profile *p, unsigned what)
{
	pk_arena *a = p->arena;
	what &= p->shared;
	if (what & PK_SHARED_SAMPLES) {
		pk_sample *s = dup_array(a, p->samples, p->n_samples, sizeof(pk_sample));
		int64_t *v =
		    dup_array(a, p->values, p->n_samples * p->n_sample_types, sizeof(int64_t));
		uint32_t *g = p->grp ? dup_array(a, p->grp, p->n_samples, sizeof *p->grp) : NULL;
		if (!s || !v || (p->grp && !g))
			return pk_oom(ctx);
		p->samples = s;
		p->values = v;
		p->grp = g;
	}
	if (what & PK_SHARED_LOCS) {
		uint32_t *l = dup_array(a, p->sample_locs, p->n_sample_locs, sizeof(uint32_t));
		if (!l)
			return pk_oom(ctx);
		p->sample_locs = l;
	}
	if (what & PK_SHARED_LABELS) {
		pk_label *l = dup_array(a, p->labels, p->n_labels, sizeof(pk_label));
		if (!l)
			return pk_oom(ctx);
		p->labels = l;
	}
	p->shared &= (uint8_t)~what;
	return PK_OK;
}

/* ---- SampleIndexByName ------------------------------------------------------------------ */

pk_status pk_sample_index_by_name(pk_ctx *ctx, const pk_profile *p, const char *name,
                                  uint32_t *index)
{
	uint32_t n = p->n_sample_types;
	if (!name || !*name) {
		if (p->default_sample_type != 0)
			for (uint32_t i = 0; i < n; i++)
				if (p->sample_types[i].type == p->default_sample_type) {
					*index = i;
					return PK_OK;
				}
		*index = n ? n - 1 : PK_NONE;
		return PK_OK;
	}
	int64_t num;
	if (pk_go_atoi(name, &num)) {
		if (num < 0 || num >= (int64_t)n)
			return pk_fail(ctx, PK_EUSAGE,
			               "sample_index %s is outside the range [0..%" PRId64 "]",
			               name, (int64_t)n - 1);
		*index = (uint32_t)num;
		return PK_OK;
	}
	/* "inuse_space" and "inuse_objects" also select "space" and "objects". */
	const char *no_inuse = strncmp(name, "inuse_", 6) == 0 ? name + 6 : name;
	for (uint32_t i = 0; i < n; i++) {
		pk_str t = pk_s(p, p->sample_types[i].type);
		if (pk_str_eq_cstr(t, name) || pk_str_eq_cstr(t, no_inuse)) {
			*index = i;
			return PK_OK;
		}
	}
	pk_sb b = {0};
	pk_sb_cstr(&b, "sample_index ");
	pk_go_quote(&b, name);
	pk_sb_cstr(&b, " must be one of: [");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			pk_sb_cstr(&b, " ");
		pk_str t = pk_s(p, p->sample_types[i].type);
		pk_sb_bytes(&b, t.s, t.n);
	}
	pk_sb_cstr(&b, "]");
	pk_status st = b.oom ? pk_oom(ctx) : pk_fail(ctx, PK_EUSAGE, "%s", b.s);
	pk_sb_free(&b);
	return st;
}

/* ---- Aggregate -------------------------------------------------------------------------- */

pk_status pk_profile_aggregate(pk_ctx *ctx, pk_profile *p, bool inline_frame, bool function,
                               bool filename, bool linenumber, bool address)
{
	for (uint32_t i = 0; i < p->n_mappings; i++) {
		pk_mapping *m = &p->mappings[i];
		m->has_inline_frames = m->has_inline_frames && inline_frame;
		m->has_functions = m->has_functions && function;
		m->has_filenames = m->has_filenames && filename;
		m->has_line_numbers = m->has_line_numbers && linenumber;
	}
	if (!function || !filename) {
		for (uint32_t i = 0; i < p->n_functions; i++) {
			pk_function *f = &p->functions[i];
			if (!function)
				f->name = f->system_name = 0;
			if (!filename)
				f->filename = 0;
		}
	}
	if (!inline_frame || !address || !linenumber) {
		for (uint32_t i = 0; i < p->n_locations; i++) {
			pk_location *l = &p->locations[i];
			if (!inline_frame && l->n_lines > 1) {
				l->line_start += l->n_lines - 1;
				l->n_lines = 1;
			}
			if (!linenumber)
				for (uint32_t j = 0; j < l->n_lines; j++)
					p->lines[l->line_start + j].line = 0;
			if (!address)
				l->address = 0;
		}
	}
	return pk_profile_check_valid(ctx, p);
}

/* ---- Scale, ScaleN, keeping samples ----------------------------------------------------- */

pk_status pk_profile_keep_samples(pk_ctx *ctx, pk_profile *p, const bool *keep)
{
	size_t nt = p->n_sample_types, w = 0;
	if (p->shared & PK_SHARED_SAMPLES) { /* a view: new arrays of the samples kept */
		size_t n = 0;
		for (size_t i = 0; i < p->n_samples; i++)
			n += keep[i];
		if (n == p->n_samples) /* all kept: still shared */
			return PK_OK;
		pk_sample *s = pk_arena_alloc(p->arena, (n ? n : 1) * sizeof *s);
		int64_t *v = pk_arena_alloc(p->arena, (n && nt ? n * nt : 1) * sizeof *v);
		uint32_t *g = p->grp ? pk_arena_alloc(p->arena, (n ? n : 1) * sizeof *g) : NULL;
		if (!s || !v || (p->grp && !g))
			return pk_oom(ctx);
		for (size_t i = 0; i < p->n_samples; i++) {
			if (!keep[i])
				continue;
			s[w] = p->samples[i];
			if (nt)
				memcpy(v + w * nt, pk_sample_values(p, i), nt * sizeof(int64_t));
			if (g)
				g[w] = p->grp[i];
			w++;
		}
		p->samples = s;
		p->values = v;
		p->grp = g;
		p->n_samples = w;
		p->shared &= (uint8_t)~PK_SHARED_SAMPLES;
		return PK_OK;
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		if (!keep[i])
			continue;
		if (w != i) {
			p->samples[w] = p->samples[i];
			if (nt)
				memmove(pk_sample_values(p, w), pk_sample_values(p, i),
				        nt * sizeof(int64_t));
			if (p->grp)
				p->grp[w] = p->grp[i];
		}
		w++;
	}
	p->n_samples = w;
	return PK_OK;
}

pk_status pk_profile_scale_n(pk_ctx *ctx, pk_profile *p, const double *ratios)
{
	size_t nt = p->n_sample_types, w = 0;
	bool all_ones = true;
	for (size_t i = 0; i < nt; i++)
		if (ratios[i] != 1)
			all_ones = false;
	if (all_ones)
		return PK_OK;
	pk_status st = pk_profile_own(ctx, p, PK_SHARED_SAMPLES);
	if (st != PK_OK)
		return st;
	/* As ScaleN: a sample stays when a value of a scaled (ratio != 1) type is non-zero;
	 * values of unscaled types do not keep it. */
	for (size_t i = 0; i < p->n_samples; i++) {
		int64_t *v = pk_sample_values(p, i);
		bool keep = false;
		for (size_t j = 0; j < nt; j++) {
			if (ratios[j] == 1)
				continue;
			v[j] = pk_go_f2i(round((double)v[j] * ratios[j]));
			keep = keep || v[j] != 0;
		}
		if (!keep)
			continue;
		if (w != i) {
			p->samples[w] = p->samples[i];
			memmove(pk_sample_values(p, w), v, nt * sizeof(int64_t));
			if (p->grp)
				p->grp[w] = p->grp[i];
		}
		w++;
	}
	p->n_samples = w;
	return PK_OK;
}

pk_status pk_profile_scale(pk_ctx *ctx, pk_profile *p, double ratio)
{
	if (ratio == 1)
		return PK_OK;
	double *ratios = pk_malloc((p->n_sample_types ? p->n_sample_types : 1) * sizeof *ratios);
	if (!ratios)
		return pk_oom(ctx);
	for (uint32_t i = 0; i < p->n_sample_types; i++)
		ratios[i] = ratio;
	pk_status st = pk_profile_scale_n(ctx, p, ratios);
	pk_free(ratios);
	return st;
}

/* ---- labels ----------------------------------------------------------------------------- */

/* Labels of each sample in sample order, without overlap (decoded and merged profiles). */
static bool labels_in_order(const pk_profile *p, size_t *end)
{
	size_t e = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		if (s->label_start < e)
			return false;
		e = s->label_start + s->n_labels;
	}
	*end = e;
	return true;
}

/* pk_profile_set_label of a key no label has yet, in the labels' own array grown where it is
 * (no second array): each sample's labels move up by its index, the new one after them. */
static bool add_label_in_place(pk_profile *p, pk_sid k, pk_sid v)
{
	size_t end, n;
	if (!labels_in_order(p, &end) || __builtin_add_overflow(end, p->n_samples, &n) ||
	    n > SIZE_MAX / sizeof *p->labels)
		return false;
	pk_label *l = pk_arena_regrow(p->arena, p->labels, (n ? n : 1) * sizeof *l);
	if (!l)
		return false;
	p->labels = l;
	for (size_t i = p->n_samples; i-- > 0;) {
		pk_sample *s = &p->samples[i];
		size_t to = s->label_start + i;
		if (s->n_labels)
			memmove(&l[to], &l[s->label_start], s->n_labels * sizeof *l);
		l[to + s->n_labels] = (pk_label){.key = k, .str = v};
		s->label_start = to;
		s->n_labels++;
	}
	p->n_labels = n;
	return true;
}

pk_status pk_profile_set_label(pk_ctx *ctx, pk_profile *p, const char *key, const char *value)
{
	bool new_key = pk_strtab_lookup(&p->strs, key, strlen(key)) == PK_NONE;
	pk_sid k = pk_strtab_intern_cstr(&p->strs, key);
	pk_sid v = pk_strtab_intern_cstr(&p->strs, value);
	if (k == PK_NONE || v == PK_NONE)
		return pk_oom(ctx);
	/* (A view's shared arrays are not in its arena: they never grow in place.) */
	if (new_key && !(p->shared & PK_SHARED_SAMPLES) && add_label_in_place(p, k, v))
		return PK_OK;
	size_t n = p->n_samples; /* room for every sample's labels plus the new one */
	for (size_t i = 0; i < p->n_samples; i++)
		if (__builtin_add_overflow(n, p->samples[i].n_labels, &n))
			return pk_oom(ctx);
	pk_label *nl = pk_arena_calloc(p->arena, n ? n : 1, sizeof *nl);
	if (!nl)
		return pk_oom(ctx);
	pk_status st = pk_profile_own(ctx, p, PK_SHARED_SAMPLES);
	if (st != PK_OK)
		return st;
	size_t w = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		pk_sample *s = &p->samples[i];
		size_t start = w;
		for (uint32_t j = 0; j < s->n_labels; j++) {
			const pk_label *l = &p->labels[s->label_start + j];
			if (!l->is_num && l->key == k)
				continue;
			nl[w++] = *l;
		}
		nl[w].key = k;
		nl[w].str = v;
		w++;
		s->label_start = start;
		s->n_labels = (uint32_t)(w - start);
	}
	if (!(p->shared & PK_SHARED_LABELS)) /* a view's are another profile's */
		pk_arena_release(p->arena,
		                 p->labels); /* a big one goes now, not with the profile */
	p->labels = nl;
	p->n_labels = w;
	p->shared &= (uint8_t)~PK_SHARED_LABELS;
	return PK_OK;
}

pk_status pk_profile_remove_label(pk_ctx *ctx, pk_profile *p, const char *key)
{
	pk_sid k = pk_strtab_lookup(&p->strs, key, strlen(key));
	if (k == PK_NONE)
		return PK_OK;
	pk_status st = pk_profile_own(ctx, p, PK_SHARED_SAMPLES);
	if (st != PK_OK)
		return st;
	if (p->shared & PK_SHARED_LABELS) {
		/* A view's labels are another profile's, maybe of many more samples: a new table
		 * of its own samples' labels, less the key, not a copy of that whole table. */
		size_t n = 0;
		for (size_t i = 0; i < p->n_samples; i++)
			n += p->samples[i].n_labels; /* each range lies inside the table */
		pk_label *nl = pk_arena_alloc(p->arena, (n ? n : 1) * sizeof *nl);
		if (!nl)
			return pk_oom(ctx);
		size_t w = 0;
		for (size_t i = 0; i < p->n_samples; i++) {
			pk_sample *s = &p->samples[i];
			const pk_label *l = p->labels + s->label_start;
			size_t start = w;
			for (uint32_t j = 0; j < s->n_labels; j++)
				if (l[j].is_num || l[j].key != k)
					nl[w++] = l[j];
			s->label_start = start;
			s->n_labels = (uint32_t)(w - start);
		}
		p->labels = nl;
		p->n_labels = w;
		p->shared &= (uint8_t)~PK_SHARED_LABELS;
		return PK_OK;
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		pk_sample *s = &p->samples[i];
		pk_label *l = p->labels + s->label_start;
		uint32_t w = 0;
		for (uint32_t j = 0; j < s->n_labels; j++)
			if (l[j].is_num || l[j].key != k)
				l[w++] = l[j];
		s->n_labels = w;
	}
	return PK_OK;
}

/* ---- CheckValid ------------------------------------------------------------------------- */

typedef struct {
	const void *base;
	size_t stride; /* the uint64_t id is the first member of each element */
} id_table;

static uint64_t id_at(const id_table *t, uint32_t i)
{
	uint64_t id;
	memcpy(&id, (const char *)t->base + (size_t)i * t->stride, sizeof id);
	return id;
}

static bool id_eq(const void *ctx, uint32_t idx, const void *key)
{
	return id_at(ctx, idx) == *(const uint64_t *)key;
}

/* Index of the first element whose id repeats an earlier one, or PK_NONE; *zero is the index
 * of the first element with id 0 when it comes first. Sets *oom on allocation failure. */
static uint32_t first_bad_id(const id_table *t, uint32_t n, bool *zero, bool *oom)
{
	*zero = *oom = false;
	uint32_t i = 0;
	while (i < n && id_at(t, i) == (uint64_t)i + 1) /* the common case: 1..n */
		i++;
	if (i == n)
		return PK_NONE;
	pk_hash h;
	if (!pk_hash_init(&h, n)) {
		*oom = true;
		return PK_NONE;
	}
	uint32_t bad = PK_NONE;
	for (uint32_t j = 0; j < n && bad == PK_NONE; j++) {
		uint64_t id = id_at(t, j);
		bool found;
		if (id == 0) {
			*zero = true;
			bad = j;
		} else if (pk_hash_intern(&h, pk_hash_mix(0, id), id_eq, t, &id, j, &found) ==
		           PK_NONE) {
			*oom = true;
			break;
		} else if (found) {
			bad = j;
		}
	}
	pk_hash_destroy(&h);
	return bad;
}

pk_status pk_profile_check_valid(pk_ctx *ctx, const pk_profile *p)
{
	if (p->n_sample_types == 0 && p->n_samples != 0)
		return pk_fail(ctx, PK_EFORMAT, "missing sample type information");
	bool zero, oom;
	id_table mt = {p->mappings, sizeof(pk_mapping)};
	uint32_t bad = first_bad_id(&mt, p->n_mappings, &zero, &oom);
	if (oom)
		return pk_oom(ctx);
	if (bad != PK_NONE)
		return zero ? pk_fail(ctx, PK_EFORMAT, "found mapping with reserved ID=0")
		            : pk_fail(ctx, PK_EFORMAT, "multiple mappings with same id: %" PRIu64,
		                      p->mappings[bad].id);
	id_table ft = {p->functions, sizeof(pk_function)};
	bad = first_bad_id(&ft, p->n_functions, &zero, &oom);
	if (oom)
		return pk_oom(ctx);
	if (bad != PK_NONE)
		return zero ? pk_fail(ctx, PK_EFORMAT, "found function with reserved ID=0")
		            : pk_fail(ctx, PK_EFORMAT, "multiple functions with same id: %" PRIu64,
		                      p->functions[bad].id);
	/* Go checks each location's id, then its lines, in order: find the first bad id, then
	 * report a nil function only when it comes before that location. */
	id_table lt = {p->locations, sizeof(pk_location)};
	bad = first_bad_id(&lt, p->n_locations, &zero, &oom);
	if (oom)
		return pk_oom(ctx);
	uint32_t end = bad == PK_NONE ? p->n_locations : bad;
	for (uint32_t i = 0; i < end; i++) {
		const pk_location *l = &p->locations[i];
		for (uint32_t j = 0; j < l->n_lines; j++)
			if (p->lines[l->line_start + j].function == PK_NONE)
				return pk_fail(
				    ctx, PK_EFORMAT,
				    "location id: %" PRIu64 " has a line with nil function", l->id);
	}
	if (bad != PK_NONE)
		return zero ? pk_fail(ctx, PK_EFORMAT, "found location with reserved id=0")
		            : pk_fail(ctx, PK_EFORMAT, "multiple locations with same id: %" PRIu64,
		                      p->locations[bad].id);
	return PK_OK;
}

/* fetch.go locateBinaries: with no mappings at all, one empty mapping (ID 1) for every location.
 * Binary lookup itself (PPROF_BINARY_PATH) is not done: pprofkit never reads binaries. */
PK_API pk_status pk_profile_prepare(pk_ctx *ctx, pk_profile *p)
{
	if (p->n_mappings > 0)
		return PK_OK;
	pk_mapping *m = pk_arena_calloc(p->arena, 1, sizeof *m);
	if (!m)
		return pk_oom(ctx);
	m->id = 1;
	p->mappings = m;
	p->n_mappings = 1;
	for (uint32_t i = 0; i < p->n_locations; i++)
		p->locations[i].mapping = 0;
	return PK_OK;
}
