/* tagroot.c - -tagroot / -tagleaf: pseudo frames made of label values, added at the root or the
 * leaf of every sample before anything is filtered.
 *
 * Mirrors internal/driver/driver.go generateTagRootsLeaves (keys split on ',', empty ones
 * dropped, "TagRoot expression matched no samples" / "TagLeaf ..." notices) and
 * internal/driver/tagroot.go addLabelNodes and formatLabelValues: for each key, a frame whose
 * function is named by the sample's values of the key joined by ',' (string values, then
 * numeric ones as measurement.ScaledLabel in -unit), with the key as its file name; a sample
 * without the key gets a frame with an empty name. Frames are interned by (name, key); new
 * function and location ids continue after the largest existing ones, in the order pprof
 * creates them (per sample: root keys, then leaf keys, each from the last key to the first).
 * The first root key ends up as the root, the last leaf key as the leaf.
 *
 * The model's function, location, line and sample-location arrays are reallocated (in the
 * profile's arena) to make room.
 */
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

/* The keys of a comma list, empty ones dropped: sids (interned) into *out (malloc'd). */
static pk_status split_keys(const pk_fenv *r, const char *list, pk_sid **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!list || !*list)
		return PK_OK;
	size_t cap = 1;
	for (const char *c = list; *c; c++)
		cap += *c == ',';
	pk_sid *v = pk_malloc(cap * sizeof *v);
	if (!v)
		return pk_oom(r->ctx);
	for (const char *s = list;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		if (len) {
			pk_sid k = pk_strtab_intern(&r->p->strs, s, len);
			if (k == PK_NONE) {
				pk_free(v);
				return pk_oom(r->ctx);
			}
			v[(*n)++] = k;
		}
		if (!c)
			break;
		s = c + 1;
	}
	*out = v;
	return PK_OK;
}

typedef struct newloc {
	pk_sid name, key;
} newloc;

typedef struct builder {
	const pk_fenv *r;
	pk_sb sb;
	newloc *v; /* the new frames, in creation order */
	size_t n, cap;
	pk_hash h;
} builder;

static bool eq_loc(const void *ctx, uint32_t idx, const void *key)
{
	const builder *b = ctx;
	const newloc *k = key;
	return b->v[idx].name == k->name && b->v[idx].key == k->key;
}

/* formatLabelValues of key for sample s, joined by ',', interned. */
static pk_sid label_values(builder *b, const pk_sample *s, pk_sid key, const char *unit, bool *any)
{
	pk_profile *p = b->r->p;
	const pk_label *l = p->labels + s->label_start;
	bool has_units = false, first = true;
	char buf[128];
	pk_sb_reset(&b->sb);
	*any = false;
	for (uint32_t i = 0; i < s->n_labels; i++) {
		if (l[i].key != key || pk_label_hidden(p, &l[i]))
			continue;
		if (l[i].is_num) {
			has_units |= l[i].unit != 0;
			continue;
		}
		pk_str v = pk_s(p, l[i].str);
		if (!first)
			pk_sb_bytes(&b->sb, ",", 1);
		pk_sb_bytes(&b->sb, v.s, v.n);
		first = false;
		*any = true;
	}
	for (uint32_t i = 0; i < s->n_labels; i++) {
		if (l[i].key != key || !l[i].is_num)
			continue;
		if (has_units)
			pk_scaled_label(buf, sizeof buf, l[i].num, pk_s(p, l[i].unit).s, unit);
		else
			pk_scaled_label(buf, sizeof buf, l[i].num, "", "");
		if (!first)
			pk_sb_bytes(&b->sb, ",", 1);
		pk_sb_cstr(&b->sb, buf);
		first = false;
		*any = true;
	}
	if (b->sb.oom)
		return PK_NONE;
	return pk_strtab_intern(&p->strs, b->sb.s ? b->sb.s : "", b->sb.n);
}

/* internLoc: the index of frame (name, key) among the new frames, created when new. */
static uint32_t intern_loc(builder *b, pk_sid name, pk_sid key)
{
	newloc k = {name, key};
	if (!pk_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v))
		return PK_NONE;
	uint64_t hv = pk_hash_mix(pk_hash_mix(0, name), key);
	bool found;
	uint32_t idx = pk_hash_intern(&b->h, hv, eq_loc, b, &k, (uint32_t)b->n, &found);
	if (idx != PK_NONE && !found)
		b->v[b->n++] = k;
	return idx;
}

pk_status pk_tag_roots_leaves(const pk_fenv *r, const pk_options *o)
{
	pk_profile *p = r->p;
	pk_sid *roots = NULL, *leaves = NULL;
	size_t nr = 0, nl = 0;
	uint32_t *add = NULL; /* per sample: its nr + nl new frames (indices into b.v) */
	builder b;
	bool rootm = false, leafm = false;
	pk_status st;
	memset(&b, 0, sizeof b);
	b.r = r;
	if ((st = split_keys(r, o->tagroot, &roots, &nr)) != PK_OK ||
	    (st = split_keys(r, o->tagleaf, &leaves, &nl)) != PK_OK)
		goto done;
	size_t k = nr + nl;
	if (k > 0 && p->n_samples > 0) {
		const char *unit = o->unit && *o->unit ? o->unit : "minimum";
		size_t n_add, n_locs;
		if (!pk_mul_ok(p->n_samples, k, &n_add) ||
		    !(add = pk_malloc(n_add * sizeof *add)) || !pk_hash_init(&b.h, 64))
			goto oom;
		for (size_t si = 0; si < p->n_samples; si++) {
			const pk_sample *s = &p->samples[si];
			uint32_t *a = add + si * k;
			/* makeLabelLocs(roots) then (leaves), keys from the last to the first. */
			for (size_t i = 0; i < k; i++) {
				bool root = i < nr;
				pk_sid key = root ? roots[nr - 1 - i] : leaves[nl - 1 - (i - nr)];
				bool any;
				pk_sid name = label_values(&b, s, key, unit, &any);
				if (name == PK_NONE ||
				    (a[i] = intern_loc(&b, name, key)) == PK_NONE)
					goto oom;
				if (any && root)
					rootm = true;
				if (any && !root)
					leafm = true;
			}
		}
		/* Room for the new functions, locations, lines and frames of every sample. */
		uint32_t nf = p->n_functions, nloc = p->n_locations;
		if (b.n > UINT32_MAX - 1 - nf || b.n > UINT32_MAX - 1 - nloc ||
		    n_add > SIZE_MAX - p->n_sample_locs)
			goto oom;
		n_locs = p->n_sample_locs + n_add;
		pk_function *fns = pk_arena_calloc(p->arena, nf + b.n, sizeof *fns);
		pk_location *locs = pk_arena_calloc(p->arena, nloc + b.n, sizeof *locs);
		pk_line *lines = pk_arena_calloc(p->arena, p->n_lines + b.n, sizeof *lines);
		uint32_t *slocs = pk_arena_calloc(p->arena, n_locs ? n_locs : 1, sizeof *slocs);
		if (!fns || !locs || !lines || !slocs)
			goto oom;
		uint64_t max_loc = 0, max_fn = 0;
		for (uint32_t i = 0; i < nloc; i++)
			if (p->locations[i].id > max_loc)
				max_loc = p->locations[i].id;
		for (uint32_t i = 0; i < nf; i++)
			if (p->functions[i].id > max_fn)
				max_fn = p->functions[i].id;
		if (nf)
			memcpy(fns, p->functions, nf * sizeof *fns);
		if (nloc)
			memcpy(locs, p->locations, nloc * sizeof *locs);
		if (p->n_lines)
			memcpy(lines, p->lines, p->n_lines * sizeof *lines);
		for (size_t i = 0; i < b.n; i++) {
			pk_function *f = &fns[nf + i];
			pk_location *l = &locs[nloc + i];
			f->id = max_fn + 1 + i;
			f->name = b.v[i].name;
			f->filename = b.v[i].key;
			l->id = max_loc + 1 + i;
			l->mapping = PK_NONE;
			l->line_start = p->n_lines + i;
			l->n_lines = 1;
			lines[p->n_lines + i].function = nf + (uint32_t)i;
		}
		/* Each sample: its leaf frames, its own locations, its root frames. */
		if ((st = pk_profile_own(r->ctx, p, PK_SHARED_SAMPLES)) != PK_OK)
			goto done;
		size_t w = 0;
		for (size_t si = 0; si < p->n_samples; si++) {
			pk_sample *s = &p->samples[si];
			const uint32_t *a = add + si * k;
			size_t start = w;
			for (size_t i = 0; i < nl; i++)
				slocs[w++] = nloc + a[nr + i];
			for (uint32_t i = 0; i < s->n_locs; i++)
				slocs[w++] = p->sample_locs[s->loc_start + i];
			for (size_t i = 0; i < nr; i++)
				slocs[w++] = nloc + a[i];
			s->loc_start = start;
			s->n_locs = (uint32_t)(w - start);
		}
		p->functions = fns;
		p->n_functions = nf + (uint32_t)b.n;
		p->locations = locs;
		p->n_locations = nloc + (uint32_t)b.n;
		p->lines = lines;
		p->n_lines += b.n;
		p->sample_locs = slocs;
		p->n_sample_locs = w;
		p->shared &= (uint8_t)~PK_SHARED_LOCS;
	}
	if (o->tagroot && *o->tagroot && !rootm)
		pk_warn(r->ctx, "TagRoot expression matched no samples");
	if (o->tagleaf && *o->tagleaf && !leafm)
		pk_warn(r->ctx, "TagLeaf expression matched no samples");
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	pk_free(roots);
	pk_free(leaves);
	pk_free(add);
	pk_free(b.v);
	pk_sb_free(&b.sb);
	if (b.h.idx)
		pk_hash_destroy(&b.h);
	return st;
}
