// Package heavy runs the conformance suite's heaviest scenarios (tagged
// @heavy: files past 10,000 and 65,536 rows) against the built-in server.
// They are left out of every run that does not name them, so that the
// whole suite stays under two seconds; make test runs this package apart,
// and go test -short skips it.
package heavy
