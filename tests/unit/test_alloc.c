/* test_alloc.c - out of memory anywhere in lib/ is an error, never a crash, a leak or a wrong
 * report. Every report of a testdata profile is made once normally (counting the allocations it
 * takes), then again with the 1st, 2nd, ... Nth allocation failing (base/alloc.c's test hook).
 * Each run must either fail with PK_ENOMEM (and nothing else) or succeed with exactly the
 * normal output. Crashes fail the test (each test runs in a forked child); leaks are caught by
 * LeakSanitizer in the sanitizer build, which checks after every failed run.
 */
#include "unit.h"

#include "driver/driver.h"

/* LeakSanitizer's on-demand check, present only in the sanitizer build. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb *sb = payload;
	pk_sb_bytes(sb, buf, len);
	return sb->oom ? PK_ENOMEM : PK_OK;
}

/* The command's sequence: parse, prepare, merge, finish each input, then the report: pk_report
 * of the one input, or pk_report_series of all of them (compare, trend, check). */
static pk_status run(pk_ctx *ctx, uint8_t *const *data, const size_t *len, size_t n, pk_format fmt,
                     const pk_options *o, pk_sb *out)
{
	pk_profile *p[4] = {NULL, NULL, NULL, NULL};
	pk_writer w = {sb_write, out};
	pk_status st = PK_OK;
	for (size_t i = 0; i < n && i < 4 && st == PK_OK; i++) {
		pk_profile *in = NULL;
		st = pk_profile_parse(ctx, &in, data[i], len[i], "alloc.pb.gz");
		if (st == PK_OK)
			st = pk_profile_prepare(ctx, in);
		if (st == PK_OK)
			st = pk_profile_merge(ctx, &p[i], &in, 1);
		pk_profile_free(in);
		if (st == PK_OK)
			st = pk_profile_finish(ctx, p[i]);
	}
	int exceeded;
	if (st == PK_OK && (fmt == PK_FMT_COMPARE || fmt == PK_FMT_TREND || fmt == PK_FMT_CHECK))
		st = pk_report_series(ctx, p, n, fmt, o, 0, &w, &exceeded);
	else if (st == PK_OK)
		st = pk_report(ctx, p[0], fmt, o, &w);
	for (size_t i = 0; i < 4; i++)
		pk_profile_free(p[i]);
	return st;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len == cap && !pk_grow((void **)&buf, &cap, cap + 65536, 1))
			break;
		size_t k = fread(buf + *len, 1, cap - *len, f);
		if (k == 0)
			break;
		*len += k;
	}
	fclose(f);
	return buf;
}

/* Fails each allocation of one report in turn. Runs past about 400 allocations are sampled
 * with a stride (every allocation site is still reached on many runs), so that the sanitizer
 * build, where each arena object is its own allocation, stays within seconds. */
static void sweep_n(const char *const *profiles, size_t n_in, pk_format fmt, const pk_options *opt)
{
	uint8_t *data[4] = {NULL, NULL, NULL, NULL};
	size_t len[4] = {0, 0, 0, 0};
	const char *profile = profiles[0];
	pk_options o = *opt;
	for (size_t i = 0; i < n_in && i < 4; i++) {
		data[i] = slurp(profiles[i], &len[i]);
		CHECK(data[i] != NULL);
		if (!data[i])
			goto out;
	}
	pk_ctx *ctx = pk_ctx_new();
	pk_sb ref = {0};
	unsigned long before = pk_alloc_count();
	CHECK_INT(run(ctx, data, len, n_in, fmt, &o, &ref), PK_OK);
	unsigned long total = pk_alloc_count() - before;
	CHECK(total > 0);
	unsigned long stride = total / 400 + 1;
	int failures = 0;
	for (unsigned long n = 0; n < total && failures < 5; n += stride) {
		pk_sb out = {0};
		pk_alloc_fail_after((long)n);
		pk_status st = run(ctx, data, len, n_in, fmt, &o, &out);
		pk_alloc_fail_after(-1);
		if (st == PK_OK) {
			if (out.n != ref.n || (out.n && memcmp(out.s, ref.s, out.n) != 0)) {
				fprintf(
				    stderr,
				    "%s fmt %d: allocation %lu failed, report OK but different\n",
				    profile, (int)fmt, n);
				failures++;
			}
		} else if (st != PK_ENOMEM) {
			fprintf(stderr, "%s fmt %d: allocation %lu failed, status %d: %s\n",
			        profile, (int)fmt, n, (int)st, pk_ctx_message(ctx));
			failures++;
		}
		pk_sb_free(&out);
	}
	/* Everything of every run has been freed by now: a leak on any path shows here, with the
	 * stack of its allocation. */
	if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
		fprintf(stderr, "%s fmt %d: leaks after failed allocations\n", profile, (int)fmt);
		failures++;
	}
	CHECK_INT(failures, 0);
	pk_sb_free(&ref);
	pk_ctx_free(ctx);
out:
	for (size_t i = 0; i < 4; i++)
		pk_free(data[i]);
}

static void sweep(const char *profile, pk_format fmt, const char *symbol)
{
	pk_options o = PK_OPTIONS_INIT;
	o.symbol = symbol;
	sweep_n(&profile, 1, fmt, &o);
}

#define HEAP TESTDATA("profiles/leak.heap.0.pb.gz")
#define CPU TESTDATA("profiles/cpu.pb.gz")
TEST(alloc_fail_top)
{
	sweep(HEAP, PK_FMT_TOP, NULL);
}
TEST(alloc_fail_traces)
{
	sweep(HEAP, PK_FMT_TRACES, NULL);
}
TEST(alloc_fail_peek)
{
	sweep(HEAP, PK_FMT_PEEK, "Put");
}
TEST(alloc_fail_list)
{
	sweep(HEAP, PK_FMT_LIST, "Put");
}
TEST(alloc_fail_tree)
{
	sweep(HEAP, PK_FMT_TREE, NULL);
}
TEST(alloc_fail_tags)
{
	sweep(CPU, PK_FMT_TAGS, NULL);
}
TEST(alloc_fail_raw)
{
	sweep(HEAP, PK_FMT_RAW, NULL);
}
TEST(alloc_fail_dot)
{
	sweep(CPU, PK_FMT_DOT, NULL);
}
/* The call tree (-call_tree): its own node table, info numbering and sort. */
TEST(alloc_fail_dot_call_tree)
{
	const char *const heap = HEAP;
	pk_options o = PK_OPTIONS_INIT;
	o.call_tree = true;
	sweep_n(&heap, 1, PK_FMT_DOT, &o);
}
TEST(alloc_fail_svg)
{
	sweep(HEAP, PK_FMT_SVG, NULL);
}
TEST(alloc_fail_proto)
{
	sweep(HEAP, PK_FMT_PROTO, NULL);
}
TEST(alloc_fail_comments)
{
	sweep(HEAP, PK_FMT_COMMENTS, NULL);
}
TEST(alloc_fail_flame)
{
	sweep(HEAP, PK_FMT_FLAME, NULL);
}
TEST(alloc_fail_folded)
{
	sweep(HEAP, PK_FMT_FOLDED, NULL);
}
/* folded stacks as input (lib/profile/folded.c), reported as top */
TEST(alloc_fail_folded_input)
{
	sweep("tests/flame/golden/heap-reverse.folded", PK_FMT_TOP, NULL);
}
/* Text inputs (issue 15): each reader and the goroutines report. */
TEST(alloc_fail_goroutine_dump)
{
	sweep(TESTDATA("profiles/parked.goroutine.later.2.txt"), PK_FMT_GOROUTINES, NULL);
}
TEST(alloc_fail_goroutines_structured)
{
	const char *const dump = TESTDATA("profiles/goroutine-go1.22-cgo.2.txt");
	const char *const pb = TESTDATA("profiles/parked.goroutine.pb.gz");
	pk_options o = PK_OPTIONS_INIT;
	o.output = PK_OUT_JSON;
	sweep_n(&dump, 1, PK_FMT_GOROUTINES, &o);
	sweep_n(&pb, 1, PK_FMT_GOROUTINES, &o);
	o.output = PK_OUT_CSV;
	sweep_n(&dump, 1, PK_FMT_GOROUTINES, &o);
	sweep_n(&pb, 1, PK_FMT_GOROUTINES, &o);
}
TEST(alloc_fail_goroutine_debug1)
{
	sweep(TESTDATA("profiles/parked.goroutine.1.txt"), PK_FMT_TRACES, NULL);
}
TEST(alloc_fail_heap_debug1)
{
	sweep(TESTDATA("profiles/parked.heap.1.txt"), PK_FMT_TOP, NULL);
}
TEST(alloc_fail_block_debug1)
{
	sweep(TESTDATA("profiles/parked.block.1.txt"), PK_FMT_RAW, NULL);
}
TEST(alloc_fail_gperftools_heap)
{
	sweep(TESTDATA("profiles/pprof-legacy.cppbench.heap"), PK_FMT_RAW, NULL);
}
TEST(alloc_fail_gperftools_cpu)
{
	sweep(TESTDATA("profiles/pprof-legacy.cppbench.cpu"), PK_FMT_TOP, NULL);
}

/* compare, trend, check (pk_report_series) and -format=json|csv. */
#define SNAP(i) TESTDATA("profiles/snaps.heap." #i ".pb.gz")
TEST(alloc_fail_compare)
{
	const char *const in[] = {SNAP(0), SNAP(5)};
	pk_options o = PK_OPTIONS_INIT;
	sweep_n(in, 2, PK_FMT_COMPARE, &o);
	o.output = PK_OUT_JSON;
	o.stacks = 1;
	sweep_n(in, 2, PK_FMT_COMPARE, &o);
}
TEST(alloc_fail_trend)
{
	const char *const in[] = {SNAP(2), SNAP(0), SNAP(1)};
	pk_options o = PK_OPTIONS_INIT;
	sweep_n(in, 3, PK_FMT_TREND, &o);
	o.output = PK_OUT_CSV;
	sweep_n(in, 3, PK_FMT_TREND, &o);
}
TEST(alloc_fail_check)
{
	const char *const in[] = {SNAP(0), SNAP(5)};
	pk_options o = PK_OPTIONS_INIT;
	o.max_site_growth = "10kB";
	o.max_growth = 5;
	sweep_n(in, 2, PK_FMT_CHECK, &o);
	o.output = PK_OUT_JSON;
	sweep_n(in, 2, PK_FMT_CHECK, &o);
}
TEST(alloc_fail_json)
{
	const char *const heap = HEAP, *const cpu = CPU;
	pk_options o = PK_OPTIONS_INIT;
	o.output = PK_OUT_JSON;
	sweep_n(&heap, 1, PK_FMT_TOP, &o);
	sweep_n(&heap, 1, PK_FMT_TRACES, &o);
	sweep_n(&cpu, 1, PK_FMT_TAGS, &o);
	sweep_n(&heap, 1, PK_FMT_TREE, &o);
	o.output = PK_OUT_CSV;
	sweep_n(&heap, 1, PK_FMT_TRACES, &o);
	sweep_n(&heap, 1, PK_FMT_TREE, &o);
}
