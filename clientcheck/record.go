package clientcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"
	"time"
)

// The bounds of what is recorded of one request: its body (beyond it the
// request is refused with 413, so that a runaway client cannot fill the
// memory), and the answer kept to show.
const (
	maxRecordedBody   = 32 << 20
	maxRecordedAnswer = 64 << 10
)

// Request is one HTTP request a scenario's servers received, as they saw
// it: what the command sent and what it was answered.
type Request struct {
	// Server names the listener: "import" for the one the command was
	// given, "other host" and "plain HTTP" for the targets of redirects.
	Server string
	Method string
	// URL is the scheme, host and path the request reached.
	URL string
	// Header is the request's header; Authorization is kept here for the
	// judges and never shown (see Redacted).
	Header http.Header
	Body   []byte
	// BodyCut says the body was larger than the server reads.
	BodyCut bool
	// Status is the answer's status (0 when there was none), Answer its
	// body (cut to maxRecordedAnswer).
	Status       int
	AnswerHeader http.Header
	Answer       []byte
	// Aborted says the answer was cut off or never given: the connection
	// was reset, cut half-way, or the command gave up waiting.
	Aborted bool
	// Imported says the reference server processed the file (it answered
	// 200 to the import path), whether or not the command got the answer.
	Imported bool
	// Arrived is when the request's connection was accepted, or, for a
	// later request on a kept-alive connection, when its header was read;
	// Start when the server began to read it; Answered when the answer
	// began to be written, or the connection to be ended without one;
	// End when the answer ended. The command cannot have sent the request
	// before Arrived, nor learnt the answer before Answered.
	Arrived  time.Time
	Start    time.Time
	Answered time.Time
	End      time.Time

	path string
}

// credentials returns the Basic credentials the request carried.
func (r *Request) credentials() (user, pass string, ok bool) {
	req := http.Request{Header: r.Header}
	return req.BasicAuth()
}

// answerSuccess reports whether the answer was whole and said success.
func (r *Request) answerSuccess() bool {
	if r.Aborted || r.Status != http.StatusOK {
		return false
	}
	var a struct {
		Success bool `json:"success"`
	}
	return json.Unmarshal(r.Answer, &a) == nil && a.Success
}

// filePart returns the content of the body's first multipart file part.
func (r *Request) filePart() ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	media, params, err := mime.ParseMediaType(ct)
	if err != nil || media != "multipart/form-data" {
		if ct == "" {
			return nil, errors.New("the request has no Content-Type; the file must go as a multipart/form-data file part")
		}
		return nil, fmt.Errorf("the body is %q, not multipart/form-data with the file as a file part", ct)
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil, errors.New("the multipart body has no file part (a part whose Content-Disposition has a filename)")
		}
		if err != nil {
			return nil, fmt.Errorf("the multipart body cannot be read: %w", err)
		}
		if p.FileName() == "" {
			continue
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("the file part cannot be read: %w", err)
		}
		return b, nil
	}
}

// recorder keeps every request a listener receives, and hands each on.
type recorder struct {
	name   string
	scheme string
	next   http.Handler

	mu       sync.Mutex
	requests []*Request
}

// ServeHTTP records r, its body read whole first, and what next answers.
func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &Request{Server: rec.name, Method: r.Method, URL: rec.scheme + "://" + r.Host + r.URL.RequestURI(),
		Header: r.Header.Clone(), Start: time.Now(), path: r.URL.Path}
	x.Arrived = x.Start
	if c, ok := r.Context().Value(connKey{}).(*conn); ok {
		x.Arrived = c.arrived()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
	x.Body = body
	if len(body) > maxRecordedBody {
		x.Body, x.BodyCut = body[:maxRecordedBody], true
	}
	rec.add(x)
	if x.BodyCut {
		rec.finish(x, time.Now(), http.StatusRequestEntityTooLarge, nil, []byte(`{"success":false,"summary":"The request is larger than autosync verify-client reads."}`), false)
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		rec.finish(x, time.Now(), 0, nil, nil, true)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cw := &capture{ResponseWriter: w}
	defer func() {
		p := recover()
		if cw.answered.IsZero() && r.Context().Err() == nil {
			cw.answered = time.Now()
		}
		// answered is zero when the command gave up first.
		rec.finish(x, cw.answered, cw.status, cw.header, cw.body.Bytes(), p != nil)
		if p != nil {
			panic(p) // net/http ends the connection, as the server meant
		}
	}()
	rec.next.ServeHTTP(cw, r)
}

func (rec *recorder) add(x *Request) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.requests = append(rec.requests, x)
}

// finish records how the request was answered, under the lock the
// readers of the record take.
func (rec *recorder) finish(x *Request, answered time.Time, status int, header http.Header, answer []byte, aborted bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	x.Answered, x.Status, x.AnswerHeader, x.Answer, x.Aborted, x.End = answered, status, header, answer, aborted, time.Now()
	x.Imported = status == http.StatusOK && x.path == importPath
	if aborted && status == 0 {
		x.Answer = nil
	}
}

// settled reports whether every request received has been answered or
// abandoned.
func (rec *recorder) settled() bool {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, x := range rec.requests {
		if x.End.IsZero() {
			return false
		}
	}
	return true
}

// seen returns a copy of the requests received so far.
func (rec *recorder) seen() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]Request, len(rec.requests))
	for i, x := range rec.requests {
		out[i] = *x
	}
	return out
}

// capture passes an answer on and keeps its status and the start of its
// body.
type capture struct {
	http.ResponseWriter
	status   int
	header   http.Header // as the status was written
	answered time.Time   // when the status was written
	body     bytes.Buffer
}

// WriteHeader records the status.
func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status, c.header, c.answered = code, c.ResponseWriter.Header().Clone(), time.Now()
	}
	c.ResponseWriter.WriteHeader(code)
}

// Write records the start of the body.
func (c *capture) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status, c.header, c.answered = http.StatusOK, c.ResponseWriter.Header().Clone(), time.Now()
	}
	if room := maxRecordedAnswer - c.body.Len(); room > 0 {
		c.body.Write(p[:min(len(p), room)])
	}
	return c.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (flush).
func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// answerType is the answer's Content-Type.
func (r *Request) answerType() string { return r.AnswerHeader.Get("Content-Type") }

// connKey is the context key of a connection's conn.
type connKey struct{}

// conn is when a connection was accepted, for its first request.
type conn struct {
	mu       sync.Mutex
	accepted time.Time
	used     bool
}

// arrived returns when a request on the connection arrived: the
// connection's acceptance for the first, now for later ones.
func (c *conn) arrived() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used {
		return time.Now()
	}
	c.used = true
	return c.accepted
}
