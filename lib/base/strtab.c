/* strtab.c - interned strings of one profile: equal strings get equal ids, id 0 is "".
 * The bytes live in the profile's arena; the id array and the hash index are the table's own. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

typedef struct {
	const char *s;
	size_t n;
} key;

static bool eq(const void *ctx, uint32_t idx, const void *k)
{
	const pk_strtab *t = ctx;
	const key *kk = k;
	return t->v[idx].n == kk->n && memcmp(t->v[idx].s, kk->s, kk->n) == 0;
}

bool pk_strtab_init(pk_strtab *t, pk_arena *a, size_t expect)
{
	memset(t, 0, sizeof *t);
	t->arena = a;
	t->cap = expect < 16 ? 16 : expect < 0x40000000 ? expect : 0x40000000;
	t->v = pk_malloc(t->cap * sizeof *t->v);
	if (!t->v || !pk_hash_init(&t->h, t->cap)) {
		pk_free(t->v);
		t->v = NULL;
		return false;
	}
	if (pk_strtab_intern(t, "", 0) != 0) {
		pk_strtab_destroy(t);
		return false;
	}
	return true;
}

void pk_strtab_destroy(pk_strtab *t)
{
	pk_free(t->v);
	pk_hash_destroy(&t->h);
	memset(t, 0, sizeof *t);
}

pk_sid pk_strtab_lookup(const pk_strtab *t, const char *s, size_t n)
{
	key k = {s, n};
	return pk_hash_find(&t->h, pk_hash_bytes(s, n, 0), eq, t, &k);
}

pk_sid pk_strtab_intern(pk_strtab *t, const char *s, size_t n)
{
	key k = {s, n};
	uint64_t hv = pk_hash_bytes(s, n, 0);
	uint32_t id = pk_hash_find(&t->h, hv, eq, t, &k);
	if (id != PK_NONE)
		return id;
	if (n > UINT32_MAX || t->n >= UINT32_MAX - 1)
		return PK_NONE;
	if (!pk_grow((void **)&t->v, &t->cap, (size_t)t->n + 1, sizeof *t->v))
		return PK_NONE;
	char *copy = pk_arena_strndup(t->arena, s, n);
	if (!copy)
		return PK_NONE;
	t->v[t->n].s = copy;
	t->v[t->n].n = (uint32_t)n;
	k.s = copy;
	if (pk_hash_intern(&t->h, hv, eq, t, &k, t->n, NULL) == PK_NONE)
		return PK_NONE;
	return t->n++;
}

pk_sid pk_strtab_intern_cstr(pk_strtab *t, const char *s)
{
	return pk_strtab_intern(t, s, strlen(s));
}

int pk_str_cmp(pk_str a, pk_str b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.s, b.s, n) : 0;
	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

bool pk_str_eq_cstr(pk_str a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && memcmp(a.s, s, n) == 0;
}
