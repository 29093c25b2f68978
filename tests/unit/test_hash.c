/* test_hash.c - lib/base/hash.c cannot be flooded: keys built to fall into one slot under the
 * hash tables' old, unkeyed slot choice (pk_hash_mix of an id, folded to 32 bits, low bits)
 * cost about what as many random keys cost. The old choice made 10^5 of them a quadratic
 * 5 * 10^9 probes (seconds); with keyed slots both sets take milliseconds. */
#include <stdint.h>
#include <time.h>

#include "unit.h"
#include "base/base.h"

#define NKEYS 100000

static const uint64_t MIX_C = 0x9e3779b97f4a7c15ULL, MIX_M = 0xff51afd7ed558ccdULL;

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t a)
{
	uint64_t x = a;
	for (int i = 0; i < 6; i++)
		x *= 2 - a * x;
	return x;
}

/* The id whose pk_hash_mix(0, id) is t: undoes h ^= h >> 33, h *= M, h = id + C. */
static uint64_t id_for(uint64_t t)
{
	uint64_t y = t ^ (t >> 33);
	return y * inverse(MIX_M) - MIX_C;
}

/* The slot the old table gave a hash: the 64 bits folded to 32, masked by the capacity. */
static uint32_t old_fold(uint64_t hv)
{
	return (uint32_t)(hv ^ (hv >> 32));
}

static bool id_eq(const void *ctx, uint32_t idx, const void *key)
{
	const uint64_t *ids = ctx;
	return ids[idx] == *(const uint64_t *)key;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds to intern the NKEYS ids, then find each once; all must be found at their index. */
static double intern_all(const uint64_t *ids)
{
	pk_hash h;
	CHECK(pk_hash_init(&h, 16));
	double t = now();
	for (uint32_t i = 0; i < NKEYS; i++) {
		bool found = true;
		uint32_t got =
		    pk_hash_intern(&h, pk_hash_mix(0, ids[i]), id_eq, ids, &ids[i], i, &found);
		if (got != i || found) {
			CHECK(got == i && !found);
			break;
		}
	}
	for (uint32_t i = 0; i < NKEYS; i++)
		if (pk_hash_find(&h, pk_hash_mix(0, ids[i]), id_eq, ids, &ids[i]) != i) {
			CHECK(!"id not found");
			break;
		}
	t = now() - t;
	pk_hash_destroy(&h);
	return t;
}

TEST(hash_flood_ids)
{
	uint64_t *bad = malloc(NKEYS * sizeof *bad), *rnd = malloc(NKEYS * sizeof *rnd);
	CHECK(bad && rnd);
	if (!bad || !rnd)
		return;
	uint64_t x = 12345;
	for (uint32_t i = 0; i < NKEYS; i++) {
		/* pk_hash_mix(0, id) = (i << 32) | i: folds to 0, slot 0 at every capacity. */
		uint64_t t = ((uint64_t)(i + 1) << 32) | (i + 1);
		bad[i] = id_for(t);
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		rnd[i] = x;
	}
	/* The construction is right: under the old slot choice they all collide. */
	for (uint32_t i = 0; i < NKEYS; i++)
		if (old_fold(pk_hash_mix(0, bad[i])) != 0) {
			CHECK(!"constructed id does not collide under the old hash");
			break;
		}
	double tb = intern_all(bad), tr = intern_all(rnd);
	/* Same order of cost; 20 ms of slack for a busy machine's clock. */
	if (!(tb <= 3 * tr + 0.02)) {
		fprintf(stderr, "colliding ids: %.3f s, random ids: %.3f s\n", tb, tr);
		CHECK(tb <= 3 * tr + 0.02);
	}
	free(bad);
	free(rnd);
}

/* Strings: 10^5 distinct strings interned and found again, and SipHash differs for a one-bit
 * change (no fixed structure an attacker could aim at). */
TEST(hash_bytes_keyed)
{
	uint64_t a = pk_hash_bytes("main.main", 9, 0), b = pk_hash_bytes("main.maio", 9, 0);
	CHECK(a != b);
	CHECK(pk_hash_bytes("main.main", 9, 0) == a); /* deterministic within a process */
	CHECK(pk_hash_bytes("main.main", 9, 1) != a); /* the seed is part of the key */
	CHECK(pk_hash_bytes("", 0, 0) != pk_hash_bytes("\0", 1, 0));
}
