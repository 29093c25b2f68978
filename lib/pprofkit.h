/* pprofkit.h - the public API of libpprofkit.
 *
 * libpprofkit reads pprof profiles (profile.proto, gzipped or not), merges, compares and filters
 * them, and writes the reports `go tool pprof` writes, byte for byte. It never prints and never
 * exits: every call returns a pk_status, and the message for a failure is kept in the pk_ctx that
 * was passed in, ready to print after "pprofkit: ".
 *
 * Ownership: `T **out` parameters hand the caller a new object, released with pk_T_free.
 * Pointers returned from an object are borrowed from it. Strings passed in are copied or only
 * read during the call.
 */
#ifndef PPROFKIT_H
#define PPROFKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PK_BUILDING_LIBRARY) && defined(__GNUC__)
#define PK_API __attribute__((visibility("default")))
#else
#define PK_API
#endif

#define PK_VERSION_MAJOR 0
#define PK_VERSION_MINOR 1
#define PK_VERSION_PATCH 0
#define PK_VERSION_STRING "0.1.0"
/* The release's date, as in the man page's header. */
#define PK_RELEASE_DATE "2026-12-07"

/* The version of the library that was linked, "MAJOR.MINOR.PATCH". */
PK_API const char *pk_version(void);

typedef enum pk_status {
	PK_OK = 0,
	PK_ENOMEM,   /* out of memory */
	PK_EIO,      /* a file could not be read or written */
	PK_EFORMAT,  /* the input is not a valid profile */
	PK_ELIMIT,   /* the input is over a limit set in the context */
	PK_EUSAGE,   /* the caller's options or arguments are wrong */
	PK_ENOMATCH, /* a report's regexp (list, peek, tree) matched nothing: go exits 1 */
	PK_ECANCELED /* the work passed the context's deadline or was canceled (pk_ctx_set_deadline,
	                pk_ctx_set_cancel): nothing was written in full, everything is freed */
} pk_status;

typedef struct pk_ctx pk_ctx;
typedef struct pk_profile pk_profile;

/* A sink for output. write returns PK_OK or an error status (PK_EIO). */
typedef struct pk_writer {
	pk_status (*write)(void *payload, const void *buf, size_t len);
	void *payload;
} pk_writer;

/* ---- context ---------------------------------------------------------------------------- */

/* A new context, or NULL when out of memory. One context per thread. */
PK_API pk_ctx *pk_ctx_new(void);
PK_API void pk_ctx_free(pk_ctx *ctx); /* NULL is fine */
/* The message of the last failure ("heap.pb.gz: gzip stream truncated"); "" when none. Owned by
 * ctx, valid until the next call with ctx. */
PK_API const char *pk_ctx_message(const pk_ctx *ctx);
/* Non-fatal notices (pprof's wording, e.g. "no samples matched ..."); default: dropped. */
PK_API void pk_ctx_on_warning(pk_ctx *ctx, void (*fn)(void *payload, const char *msg),
                              void *payload);
/* Progress of long work: done and total in units of the work (bytes for reading); what names
 * the stage ("reading heap.pb.gz"). Called at most a few times a second. Default: none. */
PK_API void pk_ctx_on_progress(pk_ctx *ctx,
                               void (*fn)(void *payload, const char *what, uint64_t done,
                                          uint64_t total),
                               void *payload);
/* Cap on the inflated size of one gzipped profile, in bytes (default 1 GiB: far above real
 * profiles, and low enough that a gzip bomb is refused, with PK_ELIMIT and a message naming
 * the input and the cap, before it takes 2 GiB of memory). 0 means no cap. */
PK_API void pk_ctx_set_max_inflated(pk_ctx *ctx, uint64_t bytes);
/* The sample type of profiles read from folded stacks, "TYPE/UNIT" (default "samples/count").
 * PK_EUSAGE when it is not TYPE/UNIT with both parts non-empty. */
PK_API pk_status pk_ctx_set_folded_type(pk_ctx *ctx, const char *type_unit);
/* Goroutine dumps read afterwards keep each frame's arguments in its function name
 * ("main.worker(0xc000012345, ...)"), so that goroutines with other arguments stay apart.
 * Off by default: arguments are left out. */
PK_API void pk_ctx_set_goroutine_args(pk_ctx *ctx, int keep);

/* A deadline for the work done with ctx from now on: seconds from now (<= 0: none). A
 * report's long loops (the filters, the total, the call graph and its tags, the flame graph,
 * pk_profile_split_base) check it every few thousand items and, once it has passed, stop
 * with PK_ECANCELED and a message ("took longer than the
 * deadline (2 s)"), having freed what it allocated; output already written to a pk_writer
 * is incomplete. The check costs a clock read per few thousand items. */
PK_API void pk_ctx_set_deadline(pk_ctx *ctx, double seconds);
/* The same, when *flag becomes non-zero (set by another thread, e.g. a server stopping, with
 * an atomic store such as __atomic_store_n); NULL: none. The flag is only read, atomically. */
PK_API void pk_ctx_set_cancel(pk_ctx *ctx, const volatile int *flag);

/* How pk_profile_finish demangles C++ and Rust function names (go tool pprof's -symbolize). */
typedef enum pk_demangle {
	PK_DEMANGLE_DEFAULT = 0, /* names not yet demangled: no parameters, no template arguments */
	PK_DEMANGLE_NONE,        /* -symbolize=none: names as the profile has them */
	PK_DEMANGLE_FORCE        /* -symbolize=force: every name again from its system name */
} pk_demangle;
PK_API void pk_ctx_set_demangle(pk_ctx *ctx, pk_demangle mode);

/* ---- profiles --------------------------------------------------------------------------- */

/* Reads a profile from a file ("-" is standard input), gzipped (any number of members) or not.
 * Every index and cross-reference is checked. *out is NULL on failure. */
PK_API pk_status pk_profile_read(pk_ctx *ctx, pk_profile **out, const char *path);
/* The same from memory; name is used in messages. */
PK_API pk_status pk_profile_parse(pk_ctx *ctx, pk_profile **out, const void *data, size_t len,
                                  const char *name);
/* What go tool pprof does to each profile it reads, before merging (fetch.go locateBinaries):
 * a profile without mappings gets one empty mapping (ID 1) that every location refers to. */
PK_API pk_status pk_profile_prepare(pk_ctx *ctx, pk_profile *p);
/* Reads and prepares paths[0..n) into out[0..n) (NULL where not read), paths[split..n) in a
 * second thread when threads >= 2: the same profiles, first failure (in path order) and
 * warnings (in path order) as reading them one by one. */
PK_API pk_status pk_profiles_read(pk_ctx *ctx, pk_profile **out, const char *const *paths, size_t n,
                                  size_t split, int threads);
/* Merges n profiles as go tool pprof does (units scaled to the finest, equal samples combined,
 * zero samples dropped, IDs renumbered), even when n == 1. Inputs are unchanged except that
 * their units may be scaled (which drops samples whose scaled values round to zero). More than
 * 64 inputs are merged 64 at a time, as pprof does. */
PK_API pk_status pk_profile_merge(pk_ctx *ctx, pk_profile **out, pk_profile *const *in, size_t n);
/* The same result, consuming the inputs: each in[i] is freed and set to NULL (also on
 * failure). One input is merged in its own memory instead of copied. */
PK_API pk_status pk_profile_merge_take(pk_ctx *ctx, pk_profile **out, pk_profile **in, size_t n);
/* pk_profile_merge_take for a report that only sums samples (pk_format_sums): one input with
 * no negative value is merged without combining equal samples (zero samples are still
 * dropped; ids, locations, functions, mappings and strings as merged), which saves hashing
 * every sample and gives every such report the same output. pk_report refuses the result for
 * other reports (PK_EUSAGE). Several inputs, or a negative value: pk_profile_merge_take. */
PK_API pk_status pk_profile_merge_take_sums(pk_ctx *ctx, pk_profile **out, pk_profile **in,
                                            size_t n);
/* Incremental merge for many inputs: *acc = Merge(*acc, next), consuming next (freed, also on
 * failure; *acc NULL: Merge(next)). Memory is the running result plus one input. The result
 * equals merging all inputs at once up to the order of ids when an intermediate sum is zero
 * (pprof merges chunks of 64; see pk_profile_merge). */
PK_API pk_status pk_profile_merge_into(pk_ctx *ctx, pk_profile **acc, pk_profile *next);
/* Reads the profile paths listed in the file list ("-": standard input), one a line (empty
 * lines skipped), each read, prepared and merged into *acc with pk_profile_merge_into. */
PK_API pk_status pk_profiles_merge_list(pk_ctx *ctx, pk_profile **acc, const char *list);

typedef enum pk_base_mode {
	PK_BASE_SUBTRACT = 1, /* -base: subtract */
	PK_BASE_DIFF = 2      /* -diff_base: subtract, mark base samples, percentages of base */
} pk_base_mode;
/* Combines a profile with a base profile as -base / -diff_base do (base is modified: labelled
 * and negated). With normalize, p is first scaled so that each sample type totals what it
 * totals in base (pprof's Normalize; p is modified). */
PK_API pk_status pk_profile_apply_base(pk_ctx *ctx, pk_profile **out, pk_profile *p,
                                       pk_profile *base, pk_base_mode mode, int normalize);
/* The same, consuming p and base (freed and set to NULL, also on failure): each input is freed
 * as soon as it is merged. */
PK_API pk_status pk_profile_apply_base_take(pk_ctx *ctx, pk_profile **out, pk_profile **p,
                                            pk_profile **base, pk_base_mode mode, int normalize);
/* pk_profile_apply_base_take for a report that only sums samples (pk_format_sums), p and base
 * possibly from pk_profile_merge_take_sums: under PK_BASE_DIFF, without normalize, with the
 * same units and no negative value on either side, equal samples of a side stay apart (the
 * result is sums_only, refused by other reports); otherwise each side is combined first and
 * the result is pk_profile_apply_base_take's. */
PK_API pk_status pk_profile_apply_base_take_sums(pk_ctx *ctx, pk_profile **out, pk_profile **p,
                                                 pk_profile **base, pk_base_mode mode,
                                                 int normalize);
/* The two halves of a profile combined with -diff_base (PK_BASE_DIFF): *base gets the
 * base's samples (labelled pprof::base=true), their values negated back and the label
 * removed; *p gets the others. Both are views of d (pk_profile_view: d must outlive them and
 * stay unchanged). Reports on them give what they give on the base and the profile read
 * apart, after the combination's unit scaling and normalization (equal samples of one side
 * may be combined, which no sum shows). */
PK_API pk_status pk_profile_split_base(pk_ctx *ctx, const pk_profile *d, pk_profile **base,
                                       pk_profile **p);
/* -base's reports from the -diff_base form, without -base's merge (a second copy of the
 * samples). pk_profile_base_groups marks in d, a profile combined with PK_BASE_DIFF whose
 * profile side had no pprof::base label of its own, which samples -base's merge would combine
 * (PK_EUSAGE for any other d). Then pk_profile_as_base makes a view of d (pk_profile_view or
 * pk_profile_view_exclusive) report as the PK_BASE_SUBTRACT combination of the same inputs
 * would: top, peek, tree, list, dot and svg print the same bytes (the label pprof::base is
 * no label, the total is over the combined samples, a combination that sums to zero is no
 * sample); other reports refuse it (PK_EUSAGE). */
PK_API pk_status pk_profile_base_groups(pk_ctx *ctx, pk_profile *d);
PK_API pk_status pk_profile_as_base(pk_ctx *ctx, pk_profile *view);
/* Drops frames matching the profile's drop_frames (and not keep_frames), as pprof does after
 * loading, and checks the result. */
PK_API pk_status pk_profile_finish(pk_ctx *ctx, pk_profile *p);
/* A deep copy. */
PK_API pk_status pk_profile_copy(pk_ctx *ctx, pk_profile **out, const pk_profile *p);
/* A copy that shares p's per-sample tables (samples, values, stacks, labels: most of a big
 * profile's memory) instead of copying them: it behaves as pk_profile_copy's result (every
 * call takes it, pk_report changes it in place), and a step that changes one of those tables
 * makes its own copy of that table first (a focus filter, for one, copies only the samples
 * it keeps). p is only read, so several views of one p may be used at once from several
 * threads; p must not change and must outlive every view of it. */
PK_API pk_status pk_profile_view(pk_ctx *ctx, pk_profile **out, const pk_profile *p);
/* A view that may change p's shared tables in place while it lives and puts them back as they
 * were when it is freed: -hide and -show cut frames out of p's stacks, and -show_from shortens
 * them, without copying the stacks and the samples (hundreds of MB on a big profile); other
 * steps copy what they change, as in any view. The caller makes sure nothing else reads p
 * (no other view of it in use) from this call until pk_profile_free of the view, which must
 * come before p is freed. */
PK_API pk_status pk_profile_view_exclusive(pk_ctx *ctx, pk_profile **out, pk_profile *p);
PK_API void pk_profile_free(pk_profile *p); /* NULL is fine */

/* Read-only facts about a profile. */
PK_API size_t pk_profile_sample_count(const pk_profile *p);
PK_API size_t pk_profile_sample_type_count(const pk_profile *p);
/* Type and unit of sample type i, borrowed; NULL when i is out of range. */
PK_API const char *pk_profile_sample_type(const pk_profile *p, size_t i, const char **unit);

/* The file of mapping i (mapping 0 is the main binary), borrowed; NULL when out of range. */
PK_API const char *pk_profile_mapping_file(const pk_profile *p, size_t i);
/* The functions of a profile: their number and the name of function i (borrowed). */
PK_API size_t pk_profile_function_count(const pk_profile *p);
PK_API const char *pk_profile_function_name(const pk_profile *p, size_t i);

/* ---- fetching over HTTP (go tool pprof's URL sources) ---------------------------------- */

typedef struct pk_fetch_options {
	int seconds; /* -seconds: > 0 sets ?seconds=N in the URL; otherwise the URL's is kept */
	int timeout; /* -timeout in seconds for the whole transfer; <= 0: 1.5 x seconds, or 60 */
	const volatile int *cancel; /* non-NULL: the fetch stops, PK_EIO, once *cancel != 0 */
} pk_fetch_options;

#define PK_FETCH_OPTIONS_INIT                                                                      \
	{                                                                                          \
		-1, -1, NULL                                                                       \
	}

/* Whether a PROFILE argument is a URL as go tool pprof takes it: scheme://host..., or
 * host:port optionally followed by /path or ?query ("localhost:6060/debug/pprof/heap"). */
PK_API int pk_source_is_url(const char *source);
/* The URL fetched for source (malloc'd into *url, release with free): "http://" added when
 * there is no scheme, the path /debug/pprof/profile when there is none, ?seconds=N from o;
 * and the timeout in seconds. */
PK_API pk_status pk_url_resolve(pk_ctx *ctx, const char *source, const pk_fetch_options *o,
                                char **url, int *timeout);
/* Fetches the body of source's URL into *data (malloc'd, release with free). Anything but a
 * complete 200 response within the timeout is a failure whose message names source and says
 * what happened (connection refused, server response: 404 Not Found - FIRST LINE, timed out,
 * truncated). The size is capped as an inflated profile is (pk_ctx_set_max_inflated). */
PK_API pk_status pk_fetch(pk_ctx *ctx, const char *source, const pk_fetch_options *o, void **data,
                          size_t *len);
/* pk_fetch, then pk_profile_parse of the body, named source. */
PK_API pk_status pk_profile_fetch(pk_ctx *ctx, pk_profile **out, const char *source,
                                  const pk_fetch_options *o);

/* ---- reports ---------------------------------------------------------------------------- */

typedef enum pk_format {
	PK_FMT_TOP = 1,
	PK_FMT_TRACES,
	PK_FMT_PEEK,
	PK_FMT_LIST,
	PK_FMT_TREE,
	PK_FMT_TAGS,
	PK_FMT_RAW,
	PK_FMT_DOT,
	PK_FMT_SVG,
	PK_FMT_PROTO,
	PK_FMT_COMMENTS,
	PK_FMT_FLAME,  /* an interactive flame graph, SVG (lib/report/flame.c) */
	PK_FMT_FOLDED, /* folded stacks: "root;...;leaf VALUE" lines */
	/* Reports on several profiles (pk_report_series): */
	PK_FMT_COMPARE,   /* OLD NEW: one row per function, old, new, delta, status */
	PK_FMT_TREND,     /* T0 ... Tn: per function, the series ranked by a leak score */
	PK_FMT_CHECK,     /* OLD NEW: the rows beyond the limits (max_growth, ...) */
	PK_FMT_GOROUTINES /* goroutines grouped by stack and state (-diff_base: what grew) */
} pk_format;

/* How a report is written (-format): text (the default), JSON or CSV. */
typedef enum pk_output { PK_OUT_TEXT = 0, PK_OUT_JSON, PK_OUT_CSV } pk_output;

typedef enum pk_granularity {
	PK_GRAN_FUNCTIONS = 0,
	PK_GRAN_FILEFUNCTIONS,
	PK_GRAN_FILES,
	PK_GRAN_LINES,
	PK_GRAN_ADDRESSES
} pk_granularity;

/* Report options, pprof's flags. Initialise with PK_OPTIONS_INIT (pprof's defaults). Strings are
 * borrowed for the duration of the call; NULL or "" means unset. Regular expressions use Go's
 * RE2 syntax. */
typedef struct pk_options {
	const char *sample_index; /* -sample_index: a name or a number */
	int mean;                 /* -mean */
	const char *focus, *ignore, *hide, *show, *show_from, *prune_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide, *tagroot, *tagleaf;
	int nodecount;       /* -nodecount; -1: 0 for top, 80 for graphs */
	double nodefraction; /* -nodefraction, default 0.005 */
	double edgefraction; /* -edgefraction, default 0.001 */
	int trim;            /* -trim, default 1 */
	int cum;             /* -cum (sort by cumulative); 0 is -flat */
	pk_granularity granularity;
	int noinlines;
	int drop_negative;
	double divide_by; /* -divide_by, default 1 */
	const char *unit; /* -unit, default "minimum" */
	int relative_percentages;
	int call_tree;
	int compact_labels;
	const char *source_path, *trim_path;
	const char *symbol; /* the RE of peek and list */
	const char *title;  /* unused by text reports; reserved for svg */
	/* flame and folded */
	const char *flame_title;      /* -flame_title; NULL: "Flame Graph" */
	double flame_width;           /* -flame_width, pixels, default 1200 */
	double flame_minwidth;        /* -flame_minwidth, pixels, default 0.1 */
	const char *flame_colors;     /* hot (default), mem, io, package */
	int flame_reverse;            /* -flame_reverse: stacks merged from the leaf */
	int icicle;                   /* -icicle: root at the top */
	const char *flame_width_from; /* diff: new (default), old, max */
	/* compare, trend, check (pk_report_series): */
	int stacks;                  /* -stacks: one row per call stack, not per function */
	const char *sort;            /* -sort: compare's order, delta (default), new, old or pct */
	const char *by_label;        /* -by_label=KEY: trend rows by the value of label KEY */
	int ascii;                   /* -ascii: trend's sparkline in ASCII */
	pk_output output;            /* -format */
	double max_growth;           /* -max_growth: percent growth of the total; < 0: no limit */
	const char *max_site_growth; /* -max_site_growth: an amount ("1MB", "500ms", "100") */
	const char *max_new;         /* -max_new: an amount a row absent from OLD may reach */
	const char *min_wait;        /* goroutines: -min_wait, a Go duration ("10m"); NULL: all */
} pk_options;

#define PK_OPTIONS_INIT                                                                            \
	{                                                                                          \
		NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,   \
		    -1, 0.005, 0.001, 1, 0, PK_GRAN_FUNCTIONS, 0, 0, 1.0, "minimum", 0, 0, 0,      \
		    NULL, NULL, NULL, NULL, NULL, 1200, 0.1, NULL, 0, 0, NULL, 0, NULL, NULL, 0,   \
		    PK_OUT_TEXT, -1, NULL, NULL, NULL                                              \
	}

/* Whether report fmt with options opt (NULL: defaults) only sums the samples' values (top,
 * peek, list, tree, tags, dot, svg, comments; flame and folded unless -mean, which divides each
 * sample): then equal samples combined or apart give the same report. */
PK_API int pk_format_sums(pk_format fmt, const pk_options *opt);

/* Writes report fmt of p to out. p is filtered and aggregated in place (copy it first to
 * report on it again). A bad option (regex, unknown sample index) is PK_EUSAGE with a message
 * naming the flag. */
PK_API pk_status pk_report(pk_ctx *ctx, pk_profile *p, pk_format fmt, const pk_options *opt,
                           pk_writer *out);

/* Writes report fmt (PK_FMT_COMPARE, PK_FMT_TREND, PK_FMT_CHECK) of the n profiles p[0..n) to
 * out: compare and check take OLD and NEW (n == 2), trend three or more snapshots of one
 * program, which it orders by their Time (argument order, with a warning, when times are
 * missing or equal). Each profile goes through the same steps pk_report takes (sample index,
 * filters, granularity), with the same options; each is modified in place. With normalize,
 * every profile but the first is first scaled to the first one's total (pprof's -normalize).
 * *exceeded (may be NULL) is set to 1 when check finds a row beyond a limit, else 0. */
PK_API pk_status pk_report_series(pk_ctx *ctx, pk_profile *const *p, size_t n, pk_format fmt,
                                  const pk_options *opt, int normalize, pk_writer *out,
                                  int *exceeded);

/* Writes p as gzipped profile.proto to out. */
PK_API pk_status pk_profile_write(pk_ctx *ctx, const pk_profile *p, pk_writer *out);

#ifdef __cplusplus
}
#endif
#endif
