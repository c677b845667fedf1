package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// spool holds an upload so that it can be read twice (a syntax pass, then
// the import): in memory up to a limit, then in a temporary file, so a large
// upload is never held whole in memory.
type spool struct {
	dir    string
	memory int64
	buf    bytes.Buffer
	file   *os.File
	size   int64
}

// Write keeps p, in memory or, past the limit, in the temporary file.
func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && int64(s.buf.Len()+len(p)) > s.memory {
		f, err := os.CreateTemp(s.dir, "autosync-upload-*.csv")
		if err != nil {
			return 0, fmt.Errorf("spool upload: %w", err)
		}
		s.file = f
		if _, err := f.Write(s.buf.Bytes()); err != nil {
			return 0, fmt.Errorf("spool upload: %w", err)
		}
		s.buf = bytes.Buffer{}
	}
	s.size += int64(len(p))
	if s.file != nil {
		n, err := s.file.Write(p)
		if err != nil {
			return n, fmt.Errorf("spool upload: %w", err)
		}
		return n, nil
	}
	return s.buf.Write(p)
}

// reader returns the whole upload, from its start.
func (s *spool) reader() (io.ReadSeeker, error) {
	if s.file == nil {
		return bytes.NewReader(s.buf.Bytes()), nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind spooled upload: %w", err)
	}
	return s.file, nil
}

// Close removes the temporary file, if any.
func (s *spool) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	s.file.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("remove spooled upload: %w", err)
	}
	return nil
}
