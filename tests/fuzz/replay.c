/* replay.c - runs a libFuzzer target's LLVMFuzzerTestOneInput over files, without libFuzzer,
 * so that `make check` can replay the committed corpora and regression inputs with any
 * compiler (gcc + ASan/UBSan in build/asan). Linked with one tests/fuzz/fuzz_*.c.
 *
 * Usage: fuzz-replay-TARGET [-q] PATH...   (a directory means every regular file in it, in
 * name order). Before each input it writes "replay: FILE" on stderr, so that whoever reads a
 * crash knows which input it was; each input has 10 s (SIGALRM ends the process). Prints
 * "replayed N inputs" and exits 0 when every input ran; a finding aborts the process. -q drops
 * the per-input lines. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int quiet;
static size_t n_run;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fprintf(stderr, "%s: out of memory\n", path);
			fclose(f);
			return -1;
		}
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		uint8_t *b = realloc(buf, cap);
		if (!b)
			free(buf);
		buf = b;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		return -1;
	}
	if (!quiet)
		fprintf(stderr, "replay: %s\n", path);
	/* A copy of exactly n bytes, so ASan sees reads past the end of the input. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	alarm(10);
	LLVMFuzzerTestOneInput(exact, n);
	alarm(0);
	free(exact);
	n_run++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode))
		return run_file(path);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(len))) {
			rc = -1;
			break;
		}
		snprintf(names[n++], len, "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
			rc = run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, i = 1;
	if (i < argc && strcmp(argv[i], "-q") == 0) {
		quiet = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [-q] FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (; i < argc && rc == 0; i++)
		rc = run_path(argv[i]);
	printf("replayed %zu inputs\n", n_run);
	return rc ? 1 : 0;
}
