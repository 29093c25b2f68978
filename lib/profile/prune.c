/* prune.c - dropping frames: the profile's drop_frames / keep_frames patterns
 * (RemoveUninteresting, Prune), -prune_from (PruneFrom), and pk_profile_finish, which is what go
 * tool pprof does to a profile once it is loaded.
 *
 * Mirrors profile/prune.go (simplifyFunc, Prune, RemoveUninteresting, PruneFrom) and the tail of
 * internal/driver/fetch.go fetchProfiles (demangling as Symbolize does, RemoveUninteresting with
 * its error ignored, unsourceMappings with net/url's Parse and IsAbs, then CheckValid).
 *
 * Deliberate divergences:
 * - Each regex is evaluated once per function (cached), not once per line.
 * - Regex syntax and error texts are PCRE2's (see regex.c).
 * - url.Parse is reduced to the checks that decide success (control bytes, scheme, port, host
 *   characters, '%' escapes); an IPv6 zone's escapes are checked loosely.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

/* simplifyFunc: drops one leading '.' (PPC ELF v1) and cuts the name at the first '(' that
 * does not open "(anonymous namespace)" or belong to "operator()". Returns the kept length;
 * *start is 0 or 1. */
static size_t simplify_func(pk_str name, size_t *start)
{
	static const char anon[] = "(anonymous namespace)", op[] = "operator()";
	const char *s = name.s;
	size_t n = name.n, i = 0;
	*start = 0;
	if (n && s[0] == '.') {
		*start = 1;
		s++;
		n--;
	}
	/* bracketRx is leftmost-first over "(anonymous namespace)|operator\(\)|\(": at each
	 * position the reserved names win, and a match resumes the scan after its end. */
	while (i < n) {
		if (n - i >= sizeof anon - 1 && memcmp(s + i, anon, sizeof anon - 1) == 0)
			i += sizeof anon - 1;
		else if (n - i >= sizeof op - 1 && memcmp(s + i, op, sizeof op - 1) == 0)
			i += sizeof op - 1;
		else if (s[i] == '(')
			return i;
		else
			i++;
	}
	return n;
}

enum { F_UNKNOWN = 0, F_DROP = 1, F_KEEP = 2 };
enum { L_PRUNE = 1, L_BENEATH = 2 };

/* Prune with compiled drop and (optional) keep. */
static pk_status prune(pk_ctx *ctx, pk_profile *p, const pk_regex *drop, const pk_regex *keep)
{
	uint8_t *fdrop = pk_calloc(p->n_functions ? p->n_functions : 1, 1); /* F_* per function */
	uint8_t *lflag = pk_calloc(p->n_locations ? p->n_locations : 1, 1); /* L_* per location */
	pk_status st = PK_OK;
	if (!fdrop || !lflag) {
		st = pk_oom(ctx);
		goto done;
	}
	for (uint32_t li = 0; li < p->n_locations; li++) {
		pk_location *loc = &p->locations[li];
		int64_t i;
		for (i = (int64_t)loc->n_lines - 1; i >= 0; i--) {
			uint32_t f = p->lines[loc->line_start + (size_t)i].function;
			if (f == PK_NONE || p->functions[f].name == 0)
				continue;
			if (fdrop[f] == F_UNKNOWN) {
				size_t start,
				    len = simplify_func(pk_s(p, p->functions[f].name), &start);
				const char *s = pk_s(p, p->functions[f].name).s + start;
				bool d = pk_regex_match(drop, s, len) &&
				         (!keep || !pk_regex_match(keep, s, len));
				fdrop[f] = d ? F_DROP : F_KEEP;
			}
			if (fdrop[f] == F_DROP)
				break;
		}
		if (i < 0)
			continue;
		/* Found a frame to prune: the location and what it calls go. */
		lflag[li] = L_BENEATH;
		if (i == (int64_t)loc->n_lines - 1) {
			lflag[li] |= L_PRUNE; /* the outermost line matched: the whole location */
		} else {
			loc->line_start += (size_t)i + 1;
			loc->n_lines -= (uint32_t)i + 1;
		}
	}
	if ((st = pk_profile_own(ctx, p, PK_SHARED_SAMPLES)) != PK_OK) /* a view: cut a copy */
		goto done;
	for (size_t si = 0; si < p->n_samples; si++) {
		pk_sample *s = &p->samples[si];
		/* From the root towards the leaf; frames before the first user frame stay, so that
		 * not everything is pruned. */
		bool found_user = false;
		for (int64_t i = (int64_t)s->n_locs - 1; i >= 0; i--) {
			uint8_t fl = lflag[p->sample_locs[s->loc_start + (size_t)i]];
			if (!fl) {
				found_user = true;
				continue;
			}
			if (!found_user)
				continue;
			size_t cut = (fl & L_PRUNE) ? (size_t)i + 1 : (size_t)i;
			s->loc_start += cut;
			s->n_locs -= (uint32_t)cut;
			break;
		}
	}
done:
	pk_free(fdrop);
	pk_free(lflag);
	return st;
}

pk_status pk_profile_prune_from(pk_ctx *ctx, pk_profile *p, const pk_regex *rx)
{
	uint8_t *fmatch = pk_calloc(p->n_functions ? p->n_functions : 1, 1); /* F_* per function */
	uint8_t *beneath = pk_calloc(p->n_locations ? p->n_locations : 1, 1);
	pk_status st = PK_OK;
	if (!fmatch || !beneath) {
		st = pk_oom(ctx);
		goto done;
	}
	for (uint32_t li = 0; li < p->n_locations; li++) {
		pk_location *loc = &p->locations[li];
		for (uint32_t i = 0; i < loc->n_lines; i++) {
			uint32_t f = p->lines[loc->line_start + i].function;
			if (f == PK_NONE || p->functions[f].name == 0)
				continue;
			if (fmatch[f] == F_UNKNOWN) {
				size_t start,
				    len = simplify_func(pk_s(p, p->functions[f].name), &start);
				const char *s = pk_s(p, p->functions[f].name).s + start;
				fmatch[f] = pk_regex_match(rx, s, len) ? F_DROP : F_KEEP;
			}
			if (fmatch[f] == F_DROP) {
				/* Keep the matching line and its callers. */
				beneath[li] = 1;
				loc->line_start += i;
				loc->n_lines -= i;
				break;
			}
		}
	}
	if ((st = pk_profile_own(ctx, p, PK_SHARED_SAMPLES)) != PK_OK) /* a view: cut a copy */
		goto done;
	for (size_t si = 0; si < p->n_samples; si++) {
		pk_sample *s = &p->samples[si];
		/* From the leaf towards the root: cut below the first match. */
		for (uint32_t i = 0; i < s->n_locs; i++) {
			if (beneath[p->sample_locs[s->loc_start + i]]) {
				s->loc_start += i;
				s->n_locs -= i;
				break;
			}
		}
	}
done:
	pk_free(fmatch);
	pk_free(beneath);
	return st;
}

/* Compiles "^(" + pattern + ")$" as RemoveUninteresting does. */
static pk_status compile_frames(pk_ctx *ctx, pk_regex **out, pk_str pattern)
{
	pk_sb b = {0};
	pk_sb_cstr(&b, "^(");
	pk_sb_bytes(&b, pattern.s, pattern.n);
	pk_sb_cstr(&b, ")$");
	pk_status st = b.oom ? pk_oom(ctx) : pk_regex_compile(ctx, out, b.s, NULL);
	pk_sb_free(&b);
	if (st == PK_EUSAGE) {
		char why[sizeof ctx->msg];
		memcpy(why, ctx->msg, sizeof why);
		st = pk_fail(ctx, PK_EFORMAT, "failed to compile regexp %s: %s", pattern.s, why);
	}
	return st;
}

pk_status pk_profile_remove_uninteresting(pk_ctx *ctx, pk_profile *p)
{
	pk_regex *drop = NULL, *keep = NULL;
	pk_status st = PK_OK;
	if (p->drop_frames == 0)
		return PK_OK;
	if ((st = compile_frames(ctx, &drop, pk_s(p, p->drop_frames))) != PK_OK)
		goto done;
	if (p->keep_frames != 0 &&
	    (st = compile_frames(ctx, &keep, pk_s(p, p->keep_frames))) != PK_OK)
		goto done;
	st = prune(ctx, p, drop, keep);
done:
	pk_regex_free(drop);
	pk_regex_free(keep);
	return st;
}

/* ---- unsourceMappings ------------------------------------------------------------------- */

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* net/url unescape's check of '%' escapes: each needs two hex digits. In a host, an escape
 * must be "%25" or encode a byte >= 0x80, and unescaped ASCII must be allowed in a host. */
static bool url_unescape_ok(const char *s, size_t n, bool host)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
				return false;
			if (host && s[i + 1] < '8' && s[i + 1] >= '0' &&
			    memcmp(s + i, "%25", 3) != 0)
				return false;
			i += 2;
		} else if (host && (unsigned char)c < 0x80 && !is_alnum(c) &&
		           !strchr("-_.~!$&'()*+,;=:[]<>\"", c)) {
			return false;
		}
	}
	return true;
}

/* validOptionalPort */
static bool url_port_ok(const char *s, size_t n)
{
	if (n == 0)
		return true;
	if (s[0] != ':')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* parseAuthority's checks: userinfo characters and escapes, host brackets, port, escapes. */
static bool url_authority_ok(const char *s, size_t n)
{
	size_t at = n;
	for (size_t i = n; i-- > 0;)
		if (s[i] == '@') {
			at = i;
			break;
		}
	const char *host = s;
	size_t hn = n;
	if (at != n) {
		for (size_t i = 0; i < at; i++)
			if (!is_alnum(s[i]) && !strchr("-._:~!$&'()*+,;=%@", s[i]))
				return false;
		if (!url_unescape_ok(s, at, false))
			return false;
		host = s + at + 1;
		hn = n - at - 1;
	}
	if (hn && host[0] == '[') {
		size_t close = hn;
		for (size_t i = hn; i-- > 0;)
			if (host[i] == ']') {
				close = i;
				break;
			}
		if (close == hn || !url_port_ok(host + close + 1, hn - close - 1))
			return false;
		/* A zone ("%25...") inside the brackets may hold any escapes. */
		for (size_t i = 0; i + 2 < close; i++)
			if (memcmp(host + i, "%25", 3) == 0)
				return url_unescape_ok(host, i, true) &&
				       url_unescape_ok(host + i, close - i, false) &&
				       url_unescape_ok(host + close, hn - close, true);
		return url_unescape_ok(host, hn, true);
	}
	for (size_t i = hn; i-- > 0;)
		if (host[i] == ':') {
			if (!url_port_ok(host + i, hn - i))
				return false;
			break;
		}
	return url_unescape_ok(host, hn, true);
}

/* url.Parse(file) succeeds and the URL is absolute (has a scheme). */
static bool url_is_abs(pk_str f)
{
	const char *s = f.s;
	size_t n = f.n, i, hash = n;
	for (i = 0; i < n; i++)
		if (s[i] == '#') {
			hash = i;
			break;
		}
	if (!url_unescape_ok(s + hash + (hash < n), n - hash - (hash < n), false))
		return false; /* the fragment's escapes */
	n = hash;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false; /* invalid control character */
	/* getScheme: a letter, then letters, digits, '+', '-', '.', up to ':'. */
	for (i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				return false;
			continue;
		}
		if (c == ':' && i > 0)
			break;
		return false; /* no scheme, or "missing protocol scheme" */
	}
	if (i == n)
		return false;
	const char *rest = s + i + 1;
	size_t rn = n - i - 1;
	for (size_t q = 0; q < rn; q++)
		if (rest[q] == '?') {
			rn = q;
			break;
		}
	if (rn == 0 || rest[0] != '/')
		return true; /* opaque */
	if (rn >= 2 && rest[1] == '/') {
		size_t end = 2;
		while (end < rn && rest[end] != '/')
			end++;
		if (!url_authority_ok(rest + 2, end - 2))
			return false;
		rest += end;
		rn -= end;
	}
	return url_unescape_ok(rest, rn, false);
}

PK_API pk_status pk_profile_finish(pk_ctx *ctx, pk_profile *p)
{
	/* fetch.go symbolizes first, and symbolizing demangles every function name, unless
	 * -symbolize=none; with force, names demangled already are demangled again from their
	 * system names (symbolizer.go Demangle). */
	pk_status st = PK_OK;
	if (ctx->demangle == PK_DEMANGLE_FORCE)
		for (uint32_t i = 0; i < p->n_functions; i++)
			if (p->functions[i].name != 0 && p->functions[i].system_name != 0)
				p->functions[i].name = p->functions[i].system_name;
	if (ctx->demangle != PK_DEMANGLE_NONE)
		st = pk_profile_demangle(ctx, p);
	if (st != PK_OK)
		return st;
	/* fetch.go ignores RemoveUninteresting's error (a pattern that does not compile). */
	st = pk_profile_remove_uninteresting(ctx, p);
	if (st == PK_ENOMEM)
		return st;
	/* unsourceMappings: a mapping without build ID whose file parses as an absolute URL
	 * (any scheme, "C:\\x.exe" included) loses its file name. */
	for (uint32_t i = 0; i < p->n_mappings; i++)
		if (p->mappings[i].build_id == 0 && url_is_abs(pk_s(p, p->mappings[i].file)))
			p->mappings[i].file = 0;
	return pk_profile_check_valid(ctx, p);
}
