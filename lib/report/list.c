/* list.c - the `list` report: for each function whose name matches the symbol regexp, a
 * "ROUTINE" block per source file with the flat and cum value of every line, shown with the
 * source text read from disk (-source_path, -trim_path).
 *
 * Mirrors internal/report/source.go: printSource, getSourceFromFile, sourceReader (line,
 * fileError), openSourceFile, trimPath (graph/names.c pk_trim_path); report.go valueOrDot; the
 * regexp compilation of driver.go generateRawReport ("parsing argument regexp ..."); and the
 * parts of Go's library they rely on: os.Getwd ($PWD when it names the current directory),
 * path/filepath SplitList, Join, Dir, IsAbs, os.Open's error text, and bufio.Scanner with
 * ScanLines (a line of 64 KiB or more ends the file; a trailing '\r' is dropped).
 *
 * Note: per-line and per-block values are Nodes.Sum, the raw sums, which -mean does not divide.
 *
 * Divergences:
 * - pprof walks a function's nodes of one file in hash-map order, and the first of them seeds
 *   the range of lines shown; we walk them in graph order. The result only differs when nodes of
 *   one function and file disagree on the function's start line (pprof is then
 *   nondeterministic itself).
 * - A regexp error is reported after the filters ran (pprof compiles it just before), which
 *   only matters when both -focus & co. and the regexp are bad.
 * - "no matches found" is PK_ENOMATCH (the CLI exits 1, as pprof does).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"

#define MARGIN 5                  /* lines shown before the first and after the last sample */
#define MAX_SCAN_LINE (64 * 1024) /* bufio.MaxScanTokenSize */

/* One source file as sourceReader caches it: its lines, or the error of opening it. */
typedef struct src_file {
	pk_sid path; /* the node's file name, the cache key */
	char *data;  /* the bytes read (malloc'd) */
	size_t *off; /* line i (1-based) is data[off[2i-2] .. off[2i-1]) */
	int64_t n_lines;
	char *err; /* malloc'd message, NULL when the file was found */
} src_file;

typedef struct lister {
	pk_rpt *r;
	pk_profile *p;
	pk_graph *g;
	const char *search_path;
	src_file *files;
	size_t n_files, cap_files;
	bool oom;
} lister;

/* A node to sort by a string key; pos keeps the graph order among equal keys. */
typedef struct keyed {
	pk_str key;
	uint32_t pos;
	uint32_t node;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = pk_str_cmp(x->key, y->key);
	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* ---- Go library pieces ------------------------------------------------------------------ */

/* The text of a syscall.Errno as Go prints it: glibc's message with a lower-case start. */
static void go_errno(pk_sb *sb, int e)
{
	const char *m = strerror(e);
	size_t n = strlen(m);
	if (n > 0 && m[0] >= 'A' && m[0] <= 'Z' && !(n > 1 && m[1] >= 'A' && m[1] <= 'Z')) {
		char c = (char)(m[0] - 'A' + 'a');
		pk_sb_bytes(sb, &c, 1);
		pk_sb_bytes(sb, m + 1, n - 1);
	} else {
		pk_sb_bytes(sb, m, n);
	}
}

/* os.Getwd: $PWD when it is absolute and names the current directory, else getcwd. */
static char *go_getwd(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (pwd && pwd[0] == '/' && stat(".", &a) == 0 && stat(pwd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return pk_strdup(pwd);
	size_t cap = 256;
	for (;;) {
		char *buf = pk_malloc(cap);
		if (!buf)
			return NULL;
		if (getcwd(buf, cap))
			return buf;
		pk_free(buf);
		if (errno != ERANGE || cap > (1u << 20))
			return NULL;
		cap *= 2;
	}
}

/* filepath.Join(dir, path) into sb. */
static void go_join(pk_sb *sb, const char *dir, size_t dn, const char *path, size_t pn)
{
	pk_sb raw = {0};
	if (dn == 0 && pn == 0) {
		pk_sb_reset(sb);
		pk_sb_bytes(sb, "", 0);
		return;
	}
	pk_sb_bytes(&raw, dir, dn);
	if (dn && pn)
		pk_sb_bytes(&raw, "/", 1);
	pk_sb_bytes(&raw, path, pn);
	if (raw.oom) {
		sb->oom = true;
	} else {
		pk_clean_path(sb, raw.s, raw.n);
	}
	pk_sb_free(&raw);
}

/* filepath.Dir(dir) into sb. */
static void go_dir(pk_sb *sb, const char *dir, size_t n)
{
	size_t i = n;
	while (i > 0 && dir[i - 1] != '/')
		i--;
	pk_clean_path(sb, dir, i);
}

/* Source files list reads: regular files of at most this size. A source path comes from the
 * profile, so it may name /dev/zero (endless), a FIFO (open blocks), a terminal or a huge file;
 * go tool pprof hangs or runs out of memory on those, we report them like a missing file. */
#define MAX_SOURCE_BYTES ((off_t)256 << 20)
#define E_NOT_REGULAR (-1) /* go_open's errno for a file that is not a regular one */
#define E_TOO_BIG (-2)     /* ... and for one over MAX_SOURCE_BYTES */

/* os.Open for reading; false with errno set on failure (E_NOT_REGULAR, E_TOO_BIG included).
 * Names holding a NUL fail as in Go. Opened without blocking (a FIFO with no writer). */
static bool go_open(const char *name, size_t n, int *fd)
{
	if (memchr(name, 0, n)) {
		errno = EINVAL;
		return false;
	}
	do
		*fd = open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	while (*fd < 0 && errno == EINTR);
	if (*fd < 0)
		return false;
	struct stat st;
	int e = 0;
	if (fstat(*fd, &st) != 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = E_NOT_REGULAR;
	else if (st.st_size > MAX_SOURCE_BYTES)
		e = E_TOO_BIG;
	if (e) {
		close(*fd);
		*fd = -1;
		errno = e;
		return false;
	}
	return true;
}

/* ---- sourceReader ----------------------------------------------------------------------- */

/* openSourceFile: an open descriptor, or the error text in err. */
static int open_source(lister *ls, pk_str file, pk_sb *err)
{
	const pk_options *o = ls->r->opt;
	pk_sb path = {0}, dir = {0}, name = {0};
	int fd = -1;
	pk_trim_path(&path, file.s, file.n, o->trim_path, ls->search_path);
	if (path.oom)
		goto oom;
	if (path.n > 0 && path.s[0] == '/') {
		if (!go_open(path.s, path.n, &fd)) {
			pk_sb_cstr(err, "open ");
			pk_sb_bytes(err, path.s, path.n);
			pk_sb_cstr(err, ": ");
			if (errno == E_NOT_REGULAR)
				pk_sb_cstr(err, "not a regular file");
			else if (errno == E_TOO_BIG)
				pk_sb_fmt(err, "larger than %lld bytes",
				          (long long)MAX_SOURCE_BYTES);
			else
				go_errno(err, errno);
		}
		goto done;
	}
	/* Every directory of the search path, then each of its parents. */
	const char *sp = ls->search_path;
	while (*ls->search_path) { /* SplitList("") is empty; "a:" is "a" and "" */
		const char *end = strchr(sp, ':');
		size_t dn = end ? (size_t)(end - sp) : strlen(sp);
		pk_sb_reset(&dir);
		pk_sb_bytes(&dir, sp, dn);
		for (;;) {
			go_join(&name, dir.s ? dir.s : "", dir.n, path.s ? path.s : "", path.n);
			pk_sb_bytes(&name, "", 1); /* NUL-terminate */
			if (name.oom || dir.oom)
				goto oom;
			if (go_open(name.s, name.n - 1, &fd))
				goto done;
			go_dir(&name, dir.s ? dir.s : "", dir.n);
			if (name.oom)
				goto oom;
			if (name.n == dir.n && memcmp(name.s, dir.s, dir.n) == 0)
				break;
			pk_sb_reset(&dir);
			pk_sb_bytes(&dir, name.s, name.n);
		}
		if (!end)
			break;
		sp = end + 1;
	}
	pk_sb_cstr(err, "could not find file ");
	pk_sb_bytes(err, path.s ? path.s : "", path.n);
	pk_sb_fmt(err, " on path %s", ls->search_path);
	goto done;
oom:
	ls->oom = true;
done:
	pk_sb_free(&path);
	pk_sb_free(&dir);
	pk_sb_free(&name);
	return fd;
}

/* Reads fd whole (a read error ends it, as it ends bufio.Scanner) and splits it into lines as
 * bufio.ScanLines does. */
static bool load_lines(src_file *f, int fd)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	for (;;) {
		if (len > (size_t)MAX_SOURCE_BYTES)
			break; /* it grew since it was opened: the rest is not read */
		if (cap - len < 65536) {
			size_t nc = cap ? cap * 2 : 65536;
			char *nb = pk_realloc(buf, nc);
			if (!nb)
				goto oom;
			buf = nb;
			cap = nc;
		}
		ssize_t k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	size_t n = 0, ncap = 0, pos = 0;
	size_t *off = NULL;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t e = nl ? (size_t)(nl - buf) : len;
		if (e - pos >= MAX_SCAN_LINE)
			break; /* bufio.ErrTooLong, which pprof drops: the file just ends */
		size_t te = e;
		if (te > pos && buf[te - 1] == '\r')
			te--;
		if (!pk_grow((void **)&off, &ncap, n + 2, sizeof *off))
			goto oom_off;
		off[n++] = pos;
		off[n++] = te;
		pos = nl ? e + 1 : len;
	}
	f->data = buf;
	f->off = off;
	f->n_lines = (int64_t)(n / 2);
	return true;
oom_off:
	pk_free(off);
oom:
	pk_free(buf);
	return false;
}

/* The cache entry of a file, NULL when out of memory. The file is read on first use. */
static src_file *source(lister *ls, pk_sid path)
{
	for (size_t i = 0; i < ls->n_files; i++)
		if (ls->files[i].path == path)
			return &ls->files[i];
	if (!pk_grow((void **)&ls->files, &ls->cap_files, ls->n_files + 1, sizeof *ls->files))
		return NULL;
	src_file *f = &ls->files[ls->n_files];
	memset(f, 0, sizeof *f);
	f->path = path;
	pk_sb err = {0};
	int fd = open_source(ls, pk_s(ls->p, path), &err);
	bool ok = !ls->oom && !err.oom;
	if (fd >= 0) {
		ok = ok && load_lines(f, fd);
		close(fd);
	} else if (ok) {
		f->err = pk_strndup(err.s ? err.s : "", err.n);
		ok = f->err != NULL;
	}
	pk_sb_free(&err);
	if (!ok) {
		pk_free(f->data);
		pk_free(f->off);
		pk_free(f->err);
		return NULL;
	}
	ls->n_files++;
	return f;
}

/* ---- the report ------------------------------------------------------------------------- */

static const char *value_or_dot(const pk_rpt *r, char *buf, size_t n, int64_t v)
{
	return v == 0 ? "." : pk_rpt_format_value(r, buf, n, v);
}

typedef struct line_val {
	int64_t lineno, flat, cum;
} line_val;

static int line_val_cmp(const void *a, const void *b)
{
	const line_val *x = a, *y = b;
	return x->lineno < y->lineno ? -1 : x->lineno > y->lineno;
}

/* One ROUTINE block: the nodes fns[0..n) of one function in one file (getSourceFromFile and
 * the loop body of printSource). */
static pk_status print_file(lister *ls, pk_str name, const keyed *fns, uint32_t n)
{
	pk_rpt *r = ls->r;
	pk_graph *g = ls->g;
	pk_sid path = g->node[fns[0].node].info.file;
	int64_t flat_sum = 0, cum_sum = 0;
	line_val *lv = pk_malloc(n * sizeof *lv);
	if (!lv)
		return pk_oom(r->ctx);

	const pk_ninfo *i0 = &g->node[fns[0].node].info;
	int64_t start = i0->start_line ? i0->start_line : pk_wadd(i0->lineno, -MARGIN);
	int64_t end = pk_wadd(i0->lineno, MARGIN);
	for (uint32_t i = 0; i < n; i++) {
		const pk_gnode *nd = &g->node[fns[i].node];
		int64_t ns =
		    nd->info.start_line ? nd->info.start_line : pk_wadd(nd->info.lineno, -MARGIN);
		int64_t ne = pk_wadd(nd->info.lineno, MARGIN);
		if (ns < start)
			start = ns;
		else if (ne > end)
			end = ne;
		lv[i].lineno = nd->info.lineno;
		lv[i].flat = nd->flat; /* Nodes.Sum adds Flat and Cum, never divided (-mean) */
		lv[i].cum = nd->cum;
		flat_sum = pk_wadd(flat_sum, lv[i].flat);
		cum_sum = pk_wadd(cum_sum, lv[i].cum);
	}
	if (start < 1)
		start = 1;
	qsort(lv, n, sizeof *lv, line_val_cmp);

	char a[128], b[128], pct[32];
	pk_out_cstr(&r->out, "ROUTINE ======================== ");
	pk_out_str(&r->out, name);
	pk_out_cstr(&r->out, " in ");
	pk_out_str(&r->out, pk_s(ls->p, path));
	pk_out_fmt(&r->out, "\n%10s %10s (flat, cum) %s of Total\n",
	           pk_rpt_format_value(r, a, sizeof a, flat_sum),
	           pk_rpt_format_value(r, b, sizeof b, cum_sum),
	           pk_percentage(pct, sizeof pct, cum_sum, r->total));

	/* The file is only read when a line is wanted, so an error shows only then (or when an
	 * earlier block read it). */
	src_file *f = NULL;
	for (size_t i = 0; i < ls->n_files; i++)
		if (ls->files[i].path == path)
			f = &ls->files[i];
	uint32_t k = 0;
	for (int64_t ln = start; ln <= end && r->out.status == PK_OK; ln++) {
		if (!f && !(f = source(ls, path))) {
			pk_free(lv);
			return pk_oom(r->ctx);
		}
		if (ln <= 0 || ln > f->n_lines)
			break;
		int64_t fl = 0, cu = 0;
		while (k < n && lv[k].lineno < ln)
			k++;
		for (; k < n && lv[k].lineno == ln; k++) {
			fl = pk_wadd(fl, lv[k].flat);
			cu = pk_wadd(cu, lv[k].cum);
		}
		pk_out_fmt(&r->out, "%10s %10s %6" PRId64 ":", value_or_dot(r, a, sizeof a, fl),
		           value_or_dot(r, b, sizeof b, cu), ln);
		size_t s = f->off[2 * (ln - 1)], e = f->off[2 * (ln - 1) + 1];
		pk_out_bytes(&r->out, f->data + s, e - s);
		pk_out_cstr(&r->out, "\n");
	}
	if (f && f->err)
		pk_out_fmt(&r->out, " Error: %s\n", f->err);
	pk_free(lv);
	return PK_OK;
}

/* printSource */
static pk_status list(lister *ls, const pk_regex *re)
{
	pk_rpt *r = ls->r;
	pk_graph *g = ls->g;
	pk_profile *p = ls->p;
	pk_status st = PK_OK;
	keyed *fn = NULL, *fl = NULL;
	uint8_t *seen = pk_calloc(p->strs.n ? p->strs.n : 1, 1); /* per name: 1 match, 2 no */
	char *wd = NULL;
	uint32_t nm = 0;
	if (!seen || !(fn = pk_malloc((g->n_nodes ? g->n_nodes : 1) * sizeof *fn)) ||
	    !(fl = pk_malloc((g->n_nodes ? g->n_nodes : 1) * sizeof *fl)))
		goto oom;

	/* The matching nodes, grouped by function name, names sorted. */
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		uint32_t ni = g->nodes[i];
		pk_sid name = g->node[ni].info.name;
		if (!seen[name]) {
			pk_str s = pk_s(p, name);
			seen[name] = pk_regex_match(re, s.s, s.n) ? 1 : 2;
		}
		if (seen[name] == 1)
			fn[nm++] = (keyed){pk_s(p, name), i, ni};
	}
	if (nm == 0) {
		st = pk_fail(r->ctx, PK_ENOMATCH, "no matches found for regexp: %s",
		             r->opt->symbol ? r->opt->symbol : "");
		goto done;
	}
	qsort(fn, nm, sizeof *fn, keyed_cmp);

	if (r->opt->source_path && *r->opt->source_path) {
		ls->search_path = r->opt->source_path;
	} else {
		if (!(wd = go_getwd())) {
			if (errno == ENOMEM)
				goto oom;
			pk_sb e = {0};
			go_errno(&e, errno);
			st = pk_fail(r->ctx, PK_EIO, "could not stat current dir: %s",
			             e.s ? e.s : "");
			pk_sb_free(&e);
			goto done;
		}
		ls->search_path = wd;
	}

	char tot[128];
	pk_out_fmt(&r->out, "Total: %s\n", pk_rpt_format_value(r, tot, sizeof tot, r->total));
	for (uint32_t i = 0; i < nm && r->out.status == PK_OK;) {
		uint32_t j = i;
		pk_sid name = g->node[fn[i].node].info.name;
		uint32_t nf = 0;
		for (; j < nm && g->node[fn[j].node].info.name == name; j++) {
			pk_sid file = g->node[fn[j].node].info.file;
			if (file != 0)
				fl[nf++] = (keyed){pk_s(p, file), fn[j].pos, fn[j].node};
		}
		if (nf == 0) {
			pk_out_cstr(&r->out, "No source information for ");
			pk_out_str(&r->out, pk_s(p, name));
			pk_out_cstr(&r->out, "\n");
			i = j;
			continue;
		}
		qsort(fl, nf, sizeof *fl, keyed_cmp);
		for (uint32_t a = 0; a < nf && r->out.status == PK_OK;) {
			uint32_t b = a;
			pk_sid file = g->node[fl[a].node].info.file;
			while (b < nf && g->node[fl[b].node].info.file == file)
				b++;
			if ((st = print_file(ls, pk_s(p, name), fl + a, b - a)) != PK_OK)
				goto done;
			a = b;
		}
		i = j;
	}
	goto done;
oom:
	st = pk_oom(r->ctx);
done:
	pk_free(seen);
	pk_free(fn);
	pk_free(fl);
	pk_free(wd);
	ls->search_path = NULL;
	return st;
}

pk_status pk_report_list(pk_rpt *r)
{
	const char *pattern = r->opt->symbol ? r->opt->symbol : "";
	pk_regex *re = NULL;
	pk_status st = pk_regex_compile(r->ctx, &re, pattern, NULL);
	if (st != PK_OK) {
		if (st != PK_EUSAGE)
			return st;
		char msg[sizeof r->ctx->msg];
		memcpy(msg, r->ctx->msg, sizeof msg);
		return pk_fail(r->ctx, st, "parsing argument regexp %s: %s", pattern, msg);
	}

	pk_gopts o = {0};
	o.value_index = r->value_index;
	o.mean = r->mean;
	o.obj_names = true;
	o.drop_negative = r->drop_negative;
	o.trim_path = r->opt->trim_path;
	o.source_path = r->opt->source_path;
	lister ls = {0};
	ls.r = r;
	ls.p = r->p;
	if ((st = pk_graph_new(r->ctx, &ls.g, r->p, &o)) == PK_OK)
		st = list(&ls, re);
	for (size_t i = 0; i < ls.n_files; i++) {
		pk_free(ls.files[i].data);
		pk_free(ls.files[i].off);
		pk_free(ls.files[i].err);
	}
	pk_free(ls.files);
	pk_graph_free(ls.g);
	pk_regex_free(re);
	return st;
}
