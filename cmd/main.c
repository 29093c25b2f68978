/* main.c - `pprofkit COMMAND [FLAGS] PROFILE...` and `pprofkit -COMMAND [FLAGS] PROFILE...`:
 * finds the command, parses the flags, runs the command, maps the outcome to the exit status
 * (0 done, 1 bad input or I/O error, 2 usage) and checks that standard output was written.
 *
 * Mirrors go tool pprof's cmd/pprof/pprof.go (main) and internal/driver/cli.go (parseFlags).
 * Divergences: pprof exits 2 for every error; pprofkit exits 1 for bad input and I/O errors.
 * Without a command, PROFILEs open the interactive shell (shell.c), as in pprof; a first
 * argument that is neither a command nor an existing file or URL is an unknown command.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char flag_rules[] =
    "Every flag applies to every command. A flag takes one or two dashes; its value follows\n"
    "'=' or comes as the next argument (-focus=RE, --focus RE). A boolean flag alone means\n"
    "true; give it a value with '=' (-trim=false). '_' in a name may be written '-'\n"
    "(-sample-index). Flags may come before or after the PROFILE arguments; '--' ends them.\n";

static void print_command_lines(FILE *f)
{
	for (const struct pk_cmd *c = cli_commands; c->name; c++) {
		char left[64];
		snprintf(left, sizeof left, "%s %s", c->name, c->synopsis);
		fprintf(f, "  %-22s  %s", left, c->help);
		for (const char *const *a = c->aliases; a && *a; a++)
			fprintf(f, " (alias: %s)", *a);
		fputc('\n', f);
	}
}

void cli_print_usage(FILE *f, const struct pk_cmd *cmd)
{
	if (cmd) {
		const char *rest = cmd->synopsis;
		fprintf(f, "usage: pprofkit %s [FLAGS] %s\n", cmd->name, cmd->synopsis);
		if (cmd->takes_re && (rest = strchr(cmd->synopsis, ' ')))
			fprintf(f, "       pprofkit -%s=RE [FLAGS]%s\n", cmd->name, rest);
		else
			fprintf(f, "       pprofkit -%s [FLAGS] %s\n", cmd->name, cmd->synopsis);
		fprintf(f, "\n%c%s.\n\n%s\n%s", toupper((unsigned char)cmd->help[0]), cmd->help + 1,
		        cmd->more, flag_rules);
		cli_print_flags(f);
		return;
	}
	fputs(
	    "usage: pprofkit COMMAND [FLAGS] PROFILE...\n"
	    "       pprofkit -COMMAND [FLAGS] PROFILE...\n"
	    "       pprofkit [FLAGS] PROFILE...      (no command: the interactive (pprof) shell)\n"
	    "       pprofkit -http=[HOST]:PORT [FLAGS] PROFILE...   (the web UI)\n"
	    "       pprofkit help [COMMAND]\n"
	    "\n"
	    "Reads pprof profiles (protobuf, gzipped or not; '-' is standard input; a URL such as\n"
	    "http://localhost:6060/debug/pprof/heap or localhost:6060 is fetched), merges them\n"
	    "into one and prints the report COMMAND names, as `go tool pprof -COMMAND` does.\n"
	    "Without a COMMAND, the (pprof) shell reads commands (top 20, list RE, svg >FILE,\n"
	    "sample_index=NAME, focus=RE, options, help, quit) from the terminal or, one a line,\n"
	    "from standard input.\n"
	    "\n"
	    "Commands:\n",
	    f);
	print_command_lines(f);
	fprintf(f, "\n%s", flag_rules);
	cli_print_flags(f);
	fputs("\nExit status: 0 on success, 1 for bad input or an I/O error, 2 for a usage "
	      "error.\n"
	      "Also: pprofkit --help, pprofkit --version. See pprofkit(1).\n",
	      f);
}

/* "unknown command 'tpo' (did you mean 'top'?)". */
static int unknown_command(const char *name)
{
	const char *near = cli_nearest_command(name);
	if (near)
		return cli_usage_error("unknown command '%s' (did you mean '%s'?)", name, near);
	return cli_usage_error("unknown command '%s'", name);
}

/* `pprofkit help [COMMAND]`. */
static int help(int argc, char **argv)
{
	const struct pk_cmd *c = NULL;
	if (argc > 1)
		return cli_usage_error("help takes at most one COMMAND");
	if (argc == 1 && !(c = cli_find_command(argv[0])))
		return unknown_command(argv[0]);
	cli_print_usage(stdout, c);
	return CLI_EXIT_OK;
}

static int run(struct cli *cli, int argc, char **argv)
{
	int npos = 0, rc;
	if (argc < 2) { /* nothing at all: what the command is for, and how to use it */
		cli_print_usage(stderr, NULL);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0)
		return help(argc - 2, argv + 2);
	if (strcmp(argv[1], "__complete") == 0) /* hidden: for completions/ */
		return cli_complete(argc - 2, argv + 2);
	if (argv[1][0] != '-' || argv[1][1] == '\0') {
		cli->cmd = cli_find_command(argv[1]);
		/* Not a command but a PROFILE: the shell (pprof: no command is interactive). */
		if (!cli->cmd && strcmp(argv[1], "-") != 0 && !pk_source_is_url(argv[1]) &&
		    access(argv[1], F_OK) != 0)
			return unknown_command(argv[1]);
		if (cli->cmd) {
			cli_set_usage_hint(cli->cmd);
			argc--, argv++;
		}
	}
	rc = cli_parse(cli, argc - 1, argv + 1, &npos);
	if (rc == CLI_PARSE_HELP) {
		cli_print_usage(stdout, cli->cmd ? cli->cmd : cli->flag_cmd);
		return CLI_EXIT_OK;
	}
	if (rc == CLI_PARSE_VERSION) {
		cli_print_version(stdout);
		return CLI_EXIT_OK;
	}
	if (rc != 0)
		return CLI_EXIT_USAGE;
	if (!cli->cmd)
		cli->cmd = cli->flag_cmd;
	cli_set_usage_hint(cli->cmd);
	if (cli_compat_flags(cli) != 0)
		return CLI_EXIT_USAGE;
	if (cli->http)
		cli->cmd = &cli_http_command;
	if (!cli->cmd && npos == 0)
		return cli_usage_error(
		    "no command given: name one, as in 'pprofkit top PROFILE' or "
		    "'pprofkit -top PROFILE', or give PROFILEs alone for the (pprof) shell");
	cli_set_usage_hint(cli->cmd);
	if (cli_finish_flags(cli) != 0)
		return CLI_EXIT_USAGE;
	cli->ctx = pk_ctx_new();
	if (!cli->ctx) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	if (cli->max_inflated)
		pk_ctx_set_max_inflated(cli->ctx, cli->max_inflated_bytes);
	pk_ctx_set_demangle(cli->ctx, cli->demangle);
	if (cli->folded_type && pk_ctx_set_folded_type(cli->ctx, cli->folded_type) != PK_OK)
		return cli_usage_error("%s", pk_ctx_message(cli->ctx));
	if (cli->goroutine_args)
		pk_ctx_set_goroutine_args(cli->ctx, 1);
	cli_install_callbacks(cli);
	if (!cli->cmd)
		return cli_shell(cli, npos, argv + 1);
	cli_cmd_fn fn = cli->cmd->run ? cli->cmd->run : cli_run_simple; /* NULL: the common path */
	return fn(cli->cmd, cli, npos, argv + 1);
}

/* A report that could not be written is a failure, even when the error shows only at
 * fflush or fclose (a full disk, /dev/full, a closed pipe). */
static int close_stdout(int rc)
{
	errno = 0;
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int err = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	if (failed && rc == CLI_EXIT_OK) {
		if (err)
			cli_error("write error: %s", strerror(err));
		else
			cli_error("write error");
		rc = CLI_EXIT_FAIL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli;
	cli_init(&cli);
	int rc = run(&cli, argc, argv);
	cli_free(&cli);
	pk_ctx_free(cli.ctx);
	return close_stdout(rc);
}
