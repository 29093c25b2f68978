/* profile/inflate_fast.h - private to lib/profile: whole-buffer gzip inflate and deflate with
 * libdeflate when the build has it (inflate_fast.c); io.c's and encode.c's zlib loops are the
 * fallbacks. */
#ifndef PK_PROFILE_INFLATE_FAST_H
#define PK_PROFILE_INFLATE_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inflates the gzip stream in[0..in_len) in one call into a buffer of the size its trailer
 * (ISIZE) gives, when that size is plausible, at most max (0: no cap) and the stream is one
 * member that fills it exactly. true: *out (pk_malloc'd) holds *out_len bytes. false: nothing
 * was kept (no libdeflate, ISIZE lies, several members, bad data, out of memory); the caller
 * inflates with zlib, which also produces the error messages. */
bool pk_inflate_fast(const uint8_t *in, size_t in_len, uint64_t max, uint8_t **out,
                     size_t *out_len);

/* Compresses in[0..in_len) as one gzip member (level 6, zlib's default: the same size within
 * 0.1% on the benchmark profiles, in half the time) into *out (pk_malloc'd, *out_len bytes).
 * false: no libdeflate or out of memory; the caller compresses with zlib. */
bool pk_deflate_fast(const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len);

#endif
