// Command leak is a small "service" whose heap grows. It writes heap
// profiles at three moments, plus goroutine and allocs profiles.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"example.com/leak/internal/cache"
	"example.com/leak/internal/config"
	"example.com/leak/internal/session"
	"example.com/leak/internal/store"
	"example.com/leak/internal/worker"
)

func init() { runtime.MemProfileRate = 1 }

// Server ties the leaking pieces together.
type Server struct {
	cfg      *config.Table
	cache    *cache.Cache
	index    *store.Index
	sessions *session.Manager
	pool     *worker.Pool
}

func newServer() *Server {
	return &Server{
		cfg:      config.Load(),
		cache:    cache.New(),
		index:    store.NewIndex(),
		sessions: session.NewManager(),
		pool:     worker.NewPool(),
	}
}

// handleRequest serves one request: it caches a payload and records it.
func (s *Server) handleRequest(user, item int) {
	payload := makePayload(user, item)
	s.cache.Put(cache.Key(user, item), payload)
	if item%4 == 0 {
		store.Record(payload)
	}
}

func makePayload(user, item int) []byte {
	b := make([]byte, 200+(user*7+item*13)%300)
	for i := range b {
		b[i] = byte(user + item + i)
	}
	return b
}

// serveBatch handles n requests starting at user u0.
func (s *Server) serveBatch(u0, n int) {
	for u := u0; u < u0+n; u++ {
		for item := 0; item < 8; item++ {
			s.handleRequest(u, item)
		}
	}
}

// ingest indexes n large documents (each 64 KiB) starting at id0.
func (s *Server) ingest(id0, n int) {
	for id := id0; id < id0+n; id++ {
		s.index.AddDocument(store.LoadDocument(id, 64<<10))
	}
}

// bigRecord keeps a large buffer in the history.
func (s *Server) bigRecord(n int) {
	for i := 0; i < n; i++ {
		store.Record(make([]byte, 1<<20))
	}
}

func (s *Server) login(from, to int) {
	for id := from; id < to; id++ {
		s.sessions.Open(id)
	}
}

func (s *Server) logout(from, to int) {
	for id := from; id < to; id++ {
		s.sessions.Close(id)
	}
}

// churn allocates garbage that is freed immediately (shows up in allocs only).
func churn(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		tmp := make([]byte, 1024+i%512)
		total += len(tmp)
	}
	return total
}

func writeHeap(dir, name string) {
	runtime.GC()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

func writeLookup(dir, name, profile string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fatal(err)
	}
	if err := pprof.Lookup(profile).WriteTo(f, 0); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "leak:", err)
	os.Exit(1)
}

var sink int

func main() {
	out := flag.String("o", ".", "output directory")
	flag.Parse()

	s := newServer()
	s.pool.Start(3, "ingest")
	s.pool.Start(2, "api")

	// Phase 0: startup traffic.
	s.serveBatch(0, 40)
	s.ingest(0, 5)
	s.login(0, 300)
	s.bigRecord(1)
	sink += churn(200)
	writeHeap(*out, "leak.heap.0.pb.gz")

	// Phase 1: more traffic, half of the sessions log out.
	s.serveBatch(40, 60)
	s.ingest(5, 10)
	s.logout(0, 150)
	s.bigRecord(2)
	sink += churn(400)
	writeHeap(*out, "leak.heap.1.pb.gz")

	// Phase 2: more traffic, all sessions gone, more workers leak.
	s.serveBatch(100, 100)
	s.ingest(15, 10)
	s.logout(150, 300)
	s.bigRecord(3)
	s.pool.Start(2, "batch")
	sink += churn(800)
	writeHeap(*out, "leak.heap.2.pb.gz")

	writeLookup(*out, "leak.goroutine.pb.gz", "goroutine")
	writeLookup(*out, "leak.allocs.pb.gz", "allocs")

	runtime.KeepAlive(s)
	fmt.Printf("leak: cache=%d history=%d docs=%d sessions=%d\n",
		s.cache.Len(), store.HistoryLen(), s.index.Len(), s.sessions.Len())
}
