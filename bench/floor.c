/* floor.c - the cost floor `make bench` compares pprofkit with, measured on the same file.
 *
 *   floor inflate FILE   read the file and inflate it (zlib, gzip members) into one buffer
 *   floor unpack FILE    the same, then perftools__profiles__profile__unpack (protobuf-c, with a
 *                        bump allocator, as lib/decode.c uses an arena) and one pass over the
 *                        samples summing their first value
 *   floor unpack-malloc FILE   the same with protobuf-c's default (malloc) allocator
 *
 * Any pprof reader has to do at least this much: no report can be produced without reading
 * every byte and every sample. It prints what it computed, so the work cannot be optimised
 * away, and never frees (process exit does). Plain input (not gzip) is used as it is.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "profile.pb-c.h"

static void die(const char *msg)
{
	fprintf(stderr, "floor: %s\n", msg);
	exit(1);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st))
		die("cannot open input");
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n)
		die("cannot read input");
	fclose(f);
	*len = n;
	return buf;
}

static uint8_t *inflate_all(uint8_t *in, size_t in_len, size_t *out_len)
{
	if (in_len < 18 || in[0] != 0x1f || in[1] != 0x8b) {
		*out_len = in_len;
		return in;
	}
	/* ISIZE (the last member's size mod 2^32) is a good first guess for one member. */
	size_t cap = (size_t)in[in_len - 4] | (size_t)in[in_len - 3] << 8 |
	             (size_t)in[in_len - 2] << 16 | (size_t)in[in_len - 1] << 24;
	cap = cap < in_len ? in_len * 4 : cap + 1;
	uint8_t *out = malloc(cap);
	if (!out)
		die("out of memory");
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		die("inflateInit2");
	size_t n = 0, pos = 0;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			if (!(out = realloc(out, cap)))
				die("out of memory");
		}
		size_t ai = in_len - pos > UINT32_MAX ? UINT32_MAX : in_len - pos;
		size_t ao = cap - n > UINT32_MAX ? UINT32_MAX : cap - n;
		z.next_in = in + pos, z.avail_in = (uInt)ai;
		z.next_out = out + n, z.avail_out = (uInt)ao;
		int rc = inflate(&z, Z_NO_FLUSH);
		pos += ai - z.avail_in;
		n += ao - z.avail_out;
		if (rc == Z_STREAM_END) {
			if (pos == in_len)
				break;
			inflateReset(&z); /* another gzip member */
		} else if (rc != Z_OK && rc != Z_BUF_ERROR)
			die("bad gzip stream");
		else if (rc == Z_BUF_ERROR && pos == in_len && z.avail_out)
			die("truncated gzip stream");
	}
	inflateEnd(&z);
	free(in);
	*out_len = n;
	return out;
}

/* A bump allocator: chunks of 64 MiB, free is a no-op. */
struct bump {
	uint8_t *p;
	size_t left;
};

static void *bump_alloc(void *data, size_t size)
{
	struct bump *b = data;
	size = (size + 15) & ~(size_t)15;
	if (size > b->left) {
		size_t chunk = size > ((size_t)64 << 20) ? size : (size_t)64 << 20;
		if (!(b->p = malloc(chunk)))
			return NULL;
		b->left = chunk;
	}
	void *r = b->p;
	b->p += size;
	b->left -= size;
	return r;
}

static void bump_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: floor inflate|unpack|unpack-malloc FILE");
	size_t len, n;
	uint8_t *raw = read_file(argv[2], &len);
	uint8_t *buf = inflate_all(raw, len, &n);
	if (!strcmp(argv[1], "inflate")) {
		uint64_t x = 0;
		for (size_t i = 0; i < n; i += 4096)
			x += buf[i];
		printf("%zu bytes (%" PRIu64 ")\n", n, x);
		return 0;
	}
	struct bump b = {0};
	ProtobufCAllocator alloc = {bump_alloc, bump_free, &b};
	Perftools__Profiles__Profile *p = perftools__profiles__profile__unpack(
	    strcmp(argv[1], "unpack-malloc") ? &alloc : NULL, n, buf);
	if (!p)
		die("protobuf-c could not unpack the profile");
	int64_t sum = 0;
	size_t frames = 0;
	for (size_t i = 0; i < p->n_sample; i++) {
		const Perftools__Profiles__Sample *s = p->sample[i];
		if (s->n_value)
			sum += s->value[0];
		frames += s->n_location_id;
	}
	printf("%zu bytes, %zu samples, %zu frames, %zu locations, sum %" PRId64 "\n", n,
	       p->n_sample, frames, p->n_location, sum);
	return 0;
}
