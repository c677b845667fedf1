package push

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	return Run(context.Background(), e, o, path, nil)
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
	require.Len(t, kept, 2, "the kept roster, and the revert file that switches off the two created")
	if strings.HasSuffix(kept[0], ".revert.csv") {
		kept = kept[1:]
	}
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
	write := func(name, csv string) io.ReadSeeker {
		return strings.NewReader(csv)
	}
	kept := filepath.Join(dir, "kept", "target.csv")
	require.NoError(t, keep(context.Background(), write("roster.csv", "username,enabled,staffmember,graduationyear,password\nann,Y,N,2029,Secret-1\nbob,Y,N,2029,\n"), "", kept, nil))
	night := write("night.csv", "\nusername,formclass,emailaddress,password\nANN,7B,,Secret-2\nbob,8C,not-an-address,\ncat,9D,cat@example.edu,\n")
	require.NoError(t, keep(context.Background(), night, kept, kept, map[string]string{"1": "User Updated", "2": "Field (emailAddress) is not a well-formed email address.", "3": "User Created"}))
	got, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "username,enabled,staffmember,emailaddress,graduationyear,formclass\n"+
		"ann,Y,N,,2029,7B\nbob,Y,N,,2029,\ncat,,,cat@example.edu,,9D\n", string(got))
	assert.NotContains(t, string(got), "Secret")
}

// roster writes n patrons p0… from first, enabled.
func rosterCSV(first, n int) string {
	var b strings.Builder
	b.WriteString("username,enabled,staffmember,graduationyear,formclass\n")
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "p%d,Y,N,2029,7B\n", i)
	}
	return b.String()
}

// answerAll answers as the reference server does for a file of n rows,
// each created.
func answerAll(n int, outcome string) string {
	details := map[string]string{}
	for i := 1; i <= n; i++ {
		details[strconv.Itoa(i)] = outcome
	}
	b, _ := json.Marshal(map[string]any{"success": true, "summary": fmt.Sprintf("%d users processed.", n), "details": details})
	return string(b)
}

// document reads the JSON document of a push.
func document(t *testing.T, out string) (doc struct {
	Success bool   `json:"success"`
	Summary string `json:"summary"`
	Push    Report `json:"push"`
}) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1, "one JSON document: %q", out)
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &doc), out)
	return doc
}

// TestRunExitCodes: refused by lint and held by the guard are codes of
// their own, and --json prints one document for each, as for a usage
// error; nothing is sent.
func TestRunExitCodes(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	o := r.options()
	o.JSON = true
	require.Equal(t, OK, r.run(o, rosterCSV(0, 25)), r.err.String())
	assert.Equal(t, "imported", document(t, r.out.String()).Push.Outcome)

	lintO := o
	lintO.Lint = true
	assert.Equal(t, Refused, r.run(lintO, "username,enabled,staffmember,graduationyear\nzed,Y,N,20\n"))
	doc := document(t, r.out.String())
	assert.False(t, doc.Success)
	assert.Equal(t, Refused, doc.Push.ExitCode)
	assert.Equal(t, "refused", doc.Push.Outcome)
	assert.Contains(t, doc.Summary, "not sent: the server would refuse 1 row")
	require.NotEmpty(t, doc.Push.Problems)
	assert.Equal(t, "graduationyear", strings.ToLower(doc.Push.Problems[0].Column))

	all := strings.ReplaceAll(rosterCSV(0, 25), ",Y,N,", ",N,N,")
	assert.Equal(t, Held, r.run(o, all))
	doc = document(t, r.out.String())
	assert.Equal(t, "held", doc.Push.Outcome)
	require.Len(t, doc.Push.Holds, 1)
	assert.Contains(t, doc.Push.Holds[0].Reason, "25 of the 25 known patrons would be switched off")
	assert.Equal(t, 1, r.mt.GetTotalCallCount(), "neither was sent")

	bad := o
	bad.URL = "ftp://school.example"
	assert.Equal(t, Usage, r.run(bad, all))
	doc = document(t, r.out.String())
	assert.Equal(t, "usage", doc.Push.Outcome)
	assert.Contains(t, doc.Summary, "ftp:// is not for this")
}

// TestRunNotifies: the JSON document is posted to --notify-url on a hold
// and on success, without the password.
func TestRunNotifies(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	var posted []string
	r.mt.RegisterResponder(http.MethodPost, "https://hooks.example/night", func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		posted = append(posted, string(b))
		return httpmock.NewStringResponse(204, ""), nil
	})
	o := r.options()
	o.NotifyURL = "https://hooks.example/night"
	require.Equal(t, OK, r.run(o, rosterCSV(0, 25)), r.err.String())
	require.Equal(t, Held, r.run(o, strings.ReplaceAll(rosterCSV(0, 25), ",Y,N,", ",N,N,")))
	require.Len(t, posted, 2)
	assert.Contains(t, posted[0], `"outcome":"imported"`)
	assert.Contains(t, posted[1], `"outcome":"held"`)
	for _, p := range posted {
		assert.True(t, json.Valid([]byte(p)), p)
		assert.NotContains(t, p, `"pw"`)
	}

	r.mt.RegisterResponder(http.MethodPost, "https://hooks.example/night", httpmock.NewStringResponder(500, "down"))
	require.Equal(t, OK, r.run(o, rosterCSV(0, 25)), "a webhook that fails does not change the exit code")
	assert.Contains(t, r.err.String(), "--notify-url: https://hooks.example/night answered 500")
}

// TestRunNormalisesTheTarget: the query and fragment are left out, and
// the host's case and default port do not make another kept roster.
func TestRunNormalisesTheTarget(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	o := r.options()
	require.Equal(t, OK, r.run(o, rosterCSV(0, 25)), r.err.String())
	for _, u := range []string{"HTTPS://School.EXAMPLE:443/?x", "https://school.example/#x", "https://school.example/api/import/users?"} {
		o.URL = u
		assert.Equal(t, Held, r.run(o, strings.ReplaceAll(rosterCSV(0, 25), ",Y,N,", ",N,N,")), "%s: compared with the kept roster", u)
	}
	assert.Contains(t, r.err.String(), "the query is left out: the file goes to https://school.example/api/import/users")
	o.URL = "https://school.example/?x"
	require.Equal(t, OK, r.run(o, rosterCSV(0, 25)))
	assert.Equal(t, 2, r.mt.GetCallCountInfo()["POST https://school.example/api/import/users"], "never to /?x/api/import/users")
}

// TestRunReadsABoundedAnswer: an answer over 1 MiB is not read further.
func TestRunReadsABoundedAnswer(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, `{"success":true,"summary":"`+strings.Repeat("x", MaxAnswer)+`"}`))
	assert.Equal(t, GaveUp, r.run(r.options(), rosterCSV(0, 2)))
	assert.Contains(t, r.err.String(), "with more than 1048576 bytes")
}

// TestRunRefusesAKeptRosterOfOthers: a kept roster others can write, or
// another user's, is refused with the reason, and nothing is sent.
func TestRunRefusesAKeptRosterOfOthers(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	require.Equal(t, OK, r.run(r.options(), rosterCSV(0, 25)), r.err.String())
	kept := keptPath(r.keepDir, "https://school.example")
	require.NoError(t, os.Chmod(kept, 0o666))
	assert.Equal(t, Usage, r.run(r.options(), rosterCSV(0, 1)))
	assert.Contains(t, r.err.String(), "can be written by others (mode 0666)")
	require.NoError(t, os.Chmod(kept, 0o600))
	if os.Geteuid() == 0 {
		require.NoError(t, os.Chown(kept, 4242, 4242))
		assert.Equal(t, Usage, r.run(r.options(), rosterCSV(0, 1)))
		assert.Contains(t, r.err.String(), "belongs to another user (uid 4242")
		require.NoError(t, os.Chown(kept, 0, 0))
	}
	require.NoError(t, os.Chmod(r.keepDir, 0o777))
	assert.Equal(t, Usage, r.run(r.options(), rosterCSV(0, 1)))
	assert.Contains(t, r.err.String(), "--keep-dir: "+r.keepDir+" can be written by others")
	assert.Equal(t, 1, r.mt.GetTotalCallCount())
}

// TestRunSaysWhenTheRosterIsNotKept: a push the target took whose roster
// cannot be kept exits 7 with the reason.
func TestRunSaysWhenTheRosterIsNotKept(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	require.Equal(t, OK, r.run(r.options(), rosterCSV(0, 25)), r.err.String())
	kept := keptPath(r.keepDir, "https://school.example")
	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", func(*http.Request) (*http.Response, error) {
		// While the file is sent, the roster's place becomes a folder.
		require.NoError(t, os.Remove(kept))
		require.NoError(t, os.MkdirAll(filepath.Join(kept, "in-the-way"), 0o700))
		return httpmock.NewStringResponse(200, answerAll(1, "User Updated")), nil
	})
	assert.Equal(t, NotKept, r.run(r.options(), rosterCSV(0, 1)))
	assert.Contains(t, r.err.String(), "imported, but")
	assert.Contains(t, r.err.String(), "the next night would be compared with an old roster")
}

// TestRunConcurrentPushesLoseNothing: pushes to one target at the same
// time each add their patrons to the kept roster.
func TestRunConcurrentPushesLoseNothing(t *testing.T) {
	r := newTestRun(t, func(req *http.Request) (*http.Response, error) {
		time.Sleep(5 * time.Millisecond) // the pushes overlap
		return httpmock.NewStringResponse(200, answerAll(50, "User Created")), nil
	})
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(t.TempDir(), "users.csv")
			if err := os.WriteFile(path, []byte(rosterCSV(i*50, 50)), 0o600); err != nil {
				panic(err)
			}
			var out, errOut bytes.Buffer
			e := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "pw" }, Client: &http.Client{Transport: r.mt}, Backoff: time.Millisecond}
			codes[i] = Run(context.Background(), e, r.options(), path, nil)
		}()
	}
	wg.Wait()
	assert.Equal(t, []int{0, 0, 0, 0, 0}, codes)
	got, err := os.ReadFile(keptPath(r.keepDir, "https://school.example"))
	require.NoError(t, err)
	assert.Equal(t, 251, strings.Count(string(got), "\n"), "250 patrons and the header")
}

// TestRunSpoolsTheFileOnce: what is kept is what was sent, even if the
// export changes while it is sent.
func TestRunSpoolsTheFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.csv")
	var sent string
	r := newTestRun(t, func(req *http.Request) (*http.Response, error) {
		mr, err := req.MultipartReader()
		require.NoError(t, err)
		part, err := mr.NextPart()
		require.NoError(t, err)
		b, _ := io.ReadAll(part)
		sent = string(b)
		require.NoError(t, os.WriteFile(path, []byte(rosterCSV(100, 3)), 0o600)) // the export is written again
		return httpmock.NewStringResponse(200, answerAll(2, "User Created")), nil
	})
	require.NoError(t, os.WriteFile(path, []byte(rosterCSV(0, 2)), 0o600))
	var out, errOut bytes.Buffer
	e := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "pw" }, Client: &http.Client{Transport: r.mt}}
	require.Equal(t, OK, Run(context.Background(), e, r.options(), path, nil), errOut.String())
	assert.Equal(t, rosterCSV(0, 2), sent)
	got, err := os.ReadFile(keptPath(r.keepDir, "https://school.example"))
	require.NoError(t, err)
	assert.Equal(t, rosterCSV(0, 2), string(got), "the kept roster is the file as it was sent")
}

// TestRunWritesTheNet: after an accepted night, the revert file has the
// values before of every known patron it changed and the created ones to
// switch off, and the failed-rows file each refused row; sending the
// revert file puts the roster back.
func TestRunWritesTheNet(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(3, "User Created")))
	o := r.options()
	o.JSON = true
	require.Equal(t, OK, r.run(o, "username,enabled,surname,formclass\nann,Y,Smith,7B\nbob,Y,Jones,7B\ncat,Y,Brown,7C\n"), r.err.String())
	assert.Empty(t, document(t, r.out.String()).Push.FailedRowsFile)

	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", httpmock.NewStringResponder(200,
		`{"success":false,"summary":"4 users processed.","details":{"1":"User Updated","2":"User Updated","3":"User Created","4":"Field (emailAddress) is not a well-formed email address. User failed to import: user \"dan\"."}}`))
	night := "username,enabled,surname,formclass,emailaddress\nANN,N,,8A,\nbob,Y,Jones,7B,\neve,Y,Green,7A,\ndan,Y,White,7A,dan@@x\n"
	require.Equal(t, RowsFailed, r.run(o, night), r.err.String())
	doc := document(t, r.out.String())
	require.NotEmpty(t, doc.Push.RevertFile)
	got, err := os.ReadFile(doc.Push.RevertFile)
	require.NoError(t, err)
	assert.Equal(t, "username,enabled,formclass\nann,Y,7B\neve,N,\n", string(got), "ann back as she was, eve switched off; bob unchanged")
	fi, err := os.Stat(doc.Push.RevertFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	require.NotEmpty(t, doc.Push.FailedRowsFile)
	got, err = os.ReadFile(doc.Push.FailedRowsFile)
	require.NoError(t, err)
	assert.Equal(t, "row,line,username,column,reason\n4,5,dan,emailaddress,\"Field (emailAddress) is not a well-formed email address. User failed to import: user \"\"dan\"\".\"\n", string(got))
}

// TestRunRevertsCreatedPatronsWithoutDetails: a night with no failed
// row is answered without details (R-RES-3), so the patrons it created
// are read from the summary: the first night's revert file switches off
// every patron it created, and a later night's the new enrolments beside
// the changed patrons' values before. When the summary cannot tell which
// patrons were created, the log says so instead of calling them updated.
func TestRunRevertsCreatedPatronsWithoutDetails(t *testing.T) {
	answer := func(processed, created, updated int) httpmock.Responder {
		return httpmock.NewStringResponder(200, fmt.Sprintf(
			`{"success":true,"summary":"%d users processed. %d users created. %d users updated. 0 users failed."}`, processed, created, updated))
	}
	r := newTestRun(t, answer(3, 3, 0))
	o := r.options()
	o.JSON = true
	require.Equal(t, OK, r.run(o, "username,enabled,formclass\nann,Y,7B\nbob,Y,7B\ncat,Y,7C\n"), r.err.String())
	doc := document(t, r.out.String())
	require.NotEmpty(t, doc.Push.RevertFile, r.err.String())
	got, err := os.ReadFile(doc.Push.RevertFile)
	require.NoError(t, err)
	assert.Equal(t, "username,enabled\nann,N\nbob,N\ncat,N\n", string(got), "the first night's patrons switched off")
	assert.NotContains(t, r.err.String(), "the target updated")

	first := doc.Push.RevertFile
	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", answer(2, 1, 1))
	require.Equal(t, OK, r.run(o, "username,formclass\nbob,8A\ndan,7A\n"), r.err.String())
	doc = document(t, r.out.String())
	require.NotEmpty(t, doc.Push.RevertFile, r.err.String())
	assert.NotEqual(t, first, doc.Push.RevertFile, "a second night, even in the same second, has a revert file of its own")
	_, err = os.Stat(first)
	assert.NoError(t, err, "the first night's revert file is still there")
	got, err = os.ReadFile(doc.Push.RevertFile)
	require.NoError(t, err)
	assert.Equal(t, "username,enabled,formclass\nbob,,7B\ndan,N,\n", string(got), "bob back in 7B, the new enrolment switched off")

	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", answer(2, 1, 1))
	require.Equal(t, OK, r.run(o, "username,formclass\neve,7A\nfay,7A\n"), r.err.String())
	assert.Empty(t, document(t, r.out.String()).Push.RevertFile, "one of two created: which is not known")
	assert.Contains(t, r.err.String(), "2 patrons the kept roster did not hold: the answer does not say which the target created")
}

func defaultHold() preview.Thresholds { return preview.DefaultThresholds }

// TestKeptRosterFastMergeAgrees: the keep that copies the roster's
// untouched rows as they are writes what the keep that reads every row
// writes, revert file included, quoted cells and all.
func TestKeptRosterFastMergeAgrees(t *testing.T) {
	dir := t.TempDir()
	last := filepath.Join(dir, "last.csv")
	require.NoError(t, os.WriteFile(last, []byte("username,enabled,givenname,surname,formclass\n"+
		"ann,Y,Ann,\"O'Neil, Jr\",7B\nbob,Y,\"Bob \"\"B\"\"\",Jones,7B\ncat,Y,Cat,\"Multi\nLine\",7C\ndan,Y,Dan,White,7A\n"), 0o600))
	file := "username,formclass,enabled\nBOB,8A,\ncat,8B,N\neve,7A,Y\ndan,9Z,N\n"
	details := map[string]string{"1": "User Updated", "2": "User Updated", "3": "User Created", "4": "Field (formClass) is wrong."}
	scanNight, err := readNight(context.Background(), strings.NewReader(file), nil)
	require.NoError(t, err)
	_, sc, err := scanNight.touched(last)
	require.NoError(t, err)
	assert.Equal(t, 4, sc.count)
	assert.Len(t, sc.spans, 3, "bob, cat and dan are named")

	n, err := readNight(context.Background(), strings.NewReader(file), details)
	require.NoError(t, err)
	var slow, fast bytes.Buffer
	var slowRev, fastRev revert
	require.NoError(t, n.merge(&slow, last, &slowRev))
	ok, err := n.mergeScanned(&fast, sc, &fastRev)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, slow.String(), fast.String())
	assert.Equal(t, slowRev, fastRev)
	assert.Equal(t, "username,enabled,givenname,surname,formclass\nann,Y,Ann,\"O'Neil, Jr\",7B\nbob,Y,\"Bob \"\"B\"\"\",Jones,8A\n"+
		"cat,N,Cat,\"Multi\nLine\",8B\ndan,Y,Dan,White,7A\neve,Y,,,7A\n", fast.String())

	wider, err := readNight(context.Background(), strings.NewReader("username,emailaddress\nann,a@example.edu\n"), nil)
	require.NoError(t, err)
	fast.Reset()
	ok, err = wider.mergeScanned(&fast, sc, nil)
	require.NoError(t, err)
	assert.False(t, ok, "a column the roster lacks: the keep reads every row")
	assert.Zero(t, fast.Len())
}

// TestRunSpoolsBesideTheRoster: the spool goes beside the kept roster, is
// removed when the push ends, and one a cut-off push left is removed.
func TestRunSpoolsBesideTheRoster(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(2, "User Created")))
	kept := keptPath(r.keepDir, "https://school.example")
	left := kept + ".spool-123"
	require.NoError(t, os.WriteFile(left, []byte("username,password\nann,secret\n"), 0o600))
	var during []string
	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", func(*http.Request) (*http.Response, error) {
		during, _ = filepath.Glob(kept + ".spool-*")
		return httpmock.NewStringResponse(200, answerAll(2, "User Created")), nil
	})
	require.Equal(t, OK, r.run(r.options(), rosterCSV(0, 2)), r.err.String())
	require.Len(t, during, 1, "one spool while the file is sent")
	assert.NotEqual(t, left, during[0])
	after, _ := filepath.Glob(kept + ".spool-*")
	assert.Empty(t, after, "none when the push is over")
}

// TestRunSendsAWrongFileAgainstAKeptRoster: a file the server refuses
// whole (a workbook, semicolons) is still sent and diagnosed when a
// roster is kept, as it is without one.
func TestRunSendsAWrongFileAgainstAKeptRoster(t *testing.T) {
	r := newTestRun(t, httpmock.NewStringResponder(200, answerAll(25, "User Created")))
	require.Equal(t, OK, r.run(r.options(), rosterCSV(0, 25)), r.err.String())
	r.mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users",
		httpmock.NewStringResponder(400, `{"success":false,"summary":"Missing mandatory column (username)."}`))
	assert.Equal(t, RowsFailed, r.run(r.options(), "username;enabled\nann;Y\n"), r.err.String())
	assert.Contains(t, r.out.String(), "The file is separated by semicolons (;), not commas")
	assert.Equal(t, 2, r.mt.GetTotalCallCount())
}
