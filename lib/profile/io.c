/* io.c - getting a profile's bytes: read a file or standard input whole, inflate gzip (every
 * member of a multi-member stream) under the context's size cap, then decode.
 *
 * Mirrors profile/profile.go (Parse, ParseData): gzip is recognised by its magic bytes 1f 8b,
 * and Go's gzip reader, like this file, reads every member and refuses bytes after the last one
 * that do not start another member.
 *
 * Then the text kinds (textkinds.c: goroutine dumps, Go's debug=1 texts, gperftools, folded
 * stacks) are asked whether the bytes are theirs before the protobuf decoder gets them.
 *
 * Deliberate divergences: Errors name the input and say what went wrong in plain words. The
 * inflated size is capped (PK_ELIMIT) so that a small bomb cannot exhaust memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "profile/profile.h"
#include "profile/textprof.h"

#define STDIN_NAME "<stdin>"
#define READ_CHUNK ((size_t)1 << 20)
#define PROGRESS_MIN ((uint64_t)64 << 20)  /* inputs smaller than this report no progress */
#define PROGRESS_STEP ((uint64_t)64 << 20) /* bytes between two progress calls */
#define MAX_DEFLATE_RATIO 1032             /* deflate's best ratio; bounds size estimates */

static const char *input_name(const char *path)
{
	return strcmp(path, "-") ? path : STDIN_NAME;
}

/* Reads fd to its end into a malloc'd buffer; size_hint is the file size, 0 when unknown. */
static pk_status read_all(pk_ctx *ctx, const char *name, int fd, size_t size_hint, uint8_t **data,
                          size_t *len)
{
	pk_status st = PK_OK;
	size_t cap = size_hint ? size_hint + 1 : READ_CHUNK, n = 0;
	uint64_t next_progress = PROGRESS_STEP;
	uint8_t *buf = pk_malloc(cap);
	char what[200];

	if (!buf)
		return pk_oom(ctx);
	snprintf(what, sizeof what, "reading %s", name);
	for (;;) {
		if (n == cap) {
			if (cap > SIZE_MAX / 2) {
				st = pk_fail(ctx, PK_ELIMIT, "%s: input too large", name);
				goto done;
			}
			uint8_t *b = pk_realloc(buf, cap * 2);
			if (!b) {
				st = pk_fail(ctx, PK_ENOMEM, "%s: out of memory reading %zu bytes",
				             name, cap * 2);
				goto done;
			}
			buf = b;
			cap *= 2;
		}
		size_t want = cap - n < READ_CHUNK * 16 ? cap - n : READ_CHUNK * 16;
		ssize_t r = read(fd, buf + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = pk_fail(ctx, PK_EIO, "%s: read: %s", name, strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (size_hint >= PROGRESS_MIN && n >= next_progress) {
			pk_progress(ctx, what, n, size_hint);
			next_progress = n + PROGRESS_STEP;
		}
	}
	*data = buf;
	*len = n;
	buf = NULL;
done:
	pk_free(buf);
	return st;
}

pk_status pk_read_input(pk_ctx *ctx, const char *path, uint8_t **data, size_t *len)
{
	const char *name = input_name(path);
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	size_t hint = 0;
	pk_status st;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return pk_fail(ctx, PK_EIO, "%s: open: %s", name, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		st = pk_fail(ctx, PK_EIO, "%s: stat: %s", name, strerror(errno));
		goto done;
	}
	if (S_ISDIR(sb.st_mode)) {
		st = pk_fail(ctx, PK_EIO, "%s: is a directory", name);
		goto done;
	}
	if (S_ISREG(sb.st_mode) && sb.st_size > 0 && (uint64_t)sb.st_size < SIZE_MAX / 2)
		hint = (size_t)sb.st_size;
	st = read_all(ctx, name, fd, hint, data, len);
done:
	if (!is_stdin)
		close(fd);
	return st;
}

/* ISIZE of the last member: its inflated size mod 2^32; a hint, never trusted. */
static size_t estimate(const uint8_t *in, size_t in_len, uint64_t cap_lim)
{
	uint64_t est = (uint64_t)in_len * 4, isize = 0;
	if (in_len >= 18)
		isize = (uint64_t)in[in_len - 4] | (uint64_t)in[in_len - 3] << 8 |
		        (uint64_t)in[in_len - 2] << 16 | (uint64_t)in[in_len - 1] << 24;
	if (isize > est && isize / MAX_DEFLATE_RATIO <= in_len)
		est = isize + 1; /* +1: room to see the end without growing */
	if (cap_lim && est > cap_lim)
		est = cap_lim;
	if (est < 4096)
		est = 4096;
	if (est > SIZE_MAX / 4)
		est = SIZE_MAX / 4;
	return (size_t)est;
}

pk_status pk_inflate_if_gzip(pk_ctx *ctx, const char *name, const uint8_t *in, size_t in_len,
                             uint8_t **out, size_t *out_len, bool *was_gzip)
{
	pk_status st = PK_OK;
	uint64_t max = ctx->max_inflated, next_progress = PROGRESS_STEP;
	/* The buffer never needs more than max + 1 bytes: one more than the cap shows it is hit. */
	uint64_t cap_lim = max && max < (uint64_t)SIZE_MAX / 4 ? max + 1 : 0;
	char what[200];
	z_stream z;
	bool z_live = false;
	size_t cap = 0, n = 0, in_pos = 0;
	uint8_t *buf = NULL;

	*out = NULL;
	*out_len = 0;
	*was_gzip = in_len >= 2 && in[0] == 0x1f && in[1] == 0x8b;
	if (!*was_gzip)
		return PK_OK;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return pk_oom(ctx);
	z_live = true;
	snprintf(what, sizeof what, "reading %s", name);
	cap = estimate(in, in_len, cap_lim);
	if (!(buf = pk_malloc(cap))) {
		st = pk_fail(ctx, PK_ENOMEM, "%s: out of memory inflating gzip (%zu bytes)", name,
		             cap);
		goto done;
	}
	for (;;) {
		/* One member, from in_pos. */
		for (;;) {
			if (n == cap) {
				if (max && n > max)
					break;
				size_t ncap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
				if (cap_lim && ncap > cap_lim)
					ncap = (size_t)cap_lim;
				uint8_t *b = pk_realloc(buf, ncap);
				if (!b) {
					st = pk_fail(ctx, PK_ENOMEM,
					             "%s: out of memory inflating gzip (%zu bytes)",
					             name, ncap);
					goto done;
				}
				buf = b;
				cap = ncap;
			}
			size_t avail_in = in_len - in_pos, avail_out = cap - n;
			z.next_in = (Bytef *)(in + in_pos);
			z.avail_in = avail_in > UINT32_MAX ? UINT32_MAX : (uInt)avail_in;
			z.next_out = buf + n;
			z.avail_out = avail_out > UINT32_MAX ? UINT32_MAX : (uInt)avail_out;
			uInt before_in = z.avail_in, before_out = z.avail_out;
			int r = inflate(&z, Z_NO_FLUSH);
			in_pos += before_in - z.avail_in;
			n += before_out - z.avail_out;
			if (max && n > max)
				break;
			if (in_len >= PROGRESS_MIN && in_pos >= next_progress) {
				pk_progress(ctx, what, in_pos, in_len);
				next_progress = in_pos + PROGRESS_STEP;
			}
			if (r == Z_STREAM_END)
				break;
			if (r == Z_OK)
				continue;
			if (r == Z_BUF_ERROR && z.avail_out == 0)
				continue; /* needs more room */
			if (r == Z_BUF_ERROR && in_pos == in_len) {
				st = pk_fail(ctx, PK_EFORMAT, "%s: gzip stream truncated", name);
				goto done;
			}
			if (r == Z_MEM_ERROR) {
				st = pk_oom(ctx);
				goto done;
			}
			st = pk_fail(ctx, PK_EFORMAT, "%s: gzip: invalid data (%s)", name,
			             z.msg ? z.msg : "corrupt stream");
			goto done;
		}
		if (max && n > max) {
			st = pk_fail(ctx, PK_ELIMIT,
			             "%s: inflated size exceeds the limit of %" PRIu64 " bytes",
			             name, max);
			goto done;
		}
		if (in_pos == in_len)
			break;
		/* Another member must follow, as Go's multistream gzip reader requires. */
		if (in_len - in_pos < 2 || in[in_pos] != 0x1f || in[in_pos + 1] != 0x8b) {
			st =
			    pk_fail(ctx, PK_EFORMAT,
			            "%s: gzip: invalid data (%zu bytes after the last gzip member)",
			            name, in_len - in_pos);
			goto done;
		}
		if (inflateReset(&z) != Z_OK) {
			st =
			    pk_fail(ctx, PK_EFORMAT, "%s: gzip: invalid data (reset failed)", name);
			goto done;
		}
	}
	*out = buf;
	*out_len = n;
	buf = NULL;
done:
	if (z_live)
		inflateEnd(&z);
	pk_free(buf);
	return st;
}

/* Inflates (if gzip) and decodes data; frees data when owned, as early as it can. */
static pk_status parse(pk_ctx *ctx, pk_profile **out, uint8_t *data, size_t len, bool owned,
                       const char *name)
{
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	bool gz = false;
	pk_status st = pk_inflate_if_gzip(ctx, name, data, len, &plain, &plain_len, &gz);
	if (st != PK_OK)
		goto done;
	if (gz && owned) {
		pk_free(data);
		data = NULL;
	}
	const uint8_t *bytes = gz ? plain : data;
	size_t n = gz ? plain_len : len;
	const pk_text_kind *kind = pk_text_kind_of(bytes, n);
	st = kind ? kind->read(ctx, out, bytes, n, name) : pk_decode(ctx, out, bytes, n, name);
done:
	pk_free(plain);
	if (owned)
		pk_free(data);
	return st;
}

PK_API pk_status pk_profile_parse(pk_ctx *ctx, pk_profile **out, const void *data, size_t len,
                                  const char *name)
{
	*out = NULL;
	return parse(ctx, out, (uint8_t *)data, len, false, name ? name : "profile");
}

PK_API pk_status pk_profile_read(pk_ctx *ctx, pk_profile **out, const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	*out = NULL;
	pk_status st = pk_read_input(ctx, path, &data, &len);
	if (st != PK_OK)
		return st;
	return parse(ctx, out, data, len, true, input_name(path));
}
