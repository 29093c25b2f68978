/* test_dot.c - unit tests of lib/shorten.c (graph.go ShortenFunctionName; the expectations are
 * what Go's regexp gives for pprof's patterns) and of tags and call trees (graph_tags.c,
 * graph.c newTree, graph_trim.c TrimTree) through the dot report of a built profile. */
#include "unit.h"
#include "pkbuild.h"

#include "report.h"

static const char *shorten(const char *name)
{
	static pk_sb sb;
	pk_sb_reset(&sb);
	pk_shorten_function_name(&sb, name, strlen(name));
	pk_sb_bytes(&sb, "", 1);
	return sb.s;
}

TEST(shorten_go)
{
	CHECK_STR(shorten("main.main"), "main.main");
	CHECK_STR(shorten("example.com/leak/internal/cache.(*Cache).Put"), "cache.(*Cache).Put");
	CHECK_STR(shorten("github.com/x/y/v2/pkg.F"), "pkg.F");
	CHECK_STR(shorten("github.com/x/y/v2.F"), "y.F");
	CHECK_STR(shorten("example.com/m/v10/a/b.Fn"), "b.Fn");
	CHECK_STR(shorten("example.com/m/v1/a.Fn"), "a.Fn");
	CHECK_STR(shorten("example.com/m/v0/a.Fn"), "a.Fn");
	CHECK_STR(shorten("a/b/"), "b/");
	CHECK_STR(shorten("a/b/\nc"), "b/");
	CHECK_STR(shorten("sortx.(*Stack[...]).Push"), "sortx.(*Stack[...]).Push");
}

TEST(shorten_java)
{
	CHECK_STR(shorten("com.example.json.Parser.parseValue"), "Parser.parseValue");
	CHECK_STR(shorten("com.example.Codec.<init>(byte[])"), "Codec.<init>");
	CHECK_STR(shorten("java.lang.Thread$Worker.run$1"), "Thread$Worker.run$1");
	CHECK_STR(shorten("com.example.Foo.Bar"), "com.example.Foo.Bar");
}

TEST(shorten_cpp)
{
	CHECK_STR(shorten("(anonymous namespace)::ParseHeader"), "ParseHeader");
	CHECK_STR(shorten("ns::Foo::bar"), "Foo::bar");
	CHECK_STR(shorten("a::B::C::d"), "C::d");
	CHECK_STR(shorten("std::Foo::~Foo"), "Foo::~Foo");
	CHECK_STR(shorten("ns::Foo::bar<int, std::less<int> >"), "Foo::bar<int, std::less<int> >");
	CHECK_STR(shorten("ns::_Impl::run"), "_Impl::run");
	CHECK_STR(shorten("std::map<std::string, int>::find"), "std::map<std::string, int>::find");
	CHECK_STR(shorten("Server::Run()"), "Server::Run()");
}

static pk_status mem_write(void *payload, const void *buf, size_t len)
{
	pk_sb_bytes(payload, buf, len);
	return PK_OK;
}

/* The dot report of p with opt, NUL-terminated (static). */
static const char *dot(pk_profile *p, const pk_options *opt)
{
	static pk_sb sb;
	pk_ctx *ctx = pk_ctx_new();
	pk_writer w = {mem_write, &sb};
	pk_sb_reset(&sb);
	CHECK_INT(pk_report(ctx, p, PK_FMT_DOT, opt, &w), PK_OK);
	pk_sb_bytes(&sb, "", 1);
	pk_ctx_free(ctx);
	return sb.s;
}

TEST(dot_tags_and_tree)
{
	static const int64_t v1[] = {30}, v2[] = {10}, v3[] = {5};
	pk_profile *p = tb_new("space/bytes");
	uint32_t m = tb_map(p, 0x1000, 0x2000, 0, "/bin/prog", "");
	uint32_t fa = tb_func(p, "main.a", "a.go", 1), fb = tb_func(p, "main.b", "b.go", 1),
	         fc = tb_func(p, "main.c", "c.go", 1);
	uint32_t la = tb_loc1(p, m, 0x1010, fa, 3), lb = tb_loc1(p, m, 0x1020, fb, 4),
	         lc = tb_loc1(p, m, 0x1030, fc, 5);
	uint32_t s1[] = {lc, lb, la}, s2[] = {lc, la}, s3[] = {lb, la};
	tb_sample(p, v1, 3, s1, "pool=x,bytes=#1024");
	tb_sample(p, v2, 2, s2, "pool=y,bytes=#1024");
	tb_sample(p, v3, 2, s3, "pprof::base=true,bytes=#2048");
	pk_options opt = PK_OPTIONS_INIT;
	const char *d = dot(p, &opt);
	/* c is a leaf with both label tags, heaviest first, and its numeric tags. */
	CHECK(strstr(d, "N1_0 [label = \"pool:x\" id=\"N1_0\" fontsize=8 shape=box3d "
	                "tooltip=\"30B\"]\n") != NULL);
	CHECK(strstr(d, "N1_1 [label = \"pool:y\"") != NULL);
	CHECK(strstr(d, "NN1_0_0 [label = \"1kB\"") != NULL);
	/* pprof::base is not a tag; b's numeric tag without labels hangs from b. */
	CHECK(strstr(d, "pprof::base") == NULL);
	CHECK(strstr(d, "[label = \"2kB\"") != NULL);
	pk_profile_free(p);

	/* As a tree, c appears under a and under b. */
	p = tb_new("space/bytes");
	m = tb_map(p, 0x1000, 0x2000, 0, "/bin/prog", "");
	fa = tb_func(p, "main.a", "a.go", 1);
	fb = tb_func(p, "main.b", "b.go", 1);
	fc = tb_func(p, "main.c", "c.go", 1);
	la = tb_loc1(p, m, 0x1010, fa, 3);
	lb = tb_loc1(p, m, 0x1020, fb, 4);
	lc = tb_loc1(p, m, 0x1030, fc, 5);
	tb_sample(p, v1, 3, s1, "");
	tb_sample(p, v2, 2, s2, "");
	opt.call_tree = 1;
	d = dot(p, &opt);
	const char *first = strstr(d, "main\\nc\\n");
	CHECK(first != NULL);
	CHECK(first && strstr(first + 1, "main\\nc\\n") != NULL);
	pk_profile_free(p);
}
