/* goroutine_text.c - Go goroutine dumps as profiles: what /debug/pprof/goroutine?debug=2,
 * runtime.Stack(buf, true), a panic, SIGQUIT and GOTRACEBACK=all|system|crash print.
 *
 * The runtime's traceback (runtime/traceback.go) prints, per goroutine, Go 1.19 to 1.25:
 *
 *     goroutine 18 [chan receive, 12 minutes, locked to thread]:
 *     main.worker(0xc000012345, {0x4b1c2a?, 0x5}, ...)
 *     	/src/main.go:42 +0x1d
 *     ...additional frames elided...            (1.19, 1.20: after 100 frames)
 *     ...12 frames elided...                    (1.21+: between the first and last 50)
 *     created by main.start in goroutine 1      (1.21+; before: "created by main.start")
 *     	/src/main.go:30 +0x45
 *
 * and the variants: "goroutine 1 gp=0xc000002380 m=0 mp=0x5c4ea0 [running]:" (1.23+ under
 * GOTRACEBACK=system), " fp=0x… sp=0x… pc=0x…" after a file line at that level, a file line
 * without "+0x…" (inlined frames), "\tgoroutine running on other thread; stack unavailable",
 * "[originating from goroutine N]:" ancestor blocks (GODEBUG=tracebackancestors, skipped),
 * cgo frames ("non-Go function at pc=0x…", an address; or a symbolizer's "NAME" over
 * "\tFILE:LINE pc=0x…"), " (scan)" after the state (dropped: the GC was scanning),
 * wait reasons with parentheses ("GC worker (idle)", "chan receive (nil chan)") and the
 * minute forms "1 minute" / "N minutes". Anything outside a goroutine block (panic: lines,
 * "[recovered]", "fatal error:", "SIGQUIT: quit", register dumps, "exit status 2") is free
 * text; the lines before the first goroutine become the profile's comments. Inside a
 * goroutine's stack every line must be one of the forms above.
 *
 * The profile: sample type goroutine/count, one sample of 1 per goroutine, leaf first, with
 * the "created by" function as the caller of the root frame; string label state, numeric label
 * wait (unit minutes) when the header has one. Arguments are not kept, unless the context
 * says so (pk_ctx_set_goroutine_args, `-args`): then "F(ARGS)" is the function's name.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/textprof.h"

#define SNIFF_LIMIT ((size_t)64 << 10)
#define MAX_COMMENTS 32

/* "goroutine N ... [...]:" */
static bool is_header(const char *s, size_t n)
{
	if (!pk_has_prefix(s, n, "goroutine ") || n < 14)
		return false;
	if (s[10] < '0' || s[10] > '9')
		return false;
	return s[n - 1] == ':' && s[n - 2] == ']' && memchr(s, '[', n) != NULL;
}

bool pk_goroutine_dump_sniff(const uint8_t *data, size_t len)
{
	pk_lines l;
	const char *s;
	size_t n;
	size_t lim = len < SNIFF_LIMIT ? len : SNIFF_LIMIT;
	pk_lines_init(&l, data, lim);
	while (pk_lines_next(&l, &s, &n)) {
		if (is_header(s, n))
			return true;
		if (memchr(s, 0, n))
			return false;
	}
	return false;
}

static bool eq_lit(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

typedef struct frame {
	pk_sid func, file;
	int64_t line;
	bool inlined; /* "F(...)" over a file line without "+0x": inlined into the next frame */
	bool created_by;
	uint64_t pc; /* cgo frames ("non-Go function at pc=0x..."): their address */
} frame;

typedef struct rd {
	pk_ctx *ctx;
	const char *name;
	pk_tb *b;
	frame *frames;
	size_t n_frames, cap_frames;
	uint32_t *locs;
	size_t cap_locs;
	pk_line *lines;
	size_t cap_lines;
	bool pend_inlined, pend_created, pend_cgo;
	const char *pend_s; /* the pending frame's line, for a message */
	size_t pend_n;
	pk_sid k_state, k_wait, u_minutes;
} rd;

static pk_status bad(rd *r, size_t lineno, const char *why, const char *s, size_t n)
{
	return pk_text_fail(r->ctx, r->name, lineno, why, s, n);
}

/* "\tFILE:LINE[ +0xOFF][ fp=… sp=… pc=…]" */
static bool file_line(const char *s, size_t n, const char **file, size_t *file_n, int64_t *line,
                      bool *has_off)
{
	if (n < 2 || s[0] != '\t')
		return false;
	s++, n--;
	const char *e = s + n;
	/* The location ends at the first " +0x" or " fp=" after the last ':' of "file:line". */
	const char *cut = e;
	for (const char *p = s; p + 4 <= e; p++)
		if (p[0] == ' ' && ((p[1] == '+' && p[2] == '0' && p[3] == 'x') ||
		                    (p[1] == 'f' && p[2] == 'p' && p[3] == '='))) {
			cut = p;
			break;
		}
	const char *colon = NULL;
	for (const char *p = cut; p > s; p--)
		if (p[-1] == ':') {
			colon = p - 1;
			break;
		}
	if (!colon || colon == s)
		return false;
	const char *q = colon + 1;
	if (!pk_parse_dec(&q, cut, line) || q != cut)
		return false;
	*has_off = cut < e && cut[1] == '+';
	if (cut < e) { /* the rest: " +0xHEX" and/or " fp=0x.. sp=0x.. pc=0x.." */
		const char *p = cut;
		while (p < e) {
			uint64_t v;
			if (*p != ' ')
				return false;
			p++;
			if (p < e && *p == '+')
				p++;
			else if (e - p >= 3 && p[2] == '=' &&
			         (!memcmp(p, "fp", 2) || !memcmp(p, "sp", 2) ||
			          !memcmp(p, "pc", 2)))
				p += 3;
			else
				return false;
			if (!pk_parse_hex(&p, e, &v))
				return false;
		}
	}
	*file = s;
	*file_n = (size_t)(colon - s);
	return true;
}

/* A cgo symbolizer's second line: "\tFILE:LINE pc=0xPC" or "\tpc=0xPC". */
static bool cgo_line(const char *s, size_t n, const char **file, size_t *file_n, int64_t *line,
                     uint64_t *pc)
{
	const char *e = s + n, *p;
	if (n < 6 || s[0] != '\t')
		return false;
	for (p = e; p > s + 1 && p[-1] != ' ' && p[-1] != '\t'; p--)
		;
	const char *h = p + 3;
	if (e - p < 4 || memcmp(p, "pc=", 3) || !pk_parse_hex(&h, e, pc) || h != e)
		return false;
	*file = "", *file_n = 0, *line = 0;
	if (p == s + 1)
		return true;
	const char *fe = p - 1, *colon = NULL; /* "FILE:LINE" before the space */
	for (const char *q = fe; q > s + 1; q--)
		if (q[-1] == ':') {
			colon = q - 1;
			break;
		}
	const char *d = colon ? colon + 1 : NULL;
	if (!colon || colon == s + 1 || !pk_parse_dec(&d, fe, line) || d != fe)
		return false;
	*file = s + 1;
	*file_n = (size_t)(colon - s - 1);
	return true;
}

/* "F(ARGS)": the name before the '(' matching the last ')'. */
static bool func_line(const char *s, size_t n, size_t *name_n)
{
	if (n < 3 || s[n - 1] != ')' || s[0] == '\t' || s[0] == ' ')
		return false;
	int depth = 0;
	for (size_t i = n; i-- > 0;) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0) {
			if (i == 0)
				return false;
			*name_n = i;
			return true;
		}
	}
	return false;
}

static bool push_frame(rd *r, pk_sid func, pk_sid file, int64_t line, bool inlined)
{
	if (!pk_grow((void **)&r->frames, &r->cap_frames, r->n_frames + 1, sizeof *r->frames))
		return false;
	r->frames[r->n_frames++] = (frame){func, file, line, inlined, false, 0};
	return true;
}

typedef struct gor {
	size_t lineno;
	pk_str state;
	bool has_wait;
	int64_t wait;
} gor;

/* Parses the bracket of a header: state, wait, locked to thread. */
static pk_status header(rd *r, size_t lineno, const char *s, size_t n, gor *g)
{
	const char *open = NULL;
	/* The bracket that ends the line: its '[' is the first after "goroutine N". */
	const char *p = s + 10, *e = s + n - 2;
	int64_t id;
	if (!pk_parse_dec(&p, e, &id))
		return bad(r, lineno, "bad goroutine id", s, n);
	for (const char *q = p; q < e; q++)
		if (*q == '[') {
			open = q;
			break;
		}
	if (!open || (open != p && open[-1] != ' '))
		return bad(r, lineno, "bad goroutine header", s, n);
	const char *a = open + 1;
	g->lineno = lineno;
	g->has_wait = false;
	g->state = (pk_str){a, 0};
	/* Parts separated by ", ": the first is the state; known ones after it are read. */
	const char *part = a;
	bool first = true;
	const char *state_end = a;
	for (const char *q = a; q <= e; q++) {
		if (q < e && !(q[0] == ',' && q + 1 < e && q[1] == ' '))
			continue;
		size_t pn = (size_t)(q - part);
		const char *t = part;
		int64_t v;
		if (first) {
			state_end = q;
		} else if (pk_parse_dec(&t, q, &v) && ((q - t == 7 && !memcmp(t, " minute", 7)) ||
		                                       (q - t == 8 && !memcmp(t, " minutes", 8)))) {
			g->has_wait = true;
			g->wait = v;
		} else if (pn == 16 && !memcmp(part, "locked to thread", 16)) {
			/* not a label: locked goroutines are told apart by their stacks */
		} else {
			state_end = q; /* an unknown part stays in the state */
		}
		first = false;
		part = q + 2;
		if (q < e)
			q++;
	}
	g->state.n = (uint32_t)(state_end - a);
	/* " (scan)": the GC is scanning the stack right now; not part of the state. */
	if (g->state.n > 7 && !memcmp(a + g->state.n - 7, " (scan)", 7))
		g->state.n -= 7;
	if (g->state.n == 0)
		return bad(r, lineno, "goroutine without a state", s, n);
	return PK_OK;
}

static pk_status emit(rd *r, const gor *g)
{
	pk_tb *b = r->b;
	size_t nl = 0, run = 0;
	if (!pk_grow((void **)&r->locs, &r->cap_locs, r->n_frames + 1, sizeof *r->locs) ||
	    !pk_grow((void **)&r->lines, &r->cap_lines, r->n_frames + 1, sizeof *r->lines))
		return pk_oom(r->ctx);
	for (size_t i = 0; i < r->n_frames; i++) {
		if (!r->frames[i].func) { /* a cgo frame without a name: its address */
			if (run &&
			    (r->locs[nl++] = pk_tb_loc(b, 0, r->lines, (uint32_t)run)) == PK_NONE)
				return pk_oom(r->ctx);
			run = 0;
			if ((r->locs[nl++] = pk_tb_loc(b, r->frames[i].pc, NULL, 0)) == PK_NONE)
				return pk_oom(r->ctx);
			continue;
		}
		uint32_t f = pk_tb_func(b, r->frames[i].func, r->frames[i].file);
		if (f == PK_NONE)
			return pk_oom(r->ctx);
		r->lines[run++] = (pk_line){f, r->frames[i].line};
		if (r->frames[i].inlined && i + 1 < r->n_frames && !r->frames[i + 1].created_by)
			continue;
		if ((r->locs[nl++] = pk_tb_loc(b, r->frames[i].pc, r->lines, (uint32_t)run)) ==
		    PK_NONE)
			return pk_oom(r->ctx);
		run = 0;
	}
	pk_label lab[2];
	size_t n_locs = nl, n_labs = 0;
	pk_sid st = pk_tb_str(b, g->state.s, g->state.n);
	if (st == PK_NONE)
		return pk_oom(r->ctx);
	lab[n_labs++] = (pk_label){.key = r->k_state, .str = st};
	if (g->has_wait)
		lab[n_labs++] = (pk_label){
		    .key = r->k_wait, .is_num = true, .num = g->wait, .unit = r->u_minutes};
	int64_t one = 1;
	if (!pk_tb_sample(b, r->locs, n_locs, &one, lab, n_labs))
		return pk_oom(r->ctx);
	return PK_OK;
}

pk_status pk_goroutine_dump_read(pk_ctx *ctx, pk_profile **out, const uint8_t *data, size_t len,
                                 const char *name)
{
	static const char *const types[] = {"goroutine", "count"};
	rd r = {.ctx = ctx, .name = name};
	pk_status st = PK_OK;
	pk_lines l;
	const char *s;
	size_t n, n_comments = 0;
	enum { OUTSIDE, IN_G, IN_ANCESTOR } where = OUTSIDE;
	bool seen = false, want_file = false, created = false;
	size_t func_lineno = 0;
	pk_sid pend_func = 0;
	gor g = {0};

	*out = NULL;
	if (!(r.b = pk_tb_new(name)) || !pk_tb_types(r.b, 1, types, "goroutine", "count", 1) ||
	    (r.k_state = pk_tb_str(r.b, "state", 5)) == PK_NONE ||
	    (r.k_wait = pk_tb_str(r.b, "wait", 4)) == PK_NONE ||
	    (r.u_minutes = pk_tb_str(r.b, "minutes", 7)) == PK_NONE) {
		st = pk_oom(ctx);
		goto done;
	}
	pk_lines_init(&l, data, len);
	for (;;) {
		bool more = pk_lines_next(&l, &s, &n);
		if (more && memchr(s, 0, n)) {
			st = bad(&r, l.lineno, "binary data in a goroutine dump", NULL, 0);
			goto done;
		}
		if (want_file) {
			const char *file;
			size_t file_n;
			int64_t line;
			if (!more) {
				st = r.pend_cgo
				         ? bad(&r, func_lineno, "not a line of a goroutine's stack",
				               r.pend_s, r.pend_n)
				         : bad(&r, func_lineno,
				               "dump ends before the frame's file:line", NULL, 0);
				goto done;
			}
			bool has_off;
			if (r.pend_cgo) {
				uint64_t pc;
				if (!cgo_line(s, n, &file, &file_n, &line, &pc)) {
					st = bad(&r, func_lineno,
					         "not a line of a goroutine's stack", r.pend_s,
					         r.pend_n);
					goto done;
				}
				want_file = false;
				pk_sid fs = pk_tb_str(r.b, file, file_n);
				if (fs == PK_NONE || !push_frame(&r, pend_func, fs, line, false)) {
					st = pk_oom(ctx);
					goto done;
				}
				r.frames[r.n_frames - 1].pc = pc;
				continue;
			}
			if (!file_line(s, n, &file, &file_n, &line, &has_off)) {
				st = bad(&r, l.lineno, "expected a frame's \"\\tFILE:LINE +0xOFF\"",
				         s, n);
				goto done;
			}
			want_file = false;
			if (where == IN_G) {
				pk_sid fs = pk_tb_str(r.b, file, file_n);
				if (fs == PK_NONE || !push_frame(&r, pend_func, fs, line,
				                                 r.pend_inlined && !has_off)) {
					st = pk_oom(ctx);
					goto done;
				}
				r.frames[r.n_frames - 1].created_by = r.pend_created;
			}
			continue;
		}
		bool blank = more && n == 0;
		/* A goroutine ends at a blank line, the next header, "exit status N" (go run) or,
		 * once its "created by" is read, any line: the runtime prints the blank line
		 * before a goroutine, so the last one runs into whatever follows the dump. */
		bool ends = !more || blank ||
		            (where != OUTSIDE &&
		             (is_header(s, n) || created || pk_has_prefix(s, n, "exit status ")));
		if (where == IN_G && created && more && !blank && !is_header(s, n)) {
			size_t nn;
			if (pk_has_prefix(s, n, "created by ") || s[0] == '\t' ||
			    func_line(s, n, &nn)) {
				st = bad(&r, l.lineno, "stack line after \"created by\"", s, n);
				goto done;
			}
		}
		if (ends) {
			if (where == IN_G && (st = emit(&r, &g)))
				goto done;
			where = OUTSIDE;
			if (!more)
				break;
			if (blank)
				continue;
		}
		if (where == OUTSIDE) {
			if (is_header(s, n)) {
				if ((st = header(&r, l.lineno, s, n, &g)))
					goto done;
				where = IN_G;
				seen = true;
				created = false;
				r.n_frames = 0;
			} else if (!seen && n_comments < MAX_COMMENTS) {
				if (!pk_tb_comment(r.b, s, n)) {
					st = pk_oom(ctx);
					goto done;
				}
				n_comments++;
			}
			continue;
		}
		if (pk_has_prefix(s, n, "[originating from goroutine ")) {
			if (where == IN_G && (st = emit(&r, &g)))
				goto done;
			where = IN_ANCESTOR;
			created = false;
			continue;
		}
		/* A line of a goroutine's stack. */
		size_t name_n;
		if (pk_has_prefix(s, n, "created by ")) {
			const char *f = s + 11, *fe = s + n;
			/* " in goroutine N" (1.21+) is not part of the name. */
			for (const char *q = f; q + 14 <= fe; q++)
				if (!memcmp(q, " in goroutine ", 14)) {
					fe = q;
					break;
				}
			if (fe == f || created) {
				st = bad(&r, l.lineno, "bad \"created by\" line", s, n);
				goto done;
			}
			created = true;
			r.pend_inlined = r.pend_cgo = false;
			r.pend_created = true;
			pend_func = pk_tb_str(r.b, f, (size_t)(fe - f));
			want_file = true;
			func_lineno = l.lineno;
		} else if (func_line(s, n, &name_n)) {
			r.pend_inlined = n - name_n == 5 && !memcmp(s + name_n, "(...)", 5);
			r.pend_cgo = false;
			if (ctx->goroutine_args)
				name_n = n; /* -args: "F(ARGS)" is the name */
			r.pend_created = false;
			pend_func = pk_tb_str(r.b, s, name_n);
			want_file = true;
			func_lineno = l.lineno;
		} else if (pk_has_prefix(s, n, "non-Go function at pc=0x")) {
			const char *q = s + 22;
			uint64_t pc;
			if (!pk_parse_hex(&q, s + n, &pc) || q != s + n ||
			    !push_frame(&r, 0, 0, 0, false)) {
				st = q != s + n ? bad(&r, l.lineno, "bad cgo frame", s, n)
				                : pk_oom(ctx);
				goto done;
			}
			r.frames[r.n_frames - 1].pc = pc;
		} else if (eq_lit(s, n, "...additional frames elided...") ||
		           (pk_has_prefix(s, n, "...") && n > 20 &&
		            !memcmp(s + n - 17, " frames elided...", 17)) ||
		           eq_lit(s, n, "\tgoroutine running on other thread; stack unavailable")) {
			/* nothing to record */
		} else if (n && s[0] != '\t' && s[0] != ' ') {
			/* A cgo symbolizer's frame: a name without arguments, then
			 * "\t[FILE:LINE ]pc=0xPC". */
			r.pend_inlined = r.pend_created = false;
			r.pend_cgo = true;
			r.pend_s = s, r.pend_n = n;
			pend_func = pk_tb_str(r.b, s, n);
			want_file = true;
			func_lineno = l.lineno;
		} else {
			st = bad(&r, l.lineno, "not a line of a goroutine's stack", s, n);
			goto done;
		}
		if (pend_func == PK_NONE) {
			st = pk_oom(ctx);
			goto done;
		}
	}
	if (!seen) {
		st = bad(&r, l.lineno, "no goroutine in the dump", NULL, 0);
		goto done;
	}
	st = pk_tb_finish(ctx, r.b, out);
	r.b = NULL;
done:
	pk_tb_free(r.b);
	pk_free(r.frames);
	pk_free(r.locs);
	pk_free(r.lines);
	return st;
}
