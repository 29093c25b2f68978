/* structured.h - private: -format=json and -format=csv of the single-profile reports (top,
 * peek, tree, traces, tags) and the pieces shared with compare, trend and check. The JSON is
 * documented by docs/pprofkit.schema.json: one object per report, raw integer values in the
 * sample unit next to text scaled as pprof prints it. CSV: RFC 4180, a header row, CRLF. */
#ifndef PK_REPORT_STRUCTURED_H
#define PK_REPORT_STRUCTURED_H

#include "report/report.h"

/* A JSON string (quoted, escaped) and a CSV field (quoted when it must be). */
void pk_out_json_str(pk_out *o, const char *s, size_t n);
void pk_out_csv_str(pk_out *o, const char *s, size_t n);
/* A percentage as a JSON number (null when total is 0), and as a CSV field ("" for none). */
void pk_out_json_pct(pk_out *o, int64_t v, int64_t total);
void pk_out_csv_pct(pk_out *o, int64_t v, int64_t total);
/* `{"command":C,"sample_type":...,"unit":...,"total":N,"total_scaled":"...",` : the members
 * every single-profile report starts with (no closing brace). */
void pk_rpt_json_head(pk_rpt *r, const char *command);
/* `"name":VALUE,"name_scaled":"..."` (pk_rpt_format_value), after a comma when comma. */
void pk_rpt_json_value(pk_rpt *r, const char *name, int64_t v, bool comma);

/* The structured variants; each is called by its report when opt->output is not text. */
pk_status pk_report_top_structured(pk_rpt *r);

#endif
