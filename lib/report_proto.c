/* report_proto.c - the proto report: the processed profile written back as gzipped
 * profile.proto. Mirrors internal/report/report.go printProto. Placeholder until written. */
#include "report.h"

pk_status pk_report_proto(pk_rpt *r)
{
	return pk_fail(r->ctx, PK_EUSAGE, "this report is not available yet");
}
