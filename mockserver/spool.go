package mockserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/autosync/autosync/internal/atomicfile"
)

// spoolChunk is how much of an upload is read at a time, and handed to the
// file writer at a time.
const spoolChunk = 256 << 10

// firstChunk is the size of an upload's first read into the spool.
const firstChunk = 16 << 10

// spool holds an upload so that it can be read twice (a syntax pass, then
// the import): in memory up to a limit, then in a temporary file, so a large
// upload is never held whole in memory. The file is written on its own
// goroutine, so that receiving the upload and writing it to disk overlap.
type spool struct {
	dir    string
	name   string // the file's name, its "*" a random part
	memory int64
	buf    bytes.Buffer
	file   *os.File
	size   int64

	// Chunks travel to the writer goroutine on pending and come back on
	// free; its result arrives on done once pending is closed.
	pending, free chan []byte
	done          chan error
}

// errSpool marks a failure to keep the upload, the server's fault rather
// than the client's.
var errSpool = errors.New("spool upload")

// receive reads r to its end into the spool, showing every byte to tee as
// it arrives. It returns once the whole upload is in memory or on disk. An
// error of the spool's own wraps errSpool; any other is r's.
func (s *spool) receive(r io.Reader, tee io.Writer) (err error) {
	defer func() {
		if ferr := s.finish(); err == nil {
			err = ferr
		}
	}()
	// Most uploads are a few rows: the first chunk is small, and one the
	// size of spoolChunk is made only for an upload that fills it.
	chunk := make([]byte, firstChunk)
	for {
		n, rerr := fill(r, chunk)
		if n > 0 {
			tee.Write(chunk[:n])
			if chunk, err = s.keep(chunk, n); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil
		}
		if rerr != nil {
			return rerr
		}
		if len(chunk) < spoolChunk {
			chunk = make([]byte, spoolChunk)
		}
	}
}

// fill reads from r until buf is full or r fails; unlike io.ReadFull, it
// passes r's own errors on unchanged, io.ErrUnexpectedEOF included.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// keep stores the first n bytes of chunk and returns a chunk to read into
// next.
func (s *spool) keep(chunk []byte, n int) ([]byte, error) {
	s.size += int64(n)
	if s.file == nil && s.size <= s.memory {
		s.buf.Write(chunk[:n])
		return chunk, nil
	}
	if s.file == nil {
		if err := s.startFile(); err != nil {
			return chunk, err
		}
	}
	s.pending <- chunk[:n]
	return <-s.free, nil
}

// startFile moves what is in memory to a new temporary file and starts the
// goroutine that writes to it.
func (s *spool) startFile() error {
	f, err := atomicfile.Create(s.dir, s.name) // the owner's alone: it holds passwords
	if err != nil {
		return fmt.Errorf("%w: %w", errSpool, err)
	}
	s.file = f
	if _, err := f.Write(s.buf.Bytes()); err != nil {
		return fmt.Errorf("%w: %w", errSpool, err)
	}
	s.buf = bytes.Buffer{}
	s.pending, s.free, s.done = make(chan []byte), make(chan []byte, 2), make(chan error, 1)
	for range cap(s.free) {
		s.free <- make([]byte, spoolChunk)
	}
	go func() {
		var err error // after a failed write, the rest is only drained
		for chunk := range s.pending {
			if err == nil {
				_, err = f.Write(chunk)
			}
			s.free <- chunk[:cap(chunk)]
		}
		s.done <- err
	}()
	return nil
}

// finish waits for the writer goroutine, if any, to write everything.
func (s *spool) finish() error {
	if s.pending == nil {
		return nil
	}
	close(s.pending)
	s.pending = nil
	if err := <-s.done; err != nil {
		return fmt.Errorf("%w: %w", errSpool, err)
	}
	return nil
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

// Close stops the writer goroutine, if still running, and removes the
// temporary file, if any. Closing twice is harmless.
func (s *spool) Close() error {
	if s.file == nil {
		return nil
	}
	s.finish() // a no-op unless receive was cut short
	name := s.file.Name()
	s.file.Close()
	s.file = nil
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("remove spooled upload: %w", err)
	}
	return nil
}
