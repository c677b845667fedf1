package builtin

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// pipeDialer returns a Dial for a target served by h in process: each
// connection is one end of a pipe whose other end a net/http server of its
// own reads, so a request written byte for byte is parsed as a server on a
// socket parses it.
func pipeDialer(h http.Handler) func(context.Context) (net.Conn, error) {
	return func(ctx context.Context) (net.Conn, error) {
		client, server := net.Pipe()
		srv := &http.Server{Handler: h, ReadHeaderTimeout: time.Minute}
		go srv.Serve(&oneConn{conn: server})
		return client, nil
	}
}

// oneConn is a listener that accepts one connection: the server serves it
// and stops listening.
type oneConn struct {
	mu   sync.Mutex
	conn net.Conn
}

func (l *oneConn) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return nil, net.ErrClosed
	}
	c := l.conn
	l.conn = nil
	return c, nil
}

func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "127.0.0.1:0" }
