package mockserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// importer is the part of the server that receives files and imports
// them: the engine, the store, the history, and what keeps them
// (persistence). The import API, the inspection endpoints and the web page
// all import, check and reset through it, and through nothing else.
type importer struct {
	engine  *rules.Engine
	store   *store.Store
	imports sync.Mutex // one import at a time
	// checks lets one check at a time copy the store: a copy of a million
	// patrons is some 100 MB, and sixteen at once took 1.7 GB. A check
	// waits for the one before it; an import does not wait for a check.
	checks sync.Mutex
	// serial makes a check wait for imports too, and an import for
	// checks: an engine that remembers the rows of the import it is in
	// (a seam's, WithSeam) must see one file at a time.
	serial      bool
	history     history
	persist     Persistence // memory, or the state file (package journal)
	maxBody     int64
	spoolDir    string
	spoolName   string // the spool files' names, "*" the random part
	spoolMemory int64
	log         *slog.Logger
}

// importMode says whether a file is imported or only checked.
type importMode bool

const (
	apply importMode = false // import it, and keep it in the history
	check importMode = true  // judge it against a copy of the store
)

// clear removes every patron and the history, saying so to persistence
// first; if persistence fails, nothing is removed, and the answer says so.
func (c *importer) clear() *apiError {
	c.imports.Lock()
	defer c.imports.Unlock()
	if err := c.persist.Reset(); err != nil {
		c.log.Error("reset not saved to the state file", "err", err)
		return errResetNotSaved
	}
	c.store.Reset()
	c.history.reset()
	return nil
}

// receive spools an uploaded file, checking its syntax as it arrives, so
// that the spool is read once more only, by the import. The caller closes
// the spool, also when the file was refused.
func (c *importer) receive(file io.Reader) (*spool, *rules.SyntaxChecker, *apiError) {
	sp := &spool{dir: c.spoolDir, name: c.spoolName, memory: c.spoolMemory}
	syntax := rules.NewSyntaxChecker()
	if err := sp.receive(file, syntax); errors.Is(err, errSpool) {
		c.log.Error("upload not spooled", "dir", c.spoolDir, "err", err)
		return sp, nil, errSpoolFailed
	} else if err != nil {
		return sp, nil, c.uploadError(fmt.Errorf("read file part: %w", err))
	}
	return sp, syntax, nil
}

func (c *importer) closeSpool(sp *spool) {
	if err := sp.Close(); err != nil {
		c.log.Warn("spooled upload left behind", "err", err)
	}
}

// runImport imports a received file (apply) or only checks it, and
// returns the result, or why the file was refused. apply imports it, one
// import at a time, and adds it to the history; check judges it against a
// copy of the store instead, changing nothing and recording nothing. extra
// are the caller's own options (to be told of every row).
func (c *importer) runImport(ctx context.Context, how importMode, sp *spool, syntax *rules.SyntaxChecker, rec *ImportRecord, extra ...rules.ImportOption) (*rules.Result, *apiError) {
	dry := how == check
	src, err := sp.reader()
	if err != nil {
		c.log.Error("import failed", "err", err)
		return nil, errInternal
	}

	// Once read, the upload is imported whole even if the client goes away.
	ctx = context.WithoutCancel(ctx)
	opts := []rules.ImportOption{rules.WithCheckedSyntax(syntax), rules.WithFirstRowReports(keptHistoryRows, func(r rules.RowReport) {
		rec.lines = append(rec.lines, int32(r.Line))
		rec.names = append(rec.names, keptText(r.Username))
	})}
	opts = append(opts, extra...)
	var res *rules.Result
	var saveErr error
	if dry {
		lock := &c.checks
		if c.serial {
			lock = &c.imports
		}
		lock.Lock()
		res, err = c.engine.Import(ctx, c.store.Clone(), src, opts...)
		lock.Unlock()
	} else {
		c.imports.Lock()
		save := c.persist.Begin() // the patrons the import changes, kept as they come
		opts = append(opts, rules.WithChanges(save.Add))
		res, err = c.engine.Import(ctx, c.store, src, opts...)
		if err == nil {
			rec.Rows, rec.Status, rec.Result = res.Processed(), http.StatusOK, res
			rec.ID = c.history.reserve()
			saveErr = save.Commit(*rec) // durable before it is answered
		} else {
			save.Abort() // refused whole: nothing was applied
		}
		c.imports.Unlock()
	}
	var fe *rules.FileError
	switch {
	case errors.As(err, &fe):
		return nil, errFile(fe)
	case err != nil:
		c.log.Error("import failed", "file", rec.FileName, "err", err)
		return nil, errInternal
	case saveErr != nil:
		c.log.Error("import not saved to the state file", "file", rec.FileName, "err", saveErr)
		return nil, errImportNotSaved
	}
	if !dry {
		rec.ID = c.history.add(*rec)
	}
	return res, nil
}
