/* fuzz_report.c - libFuzzer target: every report over a fuzzed profile with fuzzed options.
 * Input: FUZZ_REPORT_HDR bytes of choices (format, flags, granularity, node count, fractions,
 * divisor, unit, sample index, regexes, tag filters, tag roots, the peek/list symbol, a writer
 * that fails after N bytes), then the profile file itself (gzipped or not). The profile goes
 * the CLI's way (parse, merge of one, finish) unless a header bit asks for the parsed profile
 * as it is. The report must succeed or fail with a status and a message; SVG output must be
 * well-formed XML. The list report reads sources from testdata/progs/leak. */
#include "fuzz.h"
#include "xmlcheck.h"

#define FUZZ_REPORT_HDR 16

static const char *const regexes[] = {
    NULL, ".",          "main",        "^runtime\\.", "Fib|sort", "[",     "(?i)MAIN",
    "x^", "\\.go$",     "cache",       "Put$",        "a{2,}",    "\\pL+", "(?P<n>x)|y",
    "^$", "\\bsort\\b", "[[:alpha:]]", "\\Qa.b\\E",   "(a|b)*c",  "é",     "\\x{263a}",
};
#define NREGEX (sizeof regexes / sizeof *regexes)
static const char *const tagfilters[] = {
    NULL,
    "worker=a",
    "bytes=1kb:",
    ":64",
    "1:1000",
    "thread=.*",
    "pool=api|batch",
    "32mb:",
    "request_id=5:10",
    "phase=text,hash",
    "=",
    "bad=(",
    "4kb",
    "-1:",
    "1.5mb:2gb",
    "bytes=:0",
    "a",
    "ms:",
    "10ms:1h",
    "handler=x,y",
    "x=",
    ",",
    "1e300:",
    ":-9223372036854775808",
};
static const char *const tagkeys[] = {NULL,    "worker",      "bytes",   "thread,pool",
                                      "phase", "request_id",  ",",       "handler,bytes,x",
                                      "",      "pprof::base", "a,a,a,a", "codec"};
static const char *const units[] = {"minimum", "auto", "",      "ms",    "s",       "kB",   "MB",
                                    "bytes",   "ns",   "hours", "bogus", "%",       "GiB",  "us",
                                    "m",       "d",    "KiB",   "TB",    "seconds", "count"};
static const char *const indexes[] = {
    NULL,          "0",     "1",           "2",         "3",
    "-1",          "99",    "samples",     "cpu",       "alloc_space",
    "inuse_space", "delay", "contentions", "goroutine", "wall",
    "bogus",       "",      "0x1",         "1e3",       "inuse_objects"};
static const char *const symbols[] = {NULL, ".",        "main", "Put", "Record",      "Fib",
                                      "[",  "cache\\.", "Load", "^$",  "example.com", "runtime"};
static const int nodecounts[] = {-1, 0, 1, 3, 10, 80, 200, -5};
static const double fractions[] = {0.005, 0.001, 0, 0.5, 1, -1, 1e-300, 2};
static const double divisors[] = {1, 2, 0.5, -1, 0, 1e-9, 1e300, 1024, 3.7, -0.0};
static const size_t fail_afters[] = {0, 1, 10, 100, 1000, 4096, 10000, 100000};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < FUZZ_REPORT_HDR)
		return 0;
	fuzz_in in = {data, FUZZ_REPORT_HDR};
	pk_options o = PK_OPTIONS_INIT;
	uint8_t b;

	pk_format fmt =
	    (pk_format)(PK_FMT_TOP + fuzz_byte(&in) % (PK_FMT_COMMENTS - PK_FMT_TOP + 1));
	b = fuzz_byte(&in);
	o.mean = b & 1;
	o.cum = b >> 1 & 1;
	o.noinlines = b >> 2 & 1;
	o.drop_negative = b >> 3 & 1;
	o.relative_percentages = b >> 4 & 1;
	o.call_tree = b >> 5 & 1;
	o.compact_labels = b >> 6 & 1;
	o.trim = !(b >> 7 & 1);
	b = fuzz_byte(&in);
	o.granularity = (pk_granularity)(b % 5);
	int raw_profile = b >> 3 & 1; /* report on the parsed profile, without merge and finish */
	int failing_writer = b >> 4 & 1;
	o.nodecount = FUZZ_PICK(&in, nodecounts);
	b = fuzz_byte(&in);
	o.nodefraction = fractions[b % 8];
	o.edgefraction = fractions[b >> 4 & 7];
	o.divide_by = FUZZ_PICK(&in, divisors);
	o.unit = FUZZ_PICK(&in, units);
	b = fuzz_byte(&in);
	o.sample_index = b < 128 ? NULL : indexes[b % (sizeof indexes / sizeof *indexes)];
	/* Which filters are set: one bit each; the picked byte's top bit chooses within a pair. */
	b = fuzz_byte(&in);
	uint8_t c;
	if (b & 1) {
		c = fuzz_byte(&in);
		*(c & 128 ? &o.focus : &o.ignore) = regexes[c % NREGEX];
	}
	if (b & 2) {
		c = fuzz_byte(&in);
		*(c & 128 ? &o.hide : &o.show) = regexes[c % NREGEX];
	}
	if (b & 4) {
		c = fuzz_byte(&in);
		*(c & 128 ? &o.show_from : &o.prune_from) = regexes[c % NREGEX];
	}
	if (b & 8)
		o.tagfocus = FUZZ_PICK(&in, tagfilters);
	if (b & 16)
		o.tagignore = FUZZ_PICK(&in, tagfilters);
	if (b & 32) {
		c = fuzz_byte(&in);
		*(c & 128 ? &o.tagshow : &o.taghide) = regexes[c % NREGEX];
	}
	if (b & 128) {
		o.tagroot = FUZZ_PICK(&in, tagkeys);
		o.tagleaf = FUZZ_PICK(&in, tagkeys);
	}
	o.symbol = FUZZ_PICK(&in, symbols);
	size_t fail_after = failing_writer ? FUZZ_PICK(&in, fail_afters) : SIZE_MAX;
	if (fmt == PK_FMT_LIST) {
		o.source_path = PK_SRCDIR "/testdata/progs/leak";
		o.trim_path = (b & 64) ? "example.com/leak" : NULL;
	}
	if (fmt == PK_FMT_SVG && o.nodecount > 80)
		o.nodecount = 80; /* Graphviz layout time grows fast with the node count */

	pk_ctx *ctx = fuzz_ctx();
	pk_profile *parsed = NULL, *p = NULL;
	fuzz_sink sink = {NULL, 0, 0, fail_after, 0};
	pk_writer w = fuzz_sink_writer(&sink);
	pk_status st = pk_profile_parse(ctx, &parsed, data + FUZZ_REPORT_HDR,
	                                size - FUZZ_REPORT_HDR, "fuzz.pb");
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	if (raw_profile) {
		p = parsed;
		parsed = NULL;
	} else {
		st = pk_profile_merge(ctx, &p, &parsed, 1);
		fuzz_check_status(ctx, st);
		if (st != PK_OK)
			goto done;
		st = pk_profile_finish(ctx, p);
		fuzz_check_status(ctx, st);
		if (st != PK_OK)
			goto done;
	}
	st = pk_report(ctx, p, fmt, &o, &w);
	fuzz_check_status(ctx, st);
	if (sink.failed)
		FUZZ_ASSERT(st != PK_OK); /* a write failure is never lost */
	if (st == PK_OK && fmt == PK_FMT_SVG) {
		const char *why = xml_check(sink.buf, sink.len);
		if (why) {
			fprintf(stderr, "svg is not well-formed: %s\n", why);
			abort();
		}
	}
done:
	pk_profile_free(p);
	pk_profile_free(parsed);
	fuzz_sink_free(&sink);
	pk_ctx_free(ctx);
	return 0;
}
