/* version.c - `pprofkit --version`: the version and release date, the library's version, and
 * what the build linked: the required libraries with their versions, and the optional ones
 * (none yet). Both lists come from the Makefile (PK_BUILT_WITH, PK_BUILT_OPTIONAL: pkg-config
 * --modversion at build time), so they say what this binary was built with. The release date
 * is the man page's date (tests/cli checks that they agree).
 */
#include <stdio.h>

#include "cli.h"

#ifndef PK_BUILT_WITH
#define PK_BUILT_WITH "unknown (built without the Makefile)"
#endif
#ifndef PK_BUILT_OPTIONAL
#define PK_BUILT_OPTIONAL ""
#endif

void cli_print_version(FILE *f)
{
	fprintf(f, "pprofkit %s (%s)\n", PK_VERSION_STRING, PK_RELEASE_DATE);
	fprintf(f, "library: libpprofkit %s\n", pk_version());
	fprintf(f, "built with: %s\n", PK_BUILT_WITH);
	fprintf(f, "optional libraries: %s\n", *PK_BUILT_OPTIONAL ? PK_BUILT_OPTIONAL : "none");
}
