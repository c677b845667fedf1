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

// Password is the built-in target's admin password. It holds a colon and a
// letter beyond ASCII, as a school's may: RFC 7617 allows both in a
// password, so a server that splits the credentials at every colon, or
// reads them as Latin-1, refuses it, and every run against the built-in
// server shows that it does not (R-AUTH-1).
const Password = "auto:import-é"

// Target returns a target that routes a client of its own into a fresh
// reference server made with opts, with the profile that server declares
// and its admin account, DefaultAdminUser with Password.
func Target(opts ...mockserver.Option) target.Target {
	base := []mockserver.Option{mockserver.WithMaxBody(BodyLimit), mockserver.WithAdmin(mockserver.DefaultAdminUser, Password)}
	tg := HandlerTarget(mockserver.New(append(base, opts...)...))
	tg.Password = Password
	return tg
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
