/* commands.c - the one command table: every subcommand, its aliases, handler, report format,
 * positional arguments and help. `pprofkit NAME`, `pprofkit -NAME`, `pprofkit help NAME` and
 * the usage text all come from these rows.
 *
 * Mirrors go tool pprof's internal/driver/commands.go (pprofCommands) for the commands pprofkit
 * has. Divergences: no interactive shell, no viewers (web, gv, ...), no binary-dependent
 * reports (disasm, weblist); `svg` renders in-process; `diff` is ours (top -diff_base OLD NEW).
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
    {"diff", NULL, cmd_diff, PK_FMT_TOP, 0, -1, 2, "OLD NEW",
     "what changed from OLD to NEW (top -diff_base OLD NEW)", cmd_diff_more},
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
