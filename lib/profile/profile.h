/* profile/profile.h - private to lib/: the profile model and what reads, checks, writes and
 * transforms it (pprof's profile package): input and inflate (io.c), the wire format (wire.h,
 * wire_check.c, decode.c, encode.c), merge (merge.c, compat.c), profile.go's operations
 * (profile.c), diff-base labels and Normalize (diffbase.c), demangling, pruning, and the units
 * of numeric labels (labelunits.c). Above measurement/.
 *
 * The model is arrays, not pointer graphs: references between tables are dense uint32_t
 * indices, checked when the profile is decoded. Strings are pk_sid ids into the profile's
 * interned string table; 0 is "". Equal strings have equal ids.
 */
#ifndef PK_PROFILE_H
#define PK_PROFILE_H

#include "measurement/measurement.h"

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

	/* A view (pk_profile_view): the tables named by these PK_SHARED_* bits are another
	 * profile's, read-only. A step that changes one takes its own copy first
	 * (pk_profile_own); a step that replaces one with a new array clears its bit. */
	uint8_t shared;
	/* A -diff_base combination (pk_profile_apply_base with PK_BASE_DIFF): the name (arena)
	 * and time of its sides, [0] the base and [1] the profile, which the merge does not keep
	 * apart; pk_profile_split_base gives them back to the halves. */
	bool has_sides;
	const char *side_name[2];
	int64_t side_time[2];
	/* The -diff_base combination's profile had no pprof::base label of its own: the label
	 * marks the base's samples and no others (what pk_profile_base_groups needs). */
	bool base_disjoint;
	/* Of a -diff_base form, by pk_profile_base_groups: grp[i] is sample i's group, the
	 * samples -base's merge would have combined into one (one stack, the same labels but for
	 * pprof::base), numbered 0..n_grp-1 in order of first sample. Part of the samples: shared,
	 * copied and compacted with them (PK_SHARED_SAMPLES). NULL: no groups. */
	uint32_t *grp;
	uint32_t n_grp;
	/* A view that reports as -base (pk_profile_as_base): the label pprof::base (base_key) is
	 * no label (pk_label_hidden), the total sums each group's combined value, and a group whose
	 * combined value and divisor are zero has no sample in the graph (grp_zero, per group, set
	 * by the pipeline for its value in this view's arena; NULL until then). */
	bool as_base;
	pk_sid base_key;
	uint8_t *grp_zero;
	/* Merged by pk_profile_merge_one_sums: equal samples may stand apart, each counted once,
	 * so only reports that sum samples may read it (pk_format_sums). */
	bool sums_only;
	/* An exclusive view (pk_profile_view_exclusive): lender is the profile whose shared
	 * tables a filter may change in place, each change logged in undo, which
	 * pk_profile_free plays back. NULL in every other profile. */
	pk_profile *lender;
	struct pk_undo *undo;
	bool cut_lent; /* frames were cut out of the lender's stacks (once per view at most) */
};
/* Records the names (copied) and times of the sides ([0] the base, [1] the profile) in d,
 * their -diff_base combination. */
pk_status pk_profile_set_sides(pk_ctx *ctx, pk_profile *d, const char *const name[2],
                               const int64_t time[2]);

enum {
	PK_SHARED_SAMPLES = 1, /* samples and values (one bit: they are compacted together) */
	PK_SHARED_LOCS = 2,    /* sample_locs */
	PK_SHARED_LABELS = 4   /* labels */
};
/* Makes the tables named by what (PK_SHARED_* bits) p's own, copied into its arena, where a
 * view still shares them; nothing for tables p owns. PK_ENOMEM or PK_OK. */
pk_status pk_profile_own(pk_ctx *ctx, pk_profile *p, unsigned what);
/* Whether p is an exclusive view still sharing its lender's samples and stacks: a filter may
 * then change those in place, logging each change (below) before it makes it. */
static inline bool pk_profile_lent(const pk_profile *p)
{
	return p->lender && (p->shared & (PK_SHARED_SAMPLES | PK_SHARED_LOCS)) ==
	                        (PK_SHARED_SAMPLES | PK_SHARED_LOCS);
}
/* The same, for cutting frames out of the stacks: the first such pass only. */
static inline bool pk_profile_lent_cut(const pk_profile *p)
{
	return pk_profile_lent(p) && !p->cut_lent;
}
/* The log of an exclusive view: pk_undo_reserve makes room for one sample's change with up to
 * n_cut frames cut out (PK_ENOMEM: nothing changed yet); pk_undo_sample then notes sample
 * si's frame count before the change (cut: frames are cut out of its stack, each noted by
 * pk_undo_frame with its place and location, at most once per place); pk_profile_free of the
 * view puts everything back, last change first. */
pk_status pk_undo_reserve(pk_ctx *ctx, pk_profile *p, uint32_t n_cut);
void pk_undo_sample(pk_profile *p, size_t si, bool cut);
void pk_undo_frame(pk_profile *p, size_t place, uint32_t loc);

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
/* The same, for a malloc'd input the caller frees right after, unread: the pages of the
 * samples already decoded are given back to the kernel as it goes (data's content is lost). */
pk_status pk_decode_release(pk_ctx *ctx, pk_profile **out, uint8_t *data, size_t len,
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
/* Removes samples by flag: keep[i] false drops sample i. Compacts arrays (of a view: copies
 * only the samples kept). PK_ENOMEM or PK_OK. */
pk_status pk_profile_keep_samples(pk_ctx *ctx, pk_profile *p, const bool *keep);
/* Sets (replaces) a string label key=value on every sample (SetLabel). */
pk_status pk_profile_set_label(pk_ctx *ctx, pk_profile *p, const char *key, const char *value);
/* Removes every label with this key (RemoveLabel). PK_ENOMEM (a view's copy) or PK_OK. */
pk_status pk_profile_remove_label(pk_ctx *ctx, pk_profile *p, const char *key);
/* CheckValid */
pk_status pk_profile_check_valid(pk_ctx *ctx, const pk_profile *p);
/* Scale: every value times ratio (nothing when ratio is 1); drops samples that become zero. */
pk_status pk_profile_scale(pk_ctx *ctx, pk_profile *p, double ratio);

/* merge.c: profile.Merge of in[0..n), already compatible and scaled to common units (the
 * driver does that first, driver/fetch.c). */
pk_status pk_profile_merge_core(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n);
/* The same for one input, which it consumes (freed, also on failure): the samples are
 * renumbered and combined in the input's own arrays, not copied. */
pk_status pk_profile_merge_one(pk_ctx *ctx, pk_profile **out, pk_profile *in);
/* pk_profile_merge_one without combining equal samples (zero ones are still dropped, ids still
 * renumbered and equal locations, functions, mappings and strings combined) when no value is
 * negative: what a report that only sums samples reads the same, without hashing every sample.
 * The result is marked sums_only. With a negative value, pk_profile_merge_one. */
pk_status pk_profile_merge_one_sums(pk_ctx *ctx, pk_profile **out, pk_profile *in);
/* pk_profile_merge_core consuming in[0..n): each is freed once merged (all are freed and set
 * to NULL on return, also on failure). */
pk_status pk_profile_merge_core_take(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n);
/* The same, for inputs no two of which share a sample (the caller knows: a -diff_base base, all
 * of whose samples carry a label key no other input has): each input is combined only within
 * itself, so the table of samples is one input's, not all of theirs. */
pk_status pk_profile_merge_core_take_disjoint(pk_ctx *ctx, pk_profile **out, pk_profile **in,
                                              size_t n);
/* The same, equal samples of one input left apart as pk_profile_merge_one_sums leaves them: for
 * inputs each of whose pk_profile_sums_plain holds (or whose samples are already distinct) and
 * whose values have one sign per input, so that no combination could sum to zero. The result
 * is marked sums_only. */
pk_status pk_profile_merge_core_take_apart(pk_ctx *ctx, pk_profile **out, pk_profile **in,
                                           size_t n);
/* Whether equal samples of p may stay apart for a report that sums: no value is negative and
 * each sample type's total stays within int64 (merge.c). */
bool pk_profile_sums_plain(const pk_profile *p);

/* compat.c: Profile.compatible - equal period type and sample types, or PK_EFORMAT. */
pk_status pk_profile_compatible(pk_ctx *ctx, const pk_profile *a, const pk_profile *b);
/* compat.c: ScaleProfiles - every profile's period and sample values converted to the
 * finest unit common to all, in place (nothing to do for fewer than two). */
pk_status pk_scale_profiles(pk_ctx *ctx, pk_profile *const *in, size_t n);
/* Samples of merged profiles keep their labels in encode order: string labels, then numeric
 * ones, each group sorted by key (Go string order); values of one key keep their order. */

/* The merge's sample key, label by label (merge.c; diffbase.c's groups must agree with it):
 * two labels are one when every field is; a label's part of the key's hash. */
static inline bool pk_label_eq(const pk_label *a, const pk_label *b)
{
	return a->key == b->key && a->is_num == b->is_num && a->str == b->str &&
	       a->unit == b->unit && a->num == b->num;
}
static inline uint64_t pk_label_hash(uint64_t hv, const pk_label *l)
{
	hv = pk_hash_mix(hv, ((uint64_t)l->key << 32) | l->str);
	return pk_hash_mix(hv, ((uint64_t)l->unit << 1 | l->is_num) ^ (uint64_t)l->num);
}

/* diffbase.c */
/* DiffBaseSample: sample i has the string label pprof::base=true. */
bool pk_sample_is_diff_base(const pk_profile *p, size_t i);
/* Whether label l of p is one no report of p sees: pprof::base in a view reporting as -base. */
static inline bool pk_label_hidden(const pk_profile *p, const pk_label *l)
{
	return p->as_base && !l->is_num && l->key == p->base_key;
}
/* Whether sample i of a view reporting as -base belongs to a group whose combined value (and
 * divisor) is zero for the report's value: -base's merge would have made it no sample of the
 * graph. */
static inline bool pk_sample_grp_zero(const pk_profile *p, size_t i)
{
	return p->grp_zero && p->grp_zero[p->grp[i]];
}
/* Normalize: scales p so that each sample type sums to base's sum (p, not base, changes). */
pk_status pk_profile_normalize(pk_ctx *ctx, pk_profile *p, const pk_profile *base);

/* demangle.c: symbolizer.Demangle as go tool pprof runs it on every loaded profile. */
pk_status pk_profile_demangle(pk_ctx *ctx, pk_profile *p);

/* prune.c: RemoveUninteresting (drop_frames/keep_frames) */
pk_status pk_profile_remove_uninteresting(pk_ctx *ctx, pk_profile *p);
/* PruneFrom: cuts every stack below the frame nearest the leaf whose function matches rx
 * (compiled by the caller from -prune_from, unanchored as pprof compiles it). */
pk_status pk_profile_prune_from(pk_ctx *ctx, pk_profile *p, const pk_regex *rx);

/* labelunits.c: Profile.NumLabelUnits - the unit of each numeric label key, sorted by key id
 * (the table lives in p's arena), with pprof's warnings for keys seen with several units.
 * Run before anything filters the profile. */
typedef struct pk_nlu {
	pk_sid key, unit;
} pk_nlu;
typedef struct pk_nlu_table {
	pk_nlu *v;
	uint32_t n;
} pk_nlu_table;
pk_status pk_profile_num_label_units(pk_ctx *ctx, pk_profile *p, pk_nlu_table *out);
/* o.NumLabelUnits[key]: the key's unit, "" for a key without numeric labels. */
const char *pk_nlu_unit(const pk_profile *p, const pk_nlu_table *t, pk_sid key);

#endif
