// Package store keeps a global history that grows forever and an index
// that retains small substrings of large documents.
package store

import (
	"fmt"
	"strings"
)

// history is a global slice that only grows.
var history [][]byte

// Record appends a copy of ev to the global history.
func Record(ev []byte) {
	history = append(history, append([]byte(nil), ev...))
}

// HistoryLen is the number of recorded events.
func HistoryLen() int { return len(history) }

// Index maps a short document id to its title; the title is a substring
// of the whole document, so the whole document stays reachable.
type Index struct {
	titles map[string]string
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{titles: make(map[string]string)} }

// LoadDocument fabricates a large document.
func LoadDocument(id int, size int) string {
	var b strings.Builder
	b.Grow(size)
	fmt.Fprintf(&b, "doc-%06d|", id)
	for b.Len() < size {
		b.WriteString("lorem ipsum dolor sit amet ")
	}
	return b.String()
}

// AddDocument retains the first few bytes of doc (and so all of doc).
func (ix *Index) AddDocument(doc string) {
	i := strings.IndexByte(doc, '|')
	ix.titles[doc[:i]] = doc[i+1 : i+12]
}

// Len is the number of indexed documents.
func (ix *Index) Len() int { return len(ix.titles) }
