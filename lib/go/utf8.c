/* utf8.c - Go's unicode/utf8, the one UTF-8 decoder of lib/: DecodeRune, RuneCount, ValidString.
 * A sequence is valid when it is the shortest form of a code point up to U+10FFFF that is not
 * a surrogate; anything else decodes as RuneError of width 1, as Go's does.
 */
#include "go/go.h"

size_t pk_utf8_decode(const char *str, size_t n, uint32_t *rune)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;
	uint32_t v;
	if (c < 0x80) {
		*rune = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* no overlong forms */
		else if (c == 0xed)
			hi = 0x9f; /* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* no overlong forms */
		else if (c == 0xf4)
			hi = 0x8f; /* nothing past U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	v = (v << 6) | (s[1] & 0x3f);
	for (size_t k = 2; k < len; k++) {
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
		v = (v << 6) | (s[k] & 0x3f);
	}
	*rune = v;
	return len;
}

size_t pk_rune_len(const char *s, size_t n)
{
	uint32_t r;
	if (n == 0)
		return 0;
	size_t len = pk_utf8_decode(s, n, &r);
	return len ? len : 1;
}

size_t pk_rune_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; count++)
		i += pk_rune_len(s + i, n - i);
	return count;
}

bool pk_utf8_valid(const char *s, size_t n)
{
	uint32_t r;
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = pk_utf8_decode(s + i, n - i, &r);
		if (!len)
			return false;
		i += len;
	}
	return true;
}
