/* strings.c - Go's strings.TrimSpace (unicode.IsSpace), as raw prints labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/go.h"

/* Length of the Unicode white space rune at s[0..n) (unicode.IsSpace), or 0. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n >= 3 && s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80) /* U+1680 */
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f) /* U+205F */
		return 3;
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

pk_str pk_go_trim_space(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t b = 0, e = n, k;
	while (b < e && (k = space_at(s + b, e - b)) > 0)
		b += k;
	for (bool again = true; again && e > b;) {
		again = false;
		for (size_t len = 1; len <= 3 && len <= e - b; len++) {
			if (space_at(s + e - len, len) == len) {
				e -= len;
				again = true;
				break;
			}
		}
	}
	return (pk_str){str + b, (uint32_t)(e - b)};
}
