/* run.c - what every subcommand does once its own arguments are checked: load the profiles,
 * write one report to the output, report failures, free everything on every path.
 *
 * Mirrors go tool pprof's internal/driver/driver.go (PProf, generateReport); the steps inside
 * the report (overrides, filters, aggregation) are the library's (lib/pipeline.c).
 */
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_check_args(const struct pk_cmd *cmd, const struct cli *cli, int argc)
{
	if (cmd->nargs < 0) {
		if (argc != cmd->profiles)
			return cli_usage_error("%s takes %d arguments (%s), not %d", cmd->name,
			                       cmd->profiles, cmd->synopsis, argc);
		return 0;
	}
	int need = cmd->takes_re && cli->flag_re ? 0 : cmd->nargs;
	if (argc < need)
		return cli_usage_error("%s: missing RE (usage: pprofkit %s [FLAGS] %s)", cmd->name,
		                       cmd->name, cmd->synopsis);
	if (argc == need && need > 0 && !cli->inputs)
		return cli_usage_error(
		    "%s: missing PROFILE after RE (usage: pprofkit %s [FLAGS] %s)", cmd->name,
		    cmd->name, cmd->synopsis);
	if (argc == need && !cli->inputs)
		return cli_usage_error("no profile source specified");
	return 0;
}

/* Standard input can be read once. */
static int count_stdin(char *const *paths, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += strcmp(paths[i], "-") == 0;
	return c;
}

int cli_report(struct cli *cli, pk_format fmt, char *const *profiles, int n)
{
	pk_profile *p = NULL;
	struct cli_out out;
	pk_status st;

	if (count_stdin(profiles, (size_t)n) + count_stdin(cli->base, cli->n_base) +
	        count_stdin(cli->diff_base, cli->n_diff_base) >
	    1)
		return cli_usage_error("standard input ('-') can be read only once");
	if (cli->normalize && !cli->n_base && !cli->n_diff_base)
		return cli_usage_error("must have base profile to normalize by");
	if (fmt == PK_FMT_PROTO && !cli->output && isatty(STDOUT_FILENO))
		return cli_usage_error("not writing a binary profile to a terminal: use -o FILE "
		                       "or redirect the output");

	if (cli_out_is_input(cli->output, profiles, (size_t)n) ||
	    cli_out_is_input(cli->output, cli->base, cli->n_base) ||
	    cli_out_is_input(cli->output, cli->diff_base, cli->n_diff_base)) {
		cli_error("%s: is an input profile: not writing the report over it", cli->output);
		return CLI_EXIT_FAIL;
	}
	cli->load_sums = pk_format_sums(fmt, &cli->pk) && !cli->n_base && !cli->inputs &&
	                 !cli_any_url(profiles, (size_t)n) &&
	                 !cli_any_url(cli->diff_base, cli->n_diff_base);
	st = cli_load(cli, &p, profiles, (size_t)n);
	cli->load_sums = 0;
	if (st != PK_OK)
		return cli_lib_error(cli, st);
	if (cli_out_open(&out, cli->output) != 0) {
		pk_profile_free(p);
		return CLI_EXIT_FAIL;
	}
	st = pk_report(cli->ctx, p, fmt, &cli->pk, &out.w);
	pk_profile_free(p);
	if (st != PK_OK) {
		int rc = CLI_EXIT_FAIL;
		if (out.err && out.name)
			cli_error("%s: write: %s", out.name, strerror(out.err));
		else if (out.err)
			cli_error("write error: %s", strerror(out.err));
		else
			rc = cli_lib_error(cli, st);
		cli_out_abort(&out);
		return rc;
	}
	return cli_out_commit(&out) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int cli_run_simple(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	int rc = cli_check_args(cmd, cli, argc);
	if (rc != 0)
		return rc;
	if (cmd->takes_re) {
		if (!cli->flag_re) {
			cli->flag_re = argv[0];
			argv++, argc--;
		}
		if (!*cli->flag_re)
			return cli_usage_error("%s: RE is empty", cmd->name);
		cli->pk.symbol = cli->flag_re;
	}
	return cli_report(cli, cmd->fmt, argv, argc);
}
