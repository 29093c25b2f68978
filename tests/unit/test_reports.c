/* test_reports.c - unit tests of the text reports' tricky parts: Go's text/tabwriter
 * (lib/tabwriter.c; the expected strings were written by Go 1.19's text/tabwriter), rune
 * counting, raw's Go time and duration forms, traces' label lines, NumLabelUnits. The goldens
 * cover the reports as a whole against go tool pprof. */
#include <stdint.h>
#include <time.h>

#include "unit.h"
#include "pkbuild.h"
#include "go/tabwriter.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb_bytes(payload, buf, len);
	return PK_OK;
}

/* Runs the tabwriter over the NULL-terminated chunks; returns the output (static buffer). */
static const char *tw_run(size_t minw, size_t tabw, size_t pad, char padchar, unsigned flags,
                          size_t *len, const char *const *chunks)
{
	static pk_sb res;
	pk_sb_reset(&res);
	pk_writer w = {sb_write, &res};
	pk_out out;
	pk_out_init(&out, &w);
	pk_tw tw;
	pk_tw_init(&tw, &out, minw, tabw, pad, padchar, flags);
	for (size_t i = 0; chunks[i]; i++)
		pk_tw_write(&tw, chunks[i], strlen(chunks[i]));
	CHECK(pk_tw_flush(&tw));
	pk_tw_free(&tw);
	pk_out_finish(CTX(), &out);
	*len = res.n;
	pk_sb_bytes(&res, "", 1);
	return res.s;
}

#define TW_CHECK(want, minw, tabw, pad, padchar, flags, ...)                                       \
	do {                                                                                       \
		const char *const chunks_[] = {__VA_ARGS__, NULL};                                 \
		size_t n_;                                                                         \
		const char *got_ = tw_run(minw, tabw, pad, padchar, flags, &n_, chunks_);          \
		CHECK_INT(n_, sizeof(want) - 1);                                                   \
		CHECK_STR(got_, want);                                                             \
	} while (0)

TEST(tabwriter_pprof_tags_layout)
{
	TW_CHECK(" key: Total 1.0MB\n       1.0MB (50.00%): a\n      10.0MB (50.00%): bb\n\n k2: "
	         "Total 3\n     3 (  100%): x\n\n",
	         0, 0, 1, ' ', PK_TW_ALIGN_RIGHT, "key:\t Total 1.0MB\n",
	         " \t1.0MB (50.00%):\t a\n", " \t10.0MB (50.00%):\t bb\n", "\n", "k2:\t Total 3\n",
	         " \t3 (  100%):\t x\n", "\n");
}

TEST(tabwriter_runes_and_escapes)
{
	/* Widths in runes; an invalid byte is one rune; '\xff' opens an escaped section that
	 * runs to the next '\xff' (or the flush) and hides tabs and newlines. */
	TW_CHECK("   \xc3\xa9x\n abcy\n\xff\xfe\tz\n", 0, 0, 1, ' ', PK_TW_ALIGN_RIGHT,
	         "\xc3\xa9\tx\n", "abc\ty\n", "\xff\xfe\tz\n");
	TW_CHECK(" \xff"
	         "ab\tc\xff"
	         "d\n    xyy\n",
	         0, 0, 1, ' ', PK_TW_ALIGN_RIGHT,
	         "\xff"
	         "ab\tc\xff\td\n",
	         "x\tyy\n");
}

TEST(tabwriter_columns_blocks)
{
	TW_CHECK("  a bc\n dde\n  f ggg hi\ntail", 0, 0, 1, ' ', PK_TW_ALIGN_RIGHT, "a\tb\tc\n",
	         "dd\te\n", "f\tggg\th\ti\n", "tail");
	TW_CHECK("a...........b....c\ndd..........e\nf...........ggg..h....i\nno newline..x", 5, 0,
	         2, '.', 0, "a\tb\tc\n", "dd\te\n", "f\tggg\th\ti\n", "no newline\tx");
	TW_CHECK("  x\n   y\n z \n", 0, 0, 1, ' ', PK_TW_ALIGN_RIGHT, "\tx\n", "\t\ty\n",
	         "z\t\t\n");
}

TEST(tabwriter_tabs_formfeed_vtab)
{
	TW_CHECK("a\t\tb\naaaaaaaaa\tc\n", 0, 8, 1, '\t', 0, "a\tb\n", "aaaaaaaaa\tc\n");
	TW_CHECK(" ab\n ccdd\n  ef\n  g h\n", 0, 0, 1, ' ', PK_TW_ALIGN_RIGHT, "a\tb\fcc\tdd\n",
	         "e\vf\n", "g\v\th\n");
}

TEST(rune_count_go_rules)
{
	CHECK_INT(pk_rune_count("abc", 3), 3);
	CHECK_INT(pk_rune_count("\xc2\xb5s", 3), 2);
	CHECK_INT(pk_rune_count("\xe2\x82\xac", 3), 1);
	CHECK_INT(pk_rune_count("\xe2\x82", 2), 2);         /* short: each byte one rune */
	CHECK_INT(pk_rune_count("\xed\xa0\x80", 3), 3);     /* surrogate: invalid */
	CHECK_INT(pk_rune_count("\xf0\x9f\x98\x80", 4), 1); /* U+1F600 */
	CHECK_INT(pk_rune_count("\xc0\x80", 2), 2);         /* overlong */
	CHECK_INT(pk_rune_len("\xf4\x90\x80\x80", 4), 1);   /* above U+10FFFF */
}

/* The report fmt of p with options o (NULL: defaults) as a string in out. */
static pk_status report(pk_profile *p, pk_format fmt, const pk_options *o, pk_sb *out)
{
	pk_writer w = {sb_write, out};
	pk_status st = pk_report(CTX(), p, fmt, o, &w);
	pk_sb_bytes(out, "", 1);
	return st;
}

static pk_profile *small_profile(void)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t m = tb_map(p, 0x1000, 0x2000, 0, "/bin/x", "");
	uint32_t f = tb_func(p, "f", "x.c", 1);
	uint32_t l = tb_loc1(p, m, 0x1010, f, 3);
	int64_t v = 4;
	tb_sample(p, &v, 1, &l, "a=1,verylongkey1=x,b=2,a=0,n=#5:bytes,n=#7,m=#3:s");
	return p;
}

TEST(raw_time_and_duration_forms)
{
	setenv("TZ", "UTC", 1);
	tzset();
	struct {
		int64_t time, dur;
		const char *want_time, *want_dur;
	} cases[] = {
	    {1700000000123456789, 1500, "2023-11-14 22:13:20.123456789 +0000 UTC", "1.5\xc2\xb5"},
	    {1700000000120000000, 90061000000000, "2023-11-14 22:13:20.12 +0000 UTC", "25h1"},
	    {1700000000000000000, 999000000, "2023-11-14 22:13:20 +0000 UTC", "999m"},
	    {-1, -2500000000, "1969-12-31 23:59:59.999999999 +0000 UTC", "-2.5"},
	    {1, 7, "1970-01-01 00:00:00.000000001 +0000 UTC", "7ns"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pk_profile *p = small_profile();
		p->time_nanos = cases[i].time;
		p->duration_nanos = cases[i].dur;
		pk_sb out = {0};
		CHECK_INT(report(p, PK_FMT_RAW, NULL, &out), PK_OK);
		char want[256];
		snprintf(want, sizeof want, "Time: %s\nDuration: %s\n", cases[i].want_time,
		         cases[i].want_dur);
		if (!strstr(out.s, want))
			fprintf(stderr, "case %zu: want %s in\n%s\n", i, want, out.s);
		CHECK(strstr(out.s, want) != NULL);
		pk_sb_free(&out);
		pk_profile_free(p);
	}
}

TEST(raw_labels_and_hex)
{
	pk_profile *p = small_profile();
	pk_sb out = {0};
	CHECK_INT(report(p, PK_FMT_RAW, NULL, &out), PK_OK);
	CHECK_STR(out.s, "PeriodType:  \nPeriod: 0\nSamples:\nsamples/count\n"
	                 "          4: 1 \n"
	                 "                a:[1 0] b:[2] verylongkey1:[x]\n"
	                 "                m:[3 s] n:[5 bytes 7 ]\n"
	                 "Locations\n     1: 0x1010 M=1 f x.c:3 s=1\n"
	                 "Mappings\n1: 0x1000/0x2000/0x0 /bin/x  [FN]\n");
	pk_sb_free(&out);
	pk_profile_free(p);
}

TEST(traces_label_lines)
{
	pk_profile *p = small_profile();
	pk_sb out = {0};
	CHECK_INT(report(p, PK_FMT_TRACES, NULL, &out), PK_OK);
	/* Lines sorted as whole strings, so right-aligned short keys come first. */
	CHECK_STR(out.s, "File: x\nType: samples\n"
	                 "-----------+-------------------------------------------------------\n"
	                 "         a:  1 0\n"
	                 "         b:  2\n"
	                 "verylongkey1:  x\n"
	                 "         m:  3s\n"
	                 "         n:  5B 7B\n"
	                 "         4   f\n"
	                 "-----------+-------------------------------------------------------\n");
	pk_sb_free(&out);
	pk_profile_free(p);
}

static void collect_warning(void *payload, const char *msg)
{
	pk_sb_cstr(payload, msg);
	pk_sb_cstr(payload, "\n");
}

TEST(num_label_units_first_unit_and_inferred)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t m = tb_map(p, 0x1000, 0x2000, 0, "/bin/x", "");
	uint32_t f = tb_func(p, "f", "x.c", 1);
	uint32_t l = tb_loc1(p, m, 0x1010, f, 3);
	int64_t v = 1;
	tb_sample(p, &v, 1, &l, "t=#1,t=#2:ms,request=#3,other=#4");
	tb_sample(p, &v, 1, &l, "t=#5:s,t=#6:ns,t=#7:s");
	pk_sb warn = {0}, out = {0};
	pk_ctx_on_warning(CTX(), collect_warning, &warn);
	CHECK_INT(report(p, PK_FMT_TAGS, NULL, &out), PK_OK);
	pk_sb_bytes(&warn, "", 1);
	CHECK_STR(warn.s, "For tag t used unit ms, also encountered unit(s) ns, s\n");
	/* t's values are in ms; request in bytes; other has no known unit. */
	CHECK(strstr(out.s, " 5ms\n") != NULL);
	CHECK(strstr(out.s, " 3B\n") != NULL);
	CHECK(strstr(out.s, " 4\n") != NULL);
	pk_ctx_on_warning(CTX(), NULL, NULL);
	pk_sb_free(&warn);
	pk_sb_free(&out);
	pk_profile_free(p);
}

static pk_profile *repeating_profile_of(const char *types, int64_t sign, int64_t mult)
{
	pk_profile *p = tb_new(types);
	uint32_t m = tb_map(p, 0x1000, 0x9000, 0, "/bin/x", "");
	uint32_t fa = tb_func(p, "main.a", "a.go", 1), fb = tb_func(p, "main.b", "b.go", 5);
	uint32_t fc = tb_func(p, "main.c", "c.go", 9), fd = tb_func(p, "main.d", "d.go", 2);
	const uint32_t in_funcs[] = {fd, fc}; /* d inlined into c */
	const int64_t in_lines[] = {3, 10};
	uint32_t la = tb_loc1(p, m, 0x1010, fa, 2), lb = tb_loc1(p, m, 0x1020, fb, 6);
	uint32_t lc = tb_loc(p, m, 0x1030, 2, in_funcs, in_lines);
	uint32_t lb2 = tb_loc1(p, m, 0x1040, fb, 7);
	const uint32_t s0[] = {lc, lb, la}, s1[] = {lb2, lb, la}, s2[] = {lb, lb2, lb, la};
	const int64_t v0[] = {1 * mult, 512 * sign * mult}, v1[] = {3 * mult, 4096 * mult},
	              v2[] = {2 * mult, 100 * mult}, vz[] = {0, 0};
	for (int i = 0; i < 3; i++) {
		tb_sample(p, v0, 3, s0, "handler=x,bytes=#512:bytes");
		tb_sample(p, v1, 3, s1, "handler=y");
		tb_sample(p, v2, 4, s2, NULL);
		tb_sample(p, vz, 3, s0, "handler=z");
	}
	tb_sample(p, v1, 3, s1, "handler=x");
	if (mult != 1) { /* a stack of its own */
		const uint32_t s3[] = {lb2, la};
		const int64_t v3[] = {5 * mult, 7 * mult};
		tb_sample(p, v3, 2, s3, "handler=w");
	}
	return p;
}

/* A profile whose samples repeat (the same stack and labels several times, recursion, inlined
 * frames, a zero sample): what pk_profile_merge_take_sums leaves apart. */
static pk_profile *repeating_profile(int64_t sign)
{
	return repeating_profile_of("alloc_objects/count alloc_space/bytes", sign, 1);
}

/* -diff_base for a report that sums: sides read with equal samples apart (merge_take_sums) and
 * combined by pk_profile_apply_base_take_sums print what the sides combined as go tool pprof
 * combines them print. Where apart samples could change a sum (-normalize, another unit, a
 * negative value, -base) each side is combined first. */
TEST(diff_base_sums_reports_equal)
{
	static const struct {
		const char *base_types;
		int64_t sign;
		pk_base_mode mode;
		int normalize;
		bool apart;
	} cases[] = {
	    {"alloc_objects/count alloc_space/bytes", 1, PK_BASE_DIFF, 0, true},
	    {"alloc_objects/count alloc_space/bytes", 1, PK_BASE_DIFF, 1, false},
	    {"alloc_objects/count alloc_space/kilobytes", 1, PK_BASE_DIFF, 0, false},
	    {"alloc_objects/count alloc_space/bytes", -1, PK_BASE_DIFF, 0, false},
	    {"alloc_objects/count alloc_space/bytes", 1, PK_BASE_SUBTRACT, 0, false},
	};
	const pk_format fmts[] = {PK_FMT_TOP,  PK_FMT_PEEK, PK_FMT_LIST,  PK_FMT_TREE,
	                          PK_FMT_TAGS, PK_FMT_DOT,  PK_FMT_FLAME, PK_FMT_FOLDED};
	pk_options variants[2] = {PK_OPTIONS_INIT, PK_OPTIONS_INIT};
	variants[0].symbol = "main";
	variants[1].symbol = "main";
	variants[1].granularity = PK_GRAN_LINES;
	variants[1].sample_index = "alloc_objects";
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
			for (int v = 0; v < 2; v++) {
				const char *nt = "alloc_objects/count alloc_space/bytes";
				pk_profile *a = repeating_profile_of(nt, cases[c].sign, 1);
				pk_profile *ab = repeating_profile_of(cases[c].base_types, 1, 2);
				pk_profile *b = repeating_profile_of(nt, cases[c].sign, 1);
				pk_profile *bb = repeating_profile_of(cases[c].base_types, 1, 2);
				pk_profile *ma, *mab, *mb, *mbb, *da = NULL, *db = NULL;
				CHECK_INT(pk_profile_merge_take(CTX(), &ma, &a, 1), PK_OK);
				CHECK_INT(pk_profile_merge_take(CTX(), &mab, &ab, 1), PK_OK);
				CHECK_INT(pk_profile_merge_take_sums(CTX(), &mb, &b, 1), PK_OK);
				CHECK_INT(pk_profile_merge_take_sums(CTX(), &mbb, &bb, 1), PK_OK);
				CHECK(mbb->sums_only);
				CHECK_INT(pk_profile_apply_base_take(CTX(), &da, &ma, &mab,
				                                     cases[c].mode,
				                                     cases[c].normalize),
				          PK_OK);
				CHECK_INT(pk_profile_apply_base_take_sums(CTX(), &db, &mb, &mbb,
				                                          cases[c].mode,
				                                          cases[c].normalize),
				          PK_OK);
				CHECK(!ma && !mab && !mb && !mbb);
				CHECK(!da->sums_only);
				CHECK(db->sums_only == cases[c].apart);
				/* combined: 4 + 5 samples (-base: 4 of them shared by the sides);
				 * apart: 10 + 11 (the zero ones dropped) */
				size_t combined = cases[c].mode == PK_BASE_DIFF ? 9 : 5;
				CHECK_INT(da->n_samples, combined);
				CHECK_INT(db->n_samples, cases[c].apart ? 21 : combined);
				pk_sb sa = {0}, sb = {0};
				CHECK_INT(report(da, fmts[f], &variants[v], &sa), PK_OK);
				CHECK_INT(report(db, fmts[f], &variants[v], &sb), PK_OK);
				if (strcmp(sa.s, sb.s) != 0)
					fprintf(stderr,
					        "case %zu, format %zu, options %d:\n%s\n---\n%s\n",
					        c, f, v, sa.s, sb.s);
				CHECK_STR(sb.s, sa.s);
				CHECK(strlen(sa.s) > 20);
				pk_sb_free(&sa);
				pk_sb_free(&sb);
				pk_profile_free(da);
				pk_profile_free(db);
			}
		}
	}
}

/* Every report that only sums samples prints the same from the profile merged with equal
 * samples apart (pk_profile_merge_take_sums) as from the merged one; the others refuse it;
 * a negative value makes it merge as usual. */
TEST(merge_sums_reports_equal)
{
	const pk_format fmts[] = {PK_FMT_TOP,      PK_FMT_PEEK,  PK_FMT_LIST,
	                          PK_FMT_TREE,     PK_FMT_TAGS,  PK_FMT_DOT,
	                          PK_FMT_COMMENTS, PK_FMT_FLAME, PK_FMT_FOLDED};
	const char *fmt_names[] = {"top", "peek",     "list",  "tree",  "tags",
	                           "dot", "comments", "flame", "folded"};
	pk_options variants[6];
	for (int v = 0; v < 6; v++)
		variants[v] = (pk_options)PK_OPTIONS_INIT;
	variants[0].symbol = "main";
	variants[1].symbol = "main";
	variants[1].mean = 1;
	variants[2].symbol = "main";
	variants[2].granularity = PK_GRAN_LINES;
	variants[2].sample_index = "alloc_objects";
	variants[3].symbol = "main.b";
	variants[3].call_tree = 1;
	variants[4].symbol = "main";
	variants[4].divide_by = 3;
	variants[4].unit = "kB";
	variants[5].symbol = "main";
	variants[5].focus = "main.c";
	variants[5].tagfocus = "handler=x";
	variants[5].hide = "main.d";
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		CHECK(pk_format_sums(fmts[f], NULL));
		for (int v = 0; v < 6; v++) {
			if (!pk_format_sums(fmts[f], &variants[v])) {
				/* -mean divides each sample of a flame graph: refused, not equal */
				CHECK(fmts[f] == PK_FMT_FLAME || fmts[f] == PK_FMT_FOLDED);
				pk_profile *b = repeating_profile(1), *mb = NULL;
				CHECK_INT(pk_profile_merge_take_sums(CTX(), &mb, &b, 1), PK_OK);
				pk_sb sb = {0};
				CHECK_INT(report(mb, fmts[f], &variants[v], &sb), PK_EUSAGE);
				pk_sb_free(&sb);
				pk_profile_free(mb);
				continue;
			}
			pk_profile *a = repeating_profile(1), *b = repeating_profile(1);
			pk_profile *ma = NULL, *mb = NULL;
			CHECK_INT(pk_profile_merge_take(CTX(), &ma, &a, 1), PK_OK);
			CHECK_INT(pk_profile_merge_take_sums(CTX(), &mb, &b, 1), PK_OK);
			CHECK_INT(ma->n_samples,
			          4); /* the zero ones dropped, equal ones combined */
			CHECK_INT(mb->n_samples, 10); /* the zero ones dropped, equal ones apart */
			pk_sb sa = {0}, sb = {0};
			CHECK_INT(report(ma, fmts[f], &variants[v], &sa), PK_OK);
			CHECK_INT(report(mb, fmts[f], &variants[v], &sb), PK_OK);
			if (strcmp(sa.s, sb.s) != 0)
				fprintf(stderr, "%s, options %d:\n--- merged\n%s\n--- apart\n%s\n",
				        fmt_names[f], v, sa.s, sb.s);
			CHECK_STR(sb.s, sa.s);
			CHECK(fmts[f] == PK_FMT_COMMENTS || strlen(sa.s) > 20);
			pk_sb_free(&sa);
			pk_sb_free(&sb);
			pk_profile_free(ma);
			pk_profile_free(mb);
		}
	}
	const pk_format refused[] = {PK_FMT_TRACES, PK_FMT_RAW, PK_FMT_PROTO};
	for (size_t f = 0; f < sizeof refused / sizeof refused[0]; f++) {
		CHECK(!pk_format_sums(refused[f], NULL));
		pk_profile *b = repeating_profile(1), *mb = NULL;
		CHECK_INT(pk_profile_merge_take_sums(CTX(), &mb, &b, 1), PK_OK);
		pk_sb sb = {0};
		CHECK_INT(report(mb, refused[f], NULL, &sb), PK_EUSAGE);
		pk_sb_free(&sb);
		pk_profile_free(mb);
	}
	/* Values whose sums wrap past INT64_MAX: the total of the absolute values would differ,
	 * so they are combined (tests/hostile/overflow-sum.pb: "3ns ... of 7ns total", as go). */
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		pk_profile *a = tb_new("samples/count cpu/nanoseconds"), *b = NULL;
		uint32_t fn = tb_func(a, "main.f", "f.go", 1), fg = tb_func(a, "main.g", "g.go", 1);
		uint32_t lf = tb_loc1(a, PK_NONE, 0x10, fn, 2),
		         lg = tb_loc1(a, PK_NONE, 0x20, fg, 2);
		const int64_t big[] = {1, INT64_MAX - 1}, small[] = {1, 3};
		tb_sample(a, big, 1, &lf, NULL);
		tb_sample(a, small, 1, &lg, NULL);
		tb_sample(a, big, 1, &lf, NULL);
		CHECK_INT(pk_profile_copy(CTX(), &b, a), PK_OK);
		pk_profile *ma = NULL, *mb = NULL;
		CHECK_INT(pk_profile_merge_take(CTX(), &ma, &a, 1), PK_OK);
		CHECK_INT(pk_profile_merge_take_sums(CTX(), &mb, &b, 1), PK_OK);
		CHECK_INT(mb->n_samples, 2);
		pk_sb sa = {0}, sb = {0};
		CHECK_INT(report(ma, fmts[f], &variants[0], &sa), PK_OK);
		CHECK_INT(report(mb, fmts[f], &variants[0], &sb), PK_OK);
		CHECK_STR(sb.s, sa.s);
		pk_sb_free(&sa);
		pk_sb_free(&sb);
		pk_profile_free(ma);
		pk_profile_free(mb);
	}
	/* A negative value: equal samples could cancel, so they are combined. */
	pk_profile *n = repeating_profile(-1), *mn = NULL;
	CHECK_INT(pk_profile_merge_take_sums(CTX(), &mn, &n, 1), PK_OK);
	CHECK_INT(mn->n_samples, 4);
	pk_sb out = {0};
	CHECK_INT(report(mn, PK_FMT_TRACES, NULL, &out), PK_OK);
	pk_sb_free(&out);
	pk_profile_free(mn);
}
