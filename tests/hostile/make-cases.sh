#!/bin/sh
# make-cases.sh - writes the malformed inputs of tests/hostile/ and the list tests/hostile/cases
# (FILE<TAB>substring of the expected message; every case must exit 1 with
# "pprofkit: tests/hostile/FILE: ..."). The files are committed; rerun this after changing it.
# Each input is built here from scratch (a small protobuf writer), so nothing depends on
# testdata/. Usage: tests/hostile/make-cases.sh   (from anywhere)
set -eu
cd "$(dirname "$0")"
exec /usr/bin/python3 - <<'PY'
import gzip, os, random, struct, zlib

def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def tag(field, wt):
    return varint(field << 3 | wt)

def num(field, v):           # varint field, written even when zero
    return tag(field, 0) + varint(v)

def ld(field, body):          # length-delimited field
    return tag(field, 2) + varint(len(body)) + body

def packed(field, vals):
    return ld(field, b"".join(varint(v) for v in vals))

def valtype(t, u):
    return num(1, t) + num(2, u)

def label(key, s=0, n=0, unit=0):
    return num(1, key) + num(2, s) + num(3, n) + num(4, unit)

def sample(locs, vals, labels=()):
    return packed(1, locs) + packed(2, vals) + b"".join(ld(3, l) for l in labels)

def mapping(id, file=0):
    return num(1, id) + num(2, 0x400000) + num(3, 0x500000) + num(5, file)

def location(id, mapping_id, lines):
    return num(1, id) + num(2, mapping_id) + num(3, 0x401000 + id) + \
        b"".join(ld(4, num(1, f) + num(2, ln)) for f, ln in lines)

def function(id, name, file):
    return num(1, id) + num(2, name) + num(3, name) + num(4, file)

STRINGS = [b"", b"samples", b"count", b"cpu", b"nanoseconds", b"main.main", b"main.go",
           b"main.work", b"/bin/app", b"thread", b"worker"]

def profile(strings=STRINGS, types=((1, 2), (3, 4)), samples=None, mappings=None,
            locations=None, functions=None, tail=b""):
    if samples is None:
        samples = [sample([2, 1], [1, 10000000], [label(9, s=10)]), sample([1], [2, 20000000])]
    if mappings is None:
        mappings = [mapping(1, 8)]
    if locations is None:
        locations = [location(1, 1, [(1, 3)]), location(2, 1, [(2, 7)])]
    if functions is None:
        functions = [function(1, 5, 6), function(2, 7, 6)]
    out = b"".join(ld(1, valtype(*t)) for t in types)
    out += b"".join(ld(2, s) for s in samples)
    out += b"".join(ld(3, m) for m in mappings)
    out += b"".join(ld(4, l) for l in locations)
    out += b"".join(ld(5, f) for f in functions)
    out += b"".join(ld(6, s) for s in strings)
    out += num(9, 1700000000000000000) + num(12, 10000000) + tail
    return out

def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)

good = profile()
good_gz = gz(good)
cases = []

def case(name, data, expect):
    with open(name, "wb") as f:
        f.write(data)
    cases.append((name, expect))

# Reading and gzip.
case("empty.pb", b"", "empty input file")
case("empty.pb.gz", gz(b""), "empty input file")
case("gzip-header-only.pb.gz", good_gz[:5], "gzip stream truncated")
case("gzip-truncated.pb.gz", good_gz[:len(good_gz) // 2], "gzip stream truncated")
case("gzip-no-trailer.pb.gz", good_gz[:-8], "gzip stream truncated")
bad = bytearray(good_gz); bad[12] ^= 0xff; bad[13] ^= 0x55
case("gzip-corrupt.pb.gz", bytes(bad), "gzip: invalid data")
bad = bytearray(good_gz); bad[-8] ^= 1
case("gzip-bad-crc.pb.gz", bytes(bad), "gzip: invalid data (incorrect data check)")
bad = bytearray(good_gz); bad[2] = 9
case("gzip-bad-method.pb.gz", bytes(bad), "gzip: invalid data (unknown compression method)")
case("gzip-trailing-garbage.pb.gz", good_gz + b"\0\0\0\0", "bytes after the last gzip member")
half = len(good) // 2
case("gzip-second-member-truncated.pb.gz", gz(good[:half]) + gz(good[half:])[:20],
     "gzip stream truncated")
case("gzip-zeros-16M.pb.gz", gz(bytes(16 << 20)), "not a pprof profile (protobuf: field number 0")

# Not a protobuf profile at all.
case("text-heap.txt", b"heap profile: 1: 2048 [3: 4096] @ heap/1048576\n1: 2048 [3: 4096] @ 0x1 0x2\n",
     "not a pprof profile (it looks like text")
rng = random.Random(1)
case("random.bin", bytes([0x87]) + bytes(rng.randrange(256) for _ in range(4096)),
     "not a pprof profile")
case("no-string-table.pb", ld(1, valtype(0, 0)), "not a pprof profile (no string table)")

# Wire format.
case("truncated.pb", good[:len(good) - 40], "not a pprof profile (protobuf: truncated")
case("bad-varint.pb", tag(9, 0) + b"\xff" * 11, "bad varint")
case("varint-at-end.pb", good + tag(9, 0) + b"\xff", "truncated varint")
case("wire-type-7.pb", good + bytes([15 << 3 | 7]), "unknown wire type 7")
case("wire-type-group.pb", good + bytes([15 << 3 | 3]) + bytes([15 << 3 | 4]), "unknown wire type 3")
case("field-zero.pb", good + b"\x00\x00", "field number 0")
case("wrong-wire-type.pb", good + ld(10, b"ab"), "field 10 at byte")
case("huge-length.pb", good + tag(2, 2) + varint(1 << 62), "is 4611686018427387904 bytes long")
case("nested-truncated.pb", ld(2, tag(1, 2) + varint(50) + b"\x01"), "truncated")
case("concatenated.pb", good + good, "concatenated profiles detected")

# String table.
case("string0-not-empty.pb", profile(strings=[b"x"] + STRINGS[1:]), "string_table[0] must be ''")
case("string-index-range.pb", profile(functions=[function(1, 99, 6), function(2, 7, 6)]),
     "function 1: name: string index 99 out of range")
case("string-index-negative.pb",
     profile(samples=[sample([1], [1, 2], [label(-1, s=10)])]),
     "sample[0]: label key: string index -1 out of range")
case("string-index-unit.pb",
     profile(samples=[sample([1], [1, 2], [label(9, n=5, unit=1000)])]),
     "sample[0]: label num_unit: string index 1000 out of range")
case("string-index-comment.pb", profile(tail=packed(13, [1, 2, 50])),
     "comment[2]: string index 50 out of range")
case("string-index-period-type.pb", profile(tail=ld(11, valtype(3, 77))),
     "period_type: unit: string index 77 out of range")
case("string-index-mapping.pb", profile(mappings=[mapping(1, 12)]),
     "mapping 1: filename: string index 12 out of range")

# Ids and references (CheckValid).
case("sample-unknown-location.pb", profile(samples=[sample([1, 99], [1, 2])]),
     "sample[0] refers to unknown location id 99")
case("sample-location-zero.pb", profile(samples=[sample([0], [1, 2])]),
     "sample[0] refers to unknown location id 0")
case("line-unknown-function.pb", profile(locations=[location(1, 1, [(1, 3)]), location(2, 1, [(99, 7)])]),
     "location 2 refers to unknown function id 99")
case("line-function-zero.pb", profile(locations=[location(1, 1, [(0, 3)]), location(2, 1, [(2, 7)])]),
     "location 1 has a line with no function")
case("mapping-id-zero.pb", profile(mappings=[mapping(0, 8)]), "found mapping with reserved ID=0")
case("function-id-zero.pb", profile(functions=[function(1, 5, 6), function(2, 7, 6), function(0, 7, 6)]),
     "found function with reserved ID=0")
case("location-id-zero.pb",
     profile(locations=[location(1, 1, [(1, 3)]), location(2, 1, [(2, 7)]), location(0, 1, [])]),
     "found location with reserved id=0")
case("mapping-dup-id.pb", profile(mappings=[mapping(1, 8), mapping(1, 8)]),
     "multiple mappings with same id: 1")
case("function-dup-id.pb", profile(functions=[function(1, 5, 6), function(2, 7, 6), function(2, 7, 6)]),
     "multiple functions with same id: 2")
case("location-dup-id-sparse.pb",
     profile(locations=[location(1, 1, [(1, 3)]), location(2, 1, [(2, 7)]),
                        location(1 << 40, 1, []), location(1 << 40, 1, [])]),
     "multiple locations with same id: 1099511627776")
case("value-count-mismatch.pb", profile(samples=[sample([1], [1, 2]), sample([1], [3])]),
     "mismatch: sample[1] has 1 values vs. 2 types")
case("no-sample-types.pb", profile(types=()), "missing sample type information")

with open("cases", "w") as f:
    f.write("# FILE<TAB>substring of the message: `pprofkit top tests/hostile/FILE` exits 1 and\n")
    f.write("# prints \"pprofkit: tests/hostile/FILE: ...\" with it. Written by make-cases.sh.\n")
    for name, expect in cases:
        f.write("%s\t%s\n" % (name, expect))
print("wrote %d cases" % len(cases))
PY
