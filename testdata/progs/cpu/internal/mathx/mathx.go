// Package mathx has small numeric helpers, most of them inlined.
package mathx

// Fib is the classic exponential recursion.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

func mul(a, b float64) float64 { return a * b }

func add(a, b float64) float64 { return a + b }

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// Dot is the dot product of a and b, each term clamped.
func Dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s = add(s, clamp(mul(a[i], b[i]), -1e6, 1e6))
	}
	return s
}

// Matrix is a dense row-major square matrix.
type Matrix struct {
	N    int
	Data []float64
}

// At returns element (i, j).
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.N+j] }

// Set stores element (i, j).
func (m *Matrix) Set(i, j int, v float64) { m.Data[i*m.N+j] = v }

// Mul returns a*b.
func Mul(a, b *Matrix) *Matrix {
	c := &Matrix{N: a.N, Data: make([]float64, a.N*a.N)}
	for i := 0; i < a.N; i++ {
		for j := 0; j < a.N; j++ {
			s := 0.0
			for k := 0; k < a.N; k++ {
				s = add(s, mul(a.At(i, k), b.At(k, j)))
			}
			c.Set(i, j, s)
		}
	}
	return c
}

// Ackermann is deeply recursive for small arguments.
func Ackermann(m, n int) int {
	switch {
	case m == 0:
		return n + 1
	case n == 0:
		return Ackermann(m-1, 1)
	}
	return Ackermann(m-1, Ackermann(m, n-1))
}
