/* nodetags.c - the tags of graph nodes: what the dot report draws as nodelets.
 * Mirrors internal/graph/graph.go (Node.addSample's tag part, joinLabels, TagMap.findOrAddTag,
 * TrimLowFrequencyTags, countTags, selectTopNodes' visual budget) and the sample
 * preparation of internal/report/report.go newGraph: only the numeric label "bytes" is kept,
 * every value of it in the unit NumLabelUnits gives that key, and the label pprof::base (which
 * marks -diff_base samples) is left out of the joined labels.
 * The unit of "bytes" comes from the report (labelunits.c, decided before filtering); a graph
 * built without one finds it in its samples as Profile.NumLabelUnits does.
 * Divergence: a tag is keyed by (node, kind, group, name) in one hash table instead
 * of per-node maps, and a node's tags are chained from pk_gnode.tag_head. */
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

struct pk_tagbuild {
	pk_ctx *ctx;
	pk_graph *g;
	pk_profile *p;
	const char *unit;       /* output unit numeric tag names are scaled to */
	const char *bytes_unit; /* NumLabelUnits["bytes"] */
	pk_sid bytes_unit_sid;
	pk_sid bytes_key, base_key; /* PK_NONE when the profile lacks the string */
	pk_hash h;
	size_t cap;
	/* The current sample: joined labels and numeric tags (name, value). */
	pk_sid labels;
	pk_sid *num_name;
	int64_t *num_value;
	uint32_t n_num;
	size_t cap_num_name, cap_num_value;
	pk_str *parts; /* scratch for joinLabels */
	size_t *part_off;
	size_t cap_parts, cap_part_off;
	pk_sb sb;
	/* Names of numeric tag values seen (value -> interned name), direct-mapped: the same
	 * few sizes come back sample after sample, each formatted once while it stays. */
	struct {
		int64_t value;
		pk_sid name; /* 0: empty */
	} num_cache[1024];
};

typedef struct tag_key {
	uint32_t node;
	bool numeric;
	pk_sid group, name;
} tag_key;

static bool tag_eq(const void *ctx, uint32_t idx, const void *key)
{
	const pk_gtag *t = &((const pk_graph *)ctx)->tag[idx];
	const tag_key *k = key;
	return t->node == k->node && t->numeric == k->numeric && t->group == k->group &&
	       t->name == k->name;
}

/* Profile.NumLabelUnits for the key "bytes": the first unit given, else "bytes". */
static void find_bytes_unit(pk_tagbuild *tb)
{
	const pk_profile *p = tb->p;
	tb->bytes_unit = "bytes";
	if (tb->bytes_key == PK_NONE)
		return;
	for (size_t i = 0; i < p->n_labels; i++) {
		const pk_label *l = &p->labels[i];
		if (l->is_num && l->key == tb->bytes_key && l->unit != 0) {
			tb->bytes_unit = pk_s(p, l->unit).s;
			return;
		}
	}
}

pk_status pk_tags_begin(pk_ctx *ctx, pk_tagbuild **out, pk_graph *g, const char *unit,
                        const char *bytes_unit)
{
	pk_tagbuild *tb = pk_calloc(1, sizeof *tb);
	*out = NULL;
	if (!tb || !pk_hash_init(&tb->h, 1024)) {
		pk_free(tb);
		return pk_oom(ctx);
	}
	tb->ctx = ctx;
	tb->g = g;
	tb->p = g->p;
	tb->unit = unit && *unit ? unit : "minimum";
	tb->bytes_key = pk_strtab_lookup(&g->p->strs, "bytes", 5);
	tb->base_key = pk_strtab_lookup(&g->p->strs, "pprof::base", 11);
	if (bytes_unit && *bytes_unit)
		tb->bytes_unit = bytes_unit;
	else
		find_bytes_unit(tb);
	tb->bytes_unit_sid = pk_strtab_intern(&g->p->strs, tb->bytes_unit, strlen(tb->bytes_unit));
	if (tb->bytes_unit_sid == PK_NONE) {
		pk_tags_end(tb);
		return pk_oom(ctx);
	}
	*out = tb;
	return PK_OK;
}

void pk_tags_end(pk_tagbuild *tb)
{
	if (!tb)
		return;
	pk_hash_destroy(&tb->h);
	pk_free(tb->num_name);
	pk_free(tb->num_value);
	pk_free(tb->parts);
	pk_free(tb->part_off);
	pk_sb_free(&tb->sb);
	pk_free(tb);
}

static int str_cmp(const void *a, const void *b)
{
	return pk_str_cmp(*(const pk_str *)a, *(const pk_str *)b);
}

/* joinLabels: "key:value" for every string label, sorted, joined by a backslash and "n". */
static pk_status join_labels(pk_tagbuild *tb, const pk_sample *sm)
{
	const pk_profile *p = tb->p;
	const pk_label *lab = p->labels + sm->label_start;
	uint32_t n = 0;
	tb->labels = 0;
	if (!pk_grow((void **)&tb->parts, &tb->cap_parts, sm->n_labels, sizeof *tb->parts) ||
	    !pk_grow((void **)&tb->part_off, &tb->cap_part_off, sm->n_labels, sizeof *tb->part_off))
		return pk_oom(tb->ctx);
	/* Each part is "key:value", built in sb; pointed to once sb stops moving. */
	pk_sb_reset(&tb->sb);
	for (uint32_t i = 0; i < sm->n_labels; i++) {
		if (lab[i].is_num || lab[i].key == tb->base_key)
			continue;
		pk_str k = pk_s(p, lab[i].key), v = pk_s(p, lab[i].str);
		tb->parts[n].n = k.n + 1 + v.n;
		tb->part_off[n] = tb->sb.n;
		pk_sb_bytes(&tb->sb, k.s, k.n);
		pk_sb_bytes(&tb->sb, ":", 1);
		pk_sb_bytes(&tb->sb, v.s, v.n);
		n++;
	}
	if (n == 0)
		return PK_OK;
	if (tb->sb.oom)
		return pk_oom(tb->ctx);
	for (uint32_t i = 0; i < n; i++)
		tb->parts[i].s = tb->sb.s + tb->part_off[i];
	qsort(tb->parts, n, sizeof *tb->parts, str_cmp);
	pk_sb joined = {0};
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			pk_sb_bytes(&joined, "\\n", 2);
		pk_sb_bytes(&joined, tb->parts[i].s, tb->parts[i].n);
	}
	pk_sid id = joined.oom ? PK_NONE : pk_strtab_intern(&tb->p->strs, joined.s, joined.n);
	pk_sb_free(&joined);
	if (id == PK_NONE)
		return pk_oom(tb->ctx);
	tb->labels = id;
	return PK_OK;
}

pk_status pk_tags_sample(pk_tagbuild *tb, size_t s)
{
	const pk_profile *p = tb->p;
	const pk_sample *sm = &p->samples[s];
	tb->n_num = 0;
	tb->labels = 0;
	if (sm->n_labels == 0)
		return PK_OK;
	pk_status st = join_labels(tb, sm);
	if (st != PK_OK || tb->bytes_key == PK_NONE)
		return st;
	const pk_label *lab = p->labels + sm->label_start;
	for (uint32_t i = 0; i < sm->n_labels; i++) {
		if (!lab[i].is_num || lab[i].key != tb->bytes_key)
			continue;
		size_t need = (size_t)tb->n_num + 1;
		if (!pk_grow((void **)&tb->num_name, &tb->cap_num_name, need,
		             sizeof *tb->num_name) ||
		    !pk_grow((void **)&tb->num_value, &tb->cap_num_value, need,
		             sizeof *tb->num_value))
			return pk_oom(tb->ctx);
		size_t slot = (size_t)(pk_hash_mix((uint64_t)lab[i].num, 0) & 1023);
		pk_sid id = tb->num_cache[slot].name;
		if (!id || tb->num_cache[slot].value != lab[i].num) {
			char buf[128];
			pk_scaled_label(buf, sizeof buf, lab[i].num, tb->bytes_unit, tb->unit);
			id = pk_strtab_intern(&tb->p->strs, buf, strlen(buf));
			if (id == PK_NONE)
				return pk_oom(tb->ctx);
			tb->num_cache[slot].value = lab[i].num;
			tb->num_cache[slot].name = id;
		}
		tb->num_name[tb->n_num] = id;
		tb->num_value[tb->n_num] = lab[i].num;
		tb->n_num++;
	}
	return PK_OK;
}

/* TagMap.findOrAddTag, then the sample's weight. */
static pk_status add(pk_tagbuild *tb, uint32_t node, bool numeric, pk_sid group, pk_sid name,
                     int64_t value, int64_t dw, int64_t w, bool flat)
{
	pk_graph *g = tb->g;
	if (g->n_tags + 1 >= PK_NONE ||
	    !pk_grow((void **)&g->tag, &tb->cap, g->n_tags + 1, sizeof *g->tag))
		return pk_oom(tb->ctx);
	tag_key key = {node, numeric, group, name};
	uint64_t hv = pk_hash_mix(pk_hash_mix(node, name), ((uint64_t)group << 1) | numeric);
	bool found;
	uint32_t idx = pk_hash_intern(&tb->h, hv, tag_eq, g, &key, (uint32_t)g->n_tags, &found);
	if (idx == PK_NONE)
		return pk_oom(tb->ctx);
	pk_gtag *t = &g->tag[idx];
	if (!found) {
		memset(t, 0, sizeof *t);
		t->node = node;
		t->numeric = numeric;
		t->group = group;
		t->name = name;
		t->value = value;
		t->unit = numeric ? tb->bytes_unit_sid : 0;
		t->next = g->node[node].tag_head;
		g->node[node].tag_head = idx;
		g->n_tags++;
	}
	if (flat) {
		t->flat_div = pk_wadd(t->flat_div, dw); /* Go's int64 sums wrap */
		t->flat = pk_wadd(t->flat, w);
	} else {
		t->cum_div = pk_wadd(t->cum_div, dw);
		t->cum = pk_wadd(t->cum, w);
	}
	return PK_OK;
}

pk_status pk_tags_add(pk_tagbuild *tb, uint32_t n, int64_t dw, int64_t w, bool flat)
{
	pk_status st;
	if (tb->labels && (st = add(tb, n, false, 0, tb->labels, 0, dw, w, flat)) != PK_OK)
		return st;
	for (uint32_t i = 0; i < tb->n_num; i++)
		if ((st = add(tb, n, true, tb->labels, tb->num_name[i], tb->num_value[i], dw, w,
		              flat)) != PK_OK)
			return st;
	return PK_OK;
}

void pk_graph_trim_low_freq_tags(pk_graph *g, int64_t cutoff)
{
	/* In the tags' own order when there is room for a mark per node: a node's tags are
	 * thousands apart in that array, a walk of its chain would miss the cache at each. */
	bool *drawn = pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *drawn);
	if (drawn) {
		for (uint32_t i = 0; i < g->n_nodes; i++)
			drawn[g->nodes[i]] = true;
		for (size_t t = 0; t < g->n_tags; t++) {
			pk_gtag *tg = &g->tag[t];
			if (drawn[tg->node] && pk_wabs(tg->flat) < cutoff &&
			    pk_wabs(tg->cum) < cutoff)
				tg->removed = true;
		}
		pk_free(drawn);
		return;
	}
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		for (uint32_t t = g->node[g->nodes[i]].tag_head; t != PK_NONE; t = g->tag[t].next) {
			pk_gtag *tg = &g->tag[t];
			if (pk_wabs(tg->flat) < cutoff && pk_wabs(tg->cum) < cutoff)
				tg->removed = true;
		}
	}
}

enum { max_nodelets = 4 }; /* dotgraph.go maxNodelets */

/* countTags: the tags with a flat value (an underestimate of what is drawn, as in pprof),
 * counted no further than the budget reads (max_nodelets). */
static uint32_t count_tags(const pk_graph *g, uint32_t node)
{
	uint32_t count = 0;
	for (uint32_t t = g->node[node].tag_head; t != PK_NONE && count < max_nodelets;
	     t = g->tag[t].next)
		count += !g->tag[t].removed && g->tag[t].flat != 0;
	return count;
}

uint32_t pk_graph_visual_node_budget(const pk_graph *g, uint32_t max_nodes)
{
	uint64_t count = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		uint32_t tags = count_tags(g, g->nodes[i]);
		count += tags + 1;
		if (count >= max_nodes)
			return i + 1;
	}
	return max_nodes;
}
