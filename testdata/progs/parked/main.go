// Command parked is a small "service" whose goroutines pile up: idle workers wait for jobs
// (chan receive), leaked requests wait for replies that never come (chan receive, a smaller
// group in the same state), watchers sit in select, lock waiters in semacquire, timers sleep.
// At one moment it writes the goroutine profile in all three forms (protobuf, debug=1,
// debug=2), and the heap, block, mutex and threadcreate profiles as protobuf and debug=1; then more requests leak, parked
// requests come and go, and it writes a second debug=2 dump.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Heap samples are scaled by the sampling rate: keep it above 1 so the scaling is exercised.
// Every blocking event and mutex contention is recorded; the mutex profile's period is 2, so
// its values are scaled.
func init() {
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(2)
}

var (
	jobs    = make(chan int)
	stop    = make(chan struct{})
	mu      sync.Mutex
	started sync.WaitGroup
	keep    [][]byte
)

// worker is an idle pool worker: it waits for a job.
func worker() {
	started.Done()
	for j := range jobs {
		_ = j
	}
}

// leakyRequest asks a backend and waits for a reply that never comes.
func leakyRequest(id int) {
	reply := make(chan string)
	started.Done()
	fmt.Sprint(<-reply, id)
}

// parkedRequest waits for its reply until released; these come and go.
func parkedRequest(release chan struct{}) {
	started.Done()
	<-release
}

// watcher waits on two channels.
func watcher(tick chan int) {
	started.Done()
	select {
	case <-tick:
	case <-stop:
	}
}

// lockWaiter waits for the mutex main holds.
func lockWaiter() {
	started.Done()
	mu.Lock()
	mu.Unlock()
}

// sleeper sleeps.
func sleeper() {
	started.Done()
	time.Sleep(time.Hour)
}

func spawn(n int, f func()) {
	started.Add(n)
	for i := 0; i < n; i++ {
		go f()
	}
}

func leak(n int) {
	started.Add(n)
	for i := 0; i < n; i++ {
		id := i
		go pprof.Do(context.Background(), pprof.Labels("handler", "/api/leak"), func(context.Context) {
			leakyRequest(id)
		})
	}
}

func park(n int) chan struct{} {
	release := make(chan struct{})
	started.Add(n)
	for i := 0; i < n; i++ {
		go parkedRequest(release)
	}
	return release
}

// contend makes blocking events and mutex contention that are over before the snapshot.
func contend() {
	var m sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				m.Lock()
				time.Sleep(10 * time.Microsecond)
				m.Unlock()
			}
		}()
	}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range ch {
				_ = v
			}
		}()
	}
	for j := 0; j < 500; j++ {
		ch <- j
	}
	close(ch)
	wg.Wait()
}

//go:noinline
func allocLarge(n int) { keep = append(keep, make([]byte, n)) }

//go:noinline
func allocSmall(n int) { keep = append(keep, make([]byte, n)) }

//go:noinline
func allocTemp(n int) []byte { return make([]byte, n) }

func write(dir, name string, f func(*os.File) error) {
	out, err := os.Create(filepath.Join(dir, name))
	if err == nil {
		err = f(out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func profile(dir, name, kind string, debug int) {
	write(dir, name, func(f *os.File) error { return pprof.Lookup(kind).WriteTo(f, debug) })
}

// settle waits until every spawned goroutine has parked.
func settle() {
	started.Wait()
	for i := 0; i < 100; i++ {
		runtime.Gosched()
		time.Sleep(2 * time.Millisecond)
	}
}

func main() {
	dir := flag.String("o", ".", "output directory")
	flag.Parse()

	contend()
	mu.Lock()
	spawn(40, worker)
	leak(12)
	first := park(6)
	tick := make(chan int)
	spawn(7, func() { watcher(tick) })
	spawn(5, lockWaiter)
	spawn(3, sleeper)
	for i := 0; i < 200; i++ {
		allocLarge(64 << 10)
		allocSmall(48)
		_ = allocTemp(1 << 10)
	}
	settle()
	runtime.GC()

	// One moment: nothing runs between these writes but the writing itself.
	profile(*dir, "parked.goroutine.pb.gz", "goroutine", 0)
	profile(*dir, "parked.goroutine.1.txt", "goroutine", 1)
	profile(*dir, "parked.goroutine.2.txt", "goroutine", 2)
	profile(*dir, "parked.heap.pb.gz", "heap", 0)
	profile(*dir, "parked.heap.1.txt", "heap", 1)
	// Nothing blocks or contends any more: these hold what contend() did.
	profile(*dir, "parked.block.pb.gz", "block", 0)
	profile(*dir, "parked.block.1.txt", "block", 1)
	profile(*dir, "parked.mutex.pb.gz", "mutex", 0)
	profile(*dir, "parked.mutex.1.txt", "mutex", 1)
	profile(*dir, "parked.threadcreate.pb.gz", "threadcreate", 0)
	profile(*dir, "parked.threadcreate.1.txt", "threadcreate", 1)

	// Later: more requests leak; the first parked requests finish, others park.
	leak(9)
	close(first)
	park(4)
	settle()
	profile(*dir, "parked.goroutine.later.2.txt", "goroutine", 2)
	mu.Unlock()
}
