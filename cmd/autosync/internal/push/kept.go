package push

import (
	"bufio"
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
			if rev != nil {
				rev.updated(&cells, now)
			}
			for c, v := range now {
				if v != "" && rules.Column(c) != rules.Username {
					cells[c] = v
				}
			}
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
	return n.keep(last, kept, nil)
}

// keep writes the kept roster (see merge) to kept, whole or not at all.
func (n *night) keep(last, kept string, rev *revert) error {
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		return fmt.Errorf("keep the accepted roster: %w", err)
	}
	if err := atomicfile.Write(kept, atomicfile.Secret, func(w io.Writer) error {
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
