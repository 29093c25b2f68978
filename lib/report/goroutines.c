/* goroutines.c - `pprofkit goroutines`: the report people read a goroutine dump for.
 *
 * Samples are grouped by their stack (every location's lines: function, file, line) and
 * their labels, the numeric "wait" label (minutes, from a dump's header) aside: the string
 * label "state" of a dump is one of those labels, so a group is one stack in one state. Each
 * group: how many goroutines, the state, the range of wait times, its other labels and the
 * stack, leaf first (for a dump, the root frame is the "created by" site). Groups are sorted
 * by count, largest first; before them, a line per state with its count.
 *
 * -min_wait=DURATION keeps only goroutines whose wait is at least DURATION (a goroutine
 * without a wait has waited under a minute). Under -diff_base (the base samples carry the
 * label pprof::base and negated values, as for every report), a group counts its old and
 * new goroutines, and the groups that gained come first, most gained first: a leak shows as
 * the group that grows, also next to a larger group of idle workers in the same state, while
 * goroutines that come and go in one group between the dumps show as no change.
 * Ties are broken by state, then stack and labels (byte order), so the order is total.
 */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/goroutines.h"

typedef struct group {
	size_t rep; /* a sample of the group */
	int64_t now, old;
	int64_t wait_min, wait_max;
	bool has_wait, no_wait;
} group;

typedef struct gctx {
	const pk_profile *p;
	pk_sid k_wait, k_state, k_base;
	group *g;
	bool diff;
} gctx;

static bool skip_label(const gctx *c, const pk_label *l)
{
	return l->key == c->k_wait || l->key == c->k_base;
}

static uint64_t sample_hash(const gctx *c, size_t i)
{
	const pk_profile *p = c->p;
	const pk_sample *s = &p->samples[i];
	uint64_t h = 0x60;
	for (uint32_t k = 0; k < s->n_locs; k++) {
		const pk_location *l = &p->locations[p->sample_locs[s->loc_start + k]];
		h = pk_hash_mix(h, l->n_lines ? 0 : l->address);
		for (uint32_t j = 0; j < l->n_lines; j++) {
			const pk_line *ln = &p->lines[l->line_start + j];
			const pk_function *f =
			    ln->function != PK_NONE ? &p->functions[ln->function] : NULL;
			h = pk_hash_mix(h, f ? f->name : 0);
			h = pk_hash_mix(h, f ? f->filename : 0);
			h = pk_hash_mix(h, (uint64_t)ln->line);
		}
	}
	for (uint32_t k = 0; k < s->n_labels; k++) {
		const pk_label *l = &p->labels[s->label_start + k];
		if (skip_label(c, l))
			continue;
		h = pk_hash_mix(pk_hash_mix(pk_hash_mix(h, l->key), l->str), (uint64_t)l->num);
	}
	return h;
}

/* Compares the stacks and labels of samples a and b: <0, 0, >0 in byte order of names. */
static int cmp_samples(const gctx *c, size_t a, size_t b)
{
	const pk_profile *p = c->p;
	const pk_sample *sa = &p->samples[a], *sb = &p->samples[b];
	uint32_t n = sa->n_locs < sb->n_locs ? sa->n_locs : sb->n_locs;
	for (uint32_t k = 0; k < n; k++) {
		const pk_location *la = &p->locations[p->sample_locs[sa->loc_start + k]];
		const pk_location *lb = &p->locations[p->sample_locs[sb->loc_start + k]];
		uint32_t m = la->n_lines < lb->n_lines ? la->n_lines : lb->n_lines;
		for (uint32_t j = 0; j < m; j++) {
			const pk_line *x = &p->lines[la->line_start + j],
			              *y = &p->lines[lb->line_start + j];
			pk_sid fx = x->function != PK_NONE ? p->functions[x->function].name : 0;
			pk_sid fy = y->function != PK_NONE ? p->functions[y->function].name : 0;
			pk_sid gx = x->function != PK_NONE ? p->functions[x->function].filename : 0;
			pk_sid gy = y->function != PK_NONE ? p->functions[y->function].filename : 0;
			int d = pk_str_cmp(pk_s(p, fx), pk_s(p, fy));
			if (!d)
				d = pk_str_cmp(pk_s(p, gx), pk_s(p, gy));
			if (!d && x->line != y->line)
				d = x->line < y->line ? -1 : 1;
			if (d)
				return d;
		}
		if (la->n_lines != lb->n_lines)
			return la->n_lines < lb->n_lines ? -1 : 1;
		if (!la->n_lines && la->address != lb->address)
			return la->address < lb->address ? -1 : 1;
	}
	if (sa->n_locs != sb->n_locs)
		return sa->n_locs < sb->n_locs ? -1 : 1;
	uint32_t ia = 0, ib = 0;
	for (;;) {
		while (ia < sa->n_labels && skip_label(c, &p->labels[sa->label_start + ia]))
			ia++;
		while (ib < sb->n_labels && skip_label(c, &p->labels[sb->label_start + ib]))
			ib++;
		if (ia == sa->n_labels || ib == sb->n_labels)
			return (ia < sa->n_labels) - (ib < sb->n_labels);
		const pk_label *x = &p->labels[sa->label_start + ia++];
		const pk_label *y = &p->labels[sb->label_start + ib++];
		int d = pk_str_cmp(pk_s(p, x->key), pk_s(p, y->key));
		if (!d && x->is_num != y->is_num)
			d = x->is_num ? 1 : -1;
		if (!d)
			d = pk_str_cmp(pk_s(p, x->str), pk_s(p, y->str));
		if (!d && x->num != y->num)
			d = x->num < y->num ? -1 : 1;
		if (!d)
			d = pk_str_cmp(pk_s(p, x->unit), pk_s(p, y->unit));
		if (d)
			return d;
	}
}

static bool group_eq(const void *ctx, uint32_t idx, const void *key)
{
	const gctx *c = ctx;
	return cmp_samples(c, c->g[idx].rep, *(const size_t *)key) == 0;
}

static pk_str state_of(const gctx *c, size_t i)
{
	const pk_profile *p = c->p;
	const pk_sample *s = &p->samples[i];
	for (uint32_t k = 0; k < s->n_labels; k++) {
		const pk_label *l = &p->labels[s->label_start + k];
		if (l->key == c->k_state && !l->is_num)
			return pk_s(p, l->str);
	}
	return (pk_str){"", 0};
}

static int cmp_groups(const void *a, const void *b, void *arg)
{
	const group *x = a, *y = b;
	const gctx *c = arg;
	if (c->diff) {
		int64_t dx = x->now - x->old, dy = y->now - y->old;
		if (dx != dy)
			return dx > dy ? -1 : 1;
	}
	if (x->now != y->now)
		return x->now > y->now ? -1 : 1;
	if (x->old != y->old)
		return x->old > y->old ? -1 : 1;
	int d = pk_str_cmp(state_of(c, x->rep), state_of(c, y->rep));
	return d ? d : cmp_samples(c, x->rep, y->rep);
}

bool pk_go_duration_minutes(const char *s, double *minutes)
{
	double total = 0;
	if (!s || !*s)
		return false;
	if (!strcmp(s, "0")) {
		*minutes = 0;
		return true;
	}
	while (*s) {
		char *end;
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return false;
		double v = strtod(s, &end);
		if (end == s)
			return false;
		s = end;
		static const struct {
			const char *u;
			double min;
		} units[] = {{"ns", 1e-9 / 60}, {"us", 1e-6 / 60}, {"\xc2\xb5s", 1e-6 / 60},
		             {"ms", 1e-3 / 60}, {"s", 1.0 / 60},   {"m", 1},
		             {"h", 60}};
		size_t best = 0, bi = 0;
		for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
			size_t n = strlen(units[i].u);
			if (!strncmp(s, units[i].u, n) && n > best)
				best = n, bi = i;
		}
		if (!best)
			return false;
		total += v * units[bi].min;
		s += best;
	}
	*minutes = total;
	return true;
}

static void print_wait(pk_out *o, const group *g)
{
	if (!g->has_wait)
		return;
	int64_t lo = g->no_wait ? 0 : g->wait_min, hi = g->wait_max;
	if (lo == hi)
		pk_out_fmt(o, ", %" PRId64 " minute%s", hi, hi == 1 ? "" : "s");
	else
		pk_out_fmt(o, ", %" PRId64 "-%" PRId64 " minutes", lo, hi);
}

static void print_group(pk_rpt *r, const gctx *c, const group *g, bool diff)
{
	const pk_profile *p = r->p;
	pk_out *o = &r->out;
	const pk_sample *s = &p->samples[g->rep];
	pk_str state = state_of(c, g->rep);
	if (diff)
		pk_out_fmt(o, "%+" PRId64 " (%" PRId64 " -> %" PRId64 ")", g->now - g->old, g->old,
		           g->now);
	else
		pk_out_fmt(o, "%" PRId64, g->now);
	pk_out_cstr(o, " [");
	pk_out_str(o, state.n ? state : (pk_str){"?", 1});
	print_wait(o, g);
	pk_out_cstr(o, "]");
	for (uint32_t k = 0; k < s->n_labels; k++) {
		const pk_label *l = &p->labels[s->label_start + k];
		if (skip_label(c, l) || l->key == c->k_state)
			continue;
		pk_out_cstr(o, " ");
		pk_out_str(o, pk_s(p, l->key));
		pk_out_cstr(o, "=");
		if (l->is_num) {
			pk_out_fmt(o, "%" PRId64, l->num);
			pk_out_str(o, pk_s(p, l->unit));
		} else {
			pk_out_str(o, pk_s(p, l->str));
		}
	}
	pk_out_cstr(o, "\n");
	for (uint32_t k = 0; k < s->n_locs; k++) {
		const pk_location *l = &p->locations[p->sample_locs[s->loc_start + k]];
		if (!l->n_lines)
			pk_out_fmt(o, "    %#" PRIx64 "\n", l->address);
		for (uint32_t j = 0; j < l->n_lines; j++) {
			const pk_line *ln = &p->lines[l->line_start + j];
			const pk_function *f =
			    ln->function != PK_NONE ? &p->functions[ln->function] : NULL;
			pk_out_cstr(o, "    ");
			pk_out_str(o, pk_s(p, f ? f->name : 0));
			if (k + 1 == s->n_locs && j + 1 == l->n_lines && k > 0)
				pk_out_cstr(o, "  (root)");
			pk_out_cstr(o, "\n");
			if (f && (f->filename || ln->line)) {
				pk_out_cstr(o, "        ");
				pk_out_str(o, pk_s(p, f->filename));
				if (ln->line)
					pk_out_fmt(o, ":%" PRId64, ln->line);
				pk_out_cstr(o, "\n");
			}
		}
	}
	pk_out_cstr(o, "\n");
}

typedef struct state_sum {
	pk_str state;
	int64_t now, old;
} state_sum;

static int cmp_states(const void *a, const void *b)
{
	const state_sum *x = a, *y = b;
	if (x->now != y->now)
		return x->now > y->now ? -1 : 1;
	return pk_str_cmp(x->state, y->state);
}

pk_status pk_report_goroutines(pk_rpt *r)
{
	pk_profile *p = r->p;
	gctx c = {.p = p};
	pk_hash h = {0};
	group *groups = NULL;
	state_sum *states = NULL;
	size_t n_groups = 0, cap = 0, n_states = 0, cap_states = 0;
	double min_wait = 0;
	bool diff = false;
	pk_status st = PK_OK;

	if (r->opt->min_wait && !pk_go_duration_minutes(r->opt->min_wait, &min_wait))
		return pk_fail(r->ctx, PK_EUSAGE,
		               "-min_wait: bad duration %s (want e.g. 10m, 1h30m)",
		               r->opt->min_wait);
	c.k_wait = pk_strtab_lookup(&p->strs, "wait", 4);
	c.k_state = pk_strtab_lookup(&p->strs, "state", 5);
	c.k_base = pk_strtab_lookup(&p->strs, "pprof::base", 11);
	if (!pk_hash_init(&h, 64))
		return pk_oom(r->ctx);
	for (size_t i = 0; i < p->n_samples; i++) {
		const pk_sample *s = &p->samples[i];
		int64_t v = pk_sample_values(p, i)[r->value_index], wait = 0;
		bool base = false, has_wait = false;
		for (uint32_t k = 0; k < s->n_labels; k++) {
			const pk_label *l = &p->labels[s->label_start + k];
			if (l->key == c.k_base && !l->is_num &&
			    pk_str_eq_cstr(pk_s(p, l->str), "true"))
				base = true;
			if (l->key == c.k_wait && l->is_num)
				wait = l->num, has_wait = true;
		}
		if (v == 0 || (double)wait < min_wait)
			continue;
		diff |= base;
		if (!pk_grow((void **)&groups, &cap, n_groups + 1, sizeof *groups)) {
			st = pk_oom(r->ctx);
			goto done;
		}
		c.g = groups;
		bool found;
		uint32_t gi = pk_hash_intern(&h, sample_hash(&c, i), group_eq, &c, &i,
		                             (uint32_t)n_groups, &found);
		if (gi == PK_NONE) {
			st = pk_oom(r->ctx);
			goto done;
		}
		group *g = &groups[gi];
		if (!found) {
			*g = (group){.rep = i};
			n_groups++;
		}
		if (base) {
			g->old = pk_wadd(g->old, pk_wabs(v));
			continue;
		}
		g->now = pk_wadd(g->now, v);
		if (has_wait) {
			if (!g->has_wait || wait < g->wait_min)
				g->wait_min = wait;
			if (!g->has_wait || wait > g->wait_max)
				g->wait_max = wait;
			g->has_wait = true;
		} else {
			g->no_wait = true;
		}
	}
	/* Per state totals. */
	for (size_t i = 0; i < n_groups; i++) {
		pk_str sname = state_of(&c, groups[i].rep);
		size_t k = 0;
		while (k < n_states && pk_str_cmp(states[k].state, sname))
			k++;
		if (k == n_states) {
			if (!pk_grow((void **)&states, &cap_states, n_states + 1, sizeof *states)) {
				st = pk_oom(r->ctx);
				goto done;
			}
			states[n_states++] = (state_sum){sname, 0, 0};
		}
		states[k].now += groups[i].now;
		states[k].old += groups[i].old;
	}
	if (n_states)
		qsort(states, n_states, sizeof *states, cmp_states);
	c.diff = diff;
	if (n_groups)
		qsort_r(groups, n_groups, sizeof *groups, cmp_groups, &c);

	int64_t now = 0, old = 0;
	size_t live = 0;
	for (size_t i = 0; i < n_groups; i++) {
		now += groups[i].now, old += groups[i].old;
		live += groups[i].now > 0;
	}
	pk_out *o = &r->out;
	if (diff)
		pk_out_fmt(o,
		           "%" PRId64 " goroutines in %zu groups, %+" PRId64 " from %" PRId64 "\n",
		           now, live, now - old, old);
	else
		pk_out_fmt(o, "%" PRId64 " goroutines in %zu groups\n", now, live);
	if (r->opt->min_wait)
		pk_out_fmt(o, "waiting at least %s\n", r->opt->min_wait);
	for (size_t k = 0; k < n_states; k++) {
		pk_out_fmt(o, "%10" PRId64 "  ", states[k].now);
		pk_out_str(o, states[k].state.n ? states[k].state : (pk_str){"?", 1});
		if (diff)
			pk_out_fmt(o, " (%+" PRId64 ")", states[k].now - states[k].old);
		pk_out_cstr(o, "\n");
	}
	pk_out_cstr(o, "\n");
	for (size_t i = 0; i < n_groups; i++)
		print_group(r, &c, &groups[i], diff);
done:
	pk_hash_destroy(&h);
	pk_free(groups);
	pk_free(states);
	return st;
}
