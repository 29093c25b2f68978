/* test_decode.c - unit tests of lib/io.c, lib/decode.c and lib/encode.c: real profiles from
 * testdata/profiles decode to the expected tables and round-trip through pk_encode byte for
 * byte; malformed inputs, built here as bytes, fail with the right status and message. */
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h" /* first: pk.h poisons names the system headers declare */

#include "driver/driver.h"

/* ---- a tiny protobuf writer for building inputs ----------------------------------------- */

typedef struct buf {
	uint8_t *b;
	size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->b = realloc(b->b, b->cap);
		if (!b->b)
			abort();
	}
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void varint(buf *b, uint64_t v)
{
	uint8_t t[10];
	size_t n = 0;
	while (v >= 0x80) {
		t[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	t[n++] = (uint8_t)v;
	put(b, t, n);
}

static void num(buf *b, int field, uint64_t v)
{
	varint(b, (uint64_t)field << 3);
	varint(b, v);
}

static void ld(buf *b, int field, const void *p, size_t n)
{
	varint(b, (uint64_t)field << 3 | 2);
	varint(b, n);
	put(b, p, n);
}

static void ldb(buf *b, int field, buf *inner)
{
	ld(b, field, inner->b, inner->n);
	free(inner->b);
	*inner = (buf){0};
}

static void str(buf *b, const char *s)
{
	ld(b, 6, s, strlen(s));
}

/* String table of the built profiles: 0 "", 1 samples, 2 count, 3 cpu, 4 nanoseconds,
 * 5 main, 6 main.go, 7 work, 8 key, 9 val, 10 bytes. */
static void strings(buf *b)
{
	static const char *s[] = {"",        "samples", "count", "cpu", "nanoseconds", "main",
	                          "main.go", "work",    "key",   "val", "bytes"};
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		str(b, s[i]);
}

static void valtypes(buf *b)
{
	buf v = {0};
	num(&v, 1, 1);
	num(&v, 2, 2);
	ldb(b, 1, &v);
	num(&v, 1, 3);
	num(&v, 2, 4);
	ldb(b, 1, &v);
}

static void function(buf *b, uint64_t id, uint64_t name)
{
	buf f = {0};
	num(&f, 1, id);
	num(&f, 2, name);
	num(&f, 4, 6);
	ldb(b, 5, &f);
}

static void location(buf *b, uint64_t id, uint64_t mapping, uint64_t fn)
{
	buf l = {0}, ln = {0};
	num(&l, 1, id);
	if (mapping)
		num(&l, 2, mapping);
	num(&l, 3, 0x1000 + id);
	num(&ln, 1, fn);
	num(&ln, 2, 10);
	ldb(&l, 4, &ln);
	ldb(b, 4, &l);
}

static void mapping(buf *b, uint64_t id)
{
	buf m = {0};
	num(&m, 1, id);
	num(&m, 2, 0x1000);
	num(&m, 3, 0x9000);
	ldb(b, 3, &m);
}

/* A sample with two values (unpacked, as pprof writes two) on locations loc[0..n). */
static void sample(buf *b, const uint64_t *loc, size_t n, int64_t v1, int64_t v2)
{
	buf s = {0};
	for (size_t i = 0; i < n; i++)
		num(&s, 1, loc[i]);
	num(&s, 2, (uint64_t)v1);
	num(&s, 2, (uint64_t)v2);
	ldb(b, 2, &s);
}

/* A well-formed profile: 2 types, mapping 1, functions 1 and 2, locations 1 and 2. */
static buf good_profile(void)
{
	buf b = {0};
	uint64_t st[] = {2, 1};
	valtypes(&b);
	sample(&b, st, 2, 1, 100);
	sample(&b, st + 1, 1, 2, 200);
	mapping(&b, 1);
	location(&b, 1, 1, 1);
	location(&b, 2, 1, 2);
	function(&b, 1, 5);
	function(&b, 2, 7);
	strings(&b);
	return b;
}

static buf gzip_bytes(const void *p, size_t n)
{
	z_stream z;
	buf out = {0};
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	out.cap = deflateBound(&z, n) + 64;
	out.b = malloc(out.cap);
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = out.b;
	z.avail_out = (uInt)out.cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	out.n = out.cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* Parses b as "t.pb"; checks status and that the message contains want. */
static void expect_fail(const void *data, size_t n, pk_status code, const char *want, int line)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = (pk_profile *)1;
	pk_status st = pk_profile_parse(ctx, &p, data, n, "t.pb");
	if (st != code || p != NULL || !strstr(pk_ctx_message(ctx), want) ||
	    strncmp(pk_ctx_message(ctx), "t.pb: ", 6) != 0) {
		fprintf(stderr, "line %d: status %d (want %d), message \"%s\", want \"%s\"\n", line,
		        st, code, pk_ctx_message(ctx), want);
		unit_failed = 1;
	}
	pk_profile_free(p == (pk_profile *)1 ? NULL : p);
	pk_ctx_free(ctx);
}
#define EXPECT_FAIL(x, code, want) expect_fail((x).b, (x).n, code, want, __LINE__)

static pk_profile *parse_ok(const void *data, size_t n)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = NULL;
	pk_status st = pk_profile_parse(ctx, &p, data, n, "t.pb");
	if (st != PK_OK) {
		fprintf(stderr, "parse failed: %s\n", pk_ctx_message(ctx));
		unit_failed = 1;
	}
	pk_ctx_free(ctx);
	return p;
}

static pk_profile *read_ok(const char *path)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = NULL;
	if (pk_profile_read(ctx, &p, path) != PK_OK) {
		fprintf(stderr, "%s: %s\n", path, pk_ctx_message(ctx));
		unit_failed = 1;
	}
	pk_ctx_free(ctx);
	return p;
}

static bool sid_is(const pk_profile *p, pk_sid s, const char *want)
{
	return pk_str_eq_cstr(pk_s(p, s), want);
}

/* Every reference of a decoded profile points inside its tables. */
static void check_refs(const pk_profile *p)
{
	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		CHECK(s->loc_start + s->n_locs <= p->n_sample_locs);
		CHECK(s->label_start + s->n_labels <= p->n_labels);
		for (uint32_t j = 0; j < s->n_locs; j++)
			CHECK(p->sample_locs[s->loc_start + j] < p->n_locations);
	}
	for (uint32_t i = 0; i < p->n_locations; i++) {
		const pk_location *l = &p->locations[i];
		CHECK(l->id != 0);
		CHECK(l->mapping == PK_NONE || l->mapping < p->n_mappings);
		CHECK(l->line_start + l->n_lines <= p->n_lines);
		for (uint32_t j = 0; j < l->n_lines; j++)
			CHECK(p->lines[l->line_start + j].function < p->n_functions);
	}
	for (size_t i = 0; i < p->n_labels; i++)
		CHECK(p->labels[i].key < p->strs.n && p->labels[i].str < p->strs.n &&
		      p->labels[i].unit < p->strs.n);
}

/* ---- real profiles ---------------------------------------------------------------------- */

TEST(decode_cpu)
{
	pk_profile *p = read_ok(TESTDATA("profiles/cpu.pb.gz"));
	if (!p)
		return;
	CHECK_INT(p->n_sample_types, 2);
	CHECK(sid_is(p, p->sample_types[0].type, "samples"));
	CHECK(sid_is(p, p->sample_types[0].unit, "count"));
	CHECK(sid_is(p, p->sample_types[1].type, "cpu"));
	CHECK(sid_is(p, p->sample_types[1].unit, "nanoseconds"));
	CHECK(sid_is(p, p->period_type.type, "cpu"));
	CHECK(p->period > 0 && p->time_nanos > 0 && p->duration_nanos > 0);
	CHECK(p->n_samples > 50 && p->n_locations > 50 && p->n_functions > 20);
	CHECK_INT(p->n_mappings, 3);
	CHECK(pk_s(p, 0).n == 0);
	CHECK(pk_strtab_lookup(&p->strs, "worker", 6) != PK_NONE);
	bool inlined = false;
	for (uint32_t i = 0; i < p->n_locations; i++)
		inlined |= p->locations[i].n_lines > 1;
	CHECK(inlined);
	CHECK_STR(p->name, "testdata/profiles/cpu.pb.gz");
	check_refs(p);
	pk_profile_free(p);
}

TEST(decode_heap_numeric_labels)
{
	pk_profile *p = read_ok(TESTDATA("profiles/leak.heap.0.pb.gz"));
	if (!p)
		return;
	CHECK_INT(p->n_sample_types, 4);
	CHECK(sid_is(p, p->sample_types[3].type, "inuse_space"));
	CHECK(sid_is(p, p->sample_types[3].unit, "bytes"));
	size_t with_bytes = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		for (uint32_t j = 0; j < s->n_labels; j++) {
			const pk_label *l = &p->labels[s->label_start + j];
			if (l->is_num && sid_is(p, l->key, "bytes") && l->num > 0)
				with_bytes++;
		}
	}
	CHECK(with_bytes > 0);
	check_refs(p);
	pk_profile_free(p);
}

TEST(decode_goroutine_string_labels)
{
	pk_profile *p = read_ok(TESTDATA("profiles/leak.goroutine.pb.gz"));
	if (!p)
		return;
	size_t pool = 0;
	for (size_t i = 0; i < p->n_labels; i++)
		if (!p->labels[i].is_num && sid_is(p, p->labels[i].key, "pool"))
			pool++;
	CHECK(pool > 0);
	pk_profile_free(p);
}

TEST(decode_synthetic_counts)
{
	static const struct {
		const char *file;
		size_t samples;
		uint32_t types, mappings, locations, functions;
	} want[] = {
	    {"testdata/profiles/cpp.pb.gz", 14, 2, 4, 23, 17},
	    {"testdata/profiles/raw.pb", 4, 1, 1, 5, 4},
	    {"testdata/profiles/twomember.pb.gz", 4, 4, 1, 6, 6},
	    {"testdata/profiles/dup.pb.gz", 10, 2, 1, 6, 5},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		pk_profile *p = read_ok(want[i].file);
		if (!p)
			continue;
		CHECK_INT(p->n_samples, want[i].samples);
		CHECK_INT(p->n_sample_types, want[i].types);
		CHECK_INT(p->n_mappings, want[i].mappings);
		CHECK_INT(p->n_locations, want[i].locations);
		CHECK_INT(p->n_functions, want[i].functions);
		check_refs(p);
		pk_profile_free(p);
	}
}

TEST(decode_cpp_details)
{
	pk_profile *p = read_ok(TESTDATA("profiles/cpp.pb.gz"));
	if (!p)
		return;
	CHECK(sid_is(p, p->default_sample_type, "cpu"));
	CHECK_INT(p->n_comments, 3);
	CHECK(sid_is(p, p->comments[1], "#hidden: comments starting with # are not shown"));
	CHECK(sid_is(p, p->drop_frames, "malloc|operator new"));
	/* An address-only location (no lines) in a mapping without symbols. */
	bool bare = false;
	for (uint32_t i = 0; i < p->n_locations; i++)
		bare |= p->locations[i].n_lines == 0 && p->locations[i].mapping != PK_NONE;
	CHECK(bare);
	/* The first sample: thread=main, bytes=512 (unit bytes), request_id=1001 (no unit). */
	const pk_sample *s = &p->samples[0];
	int seen = 0;
	for (uint32_t j = 0; j < s->n_labels; j++) {
		const pk_label *l = &p->labels[s->label_start + j];
		if (sid_is(p, l->key, "thread") && !l->is_num && sid_is(p, l->str, "main"))
			seen |= 1;
		if (sid_is(p, l->key, "bytes") && l->is_num && l->num == 512 &&
		    sid_is(p, l->unit, "bytes"))
			seen |= 2;
		if (sid_is(p, l->key, "request_id") && l->is_num && l->num == 1001 && l->unit == 0)
			seen |= 4;
	}
	CHECK_INT(seen, 7);
	pk_profile_free(p);
}

TEST(decode_dup_sparse_ids)
{
	pk_profile *p = read_ok(TESTDATA("profiles/dup.pb.gz"));
	if (!p)
		return;
	/* The file's own ids are kept, in file order. */
	bool out_of_order = false;
	for (uint32_t i = 1; i < p->n_locations; i++)
		out_of_order |= p->locations[i].id < p->locations[i - 1].id;
	CHECK(out_of_order);
	bool empty_stack = false;
	for (size_t i = 0; i < p->n_samples; i++)
		empty_stack |= p->samples[i].n_locs == 0;
	CHECK(empty_stack);
	check_refs(p);
	pk_profile_free(p);
}

static pk_status sb_write(void *payload, const void *b, size_t n)
{
	pk_sb *sb = payload;
	pk_sb_bytes(sb, b, n);
	return sb->oom ? PK_ENOMEM : PK_OK;
}

/* decode -> encode -> decode -> encode gives the same bytes, and pk_profile_write's gzip
 * reads back to the same bytes again. */
TEST(encode_round_trip)
{
	static const char *files[] = {"cpu.pb.gz",   "leak.heap.0.pb.gz", "leak.goroutine.pb.gz",
	                              "cpp.pb.gz",   "java.pb.gz",        "raw.pb",
	                              "dup.pb.gz",   "twomember.pb.gz",   "mutex.pb.gz",
	                              "block.pb.gz", "leak.allocs.pb.gz"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char path[256];
		snprintf(path, sizeof path, "testdata/profiles/%s", files[i]);
		pk_ctx *ctx = pk_ctx_new();
		pk_profile *p = read_ok(path), *q = NULL, *r = NULL;
		uint8_t *e1 = NULL, *e2 = NULL, *e3 = NULL;
		size_t n1 = 0, n2 = 0, n3 = 0;
		pk_sb gz = {0};
		if (!p)
			goto next;
		CHECK_INT(pk_encode(ctx, p, &e1, &n1), PK_OK);
		q = parse_ok(e1, n1);
		if (!q)
			goto next;
		CHECK_INT(pk_encode(ctx, q, &e2, &n2), PK_OK);
		CHECK(n1 == n2 && memcmp(e1, e2, n1) == 0);
		CHECK_INT(q->n_samples, p->n_samples);
		CHECK_INT(q->n_labels, p->n_labels);
		CHECK_INT(q->strs.n, p->strs.n);

		pk_writer w = {sb_write, &gz};
		CHECK_INT(pk_profile_write(ctx, p, &w), PK_OK);
		CHECK(gz.n > 18 && (uint8_t)gz.s[0] == 0x1f && (uint8_t)gz.s[1] == 0x8b);
		r = parse_ok(gz.s, gz.n);
		if (r) {
			CHECK_INT(pk_encode(ctx, r, &e3, &n3), PK_OK);
			CHECK(n1 == n3 && memcmp(e1, e3, n1) == 0);
		}
	next:
		free(e1);
		free(e2);
		free(e3);
		pk_sb_free(&gz);
		pk_profile_free(p);
		pk_profile_free(q);
		pk_profile_free(r);
		pk_ctx_free(ctx);
	}
}

/* raw.pb has its repeated fields unpacked; what we write reads back to the same tables. */
TEST(encode_unpacked_input)
{
	pk_ctx *ctx = pk_ctx_new();
	uint8_t *file = NULL, *enc = NULL;
	size_t n = 0, en = 0;
	pk_profile *p = NULL;
	CHECK_INT(pk_read_input(ctx, TESTDATA("profiles/raw.pb"), &file, &n), PK_OK);
	if (file && (p = parse_ok(file, n)) != NULL) {
		CHECK_INT(pk_encode(ctx, p, &enc, &en), PK_OK);
		pk_profile *q = parse_ok(enc, en);
		CHECK(q && q->n_samples == p->n_samples && q->n_sample_locs == p->n_sample_locs);
		pk_profile_free(q);
	}
	free(file);
	free(enc);
	pk_profile_free(p);
	pk_ctx_free(ctx);
}

TEST(encode_label_order)
{
	/* Labels in the file: k2=str, k1=num, k1=str, k0=num, k1=str2. pprof writes the string
	 * labels by key (k1 str, k1 str2, k2 str), then the numeric ones by key (k0, k1). */
	buf b = {0}, s = {0}, l = {0};
	uint64_t loc = 1;
	valtypes(&b);
	num(&s, 1, loc);
	num(&s, 2, 1);
	num(&s, 2, 2);
	const int64_t lab[5][4] = {
	    {13, 9, 0, 0}, {12, 0, 7, 10}, {12, 5, 0, 0}, {11, 0, 3, 0}, {12, 7, 0, 0}};
	for (int i = 0; i < 5; i++) {
		for (int f = 0; f < 4; f++)
			if (lab[i][f])
				num(&l, f + 1, (uint64_t)lab[i][f]);
		ldb(&s, 3, &l);
	}
	ldb(&b, 2, &s);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	str(&b, "k0");
	str(&b, "k1");
	str(&b, "k2");
	pk_profile *p = parse_ok(b.b, b.n), *q = NULL;
	uint8_t *e = NULL;
	size_t en = 0;
	pk_ctx *ctx = pk_ctx_new();
	if (!p)
		goto done;
	CHECK_INT(p->n_labels, 5);
	CHECK_INT(pk_encode(ctx, p, &e, &en), PK_OK);
	q = parse_ok(e, en);
	if (!q)
		goto done;
	static const char *want_key[] = {"k1", "k1", "k2", "k0", "k1"};
	static const char *want_str[] = {"main", "work", "val", "", ""};
	static const int64_t want_num[] = {0, 0, 0, 3, 7};
	CHECK_INT(q->n_labels, 5);
	for (size_t i = 0; i < 5 && i < q->n_labels; i++) {
		CHECK(sid_is(q, q->labels[i].key, want_key[i]));
		CHECK(sid_is(q, q->labels[i].str, want_str[i]));
		CHECK_INT(q->labels[i].num, want_num[i]);
	}
	CHECK(sid_is(q, q->labels[4].unit, "bytes"));
done:
	free(e);
	free(b.b);
	pk_profile_free(p);
	pk_profile_free(q);
	pk_ctx_free(ctx);
}

/* ---- decoding rules --------------------------------------------------------------------- */

TEST(decode_good_and_gzip_members)
{
	buf b = good_profile();
	pk_profile *p = parse_ok(b.b, b.n);
	if (p) {
		CHECK_INT(p->n_samples, 2);
		CHECK_INT(p->samples[0].n_locs, 2);
		CHECK_INT(p->locations[p->sample_locs[0]].id, 2);
		CHECK_INT(pk_sample_values(p, 1)[1], 200);
		CHECK(p->period_type.type == 0 && p->period_type.unit == 0);
		CHECK_STR(p->name, "t.pb");
	}
	pk_profile_free(p);
	/* Two gzip members, split in the middle of the protobuf. */
	buf g1 = gzip_bytes(b.b, b.n / 2), g2 = gzip_bytes(b.b + b.n / 2, b.n - b.n / 2);
	put(&g1, g2.b, g2.n);
	p = parse_ok(g1.b, g1.n);
	CHECK(p && p->n_samples == 2);
	pk_profile_free(p);
	free(g1.b);
	free(g2.b);
	free(b.b);
}

TEST(decode_labels_rule)
{
	/* postDecode: str wins; else num or unit makes a numeric label; neither is dropped. */
	buf b = {0}, s = {0}, l = {0};
	valtypes(&b);
	num(&s, 1, 1);
	num(&s, 2, 1);
	num(&s, 2, 2);
	num(&l, 1, 8); /* key=val, num ignored */
	num(&l, 2, 9);
	num(&l, 3, 42);
	ldb(&s, 3, &l);
	num(&l, 1, 8); /* key=0 bytes: numeric because of the unit */
	num(&l, 4, 10);
	ldb(&s, 3, &l);
	num(&l, 1, 8); /* key with nothing: dropped */
	ldb(&s, 3, &l);
	num(&l, 1, 8); /* key=-5 */
	num(&l, 3, (uint64_t)-5);
	ldb(&s, 3, &l);
	ldb(&b, 2, &s);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	pk_profile *p = parse_ok(b.b, b.n);
	if (p) {
		CHECK_INT(p->n_labels, 3);
		CHECK_INT(p->samples[0].n_labels, 3);
		CHECK(!p->labels[0].is_num && sid_is(p, p->labels[0].str, "val"));
		CHECK(p->labels[1].is_num && p->labels[1].num == 0 &&
		      sid_is(p, p->labels[1].unit, "bytes"));
		CHECK(p->labels[2].is_num && p->labels[2].num == -5 && p->labels[2].unit == 0);
	}
	pk_profile_free(p);
	free(b.b);
}

TEST(decode_dangling_mapping_is_no_mapping)
{
	/* pprof resolves an unknown mapping id to no mapping, without complaint. */
	buf b = {0};
	uint64_t loc = 1;
	valtypes(&b);
	sample(&b, &loc, 1, 1, 2);
	mapping(&b, 1);
	location(&b, 1, 77, 1);
	function(&b, 1, 5);
	strings(&b);
	pk_profile *p = parse_ok(b.b, b.n);
	CHECK(p && p->locations[0].mapping == PK_NONE);
	pk_profile_free(p);
	free(b.b);
}

TEST(decode_sparse_ids_and_packed)
{
	/* Ids far above the table sizes go through the hash; location ids packed. */
	const uint64_t big = (uint64_t)1 << 50;
	buf b = {0}, s = {0}, pk = {0};
	valtypes(&b);
	varint(&pk, big + 2);
	varint(&pk, big + 1);
	varint(&pk, big + 2);
	ld(&s, 1, pk.b, pk.n);
	free(pk.b);
	pk = (buf){0};
	varint(&pk, 7);
	varint(&pk, (uint64_t)-9);
	ld(&s, 2, pk.b, pk.n);
	free(pk.b);
	ldb(&b, 2, &s);
	mapping(&b, big);
	location(&b, big + 1, big, UINT64_MAX);
	location(&b, big + 2, 0, 3);
	function(&b, UINT64_MAX, 5);
	function(&b, 3, 7);
	strings(&b);
	pk_profile *p = parse_ok(b.b, b.n);
	if (p) {
		CHECK_INT(p->samples[0].n_locs, 3);
		CHECK_INT(p->sample_locs[0], 1);
		CHECK_INT(p->sample_locs[1], 0);
		CHECK_INT(pk_sample_values(p, 0)[1], -9);
		CHECK_INT(p->locations[0].mapping, 0);
		CHECK_INT(p->lines[p->locations[0].line_start].function, 0);
		CHECK_INT(p->lines[p->locations[1].line_start].function, 1);
	}
	pk_profile_free(p);
	free(b.b);
}

/* Packed location ids are counted eight bytes at a time: varints of every length (1 written
 * in 1..11 bytes, 11 being one too many) at every offset in the run, and a run cut inside a
 * varint, against what a byte-by-byte reading says. */
TEST(decode_packed_varint_lengths)
{
	for (int len = 1; len <= 11; len++) {
		for (int pad = 0; pad < 18; pad++) {
			for (int cut = 0; cut <= 1; cut++) {
				buf b = {0}, s = {0}, pk = {0};
				valtypes(&b);
				for (int i = 0; i < pad; i++)
					varint(&pk, 2);
				uint8_t one[11];
				for (int i = 0; i < len; i++)
					one[i] =
					    (uint8_t)((i == 0 ? 1 : 0) | (i < len - 1 ? 0x80 : 0));
				put(&pk, one, (size_t)len);
				if (!cut)
					varint(&pk, 2);
				else
					put(&pk, "\x82", 1); /* a varint with no end */
				ld(&s, 1, pk.b, pk.n);
				free(pk.b);
				num(&s, 2, 5);
				num(&s, 2, 6);
				ldb(&b, 2, &s);
				location(&b, 1, 0, 1);
				location(&b, 2, 0, 2);
				function(&b, 1, 5);
				function(&b, 2, 7);
				strings(&b);
				if (len > 10 || cut) {
					EXPECT_FAIL(b, PK_EFORMAT, "t.pb: not a pprof profile");
				} else {
					pk_profile *p = parse_ok(b.b, b.n);
					CHECK(p != NULL);
					if (p) {
						CHECK_INT(p->n_sample_locs, (size_t)pad + 2);
						CHECK_INT(p->samples[0].n_locs, (uint32_t)pad + 2);
						for (int i = 0; i < pad + 2; i++)
							CHECK_INT(p->sample_locs[i],
							          i == pad ? 0 : 1);
					}
					pk_profile_free(p);
				}
				free(b.b);
			}
		}
	}
}

TEST(decode_binary_strings)
{
	buf b = {0};
	uint64_t loc = 1;
	valtypes(&b);
	sample(&b, &loc, 1, 1, 2);
	location(&b, 1, 0, 1);
	function(&b, 1, 11);
	strings(&b);
	ld(&b, 6, "a\0b\xff", 4);
	pk_profile *p = parse_ok(b.b, b.n);
	if (p) {
		pk_str s = pk_s(p, p->functions[0].name);
		CHECK(s.n == 4 && memcmp(s.s, "a\0b\xff", 4) == 0);
	}
	pk_profile_free(p);
	free(b.b);
}

TEST(read_stdin_and_missing)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = NULL;
	int fd = open(TESTDATA("profiles/cpu.pb.gz"), O_RDONLY);
	CHECK(fd >= 0 && dup2(fd, 0) == 0);
	CHECK_INT(pk_profile_read(ctx, &p, "-"), PK_OK);
	CHECK(p && p->n_samples > 0 && strcmp(p->name, "<stdin>") == 0);
	pk_profile_free(p);
	CHECK_INT(pk_profile_read(ctx, &p, "testdata/no/such.pb.gz"), PK_EIO);
	CHECK_STR(pk_ctx_message(ctx), "testdata/no/such.pb.gz: open: No such file or directory");
	CHECK(p == NULL);
	CHECK_INT(pk_profile_read(ctx, &p, "testdata"), PK_EIO);
	CHECK_STR(pk_ctx_message(ctx), "testdata: is a directory");
	pk_ctx_free(ctx);
}

/* ---- malformed inputs ------------------------------------------------------------------- */

TEST(bad_gzip)
{
	buf b = good_profile(), g = gzip_bytes(b.b, b.n), t = {0};
	expect_fail("", 0, PK_EFORMAT, "t.pb: empty input file", __LINE__);
	buf e = gzip_bytes("", 0);
	EXPECT_FAIL(e, PK_EFORMAT, "t.pb: empty input file");
	put(&t, g.b, g.n - 10);
	EXPECT_FAIL(t, PK_EFORMAT, "t.pb: gzip stream truncated");
	t.n = 3;
	EXPECT_FAIL(t, PK_EFORMAT, "t.pb: gzip stream truncated");
	g.b[g.n - 8] ^= 1;
	EXPECT_FAIL(g, PK_EFORMAT, "t.pb: gzip: invalid data (incorrect data check)");
	g.b[g.n - 8] ^= 1;
	g.b[10] ^= 0xff;
	g.b[11] ^= 0xff;
	EXPECT_FAIL(g, PK_EFORMAT, "t.pb: gzip: invalid data (");
	g.b[10] ^= 0xff;
	g.b[11] ^= 0xff;
	put(&g, "xyz", 3);
	EXPECT_FAIL(g, PK_EFORMAT, "3 bytes after the last gzip member");
	free(b.b);
	free(g.b);
	free(e.b);
	free(t.b);
}

TEST(inflate_limit)
{
	buf b = good_profile(), g = gzip_bytes(b.b, b.n);
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = NULL;
	pk_ctx_set_max_inflated(ctx, b.n);
	CHECK_INT(pk_profile_parse(ctx, &p, g.b, g.n, "t.pb"), PK_OK);
	pk_profile_free(p);
	pk_ctx_set_max_inflated(ctx, b.n - 1);
	CHECK_INT(pk_profile_parse(ctx, &p, g.b, g.n, "t.pb"), PK_ELIMIT);
	char want[128];
	snprintf(want, sizeof want, "t.pb: inflated size exceeds the limit of %zu bytes", b.n - 1);
	CHECK_STR(pk_ctx_message(ctx), want);
	CHECK(p == NULL);
	pk_ctx_free(ctx);
	free(b.b);
	free(g.b);
}

TEST(gzip_bomb)
{
	size_t n = (size_t)64 << 20;
	uint8_t *zeros = calloc(1, n);
	buf g = gzip_bytes(zeros, n);
	free(zeros);
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *p = NULL;
	pk_ctx_set_max_inflated(ctx, (uint64_t)16 << 20);
	CHECK_INT(pk_profile_parse(ctx, &p, g.b, g.n, "bomb.pb.gz"), PK_ELIMIT);
	CHECK_STR(pk_ctx_message(ctx),
	          "bomb.pb.gz: inflated size exceeds the limit of 16777216 bytes");
	/* Within the limit, 64 MB of zeros is no profile. */
	pk_ctx_set_max_inflated(ctx, 0);
	CHECK_INT(pk_profile_parse(ctx, &p, g.b, g.n, "bomb.pb.gz"), PK_EFORMAT);
	CHECK(strstr(pk_ctx_message(ctx), "bomb.pb.gz: not a pprof profile") != NULL);
	pk_ctx_free(ctx);
	free(g.b);
}

TEST(bad_protobuf)
{
	buf b = good_profile(), t = {0};
	put(&t, b.b, b.n - 5);
	EXPECT_FAIL(t, PK_EFORMAT, "t.pb: not a pprof profile (protobuf: truncated");
	t.n = 0;
	num(&t, 9, 1);
	put(&t, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11);
	EXPECT_FAIL(t, PK_EFORMAT, "bad varint");
	t.n = 0;
	put(&t, b.b, b.n);
	put(&t, "\x7f", 1);
	EXPECT_FAIL(t, PK_EFORMAT, "unknown wire type 7");
	t.n = 0;
	put(&t, b.b, b.n);
	ld(&t, 9, "ab", 2);
	EXPECT_FAIL(t, PK_EFORMAT, "field 9 at byte");
	const char text[] = "this is text, but no kind of profile pprofkit reads\n";
	expect_fail(text, sizeof text - 1, PK_EFORMAT,
	            "t.pb: not a pprof profile (it looks like text", __LINE__);
	t.n = 0;
	valtypes(&t);
	EXPECT_FAIL(t, PK_EFORMAT, "t.pb: not a pprof profile (no string table)");
	/* pprof notices concatenated profiles by a second time_nanos. */
	buf tm = good_profile();
	num(&tm, 9, 12345);
	t.n = 0;
	put(&t, tm.b, tm.n);
	put(&t, tm.b, tm.n);
	EXPECT_FAIL(t, PK_EFORMAT, "t.pb: concatenated profiles detected");
	free(tm.b);
	free(b.b);
	free(t.b);
}

TEST(bad_strings)
{
	buf b = {0};
	uint64_t loc = 1;
	valtypes(&b);
	str(&b, "x");
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: string_table[0] must be ''");
	free(b.b);

	b = (buf){0};
	valtypes(&b);
	sample(&b, &loc, 1, 1, 2);
	location(&b, 1, 0, 1);
	function(&b, 1, 99);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT,
	            "t.pb: function 1: name: string index 99 out of range (string table has 11 "
	            "entries)");
	free(b.b);

	b = (buf){0};
	buf s = {0}, l = {0};
	valtypes(&b);
	num(&s, 1, 1);
	num(&s, 2, 1);
	num(&s, 2, 2);
	num(&l, 1, (uint64_t)-1);
	num(&l, 2, 9);
	ldb(&s, 3, &l);
	ldb(&b, 2, &s);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: sample[0]: label key: string index -1 out of range");
	free(b.b);

	b = good_profile();
	num(&b, 14, 11);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: default_sample_type: string index 11 out of range");
	free(b.b);
}

TEST(bad_references)
{
	uint64_t locs[] = {1, 99};
	buf b = {0};
	valtypes(&b);
	sample(&b, locs, 2, 1, 2);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: sample[0] refers to unknown location id 99");
	free(b.b);

	b = (buf){0};
	valtypes(&b);
	sample(&b, locs, 1, 1, 2);
	location(&b, 1, 0, 12);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: location 1 refers to unknown function id 12");
	free(b.b);

	b = (buf){0};
	valtypes(&b);
	sample(&b, locs, 1, 1, 2);
	location(&b, 1, 0, 0);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: location 1 has a line with no function (function_id 0)");
	free(b.b);
}

TEST(bad_ids)
{
	uint64_t loc = 1;
	static const struct {
		uint64_t map_id, fn_ids[2], loc_ids[2];
		const char *want;
	} c[] = {
	    {0, {1, 2}, {1, 2}, "t.pb: found mapping with reserved ID=0"},
	    {1, {1, 0}, {1, 2}, "t.pb: found function with reserved ID=0"},
	    {1, {1, 2}, {1, 0}, "t.pb: found location with reserved id=0"},
	    {1, {2, 2}, {1, 2}, "t.pb: multiple functions with same id: 2"},
	    {1, {1, 2}, {1, 1}, "t.pb: multiple locations with same id: 1"},
	    {1,
	     {1, 2},
	     {(uint64_t)1 << 40, (uint64_t)1 << 40},
	     "t.pb: multiple locations with same id: 1099511627776"},
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		buf b = {0};
		valtypes(&b);
		sample(&b, &loc, c[i].loc_ids[0] == 1 ? 1 : 0, 1, 2);
		mapping(&b, c[i].map_id);
		location(&b, c[i].loc_ids[0], 1, 1);
		location(&b, c[i].loc_ids[1], 1, 1);
		function(&b, c[i].fn_ids[0], 5);
		function(&b, c[i].fn_ids[1], 7);
		strings(&b);
		EXPECT_FAIL(b, PK_EFORMAT, c[i].want);
		free(b.b);
	}
	buf b = good_profile();
	mapping(&b, 1);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: multiple mappings with same id: 1");
	free(b.b);
}

TEST(bad_values)
{
	uint64_t loc = 1;
	buf b = {0}, s = {0};
	valtypes(&b);
	sample(&b, &loc, 1, 1, 2);
	num(&s, 1, 1);
	num(&s, 2, 5);
	ldb(&b, 2, &s);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: mismatch: sample[1] has 1 values vs. 2 types");
	free(b.b);

	b = (buf){0};
	num(&s, 1, 1);
	ldb(&b, 2, &s);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: missing sample type information");
	free(b.b);
}

/* CheckValid runs after postDecode: a bad string index anywhere wins over a sample error, and
 * sample errors win over id errors. */
TEST(error_order)
{
	uint64_t locs[] = {99};
	buf b = {0};
	valtypes(&b);
	sample(&b, locs, 1, 1, 2);
	mapping(&b, 0);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	num(&b, 7, 500);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: drop_frames: string index 500 out of range");
	free(b.b);

	b = (buf){0};
	valtypes(&b);
	sample(&b, locs, 1, 1, 2);
	mapping(&b, 0);
	location(&b, 1, 0, 1);
	function(&b, 1, 5);
	strings(&b);
	EXPECT_FAIL(b, PK_EFORMAT, "t.pb: sample[0] refers to unknown location id 99");
	free(b.b);
}
