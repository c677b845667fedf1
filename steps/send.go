package steps

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/autosync/autosync/target"
)

// send performs req, records the exchange and parses a JSON object answer.
// how and body say how to repeat the request with curl.
func (s *scenario) send(req *http.Request, shown string, how target.Credentials, body *target.CurlBody) error {
	x := target.Record(req, shown)
	x.Curl = s.target.Curl(req, how, body)
	s.exchanges = append(s.exchanges, x)
	s.last, s.answer = x, nil
	obj, err := s.target.Do(req, x)
	if err != nil {
		return err
	}
	s.answer = obj
	return nil
}

// readOnly skips the scenario, before anything is sent, when the run must
// change nothing on the target (Target.ReadOnly) and how gives valid
// credentials with content that holds rows: a conforming target would
// import them. Refusals, other methods, other paths, and files of a header
// alone still run.
func (s *scenario) readOnly(how target.Credentials, contents ...[]byte) error {
	if !s.target.ReadOnly || (how != target.AsAdmin && how != target.AdminInURL) {
		return nil
	}
	for _, c := range contents {
		if hasRows(c) {
			return s.skipf("--read-only: it sends a file with rows under valid credentials, which would change the target")
		}
	}
	return nil
}

// hasRows reports whether content has more than one line that is not
// blank, counting a carriage return alone as a line end: a header and a
// row, as far as any server could read it.
func hasRows(content []byte) bool {
	lines := 0
	for _, l := range strings.FieldsFunc(string(content), func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.TrimSpace(l) != "" {
			if lines++; lines > 1 {
				return true
			}
		}
	}
	return false
}

// authorize sets req's credentials as how says.
func (s *scenario) authorize(req *http.Request, how target.Credentials) {
	s.target.Authorize(req, how, s.run.runID)
}

// filePart is a file part of an upload; textPart a text part.
func filePart(field, name string, content []byte) target.Part {
	return target.Part{Field: field, FileName: name, Content: content}
}

func textPart(field string, content []byte) target.Part {
	return target.Part{Field: field, Content: content}
}

// upload posts parts to the import path and notes the patrons the answer
// shows were created.
func (s *scenario) upload(ctx context.Context, how target.Credentials, parts ...target.Part) error {
	for _, p := range parts {
		if err := s.readOnly(how, p.Content); err != nil {
			return err
		}
	}
	req, err := s.target.NewUpload(ctx, parts...)
	if err != nil {
		return err
	}
	s.authorize(req, how)
	var shown strings.Builder
	for _, p := range parts {
		if p.EmptyFileName {
			fmt.Fprintf(&shown, "[file part %q with an empty file name]\n%s", p.Field, p.Content)
		} else if p.FileName != "" {
			fmt.Fprintf(&shown, "[file part %q, file name %q]\n%s", p.Field, p.FileName, p.Content)
		} else {
			fmt.Fprintf(&shown, "[text part %q] %s\n", p.Field, p.Content)
		}
	}
	if err := s.send(req, shown.String(), how, &target.CurlBody{Parts: parts}); err != nil {
		return err
	}
	for _, p := range parts {
		if p.IsFile() { // the server reads the first file part (R-HTTP-2)
			s.run.created.Note(s.target.Prefix, p.Content, s.last.Status, s.answer)
			break
		}
	}
	return nil
}

// heldBody yields a first piece, then holds the rest back until released or
// until its deadline: a server that reads the whole upload before looking at
// the credentials waits for it.
type heldBody struct {
	first    []byte
	release  chan struct{}
	timeout  time.Duration
	timedOut atomic.Bool
}

// Read yields the first piece, then waits for the release or the deadline.
func (h *heldBody) Read(p []byte) (int, error) {
	if len(h.first) > 0 {
		n := copy(p, h.first)
		h.first = h.first[n:]
		return n, nil
	}
	select {
	case <-h.release:
	case <-time.After(h.timeout):
		h.timedOut.Store(true)
	}
	return 0, io.EOF
}
