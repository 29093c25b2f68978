// Package batch allocates working buffers: most are garbage at once (churn), one is kept
// until the next batch (a working set whose size comes and goes).
package batch

var current [][]byte

// Run allocates n temporary buffers and keeps keep buffers of size bytes until the next Run.
//go:noinline
func Run(n, keep, size int) int {
	total := 0
	for i := 0; i < n; i++ {
		tmp := make([]byte, 512+i%1024)
		total += len(tmp)
	}
	current = nil
	for i := 0; i < keep; i++ {
		current = append(current, make([]byte, size))
	}
	return total
}
