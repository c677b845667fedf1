package mockserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/autosync/autosync/mockserver/rules"
)

// rawJSON is a JSON document kept as bytes.
type rawJSON []byte

// MarshalJSON returns the document as it is.
func (j rawJSON) MarshalJSON() ([]byte, error) { return j, nil }

// serveImport is POST /api/import/users: the credentials were checked, so now
// the upload is read. The first file part is spooled whole and checked for
// CSV syntax before anything is imported; imports run one at a time.
func (s *server) serveImport(w http.ResponseWriter, r *http.Request) {
	rec := importRecord{Time: time.Now().UTC()}
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
	rec.FileName = part.FileName()
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
	res, apiErr := s.runImport(r.Context(), sp, syntax, &rec, false)
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

// receive spools an uploaded file, checking its syntax as it arrives, so
// that the spool is read once more only, by the import. The caller closes
// the spool, also when the file was refused.
func (s *server) receive(file io.Reader) (*spool, *rules.SyntaxChecker, *apiError) {
	sp := &spool{dir: s.spoolDir, memory: s.spoolMemory}
	syntax := rules.NewSyntaxChecker()
	if err := sp.receive(file, syntax); errors.Is(err, errSpool) {
		s.log.Error("upload not spooled", "err", err)
		return sp, nil, errInternal
	} else if err != nil {
		return sp, nil, s.uploadError(fmt.Errorf("read file part: %w", err))
	}
	return sp, syntax, nil
}

func (s *server) closeSpool(sp *spool) {
	if err := sp.Close(); err != nil {
		s.log.Warn("spooled upload left behind", "err", err)
	}
}

// runImport imports a received file, one import at a time, and adds it to
// the history; with check, it judges the file against a copy of the store
// instead, changing nothing and recording nothing. extra are the caller's
// own options (to be told of every row). It returns the result, or why the
// file was refused.
func (s *server) runImport(ctx context.Context, sp *spool, syntax *rules.SyntaxChecker, rec *importRecord, check bool, extra ...rules.ImportOption) (*rules.Result, *apiError) {
	src, err := sp.reader()
	if err != nil {
		s.log.Error("import failed", "err", err)
		return nil, errInternal
	}

	// Once read, the upload is imported whole even if the client goes away.
	ctx = context.WithoutCancel(ctx)
	opts := []rules.ImportOption{rules.WithCheckedSyntax(syntax), rules.WithFirstRowReports(keptHistoryRows, func(r rules.RowReport) {
		rec.lines = append(rec.lines, int32(r.Line))
		rec.names = append(rec.names, r.Username)
	})}
	opts = append(opts, extra...)
	var res *rules.Result
	var saveErr error
	if check {
		res, err = s.engine.Import(ctx, s.store.Clone(), src, opts...)
	} else {
		s.imports.Lock()
		save := s.persist.begin() // the patrons the import changes, kept as they come
		opts = append(opts, rules.WithChanges(save.add))
		res, err = s.engine.Import(ctx, s.store, src, opts...)
		if err == nil {
			rec.Rows, rec.Status, rec.Result = res.Processed(), http.StatusOK, res
			rec.ID = s.history.reserve()
			saveErr = save.commit(*rec) // durable before it is answered
		} else {
			save.abort() // refused whole: nothing was applied
		}
		s.imports.Unlock()
	}
	var fe *rules.FileError
	switch {
	case errors.As(err, &fe):
		return nil, &apiError{http.StatusBadRequest, fe.Summary}
	case err != nil:
		s.log.Error("import failed", "file", rec.FileName, "err", err)
		return nil, errInternal
	case saveErr != nil:
		s.log.Error("import not saved to the state file", "file", rec.FileName, "err", saveErr)
		return nil, &apiError{http.StatusInternalServerError, "The import was applied but could not be saved to the state file; it will be lost if the server restarts. Check the disk, then import the file again."}
	}
	if !check {
		rec.ID = s.history.add(*rec)
	}
	return res, nil
}

// firstFilePart returns the first part whose Content-Disposition names a
// file; the form field and file names do not matter (R-HTTP-2).
func (s *server) firstFilePart(r *http.Request, body io.Reader) (*multipart.Part, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errNotMultipart
	}
	if params["boundary"] == "" {
		return nil, &apiError{http.StatusBadRequest, "The multipart/form-data Content-Type has no boundary; let your HTTP client build the multipart body."}
	}
	// A large buffer under the multipart reader (which would read 4 KiB at
	// a time) lets a big upload arrive in few reads.
	mr := multipart.NewReader(bufio.NewReaderSize(body, spoolChunk), params["boundary"])
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

func (s *server) uploadError(err error) *apiError {
	var ae *apiError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &tooBig):
		return errTooLarge(s.maxBody)
	}
	return &apiError{http.StatusBadRequest,
		fmt.Sprintf("The request body is not valid multipart/form-data (%v); nothing was imported. Let your HTTP client build it, e.g. curl -F \"file=@users.csv\".", err)}
}
