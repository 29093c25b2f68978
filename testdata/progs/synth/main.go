// Command synth writes pprof profiles by hand, imitating profiles that
// other languages' tools write. Its output is fully deterministic.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

const ms = 1000 * 1000 // nanoseconds

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "synth:", err)
	os.Exit(1)
}

// gz compresses b into one gzip member with a fixed header.
func gz(b []byte) []byte {
	var out bytes.Buffer
	w, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		fatal(err)
	}
	if err := w.Close(); err != nil {
		fatal(err)
	}
	return out.Bytes()
}

func write(dir, name string, b []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		fatal(err)
	}
}

func main() {
	out := flag.String("o", ".", "output directory")
	flag.Parse()

	write(*out, "cpp.pb.gz", gz(cppProfile().Encode()))
	write(*out, "java.pb.gz", gz(javaProfile().Encode()))
	write(*out, "raw.pb", rawProfile().Encode())
	whole := heapLikeProfile().Encode()
	half := len(whole) / 2
	write(*out, "twomember.pb.gz", append(gz(whole[:half]), gz(whole[half:])...))
	write(*out, "dup.pb.gz", gz(dupProfile().Encode()))
	write(*out, "node.pb.gz", gz(nodeProfile().Encode()))
	write(*out, "node.heap.pb.gz", gz(nodeHeapProfile().Encode()))
}

// cppProfile imitates a CPU profile of a C++ server, as pprof would
// write it after symbolizing a perf.data or gperftools profile.
func cppProfile() *Profile {
	p := &Profile{
		SampleTypes:       []ValueType{{"samples", "count"}, {"cpu", "nanoseconds"}},
		PeriodType:        &ValueType{"cpu", "nanoseconds"},
		Period:            10 * ms,
		TimeNanos:         1700000000123456789,
		DurationNanos:     5 * 1000 * ms,
		Comments:          []string{"cmdline: /usr/bin/server --port=8080 --threads=2", "#hidden: comments starting with # are not shown", "host: build-42"},
		DropFrames:        "malloc|operator new",
		DefaultSampleType: "cpu",
		Mappings: []Mapping{
			{ID: 1, Start: 0x400000, Limit: 0x800000, Offset: 0, File: "/usr/bin/server",
				BuildID: "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334", HasFunctions: true, HasFilenames: true, HasLineNumbers: true, HasInlineFrames: true},
			{ID: 2, Start: 0x7f3a10000000, Limit: 0x7f3a101c0000, Offset: 0x28000, File: "/lib/x86_64-linux-gnu/libc.so.6",
				BuildID: "69389d485a9793dbe873f0ea2c93e02efaa9aa3d", HasFunctions: true},
			{ID: 3, Start: 0x7f3a20000000, Limit: 0x7f3a20100000, Offset: 0x1000, File: "/opt/vendor/lib/libjit.so"},
			{ID: 4, Start: 0x7ffd4b1f2000, Limit: 0x7ffd4b1f4000, File: "[vdso]"},
		},
		Functions: []Function{
			{ID: 1, Name: "main", SystemName: "main", File: "/build/server/src/main.cc", StartLine: 10},
			{ID: 2, Name: "Server::Run()", SystemName: "_ZN6Server3RunEv", File: "/build/server/src/../src/server.cc", StartLine: 35},
			{ID: 3, Name: "Handler::Process(Request*)", SystemName: "Handler::Process(Request*)", File: "/build/server/src/handler.cc", StartLine: 20},
			{ID: 4, Name: "Foo::Bar(std::string const&) const", SystemName: "Foo::Bar(std::string const&) const", File: "./src/foo.cc", StartLine: 15},
			{ID: 5, Name: "std::vector<int>::push_back(int const&)", SystemName: "std::vector<int>::push_back(int const&)", File: "/usr/include/c++/10/bits/stl_vector.h", StartLine: 1180},
			{ID: 6, Name: "operator new(unsigned long)", SystemName: "operator new(unsigned long)", File: "../../../../libstdc++-v3/libsupc++/new_op.cc", StartLine: 42},
			{ID: 7, Name: "malloc", SystemName: "malloc"},
			{ID: 8, Name: "memcpy", SystemName: "__memcpy_avx_unaligned_erms", File: "../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S"},
			{ID: 9, Name: "__libc_start_main", SystemName: "__libc_start_main", File: "../csu/libc-start.c"},
			{ID: 10, SystemName: "_ZN4util4HashEPKcm", File: "src/util/./hash.cc", StartLine: 30},
			{ID: 11, Name: "std::map<std::string, int>::find(std::string const&)", File: "/usr/include/c++/10/bits/stl_map.h", StartLine: 1190},
			{ID: 12, Name: "(anonymous namespace)::ParseHeader(char const*, unsigned long)", SystemName: "(anonymous namespace)::ParseHeader(char const*, unsigned long)", File: "./src/http/../http/parser.cc", StartLine: 75},
			{ID: 13, Name: "Worker::Loop()", SystemName: "Worker::Loop()", File: "/build/server/src/worker.cc", StartLine: 12},
			{ID: 14, Name: "start_thread", SystemName: "start_thread", File: "./nptl/pthread_create.c"},
			{ID: 15, Name: "clone", SystemName: "clone", File: "../sysdeps/unix/sysv/linux/x86_64/clone.S"},
			{ID: 16, Name: "absl::flat_hash_map<int, Foo*>::operator[](int const&)", SystemName: "absl::flat_hash_map<int, Foo*>::operator[](int const&)", File: "/usr/include/absl/container/flat_hash_map.h", StartLine: 395},
			{ID: 17, Name: "Compressor::Compress(std::vector<unsigned char, std::allocator<unsigned char> > const&)", SystemName: "_ZN10Compressor8CompressERKSt6vectorIhSaIhEE", File: "/build/server/src/compress.cc", StartLine: 60},
		},
		Locations: []Location{
			{ID: 1, Mapping: 1, Addr: 0x401a2c, Lines: []Line{{1, 12}}},
			{ID: 2, Mapping: 1, Addr: 0x402110, Lines: []Line{{2, 40}}},
			// Handler::Process inlined into Server::Run.
			{ID: 3, Mapping: 1, Addr: 0x402234, Lines: []Line{{3, 22}, {2, 55}}},
			{ID: 4, Mapping: 1, Addr: 0x403300, Lines: []Line{{4, 17}}},
			// push_back inlined into Foo::Bar.
			{ID: 5, Mapping: 1, Addr: 0x403418, Lines: []Line{{5, 1184}, {4, 21}}},
			{ID: 6, Mapping: 1, Addr: 0x404000, Lines: []Line{{6, 50}}},
			{ID: 7, Mapping: 1, Addr: 0x405508, Lines: []Line{{10, 33}}},
			// map::find inlined into ParseHeader.
			{ID: 8, Mapping: 1, Addr: 0x405604, Lines: []Line{{11, 1197}, {12, 91}}},
			{ID: 9, Mapping: 1, Addr: 0x406020, Lines: []Line{{12, 80}}},
			{ID: 10, Mapping: 1, Addr: 0x407010, Lines: []Line{{13, 14}}},
			// Unsymbolized addresses in the main binary.
			{ID: 11, Mapping: 1, Addr: 0x407800},
			{ID: 12, Mapping: 1, Addr: 0x4079f0},
			{ID: 13, Mapping: 1, Addr: 0x408010, Lines: []Line{{16, 400}}},
			{ID: 14, Mapping: 1, Addr: 0x408100, Lines: []Line{{17, 71}}},
			{ID: 15, Mapping: 1, Addr: 0x407020, Lines: []Line{{13, 18}}},
			{ID: 20, Mapping: 2, Addr: 0x7f3a10028100, Lines: []Line{{7, 0}}},
			{ID: 21, Mapping: 2, Addr: 0x7f3a10029200, Lines: []Line{{8, 0}}},
			{ID: 22, Mapping: 2, Addr: 0x7f3a10029f00, Lines: []Line{{9, 308}}},
			{ID: 23, Mapping: 2, Addr: 0x7f3a1002a000, Lines: []Line{{14, 442}}},
			{ID: 24, Mapping: 2, Addr: 0x7f3a1002a100, Lines: []Line{{15, 100}}},
			// JIT code: no symbols at all.
			{ID: 30, Mapping: 3, Addr: 0x7f3a20001234},
			{ID: 31, Mapping: 3, Addr: 0x7f3a20005678},
			// vdso (clock_gettime), unsymbolizable.
			{ID: 40, Mapping: 4, Addr: 0x7ffd4b1f2a10},
		},
	}
	mainT := []Label{{Key: "thread", Str: "main"}}
	w1 := []Label{{Key: "thread", Str: "worker-1"}}
	w2 := []Label{{Key: "thread", Str: "worker-2"}}
	req := func(base []Label, id int64, size int64) []Label {
		l := append([]Label(nil), base...)
		l = append(l, Label{Key: "request_id", Num: id}, Label{Key: "bytes", Num: size, NumUnit: "bytes"})
		return l
	}
	s := func(n int64, labels []Label, locs ...uint64) Sample {
		return Sample{Locs: locs, Values: []int64{n, n * 10 * ms}, Labels: labels}
	}
	p.Samples = []Sample{
		s(37, req(mainT, 1001, 512), 5, 4, 3, 2, 1, 22),
		s(12, req(mainT, 1002, 4096), 20, 6, 5, 4, 3, 2, 1, 22),
		s(9, mainT, 4, 3, 2, 1, 22),
		s(21, req(mainT, 1003, 1<<20), 7, 9, 2, 1, 22),
		s(16, mainT, 8, 9, 2, 1, 22),
		s(3, mainT, 2, 1, 22),
		s(44, append(req(w1, 2001, 65536), Label{Key: "codec", Str: "zstd"}), 21, 14, 10, 23, 24),
		s(18, w2, 13, 10, 23, 24),
		s(7, w1, 11, 10, 23, 24),
		s(5, w2, 11, 15, 23, 24),
		s(11, append(w2, Label{Key: "handler", Str: "/api/v1/users"}, Label{Key: "handler", Str: "/api/v1/items"}), 30, 31, 12, 10, 23, 24),
		s(4, w1, 40, 15, 23, 24),
		s(25, w1, 10, 23, 24),
		s(2, nil, 24),
	}
	return p
}

// javaProfile imitates what async-profiler / JFR-to-pprof converters
// write: no mappings, no addresses, one line per location.
func javaProfile() *Profile {
	p := &Profile{
		SampleTypes:   []ValueType{{"samples", "count"}, {"cpu", "nanoseconds"}},
		PeriodType:    &ValueType{"cpu", "nanoseconds"},
		Period:        10 * ms,
		TimeNanos:     1700003600000000000,
		DurationNanos: 30 * 1000 * ms,
		DropFrames:    `jdk\.internal\..*`,
		KeepFrames:    `jdk\.internal\.misc\.Unsafe\.park`,
	}
	funcs := []struct{ name, file string }{
		{"java.lang.Thread.run", "Thread.java"},                                           // 1
		{"java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java"}, // 2
		{"java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java"},  // 3
		{"com.example.Server$Handler.handle", "Server.java"},                              // 4
		{"com.example.Server$Handler.lambda$handle$0", "Server.java"},                     // 5
		{"com.example.cache.LruCache.get", "LruCache.java"},                               // 6
		{"java.util.HashMap.put", "HashMap.java"},                                         // 7
		{"java.util.HashMap.putVal", "HashMap.java"},                                      // 8
		{"java.util.HashMap.resize", "HashMap.java"},                                      // 9
		{"java.util.HashMap.hash", "HashMap.java"},                                        // 10
		{"java.lang.String.hashCode", "String.java"},                                      // 11
		{"java.lang.String.<init>", "String.java"},                                        // 12
		{"com.example.json.Parser.parseObject", "Parser.java"},                            // 13
		{"com.example.json.Parser.parseValue", "Parser.java"},                             // 14
		{"com.example.Codec.encode(byte[])", "Codec.java"},                                // 15
		{"jdk.internal.misc.Unsafe.park", "Unsafe.java"},                                  // 16
		{"java.util.concurrent.locks.LockSupport.park", "LockSupport.java"},               // 17
		{"jdk.internal.reflect.GeneratedMethodAccessor12.invoke", ""},                     // 18
		{"java.util.concurrent.LinkedBlockingQueue.take", "LinkedBlockingQueue.java"},     // 19
		{"java.util.concurrent.ThreadPoolExecutor.getTask", "ThreadPoolExecutor.java"},    // 20
		{"com.example.Main.main", "Main.java"},                                            // 21
		{"java.lang.Object.wait", "Object.java"},                                          // 22
		{"java.util.Arrays.copyOf", "Arrays.java"},                                        // 23
		{"java.lang.StringBuilder.append", "StringBuilder.java"},                          // 24
		{"Interpreter", ""}, // 25
	}
	for i, f := range funcs {
		p.Functions = append(p.Functions, Function{ID: uint64(i + 1), Name: f.name, SystemName: f.name, File: f.file})
	}
	// One location per (function, line).
	type fl struct {
		f    uint64
		line int64
	}
	locID := map[fl]uint64{}
	loc := func(f uint64, line int64) uint64 {
		k := fl{f, line}
		if id, ok := locID[k]; ok {
			return id
		}
		id := uint64(len(p.Locations) + 1)
		locID[k] = id
		p.Locations = append(p.Locations, Location{ID: id, Lines: []Line{{f, line}}})
		return id
	}
	// Common bottom of pool threads, root last.
	pool := func() []uint64 { return []uint64{loc(4, 88), loc(3, 1136), loc(2, 635), loc(1, 833)} }
	stack := func(top ...uint64) []uint64 { return append(top, pool()...) }
	thread := func(n string) []Label { return []Label{{Key: "thread", Str: n}} }
	ep := func(th, endpoint string, span int64) []Label {
		return append(thread(th), Label{Key: "endpoint", Str: endpoint}, Label{Key: "span_id", Num: span})
	}
	s := func(n int64, labels []Label, locs []uint64) Sample {
		return Sample{Locs: locs, Values: []int64{n, n * 10 * ms}, Labels: labels}
	}
	p.Samples = []Sample{
		s(120, ep("pool-1-thread-1", "GET /users", 7001), stack(loc(10, 338), loc(8, 623), loc(7, 610), loc(6, 41), loc(5, 95))),
		s(80, ep("pool-1-thread-2", "GET /users", 7002), stack(loc(11, 1504), loc(10, 338), loc(7, 610), loc(6, 41), loc(5, 95))),
		s(45, ep("pool-1-thread-1", "POST /items", 7003), stack(loc(9, 700), loc(8, 661), loc(7, 610), loc(6, 44), loc(5, 95))),
		// Recursive JSON parsing.
		s(66, ep("pool-1-thread-2", "POST /items", 7004), stack(loc(12, 300), loc(14, 152), loc(13, 125), loc(14, 150), loc(13, 125), loc(14, 150), loc(13, 120), loc(5, 97))),
		s(30, ep("pool-1-thread-1", "POST /items", 7005), stack(loc(24, 179), loc(14, 158), loc(13, 125), loc(14, 150), loc(13, 120), loc(5, 97))),
		s(52, thread("pool-1-thread-2"), stack(loc(23, 3512), loc(15, 12), loc(18, 0), loc(5, 99))),
		s(9, thread("pool-1-thread-1"), stack(loc(25, 0), loc(15, 14))),
		// Idle pool threads parked in the queue.
		s(200, thread("pool-1-thread-3"), []uint64{loc(16, 0), loc(17, 211), loc(19, 435), loc(20, 1062), loc(3, 1122), loc(2, 635), loc(1, 833)}),
		s(15, thread("main"), []uint64{loc(22, 0), loc(21, 19)}),
	}
	return p
}

// rawProfile is a small wall-clock profile written without gzip and
// with unpacked repeated fields.
func rawProfile() *Profile {
	return &Profile{
		Unpacked:    true,
		SampleTypes: []ValueType{{"wall", "nanoseconds"}},
		Mappings: []Mapping{{ID: 1, Start: 0x10000, Limit: 0x20000, File: "/usr/local/bin/raw-tool",
			HasFunctions: true, HasFilenames: true, HasLineNumbers: true}},
		Functions: []Function{
			{ID: 1, Name: "main", SystemName: "main", File: "tool.c", StartLine: 1},
			{ID: 2, Name: "compute", SystemName: "compute", File: "tool.c", StartLine: 20},
			{ID: 3, Name: "io_wait", SystemName: "io_wait", File: "io.c", StartLine: 5},
			{ID: 4, Name: "checksum", SystemName: "checksum", File: "tool.c", StartLine: 40},
		},
		Locations: []Location{
			{ID: 1, Mapping: 1, Addr: 0x10100, Lines: []Line{{1, 8}}},
			{ID: 2, Mapping: 1, Addr: 0x10200, Lines: []Line{{2, 25}}},
			{ID: 3, Mapping: 1, Addr: 0x10300, Lines: []Line{{3, 9}}},
			{ID: 4, Mapping: 1, Addr: 0x10400, Lines: []Line{{4, 44}, {2, 27}}},
			{ID: 5, Mapping: 1, Addr: 0x10110, Lines: []Line{{1, 9}}},
		},
		Samples: []Sample{
			{Locs: []uint64{2, 1}, Values: []int64{350 * ms}},
			{Locs: []uint64{4, 1}, Values: []int64{1250 * ms}},
			{Locs: []uint64{3, 5}, Values: []int64{2400 * ms}},
			{Locs: []uint64{1}, Values: []int64{3 * ms}},
		},
	}
}

// heapLikeProfile imitates a tcmalloc-style heap profile with values up
// to gigabytes; it is written as two concatenated gzip members.
func heapLikeProfile() *Profile {
	p := &Profile{
		SampleTypes: []ValueType{{"alloc_objects", "count"}, {"alloc_space", "bytes"}, {"inuse_objects", "count"}, {"inuse_space", "bytes"}},
		PeriodType:  &ValueType{"space", "bytes"},
		Period:      512 * 1024,
		TimeNanos:   1700007200000000000,
		Comments:    []string{"tcmalloc heap sample"},
		Mappings: []Mapping{{ID: 1, Start: 0x555555554000, Limit: 0x555555a00000, Offset: 0, File: "/srv/bin/store",
			BuildID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", HasFunctions: true, HasFilenames: true, HasLineNumbers: true}},
		Functions: []Function{
			{ID: 1, Name: "main", SystemName: "main", File: "/src/store/main.cc"},
			{ID: 2, Name: "Store::Load", SystemName: "_ZN5Store4LoadEv", File: "/src/store/store.cc"},
			{ID: 3, Name: "Arena::Allocate", SystemName: "_ZN5Arena8AllocateEm", File: "/src/store/arena.cc"},
			{ID: 4, Name: "Index::Build", SystemName: "_ZN5Index5BuildEv", File: "/src/store/index.cc"},
			{ID: 5, Name: "Buffer::Grow", SystemName: "_ZN6Buffer4GrowEm", File: "/src/store/buffer.cc"},
			{ID: 6, Name: "Request::Parse", SystemName: "_ZN7Request5ParseEv", File: "/src/store/request.cc"},
		},
		Locations: []Location{
			{ID: 1, Mapping: 1, Addr: 0x555555555100, Lines: []Line{{1, 30}}},
			{ID: 2, Mapping: 1, Addr: 0x555555556200, Lines: []Line{{2, 110}}},
			{ID: 3, Mapping: 1, Addr: 0x555555557300, Lines: []Line{{3, 55}}},
			{ID: 4, Mapping: 1, Addr: 0x555555558400, Lines: []Line{{4, 77}}},
			{ID: 5, Mapping: 1, Addr: 0x555555559500, Lines: []Line{{5, 21}}},
			{ID: 6, Mapping: 1, Addr: 0x55555555a600, Lines: []Line{{6, 42}}},
		},
		Samples: []Sample{
			{Locs: []uint64{3, 2, 1}, Values: []int64{2048, 3 << 30, 1024, 3 << 29}, Labels: []Label{{Key: "bytes", Num: 1572864, NumUnit: "bytes"}}},
			{Locs: []uint64{3, 4, 1}, Values: []int64{9000, 700 << 20, 8000, 600 << 20}, Labels: []Label{{Key: "bytes", Num: 81920, NumUnit: "bytes"}}},
			{Locs: []uint64{5, 6, 1}, Values: []int64{150000, 90 << 20, 120, 75 << 10}, Labels: []Label{{Key: "bytes", Num: 640, NumUnit: "bytes"}}},
			{Locs: []uint64{6, 1}, Values: []int64{31, 900, 3, 96}},
		},
	}
	return p
}

// dupProfile repeats stacks across samples, has all-zero samples, an
// empty stack, and lists locations and functions out of id order.
func dupProfile() *Profile {
	p := &Profile{
		SampleTypes:       []ValueType{{"samples", "count"}, {"wall", "microseconds"}},
		DefaultSampleType: "samples",
		Mappings:          []Mapping{{ID: 9, Start: 0x1000, Limit: 0x9000, File: "/bin/dup", HasFunctions: true}},
		Functions: []Function{
			{ID: 30, Name: "leaf", SystemName: "leaf", File: "dup.c", StartLine: 30},
			{ID: 10, Name: "root", SystemName: "root", File: "dup.c", StartLine: 1},
			{ID: 20, Name: "middle", SystemName: "middle", File: "dup.c", StartLine: 10},
			{ID: 25, Name: "other", SystemName: "other", File: "dup.c", StartLine: 20},
			{ID: 40, Name: "unused", SystemName: "unused", File: "dup.c", StartLine: 50},
		},
		Locations: []Location{
			{ID: 7, Mapping: 9, Addr: 0x1700, Lines: []Line{{30, 33}}},
			{ID: 3, Mapping: 9, Addr: 0x1300, Lines: []Line{{20, 12}}},
			{ID: 100, Mapping: 9, Addr: 0x1a00, Lines: []Line{{25, 22}}},
			{ID: 1, Mapping: 9, Addr: 0x1100, Lines: []Line{{10, 2}}},
			{ID: 5, Mapping: 9, Addr: 0x1500, Lines: []Line{{30, 0}}},
			{ID: 8, Mapping: 9, Addr: 0x1800, Lines: []Line{{40, 51}}},
		},
		Samples: []Sample{
			{Locs: []uint64{7, 3, 1}, Values: []int64{5, 5000}},
			{Locs: []uint64{100, 1}, Values: []int64{2, 1500}},
			{Locs: []uint64{7, 3, 1}, Values: []int64{3, 2500}, Labels: []Label{{Key: "phase", Str: "warm"}}},
			{Locs: []uint64{7, 3, 1}, Values: []int64{0, 0}},
			{Locs: []uint64{5, 3, 1}, Values: []int64{1, 700}},
			{Locs: []uint64{100, 1}, Values: []int64{0, 0}, Labels: []Label{{Key: "phase", Str: "cold"}}},
			{Locs: []uint64{7, 3, 1}, Values: []int64{4, 1200}, Labels: []Label{{Key: "phase", Str: "warm"}}},
			{Locs: []uint64{8, 100, 1}, Values: []int64{0, 0}},
			{Locs: nil, Values: []int64{1, 90}},
			{Locs: []uint64{3, 1}, Values: []int64{2, 800}},
		},
	}
	return p
}
