/* tags.c - `pprofkit tags`: a summary of the sample labels, as go tool pprof -tags prints it.
 * Go: internal/report/report.go printTags.
 */
#include "cli.h"

const char cmd_tags_more[] =
    "For each label key, lists its values with the total value of the samples that carry\n"
    "them and their share. Numeric labels are shown in their units.\n";

int cmd_tags(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
