// Package preview says what a file would change among the patrons a
// target holds, before it is imported: which patrons would be created,
// which updated and how, field by field (old → new), which stay as they
// are, and which rows would fail, grouped by reason. It also reads the
// changes for the damage a spreadsheet or a changed export does (leading
// zeros lost, most ids rewritten at once, a changed username scheme) and
// says why such a file should be held back.
//
// The preview watches an import by the rule engine (see rules.WithDiffs),
// so it says exactly what the reference server would do. One piece serves
// autosync lint and push (against the last file the target accepted) and
// the server's web page (against its patrons).
package preview

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// Thresholds say when a file's changes are held back rather than sent.
// Every share is of the known patrons (the kept roster, or the patrons the
// target holds), not of the patrons the file names: a night's file of
// changes names only patrons that changed, so a share of those would be
// high by nature.
type Thresholds struct {
	// Min is how many patrons must show a mass change before its share is
	// judged: a roster of 30 with 15 leavers is not held.
	Min int
	// Max is how many patrons switched off, or known under new usernames,
	// are held whatever their share.
	Max int
	// Deactivate is the share of the known patrons a file may switch to
	// enabled=N at once.
	Deactivate float64
	// Names, Barcodes, AdminIDs and FormClasses are the shares of the
	// known patrons whose name (given name or surname), library barcode,
	// admin system id or form class a file may rewrite at once.
	Names, Barcodes, AdminIDs, FormClasses float64
	// Scheme is the share of the known patrons that may come back under
	// new usernames (their ids or their names under another username).
	Scheme float64
}

// DefaultThresholds are chosen from what roster tools do: Clever holds a
// sync that removes more than 10% of its users or updates more than 75%,
// Microsoft Entra's accidental-deletion guard holds 500 deletions. An
// import never deletes, but a patron switched off, or known under a new
// username, is a removal in effect: those hold past 10% of the known
// patrons or at 500; a column rewritten holds past 75%. Fewer than 20
// patrons are never a mass change.
var DefaultThresholds = Thresholds{Min: 20, Max: 500, Deactivate: 0.10,
	Names: 0.75, Barcodes: 0.75, AdminIDs: 0.75, FormClasses: 0.75, Scheme: 0.10}

// Check says what is wrong with t, if anything: every share above 0 and
// at most 1 (1: never held by share), and Min and Max at least 1.
func (t Thresholds) Check() error {
	for _, s := range [...]struct {
		flag  string
		share float64
	}{{"--hold-deactivate", t.Deactivate}, {"--hold-names", t.Names}, {"--hold-barcodes", t.Barcodes},
		{"--hold-admin-ids", t.AdminIDs}, {"--hold-form-classes", t.FormClasses}, {"--hold-scheme", t.Scheme}} {
		if !(s.share > 0 && s.share <= 1) {
			return fmt.Errorf("%s %g: give a share above 0 and at most 1 (1: never by share)", s.flag, s.share)
		}
	}
	if t.Min < 1 || t.Max < 1 {
		return fmt.Errorf("--hold-min %d, --hold-max %d: give at least 1 patron", t.Min, t.Max)
	}
	return nil
}

// share is the threshold of watched column i.
func (t Thresholds) share(i int) float64 {
	return [...]float64{t.Barcodes, t.AdminIDs, t.FormClasses, t.Names}[i]
}

// mass says whether n patrons showing a change among known is a mass
// change past share (or past max, if max is above 0).
func (t Thresholds) mass(n, known int, share float64, max int) bool {
	return n >= t.Min && (float64(n) > share*float64(known) || max > 0 && n >= max)
}

// Hold is one reason to hold a file back: what is wrong, how many rows
// show it, a few examples, and what to do.
type Hold struct {
	Reason   string   `json:"reason"`
	Rows     int      `json:"rows,omitempty"`
	Examples []string `json:"examples"`
	Fix      string   `json:"fix"`
}

// maxExamples is how many examples a hold gives.
const maxExamples = 3

// see counts one more row that shows the hold's reason, keeping it as an
// example while there is room.
func (h *Hold) see(example string) {
	h.Rows++
	if len(h.Examples) < maxExamples {
		h.Examples = append(h.Examples, example)
	}
}

// FieldChange is one field a row changes.
type FieldChange struct {
	Column string `json:"column"` // the header name
	Old    string `json:"old"`
	New    string `json:"new"`
	// Secret says the field is the password, whose values are never
	// shown: Old and New are empty.
	Secret bool `json:"secret,omitempty"`
}

// Change is what one row changes of a known patron.
type Change struct {
	Row      int           `json:"row"`
	Line     int           `json:"line"`
	Username string        `json:"username"`
	Fields   []FieldChange `json:"fields"`
}

// Field counts the known patrons whose value of one column would change.
type Field struct {
	Column  string `json:"column"`
	Patrons int    `json:"patrons"`
}

// Preview is what a file would do.
type Preview struct {
	// Known is how many patrons the target held before the file.
	Known int `json:"known"`
	// Created, Updated (a known patron changed), Unchanged (a known
	// patron named and left as it was) and Failed count the file's rows.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	// Fields are the columns the updates change, the most patrons first.
	Fields []Field `json:"fields"`
	// Changes are the first updates field by field, in file order;
	// MoreChanges counts the rest.
	Changes     []Change `json:"changes"`
	MoreChanges int      `json:"moreChanges,omitempty"`
	// Failures are the failed rows grouped by reason, the most rows first.
	Failures []rules.FailureGroup `json:"failures"`
	// Holds are the reasons to hold the file back; none for a file that
	// looks like an ordinary night's.
	Holds []Hold `json:"holds"`
}

// Summary says the preview in one sentence, the same for every user of
// it, counted as the server's answer counts (an update that changes
// nothing is an update): "Against 300 known patrons: 2 would be created,
// 298 updated (12 changed: formclass 10, surname 2; 286 unchanged), 0
// would fail."
func (p *Preview) Summary() string {
	var fields []string
	for i, f := range p.Fields {
		if i == 4 {
			fields = append(fields, "…")
			break
		}
		fields = append(fields, fmt.Sprintf("%s %d", f.Column, f.Patrons))
	}
	changed := fmt.Sprintf("%d changed", p.Updated)
	if len(fields) > 0 {
		changed += ": " + strings.Join(fields, ", ")
	}
	return fmt.Sprintf("Against %d known patron%s: %d would be created, %d updated (%s; %d unchanged), %d would fail.",
		p.Known, plural(p.Known), p.Created, p.Updated+p.Unchanged, changed, p.Unchanged, p.Failed)
}

// Recorder watches one import and makes its preview. Make one with New,
// give Option to the import, then call Preview with the import's result.
type Recorder struct {
	known      *store.Store
	t          Thresholds
	maxChanges int
	p          Preview

	fields    [rules.NumColumns]int
	zeros     [2]Hold // library barcode, admin system id
	rewritten [4]Hold // library barcode, admin system id, form class, name
	off       Hold    // patrons switched to enabled=N
	owned     Hold    // new usernames whose id is a known patron's

	// Created patrons whose name a known patron has may be the same
	// person under a new username. Their names' hashes are kept, and
	// matched against the known patrons once the import is done.
	seed      maphash.Seed
	names     map[uint64]*candidate
	usernames map[uint64]bool // the created usernames, by hash of store.Key
	examples  []nameExample
}

// candidate is the created patrons of one name.
type candidate struct {
	rows  int
	known string // a known patron of that name, once found
}

type nameExample struct {
	username, name string
	hash           uint64
}

// maxNameExamples bounds the created patrons kept as examples.
const maxNameExamples = 64

// maxNameCandidates bounds the created patrons whose names are matched, so
// that a preview's memory does not grow with the file: past it, the share
// of new usernames with a known name is judged on the first ones.
const maxNameCandidates = 100_000

// New returns a recorder for an import into known, or into a clone of it
// (the patrons known before the file), with the first maxChanges updates
// kept field by field.
func New(known *store.Store, t Thresholds, maxChanges int) *Recorder {
	return &Recorder{known: known, t: t, maxChanges: maxChanges, p: Preview{Known: known.Len()},
		seed: maphash.MakeSeed(), names: map[uint64]*candidate{}, usernames: map[uint64]bool{}}
}

// SetKnown says how many patrons the target holds, when the store given to
// New holds only those the file can touch (the patrons it names, and those
// whose ids or names it gives): a large roster need not be read whole for
// a small night. Shares are judged against n.
func (r *Recorder) SetKnown(n int) { r.p.Known = max(n, r.known.Len()) }

// Option is the import option that shows the recorder every row.
func (r *Recorder) Option() rules.ImportOption { return rules.WithDiffs(r.see) }

// watched are the columns whose changes are held back past a share, in
// the order of Recorder.rewritten (the last, the name, is given name and
// surname); the first two also lose zeros.
var watched = [...]rules.Column{rules.LibraryBarcode, rules.AdminSystemID, rules.FormClass, rules.GivenName, rules.Surname}

// watchedName names the rewritten holds' columns.
var watchedName = [...]string{"librarybarcode", "adminsystemid", "formclass", "name (givenname or surname)"}

func (r *Recorder) see(d *rules.Diff) {
	switch {
	case d.Outcome == rules.Failed:
		r.p.Failed++
		if d.Owner != "" {
			r.owned.see(fmt.Sprintf("%s is new, but its %s is %s's", d.Username, d.OwnerColumn, d.Owner))
		}
	case d.Before == nil:
		r.p.Created++
		r.created(d.After)
	default:
		r.updated(d)
	}
}

func (r *Recorder) created(p *store.Patron) {
	if r.p.Known == 0 || p.GivenName == "" || p.Surname == "" || len(r.usernames) == maxNameCandidates {
		return
	}
	h := r.nameHash(p)
	c := r.names[h]
	if c == nil {
		c = &candidate{}
		r.names[h] = c
	}
	c.rows++
	r.usernames[maphash.String(r.seed, store.Key(p.Username))] = true
	if len(r.examples) < maxNameExamples {
		r.examples = append(r.examples, nameExample{username: strings.Clone(p.Username), name: p.GivenName + " " + p.Surname, hash: h})
	}
}

func (r *Recorder) nameHash(p *store.Patron) uint64 {
	return maphash.String(r.seed, strings.ToLower(p.GivenName)+"\x00"+strings.ToLower(p.Surname))
}

func (r *Recorder) updated(d *rules.Diff) {
	var fields []FieldChange
	changed, renamed := false, false
	keep := len(r.p.Changes) < r.maxChanges
	if d.Before.Enabled && !d.After.Enabled {
		r.off.see(fmt.Sprintf("%s: enabled was true, would be false", d.Username))
	}
	for _, c := range rules.Columns() {
		if c == rules.Password {
			if d.Password {
				r.fields[c]++
				changed = true
				if keep {
					fields = append(fields, FieldChange{Column: c.String(), Secret: true})
				}
			}
			continue
		}
		was, now := rules.Value(d.Before, c), rules.Value(d.After, c)
		if was == now || c == rules.Username {
			continue
		}
		r.fields[c]++
		changed = true
		if keep {
			fields = append(fields, FieldChange{Column: c.String(), Old: strings.Clone(was), New: strings.Clone(now)})
		}
		if i := slices.Index(watched[:], c); i >= 0 && was != "" && now != "" {
			ex := fmt.Sprintf("%s: %s %q was %q", d.Username, c, now, was)
			switch {
			case i < len(r.zeros) && was[0] == '0' && strings.TrimLeft(was, "0") == now:
				r.zeros[i].see(ex)
			case i >= len(r.rewritten)-1:
				if !renamed { // a patron renamed counts once
					r.rewritten[len(r.rewritten)-1].see(ex)
				}
				renamed = true
			default:
				r.rewritten[i].see(ex)
			}
		}
	}
	if !changed {
		r.p.Unchanged++
		return
	}
	r.p.Updated++
	if keep {
		r.p.Changes = append(r.p.Changes, Change{Row: d.Row, Line: d.Line, Username: strings.Clone(d.Username), Fields: fields})
	} else {
		r.p.MoreChanges++
	}
}

// Preview returns what the watched import would do, given its result.
// It reads the known patrons once more if enough created patrons might be
// known ones under new usernames; the import must be over.
func (r *Recorder) Preview(res *rules.Result) *Preview {
	p := r.p
	p.Changes = slices.Clone(p.Changes)
	if res != nil {
		p.Failures = res.FailureGroups()
	}
	for c, n := range r.fields {
		if n > 0 {
			p.Fields = append(p.Fields, Field{Column: rules.Column(c).String(), Patrons: n})
		}
	}
	slices.SortStableFunc(p.Fields, func(a, b Field) int { return cmp.Compare(b.Patrons, a.Patrons) })
	p.Holds = r.holds()
	// Lists, never null, for a reader of the JSON.
	p.Fields, p.Changes, p.Failures, p.Holds = orEmpty(p.Fields), orEmpty(p.Changes), orEmpty(p.Failures), orEmpty(p.Holds)
	return &p
}

func (r *Recorder) holds() []Hold {
	var holds []Hold
	for i, z := range r.zeros {
		if z.Rows > 0 {
			z.Reason = fmt.Sprintf("%s lost its leading zeros on %d row%s: a spreadsheet read the ids as numbers, and the server would store them so.", watched[i], z.Rows, plural(z.Rows))
			z.Fix = "Export again from the source system and send that file without opening it, or format the column as Text before opening the data."
			holds = append(holds, z)
		}
	}
	known := r.p.Known
	if h := r.off; r.t.mass(h.Rows, known, r.t.Deactivate, r.t.Max) {
		h.Reason = fmt.Sprintf("%d of the %d known patrons would be switched off (enabled=N): more than %s at once.", h.Rows, known, r.t.limit(r.t.Deactivate, r.t.Max))
		h.Fix = "Check that the export is whole (a filter, or a failed step upstream, leaves patrons out or marks them as leavers); if the leavers are meant, send it with --accept."
		holds = append(holds, h)
	}
	for i, h := range r.rewritten {
		if r.t.mass(h.Rows, known, r.t.share(i), 0) {
			h.Reason = fmt.Sprintf("%s changes for %d of the %d known patrons: more than %.0f%% at once.", watchedName[i], h.Rows, known, 100*r.t.share(i))
			h.Fix = "Check that the export is of the right school and year, with its columns in the right places; if the change is meant, send it with --accept."
			holds = append(holds, h)
		}
	}
	const fix = "Make the new usernames match the existing ones before sending (the documents: \"Ensure existing usernames to a new usernames match before proceeding\"), or send it with --accept if new patrons are meant."
	if h := r.owned; r.t.mass(h.Rows, known, r.t.Scheme, r.t.Max) {
		h.Reason = fmt.Sprintf("%d new usernames give the library barcode or admin system id of a patron known under another username (more than %s of the %d known patrons): the usernames' scheme changed. These rows would fail, and any without those ids would create a second patron.",
			h.Rows, r.t.limit(r.t.Scheme, r.t.Max), known)
		h.Fix = fix
		holds = append(holds, h)
	}
	if h, ok := r.sameNames(); ok && r.t.mass(h.Rows, known, r.t.Scheme, r.t.Max) {
		of := fmt.Sprintf("the %d new usernames", r.p.Created)
		if len(r.usernames) < r.p.Created {
			of = fmt.Sprintf("the first %d new usernames with a name", len(r.usernames))
		}
		h.Reason = fmt.Sprintf("%d of %s have the name of a patron known under another username (more than %s of the %d known patrons): the usernames' scheme changed, and the server would create a second patron for each.",
			h.Rows, of, r.t.limit(r.t.Scheme, r.t.Max), known)
		h.Fix = fix
		holds = append(holds, h)
	}
	return holds
}

// limit says a share and a count as a reason gives them: "10% or 500".
func (t Thresholds) limit(share float64, max int) string {
	return fmt.Sprintf("%.0f%% or %d", 100*share, max)
}

// sameNames matches the created patrons' names with the known patrons'
// (other than the created ones), once enough are created to hold the file.
func (r *Recorder) sameNames() (Hold, bool) {
	var h Hold
	total := 0
	for _, c := range r.names {
		total += c.rows
	}
	if total < r.t.Min {
		return h, false
	}
	for p := range r.known.All() {
		if p.GivenName == "" || p.Surname == "" {
			continue
		}
		c := r.names[r.nameHash(&p)]
		if c == nil || c.known != "" || r.usernames[maphash.String(r.seed, store.Key(p.Username))] {
			continue
		}
		c.known = p.Username
	}
	for _, c := range r.names {
		if c.known != "" {
			h.Rows += c.rows
		}
	}
	for _, ex := range r.examples {
		if c := r.names[ex.hash]; c.known != "" && len(h.Examples) < maxExamples {
			h.Examples = append(h.Examples, fmt.Sprintf("%s is new, but %s is %s", ex.username, ex.name, c.known))
		}
	}
	return h, true
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
