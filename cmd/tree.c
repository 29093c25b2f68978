/* tree.c - `pprofkit tree`: the call graph as text, as go tool pprof -tree prints it.
 * Go: internal/report/report.go printTree.
 */
#include "cli.h"

const char cmd_tree_more[] =
    "Prints the call graph as text: for each node, its callers, the node itself and its\n"
    "callees, with their values. Trimmed as graphs are (-nodecount defaults to 80).\n";

int cmd_tree(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
