// Package bank has accounts guarded by mutexes, to create contention.
package bank

import "sync"

// Account is a balance guarded by a mutex.
type Account struct {
	mu      sync.Mutex
	balance int64
	log     []int64
}

// Deposit adds amount while holding the lock for a while.
func (a *Account) Deposit(amount int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
	a.log = append(a.log, amount)
	spin(2000)
}

// Balance reads the balance.
func (a *Account) Balance() int64 {
	a.mu.Lock()
	b := a.balance
	a.mu.Unlock()
	return b
}

// Ledger is a read-mostly table guarded by a RWMutex.
type Ledger struct {
	mu      sync.RWMutex
	entries map[int]int64
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger { return &Ledger{entries: make(map[int]int64)} }

// Post writes an entry under the write lock.
func (l *Ledger) Post(id int, v int64) {
	l.mu.Lock()
	l.entries[id] = v
	spin(5000)
	l.mu.Unlock()
}

// Lookup reads an entry under the read lock.
func (l *Ledger) Lookup(id int) int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	spin(300)
	return l.entries[id]
}

var sink int

func spin(n int) {
	x := 0
	for i := 0; i < n; i++ {
		x += i * i
	}
	sink += x & 1
}
