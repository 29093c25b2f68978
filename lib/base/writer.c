/* writer.c - buffered output to a pk_writer, and a growable string builder. Reports stream
 * through pk_out instead of buffering the whole report as pprof does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define OUT_CAP (256u << 10)

bool pk_out_init(pk_out *o, pk_writer *w)
{
	o->w = w;
	o->len = 0;
	o->cap = OUT_CAP;
	o->status = PK_OK;
	o->buf = pk_malloc(o->cap);
	return o->buf != NULL;
}

static void flush(pk_out *o)
{
	if (o->len && o->status == PK_OK)
		o->status = o->w->write(o->w->payload, o->buf, o->len);
	o->len = 0;
}

void pk_out_bytes(pk_out *o, const void *p, size_t n)
{
	if (o->status != PK_OK)
		return;
	if (n > o->cap - o->len) {
		flush(o);
		if (n >= o->cap) {
			if (o->status == PK_OK)
				o->status = o->w->write(o->w->payload, p, n);
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void pk_out_str(pk_out *o, pk_str s)
{
	pk_out_bytes(o, s.s, s.n);
}
void pk_out_cstr(pk_out *o, const char *s)
{
	pk_out_bytes(o, s, strlen(s));
}

void pk_out_fmt(pk_out *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		pk_out_bytes(o, small, (size_t)n);
		return;
	}
	char *big = pk_malloc((size_t)n + 1);
	if (!big) {
		o->status = PK_ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pk_out_bytes(o, big, (size_t)n);
	pk_free(big);
}

pk_status pk_out_finish(pk_ctx *ctx, pk_out *o)
{
	flush(o);
	pk_free(o->buf);
	o->buf = NULL;
	if (o->status == PK_ENOMEM)
		return pk_oom(ctx);
	if (o->status != PK_OK)
		return pk_fail(ctx, o->status, "write error");
	return PK_OK;
}

static bool sb_reserve(pk_sb *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->cap - b->n > extra)
		return true;
	/* Room for extra bytes and the terminating NUL. */
	if (extra >= SIZE_MAX - b->n || !pk_grow((void **)&b->s, &b->cap, b->n + extra + 1, 1))
		b->oom = true;
	return !b->oom;
}

void pk_sb_bytes(pk_sb *b, const void *p, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	if (n)
		memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = 0;
}

void pk_sb_cstr(pk_sb *b, const char *s)
{
	pk_sb_bytes(b, s, strlen(s));
}

void pk_sb_fmt(pk_sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void pk_sb_reset(pk_sb *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = 0;
}

void pk_sb_free(pk_sb *b)
{
	pk_free(b->s);
	memset(b, 0, sizeof *b);
}
