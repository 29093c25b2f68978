// Package cache is a map cache that is never evicted: it only grows.
package cache

import (
	"strconv"
	"sync"
)

// Entry is one cached value.
type Entry struct {
	Key     string
	Val     []byte
	Hits    int
	Version int64
}

// Cache maps keys to entries and never forgets anything.
type Cache struct {
	mu sync.Mutex
	m  map[string]*Entry
}

// New returns an empty cache.
func New() *Cache {
	return &Cache{m: make(map[string]*Entry)}
}

// Put stores a private copy of val under key.
func (c *Cache) Put(key string, val []byte) {
	e := &Entry{Key: key, Val: append([]byte(nil), val...)}
	c.mu.Lock()
	c.m[key] = e
	c.mu.Unlock()
}

// Get returns the value stored under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e.Hits++
	return e.Val, true
}

// Len is the number of entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Key builds a cache key for a user and an item.
func Key(user, item int) string {
	return "user:" + strconv.Itoa(user) + ":item:" + strconv.Itoa(item)
}
