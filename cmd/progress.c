/* progress.c - the context's callbacks as the command installs them: warnings on standard
 * error as "pprofkit: MESSAGE", and, only when standard error is a terminal, one progress line
 * redrawn in place and erased before anything else is printed.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

/* The progress line: drawn only when stderr is a terminal; its width, to erase it. */
static struct {
	int drawn;
} progress;

void cli_progress_clear(void)
{
	if (progress.drawn > 0) {
		fprintf(stderr, "\r%*s\r", progress.drawn, "");
		fflush(stderr);
	}
	progress.drawn = 0;
}

static void on_progress(void *payload, const char *what, uint64_t done, uint64_t total)
{
	char line[256];
	int n, width = 80;
	struct winsize ws;
	(void)payload;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		width = ws.ws_col;
	if (total)
		n = snprintf(line, sizeof line, "%s: %3.0f%%", what,
		             100.0 * (double)(done > total ? total : done) / (double)total);
	else
		n = snprintf(line, sizeof line, "%s: %.1f MB", what, (double)done / 1e6);
	if (n < 0)
		return;
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	if (n > width - 1) /* a wrapped line cannot be erased with \r */
		n = width - 1;
	line[n] = '\0';
	if (progress.drawn > n) /* blank what is left of a longer line */
		n = snprintf(line + n, sizeof line - (size_t)n, "%*s", progress.drawn - n, "") + n;
	fprintf(stderr, "\r%s", line);
	fflush(stderr);
	progress.drawn = n;
}

static void on_warning(void *payload, const char *msg)
{
	(void)payload;
	cli_warning("%s", msg);
}

void cli_install_callbacks(struct cli *cli)
{
	pk_ctx_on_warning(cli->ctx, on_warning, NULL);
	if (isatty(STDERR_FILENO))
		pk_ctx_on_progress(cli->ctx, on_progress, NULL);
}
