/* hash.c - the one hash table: open addressing (linear probing) over uint32_t indices into
 * the caller's array. It only finds; nothing is ever printed in its order. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

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

uint64_t pk_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	/* FNV-1a over 8-byte words, then mixed. */
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
	return pk_hash_mix(h, 0);
}
