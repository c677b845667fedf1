package steps

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRowIsWithoutDetailsChecksTheCounts: an answer without details proves a
// row's outcome only through the summary's counts; it never passes by
// default.
func TestRowIsWithoutDetailsChecksTheCounts(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		row    int
		want   string
		fails  string
	}{
		{"created, counted", `{"success":true,"summary":"2 users processed. 2 users created. 0 users updated. 0 users failed."}`, 2, "User Created", ""},
		{"updated, counted", `{"success":true,"summary":"2 users processed. 1 user created. 1 user updated. 0 users failed."}`, 2, "User Updated", ""},
		{"updated, not counted", `{"success":true,"summary":"2 users processed. 2 users created. 0 users updated. 0 users failed."}`, 2, "User Updated", `counts no row as "User Updated"`},
		{"too few rows", `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, 2, "User Created", "counts fewer rows"},
		{"failed import without details", `{"success":false,"summary":"2 users processed. 1 user created. 0 users updated. 1 user failed."}`, 1, "User Created", "no details in an import that failed"},
		{"summary of another shape", `{"success":true,"summary":"OK"}`, 1, "User Created", "not the documented count"},
		{"details", `{"success":false,"summary":"2 users processed. 1 user created. 0 users updated. 1 user failed.","details":{"1":"User Created","2":"x. User failed to import: x. "}}`, 1, "User Updated", `got "User Created"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.answer)
			}))
			defer srv.Close()
			s := testScenario(srv)
			require.NoError(t, s.upload(context.Background(), target.AsAdmin, filePart("file", "users.csv", []byte("username\na\nb\n"))))
			err := s.rowIs(tt.row, tt.want)
			if tt.fails == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.fails)
			}
		})
	}
}

func testScenario(srv *httptest.Server) *scenario {
	return &scenario{
		run:    &runState{runID: "r1"},
		target: target.Target{BaseURL: srv.URL, Client: srv.Client(), Username: "vendor", Password: "s3cret-pw", NonAdminUsername: "clerk", NonAdminPassword: "clerk-pw", Prefix: "acs-"},
		values: map[string]string{}, usernames: map[string]bool{},
	}
}

// received is one request as a server saw it.
type received struct {
	method, auth, contentType string
	parts                     []string // "field|filename|content" of each part
	body                      string   // a body that is not multipart
}

// TestCurlRepeatsTheRequest runs each exchange's curl command and requires
// the server to receive what the scenario sent, byte for byte, while the
// command itself never holds a secret password.
func TestCurlRepeatsTheRequest(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := received{method: r.Method, auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type")}
		mt, params, _ := mime.ParseMediaType(rec.contentType)
		if mt == "multipart/form-data" {
			mr := multipart.NewReader(r.Body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				b, _ := io.ReadAll(p)
				rec.parts = append(rec.parts, p.FormName()+"|"+p.FileName()+"|"+string(b))
			}
		} else {
			b, _ := io.ReadAll(r.Body)
			rec.body = string(b)
		}
		mu.Lock()
		got = append(got, rec)
		mu.Unlock()
		io.WriteString(w, `{"success":true,"summary":"0 users processed. 0 users created. 0 users updated. 0 users failed."}`)
	}))
	defer srv.Close()
	file := []byte("username,givenname\r\nacs-a,Zoë\r\nacs-b,'quoted' \\ \x93Windows\x94\n\n")
	ctx := context.Background()
	tests := []struct {
		name string
		send func(s *scenario) error
	}{
		{"admin upload", func(s *scenario) error { return s.upload(ctx, target.AsAdmin, filePart("file", "users.csv", file)) }},
		{"text field first, two files", func(s *scenario) error {
			return s.upload(ctx, target.AsAdmin, textPart("note", []byte("nightly export")), filePart("file", "a.csv", file), filePart("file2", "b.csv", []byte("username\n")))
		}},
		{"empty file", func(s *scenario) error { return s.upload(ctx, target.AsAdmin, filePart("file", "empty.csv", nil)) }},
		{"credentials in the URL", func(s *scenario) error { return s.upload(ctx, target.AdminInURL, filePart("file", "users.csv", file)) }},
		{"non-admin", func(s *scenario) error { return s.upload(ctx, target.AsNonAdmin, filePart("file", "users.csv", file)) }},
		{"wrong password", func(s *scenario) error {
			return s.upload(ctx, target.WrongPassword, filePart("file", "users.csv", file))
		}},
		{"malformed header", func(s *scenario) error {
			return s.upload(ctx, target.MalformedHeader, filePart("file", "users.csv", file))
		}},
		{"whole body", func(s *scenario) error {
			s.file = file
			return s.iSendTheFileAsTheWholeBody(ctx, "text/csv")
		}},
		{"GET", func(s *scenario) error { return s.iSendARequestToTheImportPath(ctx, http.MethodGet, "with") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			s := testScenario(srv)
			require.NoError(t, tt.send(s))
			curl := s.last.Curl
			assert.NotContains(t, curl, "s3cret-pw")
			assert.NotContains(t, curl, "clerk-pw")
			cmd := exec.Command("bash", "-c", curl)
			cmd.Env = append(os.Environ(), target.PasswordVariable+"=s3cret-pw", target.NonAdminPasswordVariable+"=clerk-pw")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s\n%s", curl, out)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, got, 2, curl)
			sent, repeated := got[0], got[1]
			assert.Equal(t, sent.method, repeated.method, curl)
			assert.Equal(t, sent.auth, repeated.auth, curl)
			assert.Equal(t, sent.parts, repeated.parts, curl)
			assert.Equal(t, sent.body, repeated.body, curl)
			if !strings.HasPrefix(sent.contentType, "multipart/") {
				assert.Equal(t, sent.contentType, repeated.contentType, curl)
			}
		})
	}
}
