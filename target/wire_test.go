package target_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/autosync/autosync/api/wire"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendRawOverSockets: every way of sending reaches a server on a real
// socket, in HTTP and in TLS with the client's trust, and is answered as
// the rules say; the exchange shows the headers as written, never the
// password.
func TestSendRawOverSockets(t *testing.T) {
	for _, tls := range []bool{false, true} {
		h := mockserver.New(mockserver.WithAdmin("vendor", "s3cret-admin-pw"))
		srv := httptest.NewUnstartedServer(h)
		if tls {
			srv.StartTLS()
		} else {
			srv.Start()
		}
		t.Cleanup(srv.Close)
		client := srv.Client()
		client.Timeout = 10 * time.Second
		tg := target.Target{BaseURL: srv.URL, Client: client, Username: "vendor", Password: "s3cret-admin-pw"}
		for i, way := range wire.Ways() {
			file := fmt.Appendf(nil, "username,enabled,staffmember,graduationyear\nwire-%v-%d,Y,N,2030\n", tls, i)
			x, obj, err := tg.SendRaw(context.Background(), way, way.Write(tg.WireRequest(target.AsAdmin, "run", file, "users.csv", nil)), target.AsAdmin)
			require.NoError(t, err, "%s (TLS %v)", way.Name, tls)
			assert.Equal(t, way.Status, x.Status, "%s (TLS %v): %s", way.Name, tls, x.Answer)
			require.NotNil(t, obj, "%s: a JSON answer", way.Name)
			if way.Status == http.StatusOK {
				assert.Equal(t, "1 user processed. 1 user created. 0 users updated. 0 users failed.", obj["summary"], way.Name)
			}
			assert.NotContains(t, x.Sent, "s3cret-admin-pw")
			assert.NotContains(t, x.Curl, "s3cret-admin-pw")
		}
	}
}

// TestSendRawWaitsForContinue: a request that asks for 100 Continue and
// is refused gets its answer before the body is sent, and one that is let
// in sends the body once told.
func TestSendRawWaitsForContinue(t *testing.T) {
	srv := httptest.NewServer(mockserver.New())
	t.Cleanup(srv.Close)
	tg := target.Target{BaseURL: srv.URL, Client: srv.Client(), Username: mockserver.DefaultAdminUser, Password: mockserver.DefaultAdminPassword}
	way, ok := wire.Lookup("curl, waiting for 100 Continue")
	require.True(t, ok)
	file := []byte("username,enabled,staffmember,graduationyear\nwire-continue,Y,N,2030\n")
	start := time.Now()
	x, _, err := tg.SendRaw(context.Background(), way, way.Write(tg.WireRequest(target.WrongPassword, "run", file, "", nil)), target.WrongPassword)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, x.Status)
	x, _, err = tg.SendRaw(context.Background(), way, way.Write(tg.WireRequest(target.AsAdmin, "run", file, "", nil)), target.AsAdmin)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, x.Status)
	t.Logf("both in %v", time.Since(start))
}
