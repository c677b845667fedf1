package target

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
	"unicode/utf8"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/internal/safe"
)

// maxShown is how much of a body a report shows.
const maxShown = 4 << 10

// MaxAnswer is how much of an answer a run reads and keeps while its
// scenario runs: far more than any documented answer to the suite's files.
// A longer one is cut, and the report says so. Every read of a target's
// answer, /_mock/ pages included, stops there.
const MaxAnswer = 1 << 20

const maxAnswer = MaxAnswer

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
	// NotUTF8 says the answer's body, as it came, is not UTF-8, which an
	// answer must be (R-HTTP-6): Answer, made safe to print, no longer
	// shows it.
	NotUTF8 bool
	// NotJSON says the answer's body, as it came, does not even begin as
	// JSON text does (a byte-order mark before it, HTML, a stack trace).
	NotJSON bool
	// Curl is a shell command that repeats the request, with every secret
	// password read from the environment ("$AUTOSYNC_PASSWORD").
	Curl string
	raw  []byte // at most maxAnswer, as it came; dropped by Forget
}

// keep records the answer's body, as it came (atLimit says it was cut at
// the run's limit): what a report shows of it, made safe to print, and
// what it is.
func (x *Exchange) keep(body []byte, atLimit bool) {
	x.Answer, x.raw = []byte(safe.Lines(string(cut(body)))), body
	x.NotUTF8, x.NotJSON = !wholeUTF8(body, atLimit), !beginsAsJSON(body)
}

// beginsAsJSON reports whether body, past JSON's white space, begins as a
// JSON value does; an empty body does.
func beginsAsJSON(body []byte) bool {
	body = bytes.TrimLeft(body, " \t\r\n")
	return len(body) == 0 || strings.IndexByte(`{["-0123456789tfn`, body[0]) >= 0
}

// wholeUTF8 reports whether body is UTF-8; one cut at the run's limit is
// judged up to its last whole character.
func wholeUTF8(body []byte, cut bool) bool {
	if cut && len(body) > utf8.UTFMax {
		body = body[:len(body)-utf8.UTFMax]
	}
	return utf8.Valid(body)
}

// Raw returns the answer's body as it came, up to a megabyte, until Forget.
func (x *Exchange) Raw() []byte { return x.raw }

// Forget drops the answer's body as it came, keeping what a report shows:
// a run's memory stays bounded however many exchanges it keeps.
func (x *Exchange) Forget() { x.raw = nil }

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

// Record starts the exchange of req as a report shows it: the method, the
// URL and the headers, credentials redacted, and shown, the body as a
// reader needs it, cut to 4 KiB. Do fills in the answer.
func Record(req *http.Request, shown string) *Exchange {
	return &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: shownHeaders(req.Header, "Content-Type"), Sent: string(cut([]byte(shown)))}
}

// Do performs req with the target's client, fills x with what came back
// and returns the answer's JSON object, or nil if it is not one. Only a
// transport error is an error (it wraps ErrUnreachable); an answer cut
// short is noted in x for the caller to judge.
func (t Target) Do(req *http.Request, x *Exchange) (map[string]any, error) {
	resp, err := t.Client.Do(req)
	if err != nil {
		x.Err = err.Error()
		// The client's error names the method and the URL again, in its
		// own words (Post "…"): the reason alone, after the request's.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("%w: %s %s: %w", ErrUnreachable, req.Method, redactURL(req.URL), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	x.Status, x.AnswerHeader = resp.StatusCode, safeHeaders(shownHeaders(resp.Header, "Content-Type", "Allow", "WWW-Authenticate", "Location"))
	over := len(body) > maxAnswer
	if over {
		body = body[:maxAnswer]
	}
	x.keep(body, over)
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

// Credentials says how a request authenticates.
type Credentials int

// The ways a request authenticates: the admin's account, the non-admin's,
// none, and the broken ones the rules of authentication are checked with.
const (
	AsAdmin Credentials = iota
	AsNonAdmin
	NoCredentials
	MalformedHeader
	WrongPassword
	UnknownUser
	AdminInURL
	BearerToken
	NoColon
	// The admin's credentials, the account name or the password in
	// another letter case (R-AUTH-1: compared exactly).
	UserOtherCase
	PasswordOtherCase
	// The admin's account name with an empty password, which a check
	// by LDAP bind takes for an anonymous bind (R-AUTH-2).
	EmptyPassword
)

// Authorize sets req's credentials as how says; runID makes the wrong
// password and the unknown user of a run its own.
func (t Target) Authorize(req *http.Request, how Credentials, runID string) {
	switch how {
	case AsAdmin:
		req.SetBasicAuth(t.Username, t.Password)
	case AsNonAdmin:
		req.SetBasicAuth(t.NonAdminUsername, t.NonAdminPassword)
	case MalformedHeader:
		req.Header.Set("Authorization", "Basic !!not-base64!!")
	case WrongPassword:
		req.SetBasicAuth(t.Username, "wrong-"+runID)
	case UnknownUser:
		req.SetBasicAuth("nobody-"+runID, t.Password)
	case AdminInURL:
		// Go's client sends URL credentials as the header, as curl does.
		req.URL.User = url.UserPassword(t.Username, t.Password)
	case BearerToken:
		req.Header.Set("Authorization", "Bearer "+t.Password)
	case NoColon:
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(t.Username+t.Password)))
	case UserOtherCase:
		req.SetBasicAuth(SwapCase(t.Username), t.Password)
	case PasswordOtherCase:
		req.SetBasicAuth(t.Username, SwapCase(t.Password))
	case EmptyPassword:
		req.SetBasicAuth(t.Username, "")
	}
}

// Part is one part of a multipart upload: a file part when FileName is
// set or EmptyFileName is, a text part otherwise. EmptyFileName sends
// filename="", as a browser does for a file input left empty (R-HTTP-2).
type Part struct {
	Field, FileName string
	EmptyFileName   bool
	Content         []byte
}

// IsFile reports whether the part is a file part with a file name: the
// server reads the first such part (R-HTTP-2).
func (p Part) IsFile() bool { return p.FileName != "" && !p.EmptyFileName }

// MultipartBody writes parts as a multipart/form-data body and returns it
// with its Content-Type.
func MultipartBody(parts ...Part) ([]byte, string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		switch {
		case p.EmptyFileName:
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=""`, p.Field))
			h.Set("Content-Type", "application/octet-stream")
			w, err = mw.CreatePart(h)
		case p.FileName == "":
			w, err = mw.CreateFormField(p.Field)
		default:
			w, err = mw.CreateFormFile(p.Field, p.FileName)
		}
		if err != nil {
			return nil, "", fmt.Errorf("build multipart body: %w", err)
		}
		w.Write(p.Content)
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("build multipart body: %w", err)
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}

// NewUpload builds a multipart POST of parts to the target's import path,
// without credentials.
func (t Target) NewUpload(ctx context.Context, parts ...Part) (*http.Request, error) {
	body, ct, err := MultipartBody(parts...)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL(api.ImportPath), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", ct)
	return req, nil
}
