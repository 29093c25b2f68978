/* textkinds.c - which text kind an input is: the table io.c asks before protobuf, and the
 * small line helpers the text readers share.
 *
 * A row per kind: a sniff that looks at the first lines only (so asking every row costs
 * nothing on a big protobuf), and the reader. The sniffs are strict enough that no protobuf
 * the decoder accepts starts with what they look for (text kinds begin with letters, '-' or
 * digits followed by text that is not a valid wire sequence of profile.proto fields); a new
 * kind is one more row.
 */
#include <string.h>

#include "profile/folded.h"
#include "profile/textprof.h"

const pk_text_kind pk_text_kinds[] = {
    {"Go goroutine dump (debug=2, panic, SIGQUIT)", pk_goroutine_dump_sniff,
     pk_goroutine_dump_read},
    {"Go count profile (debug=1)", pk_go_count_sniff, pk_go_count_read},
    {"Go heap profile (debug=1), gperftools heap and growth", pk_go_heap_sniff, pk_go_heap_read},
    {"Go contention profile (debug=1), gperftools contention", pk_go_contention_sniff,
     pk_go_contention_read},
    {"gperftools CPU profile (binary)", pk_gperf_cpu_sniff, pk_gperf_cpu_read},
    /* Last: a first line "NAME profile: total N" also looks like a folded stack. */
    {"folded stacks (folded.c)", pk_folded_sniff, pk_folded_read},
    {NULL, NULL, NULL},
};

const pk_text_kind *pk_text_kind_of(const uint8_t *data, size_t len)
{
	if (len == 0)
		return NULL;
	for (const pk_text_kind *k = pk_text_kinds; k->name; k++)
		if (k->sniff(data, len))
			return k;
	return NULL;
}

pk_status pk_text_fail(pk_ctx *ctx, const char *name, size_t lineno, const char *why, const char *s,
                       size_t n)
{
	int show = n > 80 ? 80 : (int)n;
	return pk_fail(ctx, PK_EFORMAT, "%s: line %zu: %s%s%.*s%s", name, lineno, why,
	               s ? ": " : "", s ? show : 0, s ? s : "", s && n > 80 ? "..." : "");
}

bool pk_lines_next(pk_lines *l, const char **s, size_t *n)
{
	if (l->p >= l->end)
		return false;
	const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	const char *e = nl ? nl : l->end;
	*s = l->p;
	*n = (size_t)(e - l->p);
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	l->p = nl ? nl + 1 : l->end;
	l->lineno++;
	return true;
}

bool pk_first_line(const uint8_t *data, size_t len, size_t limit, const char **s, size_t *n)
{
	pk_lines l;
	pk_lines_init(&l, data, len < limit ? len : limit);
	while (pk_lines_next(&l, s, n)) {
		const char *p = *s, *e = *s + *n;
		pk_skip_blank(&p, e);
		if (p < e)
			return true;
	}
	return false;
}

bool pk_has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

bool pk_parse_dec(const char **s, const char *end, int64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	if (p >= end || *p < '0' || *p > '9')
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (x > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*v = (int64_t)x;
	*s = p;
	return true;
}

bool pk_parse_hex(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int digits = 0;
	if (end - p < 3 || p[0] != '0' || p[1] != 'x')
		return false;
	for (p += 2; p < end; p++, digits++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (x >> 60)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	if (!digits)
		return false;
	*v = x;
	*s = p;
	return true;
}

void pk_skip_blank(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}
