/* base/base.h - private to lib/, the lowest stage: the context and its errors, the one
 * allocation entry point and growable arrays, the arena, Go's wrapping int64 arithmetic,
 * checked size arithmetic, the hash table, the string table and buffered output. It knows
 * nothing of profiles. Every other stage includes it (through its own stage header).
 */
#ifndef PK_BASE_H
#define PK_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprofkit.h"

/* Banned: unbounded string functions. */
#pragma GCC poison sprintf strcpy strcat strtok gets

#define PK_NONE UINT32_MAX /* "no index" in a uint32_t reference */

#if defined(__GNUC__)
#define PK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PK_UNUSED __attribute__((unused))
#else
#define PK_PRINTF(a, b)
#define PK_UNUSED
#endif

/* ---- context (ctx.c) -------------------------------------------------------------------- */
struct pk_ctx {
	pk_status status;
	char msg[1024];
	void (*warn_fn)(void *, const char *);
	void *warn_payload;
	void (*progress_fn)(void *, const char *, uint64_t, uint64_t);
	void *progress_payload;
	uint64_t max_inflated;
	int demangle;          /* a pk_demangle */
	char folded_type[128]; /* "TYPE/UNIT" for folded-stacks input; "": samples/count */
	bool goroutine_args;   /* goroutine dumps: frames keep their arguments in their names */
	/* Cancellation (pk_ctx_set_deadline, pk_ctx_set_cancel): checked by pk_cancel_point. */
	bool can_cancel;            /* a deadline or a flag is set */
	bool canceled;              /* it happened: every later check fails at once */
	uint64_t deadline_ns;       /* CLOCK_MONOTONIC; 0: none */
	double deadline_s;          /* as given, for the message */
	const volatile int *cancel; /* non-NULL: stop once *cancel != 0 */
	long cancel_after;          /* test hook (pk_ctx_cancel_after): checks left; 0: none */
};
/* Sets ctx's message from fmt and returns code, so error paths are one line:
 *     return pk_fail(ctx, PK_EFORMAT, "%s: bad string index %u", name, i); */
pk_status pk_fail(pk_ctx *ctx, pk_status code, const char *fmt, ...) PK_PRINTF(3, 4);
pk_status pk_oom(pk_ctx *ctx); /* pk_fail(ctx, PK_ENOMEM, "out of memory") */
void pk_warn(pk_ctx *ctx, const char *fmt, ...) PK_PRINTF(2, 3);
void pk_progress(pk_ctx *ctx, const char *what, uint64_t done, uint64_t total);
/* Progress through item i of n (samples) in a long loop: reported every 2^17 items, and only
 * when there are at least 2^19 (about a second of work or more; nothing on small profiles). */
#define PK_PROGRESS_ITEMS ((size_t)1 << 17)
static inline void pk_progress_items(pk_ctx *ctx, const char *what, size_t i, size_t n)
{
	if (n >= 4 * PK_PROGRESS_ITEMS && (i & (PK_PROGRESS_ITEMS - 1)) == 0)
		pk_progress(ctx, what, i, n);
}

/* Cancellation point of a long loop at item i (a sample, a location, a node): every
 * PK_CANCEL_ITEMS items, when ctx has a deadline or a cancel flag, PK_ECANCELED (message set)
 * once the deadline has passed or the flag is set; otherwise PK_OK. The caller returns the
 * status after freeing what it holds, as on any failure. */
#define PK_CANCEL_ITEMS ((size_t)1 << 12)
pk_status pk_cancel_check(pk_ctx *ctx);
/* Test hook: the n-th cancellation check from now cancels (n <= 0: none), so that a test can
 * stop a report at each of its cancellation points in turn (tests/unit/test_view.c). */
void pk_ctx_cancel_after(pk_ctx *ctx, long n);
static inline pk_status pk_cancel_point(pk_ctx *ctx, size_t i)
{
	if (!ctx->can_cancel || (i & (PK_CANCEL_ITEMS - 1)) != 0)
		return PK_OK;
	return pk_cancel_check(ctx);
}

/* ---- allocation (alloc.c) --------------------------------------------------------------- */
/* The one allocation entry point: every heap allocation of lib/ goes through these (the arena's
 * chunks too), so that a test can make the Nth allocation fail (pk_alloc_fail_after). They
 * behave as malloc, calloc, realloc and free; pk_calloc and pk_realloc_array check n * size. */
void *pk_malloc(size_t n);
void *pk_calloc(size_t n, size_t size);
void *pk_realloc(void *p, size_t n);
void *pk_realloc_array(void *p, size_t n, size_t size);
void pk_free(void *p);
char *pk_strdup(const char *s);
char *pk_strndup(const char *s, size_t n);
/* Test hook: after n more successful allocations, every allocation fails (n < 0: never). It
 * is global and not thread-safe: for single-threaded tests only. */
void pk_alloc_fail_after(long n);
/* Test hook: how many allocations have been made. */
unsigned long pk_alloc_count(void);
/* A pk_malloc'd array *p of *cap elements of elem bytes, grown (doubling) to hold need; false
 * when out of memory or the size overflows (*p and *cap are then unchanged). */
bool pk_grow_to(void **p, size_t *cap, size_t need, size_t elem);
static inline bool pk_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	return need <= *cap || pk_grow_to(p, cap, need, elem); /* the check inline: hot paths */
}

/* Gives the whole pages of data[*done .. upto) back to the kernel (MADV_DONTNEED: they read as
 * zeros if touched again) once they span PK_RELEASE_STEP bytes, and advances *done: for a
 * buffer read front to back, not read again, and freed later, so that it and what it becomes
 * are not both held whole. */
#define PK_RELEASE_STEP ((size_t)4 << 20)
void pk_release_pages(const void *data, size_t *done, size_t upto);
/* For an array of size bytes written front to back, upto bytes so far: asks the kernel to map
 * the next PK_PREFAULT_STEP bytes in one call once the writing reaches *done (where the pages
 * mapped so far end), so that the array costs no page fault per page and is still held only as
 * far as it is written (MADV_POPULATE_WRITE, Linux 5.14; a no-op where the kernel or the
 * headers lack it). *done starts at 0. */
#define PK_PREFAULT_STEP ((size_t)2 << 20)
void pk_prefault_next(void *base, size_t size, size_t *done);
static inline void pk_prefault_ahead(void *base, size_t size, size_t *done, size_t upto)
{
	if (upto >= *done && *done < size)
		pk_prefault_next(base, size, done);
}

/* ---- arena (arena.c) -------------------------------------------------------------------- */
typedef struct pk_arena pk_arena;
pk_arena *pk_arena_new(void);
void pk_arena_free(pk_arena *a); /* NULL is fine; releases everything allocated from a */
/* 16-byte aligned, uninitialised; NULL when out of memory or n overflows. */
void *pk_arena_alloc(pk_arena *a, size_t n);
/* Grows block, a big allocation of a (one with a chunk of its own: at least a quarter of the
 * chunk size, or any under PK_ARENA_DEBUG), to n bytes, contents kept, maybe moved (for big
 * sizes glibc moves the pages, not the bytes). NULL, block unchanged: not such a block, or out
 * of memory. */
void *pk_arena_regrow(pk_arena *a, void *block, size_t n);
/* Frees block now if it is such a big allocation of a (true); else it stays until the arena
 * goes (false). Nothing may use block afterwards either way. */
bool pk_arena_release(pk_arena *a, void *block);
/* Zeroed array of n elements of size sz; NULL on overflow or out of memory. */
void *pk_arena_calloc(pk_arena *a, size_t n, size_t sz);
/* Copy of s[0..n) with a terminating NUL. */
char *pk_arena_strndup(pk_arena *a, const char *s, size_t n);
size_t pk_arena_used(const pk_arena *a);
/* Moves everything allocated from src into dst (released with dst) and frees src. */
void pk_arena_adopt(pk_arena *dst, pk_arena *src);

/* Go's int64 arithmetic, which wraps where C's overflow is undefined: sums of sample values
 * (pprof's totals wrap too, and pprofkit prints what it prints), negation and abs64 (MinInt64
 * stays MinInt64), products, and division (MinInt64 / -1 is MinInt64; b must not be 0). */
static inline int64_t pk_wadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}
static inline int64_t pk_wsub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}
static inline int64_t pk_wneg(int64_t a)
{
	return (int64_t)(0 - (uint64_t)a);
}
static inline int64_t pk_wabs(int64_t a)
{
	return a < 0 ? pk_wneg(a) : a;
}
static inline int64_t pk_wmul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}
static inline int64_t pk_wdiv(int64_t a, int64_t b)
{
	return b == -1 ? pk_wneg(a) : a / b;
}

/* Overflow-checked size arithmetic: returns false when it overflows. */
static inline bool pk_mul_ok(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

/* ---- hash table (hash.c) ---------------------------------------------------------------- */
/* Open addressing over uint32_t indices into the caller's own array; the caller supplies the
 * hash of a key and an equality callback. */
typedef struct pk_hash {
	uint32_t *idx; /* PK_NONE = empty */
	uint32_t *hv;  /* stored hashes, for growing */
	size_t cap, len;
} pk_hash;
typedef bool (*pk_eq_fn)(const void *ctx, uint32_t idx, const void *key);
bool pk_hash_init(pk_hash *h, size_t expect); /* false when out of memory */
void pk_hash_destroy(pk_hash *h);
/* Finds the index whose key equals key; if none, stores new_idx. Returns the found or stored
 * index, PK_NONE when out of memory. *found (may be NULL) tells which. */
uint32_t pk_hash_intern(pk_hash *h, uint64_t hv, pk_eq_fn eq, const void *ctx, const void *key,
                        uint32_t new_idx, bool *found);
/* Finds only; PK_NONE when absent. */
uint32_t pk_hash_find(const pk_hash *h, uint64_t hv, pk_eq_fn eq, const void *ctx, const void *key);
/* The slots that finding every stored key once visits (each key: 1 + how far it sits from
 * the slot its hash picks): the table's cost, linear in its size unless the keys collide.
 * For tests (flooding). */
uint64_t pk_hash_probes(const pk_hash *h);
/* Keyed with a secret drawn once per process (PPROFKIT_HASH_SEED=N fixes it): SipHash-1-3. */
uint64_t pk_hash_bytes(const void *p, size_t n, uint64_t seed);
/* Unkeyed, the same in every run: for values that reach the output (flame graph colours),
 * never for a table's keys (an input could be built to collide). */
uint64_t pk_hash_bytes_fixed(const void *p, size_t n, uint64_t seed);
/* The keyed mix every hash goes through before it picks a slot (pk_hash_find/intern do it):
 * for tables of one's own, so that input keys cannot be made to collide. */
uint64_t pk_hash_slot(uint64_t hv);
/* Combines hashes (a table's key of several values: ids, addresses, line numbers, label
 * values), keyed with a secret of the process: a keyed 64x64->128 multiply, halves xor-ed.
 * Keyed because the slot mix cannot help when the combined 64 bits themselves collide: the
 * unkeyed mix this was could be inverted in its last value, so that 10^5 locations with
 * chosen line numbers, or numeric labels with chosen values, all hashed alike
 * (test_hash.c hash_mix_keyed). Never for values that reach the output. */
extern uint64_t pk_hash_mix_key[2];
static inline uint64_t pk_hash_mix(uint64_t h, uint64_t v)
{
	unsigned __int128 r =
	    (unsigned __int128)(h ^ pk_hash_mix_key[0]) * (v ^ pk_hash_mix_key[1]);
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* ---- strings (strtab.c) ----------------------------------------------------------------- */
typedef uint32_t pk_sid;
typedef struct pk_str {
	const char *s; /* NUL-terminated, but may also hold NULs: use n */
	uint32_t n;
} pk_str;
typedef struct pk_strtab {
	pk_arena *arena; /* where string bytes live (the profile's) */
	pk_str *v;       /* malloc'd, v[0] is "" */
	uint32_t n;
	size_t cap;
	pk_hash h;
} pk_strtab;
bool pk_strtab_init(pk_strtab *t, pk_arena *a, size_t expect);
void pk_strtab_destroy(pk_strtab *t);
/* Interns s[0..n); PK_NONE when out of memory or over 4G strings. */
pk_sid pk_strtab_intern(pk_strtab *t, const char *s, size_t n);
pk_sid pk_strtab_intern_cstr(pk_strtab *t, const char *s);
/* Id of s if interned, else PK_NONE. */
pk_sid pk_strtab_lookup(const pk_strtab *t, const char *s, size_t n);
static inline pk_str pk_strtab_get(const pk_strtab *t, pk_sid id)
{
	return t->v[id];
}
/* Byte-wise comparison as Go compares strings. */
int pk_str_cmp(pk_str a, pk_str b);
bool pk_str_eq_cstr(pk_str a, const char *s);

/* ---- buffered output (writer.c) --------------------------------------------------------- */
typedef struct pk_out {
	pk_writer *w;
	char *buf;
	size_t len, cap;
	pk_status status; /* first failure; later writes are dropped */
} pk_out;
bool pk_out_init(pk_out *o, pk_writer *w);
void pk_out_bytes(pk_out *o, const void *p, size_t n);
void pk_out_str(pk_out *o, pk_str s);
void pk_out_cstr(pk_out *o, const char *s);
void pk_out_fmt(pk_out *o, const char *fmt, ...) PK_PRINTF(2, 3);
/* Flushes, frees the buffer and returns the first failure, if any. */
pk_status pk_out_finish(pk_ctx *ctx, pk_out *o);

/* A growable malloc'd byte string, for building names and labels. */
typedef struct pk_sb {
	char *s;
	size_t n, cap;
	bool oom;
} pk_sb;
void pk_sb_bytes(pk_sb *b, const void *p, size_t n);
void pk_sb_cstr(pk_sb *b, const char *s);
void pk_sb_fmt(pk_sb *b, const char *fmt, ...) PK_PRINTF(2, 3);
void pk_sb_reset(pk_sb *b);
void pk_sb_free(pk_sb *b);

#endif
