/* flame.c - `pprofkit flame`: an interactive flame graph, one self-contained SVG (the report
 * is lib/report/flame.c; `folded` needs no handler of its own).
 *
 * Under -base the flame graph is differential, so it needs each frame's value before and
 * after. The library's -base merges the negated base into the profile, where a base sample
 * and a sample of the profile with the same stack become one sample holding the difference;
 * -diff_base keeps them apart by labelling the base samples pprof::base=true. So flame loads
 * the profile with -base as -diff_base (the labelled form) and the report splits the samples
 * by that label; -base and -diff_base give the same graph.
 */
#include "cli.h"

int cmd_flame(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	if (cli->n_base && !cli->n_diff_base) {
		cli->diff_base = cli->base;
		cli->n_diff_base = cli->n_base;
		cli->base = NULL;
		cli->n_base = 0;
	}
	return cli_run_simple(cmd, cli, argc, argv);
}
