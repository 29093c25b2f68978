/* fuzz_decode.c - libFuzzer target: the input is a profile file (gzipped or not).
 * pk_profile_parse must either succeed or fail with a status and a message. A profile that
 * decodes then goes the way the CLI takes it (merge of one, finish), is copied, and is written
 * back as profile.proto; what pprofkit writes must decode again, with the same sample types. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pk_ctx *ctx = fuzz_ctx();
	pk_profile *p = NULL, *m = NULL, *c = NULL, *back = NULL;
	fuzz_sink sink = {NULL, 0, 0, SIZE_MAX, 0};
	pk_writer w = fuzz_sink_writer(&sink);

	pk_status st = pk_profile_parse(ctx, &p, data, size, "fuzz.pb");
	fuzz_check_status(ctx, st);
	if (st != PK_OK) {
		FUZZ_ASSERT(p == NULL);
		goto done;
	}
	FUZZ_ASSERT(p != NULL);
	size_t nt = pk_profile_sample_type_count(p);
	for (size_t i = 0; i <= nt; i++) {
		const char *unit = NULL;
		const char *type = pk_profile_sample_type(p, i, &unit);
		FUZZ_ASSERT((type != NULL) == (i < nt));
		if (type)
			FUZZ_ASSERT(unit != NULL);
	}
	st = pk_profile_merge(ctx, &m, &p, 1);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_finish(ctx, m);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_copy(ctx, &c, m);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	FUZZ_ASSERT(pk_profile_sample_count(c) == pk_profile_sample_count(m));
	st = pk_profile_write(ctx, c, &w);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	/* Round trip: our own output is a valid profile. */
	st = pk_profile_parse(ctx, &back, sink.buf, sink.len, "fuzz-roundtrip.pb.gz");
	if (st != PK_OK)
		fprintf(stderr, "round trip failed: %s\n", pk_ctx_message(ctx));
	FUZZ_ASSERT(st == PK_OK);
	FUZZ_ASSERT(pk_profile_sample_type_count(back) == pk_profile_sample_type_count(c));
done:
	pk_profile_free(back);
	pk_profile_free(c);
	pk_profile_free(m);
	pk_profile_free(p);
	fuzz_sink_free(&sink);
	pk_ctx_free(ctx);
	return 0;
}
