/* test_list.c - unit tests of lib/report/list.c (the `list` report): the range of lines shown,
 * source lookup (-source_path with parents, absolute names), bufio.Scanner line splitting
 * (CRLF, 64 KiB lines), errors printed in the listing and the errors that end the report. The
 * goldens cover the rest against go tool pprof. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "pkbuild.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb_bytes(payload, buf, len);
	return PK_OK;
}

/* A scratch directory with sub/dir/ inside it; returns its path (static buffer). */
static const char *scratch(void)
{
	static char dir[] = "/tmp/pk-test-list.XXXXXX";
	if (!mkdtemp(dir))
		return NULL;
	char sub[256];
	snprintf(sub, sizeof sub, "%s/src", dir);
	mkdir(sub, 0700);
	return dir;
}

/* Removes what scratch() and write_file(d, "src/f.go") made. */
static void cleanup(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/src/f.go", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/src", dir);
	rmdir(path);
	rmdir(dir);
}

static void write_file(const char *dir, const char *name, const char *data, size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, n, f);
	fclose(f);
}

/* "line N\n" for N = 1..n */
static void write_lines(const char *dir, const char *name, int n)
{
	pk_sb sb = {0};
	for (int i = 1; i <= n; i++)
		pk_sb_fmt(&sb, "line %d\n", i);
	write_file(dir, name, sb.s, sb.n);
	pk_sb_free(&sb);
}

/* One function `f` in file at lines[0..n) (one sample of value 10 each). */
static pk_profile *one_func(const char *file, int64_t start, const int64_t *lines, int n)
{
	pk_profile *p = tb_new("samples/count");
	uint32_t f = tb_func(p, "pkg.f", file, start);
	uint32_t g = tb_func(p, "pkg.g", "", 0);
	uint32_t m = tb_map(p, 0x1000, 0x9000, 0, "/bin/x", "");
	for (int i = 0; i < n; i++) {
		uint32_t l[2] = {tb_loc1(p, m, 0x1000 + (uint64_t)i, f, lines[i]),
		                 tb_loc1(p, m, 0x2000 + (uint64_t)i, g, 0)};
		int64_t v = 10;
		tb_sample(p, &v, 2, l, NULL);
	}
	return p;
}

static pk_status run(pk_profile *p, const char *re, const char *source_path, pk_sb *out)
{
	pk_options o = PK_OPTIONS_INIT;
	o.symbol = re;
	o.source_path = source_path;
	pk_writer w = {sb_write, out};
	pk_status st = pk_report(CTX(), p, PK_FMT_LIST, &o, &w);
	pk_sb_bytes(out, "", 1);
	return st;
}

TEST(list_range_from_start_line)
{
	const char *d = scratch();
	CHECK(d != NULL);
	write_lines(d, "src/f.go", 30);
	int64_t lines[] = {12, 10};
	pk_profile *p = one_func("src/f.go", 8, lines, 2);
	pk_sb out = {0};
	CHECK_INT(run(p, "f$", d, &out), PK_OK);
	CHECK_STR(out.s, "Total: 20\n"
	                 "ROUTINE ======================== pkg.f in src/f.go\n"
	                 "        20         20 (flat, cum)   100% of Total\n"
	                 "         .          .      8:line 8\n"
	                 "         .          .      9:line 9\n"
	                 "        10         10     10:line 10\n"
	                 "         .          .     11:line 11\n"
	                 "        10         10     12:line 12\n"
	                 "         .          .     13:line 13\n"
	                 "         .          .     14:line 14\n"
	                 "         .          .     15:line 15\n"
	                 "         .          .     16:line 16\n"
	                 "         .          .     17:line 17\n");
	pk_sb_free(&out);
	cleanup(d);
	pk_profile_free(p);
}

TEST(list_margin_without_start_line_and_parent_dirs)
{
	const char *d = scratch();
	write_lines(d, "src/f.go", 9);
	int64_t lines[] = {3};
	pk_profile *p = one_func("src/f.go", 0, lines, 1);
	pk_sb out = {0}, sp = {0};
	/* Found in a parent of the search directory, which does not even exist. */
	pk_sb_fmt(&sp, "%s/no/such/dir", d);
	CHECK_INT(run(p, "pkg", sp.s, &out), PK_OK);
	CHECK_STR(out.s, "Total: 10\n"
	                 "ROUTINE ======================== pkg.f in src/f.go\n"
	                 "        10         10 (flat, cum)   100% of Total\n"
	                 "         .          .      1:line 1\n"
	                 "         .          .      2:line 2\n"
	                 "        10         10      3:line 3\n"
	                 "         .          .      4:line 4\n"
	                 "         .          .      5:line 5\n"
	                 "         .          .      6:line 6\n"
	                 "         .          .      7:line 7\n"
	                 "         .          .      8:line 8\n"
	                 "No source information for pkg.g\n");
	pk_sb_free(&out);
	pk_sb_free(&sp);
	cleanup(d);
	pk_profile_free(p);
}

TEST(list_scanner_lines)
{
	const char *d = scratch();
	/* CRLF endings lose the '\r'; a line of 64 KiB or more ends the file. */
	pk_sb src = {0};
	pk_sb_cstr(&src, "a\r\nb\r\n");
	for (int i = 0; i < 65536; i++)
		pk_sb_bytes(&src, "x", 1);
	pk_sb_cstr(&src, "\nd\n");
	write_file(d, "src/f.go", src.s, src.n);
	int64_t lines[] = {1};
	pk_profile *p = one_func("src/f.go", 0, lines, 1);
	pk_sb out = {0};
	CHECK_INT(run(p, "pkg.f", d, &out), PK_OK);
	CHECK_STR(out.s, "Total: 10\n"
	                 "ROUTINE ======================== pkg.f in src/f.go\n"
	                 "        10         10 (flat, cum)   100% of Total\n"
	                 "        10         10      1:a\n"
	                 "         .          .      2:b\n");
	pk_sb_free(&out);
	pk_sb_free(&src);
	cleanup(d);
	pk_profile_free(p);
}

TEST(list_missing_files)
{
	int64_t lines[] = {5};
	pk_profile *p = one_func("/nonexistent/dir/f.go", 0, lines, 1);
	pk_sb out = {0};
	CHECK_INT(run(p, "pkg.f", "/tmp", &out), PK_OK);
	CHECK_STR(out.s, "Total: 10\n"
	                 "ROUTINE ======================== pkg.f in /nonexistent/dir/f.go\n"
	                 "        10         10 (flat, cum)   100% of Total\n"
	                 " Error: open /nonexistent/dir/f.go: no such file or directory\n");
	pk_profile_free(p);

	pk_sb_reset(&out);
	p = one_func("nowhere/f.go", 0, lines, 1);
	CHECK_INT(run(p, "pkg.f", "/nonexistent-a:/nonexistent-b", &out), PK_OK);
	CHECK_STR(out.s, "Total: 10\n"
	                 "ROUTINE ======================== pkg.f in nowhere/f.go\n"
	                 "        10         10 (flat, cum)   100% of Total\n"
	                 " Error: could not find file nowhere/f.go on path "
	                 "/nonexistent-a:/nonexistent-b\n");
	pk_profile_free(p);

	/* The start line is past the last line shown: the file is never read, so no error. */
	pk_sb_reset(&out);
	p = one_func("nowhere/f.go", 50, lines, 1);
	CHECK_INT(run(p, "pkg.f", "/nonexistent", &out), PK_OK);
	CHECK_STR(out.s, "Total: 10\n"
	                 "ROUTINE ======================== pkg.f in nowhere/f.go\n"
	                 "        10         10 (flat, cum)   100% of Total\n");
	pk_sb_free(&out);
	pk_profile_free(p);
}

TEST(list_errors)
{
	int64_t lines[] = {5};
	pk_profile *p = one_func("f.go", 0, lines, 1);
	pk_sb out = {0};
	CHECK_INT(run(p, "nomatch", "/tmp", &out), PK_ENOMATCH); /* go exits 1 */
	CHECK_STR(pk_ctx_message(CTX()), "no matches found for regexp: nomatch");
	CHECK_STR(out.s, "");
	pk_sb_reset(&out);
	CHECK_INT(run(p, "f(", "/tmp", &out), PK_EUSAGE);
	CHECK(strncmp(pk_ctx_message(CTX()),
	              "parsing argument regexp f(: error parsing regexp: ", 50) == 0);
	pk_sb_free(&out);
	pk_profile_free(p);
}
