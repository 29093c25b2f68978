/* encode.c - a pk_profile to profile.proto bytes, and to a gzipped stream on a pk_writer.
 *
 * Mirrors profile/encode.go (preEncode and the encode methods), profile/proto.go (the wire
 * writer) and profile/profile.go (Write, serialize). The output is byte for byte what pprof's
 * marshal produces for the same profile: the string table is numbered in preEncode's order
 * ("" first, then sample types, labels, mappings, functions, drop/keep frames, period type,
 * comments, default sample type); each sample's string labels come first, stably sorted by key,
 * then its numeric labels, stably sorted by key; repeated numbers are packed only when there are
 * more than two; zero scalars are left out except default_sample_type; period_type only when
 * its type or unit is set. The model's ids are written as they are.
 *
 * Deliberate divergences: the wire format is written here directly rather than through
 * protobuf-c, whose encoder cannot reproduce pprof's packing rule (and would first need the
 * whole profile copied into protobuf-c structs). The gzip stream comes from zlib, not Go's
 * compress/gzip, so compressed bytes differ; the header carries Go's fields (no name, mtime 0,
 * OS "unknown") and the inflated bytes are the same.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile/wire.h"
#include "profile/inflate_fast.h"

#define GZ_CHUNK ((size_t)256 << 10)

typedef struct enc {
	uint8_t *b;
	size_t n, cap;
	bool oom;
} enc;

static bool reserve(enc *e, size_t extra)
{
	if (e->oom)
		return false;
	if (e->cap - e->n >= extra)
		return true;
	if (extra > SIZE_MAX - e->n || !pk_grow((void **)&e->b, &e->cap, e->n + extra, 1))
		e->oom = true;
	return !e->oom;
}

static inline void varint(enc *e, uint64_t v)
{
	if (e->cap - e->n >= 10 || reserve(e, 10))
		e->n += pk_wire_put_varint(e->b + e->n, v);
}

static void u64(enc *e, int tag, uint64_t v)
{
	varint(e, (uint64_t)tag << 3);
	varint(e, v);
}

static void u64_opt(enc *e, int tag, uint64_t v)
{
	if (v)
		u64(e, tag, v);
}

static void i64_opt(enc *e, int tag, int64_t v)
{
	u64_opt(e, tag, (uint64_t)v);
}

static void bool_opt(enc *e, int tag, bool v)
{
	if (v)
		u64(e, tag, 1);
}

/* Messages and packed runs are written body first; end_len then slides the body along to put
 * the tag and length in front, as proto.go does. */
static size_t begin_len(const enc *e)
{
	return e->n;
}

static void end_len(enc *e, int tag, size_t start)
{
	uint8_t hdr[20];
	size_t len = e->n - start, h;
	h = pk_wire_put_varint(hdr, (uint64_t)tag << 3 | PK_WT_LEN);
	h += pk_wire_put_varint(hdr + h, len);
	if (!reserve(e, h))
		return;
	memmove(e->b + start + h, e->b + start, len);
	memcpy(e->b + start, hdr, h);
	e->n += h;
}

/* encodeInt64s: packed when more than two, else one field each (encodeUint64s, for location
 * ids, is written inline in pk_encode). */
static void i64s(enc *e, int tag, const int64_t *v, size_t n)
{
	if (n > 2) {
		size_t at = begin_len(e);
		for (size_t i = 0; i < n; i++)
			varint(e, (uint64_t)v[i]);
		end_len(e, tag, at);
		return;
	}
	for (size_t i = 0; i < n; i++)
		u64(e, tag, (uint64_t)v[i]);
}

/* preEncode's string table: file index of each interned id, numbered on first use. */
typedef struct strmap {
	uint32_t *idx; /* sid -> file index, PK_NONE when unused */
	pk_sid *order; /* file index -> sid */
	uint32_t n;
} strmap;

static int64_t add_string(strmap *m, pk_sid s)
{
	if (m->idx[s] == PK_NONE) {
		m->idx[s] = m->n;
		m->order[m->n++] = s;
	}
	return m->idx[s];
}

/* Labels of one sample in pprof's written order: string labels by key, then numeric ones. */
static size_t order_labels(const pk_profile *p, const pk_sample *s, const pk_label **out)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t first = n;
		for (uint32_t j = 0; j < s->n_labels; j++) {
			const pk_label *l = &p->labels[s->label_start + j];
			if (l->is_num != (pass == 1))
				continue;
			/* Insertion keeps equal keys in model order: a stable sort. */
			size_t k = n++;
			while (k > first &&
			       pk_str_cmp(pk_s(p, out[k - 1]->key), pk_s(p, l->key)) > 0) {
				out[k] = out[k - 1];
				k--;
			}
			out[k] = l;
		}
	}
	return n;
}

static uint64_t loc_mapping_id(const pk_profile *p, const pk_location *l)
{
	return l->mapping == PK_NONE ? 0 : p->mappings[l->mapping].id;
}

pk_status pk_encode(pk_ctx *ctx, const pk_profile *p, uint8_t **out, size_t *out_len)
{
	pk_status st = PK_OK;
	enc e = {0};
	strmap sm = {0};
	const pk_label **lab = NULL;
	int64_t *key_x = NULL; /* per sample: string indices of each ordered label's parts */
	int64_t *st_x = NULL, *com = NULL;
	uint64_t *loc_id = NULL; /* the ids of the locations, dense for the sample loop */
	uint32_t max_labels = 0;

	*out = NULL;
	*out_len = 0;
	sm.idx = pk_malloc((size_t)p->strs.n * sizeof *sm.idx);
	sm.order = pk_malloc((size_t)p->strs.n * sizeof *sm.order);
	for (size_t i = 0; i < p->n_samples; i++)
		if (p->samples[i].n_labels > max_labels)
			max_labels = p->samples[i].n_labels;
	lab = pk_malloc(((size_t)max_labels + 1) * sizeof *lab);
	key_x = pk_malloc(((size_t)max_labels + 1) * 3 * sizeof *key_x);
	st_x = pk_malloc(((size_t)p->n_sample_types + 1) * 2 * sizeof *st_x);
	com = pk_malloc(((size_t)p->n_comments + 1) * sizeof *com);
	loc_id = pk_malloc(((size_t)p->n_locations + 1) * sizeof *loc_id);
	if (!sm.idx || !sm.order || !lab || !key_x || !st_x || !com || !loc_id) {
		st = pk_oom(ctx);
		goto done;
	}
	memset(sm.idx, 0xff, (size_t)p->strs.n * sizeof *sm.idx);
	for (uint32_t i = 0; i < p->n_locations; i++)
		loc_id[i] = p->locations[i].id;
	add_string(&sm, 0);

	/* Strings are numbered in preEncode's order while the messages are written: the wire
	 * order (sample types, samples, mappings, locations, functions) is the same as pprof's
	 * numbering order, and locations use no strings. */
	for (uint32_t i = 0; i < p->n_sample_types; i++) {
		st_x[2 * i] = add_string(&sm, p->sample_types[i].type);
		st_x[2 * i + 1] = add_string(&sm, p->sample_types[i].unit);
	}
	for (uint32_t i = 0; i < p->n_sample_types; i++) {
		size_t at = begin_len(&e);
		i64_opt(&e, VALUETYPE_TYPE, st_x[2 * i]);
		i64_opt(&e, VALUETYPE_UNIT, st_x[2 * i + 1]);
		end_len(&e, PROFILE_SAMPLE_TYPE, at);
	}

	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		size_t nl = order_labels(p, s, lab);
		for (size_t j = 0; j < nl; j++) {
			key_x[3 * j] = add_string(&sm, lab[j]->key);
			key_x[3 * j + 1] = lab[j]->is_num ? 0 : add_string(&sm, lab[j]->str);
			key_x[3 * j + 2] = lab[j]->is_num ? add_string(&sm, lab[j]->unit) : 0;
		}
		size_t at = begin_len(&e);
		/* Location ids, leaf first, packed when more than two. */
		if (s->n_locs > 2) {
			size_t pk = begin_len(&e);
			for (uint32_t j = 0; j < s->n_locs; j++)
				varint(&e, loc_id[p->sample_locs[s->loc_start + j]]);
			end_len(&e, SAMPLE_LOCATION_ID, pk);
		} else {
			for (uint32_t j = 0; j < s->n_locs; j++)
				u64(&e, SAMPLE_LOCATION_ID,
				    loc_id[p->sample_locs[s->loc_start + j]]);
		}
		i64s(&e, SAMPLE_VALUE, pk_sample_values(p, i), p->n_sample_types);
		for (size_t j = 0; j < nl; j++) {
			size_t lat = begin_len(&e);
			i64_opt(&e, LABEL_KEY, key_x[3 * j]);
			i64_opt(&e, LABEL_STR, key_x[3 * j + 1]);
			i64_opt(&e, LABEL_NUM, lab[j]->is_num ? lab[j]->num : 0);
			i64_opt(&e, LABEL_NUM_UNIT, key_x[3 * j + 2]);
			end_len(&e, SAMPLE_LABEL, lat);
		}
		end_len(&e, PROFILE_SAMPLE, at);
	}

	for (uint32_t i = 0; i < p->n_mappings; i++) {
		const pk_mapping *m = &p->mappings[i];
		int64_t file = add_string(&sm, m->file), build = add_string(&sm, m->build_id);
		size_t at = begin_len(&e);
		u64_opt(&e, MAPPING_ID, m->id);
		u64_opt(&e, MAPPING_MEMORY_START, m->start);
		u64_opt(&e, MAPPING_MEMORY_LIMIT, m->limit);
		u64_opt(&e, MAPPING_FILE_OFFSET, m->offset);
		i64_opt(&e, MAPPING_FILENAME, file);
		i64_opt(&e, MAPPING_BUILD_ID, build);
		bool_opt(&e, MAPPING_HAS_FUNCTIONS, m->has_functions);
		bool_opt(&e, MAPPING_HAS_FILENAMES, m->has_filenames);
		bool_opt(&e, MAPPING_HAS_LINE_NUMBERS, m->has_line_numbers);
		bool_opt(&e, MAPPING_HAS_INLINE_FRAMES, m->has_inline_frames);
		end_len(&e, PROFILE_MAPPING, at);
	}

	for (uint32_t i = 0; i < p->n_locations; i++) {
		const pk_location *l = &p->locations[i];
		size_t at = begin_len(&e);
		u64_opt(&e, LOCATION_ID, l->id);
		u64_opt(&e, LOCATION_MAPPING_ID, loc_mapping_id(p, l));
		u64_opt(&e, LOCATION_ADDRESS, l->address);
		for (uint32_t j = 0; j < l->n_lines; j++) {
			const pk_line *ln = &p->lines[l->line_start + j];
			size_t lat = begin_len(&e);
			u64_opt(&e, LINE_FUNCTION_ID,
			        ln->function == PK_NONE ? 0 : p->functions[ln->function].id);
			i64_opt(&e, LINE_LINE, ln->line);
			end_len(&e, LOCATION_LINE, lat);
		}
		bool_opt(&e, LOCATION_IS_FOLDED, l->is_folded);
		end_len(&e, PROFILE_LOCATION, at);
	}

	for (uint32_t i = 0; i < p->n_functions; i++) {
		const pk_function *f = &p->functions[i];
		int64_t name = add_string(&sm, f->name), sys = add_string(&sm, f->system_name),
		        file = add_string(&sm, f->filename);
		size_t at = begin_len(&e);
		u64_opt(&e, FUNCTION_ID, f->id);
		i64_opt(&e, FUNCTION_NAME, name);
		i64_opt(&e, FUNCTION_SYSTEM_NAME, sys);
		i64_opt(&e, FUNCTION_FILENAME, file);
		i64_opt(&e, FUNCTION_START_LINE, f->start_line);
		end_len(&e, PROFILE_FUNCTION, at);
	}

	int64_t drop = add_string(&sm, p->drop_frames), keep = add_string(&sm, p->keep_frames);
	int64_t pt_type = add_string(&sm, p->period_type.type);
	int64_t pt_unit = add_string(&sm, p->period_type.unit);
	for (uint32_t i = 0; i < p->n_comments; i++)
		com[i] = add_string(&sm, p->comments[i]);
	int64_t dst = add_string(&sm, p->default_sample_type);

	for (uint32_t i = 0; i < sm.n; i++) {
		pk_str s = pk_s(p, sm.order[i]);
		varint(&e, PROFILE_STRING_TABLE << 3 | PK_WT_LEN);
		varint(&e, s.n);
		if (reserve(&e, s.n)) {
			if (s.n)
				memcpy(e.b + e.n, s.s, s.n);
			e.n += s.n;
		}
	}
	i64_opt(&e, PROFILE_DROP_FRAMES, drop);
	i64_opt(&e, PROFILE_KEEP_FRAMES, keep);
	i64_opt(&e, PROFILE_TIME_NANOS, p->time_nanos);
	i64_opt(&e, PROFILE_DURATION_NANOS, p->duration_nanos);
	if (pt_type || pt_unit) {
		size_t at = begin_len(&e);
		i64_opt(&e, VALUETYPE_TYPE, pt_type);
		i64_opt(&e, VALUETYPE_UNIT, pt_unit);
		end_len(&e, PROFILE_PERIOD_TYPE, at);
	}
	i64_opt(&e, PROFILE_PERIOD, p->period);
	i64s(&e, PROFILE_COMMENT, com, p->n_comments);
	u64(&e, PROFILE_DEFAULT_SAMPLE_TYPE, (uint64_t)dst); /* always written, zero or not */

	if (e.oom) {
		st = pk_oom(ctx);
		goto done;
	}
	*out = e.b;
	*out_len = e.n;
	e.b = NULL;
done:
	pk_free(e.b);
	pk_free(sm.idx);
	pk_free(sm.order);
	pk_free(lab);
	pk_free(key_x);
	pk_free(st_x);
	pk_free(com);
	pk_free(loc_id);
	return st;
}

PK_API pk_status pk_profile_write(pk_ctx *ctx, const pk_profile *p, pk_writer *out)
{
	uint8_t *raw = NULL, *buf = NULL;
	size_t raw_len = 0;
	z_stream z;
	bool z_live = false;
	gz_header hdr;
	pk_status st = pk_encode(ctx, p, &raw, &raw_len);

	if (st != PK_OK)
		return st;
	uint8_t *gz = NULL;
	size_t gz_len = 0;
	if (pk_deflate_fast(raw, raw_len, &gz, &gz_len)) { /* libdeflate, when built with it */
		pk_free(raw);
		raw = NULL;
		for (size_t pos = 0; pos < gz_len && st == PK_OK; pos += GZ_CHUNK) {
			size_t k = gz_len - pos < GZ_CHUNK ? gz_len - pos : GZ_CHUNK;
			if ((st = out->write(out->payload, gz + pos, k)) != PK_OK)
				st =
				    st == PK_ENOMEM ? pk_oom(ctx) : pk_fail(ctx, st, "write error");
		}
		pk_free(gz);
		return st;
	}
	memset(&z, 0, sizeof z);
	memset(&hdr, 0, sizeof hdr);
	hdr.os = 255; /* what Go's compress/gzip writes: unknown */
	if (!(buf = pk_malloc(GZ_CHUNK)) ||
	    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK) {
		st = pk_oom(ctx);
		goto done;
	}
	z_live = true;
	deflateSetHeader(&z, &hdr);
	size_t pos = 0;
	int r;
	do {
		size_t left = raw_len - pos;
		z.next_in = raw + pos;
		z.avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
		uInt before = z.avail_in;
		z.next_out = buf;
		z.avail_out = (uInt)GZ_CHUNK;
		r = deflate(&z, left == z.avail_in ? Z_FINISH : Z_NO_FLUSH);
		pos += before - z.avail_in;
		if (r == Z_STREAM_ERROR) {
			st = pk_fail(ctx, PK_ENOMEM, "compressing profile failed");
			goto done;
		}
		size_t have = GZ_CHUNK - z.avail_out;
		if (have && (st = out->write(out->payload, buf, have)) != PK_OK) {
			st = st == PK_ENOMEM ? pk_oom(ctx) : pk_fail(ctx, st, "write error");
			goto done;
		}
	} while (r != Z_STREAM_END);
done:
	if (z_live)
		deflateEnd(&z);
	pk_free(buf);
	pk_free(raw);
	return st;
}
