/* hints.c - messages that help: warnings marked as such, and the nearest spelling of an unknown
 * command or flag ("did you mean 'top'?").
 *
 * The distance is the optimal string alignment distance (Levenshtein with adjacent
 * transpositions: "tpo" is one edit from "top"), with '-' read as '_' as flag names are. A name
 * is suggested only when it is close for its length, so a word that resembles nothing gets no
 * suggestion; on a tie the first candidate offered wins (table order: deterministic).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	cli_progress_clear();
	fputs("pprofkit: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static char fold(char c)
{
	return c == '-' ? '_' : c;
}

/* The distance between a[0..an) and b, or a number above limit when it is over limit. */
static size_t distance(const char *a, size_t an, const char *b, size_t limit)
{
	enum { MAX = 64 };
	size_t bn = strlen(b);
	size_t d[3][MAX + 1]; /* rows i-2, i-1, i (mod 3) */
	if (an > MAX || bn > MAX)
		return limit + 1;
	if ((an > bn ? an - bn : bn - an) > limit)
		return limit + 1;
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= an; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pprev = d[(i + 1) % 3];
		cur[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) && pprev[j - 2] + 1 < v)
				v = pprev[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[an % 3][bn];
}

void cli_nearest_init(struct cli_nearest *n, const char *word, size_t len)
{
	n->word = word;
	n->len = len;
	n->best = NULL;
	/* Close for its length: 1 edit up to 4 letters, 2 up to 8, else 3. */
	n->dist = len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

void cli_nearest_try(struct cli_nearest *n, const char *candidate)
{
	size_t d = distance(n->word, n->len, candidate, n->dist);
	if (d <= n->dist && (!n->best || d < n->best_dist)) {
		n->best = candidate;
		n->best_dist = d;
	}
}

const char *cli_nearest_command(const char *word)
{
	struct cli_nearest n;
	cli_nearest_init(&n, word, strlen(word));
	for (const struct pk_cmd *c = cli_commands; c->name; c++) {
		cli_nearest_try(&n, c->name);
		for (const char *const *a = c->aliases; a && *a; a++)
			cli_nearest_try(&n, *a);
	}
	cli_nearest_try(&n, "help");
	return n.best;
}
