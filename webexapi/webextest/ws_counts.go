package webextest

// WebsocketCounts are the fake's own counts of its websockets, so that a test can check from
// the server's side that a cut happened and was followed by a reconnection.
type WebsocketCounts struct {
	// Opened counts the websockets accepted (upgraded) since the start.
	Opened int
	// Cut counts the open websockets DropWebsockets cut.
	Cut int
}

// WebsocketCounts returns the websocket counts so far.
func (s *Server) WebsocketCounts() WebsocketCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.ws
}
