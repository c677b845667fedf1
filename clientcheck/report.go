package clientcheck

import (
	"strings"
	"time"
)

// Status is a scenario's outcome, ordered from least to most serious, as
// autosync verify orders its own.
type Status int

// The statuses.
const (
	Skipped Status = iota // not run, with a reason (e.g. it needs HTTPS)
	Passed
	Failed
	Errored // the scenario could not be set up: the machine, not the command
)

// String names the status as reports show it.
func (s Status) String() string {
	return [...]string{"skipped", "passed", "failed", "error"}[s]
}

// Result is one scenario's outcome.
type Result struct {
	Scenario Scenario
	Status   Status
	Reason   string   // why skipped
	Failures []string // what the command did wrong, each a sentence
	Failed   []string // the checks (tags) those fail, in the order of Checks
	Outcome  *Outcome // nil when the command did not run
	Duration time.Duration
}

// Outcome is what the command did in a scenario.
type Outcome struct {
	ExitCode int
	// Killed says the command was still running at the scenario's time
	// limit and was stopped.
	Killed   bool
	Duration time.Duration
	// Stdout and Stderr are the start of its outputs, the password
	// replaced with xxxxx; StdoutCut and StderrCut say more was written.
	Stdout, Stderr       string
	StdoutCut, StderrCut bool
	// Requests are what the scenario's servers received, in order.
	Requests []Request
	// Handshakes are the TLS handshakes the servers saw fail.
	Handshakes []string

	leaks []string  // where the password appeared: "standard output" …
	start time.Time // when the command started
}

// Exit codes of a run, with autosync verify's meanings.
const (
	ExitPassed = 0 // the command passed every scenario run
	ExitFailed = 1 // it failed a scenario
	ExitUsage  = 2 // bad usage: no command, a command not found
	ExitError  = 3 // a scenario could not be set up on this machine
)

// Report is the outcome of one run.
type Report struct {
	Command  []string
	HTTP     bool
	Timeout  time.Duration
	Started  time.Time
	Duration time.Duration
	Results  []*Result

	secrets []string // replaced wherever the report shows what came back
}

// redact replaces every form of the run's password in s.
func (r *Report) redact(s string) string {
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	return s
}

// Counts returns how many scenarios ended in each status.
func (r *Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, res := range r.Results {
		c[res.Status]++
	}
	return c
}

// ExitCode is 0 when the command passed every scenario run, 1 when it
// failed one, 3 when a scenario could not be set up.
func (r *Report) ExitCode() int {
	c := r.Counts()
	switch {
	case c[Errored] > 0:
		return ExitError
	case c[Failed] > 0:
		return ExitFailed
	}
	return ExitPassed
}
