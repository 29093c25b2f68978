/* gen-profile.c - a deterministic generator of large, realistic pprof profiles for `make bench`.
 *
 * It invents one Go program (packages, types, methods, closures, generics, inlinable helpers,
 * a few C libraries reached through cgo) shaped as a layered call graph, and writes a profile
 * of it: a Go heap profile (alloc_objects, alloc_space, inuse_objects, inuse_space, a `bytes`
 * numeric label on every sample, Go's heap-sample scaling) or a CPU profile (samples, cpu).
 * Stacks are random walks from a few goroutine roots with skewed choices, so they share long
 * prefixes; depths run 10-60 frames, some call sites and allocation sites carry inlined
 * frames, some functions recurse, and samples under some roots carry string labels.
 *
 * The protobuf is written by hand, streamed into gzip, in the order Go's runtime/pprof writes
 * it (runtime/pprof/proto.go): a location and the functions it introduces are emitted just
 * before the first sample that uses them, strings are interned as first used, the string table
 * comes last, repeated numbers of more than two elements are packed. Memory therefore stays at
 * the size of the program model (tens of MB) whatever the profile size.
 *
 * Determinism: the program depends on --seed and --size-mb only; sample i depends on --seed,
 * --kind and i only, except for its values, which also depend on --snapshot. Snapshot K of a
 * program is the same call tree with growing and shrinking sites; its size target is
 * 2% larger per step, so later snapshots also add allocation sites (new buckets).
 *
 * Usage: gen-profile [--kind heap|cpu] [--size-mb N] [--snapshot K] [--seed S] [--level L]
 *                    -o FILE
 * N is the uncompressed size in MiB (default 30); FILE is gzipped at level L (default 6, as
 * Go's compress/gzip), "-" is standard output. A summary goes to standard error.
 * Builds with: cc -std=c11 -O2 gen-profile.c -lz -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define LAYERS 64
#define MAX_FRAMES 64
#define MAX_LOCS 72

/* ---------------------------------------------------------------- utilities */

static void die(const char *msg)
{
	fprintf(stderr, "gen-profile: %s\n", msg);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

/* splitmix64: tiny, fast, and good enough; every stream is seeded from (seed, purpose, index). */
typedef struct {
	uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static rng rseed(uint64_t a, uint64_t b, uint64_t c)
{
	rng r = {a * 0x2545f4914f6cdd1dULL ^ b * 0x9e3779b97f4a7c15ULL ^ c * 0xd6e8feb86659fd93ULL};
	rnext(&r);
	return r;
}

static double runif(rng *r)
{
	return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0);
}
static uint32_t rbelow(rng *r, uint32_t n)
{
	return n ? (uint32_t)(runif(r) * n) : 0;
}
/* Index in [0,n) skewed towards 0: hot call sites, hot callees, hot roots. */
static uint32_t rskew(rng *r, uint32_t n, double power)
{
	uint32_t i = (uint32_t)(pow(runif(r), power) * n);
	return i < n ? i : n - 1;
}
#define PICK(r, arr) (arr[rbelow((r), sizeof(arr) / sizeof(arr[0]))])

/* ---------------------------------------------------------------- the program model */

typedef struct {
	const char *path; /* import path */
	const char *dir;  /* file directory as it appears in file names */
	int tier;         /* 0 app, 1 vendor, 2 stdlib, 3 C library */
	uint32_t *files;  /* indices into files[] */
	int nfiles;
	const char **types;
	int ntypes;
} package;

typedef struct {
	char *path;
	uint32_t sid; /* string id + 1, 0 until interned */
} srcfile;

typedef struct {
	char *name;
	uint32_t file;
	int64_t start_line;
	int layer; /* -1: inline helper or C function */
	uint32_t mapping;
	uint64_t addr;
	uint32_t site0, nsites; /* call sites: sites[site0 .. site0+nsites) */
	uint32_t leaf0, nleaf;  /* leaf locations: locs[leaf0 .. leaf0+nleaf) */
	uint32_t id;            /* function id once emitted */
	uint32_t name_sid;      /* string id + 1 */
	int clib;               /* for Go functions calling into C: which library (1..3) */
} function;

typedef struct {
	uint64_t addr;
	uint32_t mapping;
	uint8_t nlines;
	uint32_t fn[3]; /* fn[0] innermost (inlined), fn[nlines-1] the physical function */
	int64_t line[3];
	uint32_t id; /* location id once emitted */
} location;

typedef struct {
	uint32_t callee;
	uint32_t loc;
} callsite;

typedef struct {
	const char *file;
	uint64_t start, limit, offset;
	const char *build_id;
	bool funcs, files, lines, inl;
} mappingdef;

typedef struct {
	function *fn;
	uint32_t nfn, capfn;
	location *loc;
	uint32_t nloc, caploc;
	callsite *site;
	uint32_t nsite, capsite;
	srcfile *files;
	uint32_t nfiles, capfiles;
	package *pkgs;
	uint32_t npkgs;
	uint32_t *layer[LAYERS]; /* function indices per layer */
	uint32_t nlayer[LAYERS];
	uint32_t *helpers; /* inlinable helpers */
	uint32_t nhelpers;
	uint32_t *cfn[4]; /* C functions per library (1..3) */
	uint32_t ncfn[4];
	uint32_t cgocall_loc;
	mappingdef maps[5];
	int nmaps;
	char build_id[41];
} program;

static const char *const app_words[] = {
    "store",   "index",    "query",    "planner",   "rpc",    "auth",     "cache",     "replica",
    "wal",     "compact",  "ingest",   "schema",    "shard",  "txn",      "metrics",   "sched",
    "gc",      "snapshot", "codec",    "router",    "lease",  "raftlog",  "catalog",   "exec",
    "stats",   "backup",   "restore",  "quota",     "tenant", "billing",  "audit",     "gateway",
    "session", "tracing",  "config",   "admin",     "rebal",  "split",    "merge",     "blob",
    "chunk",   "manifest", "memtable", "sstable",   "bloom",  "encoding", "ratelimit", "pubsub",
    "notify",  "watch",    "health",   "discovery", "kv",     "columnar", "vector",    "geo"};
static const char *const sub_words[] = {"v1",     "v2",     "internal", "util",   "core",  "impl",
                                        "server", "client", "proto",    "engine", "format"};
static const char *const vendor_pkgs[] = {
    "google.golang.org/grpc",
    "google.golang.org/grpc/internal/transport",
    "google.golang.org/protobuf/internal/impl",
    "google.golang.org/protobuf/proto",
    "google.golang.org/protobuf/encoding/protowire",
    "github.com/prometheus/client_golang/prometheus",
    "go.uber.org/zap",
    "go.uber.org/zap/zapcore",
    "github.com/golang/snappy",
    "github.com/klauspost/compress/zstd",
    "go.etcd.io/bbolt",
    "go.etcd.io/etcd/raft/v3",
    "github.com/gogo/protobuf/proto",
    "k8s.io/apimachinery/pkg/runtime",
    "github.com/json-iterator/go",
    "github.com/hashicorp/go-msgpack/codec",
    "github.com/cockroachdb/pebble",
    "github.com/cockroachdb/pebble/internal/manifest",
    "github.com/cockroachdb/pebble/sstable",
    "github.com/dgraph-io/ristretto",
    "golang.org/x/net/http2",
    "golang.org/x/net/http2/hpack",
    "github.com/valyala/fasthttp",
    "go.opentelemetry.io/otel/sdk/trace",
};
static const char *const vendor_versions[] = {
    "v1.56.2", "v1.31.0", "v1.16.0", "v1.24.0", "v0.0.0-20230307190834-24139beb5833", "v3.5.9"};
static const char *const std_pkgs[] = {"runtime",
                                       "sync",
                                       "sync/atomic",
                                       "reflect",
                                       "encoding/json",
                                       "encoding/binary",
                                       "net/http",
                                       "net",
                                       "bufio",
                                       "bytes",
                                       "strings",
                                       "strconv",
                                       "fmt",
                                       "io",
                                       "os",
                                       "sort",
                                       "time",
                                       "context",
                                       "compress/gzip",
                                       "compress/flate",
                                       "crypto/tls",
                                       "crypto/sha256",
                                       "crypto/aes",
                                       "math/big",
                                       "regexp",
                                       "regexp/syntax",
                                       "hash/crc32",
                                       "container/heap",
                                       "database/sql",
                                       "internal/poll",
                                       "syscall",
                                       "unicode/utf8",
                                       "text/template",
                                       "mime/multipart",
                                       "log",
                                       "encoding/base64",
                                       "crypto/internal/bigmod",
                                       "net/textproto",
                                       "path/filepath",
                                       "errors"};
static const char *const type_words[] = {
    "Server",    "Client",   "Store",     "Index",    "Batch",    "Iterator",  "Reader",
    "Writer",    "Encoder",  "Decoder",   "Cache",    "Pool",     "Conn",      "Stream",
    "Handler",   "Manager",  "Tree",      "Node",     "Table",    "Segment",   "Builder",
    "Buffer",    "Queue",    "Scheduler", "Txn",      "Snapshot", "Tracker",   "Registry",
    "Codec",     "Shard",    "Replica",   "Planner",  "Executor", "Cursor",    "Filter",
    "Compactor", "Memtable", "Manifest",  "Watcher",  "Lease",    "Session",   "Router",
    "Listener",  "Frame",    "Header",    "Record",   "Entry",    "Block",     "Page",
    "Level",     "Version",  "Options",   "Metrics",  "Counter",  "Histogram", "Span",
    "Tracer",    "Limiter",  "Breaker",   "Resolver", "Balancer", "Picker",    "Visitor",
    "Arena",     "Slab",     "Ring",      "Heap",     "Bitmap",   "Dict",      "Column"};
static const char *const verbs[] = {
    "Get",      "Put",     "Delete", "Scan",   "Seek",     "Next",      "Close",   "Flush",
    "Write",    "Read",    "Encode", "Decode", "Marshal",  "Unmarshal", "Apply",   "Commit",
    "Rollback", "Run",     "Serve",  "Handle", "Dispatch", "Process",   "Merge",   "Split",
    "Compact",  "Lookup",  "Insert", "Update", "Validate", "Resolve",   "Reset",   "Grow",
    "Append",   "Load",    "Store",  "Sync",   "Wait",     "Notify",    "Acquire", "Release",
    "Observe",  "Emit",    "Visit",  "Walk",   "Build",    "Init",      "Start",   "Stop",
    "Fetch",    "Refresh", "Evict",  "Pin",    "Unpin",    "Rotate",    "Replay",  "Prepare"};
static const char *const suffixes[] = {"",      "",         "",     "",     "",        "Locked",
                                       "Batch", "Slow",     "Fast", "Once", "Context", "All",
                                       "Into",  "Internal", "Ex",   "To"};
static const char *const std_real[] = {"runtime.mallocgc",
                                       "runtime.newobject",
                                       "runtime.makeslice",
                                       "runtime.growslice",
                                       "runtime.mapassign_faststr",
                                       "runtime.concatstrings",
                                       "runtime.memmove",
                                       "runtime.futex",
                                       "runtime.lock2",
                                       "runtime.scanobject",
                                       "runtime.gcDrain",
                                       "runtime.(*mheap).alloc",
                                       "runtime.(*mcache).refill",
                                       "runtime.selectgo",
                                       "runtime.chansend",
                                       "runtime.chanrecv",
                                       "runtime.schedule",
                                       "runtime.findrunnable",
                                       "runtime.mapaccess2_faststr",
                                       "runtime.slicebytetostring",
                                       "runtime.rawstring",
                                       "runtime.makemap",
                                       "runtime.convTstring",
                                       "runtime.memclrNoHeapPointers",
                                       "sync.(*Mutex).Lock",
                                       "sync.(*Mutex).lockSlow",
                                       "sync.(*Pool).Get",
                                       "sync.(*RWMutex).RLock",
                                       "sync.(*WaitGroup).Wait",
                                       "syscall.Syscall",
                                       "syscall.write",
                                       "syscall.read",
                                       "internal/poll.(*FD).Write",
                                       "internal/poll.(*FD).Read",
                                       "bufio.(*Writer).Flush",
                                       "bufio.(*Reader).fill",
                                       "bytes.(*Buffer).grow",
                                       "bytes.(*Buffer).WriteString",
                                       "strings.(*Builder).grow",
                                       "strings.(*Builder).WriteString",
                                       "encoding/json.(*decodeState).object",
                                       "encoding/json.(*encodeState).marshal",
                                       "reflect.Value.Call",
                                       "reflect.unsafe_New",
                                       "reflect.mapassign",
                                       "fmt.(*pp).doPrintf",
                                       "fmt.Sprintf",
                                       "strconv.AppendInt",
                                       "sort.insertionSort",
                                       "sort.pdqsort",
                                       "compress/flate.(*compressor).deflate",
                                       "compress/flate.(*decompressor).huffmanBlock",
                                       "crypto/sha256.block",
                                       "crypto/aes.(*aesCipherGCM).Seal",
                                       "hash/crc32.ieeeCLMUL",
                                       "net/http.(*conn).serve",
                                       "net/http.(*persistConn).readLoop",
                                       "net.(*conn).Read",
                                       "time.Now",
                                       "context.(*cancelCtx).Done"};
static const char *const clib_names[4][14] = {
    {0},
    {"__memmove_avx_unaligned_erms", "__memset_avx2_unaligned_erms", "malloc", "free",
     "_int_malloc", "_int_free", "__libc_write", "__libc_read", "pthread_mutex_lock",
     "pthread_cond_wait", "epoll_wait", "__strlen_avx2", "qsort_r", "__GI___clock_gettime"},
    {"inflate", "inflate_fast", "deflate", "deflate_slow", "longest_match", "fill_window",
     "crc32_z", "adler32_z", "_tr_flush_block", "compress_block", "build_tree", "send_tree",
     "updatewindow", "inflateReset2"},
    {"sqlite3VdbeExec", "sqlite3BtreeInsert", "sqlite3BtreeMovetoUnpacked",
     "sqlite3VdbeRecordCompare", "sqlite3PagerGet", "pcache1Fetch", "sqlite3_step",
     "sqlite3VdbeHalt", "balance_nonroot", "sqlite3WalFindFrame", "sqlite3OsRead",
     "btreeParseCellPtr", "sqlite3GetVarint", "sqlite3VdbeSerialGet"}};
static const char *const handlers[] = {"/api/v1/users",
                                       "/api/v1/users/{id}",
                                       "/api/v1/orders",
                                       "/api/v1/orders/{id}/items",
                                       "/api/v1/search",
                                       "/api/v1/query",
                                       "/api/v2/ingest",
                                       "/api/v2/batch",
                                       "/internal/replicate",
                                       "/internal/compact",
                                       "/healthz",
                                       "/metrics",
                                       "/grpc.orbit.Store/Get",
                                       "/grpc.orbit.Store/Put",
                                       "/grpc.orbit.Store/Scan",
                                       "/grpc.orbit.Raft/AppendEntries",
                                       "/debug/pprof/heap",
                                       "/api/v1/tenants/{id}/usage"};
#define NVENDOR ((uint32_t)(sizeof vendor_pkgs / sizeof *vendor_pkgs))
#define NSTD ((uint32_t)(sizeof std_pkgs / sizeof *std_pkgs))
#define NHANDLERS ((uint32_t)(sizeof handlers / sizeof *handlers))
static const char *const phases[] = {"parse", "plan",    "execute",   "commit",
                                     "flush", "compact", "replicate", "encode"};

/* Function names are unique, as in a real binary: a clash becomes a closure of the first. */
typedef struct {
	char **slot;
	size_t cap, n;
} nameset;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

static bool nameset_add(nameset *ns, const char *s)
{
	if ((ns->n + 1) * 2 > ns->cap) {
		size_t ncap = ns->cap ? ns->cap * 2 : 4096;
		char **ns2 = xmalloc(ncap * sizeof *ns2);
		for (size_t i = 0; i < ns->cap; i++)
			if (ns->slot[i]) {
				size_t j = fnv(ns->slot[i]) & (ncap - 1);
				while (ns2[j])
					j = (j + 1) & (ncap - 1);
				ns2[j] = ns->slot[i];
			}
		free(ns->slot);
		ns->slot = ns2;
		ns->cap = ncap;
	}
	size_t j = fnv(s) & (ns->cap - 1);
	while (ns->slot[j]) {
		if (!strcmp(ns->slot[j], s))
			return false;
		j = (j + 1) & (ns->cap - 1);
	}
	ns->slot[j] = xstrdup(s);
	ns->n++;
	return true;
}

static uint32_t add_file(program *P, const char *path)
{
	if (P->nfiles == P->capfiles) {
		P->capfiles = P->capfiles ? P->capfiles * 2 : 1024;
		P->files = xrealloc(P->files, P->capfiles * sizeof *P->files);
	}
	P->files[P->nfiles].path = xstrdup(path);
	P->files[P->nfiles].sid = 0;
	return P->nfiles++;
}

static uint32_t add_fn(program *P)
{
	if (P->nfn == P->capfn) {
		P->capfn = P->capfn ? P->capfn * 2 : 4096;
		P->fn = xrealloc(P->fn, P->capfn * sizeof *P->fn);
	}
	memset(&P->fn[P->nfn], 0, sizeof P->fn[0]);
	return P->nfn++;
}

static uint32_t add_loc(program *P)
{
	if (P->nloc == P->caploc) {
		P->caploc = P->caploc ? P->caploc * 2 : 16384;
		P->loc = xrealloc(P->loc, P->caploc * sizeof *P->loc);
	}
	memset(&P->loc[P->nloc], 0, sizeof P->loc[0]);
	return P->nloc++;
}

static uint32_t add_site(program *P)
{
	if (P->nsite == P->capsite) {
		P->capsite = P->capsite ? P->capsite * 2 : 16384;
		P->site = xrealloc(P->site, P->capsite * sizeof *P->site);
	}
	return P->nsite++;
}

static void lower_first(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
	if (dst[0] >= 'A' && dst[0] <= 'Z')
		dst[0] = (char)(dst[0] - 'A' + 'a');
}

static void make_packages(program *P, rng *r, uint32_t nfn)
{
	const size_t nv = sizeof vendor_pkgs / sizeof *vendor_pkgs;
	const size_t ns = sizeof std_pkgs / sizeof *std_pkgs;
	const size_t nw = sizeof app_words / sizeof *app_words;
	uint32_t napp = nfn / 120 + 20;
	P->npkgs = napp + (uint32_t)nv + (uint32_t)ns;
	P->pkgs = xmalloc(P->npkgs * sizeof *P->pkgs);
	char buf[200], dir[400], fbuf[600];
	nameset seen = {0};
	for (uint32_t i = 0; i < P->npkgs; i++) {
		package *pk = &P->pkgs[i];
		if (i < napp) {
			pk->tier = 0;
			do {
				const char *a = app_words[rbelow(r, (uint32_t)nw)];
				if (i < nw / 2 || runif(r) < 0.3)
					snprintf(buf, sizeof buf, "github.com/orbitdb/orbit/%s/%s",
					         runif(r) < 0.7 ? "internal" : "pkg", a);
				else
					snprintf(buf, sizeof buf,
					         "github.com/orbitdb/orbit/internal/%s/%s", a,
					         runif(r) < 0.5
					             ? PICK(r, sub_words)
					             : app_words[rbelow(r, (uint32_t)nw)]);
			} while (!nameset_add(&seen, buf));
			snprintf(dir, sizeof dir, "/src/orbit/%s",
			         buf + strlen("github.com/orbitdb/orbit/"));
		} else if (i < napp + nv) {
			pk->tier = 1;
			snprintf(buf, sizeof buf, "%s", vendor_pkgs[i - napp]);
			snprintf(dir, sizeof dir, "/root/go/pkg/mod/%s@%s", buf,
			         PICK(r, vendor_versions));
		} else {
			pk->tier = 2;
			snprintf(buf, sizeof buf, "%s", std_pkgs[i - napp - nv]);
			snprintf(dir, sizeof dir, "/usr/local/go/src/%s", buf);
		}
		pk->path = xstrdup(buf);
		pk->dir = xstrdup(dir);
		pk->ntypes = 2 + (int)rbelow(r, 11);
		pk->types = xmalloc((size_t)pk->ntypes * sizeof *pk->types);
		for (int t = 0; t < pk->ntypes; t++)
			pk->types[t] = PICK(r, type_words);
		pk->nfiles = 2 + (int)rbelow(r, 12);
		pk->files = xmalloc((size_t)pk->nfiles * sizeof *pk->files);
		for (int f = 0; f < pk->nfiles; f++) {
			char base[64];
			if (f < pk->ntypes)
				lower_first(base, sizeof base, pk->types[f]);
			else
				lower_first(base, sizeof base, PICK(r, verbs));
			snprintf(fbuf, sizeof fbuf, "%s/%s%s.go", pk->dir, base,
			         runif(r) < 0.15 ? "_impl" : "");
			pk->files[f] = add_file(P, fbuf);
		}
	}
	for (size_t i = 0; i < seen.cap; i++)
		free(seen.slot[i]);
	free(seen.slot);
}

/* A Go function name: pkg.Func, pkg.Type.Method, pkg.(*Type).Method, closures, generics. */
static void go_name(rng *r, const package *pk, char *buf, size_t n, int *type_out)
{
	char verb[64];
	double u = runif(r);
	int t = (int)rbelow(r, (uint32_t)pk->ntypes);
	const char *ty = pk->types[t];
	snprintf(verb, sizeof verb, "%s%s", PICK(r, verbs), PICK(r, suffixes));
	*type_out = t;
	if (u < 0.45)
		snprintf(buf, n, "%s.(*%s).%s", pk->path, ty, verb);
	else if (u < 0.60)
		snprintf(buf, n, "%s.%s.%s", pk->path, ty, verb);
	else if (u < 0.80) {
		char lv[64];
		if (runif(r) < 0.5)
			lower_first(lv, sizeof lv, verb);
		else
			snprintf(lv, sizeof lv, "%s", verb);
		snprintf(buf, n, "%s.%s%s", pk->path, lv, ty);
		*type_out = -1;
	} else if (u < 0.93)
		snprintf(buf, n, "%s.(*%s).%s.func%u", pk->path, ty, verb, 1 + rbelow(r, 4));
	else if (u < 0.97)
		snprintf(buf, n, "%s.(*%s[...]).%s", pk->path, ty, verb);
	else
		snprintf(buf, n, "%s.%s[...]", pk->path, verb);
}

static uint32_t new_go_function(program *P, rng *r, nameset *ns, const package *pk, int layer,
                                const char *fixed)
{
	char name[600];
	int t = -1;
	if (fixed)
		snprintf(name, sizeof name, "%s", fixed);
	else
		go_name(r, pk, name, sizeof name, &t);
	if (!nameset_add(ns, name)) {
		size_t l = strlen(name);
		for (unsigned k = 1;; k++) {
			snprintf(name + l, sizeof name - l, ".func%u", k);
			if (nameset_add(ns, name))
				break;
		}
	}
	uint32_t file;
	if (fixed) {
		/* A real name lives in its own package's files: "net/http.(*conn).serve". */
		const char *slash = strrchr(fixed, '/'), *dot = strchr(slash ? slash : fixed, '.');
		size_t plen = (size_t)(dot - fixed);
		const package *own = NULL;
		for (uint32_t k = 0; k < P->npkgs; k++)
			if (strlen(P->pkgs[k].path) == plen &&
			    !strncmp(P->pkgs[k].path, fixed, plen))
				own = &P->pkgs[k];
		if (own)
			file = own->files[rbelow(r, (uint32_t)own->nfiles)];
		else
			file = add_file(P, "/src/orbit/cmd/orbit-server/main.go");
	} else {
		int fi = t >= 0 && t < pk->nfiles && runif(r) < 0.7
		             ? t
		             : (int)rbelow(r, (uint32_t)pk->nfiles);
		file = pk->files[fi];
	}
	uint32_t i = add_fn(P);
	function *f = &P->fn[i];
	f->name = xstrdup(name);
	f->file = file;
	f->start_line = 20 + rbelow(r, 1800);
	f->layer = layer;
	f->mapping = 1;
	return i;
}

static const package *pkg_for_layer(const program *P, rng *r, int layer)
{
	uint32_t napp = P->npkgs - NVENDOR - NSTD;
	double u = runif(r);
	int tier;
	if (layer <= 20)
		tier = u < 0.85 ? 0 : 1;
	else if (layer <= 40)
		tier = u < 0.35 ? 0 : u < 0.75 ? 1 : 2;
	else
		tier = u < 0.05 ? 0 : u < 0.25 ? 1 : 2;
	if (tier == 0)
		return &P->pkgs[rskew(r, napp, 1.5)];
	if (tier == 1)
		return &P->pkgs[napp + rskew(r, NVENDOR, 1.3)];
	return &P->pkgs[napp + NVENDOR + rskew(r, NSTD, 1.6)];
}

/* Lines of a location: optional inlined helpers first, then the physical function. */
static uint32_t make_loc(program *P, rng *r, uint32_t fi, uint64_t addr, double p_inline)
{
	uint32_t li = add_loc(P);
	location *L = &P->loc[li];
	function *f = &P->fn[fi];
	int ninl = 0;
	if (P->nhelpers && runif(r) < p_inline)
		ninl = runif(r) < 0.8 ? 1 : 2;
	for (int k = 0; k < ninl; k++) {
		uint32_t h = P->helpers[rskew(r, P->nhelpers, 1.4)];
		L->fn[k] = h;
		L->line[k] = P->fn[h].start_line + 1 + rbelow(r, 12);
	}
	L->fn[ninl] = fi;
	L->line[ninl] = f->start_line + 1 + rbelow(r, 180);
	L->nlines = (uint8_t)(ninl + 1);
	L->addr = addr;
	L->mapping = f->mapping;
	return li;
}

static void build_program(program *P, uint64_t seed, uint32_t nfn)
{
	rng r = rseed(seed, 0x70726f67, nfn);
	nameset ns = {0};
	make_packages(P, &r, nfn);

	/* Layer 0 holds the goroutine roots; the real runtime/stdlib names sit in the deep layers.
	 */
	uint32_t nroots = 8 + nfn / 400;
	uint32_t per_layer = (nfn - nroots) / (LAYERS - 1);
	for (int l = 0; l < LAYERS; l++) {
		uint32_t cnt = l == 0 ? nroots : per_layer;
		P->layer[l] = xmalloc(cnt * sizeof(uint32_t));
		for (uint32_t k = 0; k < cnt; k++) {
			const char *fixed = NULL;
			const package *pk;
			if (l == 0) {
				pk = &P->pkgs[rskew(&r, P->npkgs - 64, 1.2)];
				fixed = k == 0   ? "main.main"
				        : k == 1 ? "net/http.(*conn).serve"
				                 : NULL;
			} else
				pk = pkg_for_layer(P, &r, l);
			if (l >= 44 && k < 3 &&
			    (uint32_t)((l - 44) * 3 + k) < sizeof std_real / sizeof *std_real)
				fixed = std_real[(l - 44) * 3 + k];
			P->layer[l][P->nlayer[l]++] = new_go_function(P, &r, &ns, pk, l, fixed);
		}
	}
	/* Inlinable helpers: small functions that only appear inlined into others. */
	P->nhelpers = nfn / 25 + 10;
	P->helpers = xmalloc(P->nhelpers * sizeof(uint32_t));
	for (uint32_t k = 0; k < P->nhelpers; k++) {
		const package *pk = pkg_for_layer(P, &r, 10 + (int)rbelow(&r, 50));
		P->helpers[k] = new_go_function(P, &r, &ns, pk, -1, NULL);
	}
	/* cgo: runtime.cgocall and the C libraries' functions. */
	uint32_t cgocall = add_fn(P);
	P->fn[cgocall].name = xstrdup("runtime.cgocall");
	P->fn[cgocall].file = add_file(P, "/usr/local/go/src/runtime/cgocall.go");
	P->fn[cgocall].start_line = 123;
	P->fn[cgocall].layer = -1;
	P->fn[cgocall].mapping = 1;
	for (int lib = 1; lib <= 3; lib++) {
		P->cfn[lib] = xmalloc(14 * sizeof(uint32_t));
		uint32_t empty = add_file(P, "");
		for (int k = 0; k < 14; k++) {
			uint32_t i = add_fn(P);
			P->fn[i].name = xstrdup(clib_names[lib][k]);
			P->fn[i].file = empty;
			P->fn[i].layer = -1;
			P->fn[i].mapping = (uint32_t)lib + 1;
			P->cfn[lib][P->ncfn[lib]++] = i;
		}
	}

	/* Call sites and leaf locations, with addresses laid out function after function. */
	uint64_t addr = 0x401000;
	for (uint32_t i = 0; i < P->nfn; i++) {
		function *f = &P->fn[i];
		if (f->mapping != 1)
			continue;
		f->addr = addr;
		uint64_t a = addr + 16 + rbelow(&r, 32);
		if (f->layer >= 0) {
			uint32_t nsites = f->layer == LAYERS - 1 ? 0 : 1 + rskew(&r, 8, 2.0);
			f->site0 = P->nsite;
			f->nsites = nsites;
			bool recursive = runif(&r) < 0.04;
			for (uint32_t s = 0; s < nsites; s++) {
				uint32_t si = add_site(P);
				int tl = f->layer + 1;
				double u = runif(&r);
				if (u < 0.12 && tl + 1 < LAYERS)
					tl++;
				else if (u < 0.16 && tl + 2 < LAYERS)
					tl += 2;
				uint32_t callee = P->layer[tl][rskew(&r, P->nlayer[tl], 2.2)];
				if (recursive && s == nsites - 1 && nsites > 1)
					callee = i;
				P->site[si].callee = callee;
				P->site[si].loc = make_loc(P, &r, i, a, 0.2);
				a += 5 + rbelow(&r, 60);
			}
			f->clib = runif(&r) < 0.08 ? 1 + (int)rbelow(&r, 3) : 0;
		}
		f->leaf0 = P->nloc;
		f->nleaf = 1 + rskew(&r, 3, 2.0);
		for (uint32_t k = 0; k < f->nleaf; k++) {
			make_loc(P, &r, i, a, f->layer >= 0 ? 0.25 : 0.0);
			a += 3 + rbelow(&r, 40);
		}
		addr = (a + 64) & ~(uint64_t)15;
	}
	P->cgocall_loc = P->fn[cgocall].leaf0;

	snprintf(P->build_id, sizeof P->build_id, "%016" PRIx64 "%016" PRIx64 "%08" PRIx32,
	         rnext(&r), rnext(&r), (uint32_t)rnext(&r));
	uint64_t text_end = (addr + 0xfff) & ~(uint64_t)0xfff;
	P->maps[0] = (mappingdef){"/usr/local/bin/orbit-server",
	                          0x400000,
	                          text_end,
	                          0,
	                          P->build_id,
	                          true,
	                          true,
	                          true,
	                          true};
	P->maps[1] = (mappingdef){"/usr/lib/x86_64-linux-gnu/libc.so.6",
	                          0x7f3c1a228000,
	                          0x7f3c1a3bd000,
	                          0x28000,
	                          "c289da5071a3399de893d2af81d6a30c62646e1e",
	                          true,
	                          false,
	                          false,
	                          false};
	P->maps[2] = (mappingdef){"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13",
	                          0x7f3c1a5f2000,
	                          0x7f3c1a609000,
	                          0x3000,
	                          "30840b79ac329ecbf1dec0bb60180eed256d319f",
	                          true,
	                          false,
	                          false,
	                          false};
	P->maps[3] = (mappingdef){"/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6",
	                          0x7f3c1a70e000,
	                          0x7f3c1a82b000,
	                          0xe000,
	                          "5b2a3fd36d4e8c3a1a2a3f9c1a7dbe2a0e11f3c7",
	                          true,
	                          false,
	                          false,
	                          false};
	P->maps[4] = (mappingdef){"[vdso]", 0x7ffd2b9f4000, 0x7ffd2b9f6000, 0,    "",
	                          true,     false,          false,          false};
	P->nmaps = 5;
	/* C functions: addresses inside their libraries, two PCs each (a call and a leaf). */
	for (int lib = 1; lib <= 3; lib++) {
		uint64_t ca = P->maps[lib].start + 0x1000;
		for (uint32_t k = 0; k < P->ncfn[lib]; k++) {
			uint32_t i = P->cfn[lib][k];
			P->fn[i].addr = ca;
			P->fn[i].leaf0 = P->nloc;
			P->fn[i].nleaf = 2;
			for (int j = 0; j < 2; j++) {
				uint32_t li = add_loc(P);
				location *L = &P->loc[li];
				L->addr = ca + 0x20 + (uint64_t)j * 0x37 + rbelow(&r, 16);
				L->mapping = (uint32_t)lib + 1;
				L->nlines = 1;
				L->fn[0] = i;
				L->line[0] = 0;
			}
			ca += 0x400 + rbelow(&r, 0x800);
		}
	}
	for (size_t i = 0; i < ns.cap; i++)
		free(ns.slot[i]);
	free(ns.slot);
}

/* ---------------------------------------------------------------- protobuf writing */

typedef struct {
	uint8_t *p;
	size_t n, cap;
} vec;

static void v_reserve(vec *v, size_t more)
{
	if (v->n + more > v->cap) {
		size_t c = v->cap ? v->cap : 256;
		while (c < v->n + more)
			c *= 2;
		v->p = xrealloc(v->p, c);
		v->cap = c;
	}
}

static void v_varint(vec *v, uint64_t x)
{
	v_reserve(v, 10);
	while (x >= 0x80) {
		v->p[v->n++] = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	v->p[v->n++] = (uint8_t)x;
}

static void v_tag(vec *v, unsigned field, unsigned wt)
{
	v_varint(v, (uint64_t)field << 3 | wt);
}

/* runtime/pprof's uint64Opt / int64Opt: zero is not written. */
static void v_opt(vec *v, unsigned field, uint64_t x)
{
	if (x) {
		v_tag(v, field, 0);
		v_varint(v, x);
	}
}

static void v_bool(vec *v, unsigned field, bool b)
{
	if (b) {
		v_tag(v, field, 0);
		v_varint(v, 1);
	}
}

static void v_bytes(vec *v, unsigned field, const void *b, size_t n)
{
	v_tag(v, field, 2);
	v_varint(v, n);
	v_reserve(v, n);
	memcpy(v->p + v->n, b, n);
	v->n += n;
}

/* runtime/pprof's uint64s: packed when more than two elements. */
static void v_nums(vec *v, vec *tmp, unsigned field, const uint64_t *x, int n)
{
	if (n > 2) {
		tmp->n = 0;
		for (int i = 0; i < n; i++)
			v_varint(tmp, x[i]);
		v_bytes(v, field, tmp->p, tmp->n);
	} else
		for (int i = 0; i < n; i++) {
			v_tag(v, field, 0);
			v_varint(v, x[i]);
		}
}

typedef struct {
	gzFile gz;
	vec buf;
	uint64_t total; /* uncompressed bytes so far */
} output;

static void out_flush(output *o)
{
	size_t off = 0;
	while (off < o->buf.n) {
		unsigned chunk =
		    o->buf.n - off > (1u << 30) ? 1u << 30 : (unsigned)(o->buf.n - off);
		if (gzwrite(o->gz, o->buf.p + off, chunk) != (int)chunk) {
			int err;
			const char *m = gzerror(o->gz, &err);
			fprintf(stderr, "gen-profile: write: %s\n",
			        err == Z_ERRNO ? strerror(errno) : m);
			exit(1);
		}
		off += chunk;
	}
	o->total += o->buf.n;
	o->buf.n = 0;
}

/* Fields of the Profile message itself (no length prefix). */
static void out_raw(output *o, const vec *v)
{
	v_reserve(&o->buf, v->n);
	memcpy(o->buf.p + o->buf.n, v->p, v->n);
	o->buf.n += v->n;
}

static void out_msg(output *o, unsigned field, const vec *body)
{
	v_bytes(&o->buf, field, body->p, body->n);
	if (o->buf.n >= (1u << 20))
		out_flush(o);
}

/* ---------------------------------------------------------------- the string table */

typedef struct {
	const char **s;
	uint32_t n, cap;
	uint64_t bytes; /* encoded size of the table so far */
} strtab;

static uint32_t intern(strtab *t, const char *s)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->s = xrealloc(t->s, t->cap * sizeof *t->s);
	}
	size_t len = strlen(s);
	t->bytes += 1 + (len < 128 ? 1 : 2) + len;
	t->s[t->n] = s;
	return t->n++;
}

/* Interns s on first use: *sid holds the id + 1, 0 for "not yet". */
static uint32_t intern_once(strtab *t, uint32_t *sid, const char *s)
{
	if (!*sid)
		*sid = intern(t, s) + 1;
	return *sid - 1;
}

/* ---------------------------------------------------------------- samples */

typedef struct {
	program *P;
	output out;
	strtab st;
	vec body, tmp, sub;
	uint32_t next_loc_id, next_fn_id;
	bool heap;
	uint32_t sid_bytes, sid_handler, sid_worker, sid_phase, sid_tenant;
	uint32_t sid_handlers[sizeof handlers / sizeof *handlers];
	uint32_t sid_phases[sizeof phases / sizeof *phases];
	uint32_t sid_workers[16];
	uint32_t sid_tenants[400];
	char *tenant_names[400];
	char *worker_names[16];
} writer;

static void emit_location(writer *w, uint32_t li)
{
	program *P = w->P;
	location *L = &P->loc[li];
	uint32_t newfn[3];
	int nnew = 0;
	L->id = ++w->next_loc_id;
	vec *b = &w->body;
	b->n = 0;
	v_opt(b, 1, L->id);
	v_opt(b, 3, L->addr);
	for (int k = 0; k < L->nlines; k++) {
		function *f = &P->fn[L->fn[k]];
		if (!f->id) {
			f->id = ++w->next_fn_id;
			newfn[nnew++] = L->fn[k];
		}
		vec *s = &w->sub;
		s->n = 0;
		v_opt(s, 1, f->id);
		v_opt(s, 2, (uint64_t)L->line[k]);
		v_bytes(b, 4, s->p, s->n);
	}
	v_opt(b, 2, L->mapping);
	out_msg(&w->out, 4, b);
	for (int k = 0; k < nnew; k++) {
		function *f = &P->fn[newfn[k]];
		uint32_t name = intern_once(&w->st, &f->name_sid, f->name);
		uint32_t file = intern_once(&w->st, &P->files[f->file].sid, P->files[f->file].path);
		b->n = 0;
		v_opt(b, 1, f->id);
		v_opt(b, 2, name);
		v_opt(b, 3, name);
		v_opt(b, 4, file);
		v_opt(b, 5, (uint64_t)f->start_line);
		out_msg(&w->out, 5, b);
	}
}

/* One random walk from a root: root-first location indices; returns how many. */
static int walk(writer *w, rng *r, uint32_t *stack, uint32_t *root_rank)
{
	program *P = w->P;
	int depth = 10 + (int)(50 * fmin(runif(r), runif(r)));
	int frames = 0, n = 0;
	*root_rank = rskew(r, P->nlayer[0], 2.0);
	uint32_t f = P->layer[0][*root_rank];
	for (;;) {
		function *F = &P->fn[f];
		if (frames + 1 >= depth || F->nsites == 0 || n >= MAX_LOCS - 8) {
			if (!w->heap && F->clib && frames + 4 < MAX_FRAMES && runif(r) < 0.5) {
				/* Into C through cgo: a call PC, runtime.cgocall, 1-4 C frames. */
				stack[n++] = F->leaf0;
				stack[n++] = P->cgocall_loc;
				int nc = 1 + (int)rbelow(r, 4);
				for (int k = 0; k < nc; k++) {
					uint32_t cf =
					    P->cfn[F->clib][rskew(r, P->ncfn[F->clib], 1.5)];
					stack[n++] = P->fn[cf].leaf0 + (k == nc - 1 ? 1 : 0);
				}
			} else
				stack[n++] = F->leaf0 + rskew(r, F->nleaf, 1.5);
			return n;
		}
		callsite *S = &P->site[F->site0 + rskew(r, F->nsites, 1.7)];
		stack[n++] = S->loc;
		frames += P->loc[S->loc].nlines;
		if (S->callee == f) {
			/* Recursion: the same call site a few more times, then another site. */
			int rep = (int)rbelow(r, 6);
			while (rep-- > 0 && frames + 2 < depth && n < MAX_LOCS - 8) {
				stack[n++] = S->loc;
				frames += P->loc[S->loc].nlines;
			}
			S = &P->site[F->site0];
			stack[n++] = S->loc;
			frames += P->loc[S->loc].nlines;
		}
		f = S->callee;
	}
	return n;
}

/* Go's size classes (runtime/sizeclasses.go). */
static const int64_t size_classes[] = {
    8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,  160,   176,   192,
    208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,  512,   576,   640,
    704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304, 2688,  3072,  3200,
    3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728, 10240, 10880, 12288,
    13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

/* runtime/pprof scaleHeapSample with MemProfileRate 512 KiB. */
static void scale_heap(int64_t count, int64_t size, int64_t *oc, int64_t *os)
{
	if (count == 0 || size == 0) {
		*oc = *os = 0;
		return;
	}
	double avg = (double)size / (double)count;
	double scale = 1 / (1 - exp(-avg / 524288.0));
	*oc = (int64_t)((double)count * scale);
	*os = (int64_t)((double)size * scale);
}

static void label_str(writer *w, vec *b, uint32_t key, uint32_t val)
{
	vec *s = &w->sub;
	s->n = 0;
	v_opt(s, 1, key);
	v_opt(s, 2, val);
	v_bytes(b, 3, s->p, s->n);
}

static void write_sample(writer *w, uint64_t seed, uint64_t i, int snapshot)
{
	program *P = w->P;
	rng r = rseed(seed, w->heap ? 0x68656170 : 0x637075, i);
	uint32_t stack[MAX_LOCS], root;
	int n = walk(w, &r, stack, &root);
	for (int k = 0; k < n; k++)
		if (!P->loc[stack[k]].id)
			emit_location(w, stack[k]);
	uint64_t ids[MAX_LOCS];
	for (int k = 0; k < n; k++)
		ids[k] = P->loc[stack[n - 1 - k]].id; /* leaf first */

	/* Values: drawn before the snapshot is applied, so sample i is the same site in every
	 * snapshot; the snapshot only moves its counters. */
	double growth = runif(&r) * 0.6;
	double behaviour = runif(&r), frac = 0.05 + 0.95 * runif(&r);
	int64_t c = 1 + (int64_t)fmin(pow(runif(&r), -0.9) - 1, 200000);
	int64_t c_k = c + (int64_t)((double)c * growth * snapshot);
	uint64_t vals[4];
	int nvals;
	int64_t block = 0;
	if (w->heap) {
		if (runif(&r) < 0.9)
			block = size_classes[rskew(&r, sizeof size_classes / sizeof *size_classes,
			                           2.0)];
		else
			block = 8192 * (1 + (int64_t)fmin(pow(runif(&r), -1.2), 511));
		int64_t inuse;
		if (behaviour < 0.45)
			inuse = 0; /* all freed */
		else if (behaviour < 0.70)
			inuse = (int64_t)ceil((double)c * frac); /* steady */
		else if (behaviour < 0.90)
			inuse = (int64_t)ceil((double)c_k * frac); /* leaking */
		else
			inuse = (int64_t)((double)c * frac / (1 + 0.5 * snapshot)); /* shrinking */
		int64_t ao, as, io, is;
		scale_heap(c_k, c_k * block, &ao, &as);
		scale_heap(inuse, inuse * block, &io, &is);
		vals[0] = (uint64_t)ao, vals[1] = (uint64_t)as, vals[2] = (uint64_t)io,
		vals[3] = (uint64_t)is;
		nvals = 4;
	} else {
		vals[0] = (uint64_t)c_k;
		vals[1] = (uint64_t)c_k * 10000000u;
		nvals = 2;
	}

	vec *b = &w->body;
	b->n = 0;
	v_nums(b, &w->tmp, 1, ids, n);
	v_nums(b, &w->tmp, 2, vals, nvals);
	/* String labels: the goroutines started under some roots carry pprof.Do labels. */
	switch (root % 5) {
	case 2: {
		uint32_t h = rskew(&r, NHANDLERS, 1.5);
		label_str(w, b, w->sid_handler,
		          intern_once(&w->st, &w->sid_handlers[h], handlers[h]));
		break;
	}
	case 3: {
		uint32_t wk = rbelow(&r, 16), ph = rbelow(&r, 8);
		label_str(w, b, w->sid_worker,
		          intern_once(&w->st, &w->sid_workers[wk], w->worker_names[wk]));
		label_str(w, b, w->sid_phase, intern_once(&w->st, &w->sid_phases[ph], phases[ph]));
		break;
	}
	case 4: {
		uint32_t t = rskew(&r, 400, 2.0), h = rskew(&r, NHANDLERS, 1.5);
		label_str(w, b, w->sid_tenant,
		          intern_once(&w->st, &w->sid_tenants[t], w->tenant_names[t]));
		label_str(w, b, w->sid_handler,
		          intern_once(&w->st, &w->sid_handlers[h], handlers[h]));
		break;
	}
	default:
		break;
	}
	if (w->heap) {
		vec *s = &w->sub;
		s->n = 0;
		v_opt(s, 1, w->sid_bytes);
		v_opt(s, 3, (uint64_t)block);
		v_bytes(b, 3, s->p, s->n);
	}
	out_msg(&w->out, 2, b);
}

static void value_type(writer *w, unsigned field, const char *type, const char *unit)
{
	vec *b = &w->body;
	b->n = 0;
	v_opt(b, 1, intern(&w->st, type));
	v_opt(b, 2, intern(&w->st, unit));
	out_msg(&w->out, field, b);
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr,
	        "usage: gen-profile [--kind heap|cpu] [--size-mb N] [--snapshot K] [--seed S] "
	        "[--level 1-9] -o FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *kind = "heap", *outpath = NULL;
	double size_mb = 30;
	int snapshot = 0, level = 6;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-')
			a++;
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (!strcmp(a, "-kind"))
			kind = v;
		else if (!strcmp(a, "-size-mb"))
			size_mb = atof(v);
		else if (!strcmp(a, "-snapshot"))
			snapshot = atoi(v);
		else if (!strcmp(a, "-seed"))
			seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "-level"))
			level = atoi(v);
		else if (!strcmp(a, "-o"))
			outpath = v;
		else
			usage();
	}
	if (!outpath || size_mb <= 0 || snapshot < 0 || level < 1 || level > 9 ||
	    (strcmp(kind, "heap") && strcmp(kind, "cpu")))
		usage();

	/* The program grows with the square root of the size: a 1 GB profile comes from a
	 * bigger binary than a 1 MB one, but mostly from more samples. */
	uint32_t nfn = (uint32_t)(1200 * sqrt(size_mb));
	if (nfn < 1500)
		nfn = 1500;
	if (nfn > 100000)
		nfn = 100000;
	program P = {0};
	build_program(&P, seed, nfn);

	writer w = {.P = &P, .heap = !strcmp(kind, "heap")};
	char mode[8];
	snprintf(mode, sizeof mode, "wb%d", level);
	w.out.gz = strcmp(outpath, "-") ? gzopen(outpath, mode) : gzdopen(dup(1), mode);
	if (!w.out.gz)
		die("cannot open output");
	gzbuffer(w.out.gz, 1u << 20);
	intern(&w.st, "");
	char namebuf[32];
	for (int k = 0; k < 16; k++) {
		snprintf(namebuf, sizeof namebuf, "%d", k);
		w.worker_names[k] = xstrdup(namebuf);
	}
	for (int k = 0; k < 400; k++) {
		snprintf(namebuf, sizeof namebuf, "tenant-%04d", k * 7 + 3);
		w.tenant_names[k] = xstrdup(namebuf);
	}

	/* Header, in runtime/pprof's order. */
	if (w.heap) {
		value_type(&w, 11, "space", "bytes");
		w.body.n = 0;
		v_opt(&w.body, 12, 524288);
		out_raw(&w.out, &w.body);
		value_type(&w, 1, "alloc_objects", "count");
		value_type(&w, 1, "alloc_space", "bytes");
		value_type(&w, 1, "inuse_objects", "count");
		value_type(&w, 1, "inuse_space", "bytes");
		w.sid_bytes = intern(&w.st, "bytes");
	} else {
		value_type(&w, 1, "samples", "count");
		value_type(&w, 1, "cpu", "nanoseconds");
	}
	w.sid_handler = intern(&w.st, "handler");
	w.sid_worker = intern(&w.st, "worker");
	w.sid_phase = intern(&w.st, "phase");
	w.sid_tenant = intern(&w.st, "tenant");

	/* Samples until the file, string table and trailer included, reaches the target. */
	uint64_t target = (uint64_t)(size_mb * (1 + 0.02 * snapshot) * 1048576.0);
	uint64_t i = 0;
	while (w.out.total + w.out.buf.n + w.st.bytes + 2048 < target)
		write_sample(&w, seed, i++, snapshot);

	/* Trailer: time, duration, period, mappings, string table. */
	vec *b = &w.body;
	uint32_t mfile[5], mbid[5];
	for (int m = 0; m < P.nmaps; m++) {
		mfile[m] = intern(&w.st, P.maps[m].file);
		mbid[m] = P.maps[m].build_id[0] ? intern(&w.st, P.maps[m].build_id) : 0;
	}
	b->n = 0;
	v_opt(b, 9, 1700000000000000000ULL + (uint64_t)snapshot * 600000000000ULL);
	if (!w.heap)
		v_opt(b, 10, 30000000000ULL);
	out_raw(&w.out, b);
	if (!w.heap) {
		value_type(&w, 11, "cpu", "nanoseconds");
		b->n = 0;
		v_opt(b, 12, 10000000);
		out_raw(&w.out, b);
	}
	for (int m = 0; m < P.nmaps; m++) {
		const mappingdef *M = &P.maps[m];
		b->n = 0;
		v_opt(b, 1, (uint64_t)m + 1);
		v_opt(b, 2, M->start);
		v_opt(b, 3, M->limit);
		v_opt(b, 4, M->offset);
		v_opt(b, 5, mfile[m]);
		v_opt(b, 6, mbid[m]);
		v_bool(b, 7, M->funcs);
		v_bool(b, 8, M->files);
		v_bool(b, 9, M->lines);
		v_bool(b, 10, M->inl);
		out_msg(&w.out, 3, b);
	}
	for (uint32_t k = 0; k < w.st.n; k++) {
		v_bytes(&w.out.buf, 6, w.st.s[k], strlen(w.st.s[k]));
		if (w.out.buf.n >= (1u << 20))
			out_flush(&w.out);
	}
	out_flush(&w.out);
	int err = gzclose(w.out.gz);
	if (err != Z_OK)
		die("error closing output");
	fprintf(stderr,
	        "gen-profile: %s snapshot %d: %" PRIu64 " bytes uncompressed, %" PRIu64
	        " samples, %u locations, %u functions, %u strings\n",
	        kind, snapshot, w.out.total, i, w.next_loc_id, w.next_fn_id, w.st.n);
	return 0;
}
