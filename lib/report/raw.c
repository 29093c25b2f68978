/* raw.c - the `raw` report (a text dump of the whole profile) and the `comments` report.
 *
 * Mirrors profile/profile.go Profile.String and its helpers (Sample.string, Location.string,
 * Mapping.string, labelsToString, numLabelsToString), and internal/report/report.go
 * printComments. Go formatting reproduced here:
 * - "Time: %v" of time.Unix(0, ns): "2006-01-02 15:04:05.999999999 -0700 MST" in the local zone
 *   (trailing zeros of the fraction dropped, no fraction when zero).
 * - "Duration: %.4v" of a time.Duration: Duration.String cut to its first four runes
 *   ("2.69s" prints as "2.69", "500ms" as "500m").
 * - %#x prints 0 as "0x0"; %10d and %6d pad with spaces.
 * - Labels print as "key:[v1 v2]" per key (fmt's %v of a slice), the entries sorted as
 *   strings and joined by spaces; string labels on one line, numeric ones on the next. A
 *   numeric value shows its unit ("512 bytes") when some value of that key in that sample has
 *   one (Sample.NumUnit exists for the key; values without one print "5 ").
 * - The sample types line is strings.TrimSpace of "type/unit[dflt] " per type.
 * The profile is the merged one, at address granularity with inlined frames (pipeline.c), so
 * IDs are merge's and nothing is aggregated. Output streams sample by sample.
 */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"
#include "go/tabwriter.h"

/* ---- Go time formatting ------------------------------------------------------------------ */

/* fmt's %.4v of a Stringer: the string cut after four runes. */
static size_t first_runes(const char *s, size_t n, size_t runes)
{
	size_t i = 0;
	for (size_t r = 0; r < runes && i < n; r++)
		i += pk_rune_len(s + i, n - i);
	return i;
}

/* ---- strings.TrimSpace ------------------------------------------------------------------- */

/* ---- samples ----------------------------------------------------------------------------- */

typedef struct raw_state {
	pk_rpt *r;
	uint32_t *order;
	size_t cap_order;
	pk_span *spans;
	size_t cap_spans;
	pk_sb text; /* label entries of one sample */
} raw_state;

/* One "key:[...]" entry of labels l[order[*i] ...] sharing a key and kind; advances *i. */
static void label_entry(raw_state *st, const pk_label *l, uint32_t n, uint32_t *i)
{
	const pk_profile *p = st->r->p;
	const pk_label *k = &l[st->order[*i]];
	uint32_t end = *i;
	bool units = false;
	while (end < n && l[st->order[end]].key == k->key &&
	       l[st->order[end]].is_num == k->is_num) {
		units = units || l[st->order[end]].unit != 0;
		end++;
	}
	pk_str key = pk_s(p, k->key);
	pk_sb_bytes(&st->text, key.s, key.n);
	pk_sb_cstr(&st->text, ":[");
	for (uint32_t j = *i; j < end; j++) {
		const pk_label *v = &l[st->order[j]];
		if (j > *i)
			pk_sb_bytes(&st->text, " ", 1);
		if (!v->is_num) {
			pk_str s = pk_s(p, v->str);
			pk_sb_bytes(&st->text, s.s, s.n);
		} else {
			pk_sb_fmt(&st->text, "%" PRId64, v->num);
			if (units) {
				pk_str u = pk_s(p, v->unit);
				pk_sb_bytes(&st->text, " ", 1);
				pk_sb_bytes(&st->text, u.s, u.n);
			}
		}
	}
	pk_sb_bytes(&st->text, "]", 1);
	*i = end;
}

/* The label lines of one sample: "\n" + 16 spaces + the sorted entries, for the string labels
 * and then for the numeric ones. */
static bool sample_labels(raw_state *st, const pk_sample *sm)
{
	pk_rpt *r = st->r;
	const pk_label *l = r->p->labels + sm->label_start;
	uint32_t n = sm->n_labels;
	if (n == 0)
		return true;
	if (!pk_label_order(l, n, &st->order, &st->cap_order) ||
	    !pk_grow((void **)&st->spans, &st->cap_spans, n, sizeof *st->spans))
		return false;
	for (uint32_t i = 0; i < n;) {
		bool num = l[st->order[i]].is_num;
		size_t k = 0;
		pk_sb_reset(&st->text);
		while (i < n && l[st->order[i]].is_num == num) {
			pk_span sp = {st->text.n, 0};
			label_entry(st, l, n, &i);
			sp.len = st->text.n - sp.off;
			st->spans[k++] = sp;
		}
		if (st->text.oom)
			return false;
		qsort_r(st->spans, k, sizeof *st->spans, pk_span_cmp, st->text.s);
		pk_out_cstr(&r->out, "\n                ");
		for (size_t j = 0; j < k; j++) {
			if (j)
				pk_out_bytes(&r->out, " ", 1);
			pk_out_bytes(&r->out, st->text.s + st->spans[j].off, st->spans[j].len);
		}
	}
	return true;
}

/* ---- locations and mappings ------------------------------------------------------------- */

static void print_location(pk_rpt *r, const pk_location *l)
{
	const pk_profile *p = r->p;
	char head[96];
	int n = snprintf(head, sizeof head, "%6" PRIu64 ": 0x%" PRIx64 " ", l->id, l->address);
	pk_out_cstr(&r->out, "\n");
	pk_out_bytes(&r->out, head, (size_t)n);
	if (l->mapping != PK_NONE)
		pk_out_fmt(&r->out, "M=%" PRIu64 " ", p->mappings[l->mapping].id);
	if (l->is_folded)
		pk_out_cstr(&r->out, "[F] ");
	for (uint32_t i = 0; i < l->n_lines; i++) {
		const pk_line *ln = &p->lines[l->line_start + i];
		if (i > 0)
			pk_out_cstr(&r->out, "\n             ");
		if (ln->function == PK_NONE) {
			pk_out_cstr(&r->out, "??");
			continue;
		}
		const pk_function *f = &p->functions[ln->function];
		pk_out_str(&r->out, pk_s(p, f->name));
		pk_out_bytes(&r->out, " ", 1);
		pk_out_str(&r->out, pk_s(p, f->filename));
		pk_out_fmt(&r->out, ":%" PRId64 " s=%" PRId64, ln->line, f->start_line);
		if (f->name != f->system_name) {
			pk_out_bytes(&r->out, "(", 1);
			pk_out_str(&r->out, pk_s(p, f->system_name));
			pk_out_bytes(&r->out, ")", 1);
		}
	}
}

static void print_mapping(pk_rpt *r, const pk_mapping *m)
{
	const pk_profile *p = r->p;
	pk_out_fmt(&r->out, "\n%" PRIu64 ": 0x%" PRIx64 "/0x%" PRIx64 "/0x%" PRIx64 " ", m->id,
	           m->start, m->limit, m->offset);
	pk_out_str(&r->out, pk_s(p, m->file));
	pk_out_bytes(&r->out, " ", 1);
	pk_out_str(&r->out, pk_s(p, m->build_id));
	pk_out_bytes(&r->out, " ", 1);
	if (m->has_functions)
		pk_out_cstr(&r->out, "[FN]");
	if (m->has_filenames)
		pk_out_cstr(&r->out, "[FL]");
	if (m->has_line_numbers)
		pk_out_cstr(&r->out, "[LN]");
	if (m->has_inline_frames)
		pk_out_cstr(&r->out, "[IN]");
}

/* fmt's %*d of v between pre and post, without going through printf (it runs per value and
 * per frame). */
static void out_digits(pk_out *o, bool neg, uint64_t u, int width, const char *pre,
                       const char *post)
{
	char buf[64];
	size_t w = sizeof buf;
	do {
		buf[--w] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		buf[--w] = '-';
	while ((int)(sizeof buf - w) < width)
		buf[--w] = ' ';
	pk_out_cstr(o, pre);
	pk_out_bytes(o, buf + w, sizeof buf - w);
	pk_out_cstr(o, post);
}

static void out_int(pk_out *o, int64_t v, int width, const char *pre, const char *post)
{
	out_digits(o, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, width, pre, post);
}

static void out_uint(pk_out *o, uint64_t v, const char *pre, const char *post)
{
	out_digits(o, false, v, 0, pre, post);
}

/* ---- the report ------------------------------------------------------------------------- */

/* Lines are joined with "\n" and the whole ends in "\n": each line after the first starts
 * with its "\n". */
pk_status pk_report_raw(pk_rpt *r)
{
	pk_profile *p = r->p;
	raw_state st = {0};
	pk_sb sb = {0};
	pk_status ret = PK_OK;
	st.r = r;

	for (uint32_t i = 0; i < p->n_comments; i++) {
		pk_out_cstr(&r->out, "Comment: ");
		pk_out_str(&r->out, pk_s(p, p->comments[i]));
		pk_out_cstr(&r->out, "\n");
	}
	pk_out_cstr(&r->out, "PeriodType: ");
	pk_out_str(&r->out, pk_s(p, p->period_type.type));
	pk_out_bytes(&r->out, " ", 1);
	pk_out_str(&r->out, pk_s(p, p->period_type.unit));
	pk_out_fmt(&r->out, "\nPeriod: %" PRId64 "\n", p->period);
	if (p->time_nanos != 0) {
		pk_go_time_string(&sb, p->time_nanos);
		if (sb.oom)
			goto oom;
		pk_out_cstr(&r->out, "Time: ");
		pk_out_bytes(&r->out, sb.s, sb.n);
		pk_out_cstr(&r->out, "\n");
	}
	if (p->duration_nanos != 0) {
		char d[40];
		pk_go_duration_string(d, p->duration_nanos);
		pk_out_cstr(&r->out, "Duration: ");
		pk_out_bytes(&r->out, d, first_runes(d, strlen(d), 4));
		pk_out_cstr(&r->out, "\n");
	}
	pk_out_cstr(&r->out, "Samples:\n");
	pk_sb_reset(&sb);
	for (uint32_t i = 0; i < p->n_sample_types; i++) {
		pk_str t = pk_s(p, p->sample_types[i].type), u = pk_s(p, p->sample_types[i].unit);
		pk_sb_bytes(&sb, t.s, t.n);
		pk_sb_bytes(&sb, "/", 1);
		pk_sb_bytes(&sb, u.s, u.n);
		if (p->sample_types[i].type == p->default_sample_type)
			pk_sb_cstr(&sb, "[dflt]");
		pk_sb_bytes(&sb, " ", 1);
	}
	if (sb.oom)
		goto oom;
	pk_out_str(&r->out, pk_go_trim_space(sb.s ? sb.s : "", sb.n));

	for (size_t s = 0; s < p->n_samples && r->out.status == PK_OK; s++) {
		const pk_sample *sm = &p->samples[s];
		const int64_t *v = pk_sample_values(p, s);
		pk_out_bytes(&r->out, "\n", 1);
		for (uint32_t i = 0; i < p->n_sample_types; i++)
			out_int(&r->out, v[i], 10, " ", "");
		pk_out_cstr(&r->out, ": ");
		const uint32_t *locs = p->sample_locs + sm->loc_start;
		for (uint32_t i = 0; i < sm->n_locs; i++)
			out_uint(&r->out, p->locations[locs[i]].id, "", " ");
		if (!sample_labels(&st, sm))
			goto oom;
	}
	pk_out_cstr(&r->out, "\nLocations");
	for (uint32_t i = 0; i < p->n_locations && r->out.status == PK_OK; i++)
		print_location(r, &p->locations[i]);
	pk_out_cstr(&r->out, "\nMappings");
	for (uint32_t i = 0; i < p->n_mappings && r->out.status == PK_OK; i++)
		print_mapping(r, &p->mappings[i]);
	pk_out_cstr(&r->out, "\n");
	goto done;
oom:
	ret = pk_oom(r->ctx);
done:
	pk_sb_free(&sb);
	pk_sb_free(&st.text);
	pk_free(st.order);
	pk_free(st.spans);
	return ret;
}

pk_status pk_report_comments(pk_rpt *r)
{
	const pk_profile *p = r->p;
	for (uint32_t i = 0; i < p->n_comments; i++) {
		pk_out_str(&r->out, pk_s(p, p->comments[i]));
		pk_out_bytes(&r->out, "\n", 1);
	}
	return PK_OK;
}
