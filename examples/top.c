/* examples/top.c - the smallest complete use of libpprofkit: read one or more profiles, filter
 * them, print a report. The calls are those `pprofkit top -focus=RE PROFILE...` makes, in the
 * same order (cmd/load.c, cmd/run.c).
 *
 *   cc -o top top.c $(pkg-config --cflags --libs pprofkit)
 *   ./top testdata/profiles/leak.heap.2.pb.gz 'main\.'
 *
 * Arguments: PROFILE [FOCUS_RE [SAMPLE_INDEX]]. Prints the `top` table of the profile (what
 * `go tool pprof -top` prints), keeping only samples with a frame matching FOCUS_RE.
 */
#include <stdio.h>
#include <stdlib.h>

#include <pprofkit.h>

/* Where the report goes: any function that takes bytes. Here, standard output. */
static pk_status write_stdout(void *payload, const void *buf, size_t len)
{
	(void)payload;
	return fwrite(buf, 1, len, stdout) == len ? PK_OK : PK_EIO;
}

/* The library never prints: notices (e.g. "no samples matched") come through this callback. */
static void print_warning(void *payload, const char *msg)
{
	(void)payload;
	fprintf(stderr, "top: warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	pk_ctx *ctx = NULL;
	pk_profile *in = NULL, *p = NULL;
	pk_status st = PK_OK;
	int rc = 1;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s PROFILE [FOCUS_RE [SAMPLE_INDEX]]\n", argv[0]);
		return 2;
	}
	/* The version of the library this program runs with (not the header it was built with). */
	fprintf(stderr, "libpprofkit %s\n", pk_version());

	/* 1. A context: it holds the message of the last failure and the callbacks. */
	ctx = pk_ctx_new();
	if (!ctx) {
		fputs("top: out of memory\n", stderr);
		return 1;
	}
	pk_ctx_on_warning(ctx, print_warning, NULL);

	/* 2. Read the file (gzipped or not), then what go tool pprof does to each input: prepare
	 * it, and merge the inputs into one profile (even a single one: merging also renumbers
	 * and combines equal samples). Several files would all be read and merged here. */
	st = pk_profile_read(ctx, &in, argv[1]);
	if (st == PK_OK)
		st = pk_profile_prepare(ctx, in);
	if (st == PK_OK)
		st = pk_profile_merge(ctx, &p, &in, 1);
	/* (With a base profile, pk_profile_apply_base would come here, as for -base.) */

	/* 3. Drop the frames the profile asks to drop, and check the result. */
	if (st == PK_OK)
		st = pk_profile_finish(ctx, p);

	/* 4. The report. Options start from pprof's defaults; filters are set by name as the
	 * flags are (-focus, -sample_index, ...). pk_report filters p in place. */
	if (st == PK_OK) {
		pk_options opt = PK_OPTIONS_INIT;
		pk_writer out = {write_stdout, NULL};
		if (argc > 2)
			opt.focus = argv[2];
		if (argc > 3)
			opt.sample_index = argv[3];
		st = pk_report(ctx, p, PK_FMT_TOP, &opt, &out);
	}

	/* 5. On failure the context has the message, ready to print after the program's name. */
	if (st != PK_OK)
		fprintf(stderr, "top: %s\n", pk_ctx_message(ctx));
	else
		rc = fflush(stdout) == 0 ? 0 : 1;

	/* Every object is freed by its own function; NULL is fine for each. */
	pk_profile_free(p);
	pk_profile_free(in);
	pk_ctx_free(ctx);
	return rc;
}
