/* svg.c - `pprofkit svg`: the call graph rendered to SVG in-process, like go tool pprof -svg.
 * Go: internal/driver/commands.go massageDotSVG, internal/driver/svg.go.
 */
#include "cli.h"

const char cmd_svg_more[] =
    "Renders the DOT call graph to SVG with the Graphviz libraries, in-process: no dot\n"
    "program is needed.\n";

int cmd_svg(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
