/* shorten.c - graph.go ShortenFunctionName: the short function names of DOT labels
 * ("example.com/leak/internal/cache.(*Cache).Put" becomes "cache.(*Cache).Put",
 * "std::vector<int>::push_back"-like C++ names keep their last class and method, Java names
 * drop their package).
 * Divergence: pprof's five regular expressions (cppAnonymousPrefixRegExp, goVerRegExp,
 * goRegExp, javaRegExp, cppRegExp) are matched by hand here; each matcher spells out what
 * RE2's leftmost-first semantics with greedy and lazy repetition make of its pattern
 * (checked against Go's regexp on hundreds of thousands of generated names). */
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

static bool is_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}
static bool is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}
static bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}
static bool is_ident_start(unsigned char c)
{
	return c == '_' || is_lower(c) || is_upper(c);
}

/* Where RE2's ".+" or ".*" starting at i stops: the first newline, or the end. */
static size_t line_end(const char *s, size_t n, size_t i)
{
	const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
	return nl ? (size_t)(nl - s) : n;
}

/* goVerRegExp `^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$` replaced by `${1}${2}`: drops the
 * first "/vN" module version followed by "." or "/"; no match when s holds a newline. */
static void strip_go_version(pk_sb *out, const char *s, size_t n)
{
	if (!memchr(s, '\n', n)) {
		for (size_t i = 0; i + 3 < n; i++) {
			if (s[i] != '/' || s[i + 1] != 'v')
				continue;
			size_t d = i + 2, e = d;
			while (e < n && s[e] >= '0' && s[e] <= '9')
				e++;
			size_t nd = e - d;
			if (nd == 0 || e >= n || (s[e] != '.' && s[e] != '/'))
				continue;
			if ((nd == 1 && s[d] >= '2') || (nd > 1 && s[d] != '0')) {
				pk_sb_bytes(out, s, i);
				pk_sb_bytes(out, s + e, n - e);
				return;
			}
		}
	}
	pk_sb_bytes(out, s, n);
}

/* goRegExp `^(?:[\w\-\.]+\/)+(.+)`: what follows the longest run of "segment/" prefixes. */
static bool match_go(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t p = 0, last = SIZE_MAX, prev = SIZE_MAX;
	for (;;) {
		size_t q = p;
		while (q < n && (is_word((unsigned char)s[q]) || s[q] == '-' || s[q] == '.'))
			q++;
		if (q == p || q >= n || s[q] != '/')
			break;
		prev = last;
		last = q;
		p = q + 1;
	}
	if (last == SIZE_MAX)
		return false;
	size_t start = last + 1;
	if (start >= n || s[start] == '\n') {
		if (prev == SIZE_MAX)
			return false;
		start = prev + 1; /* one segment fewer: ".+" starts on a segment character */
	}
	*b = start;
	*e = line_end(s, n, start);
	return true;
}

/* javaRegExp `^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)`:
 * Class.method after lower-case package names, followed by "(" or the end. */
static bool match_java(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t p = 0;
	while (p < n && is_lower((unsigned char)s[p])) {
		size_t q = p + 1;
		while (q < n && is_word((unsigned char)s[q]))
			q++;
		if (q < n && s[q] == '.')
			p = q + 1;
		else
			break;
	}
	if (p >= n || !is_upper((unsigned char)s[p]))
		return false;
	size_t c = p + 1;
	while (c < n && (is_word((unsigned char)s[c]) || s[c] == '$'))
		c++;
	if (c >= n || s[c] != '.')
		return false;
	size_t m = c + 1, end;
	if (n - m >= 6 && memcmp(s + m, "<init>", 6) == 0) {
		end = m + 6;
	} else if (m < n && is_lower((unsigned char)s[m])) {
		end = m + 1;
		while (end < n && (is_word((unsigned char)s[end]) || s[end] == '$'))
			end++;
	} else {
		return false;
	}
	if (end != n && s[end] != '(')
		return false;
	*b = p;
	*e = end;
	return true;
}

/* cppRegExp `^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)`: the last
 * "Class::method" (with its template arguments) after at least one namespace. */
static bool match_cpp(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t starts[64] = {0}, ends[64] = {0}, k = 0, p = 0;
	size_t *st = starts, *en = ends, cap = 64;
	bool found = false;
	while (p < n && is_ident_start((unsigned char)s[p])) {
		size_t q = p + 1;
		while (q < n && is_word((unsigned char)s[q]))
			q++;
		if (q + 1 >= n || s[q] != ':' || s[q + 1] != ':')
			break;
		if (k == cap) {
			size_t *ns = pk_malloc(2 * cap * sizeof *ns),
			       *ne = pk_malloc(2 * cap * sizeof *ne);
			if (!ns || !ne) {
				pk_free(ns);
				pk_free(ne);
				goto done; /* out of memory: leave the name as it is */
			}
			memcpy(ns, st, k * sizeof *ns);
			memcpy(ne, en, k * sizeof *ne);
			if (st != starts) {
				pk_free(st);
				pk_free(en);
			}
			st = ns;
			en = ne;
			cap *= 2;
		}
		st[k] = p;
		en[k] = q;
		k++;
		p = q + 2;
	}
	/* The prefix is greedy: the class is the last segment that can be one. */
	for (size_t j = k; j-- > 1;) {
		size_t c = st[j];
		while (c < en[j] && s[c] == '_')
			c++;
		if (c >= en[j] || !is_upper((unsigned char)s[c]))
			continue;
		size_t a = en[j] + 2;
		if (j + 1 == k) {
			if (a < n && s[a] == '~')
				a++;
			if (a >= n || !is_ident_start((unsigned char)s[a]))
				continue;
		}
		size_t end = a + 1;
		while (end < n && is_word((unsigned char)s[end]))
			end++;
		if (end < n && s[end] == '<') {
			size_t le = line_end(s, n, end + 1);
			for (size_t g = le; g-- > end + 1;) {
				if (s[g] == '>') {
					end = g + 1;
					break;
				}
			}
		}
		*b = st[j];
		*e = end;
		found = true;
		break;
	}
done:
	if (st != starts) {
		pk_free(st);
		pk_free(en);
	}
	return found;
}

void pk_shorten_function_name(pk_sb *sb, const char *s, size_t n)
{
	static const char anon[] = "(anonymous namespace)::";
	pk_sb t = {0};
	if (n >= sizeof anon - 1 && memcmp(s, anon, sizeof anon - 1) == 0) {
		s += sizeof anon - 1;
		n -= sizeof anon - 1;
	}
	strip_go_version(&t, s, n);
	if (t.oom) {
		sb->oom = true;
		pk_sb_free(&t);
		return;
	}
	const char *v = t.s ? t.s : "";
	size_t b, e;
	if (match_go(v, t.n, &b, &e) || match_java(v, t.n, &b, &e) || match_cpp(v, t.n, &b, &e))
		pk_sb_bytes(sb, v + b, e - b);
	else
		pk_sb_bytes(sb, v, t.n);
	pk_sb_free(&t);
}
