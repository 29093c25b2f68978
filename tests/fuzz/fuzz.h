/* fuzz.h - what the libFuzzer targets of tests/fuzz/ share: a memory pk_writer (optionally
 * failing after N bytes, to walk the error paths), a byte reader that takes option choices from
 * the front of the input, and the check that a library call failed properly (a status with a
 * message) rather than by aborting. Targets use only the public API, lib/pprofkit.h.
 *
 * A target is one C file defining LLVMFuzzerTestOneInput; it is linked either with libFuzzer
 * (tests/fuzz/run, clang) or with tests/fuzz/replay.c (make check, gcc + ASan), which runs it
 * over the committed corpora and regression inputs. PK_SRCDIR is the repository root (the
 * list report reads testdata/progs/leak; the tag filter target loads testdata/profiles). */
#ifndef PK_FUZZ_H
#define PK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pprofkit.h"

#ifndef PK_SRCDIR
#define PK_SRCDIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a finding: libFuzzer (and the replay driver) report the abort. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__,  \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* FUZZ_DEBUG=1 in the environment: every status and message on stderr. */
static inline int fuzz_debug(void)
{
	static int d = -1;
	if (d < 0)
		d = getenv("FUZZ_DEBUG") != NULL;
	return d;
}

/* A failed call must say why: a known status and a non-empty message. */
static inline void fuzz_check_status(pk_ctx *ctx, pk_status st)
{
	if (fuzz_debug())
		fprintf(stderr, "status %d: %s\n", (int)st, st ? pk_ctx_message(ctx) : "");
	if (st == PK_OK)
		return;
	FUZZ_ASSERT(st == PK_ENOMEM || st == PK_EIO || st == PK_EFORMAT || st == PK_ELIMIT ||
	            st == PK_EUSAGE || st == PK_ENOMATCH);
	FUZZ_ASSERT(pk_ctx_message(ctx)[0] != '\0');
}

/* ---- memory writer ---------------------------------------------------------------------- */
#define FUZZ_OUT_MAX ((size_t)64 << 20) /* reports past this are a finding of their own */

typedef struct fuzz_sink {
	char *buf;
	size_t len, cap;
	size_t fail_after; /* SIZE_MAX: never fail; else PK_EIO once len would pass it */
	int failed;
} fuzz_sink;

static inline pk_status fuzz_sink_write(void *payload, const void *p, size_t n)
{
	fuzz_sink *s = payload;
	if (s->fail_after != SIZE_MAX && n > s->fail_after - s->len) {
		s->failed = 1;
		return PK_EIO;
	}
	FUZZ_ASSERT(n <= FUZZ_OUT_MAX - s->len);
	if (n > s->cap - s->len) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap - s->len < n)
			cap *= 2;
		char *b = realloc(s->buf, cap);
		FUZZ_ASSERT(b);
		s->buf = b;
		s->cap = cap;
	}
	if (n)
		memcpy(s->buf + s->len, p, n);
	s->len += n;
	return PK_OK;
}

static inline pk_writer fuzz_sink_writer(fuzz_sink *s)
{
	pk_writer w = {fuzz_sink_write, s};
	return w;
}

static inline void fuzz_sink_free(fuzz_sink *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

/* ---- choices from the input ------------------------------------------------------------- */
typedef struct fuzz_in {
	const uint8_t *p;
	size_t n;
} fuzz_in;

/* The next byte, 0 once the input is used up. */
static inline uint8_t fuzz_byte(fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* One of n items (n > 0). */
#define FUZZ_PICK(in, arr) ((arr)[fuzz_byte(in) % (sizeof(arr) / sizeof((arr)[0]))])

/* The next string up to a '\n' (or the end), copied NUL-terminated into a malloc'd buffer that
 * the caller frees; embedded NULs shorten it, as a C string from a command line would be. */
static inline char *fuzz_line(fuzz_in *in)
{
	size_t k = 0;
	while (k < in->n && in->p[k] != '\n')
		k++;
	char *s = malloc(k + 1);
	FUZZ_ASSERT(s);
	if (k)
		memcpy(s, in->p, k);
	s[k] = '\0';
	in->p += k;
	in->n -= k;
	if (in->n) { /* the '\n' */
		in->p++;
		in->n--;
	}
	return s;
}

/* A context for one input: warnings are swallowed, the inflate cap is kept small enough that
 * the fuzzer's RSS limit is never the thing that stops a bomb. */
static inline pk_ctx *fuzz_ctx(void)
{
	pk_ctx *ctx = pk_ctx_new();
	FUZZ_ASSERT(ctx);
	pk_ctx_set_max_inflated(ctx, (uint64_t)64 << 20);
	return ctx;
}

/* Reads a whole file into a malloc'd buffer (setup only: aborts on failure). */
static inline uint8_t *fuzz_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz setup: cannot open %s\n", path);
		abort();
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = malloc(cap);
	FUZZ_ASSERT(b);
	for (;;) {
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (n < cap)
			break;
		cap *= 2;
		b = realloc(b, cap);
		FUZZ_ASSERT(b);
	}
	fclose(f);
	*len = n;
	return b;
}

#endif
