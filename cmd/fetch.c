/* fetch.c - keeping what was fetched: a profile read from a URL is saved, as go tool pprof
 * saves it, so that the same data can be looked at again without the program.
 *
 * Mirrors go tool pprof's internal/driver/fetch.go (fetchProfiles: the save branch, setTmpDir)
 * and tempfile.go (newTempFile). Divergence: the file is written under a temporary name and
 * linked into place, so no half-written pprof.*.pb.gz is ever visible under the final name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static pk_status file_write(void *payload, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, payload) == len ? PK_OK : PK_EIO;
}

/* mkdir -p, mode 0755. Returns 0 or -1 with errno. */
static int mkdir_all(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);
	struct stat sb;
	if (n == 0 || n >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	if (stat(path, &sb) != 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* setTmpDir: $PPROF_TMPDIR, $HOME/pprof, then the system's temporary directory. */
static int tmp_dir(char *out, size_t cap)
{
	const char *env = getenv("PPROF_TMPDIR"), *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	char dirs[3][4096];
	int n = 0;
	if (env && *env)
		snprintf(dirs[n++], sizeof dirs[0], "%s", env);
	if (home && *home)
		snprintf(dirs[n++], sizeof dirs[0], "%s/pprof", home);
	snprintf(dirs[n++], sizeof dirs[0], "%s", tmp && *tmp ? tmp : "/tmp");
	for (int i = 0; i < n; i++) {
		if (mkdir_all(dirs[i]) == 0) {
			snprintf(out, cap, "%s", dirs[i]);
			return 0;
		}
		fprintf(stderr, "Could not use temp dir %s: %s\n", dirs[i], strerror(errno));
	}
	fprintf(stderr, "Could not save profile: failed to identify temp dir\n");
	return -1;
}

/* filepath.Base. */
static void base_name(const char *path, char *out, size_t cap)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t i = n;
	while (i > 0 && path[i - 1] != '/')
		i--;
	if (n == 1 && path[0] == '/')
		i = 0;
	snprintf(out, cap, "%.*s", (int)(n - i), path + i);
}

void cli_save_fetched(struct cli *cli, const pk_profile *p)
{
	char dir[4096], prefix[1024], tmp[4200], path[4096 + 1024 + 32];
	const char *file = pk_profile_mapping_file(p, 0);
	size_t len;
	FILE *f;
	int fd;

	if (tmp_dir(dir, sizeof dir) != 0)
		return;
	len = (size_t)snprintf(prefix, sizeof prefix, "pprof.");
	if (file && *file) {
		char b[512];
		base_name(file, b, sizeof b);
		len += (size_t)snprintf(prefix + len, sizeof prefix - len, "%s.", b);
	}
	for (size_t i = 0; i < pk_profile_sample_type_count(p) && len < sizeof prefix; i++)
		len += (size_t)snprintf(prefix + len, sizeof prefix - len, "%s.",
		                        pk_profile_sample_type(p, i, NULL));
	if (len >= sizeof prefix) {
		fprintf(stderr, "Could not save profile: name too long\n");
		return;
	}

	snprintf(tmp, sizeof tmp, "%s/.pprofkit-save.XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		fprintf(stderr, "Could not save profile: %s: %s\n", dir, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return;
	}
	fchmod(fd, 0644);
	pk_writer w = {file_write, f};
	pk_status st = pk_profile_write(cli->ctx, p, &w);
	int err = ferror(f);
	if (fclose(f) != 0)
		err = 1;
	if (st != PK_OK || err) {
		fprintf(stderr, "Could not save profile: %s: %s\n", dir,
		        st == PK_OK || st == PK_EIO ? "write error" : pk_ctx_message(cli->ctx));
		unlink(tmp);
		return;
	}
	for (int i = 1; i < 10000; i++) {
		snprintf(path, sizeof path, "%s/%s%03d.pb.gz", dir, prefix, i);
		if (link(tmp, path) == 0) {
			unlink(tmp);
			fprintf(stderr, "Saved profile in %s\n", path);
			return;
		}
		if (errno != EEXIST) {
			fprintf(stderr, "Could not save profile: %s: %s\n", path, strerror(errno));
			unlink(tmp);
			return;
		}
	}
	fprintf(stderr,
	        "Could not save profile: could not create file of the form %s/%s001.pb.gz\n", dir,
	        prefix);
	unlink(tmp);
}
