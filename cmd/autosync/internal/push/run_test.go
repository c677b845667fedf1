package push

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/preview"
)

// testRun drives Run against an httpmock target at https://school.example,
// with the password in PW and the kept roster in a temporary folder.
type testRun struct {
	t        *testing.T
	mt       *httpmock.MockTransport
	keepDir  string
	out, err bytes.Buffer
}

func newTestRun(t *testing.T, responder httpmock.Responder) *testRun {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", responder)
	return &testRun{t: t, mt: mt, keepDir: t.TempDir()}
}

func (r *testRun) options() Options {
	return Options{URL: "https://school.example", Username: "u", PasswordEnv: "PW", Retries: 1,
		Timeout: time.Minute, KeepDir: r.keepDir, Hold: preview.DefaultThresholds}
}

func (r *testRun) run(o Options, csv string) int {
	r.out.Reset()
	r.err.Reset()
	path := filepath.Join(r.t.TempDir(), "users.csv")
	require.NoError(r.t, os.WriteFile(path, []byte(csv), 0o600))
	e := Env{Stdout: &r.out, Stderr: &r.err, Getenv: func(k string) string { return map[string]string{"PW": "pw"}[k] },
		Client: &http.Client{Transport: r.mt}, Backoff: time.Millisecond}
	return Run(context.Background(), e, o, path)
}

const okAnswer = `{"success":true,"summary":"2 users processed. 2 users created. 0 users updated. 0 users failed."}`

// TestRunKeepsWhatWasAccepted: Run sends the file, prints the answer, and
// keeps the roster the target accepted for the next night.
func TestRunKeepsWhatWasAccepted(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, okAnswer))
	code := r.run(r.options(), "username,enabled\nann,Y\nbob,Y\n")
	assert.Equal(t, OK, code, r.err.String())
	assert.Contains(t, r.out.String(), "2 users created")
	kept, err := filepath.Glob(filepath.Join(r.keepDir, "*.csv"))
	require.NoError(t, err)
	require.Len(t, kept, 1)
	got, err := os.ReadFile(kept[0])
	require.NoError(t, err)
	assert.Equal(t, "username,enabled\nann,Y\nbob,Y\n", string(got))
}

// TestRunUsage: a push without a target is bad usage, and nothing is sent.
func TestRunUsage(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, okAnswer))
	o := r.options()
	o.Username = ""
	assert.Equal(t, Usage, r.run(o, "username\nann\n"))
	assert.Contains(t, r.err.String(), "give --url and --username")
	assert.Zero(t, r.mt.GetTotalCallCount())
}

// TestKeptFileMergesAcceptedRows: the kept file is the roster with each
// accepted file's rows over it, cell by cell; a row the target refused
// changes nothing, and no password is kept.
func TestKeptFileMergesAcceptedRows(t *testing.T) {
	dir := t.TempDir()
	write := func(name, csv string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
		return path
	}
	kept := filepath.Join(dir, "kept", "target.csv")
	require.NoError(t, keep(context.Background(), write("roster.csv", "username,enabled,staffmember,graduationyear,password\nann,Y,N,2029,Secret-1\nbob,Y,N,2029,\n"), "", kept, nil))
	night := write("night.csv", "\nusername,formclass,emailaddress,password\nANN,7B,,Secret-2\nbob,8C,not-an-address,\ncat,9D,cat@example.edu,\n")
	require.NoError(t, keep(context.Background(), night, kept, kept, map[int]bool{2: true}))
	got, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "username,enabled,staffmember,emailaddress,graduationyear,formclass\n"+
		"ann,Y,N,,2029,7B\nbob,Y,N,,2029,\ncat,,,cat@example.edu,,9D\n", string(got))
	assert.NotContains(t, string(got), "Secret")
}
