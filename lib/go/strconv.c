/* strconv.c - Go's strconv as pprof's output inherits it: Atoi, Quote (with unicode.IsPrint). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/go.h"

/* strconv.Atoi: optional sign, decimal digits, fits in int64. */
bool pk_go_atoi(const char *s, int64_t *out)
{
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return false;
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* unicode.IsPrint for non-ASCII runes, without the unassigned code points. */
static bool go_is_print(int32_t r)
{
	static const int32_t not_print[][2] = {
	    {0x80, 0xa0},       {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},
	    {0x6dd, 0x6dd},     {0x70f, 0x70f},     {0x180e, 0x180e},   {0x2000, 0x200f},
	    {0x2028, 0x202f},   {0x205f, 0x2064},   {0x2066, 0x206f},   {0x3000, 0x3000},
	    {0xe000, 0xf8ff},   {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0xfffe, 0xffff},
	    {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x13438}, {0x1bca0, 0x1bca3},
	    {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f}, {0xf0000, 0x10ffff},
	};
	if ((r & 0xfffe) == 0xfffe)
		return false;
	for (size_t i = 0; i < sizeof not_print / sizeof not_print[0]; i++)
		if (r >= not_print[i][0] && r <= not_print[i][1])
			return false;
	return true;
}

/* strconv.Quote (fmt's %q of a string). */
void pk_go_quote(pk_sb *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	pk_sb_cstr(b, "\"");
	for (size_t i = 0; i < n;) {
		uint32_t u;
		size_t len = pk_utf8_decode(str + i, n - i, &u);
		int32_t r = len ? (int32_t)u : -1;
		if (r < 0) {
			len = 1;
			pk_sb_fmt(b, "\\x%02x", s[i]);
		} else if (r == '"' || r == '\\') {
			pk_sb_fmt(b, "\\%c", (char)r);
		} else if ((r >= 0x20 && r < 0x7f) || (r >= 0x80 && go_is_print(r))) {
			pk_sb_bytes(b, s + i, len);
		} else {
			switch (r) {
			case '\a':
				pk_sb_cstr(b, "\\a");
				break;
			case '\b':
				pk_sb_cstr(b, "\\b");
				break;
			case '\f':
				pk_sb_cstr(b, "\\f");
				break;
			case '\n':
				pk_sb_cstr(b, "\\n");
				break;
			case '\r':
				pk_sb_cstr(b, "\\r");
				break;
			case '\t':
				pk_sb_cstr(b, "\\t");
				break;
			case '\v':
				pk_sb_cstr(b, "\\v");
				break;
			default:
				if (r < 0x20 || r == 0x7f)
					pk_sb_fmt(b, "\\x%02x", (unsigned)r);
				else if (r < 0x10000)
					pk_sb_fmt(b, "\\u%04x", (unsigned)r);
				else
					pk_sb_fmt(b, "\\U%08x", (unsigned)r);
			}
		}
		i += len;
	}
	pk_sb_cstr(b, "\"");
}
