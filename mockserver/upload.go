package mockserver

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"
)

// rawJSON is a JSON document kept as bytes (an answer refused whole, or
// one a Persistence read back).
type rawJSON = json.RawMessage

// serveImport is POST /api/import/users: the credentials were checked, so now
// the upload is read. The first file part is spooled whole and checked for
// CSV syntax before anything is imported; imports run one at a time.
func (s *server) serveImport(w http.ResponseWriter, r *http.Request) {
	rec := ImportRecord{Time: time.Now().UTC()}
	fault, faulty := s.faults.next()
	var kind *faultKind
	if faulty {
		kind = fault.kind()
		rec.Fault = fault.String()
		if kind.answer != nil {
			kind.answer(s, w, r, fault, rec)
			return
		}
		if kind.wrap != nil {
			var done func()
			w, done = kind.wrap(w)
			defer done()
		}
	}
	refuse := func(e *apiError) { s.refuseImport(w, r, rec, e) }
	if r.ContentLength > s.maxBody {
		refuse(errTooLarge(s.maxBody))
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	part, err := s.firstFilePart(r, body)
	if err != nil {
		refuse(s.uploadError(err))
		return
	}
	rec.FileName = keptText(part.FileName())
	sp, syntax, apiErr := s.receive(part)
	defer s.closeSpool(sp)
	if apiErr != nil {
		refuse(apiErr)
		return
	}
	if kind != nil && kind.received != nil {
		io.Copy(io.Discard, body) // the rest of the body: net/http then sees a client that goes
		if !kind.received(s, r, fault, rec) {
			return
		}
	}
	res, apiErr := s.runImport(r.Context(), apply, sp, syntax, &rec)
	// The upload is applied: its spool goes now, not when a slow client
	// has finally taken the answer.
	s.closeSpool(sp)
	if apiErr != nil {
		refuse(apiErr)
		return
	}
	w.Header().Set("Content-Type", jsonType)
	w.WriteHeader(http.StatusOK)
	if err := res.WriteJSON(w); err != nil {
		s.log.Warn("result not delivered", "err", err)
	}
	s.log.Info("import", "file", rec.FileName, "bytes", sp.size, "summary", res.Summary())
}

// firstFilePart returns the first part whose Content-Disposition names a
// file; the form field and file names do not matter (R-HTTP-2).
func (s *server) firstFilePart(r *http.Request, body io.Reader) (*multipart.Part, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errNotMultipart
	}
	if params["boundary"] == "" {
		return nil, errNoBoundary
	}
	// A large buffer under the multipart reader (which would read 4 KiB at
	// a time) lets a big upload arrive in few reads; a body known to be
	// small gets a buffer its size, since most imports are a few rows.
	size := spoolChunk
	if r.ContentLength >= 0 && r.ContentLength < spoolChunk {
		size = max(int(r.ContentLength), 4<<10)
	}
	mr := multipart.NewReader(bufio.NewReaderSize(body, size), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFilePart
		}
		if err != nil {
			return nil, fmt.Errorf("read multipart body: %w", err)
		}
		if part.FileName() != "" { // the first part with a file name, whatever its field (R-HTTP-2)
			return part, nil
		}
	}
}

func (c *importer) uploadError(err error) *apiError {
	var ae *apiError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &tooBig):
		return errTooLarge(c.maxBody)
	}
	return errBadMultipart(err)
}
