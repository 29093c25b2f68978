/* snapshots.c - `pprofkit compare OLD NEW`, `pprofkit trend T0 T1 ... Tn` and
 * `pprofkit check OLD NEW`: reports on several snapshots of one program, each read on its own
 * (never merged) and prepared by the library with the same flags (pk_report_series).
 * Not in go tool pprof.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cmd_compare_more[] =
    "One row per function (or per -lines, -files, -filefunctions, -addresses; -stacks: per\n"
    "call stack): its value in OLD and in NEW, the change, the change as a percentage of OLD\n"
    "and a status: new, gone, grew, shrank or same. Flat values unless -cum. Sorted by the size\n"
    "of the change (-sort=delta|new|old|pct); -nodecount=N keeps the first N rows; the last row\n"
    "is the total of every sample left after the filters. Every filter, -sample_index, -unit,\n"
    "-divide_by and -normalize (NEW scaled to OLD's total) apply. -format=json|csv.\n";

const char cmd_trend_more[] =
    "Three or more snapshots of one program, ordered by their Time (argument order, with a\n"
    "warning, when a Time is missing or two are equal). For each function (granularity flags,\n"
    "-stacks, or -by_label=KEY): the values, growth over the span and per hour (least squares\n"
    "against the times), the share of steps that grew (up), the fit of a line (R2), its share\n"
    "of all growth, a sparkline (-ascii for plain ASCII). Ranked by the leak score\n"
    "100 * up * R2 * net * (3 + share) / 4 (0 unless it grew; net: rises minus falls over\n"
    "rises plus falls): steady growth ranks above size. See the man page.\n";

const char cmd_check_more[] =
    "A gate for CI: compares OLD and NEW as compare does and exits 3 when a limit is exceeded,\n"
    "printing the offending rows; 0 within limits; 1 for bad input; 2 for usage errors.\n"
    "Limits (any subset, at least one): -max_growth=PCT (growth of the total, in percent),\n"
    "-max_site_growth=AMOUNT (growth of one row's value: 1MB, 500ms, 100 for counts),\n"
    "-max_new=AMOUNT (a row absent from OLD that reaches AMOUNT in NEW). Filters such as\n"
    "-focus narrow the check to one subsystem.\n";

#define CLI_EXIT_LIMIT 3

static int run_series(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	if (cli->n_base || cli->n_diff_base)
		return cli_usage_error("%s: the snapshots are the arguments; -base and -diff_base "
		                       "cannot be given too",
		                       cmd->name);
	if (argc <= 0)
		return cli_usage_error("no profile source specified");
	int stdin_count = 0;
	for (int i = 0; i < argc; i++)
		stdin_count += strcmp(argv[i], "-") == 0;
	if (stdin_count > 1)
		return cli_usage_error("standard input ('-') can be read only once");
	pk_profile **p = calloc((size_t)argc, sizeof *p);
	if (!p) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	pk_status st = PK_OK;
	int rc = CLI_EXIT_OK;
	for (int i = 0; i < argc && st == PK_OK; i++)
		st = cli_load(cli, &p[i], &argv[i], 1);
	if (st != PK_OK) {
		rc = cli_lib_error(cli, st);
		goto done;
	}
	struct cli_out out;
	if (cli_out_open(&out, cli->output) != 0) {
		rc = CLI_EXIT_FAIL;
		goto done;
	}
	int exceeded = 0;
	st = pk_report_series(cli->ctx, p, (size_t)argc, cmd->fmt, &cli->pk, cli->normalize, &out.w,
	                      &exceeded);
	if (st != PK_OK) {
		rc = CLI_EXIT_FAIL;
		if (out.err && out.name)
			cli_error("%s: %s", out.name, strerror(out.err));
		else if (out.err)
			cli_error("write error: %s", strerror(out.err));
		else
			rc = cli_lib_error(cli, st);
		cli_out_abort(&out);
		goto done;
	}
	rc = cli_out_commit(&out) == 0 ? (exceeded ? CLI_EXIT_LIMIT : CLI_EXIT_OK) : CLI_EXIT_FAIL;
done:
	for (int i = 0; i < argc; i++)
		pk_profile_free(p[i]);
	free(p);
	return rc;
}

int cmd_compare(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	int rc = cli_check_args(cmd, cli, argc);
	return rc != 0 ? rc : run_series(cmd, cli, argc, argv);
}

int cmd_check(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	int rc = cli_check_args(cmd, cli, argc);
	if (rc != 0)
		return rc;
	if (cli->pk.max_growth < 0 && !(cli->pk.max_site_growth && *cli->pk.max_site_growth) &&
	    !(cli->pk.max_new && *cli->pk.max_new))
		return cli_usage_error("check: give at least one limit: -max_growth=PCT, "
		                       "-max_site_growth=AMOUNT or -max_new=AMOUNT");
	return run_series(cmd, cli, argc, argv);
}

int cmd_trend(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	int rc = cli_check_args(cmd, cli, argc);
	if (rc != 0)
		return rc;
	if (argc < 3)
		return cli_usage_error("trend takes three or more snapshots, not %d", argc);
	return run_series(cmd, cli, argc, argv);
}
