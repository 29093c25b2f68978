#!/bin/sh
# make-seeds.sh DIR - writes first seed inputs for every fuzz target into DIR/seeds-TARGET/:
# the testdata profiles (inflated, and as they are), the malformed files of tests/hostile,
# report headers over small profiles, pairs of profiles for merge, tag filter, unit and regex
# strings. The committed corpora (tests/fuzz/corpus-*) are these seeds plus what fuzzing found,
# minimised with -merge=1 (tests/fuzz/run --minimize); this script is how they started.
# Usage: tests/fuzz/make-seeds.sh build/fuzz   (then seed with build/fuzz/seeds-*)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make-seeds.sh DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
exec /usr/bin/python3 - "$out" <<'PY'
import glob, gzip, os, random, sys

out = sys.argv[1]
rng = random.Random(7)

def write(target, name, data):
    d = os.path.join(out, "seeds-" + target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def inflate(data):
    if data[:2] == b"\x1f\x8b":
        import zlib
        res, rest = b"", data
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            res += d.decompress(rest)
            rest = d.unused_data
        return res
    return data

profiles = {}
for path in sorted(glob.glob("testdata/profiles/*")):
    name = os.path.basename(path)
    raw = open(path, "rb").read()
    profiles[name] = inflate(raw)
    write("decode", name + ".raw", profiles[name])
    if raw != profiles[name]:
        write("decode", name, raw)
hostile = {}
for path in sorted(glob.glob("tests/hostile/*")):
    name = os.path.basename(path)
    if name in ("cases", "cases-ok", "run", "make-cases.sh") or os.path.isdir(path):
        continue
    data = open(path, "rb").read()
    if len(data) > 65536:
        continue
    hostile[name] = data
    write("decode", "hostile-" + name, data)

# report: 16 header bytes, then a profile. Small profiles, every format, assorted flags.
small = [n for n in profiles if len(profiles[n]) <= 12000]
for fmt in range(11):
    for k, name in enumerate(small):
        hdr = bytearray(rng.randrange(256) for _ in range(16))
        hdr[0] = fmt
        if k % 2 == 0:     # pprof's defaults: no flags, merged, the whole profile
            for i in range(1, 9):
                hdr[i] = 0
        write("report", "fmt%d-%s" % (fmt, name), bytes(hdr) + profiles[name])
for name in hostile:
    if name.endswith(".pb"):
        write("report", "hostile-" + name, bytes(16) + hostile[name])

# merge: mode, 2-byte length of the first, first, second.
pairs = [("leak.heap.0.pb.gz", "leak.heap.1.pb.gz"), ("leak.heap.1.pb.gz", "leak.heap.2.pb.gz"),
         ("cpp.pb.gz", "java.pb.gz"), ("block.pb.gz", "mutex.pb.gz"), ("dup.pb.gz", "dup.pb.gz"),
         ("raw.pb", "raw.pb"), ("twomember.pb.gz", "leak.heap.0.pb.gz"), ("cpu.pb.gz", "cpp.pb.gz"),
         ("leak.goroutine.pb.gz", "leak.goroutine.pb.gz"), ("mutex.pb.gz", "cpu.pb.gz")]
for i, (a, b) in enumerate(pairs):
    pa, pb = profiles[a], profiles[b]
    if len(pa) > 65535:
        continue
    for mode in (0, 2, 6, 0x41, 0x93):
        write("merge", "%s+%s.%02x" % (a, b, mode),
              bytes([mode, len(pa) & 0xff, len(pa) >> 8]) + pa + pb)

# tagfilter: a byte choosing profile and report, then (field byte, value, '\n') items.
def tf(name, sel, *items):
    data = bytes([sel])
    for which, value in items:
        data += bytes([which]) + value + b"\n"
    write("tagfilter", name, data)
tf("tagfocus-worker", 2 << 3, (0, b"worker=a"))
tf("tagfocus-range", 0, (0, b"bytes=1kb:64kb"))
tf("tagfocus-open", 1 << 3, (0, b"32mb:"))
tf("tagfocus-upto", 1 << 3 | 1, (0, b":64"))
tf("tagignore-list", 2 << 3 | 2, (2, b"phase=text,hash"))
tf("tagfocus-regex", 0, (0, b"thread=.*"), (2, b"codec=gz"))
tf("tagfocus-units", 0, (0, b"request_id=5:10"), (4, b"auto"))
tf("unit-ms", 2 << 3, (4, b"ms"))
tf("unit-kb", 1 << 3, (4, b"kb"))
tf("unit-bad", 0, (4, b"furlongs"))
tf("tagshow", 2 << 3 | 1, (6, b"pool|worker"))
tf("taghide", 0 | 1, (7, b"thread"))
tf("tagroot", 2 << 3, (8, b"worker,phase"))
tf("tagleaf", 0, (9, b"thread,bytes"))
tf("focus", 2 << 3, (10, b"sortx"), (11, b"runtime"))
tf("hide-show", 2 << 3 | 2, (12, b"runtime"), (13 | 16, b"main"))
tf("show-from", 2 << 3 | 3, (13, b"main\\."), (14, b"Fib"))
tf("sample-index", 1 << 3, (15, b"alloc_space"))
tf("peek", 4, (15 | 16, b"Put|Record"))
tf("bad-tag", 0, (0, b"bad=("), (2, b"=:"))

# regex: pattern, '\n', subject.
regexes = [b"Server", b"sortx", b"runtime", b"main", b"^main$", b"main\\.", b"Cache..Put",
           b"Fib|Ackermann", b"Put(", b"^$", b"cache\\.", b"phaseHash|FNV1a", b"(?i)put",
           b"[[:alpha:]]+", b"\\pL\\p{Greek}\\PN", b"a{2,5}?", b"(?s:.)", b"(?m)^x$", b"[^\\x00-\\x7f]",
           b"\\Qa.b\\E", b"(?P<name>x)", b"x**", b"\\8", b"[a-", b"(?U)a+", b"\\z\\A\\b\\B",
           b"[\\d\\s\\w\\D\\S\\W]", b"a{1001}", b"((((((((((a))))))))))", b"\\x{10FFFF}", b"\xff"]
subjects = [b"example.com/leak/internal/cache.(*Cache).Put", b"runtime.mallocgc", b"main.main",
            b"\xff\xfe invalid", b"sortx.(*Stack[...]).Push", b""]
for i, r in enumerate(regexes):
    write("regex", "re%02d" % i, r + b"\n" + subjects[i % len(subjects)])
print("seeds written to", out)
PY
