/* test_hash.c - lib/base/hash.c cannot be flooded. Costs are counted, not timed: a table's
 * probes (pk_hash_probes: the slots that finding every key once visits) are what its lookups
 * cost, and they do not depend on the machine's load.
 * - ids: keys built to fall into one slot under the tables' old, unkeyed slot choice
 *   (the then unkeyed pk_hash_mix of an id, folded to 32 bits, low bits) cost what as many
 *   random keys cost.
 *   The old choice made 10^5 of them a quadratic 5 * 10^9 probes.
 * - strings: the string table hashes with keyed SipHash-1-3. An attacker who knows the key
 *   (PPROFKIT_HASH_SEED fixed and known) can flood it: strings whose slot bits put them all
 *   in one window of slots are cheap to find by trial (64 tries each here), and 10^4 of them
 *   cost a quadratic ~10^7 probes (shown below, honestly: the secret is the only defence).
 *   Built for any other key (the attacker's guess at a random secret), 10^5 of them cost
 *   what 10^5 ordinary strings cost. */
#include <stdint.h>

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

/* pk_hash_mix as it was before it was keyed: what an attacker could compute and invert. */
static uint64_t old_mix(uint64_t h, uint64_t v)
{
	h ^= v + MIX_C + (h << 6) + (h >> 2);
	h *= MIX_M;
	return h ^ (h >> 33);
}

/* The v whose old_mix(h, v) is t: undoes the xorshift and the multiply, then the xor-add. */
static uint64_t old_mix_solve(uint64_t h, uint64_t t)
{
	uint64_t y = (t ^ (t >> 33)) * inverse(MIX_M);
	return (y ^ h) - MIX_C - (h << 6) - (h >> 2);
}

/* The id whose old_mix(0, id) is t: undoes h ^= h >> 33, h *= M, h = id + C. */
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

/* Interns the NKEYS ids, then finds each once (all must be found at their index); returns the
 * table's probes. */
static uint64_t intern_all(const uint64_t *ids)
{
	pk_hash h;
	uint64_t probes;
	CHECK(pk_hash_init(&h, 16));
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
	probes = pk_hash_probes(&h);
	pk_hash_destroy(&h);
	return probes;
}

TEST(hash_flood_ids)
{
	uint64_t *bad = malloc(NKEYS * sizeof *bad), *rnd = malloc(NKEYS * sizeof *rnd);
	CHECK(bad && rnd);
	if (!bad || !rnd)
		return;
	uint64_t x = 12345;
	for (uint32_t i = 0; i < NKEYS; i++) {
		/* old_mix(0, id) = (i << 32) | i: folds to 0, slot 0 at every capacity. */
		uint64_t t = ((uint64_t)(i + 1) << 32) | (i + 1);
		bad[i] = id_for(t);
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		rnd[i] = x;
	}
	/* The construction is right: under the old slot choice they all collide. */
	for (uint32_t i = 0; i < NKEYS; i++)
		if (old_fold(old_mix(0, bad[i])) != 0) {
			CHECK(!"constructed id does not collide under the old hash");
			break;
		}
	uint64_t pb = intern_all(bad), pr = intern_all(rnd);
	/* Both are about 1.5 probes a key (linear probing at most 3/4 full); the old slot
	 * choice gave the colliding ids NKEYS^2 / 2. */
	if (!(pb <= 2 * pr && pr <= 4 * (uint64_t)NKEYS)) {
		fprintf(stderr, "colliding ids: %llu probes, random ids: %llu probes\n",
		        (unsigned long long)pb, (unsigned long long)pr);
		CHECK(pb <= 2 * pr && pr <= 4 * (uint64_t)NKEYS);
	}
	free(bad);
	free(rnd);
}

/* The tables' previous keyed slot mix (a multiply-xorshift finaliser with the secret folded
 * in), folded to 32 bits as the table folds it. */
static uint32_t old_keyed_slot(uint64_t hv, uint64_t k0, uint64_t k1)
{
	uint64_t h = hv ^ k0;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h ^= k1;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (uint32_t)(h ^ (h >> 32));
}

TEST(hash_flood_ids_structured)
{
	/* Ids whose old_mix(0, id) is (a << 32) | (a ^ c) with a a multiple of 2^18: the
	 * low halves' xor is constant, so the old finaliser's low 18 output bits were the same
	 * for all of them, whatever its secret (two keys tried): 16383 ids in one slot at every
	 * capacity up to 2^18, a quadratic 1.3 * 10^8 probes. */
	enum { N = 16383 };
	uint64_t *bad = malloc(N * sizeof *bad), *rnd = malloc(N * sizeof *rnd);
	CHECK(bad && rnd);
	if (!bad || !rnd)
		return;
	uint64_t x = 777;
	for (uint32_t j = 0; j < N; j++) {
		uint64_t a = (uint64_t)(j + 1) << 18 & 0xffffffffULL;
		bad[j] = id_for(a << 32 | (a ^ 0x12345678ULL));
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		rnd[j] = x;
	}
	const uint64_t keys[2][2] = {{0x0123456789abcdefULL, 0xfedcba9876543210ULL},
	                             {0x9e3779b97f4a7c15ULL, 0x2545f4914f6cdd1dULL}};
	for (int k = 0; k < 2; k++) {
		uint32_t s0 = old_keyed_slot(old_mix(0, bad[0]), keys[k][0], keys[k][1]);
		for (uint32_t j = 1; j < N; j++)
			if (((old_keyed_slot(old_mix(0, bad[j]), keys[k][0], keys[k][1]) ^ s0) &
			     ((1u << 18) - 1)) != 0) {
				CHECK(!"structured id does not collide under the old finaliser");
				break;
			}
	}
	pk_hash hb, hr;
	CHECK(pk_hash_init(&hb, 16) && pk_hash_init(&hr, 16));
	for (uint32_t j = 0; j < N; j++) {
		CHECK(pk_hash_intern(&hb, pk_hash_mix(0, bad[j]), id_eq, bad, &bad[j], j, NULL) ==
		      j);
		CHECK(pk_hash_intern(&hr, pk_hash_mix(0, rnd[j]), id_eq, rnd, &rnd[j], j, NULL) ==
		      j);
	}
	uint64_t pb = pk_hash_probes(&hb), pr = pk_hash_probes(&hr);
	if (!(pb <= 2 * pr && pr <= 4 * (uint64_t)N)) {
		fprintf(stderr, "structured ids: %llu probes, random ids: %llu probes\n",
		        (unsigned long long)pb, (unsigned long long)pr);
		CHECK(pb <= 2 * pr && pr <= 4 * (uint64_t)N);
	}
	pk_hash_destroy(&hb);
	pk_hash_destroy(&hr);
	free(bad);
	free(rnd);
}

/* A location's key as merge.c hashes it (address, mapping, line count, then each line's
 * function << 32 ^ line), and the same for a numeric label (key, then value): the last value
 * is the input's own. Under the old, unkeyed mix an attacker solved it so that 10^5
 * locations of distinct addresses, or labels of distinct keys, had one 64-bit hash: the
 * keyed slot mix cannot separate equal hashes, so they shared a slot (quadratic). */
static bool loc_eq(const void *ctx, uint32_t idx, const void *key)
{
	const uint64_t(*k)[2] = ctx;
	const uint64_t *kk = key;
	return k[idx][0] == kk[0] && k[idx][1] == kk[1];
}

static uint64_t loc_hash(uint64_t (*mix)(uint64_t, uint64_t), uint64_t addr, uint64_t line)
{
	uint64_t h = mix(mix(addr, 1 << 1), 1);
	return mix(h, (7ULL << 32) ^ line);
}

static uint64_t new_mix(uint64_t h, uint64_t v)
{
	return pk_hash_mix(h, v);
}

TEST(hash_mix_keyed)
{
	enum { N = 100000 };
	uint64_t(*bad)[2] = malloc(N * sizeof *bad), (*rnd)[2] = malloc(N * sizeof *rnd);
	CHECK(bad && rnd);
	if (!bad || !rnd)
		return;
	const uint64_t target = 0x0123456789abcdefULL;
	for (uint32_t i = 0; i < N; i++) {
		uint64_t addr = 0x400000 + 16 * (uint64_t)i;
		uint64_t h = old_mix(old_mix(addr, 1 << 1), 1);
		bad[i][0] = addr;
		bad[i][1] = old_mix_solve(h, target) ^ (7ULL << 32);
		rnd[i][0] = addr;
		rnd[i][1] = 10 + i;
		if (loc_hash(old_mix, bad[i][0], bad[i][1]) != target) {
			CHECK(!"constructed line does not give the target under the old mix");
			break;
		}
	}
	pk_hash hb, hr;
	CHECK(pk_hash_init(&hb, 16) && pk_hash_init(&hr, 16));
	for (uint32_t i = 0; i < N; i++) {
		CHECK(pk_hash_intern(&hb, loc_hash(new_mix, bad[i][0], bad[i][1]), loc_eq, bad,
		                     bad[i], i, NULL) == i);
		CHECK(pk_hash_intern(&hr, loc_hash(new_mix, rnd[i][0], rnd[i][1]), loc_eq, rnd,
		                     rnd[i], i, NULL) == i);
	}
	uint64_t pb = pk_hash_probes(&hb), pr = pk_hash_probes(&hr);
	if (!(pb <= 2 * pr && pr <= 4 * (uint64_t)N)) {
		fprintf(stderr, "solved lines: %llu probes, plain lines: %llu probes\n",
		        (unsigned long long)pb, (unsigned long long)pr);
		CHECK(pb <= 2 * pr && pr <= 4 * (uint64_t)N);
	}
	pk_hash_destroy(&hb);
	pk_hash_destroy(&hr);
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

/* ---- strings ------------------------------------------------------------------------------ */
/* The string table's slot bits for s[0..n): pk_strtab hashes with pk_hash_bytes(s, n, 0), and
 * the table mixes that with pk_hash_slot and folds it to 32 bits (hash.c). key 0 is the string
 * table's own key; another value stands for a key the table does not use. */
static uint32_t str_slot(const char *s, size_t n, uint64_t key)
{
	uint64_t hv = pk_hash_slot(pk_hash_bytes(s, n, key));
	return (uint32_t)(hv ^ (hv >> 32));
}

/* Slot bits WIN_BITS..CAP_BITS-1 all zero: at every capacity from 2^WIN_BITS to 2^CAP_BITS
 * (2^18 holds 10^5 strings), every string's slot is one of the first 2^WIN_BITS. 2^6 tries
 * a string. */
#define CAP_BITS 18
#define WIN_BITS 12
static bool in_window(uint32_t slot)
{
	return ((slot & ((1u << CAP_BITS) - 1)) >> WIN_BITS) == 0;
}

/* n distinct strings "f<i>.<try>" whose slots, under key, are in the window; NUL-separated in
 * one buffer. */
static char *colliding_strings(uint32_t n, uint64_t key, size_t *len)
{
	size_t cap = (size_t)n * 24, used = 0;
	char *buf = malloc(cap);
	CHECK(buf != NULL);
	if (!buf)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t t = 0;; t++) {
			int k = snprintf(buf + used, cap - used, "f%u.%u", i, t);
			if (in_window(str_slot(buf + used, (size_t)k, key))) {
				used += (size_t)k + 1;
				break;
			}
		}
	}
	*len = used;
	return buf;
}

/* n strings "r<i>": what a profile's names cost when nobody aims at the table. */
static char *plain_strings(uint32_t n, size_t *len)
{
	size_t cap = (size_t)n * 16, used = 0;
	char *buf = malloc(cap);
	CHECK(buf != NULL);
	for (uint32_t i = 0; buf && i < n; i++)
		used += (size_t)snprintf(buf + used, cap - used, "r%u", i) + 1;
	*len = used;
	return buf;
}

/* Interns the NUL-separated strings of buf into a fresh string table (from 16 entries, so it
 * grows through every capacity), checks each got its own id, and returns the probes of the
 * table's index. */
static uint64_t strtab_probes(const char *buf, size_t len, uint32_t n)
{
	pk_arena *a = pk_arena_new();
	pk_strtab t;
	CHECK(a && pk_strtab_init(&t, a, 16));
	uint32_t k = 0;
	for (size_t off = 0; off < len; k++) {
		size_t sl = strlen(buf + off);
		if (pk_strtab_intern(&t, buf + off, sl) != k + 1) {
			CHECK(!"string not interned under a new id");
			break;
		}
		off += sl + 1;
	}
	CHECK_INT(k, n);
	CHECK_INT(t.n, n + 1);
	uint64_t probes = pk_hash_probes(&t.h);
	pk_strtab_destroy(&t);
	pk_arena_free(a);
	return probes;
}

TEST(hash_flood_strings)
{
	/* (1) The key known: 10^4 strings built for the string table's own key pile into one
	 * run of slots and cost a quadratic number of probes (here ~n^2 / 2 - n * 2^12 / 2),
	 * not the ~1.5 n of ordinary strings. This is what PPROFKIT_HASH_SEED=N with N known to
	 * whoever wrote the profile allows; the secret is the defence. */
	enum { N1 = 10000, N2 = 100000 };
	size_t len1, len2, len_r;
	char *known = colliding_strings(N1, 0, &len1);
	if (known) {
		uint64_t p = strtab_probes(known, len1, N1);
		if (!(p >= (uint64_t)N1 * N1 / 10)) {
			fprintf(stderr, "strings built for the table's key: %llu probes\n",
			        (unsigned long long)p);
			CHECK(p >= (uint64_t)N1 * N1 / 10);
		}
	}
	free(known);

	/* (2) The key unknown: 10^5 strings built the same way for another key (all in the
	 * window under it: checked as they are built) cost what 10^5 plain names cost. */
	char *guessed = colliding_strings(N2, 0x5eed, &len2), *plain = plain_strings(N2, &len_r);
	if (guessed && plain) {
		uint64_t pg = strtab_probes(guessed, len2, N2),
		         pp = strtab_probes(plain, len_r, N2);
		if (!(pg <= 2 * pp && pp <= 4 * (uint64_t)N2)) {
			fprintf(stderr, "strings built for another key: %llu probes, plain: %llu\n",
			        (unsigned long long)pg, (unsigned long long)pp);
			CHECK(pg <= 2 * pp && pp <= 4 * (uint64_t)N2);
		}
	}
	free(guessed);
	free(plain);
}
