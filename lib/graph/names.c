/* names.c - node names and paths as pprof and Go's path/filepath produce them.
 * Mirrors path/filepath Clean, Base, SplitList (Unix), internal/report/source.go trimPath, and
 * internal/graph/graph.go NodeInfo.NameComponents (in graph.c, which owns nodes). */
#include <string.h>

#include "graph/graph.h"

/* filepath.Base of s[0..n) as a pointer/length into s (or a static "." / "/"). */
static void base(const char *s, size_t n, const char **b, size_t *bn)
{
	if (n == 0) {
		*b = ".";
		*bn = 1;
		return;
	}
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (n == 0) {
		*b = "/";
		*bn = 1;
		return;
	}
	size_t i = n;
	while (i > 0 && s[i - 1] != '/')
		i--;
	*b = s + i;
	*bn = n - i;
}

static bool has_prefix(const char *s, size_t n, const char *pre, size_t pn)
{
	return n >= pn && memcmp(s, pre, pn) == 0;
}

void pk_trim_path(pk_sb *sb, const char *path, size_t n, const char *trim_path,
                  const char *search_path)
{
	pk_sb_reset(sb);
	if (!trim_path || !*trim_path) {
		/* For each search path dir: strip up to and including "/" + Base(dir) + "/". */
		const char *sp = search_path ? search_path : "";
		while (*sp) {
			const char *end = strchr(sp, ':');
			size_t dn = end ? (size_t)(end - sp) : strlen(sp);
			const char *b;
			size_t bn;
			base(sp, dn, &b, &bn);
			pk_sb want = {0};
			pk_sb_bytes(&want, "/", 1);
			pk_sb_bytes(&want, b, bn);
			pk_sb_bytes(&want, "/", 1);
			if (!want.oom && want.n <= n) {
				for (size_t i = 0; i + want.n <= n; i++) {
					if (memcmp(path + i, want.s, want.n) == 0) {
						pk_sb_bytes(sb, path + i + want.n, n - i - want.n);
						pk_sb_free(&want);
						return;
					}
				}
			}
			pk_sb_free(&want);
			if (!end)
				break;
			sp = end + 1;
		}
	}
	/* Configured prefixes, then pprof's two fixed ones. */
	const char *tp = trim_path ? trim_path : "";
	for (;;) {
		const char *pre;
		size_t pn;
		const char *end = NULL;
		if (*tp) {
			end = strchr(tp, ':');
			pre = tp;
			pn = end ? (size_t)(end - tp) : strlen(tp);
		} else {
			break;
		}
		pk_sb t = {0};
		pk_sb_bytes(&t, pre, pn);
		if (pn == 0 || pre[pn - 1] != '/')
			pk_sb_bytes(&t, "/", 1);
		if (!t.oom && has_prefix(path, n, t.s, t.n)) {
			pk_sb_bytes(sb, path + t.n, n - t.n);
			pk_sb_free(&t);
			return;
		}
		pk_sb_free(&t);
		if (!end)
			break;
		tp = end + 1;
	}
	static const char *fixed[] = {"/proc/self/cwd/./", "/proc/self/cwd/"};
	for (int i = 0; i < 2; i++) {
		size_t pn = strlen(fixed[i]);
		if (has_prefix(path, n, fixed[i], pn)) {
			pk_sb_bytes(sb, path + pn, n - pn);
			return;
		}
	}
	pk_sb_bytes(sb, path, n);
}
