package push

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
)

// Report is what one push did, as the "push" member of its JSON document.
type Report struct {
	ExitCode int    `json:"exitCode"`
	Outcome  string `json:"outcome"` // the exit code's name: imported, rows failed, usage, unauthorised, gave up, held, refused, not kept
	File     string `json:"file,omitempty"`
	Target   string `json:"target,omitempty"` // the base URL the file went to, without credentials
	// Message says why the exit code is not 0, as the log does.
	Message string `json:"message,omitempty"`
	// Status is the HTTP status the server answered, 0 if nothing was
	// sent or no answer came.
	Status int `json:"status,omitempty"`
	// Preview is what the file would change among the known patrons, and
	// Holds why the guard held it (or would have, with --accept).
	Preview *preview.Preview `json:"preview,omitempty"`
	Holds   []preview.Hold   `json:"holds,omitempty"`
	// Problems are the rows --lint found the server would refuse (the
	// first MaxProblems).
	Problems []lint.Problem `json:"problems,omitempty"`
	// Kept is the kept roster; RevertFile and FailedRowsFile the night's
	// net, written after an accepted push.
	Kept           string `json:"kept,omitempty"`
	RevertFile     string `json:"revertFile,omitempty"`
	FailedRowsFile string `json:"failedRowsFile,omitempty"`

	answer []byte // the server's answer, as it came
}

// MaxProblems is how many of lint's problems a report lists.
const MaxProblems = 100

// problems keeps the first of lint's errors, their values left out of
// the password column's.
func (r *Report) problems(lr *lint.Report) {
	for _, p := range lr.Problems {
		if p.Severity != lint.Error || len(r.Problems) == MaxProblems {
			continue
		}
		if c, ok := rules.LookupColumn(p.Column); ok && c.Secret() {
			p.Value = ""
		}
		r.Problems = append(r.Problems, p)
	}
}

// Document is the JSON document of a push: the server's answer as it came
// (success, summary, details), with a "push" member saying what autosync
// did; where no JSON answer came (held, refused, bad usage, the network),
// success is false and summary says why.
func (r *Report) Document() []byte {
	push, err := json.Marshal(r)
	if err != nil { // a Report always marshals
		panic(err)
	}
	var body bytes.Buffer
	if len(r.answer) > 0 && json.Compact(&body, r.answer) == nil && body.Len() > 1 && body.Bytes()[0] == '{' {
		b := bytes.TrimSuffix(body.Bytes(), []byte("}"))
		if len(bytes.TrimSpace(b)) > 1 {
			b = append(b, ',')
		}
		return append(append(append(b, `"push":`...), push...), '}')
	}
	summary := r.Message
	if r.Status != 0 {
		// An answer that is not JSON (a proxy's HTML page) is said, and
		// kept as text.
		summary = fmt.Sprintf("The server answered %d %s without JSON.", r.Status, http.StatusText(r.Status))
	}
	doc := struct {
		Success bool            `json:"success"`
		Summary string          `json:"summary"`
		Status  int             `json:"status,omitempty"`
		Body    string          `json:"body,omitempty"`
		Push    json.RawMessage `json:"push"`
	}{Summary: summary, Status: r.Status, Push: push}
	if r.Status != 0 && len(r.answer) > 0 {
		doc.Body = strings.ToValidUTF8(string(r.answer), "\uFFFD")
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// notifyTimeout bounds a notification: a slow webhook does not hold the
// night's job.
const notifyTimeout = 10 * time.Second

// notify posts doc to the webhook at target, and reads at most MaxAnswer
// of its answer.
func notify(ctx context.Context, client *http.Client, target string, doc []byte) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), notifyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("%s: %w", RedactURL(target), err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", RedactURL(target), err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxAnswer))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s answered %d %s", RedactURL(target), resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return nil
}
