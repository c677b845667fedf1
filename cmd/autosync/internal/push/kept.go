package push

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
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

// keep writes the kept file of a target that accepted the file at path:
// the rows of the last kept file (last, if not "") with the file's rows
// over them (merge), whole or not at all (see atomicfile), readable by its
// owner only. failed are the rows of the file the target refused.
func keep(ctx context.Context, path, last, kept string, failed map[int]bool) error {
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	var m merged
	for _, f := range []struct {
		name    string
		refused map[int]bool
	}{{last, nil}, {path, failed}} {
		if f.name == "" {
			continue
		}
		if err := m.add(ctx, f.name, f.refused); err != nil {
			return fmt.Errorf("keep the accepted file: %w", err)
		}
	}
	if err := atomicfile.Write(kept, 0o600, m.write); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	return nil
}

// merged is what the files a target accepted say of each patron, cell by
// cell: a later file's cell over an earlier one's, a blank cell changing
// nothing, as the server merges a row into a patron (R-ROW-16). A night's
// file of changes (username,enabled) so leaves the roster it changed in
// the kept file, rather than replacing it. The password is never kept, and
// nothing is invented: a column no file gave is not written.
type merged struct {
	present [rules.NumColumns]bool
	order   []string // usernames by store.Key, as first seen
	rows    map[string]*[rules.NumColumns]string
}

// add reads the rows of the file at name, as the server numbers them,
// leaving out the rows in refused.
func (m *merged) add(ctx context.Context, name string, refused map[int]bool) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	engine, err := rules.New(rules.Config{SkipPasswordHashing: true})
	if err != nil {
		return err
	}
	if m.rows == nil {
		m.rows = map[string]*[rules.NumColumns]string{}
	}
	_, err = engine.Import(ctx, store.New(), f, rules.WithHeader(func(h *rules.Header) {
		for _, c := range rules.Columns() {
			if h.Position(c) >= 0 && !c.Secret() {
				m.present[c] = true
			}
		}
	}), rules.WithRowReport(func(r rules.RowReport) {
		key := store.Key(r.Username)
		if key == "" || refused[r.Row] {
			return
		}
		cells := m.rows[key]
		if cells == nil {
			cells = &[rules.NumColumns]string{}
			m.rows[key] = cells
			m.order = append(m.order, key)
		}
		for c, v := range r.Cells {
			if v != "" && (rules.Column(c) != rules.Username || cells[c] == "") { // the first spelling stays
				cells[c] = v
			}
		}
	}))
	return err
}

// write writes the merged rows as a CSV export.
func (m *merged) write(w io.Writer) error {
	var columns []rules.Column
	for _, c := range rules.Columns() {
		if m.present[c] {
			columns = append(columns, c)
		}
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(columns))
	for i, c := range columns {
		rec[i] = c.String()
	}
	cw.Write(rec)
	for _, key := range m.order {
		for i, c := range columns {
			rec[i] = m.rows[key][c]
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
