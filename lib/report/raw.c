/* report_raw.c - the `raw` report (a text dump of the whole profile) and the `comments` report.
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

#include "report.h"
#include "go/tabwriter.h"

/* ---- Go time formatting ------------------------------------------------------------------ */

/* time.Time.String of time.Unix(0, ns) in the local zone (TZ), without a monotonic part. */
static void go_time_string(pk_sb *sb, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		pk_sb_cstr(sb, "?");
		return;
	}
	long long year = (long long)tm.tm_year + 1900;
	if (year < 0)
		pk_sb_fmt(sb, "-%04lld", -year);
	else
		pk_sb_fmt(sb, "%04lld", year);
	pk_sb_fmt(sb, "-%02d-%02d %02d:%02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	          tm.tm_sec);
	if (frac) {
		char digits[16];
		snprintf(digits, sizeof digits, "%09" PRId64, frac);
		size_t n = 9;
		while (n > 0 && digits[n - 1] == '0')
			n--;
		pk_sb_bytes(sb, ".", 1);
		pk_sb_bytes(sb, digits, n);
	}
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	pk_sb_fmt(sb, " %c%02ld%02ld ", sign, off / 60, off % 60);
	if (tm.tm_zone && tm.tm_zone[0])
		pk_sb_cstr(sb, tm.tm_zone);
	else
		pk_sb_fmt(sb, "%c%02ld%02ld", sign, off / 60, off % 60);
}

/* Go's fmtFrac: the prec lowest digits of *v as a fraction without trailing zeros, written
 * backwards ending at buf[w]; *v keeps the integer part. Returns the new start. */
static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(*v % 10);
		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--w] = '.';
	return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	if (v == 0)
		buf[--w] = '0';
	while (v > 0) {
		buf[--w] = (char)('0' + v % 10);
		v /= 10;
	}
	return w;
}

/* time.Duration.String into out (at least 33 bytes); returns out. */
static char *go_duration_string(char *out, int64_t d)
{
	char buf[32];
	size_t w = sizeof buf;
	uint64_t u = (uint64_t)d;
	bool neg = d < 0;
	if (neg)
		u = 0 - u;
	if (u < 1000000000ULL) {
		int prec;
		buf[--w] = 's';
		if (u == 0) {
			snprintf(out, 33, "0s");
			return out;
		} else if (u < 1000ULL) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000ULL) {
			prec = 3;
			buf[--w] = '\xb5'; /* U+00B5 micro sign */
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		w = fmt_frac(buf, w, &u, prec);
		w = fmt_int(buf, w, u);
	} else {
		buf[--w] = 's';
		w = fmt_frac(buf, w, &u, 9);
		w = fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			w = fmt_int(buf, w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				w = fmt_int(buf, w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	memcpy(out, buf + w, sizeof buf - w);
	out[sizeof buf - w] = 0;
	return out;
}

/* fmt's %.4v of a Stringer: the string cut after four runes. */
static size_t first_runes(const char *s, size_t n, size_t runes)
{
	size_t i = 0;
	for (size_t r = 0; r < runes && i < n; r++)
		i += pk_rune_len(s + i, n - i);
	return i;
}

/* ---- strings.TrimSpace ------------------------------------------------------------------- */

/* Length of the Unicode white space rune at s[0..n) (unicode.IsSpace), or 0. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n >= 3 && s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80) /* U+1680 */
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f) /* U+205F */
		return 3;
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

static pk_str trim_space(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t b = 0, e = n, k;
	while (b < e && (k = space_at(s + b, e - b)) > 0)
		b += k;
	for (bool again = true; again && e > b;) {
		again = false;
		for (size_t len = 1; len <= 3 && len <= e - b; len++) {
			if (space_at(s + e - len, len) == len) {
				e -= len;
				again = true;
				break;
			}
		}
	}
	return (pk_str){str + b, (uint32_t)(e - b)};
}

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
		go_time_string(&sb, p->time_nanos);
		if (sb.oom)
			goto oom;
		pk_out_cstr(&r->out, "Time: ");
		pk_out_bytes(&r->out, sb.s, sb.n);
		pk_out_cstr(&r->out, "\n");
	}
	if (p->duration_nanos != 0) {
		char d[40];
		go_duration_string(d, p->duration_nanos);
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
	pk_out_str(&r->out, trim_space(sb.s ? sb.s : "", sb.n));

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
	free(st.order);
	free(st.spans);
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
