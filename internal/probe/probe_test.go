package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/internal/probe"
)

// TestSpeaksTLS: an HTTPS server answers the probe in TLS, a plain HTTP
// server and a closed port do not.
func TestSpeaksTLS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	tlsSrv := httptest.NewTLSServer(ok)
	defer tlsSrv.Close()
	plain := httptest.NewServer(ok)
	u := func(raw string) *url.URL {
		v, err := url.Parse(raw)
		require.NoError(t, err)
		return v
	}
	assert.True(t, probe.SpeaksTLS(context.Background(), u(tlsSrv.URL)))
	assert.False(t, probe.SpeaksTLS(context.Background(), u(plain.URL)))
	closed := u(plain.URL)
	plain.Close()
	assert.False(t, probe.SpeaksTLS(context.Background(), closed))
}
