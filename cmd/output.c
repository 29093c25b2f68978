/* output.c - where a report goes: standard output, or with -o FILE a temporary file beside FILE
 * that is renamed over it once the report is complete and removed on any failure (and on
 * SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ), so FILE is never half a report. A FILE that
 * exists and is not a regular file (/dev/null, a FIFO) is written in place; a symbolic link is
 * followed, a dangling one too (its target is created, as the shell's > does). An existing FILE
 * the user may not write is refused, as the shell refuses it (the rename alone would replace it);
 * so is a FILE that is one of the input profiles (same device and inode).
 *
 * Mirrors go tool pprof's internal/driver/driver.go (generateReport, the -output branch).
 * Divergences: pprof truncates FILE and writes into it, and says "Generating report in FILE"
 * on stderr; pprofkit replaces FILE atomically and prints nothing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The temporary file to remove if a signal ends the process. */
static char *volatile sig_tmp;
static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
#define NSIGS (sizeof sigs / sizeof sigs[0])
static struct sigaction old_act[NSIGS];

static void on_signal(int sig)
{
	char *tmp = sig_tmp;
	if (tmp)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard(char *tmp)
{
	if (tmp) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sig_tmp = tmp;
		for (size_t i = 0; i < NSIGS; i++) {
			/* Over the file size limit (ulimit -f) a write fails with EFBIG instead of
			 * killing the process: the usual error path removes the file and says why.
			 */
			sa.sa_handler = sigs[i] == SIGXFSZ ? SIG_IGN : on_signal;
			sigaction(sigs[i], &sa, &old_act[i]);
		}
	} else {
		for (size_t i = 0; i < NSIGS; i++)
			sigaction(sigs[i], &old_act[i], NULL);
		sig_tmp = NULL;
	}
}

static pk_status file_write(void *payload, const void *buf, size_t len)
{
	struct cli_out *o = payload;
	if (o->err)
		return PK_EIO;
	if (o->f == stdout) /* the report starts: no progress line left before it on a terminal */
		cli_progress_clear();
	errno = 0;
	if (len && fwrite(buf, 1, len, o->f) != len) {
		o->err = errno ? errno : EIO;
		return PK_EIO;
	}
	return PK_OK;
}

/* Writes straight into path: for what is not a regular file (a device, a FIFO), which a
 * rename would replace instead of writing to. */
static int open_direct(struct cli_out *o, const char *path)
{
	o->f = fopen(path, "w");
	if (!o->f) {
		if (errno == EISDIR) /* worded as for an input */
			cli_error("%s: is a directory", path);
		else
			cli_error("%s: open: %s", path, strerror(errno));
		return -1;
	}
	o->direct = 1;
	return 0;
}

int cli_out_is_input(const char *out, char *const *paths, size_t n)
{
	struct stat so, si;
	if (!out || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &si) == 0 &&
		    si.st_dev == so.st_dev && si.st_ino == so.st_ino)
			return 1;
	return 0;
}

/* The file a dangling symbolic link names (malloc'd), following up to 40 links; NULL when
 * path is not one (or on error). */
static char *dangling_target(const char *path)
{
	char *cur = strdup(path);
	for (int hop = 0; cur && hop < 40; hop++) {
		struct stat lst;
		if (lstat(cur, &lst) != 0 || !S_ISLNK(lst.st_mode))
			return hop ? cur : (free(cur), NULL);
		char buf[4096];
		ssize_t k = readlink(cur, buf, sizeof buf - 1);
		if (k <= 0)
			break;
		buf[k] = 0;
		char *next;
		const char *slash = strrchr(cur, '/');
		if (buf[0] == '/' || !slash) {
			next = strdup(buf);
		} else {
			size_t dl = (size_t)(slash - cur) + 1, bl = (size_t)k;
			next = malloc(dl + bl + 1);
			if (next) {
				memcpy(next, cur, dl);
				memcpy(next + dl, buf, bl + 1);
			}
		}
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

int cli_out_open(struct cli_out *o, const char *path)
{
	sigset_t all, old;
	struct stat st, lst;
	int fd;

	memset(o, 0, sizeof *o);
	o->w.write = file_write;
	o->w.payload = o;
	if (!path) {
		o->f = stdout;
		return 0;
	}
	o->name = path;
	int exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode))
		return open_direct(o, path);
	/* As the shell's > refuses it (root may write anything, so root is not refused). */
	if (exists && access(path, W_OK) != 0) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	/* A symbolic link stays one: the file it points to is replaced, or created when the
	 * link dangles. */
	if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		o->path = realpath(path, NULL);
	else if (!exists && errno == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		o->path = dangling_target(path);
	else
		o->path = strdup(path);
	if (!o->path) {
		cli_error("%s: open: %s", path, strerror(errno));
		return -1;
	}
	const char *slash = strrchr(o->path, '/');
	const char *base = slash ? slash + 1 : o->path;
	size_t dlen = (size_t)(base - o->path), size = strlen(o->path) + 16;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		cli_error("%s: not a file name", path);
		goto fail;
	}
	o->tmp = malloc(size);
	if (!o->tmp) {
		cli_error("out of memory");
		goto fail;
	}
	/* The temporary name is the base name with a dot before and 7 characters after: cut to
	 * fit NAME_MAX (255) when the base name itself is long. */
	snprintf(o->tmp, size, "%.*s.%.200s.XXXXXX", (int)dlen, o->path, base);

	/* No signal between creating the file and arming its removal. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	fd = mkstemp(o->tmp);
	if (fd >= 0)
		guard(o->tmp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		cli_error("%s: open: %s", path, strerror(errno));
		goto fail;
	}
	/* The mode the file would have had: that of the file replaced, else 0666 & ~umask. */
	if (exists) {
		fchmod(fd, st.st_mode & 07777);
	} else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		cli_error("%s: open: %s", path, strerror(errno));
		close(fd);
		cli_out_abort(o);
		return -1;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return -1;
}

void cli_out_abort(struct cli_out *o)
{
	if (o->direct) {
		fclose(o->f);
		o->f = NULL;
		return;
	}
	if (!o->path)
		return;
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	guard(NULL);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

int cli_out_commit(struct cli_out *o)
{
	if (o->direct) {
		errno = 0;
		if (!o->err && (fflush(o->f) != 0 || ferror(o->f)))
			o->err = errno ? errno : EIO;
		if (fclose(o->f) != 0 && !o->err)
			o->err = errno ? errno : EIO;
		o->f = NULL;
		if (o->err) {
			cli_error("%s: write: %s", o->name, strerror(o->err));
			return -1;
		}
		return 0;
	}
	if (!o->path) {
		errno = 0;
		if (!o->err && (fflush(stdout) != 0 || ferror(stdout)))
			o->err = errno ? errno : EIO;
		if (o->err) {
			cli_error("write error: %s", strerror(o->err));
			return -1;
		}
		return 0;
	}
	errno = 0;
	if (!o->err && (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0))
		o->err = errno ? errno : EIO;
	if (fclose(o->f) != 0 && !o->err)
		o->err = errno ? errno : EIO;
	o->f = NULL;
	const char *verb = "write";
	if (!o->err && rename(o->tmp, o->path) != 0) {
		o->err = errno ? errno : EIO;
		verb = "rename";
	}
	if (o->err) {
		cli_error("%s: %s: %s", o->name, verb, strerror(o->err));
		cli_out_abort(o);
		return -1;
	}
	guard(NULL);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
}
