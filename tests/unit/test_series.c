/* test_series.c - pk_report_series (compare, trend, check) on small profiles built in memory,
 * with expected numbers worked out by hand in the comments (not by the code under test). */
#include <stdint.h>

#include "unit.h"
#include "pkbuild.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb_bytes(payload, buf, len);
	return PK_OK;
}

#define HOUR 3600000000000LL
#define T0 1700000000000000000LL

/* Snapshot i of a program with main -> leak (100 bytes more per step, from 100), main -> big
 * (1000000, flat) and main -> saw (10000, 20000, absent, 30000 bytes), one hour apart. */
static pk_profile *snapshot(int i)
{
	static const int64_t saw[] = {10000, 20000, 0, 30000};
	pk_profile *p = tb_new("space/bytes");
	uint32_t fm = tb_func(p, "main", "main.go", 1), fl = tb_func(p, "leak", "leak.go", 1),
	         fb = tb_func(p, "big", "big.go", 1), fs = tb_func(p, "saw", "saw.go", 1);
	uint32_t lm = tb_loc1(p, PK_NONE, 0, fm, 2), ll = tb_loc1(p, PK_NONE, 0, fl, 2),
	         lb = tb_loc1(p, PK_NONE, 0, fb, 2), ls = tb_loc1(p, PK_NONE, 0, fs, 2);
	int64_t v = 100 * (i + 1);
	uint32_t s1[] = {ll, lm}, s2[] = {lb, lm}, s3[] = {ls, lm};
	tb_sample(p, &v, 2, s1, "");
	v = 1000000;
	tb_sample(p, &v, 2, s2, "");
	if (saw[i]) {
		v = saw[i];
		tb_sample(p, &v, 2, s3, "");
	}
	p->time_nanos = T0 + i * HOUR;
	return p;
}

/* The report of snapshots in the order order[0..n) (NULL: 0..n-1), as a string. */
static char *run(pk_format fmt, const pk_options *o, size_t n, const int *order, int *exceeded,
                 pk_status *st)
{
	pk_profile *p[4] = {NULL, NULL, NULL, NULL};
	if (n > 4)
		n = 4;
	for (size_t i = 0; i < n; i++)
		p[i] = snapshot(order ? order[i] : (int)i);
	pk_sb out = {0};
	pk_writer w = {sb_write, &out};
	*st = pk_report_series(CTX(), p, n, fmt, o, 0, &w, exceeded);
	for (size_t i = 0; i < n; i++)
		pk_profile_free(p[i]);
	pk_sb_bytes(&out, "", 1);
	return out.s;
}

TEST(trend_ranks_steady_growth_first)
{
	pk_options o = PK_OPTIONS_INIT;
	o.output = PK_OUT_JSON;
	pk_status st;
	char *j = run(PK_FMT_TREND, &o, 4, NULL, NULL, &st);
	CHECK_INT(st, PK_OK);
	/* leak: 100, 200, 300, 400 against 0, 1, 2, 3 hours: up 3/3, R2 1, net 1, slope 100 per
	 * hour; share = 300 / (300 + 20000) (saw grew 20000, big 0); score = 100 * (3 + share) / 4
	 * = 75.3695. saw: y = 1, 2, 0, 3 (x 10000): sxy = 2, sxx = 5, syy = 5, R2 = 4 / 25 = 0.16,
	 * up 2/3, net = (1 + 3 - 2) / (1 + 3 + 2) = 1/3. big: flat, score 0. main: cumulative
	 * only (flat 0 everywhere) and so absent. */
	const char *leak = strstr(j, "{\"name\":\"leak\",\"rank\":1,\"score\":75.3695,");
	const char *saw = strstr(j, "{\"name\":\"saw\",\"rank\":2,");
	const char *big = strstr(j, "{\"name\":\"big\",\"rank\":3,\"score\":0.0000,");
	CHECK(leak && saw && big);
	CHECK(leak && strstr(leak, "\"growth\":300,") && strstr(leak, "\"growth_rate\":100,"));
	CHECK(saw && strstr(saw, "\"r2\":0.1600,\"net\":0.3333,\"growth\":20000,"));
	CHECK(!strstr(j, "\"name\":\"main\""));
	CHECK(strstr(j, "\"rate_per\":\"hour\""));
	free(j);
}

TEST(trend_orders_by_time_not_arguments)
{
	pk_options o = PK_OPTIONS_INIT;
	static const int shuffled[] = {2, 0, 3, 1};
	pk_status st1, st2;
	char *a = run(PK_FMT_TREND, &o, 4, NULL, NULL, &st1);
	char *b = run(PK_FMT_TREND, &o, 4, shuffled, NULL, &st2);
	CHECK_INT(st1, PK_OK);
	CHECK_INT(st2, PK_OK);
	/* the file names are all empty, so the two reports must be identical */
	CHECK_STR(b, a);
	free(a);
	free(b);
}

TEST(compare_and_check)
{
	pk_options o = PK_OPTIONS_INIT;
	pk_status st;
	int ex = -1;
	static const int first_last[] = {0, 3};
	o.output = PK_OUT_CSV;
	char *c = run(PK_FMT_COMPARE, &o, 2, first_last, NULL, &st);
	CHECK_INT(st, PK_OK);
	/* sorted by |delta|: saw +20000, leak +300, big 0; total 1010100 -> 1030400 */
	CHECK_STR(
	    c, "name,old,new,delta,delta_pct,status,unit,old_scaled,new_scaled,delta_scaled\r\n"
	       "saw,10000,30000,20000,200.0000,grew,bytes,9.77kB,29.30kB,+19.53kB\r\n"
	       "leak,100,400,300,300.0000,grew,bytes,100B,400B,+300B\r\n"
	       "big,1000000,1000000,0,0.0000,same,bytes,976.56kB,976.56kB,0\r\n"
	       "(total),1010100,1030400,20300,2.0097,grew,bytes,986.43kB,1006.25kB,+19.82kB\r\n");
	free(c);
	o.output = PK_OUT_TEXT;
	o.max_site_growth = "10kB"; /* 10240 bytes: saw grew 20000 */
	free(run(PK_FMT_CHECK, &o, 2, first_last, &ex, &st));
	CHECK_INT(st, PK_OK);
	CHECK_INT(ex, 1);
	o.max_site_growth = "20000"; /* not beyond */
	o.max_growth = 2.5;          /* the total grew 2.0097% */
	free(run(PK_FMT_CHECK, &o, 2, first_last, &ex, &st));
	CHECK_INT(st, PK_OK);
	CHECK_INT(ex, 0);
	o.max_growth = 2;
	free(run(PK_FMT_CHECK, &o, 2, first_last, &ex, &st));
	CHECK_INT(ex, 1);
	o.max_growth = -1;
	o.max_site_growth = "10ms"; /* not a size */
	free(run(PK_FMT_CHECK, &o, 2, first_last, &ex, &st));
	CHECK_INT(st, PK_EUSAGE);
	o.max_site_growth = NULL;
	free(run(PK_FMT_TREND, &o, 2, first_last, NULL, &st));
	CHECK_INT(st, PK_EUSAGE); /* trend needs three */
	free(run(PK_FMT_COMPARE, &o, 3, NULL, NULL, &st));
	CHECK_INT(st, PK_EUSAGE); /* compare takes two */
}

static void on_warning(void *payload, const char *msg)
{
	pk_sb_cstr(payload, msg);
	pk_sb_bytes(payload, "\n", 1);
}

TEST(trend_without_times_uses_argument_order)
{
	pk_profile *p[3];
	static const int order[] = {2, 0, 1}; /* given out of order, on purpose */
	for (int i = 0; i < 3; i++)
		p[i] = snapshot(order[i]);
	p[1]->time_nanos = 0; /* snapshot 0 has no Time */
	pk_sb warn = {0}, out = {0};
	pk_ctx *c = pk_ctx_new();
	pk_ctx_on_warning(c, on_warning, &warn);
	pk_options o = PK_OPTIONS_INIT;
	o.output = PK_OUT_JSON;
	pk_writer w = {sb_write, &out};
	CHECK_INT(pk_report_series(c, p, 3, PK_FMT_TREND, &o, 0, &w, NULL), PK_OK);
	pk_sb_bytes(&warn, "", 1);
	pk_sb_bytes(&out, "", 1);
	CHECK(warn.s && strstr(warn.s, "has no Time: snapshots taken in argument order"));
	/* argument order: leak is 300, 100, 200 -> growth -100, not a leak (score 0) */
	CHECK(strstr(out.s, "\"times_ordered\":false,\"rate_per\":\"step\""));
	CHECK(strstr(out.s, "\"values\":[300,100,200]"));
	CHECK(strstr(out.s, "\"growth\":-100,"));
	for (int i = 0; i < 3; i++)
		pk_profile_free(p[i]);
	pk_sb_free(&warn);
	pk_sb_free(&out);
	pk_ctx_free(c);
}
