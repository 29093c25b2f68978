/* textbuild.c - the builder the text readers fill a profile through (see textprof.h).
 *
 * Tables grow in malloc'd arrays (amortised doubling) while a reader works; functions are
 * interned by (name, file), locations by (address, lines), so a file of a million goroutines
 * with a hundred distinct frames keeps a hundred locations. pk_tb_finish copies the arrays
 * into the profile's arena, where the rest of pprofkit expects them.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/textprof.h"

struct pk_tb {
	pk_profile *p;
	pk_sample *samples;
	size_t n_samples, cap_samples;
	int64_t *values;
	size_t n_values, cap_values;
	uint32_t *slocs;
	size_t n_slocs, cap_slocs;
	pk_label *labels;
	size_t n_labels, cap_labels;
	pk_location *locs;
	size_t n_locs, cap_locs;
	pk_line *lines;
	size_t n_lines, cap_lines;
	pk_function *funcs;
	size_t n_funcs, cap_funcs;
	pk_sid *comments;
	size_t n_comments, cap_comments;
	pk_hash loc_h, func_h;
};

pk_tb *pk_tb_new(const char *name)
{
	pk_tb *b = pk_calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (!(b->p = pk_profile_new_empty()) ||
	    !(b->p->name = pk_arena_strndup(b->p->arena, name, strlen(name))) ||
	    !pk_hash_init(&b->loc_h, 64) || !pk_hash_init(&b->func_h, 64)) {
		pk_tb_free(b);
		return NULL;
	}
	return b;
}

void pk_tb_free(pk_tb *b)
{
	if (!b)
		return;
	pk_profile_free(b->p);
	pk_free(b->samples);
	pk_free(b->values);
	pk_free(b->slocs);
	pk_free(b->labels);
	pk_free(b->locs);
	pk_free(b->lines);
	pk_free(b->funcs);
	pk_free(b->comments);
	pk_hash_destroy(&b->loc_h);
	pk_hash_destroy(&b->func_h);
	pk_free(b);
}

pk_profile *pk_tb_profile(pk_tb *b)
{
	return b->p;
}

pk_sid pk_tb_str(pk_tb *b, const char *s, size_t n)
{
	return pk_strtab_intern(&b->p->strs, s, n);
}

bool pk_tb_types(pk_tb *b, size_t n, const char *const *type_unit, const char *period_type,
                 const char *period_unit, int64_t period)
{
	pk_profile *p = b->p;
	if (!(p->sample_types = pk_arena_calloc(p->arena, n ? n : 1, sizeof *p->sample_types)))
		return false;
	for (size_t i = 0; i < n; i++) {
		pk_sid t = pk_strtab_intern_cstr(&p->strs, type_unit[2 * i]);
		pk_sid u = pk_strtab_intern_cstr(&p->strs, type_unit[2 * i + 1]);
		if (t == PK_NONE || u == PK_NONE)
			return false;
		p->sample_types[i] = (pk_valtype){t, u};
	}
	p->n_sample_types = (uint32_t)n;
	pk_sid pt = pk_strtab_intern_cstr(&p->strs, period_type);
	pk_sid pu = pk_strtab_intern_cstr(&p->strs, period_unit);
	if (pt == PK_NONE || pu == PK_NONE)
		return false;
	p->period_type = (pk_valtype){pt, pu};
	p->period = period;
	return true;
}

typedef struct func_key {
	pk_sid name, file;
} func_key;

static bool func_eq(const void *ctx, uint32_t idx, const void *key)
{
	const pk_tb *b = ctx;
	const func_key *k = key;
	return b->funcs[idx].name == k->name && b->funcs[idx].filename == k->file;
}

uint32_t pk_tb_func(pk_tb *b, pk_sid name, pk_sid file)
{
	func_key k = {name, file};
	uint64_t hv = pk_hash_mix(pk_hash_mix(0x51, name), file);
	if (b->n_funcs >= UINT32_MAX - 1 ||
	    !pk_grow((void **)&b->funcs, &b->cap_funcs, b->n_funcs + 1, sizeof *b->funcs))
		return PK_NONE;
	bool found;
	uint32_t i = pk_hash_intern(&b->func_h, hv, func_eq, b, &k, (uint32_t)b->n_funcs, &found);
	if (i == PK_NONE || found)
		return i;
	b->funcs[i] =
	    (pk_function){.id = i + 1, .name = name, .system_name = name, .filename = file};
	b->n_funcs++;
	return i;
}

typedef struct loc_key {
	uint64_t address;
	const pk_line *lines;
	uint32_t n;
} loc_key;

static bool loc_eq(const void *ctx, uint32_t idx, const void *key)
{
	const pk_tb *b = ctx;
	const loc_key *k = key;
	const pk_location *l = &b->locs[idx];
	if (l->address != k->address || l->n_lines != k->n)
		return false;
	for (uint32_t j = 0; j < k->n; j++) {
		const pk_line *x = &b->lines[l->line_start + j];
		if (x->function != k->lines[j].function || x->line != k->lines[j].line)
			return false;
	}
	return true;
}

uint32_t pk_tb_loc(pk_tb *b, uint64_t address, const pk_line *lines, uint32_t n_lines)
{
	loc_key k = {address, lines, n_lines};
	uint64_t hv = pk_hash_mix(0x10c, address);
	for (uint32_t j = 0; j < n_lines; j++)
		hv = pk_hash_mix(pk_hash_mix(hv, lines[j].function), (uint64_t)lines[j].line);
	if (b->n_locs >= UINT32_MAX - 1 ||
	    !pk_grow((void **)&b->locs, &b->cap_locs, b->n_locs + 1, sizeof *b->locs) ||
	    !pk_grow((void **)&b->lines, &b->cap_lines, b->n_lines + n_lines, sizeof *b->lines))
		return PK_NONE;
	bool found;
	uint32_t i = pk_hash_intern(&b->loc_h, hv, loc_eq, b, &k, (uint32_t)b->n_locs, &found);
	if (i == PK_NONE || found)
		return i;
	b->locs[i] = (pk_location){.id = i + 1,
	                           .mapping = PK_NONE,
	                           .address = address,
	                           .line_start = b->n_lines,
	                           .n_lines = n_lines};
	if (n_lines)
		memcpy(b->lines + b->n_lines, lines, n_lines * sizeof *lines);
	b->n_lines += n_lines;
	b->n_locs++;
	return i;
}

bool pk_tb_sample(pk_tb *b, const uint32_t *locs, size_t n_locs, const int64_t *values,
                  const pk_label *labels, size_t n_labels)
{
	size_t nst = b->p->n_sample_types;
	if (n_locs >= UINT32_MAX || n_labels >= UINT32_MAX ||
	    !pk_grow((void **)&b->samples, &b->cap_samples, b->n_samples + 1, sizeof *b->samples) ||
	    !pk_grow((void **)&b->values, &b->cap_values, b->n_values + nst, sizeof *b->values) ||
	    !pk_grow((void **)&b->slocs, &b->cap_slocs, b->n_slocs + n_locs, sizeof *b->slocs) ||
	    !pk_grow((void **)&b->labels, &b->cap_labels, b->n_labels + n_labels,
	             sizeof *b->labels))
		return false;
	b->samples[b->n_samples++] = (pk_sample){.loc_start = b->n_slocs,
	                                         .n_locs = (uint32_t)n_locs,
	                                         .label_start = b->n_labels,
	                                         .n_labels = (uint32_t)n_labels};
	if (nst)
		memcpy(b->values + b->n_values, values, nst * sizeof *values);
	b->n_values += nst;
	if (n_locs)
		memcpy(b->slocs + b->n_slocs, locs, n_locs * sizeof *locs);
	b->n_slocs += n_locs;
	if (n_labels)
		memcpy(b->labels + b->n_labels, labels, n_labels * sizeof *labels);
	b->n_labels += n_labels;
	return true;
}

bool pk_tb_comment(pk_tb *b, const char *s, size_t n)
{
	pk_sid id = pk_tb_str(b, s, n);
	if (id == PK_NONE || b->n_comments >= UINT32_MAX - 1 ||
	    !pk_grow((void **)&b->comments, &b->cap_comments, b->n_comments + 1,
	             sizeof *b->comments))
		return false;
	b->comments[b->n_comments++] = id;
	return true;
}

static void *to_arena(pk_arena *a, const void *src, size_t n, size_t elem, bool *ok)
{
	void *d = pk_arena_calloc(a, n ? n : 1, elem);
	if (!d) {
		*ok = false;
		return NULL;
	}
	if (n)
		memcpy(d, src, n * elem);
	return d;
}

pk_status pk_tb_finish(pk_ctx *ctx, pk_tb *b, pk_profile **out)
{
	pk_profile *p = b->p;
	pk_arena *a = p->arena;
	bool ok = b->n_locs < UINT32_MAX && b->n_funcs < UINT32_MAX;
	*out = NULL;
	p->samples = to_arena(a, b->samples, b->n_samples, sizeof *b->samples, &ok);
	p->n_samples = b->n_samples;
	p->values = to_arena(a, b->values, b->n_values, sizeof *b->values, &ok);
	p->sample_locs = to_arena(a, b->slocs, b->n_slocs, sizeof *b->slocs, &ok);
	p->n_sample_locs = b->n_slocs;
	p->labels = to_arena(a, b->labels, b->n_labels, sizeof *b->labels, &ok);
	p->n_labels = b->n_labels;
	p->locations = to_arena(a, b->locs, b->n_locs, sizeof *b->locs, &ok);
	p->n_locations = (uint32_t)b->n_locs;
	p->lines = to_arena(a, b->lines, b->n_lines, sizeof *b->lines, &ok);
	p->n_lines = b->n_lines;
	p->functions = to_arena(a, b->funcs, b->n_funcs, sizeof *b->funcs, &ok);
	p->n_functions = (uint32_t)b->n_funcs;
	p->comments = to_arena(a, b->comments, b->n_comments, sizeof *b->comments, &ok);
	p->n_comments = (uint32_t)b->n_comments;
	if (!p->sample_types)
		p->sample_types = pk_arena_calloc(a, 1, sizeof *p->sample_types);
	if (!ok || !p->sample_types) {
		pk_tb_free(b);
		return pk_oom(ctx);
	}
	b->p = NULL;
	pk_tb_free(b);
	*out = p;
	return PK_OK;
}
