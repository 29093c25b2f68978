/* regex.c - Go regular expressions (RE2 syntax) through PCRE2, behind a small API: compile with
 * the flag's name in errors, match unanchored (regexp.MatchString), free.
 *
 * Mirrors Go's regexp package as pprof uses it (regexp.Compile, MatchString).
 *
 * Deliberate divergences (for now; this file is where RE2 differences get translated):
 * - Patterns compile with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, so '.' and classes work on
 *   runes as in Go and invalid UTF-8 in a subject is safe; but where Go reads an invalid byte
 *   as U+FFFD (which '.' matches), PCRE2 matches nothing there.
 * - PCRE2_DOLLAR_ENDONLY: '$' matches only at the very end, as in Go without (?m).
 * - PCRE2 accepts syntax RE2 rejects (backreferences, lookaround, possessive quantifiers);
 *   error texts are PCRE2's, wrapped in Go's "error parsing regexp: ...: `pattern`" shape.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "pk.h"

struct pk_regex {
	pcre2_code *code;
	pcre2_match_data *md;
};

pk_status pk_regex_compile(pk_ctx *ctx, pk_regex **out, const char *pattern, const char *flag_name)
{
	int err;
	PCRE2_SIZE off;
	*out = NULL;
	pk_regex *re = calloc(1, sizeof *re);
	if (!re)
		return pk_oom(ctx);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &err,
	                         &off, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
			msg[0] = 0;
		free(re);
		if (flag_name)
			return pk_fail(ctx, PK_EUSAGE,
			               "parsing %s regexp: error parsing regexp: %s: `%s`",
			               flag_name, (const char *)msg, pattern);
		return pk_fail(ctx, PK_EUSAGE, "error parsing regexp: %s: `%s`", (const char *)msg,
		               pattern);
	}
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* optional speed-up */
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md) {
		pk_regex_free(re);
		return pk_oom(ctx);
	}
	*out = re;
	return PK_OK;
}

bool pk_regex_match(const pk_regex *re, const char *s, size_t n)
{
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, NULL) >= 0;
}

void pk_regex_free(pk_regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}
