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

/* Reads paths[0..n) and merges them into *out. */
static pk_status read_merged(pk_ctx *ctx, pk_profile **out, char *const *paths, size_t n)
{
	pk_status st = PK_OK;
	pk_profile **in = calloc(n, sizeof *in);
	*out = NULL;
	if (!in)
		return PK_ENOMEM;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		st = pk_profile_read(ctx, &in[i], paths[i]);
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
	st = read_merged(cli->ctx, &p, paths, n);
	if (st != PK_OK)
		goto done;
	if (n_bases) {
		st = read_merged(cli->ctx, &base, bases, n_bases);
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
	*out = p;
	p = NULL;
done:
	cli_progress_clear();
	pk_profile_free(diffed);
	pk_profile_free(base);
	pk_profile_free(p);
	return st;
}
