// Package config loads a large static table once at startup.
package config

// Table is the routing table, loaded once and never changed.
type Table struct {
	Routes [][]byte
	Blob   []byte
}

// Load allocates the table: one 3 MiB blob plus small routes.
func Load() *Table {
	t := &Table{Blob: make([]byte, 3<<20)}
	for i := range t.Blob {
		t.Blob[i] = byte(i)
	}
	for i := 0; i < 40; i++ {
		t.Routes = append(t.Routes, make([]byte, 100+i))
	}
	return t
}
