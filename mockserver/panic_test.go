package mockserver

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPanicAnswersJSON: whatever goes wrong inside, the client gets a JSON
// 500, never a Go panic trace, and the server keeps serving (R-HTTP-6).
func TestPanicAnswersJSON(t *testing.T) {
	s := New().(*server)
	s.engine = nil // the import will dereference it
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write([]byte("username\nx\n"))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, api.ImportPath, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth(DefaultAdminUser, DefaultAdminPassword)
	rec := httptest.NewRecorder()
	require.NotPanics(t, func() { s.ServeHTTP(rec, req) })
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, jsonType, rec.Header().Get("Content-Type"))
	var v map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), rec.Body.String())
	assert.Equal(t, false, v["success"])
	assert.NotContains(t, rec.Body.String(), "goroutine")

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
}
