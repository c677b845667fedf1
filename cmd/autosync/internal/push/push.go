// Package push sends an autoSync CSV the way the documents' curl and
// PowerShell scripts do, done properly for a scheduled job: one multipart
// file part with Basic Auth, retried with backoff on connection errors and
// server errors only, and the answer read back.
package push

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/autosync/autosync/internal/safe"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/autosync/autosync/api"
)

// Config says where and how to send.
type Config struct {
	// URL is the school's base URL, with or without the import path.
	URL                string
	Username, Password string
	Client             *http.Client
	// Retries is how many times a connection error or a 5xx answer is
	// retried; Backoff the first wait, doubled each time (default 1s).
	Retries int
	Backoff time.Duration
	// Progress, if set, receives a progress line as the file goes up.
	Progress io.Writer
	// Log, if set, is told of every retry and why, so that a summary that
	// follows one (patrons "updated" that the first attempt created) is
	// understood.
	Log io.Writer
}

// Answer is the server's JSON answer.
type Answer struct {
	Success bool              `json:"success"`
	Summary string            `json:"summary"`
	Details map[string]string `json:"details"`
}

// Result is what the server finally answered.
type Result struct {
	Status   int
	Location string // where a redirect points; redirects are never followed
	Body     []byte
	Answer   *Answer // nil if the body is not the documented JSON
	Attempts int
	// Truncated says the answer was longer than MaxAnswer: Body is its
	// start, and Answer is nil.
	Truncated bool
}

// MaxAnswer bounds what is read of an answer: a result, even of a large
// school with every row failed, is well within it.
const MaxAnswer = 1 << 20

// ErrGaveUp wraps the last error when every attempt failed in the network or
// on the server.
var ErrGaveUp = errors.New("gave up")

// File sends the file at path (see Send).
func File(ctx context.Context, c Config, path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	return Send(ctx, c, filepath.Base(path), f, st.Size())
}

// Send sends the size bytes of file, named name in the upload. Every
// attempt reads the file from its start, so an upload interrupted
// half-way is retried whole.
func Send(ctx context.Context, c Config, name string, file io.ReaderAt, size int64) (*Result, error) {
	if c.Backoff == 0 {
		c.Backoff = time.Second
	}
	var lastErr error
	wait := c.Backoff
	for attempt := 1; ; attempt++ {
		res, err := c.once(ctx, name, io.NewSectionReader(file, 0, size), size)
		if err == nil && res.Status < 500 {
			res.Attempts = attempt
			return res, nil
		}
		if err == nil {
			lastErr = fmt.Errorf("the server answered %d %s: %s", res.Status, http.StatusText(res.Status), snippet(res.Body))
		} else {
			lastErr = err
		}
		if attempt > c.Retries || ctx.Err() != nil || permanent(err) {
			return res, fmt.Errorf("push: %w after %d attempt%s: %w", ErrGaveUp, attempt, plural(attempt), lastErr)
		}
		if c.Log != nil {
			fmt.Fprintf(c.Log, "autosync push: attempt %d of %d failed (%s); retrying in %s%s\n", attempt, c.Retries+1,
				safe.Text(lastErr.Error()), wait, retryNote(err))
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return res, fmt.Errorf("push: %w after %d attempt%s: %w", ErrGaveUp, attempt, plural(attempt), lastErr)
		}
		wait *= 2
	}
}

// permanent reports an error that no retry can mend: the server's
// certificate is not trusted.
func permanent(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// once makes one attempt.
func (c Config) once(ctx context.Context, name string, f io.Reader, size int64) (*Result, error) {
	// The multipart framing around the file is built up front, so the
	// request has an exact Content-Length and the file streams.
	var head, tail bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", name); err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	fmt.Fprintf(&tail, "\r\n--%s--\r\n", mw.Boundary())
	var file io.Reader = f
	if c.Progress != nil {
		p := &progress{r: f, total: size, name: name, out: c.Progress}
		defer p.done()
		file = p
	}
	body := io.MultiReader(bytes.NewReader(head.Bytes()), file, bytes.NewReader(tail.Bytes()))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, api.ImportURL(c.URL), body)
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	req.ContentLength = int64(head.Len()) + size + int64(tail.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth(c.Username, c.Password)
	resp, err := c.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("send %s: %w", name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	res := &Result{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: b}
	if len(b) > MaxAnswer {
		res.Body, res.Truncated = b[:MaxAnswer], true
		return res, nil
	}
	var a Answer
	if json.Unmarshal(b, &a) == nil && a.Summary != "" {
		res.Answer = &a
	}
	return res, nil
}

// progress reports how much of the file has gone up, at most a few times a
// second.
type progress struct {
	r     io.Reader
	total int64
	sent  int64
	name  string
	out   io.Writer
	last  time.Time
}

// Read passes the file on and reports the progress.
func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.sent += int64(n)
	if time.Since(p.last) > 200*time.Millisecond || errors.Is(err, io.EOF) {
		p.last = time.Now()
		pct := 100
		if p.total > 0 {
			pct = int(p.sent * 100 / p.total)
		}
		fmt.Fprintf(p.out, "\ruploading %s: %3d%% (%s of %s)", p.name, pct, size(p.sent), size(p.total))
	}
	return n, err
}

func (p *progress) done() { fmt.Fprintln(p.out) }

// size says n bytes in the unit a person reads best: a file of 36 KB is
// not "0.0 MB".
func size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// retryNote says what a retry after err means for the answer to come.
func retryNote(err error) string {
	if err == nil {
		return "" // a 5xx answer: nothing was imported
	}
	if op := (*net.OpError)(nil); errors.As(err, &op) && op.Op == "dial" {
		return "" // no connection was made: the server read nothing
	}
	return "; if the server had read the file, it imported it, and the next answer counts those patrons as updated"
}
