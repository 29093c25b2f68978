/* ctx.c - pk_ctx: status and message of the last failure, warning and progress callbacks,
 * input limits. Mirrors no pprof file: pprof returns Go errors and prints through its UI. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/base.h"

PK_API const char *pk_version(void)
{
	return PK_VERSION_STRING;
}

PK_API pk_ctx *pk_ctx_new(void)
{
	pk_ctx *ctx = pk_calloc(1, sizeof *ctx);
	if (ctx)
		ctx->max_inflated = (uint64_t)1 << 30; /* 1 GiB: see pprofkit.h */
	return ctx;
}

PK_API void pk_ctx_free(pk_ctx *ctx)
{
	pk_free(ctx);
}

PK_API const char *pk_ctx_message(const pk_ctx *ctx)
{
	return ctx ? ctx->msg : "";
}

PK_API void pk_ctx_on_warning(pk_ctx *ctx, void (*fn)(void *, const char *), void *payload)
{
	ctx->warn_fn = fn;
	ctx->warn_payload = payload;
}

PK_API void pk_ctx_on_progress(pk_ctx *ctx, void (*fn)(void *, const char *, uint64_t, uint64_t),
                               void *payload)
{
	ctx->progress_fn = fn;
	ctx->progress_payload = payload;
}

PK_API void pk_ctx_set_demangle(pk_ctx *ctx, pk_demangle mode)
{
	ctx->demangle = (int)mode;
}

PK_API void pk_ctx_set_max_inflated(pk_ctx *ctx, uint64_t bytes)
{
	ctx->max_inflated = bytes;
}

PK_API void pk_ctx_set_goroutine_args(pk_ctx *ctx, int keep)
{
	ctx->goroutine_args = keep != 0;
}

pk_status pk_fail(pk_ctx *ctx, pk_status code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
	va_end(ap);
	ctx->status = code;
	return code;
}

pk_status pk_oom(pk_ctx *ctx)
{
	return pk_fail(ctx, PK_ENOMEM, "out of memory");
}

void pk_warn(pk_ctx *ctx, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (!ctx->warn_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ctx->warn_fn(ctx->warn_payload, buf);
}

void pk_progress(pk_ctx *ctx, const char *what, uint64_t done, uint64_t total)
{
	if (ctx->progress_fn)
		ctx->progress_fn(ctx->progress_payload, what, done, total);
}
