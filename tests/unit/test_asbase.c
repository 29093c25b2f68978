/* test_asbase.c - -base's reports read from the -diff_base form (pk_profile_base_groups,
 * pk_profile_as_base), as the web UI's server reads them so as to hold one form of the input:
 * every report it allows prints the bytes the same report prints on the -base combination of
 * the same inputs (pk_profile_apply_base with PK_BASE_SUBTRACT), under each filter, tag option,
 * granularity, sample type and output, on plain and exclusive views; the reports it does not
 * allow refuse; and what it rests on is shown to matter (a plain view of the form prints
 * something else, a form whose label cannot tell the sides apart is refused). The expected
 * bytes are always the -base combination's report: nothing here is written by hand. */
#include <stdint.h>
#include <unistd.h>

#include "unit.h"
#include "unitprof.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

/* The -base (PK_BASE_SUBTRACT) or -diff_base combination of copies of cur and base. */
static pk_profile *combine(const pk_profile *cur, const pk_profile *base, pk_base_mode mode,
                           int normalize)
{
	pk_profile *c = NULL, *b = NULL, *out = NULL;
	CHECK_INT(pk_profile_copy(CTX(), &c, cur), PK_OK);
	CHECK_INT(pk_profile_copy(CTX(), &b, base), PK_OK);
	CHECK_INT(pk_profile_apply_base_take(CTX(), &out, &c, &b, mode, normalize), PK_OK);
	return out;
}

struct variant {
	pk_format fmt;
	const char *what, *value;
};

/* The reports of a view of d made to report as -base equal those of s, variant by variant, on
 * a plain and an exclusive view; d is unchanged by it. Returns how many reports had samples. */
static int check_pair(const char *name, pk_profile *s, pk_profile *d, const struct variant *v,
                      size_t n)
{
	pk_sb want = {0}, got = {0};
	int nonempty = 0;
	for (size_t i = 0; i < n; i++) {
		pk_options o = PK_OPTIONS_INIT;
		unit_set_option(&o, v[i].what, v[i].value);
		for (int exclusive = 0; exclusive < 2; exclusive++) {
			pk_profile *a = NULL, *b = NULL;
			CHECK_INT(pk_profile_view(CTX(), &a, s), PK_OK);
			CHECK_INT(exclusive ? pk_profile_view_exclusive(CTX(), &b, d)
			                    : pk_profile_view(CTX(), &b, d),
			          PK_OK);
			CHECK_INT(pk_profile_as_base(CTX(), b), PK_OK);
			pk_status ws = unit_report(CTX(), a, v[i].fmt, &o, &want);
			char wmsg[512];
			snprintf(wmsg, sizeof wmsg, "%s", pk_ctx_message(CTX()));
			pk_status gs = unit_report(CTX(), b, v[i].fmt, &o, &got);
			bool same =
			    ws == gs &&
			    (ws == PK_OK ? want.n == got.n && memcmp(want.s, got.s, want.n) == 0
			                 : strcmp(wmsg, pk_ctx_message(CTX())) == 0);
			if (!same) {
				fprintf(
				    stderr,
				    "%s: format %d -%s=%s%s: -base %d, from the -diff_base form "
				    "%d\n--- -base\n%s\n--- as base\n%s\n",
				    name, (int)v[i].fmt, v[i].what ? v[i].what : "",
				    v[i].value ? v[i].value : "", exclusive ? " (exclusive)" : "",
				    (int)ws, (int)gs, ws == PK_OK ? want.s : wmsg,
				    gs == PK_OK ? got.s : pk_ctx_message(CTX()));
				unit_failed = 1;
			}
			nonempty += !exclusive && ws == PK_OK && want.n > 1;
			pk_profile_free(a);
			pk_profile_free(b);
		}
	}
	pk_sb_free(&want);
	pk_sb_free(&got);
	return nonempty;
}

static const struct variant every[] = {
    {PK_FMT_TOP, NULL, NULL},
    {PK_FMT_TOP, "json", NULL},
    {PK_FMT_TOP, "focus", "main"},
    {PK_FMT_TOP, "ignore", "runtime"},
    {PK_FMT_TOP, "hide", "runtime"},
    {PK_FMT_TOP, "show", "main"},
    {PK_FMT_TOP, "show_from", "main"},
    {PK_FMT_TOP, "tagfocus", "true"},
    {PK_FMT_TOP, "tagfocus", "pprof::base=true"},
    {PK_FMT_TOP, "tagignore", "true"},
    {PK_FMT_TOP, "tagfocus", "phase=hash"},
    {PK_FMT_TOP, "tagfocus", "bytes=1kb:"},
    {PK_FMT_TOP, "tagroot", "pprof::base"},
    {PK_FMT_TOP, "tagroot", "phase"},
    {PK_FMT_TOP, "tagleaf", "pprof::base,worker"},
    {PK_FMT_TOP, "lines", NULL},
    {PK_FMT_TOP, "files", NULL},
    {PK_FMT_TOP, "addresses", NULL},
    {PK_FMT_TOP, "noinlines", NULL},
    {PK_FMT_TOP, "mean", NULL},
    {PK_FMT_TOP, "si", "0"},
    {PK_FMT_TOP, "si", "1"},
    {PK_FMT_TOP, "si", "3"},
    {PK_FMT_TOP, "cum", NULL},
    {PK_FMT_TOP, "drop_negative", NULL},
    {PK_FMT_TOP, "nodecount", "4"},
    {PK_FMT_TOP, "relative_percentages", "main"},
    {PK_FMT_PEEK, "symbol", "."},
    {PK_FMT_PEEK, "tagfocus", "true"},
    {PK_FMT_TREE, NULL, NULL},
    {PK_FMT_LIST, "symbol", "main"},
    {PK_FMT_DOT, NULL, NULL},
    {PK_FMT_DOT, "tagshow", "base|bytes|phase"},
    {PK_FMT_DOT, "taghide", "phase"},
    {PK_FMT_DOT, "call_tree", NULL},
    {PK_FMT_DOT, "mean", NULL},
    {PK_FMT_SVG, "hide", "runtime"},
};
#define N_EVERY (sizeof every / sizeof every[0])

/* The pair both ways: the profile over its base, and with -normalize. */
static void check_inputs(const char *name, pk_profile *cur, pk_profile *base, int min_nonempty)
{
	for (int normalize = 0; normalize < 2; normalize++) {
		pk_profile *s = combine(cur, base, PK_BASE_SUBTRACT, normalize);
		pk_profile *d = combine(cur, base, PK_BASE_DIFF, normalize);
		CHECK(s && d);
		if (s && d) {
			CHECK_INT(pk_profile_base_groups(CTX(), d), PK_OK);
			int n = check_pair(name, s, d, every, N_EVERY);
			if (n < min_nonempty) {
				fprintf(stderr, "%s: only %d reports had samples, want %d\n", name,
				        n, min_nonempty);
				unit_failed = 1;
			}
		}
		pk_profile_free(s);
		pk_profile_free(d);
	}
}

/* p through a report with focus (written as a profile and read back): a profile some of whose
 * samples equal p's. */
static pk_profile *focused(pk_profile *p, const char *focus)
{
	pk_profile *c = NULL;
	pk_sb buf = {0};
	pk_options o = PK_OPTIONS_INIT;
	o.focus = focus;
	CHECK_INT(pk_profile_copy(CTX(), &c, p), PK_OK);
	CHECK_INT(unit_report(CTX(), c, PK_FMT_PROTO, &o, &buf), PK_OK);
	pk_profile_free(c);
	char path[] = "/tmp/pprofkit-asbase-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return NULL;
	CHECK(write(fd, buf.s, buf.n - 1) == (ssize_t)(buf.n - 1));
	close(fd);
	pk_sb_free(&buf);
	pk_profile *q = unit_load(CTX(), path);
	unlink(path);
	return q;
}

TEST(as_base_reports_equal_base_reports)
{
	static const char *const pairs[][2] = {
	    {"profiles/leak.heap.0.pb.gz", "profiles/leak.heap.2.pb.gz"},
	    {"profiles/snaps.heap.0.pb.gz", "profiles/snaps.heap.5.pb.gz"},
	    {"profiles/heldout.goroutine.0.pb.gz", "profiles/heldout.goroutine.4.pb.gz"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char a[256], b[256];
		snprintf(a, sizeof a, "testdata/%s", pairs[i][0]);
		snprintf(b, sizeof b, "testdata/%s", pairs[i][1]);
		pk_profile *base = unit_load(CTX(), a), *cur = unit_load(CTX(), b);
		CHECK(base && cur);
		if (base && cur)
			check_inputs(b, cur, base, (int)N_EVERY - 8);
		pk_profile_free(base);
		pk_profile_free(cur);
	}
	/* String labels, and samples equal in both (their groups sum to zero): the CPU profile
	 * over itself focused on one phase, and over itself (nothing left). */
	pk_profile *cpu = unit_load(CTX(), TESTDATA("profiles/cpu.pb.gz"));
	CHECK(cpu != NULL);
	if (!cpu)
		return;
	pk_profile *part = focused(cpu, "hash");
	CHECK(part != NULL);
	if (part)
		check_inputs("cpu over its hash part", cpu, part, (int)N_EVERY - 8);
	check_inputs("cpu over itself", cpu, cpu, 0);
	pk_profile_free(part);
	pk_profile_free(cpu);
}

/* What the equality rests on: without pk_profile_as_base a view of the form prints other
 * numbers (its total is the base's, the cancelled samples' frames stay), the groups are fewer
 * than the samples and some sum to zero; reports that read samples one by one refuse; a form
 * without groups, and one whose label cannot tell the sides apart, are refused. */
TEST(as_base_needs_its_groups)
{
	pk_profile *base = unit_load(CTX(), TESTDATA("profiles/leak.heap.0.pb.gz"));
	pk_profile *cur = unit_load(CTX(), TESTDATA("profiles/leak.heap.2.pb.gz"));
	CHECK(base && cur);
	if (!base || !cur)
		return;
	pk_profile *s = combine(cur, base, PK_BASE_SUBTRACT, 0);
	pk_profile *d = combine(cur, base, PK_BASE_DIFF, 0);
	pk_profile *v = NULL, *sv = NULL;
	pk_sb want = {0}, got = {0};
	CHECK_INT(pk_profile_view(CTX(), &v, d), PK_OK);
	CHECK_INT(pk_profile_as_base(CTX(), v), PK_EUSAGE); /* no groups yet */
	pk_profile_free(v);
	CHECK_INT(pk_profile_base_groups(CTX(), d), PK_OK);
	CHECK(d->n_grp > 0 && d->n_grp < d->n_samples);
	CHECK(d->n_grp > s->n_samples); /* groups that sum to zero are no sample of -base's */
	pk_options o = PK_OPTIONS_INIT;
	CHECK_INT(pk_profile_view(CTX(), &v, d), PK_OK);
	CHECK_INT(pk_profile_view(CTX(), &sv, s), PK_OK);
	CHECK_INT(unit_report(CTX(), sv, PK_FMT_TOP, &o, &want), PK_OK);
	CHECK_INT(unit_report(CTX(), v, PK_FMT_TOP, &o, &got), PK_OK);
	CHECK(strcmp(want.s, got.s) != 0);
	pk_profile_free(v);
	pk_profile_free(sv);
	static const pk_format refused[] = {PK_FMT_TRACES, PK_FMT_RAW,   PK_FMT_TAGS,
	                                    PK_FMT_PROTO,  PK_FMT_FLAME, PK_FMT_FOLDED};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		CHECK_INT(pk_profile_view(CTX(), &v, d), PK_OK);
		CHECK_INT(pk_profile_as_base(CTX(), v), PK_OK);
		CHECK_INT(unit_report(CTX(), v, refused[i], &o, &got), PK_EUSAGE);
		pk_profile_free(v);
	}
	/* The -base combination, and a -diff_base one of a profile that has the label itself. */
	CHECK_INT(pk_profile_base_groups(CTX(), s), PK_EUSAGE);
	pk_profile *dd = combine(d, base, PK_BASE_DIFF, 0);
	CHECK(dd != NULL);
	if (dd) {
		CHECK(!dd->base_disjoint);
		CHECK_INT(pk_profile_base_groups(CTX(), dd), PK_EUSAGE);
	}
	pk_profile_free(dd);
	pk_sb_free(&want);
	pk_sb_free(&got);
	pk_profile_free(s);
	pk_profile_free(d);
	pk_profile_free(base);
	pk_profile_free(cur);
}
