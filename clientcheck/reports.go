package clientcheck

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
)

// maxShownBody is how much of a request's body a report shows.
const maxShownBody = 1000

// Reports returns the report in verify's form, to be written in any of its
// formats (reports.Formats): each scenario with the checks it judges as its
// rules, every request its servers received as an exchange. Every form of
// the password is replaced, wherever the command or a request put it.
func (r *Report) Reports() *reports.Report {
	mode := "HTTPS"
	if r.HTTP {
		mode = "plain HTTP"
	}
	out := &reports.Report{
		Command:  "autosync verify-client",
		Target:   fmt.Sprintf("%s (%s, --timeout %s)", shellQuote(r.Command), mode, r.Timeout),
		Started:  r.Started,
		Duration: r.Duration,
	}
	kinds := map[string]features.Kind{}
	for _, c := range Checks() {
		out.Catalogue = append(out.Catalogue, features.Rule{ID: c.Tag, Kinds: []features.Kind{c.Kind}, Statement: c.Statement})
		kinds[c.Tag] = c.Kind
	}
	for _, res := range r.Results {
		s := &reports.ScenarioResult{
			Feature:  "verify-client",
			URI:      res.Scenario.ID,
			Name:     res.Scenario.Name,
			Rules:    res.Scenario.AllTags(),
			Status:   [...]reports.Status{Skipped: reports.Skipped, Passed: reports.Passed, Failed: reports.Failed, Errored: reports.Errored}[res.Status],
			Reason:   res.Reason,
			Duration: res.Duration,
		}
		if res.Status == Failed {
			// A scenario that failed fails the checks its findings name,
			// not every check it judges: a refusal that exits 0 leaves
			// the password unprinted.
			s.Rules = res.Failed
		}
		seen := map[features.Kind]bool{}
		for _, tag := range s.Rules {
			if k := kinds[tag]; !seen[k] {
				seen[k] = true
				s.Kinds = append(s.Kinds, string(k))
			}
		}
		if res.Status != Passed && res.Status != Skipped {
			s.Failure = r.redact(strings.TrimRight(res.failure(), "\n"))
			if res.Outcome != nil {
				for _, x := range res.Outcome.Requests {
					s.Exchanges = append(s.Exchanges, r.exchange(x))
				}
			}
		}
		out.Scenarios = append(out.Scenarios, s)
	}
	return out
}

// exchange is a request as a report shows it: the credentials of its
// Authorization header named, never shown, and the password replaced
// wherever else it stands.
func (r *Report) exchange(x Request) *target.Exchange {
	ex := &target.Exchange{Method: x.Method, URL: r.redact(x.URL), Header: http.Header{}, Status: x.Status,
		AnswerHeader: x.AnswerHeader, Answer: []byte(r.redact(string(x.Answer)))}
	for k, vs := range x.Header {
		for _, v := range vs {
			if k == "Authorization" {
				v = redactAuthorization(x)
			}
			ex.Header.Add(k, r.redact(v))
		}
	}
	sent := string(x.Body)
	if len(sent) > maxShownBody {
		sent = sent[:maxShownBody] + fmt.Sprintf("… (%d bytes in all)", len(x.Body))
	}
	ex.Sent = r.redact(sent)
	switch {
	case x.Status == 0:
		ex.Err = x.outcome()
	case x.Aborted:
		ex.Err = fmt.Sprintf("%d %s, then the connection was cut, the answer half-written: %s", x.Status, http.StatusText(x.Status), r.redact(string(x.Answer)))
	}
	return ex
}
