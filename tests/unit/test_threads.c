/* test_threads.c - reports made in several threads at once, each with its own context and
 * profile, give the bytes one thread gives alone. svg is the case that matters: Graphviz keeps
 * process-wide state, which report/svg.c guards with one lock and a context made once. */
#include <pthread.h>

#include "unit.h"

#include "driver/driver.h"

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb *sb = payload;
	pk_sb_bytes(sb, buf, len);
	return sb->oom ? PK_ENOMEM : PK_OK;
}

typedef struct job {
	const char *path;
	pk_format fmt;
	pk_sb out;
	pk_status st;
} job;

static void *run(void *arg)
{
	job *j = arg;
	pk_ctx *ctx = pk_ctx_new();
	pk_profile *in = NULL, *p = NULL;
	pk_writer w = {sb_write, &j->out};
	j->st = pk_profile_read(ctx, &in, j->path);
	if (j->st == PK_OK)
		j->st = pk_profile_prepare(ctx, in);
	if (j->st == PK_OK)
		j->st = pk_profile_merge(ctx, &p, &in, 1);
	if (j->st == PK_OK)
		j->st = pk_profile_finish(ctx, p);
	if (j->st == PK_OK)
		j->st = pk_report(ctx, p, j->fmt, NULL, &w);
	pk_profile_free(in);
	pk_profile_free(p);
	pk_ctx_free(ctx);
	return NULL;
}

static void same_in_threads(pk_format fmt)
{
	enum { N = 4 };
	const char *paths[N] = {
	    TESTDATA("profiles/leak.heap.2.pb.gz"), TESTDATA("profiles/cpu.pb.gz"),
	    TESTDATA("profiles/leak.heap.2.pb.gz"), TESTDATA("profiles/cpu.pb.gz")};
	job alone[N], together[N];
	pthread_t t[N];
	for (int i = 0; i < N; i++) {
		alone[i] = (job){paths[i], fmt, {0}, PK_OK};
		together[i] = alone[i];
		run(&alone[i]); /* one at a time */
		CHECK_INT(alone[i].st, PK_OK);
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			pk_sb_free(&together[i].out);
			CHECK(pthread_create(&t[i], NULL, run, &together[i]) == 0);
		}
		for (int i = 0; i < N; i++) {
			pthread_join(t[i], NULL);
			CHECK_INT(together[i].st, PK_OK);
			CHECK(together[i].out.n == alone[i].out.n &&
			      memcmp(together[i].out.s, alone[i].out.s, alone[i].out.n) == 0);
		}
	}
	for (int i = 0; i < N; i++) {
		pk_sb_free(&alone[i].out);
		pk_sb_free(&together[i].out);
	}
}

TEST(threads_svg)
{
	same_in_threads(PK_FMT_SVG);
}
TEST(threads_top)
{
	same_in_threads(PK_FMT_TOP);
}
