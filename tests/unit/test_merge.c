/* test_merge.c - unit tests of lib/merge.c (Merge, ScaleProfiles, combineHeaders) and
 * lib/diff.c (-base, -diff_base, -normalize). */
#include "unit.h"
#include "pkbuild.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

/* Merge of one input, checked against the in-place merge of a copy (pk_profile_merge_take):
 * the same profile, byte for byte once encoded. */
static pk_profile *merge1(pk_profile *p)
{
	pk_profile *out = NULL, *copy = NULL, *taken = NULL;
	uint8_t *e1 = NULL, *e2 = NULL;
	size_t n1 = 0, n2 = 0;
	CHECK_INT(pk_profile_merge(CTX(), &out, &p, 1), PK_OK);
	CHECK_INT(pk_profile_copy(CTX(), &copy, p), PK_OK);
	CHECK_INT(pk_profile_merge_take(CTX(), &taken, &copy, 1), PK_OK);
	CHECK(copy == NULL);
	CHECK_INT(pk_encode(CTX(), out, &e1, &n1), PK_OK);
	CHECK_INT(pk_encode(CTX(), taken, &e2, &n2), PK_OK);
	CHECK_INT(n1, n2);
	CHECK(n1 == n2 && memcmp(e1, e2, n1) == 0);
	CHECK_INT(pk_profile_check_valid(CTX(), taken), PK_OK);
	pk_free(e1);
	pk_free(e2);
	pk_profile_free(taken);
	return out;
}

static pk_profile *merge2(pk_profile *a, pk_profile *b)
{
	pk_profile *in[2] = {a, b}, *out = NULL;
	CHECK_INT(pk_profile_merge(CTX(), &out, in, 2), PK_OK);
	return out;
}

TEST(merge_identical_stacks)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	uint32_t fa = tb_func(p, "a", "a.go", 1), fb = tb_func(p, "b", "b.go", 2);
	uint32_t l0 = tb_loc1(p, PK_NONE, 0x10, fa, 3), l1 = tb_loc1(p, PK_NONE, 0x20, fb, 4);
	/* A duplicate of l0 under another id: the same key, so one location. */
	uint32_t l2 = tb_loc1(p, PK_NONE, 0x10, fa, 3);
	const uint32_t s0[] = {l0, l1}, s1[] = {l2, l1}, s2[] = {l1};
	const int64_t v0[] = {1, 100}, v1[] = {2, 200}, v2[] = {4, 400};
	tb_sample(p, v0, 2, s0, "k=x,n=#1:bytes");
	tb_sample(p, v2, 1, s2, NULL);
	tb_sample(p, v1, 2, s1, "n=#1:bytes,k=x"); /* label order does not matter */
	tb_sample(p, v1, 2, s1, "k=y,n=#1:bytes");
	tb_sample(p, v1, 2, s1, "k=x,n=#1");     /* unit differs */
	tb_sample(p, v1, 2, s1, "k=x,k=z,n=#1"); /* values of k differ */
	tb_sample(p, v1, 2, s1, "k=z,k=x,n=#1"); /* order of k's values matters */
	tb_sample(p, v1, 2, s1, "k=x,n=#1:");    /* empty unit is no unit */
	pk_profile *m = merge1(p);
	char buf[128];
	CHECK_INT(m->n_samples, 6);
	CHECK_INT(m->n_locations, 2);
	CHECK_INT(m->n_functions, 2);
	CHECK_INT(pk_sample_values(m, 0)[0], 3);
	CHECK_INT(pk_sample_values(m, 0)[1], 300);
	CHECK_STR(tb_stack(m, 0, buf, sizeof buf), "1 2");
	CHECK_STR(tb_labels(m, 0, buf, sizeof buf), "k=x,n=#1:bytes");
	CHECK_STR(tb_stack(m, 1, buf, sizeof buf), "2");
	CHECK_STR(tb_labels(m, 2, buf, sizeof buf), "k=y,n=#1:bytes");
	CHECK_STR(tb_labels(m, 3, buf, sizeof buf), "k=x,n=#1");
	CHECK_INT(pk_sample_values(m, 3)[0], 4);
	CHECK_STR(tb_labels(m, 4, buf, sizeof buf), "k=x,k=z,n=#1");
	CHECK_STR(tb_labels(m, 5, buf, sizeof buf), "k=z,k=x,n=#1");
	CHECK_INT(pk_profile_check_valid(ctx, m), PK_OK);
	pk_profile_free(m);
	pk_profile_free(p);
}

TEST(merge_zero_samples)
{
	pk_profile *a = tb_new("samples/count");
	uint32_t f[3] = {tb_func(a, "f0", "", 0), tb_func(a, "f1", "", 0), tb_func(a, "f2", "", 0)};
	uint32_t m0 = tb_map(a, 0x1000, 0x2000, 0, "main", ""),
	         m1 = tb_map(a, 0x5000, 0x6000, 0, "lib", "");
	uint32_t l[3] = {tb_loc1(a, m1, 0x5000, f[0], 1), tb_loc1(a, m1, 0x5010, f[1], 1),
	                 tb_loc1(a, m1, 0x5020, f[2], 1)};
	const int64_t zero[] = {0}, one[] = {1}, two[] = {2}, mtwo[] = {-2};
	tb_sample(a, zero, 1, &l[0], NULL); /* skipped on input */
	tb_sample(a, two, 1, &l[1], NULL);
	tb_sample(a, one, 1, &l[2], NULL);
	pk_profile *m = merge1(a);
	CHECK_INT(m->n_samples, 2);
	CHECK_INT(m->n_locations, 2);
	CHECK_STR(pk_s(m, m->functions[0].name).s, "f1");
	/* The first mapping (main binary) is kept first even though no sample uses it. */
	CHECK_INT(m->n_mappings, 2);
	CHECK_STR(pk_s(m, m->mappings[0].file).s, "main");
	CHECK_INT(m->mappings[1].id, 2);
	CHECK_INT(m->locations[0].mapping, 1);
	(void)m0;
	pk_profile_free(m);

	/* A sum of zero: the result is merged again, renumbering what is left. */
	pk_profile *b = tb_new("samples/count");
	uint32_t g = tb_func(b, "f1", "", 0);
	uint32_t bm = tb_map(b, 0x9000, 0xa000, 0, "lib", "");
	uint32_t bl = tb_loc1(b, bm, 0x9010, g, 1);
	tb_sample(b, mtwo, 1, &bl, NULL);
	m = merge2(a, b);
	CHECK_INT(m->n_samples, 1);
	CHECK_INT(pk_sample_values(m, 0)[0], 1);
	CHECK_INT(m->n_locations, 1);
	CHECK_INT(m->locations[0].id, 1);
	CHECK_INT(m->locations[0].address, 0x5020);
	CHECK_INT(m->n_functions, 1);
	CHECK_STR(pk_s(m, m->functions[0].name).s, "f2");
	CHECK_INT(m->functions[0].id, 1);
	CHECK_INT(m->n_mappings, 2);
	pk_profile_free(m);
	pk_profile_free(a);
	pk_profile_free(b);
}

TEST(merge_one_sums_to_zero)
{
	/* In one input, equal stacks summing to zero: dropped, the rest renumbered (both in place
	 * and copied, compared by merge1). */
	pk_profile *a = tb_new("samples/count");
	uint32_t f0 = tb_func(a, "f0", "", 0), f1 = tb_func(a, "f1", "", 0);
	uint32_t l0 = tb_loc1(a, PK_NONE, 0x10, f0, 1), l1 = tb_loc1(a, PK_NONE, 0x20, f1, 1);
	const int64_t two[] = {2}, mtwo[] = {-2}, three[] = {3};
	tb_sample(a, two, 1, &l0, NULL);
	tb_sample(a, three, 1, &l1, NULL);
	tb_sample(a, mtwo, 1, &l0, NULL);
	tb_sample(a, three, 1, &l1, NULL);
	pk_profile *m = merge1(a);
	CHECK_INT(m->n_samples, 1);
	CHECK_INT(pk_sample_values(m, 0)[0], 6);
	CHECK_INT(m->n_locations, 1);
	CHECK_INT(m->locations[0].id, 1);
	CHECK_STR(pk_s(m, m->functions[0].name).s, "f1");
	pk_profile_free(m);
	pk_profile_free(a);
}

TEST(merge_into_is_associative)
{
	/* Merge(Merge(a, b), c) through pk_profile_merge_into equals Merge(a, b, c). */
	pk_profile *in[3];
	for (int j = 0; j < 3; j++) {
		in[j] = tb_new("samples/count");
		uint32_t f = tb_func(in[j], j == 1 ? "g" : "f", "", 0);
		uint32_t l = tb_loc1(in[j], PK_NONE, 0x10 * (j + 1), f, 1);
		const int64_t v[] = {j + 1};
		tb_sample(in[j], v, 1, &l, j == 2 ? "k=v" : NULL);
		tb_sample(in[j], v, 1, &l, NULL);
	}
	pk_profile *all = NULL, *acc = NULL, *c;
	CHECK_INT(pk_profile_merge(CTX(), &all, in, 3), PK_OK);
	for (int j = 0; j < 3; j++) {
		CHECK_INT(pk_profile_copy(CTX(), &c, in[j]), PK_OK);
		CHECK_INT(pk_profile_merge_into(CTX(), &acc, c), PK_OK);
	}
	uint8_t *e1 = NULL, *e2 = NULL;
	size_t n1 = 0, n2 = 0;
	CHECK_INT(pk_encode(CTX(), all, &e1, &n1), PK_OK);
	CHECK_INT(pk_encode(CTX(), acc, &e2, &n2), PK_OK);
	CHECK(n1 == n2 && memcmp(e1, e2, n1) == 0);
	CHECK_INT(acc->n_samples, 4);
	pk_free(e1);
	pk_free(e2);
	pk_profile_free(all);
	pk_profile_free(acc);
	for (int j = 0; j < 3; j++)
		pk_profile_free(in[j]);
}

TEST(merge_renumbering_and_mappings)
{
	/* b is a with ASLR: the same binary at another start, ids shuffled. */
	pk_profile *a = tb_new("samples/count"), *b = tb_new("samples/count");
	uint32_t af = tb_func(a, "x", "x.c", 1), ag = tb_func(a, "y", "y.c", 1);
	uint32_t am = tb_map(a, 0x400000, 0x401000, 0, "/bin/prog", "abc");
	uint32_t al[2] = {tb_loc1(a, am, 0x400100, af, 5), tb_loc1(a, am, 0x400200, ag, 6)};
	const uint32_t as[] = {al[1], al[0]};
	const int64_t one[] = {1}, ten[] = {10};
	tb_sample(a, one, 2, as, NULL);
	uint32_t bn = tb_func(b, "new", "n.c", 1), bg = tb_func(b, "y", "y.c", 1);
	uint32_t bx = tb_map(b, 0x10000, 0x10800, 0x0, "/lib/other.so", "");
	/* Size 0xfff rounds up to the same 0x1000, same build id, different file: one mapping. */
	uint32_t bm = tb_map(b, 0x7f0000, 0x7f0fff, 0, "/elsewhere/prog", "abc");
	uint32_t bl[3] = {tb_loc1(b, bm, 0x7f0200, bg, 6), tb_loc1(b, bx, 0x10010, bn, 1),
	                  tb_loc1(b, PK_NONE, 0x42, bn, 2)};
	const uint32_t bs[] = {bl[1], bl[0]}, bs2[] = {bl[2]};
	tb_sample(b, ten, 2, bs, NULL);
	tb_sample(b, ten, 1, bs2, NULL);
	pk_profile *m = merge2(a, b);
	char buf[128];
	CHECK_INT(m->n_mappings, 2);
	CHECK_STR(pk_s(m, m->mappings[0].file).s, "/bin/prog");
	CHECK_STR(pk_s(m, m->mappings[1].file).s, "/lib/other.so");
	/* Locations in first-seen order: the sample's leaf first. */
	CHECK_INT(m->n_locations, 4);
	CHECK_INT(m->locations[0].address, 0x400200);
	CHECK_INT(m->locations[1].address, 0x400100);
	CHECK_INT(m->locations[2].address, 0x10010);
	CHECK_INT(m->locations[2].mapping, 1);
	CHECK_INT(m->locations[3].mapping, PK_NONE);
	CHECK_STR(tb_stack(m, 0, buf, sizeof buf), "1 2");
	/* b's 0x7f0200 is a's 0x400200: rebased onto the merged mapping and combined. */
	CHECK_STR(tb_stack(m, 1, buf, sizeof buf), "3 1");
	CHECK_STR(tb_stack(m, 2, buf, sizeof buf), "4");
	CHECK_INT(m->n_functions, 3);
	CHECK_STR(pk_s(m, m->functions[0].name).s, "y");
	CHECK_STR(pk_s(m, m->functions[1].name).s, "x");
	CHECK_STR(pk_s(m, m->functions[2].name).s, "new");
	for (uint32_t i = 0; i < 3; i++)
		CHECK_INT(m->functions[i].id, i + 1);
	CHECK_INT(pk_profile_check_valid(ctx, m), PK_OK);
	pk_profile_free(m);
	pk_profile_free(a);
	pk_profile_free(b);
}

TEST(merge_headers)
{
	pk_profile *a = tb_new("samples/count"), *b = tb_new("samples/count"),
	           *c = tb_new("samples/count");
	a->time_nanos = 50, b->time_nanos = 0, c->time_nanos = 70;
	a->duration_nanos = 1, b->duration_nanos = 2, c->duration_nanos = 4;
	a->period = 0, b->period = 3, c->period = 2;
	a->comments[a->n_comments++] = tb_s(a, "one");
	b->comments[b->n_comments++] = tb_s(b, "two");
	b->comments[b->n_comments++] = tb_s(b, "one");
	c->comments[c->n_comments++] = tb_s(c, "three");
	b->default_sample_type = tb_s(b, "samples");
	c->default_sample_type = tb_s(c, "other");
	a->drop_frames = tb_s(a, "drop");
	b->keep_frames = tb_s(b, "keep");
	pk_profile *in[3] = {a, b, c}, *m = NULL;
	CHECK_INT(pk_profile_merge(CTX(), &m, in, 3), PK_OK);
	/* combineHeaders' time rule: a later zero resets it, then the next non-zero wins. */
	CHECK_INT(m->time_nanos, 70);
	CHECK_INT(m->duration_nanos, 7);
	CHECK_INT(m->period, 3);
	CHECK_INT(m->n_comments, 3);
	CHECK_STR(pk_s(m, m->comments[0]).s, "one");
	CHECK_STR(pk_s(m, m->comments[1]).s, "two");
	CHECK_STR(pk_s(m, m->comments[2]).s, "three");
	CHECK_STR(pk_s(m, m->default_sample_type).s, "samples");
	CHECK_STR(pk_s(m, m->drop_frames).s, "drop");
	CHECK_STR(pk_s(m, m->keep_frames).s, "");
	pk_profile_free(m);
	pk_profile_free(a);
	pk_profile_free(b);
	pk_profile_free(c);
}

TEST(merge_incompatible)
{
	pk_profile *a = tb_new("samples/count cpu/nanoseconds"), *b = tb_new("samples/count");
	pk_profile *in[2] = {a, b}, *m = NULL;
	CHECK_INT(pk_profile_merge(CTX(), &m, in, 2), PK_EFORMAT);
	CHECK(m == NULL);
	CHECK_STR(pk_ctx_message(ctx), "inconsistent samples type count: 2 != 1");
	pk_profile_free(b);
	b = tb_new("samples/count alloc/bytes");
	in[1] = b;
	CHECK_INT(pk_profile_merge(ctx, &m, in, 2), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx),
	          "sample types: incompatible types: {cpu nanoseconds 0 0} {alloc bytes 0 0}");
	pk_profile_free(b);
	b = tb_new("samples/count cpu/bytes");
	in[1] = b;
	CHECK_INT(pk_profile_merge(ctx, &m, in, 2), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx),
	          "sample types: incompatible types: {cpu nanoseconds 0 0} {cpu bytes 0 0}");
	pk_profile_free(b);
	/* Type names equal but for a trailing 's' pass ScaleProfiles, then fail Merge. */
	b = tb_new("sample/count cpu/nanoseconds");
	in[1] = b;
	CHECK_INT(pk_profile_merge(ctx, &m, in, 2), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "incompatible sample types [samples/count cpu/nanoseconds] "
	                               "and [sample/count cpu/nanoseconds]");
	pk_profile_free(b);
	b = tb_new("samples/count cpu/nanoseconds");
	in[1] = b;
	a->period_type.type = tb_s(a, "cpu");
	a->period_type.unit = tb_s(a, "nanoseconds");
	b->period_type.type = tb_s(b, "space");
	b->period_type.unit = tb_s(b, "bytes");
	CHECK_INT(pk_profile_merge(ctx, &m, in, 2), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx),
	          "period type: incompatible types: {cpu nanoseconds 0 0} {space bytes 0 0}");
	b->period_type.type = tb_s(b, "cpus");
	b->period_type.unit = tb_s(b, "nanoseconds");
	CHECK_INT(pk_profile_merge(ctx, &m, in, 2), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "incompatible period types &{cpu nanoseconds 0 0} and "
	                               "&{cpus nanoseconds 0 0}");
	CHECK_INT(pk_profile_merge(ctx, &m, in, 0), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "no profiles to merge");
	pk_profile_free(a);
	pk_profile_free(b);
}

TEST(merge_scales_units)
{
	pk_profile *a = tb_new("samples/count cpu/microseconds");
	pk_profile *b = tb_new("samples/count cpu/nanoseconds");
	a->period_type.type = tb_s(a, "cpu"), a->period_type.unit = tb_s(a, "microseconds");
	b->period_type.type = tb_s(b, "cpu"), b->period_type.unit = tb_s(b, "nanoseconds");
	a->period = 10, b->period = 10000;
	uint32_t fa = tb_func(a, "f", "", 0), fb = tb_func(b, "f", "", 0);
	uint32_t la = tb_loc1(a, PK_NONE, 1, fa, 0), lb = tb_loc1(b, PK_NONE, 1, fb, 0);
	const int64_t va[] = {1, 3}, vb[] = {1, 500};
	tb_sample(a, va, 1, &la, NULL);
	tb_sample(b, vb, 1, &lb, NULL);
	pk_profile *m = merge2(a, b);
	CHECK_STR(pk_s(m, m->sample_types[1].unit).s, "nanoseconds");
	CHECK_STR(pk_s(m, m->period_type.unit).s, "nanoseconds");
	CHECK_INT(m->period, 10000);
	CHECK_INT(m->n_samples, 1);
	CHECK_INT(pk_sample_values(m, 0)[0], 2);
	CHECK_INT(pk_sample_values(m, 0)[1], 3500);
	/* The inputs are scaled in place. */
	CHECK_STR(pk_s(a, a->sample_types[1].unit).s, "nanoseconds");
	CHECK_INT(pk_sample_values(a, 0)[1], 3000);
	CHECK_INT(a->period, 10000);
	pk_profile_free(m);
	pk_profile_free(a);
	pk_profile_free(b);

	/* Bytes and kilobytes; unknown units stay as they are. */
	a = tb_new("space/kilobytes n/widgets");
	b = tb_new("space/bytes n/widgets");
	tb_sample(a, va, 0, NULL, NULL);
	tb_sample(b, vb, 0, NULL, NULL);
	m = merge2(a, b);
	CHECK_STR(pk_s(m, m->sample_types[0].unit).s, "bytes");
	CHECK_INT(pk_sample_values(m, 0)[0], 1025);
	CHECK_INT(pk_sample_values(m, 0)[1], 503);
	pk_profile_free(m);
	pk_profile_free(a);
	pk_profile_free(b);
}

TEST(merge_many_chunks)
{
	enum { N = 150 };
	pk_profile *in[N], *m = NULL;
	for (int i = 0; i < N; i++) {
		in[i] = tb_new("samples/count");
		uint32_t f = tb_func(in[i], i % 2 ? "odd" : "even", "", 0);
		uint32_t l = tb_loc1(in[i], PK_NONE, 0x10, f, 0);
		const int64_t v[] = {i + 1};
		tb_sample(in[i], v, 1, &l, NULL);
		in[i]->duration_nanos = 1;
	}
	CHECK_INT(pk_profile_merge(CTX(), &m, in, N), PK_OK);
	CHECK_INT(m->n_samples, 2);
	CHECK_INT(pk_sample_values(m, 0)[0], 75 * 75);
	CHECK_INT(pk_sample_values(m, 1)[0], 75 * 76);
	CHECK_INT(m->duration_nanos, N);
	CHECK_STR(pk_s(m, m->functions[0].name).s, "even");
	pk_profile_free(m);
	for (int i = 0; i < N; i++)
		pk_profile_free(in[i]);
}

static void base_pair(pk_profile **p, pk_profile **base)
{
	*p = tb_new("samples/count cpu/nanoseconds");
	*base = tb_new("samples/count cpu/nanoseconds");
	uint32_t f = tb_func(*p, "f", "", 0), g = tb_func(*p, "g", "", 0);
	uint32_t lf = tb_loc1(*p, PK_NONE, 1, f, 0), lg = tb_loc1(*p, PK_NONE, 2, g, 0);
	const int64_t v1[] = {4, 400}, v2[] = {4, 100};
	tb_sample(*p, v1, 1, &lf, NULL);
	tb_sample(*p, v2, 1, &lg, NULL);
	uint32_t bf = tb_func(*base, "f", "", 0);
	uint32_t bl = tb_loc1(*base, PK_NONE, 1, bf, 0);
	const int64_t b1[] = {2, 250};
	tb_sample(*base, b1, 1, &bl, NULL);
}

TEST(diff_apply_base)
{
	pk_profile *p, *base, *out = NULL;
	base_pair(&p, &base);
	CHECK_INT(pk_profile_apply_base(CTX(), &out, p, base, PK_BASE_SUBTRACT, 0), PK_OK);
	/* -base: f is 400 - 250 and combined; nothing is labelled. */
	CHECK_INT(out->n_samples, 2);
	CHECK_INT(pk_sample_values(out, 0)[0], 2);
	CHECK_INT(pk_sample_values(out, 0)[1], 150);
	CHECK_INT(pk_sample_values(out, 1)[1], 100);
	CHECK(!pk_sample_is_diff_base(out, 0));
	pk_profile_free(out);
	pk_profile_free(p);
	pk_profile_free(base);

	base_pair(&p, &base);
	CHECK_INT(pk_profile_apply_base(ctx, &out, p, base, PK_BASE_DIFF, 0), PK_OK);
	/* -diff_base: base samples carry pprof::base=true and so stay apart. */
	CHECK_INT(out->n_samples, 3);
	CHECK_INT(pk_sample_values(out, 2)[1], -250);
	CHECK(!pk_sample_is_diff_base(out, 0) && !pk_sample_is_diff_base(out, 1));
	CHECK(pk_sample_is_diff_base(out, 2));
	pk_profile_free(out);
	pk_profile_free(p);
	pk_profile_free(base);
}

TEST(diff_normalize)
{
	pk_profile *p, *base, *out = NULL;
	base_pair(&p, &base);
	/* p is scaled by base/p per type: samples 2/8, cpu 250/500. */
	CHECK_INT(pk_profile_apply_base(CTX(), &out, p, base, PK_BASE_SUBTRACT, 1), PK_OK);
	CHECK_INT(pk_sample_values(p, 0)[0], 1);
	CHECK_INT(pk_sample_values(p, 0)[1], 200);
	CHECK_INT(pk_sample_values(p, 1)[1], 50);
	CHECK_INT(out->n_samples, 2);
	CHECK_INT(pk_sample_values(out, 0)[0], -1);
	CHECK_INT(pk_sample_values(out, 0)[1], -50);
	pk_profile_free(out);
	pk_profile_free(p);
	pk_profile_free(base);

	/* Normalize checks compatibility before any unit scaling. */
	base_pair(&p, &base);
	base->sample_types[1].unit = tb_s(base, "microseconds");
	CHECK_INT(pk_profile_apply_base(ctx, &out, p, base, PK_BASE_DIFF, 1), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "incompatible sample types [samples/count cpu/nanoseconds] "
	                               "and [samples/count cpu/microseconds]");
	/* Without -normalize the units are reconciled. */
	CHECK_INT(pk_profile_apply_base(ctx, &out, p, base, PK_BASE_DIFF, 0), PK_OK);
	CHECK_INT(pk_sample_values(out, 2)[1], -250000);
	pk_profile_free(out);
	pk_profile_free(p);
	pk_profile_free(base);
}

/* A profile of n samples over a few stacks and labels, equal ones repeating, values from seed;
 * with_base: some samples already carry pprof::base (a saved diff profile). */
static pk_profile *pair_side(int seed, int n, bool with_base)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	uint32_t f[4], l[6];
	const char *names[] = {"main", "f", "g", "h"};
	for (int i = 0; i < 4; i++)
		f[i] = tb_func(p, names[(i + seed) % 4], "x.go", i);
	for (int i = 0; i < 6; i++)
		l[i] = tb_loc1(p, PK_NONE, 0x100 + 16 * (uint64_t)i, f[i % 4], i);
	const char *labels[] = {NULL, "k=a", "k=b,n=#3:bytes", "pprof::base=true"};
	for (int i = 0; i < n; i++) {
		uint32_t stack[3] = {l[(i + seed) % 6], l[(i * 7) % 6], l[0]};
		int64_t v[2] = {1 + (i + seed) % 3 + n, 100 * (1 + i % 5) + n}; /* no sum is 0 */
		int lab = (i * 3 + seed) % (with_base ? 4 : 3);
		tb_sample(p, v, 1 + (uint32_t)(i % 3), stack, labels[lab]);
	}
	return p;
}

/* The consuming merge of several inputs (the first one's arrays grown and rewritten in place,
 * the others' pages given back as they are read) and the consuming -base/-diff_base (with a
 * table of samples per side when the sides cannot share a sample) give exactly what the
 * copying ones give. */
TEST(merge_take_in_place_equals_copy)
{
	for (int mode = 0; mode < 4; mode++) {
		for (int seed = 0; seed < 3; seed++) {
			pk_profile *a = pair_side(seed, 40, mode == 3),
			           *b = pair_side(seed, 30 + seed, false);
			pk_profile *want = NULL, *got = NULL, *ca = NULL, *cb = NULL;
			CHECK_INT(pk_profile_copy(CTX(), &ca, a), PK_OK);
			CHECK_INT(pk_profile_copy(CTX(), &cb, b), PK_OK);
			if (mode == 0) {
				pk_profile *in[2] = {a, b}, *take[2] = {ca, cb};
				CHECK_INT(pk_profile_merge(CTX(), &want, in, 2), PK_OK);
				CHECK_INT(pk_profile_merge_take(CTX(), &got, take, 2), PK_OK);
				CHECK(take[0] == NULL && take[1] == NULL);
			} else {
				pk_base_mode bm = mode == 1 ? PK_BASE_SUBTRACT : PK_BASE_DIFF;
				CHECK_INT(pk_profile_apply_base(CTX(), &want, a, b, bm, 0), PK_OK);
				CHECK_INT(pk_profile_apply_base_take(CTX(), &got, &ca, &cb, bm, 0),
				          PK_OK);
				CHECK(ca == NULL && cb == NULL);
			}
			uint8_t *e1 = NULL, *e2 = NULL;
			size_t n1 = 0, n2 = 0;
			CHECK(want && got);
			if (want && got) {
				CHECK(want->n_samples > 5);
				CHECK_INT(pk_encode(CTX(), want, &e1, &n1), PK_OK);
				CHECK_INT(pk_encode(CTX(), got, &e2, &n2), PK_OK);
				CHECK(n1 == n2 && memcmp(e1, e2, n1) == 0);
				CHECK_INT(pk_profile_check_valid(CTX(), got), PK_OK);
			}
			pk_free(e1);
			pk_free(e2);
			pk_profile_free(want);
			pk_profile_free(got);
			pk_profile_free(a);
			pk_profile_free(b);
		}
	}
}

/* pk_profile_set_label of a new key (labels moved up in their own array) and of a key some
 * samples have (a new array, the old values replaced) against the expected label lists. */
TEST(set_label_new_and_existing_key)
{
	pk_profile *p = pair_side(0, 12, false);
	char before[12][128], buf[1536];
	for (size_t i = 0; i < p->n_samples; i++)
		tb_labels(p, i, before[i], sizeof before[i]);
	CHECK_INT(pk_profile_set_label(CTX(), p, "pprof::base", "true"), PK_OK);
	for (size_t i = 0; i < p->n_samples; i++) {
		char want[1600];
		snprintf(want, sizeof want, "%s%spprof::base=true", before[i],
		         *before[i] ? "," : "");
		CHECK_STR(tb_labels(p, i, buf, sizeof buf), want);
	}
	CHECK_INT(pk_profile_set_label(CTX(), p, "k", "z"), PK_OK);
	for (size_t i = 0; i < p->n_samples; i++) {
		const char *t = tb_labels(p, i, buf, sizeof buf);
		CHECK(strstr(t, "k=z") != NULL && strstr(t, "k=a") == NULL &&
		      strstr(t, "k=b") == NULL);
		CHECK(strstr(t, "pprof::base=true") != NULL);
	}
	CHECK_INT(pk_profile_check_valid(CTX(), p), PK_OK);
	pk_profile_free(p);
}
