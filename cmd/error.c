/* error.c - how the command reports failures on standard error: "pprofkit: MESSAGE", a usage
 * error's hint line naming the command, and the library's status mapped to the exit status
 * (usage 2, everything else 1). The progress line is erased first (progress.c).
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

/* The command whose usage the hint line points to, once known. */
static const struct pk_cmd *hint_cmd;

void cli_set_usage_hint(const struct pk_cmd *cmd)
{
	hint_cmd = cmd;
}

/* "pprofkit: MESSAGE" on a line of its own, the progress line erased first. */
static void message(const char *fmt, va_list ap)
{
	cli_progress_clear();
	fputs("pprofkit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
	if (hint_cmd)
		fprintf(stderr, "Run 'pprofkit help %s' for usage.\n", hint_cmd->name);
	else
		fputs("Run 'pprofkit help' for usage.\n", stderr);
	return CLI_EXIT_USAGE;
}

int cli_lib_error(struct cli *cli, pk_status st)
{
	static const char *const generic[] = {
	    "error",        "out of memory", "input/output error", "not a valid profile",
	    "over a limit", "bad usage"};
	const char *msg = cli->message[0] ? cli->message : cli->ctx ? pk_ctx_message(cli->ctx) : "";
	if (!msg || !*msg)
		msg = (unsigned)st < sizeof generic / sizeof *generic ? generic[st] : "error";
	if (st == PK_EUSAGE) /* a bad option: with the hint, as every usage error */
		return cli_usage_error("%s", msg);
	cli_error("%s", msg);
	return CLI_EXIT_FAIL;
}
