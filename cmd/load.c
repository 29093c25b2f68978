/* load.c - PROFILE arguments and -base/-diff_base files to one pk_profile, through the library:
 * read each, merge them (always, even one: pprof does), the same for the bases, apply the base,
 * finish.
 *
 * Mirrors go tool pprof's internal/driver/fetch.go (fetchProfiles, chunkedGrab,
 * concurrentGrab, combineProfiles). Divergence: pprof carries on when some sources fail to
 * load ("Fetched 1 source profiles out of 2"); pprofkit stops at the first bad file, so a
 * report never silently leaves out an input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

pk_status cli_read_source(struct cli *cli, pk_profile **out, const char *source)
{
	if (strcmp(source, "-") != 0 && pk_source_is_url(source)) {
		pk_fetch_options fo = PK_FETCH_OPTIONS_INIT;
		char *url = NULL;
		pk_status st;
		fo.seconds = cli->seconds;
		fo.timeout = cli->timeout;
		*out = NULL;
		if ((st = pk_url_resolve(cli->ctx, source, &fo, &url, NULL)) != PK_OK)
			return st;
		cli_progress_clear();
		fprintf(stderr, "Fetching profile over HTTP from %s\n", url);
		if (fo.seconds > 0)
			fprintf(stderr, "Please wait... (%ds)\n", fo.seconds);
		free(url);
		cli->fetched = 1;
		return pk_profile_fetch(cli->ctx, out, source, &fo);
	}
	return pk_profile_read(cli->ctx, out, source);
}

/* Reads paths[0..n) and merges them into *out. */
static pk_status read_merged(struct cli *cli, pk_profile **out, char *const *paths, size_t n)
{
	pk_ctx *ctx = cli->ctx;
	pk_status st = PK_OK;
	pk_profile **in = calloc(n, sizeof *in);
	*out = NULL;
	if (!in)
		return PK_ENOMEM;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		st = cli_read_source(cli, &in[i], paths[i]);
		if (st == PK_OK)
			st = pk_profile_prepare(ctx, in[i]);
	}
	if (st == PK_OK)
		st = pk_profile_merge(ctx, out, in, n);
	for (size_t i = 0; i < n; i++)
		pk_profile_free(in[i]);
	free(in);
	return st;
}

pk_status cli_load(struct cli *cli, pk_profile **out, char *const *paths, size_t n)
{
	pk_profile *p = NULL, *base = NULL, *diffed = NULL;
	char *const *bases = cli->n_base ? cli->base : cli->diff_base;
	size_t n_bases = cli->n_base ? cli->n_base : cli->n_diff_base;
	pk_status st;

	*out = NULL;
	if (cli->preloaded) /* the shell: every report on a copy of the profile loaded once */
		return pk_profile_copy(cli->ctx, out, cli->preloaded);
	st = read_merged(cli, &p, paths, n);
	if (st != PK_OK)
		goto done;
	if (n_bases) {
		st = read_merged(cli, &base, bases, n_bases);
		if (st != PK_OK)
			goto done;
		st = pk_profile_apply_base(cli->ctx, &diffed, p, base,
		                           cli->n_base ? PK_BASE_SUBTRACT : PK_BASE_DIFF,
		                           cli->normalize);
		if (st != PK_OK)
			goto done;
		pk_profile_free(p);
		p = diffed;
		diffed = NULL;
	}
	st = pk_profile_finish(cli->ctx, p);
	if (st != PK_OK)
		goto done;
	if (cli->fetched)
		cli_save_fetched(cli, p);
	*out = p;
	p = NULL;
done:
	cli_progress_clear();
	pk_profile_free(diffed);
	pk_profile_free(base);
	pk_profile_free(p);
	return st;
}
