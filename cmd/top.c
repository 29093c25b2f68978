/* top.c - `pprofkit top`: the flat/cumulative table (alias text), as go tool pprof -top prints it.
 * Go: internal/report/report.go printText, TextItems.
 */
#include "cli.h"

const char cmd_top_more[] =
    "Lists the heaviest entries: functions by default, or files, lines or addresses with a\n"
    "granularity flag. flat is the value of the entry itself, cum adds everything it calls.\n"
    "Sorted by flat unless -cum. There is no entry limit unless -nodecount=N, but entries\n"
    "under -nodefraction of the total are dropped; the header says how many.\n";

int cmd_top(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
