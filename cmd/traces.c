/* traces.c - `pprofkit traces`: every sample, its labels and stack, as go tool pprof -traces prints
 * them. Go: internal/report/report.go printTraces.
 */
#include "cli.h"

const char cmd_traces_more[] =
    "Prints every sample of the profile: its labels, its value and its stack, innermost\n"
    "frame first, between dashed lines. Filters apply; trimming does not.\n";

int cmd_traces(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
