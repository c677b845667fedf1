package target

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

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
