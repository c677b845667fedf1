// Package deviations proves the conformance suite: it breaks the reference
// server one rule at a time (package mockserver/deviant) and requires the
// whole suite to fail, naming that rule first. It is the heaviest test of the
// project, so it lives apart: make test runs it without the race detector
// (the same code paths run under it in package steps), and go test -short
// skips it.
package deviations
