/* diff.c - `pprofkit diff OLD NEW`: shorthand for `pprofkit top -diff_base OLD NEW`, the change
 * from OLD to NEW with percentages of OLD's total.
 * Go: internal/driver/fetch.go fetchProfiles (the -diff_base branch); not a pprof command.
 */
#include "cli.h"

const char cmd_diff_more[] =
    "Prints the top table of NEW minus OLD: the same as 'pprofkit top -diff_base OLD NEW'.\n"
    "Percentages are of OLD's total. Every flag applies, except -base and -diff_base: OLD is\n"
    "the base. With -normalize, OLD is first scaled to NEW's total.\n";

int cmd_diff(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	int rc = cli_check_args(cmd, cli, argc);
	if (rc != 0)
		return rc;
	if (cli->n_base || cli->n_diff_base)
		return cli_usage_error("diff: OLD is the base; -base and -diff_base cannot be "
		                       "given too");
	rc = cli_add_base(cli, 1, argv[0]);
	if (rc != 0)
		return rc;
	return cli_report(cli, cmd->fmt, argv + 1, 1);
}
