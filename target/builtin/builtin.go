// Package builtin is the conformance suite's built-in target: a fresh
// reference server, served in process with no socket. It is apart from
// packages target and steps, which must never import the server (the
// suite's expectations come from the feature text alone).
package builtin

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/target"
	"github.com/jarcoal/httpmock"
)

// BodyLimit is the built-in server's body limit: small, so that the
// R-HTTP-5 scenario is quick.
const BodyLimit = 1 << 20

// Target returns a target that routes a client of its own into a fresh
// reference server made with opts, with the profile that server declares.
func Target(opts ...mockserver.Option) target.Target {
	return HandlerTarget(mockserver.New(append([]mockserver.Option{mockserver.WithMaxBody(BodyLimit)}, opts...)...))
}

// HandlerTarget returns a target that serves every request with h, in
// process, with the built-in server's profile: for tests that wrap the
// reference server.
func HandlerTarget(h http.Handler) target.Target {
	c := &http.Client{Timeout: time.Minute, CheckRedirect: target.NoRedirects}
	mockserver.Route(c, h)
	return target.Target{
		BaseURL:  "http://autosync.builtin",
		Client:   c,
		Username: mockserver.DefaultAdminUser, Password: mockserver.DefaultAdminPassword,
		NonAdminUsername: mockserver.DefaultUser, NonAdminPassword: mockserver.DefaultUserPassword,
		AcademicLevel:     "K",
		PresentationGroup: "Senior School",
		BodyLimit:         BodyLimit,
		Dial:              pipeDialer(h),
	}
}

// Spoiled returns the built-in target with every answer its client gets
// passed through spoil first: for tests that show the suite fails against
// answers no server of ours gives. Requests written byte for byte (the
// wire scenarios) reach the same server, unspoiled.
func Spoiled(spoil func(*http.Response) *http.Response) target.Target {
	h := mockserver.New(mockserver.WithMaxBody(BodyLimit))
	tg := HandlerTarget(h)
	real := mockserver.Responder(h)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		resp, err := real(req)
		if err != nil {
			return nil, err
		}
		return spoil(resp), nil
	})
	tg.Client = &http.Client{Transport: mt}
	return tg
}

// Replace gives resp the body and the Content-Type: a spoil for Spoiled.
func Replace(resp *http.Response, contentType string, body []byte) *http.Response {
	resp.Header.Set("Content-Type", contentType)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp
}
