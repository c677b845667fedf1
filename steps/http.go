package steps

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/internal/safe"
)

// maxShown is how much of a body a report shows.
const maxShown = 4 << 10

// maxAnswer is how much of an answer a run reads and keeps while its
// scenario runs: far more than any documented answer to the suite's files.
// A longer one is cut, and the report says so.
const maxAnswer = 1 << 20

// Exchange is one request and its answer, as a report shows it: credentials
// are redacted.
type Exchange struct {
	Method, URL  string
	Header       http.Header
	Sent         string // the CSV sent, or the body; cut to maxShown
	Status       int
	AnswerHeader http.Header
	Answer       []byte // cut to maxShown, and made safe to print (safe.Lines)
	Err          string // a transport error instead of an answer
	// Curl is a shell command that repeats the request, with every secret
	// password read from the environment ("$AUTOSYNC_PASSWORD").
	Curl   string
	answer []byte // at most maxAnswer, as it came; dropped when the scenario ends
}

// String writes the exchange as a report shows it.
func (x *Exchange) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", x.Method, x.URL)
	writeHeader(&b, "> ", x.Header)
	if x.Sent != "" {
		b.WriteString(indent(x.Sent, ">   "))
	}
	if x.Err != "" {
		fmt.Fprintf(&b, "< (no answer: %s)\n", x.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "< %d %s\n", x.Status, http.StatusText(x.Status))
	writeHeader(&b, "< ", x.AnswerHeader)
	if len(x.Answer) > 0 {
		b.WriteString(indent(string(x.Answer), "<   "))
	}
	return b.String()
}

func writeHeader(b *strings.Builder, mark string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", mark, k, v)
		}
	}
}

func indent(s, mark string) string {
	s = strings.TrimRight(s, "\n")
	return mark + strings.ReplaceAll(s, "\n", "\n"+mark) + "\n"
}

func cut(b []byte) []byte {
	if len(b) <= maxShown {
		return b
	}
	return append(append([]byte{}, b[:maxShown]...), fmt.Sprintf("… (%d bytes in all)", len(b))...)
}

// safeHeaders makes a target's header values safe to print.
func safeHeaders(h http.Header) http.Header {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = safe.Text(v)
		}
		h[k] = vs
	}
	return h
}

// redactURL hides the password of a URL's user information.
func redactURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = url.UserPassword(u.User.Username(), "REDACTED")
	return c.String()
}

// shownHeaders keeps the request headers a report needs, Authorization
// redacted.
func shownHeaders(h http.Header, keep ...string) http.Header {
	out := http.Header{}
	for _, k := range keep {
		if v := h.Values(k); len(v) > 0 {
			out[http.CanonicalHeaderKey(k)] = v
		}
	}
	if a := h.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		out.Set("Authorization", scheme+" REDACTED")
	}
	return out
}

// ErrUnreachable wraps a transport error: the target did not answer in HTTP.
var ErrUnreachable = errors.New("target unreachable")

// send performs req, records the exchange and parses a JSON object answer.
// how and body say how to repeat the request with curl.
func (s *scenario) send(req *http.Request, shown string, how credentials, body *curlBody) error {
	x := &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: shownHeaders(req.Header, "Content-Type"), Sent: string(cut([]byte(shown)))}
	x.Curl = curlCommand(req, s.target, how, body)
	s.exchanges = append(s.exchanges, x)
	s.last, s.answer = x, nil
	obj, err := exchange(s.target.Client, req, x)
	if err != nil {
		return err
	}
	s.answer = obj
	return nil
}

// exchange performs req, fills x with what came back and returns the
// answer's JSON object, or nil if it is not one. Only a transport error is an
// error; an answer cut short is noted in x for the steps to judge.
func exchange(c *http.Client, req *http.Request, x *Exchange) (map[string]any, error) {
	resp, err := c.Do(req)
	if err != nil {
		x.Err = err.Error()
		return nil, fmt.Errorf("%w: %s %s: %w", ErrUnreachable, req.Method, x.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	x.Status, x.AnswerHeader = resp.StatusCode, safeHeaders(shownHeaders(resp.Header, "Content-Type", "Allow", "WWW-Authenticate", "Location"))
	over := len(body) > maxAnswer
	if over {
		body = body[:maxAnswer]
	}
	x.Answer, x.answer = []byte(safe.Lines(string(cut(body)))), body
	if over {
		x.Answer = append(x.Answer, fmt.Sprintf("\n… (the answer is longer than %d bytes: the run kept only those)", maxAnswer)...)
		return nil, nil
	}
	if err != nil {
		x.Err = "answer cut short: " + err.Error()
		return nil, nil
	}
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		return obj, nil
	}
	return nil, nil
}

// credentials says how a request authenticates.
type credentials int

const (
	asAdmin credentials = iota
	asNonAdmin
	noCredentials
	malformedHeader
	wrongPassword
	unknownUser
	adminInURL
	bearerToken
	noColon
)

func (s *scenario) authorize(req *http.Request, how credentials) {
	t := s.target
	switch how {
	case asAdmin:
		req.SetBasicAuth(t.Username, t.Password)
	case asNonAdmin:
		req.SetBasicAuth(t.NonAdminUsername, t.NonAdminPassword)
	case malformedHeader:
		req.Header.Set("Authorization", "Basic !!not-base64!!")
	case wrongPassword:
		req.SetBasicAuth(t.Username, "wrong-"+s.run.runID)
	case unknownUser:
		req.SetBasicAuth("nobody-"+s.run.runID, t.Password)
	case adminInURL:
		// Go's client sends URL credentials as the header, as curl does.
		req.URL.User = url.UserPassword(t.Username, t.Password)
	case bearerToken:
		req.Header.Set("Authorization", "Bearer "+t.Password)
	case noColon:
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(t.Username+t.Password)))
	}
}

// part is one part of a multipart body: a file part when it has a file
// name, a text part otherwise.
type part struct {
	field, filename string
	content         []byte
}

// emptyFileName as a part's file name sends filename="", as a browser does
// for a file input left empty (R-HTTP-2). No real file name holds a NUL.
const emptyFileName = "\x00"

func multipartBody(parts ...part) ([]byte, string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		switch p.filename {
		case emptyFileName:
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=""`, p.field))
			h.Set("Content-Type", "application/octet-stream")
			w, err = mw.CreatePart(h)
		case "":
			w, err = mw.CreateFormField(p.field)
		default:
			w, err = mw.CreateFormFile(p.field, p.filename)
		}
		if err != nil {
			return nil, "", fmt.Errorf("build multipart body: %w", err)
		}
		w.Write(p.content)
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("build multipart body: %w", err)
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}

// newUpload builds a multipart POST of parts to the import path.
func newUpload(ctx context.Context, t Target, parts ...part) (*http.Request, error) {
	body, ct, err := multipartBody(parts...)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url(api.ImportPath), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", ct)
	return req, nil
}

// upload posts parts to the import path and notes the patrons the answer
// shows were created.
func (s *scenario) upload(ctx context.Context, how credentials, parts ...part) error {
	req, err := newUpload(ctx, s.target, parts...)
	if err != nil {
		return err
	}
	s.authorize(req, how)
	var shown strings.Builder
	for _, p := range parts {
		if p.filename == emptyFileName {
			fmt.Fprintf(&shown, "[file part %q with an empty file name]\n%s", p.field, p.content)
		} else if p.filename != "" {
			fmt.Fprintf(&shown, "[file part %q, file name %q]\n%s", p.field, p.filename, p.content)
		} else {
			fmt.Fprintf(&shown, "[text part %q] %s\n", p.field, p.content)
		}
	}
	if err := s.send(req, shown.String(), how, &curlBody{parts: parts}); err != nil {
		return err
	}
	for _, p := range parts {
		if p.filename != "" && p.filename != emptyFileName { // the server reads the first file part (R-HTTP-2)
			s.run.noteCreated(s.target.Prefix, p.content, s.last.Status, s.answer)
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
