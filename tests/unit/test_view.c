/* test_view.c - what the web UI's server relies on in the library: pk_profile_view (a view
 * shares the loaded profile's samples read-only, copies only what a step changes, and reports
 * on it as on a deep copy), pk_profile_split_base (the halves of a -diff_base combination are
 * the base and the profile read apart), and cancellation (pk_ctx_set_deadline,
 * pk_ctx_set_cancel: PK_ECANCELED, everything freed, the context usable again). The expected
 * outputs are those of the same report on a deep copy (pk_profile_copy) or on the profiles
 * read apart: never values written here by hand. */
#include <stdint.h>
#include <time.h>

#include "unit.h"
#include "unitprof.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

static pk_profile *load(const char *path)
{
	return unit_load(CTX(), path);
}

static pk_status report(pk_profile *p, pk_format fmt, const pk_options *o, pk_sb *out)
{
	return unit_report(CTX(), p, fmt, o, out);
}

/* p encoded (profile.proto), to see that nothing changed it. */
static void encoded(const pk_profile *p, pk_sb *out)
{
	pk_writer w = unit_sb_writer(out);
	pk_sb_reset(out);
	CHECK_INT(pk_profile_write(CTX(), p, &w), PK_OK);
}

struct variant {
	pk_format fmt;
	const char *what; /* which option: focus, hide, ... */
	const char *value;
	unsigned shared_after; /* PK_SHARED_* bits the view must still share after the report */
};

static void check_views(const char *path, const struct variant *v, size_t n)
{
	pk_profile *src = load(path);
	CHECK(src != NULL);
	if (!src)
		return;
	pk_sb before = {0}, after = {0}, want = {0}, got = {0};
	encoded(src, &before);
	for (size_t i = 0; i < n; i++) {
		pk_options o = PK_OPTIONS_INIT;
		unit_set_option(&o, v[i].what, v[i].value);
		pk_profile *copy = NULL, *view = NULL;
		CHECK_INT(pk_profile_copy(CTX(), &copy, src), PK_OK);
		CHECK_INT(pk_profile_view(CTX(), &view, src), PK_OK);
		pk_status want_st = report(copy, v[i].fmt, &o, &want);
		pk_status got_st = report(view, v[i].fmt, &o, &got);
		if (got_st != want_st || want.n != got.n || memcmp(want.s, got.s, want.n) != 0) {
			fprintf(stderr, "%s: format %d -%s=%s: the view's report differs\n", path,
			        (int)v[i].fmt, v[i].what ? v[i].what : "",
			        v[i].value ? v[i].value : "");
			unit_failed = 1;
		}
		CHECK(want_st == PK_OK && want.n > 1);
		/* What the step did not change is still shared, not copied. */
		if ((view->shared & v[i].shared_after) != v[i].shared_after) {
			fprintf(stderr, "%s: -%s: shares %u, want at least %u\n", path,
			        v[i].what ? v[i].what : "", view->shared, v[i].shared_after);
			unit_failed = 1;
		}
		pk_profile_free(copy);
		pk_profile_free(view);
		/* An exclusive view: the same report; the profile it changed in place is as it
		 * was once the view is freed. */
		pk_profile *ex = NULL;
		CHECK_INT(pk_profile_view_exclusive(CTX(), &ex, src), PK_OK);
		got_st = report(ex, v[i].fmt, &o, &got);
		if (got_st != want_st || want.n != got.n || memcmp(want.s, got.s, want.n) != 0) {
			fprintf(stderr,
			        "%s: format %d -%s=%s: the exclusive view's report differs\n", path,
			        (int)v[i].fmt, v[i].what ? v[i].what : "",
			        v[i].value ? v[i].value : "");
			unit_failed = 1;
		}
		pk_profile_free(ex);
		encoded(src, &after);
		CHECK(before.n == after.n && memcmp(before.s, after.s, before.n) == 0);
	}
	encoded(src, &after);
	CHECK(before.n == after.n && memcmp(before.s, after.s, before.n) == 0);
	pk_sb_free(&before);
	pk_sb_free(&after);
	pk_sb_free(&want);
	pk_sb_free(&got);
	pk_profile_free(src);
}

enum { S = PK_SHARED_SAMPLES, L = PK_SHARED_LOCS, B = PK_SHARED_LABELS };

TEST(view_reports_as_a_copy_and_leaves_the_profile_alone)
{
	static const struct variant cpu[] = {
	    {PK_FMT_TOP, NULL, NULL, S | L | B},
	    {PK_FMT_TOP, "focus", "sortx", L | B},
	    {PK_FMT_TOP, "ignore", "runtime", L | B},
	    {PK_FMT_TOP, "hide", "runtime", B},
	    {PK_FMT_TOP, "show", "main", B},
	    {PK_FMT_TOP, "show_from", "main", L | B},
	    {PK_FMT_TOP, "tagfocus", "phase=sort", L | B},
	    {PK_FMT_TOP, "tagignore", "worker=a", L | B},
	    {PK_FMT_TAGS, "tagshow", "phase", L},
	    {PK_FMT_TAGS, "taghide", "worker", L},
	    {PK_FMT_TOP, "tagroot", "phase", B},
	    {PK_FMT_TOP, "prune_from", "sortx", L | B},
	    {PK_FMT_TOP, "lines", NULL, S | L | B},
	    {PK_FMT_TOP, "noinlines", NULL, S | L | B},
	    {PK_FMT_TREE, "call_tree", NULL, S | L | B},
	    {PK_FMT_PEEK, "symbol", "partition", S | L | B},
	    {PK_FMT_TRACES, "focus", "hashing", L | B},
	    {PK_FMT_RAW, NULL, NULL, S | L | B},
	    {PK_FMT_FLAME, "focus", "sortx", L | B},
	    {PK_FMT_FOLDED, "hide", "runtime", B},
	    {PK_FMT_DOT, NULL, NULL, S | L | B},
	    {PK_FMT_PROTO, "focus", "main", L | B},
	    {PK_FMT_PROTO, "divide_by", "3", L | B},
	};
	check_views(TESTDATA("profiles/cpu.pb.gz"), cpu, sizeof cpu / sizeof cpu[0]);
	static const struct variant heap[] = {
	    {PK_FMT_TOP, NULL, NULL, S | L | B},           {PK_FMT_TOP, "focus", "store", L | B},
	    {PK_FMT_TOP, "tagfocus", "bytes=1kb:", L | B}, {PK_FMT_TOP, "hide", "runtime", B},
	    {PK_FMT_TAGS, NULL, NULL, S | L | B},
	};
	check_views(TESTDATA("profiles/leak.heap.2.pb.gz"), heap, sizeof heap / sizeof heap[0]);
}

/* The halves of a -diff_base combination report as the profiles read apart do, under every
 * sample type, with and without -normalize (then against the profile normalized apart). */
static void check_split(int normalize)
{
	pk_profile *base = load(TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = load(TESTDATA("profiles/leak.heap.2.pb.gz"));
	pk_profile *b2 = NULL, *c2 = NULL, *d = NULL, *old_half = NULL, *cur_half = NULL;
	CHECK(base && cur);
	if (!base || !cur)
		goto done;
	CHECK_INT(pk_profile_copy(CTX(), &b2, base), PK_OK);
	CHECK_INT(pk_profile_copy(CTX(), &c2, cur), PK_OK);
	CHECK_INT(pk_profile_apply_base(CTX(), &d, c2, b2, PK_BASE_DIFF, normalize), PK_OK);
	if (normalize) /* the profile as -normalize scales it, apart */
		CHECK_INT(pk_profile_normalize(CTX(), cur, base), PK_OK);
	pk_sb want = {0}, got = {0}, before = {0}, after = {0};
	encoded(d, &before);
	CHECK_INT(pk_profile_split_base(CTX(), d, &old_half, &cur_half), PK_OK);
	/* The base's samples follow the profile's in d: the profile's half is a range of d's
	 * samples, not a copy (the base's is copied to negate its values). */
	CHECK(cur_half && (cur_half->shared & PK_SHARED_SAMPLES) &&
	      cur_half->samples >= d->samples && cur_half->samples < d->samples + d->n_samples);
	for (size_t si = 0; si < pk_profile_sample_type_count(cur); si++) {
		const char *type = pk_profile_sample_type(cur, si, NULL);
		const pk_profile *apart[2] = {base, cur}, *half[2] = {old_half, cur_half};
		for (int k = 0; k < 2; k++) {
			pk_options o = PK_OPTIONS_INIT;
			o.sample_index = type;
			pk_profile *a = NULL, *h = NULL;
			CHECK_INT(pk_profile_copy(CTX(), &a, apart[k]), PK_OK);
			CHECK_INT(pk_profile_view(CTX(), &h, half[k]), PK_OK);
			CHECK_INT(report(a, PK_FMT_TOP, &o, &want), PK_OK);
			CHECK_INT(report(h, PK_FMT_TOP, &o, &got), PK_OK);
			if (strcmp(want.s, got.s) != 0) {
				fprintf(stderr,
				        "split (normalize %d), %s, %s:\n--- apart\n%s--- half\n%s",
				        normalize, type, k ? "profile" : "base", want.s, got.s);
				unit_failed = 1;
			}
			pk_profile_free(a);
			pk_profile_free(h);
		}
	}
	encoded(d, &after); /* splitting only read d */
	CHECK(before.n == after.n && memcmp(before.s, after.s, before.n) == 0);
	pk_sb_free(&want);
	pk_sb_free(&got);
	pk_sb_free(&before);
	pk_sb_free(&after);
done:
	pk_profile_free(old_half);
	pk_profile_free(cur_half);
	pk_profile_free(d);
	pk_profile_free(b2);
	pk_profile_free(c2);
	pk_profile_free(base);
	pk_profile_free(cur);
}

TEST(split_base_halves_are_the_profiles_apart)
{
	check_split(0);
	check_split(1);
}

/* A -diff_base form whose base samples come first (merged in the other order) is split by
 * copying the samples of each side, not by ranges: its halves report as the usual form's. */
TEST(split_base_of_interleaved_form)
{
	pk_profile *base = load(TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = load(TESTDATA("profiles/leak.heap.2.pb.gz"));
	pk_profile *b2 = NULL, *c2 = NULL, *b3 = NULL, *c3 = NULL, *d = NULL, *r = NULL;
	pk_profile *h[2][2] = {{NULL, NULL}, {NULL, NULL}};
	CHECK(base && cur);
	if (!base || !cur)
		goto done;
	CHECK_INT(pk_profile_copy(CTX(), &b2, base), PK_OK);
	CHECK_INT(pk_profile_copy(CTX(), &c2, cur), PK_OK);
	CHECK_INT(pk_profile_apply_base(CTX(), &d, c2, b2, PK_BASE_DIFF, 0), PK_OK);
	/* The same sides, the base's labelled and negated as -diff_base does, merged base first. */
	CHECK_INT(pk_profile_copy(CTX(), &b3, base), PK_OK);
	CHECK_INT(pk_profile_copy(CTX(), &c3, cur), PK_OK);
	CHECK_INT(pk_profile_set_label(CTX(), b3, "pprof::base", "true"), PK_OK);
	CHECK_INT(pk_profile_scale(CTX(), b3, -1), PK_OK);
	pk_profile *in[2] = {b3, c3};
	CHECK_INT(pk_profile_merge_core(CTX(), &r, in, 2), PK_OK);
	CHECK(r && r->n_samples > 0 && pk_sample_is_diff_base(r, 0));
	CHECK_INT(pk_profile_split_base(CTX(), d, &h[0][0], &h[0][1]), PK_OK);
	CHECK_INT(pk_profile_split_base(CTX(), r, &h[1][0], &h[1][1]), PK_OK);
	CHECK(h[1][1] && !(h[1][1]->shared & PK_SHARED_SAMPLES)); /* copied */
	pk_sb want = {0}, got = {0};
	for (int k = 0; k < 2; k++) {
		pk_options o = PK_OPTIONS_INIT;
		CHECK_INT(report(h[0][k], PK_FMT_TOP, &o, &want), PK_OK);
		CHECK_INT(report(h[1][k], PK_FMT_TOP, &o, &got), PK_OK);
		CHECK_STR(got.s, want.s);
	}
	pk_sb_free(&want);
	pk_sb_free(&got);
done:
	for (int i = 0; i < 4; i++)
		pk_profile_free(h[i / 2][i % 2]);
	pk_profile_free(d);
	pk_profile_free(r);
	pk_profile_free(b2);
	pk_profile_free(c2);
	pk_profile_free(b3);
	pk_profile_free(c3);
	pk_profile_free(base);
	pk_profile_free(cur);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

TEST(cancel_deadline_and_flag)
{
	pk_profile *src = load(TESTDATA("profiles/cpu.pb.gz"));
	CHECK(src != NULL);
	if (!src)
		return;
	pk_ctx *c = pk_ctx_new();
	pk_sb out = {0}, want = {0};
	pk_writer w = unit_sb_writer(&out);
	static const pk_format fmts[] = {PK_FMT_TOP, PK_FMT_FLAME, PK_FMT_TREE, PK_FMT_DOT};
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		pk_options o = PK_OPTIONS_INIT;
		o.focus = "main";
		pk_profile *v = NULL;
		/* A deadline already past: the first cancellation point stops the report. */
		pk_ctx_set_deadline(c, 0.000001);
		sleep_ms(2);
		CHECK_INT(pk_profile_view(c, &v, src), PK_OK);
		pk_sb_reset(&out);
		CHECK_INT(pk_report(c, v, fmts[f], &o, &w), PK_ECANCELED);
		CHECK(strstr(pk_ctx_message(c), "took longer than the deadline") != NULL);
		pk_profile_free(v);
		/* A flag set by someone else. */
		volatile int stop = 1;
		pk_ctx_set_deadline(c, 0);
		pk_ctx_set_cancel(c, &stop);
		CHECK_INT(pk_profile_view(c, &v, src), PK_OK);
		CHECK_INT(pk_report(c, v, fmts[f], &o, &w), PK_ECANCELED);
		CHECK_STR(pk_ctx_message(c), "canceled");
		pk_profile_free(v);
		/* Neither: the same context reports in full, as one never canceled does. */
		pk_ctx_set_cancel(c, NULL);
		pk_ctx_set_deadline(c, 3600);
		CHECK_INT(pk_profile_view(c, &v, src), PK_OK);
		pk_sb_reset(&out);
		CHECK_INT(pk_report(c, v, fmts[f], &o, &w), PK_OK);
		pk_profile_free(v);
		pk_ctx_set_deadline(c, 0);
		CHECK_INT(pk_profile_view(CTX(), &v, src), PK_OK);
		pk_writer ww = unit_sb_writer(&want);
		pk_sb_reset(&want);
		CHECK_INT(pk_report(CTX(), v, fmts[f], &o, &ww), PK_OK);
		pk_profile_free(v);
		CHECK(out.n == want.n && memcmp(out.s, want.s, out.n) == 0);
	}
	pk_sb_free(&out);
	pk_sb_free(&want);
	pk_ctx_free(c);
	pk_profile_free(src);
}

/* Each cancellation point of a report in turn (pk_ctx_cancel_after): PK_ECANCELED, nothing
 * kept (ASan's leak check in make check), the loaded profile unchanged; past the last point
 * the report is the one never canceled. */
/* A view of src: exclusive (pk_profile_view_exclusive) or not. */
static pk_status make_view(pk_ctx *c, pk_profile **v, const pk_profile *src, bool exclusive)
{
	return exclusive ? pk_profile_view_exclusive(c, v, (pk_profile *)src)
	                 : pk_profile_view(c, v, src);
}

static void cancel_each_point(const pk_profile *src, pk_format fmt, const pk_options *o,
                              const pk_profile *split, bool exclusive, bool as_base)
{
	pk_ctx *c = pk_ctx_new();
	pk_sb out = {0}, want = {0}, before = {0}, after = {0};
	pk_writer w = unit_sb_writer(&out);
	encoded(src, &before);
	long n = 1;
	pk_status st = PK_ECANCELED;
	for (; n < 10000 && st == PK_ECANCELED; n++) {
		pk_sb_reset(&out);
		pk_ctx_cancel_after(c, n);
		if (split) { /* compare: the halves of a -diff_base form, as the server makes it */
			pk_profile *h[2] = {NULL, NULL};
			st = pk_profile_split_base(c, split, &h[0], &h[1]);
			if (st == PK_OK)
				st = pk_report_series(c, h, 2, fmt, o, 0, &w, NULL);
			pk_profile_free(h[0]);
			pk_profile_free(h[1]);
		} else {
			pk_profile *v = NULL;
			st = make_view(c, &v, src, exclusive);
			if (st == PK_OK && as_base)
				st = pk_profile_as_base(c, v);
			if (st == PK_OK)
				st = pk_report(c, v, fmt, o, &w);
			pk_profile_free(v);
		}
		if (st == PK_ECANCELED)
			CHECK_STR(pk_ctx_message(c), "canceled");
	}
	if (st != PK_OK)
		fprintf(stderr, "format %d, cancellation point %ld: %s\n", (int)fmt, n - 1,
		        pk_ctx_message(c));
	CHECK_INT(st, PK_OK);
	CHECK(n > 2); /* at least one point was passed through */
	pk_ctx_cancel_after(c, 0);
	want = out;
	memset(&out, 0, sizeof out);
	w.payload = &out;
	if (split) {
		pk_profile *h[2] = {NULL, NULL};
		CHECK_INT(pk_profile_split_base(c, split, &h[0], &h[1]), PK_OK);
		CHECK_INT(pk_report_series(c, h, 2, fmt, o, 0, &w, NULL), PK_OK);
		pk_profile_free(h[0]);
		pk_profile_free(h[1]);
	} else {
		pk_profile *v = NULL;
		CHECK_INT(pk_profile_view(c, &v, src), PK_OK); /* the other kind: the same bytes */
		if (as_base)
			CHECK_INT(pk_profile_as_base(c, v), PK_OK);
		CHECK_INT(pk_report(c, v, fmt, o, &w), PK_OK);
		pk_profile_free(v);
	}
	CHECK(out.n == want.n && memcmp(out.s, want.s, out.n) == 0);
	encoded(src, &after);
	CHECK(before.n == after.n && memcmp(before.s, after.s, before.n) == 0);
	pk_sb_free(&out);
	pk_sb_free(&want);
	pk_sb_free(&before);
	pk_sb_free(&after);
	pk_ctx_free(c);
}

TEST(cancel_at_each_point)
{
	pk_profile *src = load(TESTDATA("profiles/cpu.pb.gz"));
	CHECK(src != NULL);
	if (!src)
		return;
	/* svg: its last points are just before Graphviz's layout, and with Graphviz's lock held */
	static const pk_format fmts[] = {PK_FMT_TOP,  PK_FMT_FLAME,  PK_FMT_TREE,
	                                 PK_FMT_PEEK, PK_FMT_TRACES, PK_FMT_FOLDED,
	                                 PK_FMT_DOT,  PK_FMT_LIST,   PK_FMT_SVG};
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		pk_options o = PK_OPTIONS_INIT;
		o.focus = "main";
		o.hide = "runtime";
		o.tagfocus = "phase=sort";
		o.symbol = "partition";
		cancel_each_point(src, fmts[f], &o, NULL, false, false);
		cancel_each_point(src, fmts[f], &o, NULL, true, false);
		pk_options more = PK_OPTIONS_INIT;
		more.show_from = "main";
		more.taghide = "worker";
		more.ignore = "madvise";
		more.symbol = "partition";
		cancel_each_point(src, fmts[f], &more, NULL, false, false);
		cancel_each_point(src, fmts[f], &more, NULL, true, false);
		pk_options plain = PK_OPTIONS_INIT;
		plain.symbol = "partition";
		plain.call_tree = fmts[f] == PK_FMT_TREE;
		cancel_each_point(src, fmts[f], &plain, NULL, false, false);
	}
	pk_profile_free(src);
	/* compare on the halves of a -diff_base form */
	pk_profile *base = load(TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = load(TESTDATA("profiles/leak.heap.2.pb.gz"));
	pk_profile *d = NULL;
	CHECK(base && cur);
	if (base && cur && pk_profile_apply_base(CTX(), &d, cur, base, PK_BASE_DIFF, 0) == PK_OK) {
		pk_options o = PK_OPTIONS_INIT;
		o.focus = "store";
		cancel_each_point(d, PK_FMT_COMPARE, &o, d, false, false);
		/* -base read from the form: the groups, then views reporting as -base. */
		pk_ctx *x = pk_ctx_new();
		long n = 1;
		for (; n < 10000; n++) {
			pk_ctx_cancel_after(x, n);
			if (pk_profile_base_groups(x, d) != PK_ECANCELED)
				break;
			CHECK(d->grp == NULL);
		}
		CHECK(n > 1 && d->grp != NULL);
		pk_ctx_free(x);
		pk_options b = PK_OPTIONS_INIT;
		b.hide = "runtime";
		b.symbol = "store";
		static const pk_format asb[] = {PK_FMT_TOP, PK_FMT_PEEK, PK_FMT_LIST, PK_FMT_SVG};
		for (size_t f = 0; f < sizeof asb / sizeof asb[0]; f++) {
			cancel_each_point(d, asb[f], &b, NULL, false, true);
			cancel_each_point(d, asb[f], &b, NULL, true, true);
		}
	}
	pk_profile_free(d);
	pk_profile_free(base);
	pk_profile_free(cur);
}

/* LeakSanitizer's on-demand check, present only in the sanitizer build. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* A view and one report with each allocation failing in turn (base/alloc.c's hook), as
 * test_alloc.c does for copies: PK_ENOMEM or the normal output, no leak, the loaded profile
 * unchanged. split: compare on the halves of that -diff_base form instead. */
static void alloc_each(const pk_profile *src, pk_format fmt, const pk_options *o, bool split,
                       bool exclusive, bool as_base)
{
	pk_sb out = {0}, want = {0}, before = {0}, after = {0};
	pk_writer w = unit_sb_writer(&out);
	pk_ctx *c = pk_ctx_new();
	encoded(src, &before);
	/* Every allocation of the first 64, then more and more sparsely (the sanitizer build makes
	 * each arena object an allocation of its own: thousands). */
	for (long k = -1; k < 1000000; k += 1 + k / 64) {
		pk_sb_reset(&out);
		pk_alloc_fail_after(k);
		pk_status st;
		if (split) {
			pk_profile *h[2] = {NULL, NULL};
			st = pk_profile_split_base(c, src, &h[0], &h[1]);
			if (st == PK_OK)
				st = pk_report_series(c, h, 2, fmt, o, 0, &w, NULL);
			pk_profile_free(h[0]);
			pk_profile_free(h[1]);
		} else {
			pk_profile *v = NULL;
			st = make_view(c, &v, src, exclusive);
			if (st == PK_OK && as_base)
				st = pk_profile_as_base(c, v);
			if (st == PK_OK)
				st = pk_report(c, v, fmt, o, &w);
			pk_profile_free(v);
		}
		pk_alloc_fail_after(-1);
		if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
			fprintf(stderr, "format %d: a leak when allocation %ld failed\n", (int)fmt,
			        k);
			unit_failed = 1;
			break;
		}
		if (k < 0) { /* the normal run */
			CHECK_INT(st, PK_OK);
			pk_sb_reset(&want);
			pk_sb_bytes(&want, out.s, out.n);
			continue;
		}
		if (st == PK_OK) { /* past the last allocation */
			CHECK(out.n == want.n && memcmp(out.s, want.s, out.n) == 0);
			break;
		}
		if (st != PK_ENOMEM) {
			fprintf(stderr, "format %d, allocation %ld failed: status %d: %s\n",
			        (int)fmt, k, (int)st, pk_ctx_message(c));
			unit_failed = 1;
			break;
		}
	}
	encoded(src, &after);
	CHECK(before.n == after.n && memcmp(before.s, after.s, before.n) == 0);
	pk_sb_free(&out);
	pk_sb_free(&want);
	pk_sb_free(&before);
	pk_sb_free(&after);
	pk_ctx_free(c);
}

TEST(view_out_of_memory_at_each_allocation)
{
	pk_profile *src = load(TESTDATA("profiles/cpu.pb.gz"));
	CHECK(src != NULL);
	if (!src)
		return;
	pk_options o = PK_OPTIONS_INIT;
	o.focus = "main";
	o.hide = "runtime";
	o.tagfocus = "phase=sort";
	o.taghide = "worker";
	alloc_each(src, PK_FMT_TOP, &o, false, false, false);
	alloc_each(src, PK_FMT_TOP, &o, false, true, false);
	pk_options f = PK_OPTIONS_INIT;
	f.show_from = "main";
	f.prune_from = "sortx";
	alloc_each(src, PK_FMT_FLAME, &f, false, false, false);
	alloc_each(src, PK_FMT_FLAME, &f, false, true, false);
	pk_profile_free(src);
	pk_profile *base = load(TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = load(TESTDATA("profiles/leak.heap.2.pb.gz"));
	pk_profile *d = NULL;
	CHECK(base && cur);
	if (base && cur && pk_profile_apply_base(CTX(), &d, cur, base, PK_BASE_DIFF, 0) == PK_OK) {
		pk_options c = PK_OPTIONS_INIT;
		alloc_each(d, PK_FMT_COMPARE, &c, true, false, false);
		/* -base read from the form: its groups made at each failing allocation, then views
		 * reporting as -base (total over groups, zero groups marked). */
		for (long k = 0; k < 1000000; k += 1 + k / 64) {
			pk_ctx *x = pk_ctx_new();
			pk_alloc_fail_after(k);
			pk_status st = pk_profile_base_groups(x, d);
			pk_alloc_fail_after(-1);
			pk_ctx_free(x);
			if (st == PK_OK)
				break;
			CHECK_INT(st, PK_ENOMEM);
			CHECK(d->grp == NULL);
		}
		CHECK(d->grp != NULL);
		pk_options b = PK_OPTIONS_INIT;
		b.hide = "runtime";
		b.tagfocus = "bytes=1kb:";
		b.mean = 1;
		alloc_each(d, PK_FMT_TOP, &b, false, false, true);
		alloc_each(d, PK_FMT_TOP, &b, false, true, true);
	}
	pk_profile_free(d);
	pk_profile_free(base);
	pk_profile_free(cur);
}

/* The merges that consume their inputs (and may rewrite or give back their arrays) take views
 * as they take copies: same result, and the profile the views share stays as it was. */
static pk_status consume(int how, pk_profile **out, pk_profile *a, pk_profile *b)
{
	pk_profile *in[2] = {a, b};
	switch (how) {
	case 0:
		return pk_profile_merge_take(CTX(), out, in, 1);
	case 1:
		return pk_profile_merge_take(CTX(), out, in, 2);
	case 2:
		return pk_profile_merge_take_sums(CTX(), out, in, 1);
	case 3:
		*out = a;
		return pk_profile_merge_into(CTX(), out, b);
	case 4:
		return pk_profile_apply_base_take(CTX(), out, &in[0], &in[1], PK_BASE_SUBTRACT, 0);
	default:
		return pk_profile_apply_base_take(CTX(), out, &in[0], &in[1], PK_BASE_DIFF, 1);
	}
}

TEST(views_consumed_by_merges)
{
	pk_profile *base = load(TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = load(TESTDATA("profiles/leak.heap.2.pb.gz"));
	pk_profile *d = NULL;
	CHECK(base && cur);
	if (!base || !cur ||
	    pk_profile_apply_base(CTX(), &d, cur, base, PK_BASE_DIFF, 0) != PK_OK) {
		unit_failed = 1;
		goto done;
	}
	pk_sb before = {0}, after = {0}, want = {0}, got = {0};
	encoded(d, &before);
	for (int how = 0; how < 6; how++) {
		pk_profile *h[2], *c[2], *rv = NULL, *rc = NULL;
		/* the halves of d (views), and deep copies of them */
		CHECK_INT(pk_profile_split_base(CTX(), d, &h[0], &h[1]), PK_OK);
		CHECK_INT(pk_profile_copy(CTX(), &c[0], h[0]), PK_OK);
		CHECK_INT(pk_profile_copy(CTX(), &c[1], h[1]), PK_OK);
		bool two = how != 0 && how != 2;
		if (!two) {
			pk_profile_free(h[0]);
			pk_profile_free(c[0]);
			h[0] = c[0] = NULL;
		}
		/* the profile first, the base second, as -base merges them */
		CHECK_INT(consume(how, &rv, h[1], h[0]), PK_OK);
		CHECK_INT(consume(how, &rc, c[1], c[0]), PK_OK);
		pk_options o = PK_OPTIONS_INIT;
		CHECK(rv && rc);
		if (rv && rc) {
			/* traces shows every sample; a sums-only merge is read by summing reports
			 */
			pk_format f = how == 2 ? PK_FMT_TREE : PK_FMT_TRACES;
			CHECK_INT(report(rc, f, &o, &want), PK_OK);
			CHECK_INT(report(rv, f, &o, &got), PK_OK);
			if (strcmp(want.s, got.s) != 0) {
				fprintf(stderr, "merge %d of views differs from that of copies\n",
				        how);
				unit_failed = 1;
			}
		}
		pk_profile_free(rv);
		pk_profile_free(rc);
		encoded(d, &after);
		if (before.n != after.n || memcmp(before.s, after.s, before.n) != 0) {
			fprintf(stderr, "merge %d of views changed the profile they share\n", how);
			unit_failed = 1;
			break;
		}
	}
	pk_sb_free(&before);
	pk_sb_free(&after);
	pk_sb_free(&want);
	pk_sb_free(&got);
done:
	pk_profile_free(d);
	pk_profile_free(base);
	pk_profile_free(cur);
}
