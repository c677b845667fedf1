// Package noexec keeps autosync from running another program while it
// starts.
//
// godog, which runs the conformance suite, sets a package variable of its
// internal builder by running "go env GOTOOLDIR" as it is initialised: every
// command of the binary would run whatever "go" is first on the PATH (about
// 100 ms, and the go command writes into the user's home), before main. The
// builder is for godog's own command, which autosync does not use.
//
// Importing this package empties PATH while the packages are initialised,
// so that the lookup of "go" fails and nothing is started; main calls
// Restore first thing. It works because Go initialises packages in the
// order of their import paths, among those whose imports are ready (the
// language specification, "Package initialization"): this package needs
// only os, and "github.com/autosync/…" comes before
// "github.com/cucumber/godog/internal/builder", which needs os/exec and
// more. TestNoProgramAtStartUp fails if that ever changes.
package noexec

import "os"

var path, hadPath = os.LookupEnv("PATH")

func init() { os.Unsetenv("PATH") }

// Restore puts PATH back as the process was given it.
func Restore() {
	if hadPath {
		os.Setenv("PATH", path)
	}
}
