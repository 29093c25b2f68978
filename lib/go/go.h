/* go/go.h - private to lib/: the Go standard-library behaviour that pprof's output inherits,
 * written once: UTF-8 (unicode/utf8), strconv (Atoi, Quote), strings.TrimSpace, time and
 * duration formatting, filepath.Clean, float-to-int conversion, and Go's regexp (RE2 syntax).
 * Go's text/tabwriter is go/tabwriter.h. Above base/, below everything that formats output.
 */
#ifndef PK_GO_H
#define PK_GO_H

#include "base/base.h"

/* ---- utf8.c: unicode/utf8 ---------------------------------------------------------------- */
/* Length of the valid rune at s[0..n) with the rune in *rune, or 0 where Go decodes RuneError
 * of width 1 (invalid, overlong, surrogate, past U+10FFFF, cut short); 0 for n == 0. */
size_t pk_utf8_decode(const char *s, size_t n, uint32_t *rune);
/* Bytes in the first rune of s[0..n) as utf8.DecodeRune counts them (1 for an invalid byte). */
size_t pk_rune_len(const char *s, size_t n);
/* utf8.RuneCount: each invalid or short encoding counts as one rune. */
size_t pk_rune_count(const char *s, size_t n);
/* utf8.ValidString */
bool pk_utf8_valid(const char *s, size_t n);

/* ---- strconv.c, strings.c ---------------------------------------------------------------- */
/* strconv.Atoi: optional sign, decimal digits, fits in int64. */
bool pk_go_atoi(const char *s, int64_t *out);
/* strconv.Quote (fmt's %q of a string), appended to b. */
void pk_go_quote(pk_sb *b, const char *s);
/* strings.TrimSpace of s[0..n) (unicode.IsSpace): a piece of s. */
pk_str pk_go_trim_space(const char *s, size_t n);
/* Go's int64(x) on amd64: truncates; NaN and out-of-range values give INT64_MIN. */
static inline int64_t pk_go_f2i(double x)
{
	if (x >= -9223372036854775808.0 && x < 9223372036854775808.0)
		return (int64_t)x;
	return INT64_MIN;
}

/* ---- time.c ------------------------------------------------------------------------------ */
/* time.Time.Format("Jan 2, 2006 at 3:04pm (MST)") of unix nanoseconds, local zone. */
char *pk_go_time_label(char *buf, size_t n, int64_t unix_nanos);
/* time.Unix(0, ns).String(), appended to sb. */
void pk_go_time_string(pk_sb *sb, int64_t ns);
/* time.Duration(d).String() into out (at least 33 bytes); returns out. */
char *pk_go_duration_string(char *out, int64_t d);

/* ---- filepath.c -------------------------------------------------------------------------- */
/* filepath.Clean of s[0..n) into sb (reset first). */
void pk_clean_path(pk_sb *sb, const char *s, size_t n);

/* ---- regex.c: Go regexp (RE2 syntax), parsed as Go does, matched by RE2 in linear time;
 * matching is unanchored, as MatchString -------------------------------------------------- */
typedef struct pk_regex pk_regex;
/* Compiles pattern; on failure PK_EUSAGE with "parsing FLAG regexp: error parsing regexp: ..."
 * (flag_name NULL: without the "parsing FLAG regexp: " part). */
pk_status pk_regex_compile(pk_ctx *ctx, pk_regex **out, const char *pattern, const char *flag_name);
bool pk_regex_match(const pk_regex *re, const char *s, size_t n);
void pk_regex_free(pk_regex *re); /* NULL is fine */
/* The pattern as regex.c's Go parser rewrites it for PCRE2 (pk_malloc'ed, *out), or Go's error:
 * an independent matcher for tests (the fuzz target compares RE2's answers with PCRE2's). */
pk_status pk_regex_pcre2_text(pk_ctx *ctx, const char *pattern, char **out);

#endif
