/* cli.h - private to cmd/: the parsed command line, the command table, the flag table and the
 * helpers every subcommand shares (load, report, output). cmd/ includes only this header and
 * lib/pprofkit.h.
 *
 * Mirrors go tool pprof's internal/driver/cli.go (parseFlags), config.go (the flags and their
 * defaults) and commands.go (the commands); see options.c and commands.c for the divergences.
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "pprofkit.h"

/* Exit statuses. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1  /* bad input, I/O error, out of memory */
#define CLI_EXIT_USAGE 2 /* bad command line */

struct cli;
struct pk_cmd;

/* A subcommand: argv holds the positional arguments left after flag parsing (RE, PROFILE...). */
typedef int (*cli_cmd_fn)(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv);

/* One row of the command table (commands.c). */
struct pk_cmd {
	const char *name;
	const char *const *aliases; /* NULL-terminated, or NULL */
	cli_cmd_fn run;             /* NULL: cli_run_simple, load and report fmt */
	pk_format fmt;
	int takes_re;         /* the first positional argument is a regular expression */
	int nargs;            /* positional arguments before PROFILE...; -1: exactly `profiles` */
	int profiles;         /* with nargs == -1: the exact number of PROFILE arguments */
	const char *synopsis; /* the arguments after [FLAGS], for usage lines */
	const char *help;     /* one line */
	const char *more;     /* a paragraph for `pprofkit help CMD`, lines end in \n */
};

extern const struct pk_cmd cli_commands[];
/* The command named (or aliased) name, or NULL. */
const struct pk_cmd *cli_find_command(const char *name);

/* The parsed command line. pk holds every flag the library takes; the rest is the CLI's. */
struct cli {
	pk_options pk;
	const struct pk_cmd *cmd;
	const char *output;       /* -o / -output */
	const char *max_inflated; /* -max_inflated as given; NULL: the library's default */
	unsigned long long max_inflated_bytes; /* its value, set by cli_finish_flags */
	char **base, **diff_base;              /* -base / -diff_base, each may repeat */
	size_t n_base, n_diff_base;
	int normalize;
	int goroutine_args; /* -args */
	/* Option groups: only one of each may be set (pprof: "conflicting options set"). */
	int sort_flags[2]; /* -cum -flat */
	int gran_flags[5]; /* -functions -filefunctions -files -lines -addresses */
	/* Legacy value selections, in pprof's order of precedence (cli.go parseFlags). */
	int total_delay, mean_delay, contentions, inuse_space, inuse_objects, alloc_space,
	    alloc_objects;
	/* Set by -COMMAND flags: the command and, for peek/list, its RE. */
	const struct pk_cmd *flag_cmd;
	const char *flag_re;
	int flag_cmd_count;
	const char *format; /* -format=text|json|csv */
	int json;           /* -json: -format=json */

	pk_ctx *ctx;
	int seconds, timeout;        /* -seconds, -timeout for URL sources; -1: unset */
	int fetched;                 /* cli_load read at least one URL: the result is saved */
	const char *every;           /* capture -every=DURATION */
	const pk_profile *preloaded; /* the shell's profile: cli_load copies it, reads nothing */
	int count;                   /* capture -count=N */

	/* Flags go tool pprof users type out of habit (cli_finish_flags says what they do). */
	const char *symbolize, *http, *tls_cert, *tls_key, *tls_ca;
	int no_browser;
	pk_demangle demangle;    /* from -symbolize */
	const char *folded_type; /* -folded_type=TYPE/UNIT for folded-stacks input */
	const char *inputs;      /* -inputs=FILE: more profile paths, one a line */
	int threads;             /* -threads=N: 1 reads the base after the profile */
	/* cli_load may leave equal samples apart (pk_profile_merge_take_sums): set by
	 * cli_report for a report that only sums them, with no base, -inputs or URL. */
	int load_sums;
	/* A message that replaces the library's in cli_lib_error (the failing file named): set by
	 * cli_load when merging fails. Empty: none. */
	char message[1200];
};

/* ---- options.c ---------------------------------------------------------------------------- */

/* Results of cli_parse besides 0 (parsed). */
#define CLI_PARSE_ERROR (-1) /* a usage error, already printed */
#define CLI_PARSE_HELP 1     /* -h/--help seen: print help, exit 0 */
#define CLI_PARSE_VERSION 2  /* --version seen */

/* Parses flags in argv[0..argc) into cli, anywhere before "--"; the other arguments are
 * moved, in order, to the front of argv and counted in *npos. */
int cli_parse(struct cli *cli, int argc, char **argv, int *npos);
/* Applies pprof's post-parse rules (option groups, legacy value flags, -base/-diff_base,
 * -normalize). Returns 0 or CLI_PARSE_ERROR (printed). */
int cli_finish_flags(struct cli *cli);
/* The flags of go tool pprof pprofkit takes out of habit: -http and -tls_* are a usage error
 * with the reason (printed, CLI_PARSE_ERROR), -symbolize may warn. Returns 0 otherwise. Checked
 * before a command is required: -http needs none in go tool pprof. */
int cli_compat_flags(struct cli *cli);
/* Appends path to -base (diff 0) or -diff_base (diff 1). Returns 0 or CLI_EXIT_FAIL
 * (printed). */
int cli_add_base(struct cli *cli, int diff, char *path);
void cli_init(struct cli *cli);
void cli_free(struct cli *cli);
/* The flag list, for usage text. */
void cli_print_flags(FILE *f);
/* For the shell: the i-th flag that is a report option (a pk_options field), or NULL past the
 * last; its kind (CLI_OPT_*) and where its value is in cli. */
enum { CLI_OPT_BOOL, CLI_OPT_INT, CLI_OPT_FLOAT, CLI_OPT_STRING };
const char *cli_shell_option(struct cli *cli, size_t i, int *kind, void **value);
/* Parses s as Go's strconv does for kind into out (int or double). Returns 0, -1 (syntax) or
 * -2 (out of range). */
int cli_parse_value(int kind, const char *s, void *out);
/* Every flag of the table, one a line: -NAME for a boolean, -NAME= for one taking a value. */
void cli_list_flags(FILE *f);
/* A number identifying the flag row named name ('-' read as '_', aliases too), 0 when there is
 * none; *is_bool (if not NULL) is set when it is a boolean. */
int cli_flag_info(const char *name, int *is_bool);
/* The flag name nearest to name[0..n) (flags, -COMMAND flags, help, version), or NULL. */
const char *cli_nearest_flag(const char *name, size_t n);

/* ---- error.c ------------------------------------------------------------------------------ */

/* Prints "pprofkit: MESSAGE" and a hint line on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "pprofkit: MESSAGE" on stderr (clearing any progress line first). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the library's message for st and returns the exit status for it. */
int cli_lib_error(struct cli *cli, pk_status st);
/* The command the hint line of usage errors names from now on. */
void cli_set_usage_hint(const struct pk_cmd *cmd);

/* ---- main.c ------------------------------------------------------------------------------- */
/* Usage of one command (cmd NULL: the whole program) on f. */
void cli_print_usage(FILE *f, const struct pk_cmd *cmd);

/* ---- hints.c ------------------------------------------------------------------------------ */

/* Prints "pprofkit: warning: MESSAGE" on stderr (clearing any progress line first). */
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The candidate nearest to an unknown word, if one is close enough: init, try each candidate in
 * order, then best is the suggestion or NULL. */
struct cli_nearest {
	const char *word, *best;
	size_t len, dist, best_dist;
};
void cli_nearest_init(struct cli_nearest *n, const char *word, size_t len);
void cli_nearest_try(struct cli_nearest *n, const char *candidate);
/* The command name or alias (or "help") nearest to word, or NULL. */
const char *cli_nearest_command(const char *word);

/* ---- version.c ---------------------------------------------------------------------------- */

/* The --version text. */
void cli_print_version(FILE *f);

/* ---- complete.c --------------------------------------------------------------------------- */

/* `pprofkit __complete ...` (argv after __complete): words for shell completion. */
int cli_complete(int argc, char **argv);

/* ---- load.c ------------------------------------------------------------------------------- */

/* Reads paths[0..n) and the -base/-diff_base files, merges and diffs them into one profile,
 * as go tool pprof's fetchProfiles does. *out is NULL on failure (message in cli->ctx). */
/* Whether any of paths[0..n) is a URL. */
int cli_any_url(char *const *paths, size_t n);
pk_status cli_load(struct cli *cli, pk_profile **out, char *const *paths, size_t n);

/* ---- progress.c --------------------------------------------------------------------------- */

/* Installs the TTY progress and warning callbacks on cli->ctx. */
void cli_install_callbacks(struct cli *cli);
/* Erases the progress line, if one is drawn. */
void cli_progress_clear(void);
/* Reads one PROFILE: a file, '-', or a URL (fetched, "Fetching profile over HTTP from URL" on
 * stderr). Sets cli->fetched for a URL. */
pk_status cli_read_source(struct cli *cli, pk_profile **out, const char *source);

/* ---- fetch.c ------------------------------------------------------------------------------ */

/* Saves p, fetched, as pprof does: $PPROF_TMPDIR (default $HOME/pprof, else /tmp)/
 * pprof.<binary>.<type>...<NNN>.pb.gz, written through a temporary file and linked into place;
 * prints "Saved profile in PATH" on stderr (or why it could not). */
void cli_save_fetched(struct cli *cli, const pk_profile *p);

/* ---- output.c ----------------------------------------------------------------------------- */

struct cli_out {
	FILE *f;
	char *path;       /* the file to replace; NULL: standard output or direct */
	char *tmp;        /* the temporary file beside path */
	const char *name; /* the FILE of -o as given; NULL: standard output */
	int direct;       /* writing in place: not a regular file */
	int err;          /* errno of the first write error, 0 if none */
	pk_writer w;
};
/* Opens path for writing through a temporary file beside it (NULL: standard output).
 * Returns 0, or -1 with the error printed. */
int cli_out_open(struct cli_out *o, const char *path);
/* 1 when out names an existing regular file that is one of paths[0..n) (same device and
 * inode): -o must not write over an input profile. */
int cli_out_is_input(const char *out, char *const *paths, size_t n);
/* Flushes and, for a file, closes and renames it into place. Returns 0, or -1 with the
 * error printed and the temporary file removed. */
int cli_out_commit(struct cli_out *o);
/* Removes the temporary file; nothing for standard output. */
void cli_out_abort(struct cli_out *o);

/* ---- run.c -------------------------------------------------------------------------------- */

/* Checks argc against cmd's positional arguments: nargs leading arguments (RE; taken from
 * the -CMD=RE flag instead when that form was used) and then PROFILEs. Returns 0 or a usage
 * error (printed), CLI_EXIT_USAGE. */
int cli_check_args(const struct pk_cmd *cmd, const struct cli *cli, int argc);
/* Loads the profiles, writes report fmt to the output and returns the exit status. */
int cli_report(struct cli *cli, pk_format fmt, char *const *profiles, int n);
/* The common body of a subcommand: RE from the arguments or the flag, then cli_report. */
int cli_run_simple(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv);

/* ---- the subcommands ---------------------------------------------------------------------- */
int cmd_diff(const struct pk_cmd *, struct cli *, int, char **);
int cmd_capture(const struct pk_cmd *, struct cli *, int, char **);

/* ---- shell.c ------------------------------------------------------------------------------ */

/* The interactive (pprof) shell on the profiles argv[0..argc): commands from a terminal with
 * line editing, or one per line from standard input. Returns the exit status. */
int cli_shell(struct cli *cli, int argc, char **argv);
int cmd_flame(const struct pk_cmd *, struct cli *, int, char **);
int cmd_compare(const struct pk_cmd *, struct cli *, int, char **);
int cmd_trend(const struct pk_cmd *, struct cli *, int, char **);
int cmd_check(const struct pk_cmd *, struct cli *, int, char **);
int cmd_html(const struct pk_cmd *, struct cli *, int, char **);
/* -http=[HOST]:PORT: the web UI (web.c), run as a command when no other is given. */
extern const struct pk_cmd cli_http_command;

extern const char cmd_diff_more[], cmd_compare_more[], cmd_trend_more[], cmd_check_more[],
    cmd_html_more[];

#endif
