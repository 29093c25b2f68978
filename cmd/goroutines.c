/* goroutines.c - `pprofkit goroutines`: goroutines grouped by stack and state (the library's
 * PK_FMT_GOROUTINES report, lib/report/goroutines.c). */
#include "cli.h"

const char cmd_goroutines_more[] =
    "Reads goroutine dumps (goroutine?debug=2, panics, SIGQUIT output), goroutine?debug=1\n"
    "texts or goroutine profiles, and prints one block per group of goroutines with the same\n"
    "stack, state and labels: the count, the state, the range of wait times, the labels and\n"
    "the stack (leaf first; in a dump the last frame is the \"created by\" site), largest\n"
    "group first, after a line per state. -min_wait=DURATION keeps the goroutines that have\n"
    "waited at least DURATION. With -diff_base OLD, each group shows what it gained since\n"
    "OLD (+N (OLD -> NEW)), and the groups that grew come first: leaks. -args keeps the\n"
    "frames' arguments of a dump, so that goroutines with other arguments form other groups.\n";

int cmd_goroutines(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
