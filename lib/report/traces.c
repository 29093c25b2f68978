/* traces.c - the `traces` report: every sample in profile order, with its labels, its
 * value and its stack, leaf first.
 *
 * Mirrors internal/report/report.go printTraces and the node names of internal/graph/graph.go
 * CreateNodes/nodeInfo (with empty options: no object file names unless a frame has no
 * function name; file names through filepath.Clean but not trimPath, since printTraces builds
 * no report graph) and NodeInfo.PrintableName.
 * - The header is ProfileLabels only (no "Showing nodes" lines); the output unit is -unit as
 *   given ("minimum" scales each value on its own), as printTraces never selects one.
 * - Samples are not sorted: pprof prints them in profile order (the merged order) and skips
 *   those without locations. Every frame of a location but its last line is "(inline)".
 * - Label lines are "%10s:  v1 v2" (key right-aligned to ten runes, values of one key in their
 *   order), string labels then numeric ones, each group sorted as whole lines; numeric values
 *   are measurement.Label(v, NumLabelUnits[key]). pprof::base (-diff_base) prints like any
 *   other label.
 * - The value is the selected sample value divided by the -mean divisor, then formatValue.
 * Names of each location's frames are built once; per sample the work is linear in its frames
 * and labels, with scratch buffers reused across samples.
 */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/structured.h"
#include "go/tabwriter.h"
#include "report/flame.h"

static const char blank[] = "             "; /* 13 spaces */
static const char separator[] =
    "-----------+-------------------------------------------------------\n";

/* Go's fmt "%10s": right-aligned to ten runes. */
static void pad10(pk_sb *sb, const char *s, size_t n)
{
	size_t w = pk_rune_count(s, n);
	for (; w < 10; w++)
		pk_sb_bytes(sb, " ", 1);
	pk_sb_bytes(sb, s, n);
}

/* filepath.Base for the "[objfile]" name component; s is not empty. */
static void base_name(pk_sb *sb, pk_str f)
{
	size_t e = f.n, b;
	while (e > 0 && f.s[e - 1] == '/')
		e--;
	if (e == 0) {
		pk_sb_bytes(sb, "/", 1);
		return;
	}
	b = e;
	while (b > 0 && f.s[b - 1] != '/')
		b--;
	pk_sb_bytes(sb, f.s + b, e - b);
}

/* PrintableName of the node CreateNodes makes for line ln of location l (ln NULL: a location
 * without lines). clean is scratch for the cleaned file name. */
void pk_trace_frame_name(pk_sb *sb, pk_sb *clean, const pk_profile *p, const pk_location *l,
                         const pk_line *ln)
{
	size_t start = sb->n;
	pk_sid objfile = l->mapping != PK_NONE ? p->mappings[l->mapping].file : 0;
	const pk_function *f = ln && ln->function != PK_NONE ? &p->functions[ln->function] : NULL;
	pk_str name = f ? pk_s(p, f->name) : (pk_str){"", 0};
	int64_t lineno = f ? ln->line : 0;
	if (l->address)
		pk_sb_fmt(sb, "%016" PRIx64, l->address);
	if (name.n) {
		if (sb->n > start)
			pk_sb_bytes(sb, " ", 1);
		pk_sb_bytes(sb, name.s, name.n);
	}
	const char *sep = sb->n > start ? " " : "";
	pk_sb_reset(clean);
	if (f) {
		pk_str file = pk_s(p, f->filename);
		if (file.n)
			pk_clean_path(clean, file.s, file.n);
	}
	if (lineno != 0) {
		pk_sb_cstr(sb, sep);
		pk_sb_bytes(sb, clean->s, clean->n);
		pk_sb_fmt(sb, ":%" PRId64, lineno);
	} else if (clean->n) {
		pk_sb_cstr(sb, sep);
		pk_sb_bytes(sb, clean->s, clean->n);
	} else if (name.n) {
		/* the function name alone */
	} else if (objfile) {
		/* nodeInfo keeps the object file only for frames without a function name */
		pk_sb_cstr(sb, sep);
		pk_sb_bytes(sb, "[", 1);
		base_name(sb, pk_s(p, objfile));
		pk_sb_bytes(sb, "]", 1);
	} else {
		pk_sb_cstr(sb, sep);
		pk_sb_cstr(sb, "<unknown>");
	}
}

typedef struct traces {
	pk_rpt *r;
	pk_sb names;     /* every frame name, back to back */
	pk_span *frames; /* by location line: frames[loc_first[i] + j] */
	size_t *loc_first;
	/* per-sample scratch */
	uint32_t *order; /* label indices */
	size_t cap_order;
	pk_sb lines; /* formatted label lines */
	pk_span *line_spans;
	size_t cap_spans;
} traces;

/* Writes the label lines of one sample: the string labels' lines sorted, then the numeric
 * ones' sorted. */
static bool print_labels(traces *t, const pk_sample *sm)
{
	pk_rpt *r = t->r;
	const pk_profile *p = r->p;
	const pk_label *l = p->labels + sm->label_start;
	uint32_t n = sm->n_labels;
	if (n == 0)
		return true;
	if (!pk_label_order(l, n, &t->order, &t->cap_order) ||
	    !pk_grow((void **)&t->line_spans, &t->cap_spans, n, sizeof *t->line_spans))
		return false;
	pk_sb_reset(&t->lines);
	char buf[128];
	for (uint32_t i = 0; i < n;) {
		/* One group: the string or the numeric labels of one key. */
		size_t first = i, n_lines = 0;
		bool num = l[t->order[i]].is_num;
		while (i < n && l[t->order[i]].is_num == num) {
			const pk_label *k = &l[t->order[i]];
			pk_str key = pk_s(p, k->key);
			const char *unit = num ? pk_rpt_num_label_unit(r, k->key) : NULL;
			pk_span sp = {t->lines.n, 0};
			pad10(&t->lines, key.s, key.n);
			pk_sb_cstr(&t->lines, ":  ");
			for (bool firstv = true;
			     i < n && l[t->order[i]].key == k->key && l[t->order[i]].is_num == num;
			     i++, firstv = false) {
				const pk_label *v = &l[t->order[i]];
				if (!firstv)
					pk_sb_bytes(&t->lines, " ", 1);
				if (num) {
					pk_scaled_label(buf, sizeof buf, v->num, unit, "auto");
					pk_sb_cstr(&t->lines, buf);
				} else {
					pk_str s = pk_s(p, v->str);
					pk_sb_bytes(&t->lines, s.s, s.n);
				}
			}
			pk_sb_bytes(&t->lines, "\n", 1);
			sp.len = t->lines.n - sp.off;
			t->line_spans[first + n_lines++] = sp;
		}
		if (t->lines.oom)
			return false;
		pk_span *g = t->line_spans + first;
		qsort_r(g, n_lines, sizeof *g, pk_span_cmp, t->lines.s);
		for (size_t j = 0; j < n_lines; j++)
			pk_out_bytes(&r->out, t->lines.s + g[j].off, g[j].len);
	}
	return true;
}

size_t *pk_rpt_frame_index(const pk_profile *p, size_t *total)
{
	size_t *index = pk_malloc(((size_t)p->n_locations + 1) * sizeof *index), n = 0;
	if (!index)
		return NULL;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		index[i] = n;
		n += p->locations[i].n_lines ? p->locations[i].n_lines : 1;
	}
	index[p->n_locations] = n;
	*total = n;
	return index;
}

static bool build_names(traces *t)
{
	const pk_profile *p = t->r->p;
	pk_sb clean = {0};
	size_t total = 0;
	if (!(t->loc_first = pk_rpt_frame_index(p, &total)))
		return false;
	t->frames = pk_malloc((total ? total : 1) * sizeof *t->frames);
	if (!t->frames)
		return false;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		const pk_location *l = &p->locations[i];
		uint32_t nl = l->n_lines ? l->n_lines : 1;
		for (uint32_t j = 0; j < nl; j++) {
			pk_span *sp = &t->frames[t->loc_first[i] + j];
			sp->off = t->names.n;
			pk_trace_frame_name(&t->names, &clean, p, l,
			                    l->n_lines ? &p->lines[l->line_start + j] : NULL);
			sp->len = t->names.n - sp->off;
		}
	}
	bool ok = !t->names.oom && !clean.oom;
	pk_sb_free(&clean);
	return ok;
}

/* -format=json|csv: the same samples, values and frames, one JSON object or CSV row per sample,
 * written as it goes (nothing is held but the current sample's label order). */
static pk_status traces_structured(traces *t)
{
	pk_rpt *r = t->r;
	const pk_profile *p = r->p;
	pk_out *o = &r->out;
	bool json = r->opt->output == PK_OUT_JSON;
	char buf[128];
	if (json) {
		pk_rpt_json_head(r, "traces");
		pk_out_cstr(o, "\"samples\":[");
	} else {
		pk_out_cstr(o, "sample,value,unit,value_scaled,labels,stack_leaf_first\r\n");
	}
	size_t k = 0;
	pk_sb cell = {0};
	for (size_t s = 0; s < p->n_samples && o->status == PK_OK; s++) {
		const pk_sample *sm = &p->samples[s];
		if (sm->n_locs == 0)
			continue;
		const int64_t *v = pk_sample_values(p, s);
		int64_t val = v[r->value_index];
		int64_t d = r->mean ? v[0] : 0;
		if (d != 0)
			val = (val == INT64_MIN && d == -1) ? val : val / d;
		const pk_label *l = p->labels + sm->label_start;
		if (sm->n_labels && !pk_label_order(l, sm->n_labels, &t->order, &t->cap_order))
			return pk_oom(r->ctx);
		if (json) {
			pk_out_cstr(o, k ? ",{" : "{");
			pk_rpt_json_value(r, "value", val, false);
			pk_out_cstr(o, ",\"labels\":[");
		} else {
			pk_out_fmt(o, "%zu,%lld,", k, (long long)val);
			pk_out_csv_str(o, r->sample_unit, strlen(r->sample_unit));
			pk_out_fmt(o, ",%s,", pk_rpt_format_value(r, buf, sizeof buf, val));
			pk_sb_reset(&cell);
		}
		for (uint32_t i = 0; i < sm->n_labels; i++) {
			const pk_label *x = &l[t->order[i]];
			pk_str key = pk_s(p, x->key);
			if (json) {
				pk_out_cstr(o, i ? ",{\"key\":" : "{\"key\":");
				pk_out_json_str(o, key.s, key.n);
				if (x->is_num) {
					const char *u = pk_rpt_num_label_unit(r, x->key);
					pk_out_fmt(o, ",\"num\":%lld,\"unit\":", (long long)x->num);
					pk_out_json_str(o, u, strlen(u));
				} else {
					pk_str sv = pk_s(p, x->str);
					pk_out_cstr(o, ",\"str\":");
					pk_out_json_str(o, sv.s, sv.n);
				}
				pk_out_cstr(o, "}");
			} else {
				if (i)
					pk_sb_bytes(&cell, ";", 1);
				pk_sb_bytes(&cell, key.s, key.n);
				pk_sb_bytes(&cell, "=", 1);
				if (x->is_num) {
					pk_scaled_label(buf, sizeof buf, x->num,
					                pk_rpt_num_label_unit(r, x->key), "auto");
					pk_sb_cstr(&cell, buf);
				} else {
					pk_str sv = pk_s(p, x->str);
					pk_sb_bytes(&cell, sv.s, sv.n);
				}
			}
		}
		if (json) {
			pk_out_cstr(o, "],\"stack\":[");
		} else {
			pk_out_csv_str(o, cell.s ? cell.s : "", cell.n);
			pk_out_cstr(o, ",");
			pk_sb_reset(&cell);
		}
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		bool first = true;
		for (uint32_t i = 0; i < sm->n_locs; i++) {
			uint32_t li = locs[i];
			size_t a = t->loc_first[li], b = t->loc_first[li + 1];
			for (size_t f = a; f < b; f++) {
				const pk_span *sp = &t->frames[f];
				if (json) {
					pk_out_cstr(o, first ? "{\"name\":" : ",{\"name\":");
					pk_out_json_str(o, t->names.s + sp->off, sp->len);
					pk_out_cstr(o, f != b - 1 ? ",\"inline\":true}"
					                          : ",\"inline\":false}");
				} else {
					if (!first)
						pk_sb_bytes(&cell, ";", 1);
					pk_sb_bytes(&cell, t->names.s + sp->off, sp->len);
					if (f != b - 1)
						pk_sb_cstr(&cell, " (inline)");
				}
				first = false;
			}
		}
		if (json) {
			pk_out_cstr(o, "]}");
		} else {
			pk_out_csv_str(o, cell.s ? cell.s : "", cell.n);
			pk_out_cstr(o, "\r\n");
		}
		if (cell.oom) {
			pk_sb_free(&cell);
			return pk_oom(r->ctx);
		}
		k++;
	}
	pk_sb_free(&cell);
	if (json)
		pk_out_cstr(o, "]}\n");
	return PK_OK;
}

pk_status pk_report_traces(pk_rpt *r)
{
	pk_profile *p = r->p;
	traces t = {0};
	pk_status st = PK_OK;
	pk_sb hdr = {0};
	char vbuf[128];
	t.r = r;

	if (r->opt->output != PK_OUT_TEXT) {
		if (!build_names(&t))
			goto oom;
		st = traces_structured(&t);
		goto done;
	}
	pk_rpt_profile_labels(r, &hdr);
	if (hdr.oom)
		goto oom;
	if (hdr.n)
		pk_out_bytes(&r->out, hdr.s, hdr.n);
	else
		pk_out_bytes(&r->out, "\n", 1); /* Println of an empty join */
	if (!build_names(&t))
		goto oom;

	for (size_t s = 0; s < p->n_samples && r->out.status == PK_OK; s++) {
		const pk_sample *sm = &p->samples[s];
		if (sm->n_locs == 0)
			continue;
		pk_out_bytes(&r->out, separator, sizeof separator - 1);
		if (!print_labels(&t, sm))
			goto oom;
		const int64_t *v = pk_sample_values(p, s);
		int64_t val = v[r->value_index];
		int64_t d = r->mean ? v[0] : 0;
		if (d != 0)
			val = (val == INT64_MIN && d == -1) ? val : val / d;
		pk_rpt_format_value(r, vbuf, sizeof vbuf, val);
		size_t vlen = strlen(vbuf), vpad = vlen < 10 ? 10 - vlen : 0; /* "%10s", ASCII */
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		bool first = true;
		for (uint32_t i = 0; i < sm->n_locs; i++) {
			uint32_t li = locs[i];
			size_t a = t.loc_first[li], b = t.loc_first[li + 1];
			for (size_t k = a; k < b; k++) {
				const pk_span *sp = &t.frames[k];
				if (first) {
					pk_out_bytes(&r->out, blank, vpad);
					pk_out_bytes(&r->out, vbuf, vlen);
					pk_out_bytes(&r->out, blank, 3);
					first = false;
				} else {
					pk_out_bytes(&r->out, blank, 13);
				}
				pk_out_bytes(&r->out, t.names.s + sp->off, sp->len);
				if (k != b - 1)
					pk_out_cstr(&r->out, " (inline)\n");
				else
					pk_out_bytes(&r->out, "\n", 1);
			}
		}
	}
	pk_out_bytes(&r->out, separator, sizeof separator - 1);
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	pk_sb_free(&hdr);
	pk_sb_free(&t.names);
	pk_sb_free(&t.lines);
	pk_free(t.frames);
	pk_free(t.loc_first);
	pk_free(t.order);
	pk_free(t.line_spans);
	return st;
}
