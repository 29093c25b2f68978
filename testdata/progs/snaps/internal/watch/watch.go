// Package watch starts goroutines that block for ever (the seeded goroutine leak) and a fixed
// pool plus short-lived helpers (decoys).
package watch

import (
	"context"
	"runtime/pprof"
)

var (
	never = make(chan int)
	quit  = make(chan struct{})
)

// Subscribe starts a goroutine that waits for an event that never comes.
func Subscribe(topic string) {
	pprof.Do(context.Background(), pprof.Labels("topic", topic), func(context.Context) {
		go wait()
	})
}

func wait() {
	v := <-never
	_ = v
}

// Follow starts a goroutine blocked in a select on channels nobody writes.
func Follow() {
	go func() {
		select {
		case <-never:
		case <-quit:
		}
	}()
}

// Pool starts n long-lived workers once (a decoy: their number does not change).
func Pool(n int, jobs chan int) {
	for i := 0; i < n; i++ {
		go serve(jobs)
	}
}

func serve(jobs chan int) {
	for range jobs {
	}
}

// Helpers starts n helpers that exit when done is closed (a decoy that comes and goes).
func Helpers(n int, done chan struct{}) {
	for i := 0; i < n; i++ {
		go help(done)
	}
}

func help(done chan struct{}) { <-done }
