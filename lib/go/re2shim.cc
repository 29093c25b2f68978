// re2shim.cc - RE2 behind the C interface of re2shim.h (see there). The only C++ file of the
// library: exceptions (std::bad_alloc) stop here and become NULL or -1.
#include "re2shim.h"

#include <re2/re2.h>

#include <cstring>
#include <new>

struct pk_re2 {
	re2::RE2 *re;
};

// RE2's memory budget per pattern (its default is 8 MiB). Past it, compiling fails ("pattern
// too large") and matching, whose DFA cache lives in this budget, falls back to RE2's NFA:
// slower, still linear.
static const int64_t kMaxMem = 64 << 20;

static void copy_error(char *err, size_t errsz, const char *msg)
{
	if (!errsz)
		return;
	size_t n = std::strlen(msg);
	if (n >= errsz)
		n = errsz - 1;
	std::memcpy(err, msg, n);
	err[n] = 0;
}

extern "C" pk_re2 *pk_re2_new(const char *pattern, size_t n, char *err, size_t errsz)
{
	pk_re2 *r = nullptr;
	try {
		RE2::Options o;
		o.set_encoding(RE2::Options::EncodingUTF8);
		o.set_posix_syntax(false); // Perl classes, \b, (?flags): Go's syntax
		o.set_longest_match(false);
		o.set_log_errors(false);
		o.set_max_mem(kMaxMem);
		r = new pk_re2{nullptr};
		r->re = new RE2(re2::StringPiece(pattern, n), o);
		if (!r->re->ok()) {
			copy_error(err, errsz, r->re->error().c_str());
			pk_re2_free(r);
			return nullptr;
		}
		return r;
	} catch (...) {
		copy_error(err, errsz, "out of memory");
		pk_re2_free(r);
		return nullptr;
	}
}

extern "C" int pk_re2_match(const pk_re2 *re, const char *s, size_t n)
{
	try {
		return RE2::PartialMatch(re2::StringPiece(s, n), *re->re) ? 1 : 0;
	} catch (...) {
		return -1;
	}
}

extern "C" void pk_re2_free(pk_re2 *re)
{
	if (!re)
		return;
	delete re->re;
	delete re;
}
