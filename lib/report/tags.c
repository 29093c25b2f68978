/* tags.c - the `tags` report: for every label key, the total of the selected sample
 * value over the samples carrying it, then each value of the key with its share, aligned by
 * Go's text/tabwriter (tabwriter.c).
 *
 * Mirrors internal/report/report.go printTags and internal/graph/graph.go SortTags (flat
 * order: |value| descending, then name). String and numeric labels of one key add up in the
 * same table; a numeric value is shown as measurement.ScaledLabel(v, NumLabelUnits[key],
 * -unit), so two numbers with the same label share a row, as they share a map entry in pprof.
 * Values are the raw sample values: -mean and -divide_by do not apply, as in pprof.
 *
 * Divergence: where two rows tie in pprof's order (equal |value| of opposite signs) pprof's
 * order is whatever its unstable sort leaves; here they are ordered by name.
 */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/structured.h"
#include "go/tabwriter.h"

typedef struct tag {
	pk_sid key, val;
	int64_t sum;
} tag;

typedef struct numkey {
	pk_sid key;
	int64_t num;
	pk_sid label;
} numkey;

typedef struct tags_state {
	tag *tags;
	size_t n_tags, cap_tags;
	pk_hash tag_h;
	numkey *nums;
	size_t n_nums, cap_nums;
	pk_hash num_h;
} tags_state;

static bool tag_eq(const void *ctx, uint32_t idx, const void *key)
{
	const tag *t = &((const tags_state *)ctx)->tags[idx], *k = key;
	return t->key == k->key && t->val == k->val;
}

static bool num_eq(const void *ctx, uint32_t idx, const void *key)
{
	const numkey *t = &((const tags_state *)ctx)->nums[idx], *k = key;
	return t->key == k->key && t->num == k->num;
}

/* The row of (key, val), created with a zero sum; NULL when out of memory. */
static tag *find_tag(tags_state *st, pk_sid key, pk_sid val)
{
	if (st->n_tags + 1 >= PK_NONE ||
	    !pk_grow((void **)&st->tags, &st->cap_tags, st->n_tags + 1, sizeof *st->tags))
		return NULL;
	tag k = {key, val, 0};
	st->tags[st->n_tags] = k;
	bool found;
	uint32_t i = pk_hash_intern(&st->tag_h, pk_hash_mix(key, val), tag_eq, st, &k,
	                            (uint32_t)st->n_tags, &found);
	if (i == PK_NONE)
		return NULL;
	if (!found)
		st->n_tags++;
	return &st->tags[i];
}

/* formatTag(num, NumLabelUnits[key]) as an interned string, once per distinct (key, num). */
static pk_sid num_label(pk_rpt *r, tags_state *st, pk_sid key, int64_t num)
{
	if (st->n_nums + 1 >= PK_NONE ||
	    !pk_grow((void **)&st->nums, &st->cap_nums, st->n_nums + 1, sizeof *st->nums))
		return PK_NONE;
	numkey k = {key, num, 0};
	bool found;
	uint32_t i = pk_hash_intern(&st->num_h, pk_hash_mix(key, (uint64_t)num), num_eq, st, &k,
	                            (uint32_t)st->n_nums, &found);
	if (i == PK_NONE)
		return PK_NONE;
	if (found)
		return st->nums[i].label;
	char buf[128];
	pk_scaled_label(buf, sizeof buf, num, pk_rpt_num_label_unit(r, key), r->output_unit);
	pk_sid id = pk_strtab_intern_cstr(&r->p->strs, buf);
	if (id == PK_NONE)
		return PK_NONE;
	k.label = id;
	st->nums[st->n_nums++] = k;
	return id;
}

/* Keys by name; rows of one key as SortTags(flat): |sum| descending, then name. */
static int tag_cmp(const void *a, const void *b, void *arg)
{
	const pk_profile *p = arg;
	const tag *x = a, *y = b;
	int c;
	if (x->key != y->key && (c = pk_str_cmp(pk_s(p, x->key), pk_s(p, y->key))))
		return c;
	if (pk_wabs(x->sum) != pk_wabs(y->sum))
		return pk_wabs(x->sum) > pk_wabs(y->sum) ? -1 : 1;
	return pk_str_cmp(pk_s(p, x->val), pk_s(p, y->val));
}

/* fmt's %.1f%s of measurement.Scale(v, sample unit, output unit). */
static void scaled(char *buf, size_t n, const pk_rpt *r, int64_t v)
{
	const char *u;
	double f = pk_scale(v, r->sample_unit, r->output_unit, &u);
	snprintf(buf, n, "%.1f%s", f, u);
}

static pk_status print_tags(pk_rpt *r, tags_state *st)
{
	pk_profile *p = r->p;
	pk_tw tw;
	pk_sb scratch = {0};
	char a[512], pct[32];
	pk_tw_init(&tw, &r->out, 0, 0, 1, ' ', PK_TW_ALIGN_RIGHT);
	if (st->n_tags)
		qsort_r(st->tags, st->n_tags, sizeof *st->tags, tag_cmp, p);
	for (size_t i = 0; i < st->n_tags && r->out.status == PK_OK;) {
		size_t j = i;
		int64_t total = 0;
		while (j < st->n_tags && st->tags[j].key == st->tags[i].key)
			total = pk_wadd(total, st->tags[j++].sum);
		pk_str key = pk_s(p, st->tags[i].key);
		pk_tw_write(&tw, key.s, key.n);
		scaled(a, sizeof a, r, total);
		pk_tw_printf(&tw, &scratch, ":\t Total %s\n", a);
		for (; i < j; i++) {
			const tag *t = &st->tags[i];
			pk_str name = pk_s(p, t->val);
			scaled(a, sizeof a, r, t->sum);
			if (total > 0)
				pk_tw_printf(&tw, &scratch, " \t%s (%s):\t ", a,
				             pk_percentage(pct, sizeof pct, t->sum, total));
			else
				pk_tw_printf(&tw, &scratch, " \t%s:\t ", a);
			pk_tw_write(&tw, name.s, name.n);
			pk_tw_write(&tw, "\n", 1);
		}
		pk_tw_write(&tw, "\n", 1);
	}
	bool ok = pk_tw_flush(&tw);
	pk_tw_free(&tw);
	pk_sb_free(&scratch);
	return ok ? PK_OK : pk_oom(r->ctx);
}

/* -format=json|csv: the rows of print_tags, in its order; scaled values as it prints them. */
static pk_status print_tags_structured(pk_rpt *r, tags_state *st)
{
	pk_profile *p = r->p;
	pk_out *o = &r->out;
	bool json = r->opt->output == PK_OUT_JSON;
	char a[512];
	if (st->n_tags)
		qsort_r(st->tags, st->n_tags, sizeof *st->tags, tag_cmp, p);
	if (json) {
		pk_rpt_json_head(r, "tags");
		pk_out_cstr(o, "\"keys\":[");
	} else {
		pk_out_cstr(o, "key,value,sum,pct,unit,sum_scaled\r\n");
	}
	for (size_t i = 0, nk = 0; i < st->n_tags && o->status == PK_OK; nk++) {
		size_t j = i;
		int64_t total = 0;
		while (j < st->n_tags && st->tags[j].key == st->tags[i].key)
			total = pk_wadd(total, st->tags[j++].sum);
		pk_str key = pk_s(p, st->tags[i].key);
		if (json) {
			pk_out_cstr(o, nk ? ",{\"key\":" : "{\"key\":");
			pk_out_json_str(o, key.s, key.n);
			scaled(a, sizeof a, r, total);
			pk_out_fmt(o, ",\"total\":%lld,\"total_scaled\":", (long long)total);
			pk_out_json_str(o, a, strlen(a));
			pk_out_cstr(o, ",\"values\":[");
		}
		for (size_t first = i; i < j; i++) {
			const tag *t = &st->tags[i];
			pk_str name = pk_s(p, t->val);
			scaled(a, sizeof a, r, t->sum);
			int64_t pct_of = total > 0 ? total : 0;
			if (json) {
				pk_out_cstr(o, i > first ? ",{\"value\":" : "{\"value\":");
				pk_out_json_str(o, name.s, name.n);
				pk_out_fmt(o, ",\"sum\":%lld,\"sum_scaled\":", (long long)t->sum);
				pk_out_json_str(o, a, strlen(a));
				pk_out_cstr(o, ",\"pct\":");
				pk_out_json_pct(o, t->sum, pct_of);
				pk_out_cstr(o, "}");
			} else {
				pk_out_csv_str(o, key.s, key.n);
				pk_out_cstr(o, ",");
				pk_out_csv_str(o, name.s, name.n);
				pk_out_fmt(o, ",%lld,", (long long)t->sum);
				pk_out_csv_pct(o, t->sum, pct_of);
				pk_out_cstr(o, ",");
				pk_out_csv_str(o, r->sample_unit, strlen(r->sample_unit));
				pk_out_cstr(o, ",");
				pk_out_csv_str(o, a, strlen(a));
				pk_out_cstr(o, "\r\n");
			}
		}
		if (json)
			pk_out_cstr(o, "]}");
	}
	if (json)
		pk_out_cstr(o, "]}\n");
	return PK_OK;
}

pk_status pk_report_tags(pk_rpt *r)
{
	pk_profile *p = r->p;
	tags_state st = {0};
	pk_status ret = PK_OK;
	if (!pk_hash_init(&st.tag_h, 64) || !pk_hash_init(&st.num_h, 64))
		goto oom;
	for (size_t s = 0; s < p->n_samples; s++) {
		const pk_sample *sm = &p->samples[s];
		const pk_label *l = p->labels + sm->label_start;
		int64_t w = pk_sample_values(p, s)[r->value_index];
		for (uint32_t i = 0; i < sm->n_labels; i++) {
			pk_sid val = l[i].is_num ? num_label(r, &st, l[i].key, l[i].num) : l[i].str;
			if (val == PK_NONE)
				goto oom;
			tag *t = find_tag(&st, l[i].key, val);
			if (!t)
				goto oom;
			t->sum = pk_wadd(t->sum, w);
		}
	}
	ret = r->opt->output != PK_OUT_TEXT ? print_tags_structured(r, &st) : print_tags(r, &st);
	goto done;
oom:
	ret = pk_oom(r->ctx);
done:
	pk_free(st.tags);
	pk_free(st.nums);
	pk_hash_destroy(&st.tag_h);
	pk_hash_destroy(&st.num_h);
	return ret;
}
