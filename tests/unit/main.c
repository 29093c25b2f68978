/* main.c - runs every registered unit test in a forked child; prints PASS/FAIL lines and a
 * closing "N passed, N failed". An argument selects tests whose name contains it. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

int unit_failed;

#define MAX_TESTS 2048
static struct {
	const char *name, *file;
	unit_fn fn;
} tests[MAX_TESTS];
static int n_tests;

void unit_register(const char *name, const char *file, unit_fn fn)
{
	if (n_tests < MAX_TESTS) {
		tests[n_tests].name = name;
		tests[n_tests].file = file;
		tests[n_tests].fn = fn;
		n_tests++;
	}
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	for (int i = 0; i < n_tests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			alarm(60);
			tests[i].fn();
			fflush(stderr);
			_exit(unit_failed ? 1 : 0);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			st = -1;
		if (st == 0) {
			passed++;
			printf("PASS unit/%s\n", tests[i].name);
		} else {
			failed++;
			if (pid > 0 && WIFSIGNALED(st))
				printf("FAIL unit/%s (signal %d)\n", tests[i].name, WTERMSIG(st));
			else
				printf("FAIL unit/%s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
