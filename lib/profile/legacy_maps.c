/* legacy_maps.c - what go tool pprof does to a legacy profile it reads without symbols
 * (profile/legacy_profile.go: ParseMemoryMapFromScanner, parseMappingEntry, remapMappingIDs,
 * addLegacyFrameInfo; profile.go: massageMappings): the memory map after the samples
 * ("--- Memory map: ---" or "MAPPED_LIBRARIES:") becomes the mappings, in /proc/self/maps form
 *
 *     00400000-00c5c000 r-xp 00000000 fc:00 1234   /path/to/binary
 *
 * or the brief form "0x40000-0x80000 /path/to/binary (@FF00) abc123456"; non-executable
 * entries and lines that are neither are left out, as there. Adjacent pieces of one file are
 * merged, the main binary (the first file that is not a shared library or [name]) moved first,
 * each location given the mapping that holds its address (a fake one when none does), and
 * drop_frames/keep_frames set to pprof's lists for the kind of profile.
 *
 * Written from the Go code's behaviour; the regular expressions are matched by hand (token
 * by token), which agrees with them on the lines these formats have. Divergences: pprof's
 * "attr=value" substitution ($attr in later lines) and the glog prefix removal are not done.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/textprof.h"

typedef struct lmap {
	uint64_t start, limit, offset;
	const char *file, *build_id; /* in the line being parsed, not NUL-terminated */
	size_t file_n, build_id_n;
	pk_sid file_id, build_id_id; /* interned once parsed */
} lmap;

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* [0x]HEX into *v (at most 16 digits: ParseUint fails beyond) */
static bool hexnum(const char **p, const char *e, uint64_t *v)
{
	const char *q = *p;
	if (e - q >= 2 && q[0] == '0' && q[1] == 'x' && q + 2 < e && is_hex(q[2]))
		q += 2;
	const char *d = q;
	uint64_t x = 0;
	while (q < e && is_hex(*q)) {
		int c = *q >= '0' && *q <= '9' ? *q - '0' : (*q | 0x20) - 'a' + 10;
		if (x >> 60)
			return false;
		x = x << 4 | (uint64_t)c;
		q++;
	}
	if (q == d)
		return false;
	*v = x;
	*p = q;
	return true;
}

typedef struct tok {
	const char *s;
	size_t n;
} tok;

static bool all_of(tok t, const char *set)
{
	for (size_t i = 0; i < t.n; i++)
		if (!strchr(set, t.s[i]))
			return false;
	return t.n > 0;
}

static bool all_hex(tok t)
{
	for (size_t i = 0; i < t.n; i++)
		if (!is_hex(t.s[i]))
			return false;
	return t.n > 0;
}

/* HEX:HEX */
static bool dev(tok t)
{
	const char *c = memchr(t.s, ':', t.n);
	return c && all_hex((tok){t.s, (size_t)(c - t.s)}) &&
	       all_hex((tok){c + 1, t.n - (size_t)(c - t.s) - 1});
}

/* 1: a mapping in *m; 0: not a mapping line or not executable (left out). */
static int entry(const char *s, size_t n, lmap *m)
{
	const char *p = s, *e = s + n;
	tok t[8];
	size_t nt = 0;
	memset(m, 0, sizeof *m);
	while (p < e && is_space(*p))
		p++;
	if (!hexnum(&p, e, &m->start))
		return 0;
	if (p < e && (is_space(*p) || *p == '-'))
		p++;
	while (p < e && is_space(*p))
		p++;
	if (!hexnum(&p, e, &m->limit))
		return 0;
	if (p < e && *p == ':')
		p++;
	if (p < e && !is_space(*p))
		return 0; /* the rest must start with white space (or be empty) */
	while (p < e && nt < 8) {
		while (p < e && is_space(*p))
			p++;
		if (p == e)
			break;
		t[nt].s = p;
		while (p < e && !is_space(*p))
			p++;
		t[nt].n = (size_t)(p - t[nt].s);
		nt++;
	}
	size_t i = 0;
	tok perm = {NULL, 0};
	if (i < nt && all_of(t[i], "-rwxp"))
		perm = t[i++];
	/* /proc/self/maps: [offset] dev inode [file] */
	size_t j = i;
	tok off = {NULL, 0};
	if (j + 1 < nt && all_hex(t[j]) && dev(t[j + 1]))
		off = t[j++];
	if (j + 1 < nt && dev(t[j]) && all_of(t[j + 1], "0123456789")) {
		if (j + 2 < nt)
			m->file = t[j + 2].s, m->file_n = t[j + 2].n;
	} else {
		/* brief: [file] [(@offset)] [build id] */
		off = (tok){NULL, 0};
		if (i < nt)
			m->file = t[i].s, m->file_n = t[i].n, i++;
		if (i < nt && t[i].n > 3 && t[i].s[0] == '(' && t[i].s[1] == '@' &&
		    t[i].s[t[i].n - 1] == ')' && all_hex((tok){t[i].s + 2, t[i].n - 3}))
			off = (tok){t[i].s + 2, t[i].n - 3}, i++;
		if (i < nt && all_hex(t[i]))
			m->build_id = t[i].s, m->build_id_n = t[i].n;
	}
	if (perm.n && !memchr(perm.s, 'x', perm.n))
		return 0;
	if (off.n) {
		const char *q = off.s;
		if (off.n > 16 || !hexnum(&q, off.s + off.n, &m->offset))
			return 0;
	}
	return 1;
}

/* removeLoggingInfo: a glog prefix "FILE:LINE] " (no brackets before it) is dropped. */
static void strip_log_prefix(const char **s, size_t *n)
{
	const char *p = *s, *e = *s + *n, *close = memchr(p, ']', *n);
	if (!close || close + 1 >= e || !is_space(close[1]) || memchr(p, '[', (size_t)(close - p)))
		return;
	const char *d = close;
	while (d > p && d[-1] >= '0' && d[-1] <= '9')
		d--;
	if (d == close || d - p < 2 || d[-1] != ':')
		return;
	*s = close + 2;
	*n = (size_t)(e - *s);
}

/* The line with every "$key" of attrs replaced by its value (strings.Replacer: at each
 * position the first key, in the order they were defined, that matches). */
static void substitute(pk_sb *out, const pk_sb *attrs, const char *s, size_t n)
{
	pk_sb_reset(out);
	for (size_t i = 0; i < n;) {
		bool done = false;
		for (size_t a = 0; a < attrs->n && !done;) {
			const char *k = attrs->s + a, *v = k + strlen(k) + 1;
			size_t kn = strlen(k), vn = strlen(v);
			if (kn <= n - i && !memcmp(s + i, k, kn)) {
				pk_sb_bytes(out, v, vn);
				i += kn;
				done = true;
			}
			a += kn + vn + 2;
		}
		if (!done)
			pk_sb_bytes(out, s + i++, 1);
	}
	pk_sb_bytes(out, "", 0);
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static void add_attr(pk_sb *attrs, const char *k, size_t kn, const char *v, size_t vn)
{
	trim(&k, &kn);
	trim(&v, &vn);
	if (memchr(k, 0, kn) || memchr(v, 0, vn))
		return;
	pk_sb_bytes(attrs, "$", 1);
	pk_sb_bytes(attrs, k, kn);
	pk_sb_bytes(attrs, "", 1);
	pk_sb_bytes(attrs, v, vn);
	pk_sb_bytes(attrs, "", 1);
}

/* A line entry() refused because it is not executable still is no attribute. */
static bool is_mapping_line(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	uint64_t v;
	while (p < e && is_space(*p))
		p++;
	return hexnum(&p, e, &v) && p < e && (*p == '-' || is_space(*p));
}

static bool adjacent(const lmap *a, const lmap *b)
{
	if (a->file_id && b->file_id && a->file_id != b->file_id)
		return false;
	if (a->build_id_id && b->build_id_id && a->build_id_id != b->build_id_id)
		return false;
	if (a->limit != b->start)
		return false;
	if (a->offset && b->offset && a->offset + (a->limit - a->start) != b->offset)
		return false;
	return true;
}

/* libRx: "[.]so$" or "[.]so[._][0-9]" anywhere */
static bool is_lib(const char *f, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		if (f[i] != '.' || f[i + 1] != 's' || f[i + 2] != 'o')
			continue;
		if (i + 3 == n)
			return true;
		if (i + 4 < n && (f[i + 3] == '.' || f[i + 3] == '_') && f[i + 4] >= '0' &&
		    f[i + 4] <= '9')
			return true;
	}
	return false;
}

/* The file less every "(deleted)", trimmed: is it a candidate for the main binary? */
static bool main_candidate(const pk_profile *p, const lmap *m)
{
	char buf[4096];
	size_t n = 0;
	pk_str f = pk_s(p, m->file_id);
	for (size_t i = 0; i < f.n && n < sizeof buf; i++) {
		if (f.n - i >= 9 && !memcmp(f.s + i, "(deleted)", 9)) {
			i += 8;
			continue;
		}
		buf[n++] = f.s[i];
	}
	size_t a = 0;
	while (a < n && (is_space(buf[a]) || buf[a] == '\n'))
		a++;
	while (n > a && (is_space(buf[n - 1]) || buf[n - 1] == '\n'))
		n--;
	if (a == n)
		return false;
	return !is_lib(buf + a, n - a) && buf[a] != '[';
}

static const char *const alloc_rx =
    "calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
    "tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|"
    "tc_pvalloc|tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|"
    "tc_new_nothrow|tc_newarray_nothrow|malloc_zone_malloc|malloc_zone_calloc|"
    "malloc_zone_valloc|malloc_zone_realloc|malloc_zone_memalign|malloc_zone_free|"
    "runtime\\..*|BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|"
    "DoSampledAllocation|MallocedMemBlock::MallocedMemBlock|_M_allocate|"
    "__builtin_(vec_)?delete|__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|"
    "__libc_malloc|__malloc_alloc_template::allocate|allocate|cpp_alloc|operator new(\\[\\])?|"
    "simple_alloc::allocate";
static const char *const alloc_skip_rx =
    "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";
static const char *const cpu_rx =
    "ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|__pthread_sighandler|"
    "__restore";
static const char *const lock_rx =
    "RecordLockProfileData|(base::)?RecordLockProfileData.*|(base::)?SubmitMutexProfileData.*|"
    "(base::)?SubmitSpinLockProfileData.*|(base::Mutex::)?AwaitCommon.*|"
    "(base::Mutex::)?Unlock.*|(base::Mutex::)?UnlockSlow.*|(base::Mutex::)?ReaderUnlock.*|"
    "(base::MutexLock::)?~MutexLock.*|(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|"
    "(Mutex::)?UnlockSlow.*|(Mutex::)?ReaderUnlock.*|(MutexLock::)?~MutexLock.*|"
    "(SpinLock::)?Unlock.*|(SpinLock::)?SlowUnlock.*|(SpinLockHolder::)?~SpinLockHolder.*";

/* isProfileType: the sample types are exactly one of the lists. */
static bool types_are(const pk_profile *p, const char *const *const *lists)
{
	for (; *lists; lists++) {
		const char *const *l = *lists;
		uint32_t n = 0;
		while (l[n])
			n++;
		if (n != p->n_sample_types)
			continue;
		bool ok = true;
		for (uint32_t i = 0; i < n && ok; i++)
			ok = pk_str_eq_cstr(pk_s(p, p->sample_types[i].type), l[i]);
		if (ok)
			return true;
	}
	return false;
}

pk_status pk_legacy_finish(pk_ctx *ctx, pk_profile *p, const char *maps, size_t maps_len)
{
	lmap *v = NULL;
	size_t n = 0, cap = 0;
	pk_status st = PK_OK;
	pk_lines l;
	const char *s;
	size_t sn;

	pk_sb line = {0}, attrs = {0}; /* attrs: "$key\0value\0" pairs */
	if (!maps)
		maps = "", maps_len = 0;
	pk_lines_init(&l, (const uint8_t *)maps, maps_len);
	while (pk_lines_next(&l, &s, &sn)) {
		lmap m;
		strip_log_prefix(&s, &sn);
		substitute(&line, &attrs, s, sn);
		if (line.oom || attrs.oom) {
			st = pk_oom(ctx);
			break;
		}
		s = line.s ? line.s : "";
		sn = line.n;
		if (!entry(s, sn, &m)) {
			/* "attr=value": $attr stands for value in the lines after it */
			const char *eq = memchr(s, '=', sn);
			if (eq && !is_mapping_line(s, sn))
				add_attr(&attrs, s, (size_t)(eq - s), eq + 1,
				         sn - (size_t)(eq - s) - 1);
			continue;
		}
		m.file_id = pk_strtab_intern(&p->strs, m.file ? m.file : "", m.file_n);
		m.build_id_id =
		    pk_strtab_intern(&p->strs, m.build_id ? m.build_id : "", m.build_id_n);
		if (m.file_id == PK_NONE || m.build_id_id == PK_NONE ||
		    !pk_grow((void **)&v, &cap, n + 1, sizeof *v)) {
			st = pk_oom(ctx);
			break;
		}
		v[n++] = m;
	}
	pk_sb_free(&line);
	pk_sb_free(&attrs);
	if (st)
		goto done;
	/* massageMappings: merge adjacent pieces; locations have no mapping yet. */
	if (n > 1) {
		size_t k = 0;
		for (size_t i = 1; i < n; i++) {
			lmap *a = &v[k];
			if (adjacent(a, &v[i])) {
				a->limit = v[i].limit;
				if (v[i].file_id)
					a->file_id = v[i].file_id;
				if (v[i].build_id_id)
					a->build_id_id = v[i].build_id_id;
				continue;
			}
			v[++k] = v[i];
		}
		n = k + 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!main_candidate(p, &v[i]))
			continue;
		lmap t = v[0];
		v[0] = v[i];
		v[i] = t;
		break;
	}
	/* remapMappingIDs */
	if (n > 1 && pk_s(p, v[0].file_id).n >= 14 &&
	    !memcmp(pk_s(p, v[0].file_id).s, "/anon_hugepage", 14) && v[0].limit == v[1].start) {
		memmove(v, v + 1, (n - 1) * sizeof *v);
		n--;
	}
	if (n > 0 && v[0].start - v[0].offset == 0x400000) {
		v[0].start = 0x400000;
		v[0].offset = 0;
	}
	size_t n_maps = n;
	bool fake = false;
	uint32_t *which = NULL;
	if (p->n_locations && !(which = pk_malloc(p->n_locations * sizeof *which))) {
		st = pk_oom(ctx);
		goto done;
	}
	for (uint32_t li = 0; li < p->n_locations; li++) {
		uint64_t a = p->locations[li].address;
		which[li] = PK_NONE;
		if (a == 0)
			continue;
		for (size_t i = 0; i < n && which[li] == PK_NONE; i++)
			if (v[i].start <= a && a < v[i].limit)
				which[li] = (uint32_t)i;
		for (size_t i = 0; i < n && which[li] == PK_NONE; i++)
			if (v[i].offset && v[i].start - v[i].offset <= a && a < v[i].start) {
				v[i].start -= v[i].offset;
				v[i].offset = 0;
				which[li] = (uint32_t)i;
			}
		if (which[li] == PK_NONE) {
			fake = true;
			which[li] = (uint32_t)n; /* the fake mapping, after the others */
		}
	}
	n_maps = n + fake;
	p->mappings = pk_arena_calloc(p->arena, n_maps ? n_maps : 1, sizeof *p->mappings);
	if (!p->mappings) {
		pk_free(which);
		st = pk_oom(ctx);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		pk_mapping *m = &p->mappings[i];
		m->id = i + 1;
		m->start = v[i].start;
		m->limit = v[i].limit;
		m->offset = v[i].offset;
		m->file = v[i].file_id;
		m->build_id = v[i].build_id_id;
	}
	if (fake)
		p->mappings[n] = (pk_mapping){.id = n + 1, .limit = UINT64_MAX};
	p->n_mappings = (uint32_t)n_maps;
	for (uint32_t li = 0; li < p->n_locations; li++)
		p->locations[li].mapping = which[li];
	pk_free(which);
	if (st)
		goto done;

	/* addLegacyFrameInfo */
	static const char *const heapz[] = {"allocations", "size", NULL};
	static const char *const objects[] = {"objects", "space", NULL};
	static const char *const inuse[] = {"inuse_objects", "inuse_space", NULL};
	static const char *const alloc[] = {"alloc_objects", "alloc_space", NULL};
	static const char *const four[] = {"alloc_objects", "alloc_space", "inuse_objects",
	                                   "inuse_space", NULL};
	static const char *const contention[] = {"contentions", "delay", NULL};
	static const char *const *const heap_types[] = {heapz, objects, inuse, alloc, four, NULL};
	static const char *const *const lock_types[] = {contention, NULL};
	const char *drop = cpu_rx, *keep = "";
	if (types_are(p, heap_types))
		drop = alloc_rx, keep = alloc_skip_rx;
	else if (types_are(p, lock_types))
		drop = lock_rx;
	if ((p->drop_frames = pk_strtab_intern_cstr(&p->strs, drop)) == PK_NONE ||
	    (p->keep_frames = pk_strtab_intern_cstr(&p->strs, keep)) == PK_NONE)
		st = pk_oom(ctx);
done:
	pk_free(v);
	return st;
}
