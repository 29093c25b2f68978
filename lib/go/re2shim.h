/* re2shim.h - the part of RE2 (Google's C++ regular expression library, the same engine as Go's
 * regexp) that regex.c uses, behind a C interface: compile a pattern in RE2 syntax, match it
 * unanchored, free. Matching is linear in the subject (times the pattern), whatever the pattern.
 * Nothing here throws or aborts: a failure is a NULL or a -1. */
#ifndef PK_RE2SHIM_H
#define PK_RE2SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_re2 pk_re2;

/* Compiles pattern[0..n) (UTF-8, Perl-style classes, no POSIX longest match: Go's syntax). On
 * failure NULL, with RE2's reason in err (cut to errsz; "out of memory" when allocation failed). */
pk_re2 *pk_re2_new(const char *pattern, size_t n, char *err, size_t errsz);
/* 1: pattern matches somewhere in s[0..n) (regexp.MatchString); 0: no; -1: out of memory. */
int pk_re2_match(const pk_re2 *re, const char *s, size_t n);
void pk_re2_free(pk_re2 *re); /* NULL is fine */

#ifdef __cplusplus
}
#endif
#endif
