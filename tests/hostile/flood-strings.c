/* flood-strings.c - prints strings that flood pprofkit's string table when its hash key is
 * known: tests/hostile/generate builds the profile gen/strings-collide-100k.pb from them.
 *
 * Usage: PPROFKIT_HASH_SEED=N flood-strings COUNT PREFIX SUFFIX...
 * For each PREFIX/SUFFIX pair, prints COUNT lines PREFIX<i>.<try>SUFFIX whose slots in the
 * string table (pk_strtab: pk_hash_bytes(s, n, 0), then the table's pk_hash_slot, folded to
 * 32 bits) have bits 12..17 all zero under the key that PPROFKIT_HASH_SEED=N gives: at every
 * capacity from 2^12 to 2^18 slots (2^18 holds 10^5 strings), all of them start in the first
 * 2^12 slots, one run that every insertion walks. Found by trial (2^6 tries a string), with
 * the library's own hash functions: this is linked with build/lib/base/hash.o and alloc.o.
 *
 * With that seed, pprofkit's cost on such a profile is quadratic in the number of strings;
 * with any other seed (the default: a random one per process) it is that of ordinary
 * strings. The keyed hash is the defence; an attacker who knows the secret can flood it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int main(int argc, char **argv)
{
	if (argc < 4 || argc % 2 != 0 || !getenv("PPROFKIT_HASH_SEED")) {
		fprintf(stderr,
		        "usage: PPROFKIT_HASH_SEED=N flood-strings COUNT PREFIX SUFFIX...\n");
		return 2;
	}
	long count = strtol(argv[1], NULL, 10);
	char buf[512];
	for (int a = 2; a + 1 < argc; a += 2) {
		for (long i = 0; i < count; i++) {
			for (long t = 0;; t++) {
				int n = snprintf(buf, sizeof buf, "%s%ld.%ld%s", argv[a], i, t,
				                 argv[a + 1]);
				if (n < 0 || (size_t)n >= sizeof buf)
					return 2;
				uint64_t hv = pk_hash_slot(pk_hash_bytes(buf, (size_t)n, 0));
				uint32_t slot = (uint32_t)(hv ^ (hv >> 32));
				if (((slot & ((1u << 18) - 1)) >> 12) == 0) {
					puts(buf);
					break;
				}
			}
		}
	}
	return ferror(stdout) ? 1 : 0;
}
