package push

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/autosync/autosync/internal/atomicfile"
)

// spool is the one reading of the file push sends: a copy of autosync's
// own (it may hold passwords: its owner's alone), removed when the push
// is over.
type spool struct {
	f    *os.File
	size int64
}

// newSpool copies the file at path into a spool in dir, named pattern
// (see atomicfile.Create).
func newSpool(path, dir, pattern string) (*spool, error) {
	src, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if fi, err := src.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder: name the CSV file in it", path)
	}
	f, err := atomicfile.Create(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("spool %s: %w", path, err)
	}
	n, err := io.Copy(f, src)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &spool{f: f, size: n}, nil
}

// reader reads the spool from its start, independently of other readers.
func (s *spool) reader() *io.SectionReader { return io.NewSectionReader(s.f, 0, s.size) }

func (s *spool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// removeSpools removes the spools of a kept roster's target that a push
// cut off (killed, or the machine stopped) left behind: they may hold
// passwords. Only a push that holds the roster's lock may call it.
func removeSpools(kept string) {
	entries, _ := os.ReadDir(filepath.Dir(kept))
	prefix := filepath.Base(kept) + ".spool-"
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(filepath.Dir(kept), e.Name()))
		}
	}
}
