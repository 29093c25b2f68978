/* goroutines.h - private to lib/: the goroutines report (goroutines.c). */
#ifndef PK_GOROUTINES_H
#define PK_GOROUTINES_H

#include "report/report.h"

/* Goroutines grouped by identical stack, state and labels; with a -diff_base profile (samples
 * labelled pprof::base), what each group gained, gainers first. */
pk_status pk_report_goroutines(pk_rpt *r);
/* A Go duration ("90s", "10m", "1h30m") in minutes; false if malformed. */
bool pk_go_duration_minutes(const char *s, double *minutes);

#endif
