package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/autosync/autosync/target"
)

// iUploadTheFileReadingUpTo sends the file as curl writes it and reads up
// to n MiB of the answer: for the longest files, whose details are longer
// than the megabyte other answers are read to.
func (s *scenario) iUploadTheFileReadingUpTo(ctx context.Context, n int) error {
	if l := s.target.BodyLimit; l > 0 && int64(len(s.file)) > l-4096 {
		return s.skipf("the file (%d bytes) is larger than the body limit given (%d bytes): give a larger --body-limit to run this scenario", len(s.file), l)
	}
	way, err := wayNamed("curl")
	if err != nil {
		return err
	}
	if err := s.readOnly(target.AsAdmin, s.file); err != nil {
		return err
	}
	req := s.target.WireRequest(target.AsAdmin, s.run.runID, s.file, s.fileName, nil)
	x, obj, err := s.target.SendRawLimit(ctx, way, way.Write(req), target.AsAdmin, int64(n)<<20)
	s.exchanges = append(s.exchanges, x)
	s.last, s.answer = x, obj
	if err != nil {
		return err
	}
	s.run.created.Note(s.target.Prefix, s.file, s.last.Status, s.answer)
	return nil
}

// rowsAreUpTo checks every row's outcome from 1 to n, and that the details
// hold no other row: numbering past 65,535 included.
func (s *scenario) rowsAreUpTo(n int, want string, except int) error {
	if err := s.needJSON(); err != nil {
		return err
	}
	raw, has := s.answer["details"]
	if !has {
		return fmt.Errorf("the answer has no details, want rows 1 to %d (answer %s)", n, s.last.Answer)
	}
	details, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("details is not an object: %s", s.last.Answer)
	}
	if len(details) != n {
		return fmt.Errorf("details: got %d rows, want %d (rows 1 to %d)", len(details), n, n)
	}
	for i := 1; i <= n; i++ {
		got, ok := details[strconv.Itoa(i)]
		switch {
		case !ok:
			return fmt.Errorf("details: row %d is missing", i)
		case i == except:
		case got != want:
			b, _ := json.Marshal(got)
			return fmt.Errorf("details: row %d is %s, want %q", i, b, want)
		}
	}
	return nil
}

func (s *scenario) rowsAre(n int, want string) error { return s.rowsAreUpTo(n, want, 0) }

func (s *scenario) rowsButAre(n int, want string, except int) error {
	return s.rowsAreUpTo(n, want, except)
}

// iUploadTheFileInABodyOfExactlyTheLimit sends the file after a text part
// that makes the whole body exactly the target's limit: a body at the
// limit is not over it (R-HTTP-5).
func (s *scenario) iUploadTheFileInABodyOfExactlyTheLimit(ctx context.Context) error {
	limit := s.target.BodyLimit
	if limit <= 0 {
		return s.skipf("no body limit given (--body-limit)")
	}
	file := filePart("file", s.fileName, s.file)
	bare, _, err := target.MultipartBody(textPart("note", nil), file)
	if err != nil {
		return err
	}
	if int64(len(bare)) > limit {
		return s.skipf("the body limit given (%d bytes) is smaller than the file's upload", limit)
	}
	pad := bytes.Repeat([]byte("x"), int(limit)-len(bare)) // boundaries are all one length
	err = s.upload(ctx, target.AsAdmin, textPart("note", pad), file)
	s.statusHint = fmt.Sprintf("the body was %d bytes, exactly the --body-limit given: if the target's limit is lower, give it with --body-limit", limit)
	return err
}

// iUploadAnEmptyFileAfterATextPartOverTheLimit sends an empty file after a
// text part that makes the body larger than the target's limit (R-HTTP-5).
func (s *scenario) iUploadAnEmptyFileAfterATextPartOverTheLimit(ctx context.Context) error {
	if s.target.BodyLimit <= 0 {
		return s.skipf("no body limit given (--body-limit)")
	}
	pad := bytes.Repeat([]byte("x"), int(s.target.BodyLimit)+1)
	return s.upload(ctx, target.AsAdmin, textPart("note", pad), filePart("file", "users.csv", nil))
}
