/* flame.h - private to lib/report/: the flame graph and folded-stacks reports (flame.c). */
#ifndef PK_REPORT_FLAME_H
#define PK_REPORT_FLAME_H

#include "report/report.h"

/* flame.c */
pk_status pk_report_flame(pk_rpt *r);  /* PK_FMT_FLAME: interactive SVG */
pk_status pk_report_folded(pk_rpt *r); /* PK_FMT_FOLDED: "a;b;c VALUE" lines */

#endif
