/* options.c - the one flag table and its parser. Every flag of the contract is one row: name,
 * kind, where its value goes (a field of pk_options or of the CLI), help. The usage text is
 * generated from the rows.
 *
 * Mirrors go tool pprof: internal/driver/cli.go (parseFlags, sampleIndex, addBaseProfiles,
 * installConfigFlags), config.go (defaultConfig, the option groups) and Go's flag package
 * (parseOne, the strconv rules for values, its error messages). Divergences, all deliberate:
 * - flags may follow positional arguments (Go's flag package stops at the first); "--" ends
 *   them;
 * - "_" in a flag name may be written "-" (-sample-index);
 * - -base and -diff_base may be repeated and the files are merged (go tool pprof keeps the
 *   last one; upstream pprof merges them);
 * - conflicting option groups are listed in table order (pprof's order is map order).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum kind { K_BOOL, K_INT, K_FLOAT, K_STRING, K_LIST };

struct flag {
	const char *name;
	const char *alias; /* another spelling, or NULL */
	enum kind kind;
	size_t off;          /* of the value in struct cli (K_LIST: of the char ** array) */
	const char *arg;     /* placeholder in usage */
	const char *def;     /* default shown in usage, or NULL */
	const char *help;    /* one line, our words */
	const char *section; /* non-NULL: this row starts a section of the usage text */
};

#define F(field) offsetof(struct cli, field)

/* clang-format off */
static const struct flag flags[] = {
	/* Sample values. */
	{"sample_index", NULL, K_STRING, F(pk.sample_index), "NAME|N", "the profile's default",
	 "which sample value to report: a type name (alloc_space) or a 0-based index", "Sample values"},
	{"mean", NULL, K_BOOL, F(pk.mean), NULL, NULL,
	 "report values divided by the sample count (average per event)", NULL},
	{"divide_by", NULL, K_FLOAT, F(pk.divide_by), "F", "1",
	 "divide every value by F (the number of CPUs, of jobs...)", NULL},

	/* Filtering. */
	{"focus", NULL, K_STRING, F(pk.focus), "RE", NULL,
	 "keep only samples with a frame matching RE (function, file or binary)", "Filtering"},
	{"ignore", NULL, K_STRING, F(pk.ignore), "RE", NULL,
	 "drop samples with a frame matching RE", NULL},
	{"hide", NULL, K_STRING, F(pk.hide), "RE", NULL,
	 "remove frames matching RE from every stack, keeping the samples", NULL},
	{"show", NULL, K_STRING, F(pk.show), "RE", NULL,
	 "keep only frames matching RE in every stack, keeping the samples", NULL},
	{"show_from", NULL, K_STRING, F(pk.show_from), "RE", NULL,
	 "cut each stack above its outermost frame matching RE; drop samples without one", NULL},
	{"prune_from", NULL, K_STRING, F(pk.prune_from), "RE", NULL,
	 "cut each stack below its frame matching RE (the frame itself stays)", NULL},
	{"tagfocus", NULL, K_STRING, F(pk.tagfocus), "EXPR", NULL,
	 "keep samples whose labels match: RE, KEY=RE, or a range like 1kb:10kb, mem=32mb:", NULL},
	{"tagignore", NULL, K_STRING, F(pk.tagignore), "EXPR", NULL,
	 "drop samples whose labels match EXPR (same forms as -tagfocus)", NULL},
	{"tagshow", NULL, K_STRING, F(pk.tagshow), "RE", NULL,
	 "consider only the labels whose key:value matches RE", NULL},
	{"taghide", NULL, K_STRING, F(pk.taghide), "RE", NULL,
	 "disregard the labels whose key:value matches RE", NULL},
	{"tagroot", NULL, K_STRING, F(pk.tagroot), "KEYS", NULL,
	 "add frames for these comma-separated label keys at the root of each stack", NULL},
	{"tagleaf", NULL, K_STRING, F(pk.tagleaf), "KEYS", NULL,
	 "add frames for these comma-separated label keys at the leaf of each stack", NULL},

	/* Trimming. */
	{"nodecount", NULL, K_INT, F(pk.nodecount), "N", "0 for top, 80 otherwise",
	 "show at most N nodes (0: no limit)", "Trimming"},
	{"nodefraction", NULL, K_FLOAT, F(pk.nodefraction), "F", "0.005",
	 "hide nodes whose value is below F of the total", NULL},
	{"edgefraction", NULL, K_FLOAT, F(pk.edgefraction), "F", "0.001",
	 "hide edges whose value is below F of the total", NULL},
	{"trim", NULL, K_BOOL, F(pk.trim), NULL, "true",
	 "apply -nodecount, -nodefraction, -edgefraction; -trim=false shows everything", NULL},

	/* Sorting and granularity: one of each group at most. */
	{"flat", NULL, K_BOOL, F(sort_flags[1]), NULL, NULL,
	 "sort by the value of the entry itself (the default)", "Sort order (one at most)"},
	{"cum", NULL, K_BOOL, F(sort_flags[0]), NULL, NULL,
	 "sort by the cumulative value: the entry and everything it calls", NULL},
	{"functions", NULL, K_BOOL, F(gran_flags[0]), NULL, NULL,
	 "one entry per function (the default)", "Granularity (one at most)"},
	{"filefunctions", NULL, K_BOOL, F(gran_flags[1]), NULL, NULL,
	 "one entry per function and the file defining it", NULL},
	{"files", NULL, K_BOOL, F(gran_flags[2]), NULL, NULL, "one entry per source file", NULL},
	{"lines", NULL, K_BOOL, F(gran_flags[3]), NULL, NULL, "one entry per source line", NULL},
	{"addresses", NULL, K_BOOL, F(gran_flags[4]), NULL, NULL,
	 "one entry per instruction address, shown in the names", NULL},
	{"noinlines", NULL, K_BOOL, F(pk.noinlines), NULL, NULL,
	 "charge inlined functions to the function they were inlined into", NULL},

	/* Comparison. */
	{"base", NULL, K_LIST, F(base), "FILE", NULL,
	 "subtract FILE from the profile (repeat to merge several)", "Comparison"},
	{"diff_base", NULL, K_LIST, F(diff_base), "FILE", NULL,
	 "compare with FILE: subtract it; percentages are of FILE's total (repeatable)", NULL},
	{"normalize", NULL, K_BOOL, F(normalize), NULL, NULL,
	 "scale the base to the profile's total before subtracting", NULL},
	{"inputs", NULL, K_STRING, F(inputs), "FILE", NULL,
	 "more profiles: FILE lists their paths, one a line; merged one at a time", NULL},
	{"threads", NULL, K_INT, F(threads), "N", "2",
	 "read the bases in a second thread (1: one after the other)", NULL},
	{"drop_negative", NULL, K_BOOL, F(pk.drop_negative), NULL, NULL,
	 "leave out entries whose value is negative", NULL},

	/* Display. */
	{"unit", NULL, K_STRING, F(pk.unit), "UNIT", "minimum",
	 "show values in UNIT (ms, s, kB, MB...); 'minimum' picks one unit for all, 'auto' one per value",
	 "Display"},
	{"relative_percentages", NULL, K_BOOL, F(pk.relative_percentages), NULL, NULL,
	 "percentages of what remains after filtering, not of the whole profile", NULL},
	{"call_tree", NULL, K_BOOL, F(pk.call_tree), NULL, NULL,
	 "graphs: a node per calling context, not per function", NULL},
	{"compact_labels", NULL, K_BOOL, F(pk.compact_labels), NULL, NULL,
	 "graphs: a shorter legend", NULL},
	{"source_path", NULL, K_STRING, F(pk.source_path), "PATHS", NULL,
	 "list: directories to look in for source files (separated by ':')", NULL},
	{"trim_path", NULL, K_STRING, F(pk.trim_path), "PATH", NULL,
	 "list: strip PATH from recorded source paths before looking", NULL},
	{"min_wait", NULL, K_STRING, F(pk.min_wait), "DURATION", NULL,
	 "goroutines: only goroutines waiting at least DURATION (10m, 1h30m)", NULL},
	{"args", NULL, K_BOOL, F(goroutine_args), NULL, NULL,
	 "goroutine dumps: keep frames' arguments, so goroutines with other arguments stay apart",
	 NULL},

	/* Flame graphs. */
	{"flame_title", NULL, K_STRING, F(pk.flame_title), "TEXT", "Flame Graph",
	 "flame: the title of the graph", "Flame graphs"},
	{"flame_width", NULL, K_FLOAT, F(pk.flame_width), "PX", "1200",
	 "flame: the width of the SVG in pixels", NULL},
	{"flame_minwidth", NULL, K_FLOAT, F(pk.flame_minwidth), "PX", "0.1",
	 "flame: leave out frames narrower than PX pixels (counted in the subtitle)", NULL},
	{"flame_colors", NULL, K_STRING, F(pk.flame_colors), "hot|mem|io|package", "hot",
	 "flame: the palette; package gives each package/namespace/class one stable hue", NULL},
	{"flame_reverse", NULL, K_BOOL, F(pk.flame_reverse), NULL, NULL,
	 "flame, folded: merge stacks from the leaf (who allocates, whatever the caller)", NULL},
	{"icicle", NULL, K_BOOL, F(pk.icicle), NULL, NULL,
	 "flame: the root at the top, stacks growing down", NULL},
	{"flame_width_from", NULL, K_STRING, F(pk.flame_width_from), "old|new|max", "new",
	 "flame with a base: which profile sets the widths (a stack only in the other stays visible)",
	 NULL},

	/* Input. */
	{"folded_type", NULL, K_STRING, F(folded_type), "TYPE/UNIT", "samples/count",
	 "the sample type of folded-stacks input (\"a;b;c 42\" lines, read as a profile)",
	 "Input"},

	/* Output. */
	{"output", "o", K_STRING, F(output), "FILE", "standard output",
	 "write the report to FILE, replacing it only once the report is complete", "Output"},
	{"format", NULL, K_STRING, F(format), "text|json|csv", "text",
	 "top, peek, tree, traces, tags, goroutines, compare, trend, check: text, JSON (docs/pprofkit.schema.json) or CSV", NULL},
	{"json", NULL, K_BOOL, F(json), NULL, NULL, "= -format=json", NULL},

	/* Snapshots. */
	{"stacks", NULL, K_BOOL, F(pk.stacks), NULL, NULL,
	 "compare, trend, check: one row per call stack, not per function", "Snapshots (compare, trend, check)"},
	{"sort", NULL, K_STRING, F(pk.sort), "delta|new|old|pct", "delta",
	 "compare: order rows by the size of the change, the new or old value, or the percentage", NULL},
	{"by_label", NULL, K_STRING, F(pk.by_label), "KEY", NULL,
	 "trend, compare: one row per value of label KEY", NULL},
	{"ascii", NULL, K_BOOL, F(pk.ascii), NULL, NULL, "trend: the sparkline in plain ASCII", NULL},
	{"max_growth", NULL, K_FLOAT, F(pk.max_growth), "PCT", NULL,
	 "check: the total may grow by at most PCT percent", NULL},
	{"max_site_growth", NULL, K_STRING, F(pk.max_site_growth), "AMOUNT", NULL,
	 "check: no row may grow by more than AMOUNT (1MB, 500ms, 100)", NULL},
	{"max_new", NULL, K_STRING, F(pk.max_new), "AMOUNT", NULL,
	 "check: no row absent from OLD may reach AMOUNT in NEW", NULL},

	/* Fetching. */
	{"seconds", NULL, K_INT, F(seconds), "N", NULL,
	 "URL sources: ask for N seconds of profile (?seconds=N: CPU and delta profiles)",
	 "Fetching (a PROFILE may be http://HOST:PORT/PATH, HOST:PORT or HOST:PORT/PATH)"},
	{"timeout", NULL, K_INT, F(timeout), "N", "1.5 x -seconds, or 60",
	 "URL sources: give up a fetch after N seconds", NULL},
	{"every", NULL, K_STRING, F(every), "DURATION", "30s",
	 "capture: one round of snapshots every DURATION (200ms, 30s, 5m, 1h)", NULL},
	{"count", NULL, K_INT, F(count), "N", "0: until interrupted",
	 "capture: take N rounds of snapshots", NULL},

	/* Limits. */
	{"max_inflated", NULL, K_STRING, F(max_inflated), "BYTES", "1G",
	 "refuse a gzipped profile that inflates to more than BYTES (suffix K, M or G: 1024s; "
	 "0: no limit)",
	 "Limits"},

	/* Legacy value selections, in cli.go's order of precedence: when several are given the
	 * first wins and -sample_index beats them all. */
	{"total_delay", NULL, K_BOOL, F(total_delay), NULL, NULL, "= -sample_index=delay",
	 "Shorthands (if several are given, the first listed here wins)"},
	{"mean_delay", NULL, K_BOOL, F(mean_delay), NULL, NULL,
	 "= -sample_index=delay -mean", NULL},
	{"contentions", NULL, K_BOOL, F(contentions), NULL, NULL,
	 "= -sample_index=contentions", NULL},
	{"inuse_space", NULL, K_BOOL, F(inuse_space), NULL, NULL,
	 "= -sample_index=inuse_space", NULL},
	{"inuse_objects", NULL, K_BOOL, F(inuse_objects), NULL, NULL,
	 "= -sample_index=inuse_objects", NULL},
	{"alloc_space", NULL, K_BOOL, F(alloc_space), NULL, NULL,
	 "= -sample_index=alloc_space", NULL},
	{"alloc_objects", NULL, K_BOOL, F(alloc_objects), NULL, NULL,
	 "= -sample_index=alloc_objects", NULL},

	/* go tool pprof's flags for binaries, the web UI and HTTPS: accepted, with a note. */
	{"symbolize", NULL, K_STRING, F(symbolize), "MODE", NULL,
	 "as go tool pprof: none (no demangling), force (demangle every name again), local, remote, "
	 ":demangle=default; demangle=none|full|templates are accepted, names shown the default way",
	 "Accepted for go tool pprof compatibility"},
	{"http", NULL, K_STRING, F(http), "[HOST]:PORT", NULL,
	 "serve the web UI (flame graph, top, graph, peek, source, compare) on HOST:PORT "
	 "(HOST: localhost when empty; PORT 0: any free port) until Ctrl-C", NULL},
	{"no_browser", NULL, K_BOOL, F(no_browser), NULL, NULL,
	 "with -http: do not open a browser (xdg-open)", NULL},
	{"http_timeout", NULL, K_FLOAT, F(http_timeout), "SECONDS", "30",
	 "with -http: the longest one view may compute; past it the page says so (HTTP 503) "
	 "and the server goes on; 0: no bound", NULL},
	{"tls_cert", NULL, K_STRING, F(tls_cert), "FILE", NULL,
	 "HTTPS client certificate: not taken yet (exit 2)", NULL},
	{"tls_key", NULL, K_STRING, F(tls_key), "FILE", NULL,
	 "HTTPS client key: not taken yet (exit 2)", NULL},
	{"tls_ca", NULL, K_STRING, F(tls_ca), "FILE", NULL,
	 "HTTPS certificate authority: not taken yet (exit 2)", NULL},
	{NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
/* clang-format on */

/* Flags of go tool pprof that pprofkit does not have: named in the error, not "not defined". */
static const char *const unsupported[] = {
    "buildid",   "add_comment", "tools",    "intel_syntax", "disasm", "weblist", "web",
    "callgrind", "kcachegrind", "topproto", "gif",          "pdf",    "png",     "ps",
    "eog",       "evince",      "gv",       "granularity",  NULL};

void cli_init(struct cli *cli)
{
	pk_options init = PK_OPTIONS_INIT;
	memset(cli, 0, sizeof *cli);
	cli->pk = init;
	cli->seconds = cli->timeout = -1;
	cli->http_timeout = 30;
}

void cli_free(struct cli *cli)
{
	free(cli->base);
	free(cli->diff_base);
	cli->base = cli->diff_base = NULL;
}

/* ---- values, as Go's strconv reads them ------------------------------------------------- */

/* strconv.ParseBool. */
static int parse_bool(const char *s, int *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
	for (int i = 0; t[i]; i++) {
		if (strcmp(s, t[i]) == 0)
			return *out = 1, 0;
		if (strcmp(s, f[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* strconv's underscoreOK: each '_' sits between digits (a base prefix counts as a digit). */
static int underscore_ok(const char *s)
{
	char saw = '^';
	int hex = 0;
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && s[1] && strchr("bBoOxX", s[1])) {
		hex = s[1] == 'x' || s[1] == 'X';
		saw = '0';
		s += 2;
	}
	for (; *s; s++) {
		if ((*s >= '0' && *s <= '9') || (hex && strchr("abcdefABCDEF", *s))) {
			saw = '0';
		} else if (*s == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
		} else {
			if (saw == '_')
				return 0;
			saw = '!';
		}
	}
	return saw != '_';
}

/* strconv.ParseInt(s, 0, 64), narrowed to int: a sign, the 0x 0o 0b and 0 prefixes, '_'
 * between digits. Returns 0, -1 (syntax) or -2 (out of range). */
static int parse_int(const char *s0, int *out)
{
	const char *s = s0;
	int neg = 0, base = 10, underscores = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return -1;
	if (s[0] == '0') {
		size_t len = strlen(s);
		char c = (char)(s[1] | 0x20);
		if (len >= 3 && c == 'b')
			base = 2, s += 2;
		else if (len >= 3 && c == 'o')
			base = 8, s += 2;
		else if (len >= 3 && c == 'x')
			base = 16, s += 2;
		else
			base = 8, s += 1;
	}
	uint64_t v = 0;
	int range = 0;
	for (; *s; s++) {
		int d;
		if (*s == '_') {
			underscores = 1;
			continue;
		} else if (*s >= '0' && *s <= '9') {
			d = *s - '0';
		} else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') {
			d = (*s | 0x20) - 'a' + 10;
		} else {
			return -1;
		}
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			range = 1;
		else
			v = v * (uint64_t)base + (uint64_t)d;
	}
	if (underscores && !underscore_ok(s0))
		return -1;
	if (range || v > (uint64_t)INT32_MAX + (uint64_t)neg)
		return -2;
	*out = neg ? (int)-(int64_t)v : (int)v;
	return 0;
}

/* strconv.ParseFloat(s, 64), close enough: no spaces, the whole string, overflow is range. */
static int parse_float(const char *s, double *out)
{
	if (!*s || strchr(" \t\n\v\f\r", *s))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end)
		return -1;
	if (errno == ERANGE && isinf(v))
		return -2;
	*out = v;
	return 0;
}

/* ---- parsing ---------------------------------------------------------------------------- */

/* name as written, with '-' read as '_', compared with want. */
static int name_is(const char *name, size_t n, const char *want)
{
	if (strlen(want) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((name[i] == '-' ? '_' : name[i]) != want[i])
			return 0;
	return 1;
}

static const struct flag *find_flag(const char *name, size_t n)
{
	for (const struct flag *f = flags; f->name; f++)
		if (name_is(name, n, f->name) || (f->alias && name_is(name, n, f->alias)))
			return f;
	return NULL;
}

static const struct pk_cmd *find_cmd_flag(const char *name, size_t n)
{
	for (const struct pk_cmd *c = cli_commands; c->name; c++) {
		if (name_is(name, n, c->name))
			return c;
		for (const char *const *a = c->aliases; a && *a; a++)
			if (name_is(name, n, *a))
				return c;
	}
	return NULL;
}

static int list_add(char ***list, size_t *n, char *v)
{
	char **l = realloc(*list, (*n + 1) * sizeof *l);
	if (!l)
		return -1;
	l[(*n)++] = v;
	*list = l;
	return 0;
}

int cli_add_base(struct cli *cli, int diff, char *path)
{
	if (diff ? list_add(&cli->diff_base, &cli->n_diff_base, path)
	         : list_add(&cli->base, &cli->n_base, path)) {
		cli_error("out of memory");
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int set_value(struct cli *cli, const struct flag *f, const char *as, char *value)
{
	char *field = (char *)cli + f->off;
	int rc;
	switch (f->kind) {
	case K_BOOL:
		if (parse_bool(value, (int *)field) < 0)
			return cli_usage_error("invalid boolean value \"%s\" for -%s: parse error",
			                       value, as);
		return 0;
	case K_INT:
		rc = parse_int(value, (int *)field);
		break;
	case K_FLOAT:
		rc = parse_float(value, (double *)field);
		break;
	case K_STRING:
		*(const char **)field = value;
		return 0;
	case K_LIST: {
		if (!*value) /* pprof drops empty values (dropEmpty) */
			return 0;
		return cli_add_base(cli, f->off == F(diff_base), value);
	}
	default:
		return 0;
	}
	if (rc < 0)
		return cli_usage_error("invalid value \"%s\" for flag -%s: %s", value, as,
		                       rc == -2 ? "value out of range" : "parse error");
	return 0;
}

/* A -COMMAND or -COMMAND=RE flag. pprof: outputFormat. */
static int set_cmd_flag(struct cli *cli, const struct pk_cmd *c, const char *as, char *value,
                        int has_value, int *consumed_next, char *next)
{
	if (c->takes_re) {
		if (!has_value) {
			if (!next)
				return cli_usage_error("flag needs an argument: -%s", as);
			value = next;
			*consumed_next = 1;
		}
		if (!*value) /* "-peek=" selects nothing, as in pprof */
			return 0;
		cli->flag_re = value;
	} else if (has_value) {
		int on;
		if (parse_bool(value, &on) < 0)
			return cli_usage_error("invalid boolean value \"%s\" for -%s: parse error",
			                       value, as);
		if (!on)
			return 0;
	}
	if (cli->flag_cmd && cli->flag_cmd != c)
		return cli_usage_error("must set at most one output format");
	if (cli->cmd && cli->cmd != c)
		return cli_usage_error("must set at most one output format (the command is %s)",
		                       cli->cmd->name);
	cli->flag_cmd = c;
	return 0;
}

int cli_parse(struct cli *cli, int argc, char **argv, int *npos)
{
	int pos = 0, dashdash = 0;
	for (int i = 0; i < argc; i++) {
		char *s = argv[i];
		if (dashdash || s[0] != '-' || s[1] == '\0') {
			argv[pos++] = s; /* a positional argument; "-" is standard input */
			continue;
		}
		if (strcmp(s, "--") == 0) {
			dashdash = 1;
			continue;
		}
		char *name = s + (s[1] == '-' ? 2 : 1);
		if (name[0] == '-' || name[0] == '=')
			return cli_usage_error("bad flag syntax: %s", s), CLI_PARSE_ERROR;
		char *eq = strchr(name + 1, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		char *value = eq ? eq + 1 : NULL;
		char as[128];
		snprintf(as, sizeof as, "%.*s", (int)n, name);

		if (name_is(name, n, "help") || name_is(name, n, "h"))
			return CLI_PARSE_HELP;
		if (name_is(name, n, "version"))
			return CLI_PARSE_VERSION;

		const struct flag *f = find_flag(name, n);
		if (!f) {
			const struct pk_cmd *c = find_cmd_flag(name, n);
			if (c) {
				int used = 0;
				if (set_cmd_flag(cli, c, as, value, eq != NULL, &used,
				                 i + 1 < argc ? argv[i + 1] : NULL))
					return CLI_PARSE_ERROR;
				i += used;
				continue;
			}
			for (const char *const *u = unsupported; *u; u++)
				if (name_is(name, n, *u))
					return cli_usage_error("-%s is a go tool pprof flag that "
					                       "pprofkit does not have",
					                       as),
					       CLI_PARSE_ERROR;
			const char *near = cli_nearest_flag(name, n);
			if (near)
				return cli_usage_error("flag provided but not defined: -%s (did "
				                       "you mean '-%s'?)",
				                       as, near),
				       CLI_PARSE_ERROR;
			return cli_usage_error("flag provided but not defined: -%s", as),
			       CLI_PARSE_ERROR;
		}
		if (f->kind == K_BOOL && !value) {
			*(int *)((char *)cli + f->off) = 1; /* a bool alone is true */
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return cli_usage_error("flag needs an argument: -%s", as),
				       CLI_PARSE_ERROR;
			value = argv[++i];
		}
		if (set_value(cli, f, as, value))
			return CLI_PARSE_ERROR;
	}
	*npos = pos;
	return 0;
}

/* -max_inflated: a decimal count of bytes, optionally followed by K, M or G (powers of
 * 1024, either case, an optional B after them). Returns 0, or -1 when malformed or too big. */
static int parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v = 0, mul = 1;
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	if (*s == 'k' || *s == 'K')
		mul = 1ULL << 10;
	else if (*s == 'm' || *s == 'M')
		mul = 1ULL << 20;
	else if (*s == 'g' || *s == 'G')
		mul = 1ULL << 30;
	if (mul > 1)
		s++;
	if (mul > 1 && (*s == 'b' || *s == 'B'))
		s++;
	if (*s || (v && mul > ULLONG_MAX / v))
		return -1;
	*out = v * mul;
	return 0;
}

/* pprof cli.go sampleIndex: the first legacy flag set selects the value, unless -sample_index
 * (or an earlier legacy flag) already did; the others are reported and ignored. */
static const char *legacy_index(int set, const char *si, const char *type, const char *option)
{
	if (!set)
		return si;
	if (!si || !*si)
		return type;
	cli_warning("Multiple value selections, ignoring %s", option);
	return si;
}

static const char *const sort_names[] = {"cum", "flat"};
static const char *const gran_names[] = {"functions", "filefunctions", "files", "lines",
                                         "addresses"};

/* pprof installConfigFlags: at most one choice per group, else "conflicting options set". */
static int group(const int *set, const char *const *names, int n, int *choice)
{
	char buf[256];
	size_t len = 0;
	int count = 0;
	for (int i = 0; i < n; i++) {
		if (!set[i])
			continue;
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", count ? " " : "",
		                        names[i]);
		count++;
		*choice = i;
	}
	if (count > 1)
		return cli_usage_error("conflicting options set: [%s]", buf);
	return 0;
}

/* -symbolize, as symbolizer.go (Symbolize) reads it: ':'-separated words, any case. pprofkit has
 * no binaries and no symbolz server to symbolize from, so only what the words do to demangling
 * matters: "none" (or "no") stops there, and nothing is demangled; "force" demangles every name
 * again from its system name; demangle=none|full|templates force too, with another way of
 * demangling that pprofkit does not have (demangle.c has pprof's default: no parameters, no
 * template arguments): a warning says so. A word pprof does not know gets pprof's warning. */
static pk_demangle check_symbolize(const char *mode)
{
	char buf[256];
	int other = 0;
	pk_demangle d = PK_DEMANGLE_DEFAULT;
	snprintf(buf, sizeof buf, "%s", mode);
	for (char *p = buf; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	for (char *o = buf, *next; o; o = next) {
		next = strchr(o, ':');
		if (next)
			*next++ = '\0';
		if (!strcmp(o, "none") || !strcmp(o, "no"))
			return PK_DEMANGLE_NONE;
		if (!*o || !strcmp(o, "local") || !strcmp(o, "fastlocal") || !strcmp(o, "remote") ||
		    !strcmp(o, "demangle=default"))
			continue;
		if (!strcmp(o, "force")) {
			d = PK_DEMANGLE_FORCE;
		} else if (!strcmp(o, "demangle=none") || !strcmp(o, "demangle=full") ||
		           !strcmp(o, "demangle=templates")) {
			d = PK_DEMANGLE_FORCE;
			other = 1;
		} else {
			cli_warning("ignoring unrecognized symbolization option: %s", mode);
			cli_warning("expecting -symbolize=[local|fastlocal|remote|none][:force]"
			            "[:demangle=[none|full|templates|default]");
		}
	}
	if (other)
		cli_warning("-symbolize=%s: pprofkit demangles C++ and Rust names only one way (no "
		            "parameters, no template arguments, as by default); names are shown so",
		            mode);
	return d;
}

/* The flags of go tool pprof for the web UI and HTTPS: a clear reason, exit 2. */
int cli_compat_flags(struct cli *cli)
{
	static const char tls[] = "pprofkit does not take client certificates or a CA for https:// "
	                          "URLs yet (it checks servers against the system's CAs)";
	if (cli->http && cli->cmd)
		return cli_usage_error("-http serves every view: give no command (%s) with it",
		                       cli->cmd->name);
	if (!(cli->http_timeout >= 0 && cli->http_timeout <= 1e6))
		return cli_usage_error("-http_timeout=%g: give seconds, 0 to 1000000 (0: no bound)",
		                       cli->http_timeout);
	if (cli->tls_cert)
		return cli_usage_error("-tls_cert: %s", tls);
	if (cli->tls_key)
		return cli_usage_error("-tls_key: %s", tls);
	if (cli->tls_ca)
		return cli_usage_error("-tls_ca: %s", tls);
	if (cli->symbolize)
		cli->demangle = check_symbolize(cli->symbolize);
	return 0;
}

int cli_finish_flags(struct cli *cli)
{
	int choice = -1;
	if (group(cli->sort_flags, sort_names, 2, &choice))
		return CLI_PARSE_ERROR;
	if (choice >= 0)
		cli->pk.cum = choice == 0;
	choice = -1;
	if (group(cli->gran_flags, gran_names, 5, &choice))
		return CLI_PARSE_ERROR;
	if (choice >= 0)
		cli->pk.granularity = (pk_granularity)(PK_GRAN_FUNCTIONS + choice);

	const char *si = cli->pk.sample_index;
	si = legacy_index(cli->total_delay, si, "delay", "-total_delay");
	si = legacy_index(cli->mean_delay, si, "delay", "-mean_delay");
	si = legacy_index(cli->contentions, si, "contentions", "-contentions");
	si = legacy_index(cli->inuse_space, si, "inuse_space", "-inuse_space");
	si = legacy_index(cli->inuse_objects, si, "inuse_objects", "-inuse_objects");
	si = legacy_index(cli->alloc_space, si, "alloc_space", "-alloc_space");
	si = legacy_index(cli->alloc_objects, si, "alloc_objects", "-alloc_objects");
	cli->pk.sample_index = si;
	if (cli->mean_delay)
		cli->pk.mean = 1;

	if (cli->max_inflated && parse_size(cli->max_inflated, &cli->max_inflated_bytes) < 0)
		return cli_usage_error("invalid value \"%s\" for flag -max_inflated: want a number "
		                       "of bytes, optionally with K, M or G",
		                       cli->max_inflated),
		       CLI_PARSE_ERROR;

	if (cli->json)
		cli->format = "json";
	if (cli->format) {
		if (!strcmp(cli->format, "text"))
			cli->pk.output = PK_OUT_TEXT;
		else if (!strcmp(cli->format, "json"))
			cli->pk.output = PK_OUT_JSON;
		else if (!strcmp(cli->format, "csv"))
			cli->pk.output = PK_OUT_CSV;
		else
			return cli_usage_error(
			           "invalid value \"%s\" for flag -format: want text, json "
			           "or csv",
			           cli->format),
			       CLI_PARSE_ERROR;
	}

	/* pprof addBaseProfiles. -normalize is checked in cli_report: diff adds its base later. */
	if (cli->n_base && cli->n_diff_base)
		return cli_usage_error("-base and -diff_base flags cannot both be specified"),
		       CLI_PARSE_ERROR;
	return 0;
}

/* ---- usage ------------------------------------------------------------------------------ */

/* Prints text from column col, wrapped before column 80 and indented to col. */
static void wrap(FILE *out, const char *text, int col)
{
	int at = col;
	while (*text) {
		const char *sp = strchr(text, ' ');
		int n = sp ? (int)(sp - text) : (int)strlen(text);
		if (at > col && at + 1 + n > 79) {
			fprintf(out, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', out);
			at++;
		}
		fprintf(out, "%.*s", n, text);
		at += n;
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

void cli_print_flags(FILE *out)
{
	for (const struct flag *f = flags; f->name; f++) {
		char left[64], help[256];
		if (f->section)
			fprintf(out, "\n%s:\n", f->section);
		if (f->alias)
			snprintf(left, sizeof left, "-%s %s, -%s=%s", f->alias, f->arg, f->name,
			         f->arg);
		else if (f->arg)
			snprintf(left, sizeof left, "-%s=%s", f->name, f->arg);
		else
			snprintf(left, sizeof left, "-%s", f->name);
		if (f->def)
			snprintf(help, sizeof help, "%s (default: %s)", f->help, f->def);
		else
			snprintf(help, sizeof help, "%s", f->help);
		if (strlen(left) > 24)
			fprintf(out, "  %s\n%28s", left, "");
		else
			fprintf(out, "  %-24s  ", left);
		wrap(out, help, 28);
	}
}

const char *cli_nearest_flag(const char *name, size_t n)
{
	struct cli_nearest near;
	cli_nearest_init(&near, name, n);
	for (const struct flag *f = flags; f->name; f++) {
		cli_nearest_try(&near, f->name);
		if (f->alias && f->alias[1])
			cli_nearest_try(&near, f->alias);
	}
	for (const struct pk_cmd *c = cli_commands; c->name; c++)
		cli_nearest_try(&near, c->name);
	cli_nearest_try(&near, "help");
	cli_nearest_try(&near, "version");
	return near.best;
}

void cli_list_flags(FILE *out)
{
	for (const struct flag *f = flags; f->name; f++) {
		fprintf(out, "-%s%s\n", f->name, f->kind == K_BOOL ? "" : "=");
		if (f->alias)
			fprintf(out, "-%s%s\n", f->alias, f->kind == K_BOOL ? "" : "=");
	}
}

int cli_flag_info(const char *name, int *is_bool)
{
	const struct flag *f = find_flag(name, strlen(name));
	if (!f)
		return 0;
	if (is_bool)
		*is_bool = f->kind == K_BOOL;
	return (int)(f - flags) + 1;
}

/* ---- the shell's options ---------------------------------------------------------------- */

const char *cli_shell_option(struct cli *cli, size_t i, int *kind, void **value)
{
	size_t lo = F(pk), hi = F(pk) + sizeof(pk_options), n = 0;
	for (const struct flag *f = flags; f->name; f++) {
		if (f->kind == K_LIST || f->off < lo || f->off >= hi)
			continue;
		if (n++ != i)
			continue;
		*kind = f->kind == K_BOOL    ? CLI_OPT_BOOL
		        : f->kind == K_INT   ? CLI_OPT_INT
		        : f->kind == K_FLOAT ? CLI_OPT_FLOAT
		                             : CLI_OPT_STRING;
		*value = (char *)cli + f->off;
		return f->name;
	}
	return NULL;
}

int cli_parse_value(int kind, const char *s, void *out)
{
	switch (kind) {
	case CLI_OPT_BOOL:
		return parse_bool(s, out);
	case CLI_OPT_INT:
		return parse_int(s, out);
	case CLI_OPT_FLOAT:
		return parse_float(s, out);
	default:
		return -1;
	}
}
