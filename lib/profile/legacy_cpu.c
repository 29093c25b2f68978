/* legacy_cpu.c - the gperftools (profilez) binary CPU profile, as go tool pprof reads it
 * (profile/legacy_profile.go: parseCPU, cpuProfile, parseCPUSamples,
 * cleanupDuplicateLocations).
 *
 * Words of 32 or 64 bits, little or big endian: whichever of the four reads the header
 * 0, 3, 0, PERIOD (microseconds, > 0), 0. Then samples: COUNT, N, N addresses (leaf first),
 * up to the end or the marker 0, 1, 0; after it, the memory map as text. Sample types
 * samples/count and cpu/nanoseconds (COUNT x PERIOD x 1000). Addresses but the leaf's are
 * taken less one. A frame that (nearly) every sample has second from the leaf is taken for
 * the signal handler's and removed (twice at most), and a leaf duplicated one byte below
 * is dropped, as pprof does. Java's variant (third word 1) is not read.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/textprof.h"

typedef struct words {
	const uint8_t *p;
	size_t n; /* bytes left */
	int size; /* 4 or 8 */
	bool big;
	bool ended; /* pprof's parse returned nil: ran out */
} words;

static uint64_t word(words *w)
{
	uint64_t v = 0;
	if (w->ended || w->n < (size_t)w->size) {
		w->ended = true;
		return 0;
	}
	for (int i = 0; i < w->size; i++) {
		int k = w->big ? i : w->size - 1 - i;
		v = v << 8 | w->p[k];
	}
	w->p += w->size;
	w->n -= (size_t)w->size;
	return v;
}

/* The encoding whose header fits, with w just after the header; false if none. */
static bool header(const uint8_t *data, size_t len, words *w, uint64_t *period)
{
	static const struct {
		int size;
		bool big;
	} enc[] = {{4, false}, {4, true}, {8, false}, {8, true}};
	for (size_t i = 0; i < 4; i++) {
		*w = (words){data, len, enc[i].size, enc[i].big, false};
		uint64_t n1 = word(w), n2 = word(w), n3 = word(w), n4 = word(w), n5 = word(w);
		if (!w->ended && n1 == 0 && n2 == 3 && n3 == 0 && n4 > 0 && n5 == 0) {
			*period = n4;
			return true;
		}
	}
	return false;
}

bool pk_gperf_cpu_sniff(const uint8_t *data, size_t len)
{
	words w;
	uint64_t period;
	return header(data, len, &w, &period);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

typedef struct rsample {
	uint64_t count;
	size_t start, n; /* addrs[start .. start + n) */
} rsample;

pk_status pk_gperf_cpu_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                            const char *name)
{
	static const char *const types[] = {"samples", "count", "cpu", "nanoseconds"};
	words w;
	uint64_t period_us;
	rsample *s = NULL;
	uint64_t *a = NULL;
	uint32_t *locs = NULL;
	size_t ns = 0, cap_s = 0, na = 0, cap_a = 0, cap_l = 0;
	pk_tb *b = NULL;
	pk_status st = PK_OK;

	*out = NULL;
	if (!header(data, len, &w, &period_us))
		return pk_fail(ctx, PK_EFORMAT, "%s: not a CPU profile", name);
	int64_t period = pk_wmul((int64_t)period_us, 1000);
	while (w.n > 0) {
		size_t at = len - w.n;
		uint64_t count = word(&w), n = word(&w);
		if (w.ended || n > w.n / 4) {
			st = pk_fail(ctx, PK_EFORMAT,
			             "%s: byte %zu: bad CPU profile sample (%llu frames)", name, at,
			             (unsigned long long)n);
			goto done;
		}
		if (!pk_grow((void **)&a, &cap_a, na + n + 1, sizeof *a) ||
		    !pk_grow((void **)&s, &cap_s, ns + 1, sizeof *s)) {
			st = pk_oom(ctx);
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			a[na + i] = word(&w);
		if (count == 0 && n == 1 && a[na] == 0)
			break; /* the end marker; the memory map follows */
		for (size_t i = 1; i < n; i++)
			a[na + i]--;
		s[ns++] = (rsample){count, na, n};
		na += n;
	}
	/* The signal handler's frame: second from the leaf in all but 1 of 32 samples. */
	size_t margin = ns / 32;
	for (int iter = 0; iter < 2; iter++) {
		/* Count second frames (sort a copy: no hash order). */
		uint64_t *sec = pk_malloc((ns ? ns : 1) * sizeof *sec);
		size_t nsec = 0;
		if (!sec) {
			st = pk_oom(ctx);
			goto done;
		}
		for (size_t i = 0; i < ns; i++)
			if (s[i].n > 1)
				sec[nsec++] = a[s[i].start + 1];
		qsort(sec, nsec, sizeof *sec, cmp_u64);
		bool found = false;
		uint64_t id = 0;
		for (size_t i = 0; i < nsec && !found;) {
			size_t j = i;
			while (j < nsec && sec[j] == sec[i])
				j++;
			if (j - i >= ns - margin)
				found = true, id = sec[i];
			i = j;
		}
		pk_free(sec);
		if (!found)
			continue;
		for (size_t i = 0; i < ns; i++)
			if (s[i].n > 1 && a[s[i].start + 1] == id) {
				memmove(&a[s[i].start + 1], &a[s[i].start + 2],
				        (s[i].n - 2) * sizeof *a);
				s[i].n--;
			}
	}
	const uint8_t *maps = w.p;
	size_t maps_len = w.n;
	if (!(b = pk_tb_new(name)) || !pk_tb_types(b, 2, types, "cpu", "nanoseconds", period)) {
		st = pk_oom(ctx);
		goto done;
	}
	for (size_t i = 0; i < ns; i++) {
		if (!pk_grow((void **)&locs, &cap_l, s[i].n + 1, sizeof *locs)) {
			st = pk_oom(ctx);
			goto done;
		}
		for (size_t k = 0; k < s[i].n; k++)
			if ((locs[k] = pk_tb_loc(b, a[s[i].start + k], NULL, 0)) == PK_NONE) {
				st = pk_oom(ctx);
				goto done;
			}
		size_t n = s[i].n;
		/* cleanupDuplicateLocations: the leaf again, one below (its location stays). */
		if (n > 1 && a[s[i].start] == a[s[i].start + 1] + 1) {
			memmove(&locs[1], &locs[2], (n - 2) * sizeof *locs);
			n--;
		}
		int64_t v[2] = {(int64_t)s[i].count, pk_wmul((int64_t)s[i].count, period)};
		if (!pk_tb_sample(b, locs, n, v, NULL, 0)) {
			st = pk_oom(ctx);
			goto done;
		}
	}
	st = pk_tb_finish(ctx, b, out);
	b = NULL;
	if (st == PK_OK &&
	    (st = pk_legacy_finish(ctx, *out, (const char *)maps, maps_len)) != PK_OK) {
		pk_profile_free(*out);
		*out = NULL;
	}
done:
	pk_tb_free(b);
	pk_free(s);
	pk_free(a);
	pk_free(locs);
	return st;
}
