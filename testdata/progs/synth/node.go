package main

// "Node" profiles, shaped as google's pprof npm module (and @datadog/pprof)
// writes them from V8's CPU and sampling heap profilers: no mappings, address
// 0, one Line per location, function names as V8 gives them ("(anonymous)",
// "Module._compile"), file names as URLs or paths ("node:internal/...",
// "/app/server.js", "file:///app/lib/db.mjs"), V8's synthetic root frames
// ("(program)", "(garbage collector)", "(idle)"; "(V8 API)" in the heap).

// nodeFuncs builds the functions and one location per (function, line) of a
// Node profile; the returned loc gives a location's id.
type nodeFuncs struct {
	p     *Profile
	funcs map[[2]string]uint64
	locs  map[[2]uint64]uint64
}

func newNodeFuncs(p *Profile) *nodeFuncs {
	return &nodeFuncs{p: p, funcs: map[[2]string]uint64{}, locs: map[[2]uint64]uint64{}}
}

// loc is the location of function name in file at line (V8 reports the line
// of the frame; 0 for its synthetic frames).
func (n *nodeFuncs) loc(name, file string, line int64) uint64 {
	k := [2]string{name, file}
	f, ok := n.funcs[k]
	if !ok {
		f = uint64(len(n.p.Functions) + 1)
		n.funcs[k] = f
		n.p.Functions = append(n.p.Functions, Function{ID: f, Name: name, SystemName: name, File: file})
	}
	lk := [2]uint64{f, uint64(line)}
	if id, ok := n.locs[lk]; ok {
		return id
	}
	id := uint64(len(n.p.Locations) + 1)
	n.locs[lk] = id
	n.p.Locations = append(n.p.Locations, Location{ID: id, Lines: []Line{{f, line}}})
	return id
}

// The frames below every request handler and timer, leaf first.
func nodeTickBottom(n *nodeFuncs) []uint64 {
	return []uint64{n.loc("processTicksAndRejections", "node:internal/process/task_queues", 95)}
}

func nodeHTTPBottom(n *nodeFuncs) []uint64 {
	return []uint64{
		n.loc("emit", "node:events", 519),
		n.loc("parserOnIncoming", "node:_http_server", 1143),
		n.loc("parserOnHeadersComplete", "node:_http_common", 119),
	}
}

func nodeStartupBottom(n *nodeFuncs) []uint64 {
	return []uint64{
		n.loc("(anonymous)", "/app/server.js", 1),
		n.loc("Module._compile", "node:internal/modules/cjs/loader", 1256),
		n.loc("Module._extensions..js", "node:internal/modules/cjs/loader", 1310),
		n.loc("Module.load", "node:internal/modules/cjs/loader", 1119),
		n.loc("Module._load", "node:internal/modules/cjs/loader", 960),
		n.loc("executeUserEntryPoint", "node:internal/modules/run_main", 86),
		n.loc("(anonymous)", "node:internal/main/run_main_module", 23),
	}
}

func cat(parts ...[]uint64) []uint64 {
	var out []uint64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// nodeProfile imitates a wall-time profile of a small HTTP server: samples
// are counts of 1 ms ticks and their wall time in microseconds (measured
// between ticks, so not an exact multiple of the interval).
func nodeProfile() *Profile {
	p := &Profile{
		SampleTypes:   []ValueType{{"samples", "count"}, {"wall", "microseconds"}},
		PeriodType:    &ValueType{"wall", "microseconds"},
		Period:        1000,
		TimeNanos:     1700010800000000000,
		DurationNanos: 10 * 1000 * ms,
	}
	n := newNodeFuncs(p)
	handler := func(line int64) []uint64 {
		return []uint64{n.loc("(anonymous)", "/app/server.js", line), n.loc("handleRequest", "/app/server.js", 18)}
	}
	req := func(endpoint string) []Label {
		return []Label{{Key: "thread name", Str: "Main Event Loop"}, {Key: "trace endpoint", Str: endpoint}}
	}
	main := []Label{{Key: "thread name", Str: "Main Event Loop"}}
	s := func(count, wall int64, labels []Label, locs []uint64) Sample {
		return Sample{Locs: locs, Values: []int64{count, wall}, Labels: labels}
	}
	p.Samples = []Sample{
		// V8's synthetic frames, alone on their stacks.
		s(4210, 4213877, nil, []uint64{n.loc("(idle)", "", 0)}),
		s(388, 391204, nil, []uint64{n.loc("(program)", "", 0)}),
		s(97, 96410, nil, []uint64{n.loc("(garbage collector)", "", 0)}),
		// GET /users: rendering, JSON.
		s(612, 613950, req("GET /users"), cat([]uint64{
			n.loc("escapeHtml", "/app/lib/render.js", 12),
			n.loc("(anonymous)", "/app/lib/render.js", 31),
			n.loc("renderPage", "/app/lib/render.js", 77)}, handler(44), nodeHTTPBottom(n))),
		s(301, 299871, req("GET /users"), cat([]uint64{
			n.loc("stringify", "", 0),
			n.loc("renderPage", "/app/lib/render.js", 80)}, handler(44), nodeHTTPBottom(n))),
		// POST /login: a synchronous key derivation on the event loop.
		s(955, 958220, req("POST /login"), cat([]uint64{
			n.loc("pbkdf2Sync", "node:internal/crypto/pbkdf2", 60),
			n.loc("hashPassword", "/app/lib/auth.js", 12),
			n.loc("login", "/app/lib/auth.js", 30)}, handler(52), nodeHTTPBottom(n))),
		// Database: an ES module, results in promise callbacks.
		s(143, 141002, req("GET /users"), cat([]uint64{
			n.loc("(anonymous)", "file:///app/lib/db.mjs", 51),
			n.loc("query", "file:///app/lib/db.mjs", 33)}, nodeTickBottom(n))),
		s(88, 90515, req("POST /login"), cat([]uint64{
			n.loc("parseRow", "file:///app/lib/db.mjs", 70),
			n.loc("(anonymous)", "file:///app/lib/db.mjs", 51),
			n.loc("query", "file:///app/lib/db.mjs", 33)}, nodeTickBottom(n))),
		// A timer: cache sweep.
		s(57, 57330, main, []uint64{
			n.loc("sweep", "/app/lib/cache.js", 40),
			n.loc("listOnTimeout", "node:internal/timers", 569),
			n.loc("processTimers", "node:internal/timers", 512)}),
		// Startup: requiring modules.
		s(121, 123410, main, cat([]uint64{
			n.loc("compileFunction", "node:vm", 360),
			n.loc("wrapSafe", "node:internal/modules/cjs/loader", 1195)}, nodeStartupBottom(n))),
		s(35, 34120, main, cat([]uint64{
			n.loc("readFileSync", "node:fs", 453),
			n.loc("Module._extensions..js", "node:internal/modules/cjs/loader", 1308)}, nodeStartupBottom(n)[3:])),
		// Recursion through an anonymous function.
		s(64, 63871, req("GET /tree"), cat([]uint64{
			n.loc("walk", "/app/lib/tree.js", 9),
			n.loc("(anonymous)", "/app/lib/tree.js", 14),
			n.loc("walk", "/app/lib/tree.js", 11),
			n.loc("(anonymous)", "/app/lib/tree.js", 14),
			n.loc("walk", "/app/lib/tree.js", 11)}, handler(60), nodeHTTPBottom(n))),
	}
	return p
}

// nodeHeapProfile imitates a sampling heap profile: objects/count and
// space/bytes, a 512 KiB sampling interval.
func nodeHeapProfile() *Profile {
	p := &Profile{
		SampleTypes: []ValueType{{"objects", "count"}, {"space", "bytes"}},
		PeriodType:  &ValueType{"space", "bytes"},
		Period:      512 * 1024,
		TimeNanos:   1700010810000000000,
	}
	n := newNodeFuncs(p)
	handler := []uint64{n.loc("(anonymous)", "/app/server.js", 44), n.loc("handleRequest", "/app/server.js", 18)}
	s := func(count, bytes int64, locs []uint64) Sample {
		return Sample{Locs: locs, Values: []int64{count, bytes}}
	}
	p.Samples = []Sample{
		// A cache that never evicts: Map entries and the strings they keep.
		s(2113, 3*1024*1024+17408, cat([]uint64{
			n.loc("set", "/app/lib/cache.js", 22),
			n.loc("renderPage", "/app/lib/render.js", 88)}, handler, nodeHTTPBottom(n))),
		s(1480, 1536*1024, cat([]uint64{
			n.loc("(anonymous)", "/app/lib/render.js", 31),
			n.loc("renderPage", "/app/lib/render.js", 77)}, handler, nodeHTTPBottom(n))),
		// Buffers for responses.
		s(36, 2*1024*1024+4096, cat([]uint64{
			n.loc("allocUnsafe", "node:buffer", 383),
			n.loc("from", "node:buffer", 320),
			n.loc("stringify", "", 0),
			n.loc("renderPage", "/app/lib/render.js", 80)}, handler, nodeHTTPBottom(n))),
		// Rows kept by the database module.
		s(930, 761856, cat([]uint64{
			n.loc("parseRow", "file:///app/lib/db.mjs", 70),
			n.loc("(anonymous)", "file:///app/lib/db.mjs", 51),
			n.loc("query", "file:///app/lib/db.mjs", 33)}, nodeTickBottom(n))),
		// Modules compiled at startup.
		s(412, 655360, cat([]uint64{
			n.loc("compileFunction", "node:vm", 360),
			n.loc("wrapSafe", "node:internal/modules/cjs/loader", 1195)}, nodeStartupBottom(n))),
		// Allocations from native code, a root of their own.
		s(18, 540672, []uint64{n.loc("(V8 API)", "", 0)}),
		// A sample whose counts were all freed (0 objects, 0 bytes).
		s(0, 0, cat([]uint64{n.loc("sweep", "/app/lib/cache.js", 41)}, []uint64{
			n.loc("listOnTimeout", "node:internal/timers", 569),
			n.loc("processTimers", "node:internal/timers", 512)})),
	}
	return p
}
