/* alloc.c - the one allocation entry point of lib/. Every heap allocation goes through here
 * (the arena's chunks too), so that the allocation-failure test can make the Nth one fail and
 * check that every path out is an error, never a crash or a leak (tests/unit/test_alloc.c).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/base.h"

/* Allocations left before every allocation fails; negative: no limit. Test hook only: it is
 * set by single-threaded tests, but read by every allocation of every thread (the library reads
 * bases in a second thread), so both counters are atomics, used relaxed. */
static _Atomic long fail_after = -1;
static _Atomic unsigned long count; /* allocations made, for the test */

void pk_alloc_fail_after(long n)
{
	atomic_store_explicit(&fail_after, n, memory_order_relaxed);
}

unsigned long pk_alloc_count(void)
{
	return atomic_load_explicit(&count, memory_order_relaxed);
}

static bool may_allocate(void)
{
	long left = atomic_load_explicit(&fail_after, memory_order_relaxed);
	if (left == 0) {
		errno = ENOMEM; /* as malloc sets it */
		return false;
	}
	if (left > 0)
		atomic_store_explicit(&fail_after, left - 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return true;
}

void *pk_malloc(size_t n)
{
	return may_allocate() ? malloc(n ? n : 1) : NULL;
}

void *pk_calloc(size_t n, size_t size)
{
	return may_allocate() ? calloc(n ? n : 1, size ? size : 1) : NULL;
}

void *pk_realloc(void *p, size_t n)
{
	return may_allocate() ? realloc(p, n ? n : 1) : NULL;
}

void *pk_realloc_array(void *p, size_t n, size_t size)
{
	size_t bytes;
	if (!pk_mul_ok(n, size, &bytes))
		return NULL;
	return pk_realloc(p, bytes);
}

void pk_free(void *p)
{
	free(p);
}

char *pk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = pk_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *pk_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = pk_malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

bool pk_grow_to(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 16, bytes;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return false;
		c *= 2;
	}
	if (!pk_mul_ok(c, elem, &bytes))
		return false;
	void *v = pk_realloc(*p, bytes);
	if (!v)
		return false;
	*p = v;
	*cap = c;
	return true;
}

void pk_release_pages(const void *data, size_t *done, size_t upto)
{
	if (upto < *done || upto - *done < PK_RELEASE_STEP)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)data + *done + page - 1) & ~(page - 1);
	uintptr_t b = ((uintptr_t)data + upto) & ~(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
	*done = upto;
}

/* Maps the whole pages of [p, p + n) in one call; not worth a call under a MiB. */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	if (!p || n < ((size_t)1 << 20))
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(page - 1);
	/* A hint: when it fails, the pages are faulted in one by one as before. */
	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

void pk_prefault_next(void *base, size_t size, size_t *done)
{
	size_t end = size - *done > PK_PREFAULT_STEP ? *done + PK_PREFAULT_STEP : size;
	prefault((char *)base + *done, end - *done);
	*done = end;
}
