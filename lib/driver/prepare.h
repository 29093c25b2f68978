/* prepare.h - private to lib/driver: the steps pk_report takes before a report, for the
 * reports on several profiles (snapshots.c). */
#ifndef PK_DRIVER_PREPARE_H
#define PK_DRIVER_PREPARE_H

#include "driver/driver.h"

/* Command overrides, tag roots/leaves, sample index, total, filters and aggregation of r->p, in
 * pprof's order (pipeline.c). r->ctx, r->p, r->fmt and r->opt must be set; r->out is not used. */
pk_status pk_rpt_prepare(pk_rpt *r);
/* Frees what pk_rpt_prepare allocated in r (not r->out). */
void pk_rpt_release(pk_rpt *r);

#endif
