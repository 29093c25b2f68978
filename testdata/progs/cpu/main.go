// Command cpu burns CPU in several labelled hot paths and writes a CPU
// profile.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/cpu/internal/hashing"
	"example.com/cpu/internal/mathx"
	"example.com/cpu/internal/sortx"
	"example.com/cpu/internal/textproc"
)

var sink int

// lcg is a tiny deterministic pseudo-random generator.
type lcg uint64

func (r *lcg) next() uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return uint64(*r >> 17)
}

func makeText(r *lcg, n int) []byte {
	words := []string{"Alpha", "beta", "GAMMA", "delta", "epsilon", "zeta", "Eta", "theta", "iota", "kappa"}
	var b []byte
	for len(b) < n {
		b = append(b, words[r.next()%uint64(len(words))]...)
		if r.next()%7 == 0 {
			b = append(b, '\n')
		} else {
			b = append(b, ' ')
		}
	}
	return b
}

func phaseText(r *lcg) {
	text := makeText(r, 32<<10)
	toks := textproc.Tokenize(text)
	c := textproc.NewCounter()
	c.Add(toks)
	sink += textproc.CountVowels(toks) + c.Len()
}

func phaseHash(r *lcg) {
	t := hashing.NewTable(12)
	buf := make([]byte, 48)
	for i := 0; i < 4000; i++ {
		for j := range buf {
			buf[j] = byte(r.next())
		}
		h := hashing.FNV1a(buf)
		t.Insert(h)
		if t.Contains(h ^ 1) {
			sink++
		}
	}
}

func phaseSort(r *lcg) {
	s := make([]int, 20000)
	for i := range s {
		s[i] = int(r.next() % 100000)
	}
	sortx.Quicksort(s)
	var st sortx.Stack[int]
	for _, v := range s[:1000] {
		st.Push(v)
	}
	for {
		v, ok := st.Pop()
		if !ok {
			break
		}
		sink += v
	}
	sink += sortx.Sum(s[:100])
}

func phaseMath(r *lcg) {
	sink += mathx.Fib(22)
	sink += mathx.Ackermann(2, 200)
	a := make([]float64, 4096)
	b := make([]float64, 4096)
	for i := range a {
		a[i] = float64(r.next()%1000) / 7
		b[i] = float64(r.next()%1000) / 3
	}
	sink += int(mathx.Dot(a, b))
	sink += int(sortx.Sum(a))
}

func phaseMatrix(r *lcg) {
	const n = 48
	a := &mathx.Matrix{N: n, Data: make([]float64, n*n)}
	b := &mathx.Matrix{N: n, Data: make([]float64, n*n)}
	for i := range a.Data {
		a.Data[i] = float64(r.next() % 10)
		b.Data[i] = float64(r.next() % 10)
	}
	c := mathx.Mul(a, b)
	sink += int(c.At(1, 1))
}

type phase struct {
	name string
	fn   func(*lcg)
}

// runWorker loops over its phases until the deadline, each phase under a
// "phase" label.
func runWorker(ctx context.Context, seed uint64, phases []phase, deadline time.Time, mu *sync.Mutex) {
	r := lcg(seed)
	local := 0
	for time.Now().Before(deadline) {
		for _, p := range phases {
			pprof.Do(ctx, pprof.Labels("phase", p.name), func(context.Context) {
				p.fn(&r)
			})
			local++
		}
	}
	mu.Lock()
	sink += local
	mu.Unlock()
}

func main() {
	out := flag.String("o", ".", "output directory")
	dur := flag.Duration("d", 2500*time.Millisecond, "how long to burn CPU")
	flag.Parse()

	f, err := os.Create(filepath.Join(*out, "cpu.pb.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpu:", err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "cpu:", err)
		os.Exit(1)
	}

	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	var mu sync.Mutex
	workers := []struct {
		name   string
		seed   uint64
		phases []phase
	}{
		{"a", 1, []phase{{"text", phaseText}, {"hash", phaseHash}, {"sort", phaseSort}}},
		{"b", 2, []phase{{"math", phaseMath}, {"matrix", phaseMatrix}, {"hash", phaseHash}}},
	}
	for _, w := range workers {
		w := w
		wg.Add(1)
		pprof.Do(context.Background(), pprof.Labels("worker", w.name), func(ctx context.Context) {
			go func() {
				defer wg.Done()
				runWorker(ctx, w.seed, w.phases, deadline, &mu)
			}()
		})
	}
	// The main goroutine also works, without labels.
	r := lcg(3)
	for time.Now().Before(deadline) {
		phaseText(&r)
		sink += mathx.Fib(18)
	}
	wg.Wait()

	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "cpu:", err)
		os.Exit(1)
	}
	fmt.Println("cpu: done", sink != 0)
}
