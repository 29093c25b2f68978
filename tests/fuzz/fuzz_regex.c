/* fuzz_regex.c - libFuzzer target: lib/regex.c, the Go (RE2 syntax) to PCRE2 translation that
 * every -focus, -ignore, -hide, -show, -show_from, -prune_from, -tagshow, -taghide and peek/list
 * RE goes through. Input: the pattern up to the first '\n', then the subject (any bytes,
 * invalid UTF-8 included). A pattern compiles or fails with PK_EUSAGE and a message; matching
 * never crashes and never backtracks without bound (libFuzzer's -timeout catches that).
 * Uses the private API (the stage headers), as the unit tests do. */
#include "fuzz.h"
#include "driver/driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in in = {data, size};
	char *pattern = fuzz_line(&in);
	pk_ctx *ctx = fuzz_ctx();
	pk_regex *re = NULL;
	pk_status st = pk_regex_compile(ctx, &re, pattern, "focus");
	fuzz_check_status(ctx, st);
	if (st == PK_OK) {
		FUZZ_ASSERT(re != NULL);
		(void)pk_regex_match(re, (const char *)in.p, in.n);
		(void)pk_regex_match(re, pattern, strlen(pattern));
		(void)pk_regex_match(re, "", 0);
	} else {
		FUZZ_ASSERT(st == PK_EUSAGE || st == PK_ENOMEM);
	}
	pk_regex_free(re);
	pk_ctx_free(ctx);
	free(pattern);
	return 0;
}
