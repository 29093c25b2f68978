// Package poll starts tickers and never stops them (the seeded ticker leak).
package poll

import "time"

var tickers []*time.Ticker

// Start creates a ticker that nobody stops.
//go:noinline
func Start(d time.Duration) { tickers = append(tickers, time.NewTicker(d)) }
