// Command snaps is a small "service" that leaks slowly while larger things around it do not.
// It writes a series of heap and goroutine snapshots, PREFIX.heap.I.pb.gz and
// PREFIX.goroutine.I.pb.gz for I = 0..n-1, a fixed interval apart (each profile's Time is the
// moment it was written). The seed varies every amount, so that two seeds give two different
// series of the same program.
//
// Seeded leaks (grow at every step):
//   - cache.(*Cache).Put: a cache that never evicts
//   - text.ReadLine: long lines pinned by short substrings (text.Remember)
//   - time.NewTicker via poll.Start: tickers nobody stops
//   - watch.wait (chan receive) and watch.Follow.func1 (select): goroutines blocked for ever
//
// Decoys:
//   - config.Load: a large buffer allocated once and kept (large and flat)
//   - sawtooth.(*Cache).Fill: a cache that fills up and is emptied once (sawtooth)
//   - batch.Run: churn, and a working set whose size comes and goes at random
//   - watch.serve: a fixed pool of workers; watch.help: helpers that come and go
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"example.com/snaps/internal/batch"
	"example.com/snaps/internal/cache"
	"example.com/snaps/internal/config"
	"example.com/snaps/internal/poll"
	"example.com/snaps/internal/sawtooth"
	"example.com/snaps/internal/text"
	"example.com/snaps/internal/watch"
)

func init() { runtime.MemProfileRate = 1 }

func write(dir, name, profile string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fatal(err)
	}
	if profile == "heap" {
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
	} else {
		err = pprof.Lookup(profile).WriteTo(f, 0)
	}
	if err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "snaps:", err)
	os.Exit(1)
}

var sink int

func main() {
	out := flag.String("o", ".", "output directory")
	seed := flag.Int64("seed", 1, "seed of every amount")
	prefix := flag.String("prefix", "snaps", "file name prefix")
	n := flag.Int("n", 6, "number of snapshots")
	interval := flag.Duration("interval", 400*time.Millisecond, "time between snapshots")
	flag.Parse()
	rng := rand.New(rand.NewSource(*seed))

	cfg := config.Load(4<<20 + rng.Intn(1<<20))
	c := cache.New()
	var saw sawtooth.Cache
	flushAt := 2 + rng.Intn(2)
	jobs := make(chan int)
	watch.Pool(4+rng.Intn(3), jobs)
	var done chan struct{}
	key := 0
	line := 0
	topics := []string{"orders", "audit"}

	for i := 0; i < *n; i++ {
		start := time.Now()
		// Leaks: a little more at every step.
		for k := 30 + rng.Intn(20); k > 0; k-- {
			c.Put(key, make([]byte, 200+rng.Intn(100)))
			key++
		}
		for k := 5 + rng.Intn(5); k > 0; k-- {
			text.Remember(text.ReadLine(line, 1500+rng.Intn(1000)))
			line++
		}
		for k := 2 + rng.Intn(2); k > 0; k-- {
			poll.Start(time.Hour)
		}
		for k := 2 + rng.Intn(2); k > 0; k-- {
			watch.Subscribe(topics[k%2])
		}
		for k := 1 + rng.Intn(2); k > 0; k-- {
			watch.Follow()
		}
		// Decoys.
		if i == flushAt {
			saw.Flush()
		}
		saw.Fill(20+rng.Intn(20), 32<<10)
		sink += batch.Run(1000+rng.Intn(1000), 1+rng.Intn(8), 64<<10)
		if done != nil {
			close(done)
		}
		done = make(chan struct{})
		watch.Helpers(rng.Intn(6), done)

		time.Sleep(50 * time.Millisecond) // let the new goroutines reach their blocking point
		write(*out, fmt.Sprintf("%s.heap.%d.pb.gz", *prefix, i), "heap")
		write(*out, fmt.Sprintf("%s.goroutine.%d.pb.gz", *prefix, i), "goroutine")
		if i+1 < *n {
			time.Sleep(*interval - time.Since(start))
		}
	}
	runtime.KeepAlive(cfg)
	runtime.KeepAlive(&saw)
	fmt.Printf("snaps: cache=%d lines=%d config=%d\n", c.Len(), text.Count(), cfg.Size())
}
