package target

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/api/wire"
)

// expectWait is how long a request that asks for 100 Continue waits for it
// before it sends the body anyway, as curl does.
const expectWait = time.Second

// dial opens a connection to the target for a request written by hand:
// the target's own Dial, or TCP (and TLS for https, as the target's client
// is configured) to its host.
func (t Target) dial(ctx context.Context) (net.Conn, error) {
	if t.Dial != nil {
		return t.Dial(ctx)
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", t.BaseURL, err)
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil || u.Scheme != "https" {
		return conn, err
	}
	cfg := &tls.Config{}
	if tr, ok := t.Client.Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}

// roundTrip sends raw on a connection of its own and returns the final
// answer and at most limit bytes of its body. A head that asks for 100
// Continue sends the body once the server says so, or after expectWait.
func roundTrip(ctx context.Context, t Target, raw wire.Raw, limit int64) (*http.Response, []byte, error) {
	conn, err := t.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	proceed := make(chan struct{})
	var once sync.Once
	done := make(chan struct{})
	defer close(done)
	go func() {
		if _, err := conn.Write(raw.Head); err != nil {
			return
		}
		if raw.Expect {
			select {
			case <-proceed:
			case <-time.After(expectWait):
			case <-done:
				return
			}
		}
		conn.Write(raw.Body) // an answer before the whole body is the server's to give
	}()
	br := bufio.NewReader(conn)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the answer: %w", err)
		}
		if resp.StatusCode == http.StatusContinue {
			once.Do(func() { close(proceed) })
			continue
		}
		defer resp.Body.Close()
		// An answer cut short keeps what came: the caller judges it.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, limit))
		return resp, body, nil
	}
}

// rawHeaders returns the headers of a head written by hand, their names
// as written, Authorization redacted.
func rawHeaders(head []byte) http.Header {
	h := http.Header{}
	lines := strings.Split(string(head), "\r\n")
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		if strings.EqualFold(name, "authorization") {
			scheme, _, _ := strings.Cut(value, " ")
			value = scheme + " REDACTED"
		}
		h[name] = append(h[name], value)
	}
	return h
}

// redactRaw hides the credentials of an Authorization header in raw.
func redactRaw(raw []byte) []byte {
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	for i, line := range lines {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "authorization") {
			scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
			lines[i] = name + ": " + scheme + " REDACTED"
		}
	}
	return append([]byte(strings.Join(lines, "\r\n")+"\r\n\r\n"), body...)
}

// rawCommand is a bash command that sends raw again byte for byte, with
// nc (or openssl s_client for https), the password read from the
// environment as curl commands read it.
func rawCommand(t Target, raw wire.Raw, how Credentials) string {
	b := raw.Bytes()
	if len(b) > maxCurlBody {
		return fmt.Sprintf("# the request was %d bytes, too long to repeat here", len(b))
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[u.Scheme == "https"]
	}
	sink := "nc " + shellQuote(u.Hostname()) + " " + port
	if u.Scheme == "https" {
		sink = "openssl s_client -quiet -connect " + shellQuote(u.Hostname()+":"+port)
	}
	user, variable := t.Username, PasswordVariable
	if how == AsNonAdmin {
		user, variable = t.NonAdminUsername, NonAdminPasswordVariable
	}
	var cmd strings.Builder
	cmd.WriteString("{ ")
	head, body, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	for _, line := range lines {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(name, "authorization") && (how == AsAdmin || how == AsNonAdmin) {
			scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
			fmt.Fprintf(&cmd, "printf '%%s' %s; printf '%%s' \"$(printf '%%s:%%s' %s \"$%s\" | base64 -w0)\"; ",
				shellQuote(name+": "+scheme+" "), shellQuote(user), variable)
			line = ""
		}
		line += "\r\n"
		fmt.Fprintf(&cmd, "printf '%%b' %s; ", shellQuote(printfEscape(line)))
	}
	fmt.Fprintf(&cmd, "printf '%%b' %s; } | %s", shellQuote(printfEscape("\r\n"+string(body))), sink)
	return cmd.String()
}

// printfEscape writes s for printf's %b: backslashes doubled, line ends
// and other control bytes as escapes.
func printfEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// WireRequest is an import of file (and second, for the ways that send two
// files) to the target as a wire.Request, with the credentials how gives:
// the admin's, the non-admin's, or the admin with a wrong password.
func (t Target) WireRequest(how Credentials, runID string, file []byte, fileName string, second []byte) wire.Request {
	user, password := t.Username, t.Password
	switch how {
	case WrongPassword:
		password = "wrong-" + runID
	case AsNonAdmin:
		user, password = t.NonAdminUsername, t.NonAdminPassword
	}
	u, _ := url.Parse(t.BaseURL)
	host, origin := "", ""
	if u != nil {
		host, origin = u.Host, u.Scheme+"://"+u.Host
	}
	return wire.Request{Host: host, Path: api.ImportPath, Username: user, Password: password,
		File: file, FileName: fileName, Second: second, Origin: origin}
}

// SendRaw writes raw, the request as way writes it, on a connection of its
// own and reads the answer: it returns the exchange as a report shows it
// (the headers as written, credentials redacted, and a command that sends
// the bytes again) and the answer's JSON object. Only a transport error is
// an error (it wraps ErrUnreachable).
func (t Target) SendRaw(ctx context.Context, way wire.Way, raw wire.Raw, how Credentials) (*Exchange, map[string]any, error) {
	return t.SendRawLimit(ctx, way, raw, how, maxAnswer)
}

// SendRawLimit is SendRaw reading at most limit bytes of the answer: for
// the answers of the longest files (details of 65,537 rows are about
// 1.6 MB), which a scenario asks for by name.
func (t Target) SendRawLimit(ctx context.Context, way wire.Way, raw wire.Raw, how Credentials, limit int64) (*Exchange, map[string]any, error) {
	line, _, _ := strings.Cut(string(raw.Head), "\r\n")
	fields := strings.Fields(line)
	x := &Exchange{Method: "POST", URL: t.BaseURL, Header: rawHeaders(raw.Head)}
	if len(fields) >= 2 {
		x.Method, x.URL = fields[0], strings.TrimRight(t.BaseURL, "/")+fields[1]
	}
	x.Sent = string(cut(fmt.Appendf(nil, "[written as %s: %s]\n%s", way.Name, way.Client, redactRaw(raw.Bytes()))))
	x.Curl = rawCommand(t, raw, how)

	timeout := time.Minute
	if t.Client != nil && t.Client.Timeout > 0 {
		timeout = t.Client.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, body, err := roundTrip(ctx, t, raw, limit)
	if err != nil {
		x.Err = err.Error()
		return x, nil, fmt.Errorf("%w: %s %s written as %s: %w", ErrUnreachable, x.Method, x.URL, way.Name, err)
	}
	x.Status, x.AnswerHeader = resp.StatusCode, safeHeaders(shownHeaders(resp.Header, "Content-Type", "Allow", "WWW-Authenticate", "Location"))
	x.keep(body, int64(len(body)) >= limit)
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		return x, obj, nil
	}
	return x, nil, nil
}
