/* proto.c - the proto report: the loaded, merged, based and filtered profile written back
 * as gzipped profile.proto.
 * Mirrors internal/report/report.go printProto: with -divide_by, every sample value is scaled
 * first (truncated toward zero, as Go's int64(float64(v) * r)); then profile.Write. */
#include "report/report.h"

pk_status pk_report_proto(pk_rpt *r)
{
	pk_profile *p = r->p;
	if (r->ratio > 0 && r->ratio != 1) {
		pk_status st =
		    pk_profile_own(r->ctx, p, PK_SHARED_SAMPLES); /* a view: scale a copy */
		if (st != PK_OK)
			return st;
		size_t n = p->n_samples * p->n_sample_types;
		for (size_t i = 0; i < n; i++)
			p->values[i] = pk_go_f2i((double)p->values[i] * r->ratio);
	}
	/* Nothing has gone through r->out yet: the encoder writes to the sink directly. */
	return pk_profile_write(r->ctx, p, r->out.w);
}
