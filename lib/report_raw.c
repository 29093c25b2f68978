/* report_raw.c - placeholder until the report is written; see report.h. */
#include "report.h"

pk_status pk_report_raw(pk_rpt *r)
{
	return pk_fail(r->ctx, PK_EUSAGE, "this report is not available yet");
}

pk_status pk_report_comments(pk_rpt *r)
{
	return pk_fail(r->ctx, PK_EUSAGE, "this report is not available yet");
}
