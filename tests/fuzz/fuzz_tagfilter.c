/* fuzz_tagfilter.c - libFuzzer target: the option strings the library parses itself. Fixed
 * profiles from testdata (cpp: numeric labels with and without a unit, string labels, a key
 * with two values; leak.heap.2: a numeric `bytes` label; cpu: string labels worker and phase)
 * are reported with fuzzed -tagfocus, -tagignore (ranges, units, key=value lists, regexes),
 * -unit, -tagshow, -taghide, -tagroot, -tagleaf, -focus/-ignore/-hide/-show/-show_from/
 * -prune_from (Go RE2 syntax translated to PCRE2), -sample_index and the peek RE.
 * Input: one byte choosing the profile and report, then up to 8 fields, each a byte naming the
 * option followed by its value up to '\n'. Bad strings must give PK_EUSAGE (or another status)
 * with a message, never a crash. */
#include "fuzz.h"

static pk_profile *profiles[3];

static void setup(void)
{
	static const char *const names[] = {"cpp.pb.gz", "leak.heap.2.pb.gz", "cpu.pb.gz"};
	pk_ctx *ctx = fuzz_ctx();
	for (int i = 0; i < 3; i++) {
		char path[4096];
		size_t len;
		snprintf(path, sizeof path, "%s/testdata/profiles/%s", PK_SRCDIR, names[i]);
		uint8_t *buf = fuzz_read_file(path, &len);
		pk_profile *p = NULL;
		pk_status st = pk_profile_parse(ctx, &p, buf, len, names[i]);
		free(buf);
		if (st == PK_OK)
			st = pk_profile_merge(ctx, &profiles[i], &p, 1);
		pk_profile_free(p);
		if (st == PK_OK)
			st = pk_profile_finish(ctx, profiles[i]);
		if (st != PK_OK) {
			fprintf(stderr, "fuzz setup: %s\n", pk_ctx_message(ctx));
			abort();
		}
	}
	pk_ctx_free(ctx);
}

enum { MAX_FIELDS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const pk_format formats[] = {PK_FMT_TOP,  PK_FMT_TAGS, PK_FMT_TRACES, PK_FMT_TREE,
	                                    PK_FMT_PEEK, PK_FMT_DOT,  PK_FMT_RAW,    PK_FMT_TOP};
	if (!profiles[0])
		setup();
	if (size < 1)
		return 0;
	fuzz_in in = {data, size};
	uint8_t b = fuzz_byte(&in);
	pk_format fmt = formats[b & 7];
	pk_profile *base = profiles[(b >> 3) % 3];
	pk_options o = PK_OPTIONS_INIT;
	char *strs[MAX_FIELDS] = {0};
	int n = 0;
	if (fmt == PK_FMT_PEEK)
		o.symbol = ".";
	while (in.n && n < MAX_FIELDS) {
		uint8_t which = fuzz_byte(&in);
		char *s = strs[n++] = fuzz_line(&in);
		switch (which % 16) {
		case 0:
		case 1:
			o.tagfocus = s;
			break;
		case 2:
		case 3:
			o.tagignore = s;
			break;
		case 4:
		case 5:
			o.unit = s;
			break;
		case 6:
			o.tagshow = s;
			break;
		case 7:
			o.taghide = s;
			break;
		case 8:
			o.tagroot = s;
			break;
		case 9:
			o.tagleaf = s;
			break;
		case 10:
			o.focus = s;
			break;
		case 11:
			o.ignore = s;
			break;
		case 12:
			o.hide = s;
			break;
		case 13:
			if (which & 16)
				o.show = s;
			else
				o.show_from = s;
			break;
		case 14:
			o.prune_from = s;
			break;
		case 15:
			if (which & 16)
				o.symbol = s;
			else
				o.sample_index = s;
			break;
		}
	}

	pk_ctx *ctx = fuzz_ctx();
	pk_profile *p = NULL;
	fuzz_sink sink = {NULL, 0, 0, SIZE_MAX, 0};
	pk_writer w = fuzz_sink_writer(&sink);
	pk_status st = pk_profile_copy(ctx, &p, base);
	FUZZ_ASSERT(st == PK_OK);
	st = pk_report(ctx, p, fmt, &o, &w);
	fuzz_check_status(ctx, st);
	pk_profile_free(p);
	fuzz_sink_free(&sink);
	pk_ctx_free(ctx);
	for (int i = 0; i < n; i++)
		free(strs[i]);
	return 0;
}
