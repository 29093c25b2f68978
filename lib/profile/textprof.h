/* textprof.h - private to lib/profile/: reading profiles written as text.
 *
 * An input's bytes become a profile in io.c: gzip is inflated first; then every row of
 * pk_text_kinds (textkinds.c) is asked, in order, whether the bytes are its kind (a cheap look
 * at the first lines); the first that says yes reads them. When none does, the bytes are a
 * profile.proto message (decode.c), which gives the usual "not a pprof profile" when they are
 * not one either.
 *
 * The readers build the model through pk_tb (textbuild.c): functions and locations interned as
 * they are met, samples appended in file order, everything moved into the profile's arena at
 * the end. Errors are "NAME: line N: reason".
 */
#ifndef PK_TEXTPROF_H
#define PK_TEXTPROF_H

#include "profile/profile.h"

/* ---- the dispatch table (textkinds.c) ---------------------------------------------------- */
typedef struct pk_text_kind {
	const char *name; /* what it reads, for messages and docs */
	/* Whether data (inflated, len > 0) is this kind: looks at its first lines only. */
	bool (*sniff)(const uint8_t *data, size_t len);
	pk_status (*read)(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
	                  const char *name);
} pk_text_kind;
/* Rows in the order they are asked; ends with a row whose name is NULL. */
extern const pk_text_kind pk_text_kinds[];
/* The row that recognises data, or NULL (then it is protobuf or nothing). */
const pk_text_kind *pk_text_kind_of(const uint8_t *data, size_t len);

/* ---- the readers ------------------------------------------------------------------------- */
/* goroutine_text.c: goroutine?debug=2, panics, SIGQUIT, runtime.Stack(all) */
bool pk_goroutine_dump_sniff(const uint8_t *data, size_t len);
pk_status pk_goroutine_dump_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                                 const char *name);
/* legacy_text.c: Go's debug=1 texts (goroutine, threadcreate; heap, allocs; block, mutex) */
bool pk_go_count_sniff(const uint8_t *data, size_t len);
pk_status pk_go_count_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                           const char *name);
bool pk_go_heap_sniff(const uint8_t *data, size_t len);
pk_status pk_go_heap_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                          const char *name);
bool pk_go_contention_sniff(const uint8_t *data, size_t len);
pk_status pk_go_contention_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                                const char *name);

/* legacy_cpu.c: the gperftools binary CPU profile */
bool pk_gperf_cpu_sniff(const uint8_t *data, size_t len);
pk_status pk_gperf_cpu_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                            const char *name);
/* legacy_maps.c: go tool pprof's processing of a legacy profile it reads without symbols: the
 * memory map text maps[0..maps_len) (NULL: none) as mappings, massaged and assigned to the
 * locations by address (a fake mapping for the rest), and drop/keep frames for the kind. */
pk_status pk_legacy_finish(pk_ctx *ctx, pk_profile *p, const char *maps, size_t maps_len);

/* ---- lines ------------------------------------------------------------------------------- */
/* Walks data line by line; a line excludes its "\n" (and a "\r" before it). */
typedef struct pk_lines {
	const char *p, *end;
	size_t lineno; /* of the line last returned, 1-based */
} pk_lines;
static inline void pk_lines_init(pk_lines *l, const uint8_t *data, size_t len)
{
	l->p = (const char *)data;
	l->end = (const char *)data + len;
	l->lineno = 0;
}
/* "NAME: line N: WHY: LINE" (the line's first 80 bytes; s NULL: without it), PK_EFORMAT. */
pk_status pk_text_fail(pk_ctx *ctx, const char *name, size_t lineno, const char *why, const char *s,
                       size_t n);
/* The next line in *s, *n; false at the end. */
bool pk_lines_next(pk_lines *l, const char **s, size_t *n);
/* The first non-blank line of data within its first limit bytes, in *s, *n (for sniffing). */
bool pk_first_line(const uint8_t *data, size_t len, size_t limit, const char **s, size_t *n);
/* s[0..n) starts with the NUL-terminated prefix. */
bool pk_has_prefix(const char *s, size_t n, const char *prefix);
/* Decimal (no sign) at *s within end into *v; false if no digit or it overflows int64. */
bool pk_parse_dec(const char **s, const char *end, int64_t *v);
/* "0x" hex at *s within end into *v; false if malformed or over 64 bits. */
bool pk_parse_hex(const char **s, const char *end, uint64_t *v);
/* Skips spaces and tabs. */
void pk_skip_blank(const char **s, const char *end);

/* ---- the builder (textbuild.c) ----------------------------------------------------------- */
typedef struct pk_tb pk_tb;
/* A builder for a profile called name; NULL when out of memory. */
pk_tb *pk_tb_new(const char *name);
void pk_tb_free(pk_tb *b); /* NULL is fine; frees the profile too unless taken */
/* The profile being built (to set types, period, comments, intern strings). */
pk_profile *pk_tb_profile(pk_tb *b);
/* Sets the sample types (type, unit pairs as C strings), the period type and period. */
bool pk_tb_types(pk_tb *b, size_t n, const char *const *type_unit, const char *period_type,
                 const char *period_unit, int64_t period);
pk_sid pk_tb_str(pk_tb *b, const char *s, size_t n); /* PK_NONE when out of memory */
/* Function index of (name, file), interned. PK_NONE when out of memory. */
uint32_t pk_tb_func(pk_tb *b, pk_sid name, pk_sid file);
/* Location index of address + lines (inlined callee first; may be 0 lines), interned.
 * PK_NONE when out of memory. */
uint32_t pk_tb_loc(pk_tb *b, uint64_t address, const pk_line *lines, uint32_t n_lines);
/* Appends a sample: locations leaf first, one value per sample type, labels. */
bool pk_tb_sample(pk_tb *b, const uint32_t *locs, size_t n_locs, const int64_t *values,
                  const pk_label *labels, size_t n_labels);
bool pk_tb_comment(pk_tb *b, const char *s, size_t n);
/* Moves everything into the profile's arena and hands it over (the builder is freed). */
pk_status pk_tb_finish(pk_ctx *ctx, pk_tb *b, pk_profile **out);

#endif
