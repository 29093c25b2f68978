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

/* After merging in[0..n) failed as not compatible: the first profile that cannot be merged
 * with the first one (go tool pprof names none; we name it). n when none is found. */
static size_t culprit(pk_ctx *ctx, pk_profile *const *in, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		pk_profile *pair[2] = {in[0], in[i]}, *m = NULL;
		pk_status st = pk_profile_merge(ctx, &m, pair, 2);
		pk_profile_free(m);
		if (st == PK_EFORMAT)
			return i;
	}
	return n;
}

/* Merges in[0..n), read from paths, into *out and frees them (one input: in place). When
 * merging fails, cli->message is the library's message with the failing file's name and go's
 * "problem fetching source profiles: " (what is "source" or "base"; go's base message ends
 * with a comma). */
static pk_status merge_read(struct cli *cli, pk_profile **out, pk_profile **in, char *const *paths,
                            size_t n, const char *what)
{
	pk_ctx *ctx = cli->ctx;
	pk_status st;
	if (n == 1 && cli->load_sums)
		return pk_profile_merge_take_sums(ctx, out, in, 1);
	if (n == 1)
		return pk_profile_merge_take(ctx, out, in, 1);
	st = pk_profile_merge(ctx, out, in, n);
	if (st == PK_EFORMAT && n > 1) {
		char msg[1100];
		snprintf(msg, sizeof msg, "%s", pk_ctx_message(ctx));
		size_t bad = culprit(ctx, in, n);
		snprintf(cli->message, sizeof cli->message,
		         "%s: problem fetching %s profiles: %s%s",
		         bad < n ? (strcmp(paths[bad], "-") ? paths[bad] : "<stdin>") : paths[0],
		         what, msg, strcmp(what, "base") ? "" : ",");
	}
	for (size_t i = 0; i < n; i++) {
		pk_profile_free(in[i]);
		in[i] = NULL;
	}
	return st;
}

/* Reads paths[0..n) and merges them into *out (nothing to read: *out stays NULL). */
static pk_status read_merged(struct cli *cli, pk_profile **out, char *const *paths, size_t n,
                             const char *what)
{
	pk_ctx *ctx = cli->ctx;
	pk_status st = PK_OK;
	*out = NULL;
	if (n == 0)
		return PK_OK;
	pk_profile **in = calloc(n, sizeof *in);
	if (!in)
		return PK_ENOMEM;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		st = cli_read_source(cli, &in[i], paths[i]);
		if (st == PK_OK)
			st = pk_profile_prepare(ctx, in[i]);
	}
	if (st == PK_OK)
		st = merge_read(cli, out, in, paths, n, what);
	for (size_t i = 0; i < n; i++)
		pk_profile_free(in[i]);
	free(in);
	return st;
}

int cli_any_url(char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], "-") != 0 && pk_source_is_url(paths[i]))
			return 1;
	return 0;
}

/* The same for the profiles and their bases at once, the bases read in a second thread
 * (-threads; files only): the same profiles and messages as read_merged of each in turn,
 * except that a bad base is reported before a merge failure of the profiles. */
static pk_status read_both(struct cli *cli, pk_profile **out, char *const *paths, size_t n,
                           pk_profile **base, char *const *bases, size_t nb)
{
	pk_status st;
	size_t total = n + nb;
	pk_profile **in = calloc(total, sizeof *in);
	const char **all = calloc(total, sizeof *all);
	*out = *base = NULL;
	if (!in || !all) {
		free(in);
		free(all);
		return PK_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		all[i] = paths[i];
	for (size_t i = 0; i < nb; i++)
		all[n + i] = bases[i];
	st = pk_profiles_read(cli->ctx, in, all, total, n, cli->threads == 0 ? 2 : cli->threads);
	if (st == PK_OK && n)
		st = merge_read(cli, out, in, paths, n, "source");
	if (st == PK_OK)
		st = merge_read(cli, base, in + n, bases, nb, "base");
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
	if (cli->preloaded) /* the shell: every report on a copy of the profile loaded once */
		return pk_profile_copy(cli->ctx, out, cli->preloaded);
	cli->message[0] = 0;
	if (n_bases && cli->threads != 1 && !cli_any_url(paths, n) &&
	    !cli_any_url(bases, n_bases)) {
		st = read_both(cli, &p, paths, n, &base, bases, n_bases);
	} else {
		st = read_merged(cli, &p, paths, n, "source");
		if (st == PK_OK && n_bases)
			st = read_merged(cli, &base, bases, n_bases, "base");
	}
	if (st == PK_OK && cli->inputs) {
		/* Each step frees the previous result: with glibc's sliding mmap threshold those
		 * megabytes would come back as heap holes, peak RSS growing with the count (25 MB
		 * instead of 14 for 100 inputs of 1 MB). A fixed threshold keeps them mmap'd. */
		mallopt(M_MMAP_THRESHOLD, 128 * 1024);
		st = pk_profiles_merge_list(cli->ctx, &p, cli->inputs);
	}
	if (st != PK_OK)
		goto done;
	if (n_bases) {
		st =
		    (cli->load_sums ? pk_profile_apply_base_take_sums : pk_profile_apply_base_take)(
		        cli->ctx, &diffed, &p, &base, cli->n_base ? PK_BASE_SUBTRACT : PK_BASE_DIFF,
		        cli->normalize);
		if (st == PK_EFORMAT) /* go's message as it is; the base named */
			snprintf(cli->message, sizeof cli->message, "%s: %s",
			         strcmp(bases[0], "-") ? bases[0] : "<stdin>",
			         pk_ctx_message(cli->ctx));
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
