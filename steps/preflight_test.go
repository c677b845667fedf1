package steps_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPreflightStops: a setting of the run's own that is wrong stops the
// run before any scenario, with the setting named, and never as a verdict.
func TestPreflightStops(t *testing.T) {
	refusing := mockserver.New(mockserver.WithAdmin("vendor", "right-password"), mockserver.WithUser("librarian", "librarian-pw"))
	tests := []struct {
		name   string
		target func(t *testing.T) target.Target
		check  string
		code   int
		want   []string
	}{
		{"wrong password", func(t *testing.T) target.Target {
			tg := builtin.HandlerTarget(refusing)
			tg.Username, tg.Password = "vendor", "wrong-password"
			return tg
		}, "account", target.ExitUsage, []string{"refused --username vendor (status 401)", "password is wrong"}},
		{"account without admin rights", func(t *testing.T) target.Target {
			tg := builtin.HandlerTarget(refusing)
			tg.Username, tg.Password = "librarian", "librarian-pw"
			return tg
		}, "account", target.ExitUsage, []string{"refused --username librarian", "system administration privileges"}},
		{"a password with a colon, read wrongly", func(t *testing.T) target.Target {
			tg := builtin.Target(deviant.With("password-cut-at-colon"))
			return tg
		}, "account", target.ExitUsage, []string{"refused --username autoimport (status 401)", "holds a colon or a letter beyond ASCII", "R-AUTH-1"}},
		{"undeclared academic level", func(t *testing.T) target.Target {
			tg := builtin.Target(mockserver.WithAcademicLevels("Y7", "Y8"))
			tg.AcademicLevel = "Y13"
			return tg
		}, "profile", target.ExitUsage, []string{`academic level "Y13"`, "--academic-level"}},
		{"undeclared presentation group", func(t *testing.T) target.Target {
			tg := builtin.Target()
			tg.PresentationGroup = "Lower School"
			return tg
		}, "profile", target.ExitUsage, []string{`"Lower School" is not a current presentation group`, "--presentation-group"}},
		{"nothing at the import path", func(t *testing.T) target.Target {
			return builtin.HandlerTarget(http.NotFoundHandler())
		}, "import path", target.ExitUsage, []string{"nothing answers POST http://autosync.builtin/api/import/users (status 404)", "check --target"}},
		{"a redirect", func(t *testing.T) target.Target {
			return builtin.HandlerTarget(http.RedirectHandler("https://elsewhere.example/api/import/users", http.StatusMovedPermanently))
		}, "import path", target.ExitUsage, []string{"redirected (status 301) to https://elsewhere.example/api/import/users"}},
		{"self-signed certificate without its CA", func(t *testing.T) target.Target {
			srv := httptest.NewTLSServer(mockserver.New())
			t.Cleanup(srv.Close)
			tg := builtin.Target()
			tg.BaseURL, tg.Client = srv.URL, &http.Client{}
			return tg
		}, "connection", target.ExitUnreachable, []string{"signed by an unknown authority", "--cacert FILE", "--insecure"}},
		{"plain HTTP to an HTTPS port", func(t *testing.T) target.Target {
			srv := httptest.NewTLSServer(mockserver.New())
			t.Cleanup(srv.Close)
			tg := builtin.Target()
			tg.BaseURL, tg.Client = strings.Replace(srv.URL, "https://", "http://", 1), &http.Client{}
			return tg
		}, "connection", target.ExitUnreachable, []string{"answers in TLS", "use --target https://127.0.0.1:"}},
		{"nothing listening", func(t *testing.T) target.Target {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			ln.Close()
			tg := builtin.Target()
			tg.BaseURL, tg.Client = "http://"+addr, &http.Client{}
			return tg
		}, "connection", target.ExitUnreachable, []string{"target unreachable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report, err := steps.Run(context.Background(), steps.Config{Target: tt.target(t), Strict: true})
			var stop *target.PreflightError
			require.ErrorAs(t, err, &stop)
			require.NotNil(t, report)
			assert.Equal(t, tt.check, stop.Check)
			assert.Equal(t, tt.code, report.ExitCode())
			assert.Empty(t, report.Scenarios, "no scenario runs after a preflight stop")
			for _, w := range tt.want {
				assert.Contains(t, strings.Join(stop.Lines, "\n"), w)
			}

			var pretty bytes.Buffer
			require.NoError(t, report.WritePretty(&pretty))
			assert.Contains(t, pretty.String(), "stopped before any scenario")
			assert.LessOrEqual(t, strings.Count(pretty.String(), "\n"), 6, "a few lines, not a scenario report:\n%s", pretty.String())

			// A stopped run still writes a valid JUnit report: one test
			// case, named for the preflight, carrying the message.
			var junit bytes.Buffer
			require.NoError(t, report.WriteJUnit(&junit))
			var doc struct {
				Tests  int `xml:"tests,attr"`
				Errors int `xml:"errors,attr"`
				Suites []struct {
					Time  string `xml:"time,attr"`
					Cases []struct {
						Name  string `xml:"name,attr"`
						Time  string `xml:"time,attr"`
						Error struct {
							Message string `xml:"message,attr"`
						} `xml:"error"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc))
			require.Len(t, doc.Suites, 1)
			require.Len(t, doc.Suites[0].Cases, 1)
			assert.Equal(t, 1, doc.Tests)
			assert.Equal(t, 1, doc.Errors)
			assert.Equal(t, "preflight", doc.Suites[0].Cases[0].Name)
			assert.NotEmpty(t, doc.Suites[0].Time)
			assert.NotEmpty(t, doc.Suites[0].Cases[0].Time)
			assert.Contains(t, doc.Suites[0].Cases[0].Error.Message, tt.want[0])
		})
	}
}

// TestPreflightCleansUpAfterAProfileStop: a profile patron the target
// refused was never created, so nothing is listed or disabled.
func TestPreflightCleansUpAfterAProfileStop(t *testing.T) {
	tg := builtin.Target()
	tg.PresentationGroup = "Lower School"
	report, err := steps.Run(context.Background(), steps.Config{Target: tg})
	require.Error(t, err)
	assert.Empty(t, report.Created, "a refused profile patron was never created")
	assert.Empty(t, report.CleanUp, "nothing to disable, nothing said")
}

// TestPreflightBlamesOnlyWhatTheAnswerNames: a target that wants a
// graduation year even when an academic level is given fails the profile
// student for that; the preflight does not tell the vendor that the level
// is not declared, and the run goes on with what the target answered.
func TestPreflightBlamesOnlyWhatTheAnswerNames(t *testing.T) {
	server := mockserver.New()
	yearAlways := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if strings.Contains(string(raw), "preflight,") { // the profile student's row
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			io.WriteString(w, `{"success":false,"summary":"1 user processed. 0 users created. 0 users updated. 1 user failed.",`+
				`"details":{"1":"Field (graduationYear) or Field (academicLevel) is mandatory for students. User failed to import: Field (graduationYear) or Field (academicLevel) is mandatory for students. "}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		server.ServeHTTP(w, r)
	})
	notes, err := target.Preflight(context.Background(), builtin.HandlerTarget(yearAlways), nil)
	require.NoError(t, err, "the profile is not what the target refused")
	joined := strings.Join(notes, "\n")
	assert.NotContains(t, joined, "does not declare")
	assert.Contains(t, joined, "mandatory for students", "the note says what the target answered")
}
