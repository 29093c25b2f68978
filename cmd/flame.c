/* flame.c - `pprofkit flame`: an interactive flame graph, one self-contained SVG, and
 * `pprofkit folded`: folded stacks. The reports are lib/report/flame.c.
 *
 * Under -base the flame graph is differential, so it needs each frame's value before and
 * after. The library's -base merges the negated base into the profile, where a base sample
 * and a sample of the profile with the same stack become one sample holding the difference;
 * -diff_base keeps them apart by labelling the base samples pprof::base=true. So flame loads
 * the profile with -base as -diff_base (the labelled form) and the report splits the samples
 * by that label; -base and -diff_base give the same graph.
 */
#include "cli.h"

const char cmd_flame_more[] =
    "Writes a flame graph of the stacks as one SVG file that opens in any browser, with no\n"
    "network: the root at the bottom (-icicle: at the top), one row per stack depth, siblings\n"
    "sorted by name. Click a frame to zoom into it, \"Reset zoom\" (or Escape) to zoom out;\n"
    "the search box (Ctrl-F) takes a regular expression and shows the matched percent.\n"
    "Every frame's <rect> carries fg:x and fg:w: its offset and width in sample-value units.\n"
    "With -base or -diff_base OLD: a differential graph, red where the value grew, blue\n"
    "where it shrank; widths from NEW (-flame_width_from=old|new|max), and a stack that\n"
    "exists only in OLD keeps its old width.\n";

const char cmd_folded_more[] =
    "Prints Brendan Gregg's folded stacks: one line per distinct stack, root first, frames\n"
    "joined by ';', a space and the value in the sample type's unit (or scaled by -unit).\n"
    "Lines are sorted. A ';' inside a frame name is written ':', a line break ' '.\n";

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

int cmd_folded(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
