/* flame.h - private to lib/report/: the flame graph and folded-stacks reports (flame.c), and
 * the frame names they share with `traces` (traces.c). */
#ifndef PK_REPORT_FLAME_H
#define PK_REPORT_FLAME_H

#include "report/report.h"

/* traces.c: the name `traces` prints for line ln of location l (ln NULL: a location without
 * lines), appended to sb; clean is scratch. After aggregation to a granularity these are the
 * names every stack report prints for it. */
void pk_trace_frame_name(pk_sb *sb, pk_sb *clean, const pk_profile *p, const pk_location *l,
                         const pk_line *ln);

/* flame.c */
pk_status pk_report_flame(pk_rpt *r);  /* PK_FMT_FLAME: interactive SVG */
pk_status pk_report_folded(pk_rpt *r); /* PK_FMT_FOLDED: "a;b;c VALUE" lines */

#endif
