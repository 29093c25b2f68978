/* shell.c - `pprofkit [FLAGS] PROFILE...` without a command: the interactive (pprof) shell.
 * The profiles are loaded once; each command reports on a copy of the result (cli_load hands
 * out copies of cli->preloaded), through the same command rows and handlers as the one-shot
 * commands, so `top`, `list RE`, `svg >out.svg` in the shell print what `pprofkit top`, `pprofkit
 * list RE`, `pprofkit svg -o out.svg` print with the same options.
 *
 * Mirrors go tool pprof's internal/driver/interactive.go (interactive, parseCommandLine, the
 * shortcuts, printCurrentOptions, newCompleter) and config.go (configure, the option groups
 * sort and granularity). Divergences, deliberate:
 * - when standard input is not a terminal no prompt is printed, so that a script's output is
 *   the reports alone (pprof prints "(pprof) " before each);
 * - `cum`, `flat`, `lines`... alone select that choice (pprof says "unknown config field");
 *   `-NAME` resets option NAME to its default (as NAME= does);
 * - help and the option list go to standard output;
 * - `web` writes an SVG and `weblist` the list report as an HTML page, under $TMPDIR, and
 *   open them with $BROWSER or xdg-open when there is one, else print the path.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli.h"

#define MAX_OPTS 64

struct shell {
	struct cli *cli;
	pk_profile *p;
	char *owned[MAX_OPTS]; /* string option values set in the shell */
	char **fns;            /* function names, sorted, for completion */
	size_t n_fns;
};

static struct shell *completing; /* the shell whose names readline completes */

/* ---- options ---------------------------------------------------------------------------- */

static const char *const sort_choices[] = {"cum", "flat", NULL};
static const char *const gran_choices[] = {"functions", "filefunctions", "files",
                                           "lines",     "addresses",     NULL};

static int choice_index(const char *const *choices, const char *name)
{
	for (int i = 0; choices[i]; i++)
		if (strcmp(choices[i], name) == 0)
			return i;
	return -1;
}

/* The option named name: its index, kind and value pointer; -1 if none. */
static int find_option(struct shell *sh, const char *name, int *kind, void **value)
{
	const char *n;
	for (size_t i = 0; (n = cli_shell_option(sh->cli, i, kind, value)); i++)
		if (strcmp(n, name) == 0)
			return (int)i;
	return -1;
}

static int is_configurable(struct shell *sh, const char *name, int *is_bool)
{
	int kind;
	void *v;
	*is_bool = 1;
	if (choice_index(sort_choices, name) >= 0 || choice_index(gran_choices, name) >= 0)
		return 1;
	*is_bool = 0;
	if (strcmp(name, "sort") == 0 || strcmp(name, "granularity") == 0)
		return 1;
	if (find_option(sh, name, &kind, &v) < 0)
		return 0;
	*is_bool = kind == CLI_OPT_BOOL;
	return 1;
}

/* sample_index=VALUE: a type name or an index of this profile, stored as the name. */
static const char *check_sample_index(struct shell *sh, const char *value)
{
	size_t n = pk_profile_sample_type_count(sh->p);
	char *end;
	errno = 0;
	long i = strtol(value, &end, 10);
	if (*value && !*end && !errno) {
		if (i >= 0 && (size_t)i < n)
			return pk_profile_sample_type(sh->p, (size_t)i, NULL);
		fprintf(stderr, "sample_index value %ld out of range [0..%zu]\n", i, n ? n - 1 : 0);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		if (strcmp(pk_profile_sample_type(sh->p, k, NULL), value) == 0)
			return value;
	fprintf(stderr, "sample_index \"%s\" must be one of: [", value);
	for (size_t k = 0; k < n; k++)
		fprintf(stderr, "%s%s", k ? " " : "", pk_profile_sample_type(sh->p, k, NULL));
	fprintf(stderr, "]\n");
	return NULL;
}

static void reset_option(struct shell *sh, int idx, int kind, void *value)
{
	pk_options init = PK_OPTIONS_INIT;
	size_t off = (size_t)((char *)value - (char *)&sh->cli->pk);
	size_t size = kind == CLI_OPT_BOOL || kind == CLI_OPT_INT ? sizeof(int)
	              : kind == CLI_OPT_FLOAT                     ? sizeof(double)
	                                                          : sizeof(const char *);
	memcpy(value, (char *)&init + off, size);
	free(sh->owned[idx]);
	sh->owned[idx] = NULL;
}

/* NAME=VALUE (has_value) or NAME alone. Prints what is wrong. */
static void configure(struct shell *sh, const char *name, const char *value, int has_value)
{
	pk_options *o = &sh->cli->pk;
	int kind, c, on = 1;
	void *ptr;
	if (!has_value)
		value = "true";
	if ((c = choice_index(sort_choices, name)) >= 0 ||
	    (c = choice_index(gran_choices, name)) >= 0) {
		if (cli_parse_value(CLI_OPT_BOOL, value, &on) != 0 || !on) {
			fprintf(stderr, "unknown config field \"%s\"\n", name);
			return;
		}
		if (choice_index(sort_choices, name) >= 0)
			o->cum = c == 0;
		else
			o->granularity = (pk_granularity)c;
		return;
	}
	if (strcmp(name, "sort") == 0 || strcmp(name, "granularity") == 0) {
		const char *const *ch = name[0] == 's' ? sort_choices : gran_choices;
		if ((c = choice_index(ch, value)) < 0) {
			fprintf(stderr, "invalid \"%s\" value \"%s\"\n", name, value);
			return;
		}
		if (name[0] == 's')
			o->cum = c == 0;
		else
			o->granularity = (pk_granularity)c;
		return;
	}
	int idx = find_option(sh, name, &kind, &ptr);
	if (idx < 0 || idx >= MAX_OPTS) {
		fprintf(stderr, "unknown config field \"%s\"\n", name);
		return;
	}
	if (kind == CLI_OPT_STRING) {
		if (strcmp(name, "sample_index") == 0 && *value &&
		    !(value = check_sample_index(sh, value)))
			return;
		char *copy = strdup(value);
		if (!copy) {
			fprintf(stderr, "out of memory\n");
			return;
		}
		free(sh->owned[idx]);
		sh->owned[idx] = copy;
		*(const char **)ptr = copy;
		return;
	}
	union {
		int i;
		double d;
	} v;
	int rc = cli_parse_value(kind, value, &v);
	if (rc != 0) {
		fprintf(stderr, "%s: invalid value \"%s\": %s\n", name, value,
		        rc == -2 ? "value out of range" : "parse error");
		return;
	}
	if (kind == CLI_OPT_FLOAT)
		*(double *)ptr = v.d;
	else
		*(int *)ptr = v.i;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `options`: every option and its value, sorted by name, as pprof lists them. */
static void print_options(struct shell *sh)
{
	char *lines[MAX_OPTS + 2];
	size_t n = 0;
	const char *name;
	int kind;
	void *v;
	for (size_t i = 0; n < MAX_OPTS && (name = cli_shell_option(sh->cli, i, &kind, &v)); i++) {
		char val[512], comment[512] = "";
		if (strcmp(name, "source_path") == 0) /* pprof leaves it out */
			continue;
		if (kind == CLI_OPT_BOOL)
			snprintf(val, sizeof val, "%s", *(int *)v ? "true" : "false");
		else if (kind == CLI_OPT_INT)
			snprintf(val, sizeof val, "%d", *(int *)v);
		else if (kind == CLI_OPT_FLOAT)
			snprintf(val, sizeof val, "%g", *(double *)v);
		else
			snprintf(val, sizeof val, "%s", *(const char **)v ? *(const char **)v : "");
		if (strcmp(name, "sample_index") == 0) {
			size_t nt = pk_profile_sample_type_count(sh->p), len = 0;
			if (!*val && nt)
				snprintf(val, sizeof val, "%s",
				         pk_profile_sample_type(sh->p, nt - 1, NULL));
			len += (size_t)snprintf(comment, sizeof comment, "//: [");
			for (size_t k = 0; k < nt && len < sizeof comment; k++)
				len += (size_t)snprintf(comment + len, sizeof comment - len, "%s%s",
				                        k ? " | " : "",
				                        pk_profile_sample_type(sh->p, k, NULL));
			if (len < sizeof comment)
				snprintf(comment + len, sizeof comment - len, "]");
		} else if (strcmp(name, "nodecount") == 0 && *(int *)v == -1) {
			snprintf(comment, sizeof comment, "//: default");
		} else if (!*val) {
			snprintf(val, sizeof val, "\"\"");
		}
		char line[1200];
		snprintf(line, sizeof line, "  %-25s = %-20s %s", name, val, comment);
		lines[n++] = strdup(line);
	}
	char line[1200];
	snprintf(line, sizeof line, "  %-25s = %-20s %s", "sort", sh->cli->pk.cum ? "cum" : "flat",
	         "//: [cum | flat]");
	lines[n++] = strdup(line);
	snprintf(line, sizeof line, "  %-25s = %-20s %s", "granularity",
	         gran_choices[sh->cli->pk.granularity],
	         "//: [addresses | filefunctions | files | functions | lines]");
	lines[n++] = strdup(line);
	for (size_t i = 0; i < n; i++)
		if (!lines[i])
			lines[i] = strdup("");
	qsort(lines, n, sizeof *lines, cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (lines[i])
			printf("%s\n", lines[i]);
		free(lines[i]);
	}
	fflush(stdout);
}

/* ---- commands --------------------------------------------------------------------------- */

/* The report commands the shell runs: rows that report on PROFILE... (not diff, capture). */
static const struct pk_cmd *shell_command(const char *name)
{
	const struct pk_cmd *c = cli_find_command(name);
	if (!c || c->nargs < 0 || c->run == cmd_capture)
		return NULL;
	return c;
}

static int is_web(const char *name)
{
	return strcmp(name, "web") == 0 || strcmp(name, "weblist") == 0;
}

static void print_help(struct shell *sh, const char *topic)
{
	(void)sh;
	if (!*topic) {
		printf("  Commands:\n");
		for (const struct pk_cmd *c = cli_commands; c->name; c++)
			if (shell_command(c->name))
				printf("    %-16s %s\n", c->name, c->help);
		printf("    %-16s %s\n", "web", "the call graph as SVG, opened in a browser");
		printf("    %-16s %s\n", "weblist", "the list report as HTML, opened in a browser");
		printf("    %-16s %s\n", "o/options", "List options and their current values");
		printf("    %-16s %s\n", "q/quit/exit/^D", "Exit the shell");
		printf("\n  Options (NAME=VALUE sets, -NAME or NAME= resets; 'options' lists "
		       "them):\n   ");
		const char *n;
		int kind, col = 3;
		void *v;
		for (size_t i = 0; (n = cli_shell_option(sh->cli, i, &kind, &v)); i++) {
			if (col + (int)strlen(n) + 1 > 92) {
				printf("\n   ");
				col = 3;
			}
			col += printf(" %s", n);
		}
		printf("\n\n  Option groups (only set one per group):\n"
		       "    granularity      functions filefunctions files lines addresses\n"
		       "    sort             cum flat\n"
		       "  :   Clear focus/ignore/hide/tagfocus/tagignore\n\n"
		       "  A command takes [N] [focus_regex]* [-ignore_regex]* [-cum] [>FILE]:\n"
		       "  top 20, top -cum, list Put, peek 'Cache\\.', svg >out.svg\n"
		       "  type \"help <cmd>\" for more information\n");
		fflush(stdout);
		return;
	}
	const struct pk_cmd *c = shell_command(topic);
	if (c) {
		printf("%s\n  Usage:\n    %s%s [n] [focus_regex]* [-ignore_regex]* [-cum] >f\n\n%s",
		       c->help, c->name, c->takes_re ? " <regexp>" : "", c->more);
		fflush(stdout);
		return;
	}
	fprintf(stderr, "Unknown command: %s\n", topic);
}

static char *cat_regex(char *a, const char *b)
{
	size_t la = a ? strlen(a) : 0, lb = strlen(b);
	char *r = malloc(la + lb + 2);
	if (!r)
		return a;
	if (la && lb)
		snprintf(r, la + lb + 2, "%s|%s", a, b);
	else
		snprintf(r, la + lb + 2, "%s%s", a ? a : "", b);
	free(a);
	return r;
}

/* A file under $TMPDIR named as pprof names it (pprofNNN.SUFFIX), claimed with O_EXCL. */
static char *claim_temp(const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	char path[4200];
	if (!dir || !*dir)
		dir = "/tmp";
	for (int i = 1; i < 10000; i++) {
		snprintf(path, sizeof path, "%s/pprof%03d.%s", dir, i, suffix);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			close(fd);
			return strdup(path);
		}
		if (errno != EEXIST)
			break;
	}
	fprintf(stderr, "could not create a file in %s: %s\n", dir, strerror(errno));
	return NULL;
}

/* $BROWSER or xdg-open, if on PATH: the program to open files with; NULL if none. */
static const char *browser(void)
{
	static char found[4096];
	const char *b = getenv("BROWSER");
	const char *want = b && *b ? b : "xdg-open";
	const char *path = getenv("PATH");
	if (strchr(want, '/'))
		return access(want, X_OK) == 0 ? want : NULL;
	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(found, sizeof found, "%.*s/%s", (int)n, path, want);
		if (n && access(found, X_OK) == 0)
			return found;
		path += n + (path[n] == ':');
	}
	return NULL;
}

/* Opens path with the browser, without waiting for it (pprof does not wait in the shell). */
static void open_in_browser(const char *path)
{
	const char *b = browser();
	if (!b) {
		fprintf(stderr, "No browser found (set $BROWSER or install xdg-open): open %s\n",
		        path);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			int null = open("/dev/null", O_RDWR);
			if (null >= 0) {
				dup2(null, 0);
				dup2(null, 1);
				dup2(null, 2);
			}
			setsid();
			execl(b, b, path, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	fprintf(stderr, "Opening %s with %s\n", path, b);
}

/* weblist: the text in txt as an HTML page in html. Returns 0 or -1. */
static int text_to_html(const char *txt, const char *html)
{
	FILE *in = fopen(txt, "r"), *out = in ? fopen(html, "w") : NULL;
	int c, rc = 0;
	if (!in || !out) {
		if (in)
			fclose(in);
		return -1;
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pprofkit weblist"
	      "</title></head><body><pre>\n",
	      out);
	while ((c = fgetc(in)) != EOF) {
		if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else
			fputc(c, out);
	}
	fputs("</pre></body></html>\n", out);
	if (ferror(in) || ferror(out))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* One report command line, as pprof's parseCommandLine reads it, then the report. */
static void run_command(struct shell *sh, char **tok, int ntok)
{
	struct cli *cli = sh->cli;
	char name[64];
	const struct pk_cmd *c;
	int web = 0, list_re = 0;
	snprintf(name, sizeof name, "%s", tok[0]);
	c = shell_command(name);
	web = is_web(name);
	char **args = tok + 1;
	int nargs = ntok - 1;
	char digits[32] = "";
	if (!c && !web) { /* top10 */
		size_t len = strlen(name), d = len;
		while (d > 0 && isdigit((unsigned char)name[d - 1]))
			d--;
		if (d > 0 && d < len && len - d < sizeof digits) {
			snprintf(digits, sizeof digits, "%s", name + d);
			name[d] = '\0';
			c = shell_command(name);
			web = is_web(name);
		}
	}
	if (!c && !web) {
		int is_bool;
		if (is_configurable(sh, name, &is_bool))
			fprintf(stderr, "did you mean: %s=%s\n", name,
			        nargs > 0 ? args[0] : "<val>");
		else
			fprintf(stderr, "unrecognized command: \"%s\"\n", name);
		return;
	}
	if (web && strcmp(name, "web") == 0)
		c = cli_find_command("svg");
	else if (web)
		c = cli_find_command("list"), list_re = 1;
	if (!c)
		return;
	const char *re = NULL;
	if (c->takes_re || list_re) {
		if (nargs == 0) {
			fprintf(stderr, "command %s requires an argument\n", name);
			return;
		}
		re = args[0];
		args++, nargs--;
	}
	pk_options saved = cli->pk;
	const char *saved_output = cli->output;
	char *focus = NULL, *ignore = NULL, *web_path = NULL, *web_txt = NULL;
	const char *output = NULL;
	int ok = 1;
	for (int i = -1; i < nargs; i++) {
		const char *t = i < 0 ? digits : args[i];
		int n;
		if (!*t)
			continue;
		if (cli_parse_value(CLI_OPT_INT, t, &n) == 0 &&
		    strspn(t, "-+0123456789") == strlen(t)) {
			cli->pk.nodecount = n;
		} else if (t[0] == '>') {
			output = t + 1;
			if (!*output) {
				if (++i >= nargs) {
					fprintf(stderr, "unexpected end of line after >\n");
					ok = 0;
					break;
				}
				output = args[i];
			}
		} else if (t[0] == '-') {
			if (strcmp(t, "-cum") == 0 || strcmp(t, "--cum") == 0)
				cli->pk.cum = 1;
			else
				ignore = cat_regex(ignore, t + 1);
		} else {
			focus = cat_regex(focus, t);
		}
	}
	if (strcmp(c->name, "tags") == 0) {
		if (focus)
			cli->pk.tagfocus = focus;
		if (ignore)
			cli->pk.tagignore = ignore;
	} else {
		if (focus)
			cli->pk.focus = focus;
		if (ignore)
			cli->pk.ignore = ignore;
	}
	if (cli->pk.nodecount == -1 && c->fmt == PK_FMT_TOP)
		cli->pk.nodecount = 10;
	if (ok && web) {
		web_path = claim_temp(list_re ? "html" : "svg");
		if (list_re && web_path) {
			size_t n = strlen(web_path) + 8;
			web_txt = malloc(n);
			if (web_txt)
				snprintf(web_txt, n, "%s.txt", web_path);
		}
		output = list_re ? web_txt : web_path;
		ok = output != NULL;
	}
	if (ok) {
		char placeholder[] = "(shell)";
		char *argv[] = {placeholder, NULL};
		cli->output = output && *output ? output : NULL;
		cli->flag_re = re;
		cli_cmd_fn fn = c->run ? c->run : cli_run_simple; /* NULL: the common path */
		int rc = fn(c, cli, 1, argv);
		fflush(stdout);
		if (rc == CLI_EXIT_OK && web) {
			if (list_re && text_to_html(web_txt, web_path) != 0)
				fprintf(stderr, "%s: could not write\n", web_path);
			else
				open_in_browser(web_path);
		} else if (web && web_path) {
			unlink(web_path);
		}
	}
	if (web_txt)
		unlink(web_txt);
	free(web_txt);
	free(web_path);
	cli->pk = saved;
	cli->output = saved_output;
	cli->flag_re = NULL;
	free(focus);
	free(ignore);
}

/* Splits line in place at spaces and tabs; at most cap tokens. */
static int fields(char *line, char **tok, int cap)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t\r\n", &save); t && n < cap;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = t;
	return n;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One input after shortcut expansion. Returns 1 to quit. */
static int one_input(struct shell *sh, char *input)
{
	input = trim(input);
	if (!*input)
		return 0;
	/* -NAME: reset an option. */
	if (input[0] == '-' && !strchr(input, '=') && !strpbrk(input, " \t")) {
		int kind;
		void *v;
		int idx = find_option(sh, input + 1, &kind, &v);
		if (idx >= 0 && idx < MAX_OPTS) {
			reset_option(sh, idx, kind, v);
			return 0;
		}
		if (choice_index(sort_choices, input + 1) >= 0 || strcmp(input + 1, "sort") == 0) {
			sh->cli->pk.cum = 0;
			return 0;
		}
		if (choice_index(gran_choices, input + 1) >= 0 ||
		    strcmp(input + 1, "granularity") == 0) {
			sh->cli->pk.granularity = PK_GRAN_FUNCTIONS;
			return 0;
		}
	}
	char *eq = strchr(input, '=');
	{
		char name[128];
		size_t nl = eq ? (size_t)(eq - input) : strlen(input);
		int is_bool;
		if (nl < sizeof name) {
			memcpy(name, input, nl);
			name[nl] = '\0';
			char *nm = trim(name);
			if (is_configurable(sh, nm, &is_bool)) {
				if (!eq && !is_bool) {
					fprintf(stderr, "please specify a value, e.g. %s=<val>\n",
					        nm);
					return 0;
				}
				char *value = eq ? eq + 1 : (char *)"";
				char *comment = NULL;
				for (char *p = value; (p = strstr(p, "//:")); p += 3)
					comment = p;
				if (comment)
					*comment = '\0';
				value = trim(value);
				int kind;
				void *v;
				int idx = find_option(sh, nm, &kind, &v);
				if (eq && !*value && idx >= 0 && kind != CLI_OPT_STRING)
					reset_option(sh, idx, kind, v);
				else
					configure(sh, nm, value, eq != NULL);
				return 0;
			}
		}
	}
	char *tok[256];
	int n = fields(input, tok, 256);
	if (n == 0)
		return 0;
	if (strcmp(tok[0], "o") == 0 || strcmp(tok[0], "options") == 0) {
		print_options(sh);
		return 0;
	}
	if (strcmp(tok[0], "exit") == 0 || strcmp(tok[0], "quit") == 0 || strcmp(tok[0], "q") == 0)
		return 1;
	if (strcmp(tok[0], "help") == 0) {
		char topic[256] = "";
		size_t len = 0;
		for (int i = 1; i < n && len < sizeof topic; i++)
			len += (size_t)snprintf(topic + len, sizeof topic - len, "%s%s",
			                        i > 1 ? " " : "", tok[i]);
		print_help(sh, topic);
		return 0;
	}
	run_command(sh, tok, n);
	return 0;
}

/* The shortcuts pprof expands (interactive.go profileShortcuts), then each input. */
static int handle_line(struct shell *sh, char *line)
{
	char *input = trim(line);
	char buf[600];
	if (strcmp(input, ":") == 0) {
		static const char *const clear[] = {
		    "focus=", "ignore=", "hide=", "tagfocus=", "tagignore="};
		for (size_t i = 0; i < 5; i++) {
			snprintf(buf, sizeof buf, "%s", clear[i]);
			one_input(sh, buf);
		}
		return 0;
	}
	for (size_t i = 0; i < pk_profile_sample_type_count(sh->p); i++) {
		const char *t = pk_profile_sample_type(sh->p, i, NULL);
		const char *mean = NULL;
		if (strcmp(input, t) == 0)
			mean = "";
		else if (strncmp(input, "total_", 6) == 0 && strcmp(input + 6, t) == 0)
			mean = "mean=0";
		else if (strncmp(input, "mean_", 5) == 0 && strcmp(input + 5, t) == 0)
			mean = "mean=1";
		if (!mean)
			continue;
		if (*mean) {
			snprintf(buf, sizeof buf, "%s", mean);
			one_input(sh, buf);
		}
		snprintf(buf, sizeof buf, "sample_index=%s", t);
		one_input(sh, buf);
		return 0;
	}
	return one_input(sh, input);
}

/* ---- completion ------------------------------------------------------------------------- */

static char *complete_word(const char *text, int state)
{
	static size_t i;
	static int phase;
	size_t len = strlen(text);
	if (!state)
		i = 0, phase = 0;
	static const char *const extra[] = {"web",  "weblist", "options",     "help", "quit",
	                                    "exit", "sort",    "granularity", NULL};
	for (; phase < 4; phase++, i = 0) {
		for (;; i++) {
			const char *name = NULL;
			if (phase == 0) {
				if (!cli_commands[i].name)
					break;
				if (!shell_command(cli_commands[i].name))
					continue;
				name = cli_commands[i].name;
			} else if (phase == 1) {
				int kind;
				void *v;
				if (!(name = cli_shell_option(completing->cli, i, &kind, &v)))
					break;
			} else if (phase == 2) {
				if (!extra[i])
					break;
				name = extra[i];
			} else {
				const char *const *ch =
				    i < 2 ? sort_choices + i : gran_choices + (i - 2);
				if (!*ch)
					break;
				name = *ch;
			}
			if (strncmp(name, text, len) == 0) {
				i++;
				return strdup(name);
			}
		}
	}
	return NULL;
}

/* Function names containing the text (pprof's functionCompleter matches substrings). */
static char *complete_function(const char *text, int state)
{
	static size_t i;
	const char *t = text[0] == '-' ? text + 1 : text;
	if (!state)
		i = 0;
	for (; completing && i < completing->n_fns; i++) {
		if (strstr(completing->fns[i], t)) {
			const char *f = completing->fns[i++];
			size_t n = strlen(f) + 2;
			char *r = malloc(n);
			if (r)
				snprintf(r, n, "%s%s", text[0] == '-' ? "-" : "", f);
			return r;
		}
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	int first = 1, help = 0;
	for (int i = 0; i < start && rl_line_buffer[i]; i++)
		if (!isspace((unsigned char)rl_line_buffer[i]))
			first = 0;
	if (!first && strncmp(rl_line_buffer, "help", 4) == 0)
		help = 1;
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, first || help ? complete_word : complete_function);
}

static void load_function_names(struct shell *sh)
{
	size_t n = pk_profile_function_count(sh->p), k = 0;
	sh->fns = calloc(n ? n : 1, sizeof *sh->fns);
	if (!sh->fns)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *f = pk_profile_function_name(sh->p, i);
		if (f && *f)
			sh->fns[k++] = (char *)f;
	}
	qsort(sh->fns, k, sizeof *sh->fns, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || strcmp(sh->fns[u - 1], sh->fns[i]) != 0)
			sh->fns[u++] = sh->fns[i];
	sh->n_fns = u;
}

/* ---- the loop --------------------------------------------------------------------------- */

static pk_status mem_write(void *payload, const void *buf, size_t len)
{
	FILE *f = payload;
	return fwrite(buf, 1, len, f) == len ? PK_OK : PK_EIO;
}

/* pprof's greetings: the profile's labels (File, Type, Time...), on standard error. */
static void greetings(struct shell *sh)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	pk_profile *copy = NULL;
	if (mem && pk_profile_copy(sh->cli->ctx, &copy, sh->p) == PK_OK) {
		pk_options o = PK_OPTIONS_INIT;
		pk_writer w = {mem_write, mem};
		o.sample_index = sh->cli->pk.sample_index;
		o.mean = sh->cli->pk.mean;
		o.nodecount = 1;
		pk_status st = pk_report(sh->cli->ctx, copy, PK_FMT_TOP, &o, &w);
		fclose(mem);
		mem = NULL;
		for (char *line = text; st == PK_OK && line && *line;) {
			char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);
			if (strncmp(line, "Showing ", 8) == 0 ||
			    strncmp(line, "Dropped ", 8) == 0 ||
			    strncmp(line, "Active filters", 14) == 0)
				break;
			fprintf(stderr, "%.*s\n", (int)n, line);
			line = nl ? nl + 1 : NULL;
		}
	}
	if (mem)
		fclose(mem);
	free(text);
	pk_profile_free(copy);
	fprintf(stderr,
	        "Entering interactive mode (type \"help\" for commands, \"o\" for options)\n");
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	size_t n = strlen(home) + 32;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/.pprofkit_history", home);
	return p;
}

int cli_shell(struct cli *cli, int argc, char **argv)
{
	struct shell sh;
	pk_profile *p = NULL;
	pk_status st;
	int tty = isatty(STDIN_FILENO);

	memset(&sh, 0, sizeof sh);
	sh.cli = cli;
	if (cli->output)
		return cli_usage_error("the shell writes each report where the command says "
		                       "(svg >out.svg): -o is not for the shell");
	st = cli_load(cli, &p, argv, (size_t)argc);
	if (st != PK_OK)
		return cli_lib_error(cli, st);
	sh.p = p;
	cli->preloaded = p;
	cli->pk.compact_labels = 1; /* pprof's shell: configure("compact_labels", "true") */
	load_function_names(&sh);
	greetings(&sh);

	char *hist = NULL;
	if (tty) {
		completing = &sh;
		rl_readline_name = "pprofkit";
		rl_attempted_completion_function = complete;
		using_history();
		stifle_history(1000);
		if ((hist = history_path()))
			read_history(hist);
	}
	for (;;) {
		char *line = NULL;
		if (tty) {
			line = readline("(pprof) ");
			if (!line) {
				fputc('\n', stdout);
				break;
			}
			if (*trim(line))
				add_history(line);
		} else {
			size_t cap = 0;
			if (getline(&line, &cap, stdin) < 0) {
				free(line);
				break;
			}
		}
		int quit = handle_line(&sh, line);
		free(line);
		fflush(stdout);
		if (quit)
			break;
	}
	if (hist) {
		write_history(hist);
		free(hist);
	}
	completing = NULL;
	cli->preloaded = NULL;
	for (size_t i = 0; i < MAX_OPTS; i++)
		free(sh.owned[i]);
	free(sh.fns);
	pk_profile_free(p);
	return CLI_EXIT_OK;
}
