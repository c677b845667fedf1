package mockserver

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// The bounds on one request, so that no client, with or without
// credentials, can hold a connection or a spooled upload for long.
const (
	// DefaultBodyIdle is how long the server waits for the next byte of a
	// request body before it gives the upload up.
	DefaultBodyIdle = 30 * time.Second
	// DefaultAnswerWrite is how long the server gives a client to take
	// each part of an answer (a large patron list is written in parts).
	DefaultAnswerWrite = 2 * time.Minute
)

// WithBodyIdle sets how long the server waits for the next byte of a body
// (default DefaultBodyIdle).
func WithBodyIdle(d time.Duration) Option {
	return func(s *server) { s.bodyIdle = d }
}

// WithAnswerWrite sets how long a client may take to read each part of an
// answer (default DefaultAnswerWrite).
func WithAnswerWrite(d time.Duration) Option {
	return func(s *server) { s.answerWrite = d }
}

// idleBody gives up a request body that stops arriving: before every read
// the connection's read deadline moves to the idle bound from now. It
// remembers whether the body was read to its end.
type idleBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
	done atomic.Bool
}

// Read reads on, with a fresh deadline.
func (b *idleBody) Read(p []byte) (int, error) {
	b.rc.SetReadDeadline(time.Now().Add(b.idle)) // unsupported in process: no deadline there
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) {
		b.done.Store(true)
	}
	return n, err
}

// hasUnreadBody reports whether r declared a body that was not read to its
// end: answering it, the server must not wait to drain it, but close the
// connection after the answer.
func hasUnreadBody(r *http.Request) bool {
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		return false
	}
	b, ok := r.Body.(*idleBody)
	return !ok || !b.done.Load()
}

// drainGrace is how long the server goes on reading the rest of a small
// body it refused, after the answer is sent, before it closes the
// connection. A client still sending gets to finish and read the answer (a
// connection closed under its writes would be reset before it could); one
// that holds its body back is not waited for longer.
const drainGrace = 200 * time.Millisecond

// netHTTPDrain is how much of an unread body net/http reads after the
// handler, to keep the connection; above it, it closes the connection
// itself, after a pause that lets the client read the answer.
const netHTTPDrain = 256 << 10

// leaveBody makes the server answer r without waiting for a body it
// declared and did not send whole. A large body is left to net/http, which
// answers at once and closes. A small one, which net/http would otherwise
// read for as long as the client holds it back, is read for drainGrace
// after the answer at most, then the connection closes.
func leaveBody(w http.ResponseWriter, r *http.Request) {
	if !hasUnreadBody(r) || r.ContentLength > netHTTPDrain {
		return
	}
	w.Header().Set("Connection", "close")
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(drainGrace)) // unsupported in process, where nothing waits
}

// answerDeadline gives the client answerWrite from now to take what is
// written next.
func (s *server) answerDeadline(w http.ResponseWriter) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.answerWrite))
}

// maxKeptText is how many bytes the server keeps or logs of a text it does
// not bound otherwise: a file's name (which the client chooses, up to the
// body limit), and the username of each row a history entry or a try on
// the web page keeps for its row table. 255 is what a text field may hold
// (R-ROW-15); a longer username fails its row anyway.
const maxKeptText = 255

// keptText returns at most maxKeptText bytes of s, cut at a character
// boundary, as a string of its own: a piece of a larger string would keep
// the whole of it alive.
func keptText(s string) string {
	if len(s) <= maxKeptText {
		return strings.Clone(s)
	}
	cut := maxKeptText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.Clone(s[:cut])
}
