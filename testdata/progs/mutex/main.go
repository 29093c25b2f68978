// Command mutex creates lock contention and channel blocking, and writes
// mutex and block profiles.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/mutex/internal/bank"
)

// transfer hammers one account from several goroutines.
func transfer(acct *bank.Account, workers, n int) {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				acct.Deposit(int64(w + i))
				if i%10 == 0 {
					_ = acct.Balance()
				}
			}
		}(w)
	}
	wg.Wait()
}

// audit mixes readers and writers of the ledger.
func audit(l *bank.Ledger, n int) {
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				_ = l.Lookup(i % 50)
			}
		}(r)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n/4; i++ {
			l.Post(i%50, int64(i))
		}
	}()
	wg.Wait()
}

// pipeline passes items through unbuffered channels.
func pipeline(n int) int {
	src := make(chan int)
	sq := make(chan int)
	done := make(chan int)
	go producer(src, n)
	go squarer(src, sq)
	go consumer(sq, done)
	return <-done
}

func producer(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
	close(out)
}

func squarer(in <-chan int, out chan<- int) {
	for v := range in {
		if v%20 == 0 {
			time.Sleep(20 * time.Microsecond)
		}
		out <- v * v
	}
	close(out)
}

func consumer(in <-chan int, done chan<- int) {
	sum := 0
	for v := range in {
		sum += v
	}
	done <- sum
}

// multiplex waits in a select on a ticker-like channel and a quit channel.
func multiplex(n int) int {
	fast := make(chan int)
	slow := make(chan int)
	quit := make(chan struct{})
	go func() {
		for i := 0; i < n; i++ {
			fast <- i
			if i%5 == 0 {
				time.Sleep(100 * time.Microsecond)
				slow <- i
			}
		}
		close(quit)
	}()
	got := 0
	for {
		select {
		case v := <-fast:
			got += v
		case v := <-slow:
			got -= v
		case <-quit:
			return got
		}
	}
}

// waitForAll blocks in sync.WaitGroup.Wait and sync.Cond.Wait.
func waitForAll(n int) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for !ready {
				cond.Wait()
			}
			mu.Unlock()
		}()
	}
	time.Sleep(2 * time.Millisecond)
	mu.Lock()
	ready = true
	cond.Broadcast()
	mu.Unlock()
	wg.Wait()
}

func write(dir, name, profile string) {
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
	fmt.Fprintln(os.Stderr, "mutex:", err)
	os.Exit(1)
}

func main() {
	out := flag.String("o", ".", "output directory")
	flag.Parse()

	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	acct := &bank.Account{}
	transfer(acct, 8, 400)
	audit(bank.NewLedger(), 2000)
	sum := pipeline(2000)
	got := multiplex(1000)
	waitForAll(6)

	write(*out, "mutex.pb.gz", "mutex")
	write(*out, "block.pb.gz", "block")
	fmt.Println("mutex: done", acct.Balance(), sum, got)
}
