package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
)

// batchSize is how many rows travel together from the parser to the store.
const batchSize = 512

// maxReserve bounds the room an import makes in the store ahead of its
// rows; past it, the indexes grow as patrons are added.
const maxReserve = 1 << 20

// maxCheckers bounds the goroutines that judge rows: past a few, the one
// that applies them is the limit.
const maxCheckers = 4

// RowReport tells an import's caller what became of one row. Everything in
// it is the caller's to keep.
type RowReport struct {
	Row      int    // row number, from 1 (R-CSV-8)
	Line     int    // physical line the row starts on
	Username string // trimmed, as written
	// Matched is, for a row that found an existing patron, that patron's
	// username as stored: the spelling that created it.
	Matched string
	Outcome Outcome
	Reasons []Reason // for a failed row, in column order
	// Cells holds the row's trimmed cells by column, "" for absent ones;
	// the password is never in it.
	Cells [NumColumns]string
}

// ImportOption adjusts one import.
type ImportOption func(*importOptions)

type importOptions struct {
	onChange func(*store.Patron)
	onHeader func(*Header)
	onRow    func(RowReport)
	onDiff   func(*Diff)
	onFirst  func(RowReport)
	first    int
	checked  *SyntaxChecker
}

// WithChanges calls fn, in row order, with each patron a row created or
// changed, as stored: what a journal of the store must write. A row that
// leaves its patron as it was is not reported. fn must not keep p: its
// strings are only for the call.
func WithChanges(fn func(p *store.Patron)) ImportOption {
	return func(o *importOptions) { o.onChange = fn }
}

// WithFirstRowReports calls fn for each of the first n rows, in row order:
// an import that wants to show a few rows pays for those alone.
func WithFirstRowReports(n int, fn func(RowReport)) ImportOption {
	return func(o *importOptions) { o.onFirst, o.first = fn, n }
}

// WithCheckedSyntax tells Import that c has already been fed the whole file,
// as it was spooled, so the syntax pass need not read it again.
func WithCheckedSyntax(c *SyntaxChecker) ImportOption {
	return func(o *importOptions) { o.checked = c }
}

// WithHeader calls fn with the recognised header before any row is applied.
func WithHeader(fn func(*Header)) ImportOption {
	return func(o *importOptions) { o.onHeader = fn }
}

// WithRowReport calls fn for every row, in row order, after it is applied.
func WithRowReport(fn func(RowReport)) ImportOption {
	return func(o *importOptions) { o.onRow = fn }
}

// Diff is what one row did to its patron, for a preview of a file's
// changes (see WithDiffs). Its patrons' strings are only for the call.
type Diff struct {
	Row, Line int
	Outcome   Outcome
	Username  string // trimmed, as written
	// Before is the patron the username matched, nil for a new username
	// (and for a row failed before the store was asked).
	Before *store.Patron
	// After is the patron the row leaves, nil for a failed row. An
	// updated row whose After equals Before changes nothing.
	After *store.Patron
	// Reasons are a failed row's, in column order.
	Reasons []Reason
	// Owner is, for a failed row of a new username whose library barcode
	// or admin system id belongs to another patron, that patron's
	// username, and OwnerColumn the column that names it.
	Owner       string
	OwnerColumn Column
	// Password says the row gives a password: After's hash is new even
	// where the password is the same.
	Password bool
}

// WithDiffs calls fn, in row order, with what every row does to its
// patron: before and after, field by field. It is what a preview of a
// file's changes needs; an import that does not ask pays nothing.
func WithDiffs(fn func(*Diff)) ImportOption {
	return func(o *importOptions) { o.onDiff = fn }
}

// batch is rows travelling together from the parser to the store. The
// rows' cells are strings over buf, made without copying it; buf is written
// again only once the batch has come back empty, and nothing that outlives
// the batch keeps those strings: the store copies what it keeps, reasons
// copy their values, and RowReport says its strings are only for the call.
type batch struct {
	rows    []Row
	keys    []storage.Keys // each row's keys, hashed by the checkers
	widths  []int          // the number of cells of each row
	buf     []byte         // the cells of every row
	cells   []span         // where each cell lies in buf
	record  []string       // the cells of the row being checked
	n       int
	checked chan struct{} // closed once every row is checked
}

// grow makes room for more rows: a batch starts with room for 16, since
// most files an import gets are a few rows, and grows once to batchSize.
func (b *batch) grow() {
	n := batchSize
	if len(b.rows) == 0 {
		n = 16
	}
	b.rows = append(b.rows, make([]Row, n-len(b.rows))...)
	b.keys = append(b.keys, make([]storage.Keys, n-len(b.keys))...)
	b.widths = append(b.widths, make([]int, n-len(b.widths))...)
}

// Import reads a whole CSV file from src and applies it to st.
//
// The syntax of the whole file is checked first (R-CSV-6; see also
// WithCheckedSyntax), so a file that is not well-formed CSV changes
// nothing; a file rejected as a whole returns a *FileError. Rows are then
// read in batches on one goroutine, judged by the rules that need no store
// on every core, and applied to the store in file order on another, each row
// completely or not at all, the store locked a batch at a time (so readers
// of the store never wait for bcrypt). The caller runs one import at a time
// on a store: the reference server does. Memory does not grow with the file
// beyond the result's bytes a row and the distinct failure texts. A file
// refused for a missing username column or its syntax that is really a
// workbook, UTF-16 text or separated by semicolons or tabs says so in the
// summary's reason (see DiagnoseWrongFile).
func (e *Engine) Import(ctx context.Context, st *store.Store, src io.ReadSeeker, opts ...ImportOption) (*Result, error) {
	res, err := e.importFile(ctx, st, src, opts...)
	if err != nil {
		return nil, explainRefusal(src, err)
	}
	return res, nil
}

func (e *Engine) importFile(ctx context.Context, st *store.Store, src io.ReadSeeker, opts ...ImportOption) (*Result, error) {
	var o importOptions
	for _, opt := range opts {
		opt(&o)
	}
	var lines int
	if o.checked != nil {
		if err := o.checked.Close(); err != nil {
			return nil, err
		}
		lines = o.checked.Lines()
	} else {
		var err error
		if lines, err = checkSyntax(src); err != nil {
			return nil, err
		}
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("rewind upload: %w", err)
		}
	}
	size, err := src.Seek(0, io.SeekEnd) // a small file gets a small buffer
	if err != nil {
		return nil, fmt.Errorf("measure upload: %w", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind upload: %w", err)
	}
	br := bufio.NewReaderSize(src, int(min(size+1, 64<<10)))
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	rr := newRecordReader(br)
	res := &Result{words: e.judges.Words}

	record, err := readHeader(rr)
	if errors.Is(err, io.EOF) {
		if err := e.judges.EmptyFile(); err != nil {
			return nil, err
		}
		return res, nil // R-CSV-1
	}
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	h, err := ParseHeader(record)
	if err != nil {
		if err := e.judges.BadHeader(record, err); err != nil {
			return nil, err
		}
		return res, nil
	}
	if o.onHeader != nil {
		o.onHeader(h)
	}

	// A reader goroutine cuts the file into batches of rows. Each batch goes
	// to the checkers, which judge rows by the rules that need no store, in
	// parallel, and, in file order, to the store, which waits for each
	// batch's check before applying it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	checkers := min(runtime.GOMAXPROCS(0), maxCheckers)
	work := make(chan *batch, checkers)
	full := make(chan *batch, 2+checkers)
	free := make(chan *batch, 4+2*checkers) // the reader makes batches as needed, up to this many
	var checking sync.WaitGroup
	for range checkers {
		checking.Go(func() {
			for b := range work {
				e.checkBatch(h, st, b)
				close(b.checked)
			}
		})
	}
	var readErr error
	go func() {
		defer close(full)
		defer close(work)
		readErr = read(ctx, rr, free, work, full)
	}()

	// Room for the patrons the file may add, so that the indexes grow
	// once; no more than maxReserve, since a file of many lines that all
	// fail would otherwise leave the store's indexes that large.
	st.Update(func(tx *store.Tx) error {
		storage.Reserve(tx, min(lines, maxReserve))
		return nil
	})
	// Rows are applied in file order, each whole: a username a file names
	// twice is created by its first row and updated by the second (R-ROW-9).
	// The store is locked a batch at a time, once the batch is checked
	// (its passwords hashed): a reader waits for one batch at most, never
	// for bcrypt. Each row is still applied whole, and imports one at a
	// time, which the caller sees to.
	var existing stored // the stored patron of the row being applied
	for b := range full {
		if err = ctx.Err(); err != nil {
			err = fmt.Errorf("import stopped: %w", err)
			break
		}
		<-b.checked
		st.Update(func(tx *store.Tx) error {
			storage.Prefetch(tx, b.keys[:b.n])
			for i := range b.rows[:b.n] {
				r := &b.rows[i]
				outcome, reasons := e.apply(tx, r, &b.keys[i], &existing)
				if o.onChange != nil && outcome != Failed && existing.changed {
					o.onChange(&existing.put)
				}
				res.add(outcome, reasons)
				if o.onDiff != nil {
					diff(tx, r, outcome, reasons, &existing, o.onDiff)
				}
				if o.onRow != nil || (o.onFirst != nil && r.Num <= o.first) {
					rep := report(r, outcome, reasons)
					if o.onRow != nil {
						o.onRow(rep)
					}
					if o.onFirst != nil && r.Num <= o.first {
						o.onFirst(rep)
					}
				}
				*r = Row{}
			}
			return nil
		})
		free <- b
	}
	cancel()
	for range full { // let the reader finish before reading readErr
	}
	checking.Wait()
	res.index = nil // the texts are known now; the lookup is only for adding
	if err != nil {
		return res, err
	}
	if readErr != nil {
		return res, readErr
	}
	return res, nil
}

// diff tells fn what row r did to its patron; existing is what apply
// found and left.
func diff(tx *store.Tx, r *Row, outcome Outcome, reasons []Reason, existing *stored, fn func(*Diff)) {
	d := Diff{Row: r.Num, Line: r.line, Outcome: outcome, Username: r.Vals[Username], Reasons: reasons, Password: r.password}
	if r.Stored != nil && existing.Found {
		d.Before = &existing.Patron
	}
	if outcome != Failed {
		d.After = &existing.put
	} else if r.Stored != nil && !existing.Found {
		for _, reason := range reasons {
			var ok bool
			switch reason.Column {
			case LibraryBarcode:
				d.Owner, ok = tx.BarcodeOwner(r.Vals[LibraryBarcode])
			case AdminSystemID:
				d.Owner, ok = tx.AdminIDOwner(r.Vals[AdminSystemID])
			}
			if ok {
				d.OwnerColumn = reason.Column
				break
			}
		}
	}
	fn(&d)
}

// report copies what a caller is told of a row out of the batch's memory,
// which later rows reuse: only an import that asked for reports pays.
func report(r *Row, outcome Outcome, reasons []Reason) RowReport {
	rep := RowReport{Row: r.Num, Line: r.line, Matched: r.Matched, Outcome: outcome, Reasons: reasons}
	for c, v := range r.Vals {
		if Column(c) != Password {
			rep.Cells[c] = strings.Clone(v)
		}
	}
	rep.Username = rep.Cells[Username]
	return rep
}

// read cuts the file into batches of rows and numbers the rows, sending
// each batch to be checked (work) and to be applied (full).
func read(ctx context.Context, rr *recordReader, free chan *batch, work, full chan<- *batch) error {
	num, made := 0, 0
	for {
		var b *batch
		select {
		case b = <-free:
		default:
			if made < cap(free) { // a small file needs only one batch
				b = new(batch)
				made++
				break
			}
			select {
			case b = <-free:
			case <-ctx.Done():
				return nil
			}
		}
		b.n = 0
		rr.buf, rr.cells = b.buf[:0], b.cells[:0]
		var err error
		for b.n < batchSize {
			var line, width int
			if line, width, err = rr.next(); err != nil {
				break
			}
			if rr.blank(width) {
				rr.drop(width) // R-CSV-5: no row number
				continue
			}
			num++
			if b.n == len(b.rows) {
				b.grow()
			}
			b.rows[b.n].Num, b.rows[b.n].line, b.widths[b.n] = num, line, width
			b.n++
		}
		b.buf, b.cells = rr.buf, rr.cells
		if b.n > 0 {
			b.checked = make(chan struct{})
			for _, to := range [...]chan<- *batch{work, full} {
				select {
				case to <- b:
				case <-ctx.Done():
					return nil
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read row %d: %w", num+1, err)
		}
	}
}

// checkBatch judges every row of a batch by the rules that need no store,
// works out each row's keys for st, and hashes the passwords of good rows
// on every core.
func (e *Engine) checkBatch(h *Header, st *store.Store, b *batch) {
	text, at := b.text(), 0
	for i := range b.n {
		cells := b.cells[at : at+b.widths[i]]
		at += b.widths[i]
		b.record = b.record[:0]
		for _, c := range cells {
			b.record = append(b.record, text[c.start:c.end])
		}
		r := &b.rows[i]
		r.ascii = printableASCII(b.buf[cells[0].start:cells[len(cells)-1].end])
		e.check(h, b.record, r)
		b.keys[i] = storage.KeysOf(st, r.Vals[Username], r.Vals[LibraryBarcode], r.Vals[AdminSystemID])
	}
	e.hashPasswords(b.rows[:b.n])
}

// hashPasswords hashes the passwords of a batch on every core.
func (e *Engine) hashPasswords(rows []Row) {
	var todo []int
	for i := range rows {
		if rows[i].Vals[Password] != "" {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				e.hashPassword(&rows[i])
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
}

// readHeader returns the first record that is not a blank line.
func readHeader(rr *recordReader) ([]string, error) {
	for {
		rr.reset()
		_, width, err := rr.next()
		if err != nil {
			return nil, err
		}
		if !rr.blank(width) {
			text := string(rr.buf)
			record := make([]string, width)
			for i, c := range rr.cells {
				record[i] = text[c.start:c.end]
			}
			return record, nil
		}
	}
}
