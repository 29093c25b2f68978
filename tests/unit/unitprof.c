/* unitprof.c - the helpers of unitprof.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unitprof.h"

pk_profile *unit_load(pk_ctx *ctx, const char *path)
{
	pk_profile *p = NULL;
	if (pk_profile_read(ctx, &p, path) != PK_OK || pk_profile_prepare(ctx, p) != PK_OK ||
	    pk_profile_finish(ctx, p) != PK_OK) {
		fprintf(stderr, "%s: %s\n", path, pk_ctx_message(ctx));
		pk_profile_free(p);
		return NULL;
	}
	return p;
}

static pk_status sb_write(void *payload, const void *buf, size_t len)
{
	pk_sb_bytes(payload, buf, len);
	return PK_OK;
}

pk_writer unit_sb_writer(pk_sb *out)
{
	pk_writer w = {sb_write, out};
	return w;
}

pk_status unit_report(pk_ctx *ctx, pk_profile *p, pk_format fmt, const pk_options *o, pk_sb *out)
{
	pk_writer w = unit_sb_writer(out);
	pk_sb_reset(out);
	pk_status st = pk_report(ctx, p, fmt, o, &w);
	pk_sb_bytes(out, "", 1);
	return st;
}

void unit_set_option(pk_options *o, const char *what, const char *v)
{
	if (!what)
		return;
	const char **s = strcmp(what, "focus") == 0        ? &o->focus
	                 : strcmp(what, "ignore") == 0     ? &o->ignore
	                 : strcmp(what, "hide") == 0       ? &o->hide
	                 : strcmp(what, "show") == 0       ? &o->show
	                 : strcmp(what, "show_from") == 0  ? &o->show_from
	                 : strcmp(what, "tagfocus") == 0   ? &o->tagfocus
	                 : strcmp(what, "tagignore") == 0  ? &o->tagignore
	                 : strcmp(what, "tagshow") == 0    ? &o->tagshow
	                 : strcmp(what, "taghide") == 0    ? &o->taghide
	                 : strcmp(what, "tagroot") == 0    ? &o->tagroot
	                 : strcmp(what, "tagleaf") == 0    ? &o->tagleaf
	                 : strcmp(what, "symbol") == 0     ? &o->symbol
	                 : strcmp(what, "si") == 0         ? &o->sample_index
	                 : strcmp(what, "prune_from") == 0 ? &o->prune_from
	                                                   : NULL;
	if (s)
		*s = v;
	else if (strcmp(what, "lines") == 0)
		o->granularity = PK_GRAN_LINES;
	else if (strcmp(what, "files") == 0)
		o->granularity = PK_GRAN_FILES;
	else if (strcmp(what, "addresses") == 0)
		o->granularity = PK_GRAN_ADDRESSES;
	else if (strcmp(what, "noinlines") == 0)
		o->noinlines = 1;
	else if (strcmp(what, "call_tree") == 0)
		o->call_tree = 1;
	else if (strcmp(what, "mean") == 0)
		o->mean = 1;
	else if (strcmp(what, "cum") == 0)
		o->cum = 1;
	else if (strcmp(what, "drop_negative") == 0)
		o->drop_negative = 1;
	else if (strcmp(what, "nodecount") == 0)
		o->nodecount = atoi(v);
	else if (strcmp(what, "divide_by") == 0)
		o->divide_by = atof(v);
	else if (strcmp(what, "json") == 0)
		o->output = PK_OUT_JSON;
	else if (strcmp(what, "relative_percentages") == 0) {
		o->relative_percentages = 1;
		o->focus = v;
	}
}
