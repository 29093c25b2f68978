/* unitprof.h - what the profile tests share: a profile read as the command reads it, and a
 * report of it into a string. */
#ifndef PK_UNITPROF_H
#define PK_UNITPROF_H

#include "driver/driver.h"

/* path read, prepared and finished (drop_frames) as cmd/ loads a profile; NULL (the message
 * printed) on failure. */
pk_profile *unit_load(pk_ctx *ctx, const char *path);
/* A writer appending to out. */
pk_writer unit_sb_writer(pk_sb *out);
/* Report fmt of p (changed in place) as a NUL-terminated string in out; the status. */
pk_status unit_report(pk_ctx *ctx, pk_profile *p, pk_format fmt, const pk_options *o, pk_sb *out);
/* Sets the option named what (focus, hide, ..., si for -sample_index, lines, files, addresses,
 * mean, cum, json, relative_percentages with v as its focus, ...) to v. */
void unit_set_option(pk_options *o, const char *what, const char *v);

#endif
