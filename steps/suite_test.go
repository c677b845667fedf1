package steps_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/mockserver/store"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// TestFeatures runs the whole suite against the built-in reference server,
// every scenario a subtest, concurrently and in random order.
func TestFeatures(t *testing.T) {
	all, err := steps.Scenarios()
	require.NoError(t, err)
	report, err := steps.Run(context.Background(), steps.Config{
		Target: builtin.Target(), Strict: true, Concurrency: 4, TestingT: t,
	})
	require.NoError(t, err)
	t.Logf("seed %d", report.Seed)
	light := 0 // a run leaves out the scenarios tagged @heavy (steps/heavy runs them)
	for _, sc := range all {
		if !slices.Contains(sc.Tags, steps.Heavy) {
			light++
		}
	}
	assert.Len(t, report.Scenarios, light)
	assert.Empty(t, report.Notes, "the reference server passes the preflight without a note")
	for _, s := range report.Scenarios {
		if s.Status != reports.Passed {
			t.Errorf("%s: %s %s\n%s", s.Name, s.Status, s.Reason, s.Detail())
		}
	}
	assert.Equal(t, target.ExitConformant, report.ExitCode())
}

func runAgainst(t *testing.T, tg target.Target) *reports.Report {
	t.Helper()
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Strict: true, Concurrency: 4})
	require.NoError(t, err)
	return report
}

// failingPassword is the admin password of failingReport's target.
const failingPassword = "s3cret-admin-pw"

// failingRun is one whole run, shared by the tests of the reports, against
// a reference server that breaks R-ROW-13 ("unchecked-email"), with an
// admin account of its own and a level of digits only, so that the two
// scenarios that send the level in another case are skipped. The tests
// only read it.
var failingRun = sync.OnceValues(func() (*reports.Report, error) {
	tg := builtin.Target(mockserver.WithAdmin("vendor", failingPassword), deviant.With("unchecked-email"))
	tg.Username, tg.Password = "vendor", failingPassword
	tg.AcademicLevel = "7"
	return steps.Run(context.Background(), steps.Config{Target: tg, Strict: true, Concurrency: 4})
})

func failingReport(t *testing.T) *reports.Report {
	t.Helper()
	report, err := failingRun()
	require.NoError(t, err)
	require.Positive(t, report.Counts()[reports.Failed])
	return report
}

// TestFailedRowsAppliedIsCaughtWithoutInspection: R-ROW-18 fails on a
// target without /_mock/ pages too, through uniqueness alone.
func TestFailedRowsAppliedIsCaughtWithoutInspection(t *testing.T) {
	real := mockserver.New(mockserver.WithMaxBody(builtin.BodyLimit), deviant.With("failed-rows-applied"))
	noInspection := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_mock/") {
			http.NotFound(w, r)
			return
		}
		real.ServeHTTP(w, r)
	})
	report, err := steps.Run(context.Background(), steps.Config{Target: builtin.HandlerTarget(noInspection), Tags: "@R-ROW-18 and not @inspect", Strict: true})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(report.Scenarios), 2)
	assert.Contains(t, report.FailedRules(), "R-ROW-18")
}

// TestJUnitCarriesTheFailure: a failed scenario's JUnit entry has the
// failure message and the HTTP exchange, credentials redacted, and every
// suite and case has its time.
func TestJUnitCarriesTheFailure(t *testing.T) {
	report := failingReport(t)
	var out bytes.Buffer
	require.NoError(t, report.WriteJUnit(&out))
	var doc struct {
		Tests  int `xml:"tests,attr"`
		Suites []struct {
			Time  *string `xml:"time,attr"`
			Cases []struct {
				Name    string  `xml:"name,attr"`
				Time    *string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(out.Bytes(), &doc))
	assert.Equal(t, len(report.Scenarios), doc.Tests)
	found := false
	for _, s := range doc.Suites {
		assert.NotNil(t, s.Time, "a test suite without time")
		for _, c := range s.Cases {
			assert.NotNil(t, c.Time, "a test case without time")
			if c.Failure != nil && strings.Contains(c.Name, "R-ROW-13") {
				found = true
				assert.Contains(t, c.Failure.Message, "row 1: got a successful import with no details")
				assert.Contains(t, c.Failure.Text, "> POST http://autosync.builtin/api/import/users")
				assert.Contains(t, c.Failure.Text, "> Authorization: Basic REDACTED")
				assert.Contains(t, c.Failure.Text, "< 200 OK")
				assert.NotContains(t, c.Failure.Text, failingPassword)
			}
		}
	}
	assert.True(t, found, "an R-ROW-13 failure is in the JUnit report")
}

// TestCleanUpDisablesWhatWasCreated: the run lists and disables exactly the
// patrons the target created, never a username of a failed row.
func TestCleanUpDisablesWhatWasCreated(t *testing.T) {
	st := store.New()
	report := runAgainst(t, builtin.Target(mockserver.WithStore(st)))
	require.Equal(t, target.ExitConformant, report.ExitCode())

	var stored []string
	for p := range st.All() {
		if strings.HasPrefix(strings.ToLower(p.Username), "acs-"+report.RunID) {
			stored = append(stored, p.Username)
			assert.False(t, p.Enabled, "%s is still enabled", p.Username)
		}
	}
	slices.Sort(stored)
	require.NotEmpty(t, stored)
	assert.Equal(t, stored, report.Created, "the list is exactly the patrons created")
	assert.Equal(t, "disabled "+strconv.Itoa(len(stored))+" test patrons that the run created", report.CleanUp)
}

// TestDigitsOnlyLevelSkipsTheCaseScenario: with a level made only of digits
// the scenario that levels match in any case proves nothing, so it is
// skipped with the reason instead of passing.
func TestDigitsOnlyLevelSkipsTheCaseScenario(t *testing.T) {
	tg := builtin.Target()
	tg.AcademicLevel = "7"
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Tags: "@R-ROW-8", Strict: true})
	require.NoError(t, err)
	skipped := 0
	for _, s := range report.Scenarios {
		if s.Status == reports.Skipped {
			skipped++
			assert.Contains(t, s.Reason, `"7" has no letters`)
		} else {
			assert.Equal(t, reports.Passed, s.Status, s.Name)
		}
	}
	assert.Equal(t, 2, skipped, "the two scenarios that send the level in another case")
}

// TestHTMLReport parses the HTML report of a run with failures: one
// self-contained page with every rule in catalogue order, every scenario
// that did not pass, and curl commands that never hold the password.
func TestHTMLReport(t *testing.T) {
	report := failingReport(t)
	var out bytes.Buffer
	require.NoError(t, report.WriteHTML(&out))
	page := out.String()
	assert.NotContains(t, page, failingPassword)

	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	var ruleRows []string
	var details, curls []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "tr":
				if id := attr(n, "id"); id != "" {
					ruleRows = append(ruleRows, id)
				}
			case "details":
				details = append(details, text(n))
			case "pre":
				if attr(n, "class") == "curl" {
					curls = append(curls, text(n))
				}
			case "link", "script", "img", "iframe":
				assert.Empty(t, attr(n, "src")+attr(n, "href"), "an external asset: <%s>", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)

	var catalogue []string
	for _, r := range features.Rules() {
		catalogue = append(catalogue, r.ID)
	}
	assert.Equal(t, catalogue, ruleRows, "every rule, in catalogue order")
	assert.Contains(t, page, "must be unique to this patron", "a documented rule's sentence")
	notPassed := 0
	for _, s := range report.Scenarios {
		if s.Status != reports.Passed {
			notPassed++
		}
	}
	require.Positive(t, notPassed)
	assert.Len(t, details, notPassed, "one expandable entry per scenario that did not pass")
	assert.Contains(t, strings.Join(details, "\n"), "R-ROW-13")
	require.NotEmpty(t, curls)
	for _, c := range curls {
		if !strings.Contains(c, "| nc ") { // a request written byte for byte is sent again with nc
			assert.Contains(t, c, "curl ")
		}
		if strings.Contains(c, "'vendor:'") {
			assert.Contains(t, c, `'vendor:'"$AUTOSYNC_PASSWORD"`)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// TestLowBodyLimitCreatesNoPatrons: a --body-limit below the target's own
// makes the body-limit scenario fail naming --body-limit, and the filler of
// its file creates no patron: only the one that shows the file imported.
func TestLowBodyLimitCreatesNoPatrons(t *testing.T) {
	tg := builtin.HandlerTarget(mockserver.New(mockserver.WithMaxBody(8 << 20)))
	tg.BodyLimit = 64 << 10
	// The scenario of a full file over the limit (the one tagged R-HTTP-6
	// too); long_run.feature's sends an empty one, and one sends a body of
	// exactly the limit.
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Tags: "@R-HTTP-5 && @R-HTTP-6", Strict: true, KeepTestPatrons: true})
	require.NoError(t, err)
	require.Len(t, report.Scenarios, 1)
	require.Equal(t, "A body over the limit is refused and nothing is imported", report.Scenarios[0].Name)
	s := report.Scenarios[0]
	assert.Equal(t, reports.Failed, s.Status)
	assert.Contains(t, s.Failure, "status: got 200 want 413")
	assert.Contains(t, s.Failure, "--body-limit")
	assert.LessOrEqual(t, len(report.Created), 2, "the preflight's student and the file's one patron: %v", report.Created)
}

// TestTargetBytesAreEscaped: what a target sends (escape sequences that
// clear the screen, set the title or the clipboard, a carriage return that
// forges a line, C1 controls, a direction override) reaches neither the
// terminal nor a log raw: not in the exchanges, the notes or a redirect's
// Location.
func TestTargetBytesAreEscaped(t *testing.T) {
	const hostile = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\rall rules passed\u009b31m\u202eevil"
	answers := builtin.Spoiled(func(r *http.Response) *http.Response {
		return builtin.Replace(r, "application/json; charset=utf-8\x1b[31m", []byte(`{"success":true,"summary":"`+strings.ReplaceAll(hostile, "\x07", `\u0007`)+`"}`+hostile))
	})
	redirect := builtin.Spoiled(func(r *http.Response) *http.Response {
		r.StatusCode = http.StatusFound
		r.Header.Set("Location", "https://elsewhere.example/"+hostile)
		return builtin.Replace(r, "text/plain", []byte(hostile))
	})
	for name, tg := range map[string]target.Target{"answers": answers, "redirect": redirect} {
		t.Run(name, func(t *testing.T) {
			report, _ := steps.Run(context.Background(), steps.Config{Target: tg, Tags: "@R-RES-1 and @R-RES-3", Strict: true})
			require.NotNil(t, report)
			var out bytes.Buffer
			require.NoError(t, report.WritePretty(&out))
			require.NoError(t, report.WriteProgress(&out))
			printed := out.String()
			require.NotEmpty(t, printed)
			for _, bad := range []string{"\x1b", "\r", "\x07", "\u009b", "\u202e"} {
				assert.NotContains(t, printed, bad, "a raw %q reached the terminal", bad)
			}
			assert.Contains(t, printed, `\x1b`, "what the target sent is shown, escaped")
		})
	}
}

// TestLongAnswersAreCut: a target that answers megabytes of JSON to every
// request costs the run a bounded prefix of each, and the report says the
// answer was cut.
func TestLongAnswersAreCut(t *testing.T) {
	huge := append([]byte(`{"success":true,"summary":"`), bytes.Repeat([]byte("x"), 8<<20)...)
	huge = append(huge, `"}`...)
	tg := builtin.Spoiled(func(r *http.Response) *http.Response {
		if r.Request.Method == http.MethodPost && r.Request.URL.Path == "/api/import/users" {
			return builtin.Replace(r, "application/json; charset=utf-8", huge)
		}
		return r
	})
	report, _ := steps.Run(context.Background(), steps.Config{Target: tg, Tags: "@R-RES-1 and @R-RES-3", Strict: true})
	require.NotNil(t, report)
	var junit bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit))
	assert.Less(t, junit.Len(), 2<<20, "a JUnit file of some kilobytes a scenario, not megabytes")
	cut := false
	for _, s := range report.Scenarios {
		for _, x := range s.Exchanges {
			assert.LessOrEqual(t, len(x.Answer), 8<<10, "what the report keeps of an answer")
			cut = cut || strings.Contains(string(x.Answer), "the run kept only those")
		}
	}
	for _, n := range report.Notes {
		cut = cut || strings.Contains(n, "x")
	}
	assert.True(t, cut, "the report says the answer was cut")
}
