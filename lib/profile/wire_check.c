/* wire_check.c - a schema walk over profile.proto bytes: whether every field of every message
 * has the wire type pprof's decoder insists on, and if not, the first problem in file order,
 * said in words ("field 10 at byte 17 has wire type 2, want 0"). decode.c runs it before
 * protobuf-c unpacks the non-sample fields (protobuf-c lets some wire types pass that pprof
 * refuses) and, when the input does not decode, to say why it is "not a pprof profile".
 * Mirrors profile/proto.go's decoding rules (decodeField, checkType). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "profile/wire.h"

enum { F_SKIP, F_VARINT, F_PACKED, F_BYTES, F_MSG };
enum { M_PROFILE, M_VALTYPE, M_SAMPLE, M_LABEL, M_MAPPING, M_LOCATION, M_LINE, M_FUNCTION };
typedef struct fieldspec {
	unsigned char kind, msg;
} fieldspec;
#define N_FIELDS (PROFILE_MAX_FIELD + 1)
#define VARINT                                                                                     \
	{                                                                                          \
		F_VARINT, 0                                                                        \
	}
static const fieldspec schema[8][N_FIELDS] = {
    [M_PROFILE] =
        {
            [PROFILE_SAMPLE_TYPE] = {F_MSG, M_VALTYPE},
            [PROFILE_SAMPLE] = {F_MSG, M_SAMPLE},
            [PROFILE_MAPPING] = {F_MSG, M_MAPPING},
            [PROFILE_LOCATION] = {F_MSG, M_LOCATION},
            [PROFILE_FUNCTION] = {F_MSG, M_FUNCTION},
            [PROFILE_STRING_TABLE] = {F_BYTES, 0},
            [PROFILE_DROP_FRAMES] = VARINT,
            [PROFILE_KEEP_FRAMES] = VARINT,
            [PROFILE_TIME_NANOS] = VARINT,
            [PROFILE_DURATION_NANOS] = VARINT,
            [PROFILE_PERIOD_TYPE] = {F_MSG, M_VALTYPE},
            [PROFILE_PERIOD] = VARINT,
            [PROFILE_COMMENT] = {F_PACKED, 0},
            [PROFILE_DEFAULT_SAMPLE_TYPE] = VARINT,
        },
    [M_VALTYPE] = {[VALUETYPE_TYPE] = VARINT, [VALUETYPE_UNIT] = VARINT},
    [M_SAMPLE] =
        {
            [SAMPLE_LOCATION_ID] = {F_PACKED, 0},
            [SAMPLE_VALUE] = {F_PACKED, 0},
            [SAMPLE_LABEL] = {F_MSG, M_LABEL},
        },
    [M_LABEL] = {[LABEL_KEY] = VARINT,
                 [LABEL_STR] = VARINT,
                 [LABEL_NUM] = VARINT,
                 [LABEL_NUM_UNIT] = VARINT},
    [M_MAPPING] = {[MAPPING_ID] = VARINT,
                   [MAPPING_MEMORY_START] = VARINT,
                   [MAPPING_MEMORY_LIMIT] = VARINT,
                   [MAPPING_FILE_OFFSET] = VARINT,
                   [MAPPING_FILENAME] = VARINT,
                   [MAPPING_BUILD_ID] = VARINT,
                   [MAPPING_HAS_FUNCTIONS] = VARINT,
                   [MAPPING_HAS_FILENAMES] = VARINT,
                   [MAPPING_HAS_LINE_NUMBERS] = VARINT,
                   [MAPPING_HAS_INLINE_FRAMES] = VARINT},
    [M_LOCATION] = {[LOCATION_ID] = VARINT,
                    [LOCATION_MAPPING_ID] = VARINT,
                    [LOCATION_ADDRESS] = VARINT,
                    [LOCATION_LINE] = {F_MSG, M_LINE},
                    [LOCATION_IS_FOLDED] = VARINT},
    [M_LINE] = {[LINE_FUNCTION_ID] = VARINT, [LINE_LINE] = VARINT},
    [M_FUNCTION] = {[FUNCTION_ID] = VARINT,
                    [FUNCTION_NAME] = VARINT,
                    [FUNCTION_SYSTEM_NAME] = VARINT,
                    [FUNCTION_FILENAME] = VARINT,
                    [FUNCTION_START_LINE] = VARINT},
};
#undef VARINT

/* 0: ok; 1: runs past end; 2: longer than 10 bytes (wire.h's codes). */
static int read_varint(const uint8_t *p, const uint8_t *end, uint64_t *v, size_t *used)
{
	const uint8_t *q = p;
	int r = pk_wire_varint(&q, end, v);
	*used = (size_t)(q - p);
	return r;
}

/* Walks one message of kind k in data[off, end); on the first problem writes it to err. */
static bool walk(const uint8_t *data, size_t off, size_t end, int k, char *err, size_t errn)
{
	const uint8_t *lim = data + end;
	while (off < end) {
		size_t at = off, n;
		uint64_t tag, v;
		int r = read_varint(data + off, lim, &tag, &n);
		if (r) {
			snprintf(err, errn, "%s field tag at byte %zu",
			         r == 1 ? "truncated" : "bad varint", at);
			return false;
		}
		off += n;
		uint64_t field = tag >> 3;
		unsigned wt = tag & 7;
		if (field == 0) {
			snprintf(err, errn, "field number 0 at byte %zu", at);
			return false;
		}
		fieldspec fs = field < N_FIELDS ? schema[k][field] : (fieldspec){F_SKIP, 0};
		if (wt == 3 || wt == 4 || wt == 6 || wt == 7) {
			snprintf(err, errn, "unknown wire type %u at byte %zu", wt, at);
			return false;
		}
		bool want_len = fs.kind == F_BYTES || fs.kind == F_MSG;
		if ((want_len && wt != 2) || (fs.kind == F_VARINT && wt != 0) ||
		    (fs.kind == F_PACKED && wt != 0 && wt != 2)) {
			snprintf(err, errn,
			         "field %" PRIu64 " at byte %zu has wire type %u, want %u", field,
			         at, wt, want_len ? 2u : 0u);
			return false;
		}
		if (wt == 0) {
			r = read_varint(data + off, lim, &v, &n);
			if (r) {
				snprintf(err, errn, "%s in field %" PRIu64 " at byte %zu",
				         r == 1 ? "truncated varint" : "bad varint", field, at);
				return false;
			}
			off += n;
		} else if (wt == 1 || wt == 5) {
			size_t w = wt == 1 ? 8 : 4;
			if (end - off < w) {
				snprintf(err, errn, "truncated field %" PRIu64 " at byte %zu",
				         field, at);
				return false;
			}
			off += w;
		} else {
			r = read_varint(data + off, lim, &v, &n);
			if (r) {
				snprintf(err, errn, "%s length of field %" PRIu64 " at byte %zu",
				         r == 1 ? "truncated" : "bad varint", field, at);
				return false;
			}
			off += n;
			if (v > end - off) {
				snprintf(err, errn,
				         "truncated: field %" PRIu64 " at byte %zu is %" PRIu64
				         " bytes long, %zu remain",
				         field, at, v, end - off);
				return false;
			}
			if (fs.kind == F_MSG && !walk(data, off, off + v, fs.msg, err, errn))
				return false;
			if (fs.kind == F_PACKED) {
				for (size_t q = off; q < off + v; q += n) {
					r = read_varint(data + q, data + off + v, &tag, &n);
					if (r) {
						snprintf(err, errn,
						         "bad varint in packed field %" PRIu64
						         " at byte %zu",
						         field, q);
						return false;
					}
				}
			}
			off += v;
		}
	}
	return true;
}

bool pk_wire_looks_like_text(const uint8_t *d, size_t len)
{
	size_t n = len < 256 ? len : 256;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = d[i];
		if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f)))
			return false;
	}
	return n > 0;
}

pk_status pk_wire_not_a_profile(pk_ctx *ctx, const char *name, const uint8_t *data, size_t len)
{
	char why[160] = "malformed protobuf";
	if (pk_wire_looks_like_text(data, len))
		return pk_fail(ctx, PK_EFORMAT,
		               "%s: not a pprof profile (it looks like text; legacy text profiles "
		               "are not supported)",
		               name);
	if (!walk(data, 0, len, M_PROFILE, why, sizeof why))
		return pk_fail(ctx, PK_EFORMAT, "%s: not a pprof profile (protobuf: %s)", name,
		               why);
	return pk_fail(ctx, PK_EFORMAT, "%s: not a pprof profile (%s)", name, why);
}

bool pk_wire_check(const uint8_t *data, size_t len, char *why, size_t whyn)
{
	return walk(data, 0, len, M_PROFILE, why, whyn);
}
