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
    {"top", ALIASES("text"), cmd_top, PK_FMT_TOP, 0, 0, 0, "PROFILE...",
     "the heaviest functions as a flat/cumulative table", cmd_top_more},
    {"traces", NULL, cmd_traces, PK_FMT_TRACES, 0, 0, 0, "PROFILE...",
     "every sample: its labels, value and stack", cmd_traces_more},
    {"peek", NULL, cmd_peek, PK_FMT_PEEK, 1, 1, 0, "RE PROFILE...",
     "callers and callees of the functions matching RE", cmd_peek_more},
    {"list", NULL, cmd_list, PK_FMT_LIST, 1, 1, 0, "RE PROFILE...",
     "annotated source of the functions matching RE", cmd_list_more},
    {"tree", NULL, cmd_tree, PK_FMT_TREE, 0, 0, 0, "PROFILE...",
     "the call graph as text, one entry per node", cmd_tree_more},
    {"tags", NULL, cmd_tags, PK_FMT_TAGS, 0, 0, 0, "PROFILE...",
     "a summary of every sample label (tag)", cmd_tags_more},
    {"raw", NULL, cmd_raw, PK_FMT_RAW, 0, 0, 0, "PROFILE...", "a text dump of the whole profile",
     cmd_raw_more},
    {"dot", NULL, cmd_dot, PK_FMT_DOT, 0, 0, 0, "PROFILE...", "the call graph in DOT",
     cmd_dot_more},
    {"svg", NULL, cmd_svg, PK_FMT_SVG, 0, 0, 0, "PROFILE...", "the call graph rendered to SVG",
     cmd_svg_more},
    {"proto", NULL, cmd_proto, PK_FMT_PROTO, 0, 0, 0, "PROFILE...",
     "the resulting profile as gzipped protobuf", cmd_proto_more},
    {"comments", NULL, cmd_comments, PK_FMT_COMMENTS, 0, 0, 0, "PROFILE...",
     "the comments recorded in the profile", cmd_comments_more},
    {"diff", NULL, cmd_diff, PK_FMT_TOP, 0, -1, 2, "OLD NEW",
     "what changed from OLD to NEW (top -diff_base OLD NEW)", cmd_diff_more},
    {"capture", NULL, cmd_capture, 0, 0, 0, 0, "URL...",
     "a series of snapshots of each URL, one every -every, for trend", cmd_capture_more},
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
