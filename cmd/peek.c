/* peek.c - `pprofkit peek`: callers and callees of the functions matching RE, as go tool pprof
 * -peek=RE. Go: internal/report/report.go printTree (with a symbol), driver.go
 * applyCommandOverrides.
 */
#include "cli.h"

const char cmd_peek_more[] =
    "For each function whose name matches RE, prints its callers above it and its callees\n"
    "below it, with the value that flows along each call. Trimming is off.\n";

int cmd_peek(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
