/* test_tagfilter.c - unit tests of lib/tagfilter.c (parseTagFilterRange, compileTagFilter: every
 * form pprof accepts), lib/filter.c (applyFocus on small profiles, pprof's notices) and
 * lib/tagroot.c (-tagroot / -tagleaf pseudo frames). */
#include "unit.h"
#include "pkbuild.h"

static pk_ctx *ctx;
static char warnings[4096];
static void on_warn(void *payload, const char *msg)
{
	(void)payload;
	size_t n = strlen(warnings);
	snprintf(warnings + n, sizeof warnings - n, "%s\n", msg);
}
static pk_ctx *CTX(void)
{
	if (!ctx) {
		ctx = pk_ctx_new();
		pk_ctx_on_warning(ctx, on_warn, NULL);
	}
	warnings[0] = 0;
	return ctx;
}

/* ---- parseTagFilterRange ---------------------------------------------------------------- */

static int parse(const char *f, pk_tagrange *tr)
{
	return pk_tagrange_parse(CTX(), "tagfocus", f, tr);
}

#define CHECK_RANGE(f, k, l, h, u)                                                                 \
	do {                                                                                       \
		pk_tagrange tr_;                                                                   \
		CHECK_INT(parse(f, &tr_), 1);                                                      \
		CHECK_INT(tr_.kind, k);                                                            \
		CHECK(tr_.lo == (l));                                                              \
		CHECK(tr_.hi == (h));                                                              \
		CHECK_STR(tr_.unit, u);                                                            \
		free(tr_.unit);                                                                    \
	} while (0)

TEST(tagrange_forms)
{
	CHECK_RANGE("32kb", PK_TR_EQ, 32, 0, "kB");
	CHECK_RANGE("4mb:", PK_TR_GE, 4, 0, "MB");
	CHECK_RANGE(":64kb", PK_TR_LE, 0, 64, "kB");
	CHECK_RANGE("12kb:64mb", PK_TR_BETWEEN, 12, 65536, "kB"); /* 64mb in kB */
	CHECK_RANGE("1024", PK_TR_EQ, 1024, 0, "");
	CHECK_RANGE("+3", PK_TR_EQ, 3, 0, "");
	CHECK_RANGE("-5:5", PK_TR_BETWEEN, -5, 5, "");
	CHECK_RANGE("0:", PK_TR_GE, 0, 0, "");
	CHECK_RANGE("10s:", PK_TR_GE, 10, 0, "s");
	CHECK_RANGE("100ms:2s", PK_TR_BETWEEN, 100, 2000, "ms");
	CHECK_RANGE("512b", PK_TR_EQ, 512, 0, "B");
	CHECK_RANGE("2Bytes", PK_TR_EQ, 2, 0, "B");
	CHECK_RANGE("5foo", PK_TR_EQ, 5, 0, "foo");         /* unknown units are kept as written */
	CHECK_RANGE("7count", PK_TR_EQ, 7, 0, "");          /* Scale drops count, sample, unit */
	CHECK_RANGE("1kb:2foo", PK_TR_BETWEEN, 1, 2, "kB"); /* an unknown unit reads as kB */
}

TEST(tagrange_not_ranges)
{
	pk_tagrange tr;
	static const char *not_ranges[] = {
	    "",         /* no number */
	    "abc",      /* no number */
	    ":",        /* no number */
	    "x1kb",     /* text before */
	    "1kb;",     /* text after */
	    "1kb::",    /* two colons */
	    "1.5mb",    /* two numbers, not "A:B" */
	    "1kb:2ms",  /* B in another unit family */
	    "1:2:3",    /* a third number */
	    "worker-1", /* "-1" follows text */
	    "a,b",
	};
	for (size_t i = 0; i < sizeof not_ranges / sizeof not_ranges[0]; i++) {
		int r = parse(not_ranges[i], &tr);
		if (r != 0)
			fprintf(stderr, "%s: %d\n", not_ranges[i], r);
		CHECK_INT(r, 0);
	}
}

TEST(tagrange_overflow)
{
	pk_tagrange tr;
	/* pprof panics on these; here a usage error naming the flag. */
	CHECK_INT(parse("99999999999999999999", &tr), -1);
	CHECK_INT(ctx->status, PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx),
	          "tagfocus: failed to parse int 99999999999999999999: strconv.ParseInt: parsing "
	          "\"99999999999999999999\": value out of range");
	/* The first number is parsed before the form is checked, as in pprof. */
	CHECK_INT(parse("x99999999999999999999kb", &tr), -1);
	/* The second only when the form is A:B. */
	CHECK_INT(parse("1:99999999999999999999", &tr), -1);
	CHECK_INT(parse("1 99999999999999999999", &tr), 0);
	CHECK_RANGE("-9223372036854775808:9223372036854775807", PK_TR_BETWEEN,
	            -9223372036854775808.0, 9223372036854775807.0, "");
}

TEST(tagrange_match)
{
	pk_tagrange tr;
	CHECK_INT(parse("1kb:", &tr), 1);
	CHECK(pk_tagrange_match(&tr, 1024, "bytes"));
	CHECK(!pk_tagrange_match(&tr, 1023, "bytes"));
	CHECK(pk_tagrange_match(&tr, 2, "kilobytes"));
	/* Scale reads a value of an unknown unit as already in the wanted one. */
	CHECK(pk_tagrange_match(&tr, 5000, "request_id"));
	CHECK(pk_tagrange_match(&tr, 5000, ""));
	CHECK(!pk_tagrange_match(&tr, 5000, "ms"));
	free(tr.unit);
	CHECK_INT(parse("1001", &tr), 1);
	CHECK(pk_tagrange_match(&tr, 1001, "request_id")); /* unitless: Scale keeps "" */
	CHECK(!pk_tagrange_match(&tr, 1001, "bytes"));     /* bytes scale to "B" */
	CHECK(!pk_tagrange_match(&tr, 1002, ""));
	free(tr.unit);
	CHECK_INT(parse(":1ms", &tr), 1);
	CHECK(pk_tagrange_match(&tr, 1000000, "nanoseconds"));
	CHECK(!pk_tagrange_match(&tr, 1000001, "ns"));
	CHECK(pk_tagrange_match(&tr, -5, "ns"));
	free(tr.unit);
	CHECK_INT(parse("5foo", &tr), 1);
	CHECK(pk_tagrange_match(&tr, 5, "foo"));
	CHECK(pk_tagrange_match(&tr, 5, "bar")); /* Scale(5, "bar", "foo") is (5, "foo") */
	CHECK(!pk_tagrange_match(&tr, 5, "bytes"));
	free(tr.unit);
}

/* ---- compileTagFilter ------------------------------------------------------------------- */

static const int64_t V[] = {1, 10};

/* Samples: 0 worker=a phase=hash bytes=1024; 1 worker=b phase=sort bytes=64kB;
 * 2 worker=a,b (two values) request_id=7; 3 no labels; 4 phase=text bytes=512 size=3 (no unit). */
static pk_profile *labelled(void)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	uint32_t f = tb_func(p, "main", "main.go", 1);
	uint32_t l = tb_loc1(p, PK_NONE, 0, f, 1);
	tb_sample(p, V, 1, &l, "worker=a,phase=hash,bytes=#1024:bytes");
	tb_sample(p, V, 1, &l, "worker=b,phase=sort,bytes=#65536:bytes");
	tb_sample(p, V, 1, &l, "worker=a,worker=b,request_id=#7");
	tb_sample(p, V, 1, &l, "");
	tb_sample(p, V, 1, &l, "phase=text,bytes=#512:bytes,size=#3");
	return p;
}

/* Which samples pass flag=value, as "01101", or the error message. */
static const char *which(pk_profile *p, const char *value, char *buf, size_t n)
{
	pk_nlu_table nlu;
	pk_fenv r = {CTX(), p, &nlu};
	if (pk_profile_num_label_units(r.ctx, p, &nlu) != PK_OK)
		return "nlu failed";
	pk_tagfilter *f = NULL;
	if (pk_tagfilter_compile(&r, &f, "tagfocus", value) != PK_OK) {
		snprintf(buf, n, "%s", pk_ctx_message(ctx));
		return buf;
	}
	if (!f)
		return "unset";
	size_t i;
	for (i = 0; i < p->n_samples && i + 1 < n; i++)
		buf[i] = pk_tagfilter_match(f, i) ? '1' : '0';
	buf[i] = 0;
	pk_tagfilter_free(f);
	return buf;
}

TEST(tagfilter_forms)
{
	pk_profile *p = labelled();
	char b[256];
	CHECK_STR(which(p, NULL, b, sizeof b), "unset");
	CHECK_STR(which(p, "", b, sizeof b), "unset");
	/* key=regexps: any regexp matches any value of the key */
	CHECK_STR(which(p, "worker=a", b, sizeof b), "10100");
	CHECK_STR(which(p, "worker=^b$", b, sizeof b), "01100");
	CHECK_STR(which(p, "phase=hash,sort", b, sizeof b), "11000");
	CHECK_STR(which(p, "phase=(?i)TEXT", b, sizeof b), "00001");
	CHECK_STR(which(p, "phase=", b, sizeof b), "11001"); /* "" matches any value */
	CHECK_STR(which(p, "nokey=.", b, sizeof b), "00000");
	CHECK_STR(which(p, "bytes=.", b, sizeof b), "00000"); /* regexps see string labels only */
	/* regexps without a key: each must match some "key:value" */
	CHECK_STR(which(p, "worker:a", b, sizeof b), "10100");
	CHECK_STR(which(p, "a", b, sizeof b), "11101"); /* "phase:sort" has an 'a' too */
	CHECK_STR(which(p, "worker:a,phase:hash", b, sizeof b), "10000");
	CHECK_STR(which(p, "worker:a,worker:b", b, sizeof b), "00100");
	CHECK_STR(which(p, "=worker:b", b, sizeof b), "01100"); /* empty key: no key */
	CHECK_STR(which(p, ".", b, sizeof b), "11101");
	/* numeric ranges, with and without a key, in the key's unit */
	CHECK_STR(which(p, "bytes=1kb:", b, sizeof b), "11000");
	CHECK(strstr(warnings, "tagfocus:Interpreted '1kb:' as range, not regexp\n") != NULL);
	CHECK_STR(which(p, "bytes=:1kb", b, sizeof b), "10001");
	CHECK_STR(which(p, "bytes=512b:1kb", b, sizeof b), "10001");
	CHECK_STR(which(p, "bytes=64kb", b, sizeof b), "01000");
	CHECK_STR(which(p, "bytes=1024", b, sizeof b), "00000"); /* "" is not the unit "B" */
	CHECK_STR(which(p, "64kb", b, sizeof b), "01000");
	CHECK_STR(which(p, "7", b, sizeof b), "00100"); /* request_id's unit is its name */
	CHECK_STR(which(p, "request_id=5:10", b, sizeof b), "00100");
	CHECK_STR(which(p, "size=3", b, sizeof b), "00001");
	CHECK_STR(which(p, "worker=1:", b, sizeof b), "00000"); /* no numeric worker */
	/* errors name the flag */
	CHECK_STR(which(p, "worker=(", b, sizeof b),
	          "parsing tagfocus regexp: error parsing regexp: missing closing ): `(`");
	CHECK_STR(which(p, "a,b,[[:foo:]]", b, sizeof b),
	          "parsing tagfocus regexp: error parsing regexp: invalid character class range: "
	          "`[:foo:]`");
	CHECK_STR(which(p, "99999999999999999999:", b, sizeof b),
	          "tagfocus: failed to parse int 99999999999999999999: strconv.ParseInt: parsing "
	          "\"99999999999999999999\": value out of range");
	pk_profile_free(p);
}

/* ---- applyFocus ------------------------------------------------------------------------- */

/* main -> a -> b (inlined into a's location) -> leaf, and main -> c; a mapping "libfoo.so" for
 * the c location. */
static pk_profile *stacks(void)
{
	pk_profile *p = tb_new("samples/count cpu/nanoseconds");
	uint32_t m0 = tb_map(p, 0x1000, 0x2000, 0, "/bin/app", "");
	uint32_t m1 = tb_map(p, 0x3000, 0x4000, 0, "/lib/libfoo.so", "");
	uint32_t fmain = tb_func(p, "main", "main.go", 1);
	uint32_t fa = tb_func(p, "pkg.a", "a.go", 1);
	uint32_t fb = tb_func(p, "pkg.b", "b.go", 1);
	uint32_t fleaf = tb_func(p, "runtime.leaf", "rt.go", 1);
	uint32_t fc = tb_func(p, "foo_c", "c.c", 1);
	uint32_t lmain = tb_loc1(p, m0, 0x1100, fmain, 10);
	uint32_t fab[2] = {fb, fa};
	uint32_t lab = tb_loc(p, m0, 0x1200, 2, fab, NULL);
	uint32_t lleaf = tb_loc1(p, m0, 0x1300, fleaf, 5);
	uint32_t lc = tb_loc1(p, m1, 0x3100, fc, 7);
	uint32_t s0[] = {lleaf, lab, lmain}, s1[] = {lc, lmain}, s2[] = {lab, lmain};
	static const int64_t v0[] = {1, 100}, v1[] = {2, 200}, v2[] = {4, 400};
	tb_sample(p, v0, 3, s0, "t=x");
	tb_sample(p, v1, 2, s1, "t=y,n=#5:bytes");
	tb_sample(p, v2, 2, s2, "t=x");
	tb_sample(p, v2, 0, NULL, ""); /* no locations: FilterSamplesByName drops it */
	return p;
}

/* Applies the filters; "frames|frames|..." of the samples left, or the error. */
static const char *focus(pk_profile *p, const pk_options *o, char *buf, size_t n)
{
	pk_nlu_table nlu;
	pk_fenv r = {CTX(), p, &nlu};
	if (pk_profile_num_label_units(r.ctx, p, &nlu) != PK_OK)
		return "nlu failed";
	if (pk_apply_filters(&r, o) != PK_OK) {
		snprintf(buf, n, "%s", pk_ctx_message(ctx));
		return buf;
	}
	size_t w = 0;
	buf[0] = 0;
	for (size_t i = 0; i < p->n_samples && w < n; i++) {
		char fr[256];
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? "|" : "",
		                      tb_frames(p, i, fr, sizeof fr));
	}
	return buf;
}

#define FOCUS(field, value, want, warn)                                                            \
	do {                                                                                       \
		pk_options o_ = PK_OPTIONS_INIT;                                                   \
		pk_profile *p_ = stacks();                                                         \
		char b_[1024];                                                                     \
		o_.field = value;                                                                  \
		CHECK_STR(focus(p_, &o_, b_, sizeof b_), want);                                    \
		CHECK_STR(warnings, warn);                                                         \
		pk_profile_free(p_);                                                               \
	} while (0)

TEST(filter_by_name)
{
	FOCUS(focus, NULL, "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main", "");
	FOCUS(focus, "pkg\\.b", "runtime.leaf pkg.b pkg.a main|pkg.b pkg.a main", "");
	FOCUS(focus, "^c\\.c$", "foo_c main", "");                           /* file name */
	FOCUS(focus, "libfoo", "foo_c main", "");                            /* mapping file */
	FOCUS(focus, "0x3100", "", "Focus expression matched no samples\n"); /* no addresses */
	FOCUS(ignore, "leaf", "foo_c main|pkg.b pkg.a main", "");
	FOCUS(ignore, "nomatch", "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main",
	      "Ignore expression matched no samples\n");
	/* hide removes lines, then locations left without lines */
	FOCUS(hide, "pkg\\.a", "runtime.leaf pkg.b main|foo_c main|pkg.b main", "");
	FOCUS(hide, "^main", "runtime.leaf pkg.b pkg.a|foo_c|pkg.b pkg.a", "");
	FOCUS(hide, "app", "foo_c", ""); /* the mapping hides whole locations */
	FOCUS(show, "pkg", "pkg.b pkg.a|pkg.b pkg.a", "");
	FOCUS(show, "libfoo", "foo_c", "");
	FOCUS(show, "zzz", "", "Show expression matched no samples\n");
	/* show_from: from the root down to the highest match; its location keeps lines up to
	 * the match */
	FOCUS(show_from, "pkg\\.b", "runtime.leaf pkg.b|pkg.b", "");
	FOCUS(show_from, "pkg\\.a", "runtime.leaf pkg.b pkg.a|pkg.b pkg.a", "");
	FOCUS(show_from, "^main$", "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main", "");
	FOCUS(show_from, "nope", "", "ShowFrom expression matched no samples\n");
	FOCUS(prune_from, "pkg\\.a", "pkg.a main|foo_c main|pkg.a main", "");
	FOCUS(tagfocus, "t=y", "foo_c main", "");
	FOCUS(tagignore, "t=x", "foo_c main", "");
	FOCUS(tagfocus, "n=4b:", "foo_c main", "tagfocus:Interpreted '4b:' as range, not regexp\n");
	FOCUS(tagfocus, "t=z", "", "TagFocus expression matched no samples\n");
	FOCUS(tagignore, "t=z", "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main",
	      "TagIgnore expression matched no samples\n");
	FOCUS(focus, "(", "parsing focus regexp: error parsing regexp: missing closing ): `(`", "");
	FOCUS(show_from, "a{1001}",
	      "parsing show_from regexp: error parsing regexp: invalid repeat count: `{1001}`", "");
	FOCUS(prune_from, "\\8",
	      "parsing prune_from regexp: error parsing regexp: invalid escape sequence: `\\8`",
	      "");
	FOCUS(tagshow, "(?z)",
	      "parsing tagshow regexp: error parsing regexp: invalid or unsupported Perl syntax: "
	      "`(?z`",
	      "");
}

TEST(filter_order_and_notices)
{
	pk_options o = PK_OPTIONS_INIT;
	pk_profile *p = stacks();
	char b[1024];
	/* compileRegexOption order: the first bad one is reported */
	o.ignore = "[";
	o.prune_from = "(";
	CHECK_STR(focus(p, &o, b, sizeof b),
	          "parsing ignore regexp: error parsing regexp: missing closing ]: `[`");
	/* a bad -tagshow comes after the filters and their notices */
	o = (pk_options)PK_OPTIONS_INIT;
	o.focus = "nomatch";
	o.tagshow = "*";
	CHECK_STR(focus(p, &o, b, sizeof b),
	          "parsing tagshow regexp: error parsing regexp: missing argument to repetition "
	          "operator: `*`");
	CHECK_STR(warnings, "Focus expression matched no samples\n");
	pk_profile_free(p);
	/* every notice, in pprof's order */
	p = stacks();
	o = (pk_options)PK_OPTIONS_INIT;
	o.focus = o.ignore = o.hide = o.show = o.show_from = "zz";
	o.tagfocus = o.tagignore = o.tagshow = o.taghide = "zz";
	CHECK_STR(focus(p, &o, b, sizeof b), "");
	CHECK_STR(warnings, "Focus expression matched no samples\n"
	                    "Ignore expression matched no samples\n"
	                    "Hide expression matched no samples\n"
	                    "Show expression matched no samples\n"
	                    "ShowFrom expression matched no samples\n"
	                    "TagFocus expression matched no samples\n"
	                    "TagIgnore expression matched no samples\n"
	                    "TagShow expression matched no samples\n"
	                    "TagHide expression matched no samples\n");
	pk_profile_free(p);
}

TEST(filter_tags_by_name)
{
	pk_options o = PK_OPTIONS_INIT;
	pk_profile *p = stacks();
	char b[1024], l[256];
	o.tagshow = "^n$";
	CHECK_STR(focus(p, &o, b, sizeof b),
	          "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main");
	CHECK_STR(tb_labels(p, 0, l, sizeof l), "");
	CHECK_STR(tb_labels(p, 1, l, sizeof l), "n=#5:bytes");
	pk_profile_free(p);
	p = stacks();
	o.tagshow = NULL;
	o.taghide = "n";
	CHECK_STR(focus(p, &o, b, sizeof b),
	          "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main");
	CHECK_STR(tb_labels(p, 1, l, sizeof l), "t=y");
	CHECK_STR(warnings, "");
	o.taghide = "zz";
	o.tagshow = "zz";
	CHECK_STR(focus(p, &o, b, sizeof b),
	          "runtime.leaf pkg.b pkg.a main|foo_c main|pkg.b pkg.a main");
	CHECK_STR(warnings,
	          "TagShow expression matched no samples\nTagHide expression matched no samples\n");
	CHECK_STR(tb_labels(p, 0, l, sizeof l), "");
	pk_profile_free(p);
}

/* ---- tagroot / tagleaf ------------------------------------------------------------------ */

static const char *roots(pk_profile *p, const char *root, const char *leaf, const char *unit,
                         char *buf, size_t n)
{
	pk_options o = PK_OPTIONS_INIT;
	o.tagroot = root;
	o.tagleaf = leaf;
	if (unit)
		o.unit = unit;
	pk_fenv r = {CTX(), p, NULL};
	if (pk_tag_roots_leaves(&r, &o) != PK_OK)
		return pk_ctx_message(ctx);
	size_t w = 0;
	buf[0] = 0;
	for (size_t i = 0; i < p->n_samples && w < n; i++) {
		char fr[256];
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? "|" : "",
		                      tb_frames(p, i, fr, sizeof fr));
	}
	return buf;
}

TEST(tagroot_leaf)
{
	pk_profile *p = labelled();
	char b[1024];
	CHECK_STR(roots(p, "worker", NULL, NULL, b, sizeof b),
	          "main a|main b|main a,b|main |main ");
	CHECK_STR(warnings, "");
	/* ids continue after the largest ones; frames are shared by (name, key) */
	CHECK_INT(p->n_functions, 5);
	CHECK_INT(p->functions[1].id, 2);
	CHECK_STR(pk_s(p, p->functions[1].filename).s, "worker");
	CHECK_INT(p->locations[3].id, 4);
	CHECK(p->locations[3].mapping == PK_NONE);
	pk_profile_free(p);

	p = labelled();
	/* the first root key is the root, the last leaf key the leaf; numbers in -unit */
	CHECK_STR(roots(p, "phase,worker", "bytes,size", "kb", b, sizeof b),
	          "1kB main a hash|64kB main b sort|main a,b |main  |3 0.50kB main  text");
	pk_profile_free(p);
	p = labelled();
	CHECK_STR(roots(p, "request_id", "bytes", NULL, b, sizeof b),
	          "1kB main |64kB main |main 7|main |512B main ");
	pk_profile_free(p);
	p = labelled();
	CHECK_STR(roots(p, ",nokey,", NULL, NULL, b, sizeof b), "main |main |main |main |main ");
	CHECK_STR(warnings, "TagRoot expression matched no samples\n");
	pk_profile_free(p);
	p = labelled();
	CHECK_STR(roots(p, ",", ",", NULL, b, sizeof b), "main|main|main|main|main");
	CHECK_STR(warnings, "TagRoot expression matched no samples\n"
	                    "TagLeaf expression matched no samples\n");
	pk_profile_free(p);
}
