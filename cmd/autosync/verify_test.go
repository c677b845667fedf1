package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/autosync/autosync/internal/reportschema"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyCommand(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"pretty", nil, 0, "R-ROW-13    documented", "seed"},
		// One whole run (pretty) is enough here: the other formats get a
		// rule's scenarios, and package steps writes each from whole runs.
		{"progress", []string{"--format", "progress", "--tags", "@R-CSV-1"}, 0, " passed, 0 failed", ""},
		{"junit", []string{"--format", "junit", "--tags", "@R-CSV-1"}, 0, "<testsuites", ""},
		{"cucumber", []string{"--format", "cucumber", "--tags", "@R-CSV-1"}, 0, `"keyword": "Feature"`, ""},
		{"tags in Cucumber words", []string{"--tags", "@documented and @R-ROW-7 and not (@R-AUTH-3 or @R-AUTH-2)", "--format", "progress"}, 0, "scenarios:", ""},
		{"tags that select nothing", []string{"--tags", "@no-such-tag"}, 2, "", "selects no scenario"},
		{"broken tags", []string{"--tags", "@a and"}, 2, "", "ends too soon"},
		{"unknown format", []string{"--format", "xml"}, 2, "", "want one of pretty, progress, junit, cucumber, html"},
		{"html", []string{"--format", "html", "--tags", "@R-ROW-13"}, 0, "<!DOCTYPE html>", ""},
		{"two cucumber reports", []string{"--format", "cucumber", "--report", "cucumber=x.json"}, 2, "", "only one cucumber report"},
		{"a report without a file", []string{"--report", "junit"}, 2, "", "want FORMAT=FILE"},
		{"list", []string{"--list", "--tags", "@R-ROW-18"}, 0, "5 scenarios of 1 rule would run", ""},
		{"list contacts nothing", []string{"--list", "--target", "http://127.0.0.1:1"}, 0, "R-HTTP-1 ", ""},
		{"coverage", []string{"--list", "--coverage"}, 0, "boundary    2100, at", ""},
		{"coverage of a selection", []string{"--list", "--coverage", "--tags", "@R-ROW-7"}, 0, "- path        a text part first", ""},
		{"coverage without list", []string{"--coverage"}, 2, "", "--coverage goes with --list"},
		{"target without profile", []string{"--target", "http://127.0.0.1:1", "--password", "x"}, 2, "", "--academic-level"},
		{"target without password", []string{"--target", "http://127.0.0.1:1"}, 2, "", "password"},
		{"unreachable target", []string{"--target", "http://127.0.0.1:1", "--password", "x", "--academic-level", "7", "--presentation-group", "S"}, 3, "target unreachable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errOut := testEnv(nil)
			code := run(context.Background(), e, append([]string{"verify", "--explore", "0"}, tt.args...))
			assert.Equal(t, tt.wantCode, code, "stderr: %s", errOut.String())
			assert.Contains(t, out.String(), tt.wantOut)
			assert.Contains(t, errOut.String(), tt.wantErr)
		})
	}
}

func TestVerifyTagsSelect(t *testing.T) {
	e, out, _ := testEnv(nil)
	require.Equal(t, 0, run(context.Background(), e, []string{"verify", "--explore", "0", "--tags", "@R-ROW-13", "--format", "junit"}))
	var doc struct {
		Tests int `xml:"tests,attr"`
	}
	require.NoError(t, xml.Unmarshal([]byte(out.String()), &doc))
	assert.Equal(t, 26, doc.Tests, "R-ROW-13 has three scenarios and four outlines of four, nine, five and five examples")
}

// TestVerifyNotHTTP: a target that accepts connections but speaks no HTTP
// is exit 3.
func TestVerifyNotHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("SSH-2.0-not-http\r\n"))
			c.Close()
		}
	}()
	e, out, errOut := testEnv(nil)
	code := run(context.Background(), e, []string{"verify", "--explore", "0", "--target", "http://" + ln.Addr().String(), "--password", "x", "--academic-level", "7", "--presentation-group", "S"})
	assert.Equal(t, 3, code, errOut.String())
	assert.Contains(t, out.String(), "does not answer in HTTP")
}

// TestVerifyPreflightAgainstServe: against a second reference server with
// accounts of its own, the user's own mistakes stop the run with exit 2 or
// 3 and a few lines, and the report files asked for are still written.
func TestVerifyPreflightAgainstServe(t *testing.T) {
	dir := t.TempDir()
	base, _, _ := startServe(t, nil, "--quiet", "--admin", "vendor:right-password", "--tls-self-signed", dir)
	cacert := filepath.Join(dir, "cert.pem")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"wrong password", []string{"--password", "wrong", "--cacert", cacert}, 2, "the target refused --username vendor"},
		{"unknown level", []string{"--password", "right-password", "--cacert", cacert, "--academic-level", "Y13"}, 2, `does not declare the academic level "Y13"`},
		{"untrusted certificate", []string{"--password", "right-password"}, 3, "--cacert FILE"},
		{"wrong path", []string{"--password", "right-password", "--cacert", cacert, "--target", base + "/school"}, 2, "nothing answers POST " + base + "/school/api/import/users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			junit, html := filepath.Join(t.TempDir(), "r.xml"), filepath.Join(t.TempDir(), "r.html")
			args := append([]string{"verify", "--explore", "0", "--target", base, "--username", "vendor", "--academic-level", "7", "--presentation-group", "Senior School",
				"--report", "junit=" + junit, "--report", "html=" + html, "--created-out", filepath.Join(t.TempDir(), "created.txt")}, tt.args...)
			e, out, errOut := testEnv(nil)
			code := run(context.Background(), e, args)
			assert.Equal(t, tt.code, code, "%s\n%s", out.String(), errOut.String())
			assert.Contains(t, out.String(), tt.want)
			assert.NotContains(t, out.String(), "scenarios:", "no scenario report after a preflight stop")
			assert.NotContains(t, out.String()+errOut.String(), "right-password")

			b, err := os.ReadFile(junit)
			require.NoError(t, err)
			var doc struct {
				Tests int `xml:"tests,attr"`
				Suite struct {
					Case struct {
						Name  string `xml:"name,attr"`
						Error struct {
							Message string `xml:"message,attr"`
						} `xml:"error"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal(b, &doc))
			assert.Equal(t, 1, doc.Tests)
			assert.Equal(t, "preflight", doc.Suite.Case.Name)
			assert.Contains(t, doc.Suite.Case.Error.Message, tt.want)
			b, err = os.ReadFile(html)
			require.NoError(t, err)
			assert.Contains(t, string(b), "Stopped before any scenario")
		})
	}
}

// TestVerifyAgainstServe runs the suite against a separately started
// reference server over loopback, on HTTP and on HTTPS.
func TestVerifyAgainstServe(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	for _, tls := range []bool{false, true} {
		name := "http"
		if tls {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			serveArgs := []string{"--max-body", "1MiB", "--quiet"}
			if tls {
				serveArgs = append(serveArgs, "--tls-self-signed", dir)
			}
			base, _, _ := startServe(t, nil, serveArgs...)
			created, junit := filepath.Join(dir, "created.txt"), filepath.Join(dir, "report.xml")
			args := []string{"verify", "--explore", "0", "--target", base, "--password-env", "PW", "--academic-level", "k",
				"--presentation-group", "Senior School", "--nonadmin-username", "librarian", "--nonadmin-password", "librarian",
				"--body-limit", "1MiB", "--strict", "--format", "progress", "--created-out", created, "--report", "junit=" + junit}
			if tls {
				// The whole suite ran over HTTP; over HTTPS, what the
				// certificate changes: the requests of two rules and the
				// clean-up.
				args = append(args, "--cacert", filepath.Join(dir, "cert.pem"), "--tags", "@R-HTTP-1 or @R-ROW-1")
			}
			e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
			code := run(context.Background(), e, args)
			assert.Equal(t, 0, code, "%s\n%s", out.String(), errOut.String())
			assert.Contains(t, out.String(), "0 failed")
			list, err := os.ReadFile(created)
			require.NoError(t, err)
			names := strings.Fields(string(list))
			assert.Contains(t, errOut.String(), fmt.Sprintf("disabled %d test patrons that the run created", len(names)))
			report, err := os.ReadFile(junit)
			require.NoError(t, err)
			assert.Contains(t, string(report), "<testsuites")

			// The list is exactly the patrons the run created, each disabled.
			c := http.DefaultClient
			if tls {
				c = mustTLSClient(t, filepath.Join(dir, "cert.pem"))
			}
			req, _ := http.NewRequest(http.MethodGet, base+"/_mock/patrons", nil)
			req.SetBasicAuth("autoimport", "autoimport")
			resp, err := c.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var patrons []struct {
				Username string `json:"username"`
				Enabled  bool   `json:"enabled"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&patrons))
			var stored []string
			for _, p := range patrons {
				stored = append(stored, p.Username)
				assert.False(t, p.Enabled, "%s is still enabled", p.Username)
			}
			assert.ElementsMatch(t, stored, names)
		})
	}
}

// TestVerifyNotStrictReportsDifferences: against a --target, a decided rule
// the target does differently is reported, and the run still passes.
func TestVerifyNotStrictReportsDifferences(t *testing.T) {
	srv := httptestServer(t, mockserver.New(deviant.With("any-gender", "staff-with-year-accepted")))
	e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
	code := run(context.Background(), e, []string{"verify", "--explore", "0", "--target", srv, "--password-env", "PW", "--academic-level", "7", "--presentation-group", "Junior School", "--tags", "@R-ROW-6 or @R-ROW-12",
		"--created-out", filepath.Join(t.TempDir(), "created.txt")})
	// R-ROW-12's documented part ("Female" fails) is broken too: that fails.
	assert.Equal(t, 1, code, errOut.String())
	assert.Contains(t, out.String(), "differs from reference")
	assert.Regexp(t, `R-ROW-6 +documented/decided +differs from reference`, out.String())
	assert.Regexp(t, `R-ROW-12 +documented/decided +failed`, out.String())
}

// TestEveryFormatWrites: each report format of the table writes a report,
// so a format cannot be listed and quietly write nothing.
func TestEveryFormatWrites(t *testing.T) {
	for _, f := range reports.Formats {
		e, out, errOut := testEnv(nil)
		code := run(context.Background(), e, []string{"verify", "--explore", "0", "--tags", "@R-HTTP-1", "--format", f.Name})
		assert.Equal(t, 0, code, "%s: %s", f.Name, errOut.String())
		assert.NotEmpty(t, strings.TrimSpace(out.String()), "%s wrote nothing", f.Name)
		if f.Name == "json" {
			assert.NoError(t, reportschema.Validate([]byte(out.String())))
		}
	}
}

// TestExploreCommand: explore against the built-in server finds no
// difference and writes its reports; verify --explore adds its requests to
// the suite's report; explore refuses the suite's own flags.
func TestExploreCommand(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	e, out, errOut := testEnv(nil)
	code := run(context.Background(), e, []string{"explore", "--runs", "60", "--seed", "3", "--format", "junit"})
	require.Equal(t, 0, code, errOut.String())
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal([]byte(out.String()), &doc))
	assert.Equal(t, 1, doc.Tests)
	assert.Zero(t, doc.Failures)
	assert.Contains(t, errOut.String(), "seed 3 (replay with --seed 3)")

	e, out, _ = testEnv(nil)
	require.Equal(t, 0, run(context.Background(), e, []string{"verify", "--tags", "@R-HTTP-1", "--explore", "30", "--format", "pretty"}))
	scenarios, err := steps.Scenarios()
	require.NoError(t, err)
	n := 1 // explore's requests count as one more
	for _, sc := range scenarios {
		if slices.Contains(sc.Tags, "@R-HTTP-1") {
			n++
		}
	}
	assert.Contains(t, out.String(), fmt.Sprintf("%d scenarios: %d passed", n, n))

	// --long sends the long run's file once: 65,537 rows more.
	e, out, errOut = testEnv(nil)
	require.Equal(t, 0, run(context.Background(), e, []string{"explore", "--long", "--body-limit", "8MiB", "--runs", "60", "--seed", "3", "--format", "pretty"}), errOut.String())
	m := regexp.MustCompile(`(\d+) rows sent; 0 differences`).FindStringSubmatch(out.String())
	require.NotNil(t, m, out.String())
	rows, _ := strconv.Atoi(m[1])
	assert.Greater(t, rows, 65537, "the long run's file was sent")
	e, _, errOut = testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"explore", "--long"}), "the built-in server's 1MiB limit does not take it")
	assert.Contains(t, errOut.String(), "give --body-limit 4MiB or more")

	for _, args := range [][]string{{"explore", "--tags", "@R-ROW-1"}, {"explore", "--format", "cucumber"}} {
		e, _, errOut = testEnv(nil)
		assert.Equal(t, exitUsage, run(context.Background(), e, args), "%v: %s", args, errOut.String())
	}
}

// TestVerifyExploresByDefault: a plain verify sends explore's default
// budget after the scenarios, from the run's seed, in the same report;
// --explore 0 turns it off.
func TestVerifyExploresByDefault(t *testing.T) {
	t.Parallel()
	counts := map[string]string{}
	for _, args := range [][]string{{}, {"--explore", "0"}} {
		e, out, errOut := testEnv(nil)
		require.Equal(t, 0, run(context.Background(), e, append([]string{"verify", "--tags", "@R-HTTP-1", "--seed", "5", "--format", "junit"}, args...)), errOut.String())
		assert.Contains(t, errOut.String(), "seed 5 (replay with --seed 5)")
		counts[strings.Join(args, " ")] = out.String()
	}
	assert.Contains(t, counts[""], "generated requests (seed 5;")
	assert.NotContains(t, counts["--explore 0"], "generated requests")
}

// TestExploreReportsAsItself: every format of explore's report is titled
// autosync explore and says how many requests, files and rows were sent,
// how many differences, and the rules exercised and not.
func TestExploreReportsAsItself(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, out, errOut := testEnv(nil)
	args := []string{"explore", "--runs", "37", "--seed", "3", "--format", "pretty"}
	for _, f := range reports.Names(false) {
		if f != "pretty" && f != "cucumber" {
			args = append(args, "--report", f+"="+filepath.Join(dir, f))
		}
	}
	require.Equal(t, 0, run(context.Background(), e, args), errOut.String())
	texts := map[string]string{"pretty": out.String()}
	for _, f := range reports.Names(false) {
		if f != "pretty" && f != "cucumber" {
			b, err := os.ReadFile(filepath.Join(dir, f))
			require.NoError(t, err)
			texts[f] = string(b)
		}
	}
	for f, text := range texts {
		assert.Contains(t, text, "autosync explore", f)
		assert.NotContains(t, text, "autosync verify", f)
		for _, want := range []string{"37 requests generated", "files", "rows", "0 differences", "rules exercised", "not exercised"} {
			if f == "json" {
				continue
			}
			assert.Contains(t, text, want, f)
		}
	}
	assert.Contains(t, texts["json"], `"notExercised"`)
	assert.Contains(t, texts["html"], "<title>autosync explore")
	assert.NotContains(t, texts["pretty"], "1 scenario: 1 passed")
}
