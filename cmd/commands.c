/* commands.c - the one command table: every subcommand, its aliases, handler, report format,
 * positional arguments and help. `pprofkit NAME`, `pprofkit -NAME`, `pprofkit help NAME` and
 * the usage text all come from these rows.
 *
 * Mirrors go tool pprof's internal/driver/commands.go (pprofCommands) for the commands pprofkit
 * has. Divergences: no viewers but the shell's web/weblist (shell.c), no binary-dependent
 * reports (disasm); `svg` renders in-process; `diff` (top -diff_base OLD NEW) and `capture`
 * (a snapshot series of URLs) are ours.
 */
#include <string.h>

#include "cli.h"

/* A NULL-terminated list of aliases. */
#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})

const struct pk_cmd cli_commands[] = {
    {"top", ALIASES("text"), NULL, PK_FMT_TOP, 0, 0, 0, "PROFILE...",
     "the heaviest functions as a flat/cumulative table",
     "Lists the heaviest entries: functions by default, or files, lines or addresses with a\n"
     "granularity flag. flat is the value of the entry itself, cum adds everything it calls.\n"
     "Sorted by flat unless -cum. There is no entry limit unless -nodecount=N, but entries\n"
     "under -nodefraction of the total are dropped; the header says how many.\n"},
    {"traces", NULL, NULL, PK_FMT_TRACES, 0, 0, 0, "PROFILE...",
     "every sample: its labels, value and stack",
     "Prints every sample of the profile: its labels, its value and its stack, innermost\n"
     "frame first, between dashed lines. Filters apply; trimming does not.\n"},
    {"peek", NULL, NULL, PK_FMT_PEEK, 1, 1, 0, "RE PROFILE...",
     "callers and callees of the functions matching RE",
     "For each function whose name matches RE, prints its callers above it and its callees\n"
     "below it, with the value that flows along each call. Trimming is off.\n"},
    {"list", NULL, NULL, PK_FMT_LIST, 1, 1, 0, "RE PROFILE...",
     "annotated source of the functions matching RE",
     "For each function whose name matches RE, prints its source with the flat and cum value\n"
     "of each line. Source files are read where the profile says they are, or under\n"
     "-source_path, after removing -trim_path. Granularity is lines; trimming is off.\n"},
    {"tree", NULL, NULL, PK_FMT_TREE, 0, 0, 0, "PROFILE...",
     "the call graph as text, one entry per node",
     "Prints the call graph as text: for each node, its callers, the node itself and its\n"
     "callees, with their values. Trimmed as graphs are (-nodecount defaults to 80).\n"},
    {"tags", NULL, NULL, PK_FMT_TAGS, 0, 0, 0, "PROFILE...",
     "a summary of every sample label (tag)",
     "For each label key, lists its values with the total value of the samples that carry\n"
     "them and their share. Numeric labels are shown in their units.\n"},
    {"raw", NULL, NULL, PK_FMT_RAW, 0, 0, 0, "PROFILE...", "a text dump of the whole profile",

     "Dumps the profile as text: its header, the samples with their values, locations and\n"
     "labels, then the locations and the mappings. Times are printed in local time: set\n"
     "TZ=UTC for output that does not depend on the machine.\n"},
    {"dot", NULL, NULL, PK_FMT_DOT, 0, 0, 0, "PROFILE...", "the call graph in DOT",

     "Writes the call graph in DOT: boxes sized by flat value, edges as thick as the value\n"
     "that flows along them; dotted edges stand for paths through nodes left out.\n"},
    {"svg", NULL, NULL, PK_FMT_SVG, 0, 0, 0, "PROFILE...", "the call graph rendered to SVG",

     "Renders the DOT call graph to SVG with the Graphviz libraries, in-process: no dot\n"
     "program is needed.\n"},
    {"proto", NULL, NULL, PK_FMT_PROTO, 0, 0, 0, "PROFILE...",
     "the resulting profile as gzipped protobuf",
     "Writes the merged, diffed and filtered profile back as gzipped profile.proto, for\n"
     "go tool pprof or another pprofkit run. It is not written to a terminal: use -o FILE\n"
     "or redirect standard output.\n"},
    {"comments", NULL, NULL, PK_FMT_COMMENTS, 0, 0, 0, "PROFILE...",
     "the comments recorded in the profile",
     "Prints the comments stored in the profile, one per line.\n"},
    {"flame", NULL, cmd_flame, PK_FMT_FLAME, 0, 0, 0, "PROFILE...",
     "an interactive flame graph as one self-contained SVG",
     "Writes a flame graph of the stacks as one SVG file that opens in any browser, with no\n"
     "network: the root at the bottom (-icicle: at the top), one row per stack depth, siblings\n"
     "sorted by name. Click a frame to zoom into it, \"Reset zoom\" (or Escape) to zoom out;\n"
     "the search box (Ctrl-F) takes a regular expression and shows the matched percent.\n"
     "Every frame's <rect> carries fg:x and fg:w: its offset and width in sample-value units.\n"
     "With -base or -diff_base OLD: a differential graph, red where the value grew, blue\n"
     "where it shrank; widths from NEW (-flame_width_from=old|new|max), and a stack that\n"
     "exists only in OLD keeps its old width.\n"},
    {"folded", NULL, NULL, PK_FMT_FOLDED, 0, 0, 0, "PROFILE...",
     "folded stacks: one \"root;...;leaf VALUE\" line per distinct stack",
     "Prints Brendan Gregg's folded stacks: one line per distinct stack, root first, frames\n"
     "joined by ';', a space and the value in the sample type's unit (or scaled by -unit).\n"
     "Lines are sorted. A ';' inside a frame name is written ':', a line break ' '.\n"},
    {"diff", NULL, cmd_diff, PK_FMT_TOP, 0, -1, 2, "OLD NEW",
     "what changed from OLD to NEW (top -diff_base OLD NEW)", cmd_diff_more},
    {"compare", NULL, cmd_compare, PK_FMT_COMPARE, 0, -1, 2, "OLD NEW",
     "per function: old, new, delta, delta %, status (new/gone/grew/shrank/same)",
     cmd_compare_more},
    {"trend", NULL, cmd_trend, PK_FMT_TREND, 0, 0, 0, "T0 T1 T2...",
     "snapshots in time order; functions ranked by a leak score", cmd_trend_more},
    {"check", NULL, cmd_check, PK_FMT_CHECK, 0, -1, 2, "OLD NEW",
     "CI gate: exit 3 when NEW grew beyond the limits given", cmd_check_more},
    {"goroutines", NULL, NULL, PK_FMT_GOROUTINES, 0, 0, 0, "DUMP...",
     "goroutines grouped by stack and state; with -diff_base OLD, which groups grew",
     "Reads goroutine dumps (goroutine?debug=2, panics, SIGQUIT output), goroutine?debug=1\n"
     "texts or goroutine profiles, and prints one block per group of goroutines with the same\n"
     "stack, state and labels: the count, the state, the range of wait times, the labels and\n"
     "the stack (leaf first; in a dump the last frame is the \"created by\" site), largest\n"
     "group first, after a line per state. -min_wait=DURATION keeps the goroutines that have\n"
     "waited at least DURATION. With -diff_base OLD, each group shows what it gained since\n"
     "OLD (+N (OLD -> NEW)), and the groups that grew come first: leaks. -args keeps the\n"
     "frames' arguments of a dump, so that goroutines with other arguments form other groups.\n"
     "-format=json|csv: the same groups, one object or row each.\n"},
    {"capture", NULL, cmd_capture, 0, 0, 0, 0, "URL...",
     "a series of snapshots of each URL, one every -every, for trend",
     "Fetches each URL (a PROFILE URL as for any command: http://HOST:PORT/debug/pprof/heap,\n"
     "HOST:PORT/debug/pprof/goroutine, ...) -count times, one round every -every (a Go duration:\n"
     "200ms, 30s, 5m, 1h30m; default 30s). -count=0 (the default) goes on until interrupted.\n"
     "Each snapshot is checked to be a profile and written, as fetched, to\n"
     "DIR/TYPE.YYYY-MM-DDTHH-MM-SS.mmmZ.pb.gz (DIR from -o, default the current directory;\n"
     "TYPE the last element of the URL's path, with HOST_PORT. in front when two URLs share it;\n"
     "the time is UTC, so the names sort in time order). The path of each snapshot is printed\n"
     "on standard output; on a terminal a progress line shows on standard error. A failed\n"
     "fetch is reported (pprofkit: URL: reason) and tried again at the next round. Ctrl-C\n"
     "stops the series cleanly, keeping what was written. Then: pprofkit trend DIR/heap.*\n"
     "Exit status 1 when a URL gave no snapshot at all.\n"},
    {"html", NULL, cmd_html, 0, 0, 0, 0, "PROFILE...",
     "the web UI's views (flame, top, graph, compare) in one self-contained HTML file",
     cmd_html_more},
    {NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct pk_cmd *cli_find_command(const char *name)
{
	for (const struct pk_cmd *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		for (const char *const *a = c->aliases; a && *a; a++)
			if (strcmp(*a, name) == 0)
				return c;
	}
	return NULL;
}
