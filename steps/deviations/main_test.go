package deviations_test

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestMain lets the heap grow to 512 MiB before the collector runs, unless
// GOGC or GOMEMLIMIT say otherwise: the proof makes many short-lived
// values and keeps few, and at the default setting half its time went to
// collecting them.
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
		debug.SetGCPercent(-1)
	}
	os.Exit(m.Run())
}
