package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/autosync/autosync/target"
)

// JSONVersion is the version of the JSON report's shape, which
// api/report.schema.json describes; it changes only when a field changes
// meaning or goes.
const JSONVersion = 1

// jsonStatus names a status in the JSON report: one word each.
func jsonStatus(s Status) string {
	return [...]string{"skipped", "unsupported", "passed", "differs", "failed", "error"}[s]
}

type jsonReport struct {
	Version     int              `json:"version"`
	Command     string           `json:"command"`
	Target      string           `json:"target"`
	Seed        int64            `json:"seed"`
	RunID       string           `json:"runId"`
	Strict      bool             `json:"strict"`
	Started     time.Time        `json:"started"`
	Seconds     float64          `json:"seconds"`
	ExitCode    int              `json:"exitCode"`
	Interrupted bool             `json:"interrupted"`
	Stopped     *jsonStopped     `json:"stopped"`
	Notes       []string         `json:"notes"`
	Counts      map[string]int   `json:"counts"`
	Rules       []jsonRule       `json:"rules"`
	Broken      []string         `json:"broken"` // Report.Broken
	Scenarios   []jsonScenario   `json:"scenarios"`
	Created     []string         `json:"created"`
	CleanUp     string           `json:"cleanUp"`
	Stale       []Expectation    `json:"stale"`
	Exploration *jsonExploration `json:"exploration,omitempty"`
}

// jsonExploration is what an exploration sent and found.
type jsonExploration struct {
	Generated    int      `json:"generated"`
	Requests     int      `json:"requests"`
	Files        int      `json:"files"`
	Rows         int      `json:"rows"`
	Differences  int      `json:"differences"`
	Exercised    []string `json:"exercised"`
	NotExercised []string `json:"notExercised"`
}

type jsonStopped struct {
	Check string   `json:"check"`
	Code  int      `json:"code"`
	Lines []string `json:"lines"`
}

type jsonRule struct {
	ID        string   `json:"id"`
	Kinds     []string `json:"kinds"`
	Statement string   `json:"statement"`
	// Status is "not run" when no scenario of the rule was selected.
	Status    string `json:"status"`
	Scenarios []int  `json:"scenarios"` // indexes into scenarios
}

type jsonScenario struct {
	Name    string   `json:"name"`
	Feature string   `json:"feature"`
	URI     string   `json:"uri"`
	Rules   []string `json:"rules"`
	Kinds   []string `json:"kinds"`
	Status  string   `json:"status"`
	Reason  string   `json:"reason,omitempty"`
	Failure string   `json:"failure,omitempty"`
	// Broken names the rules a failure broke: those its answer shows, or
	// else the scenario's rules.
	Broken    []string       `json:"broken,omitempty"`
	Differs   []string       `json:"differs"`
	Expected  string         `json:"expected,omitempty"`
	Seconds   float64        `json:"seconds"`
	Exchanges []jsonExchange `json:"exchanges"`
}

type jsonExchange struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
	Sent   string      `json:"sent"`
	Status int         `json:"status,omitempty"`
	Answer *jsonAnswer `json:"answer,omitempty"`
	Error  string      `json:"error,omitempty"`
	Curl   string      `json:"curl"`
}

type jsonAnswer struct {
	Header http.Header `json:"header"`
	Body   string      `json:"body"`
}

// WriteJSON writes the report as one JSON document for programs: the run,
// every rule with its status and scenarios, every scenario with its
// status, what differed (failure, differs) and its HTTP exchanges,
// credentials redacted. api/report.schema.json describes it.
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		Version: JSONVersion, Command: r.command(), Target: r.Target, Seed: r.Seed, RunID: r.RunID,
		Strict: r.Strict, Started: r.Started.UTC(), Seconds: r.Duration.Seconds(), ExitCode: r.ExitCode(),
		Interrupted: r.Interrupted, Notes: nonNil(r.Notes), Counts: map[string]int{},
		Rules: []jsonRule{}, Broken: nonNil(r.Broken()), Scenarios: []jsonScenario{}, Created: nonNil(r.Created), CleanUp: r.CleanUp, Stale: nonNil(r.Stale),
	}
	if x := r.Exploration; x != nil {
		out.Exploration = &jsonExploration{Generated: x.Generated, Requests: x.Requests, Files: x.Files, Rows: x.Rows,
			Differences: x.Differences, Exercised: nonNil(x.Exercised), NotExercised: nonNil(x.NotExercised())}
	}
	if r.Stopped != nil {
		out.Stopped = &jsonStopped{Check: r.Stopped.Check, Code: r.Stopped.Code, Lines: nonNil(r.Stopped.Lines)}
	}
	for s := Skipped; s <= Errored; s++ {
		out.Counts[jsonStatus(s)] = 0
	}
	index := map[*ScenarioResult]int{}
	for i, s := range r.Scenarios {
		index[s] = i
		out.Counts[jsonStatus(s.Status)]++
		js := jsonScenario{Name: s.Name, Feature: s.Feature, URI: s.URI, Rules: nonNil(s.Rules), Kinds: nonNil(s.Kinds),
			Status: jsonStatus(s.Status), Reason: s.Reason, Failure: s.Failure, Differs: nonNil(s.Differs), Expected: s.Expected,
			Seconds: s.Duration.Seconds(), Exchanges: []jsonExchange{}}
		if s.Status == Failed || s.Status == Differs {
			js.Broken = s.blamedFirst()
		}
		for _, x := range s.Exchanges {
			js.Exchanges = append(js.Exchanges, exchangeJSON(x))
		}
		out.Scenarios = append(out.Scenarios, js)
	}
	for _, rr := range r.Rules() {
		jr := jsonRule{ID: rr.Rule.ID, Statement: rr.Rule.Statement, Status: "not run", Kinds: []string{}, Scenarios: []int{}}
		for _, k := range rr.Rule.Kinds {
			jr.Kinds = append(jr.Kinds, string(k))
		}
		if rr.Run {
			jr.Status = jsonStatus(rr.Status)
		}
		for _, s := range rr.Scenarios {
			jr.Scenarios = append(jr.Scenarios, index[s])
		}
		out.Rules = append(out.Rules, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func exchangeJSON(x *target.Exchange) jsonExchange {
	out := jsonExchange{Method: x.Method, URL: x.URL, Header: nonNilHeader(x.Header), Sent: x.Sent, Error: x.Err, Curl: x.Curl}
	if x.Err == "" || x.Status != 0 {
		out.Status = x.Status
		out.Answer = &jsonAnswer{Header: nonNilHeader(x.AnswerHeader), Body: string(x.Answer)}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilHeader(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h
}
