/* unit.h - the unit-test framework: TEST(name) { ... } registers a test; each test runs in a
 * forked child, so a crash fails that test only. CHECK(cond) and the CHECK_* forms report the
 * line and fail the test. Tests may include the stage headers (driver/driver.h includes them all)
 * for private APIs. */
#ifndef PK_UNIT_H
#define PK_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*unit_fn)(void);
void unit_register(const char *name, const char *file, unit_fn fn);
extern int unit_failed; /* set by a failing CHECK in the child */

#define TEST(name)                                                                                 \
	static void test_##name(void);                                                             \
	__attribute__((constructor)) static void reg_##name(void)                                  \
	{                                                                                          \
		unit_register(#name, __FILE__, test_##name);                                       \
	}                                                                                          \
	static void test_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
			unit_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!g_ || strcmp(g_, w_) != 0) {                                                  \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,    \
			        g_ ? g_ : "(null)", w_);                                           \
			unit_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_INT(got, want)                                                                       \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ != w_) {                                                                    \
			fprintf(stderr, "%s:%d: got %lld, want %lld (%s)\n", __FILE__, __LINE__,   \
			        g_, w_, #got);                                                     \
			unit_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

/* Path of a file under testdata/ (tests run from the repository root). */
#define TESTDATA(f) ("testdata/" f)

#endif
