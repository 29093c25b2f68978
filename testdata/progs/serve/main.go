// serve: a program that serves net/http/pprof on loopback while it leaks, for trying
// `pprofkit top http://127.0.0.1:PORT/debug/pprof/heap`, the shell and `pprofkit capture`
// against a live process. It writes the port it listens on to -portfile and runs for -for.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strings"
	"time"
)

type cache struct{ entries map[int][]byte }

var leaked = &cache{entries: map[int][]byte{}}

// put keeps every value for ever: the leak.
func (c *cache) put(k int, size int) { c.entries[k] = make([]byte, size) }

// churn allocates garbage that the GC takes back.
func churn(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += len(strings.Repeat("x", 64+i%512))
	}
	return s
}

func main() {
	portfile := flag.String("portfile", "", "write the port here")
	dur := flag.Duration("for", time.Minute, "how long to run")
	flag.Parse()
	runtime.MemProfileRate = 1
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if *portfile != "" {
		if err := os.WriteFile(*portfile, []byte(fmt.Sprintln(port)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	go func() { log.Fatal(http.Serve(ln, nil)) }()
	end := time.Now().Add(*dur)
	for i := 0; time.Now().Before(end); i++ {
		leaked.put(i, 1024+i%4096)
		churn(50)
		time.Sleep(10 * time.Millisecond)
	}
}
