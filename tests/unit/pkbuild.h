/* pkbuild.h - builds small profiles in memory for unit tests, straight into the model (no
 * decoder): fixed-capacity arrays in the profile's arena, ids = index + 1, strings interned.
 * Labels are written "key=value,key=#123,key=#4:bytes" (# marks a number, :unit its unit). */
#ifndef PK_UNIT_PKBUILD_H
#define PK_UNIT_PKBUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

#define TB_CAP 4096

static inline pk_sid tb_s(pk_profile *p, const char *s)
{
	return pk_strtab_intern_cstr(&p->strs, s);
}

/* types: "samples/count cpu/nanoseconds" */
static inline pk_profile *tb_new(const char *types)
{
	pk_profile *p = pk_profile_new_empty();
	pk_arena *a = p->arena;
	p->sample_types = pk_arena_calloc(a, 16, sizeof(pk_valtype));
	p->samples = pk_arena_calloc(a, TB_CAP, sizeof(pk_sample));
	p->values = pk_arena_calloc(a, TB_CAP * 16, sizeof(int64_t));
	p->sample_locs = pk_arena_calloc(a, TB_CAP * 8, sizeof(uint32_t));
	p->labels = pk_arena_calloc(a, TB_CAP * 4, sizeof(pk_label));
	p->mappings = pk_arena_calloc(a, TB_CAP, sizeof(pk_mapping));
	p->locations = pk_arena_calloc(a, TB_CAP, sizeof(pk_location));
	p->lines = pk_arena_calloc(a, TB_CAP * 4, sizeof(pk_line));
	p->functions = pk_arena_calloc(a, TB_CAP, sizeof(pk_function));
	p->comments = pk_arena_calloc(a, 16, sizeof(pk_sid));
	char buf[256];
	snprintf(buf, sizeof buf, "%s", types);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *slash = strchr(t, '/');
		*slash = 0;
		p->sample_types[p->n_sample_types].type = tb_s(p, t);
		p->sample_types[p->n_sample_types].unit = tb_s(p, slash + 1);
		p->n_sample_types++;
	}
	return p;
}

static inline uint32_t tb_func(pk_profile *p, const char *name, const char *file, int64_t start)
{
	pk_function *f = &p->functions[p->n_functions];
	f->id = p->n_functions + 1;
	f->name = f->system_name = tb_s(p, name);
	f->filename = tb_s(p, file);
	f->start_line = start;
	return p->n_functions++;
}

static inline uint32_t tb_map(pk_profile *p, uint64_t start, uint64_t limit, uint64_t offset,
                              const char *file, const char *build_id)
{
	pk_mapping *m = &p->mappings[p->n_mappings];
	m->id = p->n_mappings + 1;
	m->start = start;
	m->limit = limit;
	m->offset = offset;
	m->file = tb_s(p, file);
	m->build_id = tb_s(p, build_id);
	m->has_functions = true;
	return p->n_mappings++;
}

/* A location with n lines: funcs[i] (function index or PK_NONE) at line lines[i], leaf first. */
static inline uint32_t tb_loc(pk_profile *p, uint32_t mapping, uint64_t addr, uint32_t n,
                              const uint32_t *funcs, const int64_t *lines)
{
	pk_location *l = &p->locations[p->n_locations];
	l->id = p->n_locations + 1;
	l->mapping = mapping;
	l->address = addr;
	l->line_start = p->n_lines;
	l->n_lines = n;
	for (uint32_t i = 0; i < n; i++) {
		p->lines[p->n_lines].function = funcs[i];
		p->lines[p->n_lines].line = lines ? lines[i] : 0;
		p->n_lines++;
	}
	return p->n_locations++;
}

/* A location with one line of function f. */
static inline uint32_t tb_loc1(pk_profile *p, uint32_t mapping, uint64_t addr, uint32_t f,
                               int64_t line)
{
	return tb_loc(p, mapping, addr, 1, &f, &line);
}

static inline size_t tb_sample(pk_profile *p, const int64_t *values, uint32_t n_locs,
                               const uint32_t *locs, const char *labels)
{
	pk_sample *s = &p->samples[p->n_samples];
	memcpy(pk_sample_values(p, p->n_samples), values, p->n_sample_types * sizeof(int64_t));
	s->loc_start = p->n_sample_locs;
	s->n_locs = n_locs;
	for (uint32_t i = 0; i < n_locs; i++)
		p->sample_locs[p->n_sample_locs++] = locs[i];
	s->label_start = p->n_labels;
	if (labels && *labels) {
		char buf[512];
		snprintf(buf, sizeof buf, "%s", labels);
		for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv;
		     kv = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(kv, '=');
			*eq = 0;
			pk_label *l = &p->labels[p->n_labels++];
			memset(l, 0, sizeof *l);
			l->key = tb_s(p, kv);
			if (eq[1] == '#') {
				char *colon = strchr(eq + 2, ':');
				if (colon) {
					*colon = 0;
					l->unit = tb_s(p, colon + 1);
				}
				l->is_num = true;
				l->num = strtoll(eq + 2, NULL, 10);
			} else {
				l->str = tb_s(p, eq + 1);
			}
			s->n_labels++;
		}
	}
	return p->n_samples++;
}

/* Label list of sample i as "k=v,k=#n:u" in stored order. */
static inline const char *tb_labels(const pk_profile *p, size_t i, char *buf, size_t n)
{
	const pk_sample *s = &p->samples[i];
	size_t w = 0;
	buf[0] = 0;
	for (uint32_t j = 0; j < s->n_labels && w < n; j++) {
		const pk_label *l = &p->labels[s->label_start + j];
		if (l->is_num)
			w += (size_t)snprintf(buf + w, n - w, "%s%s=#%lld%s%s", j ? "," : "",
			                      pk_s(p, l->key).s, (long long)l->num,
			                      l->unit ? ":" : "", pk_s(p, l->unit).s);
		else
			w += (size_t)snprintf(buf + w, n - w, "%s%s=%s", j ? "," : "",
			                      pk_s(p, l->key).s, pk_s(p, l->str).s);
	}
	return buf;
}

/* Location ids of sample i, "1 2 3". */
static inline const char *tb_stack(const pk_profile *p, size_t i, char *buf, size_t n)
{
	const pk_sample *s = &p->samples[i];
	size_t w = 0;
	buf[0] = 0;
	for (uint32_t j = 0; j < s->n_locs && w < n; j++)
		w += (size_t)snprintf(
		    buf + w, n - w, "%s%llu", j ? " " : "",
		    (unsigned long long)p->locations[p->sample_locs[s->loc_start + j]].id);
	return buf;
}

/* Function names of sample i's frames, leaf first, inlined lines included: "a b c". */
static inline const char *tb_frames(const pk_profile *p, size_t i, char *buf, size_t n)
{
	const pk_sample *s = &p->samples[i];
	size_t w = 0;
	buf[0] = 0;
	for (uint32_t j = 0; j < s->n_locs && w < n; j++) {
		const pk_location *l = &p->locations[p->sample_locs[s->loc_start + j]];
		for (uint32_t k = 0; k < l->n_lines && w < n; k++) {
			uint32_t f = p->lines[l->line_start + k].function;
			w += (size_t)snprintf(buf + w, n - w, "%s%s", w ? " " : "",
			                      f == PK_NONE ? "?" : pk_s(p, p->functions[f].name).s);
		}
	}
	return buf;
}

#endif
