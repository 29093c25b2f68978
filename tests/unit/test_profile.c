/* test_profile.c - unit tests of lib/profile.c (copy, sample index by name, Aggregate, Scale,
 * labels, CheckValid), lib/prune.c (RemoveUninteresting, PruneFrom, finish) and lib/regex.c. */
#include "unit.h"
#include "pkbuild.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

static const int64_t V1[] = {1, 10}, V2[] = {2, 20};

TEST(profile_new_copy_free)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds"), *q = NULL;
	uint32_t f = tb_func(p, "main", "main.go", 1);
	uint32_t m = tb_map(p, 0x1000, 0x2000, 0, "/bin/x", "");
	uint32_t l = tb_loc1(p, m, 0x1234, f, 7);
	tb_sample(p, V1, 1, &l, "k=v,n=#3:bytes");
	p->comments[p->n_comments++] = tb_s(p, "hello");
	CHECK_INT(pk_profile_copy(CTX(), &q, p), PK_OK);
	CHECK_INT(pk_profile_sample_count(q), 1);
	CHECK_INT(pk_profile_sample_type_count(q), 2);
	const char *unit = NULL;
	CHECK_STR(pk_profile_sample_type(q, 1, &unit), "cpu");
	CHECK_STR(unit, "nanoseconds");
	CHECK(pk_profile_sample_type(q, 2, &unit) == NULL);
	CHECK_INT(q->strs.n, p->strs.n);
	CHECK_STR(pk_s(q, q->functions[0].name).s, "main");
	CHECK_STR(pk_s(q, q->comments[0]).s, "hello");
	char buf[128];
	CHECK_STR(tb_labels(q, 0, buf, sizeof buf), "k=v,n=#3:bytes");
	/* Independent: changing the copy leaves p alone. */
	pk_sample_values(q, 0)[0] = 99;
	CHECK_INT(pk_sample_values(p, 0)[0], 1);
	pk_profile_free(p);
	CHECK_INT(pk_sample_values(q, 0)[1], 10);
	pk_profile_free(q);
	pk_profile_free(NULL);
}

TEST(profile_sample_index_by_name)
{
	pk_profile *p = tb_new("alloc_objects/count alloc_space/bytes inuse_objects/count "
	                       "inuse_space/bytes");
	uint32_t i = 77;
	CHECK_INT(pk_sample_index_by_name(CTX(), p, "", &i), PK_OK);
	CHECK_INT(i, 3);
	p->default_sample_type = tb_s(p, "alloc_space");
	CHECK_INT(pk_sample_index_by_name(ctx, p, NULL, &i), PK_OK);
	CHECK_INT(i, 1);
	p->default_sample_type = tb_s(p, "nosuch");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "", &i), PK_OK);
	CHECK_INT(i, 3);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "inuse_objects", &i), PK_OK);
	CHECK_INT(i, 2);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "0", &i), PK_OK);
	CHECK_INT(i, 0);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "+3", &i), PK_OK);
	CHECK_INT(i, 3);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "-1", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "sample_index -1 is outside the range [0..3]");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "004", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "sample_index 004 is outside the range [0..3]");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "x", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "sample_index \"x\" must be one of: [alloc_objects "
	                               "alloc_space inuse_objects inuse_space]");
	/* Too big for Atoi: looked up as a name. */
	CHECK_INT(pk_sample_index_by_name(ctx, p, "99999999999999999999", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "sample_index \"99999999999999999999\" must be one of: "
	                               "[alloc_objects alloc_space inuse_objects inuse_space]");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "a\"b\\\t\x01\xff\xc3\xa9", &i), PK_EUSAGE);
	CHECK(strncmp(pk_ctx_message(ctx), "sample_index \"a\\\"b\\\\\\t\\x01\\xff\xc3\xa9\" must",
	              38) == 0);
	pk_profile_free(p);

	/* The legacy "inuse_" prefix selects "space" and "objects". */
	p = tb_new("objects/count space/bytes");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "inuse_space", &i), PK_OK);
	CHECK_INT(i, 1);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "space", &i), PK_OK);
	CHECK_INT(i, 1);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "alloc_space", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx),
	          "sample_index \"alloc_space\" must be one of: [objects space]");
	pk_profile_free(p);

	p = tb_new("");
	CHECK_INT(pk_sample_index_by_name(ctx, p, "", &i), PK_OK);
	CHECK_INT(i, PK_NONE);
	CHECK_INT(pk_sample_index_by_name(ctx, p, "0", &i), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "sample_index 0 is outside the range [0..-1]");
	pk_profile_free(p);
}

TEST(profile_aggregate)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t f[2] = {tb_func(p, "inner", "a.go", 1), tb_func(p, "outer", "b.go", 2)};
	int64_t ln[2] = {11, 22};
	uint32_t m = tb_map(p, 0x1000, 0x2000, 0, "/bin/x", "");
	p->mappings[m].has_inline_frames = p->mappings[m].has_line_numbers = true;
	uint32_t l = tb_loc(p, m, 0x1abc, 2, f, ln);
	CHECK_INT(pk_profile_aggregate(CTX(), p, true, true, true, true, true), PK_OK);
	CHECK_INT(p->locations[l].n_lines, 2);
	CHECK_INT(pk_profile_aggregate(ctx, p, false, true, false, false, false), PK_OK);
	CHECK_INT(p->locations[l].n_lines, 1);
	CHECK_INT(p->lines[p->locations[l].line_start].function, f[1]);
	CHECK_INT(p->lines[p->locations[l].line_start].line, 0);
	CHECK_INT(p->locations[l].address, 0);
	CHECK_INT(p->functions[f[1]].filename, 0);
	CHECK_STR(pk_s(p, p->functions[f[1]].name).s, "outer");
	CHECK(!p->mappings[m].has_inline_frames && !p->mappings[m].has_line_numbers);
	CHECK(p->mappings[m].has_functions);
	CHECK_INT(pk_profile_aggregate(ctx, p, false, false, false, false, false), PK_OK);
	CHECK_INT(p->functions[f[1]].name, 0);
	CHECK_INT(p->functions[f[1]].system_name, 0);
	CHECK(!p->mappings[m].has_functions);
	pk_profile_free(p);
}

TEST(profile_scale_n)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	const int64_t a[] = {3, 5}, b[] = {1, 1}, c[] = {0, 7}, d[] = {5, 0};
	tb_sample(p, a, 0, NULL, NULL);
	tb_sample(p, b, 0, NULL, NULL);
	tb_sample(p, c, 0, NULL, NULL);
	tb_sample(p, d, 0, NULL, NULL);
	const double ones[] = {1, 1};
	CHECK_INT(pk_profile_scale_n(CTX(), p, ones), PK_OK);
	CHECK_INT(p->n_samples, 4);
	/* Rounds half away from zero; a sample stays only if a *scaled* value is non-zero:
	 * d = {5, 0} goes although its unscaled value is 5 (ScaleN's rule). */
	const double r[] = {1, 0.5};
	CHECK_INT(pk_profile_scale_n(ctx, p, r), PK_OK);
	CHECK_INT(p->n_samples, 3);
	CHECK_INT(pk_sample_values(p, 0)[1], 3); /* 2.5 -> 3 */
	CHECK_INT(pk_sample_values(p, 1)[1], 1); /* 0.5 -> 1 */
	CHECK_INT(pk_sample_values(p, 2)[0], 0);
	CHECK_INT(pk_sample_values(p, 2)[1], 4); /* 3.5 -> 4 */
	CHECK_INT(pk_profile_scale(ctx, p, -1), PK_OK);
	CHECK_INT(pk_sample_values(p, 0)[0], -3);
	CHECK_INT(pk_sample_values(p, 2)[1], -4);
	CHECK_INT(pk_profile_scale(ctx, p, 0), PK_OK);
	CHECK_INT(p->n_samples, 0);
	pk_profile_free(p);

	/* Go's int64(float) of an out-of-range value on amd64. */
	p = tb_new("x/count");
	const int64_t big[] = {INT64_MAX};
	tb_sample(p, big, 0, NULL, NULL);
	CHECK_INT(pk_profile_scale(ctx, p, 2), PK_OK);
	CHECK_INT(pk_sample_values(p, 0)[0], INT64_MIN);
	pk_profile_free(p);
}

TEST(profile_keep_samples)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	tb_sample(p, V1, 0, NULL, "a=1");
	tb_sample(p, V2, 0, NULL, "a=2");
	tb_sample(p, V1, 0, NULL, "a=3");
	bool keep[] = {false, true, true};
	CHECK_INT(pk_profile_keep_samples(CTX(), p, keep), PK_OK);
	char buf[64];
	CHECK_INT(p->n_samples, 2);
	CHECK_STR(tb_labels(p, 0, buf, sizeof buf), "a=2");
	CHECK_INT(pk_sample_values(p, 0)[1], 20);
	CHECK_STR(tb_labels(p, 1, buf, sizeof buf), "a=3");
	CHECK_INT(pk_sample_values(p, 1)[1], 10);
	pk_profile_free(p);
}

TEST(profile_set_remove_label)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	tb_sample(p, V1, 0, NULL, "k=a,x=1,k=b,k=#5");
	tb_sample(p, V2, 0, NULL, NULL);
	char buf[128];
	CHECK_INT(pk_profile_set_label(CTX(), p, "k", "v"), PK_OK);
	/* SetLabel replaces the string values of k; numeric labels of k stay. */
	CHECK_STR(tb_labels(p, 0, buf, sizeof buf), "x=1,k=#5,k=v");
	CHECK_STR(tb_labels(p, 1, buf, sizeof buf), "k=v");
	CHECK(!pk_sample_is_diff_base(p, 0));
	CHECK_INT(pk_profile_set_label(ctx, p, "pprof::base", "true"), PK_OK);
	CHECK(pk_sample_is_diff_base(p, 0) && pk_sample_is_diff_base(p, 1));
	CHECK_INT(pk_profile_remove_label(ctx, p, "k"), PK_OK);
	CHECK_STR(tb_labels(p, 0, buf, sizeof buf), "x=1,k=#5,pprof::base=true");
	CHECK_STR(tb_labels(p, 1, buf, sizeof buf), "pprof::base=true");
	CHECK_INT(pk_profile_remove_label(ctx, p, "pprof::base"), PK_OK);
	CHECK_INT(pk_profile_remove_label(ctx, p, "nosuch"), PK_OK);
	CHECK(!pk_sample_is_diff_base(p, 1));
	CHECK_INT(p->samples[1].n_labels, 0);
	pk_profile_free(p);
}

TEST(profile_check_valid)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t f = tb_func(p, "a", "", 0);
	tb_func(p, "b", "", 0);
	uint32_t m = tb_map(p, 0, 0x1000, 0, "x", "");
	tb_loc1(p, m, 1, f, 1);
	tb_loc1(p, m, 2, f, 2);
	CHECK_INT(pk_profile_check_valid(CTX(), p), PK_OK);
	p->functions[1].id = 1;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "multiple functions with same id: 1");
	p->functions[1].id = 0;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "found function with reserved ID=0");
	p->functions[1].id = 9;
	p->mappings[0].id = 0;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "found mapping with reserved ID=0");
	p->mappings[0].id = 4;
	p->locations[1].id = 1;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "multiple locations with same id: 1");
	/* A nil function in an earlier location is reported first. */
	p->lines[0].function = PK_NONE;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "location id: 1 has a line with nil function");
	p->locations[1].id = 0;
	p->locations[0].id = 7;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "location id: 7 has a line with nil function");
	p->lines[0].function = f;
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "found location with reserved id=0");
	pk_profile_free(p);

	p = tb_new("");
	tb_sample(p, V1, 0, NULL, NULL);
	CHECK_INT(pk_profile_check_valid(ctx, p), PK_EFORMAT);
	CHECK_STR(pk_ctx_message(ctx), "missing sample type information");
	pk_profile_free(p);
}

TEST(regex_basics)
{
	pk_regex *re = NULL;
	CHECK_INT(pk_regex_compile(CTX(), &re, "b.r", "focus"), PK_OK);
	CHECK(pk_regex_match(re, "foobarbaz", 9)); /* unanchored */
	CHECK(!pk_regex_match(re, "foobar", 3));
	CHECK(pk_regex_match(re, "b\xc3\xa9r", 4)); /* '.' is a rune */
	CHECK(!pk_regex_match(re, "b\xff\xfer", 4));
	pk_regex_free(re);
	CHECK_INT(pk_regex_compile(ctx, &re, "^a$", NULL), PK_OK);
	CHECK(!pk_regex_match(re, "a\n", 2)); /* '$' is the end of text */
	pk_regex_free(re);
	CHECK_INT(pk_regex_compile(ctx, &re, "a(", "focus"), PK_EUSAGE);
	CHECK(re == NULL);
	CHECK(strncmp(pk_ctx_message(ctx), "parsing focus regexp: error parsing regexp: ", 44) ==
	      0);
	pk_regex_free(NULL);
}

/* A profile for the prune tests: stacks written root last, as in the model. */
static pk_profile *prune_profile(void)
{
	pk_profile *p = tb_new("samples/count");
	const char *names[] = {
	    "main",         "malloc", "tcmalloc::Alloc(int)",          "operator new",
	    ".libc_helper", "user",   "(anonymous namespace)::f(int)", "Foo::operator()(int)"};
	for (int i = 0; i < 8; i++)
		tb_func(p, names[i], "", 0);
	for (uint32_t i = 0; i < 8; i++)
		tb_loc1(p, PK_NONE, 0x100 + i, i, 0);
	return p;
}

TEST(prune_remove_uninteresting)
{
	pk_profile *p = prune_profile();
	char buf[256];
	/* leaf .. root */
	const uint32_t s0[] = {2, 1, 5, 0}; /* tcmalloc::Alloc <- malloc <- user <- main */
	const uint32_t s1[] = {1, 0};       /* malloc <- main */
	const uint32_t s2[] = {4, 5, 0};    /* .libc_helper <- user <- main */
	const uint32_t s3[] = {1, 3};       /* malloc <- operator new (root matches) */
	const uint32_t s4[] = {6, 7, 0};
	tb_sample(p, V1, 4, s0, NULL);
	tb_sample(p, V1, 2, s1, NULL);
	tb_sample(p, V1, 3, s2, NULL);
	tb_sample(p, V1, 2, s3, NULL);
	tb_sample(p, V1, 3, s4, NULL);
	CHECK_INT(pk_profile_remove_uninteresting(CTX(), p), PK_OK); /* no drop_frames */
	CHECK_STR(tb_frames(p, 0, buf, sizeof buf), "tcmalloc::Alloc(int) malloc user main");
	p->drop_frames = tb_s(p, "malloc|tcmalloc::.*|operator new|libc_helper|"
	                         "\\(anonymous namespace\\)::f|Foo::operator\\(\\)");
	p->keep_frames = tb_s(p, "Foo::.*");
	CHECK_INT(pk_profile_remove_uninteresting(ctx, p), PK_OK);
	CHECK_STR(tb_frames(p, 0, buf, sizeof buf), "user main");
	CHECK_STR(tb_frames(p, 1, buf, sizeof buf), "main");
	CHECK_STR(tb_frames(p, 2, buf, sizeof buf), "user main"); /* leading '.' trimmed */
	CHECK_STR(tb_frames(p, 3, buf, sizeof buf), "malloc operator new"); /* no user frame */
	/* "(anonymous namespace)" is not cut; Foo::operator() matches keep_frames. */
	CHECK_STR(tb_frames(p, 4, buf, sizeof buf), "Foo::operator()(int) main");
	pk_profile_free(p);
}

TEST(prune_inlined_lines)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t f[3] = {tb_func(p, "leaf", "", 0), tb_func(p, "drop", "", 0),
	                 tb_func(p, "caller", "", 0)};
	uint32_t top = tb_func(p, "main", "", 0);
	uint32_t l0 = tb_loc(p, PK_NONE, 1, 3, f, NULL); /* leaf, drop inlined in caller */
	uint32_t l1 = tb_loc1(p, PK_NONE, 2, top, 0);
	const uint32_t s[] = {l0, l1};
	tb_sample(p, V1, 2, s, NULL);
	p->drop_frames = tb_s(p, "drop");
	char buf[128];
	CHECK_INT(pk_profile_finish(CTX(), p), PK_OK);
	/* The location keeps the lines above the match and stays as the new leaf. */
	CHECK_STR(tb_frames(p, 0, buf, sizeof buf), "caller main");
	pk_profile_free(p);
}

TEST(prune_finish_ignores_bad_pattern)
{
	pk_profile *p = prune_profile();
	const uint32_t s0[] = {1, 5, 0};
	tb_sample(p, V1, 3, s0, NULL);
	p->drop_frames = tb_s(p, "malloc(");
	CHECK_INT(pk_profile_remove_uninteresting(CTX(), p), PK_EFORMAT);
	CHECK(strncmp(pk_ctx_message(ctx),
	              "failed to compile regexp malloc(: error parsing regexp: ", 55) == 0);
	CHECK_INT(pk_profile_finish(ctx, p), PK_OK);
	CHECK_INT(p->samples[0].n_locs, 3);
	pk_profile_free(p);
}

TEST(prune_from)
{
	pk_profile *p = prune_profile();
	const uint32_t s0[] = {1, 5, 0, 5, 2}; /* as PruneFrom's doc: [A,B,C,B,D] */
	tb_sample(p, V1, 5, s0, NULL);
	pk_regex *re = NULL;
	char buf[256];
	CHECK_INT(pk_regex_compile(CTX(), &re, "user", "prune_from"), PK_OK);
	CHECK_INT(pk_profile_prune_from(ctx, p, re), PK_OK);
	CHECK_STR(tb_frames(p, 0, buf, sizeof buf), "user main user tcmalloc::Alloc(int)");
	pk_regex_free(re);
	pk_profile_free(p);
}

TEST(finish_unsources_url_mappings)
{
	pk_profile *p = tb_new("samples/count");
	tb_map(p, 0, 0x1000, 0, "/usr/bin/prog", "");
	tb_map(p, 0x1000, 0x2000, 0, "C:\\prog.exe", "");
	tb_map(p, 0x2000, 0x3000, 0, "https://example.com/lib.so", "");
	tb_map(p, 0x3000, 0x4000, 0, "https://example.com/x.so", "abc");
	tb_map(p, 0x4000, 0x5000, 0, "http://bad host/", "");
	tb_map(p, 0x5000, 0x6000, 0, "[vdso]", "");
	CHECK_INT(pk_profile_finish(CTX(), p), PK_OK);
	CHECK_STR(pk_s(p, p->mappings[0].file).s, "/usr/bin/prog");
	CHECK_STR(pk_s(p, p->mappings[1].file).s, ""); /* a URL with scheme "C" */
	CHECK_STR(pk_s(p, p->mappings[2].file).s, "");
	CHECK_STR(pk_s(p, p->mappings[3].file).s, "https://example.com/x.so"); /* has a build ID */
	CHECK_STR(pk_s(p, p->mappings[4].file).s, "http://bad host/");         /* does not parse */
	CHECK_STR(pk_s(p, p->mappings[5].file).s, "[vdso]");
	pk_profile_free(p);
}
