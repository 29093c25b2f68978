/* load.c - PROFILE arguments and -base/-diff_base files to one pk_profile, through the library:
 * read each, merge them (always, even one: pprof does), the same for the bases, apply the base,
 * finish.
 *
 * Mirrors go tool pprof's internal/driver/fetch.go (fetchProfiles, chunkedGrab,
 * concurrentGrab, combineProfiles). Divergence: pprof carries on when some sources fail to
 * load ("Fetched 1 source profiles out of 2"); pprofkit stops at the first bad file, so a
 * report never silently leaves out an input.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Reads paths[0..n) and the bases[0..nb) (in a second thread: -threads), then merges each
 * group (always, even one: pprof does) into *out and *base; -inputs' list is merged into *out
 * after the paths. */
static pk_status read_merged(struct cli *cli, pk_profile **out, char *const *paths, size_t n,
                             pk_profile **base, char *const *bases, size_t nb)
{
	pk_ctx *ctx = cli->ctx;
	pk_status st = PK_OK;
	size_t total = n + nb;
	pk_profile **in = calloc(total ? total : 1, sizeof *in);
	const char **all = calloc(total ? total : 1, sizeof *all);
	*out = NULL;
	if (!in || !all) {
		free(in);
		free(all);
		return PK_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		all[i] = paths[i];
	for (size_t i = 0; i < nb; i++)
		all[n + i] = bases[i];
	st = pk_profiles_read(ctx, in, all, total, n, cli->threads == 0 ? 2 : cli->threads);
	if (st == PK_OK && n)
		st = pk_profile_merge_take(ctx, out, in, n); /* frees the inputs */
	if (st == PK_OK && cli->inputs) {
		/* Each step frees the previous result: with glibc's sliding mmap threshold those
		 * megabytes would come back as heap holes, peak RSS growing with the count (25 MB
		 * instead of 14 for 100 inputs of 1 MB). A fixed threshold keeps them mmap'd. */
		mallopt(M_MMAP_THRESHOLD, 128 * 1024);
		st = pk_profiles_merge_list(ctx, out, cli->inputs);
	}
	if (st == PK_OK && nb)
		st = pk_profile_merge_take(ctx, base, in + n, nb);
	for (size_t i = 0; i < total; i++)
		pk_profile_free(in[i]);
	free(in);
	free(all);
	return st;
}

pk_status cli_load(struct cli *cli, pk_profile **out, char *const *paths, size_t n)
{
	pk_profile *p = NULL, *base = NULL, *diffed = NULL;
	char *const *bases = cli->n_base ? cli->base : cli->diff_base;
	size_t n_bases = cli->n_base ? cli->n_base : cli->n_diff_base;
	pk_status st;

	*out = NULL;
	st = read_merged(cli, &p, paths, n, &base, bases, n_bases);
	if (st != PK_OK)
		goto done;
	if (n_bases) {
		st = pk_profile_apply_base_take(cli->ctx, &diffed, &p, &base,
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
