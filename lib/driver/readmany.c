/* readmany.c - reading several profiles on two cores: the profile's inputs in this thread, its
 * -base/-diff_base inputs in a second one (each read, inflated, decoded and prepared as
 * pk_profile_read + pk_profile_prepare do). The result is the same as reading them one after
 * the other: the same profiles, the first failure in path order, warnings in path order (the
 * second thread's are held and passed on after the first part's). Mirrors go tool pprof's
 * concurrentGrab (internal/driver/fetch.go), which fetches every source in its own goroutine.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

typedef struct part {
	pk_ctx ctx; /* the caller's settings; its own message and warnings */
	pk_profile **out;
	const char *const *paths;
	size_t n;
	pk_status st;
	pk_sb warnings; /* each warning followed by a NUL */
} part;

static void hold_warning(void *payload, const char *msg)
{
	part *w = payload;
	pk_sb_cstr(&w->warnings, msg);
	pk_sb_bytes(&w->warnings, "", 1);
}

static pk_status read_part(pk_ctx *ctx, pk_profile **out, const char *const *paths, size_t n)
{
	pk_status st = PK_OK;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		st = pk_profile_read(ctx, &out[i], paths[i]);
		if (st == PK_OK)
			st = pk_profile_prepare(ctx, out[i]);
	}
	return st;
}

static void *run_part(void *arg)
{
	part *w = arg;
	w->st = read_part(&w->ctx, w->out, w->paths, w->n);
	return NULL;
}

PK_API pk_status pk_profiles_read(pk_ctx *ctx, pk_profile **out, const char *const *paths, size_t n,
                                  size_t split, int threads)
{
	pk_status st;
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	if (split > n)
		split = n;
	if (threads < 2 || split == 0 || split == n)
		return read_part(ctx, out, paths, n);
	part w = {.ctx = *ctx, .out = out + split, .paths = paths + split, .n = n - split};
	w.ctx.warn_fn = hold_warning;
	w.ctx.warn_payload = &w;
	w.ctx.progress_fn = NULL; /* one progress line: this thread's */
	pthread_t t;
	if (pthread_create(&t, NULL, run_part, &w) != 0)
		return read_part(ctx, out, paths, n);
	st = read_part(ctx, out, paths, split);
	pthread_join(t, NULL);
	if (st == PK_OK && w.warnings.oom)
		st = pk_oom(ctx);
	for (size_t off = 0; st == PK_OK && off < w.warnings.n;
	     off += strlen(w.warnings.s + off) + 1)
		pk_warn(ctx, "%s", w.warnings.s + off);
	if (st == PK_OK && w.st != PK_OK) {
		st = w.st;
		memcpy(ctx->msg, w.ctx.msg, sizeof ctx->msg);
		ctx->status = w.ctx.status;
	}
	pk_sb_free(&w.warnings);
	return st;
}

PK_API pk_status pk_profiles_merge_list(pk_ctx *ctx, pk_profile **acc, const char *list)
{
	bool is_stdin = strcmp(list, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(list, "r");
	char line[PATH_MAX + 2];
	size_t count = 0, lineno = 0;
	pk_status st = PK_OK;
	if (!f)
		return pk_fail(ctx, PK_EIO, "%s: open: %s", list, strerror(errno));
	while (st == PK_OK && fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		else if (!feof(f)) {
			st = pk_fail(ctx, PK_EFORMAT, "%s:%zu: path too long (or a NUL byte in it)",
			             list, lineno);
			break;
		}
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = 0;
		if (len == 0)
			continue;
		pk_profile *p = NULL;
		st = pk_profile_read(ctx, &p, line);
		if (st == PK_OK && (st = pk_profile_prepare(ctx, p)) != PK_OK)
			pk_profile_free(p);
		if (st == PK_OK)
			st = pk_profile_merge_into(ctx, acc, p); /* frees p */
		count++;
	}
	if (st == PK_OK && ferror(f))
		st = pk_fail(ctx, PK_EIO, "%s: read: %s", list, strerror(errno));
	else if (st == PK_OK && count == 0 && !*acc)
		st = pk_fail(ctx, PK_EFORMAT, "%s: no profile paths in the list", list);
	if (!is_stdin)
		fclose(f);
	return st;
}
