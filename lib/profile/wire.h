/* profile/wire.h - private to profile/: profile.proto's field numbers by name, and the wire
 * primitives that the sample decoder (decode.c), the schema walk (wire_check.c) and the encoder
 * (encode.c) share. The numbers are those of proto/profile.proto (pprof's profile.proto).
 */
#ifndef PK_WIRE_H
#define PK_WIRE_H

#include "profile/profile.h"

enum pk_wire_type { PK_WT_VARINT = 0, PK_WT_I64 = 1, PK_WT_LEN = 2, PK_WT_I32 = 5 };

/* Profile */
enum {
	PROFILE_SAMPLE_TYPE = 1,
	PROFILE_SAMPLE = 2,
	PROFILE_MAPPING = 3,
	PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5,
	PROFILE_STRING_TABLE = 6,
	PROFILE_DROP_FRAMES = 7,
	PROFILE_KEEP_FRAMES = 8,
	PROFILE_TIME_NANOS = 9,
	PROFILE_DURATION_NANOS = 10,
	PROFILE_PERIOD_TYPE = 11,
	PROFILE_PERIOD = 12,
	PROFILE_COMMENT = 13,
	PROFILE_DEFAULT_SAMPLE_TYPE = 14,
	PROFILE_MAX_FIELD = 14
};
/* ValueType */
enum { VALUETYPE_TYPE = 1, VALUETYPE_UNIT = 2, VALUETYPE_MAX_FIELD = 2 };
/* Sample */
enum { SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3, SAMPLE_MAX_FIELD = 3 };
/* Label */
enum { LABEL_KEY = 1, LABEL_STR = 2, LABEL_NUM = 3, LABEL_NUM_UNIT = 4, LABEL_MAX_FIELD = 4 };
/* Mapping */
enum {
	MAPPING_ID = 1,
	MAPPING_MEMORY_START = 2,
	MAPPING_MEMORY_LIMIT = 3,
	MAPPING_FILE_OFFSET = 4,
	MAPPING_FILENAME = 5,
	MAPPING_BUILD_ID = 6,
	MAPPING_HAS_FUNCTIONS = 7,
	MAPPING_HAS_FILENAMES = 8,
	MAPPING_HAS_LINE_NUMBERS = 9,
	MAPPING_HAS_INLINE_FRAMES = 10,
	MAPPING_MAX_FIELD = 10
};
/* Location */
enum {
	LOCATION_ID = 1,
	LOCATION_MAPPING_ID = 2,
	LOCATION_ADDRESS = 3,
	LOCATION_LINE = 4,
	LOCATION_IS_FOLDED = 5,
	LOCATION_MAX_FIELD = 5
};
/* Line */
enum { LINE_FUNCTION_ID = 1, LINE_LINE = 2, LINE_MAX_FIELD = 2 };
/* Function */
enum {
	FUNCTION_ID = 1,
	FUNCTION_NAME = 2,
	FUNCTION_SYSTEM_NAME = 3,
	FUNCTION_FILENAME = 4,
	FUNCTION_START_LINE = 5,
	FUNCTION_MAX_FIELD = 5
};

/* Result of reading a varint. */
enum { PK_WIRE_OK = 0, PK_WIRE_TRUNCATED = 1, PK_WIRE_TOO_LONG = 2 };

/* Reads the varint at *pp (not past end) into *v and moves *pp past it. PK_WIRE_TRUNCATED when
 * it runs past end, PK_WIRE_TOO_LONG when it has more than 10 bytes (*pp unchanged then). */
static inline __attribute__((always_inline)) int pk_wire_varint(const uint8_t **pp,
                                                                const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	if (p < end && *p < 0x80) { /* the common one-byte case */
		*v = *p;
		*pp = p + 1;
		return PK_WIRE_OK;
	}
	uint64_t x = 0;
	for (unsigned i = 0; i < 10; i++, p++) {
		if (p >= end)
			return PK_WIRE_TRUNCATED;
		x |= (uint64_t)(*p & 0x7f) << (7 * i);
		if (*p < 0x80) {
			*v = x;
			*pp = p + 1;
			return PK_WIRE_OK;
		}
	}
	return PK_WIRE_TOO_LONG;
}

/* One field: its number, wire type, and value (a varint) or payload (length-delimited). */
typedef struct pk_wire_field {
	uint64_t num, v;
	unsigned wt;
	const uint8_t *p; /* p[0, n): the payload of a length-delimited field */
	size_t n;
} pk_wire_field;

/* Reads the field at *pp and moves past it; false on any wire error (field number 0, an
 * unknown wire type, a bad varint, a length past end). */
static inline __attribute__((always_inline)) bool
pk_wire_field_next(const uint8_t **pp, const uint8_t *end, pk_wire_field *f)
{
	uint64_t tag, n;
	f->v = 0;
	f->p = NULL;
	f->n = 0;
	if (pk_wire_varint(pp, end, &tag) != PK_WIRE_OK)
		return false;
	f->num = tag >> 3;
	f->wt = tag & 7;
	if (f->num == 0)
		return false;
	switch (f->wt) {
	case PK_WT_VARINT:
		return pk_wire_varint(pp, end, &f->v) == PK_WIRE_OK;
	case PK_WT_I64:
	case PK_WT_I32:
		n = f->wt == PK_WT_I64 ? 8 : 4;
		break;
	case PK_WT_LEN:
		if (pk_wire_varint(pp, end, &n) != PK_WIRE_OK || n > (uint64_t)(end - *pp))
			return false;
		f->p = *pp;
		f->n = (size_t)n;
		break;
	default:
		return false;
	}
	if (n > (uint64_t)(end - *pp))
		return false;
	*pp += n;
	return true;
}

/* Writes v as a varint at p (10 bytes of room); returns its length. */
static inline size_t pk_wire_put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

#endif
