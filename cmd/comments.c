/* comments.c - `pprofkit comments`: the comments recorded in the profile, as go tool pprof
 * -comments prints them. Go: internal/report/report.go printComments.
 */
#include "cli.h"

const char cmd_comments_more[] = "Prints the comments stored in the profile, one per line.\n";

int cmd_comments(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
