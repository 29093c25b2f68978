/* demangle.c - C++/Rust function names as go tool pprof shows them.
 * Mirrors internal/symbolizer/symbolizer.go Demangle, demangleSingleFunction (mode "": no
 * parameters, no template parameters), looksLikeDemangledCPlusPlus and removeMatching, which
 * go tool pprof runs on every profile it loads.
 * Divergence: pprof demangles with github.com/ianlancetaylor/demangle; we use GNU libiberty's
 * cplus_demangle (libiberty-dev), the demangler of binutils, without parameters, and then drop
 * template arguments as NoTemplateParams does. Exotic symbols may print differently. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "profile/profile.h"

/* removeMatching: drops every balanced start..end group; gives up on a stray end (what was
 * dropped before it stays dropped, as in Go). One pass, copying down: linear in n however the
 * groups nest or follow each other (Go's version, and ours before, rescanned after each group). */
static size_t remove_matching(char *s, size_t n, char start, char end)
{
	size_t nesting = 0, first = 0, w = 0;
	for (size_t cur = 0; cur < n; cur++) {
		char c = s[cur];
		if (c == start) {
			if (nesting++ == 0)
				first = w;
		} else if (c == end) {
			if (nesting == 0) { /* a stray end: the rest stays as it is */
				memmove(s + w, s + cur, n - cur);
				return w + (n - cur);
			}
			if (--nesting == 0) {
				w = first; /* drop the group, its start included */
				continue;
			}
		}
		s[w++] = c;
	}
	return w;
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

/* The demangler's output is capped: a few hundred bytes of mangled name can stand for
 * gigabytes of demangled text (nested back-references). libiberty's callback demanglers
 * allocate nothing on the heap (their state is on the stack), so when the output passes the
 * cap the callback jumps out of them. */
#define DEMANGLED_MAX (64 * 1024)

typedef struct dm_out {
	char *s;
	size_t n, cap;
	bool too_long, oom;
	jmp_buf out;
} dm_out;

static void dm_put(const char *p, size_t n, void *opaque)
{
	dm_out *o = opaque;
	if (o->n + n > DEMANGLED_MAX) {
		o->too_long = true;
		longjmp(o->out, 1);
	}
	if (!pk_grow((void **)&o->s, &o->cap, o->n + n + 1, 1)) {
		o->oom = true;
		longjmp(o->out, 1);
	}
	memcpy(o->s + o->n, p, n);
	o->n += n;
	o->s[o->n] = 0;
}

/* cplus_demangle(s, DMGL_AUTO) as libiberty does it (Rust first, then the C++ ABI), through the
 * callbacks. 1: demangled into o; 0: not a mangled name; -1: over the cap or out of memory. */
static int dm_run(const char *s, dm_out *o)
{
	volatile int step = 0;
	if (setjmp(o->out))
		return -1;
	for (; step < 2; step++) {
		o->n = 0;
		int ok = step == 0 ? rust_demangle_callback(s, DMGL_AUTO, dm_put, o)
		                   : cplus_demangle_v3_callback(s, DMGL_AUTO, dm_put, o);
		if (ok && o->s)
			return 1;
	}
	return 0;
}

/* A demangled copy (malloc'd) of a mangled name, or NULL when it is not one. *too_long: it is
 * one, but its demangled form is over DEMANGLED_MAX (or memory ran out): kept mangled. */
static char *demangle(const char *s, size_t n, bool *too_long)
{
	*too_long = false;
	if (n < 3 || memchr(s, 0, n))
		return NULL;
	if (!(s[0] == '_' && (s[1] == 'Z' || s[1] == 'R' || (s[1] == '_' && s[2] == 'Z'))))
		return NULL;
	dm_out o = {0};
	int r = dm_run(s[1] == '_' ? s + 1 : s, &o);
	if (r <= 0) {
		*too_long = r < 0;
		pk_free(o.s);
		return NULL;
	}
	size_t len = remove_matching(o.s, o.n, '<', '>');
	o.s[len] = 0;
	return o.s;
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
		bool too_long;
		char *d = demangle(sys.s, sys.n, &too_long);
		if (too_long)
			pk_warn(ctx, "%.200s%s: demangled name longer than %d bytes, kept mangled",
			        sys.s, sys.n > 200 ? "..." : "", DEMANGLED_MAX);
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
