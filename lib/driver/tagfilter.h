/* tagfilter.h - private: -tagfocus / -tagignore filters (tagfilter.c), used by filter.c and the
 * unit tests. Mirrors internal/driver/driver_focus.go compileTagFilter and parseTagFilterRange. */
#ifndef PK_TAGFILTER_H
#define PK_TAGFILTER_H

#include "report.h"

/* parseTagFilterRange: "32kb" (equal), "4mb:" (at least), ":64kb" (at most), "12kb:64mb"
 * (between, both included). Values are scaled to the unit of the first number (measurement
 * Scale); unit is that unit's canonical name ("kB"), "" or the filter's own letters. */
typedef enum { PK_TR_EQ, PK_TR_GE, PK_TR_LE, PK_TR_BETWEEN } pk_tagrange_kind;
typedef struct pk_tagrange {
	pk_tagrange_kind kind;
	double lo, hi; /* EQ and GE use lo, LE uses hi */
	char *unit;    /* malloc'd */
} pk_tagrange;
/* 1: filter is a range (out filled; free out->unit); 0: it is not (a regexp then); -1: a
 * number does not fit in int64 (pprof panics there): PK_EUSAGE in ctx, naming flag. */
int pk_tagrange_parse(pk_ctx *ctx, const char *flag, const char *filter, pk_tagrange *out);
/* The range accepts value v of unit u (Scale(v, u, range unit) in range, same unit). */
bool pk_tagrange_match(const pk_tagrange *tr, int64_t v, const char *u);

typedef struct pk_tagfilter pk_tagfilter;
/* compileTagFilter of flag ("tagfocus") = value: *out NULL when value is unset. Key units come
 * from r's NumLabelUnits; pprof's "Interpreted ... as range" notice goes to pk_warn. A bad
 * regexp is PK_EUSAGE "parsing tagfocus regexp: error parsing regexp: ...". */
pk_status pk_tagfilter_compile(pk_rpt *r, pk_tagfilter **out, const char *flag, const char *value);
/* Whether sample i of r's profile passes the filter. */
bool pk_tagfilter_match(pk_tagfilter *f, size_t i);
/* Whether a match ran out of memory (its answer was then false). */
bool pk_tagfilter_oom(const pk_tagfilter *f);
void pk_tagfilter_free(pk_tagfilter *f); /* NULL is fine */

#endif
