// Package session holds per-client sessions that are freed when the
// client logs out.
package session

import "strconv"

// Session is one client session.
type Session struct {
	ID      string
	Scratch []byte
	Attrs   map[string]string
}

// Manager owns the live sessions.
type Manager struct {
	live map[int]*Session
}

// NewManager returns an empty manager.
func NewManager() *Manager { return &Manager{live: make(map[int]*Session)} }

// Open creates the session for client id.
func (m *Manager) Open(id int) *Session {
	s := &Session{
		ID:      "sess-" + strconv.Itoa(id),
		Scratch: make([]byte, 2048),
		Attrs:   map[string]string{"client": strconv.Itoa(id)},
	}
	m.live[id] = s
	return s
}

// Close drops the session for client id.
func (m *Manager) Close(id int) { delete(m.live, id) }

// Len is the number of live sessions.
func (m *Manager) Len() int { return len(m.live) }
