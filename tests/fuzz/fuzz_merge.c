/* fuzz_merge.c - libFuzzer target: merge and diff of two fuzzed profiles.
 * Input: a mode byte, two bytes (little endian) giving the length of the first profile (taken
 * modulo what is left), the first profile, the second. Both are parsed; then
 *   - pk_profile_merge of [A, B] (or [A, copy of A, B]), finished and reported;
 *   - A and B each merged alone (as the CLI loads them), then pk_profile_apply_base with B as
 *     the base, -base or -diff_base, with or without -normalize, finished and reported.
 * Incompatible profiles must fail with a message; nothing may crash or overflow. */
#include "fuzz.h"

static pk_status report(pk_ctx *ctx, pk_profile *p, uint8_t mode)
{
	static const pk_format formats[] = {PK_FMT_TOP, PK_FMT_TRACES, PK_FMT_TAGS, PK_FMT_TREE};
	pk_options o = PK_OPTIONS_INIT;
	fuzz_sink sink = {NULL, 0, 0, SIZE_MAX, 0};
	pk_writer w = fuzz_sink_writer(&sink);
	o.drop_negative = mode >> 6 & 1;
	o.mean = mode >> 7 & 1;
	pk_status st = pk_profile_finish(ctx, p);
	fuzz_check_status(ctx, st);
	if (st == PK_OK) {
		st = pk_report(ctx, p, formats[mode >> 4 & 3], &o, &w);
		fuzz_check_status(ctx, st);
	}
	fuzz_sink_free(&sink);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint8_t mode = data[0];
	size_t rest = size - 3;
	size_t split = ((size_t)data[1] | (size_t)data[2] << 8) % (rest + 1);
	const uint8_t *a_bytes = data + 3, *b_bytes = data + 3 + split;
	size_t a_len = split, b_len = rest - split;

	pk_ctx *ctx = fuzz_ctx();
	pk_profile *a = NULL, *b = NULL, *a2 = NULL, *m = NULL, *ma = NULL, *mb = NULL, *d = NULL;
	pk_status st = pk_profile_parse(ctx, &a, a_bytes, a_len, "a.pb");
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_parse(ctx, &b, b_bytes, b_len, "b.pb");
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;

	/* Merge. */
	{
		pk_profile *in[3];
		size_t n = 0;
		in[n++] = a;
		if (mode & 1) {
			st = pk_profile_copy(ctx, &a2, a);
			fuzz_check_status(ctx, st);
			if (st != PK_OK)
				goto done;
			in[n++] = a2;
		}
		in[n++] = b;
		st = pk_profile_merge(ctx, &m, in, n);
		fuzz_check_status(ctx, st);
		if (st == PK_OK)
			report(ctx, m, mode);
	}

	/* Base / diff base: each side loaded as the CLI loads it, then combined. */
	st = pk_profile_merge(ctx, &ma, &a, 1);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_merge(ctx, &mb, &b, 1);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_apply_base(ctx, &d, ma, mb, (mode & 2) ? PK_BASE_DIFF : PK_BASE_SUBTRACT,
	                           (mode >> 2) & 1);
	fuzz_check_status(ctx, st);
	if (st == PK_OK)
		report(ctx, d, mode);
done:
	pk_profile_free(d);
	pk_profile_free(mb);
	pk_profile_free(ma);
	pk_profile_free(m);
	pk_profile_free(a2);
	pk_profile_free(b);
	pk_profile_free(a);
	pk_ctx_free(ctx);
	return 0;
}
