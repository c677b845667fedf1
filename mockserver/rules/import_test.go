package rules_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

func engine(t *testing.T, cfg rules.Config) *rules.Engine {
	t.Helper()
	if cfg.AcademicLevels == nil {
		cfg.AcademicLevels = []string{"K", "7", "8", "9"}
	}
	if cfg.PresentationGroups == nil {
		cfg.PresentationGroups = []string{"Senior School"}
	}
	e, err := rules.New(cfg)
	require.NoError(t, err)
	return e
}

func importCSV(t *testing.T, e *rules.Engine, st *store.Store, csv string, opts ...rules.ImportOption) *rules.Result {
	t.Helper()
	res, err := e.Import(context.Background(), st, strings.NewReader(csv), opts...)
	require.NoError(t, err)
	return res
}

func TestStoredSpellingIsTheCreatingOne(t *testing.T) { // R-ROW-2
	e, st := engine(t, rules.Config{}), store.New()
	res := importCSV(t, e, st, "username,enabled,staffmember,graduationyear\nEve.Adams,Y,N,2029\nEVE.ADAMS,N,,\n")
	assert.Equal(t, 1, res.Created)
	assert.Equal(t, 1, res.Updated)
	p, ok := st.Get("eve.adams")
	require.True(t, ok)
	assert.Equal(t, "Eve.Adams", p.Username)
	assert.False(t, p.Enabled)
	assert.Equal(t, 1, st.Len())
}

func TestImportNeverErases(t *testing.T) { // R-ROW-16
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,givenname,surname,emailaddress,academiclevel,librarybarcode,adminsystemid,gender,formclass,presentationgrouplabel\n"+
		"kai,Y,N,Kai,Tane,kai@example.edu,7,0001,STU1,M,7A,Senior School\n")
	before, _ := st.Get("kai")
	res := importCSV(t, e, st, "username,givenname,surname,emailaddress,librarybarcode,gender,formclass\nKAI,,,,,,7B\n")
	require.True(t, res.Success(), res.Summary())
	after, _ := st.Get("kai")
	before.FormClass = "7B"
	assert.Equal(t, before, after, "only the non-blank cell may change")
}

func TestPasswordIsStoredAsBcryptOnly(t *testing.T) { // R-ROW-17
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear,password\npw,Y,N,2029,swordfish\n")
	p, _ := st.Get("pw")
	require.NotEmpty(t, p.PasswordHash)
	assert.NoError(t, bcrypt.CompareHashAndPassword([]byte(p.PasswordHash), []byte("swordfish")))
	assert.NotContains(t, fmt.Sprintf("%+v", p), "swordfish")
	cost, err := bcrypt.Cost([]byte(p.PasswordHash))
	require.NoError(t, err)
	assert.Equal(t, bcrypt.MinCost, cost)

	// An update without a password keeps the old one.
	importCSV(t, e, st, "username,formclass\npw,9A\n")
	q, _ := st.Get("pw")
	assert.Equal(t, p.PasswordHash, q.PasswordHash)
}

func TestFailedRowChangesNothing(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear,librarybarcode,emailaddress\n"+
		"a,Y,N,2029,B1,a@example.edu\nb,Y,N,2029,B2,b@example.edu\n")
	res := importCSV(t, e, st, "username,emailaddress,librarybarcode,formclass\nb,new@example.edu,B1,9Z\n")
	require.Equal(t, 1, res.Failed)
	p, _ := st.Get("b")
	assert.Equal(t, "b@example.edu", p.EmailAddress)
	assert.Equal(t, "B2", p.LibraryBarcode)
	assert.Empty(t, p.FormClass)
	// B2 still belongs to b: nobody else may take it.
	res = importCSV(t, e, st, "username,enabled,staffmember,graduationyear,librarybarcode\nc,Y,N,2029,B2\n")
	assert.Equal(t, 1, res.Failed)
}

func TestBarcodeMovesWithItsPatron(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear,librarybarcode\na,Y,N,2029,B1\n")
	res := importCSV(t, e, st, "username,librarybarcode\na,B9\n")
	require.True(t, res.Success())
	res = importCSV(t, e, st, "username,enabled,staffmember,graduationyear,librarybarcode\nb,Y,N,2029,B1\n")
	assert.True(t, res.Success(), "the old barcode is free once its patron changed it: %s", res.Summary())
}

// TestStudentStaffChanges covers what the documents leave open: the student
// and staff rules judge the patron as the row would leave it.
func TestStudentStaffChanges(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear\nteacher,Y,Y,\nstudent,Y,N,2029\n")
	tests := []struct {
		name, csv string
		wantOK    bool
	}{
		{"an existing staff member's row may not add a year", "username,graduationyear\nteacher,2030\n", false},
		{"staff turned student needs a year or level", "username,staffmember\nteacher,N\n", false},
		{"staff turned student with a level", "username,staffmember,academiclevel\nteacher,N,8\n", true},
		{"a student's update needs no year again", "username,formclass\nstudent,9C\n", true},
		{"a student turned staff keeps nothing new", "username,staffmember\nstudent,Y\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := importCSV(t, e, st, tt.csv)
			_, text := res.Row(1)
			assert.Equal(t, tt.wantOK, res.Success(), text)
		})
	}
}

// TestOrderAcrossBatches imports more rows than travel in one batch and
// checks every row's outcome, in order.
func TestOrderAcrossBatches(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	var b strings.Builder
	b.WriteString("username,enabled,staffmember,graduationyear\n")
	const n = 2100
	for i := 1; i <= n; i++ {
		year := "2029"
		if i%7 == 0 {
			year = "bad"
		}
		if i%500 == 0 {
			b.WriteString("\n") // blank lines get no number
		}
		fmt.Fprintf(&b, "u%d,Y,N,%s\n", i, year)
	}
	var reports []rules.RowReport
	res := importCSV(t, e, st, b.String(), rules.WithRowReport(func(r rules.RowReport) {
		reports = append(reports, r) // kept past the call, as a caller may
	}))
	require.Equal(t, n, res.Processed())
	assert.Equal(t, n/7, res.Failed)
	require.Len(t, reports, n)
	line := 1
	for i := 1; i <= n; i++ {
		line++
		if i%500 == 0 {
			line++
		}
		o, text := res.Row(i)
		r := reports[i-1]
		assert.Equal(t, i, r.Row)
		assert.Equal(t, line, r.Line, "row %d", i)
		assert.Equal(t, fmt.Sprintf("u%d", i), r.Username)
		assert.Equal(t, r.Username, r.Cells[rules.Username], "row %d: kept cells still hold the row", i)
		assert.Equal(t, "Y", r.Cells[rules.Enabled], "row %d", i)
		if i%7 == 0 {
			assert.Equal(t, rules.Failed, o, "row %d", i)
			assert.Equal(t, "Field (graduationYear) is not a four-digit year. User failed to import: Field (graduationYear) is not a four-digit year. ", text)
			require.Len(t, r.Reasons, 1)
			assert.Equal(t, rules.GraduationYear, r.Reasons[0].Column)
		} else {
			assert.Equal(t, rules.Created, o, "row %d", i)
		}
	}
}

func TestWholeFileRejectionsChangeNothing(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear\nkeep,Y,N,2029\n")
	for _, csv := range []string{
		"username,enabled,staffmember,graduationyear\nkeep,N,N,2029\nnew,Y,N,2029\nbad\"quote,Y,N,2029\n",
		"username,enabled,staffmember,graduationyear\nkeep,N,N,2029\n\"unclosed,Y,N,2029\n",
		"enabled,staffmember\nY,N\n",
		"username,enabled,Enabled\nkeep,N,N\n",
	} {
		_, err := e.Import(context.Background(), st, strings.NewReader(csv))
		var fe *rules.FileError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, 1, st.Len())
		p, _ := st.Get("keep")
		assert.True(t, p.Enabled)
	}
}

func TestHeaderReport(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	var h *rules.Header
	importCSV(t, e, st, "\ufeffUserName,email, Enabled ,trailing,\nx,x@example.edu,Y,,\n", rules.WithHeader(func(got *rules.Header) { h = got }))
	require.NotNil(t, h)
	assert.Equal(t, 0, h.Position(rules.Username))
	assert.Equal(t, 2, h.Position(rules.Enabled))
	assert.False(t, h.Has(rules.EmailAddress))
	assert.Equal(t, []rules.UnknownColumn{{Position: 1, Name: "email"}, {Position: 3, Name: "trailing"}, {Position: 4, Name: ""}}, h.Unknown)
}

func TestSummaryWording(t *testing.T) { // R-RES-2
	e, st := engine(t, rules.Config{}), store.New()
	res := importCSV(t, e, st, "username,enabled,staffmember,graduationyear\none,Y,N,2029\n")
	assert.Equal(t, "1 user processed. 1 user created. 0 users updated. 0 users failed.", res.Summary())
	res = importCSV(t, e, st, "username,enabled,staffmember,graduationyear\none,Y,N,2029\ntwo,Y,N,2029\nthree,Y,N,x\n")
	assert.Equal(t, "3 users processed. 1 user created. 1 user updated. 1 user failed.", res.Summary())
	assert.False(t, res.Success())
}

// TestDetailsOnlyWhenARowFailed: an import whose rows all pass answers
// without details; one with a failed row maps every row, by number, to its
// outcome or its failure text.
func TestDetailsOnlyWhenARowFailed(t *testing.T) { // R-RES-3
	e, st := engine(t, rules.Config{}), store.New()
	var b strings.Builder
	require.NoError(t, importCSV(t, e, st, "username,enabled,staffmember,graduationyear\none,Y,N,2029\n").WriteJSON(&b))
	assert.JSONEq(t, `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, b.String())
	b.Reset()
	require.NoError(t, importCSV(t, e, st, "username,enabled,staffmember,graduationyear\none,Y,N,2029\ntwo,Y,N,2029\nthree,Y,N,x\n").WriteJSON(&b))
	assert.JSONEq(t, `{"success":false,"summary":"3 users processed. 1 user created. 1 user updated. 1 user failed.",
		"details":{"1":"User Updated","2":"User Created","3":"Field (graduationYear) is not a four-digit year. User failed to import: Field (graduationYear) is not a four-digit year. "}}`, b.String())
}

func TestNewRejectsBadBcryptCost(t *testing.T) {
	_, err := rules.New(rules.Config{BcryptCost: 99})
	assert.Error(t, err)
}

// TestPatronsStoredWholeAcrossBatches imports thousands of rows whose cells
// differ in length from row to row (some quoted), then
// updates half of them, and compares every stored patron with what its rows
// say: rows travel in batches that share memory, and no patron may end up
// with another row's text.
func TestPatronsStoredWholeAcrossBatches(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	const n = 3000
	given := func(i, round int) string { return strings.Repeat("x", i%17) + fmt.Sprintf("G%d-%d", i, round) }
	write := func(round int, every int) string {
		var b strings.Builder
		b.WriteString("username,enabled,staffmember,givenname,surname,graduationyear,librarybarcode,formclass\n")
		for i := 0; i < n; i += every {
			surname := fmt.Sprintf("S%d", i)
			if i%5 == 0 {
				surname = fmt.Sprintf(`"O""Brien, %d"`, i)
			}
			fmt.Fprintf(&b, "User%d,Y,N,%s,%s,%d,B%0*d,%dR\n", i, given(i, round), surname, 2026+i%6, 1+i%9, i, round)
		}
		return b.String()
	}
	want := func(i int, round int) store.Patron {
		surname := fmt.Sprintf("S%d", i)
		if i%5 == 0 {
			surname = fmt.Sprintf(`O"Brien, %d`, i)
		}
		return store.Patron{Username: fmt.Sprintf("User%d", i), Enabled: true, GivenName: given(i, round), Surname: surname,
			GraduationYear: 2026 + i%6, LibraryBarcode: fmt.Sprintf("B%0*d", 1+i%9, i), FormClass: fmt.Sprintf("%dR", round)}
	}
	res := importCSV(t, e, st, write(1, 1))
	require.Equal(t, n, res.Created, res.Summary())
	res = importCSV(t, e, st, write(2, 2))
	require.Equal(t, n/2, res.Updated, res.Summary())
	require.Equal(t, n, st.Len())
	for i := range n {
		round := 1
		if i%2 == 0 {
			round = 2
		}
		got, ok := st.Get(fmt.Sprintf("user%d", i))
		require.True(t, ok, i)
		require.Equal(t, want(i, round), got, i)
	}
}

// TestResultKeepsEachTextOnce: a file of many rows failing the same way
// costs a few bytes a row, not a copy of the text each.
func TestResultKeepsEachTextOnce(t *testing.T) {
	e, err := rules.New(rules.Config{})
	require.NoError(t, err)
	var b strings.Builder
	b.WriteString("username,enabled,staffmember,graduationyear\n")
	for range 100000 {
		b.WriteString("x,\n") // two fields where the header has four
	}
	res := importCSV(t, e, store.New(), b.String())
	require.Equal(t, 100000, res.Failed)
	assert.Less(t, res.Memory(), 100000*10, "about nine bytes a failed row")
	_, text := res.Row(100000)
	assert.Equal(t, "Row has 2 fields but the header has 4. User failed to import: Row has 2 fields but the header has 4. ", text)

	trimmed := res.Trim(0)
	assert.Equal(t, 100000, trimmed.LeftOut())
	_, text = trimmed.Row(1)
	assert.Contains(t, text, "left out")
	_, text = res.Row(1)
	assert.Contains(t, text, "Row has 2 fields", "Trim leaves the result itself as it was")
}

// TestFailedRowReasons: R-RES-3's decided part. A row without a username
// is judged by its cells alone; each field gives one reason: on a staff
// row "applies to students only" for a year or level, otherwise control
// characters or length before the field's own rule.
func TestFailedRowReasons(t *testing.T) {
	e, st := engine(t, rules.Config{}), store.New()
	importCSV(t, e, st, "username,enabled,staffmember,graduationyear,librarybarcode\nheld,Y,N,2030,B1\n")
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"a nameless row's cells", "username,enabled,graduationyear,gender\n,maybe,1800,X\n", []string{
			"Field (username) is mandatory.",
			"Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0.",
			"Field (graduationYear) is not a four-digit year.",
			"Field (gender) must be M, F or blank."}},
		{"a nameless row: no rule that needs the patron", "username,enabled,staffmember,graduationyear,librarybarcode\n,,Y,2030,B1\n",
			[]string{"Field (username) is mandatory."}},
		{"a staff row's year and level", "username,enabled,staffmember,graduationyear,academiclevel\nt1,Y,Y,20x0,\"7\u200b\"\n", []string{
			"Field (graduationYear) applies to students only; leave it blank for staff.",
			"Field (academicLevel) applies to students only; leave it blank for staff."}},
		{"characters and length first", "username,enabled,staffmember,emailaddress,academiclevel\ns1,Y,N,\"a\u200b@@b\"," + strings.Repeat("Z", 256) + "\n", []string{
			"Field (emailAddress) contains control characters.",
			"Field (academicLevel) is longer than 255 characters."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := importCSV(t, e, st, tt.csv)
			o, text := res.Row(1)
			require.Equal(t, rules.Failed, o)
			all := strings.Join(tt.want, " ") + " "
			assert.Equal(t, tt.want[0]+" User failed to import: "+all, text)
		})
	}
}
