package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHealthcheck: serve --healthcheck asks the server its settings start,
// at its listen address (loopback for every interface), and says 0 only
// when it answers /healthz.
func TestHealthcheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	e, _, _ := testEnv(nil)
	ctx := context.Background()
	assert.Equal(t, exitOK, run(ctx, e, []string{"serve", "--healthcheck", "--addr", "127.0.0.1:" + port}))
	assert.Equal(t, exitOK, run(ctx, e, []string{"serve", "--healthcheck", "--addr", ":" + port}), "every interface: asked on loopback")
	assert.Equal(t, exitOK, run(ctx, e, []string{"serve", "--healthcheck", "--addr", "0.0.0.0:" + port}))
	e.getenv = func(k string) string { return map[string]string{"AUTOSYNC_ADDR": ":" + port}[k] }
	assert.Equal(t, exitOK, run(ctx, e, []string{"serve", "--healthcheck"}), "it follows AUTOSYNC_ADDR")

	e, _, errOut := testEnv(nil)
	srv.Close()
	assert.Equal(t, exitFail, run(ctx, e, []string{"serve", "--healthcheck", "--addr", "127.0.0.1:" + port}))
	assert.Contains(t, errOut.String(), "autosync serve: --healthcheck: no answer from http://127.0.0.1:"+port+"/healthz")

	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	_, port, _ = net.SplitHostPort(tlsSrv.Listener.Addr().String())
	e, _, errOut = testEnv(nil)
	assert.Equal(t, exitFail, run(ctx, e, []string{"serve", "--healthcheck", "--tls-self-signed", t.TempDir(), "--addr", "127.0.0.1:" + port}))
	assert.Contains(t, errOut.String(), "https://127.0.0.1:"+port+"/healthz answered 404")
}
