package mockserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"
)

// NewImportRequest returns a POST of csv to url as the documents describe
// it: a multipart/form-data body with one file part, named fileName. Add the
// credentials with SetBasicAuth.
func NewImportRequest(ctx context.Context, url, fileName string, csv []byte) (*http.Request, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		return nil, fmt.Errorf("build upload: %w", err)
	}
	fw.Write(csv) // a bytes.Buffer does not fail
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("build upload: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &body)
	if err != nil {
		return nil, fmt.Errorf("build upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req, nil
}

// Responder serves every request with h in process, as an httpmock
// responder: no socket is opened.
func Responder(h http.Handler) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		in := req.Clone(req.Context())
		in.RequestURI = req.URL.RequestURI()
		in.RemoteAddr = "127.0.0.1:0"
		if in.Host == "" {
			in.Host = req.URL.Host
		}
		if in.Body == nil {
			in.Body = http.NoBody
		}
		rec := httptest.NewRecorder()
		if err := serveInProcess(h, rec, in); err != nil {
			return nil, err
		}
		resp := rec.Result()
		resp.Request = req
		return resp, nil
	}
}

// Route makes c send every request to h through a mock transport of its own
// (never httpmock's package-wide one, so parallel tests stay apart) and
// returns that transport, e.g. to count calls.
func Route(c *http.Client, h http.Handler) *httpmock.MockTransport {
	t := httpmock.NewMockTransport()
	t.RegisterNoResponder(Responder(h))
	c.Transport = t
	return t
}

// errReset is what an in-process client gets where a server on a socket
// would reset the connection (http.ErrAbortHandler).
var errReset = errors.New("connection reset by the reference server")

// serveInProcess serves req with h, turning an aborted answer into
// errReset as a socket would.
func serveInProcess(h http.Handler, w http.ResponseWriter, req *http.Request) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			err = errReset
		}
	}()
	h.ServeHTTP(w, req)
	return nil
}
