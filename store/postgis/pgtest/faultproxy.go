package pgtest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
)

// DatabaseState is how a FaultProxy lets a database behave.
type DatabaseState string

// The states of a FaultProxy.
const (
	// Up passes everything.
	Up DatabaseState = "up"
	// Stopped closes every connection and refuses new ones, as a database
	// that was shut down.
	Stopped DatabaseState = "stopped"
	// Frozen keeps connections open and accepts new ones but passes
	// nothing, as a database under kill -STOP or behind a dead link.
	Frozen DatabaseState = "frozen"
)

// ParseDatabaseState reads a state by its name.
func ParseDatabaseState(s string) (DatabaseState, error) {
	switch st := DatabaseState(s); st {
	case Up, Stopped, Frozen:
		return st, nil
	}
	return "", fmt.Errorf("pgtest: unknown database state %q (want up, stopped or frozen)", s)
}

// FaultProxy forwards TCP connections to a PostgreSQL server and can make
// it fail as a database does, without touching the server: tests and the
// load suite (scripts/faultproxy) put it between wijkkaart and PostgreSQL.
type FaultProxy struct {
	ln      net.Listener
	backend string

	mu     sync.Mutex
	state  DatabaseState
	conns  map[net.Conn]struct{}
	thawed chan struct{} // closed unless frozen
}

// NewFaultProxy listens on addr ("127.0.0.1:0" for any port) and forwards
// to backend (host:port) until Close, starting Up.
func NewFaultProxy(addr, backend string) (*FaultProxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pgtest: fault proxy: %w", err)
	}
	p := &FaultProxy{ln: ln, backend: backend, state: Up, conns: make(map[net.Conn]struct{}), thawed: make(chan struct{})}
	close(p.thawed)
	go p.accept()
	return p, nil
}

// Addr returns the address the proxy listens on.
func (p *FaultProxy) Addr() string { return p.ln.Addr().String() }

// URL returns dbURL with the proxy as its host.
func (p *FaultProxy) URL(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", fmt.Errorf("pgtest: fault proxy: %w", err)
	}
	u.Host = p.Addr()
	return u.String(), nil
}

// Set changes the database's state.
func (p *FaultProxy) Set(state DatabaseState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case state == Frozen && p.state != Frozen:
		p.thawed = make(chan struct{})
	case state != Frozen && p.state == Frozen:
		close(p.thawed)
	}
	if state == Stopped {
		p.closeConns()
	}
	p.state = state
}

// State returns the database's state.
func (p *FaultProxy) State() DatabaseState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Close stops listening and closes every connection.
func (p *FaultProxy) Close() error {
	p.Set(Stopped)
	return p.ln.Close()
}

// closeConns closes every open connection; p.mu is held.
func (p *FaultProxy) closeConns() {
	for c := range p.conns {
		c.Close() //nolint:errcheck // closing is the fault being simulated
	}
	clear(p.conns)
}

func (p *FaultProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // a connection that failed before it was accepted
		}
		p.connect(client)
	}
}

// connect links client to a new connection to the backend, unless the
// database is stopped.
func (p *FaultProxy) connect(client net.Conn) {
	if p.State() == Stopped {
		client.Close() //nolint:errcheck // a stopped database refuses
		return
	}
	server, err := net.Dial("tcp", p.backend)
	if err != nil {
		client.Close() //nolint:errcheck // the backend refused; so do we
		return
	}
	p.mu.Lock()
	p.conns[client], p.conns[server] = struct{}{}, struct{}{}
	p.mu.Unlock()
	go p.pipe(client, server)
	go p.pipe(server, client)
}

// pipe copies from src to dst, holding each chunk while the database is
// frozen.
func (p *FaultProxy) pipe(dst, src net.Conn) {
	defer func() {
		dst.Close() //nolint:errcheck // the other direction sees the close
		p.mu.Lock()
		delete(p.conns, dst)
		p.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			thawed := p.thawed
			p.mu.Unlock()
			<-thawed
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF or closed: the connection is over
		}
	}
}
