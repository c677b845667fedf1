package explore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endless serves an answer that never ends (up to 64 MiB) at every path,
// opening with start, and counts the bytes it got to write.
func endless(t *testing.T, start string) (*httptest.Server, *atomic.Int64) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		n, err := w.Write([]byte(start))
		written.Add(int64(n))
		chunk := []byte(strings.Repeat("x", 64<<10))
		for i := 0; i < 1024 && err == nil; i++ {
			n, err = w.Write(chunk)
			written.Add(int64(n))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &written
}

// TestPatronReadIsBounded: explore's read of a target's
// /_mock/patrons/NAME stops at 1 MiB, whatever the target sends.
func TestPatronReadIsBounded(t *testing.T) {
	srv, written := endless(t, `{"username":"`)
	tg := target.Target{BaseURL: srv.URL, Client: srv.Client(), Username: "u", Password: "p"}
	_, err := patron(context.Background(), tg, "n1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "longer than")
	srv.CloseClientConnections()
	assert.Less(t, written.Load(), int64(16<<20), "bytes the target got to send")
}

// TestInspectionProbeIsBounded: whether a target has /_mock/ pages is
// known from the first bytes of /_mock/imports, however long it is.
func TestInspectionProbeIsBounded(t *testing.T) {
	srv, written := endless(t, `[{"x":"`)
	tg := target.Target{BaseURL: srv.URL, Client: srv.Client(), Username: "u", Password: "p"}
	assert.True(t, target.HasInspection(context.Background(), tg))
	srv.CloseClientConnections()
	assert.Less(t, written.Load(), int64(16<<20), "bytes the target got to send")
}

// TestDetailsInOrder: the keys of details are read in the order written.
func TestDetailsInOrder(t *testing.T) {
	for raw, want := range map[string]bool{
		`{"success":false,"summary":"s","details":{"1":"User Created","2":"x","10":"y"}}`: true,
		`{"success":false,"summary":"s","details":{"1":"User Created","10":"y","2":"x"}}`: false,
		`{"details":{"2":"x","1":"y"},"summary":"s"}`:                                     false,
		`{"success":true,"summary":"s"}`:                                                  true,
		`{"summary":{"details":{"2":"x","1":"y"}}}`:                                       true,
		`not json`: true,
	} {
		if got := detailsInOrder([]byte(raw)); got != want {
			t.Errorf("detailsInOrder(%s) = %v, want %v", raw, got, want)
		}
	}
}
