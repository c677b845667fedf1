package push

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	// fromSummary says the answer had no details (as a night with no
	// failed row has none, R-RES-3): which patrons the kept roster did not
	// hold the target created is then read from the summary's counts, once
	// the night is merged (settle), and pending holds them until then.
	fromSummary bool
	pending     []string
	// unsure counts the patrons of pending the summary could not place:
	// whether the target created them is not known.
	unsure int
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
	switch {
	case created:
		r.switchOff(now[rules.Username])
	case r.fromSummary:
		r.pending = append(r.pending, now[rules.Username])
	default:
		r.unknown++
	}
}

// switchOff adds a patron the night created: enabled=N puts it back.
func (r *revert) switchOff(username string) {
	var row [rules.NumColumns]string
	row[rules.Username], row[rules.Enabled] = username, "N"
	r.columns[rules.Enabled] = true
	r.rows = append(r.rows, row)
	r.created++
}

// summaryCounts reads the documented summary (R-RES-2).
var summaryCounts = regexp.MustCompile(`(\d+) users? processed\. (\d+) users? created\. (\d+) users? updated\. (\d+) users? failed\.`)

// settle places the patrons of a night whose answer had no details, by
// the summary: when it counts as many creations as the kept roster did
// not hold patrons the night named, the target created each of them (a
// patron it held already would have been updated, and one of the roster
// created in its place is a server reset, which the count then exceeds);
// when it counts none, it updated them; otherwise it is not known which.
func (r *revert) settle(summary string) {
	if !r.fromSummary || len(r.pending) == 0 {
		return
	}
	created := -1
	if m := summaryCounts.FindStringSubmatch(summary); m != nil {
		created, _ = strconv.Atoi(m[2])
	}
	switch created {
	case len(r.pending):
		for _, u := range r.pending {
			r.switchOff(u)
		}
	case 0:
		r.unknown += len(r.pending)
	default:
		r.unsure += len(r.pending)
	}
	r.pending = nil
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
	rev := &revert{fromSummary: len(a.Details) == 0}
	if err := n.keep(last, kept, sc, rev); err != nil {
		return err
	}
	rev.settle(a.Summary)
	base := netBase(kept, time.Now())
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
	if rev.unsure > 0 {
		fmt.Fprintf(out, "revert file: %d patron%s the kept roster did not hold: the answer does not say which the target created, so the revert file leaves them as they are\n",
			rev.unsure, plural(rev.unsure))
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

// netBase names a night's net: the kept roster's name and the time, to
// the second, and a number after it when a push of the same second
// (a second push run by hand at once) has written a net already, so that
// no night's revert file replaces another's.
func netBase(kept string, now time.Time) string {
	base := strings.TrimSuffix(kept, ".csv") + "-" + now.UTC().Format("20060102T150405Z")
	for i := 2; ; i++ {
		_, errRevert := os.Lstat(base + ".revert.csv")
		_, errFailed := os.Lstat(base + ".failed.csv")
		if errors.Is(errRevert, fs.ErrNotExist) && errors.Is(errFailed, fs.ErrNotExist) {
			return base
		}
		base = strings.TrimSuffix(kept, ".csv") + "-" + now.UTC().Format("20060102T150405Z") + "-" + strconv.Itoa(i)
	}
}
