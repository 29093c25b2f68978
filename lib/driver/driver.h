/* driver/driver.h - private to lib/: the top stage (pprof internal/driver): how inputs are
 * combined (fetch.c: chunked merge, -base/-diff_base), the filters in pprof's order (filter.c,
 * tagfilter.c: -focus ... -tagignore), tag roots and leaves (tagroot.c), and pk_report, the
 * pipeline that runs them and hands the result to a report (pipeline.c). Above report/.
 */
#ifndef PK_DRIVER_H
#define PK_DRIVER_H

#include "report/report.h"

/* What the filters read: the profile they filter, where messages and warnings go, and the
 * units of its numeric label keys (taken before anything was filtered). */
typedef struct pk_fenv {
	pk_ctx *ctx;
	pk_profile *p;
	const pk_nlu_table *nlu;
} pk_fenv;

/* filter.c: -focus, -ignore, -hide, -show, -show_from, -tagfocus, -tagignore, -tagshow,
 * -taghide of o, in pprof's order (driver_focus.go applyFocus); warnings for expressions that
 * match nothing. */
pk_status pk_apply_filters(const pk_fenv *e, const pk_options *o);
/* tagroot.c: -tagroot/-tagleaf of o as pseudo frames. */
pk_status pk_tag_roots_leaves(const pk_fenv *e, const pk_options *o);

/* tagfilter.c, driver_focus.go compileTagFilter and parseTagFilterRange. */
/* parseTagFilterRange: "32kb" (equal), "4mb:" (at least), ":64kb" (at most), "12kb:64mb"
 * (between, both included). Values are scaled to the unit of the first number (measurement
 * Scale); unit is that unit's canonical name ("kB"), "" or the filter's own letters. */
typedef enum { PK_TR_EQ, PK_TR_GE, PK_TR_LE, PK_TR_BETWEEN } pk_tagrange_kind;
typedef struct pk_tagrange {
	pk_tagrange_kind kind;
	double lo, hi; /* EQ and GE use lo, LE uses hi */
	char *unit;    /* pk_malloc'd */
} pk_tagrange;
/* 1: filter is a range (out filled; free out->unit); 0: it is not (a regexp then); -1: a
 * number does not fit in int64 (pprof panics there): PK_EUSAGE in ctx, naming flag. */
int pk_tagrange_parse(pk_ctx *ctx, const char *flag, const char *filter, pk_tagrange *out);
/* The range accepts value v of unit u (Scale(v, u, range unit) in range, same unit). */
bool pk_tagrange_match(const pk_tagrange *tr, int64_t v, const char *u);

typedef struct pk_tagfilter pk_tagfilter;
/* compileTagFilter of flag ("tagfocus") = value: *out NULL when value is unset. Key units come
 * from e's NumLabelUnits; pprof's "Interpreted ... as range" notice goes to pk_warn. A bad
 * regexp is PK_EUSAGE "parsing tagfocus regexp: error parsing regexp: ...". e must outlive
 * the filter. */
pk_status pk_tagfilter_compile(const pk_fenv *e, pk_tagfilter **out, const char *flag,
                               const char *value);
/* Whether sample i of e's profile passes the filter. */
bool pk_tagfilter_match(pk_tagfilter *f, size_t i);
/* Whether a match ran out of memory (its answer was then false). */
bool pk_tagfilter_oom(const pk_tagfilter *f);
void pk_tagfilter_free(pk_tagfilter *f); /* NULL is fine */

#endif
