/* test_dot.c - unit tests of lib/shorten.c (graph.go ShortenFunctionName; the expectations are
 * what Go's regexp gives for pprof's patterns) and of tags and call trees (graph/nodetags.c,
 * graph.c newTree, graph/trim.c TrimTree) through the dot report of a built profile, and the
 * node tags of a graph (pk_graph_add_tags). */
#include <inttypes.h>

#include "unit.h"
#include "pkbuild.h"

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

/* The node named name (PK_NONE: none). */
static uint32_t node_named(const pk_graph *g, const char *name)
{
	for (uint32_t n = 0; n < g->n_node_all; n++)
		if (pk_str_eq_cstr(pk_s(g->p, g->node[n].info.name), name))
			return n;
	return PK_NONE;
}

/* Node tags (addSample's tag part): label tags by the joined string labels, numeric tags by
 * their scaled name in their label group, the value of the first sample naming them; cum
 * once per sample however often a node recurs; flat only to a sample's last node, and to
 * no node when a dropped node follows it. Weights are the samples' space/bytes; with -mean
 * the _div sums are their objects/count. */
TEST(graph_tags)
{
	static const int64_t v[][2] = {{3, 300}, {5, 500}, {7, 700}, {11, 1100}, {13, 1300}};
	pk_profile *p = tb_new("objects/count space/bytes");
	uint32_t m = tb_map(p, 0x1000, 0x9000, 0, "/bin/prog", "");
	const char *names[] = {"main.main", "main.mid", "main.leaf", "main.other", "main.rec"};
	uint32_t l[5];
	for (int i = 0; i < 5; i++)
		l[i] = tb_loc1(p, m, 0x1000 + 0x10 * (uint64_t)i, tb_func(p, names[i], "m.go", 1),
		               10 + i);
	uint32_t s0[] = {l[2], l[1], l[0]}, s1[] = {l[3], l[1], l[0]},
	         s2[] = {l[4], l[4], l[1], l[0]}, s3[] = {l[2], l[0]}, s4[] = {l[1], l[0]};
	tb_sample(p, v[0], 3, s0, "handler=a,bytes=#1024");
	tb_sample(p, v[1], 3, s1, "handler=b,phase=x,bytes=#1536");
	tb_sample(p, v[2], 4, s2, "handler=a,bytes=#1537,bytes=#64");
	tb_sample(p, v[3], 2, s3, "bytes=#1024");
	tb_sample(p, v[4], 2, s4, ""); /* no labels: no tags */
	pk_ctx *ctx = pk_ctx_new();
	pk_gopts o = {0};
	o.value_index = 1;
	o.tag_unit = "minimum";
	o.tags = true;
	pk_graph *g;
	char *got;

	/* Every node; tags built with the graph. */
	CHECK_INT(pk_graph_new(ctx, &g, p, &o), PK_OK);
	got = tag_lines(g, node_named(g, "main.main"));
	CHECK_STR(got, "0 |handler:a v=0 flat=0/0 cum=1000/0\n"
	               "0 |handler:b\\nphase:x v=0 flat=0/0 cum=500/0\n"
	               "1 handler:a|1.50kB v=1537 flat=0/0 cum=700/0\n"
	               "1 handler:a|1kB v=1024 flat=0/0 cum=300/0\n"
	               "1 handler:a|64B v=64 flat=0/0 cum=700/0\n"
	               "1 handler:b\\nphase:x|1.50kB v=1536 flat=0/0 cum=500/0\n"
	               "1 |1kB v=1024 flat=0/0 cum=1100/0\n");
	free(got);
	got = tag_lines(g, node_named(g, "main.rec")); /* twice on s2's stack, counted once */
	CHECK_STR(got, "0 |handler:a v=0 flat=700/0 cum=700/0\n"
	               "1 handler:a|1.50kB v=1537 flat=700/0 cum=700/0\n"
	               "1 handler:a|64B v=64 flat=700/0 cum=700/0\n");
	free(got);
	got = tag_lines(g, node_named(g, "main.other"));
	CHECK_STR(got, "0 |handler:b\\nphase:x v=0 flat=500/0 cum=500/0\n"
	               "1 handler:b\\nphase:x|1.50kB v=1536 flat=500/0 cum=500/0\n");
	free(got);
	pk_graph_free(g);

	/* Only main.main, main.leaf and main.rec kept, with -mean: s1 ends in a dropped node, so
	 * nobody gets its flat share; s0 still gives main.leaf its flat share past main.mid. */
	pk_nodeset kept = {0};
	CHECK_INT(pk_nodeset_init(&kept, 8), PK_OK);
	CHECK_INT(pk_graph_new(ctx, &g, p, &o), PK_OK);
	for (int i = 0; i < 5; i++)
		if (i != 1 && i != 3)
			CHECK_INT(pk_nodeset_add(&kept, &g->node[node_named(g, names[i])].info),
			          PK_OK);
	pk_graph_free(g);
	o.kept = &kept;
	o.mean = true;
	o.tags = false;
	CHECK_INT(pk_graph_new(ctx, &g, p, &o), PK_OK);
	CHECK_INT(g->n_tags, 0);
	uint32_t main_n = node_named(g, "main.main"), leaf_n = node_named(g, "main.leaf");
	CHECK(main_n != PK_NONE && leaf_n != PK_NONE && node_named(g, "main.mid") == PK_NONE);
	/* The separate pass, for main.leaf only. */
	bool *want = calloc(g->n_node_all, sizeof *want);
	want[leaf_n] = true;
	CHECK_INT(pk_graph_add_tags(ctx, g, &o, want), PK_OK);
	CHECK_INT(g->node[main_n].tag_head, PK_NONE);
	got = tag_lines(g, leaf_n);
	CHECK_STR(got, "0 |handler:a v=0 flat=300/3 cum=300/3\n"
	               "1 handler:a|1kB v=1024 flat=300/3 cum=300/3\n"
	               "1 |1kB v=1024 flat=1100/11 cum=1100/11\n");
	free(got);
	/* Then main.main. */
	memset(want, 0, g->n_node_all * sizeof *want);
	want[main_n] = true;
	CHECK_INT(pk_graph_add_tags(ctx, g, &o, want), PK_OK);
	got = tag_lines(g, main_n);
	CHECK_STR(got, "0 |handler:a v=0 flat=0/0 cum=1000/10\n"
	               "0 |handler:b\\nphase:x v=0 flat=0/0 cum=500/5\n"
	               "1 handler:a|1.50kB v=1537 flat=0/0 cum=700/7\n"
	               "1 handler:a|1kB v=1024 flat=0/0 cum=300/3\n"
	               "1 handler:a|64B v=64 flat=0/0 cum=700/7\n"
	               "1 handler:b\\nphase:x|1.50kB v=1536 flat=0/0 cum=500/5\n"
	               "1 |1kB v=1024 flat=0/0 cum=1100/11\n");
	free(got);
	free(want);
	pk_graph_free(g);
	pk_nodeset_destroy(&kept);
	pk_ctx_free(ctx);
	pk_profile_free(p);
}
