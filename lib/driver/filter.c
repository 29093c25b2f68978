/* filter.c - the stack and tag filters of every report, in pprof's order: -focus, -ignore,
 * -hide, -show (FilterSamplesByName), -show_from (ShowFrom), -tagfocus, -tagignore
 * (FilterSamplesByTag), -tagshow, -taghide (FilterTagsByName), -prune_from (PruneFrom), and
 * pprof's "... expression matched no samples" notices.
 *
 * Mirrors internal/driver/driver_focus.go applyFocus (compileRegexOption, warnNoMatches) and
 * profile/filter.go (FilterSamplesByName, ShowFrom, filterShowFromLocation,
 * lastMatchedLineIndex, FilterTagsByName, matchesName, unmatchedLines, matchedLines,
 * focusedAndNotIgnored, FilterSamplesByTag). A location matches a regexp when the name or file
 * name of the function of any of its lines, or its mapping's file, matches (in every
 * granularity: Go 1.19's pprof matches no addresses). As in pprof, FilterSamplesByName always
 * runs, so samples without locations are dropped even with no filter.
 *
 * The model is changed in place: lines are removed from a location by compacting its own range
 * of p->lines, locations from a sample by compacting its range of p->sample_locs, samples with
 * pk_profile_keep_samples, labels by compacting the sample's range of p->labels.
 *
 * Divergence: each regexp is run once per function (name, file name), mapping or label key and
 * the answer cached; pprof runs it per line. The answers are the same.
 */
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"

enum { UNKNOWN = 0, YES = 1, NO = 2 };

/* A compiled stack filter with its answers per function and per mapping. */
typedef struct rxf {
	pk_regex *rx;
	uint8_t *fn, *map;
} rxf;

static void rxf_free(rxf *x)
{
	pk_regex_free(x->rx);
	pk_free(x->fn);
	pk_free(x->map);
	memset(x, 0, sizeof *x);
}

/* compileRegexOption: nothing when value is unset. */
static pk_status rxf_compile(const pk_fenv *r, rxf *x, const char *flag, const char *value)
{
	const pk_profile *p = r->p;
	memset(x, 0, sizeof *x);
	if (!value || !*value)
		return PK_OK;
	pk_status st = pk_regex_compile(r->ctx, &x->rx, value, flag);
	if (st != PK_OK)
		return st;
	x->fn = pk_calloc(p->n_functions ? p->n_functions : 1, 1);
	x->map = pk_calloc(p->n_mappings ? p->n_mappings : 1, 1);
	if (!x->fn || !x->map) {
		rxf_free(x);
		return pk_oom(r->ctx);
	}
	return PK_OK;
}

/* compileRegexOption without the answer caches. */
static pk_status compile_opt(const pk_fenv *r, pk_regex **out, const char *flag, const char *value)
{
	*out = NULL;
	if (!value || !*value)
		return PK_OK;
	return pk_regex_compile(r->ctx, out, value, flag);
}

static bool match_str(const pk_regex *rx, pk_str s)
{
	return pk_regex_match(rx, s.s, s.n);
}

/* re.MatchString(fn.Name) || re.MatchString(fn.Filename) */
static bool fn_matches(const pk_profile *p, rxf *x, uint32_t f)
{
	if (x->fn[f] == UNKNOWN) {
		const pk_function *fn = &p->functions[f];
		x->fn[f] =
		    match_str(x->rx, pk_s(p, fn->name)) || match_str(x->rx, pk_s(p, fn->filename))
		        ? YES
		        : NO;
	}
	return x->fn[f] == YES;
}

/* re.MatchString(m.File) for the location's mapping (false without one). */
static bool map_matches(const pk_profile *p, rxf *x, const pk_location *loc)
{
	uint32_t m = loc->mapping;
	if (m == PK_NONE)
		return false;
	if (x->map[m] == UNKNOWN)
		x->map[m] = match_str(x->rx, pk_s(p, p->mappings[m].file)) ? YES : NO;
	return x->map[m] == YES;
}

/* Location.matchesName */
static bool loc_matches(const pk_profile *p, rxf *x, const pk_location *loc)
{
	const pk_line *ln = p->lines + loc->line_start;
	for (uint32_t i = 0; i < loc->n_lines; i++)
		if (ln[i].function != PK_NONE && fn_matches(p, x, ln[i].function))
			return true;
	return map_matches(p, x, loc);
}

/* Keeps the lines of loc whose function matches x (keep_matching) or does not; lines without a
 * function always stay (unmatchedLines, matchedLines). */
static void keep_lines(pk_profile *p, rxf *x, pk_location *loc, bool keep_matching)
{
	pk_line *ln = p->lines + loc->line_start;
	uint32_t w = 0;
	for (uint32_t i = 0; i < loc->n_lines; i++) {
		bool keep =
		    ln[i].function == PK_NONE || fn_matches(p, x, ln[i].function) == keep_matching;
		if (keep)
			ln[w++] = ln[i];
	}
	loc->n_lines = w;
}

enum { L_FOCUS = 1, L_IGNORE = 2, L_HIDDEN = 4 };

/* FilterSamplesByName */
static pk_status filter_by_name(const pk_fenv *r, rxf *focus, rxf *ignore, rxf *hide, rxf *show,
                                bool *fm, bool *im, bool *hm, bool *hnm)
{
	pk_profile *p = r->p;
	*fm = *im = *hm = *hnm = false;
	if (!focus->rx && !ignore->rx && !hide->rx && !show->rx) {
		/* Every location focused, none ignored or hidden: what goes are the samples
		 * without a location, if there are any. */
		*fm = p->n_locations > 0;
		size_t i = 0;
		while (i < p->n_samples && p->samples[i].n_locs)
			i++;
		if (i == p->n_samples)
			return PK_OK;
	}
	uint8_t *st = pk_calloc(p->n_locations ? p->n_locations : 1, 1);
	bool *keep = pk_calloc(p->n_samples ? p->n_samples : 1, sizeof *keep);
	bool any_hidden = false;
	if (!st || !keep) {
		pk_free(st);
		pk_free(keep);
		return pk_oom(r->ctx);
	}
	for (uint32_t li = 0; li < p->n_locations; li++) {
		pk_status cs = pk_cancel_point(r->ctx, li);
		if (cs != PK_OK) {
			pk_free(st);
			pk_free(keep);
			return cs;
		}
		pk_location *loc = &p->locations[li];
		if (ignore->rx && loc_matches(p, ignore, loc)) {
			*im = true;
			st[li] = L_IGNORE;
		} else if (!focus->rx || loc_matches(p, focus, loc)) {
			*fm = true;
			st[li] = L_FOCUS;
		}
		if (hide->rx && loc_matches(p, hide, loc)) {
			*hm = true;
			if (map_matches(p, hide, loc))
				loc->n_lines = 0;
			else
				keep_lines(p, hide, loc, false);
			if (loc->n_lines == 0) {
				st[li] |= L_HIDDEN;
				any_hidden = true;
			}
		}
		if (show->rx) {
			if (!map_matches(p, show, loc))
				keep_lines(p, show, loc, true);
			if (loc->n_lines == 0) {
				st[li] |= L_HIDDEN;
				any_hidden = true;
			} else {
				*hnm = true;
			}
		}
	}
	/* Hidden frames are cut out of the stacks in place: a view copies its stacks first, an
	 * exclusive view cuts its lender's, logging each cut (pk_profile_free undoes them). */
	bool lent = any_hidden && pk_profile_lent_cut(p);
	pk_status rc = any_hidden && !lent
	                   ? pk_profile_own(r->ctx, p, PK_SHARED_SAMPLES | PK_SHARED_LOCS)
	                   : PK_OK;
	p->cut_lent |= lent;
	for (size_t si = 0; si < p->n_samples && rc == PK_OK; si++) {
		if ((rc = pk_cancel_point(r->ctx, si)) != PK_OK)
			break;
		pk_sample *s = &p->samples[si];
		uint32_t *locs = p->sample_locs + s->loc_start;
		bool focused = false, ignored = false;
		for (uint32_t i = 0; i < s->n_locs && !ignored; i++) {
			uint8_t f = st[locs[i]];
			ignored = (f & L_IGNORE) != 0;
			focused |= (f & L_FOCUS) != 0;
		}
		if (!focused || ignored)
			continue;
		if (any_hidden) {
			/* An exclusive view logs its cuts: room for them first, then the old count.
			 */
			uint32_t h = 0;
			for (uint32_t i = 0; lent && i < s->n_locs; i++)
				h += (st[locs[i]] & L_HIDDEN) != 0;
			bool log = h && h < s->n_locs; /* (all cut: the sample goes, unchanged) */
			if (log) {
				if ((rc = pk_undo_reserve(r->ctx, p, h)) != PK_OK)
					break;
				pk_undo_sample(p, si, true);
			}
			uint32_t w = 0;
			for (uint32_t i = 0; i < s->n_locs; i++) {
				if (!(st[locs[i]] & L_HIDDEN))
					locs[w++] = locs[i];
				else if (log)
					pk_undo_frame(p, s->loc_start + i, locs[i]);
			}
			if (w == 0)
				continue; /* no location left: the sample goes */
			s->n_locs = w;
		}
		keep[si] = true;
	}
	if (rc == PK_OK)
		rc = pk_profile_keep_samples(r->ctx, p, keep);
	pk_free(st);
	pk_free(keep);
	return rc;
}

/* ShowFrom */
static pk_status show_from(const pk_fenv *r, rxf *x, bool *matched)
{
	pk_profile *p = r->p;
	uint8_t *hit = pk_calloc(p->n_locations ? p->n_locations : 1, 1);
	bool *keep = pk_calloc(p->n_samples ? p->n_samples : 1, sizeof *keep);
	if (!hit || !keep) {
		pk_free(hit);
		pk_free(keep);
		return pk_oom(r->ctx);
	}
	*matched = false;
	for (uint32_t li = 0; li < p->n_locations; li++) {
		pk_status cs = pk_cancel_point(r->ctx, li);
		if (cs != PK_OK) {
			pk_free(hit);
			pk_free(keep);
			return cs;
		}
		pk_location *loc = &p->locations[li];
		/* filterShowFromLocation: a matching mapping keeps every line; else the lines up to
		 * the last (outermost) matching one stay. */
		if (map_matches(p, x, loc)) {
			hit[li] = 1;
		} else {
			const pk_line *ln = p->lines + loc->line_start;
			for (uint32_t i = loc->n_lines; i-- > 0;) {
				if (ln[i].function != PK_NONE && fn_matches(p, x, ln[i].function)) {
					loc->n_lines = i + 1;
					hit[li] = 1;
					break;
				}
			}
		}
		*matched |= hit[li] != 0;
	}
	/* Stacks are shortened: a view copies its samples first, an exclusive view shortens its
	 * lender's, logging each change. */
	bool lent = pk_profile_lent(p);
	pk_status rc = lent ? PK_OK : pk_profile_own(r->ctx, p, PK_SHARED_SAMPLES);
	for (size_t si = 0; si < p->n_samples && rc == PK_OK; si++) {
		if ((rc = pk_cancel_point(r->ctx, si)) != PK_OK)
			break;
		pk_sample *s = &p->samples[si];
		const uint32_t *locs = p->sample_locs + s->loc_start;
		for (uint32_t i = s->n_locs; i-- > 0;) {
			if (hit[locs[i]]) {
				if (lent && i + 1 != s->n_locs) {
					if ((rc = pk_undo_reserve(r->ctx, p, 0)) != PK_OK)
						break;
					pk_undo_sample(p, si, false);
				}
				s->n_locs = i + 1; /* from the root down to the highest match */
				keep[si] = true;
				break;
			}
		}
	}
	if (rc == PK_OK)
		rc = pk_profile_keep_samples(r->ctx, p, keep);
	pk_free(hit);
	pk_free(keep);
	return rc;
}

/* FilterSamplesByTag */
static pk_status filter_by_tag(const pk_fenv *r, pk_tagfilter *focus, pk_tagfilter *ignore,
                               bool *fm, bool *im)
{
	pk_profile *p = r->p;
	bool *keep = pk_calloc(p->n_samples ? p->n_samples : 1, sizeof *keep);
	if (!keep)
		return pk_oom(r->ctx);
	*fm = *im = false;
	pk_status st = PK_OK;
	for (size_t si = 0; si < p->n_samples; si++) {
		if ((st = pk_cancel_point(r->ctx, si)) != PK_OK)
			break;
		bool focused = !focus || pk_tagfilter_match(focus, si);
		bool ignored = ignore && pk_tagfilter_match(ignore, si);
		*fm |= focused;
		*im |= ignored;
		keep[si] = focused && !ignored;
	}
	if (st != PK_OK)
		;
	else if ((focus && pk_tagfilter_oom(focus)) || (ignore && pk_tagfilter_oom(ignore)))
		st = pk_oom(r->ctx);
	else
		st = pk_profile_keep_samples(r->ctx, p, keep);
	pk_free(keep);
	return st;
}

/* FilterTagsByName: a label stays when its key matches show (if set) and not hide. */
static pk_status filter_tags_by_name(const pk_fenv *r, const pk_regex *show, const pk_regex *hide,
                                     bool *sm, bool *hm)
{
	pk_profile *p = r->p;
	enum { SHOW = 1, HIDE = 2, KNOWN = 4 };
	pk_status st = pk_profile_own(r->ctx, p, PK_SHARED_SAMPLES | PK_SHARED_LABELS);
	if (st != PK_OK)
		return st;
	uint8_t *key = pk_calloc(p->strs.n ? p->strs.n : 1, 1);
	if (!key)
		return pk_oom(r->ctx);
	*sm = *hm = false;
	for (size_t si = 0; si < p->n_samples; si++) {
		if ((st = pk_cancel_point(r->ctx, si)) != PK_OK) {
			pk_free(key);
			return st;
		}
		pk_sample *s = &p->samples[si];
		pk_label *l = p->labels + s->label_start;
		uint32_t w = 0;
		for (uint32_t i = 0; i < s->n_labels; i++) {
			if (pk_label_hidden(p, &l[i])) { /* no label: kept, never matched */
				l[w++] = l[i];
				continue;
			}
			uint8_t *k = &key[l[i].key];
			if (!(*k & KNOWN)) {
				pk_str name = pk_s(p, l[i].key);
				*k = KNOWN;
				if (!show || match_str(show, name))
					*k |= SHOW;
				if (hide && match_str(hide, name))
					*k |= HIDE;
			}
			*sm |= (*k & SHOW) != 0;
			*hm |= (*k & HIDE) != 0;
			if ((*k & SHOW) && !(*k & HIDE))
				l[w++] = l[i];
		}
		s->n_labels = w;
	}
	pk_free(key);
	return PK_OK;
}

static void warn_no_matches(const pk_fenv *r, bool match, const char *option)
{
	if (!match)
		pk_warn(r->ctx, "%s expression matched no samples", option);
}

pk_status pk_apply_filters(const pk_fenv *r, const pk_options *o)
{
	rxf focus, ignore, hide, show, from, prune;
	pk_tagfilter *tfocus = NULL, *tignore = NULL;
	pk_regex *tshow = NULL, *thide = NULL;
	pk_status st;
	bool fm = false, im = false, hm = false, hnm = false, sfm, tfm, tim, tsm, thm;
	memset(&focus, 0, sizeof focus);
	ignore = hide = show = from = prune = focus;

	/* applyFocus compiles in this order and stops at the first error. */
	if ((st = rxf_compile(r, &focus, "focus", o->focus)) != PK_OK ||
	    (st = rxf_compile(r, &ignore, "ignore", o->ignore)) != PK_OK ||
	    (st = rxf_compile(r, &hide, "hide", o->hide)) != PK_OK ||
	    (st = rxf_compile(r, &show, "show", o->show)) != PK_OK ||
	    (st = rxf_compile(r, &from, "show_from", o->show_from)) != PK_OK ||
	    (st = pk_tagfilter_compile(r, &tfocus, "tagfocus", o->tagfocus)) != PK_OK ||
	    (st = pk_tagfilter_compile(r, &tignore, "tagignore", o->tagignore)) != PK_OK ||
	    (st = compile_opt(r, &prune.rx, "prune_from", o->prune_from)) != PK_OK)
		goto done;

	if ((st = filter_by_name(r, &focus, &ignore, &hide, &show, &fm, &im, &hm, &hnm)) != PK_OK)
		goto done;
	warn_no_matches(r, !focus.rx || fm, "Focus");
	warn_no_matches(r, !ignore.rx || im, "Ignore");
	warn_no_matches(r, !hide.rx || hm, "Hide");
	warn_no_matches(r, !show.rx || hnm, "Show");

	sfm = false;
	if (from.rx && (st = show_from(r, &from, &sfm)) != PK_OK)
		goto done;
	warn_no_matches(r, !from.rx || sfm, "ShowFrom");

	tfm = tim = false;
	if ((tfocus || tignore) && (st = filter_by_tag(r, tfocus, tignore, &tfm, &tim)) != PK_OK)
		goto done;
	warn_no_matches(r, !tfocus || tfm, "TagFocus");
	warn_no_matches(r, !tignore || tim, "TagIgnore");

	if ((st = compile_opt(r, &tshow, "tagshow", o->tagshow)) != PK_OK ||
	    (st = compile_opt(r, &thide, "taghide", o->taghide)) != PK_OK)
		goto done;
	tsm = thm = false;
	if ((tshow || thide) && (st = filter_tags_by_name(r, tshow, thide, &tsm, &thm)) != PK_OK)
		goto done;
	warn_no_matches(r, !tshow || tsm, "TagShow");
	warn_no_matches(r, !thide || thm, "TagHide");

	if (prune.rx)
		st = pk_profile_prune_from(r->ctx, r->p, prune.rx);
done:
	rxf_free(&focus);
	rxf_free(&ignore);
	rxf_free(&hide);
	rxf_free(&show);
	rxf_free(&from);
	rxf_free(&prune);
	pk_tagfilter_free(tfocus);
	pk_tagfilter_free(tignore);
	pk_regex_free(tshow);
	pk_regex_free(thide);
	return st;
}
