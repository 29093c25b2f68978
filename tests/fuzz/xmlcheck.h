/* xmlcheck.h - a small well-formedness check for the SVG the svg report writes: valid UTF-8,
 * no control characters XML forbids, every '&' starts a character or entity reference, every
 * '<' starts a tag, comment, CDATA section, declaration or processing instruction, attribute
 * values are quoted, and start and end tags nest. Not a full XML parser (no DTD), but what an
 * escaping bug in names would break. Returns NULL when well-formed, else what is wrong. */
#ifndef PK_FUZZ_XMLCHECK_H
#define PK_FUZZ_XMLCHECK_H

#include <stddef.h>
#include <string.h>

static inline int xc_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80;
}

/* Length of the UTF-8 sequence at s (n bytes left) if valid and allowed in XML, else 0. */
static inline size_t xc_utf8(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
	size_t len;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

static inline const char *xml_check(const char *buf, size_t n)
{
	const unsigned char *s = (const unsigned char *)buf;
	enum { MAXD = 256 };
	const unsigned char *stack[MAXD];
	size_t stack_len[MAXD], depth = 0, i = 0;
	int seen_root = 0;

	while (i < n) {
		size_t k = xc_utf8(s + i, n - i);
		if (!k)
			return "invalid UTF-8 or a control character";
		if (s[i] == '&') {
			size_t j = i + 1;
			if (j < n && s[j] == '#')
				j++;
			while (j < n && xc_name_char(s[j]))
				j++;
			if (j == i + 1 || j >= n || s[j] != ';')
				return "'&' that is not a reference";
			i = j + 1;
			continue;
		}
		if (s[i] == '>') {
			i++; /* allowed in text */
			continue;
		}
		if (s[i] != '<') {
			if (!depth && seen_root && s[i] != ' ' && s[i] != '\n' && s[i] != '\t' &&
			    s[i] != '\r')
				return "text after the root element";
			i += k;
			continue;
		}
		/* markup */
		const char *end = NULL;
		const char *open = (const char *)s + i;
		size_t left = n - i;
		if (left >= 4 && !memcmp(open, "<!--", 4))
			end = "-->";
		else if (left >= 9 && !memcmp(open, "<![CDATA[", 9))
			end = "]]>";
		else if (left >= 2 && (open[1] == '?' || open[1] == '!'))
			end = ">";
		if (end) {
			size_t el = strlen(end), j = i + 2;
			while (j + el <= n && memcmp(s + j, end, el))
				j++;
			if (j + el > n)
				return "unterminated comment, CDATA or declaration";
			i = j + el;
			continue;
		}
		int closing = left >= 2 && open[1] == '/';
		size_t j = i + 1 + (size_t)closing, ns = j;
		while (j < n && xc_name_char(s[j]))
			j++;
		if (j == ns)
			return "'<' that does not start a tag";
		const unsigned char *name = s + ns;
		size_t name_len = j - ns;
		if (closing) {
			while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t'))
				j++;
			if (j >= n || s[j] != '>')
				return "bad end tag";
			if (!depth || stack_len[depth - 1] != name_len ||
			    memcmp(stack[depth - 1], name, name_len))
				return "end tag does not match its start tag";
			depth--;
			i = j + 1;
			continue;
		}
		/* attributes */
		int empty = 0;
		for (;;) {
			while (j < n &&
			       (s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r'))
				j++;
			if (j >= n)
				return "unterminated start tag";
			if (s[j] == '>')
				break;
			if (s[j] == '/' && j + 1 < n && s[j + 1] == '>') {
				empty = 1;
				j++;
				break;
			}
			size_t an = j;
			while (j < n && xc_name_char(s[j]))
				j++;
			if (j == an || j >= n || s[j] != '=')
				return "bad attribute";
			j++;
			if (j >= n || (s[j] != '"' && s[j] != '\''))
				return "unquoted attribute value";
			unsigned char q = s[j++];
			while (j < n && s[j] != q) {
				if (s[j] == '<')
					return "'<' in an attribute value";
				size_t u = xc_utf8(s + j, n - j);
				if (!u)
					return "invalid UTF-8 in an attribute value";
				if (s[j] == '&') {
					size_t e = j + 1;
					if (e < n && s[e] == '#')
						e++;
					while (e < n && xc_name_char(s[e]))
						e++;
					if (e == j + 1 || e >= n || s[e] != ';')
						return "'&' in an attribute that is not a "
						       "reference";
				}
				j += u;
			}
			if (j >= n)
				return "unterminated attribute value";
			j++;
		}
		if (!depth && seen_root)
			return "a second root element";
		seen_root = 1;
		if (!empty) {
			if (depth == MAXD)
				return "elements nested too deep for this check";
			stack[depth] = name;
			stack_len[depth] = name_len;
			depth++;
		}
		i = j + 1;
	}
	if (depth)
		return "unclosed element";
	if (!seen_root)
		return "no root element";
	return NULL;
}

#endif
