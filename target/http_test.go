package target

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDoNamesTheRequestOnce: a port that does not speak HTTP is reported
// with the request's method and URL once, credentials redacted, and the
// reason, not the client's second spelling of them (Post "…").
func TestDoNamesTheRequestOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// The request read first and the connection held open after
			// the banner, so that the client reads the banner rather than
			// meeting a closed socket while it writes.
			go func() {
				defer c.Close()
				c.Read(make([]byte, 4096))
				c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n"))
				io.Copy(io.Discard, c)
			}()
		}
	}()
	tg := Target{BaseURL: "http://" + ln.Addr().String(), Client: &http.Client{}}
	req, err := http.NewRequest(http.MethodPost, "http://admin:Secret-1@"+ln.Addr().String()+"/api/import/users", strings.NewReader("x"))
	require.NoError(t, err)
	var x Exchange
	_, err = tg.Do(req, &x)
	require.ErrorIs(t, err, ErrUnreachable)
	msg := err.Error()
	assert.Contains(t, msg, "POST http://admin:REDACTED@"+ln.Addr().String()+"/api/import/users: ")
	assert.Equal(t, 1, strings.Count(msg, "/api/import/users"), "the URL once: %s", msg)
	assert.NotContains(t, msg, "Secret-1")
	assert.Contains(t, msg, "malformed HTTP response")
}

// TestNotUTF8: an answer whose body is not UTF-8 is marked so, though the
// body a report shows is made safe to print; one cut at the run's limit in
// the middle of a character is not.
func TestNotUTF8(t *testing.T) {
	cutMidRune := append([]byte(strings.Repeat("a", maxAnswer-1)), "é"...)
	for _, c := range []struct {
		name string
		body []byte
		want bool
	}{
		{"UTF-8", []byte(`{"summary":"é 𝒜"}`), false},
		{"CESU-8", []byte("{\"summary\":\"\xed\xa0\xb5\xed\xb2\x9c\"}"), true},
		{"Latin-1", []byte("{\"summary\":\"\xe9\"}"), true},
		{"cut at the limit inside a character", cutMidRune, false},
	} {
		x := answered(t, c.body)
		assert.Equal(t, c.want, x.NotUTF8, c.name)
		assert.True(t, utf8.Valid(x.Answer), "%s: the answer shown is printable", c.name)
	}
}

// TestNotJSON: an answer that does not begin as JSON text, such as JSON with a
// byte-order mark before it, is marked so; a JSON answer of another shape,
// and an empty one, are not.
func TestNotJSON(t *testing.T) {
	for body, want := range map[string]bool{
		`{"success":true}`:         false,
		`[1,2]`:                    false,
		"":                         false,
		"\ufeff{\"success\":true}": true,
		"<html>500</html>":         true,
	} {
		x := answered(t, []byte(body))
		assert.Equal(t, want, x.NotJSON, "%q", body)
	}
}

// answered is the exchange of a request to a server that answers body as
// JSON.
func answered(t *testing.T, body []byte) *Exchange {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	x := &Exchange{}
	Target{BaseURL: srv.URL, Client: srv.Client()}.Do(req, x)
	return x
}
