// Package sortx has a recursive quicksort and a generic stack.
package sortx

func less(a, b int) bool { return a < b }

func swap(s []int, i, j int) { s[i], s[j] = s[j], s[i] }

func partition(s []int) int {
	p := s[(len(s)-1)/2]
	i, j := -1, len(s)
	for {
		i++
		for less(s[i], p) {
			i++
		}
		j--
		for less(p, s[j]) {
			j--
		}
		if i >= j {
			return j
		}
		swap(s, i, j)
	}
}

// Quicksort sorts s in place, recursively.
func Quicksort(s []int) {
	if len(s) < 2 {
		return
	}
	p := partition(s)
	Quicksort(s[:p+1])
	Quicksort(s[p+1:])
}

// Stack is a generic LIFO.
type Stack[T any] struct {
	items []T
}

// Push adds v.
func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

// Pop removes the top element.
func (s *Stack[T]) Pop() (T, bool) {
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

// Sum adds up the values of any numeric slice.
func Sum[T int | float64](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}
