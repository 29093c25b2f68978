/* measurement/measurement.h - private to lib/: units and scaling, pprof's
 * internal/measurement/measurement.go (units.c). Above go/.
 */
#ifndef PK_MEASUREMENT_H
#define PK_MEASUREMENT_H

#include "go/go.h"

/* measurement.Scale: value in from_unit converted to to_unit ("minimum"/"auto" pick a unit);
 * *out_unit (may be NULL) gets the unit's canonical name, "" or to_unit itself. */
double pk_scale(int64_t value, const char *from_unit, const char *to_unit, const char **out_unit);
/* measurement.ScaledLabel into buf ("1.50MB", "0"); returns buf. */
char *pk_scaled_label(char *buf, size_t n, int64_t value, const char *from_unit,
                      const char *to_unit);
/* measurement.Percentage: "  100%", "12.34%", " 0.05%" */
char *pk_percentage(char *buf, size_t n, int64_t value, int64_t total);
/* measurement.compatibleValueTypes' unit part: both units known to the same unit family. */
bool pk_units_same_family(const char *u1, const char *u2);

#endif
