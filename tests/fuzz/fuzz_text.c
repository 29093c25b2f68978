/* fuzz_text.c - libFuzzer target for the text readers (lib/profile/textkinds.c and the
 * readers it lists): the input is any text; when a text kind recognises it, it must either
 * become a profile or fail with a status and a "fuzz.txt: line N: ..." style message. A
 * profile read from text goes the CLI's way (merge of one, finish), is written as
 * profile.proto, and what pprofkit writes must decode again with the same sample types and
 * the same number of samples. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pk_ctx *ctx = fuzz_ctx();
	pk_profile *p = NULL, *m = NULL, *back = NULL;
	fuzz_sink sink = {NULL, 0, 0, SIZE_MAX, 0};
	pk_writer w = fuzz_sink_writer(&sink);

	pk_status st = pk_profile_parse(ctx, &p, data, size, "fuzz.txt");
	fuzz_check_status(ctx, st);
	if (st != PK_OK) {
		FUZZ_ASSERT(p == NULL);
		FUZZ_ASSERT(strncmp(pk_ctx_message(ctx), "fuzz.txt", 8) == 0);
		goto done;
	}
	st = pk_profile_merge(ctx, &m, &p, 1);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_finish(ctx, m);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_write(ctx, m, &w);
	fuzz_check_status(ctx, st);
	if (st != PK_OK)
		goto done;
	st = pk_profile_parse(ctx, &back, sink.buf, sink.len, "fuzz-roundtrip.pb.gz");
	if (st != PK_OK)
		fprintf(stderr, "round trip failed: %s\n", pk_ctx_message(ctx));
	FUZZ_ASSERT(st == PK_OK);
	FUZZ_ASSERT(pk_profile_sample_type_count(back) == pk_profile_sample_type_count(m));
	FUZZ_ASSERT(pk_profile_sample_count(back) <= pk_profile_sample_count(m));
done:
	pk_profile_free(back);
	pk_profile_free(m);
	pk_profile_free(p);
	fuzz_sink_free(&sink);
	pk_ctx_free(ctx);
	return 0;
}
