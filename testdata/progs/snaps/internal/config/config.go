// Package config loads a large table once and keeps it (a decoy: large and flat).
package config

// Table is the loaded configuration.
type Table struct{ data []byte }

// Load allocates the table.
//go:noinline
func Load(n int) *Table {
	t := &Table{data: make([]byte, n)}
	for i := range t.data {
		t.data[i] = byte(i)
	}
	return t
}

// Size is the table's size.
func (t *Table) Size() int { return len(t.data) }
