/* raw.c - `pprofkit raw`: a text dump of the profile, as go tool pprof -raw prints it.
 * Go: profile/profile.go String.
 */
#include "cli.h"

const char cmd_raw_more[] =
    "Dumps the profile as text: its header, the samples with their values, locations and\n"
    "labels, then the locations and the mappings. Times are printed in local time: set\n"
    "TZ=UTC for output that does not depend on the machine.\n";

int cmd_raw(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
