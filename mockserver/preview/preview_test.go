package preview_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/fixtures/fake"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

const header = "username,enabled,staffmember,givenname,surname,academiclevel,librarybarcode,adminsystemid,formclass,password\n"

// roster returns n students: s0001 … with barcodes 00000001 … and form 7A.
func roster(n int, row func(i int) string) string {
	var b strings.Builder
	b.WriteString(header)
	for i := 1; i <= n; i++ {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

func student(i int) string {
	return fmt.Sprintf("s%04d,true,false,Given%d,Surname%d,7,%08d,A%05d,7A,", i, i, i, i, i)
}

// known returns a store holding the patrons of file.
func known(t *testing.T, e *rules.Engine, file string) *store.Store {
	t.Helper()
	st := store.New()
	_, err := e.Import(context.Background(), st, strings.NewReader(file))
	require.NoError(t, err)
	return st
}

func engine(t *testing.T) *rules.Engine {
	t.Helper()
	e, err := rules.New(rules.Config{AcademicLevels: rules.DefaultAcademicLevels(), SkipPasswordHashing: true})
	require.NoError(t, err)
	return e
}

// run previews file against st (in a clone, as the page does).
func run(t *testing.T, e *rules.Engine, st *store.Store, file string, max int) *preview.Preview {
	t.Helper()
	rec := preview.New(st, preview.DefaultThresholds, max)
	res, err := e.Import(context.Background(), st.Clone(), strings.NewReader(file), rec.Option())
	require.NoError(t, err)
	return rec.Preview(res)
}

func TestPreviewSaysWhatEachRowDoes(t *testing.T) {
	e := engine(t)
	st := known(t, e, roster(5, student))
	file := header +
		"s0001,true,false,Given1,Surname1,7,00000001,A00001,7A,\n" + // unchanged
		"S0002,,,,Smith,,,,8B,\n" + // two fields; blank cells keep theirs; the username in another case
		"s0003,false,false,Given3,Surname3,7,00000003,A00003,7A,secret\n" + // enabled and a password
		"n0001,true,false,New,Pupil,7,00000099,A00099,7A,\n" + // created
		"n0002,true,false,New,Pupil,7,00000001,A00098,7A,\n" + // fails: s0001's barcode
		"n0003,maybe,false,New,Pupil,7,,,7A,\n" // fails: not a boolean
	p := run(t, e, st, file, 100)

	assert.Equal(t, 5, p.Known)
	assert.Equal(t, 1, p.Created)
	assert.Equal(t, 2, p.Updated)
	assert.Equal(t, 1, p.Unchanged)
	assert.Equal(t, 2, p.Failed)
	require.Len(t, p.Changes, 2)
	assert.Equal(t, preview.Change{Row: 2, Line: 3, Username: "S0002", Fields: []preview.FieldChange{
		{Column: "surname", Old: "Surname2", New: "Smith"},
		{Column: "formclass", Old: "7A", New: "8B"},
	}}, p.Changes[0])
	assert.Equal(t, []preview.FieldChange{{Column: "enabled", Old: "true", New: "false"}, {Column: "password", Secret: true}},
		p.Changes[1].Fields, "the password is named, never shown")
	assert.Equal(t, []preview.Field{{Column: "enabled", Patrons: 1}, {Column: "surname", Patrons: 1}, {Column: "password", Patrons: 1}, {Column: "formclass", Patrons: 1}},
		p.Fields, "columns the most patrons first, then in column order")
	require.Len(t, p.Failures, 2)
	assert.Equal(t, 1, p.Failures[0].Rows)
	assert.Contains(t, p.Failures[0].Text, "libraryBarcode")
	assert.Empty(t, p.Holds, "an ordinary night is not held")
	assert.Equal(t, "Against 5 known patrons: 1 would be created, 3 updated (2 changed: enabled 1, surname 1, password 1, formclass 1; 1 unchanged), 2 would fail.", p.Summary())

	_, ok := st.Get("n0001")
	assert.False(t, ok, "the preview changed nothing")
}

func TestPreviewKeepsTheFirstChangesAndCountsTheRest(t *testing.T) {
	e := engine(t)
	st := known(t, e, roster(10, student))
	p := run(t, e, st, roster(10, func(i int) string { return strings.Replace(student(i), ",7A,", ",7B,", 1) }), 3)
	assert.Equal(t, 10, p.Updated)
	assert.Equal(t, 0, p.Unchanged)
	assert.Len(t, p.Changes, 3)
	assert.Equal(t, 7, p.MoreChanges)
	assert.Equal(t, []preview.Field{{Column: "formclass", Patrons: 10}}, p.Fields)
	assert.Empty(t, p.Holds, "fewer known patrons than the threshold's minimum")
}

func TestPreviewHoldsDamage(t *testing.T) {
	e := engine(t)
	st := known(t, e, roster(40, student))
	hold := func(t *testing.T, p *preview.Preview, want string) preview.Hold {
		t.Helper()
		for _, h := range p.Holds {
			if strings.Contains(h.Reason, want) {
				assert.NotEmpty(t, h.Examples)
				assert.NotEmpty(t, h.Fix)
				return h
			}
		}
		t.Fatalf("no hold says %q: %+v", want, p.Holds)
		return preview.Hold{}
	}

	t.Run("lost zeros", func(t *testing.T) {
		p := run(t, e, st, roster(1, func(int) string { return "s0001,true,false,Given1,Surname1,7,1,A00001,7A," }), 100)
		h := hold(t, p, "librarybarcode lost its leading zeros on 1 row")
		assert.Equal(t, []string{`s0001: librarybarcode "1" was "00000001"`}, h.Examples)
	})
	t.Run("new usernames with known ids", func(t *testing.T) {
		p := run(t, e, st, roster(40, func(i int) string { return strings.Replace(student(i), "s", "pupil.", 1) }), 100)
		h := hold(t, p, "40 new usernames give the library barcode or admin system id")
		assert.Equal(t, "pupil.0001 is new, but its librarybarcode is s0001's", h.Examples[0])
		assert.Equal(t, 40, p.Failed)
	})
	t.Run("new usernames with known names", func(t *testing.T) {
		p := run(t, e, st, roster(30, func(i int) string {
			return fmt.Sprintf("pupil.%d,true,false,given%d,SURNAME%d,7,,,7A,", i, i, i)
		}), 100)
		h := hold(t, p, "30 of the 30 new usernames have the name of a patron known under another username")
		assert.Equal(t, "pupil.1 is new, but given1 SURNAME1 is s0001", h.Examples[0])
		assert.Equal(t, 30, p.Created)
	})
}

// TestPreviewThresholds: every hold on both sides of its threshold, with
// shares of the known patrons (200 here), whatever share of the file the
// changed rows are.
func TestPreviewThresholds(t *testing.T) {
	e := engine(t)
	const n = 200
	st := known(t, e, roster(n, student))
	replace := func(old, new string) func(i int) string {
		return func(i int) string { return strings.Replace(student(i), old, new, 1) }
	}
	for _, tt := range []struct {
		name   string
		t      preview.Thresholds // zero: the defaults
		change func(i int) string // what a changed row says
		under  int                // the most rows that pass
		reason string
	}{
		{"switched off: 10%", preview.Thresholds{}, replace(",true,false,", ",false,false,"), 20, "21 of the 200 known patrons would be switched off (enabled=N): more than 10% or 500 at once."},
		{"switched off: the count", preview.Thresholds{Min: 5, Max: 12, Deactivate: 0.5, Names: 1, Barcodes: 1, AdminIDs: 1, FormClasses: 1, Scheme: 1},
			replace(",true,false,", ",false,false,"), 11, "12 of the 200 known patrons would be switched off"},
		{"switched off: the minimum", preview.Thresholds{Min: 30, Max: 500, Deactivate: 0.01, Names: 1, Barcodes: 1, AdminIDs: 1, FormClasses: 1, Scheme: 1},
			replace(",true,false,", ",false,false,"), 29, "30 of the 200 known patrons would be switched off"},
		{"form classes: 75%", preview.Thresholds{}, replace(",7A,", ",9Z,"), 150, "formclass changes for 151 of the 200 known patrons: more than 75% at once."},
		{"barcodes: 75%", preview.Thresholds{}, func(i int) string {
			return strings.Replace(student(i), fmt.Sprintf(",%08d,", i), fmt.Sprintf(",9%07d,", i), 1)
		}, 150, "librarybarcode changes for 151 of the 200 known patrons"},
		{"admin ids: 75%", preview.Thresholds{}, replace(",A", ",B"), 150, "adminsystemid changes for 151 of the 200 known patrons"},
		{"names: 75%", preview.Thresholds{}, replace(",Surname", ",Other"), 150, "name (givenname or surname) changes for 151 of the 200 known patrons"},
		{"names: tuned", preview.Thresholds{Min: 20, Max: 500, Deactivate: 0.1, Names: 0.25, Barcodes: 0.75, AdminIDs: 0.75, FormClasses: 0.75, Scheme: 0.1},
			func(i int) string { return strings.Replace(replace(",Surname", ",Other")(i), ",Given", ",Someone", 1) }, 50, "name (givenname or surname) changes for 51 of the 200"},
		{"scheme by ids: 10%", preview.Thresholds{}, replace("s", "pupil."), 20, "21 new usernames give the library barcode or admin system id of a patron known under another username (more than 10% or 500 of the 200 known patrons)"},
		{"scheme by names: 10%", preview.Thresholds{}, func(i int) string {
			return fmt.Sprintf("pupil.%d,true,false,Given%d,Surname%d,7,,,7A,", i, i, i)
		}, 20, "21 of the 21 new usernames have the name of a patron known under another username (more than 10% or 500 of the 200 known patrons)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			th := tt.t
			if th == (preview.Thresholds{}) {
				th = preview.DefaultThresholds
			}
			require.NoError(t, th.Check())
			at := func(changed int) *preview.Preview {
				file := roster(changed, tt.change)
				rec := preview.New(st, th, 10)
				res, err := e.Import(context.Background(), st.Clone(), strings.NewReader(file), rec.Option())
				require.NoError(t, err)
				return rec.Preview(res)
			}
			assert.Empty(t, at(tt.under).Holds, "%d rows pass", tt.under)
			p := at(tt.under + 1)
			require.Len(t, p.Holds, 1, "%d rows are held", tt.under+1)
			assert.Contains(t, p.Holds[0].Reason, tt.reason)
			assert.Equal(t, tt.under+1, p.Holds[0].Rows)
			assert.NotEmpty(t, p.Holds[0].Examples)
		})
	}
}

// TestPreviewPassesANightOfChanges: a file that names only changed patrons
// (every one of them in a new form class) is an ordinary night against the
// roster.
func TestPreviewPassesANightOfChanges(t *testing.T) {
	e := engine(t)
	st := known(t, e, roster(400, student))
	p := run(t, e, st, roster(60, func(i int) string { return strings.Replace(student(i), ",7A,", ",8B,", 1) }), 10)
	assert.Equal(t, 60, p.Updated)
	assert.Empty(t, p.Holds)
}

func TestThresholdsCheck(t *testing.T) {
	assert.NoError(t, preview.DefaultThresholds.Check())
	for _, bad := range []func(*preview.Thresholds){
		func(t *preview.Thresholds) { t.Deactivate = 0 },
		func(t *preview.Thresholds) { t.Names = 1.5 },
		func(t *preview.Thresholds) { t.Scheme = -1 },
		func(t *preview.Thresholds) { t.Min = 0 },
		func(t *preview.Thresholds) { t.Max = 0 },
	} {
		th := preview.DefaultThresholds
		bad(&th)
		assert.Error(t, th.Check())
	}
}

func TestPreviewAgainstNothingHoldsNothing(t *testing.T) {
	e := engine(t)
	p := run(t, e, store.New(), roster(50, student), 10)
	assert.Equal(t, 50, p.Created)
	assert.Empty(t, p.Holds)
	assert.Empty(t, p.Changes)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"known":0,"created":50,"updated":0,"unchanged":0,"failed":0,"fields":[],"changes":[],"failures":[],"holds":[]}`, string(b),
		"lists are [], never null")
}

// BenchmarkPreview previews a night's file of 100,000 rows against
// 100,000 known patrons, a tenth of them changed, as the page and push do
// (the goal: under a second).
func BenchmarkPreview(b *testing.B) {
	e, err := rules.New(rules.Config{AcademicLevels: rules.DefaultAcademicLevels(), SkipPasswordHashing: true})
	require.NoError(b, err)
	const n = 100_000
	st := store.New()
	_, err = e.Import(context.Background(), st, strings.NewReader(roster(n, student)))
	require.NoError(b, err)
	file := roster(n, func(i int) string {
		if i%10 == 0 {
			return strings.Replace(student(i), ",7A,", ",8A,", 1)
		}
		return student(i)
	})
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		rec := preview.New(st, preview.DefaultThresholds, 100)
		res, err := e.Import(context.Background(), st.Clone(), strings.NewReader(file), rec.Option())
		require.NoError(b, err)
		p := rec.Preview(res)
		if p.Updated != n/10 {
			b.Fatalf("updated %d", p.Updated)
		}
	}
}

// TestGuardFakeNights: the faker's ordinary nights (any seed) pass the
// guard against the roster they update, and its bad nights are held: a
// mass deactivation past 10% (and not below it), and a re-keyed export.
func TestGuardFakeNights(t *testing.T) {
	e, err := rules.New(rules.Config{AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups(), SkipPasswordHashing: true})
	require.NoError(t, err)
	var roster bytes.Buffer
	_, err = fake.Write(&roster, fake.Options{Rows: 1200, Seed: 7, AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups()})
	require.NoError(t, err)
	st := known(t, e, roster.String())
	night := func(o fake.Options) *preview.Preview {
		t.Helper()
		o.AcademicLevels, o.PresentationGroups = rules.DefaultAcademicLevels(), rules.DefaultPresentationGroups()
		var b bytes.Buffer
		_, err := fake.Update(&b, bytes.NewReader(roster.Bytes()), o)
		require.NoError(t, err)
		rec := preview.New(st, preview.DefaultThresholds, 10)
		res, err := e.Import(context.Background(), st.Clone(), bytes.NewReader(b.Bytes()), rec.Option())
		require.NoError(t, err)
		return rec.Preview(res)
	}
	seeds := []uint64{8, 9, 10, 11, 12, 13}
	if !testing.Short() {
		for s := uint64(14); s < 40; s++ {
			seeds = append(seeds, s)
		}
	}
	for _, seed := range seeds {
		p := night(fake.Options{Seed: seed})
		assert.Empty(t, p.Holds, "seed %d: %s", seed, p.Summary())
		assert.Positive(t, p.Updated, "seed %d", seed)
	}
	p := night(fake.Options{Seed: 8, Deactivate: 0.05})
	assert.Empty(t, p.Holds, "5%% switched off is a night of leavers: %s", p.Summary())
	p = night(fake.Options{Seed: 8, Deactivate: 0.2})
	require.Len(t, p.Holds, 1, p.Summary())
	assert.Contains(t, p.Holds[0].Reason, "would be switched off (enabled=N): more than 10% or 500 at once.")
	p = night(fake.Options{Seed: 8, Rekey: true})
	require.NotEmpty(t, p.Holds, p.Summary())
	assert.Contains(t, p.Holds[0].Reason, "the usernames' scheme changed")
}
