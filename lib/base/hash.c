/* hash.c - the one hash table: open addressing (linear probing) over uint32_t indices into
 * the caller's array. It only finds; nothing is ever printed in its order.
 *
 * Flood-proof: the keys come from the input (strings, location and function ids), so an
 * attacker who could predict where keys land could pile 10^5 of them into one run of slots and
 * make every insertion walk the run (quadratic). So every hash is keyed with a secret drawn once
 * per process (getrandom): strings go through SipHash-1-3 (pk_hash_bytes), and every hash a
 * caller gives the table, ids mixed with pk_hash_mix included, goes through a keyed mix
 * (pk_hash_slot) before it picks a slot. PPROFKIT_HASH_SEED=N in the environment fixes the
 * secret (reproducible runs); nothing printed depends on it, as nothing is printed in a
 * table's order. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

static uint64_t hash_k0, hash_k1;
uint64_t pk_hash_mix_key[2]; /* pk_hash_mix's secret (base.h), drawn with the others */
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void hash_key_init(void)
{
	uint64_t k[2] = {0, 0};
	const char *fixed = getenv("PPROFKIT_HASH_SEED");
	if (fixed && *fixed) {
		uint64_t x = strtoull(fixed, NULL, 0);
		k[0] = splitmix(&x);
		k[1] = splitmix(&x);
	} else if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k) {
		/* No entropy yet (early boot): time, pid and addresses, mixed. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
		             ((uint64_t)getpid() << 48) ^ (uint64_t)(uintptr_t)&ts ^
		             (uint64_t)(uintptr_t)&hash_k0;
		k[0] = splitmix(&x);
		k[1] = splitmix(&x);
	}
	hash_k0 = k[0];
	hash_k1 = k[1];
	uint64_t x = k[0] ^ (k[1] << 1 | k[1] >> 63);
	pk_hash_mix_key[0] = splitmix(&x);
	pk_hash_mix_key[1] = splitmix(&x);
}

static inline void hash_keys(void)
{
	pthread_once(&hash_once, hash_key_init);
}

/* pk_hash_mix is inline and reads its secret without asking: it is drawn when the program
 * (or the shared library) is loaded, before any caller can mix. */
__attribute__((constructor)) static void hash_keys_at_load(void)
{
	hash_keys();
}

/* The 128-bit product of a and b, its halves xor-ed: every bit of either factor reaches
 * every bit of the result (wyhash's mum). */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t pk_hash_slot(uint64_t hv)
{
	hash_keys();
	/* Two rounds of a keyed 64x64->128 multiply, folded: the slot of a key is not
	 * predictable without the secret, whatever the caller's hash. (A multiply-xorshift
	 * finaliser was here before: its low output bits depended on its input only through a
	 * few low bits after the first multiply, so 2^14 ids, built without the secret, could
	 * share one slot at every capacity up to 2^18; test_hash.c hash_flood_ids_structured.) */
	uint64_t h = mum(hv ^ hash_k0, hash_k1 ^ 0xe7037ed1a0b428dbULL);
	return mum(h ^ hash_k1, hash_k0 ^ 0x8ebc6af09c88c6e3ULL);
}

bool pk_hash_init(pk_hash *h, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2 && cap < ((size_t)1 << 40))
		cap <<= 1;
	h->idx = pk_malloc(cap * sizeof *h->idx);
	h->hv = pk_malloc(cap * sizeof *h->hv);
	if (!h->idx || !h->hv) {
		pk_free(h->idx);
		pk_free(h->hv);
		h->idx = h->hv = NULL;
		return false;
	}
	memset(h->idx, 0xff, cap * sizeof *h->idx);
	h->cap = cap;
	h->len = 0;
	return true;
}

void pk_hash_destroy(pk_hash *h)
{
	pk_free(h->idx);
	pk_free(h->hv);
	h->idx = h->hv = NULL;
	h->cap = h->len = 0;
}

uint64_t pk_hash_probes(const pk_hash *h)
{
	uint64_t probes = 0;
	for (size_t j = 0; j < h->cap; j++)
		if (h->idx[j] != PK_NONE)
			probes += 1 + ((j - (h->hv[j] & (h->cap - 1))) & (h->cap - 1));
	return probes;
}

static bool grow(pk_hash *h)
{
	size_t cap = h->cap * 2;
	uint32_t *idx = pk_malloc(cap * sizeof *idx), *hv = pk_malloc(cap * sizeof *hv);
	if (!idx || !hv) {
		pk_free(idx);
		pk_free(hv);
		return false;
	}
	memset(idx, 0xff, cap * sizeof *idx);
	for (size_t i = 0; i < h->cap; i++) {
		if (h->idx[i] == PK_NONE)
			continue;
		size_t j = h->hv[i] & (cap - 1);
		while (idx[j] != PK_NONE)
			j = (j + 1) & (cap - 1);
		idx[j] = h->idx[i];
		hv[j] = h->hv[i];
	}
	pk_free(h->idx);
	pk_free(h->hv);
	h->idx = idx;
	h->hv = hv;
	h->cap = cap;
	return true;
}

uint32_t pk_hash_find(const pk_hash *h, uint64_t hv64, pk_eq_fn eq, const void *ctx,
                      const void *key)
{
	hv64 = pk_hash_slot(hv64);
	uint32_t hv = (uint32_t)(hv64 ^ (hv64 >> 32));
	if (!h->cap)
		return PK_NONE;
	for (size_t j = hv & (h->cap - 1);; j = (j + 1) & (h->cap - 1)) {
		if (h->idx[j] == PK_NONE)
			return PK_NONE;
		if (h->hv[j] == hv && eq(ctx, h->idx[j], key))
			return h->idx[j];
	}
}

uint32_t pk_hash_intern(pk_hash *h, uint64_t hv64, pk_eq_fn eq, const void *ctx, const void *key,
                        uint32_t new_idx, bool *found)
{
	hv64 = pk_hash_slot(hv64);
	uint32_t hv = (uint32_t)(hv64 ^ (hv64 >> 32));
	if ((h->len + 1) * 4 > h->cap * 3 && !grow(h))
		return PK_NONE;
	size_t j = hv & (h->cap - 1);
	for (; h->idx[j] != PK_NONE; j = (j + 1) & (h->cap - 1)) {
		if (h->hv[j] == hv && eq(ctx, h->idx[j], key)) {
			if (found)
				*found = true;
			return h->idx[j];
		}
	}
	h->idx[j] = new_idx;
	h->hv[j] = hv;
	h->len++;
	if (found)
		*found = false;
	return new_idx;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

uint64_t pk_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	/* SipHash-1-3 (one compression round per 8 bytes, three to finish) keyed with the
	 * process's secret; seed is folded into the key. */
	hash_keys();
	const unsigned char *s = p;
	uint64_t k0 = hash_k0 ^ seed, k1 = hash_k1;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)n << 56;
	size_t left = n;
	while (left >= 8) {
		uint64_t m;
		memcpy(&m, s, 8); /* little-endian hosts: the reference's byte order */
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
		s += 8;
		left -= 8;
	}
	for (size_t i = 0; i < left; i++)
		b |= (uint64_t)s[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t pk_hash_bytes_fixed(const void *p, size_t n, uint64_t seed)
{
	/* FNV-1a over 8-byte words, then mixed (with the unkeyed mix pk_hash_mix was before it
	 * was keyed): the same in every run, so flame graph colours stay as they were. */
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n--)
		h = (h ^ *s++) * 0x100000001b3ULL;
	h ^= 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}
