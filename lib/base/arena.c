/* arena.c - chunked bump allocator: everything a profile or graph holds is released by one
 * pk_arena_free. With PK_ARENA_DEBUG every allocation is its own malloc, so AddressSanitizer
 * sees each object's bounds. Mirrors no pprof file (Go has a garbage collector). */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define PK_ALIGN 16
#define PK_CHUNK (1u << 20)

typedef struct chunk {
	struct chunk *next;
	size_t cap, used;
	bool alone; /* holds one block (a big one, or any under PK_ARENA_DEBUG) */
	_Alignas(16) unsigned char data[];
} chunk;

struct pk_arena {
	chunk *head;
	size_t total;
};

pk_arena *pk_arena_new(void)
{
	return pk_calloc(1, sizeof(pk_arena));
}

void pk_arena_free(pk_arena *a)
{
	if (!a)
		return;
	for (chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		pk_free(c);
	}
	pk_free(a);
}

size_t pk_arena_used(const pk_arena *a)
{
	return a->total;
}

void pk_arena_adopt(pk_arena *dst, pk_arena *src)
{
	if (!src)
		return;
	chunk *last = src->head;
	if (last) {
		while (last->next)
			last = last->next;
		/* Behind dst's current chunk, which stays the one allocated from. */
		if (dst->head) {
			last->next = dst->head->next;
			dst->head->next = src->head;
		} else {
			dst->head = src->head;
		}
	}
	dst->total += src->total;
	pk_free(src);
}

static chunk *new_chunk(size_t cap)
{
	if (cap > SIZE_MAX - sizeof(chunk))
		return NULL;
	chunk *c = pk_malloc(sizeof(chunk) + cap);
	if (c) {
		c->cap = cap;
		c->used = 0;
		c->alone = false;
	}
	return c;
}

void *pk_arena_alloc(pk_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - PK_ALIGN)
		return NULL;
	n = (n + PK_ALIGN - 1) & ~(size_t)(PK_ALIGN - 1);
#ifdef PK_ARENA_DEBUG
	chunk *c = new_chunk(n);
	if (!c)
		return NULL;
	c->used = n;
	c->alone = true;
	c->next = a->head;
	a->head = c;
	a->total += n;
	return c->data;
#else
	chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		if (n >= PK_CHUNK / 4) {
			/* Big blocks get a chunk of their own, kept behind the current one. */
			chunk *big = new_chunk(n);
			if (!big)
				return NULL;
			big->used = n;
			big->alone = true;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			a->total += n;
			return big->data;
		}
		c = new_chunk(PK_CHUNK);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	a->total += n;
	return p;
#endif
}

void *pk_arena_regrow(pk_arena *a, void *block, size_t n)
{
	if (!block || n > SIZE_MAX - PK_ALIGN - sizeof(chunk))
		return NULL;
	n = (n + PK_ALIGN - 1) & ~(size_t)(PK_ALIGN - 1);
	for (chunk **link = &a->head; *link; link = &(*link)->next) {
		chunk *c = *link;
		if ((void *)c->data != block)
			continue;
		if (!c->alone || n < c->used)
			return NULL;
		chunk *g = pk_realloc(c, sizeof(chunk) + n); /* big: mremap, no copy */
		if (!g)
			return NULL;
		a->total += n - g->used;
		g->cap = g->used = n;
		*link = g;
		return g->data;
	}
	return NULL;
}

bool pk_arena_release(pk_arena *a, void *block)
{
	for (chunk **link = &a->head; block && *link; link = &(*link)->next) {
		chunk *c = *link;
		if ((void *)c->data != block)
			continue;
		if (!c->alone)
			return false;
		*link = c->next;
		a->total -= c->used;
		pk_free(c);
		return true;
	}
	return false;
}

void *pk_arena_calloc(pk_arena *a, size_t n, size_t sz)
{
	size_t bytes;
	if (!pk_mul_ok(n, sz, &bytes))
		return NULL;
	void *p = pk_arena_alloc(a, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

char *pk_arena_strndup(pk_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = pk_arena_alloc(a, n + 1);
	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}
