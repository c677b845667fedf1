package deviant

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/internal/seam"
)

// The ways a deviation wraps the server: look at a request before it,
// rewrite an upload it is about to read, change an answer it gave.

// before runs f on every request before the server; f reports whether it
// answered the request itself.
func before(f func(s seam.Server, w http.ResponseWriter, r *http.Request) bool) func(seam.Server, http.Handler) http.Handler {
	return func(s seam.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !f(s, w, r) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// importing reports whether r asks to import.
func importing(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == api.ImportPath
}

// upload runs f on the multipart body of an import whose credentials pass
// (the server refuses others before it reads the upload, R-AUTH-4), and
// sends the body f returns on; a refusal f returns answers the request.
func upload(f func(raw []byte, boundary string) ([]byte, *seam.Refusal)) func(seam.Server, http.Handler) http.Handler {
	return before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		boundary, ok := uploading(s, r)
		if !ok {
			return false
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, s.MaxBody()+1))
		if err != nil {
			s.Refuse(w, r, seam.Refusal{Status: http.StatusBadRequest, Summary: err.Error()})
			return true
		}
		raw, e := f(raw, boundary)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
		if e != nil {
			s.Refuse(w, r, *e)
			return true
		}
		return false
	})
}

// uploading returns the boundary of r's multipart body when r is an import
// whose credentials pass.
func uploading(s seam.Server, r *http.Request) (string, bool) {
	if !importing(r) || !s.Authorised(r) {
		return "", false
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return params["boundary"], err == nil && params["boundary"] != ""
}

// parts writes the multipart body raw again, each part's header and body
// as f leaves them; a refusal f returns stops it. A body that is not
// multipart is sent on as it is, for the server to say so.
func parts(raw []byte, boundary string, f func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal)) ([]byte, *seam.Refusal) {
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	if mw.SetBoundary(boundary) != nil {
		return raw, nil
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return raw, nil
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return raw, nil
		}
		header := textproto.MIMEHeader{}
		for k, v := range p.Header {
			header[k] = v
		}
		var e *seam.Refusal
		if body, e = f(header, body); e != nil {
			return raw, e
		}
		pw, err := mw.CreatePart(header)
		if err != nil {
			return raw, nil
		}
		pw.Write(body)
	}
	mw.Close()
	return out.Bytes(), nil
}

// file runs f on the CSV file of an upload: its first file part.
func file(f func(csv []byte) ([]byte, *seam.Refusal)) func(seam.Server, http.Handler) http.Handler {
	return upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		done := false
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			if done || fileName(h) == "" {
				return body, nil
			}
			done = true
			return f(body)
		})
	})
}

// fileName returns the file name of a part, as multipart.Part.FileName
// reads it, or "".
func fileName(h textproto.MIMEHeader) string {
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// formName returns the form field name of a part, as
// multipart.Part.FormName reads it.
func formName(h textproto.MIMEHeader) string {
	disposition, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || disposition != "form-data" {
		return ""
	}
	return params["name"]
}

// after runs f on every answer of the server before it is sent.
func after(f func(a *answer)) func(seam.Server, http.Handler) http.Handler {
	return func(_ seam.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := &answer{ResponseWriter: w, header: http.Header{}}
			next.ServeHTTP(a, r)
			if a.status == 0 {
				a.status = http.StatusOK
			}
			f(a)
			a.send()
		})
	}
}

// afterImports runs f on the server's answers to imports alone, before
// they are sent; other answers pass as they are.
func afterImports(f func(a *answer)) func(seam.Server, http.Handler) http.Handler {
	return func(s seam.Server, next http.Handler) http.Handler {
		changed := after(f)(s, next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if importing(r) {
				changed.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// answer holds an answer back, to change it before it is sent.
type answer struct {
	http.ResponseWriter
	header http.Header
	status int
	body   []byte
}

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	a.body = append(a.body, p...)
	return len(p), nil
}

// Unwrap lets http.ResponseController reach the connection's deadlines.
func (a *answer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// send sends the answer as it now stands.
func (a *answer) send() {
	for k, v := range a.header {
		a.ResponseWriter.Header()[k] = v
	}
	a.ResponseWriter.Header().Del("Content-Length")
	a.ResponseWriter.WriteHeader(a.status)
	a.ResponseWriter.Write(a.body)
}

// account returns the account whose credentials r carries, if any.
func account(s seam.Server, r *http.Request) (seam.Account, bool) {
	user, pass, ok := r.BasicAuth()
	for _, a := range s.Accounts() {
		if ok && a.Username == user && a.Password == pass {
			return a, true
		}
	}
	return seam.Account{}, false
}

// admin returns the server's first admin account.
func admin(s seam.Server) seam.Account {
	accounts := s.Accounts()
	for _, a := range accounts {
		if a.Admin {
			return a
		}
	}
	return accounts[0]
}
