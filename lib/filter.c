/* filter.c - stack and tag filters, in pprof's order.
 * Mirrors internal/driver/driver_focus.go applyFocus and profile/filter.go.
 * Until the filters are written (issue 3), a filter flag is refused with a usage error rather
 * than silently ignored. */
#include "report.h"

static const char *first_set(const pk_options *o, const char **flag)
{
	const char *names[] = {"focus",     "ignore",    "hide",    "show",    "show_from",
			       "prune_from", "tagfocus", "tagignore", "tagshow", "taghide"};
	const char *vals[] = {o->focus,      o->ignore,   o->hide,      o->show,    o->show_from,
			      o->prune_from, o->tagfocus, o->tagignore, o->tagshow, o->taghide};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (vals[i] && *vals[i]) {
			*flag = names[i];
			return vals[i];
		}
	}
	return NULL;
}

pk_status pk_apply_filters(pk_rpt *r)
{
	const char *flag;
	if (first_set(r->opt, &flag))
		return pk_fail(r->ctx, PK_EUSAGE, "-%s is not supported yet", flag);
	return PK_OK;
}

pk_status pk_tag_roots_leaves(pk_rpt *r)
{
	const pk_options *o = r->opt;
	if ((o->tagroot && *o->tagroot) || (o->tagleaf && *o->tagleaf))
		return pk_fail(r->ctx, PK_EUSAGE, "-tagroot/-tagleaf are not supported yet");
	return PK_OK;
}
