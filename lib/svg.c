/* svg.c - placeholder until the report is written; see report.h. */
#include "report.h"

pk_status pk_report_svg(pk_rpt *r)
{
	return pk_fail(r->ctx, PK_EUSAGE, "this report is not available yet");
}
