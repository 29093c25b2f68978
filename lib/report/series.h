/* series.h - private: a table of values across several prepared profiles (snapshots), and the
 * reports on it: compare (compare.c), trend (trend.c), check (check.c). */
#ifndef PK_REPORT_SERIES_H
#define PK_REPORT_SERIES_H

#include "report/report.h"
#include "report/structured.h"

/* One row: a function (at the report's granularity), a call stack (-stacks) or a label value
 * (-by_label), and its value in each snapshot. */
typedef struct pk_srow {
	size_t key_off, key_len; /* the name, in pk_series.keys */
	int64_t *v;              /* n values, one per snapshot (0 where absent) */
	uint8_t *has;            /* n flags: present in that snapshot */
} pk_srow;

typedef struct pk_sent {
	size_t key_off, key_len;
	uint32_t snap;
	int64_t v, d; /* value and mean divisor */
} pk_sent;

typedef struct pk_series {
	pk_ctx *ctx;
	const pk_options *opt;
	size_t n;             /* snapshots, in time order */
	pk_rpt *r;            /* n prepared reports; r[0] formats values */
	int64_t *total;       /* n: the sum of the values of the samples left after the filters */
	bool times_ok;        /* every snapshot has a Time, strictly increasing */
	const char *key_name; /* what a row is: "function", "stack", "file", ... or the label key */
	pk_sb keys;
	pk_sent *ent;
	size_t n_ent, cap_ent;
	pk_srow *rows;
	size_t n_rows;
	int64_t *vals;
	uint8_t *has;
} pk_series;

/* Adds the rows of prepared report s->r[i] (graph nodes, stacks or label values). */
pk_status pk_series_add(pk_series *s, uint32_t i);
/* Merges the entries into rows (sorted by name). */
pk_status pk_series_finish(pk_series *s);
void pk_series_free(pk_series *s);

static inline pk_str pk_srow_name(const pk_series *s, const pk_srow *row)
{
	pk_str x = {s->keys.s + row->key_off, row->key_len};
	return x;
}

/* Formatting shared by the three reports. */
/* The value formatted as pprof formats it (-unit, -divide_by), with a '+' before a positive
 * value when sign. */
char *pk_series_value(const pk_series *s, char *buf, size_t n, int64_t v, bool sign);
/* The output unit of raw values: the sample unit ("bytes", "count", "nanoseconds"). */
const char *pk_series_unit(const pk_series *s);
/* "File:", "Type:" and one line per snapshot (name and Time), for the text reports. */
void pk_series_header(const pk_series *s, pk_out *o);
/* "snapshots": [...] members of a JSON object (after "{"), with a trailing comma. */
void pk_series_json_head(const pk_series *s, pk_out *o, const char *command);

/* Parses an amount ("1MB", "1.5GB", "500ms", "100") into s's sample unit. */
pk_status pk_series_amount(const pk_series *s, const char *flag, const char *text, double *out);

/* compare.c: the compare rows of snapshots a and b, in -sort order. *order malloc'd. */
typedef struct pk_cmprow {
	uint32_t row;
	int64_t old, new_, delta;
	double pct; /* delta / old * 100; NAN when old is 0 */
	const char *status;
} pk_cmprow;
pk_status pk_compare_rows(pk_series *s, pk_cmprow **out, size_t *n);
/* Writes rows[0..shown) of n (text, JSON or CSV) and the totals row; extra (may be NULL) is one
 * more column per row, e.g. check's reason; nested: JSON without the final newline. */
void pk_compare_write(pk_series *s, pk_out *o, const pk_cmprow *rows, size_t n, size_t shown,
                      const char *command, const char *const *extra, bool nested);

pk_status pk_report_compare(pk_series *s, pk_out *o);
pk_status pk_report_trend(pk_series *s, pk_out *o);
pk_status pk_report_check(pk_series *s, pk_out *o, int *exceeded);

#endif
