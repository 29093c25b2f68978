// Package text keeps short substrings of long lines: each substring retains its whole line
// (the seeded "retained substrings" leak).
package text

import "strings"

var names []string

// ReadLine builds one long log line of n bytes.
//go:noinline
func ReadLine(id, n int) string {
	var b strings.Builder
	b.Grow(n)
	for b.Len() < n {
		b.WriteString("user=")
		b.WriteByte(byte('a' + id%26))
		b.WriteString(" path=/api/v1/items ")
	}
	return b.String()
}

// Remember keeps the user field of a line: a substring that pins the line.
//go:noinline
func Remember(line string) {
	names = append(names, line[5:6])
}

// Count is how many names are remembered.
func Count() int { return len(names) }
