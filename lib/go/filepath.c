/* filepath.c - Go's path/filepath.Clean, for the file names pprof cleans (graph.go nodeInfo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/go.h"

void pk_clean_path(pk_sb *sb, const char *p, size_t n)
{
	pk_sb_reset(sb);
	if (n == 0) {
		pk_sb_cstr(sb, ".");
		return;
	}
	/* Work in a buffer no longer than the input (+1 for a lone "."). */
	pk_sb_bytes(sb, p, n);
	pk_sb_bytes(sb, ".", 1);
	if (sb->oom)
		return;
	char *out = sb->s;
	size_t w = 0, r = 0, dotdot = 0;
	bool rooted = p[0] == '/';
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && p[r] != '/'; r++)
				out[w++] = p[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	sb->n = w;
	out[w] = 0;
}
