package steps

import (
	"context"
	"errors"
	"net/http"
)

// This file is what autosync explore (package explore) uses of a run: the
// preflight, the clean-up and repeatable uploads. It speaks HTTP only, like
// the rest of the package.

// Preflight checks the target as a run does before its first scenario
// (see Run): it returns the notes that do not stop a run, and a
// *PreflightError when the run must stop.
func Preflight(ctx context.Context, t Target) ([]string, error) {
	run := &runState{created: map[string]string{}}
	notes, err := preflight(ctx, t, run)
	if created := run.createdList(); len(created) > 0 && err == nil {
		cleanUp(ctx, t, created) // the preflight's test student
	}
	return notes, err
}

// CleanUp disables the patrons names, as a run does with the patrons it
// created, and says what came of it.
func CleanUp(ctx context.Context, t Target, names []string) string {
	return cleanUp(ctx, t, names)
}

// HasInspection reports whether the target serves the reference server's
// /_mock/ pages.
func HasInspection(ctx context.Context, t Target) bool { return hasInspection(ctx, t) }

// Part is one part of a multipart upload: a file part when FileName is
// set, a text part otherwise; EmptyFileName sends filename="".
type Part struct {
	Field, FileName string
	EmptyFileName   bool
	Content         []byte
}

func (p Part) part() part {
	if p.EmptyFileName {
		return part{p.Field, emptyFileName, p.Content}
	}
	return part{p.Field, p.FileName, p.Content}
}

// Upload posts parts to the target's import path with the admin's
// credentials and returns the exchange, with its curl command, and the
// answer's JSON object (nil if it is not one). Only a transport error is
// an error.
func Upload(ctx context.Context, t Target, parts ...Part) (*Exchange, map[string]any, error) {
	var ps []part
	for _, p := range parts {
		ps = append(ps, p.part())
	}
	req, err := newUpload(ctx, t, ps...)
	if err != nil {
		return nil, nil, err
	}
	req.SetBasicAuth(t.Username, t.Password)
	x := &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: shownHeaders(req.Header, "Content-Type")}
	for _, p := range ps {
		if p.filename != "" && p.filename != emptyFileName {
			x.Sent = string(cut(p.content))
			break
		}
	}
	x.Curl = curlCommand(req, t, asAdmin, &curlBody{parts: ps})
	obj, err := exchange(t.Client, req, x)
	x.answer = nil
	return x, obj, err
}

// Request sends req to the target as it is (the caller sets its
// credentials) and returns the exchange and the answer's JSON object.
func Request(t Target, req *http.Request, shown string) (*Exchange, map[string]any, error) {
	x := &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: shownHeaders(req.Header, "Content-Type"), Sent: string(cut([]byte(shown)))}
	obj, err := exchange(t.Client, req, x)
	x.answer = nil
	return x, obj, err
}

// URL returns the target's URL for path.
func (t Target) URL(path string) string { return t.url(path) }

// IsUnreachable reports whether err is a transport error of a target.
func IsUnreachable(err error) bool { return errors.Is(err, ErrUnreachable) }
