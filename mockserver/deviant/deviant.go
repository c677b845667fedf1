// Package deviant breaks the reference server's rules on purpose, one
// deviation at a time, to show that the conformance suite and explore
// notice: each deviation is a bug a vendor could plausibly write, and each
// breaks one rule of the catalogue (features/catalogue.go).
//
// Only tests import it. The engine and the server know nothing of it: a
// deviation rewrites the engine's judges through engine.NewWith, or wraps
// the server's handler, through the one seam mockserver.WithSeam takes, of
// a type only packages under mockserver can name. autosync links none of
// it (TestBinaryHasNoDeviations, in cmd/autosync).
//
// A new deviation is one entry of the table in table.go.
package deviant

import (
	"fmt"
	"net/http"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/internal/engine"
	"github.com/autosync/autosync/mockserver/internal/seam"
	"github.com/autosync/autosync/mockserver/rules"
)

// Deviation is one rule the reference server breaks on purpose.
type Deviation struct {
	name string // what it breaks, in a few words: "any-gender"
	rule string // the ID of the rule it breaks
	// judges rewrites the engine's judges; wrap wraps the server, passing
	// what it does not answer itself on to next. An entry has one of them.
	judges func(j *engine.Judges)
	wrap   func(s seam.Server, next http.Handler) http.Handler
}

// Name returns the deviation's name, as With takes it.
func (d Deviation) Name() string { return d.name }

// String returns the deviation's name.
func (d Deviation) String() string { return d.name }

// Rule returns the ID of the rule the deviation breaks: the one a run
// against a server that has it must fail.
func (d Deviation) Rule() string { return d.rule }

// All returns every deviation, in the table's order.
func All() []Deviation { return append([]Deviation(nil), table...) }

// Lookup returns the deviation of that name.
func Lookup(name string) (Deviation, bool) {
	for _, d := range table {
		if d.name == name {
			return d, true
		}
	}
	return Deviation{}, false
}

// With makes the server break the named rules on purpose. It panics on a
// name no deviation has: a test that names one wrongly fails at once.
func With(names ...string) mockserver.Option {
	ds := make([]Deviation, len(names))
	for i, name := range names {
		d, ok := Lookup(name)
		if !ok {
			panic(fmt.Sprintf("deviant: no deviation is named %q", name))
		}
		ds[i] = d
	}
	return mockserver.WithSeam(build(ds))
}

// build returns the seam that makes a server with the deviations ds.
func build(ds []Deviation) seam.Build {
	var b seam.Build
	var judges []func(*engine.Judges)
	var wraps []func(seam.Server, http.Handler) http.Handler
	for _, d := range ds {
		if d.judges != nil {
			judges = append(judges, d.judges)
		}
		if d.wrap != nil {
			wraps = append(wraps, d.wrap)
		}
	}
	if len(judges) > 0 {
		b.Serial = true // a deviation's judges remember the rows of the file they are in
		b.Engine = func(cfg rules.Config) (*rules.Engine, error) {
			return engine.NewWith(cfg, func(j *engine.Judges) {
				for _, f := range judges {
					f(j)
				}
			})
		}
	}
	if len(wraps) > 0 {
		b.Wrap = func(s seam.Server) http.Handler {
			var h http.Handler = s
			for i := len(wraps) - 1; i >= 0; i-- { // the first outermost
				h = wraps[i](s, h)
			}
			return h
		}
	}
	return b
}
