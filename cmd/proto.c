/* proto.c - `pprofkit proto`: the resulting profile as gzipped protobuf, as go tool pprof -proto
 * writes it. Go: internal/report/report.go Generate (Proto), profile/profile.go Write.
 */
#include "cli.h"

const char cmd_proto_more[] =
    "Writes the merged, diffed and filtered profile back as gzipped profile.proto, for\n"
    "go tool pprof or another pprofkit run. It is not written to a terminal: use -o FILE\n"
    "or redirect standard output.\n";

int cmd_proto(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	return cli_run_simple(cmd, cli, argc, argv);
}
