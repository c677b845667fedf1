package target

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// Upload posts parts to the target's import path with the admin's
// credentials and returns the exchange, with its curl command, and the
// answer's JSON object (nil if it is not one). Only a transport error is
// an error.
func Upload(ctx context.Context, t Target, parts ...Part) (*Exchange, map[string]any, error) {
	req, err := t.NewUpload(ctx, parts...)
	if err != nil {
		return nil, nil, err
	}
	req.SetBasicAuth(t.Username, t.Password)
	x := &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: shownHeaders(req.Header, "Content-Type")}
	for _, p := range parts {
		if p.IsFile() {
			x.Sent = string(cut(p.Content))
			break
		}
	}
	x.Curl = t.Curl(req, AsAdmin, &CurlBody{Parts: parts})
	obj, err := t.Do(req, x)
	x.Forget()
	return x, obj, err
}

// Request sends req to the target as it is (the caller sets its
// credentials) and returns the exchange and the answer's JSON object.
func Request(t Target, req *http.Request, shown string) (*Exchange, map[string]any, error) {
	x := Record(req, shown)
	obj, err := t.Do(req, x)
	x.Forget()
	return x, obj, err
}

// IsUnreachable reports whether err is a transport error of a target.
func IsUnreachable(err error) bool { return errors.Is(err, ErrUnreachable) }

// HasInspection reports whether the target serves the reference server's
// /_mock/ pages, which scenarios tagged @inspect read.
func HasInspection(ctx context.Context, t Target) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL("/_mock/imports"), nil)
	if err != nil {
		return false
	}
	req.SetBasicAuth(t.Username, t.Password)
	resp, err := t.Client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	// The list opens with "[": that is all it takes to know, and a long
	// history (or an endless answer) is not read.
	tok, err := json.NewDecoder(io.LimitReader(resp.Body, MaxAnswer)).Token()
	return err == nil && tok == json.Delim('[')
}
