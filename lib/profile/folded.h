/* folded.h - private to lib/profile/: folded stacks ("root;...;leaf VALUE" lines, as written by
 * FlameGraph's stackcollapse scripts, inferno, async-profiler -o collapsed, py-spy --format raw
 * and `pprofkit folded`) read as a profile (folded.c). */
#ifndef PK_PROFILE_FOLDED_H
#define PK_PROFILE_FOLDED_H

#include "profile/profile.h"

/* Whether data (already inflated) is folded stacks: its first line is text that ends in a
 * space and a whole number, after at least one frame. */
bool pk_folded_sniff(const uint8_t *data, size_t len);
/* The profile of folded stacks: one sample per line, one sample type (the context's
 * folded type, samples/count unless set), one function and location per distinct frame name.
 * A bad line is PK_EFORMAT "NAME: line N: reason". */
pk_status pk_folded_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                         const char *name);

#endif
