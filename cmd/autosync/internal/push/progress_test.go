package push

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgressSaysSizesReadably: a file of a few kilobytes is not "0.0 of
// 0.0 MB".
func TestProgressSaysSizesReadably(t *testing.T) {
	for _, tt := range []struct {
		size int
		want string
	}{
		{512, "(512 bytes of 512 bytes)"},
		{36_000, "(36.0 KB of 36.0 KB)"},
		{2_500_000, "(2.5 MB of 2.5 MB)"},
	} {
		var out bytes.Buffer
		p := &progress{r: strings.NewReader(strings.Repeat("x", tt.size)), total: int64(tt.size), name: "users.csv", out: &out}
		_, err := io.Copy(io.Discard, p)
		require.NoError(t, err)
		assert.Contains(t, out.String(), "100% "+tt.want, tt.size)
		assert.NotContains(t, out.String(), "0.0 of 0.0", tt.size)
	}
}

// TestRetryNoteOnlyWhenTheServerMayHaveRead: a connection that was never
// made cannot have imported anything, and the note does not say it might.
func TestRetryNoteOnlyWhenTheServerMayHaveRead(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = http.Post("http://"+addr+"/api/import/users", "text/csv", strings.NewReader("x"))
	require.Error(t, err)
	assert.Empty(t, retryNote(err), "refused: %v", err)

	cut := &net.OpError{Op: "read", Net: "tcp", Err: io.ErrUnexpectedEOF}
	assert.Contains(t, retryNote(cut), "if the server had read the file", "an answer cut off after the upload")
	assert.Empty(t, retryNote(nil), "a 5xx answer")
}
