/* list.c - `pprofkit list`: annotated source of the functions matching RE, as go tool pprof
 * -list=RE. Go: internal/report/source.go printSource, driver.go applyCommandOverrides.
 */
#include "cli.h"

const char cmd_list_more[] =
    "For each function whose name matches RE, prints its source with the flat and cum value\n"
    "of each line. Source files are read where the profile says they are, or under\n"
    "-source_path, after removing -trim_path. Granularity is lines; trimming is off.\n";

int cmd_list(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
