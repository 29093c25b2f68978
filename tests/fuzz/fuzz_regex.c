/* fuzz_regex.c - libFuzzer target: lib/go/regex.c, Go's regexp syntax parsed as Go does (Go's
 * accept/reject decision and message) and matched by RE2, for every -focus, -ignore, -hide,
 * -show, -show_from, -prune_from, -tagshow, -taghide, peek/list RE and the profile's own
 * drop_frames/keep_frames. Input: the pattern up to the first '\n', then the subject (any bytes,
 * invalid UTF-8 included). A pattern compiles or fails with PK_EUSAGE and a message; matching
 * never crashes.
 *
 * The oracle: the same pattern rewritten for PCRE2 (regex.c's Go parser, which was the matcher
 * before RE2 and was checked against Go 1.19 on ~500k random patterns), matched by PCRE2's
 * backtracking interpreter on the subject decoded as Go decodes it (each byte of an invalid
 * UTF-8 sequence one U+FFFD, done here independently of regex.c). RE2 and PCRE2 share no code;
 * every answer PCRE2 gives within its limits must be RE2's. Where PCRE2 gives up (its match
 * limit, a pattern too large for it) there is nothing to compare.
 * Uses the private API (the stage headers), as the unit tests do. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fuzz.h"
#include "driver/driver.h"

/* s[0..n) with each byte that does not start a valid UTF-8 sequence (RFC 3629: no overlongs,
 * no surrogates, nothing past U+10FFFF) replaced by EF BF BD. */
static char *go_decode(const char *s, size_t n, size_t *outn)
{
	char *o = malloc(3 * n + 1);
	size_t w = 0;
	FUZZ_ASSERT(o != NULL);
	for (size_t i = 0; i < n;) {
		const unsigned char *p = (const unsigned char *)s + i;
		size_t l = 0, left = n - i;
		if (p[0] < 0x80)
			l = 1;
		else if (p[0] >= 0xC2 && p[0] <= 0xDF && left >= 2 && (p[1] & 0xC0) == 0x80)
			l = 2;
		else if (p[0] >= 0xE0 && p[0] <= 0xEF && left >= 3 && (p[1] & 0xC0) == 0x80 &&
		         (p[2] & 0xC0) == 0x80 && !(p[0] == 0xE0 && p[1] < 0xA0) &&
		         !(p[0] == 0xED && p[1] >= 0xA0))
			l = 3;
		else if (p[0] >= 0xF0 && p[0] <= 0xF4 && left >= 4 && (p[1] & 0xC0) == 0x80 &&
		         (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 &&
		         !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90))
			l = 4;
		if (l) {
			memcpy(o + w, p, l);
			w += l;
			i += l;
		} else {
			memcpy(o + w, "\xEF\xBF\xBD", 3);
			w += 3;
			i++;
		}
	}
	*outn = w;
	return o;
}

/* 1 match, 0 none, -1 PCRE2 gave up. */
static int oracle(pcre2_code *code, pcre2_match_data *md, pcre2_match_context *mc, const char *s,
                  size_t n)
{
	size_t dn;
	char *d = go_decode(s, n, &dn);
	int rc = pcre2_match(code, (PCRE2_SPTR)d, dn, 0, 0, md, mc);
	free(d);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static void compare(const pk_regex *re, pcre2_code *code, pcre2_match_data *md,
                    pcre2_match_context *mc, const char *pattern, const char *s, size_t n)
{
	bool got = pk_regex_match(re, s, n);
	int want = code ? oracle(code, md, mc, s, n) : -1;
	if (want >= 0 && got != (want == 1)) {
		fprintf(stderr, "regex `%s` on %zu bytes: RE2 says %d, PCRE2 says %d\n", pattern, n,
		        got, want);
		abort();
	}
}

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
		char *text = NULL;
		FUZZ_ASSERT(pk_regex_pcre2_text(ctx, pattern, &text) == PK_OK);
		pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		FUZZ_ASSERT(cc && mc && md);
		pcre2_set_parens_nest_limit(cc, 2500);
		pcre2_set_match_limit(mc, 1000000);
		int err;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile(
		    (PCRE2_SPTR)text, strlen(text),
		    PCRE2_UTF | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C | PCRE2_NO_AUTO_CAPTURE,
		    &err, &off, cc);
		compare(re, code, md, mc, pattern, (const char *)in.p, in.n);
		compare(re, code, md, mc, pattern, pattern, strlen(pattern));
		compare(re, code, md, mc, pattern, "", 0);
		pcre2_code_free(code);
		pcre2_match_data_free(md);
		pcre2_match_context_free(mc);
		pcre2_compile_context_free(cc);
		pk_free(text);
	} else {
		FUZZ_ASSERT(st == PK_EUSAGE || st == PK_ENOMEM);
	}
	pk_regex_free(re);
	pk_ctx_free(ctx);
	free(pattern);
	return 0;
}
