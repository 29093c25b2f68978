/* test_dot.c - unit tests of lib/shorten.c (graph.go ShortenFunctionName; the expectations are
 * what Go's regexp gives for pprof's patterns) and of tags and call trees (graph_tags.c,
 * graph.c newTree, graph_trim.c TrimTree) through the dot report of a built profile, and the
 * separate tag pass (pk_graph_add_tags) against tags built with the graph. */
#include <inttypes.h>

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

/* Node n's tags as one line per tag, sorted: what the graph holds, whatever its order. */
static char *tag_lines(const pk_graph *g, uint32_t n)
{
	pk_sb sb = {0};
	char *lines[64];
	size_t k = 0;
	for (uint32_t t = g->node[n].tag_head; t != PK_NONE && k < 64; t = g->tag[t].next) {
		const pk_gtag *tg = &g->tag[t];
		char buf[256];
		pk_str name = pk_s(g->p, tg->name), group = pk_s(g->p, tg->group);
		snprintf(buf, sizeof buf,
		         "%d %.*s|%.*s v=%" PRId64 " flat=%" PRId64 "/%" PRId64 " cum=%" PRId64
		         "/%" PRId64 "\n",
		         tg->numeric, (int)group.n, group.s, (int)name.n, name.s, tg->value,
		         tg->flat, tg->flat_div, tg->cum, tg->cum_div);
		lines[k++] = strdup(buf);
	}
	for (size_t i = 1; i < k; i++) /* insertion sort: a handful of lines */
		for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
			char *x = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = x;
		}
	for (size_t i = 0; i < k; i++) {
		pk_sb_cstr(&sb, lines[i]);
		free(lines[i]);
	}
	pk_sb_bytes(&sb, "", 1);
	return sb.s;
}

/* pk_graph_add_tags gives every node the tags a build with tags gives it, with all nodes and
 * with a kept set that drops a middle frame (residual edges) and a leaf (no flat). */
TEST(graph_add_tags_equals_build_tags)
{
	static const int64_t v[][2] = {{3, 300}, {5, 500}, {7, 700}, {11, 1100}, {13, 1300}};
	pk_profile *p = tb_new("objects/count space/bytes");
	uint32_t m = tb_map(p, 0x1000, 0x9000, 0, "/bin/prog", "");
	uint32_t f[5];
	const char *names[] = {"main.main", "main.mid", "main.leaf", "main.other", "main.rec"};
	for (int i = 0; i < 5; i++)
		f[i] = tb_func(p, names[i], "m.go", 1);
	uint32_t l[5];
	for (int i = 0; i < 5; i++)
		l[i] = tb_loc1(p, m, 0x1000 + 0x10 * (uint64_t)i, f[i], 10 + i);
	uint32_t s0[] = {l[2], l[1], l[0]}, s1[] = {l[3], l[1], l[0]},
	         s2[] = {l[4], l[4], l[1], l[0]}, s3[] = {l[2], l[0]}, s4[] = {l[1], l[0]};
	tb_sample(p, v[0], 3, s0, "handler=a,bytes=#1024");
	tb_sample(p, v[1], 3, s1, "handler=b,phase=x,bytes=#1536");
	tb_sample(p, v[2], 4, s2, "handler=a,bytes=#1537,bytes=#64");
	tb_sample(p, v[3], 2, s3, "bytes=#1024");
	tb_sample(p, v[4], 2, s4, "");
	pk_ctx *ctx = pk_ctx_new();
	pk_nodeset kept = {0};
	for (int round = 0; round < 2; round++) {
		pk_gopts o = {0};
		o.value_index = 1;
		o.mean = round == 1; /* the _div sums too */
		o.tag_unit = "minimum";
		if (round == 1) {
			/* keep main.main, main.leaf, main.rec: main.mid and main.other are dropped
			 */
			CHECK_INT(pk_nodeset_init(&kept, 8), PK_OK);
			pk_gopts all = o;
			pk_graph *g0;
			CHECK_INT(pk_graph_new(ctx, &g0, p, &all), PK_OK);
			for (uint32_t i = 0; i < g0->n_nodes; i++) {
				pk_str nm = pk_s(p, g0->node[g0->nodes[i]].info.name);
				if (pk_str_eq_cstr(nm, "main.main") ||
				    pk_str_eq_cstr(nm, "main.leaf") ||
				    pk_str_eq_cstr(nm, "main.rec"))
					CHECK_INT(
					    pk_nodeset_add(&kept, &g0->node[g0->nodes[i]].info),
					    PK_OK);
			}
			pk_graph_free(g0);
			o.kept = &kept;
		}
		pk_graph *with, *without;
		o.tags = true;
		CHECK_INT(pk_graph_new(ctx, &with, p, &o), PK_OK);
		o.tags = false;
		CHECK_INT(pk_graph_new(ctx, &without, p, &o), PK_OK);
		CHECK_INT(without->n_tags, 0);
		CHECK_INT(with->n_node_all, without->n_node_all);
		bool *want = calloc(without->n_node_all, sizeof *want);
		for (uint32_t i = 0; i < without->n_node_all; i++)
			want[i] = true;
		CHECK_INT(pk_graph_add_tags(ctx, without, &o, want), PK_OK);
		CHECK(with->n_tags > 4);
		CHECK_INT(without->n_tags, with->n_tags);
		for (uint32_t n = 0; n < with->n_node_all; n++) {
			char *a = tag_lines(with, n), *b = tag_lines(without, n);
			CHECK_STR(b, a);
			free(a);
			free(b);
		}
		/* Only the nodes asked for get tags. */
		pk_graph_free(without);
		CHECK_INT(pk_graph_new(ctx, &without, p, &o), PK_OK);
		memset(want, 0, without->n_node_all * sizeof *want);
		want[0] = true;
		CHECK_INT(pk_graph_add_tags(ctx, without, &o, want), PK_OK);
		for (uint32_t n = 1; n < without->n_node_all; n++)
			CHECK_INT(without->node[n].tag_head, PK_NONE);
		char *a = tag_lines(with, 0), *b = tag_lines(without, 0);
		CHECK_STR(b, a);
		free(a);
		free(b);
		free(want);
		pk_graph_free(with);
		pk_graph_free(without);
	}
	pk_nodeset_destroy(&kept);
	pk_ctx_free(ctx);
	pk_profile_free(p);
}
