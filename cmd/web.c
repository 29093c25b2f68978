/* web.c - `pprofkit -http=[HOST]:PORT [FLAGS] PROFILE...` (the web UI) and
 * `pprofkit html [FLAGS] PROFILE... -o report.html` (its views in one file): the profiles are
 * loaded here once, as every command loads them, and handed to the front end (web/).
 *
 * Each input is read once (so '-', standard input, is fine). Under a base the profiles are
 * loaded in the -diff_base form (the base's samples labelled and negated): it is what the
 * flame graph splits into before and after (as cmd/flame.c loads it), what every view shows
 * under -diff_base, and its halves (pk_profile_split_base) are the compare table's OLD and
 * NEW. Under -base the views but the flame graph show the profile less the base: read from the
 * same form (pk_profile_base_groups marks which samples -base's merge would combine, and each
 * view of it reports as -base, pk_profile_as_base), so the server holds one form of the input
 * either way. Only when the profile itself carries the label pprof::base (a -diff_base result
 * read back), which leaves the form unable to tell the sides apart, is the profile less the
 * base made once from the halves as -base makes it, and held beside it.
 *
 * Mirrors go tool pprof's -http (internal/driver/webui.go) in what it offers, not in its code.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "web/web.h"

const char cmd_html_more[] =
    "Writes one HTML file with the views of the web UI (-http) computed for the flags given:\n"
    "the flame graph, the top table (sortable), the call graph (pan and zoom), and under\n"
    "-base or -diff_base the compare table. Everything is inside the file (no network): attach\n"
    "it to a post-mortem or keep it as a CI artifact. The search box works in the file; the\n"
    "Refine menu needs the server (pprofkit -http).\n";

struct loaded {
	pk_profile *profile, *diff;
	int as_base;
	char *title;
};

static void loaded_free(struct loaded *l)
{
	pk_profile_free(l->profile);
	pk_profile_free(l->diff);
	free(l->title);
}

/* The profile as every command loads it; under a base, the -diff_base form (under -base with
 * its groups, or else the profile less the base, from its halves). */
static pk_status load(struct cli *cli, struct loaded *l, char **paths, int n)
{
	if (!cli->n_base && !cli->n_diff_base) {
		/* Every view sums samples (top, flame, svg, peek, list; compare needs a base):
		 * one input may keep equal samples apart, as cli_report loads it for them. */
		static const pk_format views[] = {PK_FMT_TOP, PK_FMT_FLAME, PK_FMT_SVG, PK_FMT_PEEK,
		                                  PK_FMT_LIST};
		int sums = !cli->inputs && !cli_any_url(paths, (size_t)n);
		for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
			sums = sums && pk_format_sums(views[i], &cli->pk);
		cli->load_sums = sums;
		pk_status st = cli_load(cli, &l->profile, paths, (size_t)n);
		cli->load_sums = 0;
		return st;
	}
	char **base = cli->base;
	size_t n_base = cli->n_base;
	if (n_base) { /* -base read as -diff_base */
		cli->diff_base = base, cli->n_diff_base = n_base;
		cli->base = NULL, cli->n_base = 0;
	}
	pk_status st = cli_load(cli, &l->diff, paths, (size_t)n);
	if (n_base) {
		cli->base = base, cli->n_base = n_base;
		cli->diff_base = NULL, cli->n_diff_base = 0;
	}
	if (st != PK_OK || !n_base)
		return st;
	st = pk_profile_base_groups(cli->ctx, l->diff);
	if (st != PK_EUSAGE) {
		l->as_base = st == PK_OK;
		return st;
	}
	/* -base: the profile less the base, merged as -base merges them (normalized already). */
	pk_profile *old = NULL, *cur = NULL;
	st = pk_profile_split_base(cli->ctx, l->diff, &old, &cur);
	if (st == PK_OK)
		st = pk_profile_apply_base_take(cli->ctx, &l->profile, &cur, &old, PK_BASE_SUBTRACT,
		                                0);
	pk_profile_free(old);
	pk_profile_free(cur);
	return st;
}

static int prepare(struct cli *cli, struct loaded *l, struct pk_web *w, int argc, char **argv)
{
	if (argc <= 0)
		return cli_usage_error("no profile source specified");
	int stdin_count = 0;
	for (int i = 0; i < argc; i++)
		stdin_count += strcmp(argv[i], "-") == 0;
	for (size_t i = 0; i < cli->n_base; i++)
		stdin_count += strcmp(cli->base[i], "-") == 0;
	for (size_t i = 0; i < cli->n_diff_base; i++)
		stdin_count += strcmp(cli->diff_base[i], "-") == 0;
	if (stdin_count > 1)
		return cli_usage_error("standard input ('-') can be read only once");
	if (cli->normalize && !cli->n_base && !cli->n_diff_base)
		return cli_usage_error("must have base profile to normalize by");
	pk_status st = load(cli, l, argv, argc);
	if (st != PK_OK)
		return cli_lib_error(cli, st);
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	l->title = malloc(len);
	if (!l->title) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	size_t at = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (i)
			l->title[at++] = ' ';
		memcpy(l->title + at, argv[i], n);
		at += n;
	}
	l->title[at] = '\0';
	w->profile = l->profile ? l->profile : l->diff;
	w->flame = l->profile ? l->diff : NULL;
	w->diff = l->diff;
	w->as_base = l->as_base;
	w->opt = &cli->pk;
	w->title = l->title;
	w->timeout = cli->http_timeout;
	w->cancel = NULL;
	w->lock = NULL; /* the server sets its own */
	return CLI_EXIT_OK;
}

static int cmd_http(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	struct loaded l = {0};
	struct pk_web w;
	(void)cmd;
	if (!pk_web_addr_ok(cli->http))
		return cli_usage_error("-http=%s: give [HOST]:PORT, as in -http=:8080 or "
		                       "-http=0.0.0.0:8080",
		                       cli->http);
	int rc = prepare(cli, &l, &w, argc, argv);
	if (rc == CLI_EXIT_OK)
		rc = pk_web_serve(&w, cli->http, cli->no_browser, stderr);
	loaded_free(&l);
	return rc;
}

/* Not a row of the command table: `-http` is a flag, as in go tool pprof. */
const struct pk_cmd cli_http_command = {"-http", NULL,         cmd_http,     0, 0, 0,
                                        0,       "PROFILE...", "the web UI", ""};

int cmd_html(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	struct loaded l = {0};
	struct pk_web w;
	struct cli_out out;
	(void)cmd;
	int rc = prepare(cli, &l, &w, argc, argv);
	if (rc != CLI_EXIT_OK) {
		loaded_free(&l);
		return rc;
	}
	if (cli_out_open(&out, cli->output) != 0) {
		loaded_free(&l);
		return CLI_EXIT_FAIL;
	}
	char err[1024];
	pk_status st = pk_web_html(&w, &out.w, err, sizeof err);
	loaded_free(&l);
	if (st != PK_OK) {
		cli_out_abort(&out);
		if (out.err && out.name)
			cli_error("%s: write: %s", out.name, strerror(out.err));
		else if (out.err)
			cli_error("write error: %s", strerror(out.err));
		else if (st == PK_EUSAGE)
			return cli_usage_error("%s", err);
		else
			cli_error("%s", err);
		return CLI_EXIT_FAIL;
	}
	return cli_out_commit(&out) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
