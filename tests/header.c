/* The public header alone, under -std=c99 -pedantic -Wall -Wextra -Werror. */
#include "pprofkit.h"
int pk_header_test_dummy(void);
int pk_header_test_dummy(void)
{
	pk_options o = PK_OPTIONS_INIT;
	return o.nodecount + (int)PK_OK;
}
