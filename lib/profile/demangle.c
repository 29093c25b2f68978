/* demangle.c - C++/Rust function names as go tool pprof shows them.
 * Mirrors internal/symbolizer/symbolizer.go Demangle, demangleSingleFunction (mode "": no
 * parameters, no template parameters), looksLikeDemangledCPlusPlus and removeMatching, which
 * go tool pprof runs on every profile it loads.
 * Divergence: pprof demangles with github.com/ianlancetaylor/demangle; we use GNU libiberty's
 * cplus_demangle (libiberty-dev), the demangler of binutils, without parameters, and then drop
 * template arguments as NoTemplateParams does. Exotic symbols may print differently. */
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "profile/profile.h"

/* removeMatching: drops every balanced start..end group; gives up on a stray end. */
static size_t remove_matching(char *s, size_t n, char start, char end)
{
	int nesting = 0;
	size_t first = 0;
	for (size_t cur = 0; cur < n; cur++) {
		if (s[cur] == start) {
			if (++nesting == 1)
				first = cur;
		} else if (s[cur] == end) {
			if (--nesting < 0)
				return n;
			if (nesting == 0) {
				memmove(s + first, s + cur + 1, n - cur - 1);
				n -= cur + 1 - first;
				cur = first -
				      1; /* wraps when first is 0; the loop's ++ brings it back */
			}
		}
	}
	return n;
}

static bool contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return true;
	return false;
}

static bool looks_demangled(const char *s, size_t n)
{
	if (contains(s, n, ".<") || contains(s, n, "])."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '<' || s[i] == '>' || s[i] == '[' || s[i] == ']')
			return true;
	return contains(s, n, "::");
}

/* A demangled copy (malloc'd) of a mangled name, or NULL when it is not one. */
static char *demangle(const char *s, size_t n)
{
	if (n < 3 || memchr(s, 0, n))
		return NULL;
	if (!(s[0] == '_' && (s[1] == 'Z' || s[1] == 'R' || (s[1] == '_' && s[2] == 'Z'))))
		return NULL;
	char *d = cplus_demangle(s[1] == '_' ? s + 1 : s, DMGL_AUTO);
	if (!d)
		return NULL;
	size_t len = remove_matching(d, strlen(d), '<', '>');
	d[len] = 0;
	return d;
}

pk_status pk_profile_demangle(pk_ctx *ctx, pk_profile *p)
{
	char *buf = NULL;
	size_t cap = 0;
	for (uint32_t i = 0; i < p->n_functions; i++) {
		pk_function *f = &p->functions[i];
		if (f->name != 0 && f->system_name != f->name)
			continue; /* already demangled */
		pk_str sys = pk_s(p, f->system_name);
		pk_sid id;
		char *d = demangle(sys.s, sys.n);
		if (d) {
			id = strcmp(d, sys.s) ? pk_strtab_intern_cstr(&p->strs, d) : f->system_name;
			pk_free(d);
		} else if (looks_demangled(sys.s, sys.n)) {
			if (sys.n + 1 > cap) {
				pk_free(buf);
				cap = sys.n + 1;
				if (!(buf = pk_malloc(cap)))
					return pk_oom(ctx);
			}
			memcpy(buf, sys.s, sys.n);
			size_t len = remove_matching(buf, sys.n, '(', ')');
			len = remove_matching(buf, len, '<', '>');
			id = pk_strtab_intern(&p->strs, buf, len);
		} else {
			id = f->system_name;
		}
		if (id == PK_NONE) {
			pk_free(buf);
			return pk_oom(ctx);
		}
		f->name = id;
	}
	pk_free(buf);
	return PK_OK;
}
