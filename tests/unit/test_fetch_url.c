/* test_fetch_url.c - lib/driver/fetch_url.c without a network: which PROFILE arguments are
 * URLs, and pk_url_resolve under allocation failure. The expected classification was taken
 * from go tool pprof 1.19 itself: `go tool pprof -raw ARG` prints "Fetching profile over HTTP
 * from" for a URL and tries to open a file otherwise (hosts are 127.0.0.1, so nothing left the
 * machine). The URLs pprof builds are checked against go tool pprof's requests in tests/fetch
 * (testdata/golden/urls.tsv). */
#include "unit.h"

#include "driver/driver.h"

TEST(fetch_source_is_url)
{
	static const struct {
		const char *arg;
		int url;
	} cases[] = {
	    {"heap.pb.gz", 0},
	    {"a:b.pb.gz", 0},
	    {"127.0.0.1:1", 1},
	    {"127.0.0.1:1/debug/pprof/heap", 1},
	    {"[::1]:1", 1},
	    {"dir/a:1", 0},
	    {"127.0.0.1:", 1},
	    {"http://127.0.0.1:1/y", 1},
	    {"https://127.0.0.1:1", 1},
	    {"./127.0.0.1:1", 0},
	    {"/abs/path:1", 0},
	    {"127.0.0.1:1?debug=1", 1},
	    {"file:///tmp/x", 0},
	    {"ftp://127.0.0.1:1/x", 1},
	    {"localhost:1", 1},
	    {"my-host.example_x:1/p", 1},
	    {"a:b:1", 1},
	    {"x:12ab", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (pk_source_is_url(cases[i].arg) != cases[i].url)
			fprintf(stderr, "    %s: want %s\n", cases[i].arg,
			        cases[i].url ? "URL" : "file");
		CHECK_INT(pk_source_is_url(cases[i].arg), cases[i].url);
	}
	CHECK_INT(pk_source_is_url(""), 0);
	CHECK_INT(pk_source_is_url("-"), 0);
}

/* The default timeout: 60 s, or 1.5 times the seconds asked for (pprof's adjustURL). */
TEST(fetch_resolve_timeout)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_fetch_options o = PK_FETCH_OPTIONS_INIT;
	char *url = NULL;
	int timeout = 0;
	CHECK_INT(pk_url_resolve(ctx, "127.0.0.1:1", &o, &url, &timeout), PK_OK);
	CHECK_INT(timeout, 60);
	free(url);
	o.seconds = 30;
	CHECK_INT(pk_url_resolve(ctx, "127.0.0.1:1", &o, &url, &timeout), PK_OK);
	CHECK_STR(url, "http://127.0.0.1:1/debug/pprof/profile?seconds=30");
	CHECK_INT(timeout, 45);
	free(url);
	o.seconds = -1;
	CHECK_INT(pk_url_resolve(ctx, "127.0.0.1:1/x?seconds=10", &o, &url, &timeout), PK_OK);
	CHECK_INT(timeout, 15);
	free(url);
	o.timeout = 3;
	CHECK_INT(pk_url_resolve(ctx, "127.0.0.1:1/x?seconds=10", &o, &url, &timeout), PK_OK);
	CHECK_INT(timeout, 3);
	free(url);
	CHECK_INT(pk_url_resolve(ctx, "heap.pb.gz", &o, &url, &timeout), PK_EUSAGE);
	CHECK(url == NULL);
	pk_ctx_free(ctx);
}

/* Out of memory at each allocation of pk_url_resolve: PK_ENOMEM and no URL, or the URL. */
TEST(fetch_resolve_alloc_fail)
{
	pk_ctx *ctx = pk_ctx_new();
	pk_fetch_options o = PK_FETCH_OPTIONS_INIT;
	const char *src =
	    "127.0.0.1:1/debug/pprof/heap?gc=1&debug=0&x=aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char *want = NULL;
	o.seconds = 5;
	unsigned long before = pk_alloc_count();
	CHECK_INT(pk_url_resolve(ctx, src, &o, &want, NULL), PK_OK);
	unsigned long n = pk_alloc_count() - before;
	CHECK(n > 0);
	for (unsigned long k = 0; k <= n; k++) {
		char *url = NULL;
		pk_alloc_fail_after((long)k);
		pk_status st = pk_url_resolve(ctx, src, &o, &url, NULL);
		pk_alloc_fail_after(-1);
		if (st == PK_OK) {
			CHECK_STR(url, want);
		} else {
			CHECK_INT(st, PK_ENOMEM);
			CHECK(url == NULL);
		}
		free(url);
	}
	free(want);
	pk_ctx_free(ctx);
}
