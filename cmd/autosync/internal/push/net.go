package push

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/internal/safe"
	"github.com/autosync/autosync/mockserver/rules"
)

// revert gathers a night's revert file: for each known patron the night
// changed, the values it had before in the columns the night changed;
// for each patron it created, enabled=N.
type revert struct {
	columns [rules.NumColumns]bool
	rows    [][rules.NumColumns]string
	changed int // known patrons changed
	created int // patrons created
	// unknown counts the patrons the target updated that the kept roster
	// did not hold: their values before are not known.
	unknown int
}

// updated is told a known patron's cells before the night, and the
// night's cells for it.
func (r *revert) updated(before, now *[rules.NumColumns]string) {
	var row [rules.NumColumns]string
	changed := false
	for c, v := range now {
		if v == "" || rules.Column(c) == rules.Username || before[c] == v {
			continue
		}
		changed = true
		row[c] = before[c] // "" if the roster did not know it: a blank cell changes nothing
		if before[c] != "" {
			r.columns[c] = true
		}
	}
	if changed {
		row[rules.Username] = before[rules.Username]
		r.rows = append(r.rows, row)
		r.changed++
	}
}

// added is told a patron the kept roster did not hold, and whether the
// target created it.
func (r *revert) added(now *[rules.NumColumns]string, created bool) {
	if !created {
		r.unknown++
		return
	}
	var row [rules.NumColumns]string
	row[rules.Username], row[rules.Enabled] = now[rules.Username], "N"
	r.columns[rules.Enabled] = true
	r.rows = append(r.rows, row)
	r.created++
}

// write writes the revert file: a CSV push can send back.
func (r *revert) write(w io.Writer) error {
	columns := []rules.Column{rules.Username}
	for _, c := range rules.Columns() {
		if r.columns[c] && c != rules.Username {
			columns = append(columns, c)
		}
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(columns))
	for i, c := range columns {
		rec[i] = c.String()
	}
	cw.Write(rec)
	for _, row := range r.rows {
		for i, c := range columns {
			rec[i] = row[c]
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// columnInText finds the column a server's reason names: "Field
// (emailAddress) is not …".
var columnInText = regexp.MustCompile(`\(([A-Za-z]+)\)`)

// writeFailed writes the failed-rows file: row, line, username, column and
// reason of each row the target refused, for the school to fix at the
// source.
func writeFailed(w io.Writer, n *night, a *Answer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"row", "line", "username", "column", "reason"})
	for _, row := range failedRows(a) {
		num, _ := strconv.Atoi(row)
		r := n.lines[num]
		reason := strings.TrimSpace(a.Details[row])
		column := ""
		if m := columnInText.FindStringSubmatch(reason); m != nil {
			if c, ok := rules.LookupColumn(m[1]); ok {
				column = c.String()
			}
		}
		if column == "" && len(r.Reasons) > 0 {
			column = r.Reasons[0].Column.String()
		}
		line := ""
		if r.Line > 0 {
			line = strconv.Itoa(r.Line)
		}
		cw.Write([]string{row, line, r.Username, column, reason})
	}
	cw.Flush()
	return cw.Error()
}

// keepNight keeps the roster the target accepted, and writes the night's
// net beside it: the revert file (if the night changed anything known or
// created anyone) and the failed-rows file (if any row failed), each
// named for the kept roster and the time.
func keepNight(ctx context.Context, out io.Writer, sp *spool, last, kept string, sc *scan, a *Answer, rep *Report) error {
	n, err := readNight(ctx, sp.reader(), a.Details)
	if err != nil {
		return fmt.Errorf("keep the accepted roster: %w", err)
	}
	rev := &revert{}
	if err := n.keep(last, kept, sc, rev); err != nil {
		return err
	}
	base := strings.TrimSuffix(kept, ".csv") + "-" + time.Now().UTC().Format("20060102T150405Z")
	if len(rev.rows) > 0 {
		path := base + ".revert.csv"
		if err := atomicfile.Write(path, atomicfile.Secret, rev.write); err != nil {
			return fmt.Errorf("write the revert file: %w", err)
		}
		rep.RevertFile = path
		fmt.Fprintf(out, "revert file: %s (%d changed patron%s with their values before, %d created to switch off)\n",
			safe.Text(path), rev.changed, plural(rev.changed), rev.created)
	}
	if rev.unknown > 0 {
		fmt.Fprintf(out, "revert file: %d patron%s the target updated %s not in the kept roster: their values before are not known\n",
			rev.unknown, plural(rev.unknown), map[bool]string{true: "was", false: "were"}[rev.unknown == 1])
	}
	if len(failedRows(a)) > 0 {
		path := base + ".failed.csv"
		if err := atomicfile.Write(path, atomicfile.Secret, func(w io.Writer) error { return writeFailed(w, n, a) }); err != nil {
			return fmt.Errorf("write the failed-rows file: %w", err)
		}
		rep.FailedRowsFile = path
		fmt.Fprintf(out, "failed rows: %s\n", safe.Text(path))
	}
	return nil
}
