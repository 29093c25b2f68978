// Package sawtooth is a cache that fills up and is then emptied (a decoy).
package sawtooth

// Cache holds blocks until Flush.
type Cache struct{ blocks [][]byte }

// Fill adds n blocks of size bytes.
//go:noinline
func (c *Cache) Fill(n, size int) {
	for i := 0; i < n; i++ {
		c.blocks = append(c.blocks, make([]byte, size))
	}
}

// Flush empties the cache.
func (c *Cache) Flush() { c.blocks = nil }
