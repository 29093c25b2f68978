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

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

PK_API void pk_ctx_set_deadline(pk_ctx *ctx, double seconds)
{
	ctx->canceled = false;
	if (seconds > 0 && seconds < 1e9) {
		ctx->deadline_ns = now_ns() + (uint64_t)(seconds * 1e9);
		ctx->deadline_s = seconds;
	} else {
		ctx->deadline_ns = 0;
	}
	ctx->can_cancel = ctx->deadline_ns != 0 || ctx->cancel != NULL || ctx->cancel_after > 0;
}

PK_API void pk_ctx_set_cancel(pk_ctx *ctx, const volatile int *flag)
{
	ctx->canceled = false;
	ctx->cancel = flag;
	ctx->can_cancel = ctx->deadline_ns != 0 || ctx->cancel != NULL || ctx->cancel_after > 0;
}

void pk_ctx_cancel_after(pk_ctx *ctx, long n)
{
	ctx->canceled = false;
	ctx->cancel_after = n > 0 ? n : 0;
	ctx->can_cancel = ctx->deadline_ns != 0 || ctx->cancel != NULL || ctx->cancel_after > 0;
}

pk_status pk_cancel_check(pk_ctx *ctx)
{
	if (ctx->canceled)
		return ctx->status == PK_ECANCELED ? PK_ECANCELED
		                                   : pk_fail(ctx, PK_ECANCELED, "canceled");
	if (ctx->cancel_after > 0 && --ctx->cancel_after == 0) {
		ctx->canceled = true;
		return pk_fail(ctx, PK_ECANCELED, "canceled");
	}
	if (ctx->cancel &&
	    __atomic_load_n(ctx->cancel, __ATOMIC_RELAXED)) { /* set by another thread */
		ctx->canceled = true;
		return pk_fail(ctx, PK_ECANCELED, "canceled");
	}
	if (ctx->deadline_ns && now_ns() >= ctx->deadline_ns) {
		ctx->canceled = true;
		return pk_fail(ctx, PK_ECANCELED, "took longer than the deadline (%g s)",
		               ctx->deadline_s);
	}
	return PK_OK;
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
