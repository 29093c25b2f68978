// Package textproc tokenizes and counts words.
package textproc

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isVowel(c byte) bool {
	switch toLower(c) {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// Tokenize splits s at white space.
func Tokenize(s []byte) [][]byte {
	var out [][]byte
	start := -1
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// CountVowels counts the vowels of all tokens.
func CountVowels(toks [][]byte) int {
	n := 0
	for _, t := range toks {
		for _, c := range t {
			if isVowel(c) {
				n++
			}
		}
	}
	return n
}

// Counter counts words.
type Counter struct {
	counts map[string]int
}

// NewCounter returns an empty counter.
func NewCounter() *Counter { return &Counter{counts: make(map[string]int)} }

// Add counts every token, lower-cased.
func (c *Counter) Add(toks [][]byte) {
	buf := make([]byte, 0, 64)
	for _, t := range toks {
		buf = buf[:0]
		for _, ch := range t {
			buf = append(buf, toLower(ch))
		}
		c.counts[string(buf)]++
	}
}

// Len is the number of distinct words.
func (c *Counter) Len() int { return len(c.counts) }
