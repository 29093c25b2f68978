/* tagfilter.c - -tagfocus / -tagignore: which samples a tag filter accepts.
 *
 * Mirrors internal/driver/driver_focus.go compileTagFilter and parseTagFilterRange (with
 * internal/measurement Scale through units.c pk_scale):
 * - "key=VALUE" restricts the filter to label key; a VALUE that is a range of numbers ("1kb:",
 *   ":64", "2mb:4mb", "1024") filters numeric labels (of key, or of any key), each value scaled
 *   from its key's unit (NumLabelUnits) to the range's unit; pprof prints
 *   "tagfocus:Interpreted '1kb:' as range, not regexp".
 * - Otherwise VALUE is a comma list of regexps. With a key, a sample passes when any regexp
 *   matches any string value of the key (OR). Without one, every regexp must match some
 *   "key:value" of the sample's string labels (AND).
 * Regexp answers are cached per string value (keyed form) or per (key, value) pair, so the cost
 * follows distinct labels, not samples.
 *
 * Divergence: pprof panics when a number of a range does not fit in int64; here that is a
 * usage error naming the flag.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

/* ---- parseTagFilterRange ---------------------------------------------------------------- */

/* One match of ([+-]?[[:digit:]]+)([[:alpha:]]+)? at or after *pos: [*start, *end), the
 * number's end in *num_end. */
static bool next_number(const char *s, size_t n, size_t *pos, size_t *start, size_t *num_end,
                        size_t *end)
{
	for (size_t i = *pos; i < n; i++) {
		size_t j = i;
		if ((s[j] == '+' || s[j] == '-') && j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '9')
			j++;
		if (s[j] < '0' || s[j] > '9')
			continue;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		*num_end = j;
		while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
			j++;
		*start = i;
		*end = j;
		*pos = j;
		return true;
	}
	return false;
}

/* strconv.ParseInt(s[0..n), 10, 64) */
static bool parse_int64(pk_ctx *ctx, const char *flag, const char *s, size_t n, int64_t *v)
{
	char buf[64];
	if (n >= sizeof buf) {
		pk_fail(
		    ctx, PK_EUSAGE,
		    "%s: failed to parse int %.*s: strconv.ParseInt: parsing \"%.*s\": value out "
		    "of range",
		    flag, (int)n, s, (int)n, s);
		return false;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	long long x = strtoll(buf, NULL, 10);
	if (errno == ERANGE) {
		pk_fail(
		    ctx, PK_EUSAGE,
		    "%s: failed to parse int %s: strconv.ParseInt: parsing \"%s\": value out of "
		    "range",
		    flag, buf, buf);
		return false;
	}
	*v = (int64_t)x;
	return true;
}

int pk_tagrange_parse(pk_ctx *ctx, const char *flag, const char *filter, pk_tagrange *out)
{
	size_t n = strlen(filter), pos = 0, a0, an, ae, b0 = 0, bn = 0, be = 0;
	memset(out, 0, sizeof *out);
	if (!next_number(filter, n, &pos, &a0, &an, &ae))
		return 0;
	bool two = next_number(filter, n, &pos, &b0, &bn, &be);
	int64_t v;
	if (!parse_int64(ctx, flag, filter + a0, an - a0, &v))
		return -1;
	/* Scale(v, unit letters, unit letters): the value in the unit, and its canonical name. */
	char u1[256];
	size_t ul = ae - an < sizeof u1 ? ae - an : sizeof u1 - 1;
	memcpy(u1, filter + an, ul);
	u1[ul] = 0;
	const char *unit;
	double lo = pk_scale(v, u1, u1, &unit), hi = 0;
	size_t mlen = ae - a0;
	if (!two) {
		if (a0 == 0 && n == mlen)
			out->kind = PK_TR_EQ;
		else if (a0 == 0 && n == mlen + 1 && filter[mlen] == ':')
			out->kind = PK_TR_GE;
		else if (a0 == 1 && n == mlen + 1 && filter[0] == ':')
			out->kind = PK_TR_LE;
		else
			return 0;
		if (out->kind == PK_TR_LE) {
			hi = lo;
			lo = 0;
		}
	} else {
		/* filter must be exactly FIRST ":" SECOND */
		if (a0 != 0 || b0 != ae + 1 || filter[ae] != ':' || be != n)
			return 0;
		int64_t v2;
		if (!parse_int64(ctx, flag, filter + b0, bn - b0, &v2))
			return -1;
		char u2[256];
		ul = be - bn < sizeof u2 ? be - bn : sizeof u2 - 1;
		memcpy(u2, filter + bn, ul);
		u2[ul] = 0;
		const char *unit2;
		hi = pk_scale(v2, u2, unit, &unit2);
		if (strcmp(unit, unit2) != 0)
			return 0;
		out->kind = PK_TR_BETWEEN;
	}
	out->lo = lo;
	out->hi = hi;
	out->unit = pk_strdup(unit);
	if (!out->unit) {
		pk_oom(ctx);
		return -1;
	}
	return 1;
}

bool pk_tagrange_match(const pk_tagrange *tr, int64_t v, const char *u)
{
	const char *su;
	double sv = pk_scale(v, u, tr->unit, &su);
	if (strcmp(su, tr->unit) != 0)
		return false;
	switch (tr->kind) {
	case PK_TR_EQ:
		return sv == tr->lo;
	case PK_TR_GE:
		return sv >= tr->lo;
	case PK_TR_LE:
		return sv <= tr->hi;
	case PK_TR_BETWEEN:
		return sv >= tr->lo && sv <= tr->hi;
	}
	return false;
}

/* ---- compileTagFilter ------------------------------------------------------------------- */

/* (key, value) string pair -> row of per-regexp answers (0 unknown, 1 match, 2 no match). */
typedef struct pair_slot {
	uint64_t key; /* key sid << 32 | value sid */
	uint32_t row; /* UINT32_MAX: empty */
} pair_slot;

struct pk_tagfilter {
	const pk_fenv *r;
	bool numeric;
	bool keyed; /* "key=..." */
	pk_sid key; /* PK_NONE: the key is no string of the profile, so no sample has it */
	pk_tagrange range;
	pk_regex **rx;
	size_t n_rx;
	uint8_t *val_cache; /* keyed regexps: per value sid, 0 unknown, 1 match, 2 no */
	uint32_t n_strs;
	pair_slot *slots; /* unkeyed regexps */
	size_t cap_slots, n_used;
	uint8_t *rows;
	size_t n_rows, cap_rows;
	pk_sb scratch;
	bool oom;
};

void pk_tagfilter_free(pk_tagfilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_rx; i++)
		pk_regex_free(f->rx[i]);
	pk_free(f->rx);
	pk_free(f->range.unit);
	pk_free(f->val_cache);
	pk_free(f->slots);
	pk_free(f->rows);
	pk_sb_free(&f->scratch);
	pk_free(f);
}

pk_status pk_tagfilter_compile(const pk_fenv *r, pk_tagfilter **out, const char *flag,
                               const char *value)
{
	pk_profile *p = r->p;
	pk_status st;
	*out = NULL;
	if (!value || !*value)
		return PK_OK;
	pk_tagfilter *f = pk_calloc(1, sizeof *f);
	if (!f)
		return pk_oom(r->ctx);
	f->r = r;
	f->key = PK_NONE;
	const char *eq = strchr(value, '=');
	if (eq) {
		/* SplitN(value, "=", 2); an empty key is the same as no key. */
		f->keyed = eq != value;
		if (f->keyed)
			f->key = pk_strtab_lookup(&p->strs, value, (size_t)(eq - value));
		value = eq + 1;
	}
	int isrange = pk_tagrange_parse(r->ctx, flag, value, &f->range);
	if (isrange < 0) {
		st = r->ctx->status == PK_ENOMEM ? PK_ENOMEM : PK_EUSAGE;
		goto fail;
	}
	if (isrange) {
		pk_warn(r->ctx, "%s:Interpreted '%s' as range, not regexp", flag, value);
		f->numeric = true;
		*out = f;
		return PK_OK;
	}
	/* A comma-separated list of regexps. */
	size_t n = 1;
	for (const char *c = value; *c; c++)
		n += *c == ',';
	f->rx = pk_calloc(n, sizeof *f->rx);
	if (!f->rx) {
		st = pk_oom(r->ctx);
		goto fail;
	}
	for (const char *s = value;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		char *part = pk_malloc(len + 1);
		if (!part) {
			st = pk_oom(r->ctx);
			goto fail;
		}
		memcpy(part, s, len);
		part[len] = 0;
		st = pk_regex_compile(r->ctx, &f->rx[f->n_rx], part, flag);
		pk_free(part);
		if (st != PK_OK)
			goto fail;
		f->n_rx++;
		if (!c)
			break;
		s = c + 1;
	}
	f->n_strs = p->strs.n;
	if (f->keyed) {
		f->val_cache = pk_calloc(f->n_strs ? f->n_strs : 1, 1);
		if (!f->val_cache) {
			st = pk_oom(r->ctx);
			goto fail;
		}
	}
	*out = f;
	return PK_OK;
fail:
	pk_tagfilter_free(f);
	return st;
}

/* The row of answers of pair (key, value), created unknown on first sight; NULL: no memory. */
static uint8_t *pair_row(pk_tagfilter *f, pk_sid key, pk_sid val)
{
	uint64_t k = (uint64_t)key << 32 | val;
	if (f->n_used * 2 >= f->cap_slots) {
		size_t cap = f->cap_slots ? f->cap_slots * 2 : 64;
		pair_slot *v = pk_malloc(cap * sizeof *v);
		if (!v)
			return NULL;
		for (size_t i = 0; i < cap; i++)
			v[i].row = UINT32_MAX;
		for (size_t i = 0; i < f->cap_slots; i++) {
			if (f->slots[i].row == UINT32_MAX)
				continue;
			size_t h = pk_hash_slot(f->slots[i].key) & (cap - 1);
			while (v[h].row != UINT32_MAX)
				h = (h + 1) & (cap - 1);
			v[h] = f->slots[i];
		}
		pk_free(f->slots);
		f->slots = v;
		f->cap_slots = cap;
	}
	size_t h = pk_hash_slot(k) & (f->cap_slots - 1);
	while (f->slots[h].row != UINT32_MAX) {
		if (f->slots[h].key == k)
			return f->rows + (size_t)f->slots[h].row * f->n_rx;
		h = (h + 1) & (f->cap_slots - 1);
	}
	if (!pk_grow((void **)&f->rows, &f->cap_rows, (f->n_rows + 1) * f->n_rx, 1))
		return NULL;
	f->slots[h].key = k;
	f->slots[h].row = (uint32_t)f->n_rows;
	f->n_used++;
	uint8_t *row = f->rows + f->n_rows * f->n_rx;
	memset(row, 0, f->n_rx);
	f->n_rows++;
	return row;
}

/* rx j against "key:value" (TODO in pprof: match the value only). */
static bool pair_matches(pk_tagfilter *f, const pk_label *l, size_t j)
{
	const pk_profile *p = f->r->p;
	uint8_t *row = pair_row(f, l->key, l->str);
	if (row && row[j])
		return row[j] == 1;
	pk_str k = pk_s(p, l->key), v = pk_s(p, l->str);
	pk_sb_reset(&f->scratch);
	pk_sb_bytes(&f->scratch, k.s, k.n);
	pk_sb_bytes(&f->scratch, ":", 1);
	pk_sb_bytes(&f->scratch, v.s, v.n);
	if (f->scratch.oom) {
		f->oom = true;
		return false;
	}
	bool m = pk_regex_match(f->rx[j], f->scratch.s, f->scratch.n);
	if (row)
		row[j] = m ? 1 : 2;
	return m;
}

bool pk_tagfilter_match(pk_tagfilter *f, size_t i)
{
	const pk_profile *p = f->r->p;
	const pk_sample *s = &p->samples[i];
	const pk_label *l = p->labels + s->label_start;
	if (f->numeric) {
		for (uint32_t k = 0; k < s->n_labels; k++) {
			if (!l[k].is_num || (f->keyed && l[k].key != f->key))
				continue;
			if (pk_tagrange_match(&f->range, l[k].num,
			                      pk_nlu_unit(f->r->p, f->r->nlu, l[k].key)))
				return true;
		}
		return false;
	}
	if (f->keyed) {
		for (uint32_t k = 0; k < s->n_labels; k++) {
			if (l[k].is_num || l[k].key != f->key || pk_label_hidden(p, &l[k]))
				continue;
			pk_sid v = l[k].str;
			if (v < f->n_strs && f->val_cache[v]) {
				if (f->val_cache[v] == 1)
					return true;
				continue;
			}
			pk_str vs = pk_s(p, v);
			bool m = false;
			for (size_t j = 0; j < f->n_rx && !m; j++)
				m = pk_regex_match(f->rx[j], vs.s, vs.n);
			if (v < f->n_strs)
				f->val_cache[v] = m ? 1 : 2;
			if (m)
				return true;
		}
		return false;
	}
	/* Every regexp must match some "key:value". */
	for (size_t j = 0; j < f->n_rx; j++) {
		bool found = false;
		for (uint32_t k = 0; k < s->n_labels && !found; k++)
			if (!l[k].is_num && !pk_label_hidden(p, &l[k]))
				found = pair_matches(f, &l[k], j);
		if (!found)
			return false;
	}
	return true;
}

bool pk_tagfilter_oom(const pk_tagfilter *f)
{
	return f->oom;
}
