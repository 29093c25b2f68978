/* capture.c - `pprofkit capture [-every=DURATION] [-count=N] [-o DIR] URL...`: a series of
 * snapshots of each URL, for `trend` and `compare`. Every DURATION each URL is fetched (with
 * -seconds and -timeout as for any URL source), checked to be a profile, and its bytes written
 * as they came, atomically, to DIR/<type>.<UTC time>.pb.gz. A failed fetch is reported and
 * the series goes on; SIGINT/SIGTERM stop it cleanly, keeping the snapshots taken.
 * Not a pprof command: it replaces the shell loop around `curl` every leak hunt starts with.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t stop_flag;
static volatile int stop_int; /* what the fetch watches */

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
	stop_int = 1;
}

/* Go's time.ParseDuration, for positive durations; milliseconds in *ms. Returns 0 or -1. */
static int parse_duration(const char *s, double *ms)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"µs", 1e-3}, {"ms", 1},
	             {"s", 1e3},   {"m", 60e3},  {"h", 3600e3}};
	double total = 0;
	if (!s || !*s)
		return -1;
	while (*s) {
		char *end;
		if (!isdigit((unsigned char)*s) && *s != '.')
			return -1;
		errno = 0;
		double v = strtod(s, &end);
		if (end == s || errno)
			return -1;
		s = end;
		size_t best = 0, best_len = 0;
		for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
			size_t n = strlen(units[i].unit);
			if (strncmp(s, units[i].unit, n) == 0 && n > best_len)
				best = i, best_len = n;
		}
		if (!best_len)
			return -1;
		total += v * units[best].ms;
		s += best_len;
	}
	if (!(total >= 1) || !isfinite(total))
		return -1;
	*ms = total;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Sleeps until the monotonic time t (ms), or until stopped. */
static void sleep_until(double t)
{
	while (!stop_flag) {
		double left = t - now_ms();
		if (left <= 0)
			return;
		if (left > 200)
			left = 200;
		struct timespec ts = {(time_t)(left / 1e3), (long)(fmod(left, 1e3) * 1e6)};
		nanosleep(&ts, NULL);
	}
}

/* The TYPE of a URL: the last element of its path ("heap", "profile", "goroutine"). */
static void url_type(const char *url, char *out, size_t cap, int with_host)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t host_len = strcspn(p, "/?#");
	const char *path = p + host_len;
	size_t path_len = strcspn(path, "?#");
	while (path_len > 0 && path[path_len - 1] == '/')
		path_len--;
	/* a profile file served as is: heap.pb.gz is of type heap */
	static const char *const exts[] = {".pb.gz", ".pb", ".gz"};
	for (size_t e = 0; e < 3; e++) {
		size_t el = strlen(exts[e]);
		if (path_len > el && memcmp(path + path_len - el, exts[e], el) == 0) {
			path_len -= el;
			break;
		}
	}
	size_t i = path_len;
	while (i > 0 && path[i - 1] != '/')
		i--;
	size_t n = 0;
	out[0] = '\0';
	if (with_host)
		for (size_t k = 0; k < host_len && n + 2 < cap; k++)
			out[n++] =
			    isalnum((unsigned char)p[k]) || p[k] == '.' || p[k] == '-' ? p[k] : '_';
	if (with_host && n + 1 < cap)
		out[n++] = '.';
	for (size_t k = i; k < path_len && n + 1 < cap; k++)
		out[n++] = isalnum((unsigned char)path[k]) || path[k] == '.' || path[k] == '-' ||
		                   path[k] == '_'
		               ? path[k]
		               : '_';
	if (i == path_len && n + 8 < cap)
		n += (size_t)snprintf(out + n, cap - n, "profile");
	out[n] = '\0';
}

/* Writes data to dir/name.pb.gz through a temporary file; a name taken gets -2, -3...
 * Returns 0 (path in out) or -1 (printed). */
static int write_snapshot(const char *dir, const char *name, const void *data, size_t len,
                          char *out, size_t cap)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	fchmod(fd, 0644);
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cli_error("%s: %s", tmp, strerror(errno ? errno : EIO));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) != 0) {
		cli_error("%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(out, cap, "%s/%s.pb.gz", dir, name);
		else
			snprintf(out, cap, "%s/%s-%d.pb.gz", dir, name, i);
		if (link(tmp, out) == 0) {
			unlink(tmp);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	cli_error("%s: %s", out, strerror(errno));
	unlink(tmp);
	return -1;
}

/* The progress line on a terminal: its width, to erase it. */
static int drawn;

static void clear_line(void)
{
	if (drawn)
		fprintf(stderr, "\r%*s\r", drawn + 2, ""); /* + an echoed ^C */
	drawn = 0;
}

static void progress(int tty, int round, int count, int ok, int failed, double next_ms)
{
	if (!tty)
		return;
	char what[64];
	if (count)
		snprintf(what, sizeof what, "round %d of %d", round, count);
	else
		snprintf(what, sizeof what, "round %d", round);
	clear_line();
	drawn = fprintf(stderr, "capture: %s: %d snapshots, %d failed; next round in %.1fs", what,
	                ok, failed, next_ms / 1e3);
	if (drawn < 0)
		drawn = 0;
	fflush(stderr);
}

int cmd_capture(const struct pk_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	double every = 30e3;
	const char *dir = cli->output ? cli->output : ".";
	struct stat sb;
	int rc = cli_check_args(cmd, cli, argc), tty = isatty(STDERR_FILENO);
	if (rc != 0)
		return rc;
	if (cli->every && parse_duration(cli->every, &every) != 0)
		return cli_usage_error(
		    "capture: -every=%s: not a duration of 1ms or more (30s, 5m, "
		    "200ms)",
		    cli->every);
	if (cli->count < 0)
		return cli_usage_error("capture: -count=%d: must be 0 (until interrupted) or more",
		                       cli->count);
	for (int i = 0; i < argc; i++)
		if (!pk_source_is_url(argv[i]))
			return cli_usage_error("capture: %s: not a URL (http://HOST:PORT/PATH or "
			                       "HOST:PORT/PATH)",
			                       argv[i]);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return cli_usage_error("capture: -o %s: not a directory", dir);

	pk_fetch_options fo = PK_FETCH_OPTIONS_INIT;
	fo.seconds = cli->seconds;
	fo.timeout = cli->timeout;
	fo.cancel = &stop_int;
	char(*types)[256] = calloc((size_t)argc, sizeof *types);
	int *got = calloc((size_t)argc, sizeof *got);
	if (!types || !got) {
		free(types);
		free(got);
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	for (int i = 0; i < argc; i++) {
		char *url = NULL;
		pk_status st = pk_url_resolve(cli->ctx, argv[i], &fo, &url, NULL);
		if (st != PK_OK) {
			free(types);
			free(got);
			return cli_lib_error(cli, st);
		}
		url_type(url, types[i], sizeof types[i], 0);
		for (int j = 0; j < argc; j++) {
			char *u2 = NULL, t2[256];
			if (j == i || pk_url_resolve(cli->ctx, argv[j], &fo, &u2, NULL) != PK_OK)
				continue;
			url_type(u2, t2, sizeof t2, 0);
			free(u2);
			if (strcmp(t2, types[i]) == 0) {
				url_type(url, types[i], sizeof types[i], 1);
				break;
			}
		}
		free(url);
	}

	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	int ok = 0, failed = 0, round = 0;
	double start = now_ms();
	for (round = 1; !stop_flag && (cli->count == 0 || round <= cli->count); round++) {
		sleep_until(start + (round - 1) * every);
		if (stop_flag)
			break;
		for (int i = 0; i < argc && !stop_flag; i++) {
			void *data = NULL;
			size_t len = 0;
			pk_profile *p = NULL;
			struct timespec wall;
			struct tm tm;
			char stamp[64], name[400], path[4800];
			clock_gettime(CLOCK_REALTIME, &wall);
			gmtime_r(&wall.tv_sec, &tm);
			strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
			snprintf(name, sizeof name, "%s.%s.%03ldZ", types[i], stamp,
			         wall.tv_nsec / 1000000);
			pk_status st = pk_fetch(cli->ctx, argv[i], &fo, &data, &len);
			cli_progress_clear(); /* the fetch's own progress line, on a terminal */
			if (st == PK_OK) {
				st = pk_profile_parse(cli->ctx, &p, data, len, argv[i]);
				pk_profile_free(p);
			}
			if (stop_flag && st != PK_OK) {
				free(data);
				break;
			}
			clear_line();
			if (st != PK_OK) {
				cli_error("%s%s", pk_ctx_message(cli->ctx),
				          cli->count == 0 || round < cli->count
				              ? " (trying again at the next round)"
				              : "");
				failed++;
			} else if (write_snapshot(dir, name, data, len, path, sizeof path) == 0) {
				printf("%s\n", path);
				fflush(stdout);
				got[i]++;
				ok++;
			} else {
				failed++;
			}
			free(data);
		}
		if (!stop_flag && (cli->count == 0 || round < cli->count))
			progress(tty, round, cli->count, ok, failed,
			         start + round * every - now_ms() > 0
			             ? start + round * every - now_ms()
			             : 0);
	}
	clear_line();
	if (stop_flag)
		fprintf(stderr, "capture: interrupted; %d snapshots kept in %s\n", ok, dir);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	rc = CLI_EXIT_OK;
	for (int i = 0; i < argc; i++)
		if (!got[i] && !stop_flag) {
			cli_error("capture: %s: no snapshot taken", argv[i]);
			rc = CLI_EXIT_FAIL;
		}
	free(types);
	free(got);
	return rc;
}
