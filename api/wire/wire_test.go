package wire_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/autosync/autosync/api/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryWayCarriesTheFile: every way writes a request that a reader of
// the standards (Go's net/http and mime/multipart) reads as the import of
// the file, with the credentials, and a second file after it; only the
// ways the rules refuse differ.
func TestEveryWayCarriesTheFile(t *testing.T) {
	file := []byte("username,enabled\nann,Y\n")
	names := map[string]bool{}
	for _, way := range wire.Ways() {
		t.Run(way.Name, func(t *testing.T) {
			assert.False(t, names[way.Name], "two ways have one name")
			names[way.Name] = true
			assert.NotEmpty(t, way.Client)
			assert.NotEmpty(t, way.Quirk)
			assert.NotEmpty(t, way.Rule)
			raw := way.Write(wire.Request{Host: "school.example", Path: "/api/import/users", Username: "autoimport", Password: "pa:ss",
				File: file, Second: []byte("username\nbob\n"), Origin: "https://school.example"})
			req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw.Bytes())))
			require.NoError(t, err)
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "school.example", req.Host)
			assert.Equal(t, strings.Contains(string(raw.Head), "Expect: 100-continue"), raw.Expect)
			user, pass, ok := req.BasicAuth()
			if way.Refused && way.Status == http.StatusUnauthorized {
				assert.False(t, ok, "a refused way sends no credentials")
			} else {
				require.True(t, ok, "credentials")
				assert.Equal(t, "autoimport", user)
				assert.Equal(t, "pa:ss", pass)
			}
			if way.Refused && way.Status == http.StatusNotFound {
				assert.NotEqual(t, "/api/import/users", req.URL.Path)
			} else {
				assert.Equal(t, "/api/import/users", req.URL.Path)
			}
			mr, err := req.MultipartReader()
			require.NoError(t, err)
			var files [][]byte
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				body, err := io.ReadAll(p)
				require.NoError(t, err)
				if p.FileName() != "" {
					files = append(files, body)
				}
			}
			require.NotEmpty(t, files)
			assert.Equal(t, file, files[0], "the first file part is the CSV")

			bare := way.WithoutCredentials(wire.Request{Host: "h", Path: "/p", Username: "u", Password: "p", File: file})
			assert.NotContains(t, strings.ToLower(string(bare.Head)), "authorization:")
		})
	}
}

// TestLookup: a way is found by its name, and an unknown name is not.
func TestLookup(t *testing.T) {
	way, ok := wire.Lookup("PowerShell 7")
	require.True(t, ok)
	raw := way.Write(wire.Request{Host: "h", Path: "/p", File: []byte("x")})
	assert.Contains(t, string(raw.Head), `boundary="`)
	_, ok = wire.Lookup("telnet")
	assert.False(t, ok)
}
