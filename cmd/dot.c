/* dot.c - `pprofkit dot`: the call graph in Graphviz DOT, as go tool pprof -dot writes it.
 * Go: internal/graph/dotgraph.go ComposeDot, internal/report/report.go printDOT.
 */
#include "cli.h"

const char cmd_dot_more[] =
    "Writes the call graph in DOT: boxes sized by flat value, edges as thick as the value\n"
    "that flows along them; dotted edges stand for paths through nodes left out.\n";

int cmd_dot(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
