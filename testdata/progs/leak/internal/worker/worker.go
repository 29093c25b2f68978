// Package worker starts goroutines that leak: they block forever.
package worker

import (
	"context"
	"runtime/pprof"
	"time"
)

// Pool is a set of workers that wait for jobs that never come.
type Pool struct {
	jobs   chan []byte
	quit   chan struct{}
	ticker chan time.Time
	state  [][]byte
}

// NewPool returns a pool with an unbuffered job channel.
func NewPool() *Pool {
	return &Pool{jobs: make(chan []byte), quit: make(chan struct{}), ticker: make(chan time.Time)}
}

// Start launches n receivers and n watchers under pprof labels.
func (p *Pool) Start(n int, role string) {
	pprof.Do(context.Background(), pprof.Labels("pool", role), func(ctx context.Context) {
		for i := 0; i < n; i++ {
			buf := make([]byte, 512)
			p.state = append(p.state, buf)
			go p.receive(buf)
			go p.watch()
		}
	})
}

// receive blocks forever on a channel receive.
func (p *Pool) receive(buf []byte) {
	for job := range p.jobs {
		copy(buf, job)
	}
}

// watch blocks forever in a select.
func (p *Pool) watch() {
	for {
		select {
		case <-p.quit:
			return
		case t := <-p.ticker:
			_ = t
		}
	}
}
