package push

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// DefaultKeepDir is where push keeps the last file each target accepted:
// $XDG_STATE_HOME/autosync/accepted, %LOCALAPPDATA%\autosync\accepted on
// Windows, or ~/.local/state/autosync/accepted; "" (nothing kept) when
// none of these is known.
func DefaultKeepDir(getenv func(string) string) string {
	for _, base := range []struct{ env, sub string }{
		{"XDG_STATE_HOME", ""}, {"LOCALAPPDATA", ""}, {"HOME", filepath.Join(".local", "state")},
	} {
		if dir := getenv(base.env); dir != "" {
			return filepath.Join(dir, base.sub, "autosync", "accepted")
		}
	}
	return ""
}

// keptPath names the kept file of a target: its host and path, readable,
// and a hash of the whole import URL (without credentials), so that two
// targets never share one.
func keptPath(dir, target string) string {
	u, err := url.Parse(api.ImportURL(target))
	if err != nil {
		return ""
	}
	u.User = nil
	sum := sha256.Sum256([]byte(u.String()))
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, u.Host)
	return filepath.Join(dir, name+"-"+hex.EncodeToString(sum[:6])+".csv")
}

// night is what a target accepted of one file: its rows by patron, the
// failed rows' lines and usernames, and which columns it gave.
type night struct {
	present [rules.NumColumns]bool
	order   []string // keys, as first seen
	rows    map[string]*[rules.NumColumns]string
	created map[string]bool // keys the target created
	lines   map[int]rules.RowReport
}

// readNight reads the file as the server numbers its rows. details are
// the server's answer by row ("User Created", "User Updated", or why it
// failed): a row it refused changes nothing, and is remembered with its
// line and username.
func readNight(ctx context.Context, file io.ReadSeeker, details map[string]string) (*night, error) {
	engine, err := rules.New(rules.Config{SkipPasswordHashing: true})
	if err != nil {
		return nil, err
	}
	n := &night{rows: map[string]*[rules.NumColumns]string{}, created: map[string]bool{}, lines: map[int]rules.RowReport{}}
	_, err = engine.Import(ctx, store.New(), file, rules.WithHeader(func(h *rules.Header) {
		for _, c := range rules.Columns() {
			if h.Position(c) >= 0 && !c.Secret() {
				n.present[c] = true
			}
		}
	}), rules.WithRowReport(func(r rules.RowReport) {
		key := store.Key(r.Username)
		outcome, answered := details[strconv.Itoa(r.Row)]
		if answered && outcome != "User Created" && outcome != "User Updated" {
			n.lines[r.Row] = rules.RowReport{Row: r.Row, Line: r.Line, Username: strings.Clone(r.Username), Reasons: r.Reasons}
			return
		}
		if key == "" {
			return
		}
		cells := n.rows[key]
		if cells == nil {
			cells = &[rules.NumColumns]string{}
			n.rows[key] = cells
			n.order = append(n.order, key)
		}
		if outcome == "User Created" {
			n.created[key] = true
		}
		for c, v := range r.Cells {
			if v != "" && (rules.Column(c) != rules.Username || cells[c] == "") { // the first spelling stays
				cells[c] = strings.Clone(v)
			}
		}
	}))
	return n, err
}

// merge writes the kept roster: the rows of the last one (last, if not
// "") with the night's over them, cell by cell, as the server merges a
// row into a patron (R-ROW-16): a later cell over an earlier one, a blank
// cell changing nothing, the spelling that created a username staying. A
// night's file of changes (username,enabled) so leaves the roster it
// changed in the kept file, rather than replacing it. The password is
// never kept, and nothing is invented: a column no file gave is not
// written. The last roster is read as a stream, a row at a time, so a
// large roster costs little memory; rev, if not nil, is told each patron
// the night changed, with its cells before.
func (n *night) merge(w io.Writer, last string, rev *revert) error {
	present := n.present
	var (
		lr   *csv.Reader
		from []rules.Column // the last roster's columns, by position
	)
	if last != "" {
		f, err := os.Open(last)
		if err != nil {
			return err
		}
		defer f.Close()
		lr = csv.NewReader(bufio.NewReaderSize(f, 1<<16))
		lr.ReuseRecord = true
		head, err := lr.Read()
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: %w", last, err)
		}
		for _, name := range head {
			c, ok := rules.LookupColumn(name)
			if !ok {
				return fmt.Errorf("%s: %q is not a column: not a kept roster", last, name)
			}
			from = append(from, c)
			present[c] = true
		}
	}
	var columns []rules.Column
	for _, c := range rules.Columns() {
		if present[c] {
			columns = append(columns, c)
		}
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(columns))
	for i, c := range columns {
		rec[i] = c.String()
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	seen := make(map[string]bool, len(n.rows))
	var cells [rules.NumColumns]string
	for lr != nil {
		row, err := lr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", last, err)
		}
		cells = [rules.NumColumns]string{}
		for i, v := range row {
			if i < len(from) {
				cells[from[i]] = v
			}
		}
		key := store.Key(cells[rules.Username])
		if now := n.rows[key]; now != nil && !seen[key] {
			seen[key] = true
			accept(&cells, now, rev)
		}
		for i, c := range columns {
			rec[i] = cells[c]
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	for _, key := range n.order {
		if seen[key] {
			continue
		}
		if rev != nil {
			rev.added(n.rows[key], n.created[key])
		}
		for i, c := range columns {
			rec[i] = n.rows[key][c]
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// keep writes the kept roster of a target that accepted the file: the
// last kept roster (last, if not "") merged with the file's rows, whole
// or not at all (see atomicfile), readable by its owner only. details
// are the server's answer by row: the rows it refused change nothing.
func keep(ctx context.Context, file io.ReadSeeker, last, kept string, details map[string]string) error {
	n, err := readNight(ctx, file, details)
	if err != nil {
		return fmt.Errorf("keep the accepted roster: %w", err)
	}
	return n.keep(last, kept, nil, nil)
}

// keep writes the kept roster (see merge) to kept, whole or not at all;
// from the scan of the last one, if there is one that serves.
func (n *night) keep(last, kept string, sc *scan, rev *revert) error {
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		return fmt.Errorf("keep the accepted roster: %w", err)
	}
	if err := atomicfile.Write(kept, atomicfile.Secret, func(w io.Writer) error {
		if sc != nil && sc.last == last && last != "" {
			var probe revert
			if rev != nil {
				probe = *rev
			}
			if ok, err := n.mergeScanned(w, sc, &probe); err != nil || ok {
				if rev != nil {
					*rev = probe
				}
				return err
			}
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := n.merge(bw, last, rev); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return fmt.Errorf("keep the accepted roster in %s: %w", kept, err)
	}
	return nil
}

// scan is what a reading of the last kept roster found: its header, how
// many patrons it holds, and where in it are the rows of the patrons the
// night names, so that the keep rewrites those rows and copies the rest
// as they are, unread.
type scan struct {
	last  string
	head  []string
	count int
	spans []span // in file order
}

// span is where one row of the kept roster lies, from start to end (its
// line end included).
type span struct{ start, end int64 }

// touched reads the last kept roster as a stream and returns the rows of
// it the night can touch, as a roster of their own (CSV, the same header),
// and a scan of it: the patrons the night names, and those whose library
// barcode, admin system id or name a row of the night gives (another
// patron's id fails a row; a known name under a new username is the
// guard's to see). A one-row night against a million patrons so reads the
// roster once and keeps a row of it.
func (n *night) touched(last string) ([]byte, *scan, error) {
	f, err := os.Open(last)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ids, names := map[string]bool{}, map[string]bool{}
	for _, cells := range n.rows {
		for _, c := range [...]rules.Column{rules.LibraryBarcode, rules.AdminSystemID} {
			if v := cells[c]; v != "" {
				ids[idKey(v)] = true
			}
		}
		if cells[rules.GivenName] != "" && cells[rules.Surname] != "" {
			names[nameKey(cells[rules.GivenName], cells[rules.Surname])] = true
		}
	}
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	cr.ReuseRecord = true
	sc := &scan{last: last}
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, sc, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", last, err)
	}
	sc.head = slices.Clone(head)
	at := map[rules.Column]int{}
	for i, name := range head {
		if c, ok := rules.LookupColumn(name); ok {
			at[c] = i
		}
	}
	cell := func(rec []string, c rules.Column) string {
		if i, ok := at[c]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out bytes.Buffer
	cw := csv.NewWriter(&out)
	cw.Write(head)
	start := cr.InputOffset()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", last, err)
		}
		end := cr.InputOffset()
		sc.count++
		named := n.rows[store.Key(cell(rec, rules.Username))] != nil
		if named {
			sc.spans = append(sc.spans, span{start, end})
		}
		if named || len(ids) > 0 && (ids[idKey(cell(rec, rules.LibraryBarcode))] || ids[idKey(cell(rec, rules.AdminSystemID))]) ||
			len(names) > 0 && names[nameKey(cell(rec, rules.GivenName), cell(rec, rules.Surname))] {
			cw.Write(rec)
		}
		start = end
	}
	cw.Flush()
	return out.Bytes(), sc, cw.Error()
}

// mergeScanned writes the kept roster as merge does, from a scan of the
// last one: the rows of the patrons the night names are rewritten, the
// others copied as they are, unread. It reports false, having written
// nothing, when it cannot: the night gives a column the roster lacks, or
// the roster's columns are not in the order the keep writes them.
func (n *night) mergeScanned(w io.Writer, sc *scan, rev *revert) (bool, error) {
	var from []rules.Column
	var has [rules.NumColumns]bool
	for _, name := range sc.head {
		c, ok := rules.LookupColumn(name)
		if !ok || has[c] || len(from) > 0 && c <= from[len(from)-1] {
			return false, nil
		}
		from = append(from, c)
		has[c] = true
	}
	for c, p := range n.present {
		if p && !has[c] {
			return false, nil
		}
	}
	if len(from) == 0 {
		return false, nil
	}
	f, err := os.Open(sc.last)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	copyTo := func(pos, end int64) error {
		_, err := io.Copy(bw, io.NewSectionReader(f, pos, end-pos))
		return err
	}
	seen := make(map[string]bool, len(sc.spans))
	rec := make([]string, len(from))
	pos := int64(0)
	for _, sp := range sc.spans {
		if err := copyTo(pos, sp.start); err != nil {
			return false, err
		}
		raw := make([]byte, sp.end-sp.start)
		if _, err := f.ReadAt(raw, sp.start); err != nil {
			return false, err
		}
		row, err := csv.NewReader(bytes.NewReader(raw)).Read()
		if err != nil {
			return false, fmt.Errorf("%s: %w", sc.last, err)
		}
		var cells [rules.NumColumns]string
		for i, v := range row {
			if i < len(from) {
				cells[from[i]] = v
			}
		}
		key := store.Key(cells[rules.Username])
		now := n.rows[key]
		if now == nil || seen[key] { // a row the target refused: as it was
			bw.Write(raw)
			pos = sp.end
			continue
		}
		seen[key] = true
		accept(&cells, now, rev)
		for i, c := range from {
			rec[i] = cells[c]
		}
		cw.Write(rec)
		cw.Flush()
		if err := cw.Error(); err != nil {
			return false, err
		}
		pos = sp.end
	}
	if err := copyTo(pos, fi.Size()); err != nil {
		return false, err
	}
	if fi.Size() > 0 {
		var lastByte [1]byte
		if _, err := f.ReadAt(lastByte[:], fi.Size()-1); err == nil && lastByte[0] != '\n' {
			bw.WriteByte('\n')
		}
	}
	for _, key := range n.order {
		if seen[key] {
			continue
		}
		if rev != nil {
			rev.added(n.rows[key], n.created[key])
		}
		for i, c := range from {
			rec[i] = n.rows[key][c]
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return false, err
	}
	return true, bw.Flush()
}

// idKey and nameKey match ids and names loosely: a patron matched too
// many is only read for nothing.
func idKey(v string) string {
	if v = strings.ToLower(strings.TrimSpace(v)); v == "" {
		return "\x00" // matches no blank cell
	}
	return v
}

func nameKey(given, surname string) string {
	if given == "" || surname == "" {
		return "\x00"
	}
	return strings.ToLower(strings.TrimSpace(given)) + "\x00" + strings.ToLower(strings.TrimSpace(surname))
}

// accept puts what the night set for a patron (now) over the kept row
// (cells), the username's spelling kept, and notes the previous values in
// the night's revert file, if one is written.
func accept(cells, now *[rules.NumColumns]string, rev *revert) {
	if rev != nil {
		rev.updated(cells, now)
	}
	for c, v := range now {
		if v != "" && rules.Column(c) != rules.Username {
			cells[c] = v
		}
	}
}
