// Package hashing has a hand-written FNV hash and an open-addressing table.
package hashing

const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

func mix(h uint64, b byte) uint64 { return (h ^ uint64(b)) * prime64 }

// FNV1a hashes b.
func FNV1a(b []byte) uint64 {
	h := uint64(offset64)
	for _, c := range b {
		h = mix(h, c)
	}
	return h
}

// Table is an open-addressing hash set of uint64 keys.
type Table struct {
	slots []uint64
	used  int
}

// NewTable returns a table with 1<<bits slots.
func NewTable(bits uint) *Table { return &Table{slots: make([]uint64, 1<<bits)} }

func (t *Table) index(k uint64) int { return int(k & uint64(len(t.slots)-1)) }

func (t *Table) probe(k uint64) int {
	i := t.index(k)
	for t.slots[i] != 0 && t.slots[i] != k {
		i = (i + 1) & (len(t.slots) - 1)
	}
	return i
}

// Insert adds k; the table is cleared when it gets half full.
func (t *Table) Insert(k uint64) {
	if k == 0 {
		k = 1
	}
	if t.used*2 >= len(t.slots) {
		for i := range t.slots {
			t.slots[i] = 0
		}
		t.used = 0
	}
	i := t.probe(k)
	if t.slots[i] == 0 {
		t.slots[i] = k
		t.used++
	}
}

// Contains reports whether k is in the table.
func (t *Table) Contains(k uint64) bool {
	if k == 0 {
		k = 1
	}
	return t.slots[t.probe(k)] == k
}
