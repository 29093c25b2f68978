/* legacy_text.c - the debug=1 texts Go's runtime/pprof writes, read as profiles:
 *
 *     goroutine profile: total 7              threadcreate profile: total 9
 *     3 @ 0x43a8d6 0x4069cc 0x4a4f05 0x46a2e1
 *     # labels: {"handler":"/api", "user":"x"}
 *     #	0x4a4f04	main.worker+0x24	/src/main.go:20
 *
 *     heap profile: 3: 1024 [10: 20480] @ heap/1048576       (heap?debug=1, allocs?debug=1)
 *     1: 512 [2: 1024] @ 0x4a4f05 0x46a2e1
 *     #	0x4a4f04	main.alloc+0x24	/src/main.go:12
 *     ...
 *     # runtime.MemStats
 *     # Alloc = 123456
 *
 *     --- contention:            (block?debug=1; "--- mutex:" for mutex)
 *     cycles/second=2494201524
 *     sampling period=1          (mutex only)
 *     2999680 1 @ 0x4a4f05 0x46a2e1
 *     #	0x4a4f04	sync.(*Mutex).Unlock+0x24	/go/src/sync/mutex.go:190
 *
 * Values, sample types and scaling are go tool pprof's (profile/legacy_profile.go: parseGoCount,
 * parseHeap with scaleHeapSample, parseContention): a count profile is NAME/count, a heap
 * profile alloc_objects, alloc_space, inuse_objects, inuse_space (objects, space when nothing
 * was freed) unsampled with the rate from "@ heap/2*RATE", a contention profile contentions,
 * delay scaled by the period and cycles/second. Addresses are stored less one, as there.
 *
 * Beyond pprof, which reads none of the "#" lines, the frames are named from them: Go prints
 * one "#" line per frame of the "@" list, its PC one less than the return address (or equal
 * at a leaf), and leaves out the leading runtime frames and runtime.goexit (printStackRecord).
 * A record with "#" lines keeps the frames they name (a "#\t0xPC" line keeps an unnamed one);
 * a record without any keeps every address, unnamed. "# labels:" becomes string labels; the
 * "# runtime.MemStats" block becomes the profile's comments.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "profile/textprof.h"

#define SNIFF_LIMIT 4096

enum kind { COUNT, HEAP, CONTENTION };

typedef struct frame {
	uint64_t pc, entry; /* entry: pc less the "+0xOFF"; 0 for an unnamed frame */
	pk_sid func, file;  /* func 0: an unnamed frame ("#\t0xPC") */
	int64_t line;
} frame;

typedef struct rd {
	pk_ctx *ctx;
	const char *name;
	enum kind kind;
	pk_tb *b;
	/* the record being read */
	bool in_record;
	size_t rec_lineno;
	int64_t values[4];
	int64_t blocksize;
	uint64_t *addrs;
	size_t n_addrs, cap_addrs;
	frame *frames;
	size_t n_frames, cap_frames;
	pk_label *labels;
	size_t n_labels, cap_labels;
	uint32_t *locs;
	size_t cap_locs;
	pk_line *lines;
	size_t cap_lines;
	/* heap */
	bool has_alloc, v2;
	int64_t rate;
	/* contention */
	int64_t cpu_hz, period;
	/* count */
	int64_t total, sum;
	pk_sid k_bytes;
	/* gperftools: no "#" line at all means no symbols: pprof's legacy processing */
	bool any_frames;
	const char *maps;
	size_t maps_len;
	pk_sb sb;
} rd;

static pk_status bad(rd *r, size_t lineno, const char *why, const char *s, size_t n)
{
	return pk_text_fail(r->ctx, r->name, lineno, why, s, n);
}

/* ---- sniffing ---------------------------------------------------------------------------- */

/* "NAME profile: total N" where NAME has no space. */
static bool count_header(const char *s, size_t n, const char **name_end)
{
	const char *sp = memchr(s, ' ', n), *e = s + n;
	if (!sp || sp == s || !pk_has_prefix(sp, (size_t)(e - sp), " profile: total "))
		return false;
	const char *p = sp + 16;
	int64_t v;
	if (!pk_parse_dec(&p, e, &v) || p != e)
		return false;
	for (const char *q = s; q < sp; q++)
		if ((unsigned char)*q < 0x21 || *q == ':')
			return false;
	if (name_end)
		*name_end = sp;
	return true;
}

bool pk_go_count_sniff(const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	return pk_first_line(data, len, SNIFF_LIMIT, &s, &n) && count_header(s, n, NULL);
}

bool pk_go_heap_sniff(const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	return pk_first_line(data, len, SNIFF_LIMIT, &s, &n) &&
	       pk_has_prefix(s, n, "heap profile: ") && memchr(s, '@', n) &&
	       !memchr(data, 0, len < SNIFF_LIMIT ? len : SNIFF_LIMIT);
}

bool pk_go_contention_sniff(const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	return pk_first_line(data, len, SNIFF_LIMIT, &s, &n) &&
	       (pk_has_prefix(s, n, "--- contention:") || pk_has_prefix(s, n, "--- mutex:") ||
	        pk_has_prefix(s, n, "--- contentionz ")) &&
	       !memchr(data, 0, len < SNIFF_LIMIT ? len : SNIFF_LIMIT);
}

/* ---- records ----------------------------------------------------------------------------- */

/* " 0xA 0xB ..." to the end of the line: PK_OK, PK_ENOMEM, or PK_EFORMAT (not reported yet). */
static pk_status addresses(rd *r, const char *p, const char *e)
{
	r->n_addrs = 0;
	while (p < e) {
		uint64_t a;
		if (*p != ' ')
			return PK_EFORMAT;
		pk_skip_blank(&p, e);
		if (p == e)
			break;
		if (!pk_parse_hex(&p, e, &a))
			return PK_EFORMAT;
		if (!pk_grow((void **)&r->addrs, &r->cap_addrs, r->n_addrs + 1, sizeof *r->addrs))
			return PK_ENOMEM;
		r->addrs[r->n_addrs++] = a;
	}
	return PK_OK;
}

/* count: go tool pprof's scaleHeapSample */
static void scale_heap(int64_t *count, int64_t *size, int64_t rate)
{
	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return;
	}
	if (rate <= 1)
		return;
	double avg = (double)*size / (double)*count;
	double scale = 1 / (1 - __builtin_exp(-avg / (double)rate));
	*count = pk_go_f2i((double)*count * scale);
	*size = pk_go_f2i((double)*size * scale);
}

/* "A: B" with optional blanks */
static bool pair(const char **p, const char *e, int64_t *a, int64_t *b)
{
	pk_skip_blank(p, e);
	if (!pk_parse_dec(p, e, a))
		return false;
	pk_skip_blank(p, e);
	if (*p >= e || **p != ':')
		return false;
	(*p)++;
	pk_skip_blank(p, e);
	return pk_parse_dec(p, e, b);
}

static pk_status record_line(rd *r, size_t lineno, const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	const char *at = memchr(s, '@', n);
	if (!at)
		return bad(r, lineno, "expected \"VALUES @ 0xADDR...\"", s, n);
	r->in_record = true;
	r->rec_lineno = lineno;
	r->n_frames = 0;
	r->n_labels = 0;
	r->blocksize = 0;
	if (r->kind == COUNT) {
		if (!pk_parse_dec(&p, at, &r->values[0]) || p + 1 != at || *p != ' ')
			return bad(r, lineno, "expected \"N @ 0xADDR...\"", s, n);
		r->sum = pk_wadd(r->sum, r->values[0]);
	} else if (r->kind == HEAP) {
		int64_t ic, ib, ac, ab;
		if (!pair(&p, at, &ic, &ib))
			return bad(r, lineno,
			           "expected \"INUSE: BYTES [ALLOC: BYTES] @ 0xADDR...\"", s, n);
		pk_skip_blank(&p, at);
		if (p >= at || *p != '[' || (p++, !pair(&p, at, &ac, &ab)) ||
		    (pk_skip_blank(&p, at), p >= at || *p != ']') ||
		    (p++, pk_skip_blank(&p, at), p != at))
			return bad(r, lineno,
			           "expected \"INUSE: BYTES [ALLOC: BYTES] @ 0xADDR...\"", s, n);
		if (ic == 0 && ib != 0)
			return bad(r, lineno, "inuse count was 0 but inuse bytes was not", s, n);
		if (ac == 0 && ab != 0)
			return bad(r, lineno, "allocation count was 0 but allocation bytes was not",
			           s, n);
		size_t k = 0;
		if (r->has_alloc) {
			if (ac)
				r->blocksize = ab / ac;
			if (ac && r->v2)
				scale_heap(&ac, &ab, r->rate);
			r->values[k++] = ac;
			r->values[k++] = ab;
		}
		if (ic)
			r->blocksize = ib / ic;
		if (ic && r->v2)
			scale_heap(&ic, &ib, r->rate);
		r->values[k++] = ic;
		r->values[k++] = ib;
	} else {
		int64_t cycles, count;
		if (!pk_parse_dec(&p, at, &cycles) || (pk_skip_blank(&p, at), 0) ||
		    !pk_parse_dec(&p, at, &count) || (pk_skip_blank(&p, at), p != at))
			return bad(r, lineno, "expected \"CYCLES COUNT @ 0xADDR...\"", s, n);
		if (r->period > 0) {
			if (r->cpu_hz > 0)
				cycles = pk_go_f2i((double)cycles * (double)r->period /
				                   ((double)r->cpu_hz / 1e9));
			count = pk_wmul(count, r->period);
		}
		r->values[0] = count;
		r->values[1] = cycles;
	}
	pk_status st = addresses(r, at + 1, e);
	if (st == PK_ENOMEM)
		return pk_oom(r->ctx);
	if (st != PK_OK)
		return bad(r, lineno, "bad address list", s, n);
	return PK_OK;
}

/* Go's %q of a string: "..." with \" \\ \a \b \f \n \r \t \v \xNN \uNNNN \UNNNNNNNN. */
static bool unquote(pk_sb *sb, const char **p, const char *e)
{
	const char *q = *p;
	pk_sb_reset(sb);
	if (q >= e || *q != '"')
		return false;
	for (q++; q < e && *q != '"'; q++) {
		if (*q != '\\') {
			pk_sb_bytes(sb, q, 1);
			continue;
		}
		if (++q >= e)
			return false;
		static const char esc[] = "\"\"\\\\a\ab\bf\fn\nr\rt\tv\v";
		const char *m = NULL;
		for (size_t i = 0; i + 1 < sizeof esc; i += 2)
			if (esc[i] == *q) {
				m = &esc[i + 1];
				break;
			}
		if (m) {
			pk_sb_bytes(sb, m, 1);
			continue;
		}
		int digits = *q == 'x' ? 2 : *q == 'u' ? 4 : *q == 'U' ? 8 : 0;
		if (!digits || e - q <= digits)
			return false;
		uint32_t v = 0;
		for (int i = 1; i <= digits; i++) {
			char c = q[i];
			int d = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                               : -1;
			if (d < 0)
				return false;
			v = v << 4 | (uint32_t)d;
		}
		q += digits;
		unsigned char u[4];
		size_t k;
		if (digits == 2 || v < 0x80) {
			u[0] = (unsigned char)v, k = 1;
		} else if (v < 0x800) {
			u[0] = (unsigned char)(0xc0 | v >> 6),
			u[1] = (unsigned char)(0x80 | (v & 0x3f));
			k = 2;
		} else if (v < 0x10000) {
			u[0] = (unsigned char)(0xe0 | v >> 12);
			u[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3f));
			u[2] = (unsigned char)(0x80 | (v & 0x3f));
			k = 3;
		} else if (v < 0x110000) {
			u[0] = (unsigned char)(0xf0 | v >> 18);
			u[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3f));
			u[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3f));
			u[3] = (unsigned char)(0x80 | (v & 0x3f));
			k = 4;
		} else {
			return false;
		}
		pk_sb_bytes(sb, u, k);
	}
	if (q >= e)
		return false;
	*p = q + 1;
	return !sb->oom;
}

/* "# labels: {"k":"v", "k2":"v2"}" */
static pk_status labels_line(rd *r, size_t lineno, const char *s, size_t n)
{
	const char *p = s + 10, *e = s + n;
	if (p >= e || *p != '{' || e[-1] != '}')
		return bad(r, lineno, "expected \"# labels: {\"KEY\":\"VALUE\", ...}\"", s, n);
	p++;
	e--;
	while (p < e) {
		pk_sid k, v;
		if (!unquote(&r->sb, &p, e))
			return r->sb.oom ? pk_oom(r->ctx) : bad(r, lineno, "bad label key", s, n);
		if ((k = pk_tb_str(r->b, r->sb.s ? r->sb.s : "", r->sb.n)) == PK_NONE)
			return pk_oom(r->ctx);
		if (p >= e || *p++ != ':' || !unquote(&r->sb, &p, e))
			return r->sb.oom ? pk_oom(r->ctx) : bad(r, lineno, "bad label value", s, n);
		if ((v = pk_tb_str(r->b, r->sb.s ? r->sb.s : "", r->sb.n)) == PK_NONE)
			return pk_oom(r->ctx);
		if (!pk_grow((void **)&r->labels, &r->cap_labels, r->n_labels + 1,
		             sizeof *r->labels))
			return pk_oom(r->ctx);
		r->labels[r->n_labels++] = (pk_label){.key = k, .str = v};
		if (p < e && (e - p < 2 || p[0] != ',' || p[1] != ' ' || (p += 2) >= e))
			return bad(r, lineno, "bad label list", s, n);
	}
	return PK_OK;
}

/* "#\t0xPC\tNAME+0xOFF\tFILE:LINE" or "#\t0xPC"; Go writes these through a tabwriter, so a
 * separator is one or more tabs. */
static void skip_tabs(const char **p, const char *e)
{
	while (*p < e && **p == '\t')
		(*p)++;
}

static pk_status frame_line(rd *r, size_t lineno, const char *s, size_t n)
{
	const char *p = s + 1, *e = s + n;
	frame f = {0};
	skip_tabs(&p, e);
	if (!pk_parse_hex(&p, e, &f.pc) || (p < e && *p != '\t'))
		return bad(r, lineno, "bad frame PC", s, n);
	skip_tabs(&p, e);
	if (p < e) {
		const char *fn = p, *fn_end = memchr(p, '\t', (size_t)(e - p)), *plus = NULL;
		const char *colon = NULL;
		if (!fn_end)
			return bad(r, lineno, "expected \"#\\t0xPC\\tFUNC+0xOFF\\tFILE:LINE\"", s,
			           n);
		for (const char *q = fn_end; q > fn; q--)
			if (q[-1] == '+') {
				plus = q - 1;
				break;
			}
		uint64_t off;
		const char *o = plus ? plus + 1 : NULL;
		if (!plus || plus == fn || !pk_parse_hex(&o, fn_end, &off) || o != fn_end)
			return bad(r, lineno, "bad frame function", s, n);
		p = fn_end;
		skip_tabs(&p, e);
		for (const char *q = e; q > p; q--)
			if (q[-1] == ':') {
				colon = q - 1;
				break;
			}
		const char *l = colon ? colon + 1 : NULL;
		if (!colon || colon == p || !pk_parse_dec(&l, e, &f.line) || l != e)
			return bad(r, lineno, "bad frame file:line", s, n);
		f.entry = f.pc - off;
		if ((f.func = pk_tb_str(r->b, fn, (size_t)(plus - fn))) == PK_NONE ||
		    (f.file = pk_tb_str(r->b, p, (size_t)(colon - p))) == PK_NONE)
			return pk_oom(r->ctx);
	}
	if (!pk_grow((void **)&r->frames, &r->cap_frames, r->n_frames + 1, sizeof *r->frames))
		return pk_oom(r->ctx);
	r->frames[r->n_frames++] = f;
	r->any_frames = true;
	return PK_OK;
}

/* The record read so far as a sample. An address takes the "#" lines of its PC (one less, or
 * equal at a leaf); consecutive addresses whose frames share a function entry are inlined
 * calls in one real frame (Go prints FUNC+OFF from the real frame's entry for an inlined
 * function): they become one location, callee lines first, at the outermost address. */
static pk_status flush(rd *r)
{
	if (!r->in_record)
		return PK_OK;
	r->in_record = false;
	size_t nl = 0, j = 0, n_lines = 0;
	if (!pk_grow((void **)&r->locs, &r->cap_locs, r->n_addrs + 1, sizeof *r->locs) ||
	    !pk_grow((void **)&r->lines, &r->cap_lines, r->n_frames + 1, sizeof *r->lines))
		return pk_oom(r->ctx);
	for (size_t i = 0; i < r->n_addrs; i++) {
		uint64_t a = r->addrs[i];
		uint32_t loc;
		if (r->n_frames == 0) {
			if ((loc = pk_tb_loc(r->b, a - 1, NULL, 0)) == PK_NONE)
				return pk_oom(r->ctx);
			r->locs[nl++] = loc;
			continue;
		}
		if (j >= r->n_frames || (r->frames[j].pc != a - 1 && r->frames[j].pc != a))
			continue; /* a frame Go's writer left out */
		uint64_t pc = r->frames[j].pc, entry = r->frames[j].entry;
		for (; j < r->n_frames && r->frames[j].pc == pc; j++) {
			if (!r->frames[j].func)
				continue;
			uint32_t f = pk_tb_func(r->b, r->frames[j].func, r->frames[j].file);
			if (f == PK_NONE)
				return pk_oom(r->ctx);
			r->lines[n_lines++] = (pk_line){f, r->frames[j].line};
		}
		/* Inlined into the next address's frame: keep collecting. */
		if (entry && i + 1 < r->n_addrs && j < r->n_frames && r->frames[j].entry == entry &&
		    (r->frames[j].pc == r->addrs[i + 1] - 1 || r->frames[j].pc == r->addrs[i + 1]))
			continue;
		if ((loc = pk_tb_loc(r->b, a - 1, r->lines, (uint32_t)n_lines)) == PK_NONE)
			return pk_oom(r->ctx);
		r->locs[nl++] = loc;
		n_lines = 0;
	}
	/* An empty stack: Go's writer prints one "#\t0x0" for it. */
	if (r->n_addrs == 0 && r->n_frames == 1 && r->frames[0].pc == 0 && !r->frames[0].func)
		j = 1;
	if (j < r->n_frames)
		return bad(r, r->rec_lineno,
		           "\"#\" frame lines do not match the record's addresses", NULL, 0);
	pk_label bytes = {.key = r->k_bytes, .is_num = true, .num = r->blocksize};
	const pk_label *labs = r->kind == HEAP ? &bytes : r->labels;
	size_t n_labs = r->kind == HEAP ? 1 : r->n_labels;
	if (!pk_tb_sample(r->b, r->locs, nl, r->values, labs, n_labs))
		return pk_oom(r->ctx);
	return PK_OK;
}

/* ---- headers ----------------------------------------------------------------------------- */

static pk_status count_head(rd *r, size_t lineno, const char *s, size_t n)
{
	const char *name_end, *p;
	if (!count_header(s, n, &name_end))
		return bad(r, lineno, "expected \"NAME profile: total N\"", s, n);
	p = name_end + 16;
	pk_parse_dec(&p, s + n, &r->total);
	char *type = pk_arena_strndup(pk_tb_profile(r->b)->arena, s, (size_t)(name_end - s));
	const char *tu[] = {type, "count"};
	if (!type || !pk_tb_types(r->b, 1, tu, type, "count", 1))
		return pk_oom(r->ctx);
	return PK_OK;
}

/* "heap profile: A: B [C: D] @ heap/2R" (also heap_v2/R, heapprofile) */
static pk_status heap_head(rd *r, size_t lineno, const char *s, size_t n)
{
	const char *p = s + 14, *e = s + n;
	int64_t a, b, c, d;
	static const char *const four[] = {"alloc_objects", "alloc_space", "inuse_objects",
	                                   "inuse_space"};
	static const char *const two[] = {"objects", "count", "space", "bytes"};
	const char *tu4[8];
	if (!pair(&p, e, &a, &b) || (pk_skip_blank(&p, e), p >= e || *p != '[') ||
	    (p++, !pair(&p, e, &c, &d)) || (pk_skip_blank(&p, e), p >= e || *p != ']') ||
	    (p++, pk_skip_blank(&p, e), p >= e || *p != '@'))
		return bad(r, lineno, "expected \"heap profile: N: BYTES [N: BYTES] @ heap/RATE\"",
		           s, n);
	p++;
	pk_skip_blank(&p, e);
	const char *kind = p;
	while (p < e && *p != '/' && *p != ' ')
		p++;
	size_t kn = (size_t)(p - kind);
	int64_t period = 0;
	if (p < e && *p == '/') {
		p++;
		if (p < e && !pk_parse_dec(&p, e, &period))
			return bad(r, lineno, "bad sampling rate", s, n);
	}
	if (p != e)
		return bad(r, lineno, "unexpected text after the sampling rate", s, n);
	r->has_alloc = (c != a && c != 0) || (d != b && d != 0);
	r->v2 = false;
	if (kn == 4 && !memcmp(kind, "heap", 4)) {
		r->v2 = true;
		r->rate = period / 2;
	} else if ((kn == 7 && !memcmp(kind, "heap_v2", 7)) ||
	           (kn == 8 && !memcmp(kind, "heapz_v2", 8))) {
		r->v2 = true;
		r->rate = period;
	} else if (kn == 11 && !memcmp(kind, "heapprofile", 11)) {
		r->rate = 1;
	} else if ((kn == 6 && !memcmp(kind, "growth", 6)) ||
	           (kn == 7 && !memcmp(kind, "growthz", 7)) ||
	           (kn == 13 && !memcmp(kind, "fragmentation", 13)) ||
	           (kn == 14 && !memcmp(kind, "fragmentationz", 14))) {
		r->rate = 1; /* gperftools growth/fragmentation: no alloc columns, no scaling */
		r->has_alloc = false;
		if (period)
			return bad(r, lineno, "unexpected sampling rate", s, n);
	} else {
		return bad(r, lineno, "unknown heap profile kind", s, n);
	}
	for (int i = 0; i < 4; i++)
		tu4[2 * i] = four[i], tu4[2 * i + 1] = i % 2 ? "bytes" : "count";
	if (!(r->has_alloc ? pk_tb_types(r->b, 4, tu4, "space", "bytes", r->rate)
	                   : pk_tb_types(r->b, 2, two, "space", "bytes", r->rate)) ||
	    (r->k_bytes = pk_tb_str(r->b, "bytes", 5)) == PK_NONE)
		return pk_oom(r->ctx);
	return PK_OK;
}

/* "key=value" lines after "--- contention:"; *done when a record starts. */
static pk_status contention_attr(rd *r, size_t lineno, const char *s, size_t n, bool *done)
{
	const char *eq = memchr(s, '=', n), *e = s + n;
	*done = !eq;
	if (!eq)
		return PK_OK;
	const char *k = s, *ke = eq, *v = eq + 1;
	pk_skip_blank(&k, ke);
	while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
		ke--;
	pk_skip_blank(&v, e);
	int64_t x;
	const char *q = v;
	bool num = pk_parse_dec(&q, e, &x) && q == e;
	size_t kn = (size_t)(ke - k);
	if (kn == 13 && !memcmp(k, "cycles/second", 13) && num)
		r->cpu_hz = x;
	else if (kn == 15 && !memcmp(k, "sampling period", 15) && num)
		r->period = x;
	else if (kn == 14 && !memcmp(k, "ms since reset", 14) && num)
		pk_tb_profile(r->b)->duration_nanos = pk_wmul(x, 1000000);
	else if (!(kn == 17 && !memcmp(k, "discarded samples", 17)))
		return bad(r, lineno, "unknown contention profile attribute", s, n);
	return PK_OK;
}

/* ---- the reader -------------------------------------------------------------------------- */

static pk_status read_text(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                           const char *name, enum kind kind)
{
	rd r = {.ctx = ctx, .name = name, .kind = kind, .period = 1};
	pk_status st = PK_OK;
	pk_lines l;
	const char *s;
	size_t n;
	bool head = false, attrs = kind == CONTENTION;

	*out = NULL;
	if (!(r.b = pk_tb_new(name))) {
		st = pk_oom(ctx);
		goto done;
	}
	pk_lines_init(&l, data, len);
	while (pk_lines_next(&l, &s, &n)) {
		const char *t = s, *e = s + n;
		if (memchr(s, 0, n)) {
			st = bad(&r, l.lineno, "binary data in a text profile", NULL, 0);
			goto done;
		}
		pk_skip_blank(&t, e);
		if (head && (memmem(s, n, "--- Memory map: ---", 19) ||
		             memmem(s, n, "MAPPED_LIBRARIES:", 17))) {
			r.maps = l.p;
			r.maps_len = (size_t)(l.end - l.p);
			break;
		}
		if (head && kind != HEAP && pk_has_prefix(t, (size_t)(e - t), "---")) {
			/* the end of the samples: what follows up to a memory map is skipped */
			const char *p = l.p, *m1, *m2;
			m1 = memmem(p, (size_t)(l.end - p), "--- Memory map: ---", 19);
			m2 = memmem(p, (size_t)(l.end - p), "MAPPED_LIBRARIES:", 17);
			const char *m = m1 && (!m2 || m1 < m2) ? m1 : m2;
			if (m) {
				const char *nl = memchr(m, '\n', (size_t)(l.end - m));
				r.maps = nl ? nl + 1 : l.end;
				r.maps_len = (size_t)(l.end - r.maps);
			}
			break;
		}
		if (t == e) { /* a blank line ends a record */
			if ((st = flush(&r)))
				goto done;
			continue;
		}
		if (!head) {
			head = true;
			if (kind == COUNT)
				st = count_head(&r, l.lineno, s, n);
			else if (kind == HEAP)
				st = heap_head(&r, l.lineno, s, n);
			else {
				static const char *const cd[] = {"contentions", "count", "delay",
				                                 "nanoseconds"};
				if (!pk_tb_types(r.b, 2, cd, "contentions", "count", 1))
					st = pk_oom(ctx);
			}
			if (st)
				goto done;
			continue;
		}
		if (attrs) {
			bool end;
			if ((st = contention_attr(&r, l.lineno, t, (size_t)(e - t), &end)))
				goto done;
			if (!end)
				continue;
			attrs = false;
			pk_tb_profile(r.b)->period = r.period;
		}
		if (*t == '#') {
			if (r.in_record && pk_has_prefix(s, n, "# labels: ")) {
				if (kind != COUNT) {
					st = bad(&r, l.lineno, "labels in a profile that has none",
					         s, n);
					goto done;
				}
				st = labels_line(&r, l.lineno, s, n);
			} else if (r.in_record && n > 2 && s[0] == '#' && s[1] == '\t') {
				st = frame_line(&r, l.lineno, s, n);
			} else if (r.in_record) {
				st = bad(&r, l.lineno, "unexpected \"#\" line in a record", s, n);
			} else if (!pk_tb_comment(r.b, s, n)) {
				st = pk_oom(ctx);
			}
			if (st)
				goto done;
			continue;
		}
		if ((st = flush(&r)) || (st = record_line(&r, l.lineno, t, (size_t)(e - t))))
			goto done;
	}
	if ((st = flush(&r)))
		goto done;
	if (!head) {
		st = bad(&r, l.lineno, "no header line", NULL, 0);
		goto done;
	}
	if (kind == COUNT && r.sum != r.total) {
		st = pk_fail(ctx, PK_EFORMAT,
		             "%s: the header says total %lld but the records add up to %lld", name,
		             (long long)r.total, (long long)r.sum);
		goto done;
	}
	if (kind == CONTENTION)
		pk_tb_profile(r.b)->period = r.period;
	st = pk_tb_finish(ctx, r.b, out);
	r.b = NULL;
	if (st == PK_OK && !r.any_frames &&
	    (st = pk_legacy_finish(ctx, *out, r.maps, r.maps_len)) != PK_OK) {
		pk_profile_free(*out);
		*out = NULL;
	}
done:
	pk_tb_free(r.b);
	pk_free(r.addrs);
	pk_free(r.frames);
	pk_free(r.labels);
	pk_free(r.locs);
	pk_free(r.lines);
	pk_sb_free(&r.sb);
	return st;
}

pk_status pk_go_count_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                           const char *name)
{
	return read_text(ctx, out, data, len, name, COUNT);
}

pk_status pk_go_heap_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                          const char *name)
{
	return read_text(ctx, out, data, len, name, HEAP);
}

pk_status pk_go_contention_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                                const char *name)
{
	return read_text(ctx, out, data, len, name, CONTENTION);
}
