/* decode.c - profile.proto bytes (already inflated) to a checked pk_profile.
 *
 * The top level is split: samples (most of a big profile) are checked and decoded here,
 * straight from the wire into the model's arrays; every other field is copied aside, checked
 * by a schema walk and unpacked by protobuf-c into a scratch arena (its allocator's free is a
 * no-op; the arena is dropped whole once the model is built). The model is then filled table
 * by table: every string index, id and cross-reference is checked, strings are interned
 * through a file-index -> id array, and ids are resolved through a dense array for the usual
 * small ids (1..N) with a hash table for the others.
 *
 * Mirrors profile/encode.go (the field decoders, postDecode), profile/proto.go (wire rules)
 * and profile/profile.go (ParseUncompressed, CheckValid), failing on the inputs they reject
 * and in the same order: wire errors, string_table[0], string indices (postDecode's order),
 * then CheckValid (sample types, samples, mappings, functions, locations). As in pprof, a
 * location whose mapping_id names no mapping has no mapping, while a sample naming no location
 * and a line naming no function (or function 0) are errors; a second time_nanos after a
 * nonzero one means concatenated profiles.
 *
 * Deliberate divergences:
 *   - Messages are ours, naming the element and the offending id or index; where CheckValid
 *     has a wording, we keep it ("found mapping with reserved ID=0").
 *   - pprof falls back to legacy text formats when the protobuf does not parse; we report
 *     "not a pprof profile (...)" with the first wire problem in file order.
 *   - A field numbered 0, which pprof's decoder skips, is refused (protobuf-c refuses it).
 *   - Strings are bytes: any length, NULs kept (pk_str has a length).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "profile/wire.h"
#include "profile.pb-c.h"

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__Mapping pb_mapping;
typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Function pb_function;
typedef Perftools__Profiles__ValueType pb_valtype;

/* The id lookup reads the id at the start of each model element. */
_Static_assert(offsetof(pk_mapping, id) == 0, "pk_mapping starts with its id");
_Static_assert(offsetof(pk_function, id) == 0, "pk_function starts with its id");
_Static_assert(offsetof(pk_location, id) == 0, "pk_location starts with its id");

/* ---- protobuf-c allocator over the scratch arena ---------------------------------------- */

typedef struct scratch {
	pk_arena *arena;
	bool oom;
} scratch;

static void *scratch_alloc(void *data, size_t n)
{
	scratch *s = data;
	void *p = pk_arena_alloc(s->arena, n);
	if (!p)
		s->oom = true;
	return p;
}

static void scratch_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

/* ---- samples, straight from the wire ---------------------------------------------------- */
/* Samples are most of a big profile. protobuf-c would give each one a struct, a 64-bit id
 * array and a struct per label (about five times the input in scratch memory), so the top
 * level is split here: every other field goes to protobuf-c, and the samples are checked and
 * decoded by hand, straight into the model's arrays. The wire rules are protobuf-c's. */

/* Number of varints in a packed run; false when one is cut or over 10 bytes. Eight bytes at a
 * time: a varint ends at each byte whose top bit is clear; run counts the continuation bytes
 * since the last end. */
static bool count_packed(const uint8_t *p, size_t n, size_t *count)
{
	const uint64_t top = 0x8080808080808080u;
	size_t c = 0, i = 0;
	unsigned run = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, sizeof w);
		uint64_t ends = (~w & top) >> 7; /* 1 in each byte that ends a varint */
		c += (size_t)((ends * 0x0101010101010101u) >> 56);
		/* bit k: byte k (in memory order) continues a varint */
		unsigned m = (unsigned)((((w & top) >> 7) * 0x0102040810204080u) >> 56);
		if (m == 0xff) {
			if ((run += 8) >= 10)
				return false;
			continue;
		}
		if (run + (unsigned)__builtin_ctz(~m) >= 10)
			return false;
		run = (unsigned)__builtin_clz((~m & 0xffu) << 24);
	}
	for (; i < n; i++) {
		if (p[i] & 0x80) {
			if (++run == 10)
				return false;
		} else {
			c++;
			run = 0;
		}
	}
	*count = c;
	return run == 0;
}

/* Checks one Label message: its four fields are varints. */
static bool check_label(const uint8_t *p, const uint8_t *end)
{
	while (p < end) {
		pk_wire_field f;
		if (!pk_wire_field_next(&p, end, &f) ||
		    (f.num <= LABEL_MAX_FIELD && f.wt != PK_WT_VARINT))
			return false;
	}
	return true;
}

/* Checks one Sample message and adds its location ids and labels to the counts. */
static bool check_sample(const uint8_t *p, const uint8_t *end, size_t *n_locs, size_t *n_labels)
{
	size_t locs = 0, labels = 0, c;
	while (p < end) {
		pk_wire_field f;
		if (!pk_wire_field_next(&p, end, &f))
			return false;
		if (f.num == SAMPLE_LOCATION_ID || f.num == SAMPLE_VALUE) {
			if (f.wt == PK_WT_VARINT)
				c = 1;
			else if (f.wt != PK_WT_LEN || !count_packed(f.p, f.n, &c))
				return false;
			if (f.num == SAMPLE_LOCATION_ID)
				locs += c;
		} else if (f.num == SAMPLE_LABEL) {
			if (f.wt != PK_WT_LEN || !check_label(f.p, f.p + f.n))
				return false;
			labels++;
		}
	}
	*n_locs += locs;
	*n_labels += labels;
	return locs <= UINT32_MAX && labels <= UINT32_MAX;
}

enum { SPLIT_OK, SPLIT_BAD, SPLIT_CONCAT };

/* One walk over the top level: copies every field but the samples to rest, checks each
 * sample's wire format and counts the samples and what the model's arrays need for them.
 * pprof refuses a second time_nanos once one was set (errConcatProfile): that is how it
 * notices two profiles written one after the other; it is reported before a bad sample. */
static int split(const uint8_t *data, size_t len, uint8_t *rest, size_t *rest_len,
                 size_t *n_samples, size_t *n_locs, size_t *n_labels)
{
	const uint8_t *p = data, *end = data + len;
	uint64_t time = 0;
	size_t r = 0, n = 0;
	bool samples_ok = true;
	while (p < end) {
		const uint8_t *at = p;
		pk_wire_field f;
		if (!pk_wire_field_next(&p, end, &f))
			return SPLIT_BAD;
		if (f.num == PROFILE_SAMPLE) {
			if (f.wt != PK_WT_LEN)
				return SPLIT_BAD;
			if (samples_ok)
				samples_ok = check_sample(f.p, f.p + f.n, n_locs, n_labels);
			n++;
			continue;
		}
		if (f.num > PROFILE_MAX_FIELD)
			continue; /* unknown: skipped, as pprof's decoder skips it, and not copied
			           */
		if (f.num == PROFILE_TIME_NANOS && f.wt == PK_WT_VARINT) {
			if (time != 0)
				return SPLIT_CONCAT;
			time = f.v;
		}
		memcpy(rest + r, at, (size_t)(p - at));
		r += (size_t)(p - at);
	}
	*rest_len = r;
	*n_samples = n;
	return samples_ok ? SPLIT_OK : SPLIT_BAD;
}

/* The next varint of bytes that split() checked: every varint there ends within its message
 * or packed run and within 10 bytes, so no byte is tested against the end. */
static inline uint64_t checked_varint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t x = p[0];
	if (x < 0x80) {
		*pp = p + 1;
		return x;
	}
	uint64_t b = p[1];
	x = (x & 0x7f) | (b & 0x7f) << 7;
	if (b < 0x80) {
		*pp = p + 2;
		return x;
	}
	b = p[2];
	x |= (b & 0x7f) << 14;
	if (b < 0x80) {
		*pp = p + 3;
		return x;
	}
	for (unsigned i = 3;; i++) {
		b = p[i];
		x |= (b & 0x7f) << (7 * i);
		if (b < 0x80) {
			*pp = p + i + 1;
			return x;
		}
	}
}

/* The next field of a message that split() checked whole (see checked_varint). */
static inline void checked_field(const uint8_t **pp, pk_wire_field *f)
{
	uint64_t tag = checked_varint(pp);
	f->v = 0;
	f->p = NULL;
	f->n = 0;
	f->num = tag >> 3;
	f->wt = tag & 7;
	switch (f->wt) {
	case PK_WT_VARINT:
		f->v = checked_varint(pp);
		return;
	case PK_WT_LEN:
		f->n = (size_t)checked_varint(pp);
		f->p = *pp;
		*pp += f->n;
		return;
	default: /* split() lets no other wire type through */
		*pp += f->wt == PK_WT_I64 ? 8 : 4;
		return;
	}
}

/* The payload of the next top-level sample field at or after *pp (already checked). */
static void next_sample(const uint8_t **pp, pk_wire_field *f)
{
	do
		checked_field(pp, f);
	while (f->num != PROFILE_SAMPLE);
}

/* ---- id lookup -------------------------------------------------------------------------- */

typedef struct idindex {
	uint32_t *dense; /* ids 1 .. n_dense-1; dense[0] stays PK_NONE */
	size_t n_dense;
	pk_hash big; /* larger ids, when there are any */
	bool has_big;
	const unsigned char *base; /* the model array, whose elements start with their id */
	size_t stride;
} idindex;

static bool id_eq(const void *ctx, uint32_t idx, const void *key)
{
	const idindex *x = ctx;
	uint64_t id;
	memcpy(&id, x->base + (size_t)idx * x->stride, sizeof id);
	return id == *(const uint64_t *)key;
}

static bool id_init(idindex *x, pk_arena *scratch, const void *base, size_t stride, size_t n)
{
	memset(x, 0, sizeof *x);
	x->base = base;
	x->stride = stride;
	x->n_dense = n + 1;
	x->dense = pk_arena_alloc(scratch, x->n_dense * sizeof *x->dense);
	if (!x->dense)
		return false;
	memset(x->dense, 0xff, x->n_dense * sizeof *x->dense);
	return true;
}

static void id_destroy(idindex *x)
{
	if (x->has_big)
		pk_hash_destroy(&x->big);
}

/* Records id -> idx (id != 0). Returns 0, 1 when id was already there, -1 when out of memory. */
static int id_add(idindex *x, uint64_t id, uint32_t idx, size_t expect)
{
	if (id < x->n_dense) {
		if (x->dense[id] != PK_NONE)
			return 1;
		x->dense[id] = idx;
		return 0;
	}
	if (!x->has_big) {
		if (!pk_hash_init(&x->big, expect))
			return -1;
		x->has_big = true;
	}
	bool found;
	uint32_t r = pk_hash_intern(&x->big, pk_hash_mix(0, id), id_eq, x, &id, idx, &found);
	if (r == PK_NONE)
		return -1;
	return found ? 1 : 0;
}

static inline uint32_t id_find(const idindex *x, uint64_t id)
{
	if (id < x->n_dense)
		return x->dense[id];
	if (!x->has_big)
		return PK_NONE;
	return pk_hash_find(&x->big, pk_hash_mix(0, id), id_eq, x, &id);
}

/* ---- the decoder ------------------------------------------------------------------------ */

typedef struct dec {
	pk_ctx *ctx;
	const char *name;
	const pb_profile *m;
	pk_profile *p;
	pk_arena *scratch;
	pk_sid *sid; /* file string index -> interned id (scratch) */
	size_t n_str;
	/* CheckValid's findings, reported after every string index was checked. */
	char err_sample[200], err_mapping[200], err_function[200], err_location[200];
	bool release; /* the input is the caller's to drop: pages decoded are given back */
} dec;

/* Samples are decoded in file order and are the bulk of a profile, the input is read no more
 * once they are: with release, the pages decoded go back to the kernel (pk_release_pages), so
 * that the input and the model it becomes are not both held whole. */
static void release_upto(const dec *d, const uint8_t *data, size_t *done, size_t upto)
{
	if (d->release)
		pk_release_pages(data, done, upto);
}

static pk_status str_fail(dec *d, int64_t idx, const char *fmt, ...) PK_PRINTF(3, 4);
static pk_status str_fail(dec *d, int64_t idx, const char *fmt, ...)
{
	char what[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return pk_fail(d->ctx, PK_EFORMAT,
	               "%s: %s: string index %" PRId64
	               " out of range (string table has %zu entries)",
	               d->name, what, idx, d->n_str);
}

/* The interned id of file string index i, or PK_NONE when out of range. */
static inline pk_sid sid_of(const dec *d, int64_t i)
{
	return (uint64_t)i < d->n_str ? d->sid[i] : PK_NONE;
}

#define NOTE(buf, ...)                                                                             \
	do {                                                                                       \
		if (!(buf)[0])                                                                     \
			snprintf((buf), sizeof(buf), __VA_ARGS__);                                 \
	} while (0)

/* Uninitialised array of n elements of size sz; NULL on overflow or out of memory. */
static void *alloc_array(pk_arena *a, size_t n, size_t sz)
{
	size_t bytes;
	return pk_mul_ok(n, sz, &bytes) ? pk_arena_alloc(a, bytes) : NULL;
}

static pk_status too_many(dec *d, const char *what, size_t n)
{
	return pk_fail(d->ctx, PK_ELIMIT, "%s: too many %s (%zu)", d->name, what, n);
}

static pk_status strings(dec *d)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if (m->n_string_table == 0)
		return pk_fail(d->ctx, PK_EFORMAT, "%s: not a pprof profile (no string table)",
		               d->name);
	if (m->string_table[0].len != 0)
		return pk_fail(d->ctx, PK_EFORMAT, "%s: string_table[0] must be ''", d->name);
	if (m->n_string_table >= UINT32_MAX)
		return too_many(d, "strings", m->n_string_table);
	d->n_str = m->n_string_table;
	d->sid = pk_arena_calloc(d->scratch, d->n_str, sizeof *d->sid);
	if (!d->sid)
		return pk_oom(d->ctx);
	/* The table of a new profile holds only "": size it for the file at once. */
	if (d->n_str > 16 && p->strs.n == 1) {
		pk_strtab_destroy(&p->strs);
		if (!pk_strtab_init(&p->strs, p->arena, d->n_str))
			return pk_oom(d->ctx);
	}
	for (size_t i = 0; i < d->n_str; i++) {
		const ProtobufCBinaryData *s = &m->string_table[i];
		if (s->len > UINT32_MAX)
			return pk_fail(d->ctx, PK_ELIMIT, "%s: string_table[%zu] is %zu bytes long",
			               d->name, i, s->len);
		/* protobuf-c leaves data NULL for an empty string. */
		const char *bytes = s->len ? (const char *)s->data : "";
		d->sid[i] = pk_strtab_intern(&p->strs, bytes, s->len);
		if (d->sid[i] == PK_NONE)
			return pk_oom(d->ctx);
	}
	return PK_OK;
}

static pk_status mappings(dec *d, idindex *ix, pk_arena *scratch)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if (m->n_mapping >= UINT32_MAX)
		return too_many(d, "mappings", m->n_mapping);
	p->n_mappings = (uint32_t)m->n_mapping;
	p->mappings = pk_arena_calloc(p->arena, m->n_mapping, sizeof *p->mappings);
	if (!p->mappings || !id_init(ix, scratch, p->mappings, sizeof *p->mappings, m->n_mapping))
		return pk_oom(d->ctx);
	for (size_t i = 0; i < m->n_mapping; i++) {
		const pb_mapping *in = m->mapping[i];
		pk_mapping *o = &p->mappings[i];
		o->id = in->id;
		o->start = in->memory_start;
		o->limit = in->memory_limit;
		o->offset = in->file_offset;
		if ((o->file = sid_of(d, in->filename)) == PK_NONE)
			return str_fail(d, in->filename, "mapping %" PRIu64 ": filename", in->id);
		if ((o->build_id = sid_of(d, in->build_id)) == PK_NONE)
			return str_fail(d, in->build_id, "mapping %" PRIu64 ": build_id", in->id);
		o->has_functions = in->has_functions;
		o->has_filenames = in->has_filenames;
		o->has_line_numbers = in->has_line_numbers;
		o->has_inline_frames = in->has_inline_frames;
		if (in->id == 0) {
			NOTE(d->err_mapping, "found mapping with reserved ID=0");
			continue;
		}
		int r = id_add(ix, in->id, (uint32_t)i, m->n_mapping);
		if (r < 0)
			return pk_oom(d->ctx);
		if (r > 0)
			NOTE(d->err_mapping, "multiple mappings with same id: %" PRIu64, in->id);
	}
	return PK_OK;
}

static pk_status functions(dec *d, idindex *ix, pk_arena *scratch)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if (m->n_function >= UINT32_MAX)
		return too_many(d, "functions", m->n_function);
	p->n_functions = (uint32_t)m->n_function;
	p->functions = pk_arena_calloc(p->arena, m->n_function, sizeof *p->functions);
	if (!p->functions ||
	    !id_init(ix, scratch, p->functions, sizeof *p->functions, m->n_function))
		return pk_oom(d->ctx);
	for (size_t i = 0; i < m->n_function; i++) {
		const pb_function *in = m->function[i];
		pk_function *o = &p->functions[i];
		o->id = in->id;
		if ((o->name = sid_of(d, in->name)) == PK_NONE)
			return str_fail(d, in->name, "function %" PRIu64 ": name", in->id);
		if ((o->system_name = sid_of(d, in->system_name)) == PK_NONE)
			return str_fail(d, in->system_name, "function %" PRIu64 ": system_name",
			                in->id);
		if ((o->filename = sid_of(d, in->filename)) == PK_NONE)
			return str_fail(d, in->filename, "function %" PRIu64 ": filename", in->id);
		o->start_line = in->start_line;
		if (in->id == 0) {
			NOTE(d->err_function, "found function with reserved ID=0");
			continue;
		}
		int r = id_add(ix, in->id, (uint32_t)i, m->n_function);
		if (r < 0)
			return pk_oom(d->ctx);
		if (r > 0)
			NOTE(d->err_function, "multiple functions with same id: %" PRIu64, in->id);
	}
	return PK_OK;
}

static pk_status locations(dec *d, idindex *ix, const idindex *maps, const idindex *funcs,
                           pk_arena *scratch)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if (m->n_location >= UINT32_MAX)
		return too_many(d, "locations", m->n_location);
	size_t n_lines = 0;
	for (size_t i = 0; i < m->n_location; i++) {
		size_t n = m->location[i]->n_line;
		if (n > UINT32_MAX || __builtin_add_overflow(n_lines, n, &n_lines))
			return pk_fail(d->ctx, PK_ELIMIT,
			               "%s: location %" PRIu64 " has too many lines", d->name,
			               m->location[i]->id);
	}
	p->n_locations = (uint32_t)m->n_location;
	p->locations = pk_arena_calloc(p->arena, m->n_location, sizeof *p->locations);
	p->n_lines = n_lines;
	p->lines = pk_arena_calloc(p->arena, n_lines, sizeof *p->lines);
	if (!p->locations || !p->lines ||
	    !id_init(ix, scratch, p->locations, sizeof *p->locations, m->n_location))
		return pk_oom(d->ctx);
	size_t at = 0;
	for (size_t i = 0; i < m->n_location; i++) {
		const pb_location *in = m->location[i];
		pk_location *o = &p->locations[i];
		o->id = in->id;
		o->address = in->address;
		o->is_folded = in->is_folded;
		/* An unknown mapping id leaves the location without a mapping, as in pprof. */
		o->mapping = in->mapping_id ? id_find(maps, in->mapping_id) : PK_NONE;
		o->line_start = at;
		o->n_lines = (uint32_t)in->n_line;
		if (in->id == 0) {
			NOTE(d->err_location, "found location with reserved id=0");
		} else {
			int r = id_add(ix, in->id, (uint32_t)i, m->n_location);
			if (r < 0)
				return pk_oom(d->ctx);
			if (r > 0)
				NOTE(d->err_location, "multiple locations with same id: %" PRIu64,
				     in->id);
		}
		for (size_t j = 0; j < in->n_line; j++, at++) {
			uint64_t fid = in->line[j]->function_id;
			pk_line *l = &p->lines[at];
			l->line = in->line[j]->line;
			l->function = fid ? id_find(funcs, fid) : PK_NONE;
			if (l->function != PK_NONE)
				continue;
			if (fid)
				NOTE(d->err_location,
				     "location %" PRIu64 " refers to unknown function id %" PRIu64,
				     in->id, fid);
			else
				NOTE(d->err_location,
				     "location %" PRIu64
				     " has a line with no function (function_id 0)",
				     in->id);
		}
	}
	return PK_OK;
}

static pk_status sample_types(dec *d)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if (m->n_sample_type >= UINT32_MAX)
		return too_many(d, "sample types", m->n_sample_type);
	p->n_sample_types = (uint32_t)m->n_sample_type;
	p->sample_types = pk_arena_calloc(p->arena, m->n_sample_type, sizeof *p->sample_types);
	if (!p->sample_types)
		return pk_oom(d->ctx);
	for (size_t i = 0; i < m->n_sample_type; i++) {
		const pb_valtype *in = m->sample_type[i];
		if ((p->sample_types[i].type = sid_of(d, in->type)) == PK_NONE)
			return str_fail(d, in->type, "sample_type[%zu]: type", i);
		if ((p->sample_types[i].unit = sid_of(d, in->unit)) == PK_NONE)
			return str_fail(d, in->unit, "sample_type[%zu]: unit", i);
	}
	return PK_OK;
}

static pk_status label(dec *d, size_t i, const uint8_t *p, const uint8_t *end, pk_label **out)
{
	int64_t key = 0, str = 0, num = 0, unit = 0;
	pk_label l = {0};
	pk_wire_field f;
	while (p < end) {
		checked_field(&p, &f);
		if (f.num == LABEL_KEY)
			key = (int64_t)f.v;
		else if (f.num == LABEL_STR)
			str = (int64_t)f.v;
		else if (f.num == LABEL_NUM)
			num = (int64_t)f.v;
		else if (f.num == LABEL_NUM_UNIT)
			unit = (int64_t)f.v;
	}
	if ((l.key = sid_of(d, key)) == PK_NONE)
		return str_fail(d, key, "sample[%zu]: label key", i);
	/* postDecode's rule: a string value wins; else a number or a unit makes a numeric label;
	 * a label with neither is dropped. */
	if (str != 0) {
		if ((l.str = sid_of(d, str)) == PK_NONE)
			return str_fail(d, str, "sample[%zu]: label str", i);
	} else if (num != 0 || unit != 0) {
		l.is_num = true;
		l.num = num;
		if ((l.unit = sid_of(d, unit)) == PK_NONE)
			return str_fail(d, unit, "sample[%zu]: label num_unit", i);
	} else {
		return PK_OK;
	}
	*(*out)++ = l;
	return PK_OK;
}

static __attribute__((noinline)) void unknown_loc(dec *d, size_t i, uint64_t id)
{
	NOTE(d->err_sample, "sample[%zu] refers to unknown location id %" PRIu64, i, id);
}

/* The location index of location id of sample i (PK_NONE, noted, when there is none). Returned,
 * not stored through a pointer, so that the caller's output pointer stays in a register. */
static inline uint32_t sample_loc(dec *d, const idindex *locs, size_t i, uint64_t id)
{
	uint32_t li = id < locs->n_dense ? locs->dense[id] : id_find(locs, id);
	if (li == PK_NONE)
		unknown_loc(d, i, id);
	return li;
}

/* Decodes the n samples of data (checked by split) into the model. */
static pk_status samples(dec *d, const idindex *locs, const uint8_t *data, size_t len, size_t n,
                         size_t n_locs, size_t n_labels)
{
	pk_profile *p = d->p;
	size_t nst = p->n_sample_types, n_values;
	pk_status st;
	if (!pk_mul_ok(n, nst, &n_values) || !pk_mul_ok(n_values, sizeof(int64_t), &n_values))
		return pk_fail(d->ctx, PK_ELIMIT,
		               "%s: too many sample values (%zu samples x %zu types)", d->name, n,
		               nst);
	p->n_samples = n;
	/* The three big arrays have no padding and every element is written below (or the
	 * decode fails): skip zeroing them. Labels are written whole (from a zeroed pk_label)
	 * up to p->n_labels, the slots of dropped labels past it are never read: no zeroing
	 * either. */
	p->samples = alloc_array(p->arena, n, sizeof *p->samples);
	p->values = alloc_array(p->arena, n, nst * sizeof *p->values);
	p->sample_locs = alloc_array(p->arena, n_locs, sizeof *p->sample_locs);
	p->labels = alloc_array(p->arena, n_labels, sizeof *p->labels);
	if (!p->samples || !p->values || !p->sample_locs || !p->labels)
		return pk_oom(d->ctx);
	p->n_sample_locs = n_locs;

	const uint8_t *top = data;
	uint32_t *loc_out = p->sample_locs;
	pk_label *lab_out = p->labels;
	size_t released = 0, ahead[4] = {0};
	for (size_t i = 0; i < n; i++) {
		pk_wire_field s, f;
		pk_progress_items(d->ctx, "decoding samples", i, n);
		release_upto(d, data, &released, (size_t)(top - data));
		/* The four arrays are mapped a step ahead of the writing, as the input goes. */
		pk_prefault_ahead(p->samples, n * sizeof *p->samples, &ahead[0],
		                  i * sizeof *p->samples);
		pk_prefault_ahead(p->values, n * nst * sizeof *p->values, &ahead[1],
		                  i * nst * sizeof *p->values);
		pk_prefault_ahead(p->sample_locs, n_locs * sizeof *p->sample_locs, &ahead[2],
		                  (size_t)(loc_out - p->sample_locs) * sizeof *p->sample_locs);
		pk_prefault_ahead(p->labels, n_labels * sizeof *p->labels, &ahead[3],
		                  (size_t)(lab_out - p->labels) * sizeof *p->labels);
		next_sample(&top, &s);
		const uint8_t *q = s.p, *end = s.p + s.n;
		pk_sample *o = &p->samples[i];
		int64_t *vals = p->values + i * nst;
		size_t nv = 0;
		o->loc_start = (size_t)(loc_out - p->sample_locs);
		o->label_start = (size_t)(lab_out - p->labels);
		while (q < end) {
			checked_field(&q, &f);
			if (f.num == SAMPLE_LOCATION_ID && f.wt == PK_WT_VARINT) {
				*loc_out++ = sample_loc(d, locs, i, f.v);
			} else if (f.num == SAMPLE_LOCATION_ID) {
				/* Most of a profile's bytes: the output pointer in a register. */
				const uint8_t *r = f.p, *r_end = f.p + f.n;
				uint32_t *o = loc_out;
				while (r < r_end)
					*o++ = sample_loc(d, locs, i, checked_varint(&r));
				loc_out = o;
			} else if (f.num == SAMPLE_VALUE && f.wt == PK_WT_VARINT) {
				if (nv < nst)
					vals[nv] = (int64_t)f.v;
				nv++;
			} else if (f.num == SAMPLE_VALUE) {
				const uint8_t *r = f.p, *r_end = f.p + f.n;
				uint64_t v;
				while (r < r_end && pk_wire_varint(&r, r_end, &v) == PK_WIRE_OK) {
					if (nv < nst)
						vals[nv] = (int64_t)v;
					nv++;
				}
			} else if (f.num == SAMPLE_LABEL) {
				if ((st = label(d, i, f.p, f.p + f.n, &lab_out)))
					return st;
			}
		}
		o->n_locs = (uint32_t)((size_t)(loc_out - p->sample_locs) - o->loc_start);
		o->n_labels = (uint32_t)((size_t)(lab_out - p->labels) - o->label_start);
		if (nv != nst)
			NOTE(d->err_sample, "mismatch: sample[%zu] has %zu values vs. %zu types", i,
			     nv, nst);
	}
	p->n_labels = (size_t)(lab_out - p->labels);
	/* CheckValid looks at the sample values first; postDecode ran before it. */
	if (nst == 0 && n != 0)
		snprintf(d->err_sample, sizeof d->err_sample, "missing sample type information");
	return PK_OK;
}

static pk_status scalars(dec *d)
{
	const pb_profile *m = d->m;
	pk_profile *p = d->p;
	if ((p->drop_frames = sid_of(d, m->drop_frames)) == PK_NONE)
		return str_fail(d, m->drop_frames, "drop_frames");
	if ((p->keep_frames = sid_of(d, m->keep_frames)) == PK_NONE)
		return str_fail(d, m->keep_frames, "keep_frames");
	p->period_type = (pk_valtype){0, 0};
	if (m->period_type) {
		if ((p->period_type.type = sid_of(d, m->period_type->type)) == PK_NONE)
			return str_fail(d, m->period_type->type, "period_type: type");
		if ((p->period_type.unit = sid_of(d, m->period_type->unit)) == PK_NONE)
			return str_fail(d, m->period_type->unit, "period_type: unit");
	}
	if (m->n_comment >= UINT32_MAX)
		return too_many(d, "comments", m->n_comment);
	p->n_comments = (uint32_t)m->n_comment;
	p->comments = pk_arena_calloc(p->arena, m->n_comment, sizeof *p->comments);
	if (!p->comments)
		return pk_oom(d->ctx);
	for (size_t i = 0; i < m->n_comment; i++)
		if ((p->comments[i] = sid_of(d, m->comment[i])) == PK_NONE)
			return str_fail(d, m->comment[i], "comment[%zu]", i);
	if ((p->default_sample_type = sid_of(d, m->default_sample_type)) == PK_NONE)
		return str_fail(d, m->default_sample_type, "default_sample_type");
	p->time_nanos = m->time_nanos;
	p->duration_nanos = m->duration_nanos;
	p->period = m->period;
	return PK_OK;
}

static pk_status decode(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                        const char *name, bool release)
{
	pk_status st = PK_OK;
	scratch sc = {pk_arena_new(), false};
	ProtobufCAllocator alloc = {scratch_alloc, scratch_free, &sc};
	idindex maps = {0}, funcs = {0}, locs = {0};
	dec d = {.ctx = ctx, .name = name, .scratch = sc.arena, .release = release};
	pk_profile *p = NULL;
	uint8_t *rest = NULL;
	size_t rest_len = 0, n_samples = 0, n_locs = 0, n_labels = 0;
	char why[160];
	int sp;

	*out = NULL;
	if (!sc.arena) {
		st = pk_oom(ctx);
		goto done;
	}
	if (len == 0) {
		st = pk_fail(ctx, PK_EFORMAT, "%s: empty input file", name);
		goto done;
	}
	/* Pages of rest are touched only as far as it is written. */
	if (!(rest = pk_arena_alloc(sc.arena, len))) {
		st = pk_oom(ctx);
		goto done;
	}
	sp = split(data, len, rest, &rest_len, &n_samples, &n_locs, &n_labels);
	if (sp == SPLIT_CONCAT) {
		st = pk_fail(ctx, PK_EFORMAT, "%s: concatenated profiles detected", name);
		goto done;
	}
	/* protobuf-c lets some wire types pass where pprof insists (a bool sent as bytes): the
	 * schema walk holds the rest to pprof's rules first. */
	if (sp == SPLIT_OK && pk_wire_check(rest, rest_len, why, sizeof why))
		d.m = perftools__profiles__profile__unpack(&alloc, rest_len, rest);
	if (!d.m) {
		st = sc.oom ? pk_oom(ctx) : pk_wire_not_a_profile(ctx, name, data, len);
		goto done;
	}
	if (d.m->n_string_table == 0 && pk_wire_looks_like_text(data, len)) {
		st = pk_wire_not_a_profile(ctx, name, data, len);
		goto done;
	}
	if (!(p = d.p = pk_profile_new_empty()) ||
	    !(p->name = pk_arena_strndup(p->arena, name, strlen(name)))) {
		st = pk_oom(ctx);
		goto done;
	}
	if ((st = strings(&d)) || (st = mappings(&d, &maps, sc.arena)) ||
	    (st = functions(&d, &funcs, sc.arena)) ||
	    (st = locations(&d, &locs, &maps, &funcs, sc.arena)) || (st = sample_types(&d)) ||
	    (st = samples(&d, &locs, data, len, n_samples, n_locs, n_labels)) || (st = scalars(&d)))
		goto done;
	const char *bad = d.err_sample[0]     ? d.err_sample
	                  : d.err_mapping[0]  ? d.err_mapping
	                  : d.err_function[0] ? d.err_function
	                                      : d.err_location;
	if (bad[0]) {
		st = pk_fail(ctx, PK_EFORMAT, "%s: %s", name, bad);
		goto done;
	}
	*out = p;
	p = NULL;
done:
	if (st == PK_ENOMEM) /* name the input, as every other failure here does */
		pk_fail(ctx, PK_ENOMEM, "%s: out of memory decoding %zu bytes", name, len);
	id_destroy(&maps);
	id_destroy(&funcs);
	id_destroy(&locs);
	pk_profile_free(p);
	pk_arena_free(sc.arena);
	return st;
}

pk_status pk_decode(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                    const char *name)
{
	return decode(ctx, out, data, len, name, false);
}

pk_status pk_decode_release(pk_ctx *ctx, pk_profile **out, uint8_t *data, size_t len,
                            const char *name)
{
	return decode(ctx, out, data, len, name, true);
}
