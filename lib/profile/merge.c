/* merge.c - profile.Merge: headers combined, equal samples, locations, functions and mappings
 * combined, zero samples dropped, IDs renumbered 1..N in first-seen order.
 *
 * Mirrors profile/merge.go (Merge, combineHeaders, profileMerger and the sample, location,
 * mapping and function keys). What makes profiles mergeable, and the scaling to a common unit
 * first, are in compat.c; how go tool pprof feeds inputs to Merge (chunks of 64, units scaled
 * first) is the driver's (driver/fetch.c).
 *
 * How the Go keys map to the index model:
 * - sample: merged location indices in order, plus the labels. Go keys labels by key with the
 *   values of a key in order (maps, sorted when stringified); here each sample's labels are put
 *   in a canonical order (string labels, then numeric, each sorted by key, values of one key in
 *   file order) and compared field by field. That order is also how merged samples store them.
 *   A numeric label's units compare as Go's padded NumUnit lists do (unit 0 is "").
 * - location: merged mapping, address minus the merged mapping's start, is_folded, and the
 *   lines (merged function, line number).
 * - mapping: size rounded up to 4 KiB, offset, and build ID (or file when it has none).
 * - function: start line, name, system name, file name.
 *
 * Deliberate divergences:
 * - Mappings carry no KernelRelocationSymbol (the model has none).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

/* ---- the merger ------------------------------------------------------------------------- */

typedef struct merger {
	pk_profile *out; /* header and strings; the tables below are in its arena */
	uint32_t nt;
	bool oom;
	bool keep_equal; /* equal samples stay apart (pk_profile_merge_one_sums) */

	/* The output's tables, allocated once at their largest possible size (the sum over the
	 * inputs): no reallocation and no final copy; pages never written are never touched. */
	pk_sample *samples;
	size_t n_samples;
	int64_t *values;
	uint32_t *slocs;
	size_t n_slocs;
	pk_label *labels;
	size_t n_labels;
	pk_mapping *maps;
	size_t n_maps;
	pk_location *locs;
	size_t n_locs;
	pk_line *lines;
	size_t n_lines;
	pk_function *funcs;
	size_t n_funcs;
	pk_hash hs, hl, hf, hm;

	/* The source being merged and what its ids became (PK_NONE: not yet seen). */
	const pk_profile *src;
	pk_sid *smap;
	uint32_t *fmap, *lmap, *mmap;
	uint64_t *moff; /* added to addresses of locations in mapping i (mapInfo.offset) */

	/* Scratch for one sample or location. */
	uint32_t *tlocs;
	size_t cap_tlocs;
	pk_label *tlabels;
	size_t cap_tlabels;
	pk_line *tlines;
	size_t cap_tlines;
} merger;

#define RESERVE(v, cap, need)                                                                      \
	__extension__({                                                                            \
		void *t_ = (v);                                                                    \
		bool ok_ = pk_grow(&t_, &(cap), (need), sizeof *(v));                              \
		(v) = t_;                                                                          \
		ok_;                                                                               \
	})

static pk_sid map_str_new(merger *m, pk_sid s)
{
	pk_str str = pk_s(m->src, s);
	pk_sid r = pk_strtab_intern(&m->out->strs, str.s, str.n);
	if (r == PK_NONE) {
		m->oom = true;
		return 0;
	}
	return m->smap[s] = r;
}

/* The merged id of string s of the source (0 stays 0). */
static inline pk_sid map_str(merger *m, pk_sid s)
{
	if (s == 0)
		return 0;
	pk_sid r = m->smap[s];
	return r != PK_NONE ? r : map_str_new(m, s);
}

/* functions */
typedef struct {
	int64_t start_line;
	pk_sid name, system_name, filename;
} fkey;

static bool f_eq(const void *c, uint32_t i, const void *k)
{
	const pk_function *f = &((const merger *)c)->funcs[i];
	const fkey *key = k;
	return f->start_line == key->start_line && f->name == key->name &&
	       f->system_name == key->system_name && f->filename == key->filename;
}

static uint32_t map_function(merger *m, uint32_t fi)
{
	if (m->fmap[fi] != PK_NONE)
		return m->fmap[fi];
	const pk_function *sf = &m->src->functions[fi];
	fkey k = {sf->start_line, map_str(m, sf->name), map_str(m, sf->system_name),
	          map_str(m, sf->filename)};
	uint64_t hv = pk_hash_mix(pk_hash_mix((uint64_t)k.start_line, k.name),
	                          ((uint64_t)k.system_name << 32) | k.filename);
	bool found;
	if (m->oom)
		return PK_NONE;
	uint32_t idx = pk_hash_intern(&m->hf, hv, f_eq, m, &k, (uint32_t)m->n_funcs, &found);
	if (idx == PK_NONE)
		return PK_NONE;
	if (!found) {
		pk_function *f = &m->funcs[m->n_funcs++];
		f->id = m->n_funcs;
		f->name = k.name;
		f->system_name = k.system_name;
		f->filename = k.filename;
		f->start_line = k.start_line;
	}
	return m->fmap[fi] = idx;
}

/* mappings */
typedef struct {
	uint64_t size, offset;
	pk_sid build_id_or_file;
} mkey;

static mkey mapping_key(const pk_mapping *mp)
{
	/* Size rounded up to 4 KiB against minor discrepancies; start ignored (ASLR). */
	uint64_t size = mp->limit - mp->start + 0xfff;
	mkey k = {size - size % 0x1000, mp->offset, mp->build_id ? mp->build_id : mp->file};
	return k;
}

static bool m_eq(const void *c, uint32_t i, const void *k)
{
	mkey a = mapping_key(&((const merger *)c)->maps[i]);
	const mkey *b = k;
	return a.size == b->size && a.offset == b->offset &&
	       a.build_id_or_file == b->build_id_or_file;
}

static uint32_t map_mapping(merger *m, uint32_t mi)
{
	if (m->mmap[mi] != PK_NONE)
		return m->mmap[mi];
	const pk_mapping *sm = &m->src->mappings[mi];
	pk_mapping nm = *sm;
	nm.file = map_str(m, sm->file);
	nm.build_id = map_str(m, sm->build_id);
	mkey k = mapping_key(&nm);
	uint64_t hv = pk_hash_mix(pk_hash_mix(k.size, k.offset), k.build_id_or_file);
	bool found;
	if (m->oom)
		return PK_NONE;
	uint32_t idx = pk_hash_intern(&m->hm, hv, m_eq, m, &k, (uint32_t)m->n_maps, &found);
	if (idx == PK_NONE)
		return PK_NONE;
	if (found) {
		m->moff[mi] = m->maps[idx].start - sm->start;
	} else {
		nm.id = m->n_maps + 1;
		m->maps[m->n_maps++] = nm;
		m->moff[mi] = 0;
	}
	return m->mmap[mi] = idx;
}

/* locations */
typedef struct {
	uint32_t mapping;
	bool is_folded;
	uint64_t addr; /* relative to the mapping's start */
	const pk_line *lines;
	uint32_t n_lines;
} lkey;

static bool l_eq(const void *c, uint32_t i, const void *k)
{
	const merger *m = c;
	const pk_location *l = &m->locs[i];
	const lkey *key = k;
	if (l->mapping != key->mapping || l->is_folded != key->is_folded ||
	    l->n_lines != key->n_lines)
		return false;
	uint64_t addr = l->address - (l->mapping != PK_NONE ? m->maps[l->mapping].start : 0);
	if (addr != key->addr)
		return false;
	const pk_line *a = m->lines + l->line_start;
	for (uint32_t j = 0; j < key->n_lines; j++)
		if (a[j].function != key->lines[j].function || a[j].line != key->lines[j].line)
			return false;
	return true;
}

static uint32_t map_location(merger *m, uint32_t li)
{
	if (m->lmap[li] != PK_NONE)
		return m->lmap[li];
	const pk_location *sl = &m->src->locations[li];
	uint32_t mi = PK_NONE;
	uint64_t addr = sl->address;
	if (sl->mapping != PK_NONE) {
		if ((mi = map_mapping(m, sl->mapping)) == PK_NONE)
			return PK_NONE;
		addr += m->moff[sl->mapping];
	}
	if (!RESERVE(m->tlines, m->cap_tlines, sl->n_lines))
		return PK_NONE;
	for (uint32_t j = 0; j < sl->n_lines; j++) {
		const pk_line *ln = &m->src->lines[sl->line_start + j];
		m->tlines[j].function = PK_NONE;
		if (ln->function != PK_NONE &&
		    (m->tlines[j].function = map_function(m, ln->function)) == PK_NONE)
			return PK_NONE;
		m->tlines[j].line = ln->line;
	}
	lkey k = {mi, sl->is_folded, addr - (mi != PK_NONE ? m->maps[mi].start : 0), m->tlines,
	          sl->n_lines};
	uint64_t hv =
	    pk_hash_mix(pk_hash_mix(k.addr, ((uint64_t)mi << 1) | k.is_folded), k.n_lines);
	for (uint32_t j = 0; j < k.n_lines; j++)
		hv = pk_hash_mix(hv,
		                 ((uint64_t)k.lines[j].function << 32) ^ (uint64_t)k.lines[j].line);
	bool found;

	uint32_t idx = pk_hash_intern(&m->hl, hv, l_eq, m, &k, (uint32_t)m->n_locs, &found);
	if (idx == PK_NONE)
		return PK_NONE;
	if (!found) {
		pk_location *l = &m->locs[m->n_locs++];
		l->id = m->n_locs;
		l->mapping = mi;
		l->is_folded = sl->is_folded;
		l->address = addr;
		l->line_start = m->n_lines;
		l->n_lines = k.n_lines;
		if (k.n_lines)
			memcpy(m->lines + m->n_lines, k.lines, k.n_lines * sizeof *k.lines);
		m->n_lines += k.n_lines;
	}
	return m->lmap[li] = idx;
}

/* samples */
typedef struct {
	const uint32_t *locs;
	uint32_t n_locs;
	const pk_label *labels;
	uint32_t n_labels;
} skey;

static bool s_eq(const void *c, uint32_t i, const void *k)
{
	const merger *m = c;
	const pk_sample *s = &m->samples[i];
	const skey *key = k;
	if (s->n_locs != key->n_locs || s->n_labels != key->n_labels)
		return false;
	if (key->n_locs &&
	    memcmp(m->slocs + s->loc_start, key->locs, key->n_locs * sizeof *key->locs) != 0)
		return false;
	for (uint32_t j = 0; j < key->n_labels; j++)
		if (!pk_label_eq(&m->labels[s->label_start + j], &key->labels[j]))
			return false;
	return true;
}

/* Canonical label order: string labels before numeric ones, by key, stable. */
static int label_cmp(const pk_profile *p, const pk_label *a, const pk_label *b)
{
	if (a->is_num != b->is_num)
		return a->is_num ? 1 : -1;
	return a->key == b->key ? 0 : pk_str_cmp(pk_s(p, a->key), pk_s(p, b->key));
}

/* A new merged sample k with values v, written at dst (in place, dst may be v itself). */
static bool append_sample(merger *m, const skey *k, const int64_t *v, int64_t *dst)
{
	if (m->nt)
		memmove(dst, v, m->nt * sizeof *v);
	pk_sample *ns = &m->samples[m->n_samples++];
	ns->loc_start = m->n_slocs;
	ns->n_locs = k->n_locs;
	ns->label_start = m->n_labels;
	ns->n_labels = k->n_labels;
	if (k->n_locs && k->locs != m->slocs + m->n_slocs)
		memcpy(m->slocs + m->n_slocs, k->locs, k->n_locs * sizeof *k->locs);
	if (k->n_labels)
		memcpy(m->labels + m->n_labels, k->labels, k->n_labels * sizeof *k->labels);
	m->n_slocs += k->n_locs;
	m->n_labels += k->n_labels;
	return true;
}

static bool map_sample(merger *m, size_t si)
{
	const pk_profile *src = m->src;
	const pk_sample *s = &src->samples[si];
	const int64_t *v = pk_sample_values(src, si);
	if (!RESERVE(m->tlocs, m->cap_tlocs, s->n_locs) ||
	    !RESERVE(m->tlabels, m->cap_tlabels, s->n_labels))
		return false;
	/* Equal samples kept apart: every sample is appended, its locations mapped straight to
	 * their place (in place, at or before where they are read). */
	uint32_t *locs = m->keep_equal ? m->slocs + m->n_slocs : m->tlocs;
	const uint32_t *from = src->sample_locs + s->loc_start, *lmap = m->lmap;
	for (uint32_t j = 0, n = s->n_locs; j < n; j++) {
		uint32_t l = from[j], r = lmap[l]; /* map_location's first look, in registers */
		if (r == PK_NONE && (r = map_location(m, l)) == PK_NONE)
			return false;
		locs[j] = r;
	}
	for (uint32_t j = 0; j < s->n_labels; j++) {
		const pk_label *sl = &src->labels[s->label_start + j];
		pk_label l = {map_str(m, sl->key), 0, 0, sl->is_num, 0};
		if (sl->is_num) {
			l.unit = map_str(m, sl->unit);
			l.num = sl->num;
		} else {
			l.str = map_str(m, sl->str);
		}
		uint32_t k = j;
		for (; k > 0 && label_cmp(m->out, &m->tlabels[k - 1], &l) > 0; k--)
			m->tlabels[k] = m->tlabels[k - 1];
		m->tlabels[k] = l;
	}
	if (m->oom)
		return false;
	skey k = {locs, s->n_locs, m->tlabels, s->n_labels};
	if (m->keep_equal)
		return append_sample(m, &k, v, m->values + m->n_samples * m->nt);
	uint64_t hv = pk_hash_bytes(k.locs, k.n_locs * sizeof *k.locs, k.n_labels);
	for (uint32_t j = 0; j < k.n_labels; j++)
		hv = pk_label_hash(hv, &k.labels[j]);
	bool found;
	uint32_t idx = pk_hash_intern(&m->hs, hv, s_eq, m, &k, (uint32_t)m->n_samples, &found);
	if (idx == PK_NONE)
		return false;
	int64_t *dst = m->values + (size_t)idx * m->nt;
	if (found) {
		for (uint32_t j = 0; j < m->nt; j++) /* Go's += wraps */
			dst[j] = (int64_t)((uint64_t)dst[j] + (uint64_t)v[j]);
		return true;
	}
	return append_sample(m, &k, v, dst);
}

/* combineHeaders, after the compatibility checks. */
static bool combine_headers(merger *m, pk_profile *const *in, size_t n)
{
	pk_profile *p = m->out;
	pk_strtab *t = &p->strs;
	const pk_profile *s0 = in[0];
	int64_t time_nanos = 0, period = 0;
	uint64_t duration = 0;
	size_t n_comments = 0;
	pk_sid dflt = 0;
	bool ok = false;
	uint8_t *seen = NULL; /* seen[sid]: the comment is already in */
	size_t cap_seen = 0;
	for (size_t j = 0; j < n; j++) {
		const pk_profile *s = in[j];
		if (time_nanos == 0 || s->time_nanos < time_nanos)
			time_nanos = s->time_nanos;
		duration += (uint64_t)s->duration_nanos;
		if (period == 0 || period < s->period)
			period = s->period;
		n_comments += s->n_comments;
		if (!dflt && s->default_sample_type) {
			pk_str d = pk_s(s, s->default_sample_type);
			if ((dflt = pk_strtab_intern(t, d.s, d.n)) == PK_NONE)
				goto done;
		}
	}
	p->time_nanos = time_nanos;
	p->duration_nanos = (int64_t)duration;
	p->period = period;
	p->default_sample_type = dflt;
	p->comments = pk_arena_calloc(p->arena, n_comments ? n_comments : 1, sizeof(pk_sid));
	if (!p->comments)
		goto done;
	for (size_t j = 0; j < n; j++) {
		for (uint32_t c = 0; c < in[j]->n_comments; c++) {
			pk_str str = pk_s(in[j], in[j]->comments[c]);
			pk_sid id = pk_strtab_intern(t, str.s, str.n);
			if (id == PK_NONE)
				goto done;
			if (id >= cap_seen) {
				size_t old = cap_seen;
				if (!RESERVE(seen, cap_seen, (size_t)id + 1))
					goto done;
				memset(seen + old, 0, cap_seen - old);
			}
			if (!seen[id]) {
				seen[id] = 1;
				p->comments[p->n_comments++] = id;
			}
		}
	}
	p->drop_frames =
	    pk_strtab_intern(t, pk_s(s0, s0->drop_frames).s, pk_s(s0, s0->drop_frames).n);
	p->keep_frames =
	    pk_strtab_intern(t, pk_s(s0, s0->keep_frames).s, pk_s(s0, s0->keep_frames).n);
	p->period_type.type =
	    pk_strtab_intern(t, pk_s(s0, s0->period_type.type).s, pk_s(s0, s0->period_type.type).n);
	p->period_type.unit =
	    pk_strtab_intern(t, pk_s(s0, s0->period_type.unit).s, pk_s(s0, s0->period_type.unit).n);
	if (p->drop_frames == PK_NONE || p->keep_frames == PK_NONE ||
	    p->period_type.type == PK_NONE || p->period_type.unit == PK_NONE)
		goto done;
	p->n_sample_types = s0->n_sample_types;
	p->sample_types = pk_arena_calloc(p->arena, s0->n_sample_types ? s0->n_sample_types : 1,
	                                  sizeof(pk_valtype));
	if (!p->sample_types)
		goto done;
	for (uint32_t i = 0; i < s0->n_sample_types; i++) {
		pk_str ty = pk_s(s0, s0->sample_types[i].type),
		       un = pk_s(s0, s0->sample_types[i].unit);
		p->sample_types[i].type = pk_strtab_intern(t, ty.s, ty.n);
		p->sample_types[i].unit = pk_strtab_intern(t, un.s, un.n);
		if (p->sample_types[i].type == PK_NONE || p->sample_types[i].unit == PK_NONE)
			goto done;
	}
	if (s0->name && !(p->name = pk_arena_strndup(p->arena, s0->name, strlen(s0->name))))
		goto done;
	ok = true;
done:
	pk_free(seen);
	return ok;
}

/* Sizes the output's tables for the worst case: every input element distinct. The counts
 * come from the samples and locations themselves, since pruning and aggregation may leave
 * parts of the flat arrays unreferenced. */
/* Whether the samples' locations and labels lie in sample order without overlap: then merged
 * sample i, written at or before source sample i's place, never clobbers a source element
 * not yet read (each source sample yields at most one merged sample, no longer than itself). */
static bool in_place_ok(const pk_profile *p)
{
	size_t nl = 0, nb = 0;
	if (p->shared) /* a view's tables are another profile's: neither rewritten nor released */
		return false;
	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		if (s->loc_start < nl || s->label_start < nb)
			return false;
		nl = s->loc_start + s->n_locs;
		nb = s->label_start + s->n_labels;
	}
	return true;
}

/* Grows in[0]'s sample arrays to hold the merged ones (see alloc_tables): big ones where they
 * are, small ones copied. False: out of memory. */
static bool grow_one(pk_arena *a, void **v, size_t have, size_t need, size_t size)
{
	size_t bytes;
	if (need <= have && *v)
		return true;
	if (!pk_mul_ok(need ? need : 1, size, &bytes))
		return false;
	void *g = *v ? pk_arena_regrow(a, *v, bytes) : NULL;
	if (!g) { /* not a block of its own, so a small one: copied */
		if (!(g = pk_arena_alloc(a, bytes)))
			return false;
		if (have)
			memcpy(g, *v, have * size);
	}
	*v = g;
	return true;
}

static bool grow_first(pk_profile *p, size_t ns, size_t nval, size_t nsl, size_t nlab)
{
	return grow_one(p->arena, (void **)&p->samples, p->n_samples, ns, sizeof *p->samples) &&
	       grow_one(p->arena, (void **)&p->values, p->n_samples * p->n_sample_types, nval,
	                sizeof *p->values) &&
	       grow_one(p->arena, (void **)&p->sample_locs, p->n_sample_locs, nsl,
	                sizeof *p->sample_locs) &&
	       grow_one(p->arena, (void **)&p->labels, p->n_labels, nlab, sizeof *p->labels);
}

/* The output's tables. *in_place on entry: n == 1 and the source's arrays may be rewritten;
 * with grow (the inputs are consumed), the first of several inputs whose arrays can grow to
 * the merged sizes is merged in place too, the others appended behind it (*in_place set). */
static pk_status alloc_tables(pk_ctx *ctx, merger *m, pk_profile *const *in, size_t n,
                              bool *in_place, bool grow)
{
	size_t ns = 0, nsl = 0, nlab = 0, nmap = 0, nloc = 0, nln = 0, nfn = 0, nval;
	bool ovf = false;
	for (size_t j = 0; j < n; j++) {
		const pk_profile *p = in[j];
		ovf |= __builtin_add_overflow(ns, p->n_samples, &ns);
		ovf |= __builtin_add_overflow(nmap, p->n_mappings, &nmap);
		ovf |= __builtin_add_overflow(nloc, p->n_locations, &nloc);
		ovf |= __builtin_add_overflow(nfn, p->n_functions, &nfn);
		/* (One input merged in place needs no room for samples: no pass over them.) */
		for (size_t i = 0; !*in_place && i < p->n_samples; i++) {
			ovf |= __builtin_add_overflow(nsl, p->samples[i].n_locs, &nsl);
			ovf |= __builtin_add_overflow(nlab, p->samples[i].n_labels, &nlab);
		}
		for (uint32_t i = 0; i < p->n_locations; i++)
			ovf |= __builtin_add_overflow(nln, p->locations[i].n_lines, &nln);
	}
	ovf |= !pk_mul_ok(ns, m->nt, &nval);
	if (ovf)
		return pk_fail(ctx, PK_ELIMIT, "merged profile too large");
	/* Indices are uint32_t with PK_NONE reserved; more distinct elements than that cannot
	 * come from inputs whose own indices are uint32_t, but their sum can exceed it. */
	if (ns > UINT32_MAX - 2)
		return pk_fail(ctx, PK_ELIMIT, "more than %" PRIu32 " samples", UINT32_MAX - 2);
	if (nloc > UINT32_MAX - 2 || nfn > UINT32_MAX - 2 || nmap > UINT32_MAX - 2)
		return pk_fail(ctx, PK_ELIMIT,
		               "more than %" PRIu32 " locations, functions or mappings",
		               UINT32_MAX - 2);
	pk_arena *a = m->out->arena;
	size_t bytes;
	/* Not zeroed: every element is written whole before it is counted. */
#define TABLE(v, count)                                                                            \
	(pk_mul_ok((count) ? (count) : 1, sizeof *(v), &bytes) && ((v) = pk_arena_alloc(a, bytes)))
	if (grow && n > 1 && in_place_ok(in[0])) {
		if (!grow_first(in[0], ns, nval, nsl, nlab))
			return pk_oom(ctx);
		*in_place = true;
	}
	if (*in_place) {
		/* The first source's sample arrays are rewritten as they are read (see
		 * in_place_ok): merged element k is written only after source element k. The
		 * other sources' samples come behind, in room grow_first made. */
		m->samples = in[0]->samples;
		m->values = in[0]->values;
		m->slocs = in[0]->sample_locs;
		m->labels = in[0]->labels;
	} else if (!TABLE(m->samples, ns) || !TABLE(m->values, nval) || !TABLE(m->slocs, nsl) ||
	           !TABLE(m->labels, nlab)) {
		return pk_oom(ctx);
	}
	if (!TABLE(m->maps, nmap) || !TABLE(m->locs, nloc) || !TABLE(m->lines, nln) ||
	    !TABLE(m->funcs, nfn))
		return pk_oom(ctx);
#undef TABLE
	return PK_OK;
}

static void finish(merger *m)
{
	pk_profile *p = m->out;
	p->samples = m->samples;
	p->values = m->values;
	p->sample_locs = m->slocs;
	p->labels = m->labels;
	p->mappings = m->maps;
	p->locations = m->locs;
	p->lines = m->lines;
	p->functions = m->funcs;
	p->n_samples = m->n_samples;
	p->n_sample_locs = m->n_slocs;
	p->n_labels = m->n_labels;
	p->n_mappings = (uint32_t)m->n_maps;
	p->n_locations = (uint32_t)m->n_locs;
	p->n_lines = m->n_lines;
	p->n_functions = (uint32_t)m->n_funcs;
	p->grp = NULL; /* the samples are new: no groups, no view of a base */
	p->n_grp = 0;
	p->as_base = false;
	p->grp_zero = NULL;
}

static bool is_zero(const int64_t *v, uint32_t nt)
{
	for (uint32_t j = 0; j < nt; j++)
		if (v[j] != 0)
			return false;
	return true;
}

static void free_memos(merger *m)
{
	pk_free(m->smap);
	pk_free(m->fmap);
	pk_free(m->lmap);
	pk_free(m->mmap);
	pk_free(m->moff);
	m->smap = NULL;
	m->fmap = m->lmap = m->mmap = NULL;
	m->moff = NULL;
}

/* Sets up the by-index memo tables of src (Go's per-source by-ID maps). */
static bool start_source(merger *m, const pk_profile *src)
{
	m->src = src;
	m->smap = pk_malloc((src->strs.n ? src->strs.n : 1) * sizeof *m->smap);
	m->fmap = pk_malloc((src->n_functions ? src->n_functions : 1) * sizeof *m->fmap);
	m->lmap = pk_malloc((src->n_locations ? src->n_locations : 1) * sizeof *m->lmap);
	m->mmap = pk_malloc((src->n_mappings ? src->n_mappings : 1) * sizeof *m->mmap);
	m->moff = pk_malloc((src->n_mappings ? src->n_mappings : 1) * sizeof *m->moff);
	if (!m->smap || !m->fmap || !m->lmap || !m->mmap || !m->moff)
		return false;
	memset(m->smap, 0xff, src->strs.n * sizeof *m->smap);
	memset(m->fmap, 0xff, src->n_functions * sizeof *m->fmap);
	memset(m->lmap, 0xff, src->n_locations * sizeof *m->lmap);
	memset(m->mmap, 0xff, src->n_mappings * sizeof *m->mmap);
	return true;
}

/* Merge: the inputs' units already agree. in_place: n == 1 and in_place_ok(in[0]); the
 * source's sample arrays become the result's (the caller hands over the source's arena). */
static pk_status merge(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n,
                       bool in_place, pk_profile **take, bool keep_equal, bool disjoint)
{
	pk_status st = PK_OK;
	merger m = {0};
	m.keep_equal = keep_equal;
	*out = NULL;
	if (n == 0)
		return pk_fail(ctx, PK_EUSAGE, "no profiles to merge");
	for (size_t j = 1; j < n; j++)
		if ((st = pk_profile_compatible(ctx, in[0], in[j])) != PK_OK)
			return st;
	const pk_profile *s0 = in[0];
	m.nt = s0->n_sample_types;
	if (!(m.out = pk_profile_new_empty()) || !combine_headers(&m, in, n) ||
	    !pk_hash_init(&m.hs, keep_equal ? 16 : s0->n_samples) ||
	    !pk_hash_init(&m.hl, s0->n_locations) || !pk_hash_init(&m.hf, s0->n_functions) ||
	    !pk_hash_init(&m.hm, s0->n_mappings)) {
		st = pk_oom(ctx);
		goto done;
	}
	if ((st = alloc_tables(ctx, &m, in, n, &in_place, take != NULL)) != PK_OK)
		goto done;
	for (size_t j = 0; j < n; j++) {
		const pk_profile *src = in[j];
		if (!start_source(&m, src)) {
			st = pk_oom(ctx);
			goto done;
		}
		/* The first mapping is the main binary: take it first, used or not. */
		if (m.n_maps == 0 && src->n_mappings > 0 && map_mapping(&m, 0) == PK_NONE) {
			st = pk_oom(ctx);
			goto done;
		}
		/* Sources known not to share a sample: each is combined only within itself, with
		 * a table of its own size, the previous one dropped. */
		if (disjoint && !keep_equal && j > 0) {
			pk_hash_destroy(&m.hs);
			if (!pk_hash_init(&m.hs, src->n_samples)) {
				st = pk_oom(ctx);
				goto done;
			}
		}
		/* A source consumed here, read front to back, gives its pages back as it goes. */
		bool release = take && !(in_place && j == 0) && in_place_ok(src);
		size_t rel[4] = {0, 0, 0, 0};
		for (size_t i = 0; i < src->n_samples; i++) {
			pk_progress_items(ctx, "merging samples", i, src->n_samples);
			if (release && (i & 4095) == 0 && i > 0) {
				const pk_sample *s = &src->samples[i];
				pk_release_pages(src->samples, &rel[0], i * sizeof *src->samples);
				pk_release_pages(src->values, &rel[1],
				                 i * m.nt * sizeof *src->values);
				pk_release_pages(src->sample_locs, &rel[2],
				                 s->loc_start * sizeof *src->sample_locs);
				pk_release_pages(src->labels, &rel[3],
				                 s->label_start * sizeof *src->labels);
			}
			if (is_zero(pk_sample_values(src, i), m.nt))
				continue;
			if (!map_sample(&m, i)) {
				st = pk_oom(ctx);
				goto done;
			}
		}
		free_memos(&m);
		if (take && !(in_place && j == 0)) { /* nothing reads a source once merged */
			pk_profile_free(take[j]);
			take[j] = NULL;
		}
	}
	finish(&m);
	if (take && in_place) { /* the result's sample arrays are in[0]'s: its arena moves */
		pk_arena_adopt(m.out->arena, take[0]->arena);
		take[0]->arena = NULL;
		pk_profile_free(take[0]);
		take[0] = NULL;
	}
	for (size_t i = 0; i < m.out->n_samples; i++) {
		if (is_zero(pk_sample_values(m.out, i), m.nt)) {
			/* Samples that summed to zero: merge the result again to drop them, in its
			 * own arrays (a diff has many). */
			pk_profile *again, *first = m.out;
			m.out = NULL;
			st = pk_profile_merge_one(ctx, &again, first);
			if (st == PK_OK)
				m.out = again;
			break;
		}
	}
done:
	free_memos(&m);
	pk_free(m.tlocs);
	pk_free(m.tlabels);
	pk_free(m.tlines);
	pk_hash_destroy(&m.hs);
	pk_hash_destroy(&m.hl);
	pk_hash_destroy(&m.hf);
	pk_hash_destroy(&m.hm);
	if (st != PK_OK) {
		pk_profile_free(m.out);
		return st;
	}
	*out = m.out;
	return PK_OK;
}

pk_status pk_profile_merge_core(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n)
{
	return merge(ctx, out, in, n, false, NULL, false, false);
}

static pk_status merge_take(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n, bool disjoint,
                            bool keep_equal)
{
	pk_status st = merge(ctx, out, in, n, false, in, keep_equal, disjoint);
	for (size_t j = 0; j < n; j++) {
		pk_profile_free(in[j]);
		in[j] = NULL;
	}
	return st;
}

pk_status pk_profile_merge_core_take(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n)
{
	return merge_take(ctx, out, in, n, false, false);
}

pk_status pk_profile_merge_core_take_disjoint(pk_ctx *ctx, pk_profile **out, pk_profile **in,
                                              size_t n)
{
	return merge_take(ctx, out, in, n, true, false);
}

pk_status pk_profile_merge_core_take_apart(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n)
{
	pk_status st = merge_take(ctx, out, in, n, true, true);
	if (st == PK_OK)
		(*out)->sums_only = true;
	return st;
}

static pk_status merge_one(pk_ctx *ctx, pk_profile **out, pk_profile *in, bool keep_equal)
{
	pk_status st;
	*out = NULL;
	if (!in_place_ok(in)) {
		st = merge(ctx, out, &in, 1, false, NULL, keep_equal, false);
		pk_profile_free(in);
		return st;
	}
	st = merge(ctx, out, &in, 1, true, NULL, keep_equal, false);
	if (st == PK_OK) {
		/* The result's sample arrays live in the source's arena: it moves to the result.
		 * (When zero sums made merge copy the result once more, it is only kept longer.) */
		pk_arena_adopt((*out)->arena, in->arena);
		in->arena = NULL;
	}
	pk_profile_free(in);
	return st;
}

pk_status pk_profile_merge_one(pk_ctx *ctx, pk_profile **out, pk_profile *in)
{
	return merge_one(ctx, out, in, false);
}

/* Equal samples may stay apart only where combining them changes no sum a report takes: with
 * a negative value two equal samples could sum to zero, which Merge drops, and a report would
 * still see their nodes; where values add up past INT64_MAX, Go's sums wrap, and the absolute
 * value of a wrapped sum (the total) is not the sum of the absolute values. So: no negative
 * value and each sample type's total within int64. */
bool pk_profile_sums_plain(const pk_profile *p)
{
	const uint32_t nt = p->n_sample_types;
	/* In one pass over the values in memory order: when no value is negative and all of them
	 * together stay within int64, so does each type's total (else each type is summed). */
	uint64_t all = 0, neg = 0;
	for (size_t i = 0, n = p->n_samples * nt; i < n; i++) {
		all += (uint64_t)p->values[i];
		neg |= (uint64_t)p->values[i];
		if (all > INT64_MAX)
			break;
	}
	if (neg >> 63)
		return false;
	if (all <= INT64_MAX)
		return true;
	for (uint32_t t = 0; t < nt; t++) {
		int64_t sum = 0;
		for (size_t i = 0; i < p->n_samples; i++) {
			int64_t v = p->values[i * nt + t];
			if (v < 0 || __builtin_add_overflow(sum, v, &sum))
				return false;
		}
	}
	return true;
}

pk_status pk_profile_merge_one_sums(pk_ctx *ctx, pk_profile **out, pk_profile *in)
{
	bool keep = pk_profile_sums_plain(in);
	pk_status st = merge_one(ctx, out, in, keep);
	if (st == PK_OK && keep)
		(*out)->sums_only = true;
	return st;
}
