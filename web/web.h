/* web.h - the web front end (web/): `pprofkit -http=[HOST]:PORT` serves the views of one loaded
 * profile to a browser, `pprofkit html` writes the same views into one self-contained file.
 * A front end beside cmd/: it uses only the public API (pprofkit.h). cmd/ loads the profiles
 * and calls these two entry points; web/ never reads a profile itself.
 */
#ifndef PK_WEB_H
#define PK_WEB_H

#include <pthread.h>
#include <stdio.h>

#include "pprofkit.h"

/* What the views are computed from, held once. Each view works on a view of it
 * (pk_profile_view: the samples are shared, read-only), so views computed at the same time
 * share one copy of the profile; a view that cuts frames out of the stacks (hide, show,
 * show_from) cuts them in the loaded profile itself (pk_profile_view_exclusive) and puts them
 * back when it ends, holding lock's write side meanwhile (the other views hold its read side).
 * Without a lock (the html report) views are computed one at a time. */
struct pk_web {
	pk_profile *profile; /* the profiles merged, the base applied: top, graph, peek, ... */
	pk_profile *flame;   /* under -base: the -diff_base form the flame graph splits into
	                        before and after; NULL: profile */
	pk_profile *diff;    /* under a base: the -diff_base form (profile or flame), whose halves
	                        (pk_profile_split_base) are compare's OLD and NEW, already
	                        normalized under -normalize; NULL without a base */
	int as_base;         /* under -base, profile is the -diff_base form with its groups
	                        (pk_profile_base_groups): the views but the flame graph and compare
	                        are views of it that report as -base (pk_profile_as_base) */
	pthread_rwlock_t *lock;     /* the server's; NULL: one view at a time */
	const pk_options *opt;      /* the command line's flags: every view's defaults */
	const char *title;          /* the PROFILE arguments, for the page's title */
	double timeout;             /* seconds one view may compute (-http_timeout); 0: no bound */
	const volatile int *cancel; /* non-NULL: views stop once *cancel != 0 (the server stops) */
};

/* Serves the web UI on addr ("[HOST]:PORT"; HOST empty: localhost; PORT 0: any free port)
 * until SIGINT or SIGTERM. Prints the address to log; unless no_browser, opens it with
 * xdg-open (quietly nothing when there is none). Returns 0 on a clean stop; on a bad address
 * or a port that cannot be bound, prints "pprofkit: ..." to log and returns 2 or 1. */
int pk_web_serve(const struct pk_web *w, const char *addr, int no_browser, FILE *log);

/* Whether addr has the form [HOST]:PORT with PORT 0 to 65535 (the host is resolved later). */
int pk_web_addr_ok(const char *addr);

/* Writes the html report: one page with the views precomputed (flame graph, top table, graph,
 * and compare under a base). Returns PK_OK or the failure (PK_EUSAGE: a bad flag such as a
 * bad regexp), its message in err. */
pk_status pk_web_html(const struct pk_web *w, pk_writer *out, char *err, size_t errlen);

#endif
