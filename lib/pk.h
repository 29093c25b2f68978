/* pk.h - private to lib/: the context, arena, hash table, string table, the profile model and
 * the buffered output every report writes through. Nothing outside lib/ includes it, except the
 * unit tests.
 *
 * The model is arrays, not pointer graphs: references between tables are dense uint32_t
 * indices, checked when the profile is decoded. Strings are pk_sid ids into the profile's
 * interned string table; 0 is "". Equal strings have equal ids.
 */
#ifndef PK_H
#define PK_H

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

/* ---- arena (arena.c) -------------------------------------------------------------------- */
typedef struct pk_arena pk_arena;
pk_arena *pk_arena_new(void);
void pk_arena_free(pk_arena *a); /* NULL is fine; releases everything allocated from a */
/* 16-byte aligned, uninitialised; NULL when out of memory or n overflows. */
void *pk_arena_alloc(pk_arena *a, size_t n);
/* Zeroed array of n elements of size sz; NULL on overflow or out of memory. */
void *pk_arena_calloc(pk_arena *a, size_t n, size_t sz);
/* Copy of s[0..n) with a terminating NUL. */
char *pk_arena_strndup(pk_arena *a, const char *s, size_t n);
size_t pk_arena_used(const pk_arena *a);
/* A malloc'd array *p of *cap elements of elem bytes, grown (doubling) to hold need; false
 * when out of memory or the size overflows (*p and *cap are then unchanged). */
bool pk_grow(void **p, size_t *cap, size_t need, size_t elem);

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
/* Keyed with a secret drawn once per process (PPROFKIT_HASH_SEED=N fixes it): SipHash-1-3. */
uint64_t pk_hash_bytes(const void *p, size_t n, uint64_t seed);
/* The keyed mix every hash goes through before it picks a slot (pk_hash_find/intern do it):
 * for tables of one's own, so that input keys cannot be made to collide. */
uint64_t pk_hash_slot(uint64_t hv);
/* Combines hashes; unkeyed (the table keys the result). */
static inline uint64_t pk_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
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
	uint32_t n, cap;
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

/* ---- model ------------------------------------------------------------------------------ */
typedef struct pk_valtype {
	pk_sid type, unit;
} pk_valtype;

typedef struct pk_mapping {
	uint64_t id, start, limit, offset;
	pk_sid file, build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
} pk_mapping;

typedef struct pk_function {
	uint64_t id;
	pk_sid name, system_name, filename;
	int64_t start_line;
} pk_function;

typedef struct pk_line {
	uint32_t function; /* index into functions, or PK_NONE */
	int64_t line;
} pk_line;

typedef struct pk_location {
	uint64_t id;
	uint32_t mapping; /* index into mappings, or PK_NONE */
	bool is_folded;
	uint64_t address;
	size_t line_start; /* p->lines[line_start .. line_start + n_lines) */
	uint32_t n_lines;
} pk_location;

/* One label of a sample, in file order. A string label has is_num false and str set; a numeric
 * label has num and unit (0 = none). Labels with neither (pprof drops them) are not stored. */
typedef struct pk_label {
	pk_sid key;
	pk_sid str;
	pk_sid unit;
	bool is_num;
	int64_t num;
} pk_label;

typedef struct pk_sample {
	size_t loc_start; /* p->sample_locs[loc_start .. + n_locs): location indices, leaf first */
	uint32_t n_locs;
	uint32_t n_labels;
	size_t label_start; /* p->labels[label_start .. + n_labels) */
	                    /* values: p->values + i * p->n_sample_types */
} pk_sample;

struct pk_profile {
	pk_arena *arena;
	pk_strtab strs;
	const char *name; /* where it came from, for messages (arena) */

	pk_valtype *sample_types;
	uint32_t n_sample_types;
	pk_sid default_sample_type;

	pk_sample *samples;
	size_t n_samples;
	int64_t *values;       /* n_samples * n_sample_types */
	uint32_t *sample_locs; /* location indices */
	size_t n_sample_locs;
	pk_label *labels;
	size_t n_labels;

	pk_mapping *mappings;
	uint32_t n_mappings;
	pk_location *locations;
	uint32_t n_locations;
	pk_line *lines;
	size_t n_lines;
	pk_function *functions;
	uint32_t n_functions;

	pk_sid *comments;
	uint32_t n_comments;
	pk_sid drop_frames, keep_frames;
	int64_t time_nanos, duration_nanos;
	pk_valtype period_type;
	int64_t period;
};

static inline int64_t *pk_sample_values(const pk_profile *p, size_t i)
{
	return p->values + i * p->n_sample_types;
}
static inline pk_str pk_s(const pk_profile *p, pk_sid id)
{
	return p->strs.v[id];
}

/* A new empty profile with its arena and string table ("" interned as 0). */
pk_profile *pk_profile_new_empty(void);

/* wire_check.c: whether data is a well-typed profile.proto message (false: why, in words);
 * whether it looks like text; the "FILE: not a pprof profile (...)" failure. */
bool pk_wire_check(const uint8_t *data, size_t len, char *why, size_t whyn);
bool pk_wire_looks_like_text(const uint8_t *data, size_t len);
pk_status pk_wire_not_a_profile(pk_ctx *ctx, const char *name, const uint8_t *data, size_t len);
/* decode.c: bytes (already inflated) to a checked model. */
pk_status pk_decode(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                    const char *name);
/* io.c: reads path (or "-") whole, inflating gzip (any number of members); *data is malloc'd. */
pk_status pk_read_input(pk_ctx *ctx, const char *path, uint8_t **data, size_t *len);
pk_status pk_inflate_if_gzip(pk_ctx *ctx, const char *name, const uint8_t *in, size_t in_len,
                             uint8_t **out, size_t *out_len, bool *was_gzip);
/* encode.c */
pk_status pk_encode(pk_ctx *ctx, const pk_profile *p, uint8_t **out, size_t *out_len);

/* profile.c (profile/profile.go) */
/* Index of a sample type by name or number as SampleIndexByName does; "" selects the default
 * (PK_NONE, Go's -1, when the profile has no sample types). */
pk_status pk_sample_index_by_name(pk_ctx *ctx, const pk_profile *p, const char *name,
                                  uint32_t *index);
pk_status pk_profile_aggregate(pk_ctx *ctx, pk_profile *p, bool inline_frame, bool function,
                               bool filename, bool linenumber, bool address);
/* Multiplies every sample value by ratio[type] (ScaleN); drops samples that become all zero. */
pk_status pk_profile_scale_n(pk_ctx *ctx, pk_profile *p, const double *ratios);
/* Removes samples by flag: keep[i] false drops sample i. Compacts arrays. */
void pk_profile_keep_samples(pk_profile *p, const bool *keep);
/* Sets (replaces) a string label key=value on every sample (SetLabel). */
pk_status pk_profile_set_label(pk_ctx *ctx, pk_profile *p, const char *key, const char *value);
/* Removes every label with this key (RemoveLabel). */
void pk_profile_remove_label(pk_profile *p, const char *key);
/* CheckValid */
pk_status pk_profile_check_valid(pk_ctx *ctx, const pk_profile *p);
/* Scale: every value times ratio (nothing when ratio is 1); drops samples that become zero. */
pk_status pk_profile_scale(pk_ctx *ctx, pk_profile *p, double ratio);
/* Go's int64(x) on amd64: truncates; NaN and out-of-range values give INT64_MIN. */
static inline int64_t pk_go_f2i(double x)
{
	if (x >= -9223372036854775808.0 && x < 9223372036854775808.0)
		return (int64_t)x;
	return INT64_MIN;
}

/* compat.c: Profile.compatible - equal period type and sample types, or PK_EFORMAT. */
pk_status pk_profile_compatible(pk_ctx *ctx, const pk_profile *a, const pk_profile *b);
/* compat.c: ScaleProfiles - every profile's period and sample values converted to the
 * finest unit common to all, in place (nothing to do for fewer than two). */
pk_status pk_scale_profiles(pk_ctx *ctx, pk_profile *const *in, size_t n);
/* Samples of merged profiles keep their labels in encode order: string labels, then numeric
 * ones, each group sorted by key (Go string order); values of one key keep their order. */

/* diff.c */
/* DiffBaseSample: sample i has the string label pprof::base=true. */
bool pk_sample_is_diff_base(const pk_profile *p, size_t i);
/* Normalize: scales p so that each sample type sums to base's sum (p, not base, changes). */
pk_status pk_profile_normalize(pk_ctx *ctx, pk_profile *p, const pk_profile *base);

/* regex.c: Go regexp (RE2 syntax), parsed as Go does, matched by RE2 in linear time; matching is
 * unanchored, as MatchString. */
typedef struct pk_regex pk_regex;
/* Compiles pattern; on failure PK_EUSAGE with "parsing FLAG regexp: error parsing regexp: ..."
 * (flag_name NULL: without the "parsing FLAG regexp: " part). */
pk_status pk_regex_compile(pk_ctx *ctx, pk_regex **out, const char *pattern, const char *flag_name);
bool pk_regex_match(const pk_regex *re, const char *s, size_t n);
void pk_regex_free(pk_regex *re); /* NULL is fine */
/* The pattern as regex.c's Go parser rewrites it for PCRE2 (malloc'ed, *out), or Go's error: an
 * independent matcher for tests (the fuzz target compares RE2's answers with PCRE2's). */
pk_status pk_regex_pcre2_text(pk_ctx *ctx, const char *pattern, char **out);

/* demangle.c: symbolizer.Demangle as go tool pprof runs it on every loaded profile. */
pk_status pk_profile_demangle(pk_ctx *ctx, pk_profile *p);

/* prune.c: RemoveUninteresting (drop_frames/keep_frames) */
pk_status pk_profile_remove_uninteresting(pk_ctx *ctx, pk_profile *p);
/* PruneFrom: cuts every stack below the frame nearest the leaf whose function matches rx
 * (compiled by the caller from -prune_from, unanchored as pprof compiles it). */
pk_status pk_profile_prune_from(pk_ctx *ctx, pk_profile *p, const pk_regex *rx);

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

/* ---- units (units.c, internal/measurement/measurement.go) ------------------------------- */
/* measurement.Scale: value in from_unit converted to to_unit ("minimum"/"auto" pick a unit);
 * *out_unit (may be NULL) gets the unit's canonical name, "" or to_unit itself. */
double pk_scale(int64_t value, const char *from_unit, const char *to_unit, const char **out_unit);
/* measurement.ScaledLabel into buf ("1.50MB", "0"); returns buf. */
char *pk_scaled_label(char *buf, size_t n, int64_t value, const char *from_unit,
                      const char *to_unit);
/* measurement.Percentage: "  100%", "12.34%", " 0.05%" */
char *pk_percentage(char *buf, size_t n, int64_t value, int64_t total);
/* measurement.compatibleValueTypes' unit part: both units known to the same unit family. */
bool pk_units_same_family(const char *u1, const char *u2);
/* Go's time.Time.Format("Jan 2, 2006 at 3:04pm (MST)") of unix nanoseconds, local zone. */
char *pk_go_time_label(char *buf, size_t n, int64_t unix_nanos);

#endif
