package journal_test

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
	"github.com/autosync/autosync/mockserver/persisttest"
)

// TestStateContract: the state file holds the contract of every
// persistence backend.
func TestStateContract(t *testing.T) {
	persisttest.Run(t, func(t *testing.T) persisttest.Opener {
		path := filepath.Join(t.TempDir(), "state")
		return func() (mockserver.Persistence, io.Closer, error) {
			st, err := journal.Open(path)
			if err != nil {
				return nil, nil, err
			}
			return st, st, nil
		}
	})
}
