/* folded.c - folded stacks as input: each line "frame;frame;...;frame VALUE", root first, is
 * one sample whose value is VALUE, a whole number. Blank lines are skipped; a '\r' before the
 * line break is dropped. Each distinct frame name becomes one function (name only) and one
 * location (one line, no address), so every report names it as written.
 * Two passes over the text: the first checks every line and counts, the second fills the
 * model's arrays, allocated once in the profile's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/folded.h"

PK_API pk_status pk_ctx_set_folded_type(pk_ctx *ctx, const char *type_unit)
{
	const char *slash = type_unit ? strchr(type_unit, '/') : NULL;
	size_t n = type_unit ? strlen(type_unit) : 0;
	if (!slash || slash == type_unit || !slash[1] || strchr(slash + 1, '/') ||
	    n >= sizeof ctx->folded_type)
		return pk_fail(ctx, PK_EUSAGE,
		               "-folded_type: \"%s\" is not TYPE/UNIT (as in samples/count)",
		               type_unit ? type_unit : "");
	memcpy(ctx->folded_type, type_unit, n + 1);
	return PK_OK;
}

/* One line [s, e) split into its stack [s, *stack_end) and value; NULL or the reason it is
 * not a folded line. */
static const char *split_line(const char *s, const char *e, const char **stack_end, int64_t *value)
{
	const char *sp = e;
	while (sp > s && sp[-1] != ' ')
		sp--;
	if (sp == s)
		return "no space before a value at the end of the line";
	if (sp == e)
		return "no value after the last space";
	uint64_t v = 0;
	for (const char *c = sp; c < e; c++) {
		if (*c < '0' || *c > '9')
			return "the value is not a whole number";
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(*c - '0')) / 10)
			return "the value is too large";
		v = v * 10 + (uint64_t)(*c - '0');
	}
	const char *st = sp - 1;
	while (st > s && st[-1] == ' ') /* several spaces before the value */
		st--;
	if (st == s)
		return "no stack before the value";
	for (const char *c = s; c < st; c++) {
		if (*c == '\0')
			return "a NUL byte in the stack";
		if (*c == ';' && (c == s || c[-1] == ';' || c + 1 == st))
			return "an empty frame name";
	}
	*stack_end = st;
	*value = (int64_t)v;
	return NULL;
}

bool pk_folded_sniff(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data, *e = memchr(s, '\n', len);
	if (!e)
		e = s + len;
	if (e > s && e[-1] == '\r')
		e--;
	for (const char *c = s; c < e; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return false;
	/* a space and digits at the end, something before: the line may still be bad (an
	 * empty frame), which the reader then reports with its line number */
	const char *c = e;
	while (c > s && c[-1] >= '0' && c[-1] <= '9')
		c--;
	return c < e && c > s + 1 && c[-1] == ' ';
}

typedef struct fline {
	const char *s, *e; /* the line without its break */
	size_t no;         /* 1-based */
} fline;

/* The next line at *pos: false at the end. */
static bool next_line(const char *d, size_t len, size_t *pos, size_t *no, fline *l)
{
	if (*pos >= len)
		return false;
	const char *s = d + *pos, *nl = memchr(s, '\n', len - *pos);
	const char *e = nl ? nl : d + len;
	*pos = nl ? (size_t)(nl - d) + 1 : len;
	(*no)++;
	l->s = s;
	l->no = *no;
	l->e = e > s && e[-1] == '\r' ? e - 1 : e;
	return true;
}

pk_status pk_folded_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                         const char *name)
{
	const char *d = (const char *)data;
	size_t pos = 0, no = 0, n_samples = 0, n_frames = 0;
	fline l;
	const char *stack_end;
	int64_t v;
	*out = NULL;
	while (next_line(d, len, &pos, &no, &l)) {
		if (l.s == l.e)
			continue;
		const char *why = split_line(l.s, l.e, &stack_end, &v);
		if (why)
			return pk_fail(ctx, PK_EFORMAT, "%s: line %zu: %s", name, l.no, why);
		n_samples++;
		n_frames++;
		for (const char *c = l.s; c < stack_end; c++)
			n_frames += *c == ';';
		if (n_frames > UINT32_MAX / 2)
			return pk_fail(ctx, PK_ELIMIT, "%s: line %zu: too many frames", name, l.no);
	}
	if (n_samples == 0)
		return pk_fail(ctx, PK_EFORMAT, "%s: no stacks in the folded input", name);

	pk_status st = PK_OK;
	uint32_t *fn_of = NULL; /* by string id: function index + 1, 0 = none yet */
	size_t cap_fn = 0;
	pk_profile *p = pk_profile_new_empty();
	if (!p || !(p->name = pk_arena_strndup(p->arena, name, strlen(name))))
		goto oom;
	const char *tu = ctx->folded_type[0] ? ctx->folded_type : "samples/count";
	const char *slash = strchr(tu, '/');
	p->n_sample_types = 1;
	if (!(p->sample_types = pk_arena_calloc(p->arena, 1, sizeof *p->sample_types)))
		goto oom;
	p->sample_types[0].type = pk_strtab_intern(&p->strs, tu, (size_t)(slash - tu));
	p->sample_types[0].unit = pk_strtab_intern_cstr(&p->strs, slash + 1);
	if (p->sample_types[0].type == PK_NONE || p->sample_types[0].unit == PK_NONE)
		goto oom;
	p->period_type = p->sample_types[0];
	p->period = 1;
	p->samples = pk_arena_calloc(p->arena, n_samples, sizeof *p->samples);
	p->values = pk_arena_calloc(p->arena, n_samples, sizeof *p->values);
	p->sample_locs = pk_arena_calloc(p->arena, n_frames, sizeof *p->sample_locs);
	if (!p->samples || !p->values || !p->sample_locs)
		goto oom;
	pos = no = 0;
	while (next_line(d, len, &pos, &no, &l)) {
		if (l.s == l.e)
			continue;
		split_line(l.s, l.e, &stack_end, &v);
		pk_sample *sm = &p->samples[p->n_samples];
		sm->loc_start = p->n_sample_locs;
		p->values[p->n_samples++] = v;
		/* frames root first in the text, leaf first in the sample: fill from the end */
		size_t k = 1;
		for (const char *c = l.s; c < stack_end; c++)
			k += *c == ';';
		sm->n_locs = (uint32_t)k;
		p->n_sample_locs += k;
		const char *fs = l.s;
		for (size_t i = 0; i < k; i++) {
			const char *fe = memchr(fs, ';', (size_t)(stack_end - fs));
			if (!fe)
				fe = stack_end;
			pk_sid sid = pk_strtab_intern(&p->strs, fs, (size_t)(fe - fs));
			if (sid == PK_NONE ||
			    !pk_grow((void **)&fn_of, &cap_fn, (size_t)sid + 1, sizeof *fn_of))
				goto oom;
			p->sample_locs[sm->loc_start + (k - 1 - i)] = sid; /* a string id for now */
			fs = fe + 1;
		}
	}
	/* String ids to functions and locations, in order of first use: one of each per
	 * distinct name, at most one per string. */
	p->functions = pk_arena_calloc(p->arena, p->strs.n, sizeof *p->functions);
	p->locations = pk_arena_calloc(p->arena, p->strs.n, sizeof *p->locations);
	p->lines = pk_arena_calloc(p->arena, p->strs.n, sizeof *p->lines);
	if (!p->functions || !p->locations || !p->lines)
		goto oom;
	memset(fn_of, 0, cap_fn * sizeof *fn_of);
	for (size_t i = 0; i < p->n_sample_locs; i++) {
		pk_sid sid = p->sample_locs[i];
		if (fn_of[sid] == 0) {
			uint32_t f = p->n_functions++;
			/* no system name: the names are shown as written, never demangled */
			p->functions[f] = (pk_function){f + 1, sid, 0, 0, 0};
			p->lines[f] = (pk_line){f, 0};
			p->locations[f] = (pk_location){f + 1, PK_NONE, false, 0, f, 1};
			fn_of[sid] = f + 1;
		}
		p->sample_locs[i] = fn_of[sid] - 1;
	}
	p->n_locations = p->n_functions;
	p->n_lines = p->n_functions;
	*out = p;
	p = NULL;
	goto done;
oom:
	st = pk_fail(ctx, PK_ENOMEM, "%s: out of memory reading folded stacks", name);
done:
	pk_free(fn_of);
	pk_profile_free(p);
	return st;
}
