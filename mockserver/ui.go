package mockserver

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// The web page: the school's workbench, server-rendered, its assets in the
// binary, behind the admin credentials like /_mock/. It is built on the
// same import, store and history as the API.

//go:embed ui/*.html ui/*.css
var uiFiles embed.FS

var uiTemplates = template.Must(template.New("ui").Funcs(template.FuncMap{
	"inc":        func(i int) int { return i + 1 },
	"pathEscape": url.PathEscape, // a username is one path segment, whatever it holds
	"count": func(n int, thing string) string {
		if n == 1 {
			return "1 " + thing
		}
		return strconv.Itoa(n) + " " + thing + "s"
	},
	"outcome":  outcomeText,
	"when":     func(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04:05") },
	"boolText": func(b bool) string { return map[bool]string{true: "yes", false: "no"}[b] },
	"year": func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	},
}).ParseFS(uiFiles, "ui/*.html"))

// uiPageSize is how many rows or patrons a page shows.
const uiPageSize = 100

// Finding is one thing a file check (autosync lint) says of a file.
// Damage marks what a spreadsheet did to the data, which the page shows
// first.
type Finding struct {
	Severity, Column, Value, Message, Fix, Rule string
	Line, Row                                   int
	Damage                                      bool
}

// webPage is the server's web page: its handlers see the import core, the
// fault queue (to list it), the settings they show and the files tried,
// and nothing else of the server.
type webPage struct {
	core      *importer
	faults    *faultQueue
	accounts  accounts
	cfg       rules.Config
	tries     tries
	fileCheck FileCheck
	caCert    string // the certificate file clients trust, for the page's commands
	key       []byte // signs the page's form tokens (origin.go)
	// shown on the server's page
	bodyIdle, answerWrite time.Duration
}

// reset removes every patron, the history and the files tried.
func (ui *webPage) reset() *apiError {
	if apiErr := ui.core.clear(); apiErr != nil {
		return apiErr
	}
	ui.tries.clear()
	return nil
}

// FileCheck checks a file as autosync lint does, for the web page to show
// beside the server's answer.
type FileCheck func(ctx context.Context, src io.ReadSeeker, name string) ([]Finding, error)

// WithFileCheck gives the web page a check of the file beside the server's
// answer (autosync serve passes autosync lint's).
func WithFileCheck(fn FileCheck) Option {
	return func(s *server) { s.page.fileCheck = fn }
}

// tryResult is a file tried on the web page: imported, or only checked.
type tryResult struct {
	ID       int
	Time     time.Time
	FileName string
	Checked  bool // judged against a copy of the store; nothing changed
	Status   int
	Summary  string
	Result   *rules.Result
	Lines    []int32  // by row: the physical line
	Names    []string // by row: the username as written
	Findings []Finding
	CheckErr string
	// Preview is, for a check, what the file would change among the
	// patrons the server held.
	Preview *preview.Preview
	History int // the import's ID in the history; 0 for a check
}

// tries keeps the latest files tried on the page.
type tries struct {
	mu   sync.Mutex
	next int
	list []*tryResult
}

const keptTries = 10

// keptTryRows is how many rows of a file tried a result keeps the line and
// username of; every row keeps its outcome (in the result, a byte a row).
const keptTryRows = 10000

// previewChanges is how many updates a check's preview shows field by
// field.
const previewChanges = 100

func (t *tries) add(r *tryResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	r.ID = t.next
	t.list = append(t.list, r)
	if len(t.list) > keptTries {
		t.list = t.list[1:]
	}
}

// recent returns the files tried, the newest first.
func (t *tries) recent() []*tryResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := slices.Clone(t.list)
	slices.Reverse(out)
	return out
}

// clear forgets every file tried: their results name patrons a reset
// removed.
func (t *tries) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.list = nil
}

func (t *tries) get(id int) *tryResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.list {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// uiRoute returns the page for path, if it is one.
func (s *server) uiRoute(path string) (route, bool) {
	get := []string{http.MethodGet, http.MethodHead}
	switch {
	case path == "/":
		return route{methods: get, admin: true, page: (*webPage).uiHome}, true
	case path == "/ui/style.css":
		return route{methods: get, page: (*webPage).uiStyle}, true // no secret, and the login page needs it
	case path == "/ui/logout":
		return route{methods: get, page: (*webPage).uiLogout}, true
	case path == "/ui/import", path == "/ui/check":
		return route{methods: []string{http.MethodPost}, admin: true, page: (*webPage).uiTry}, true
	case strings.HasPrefix(path, "/ui/tries/"):
		return route{methods: get, admin: true, page: (*webPage).uiTryResult}, true
	case path == "/ui/imports":
		return route{methods: get, admin: true, page: (*webPage).uiImports}, true
	case strings.HasPrefix(path, "/ui/imports/"):
		return route{methods: get, admin: true, page: (*webPage).uiImport}, true
	case path == "/ui/patrons":
		return route{methods: get, admin: true, page: (*webPage).uiPatrons}, true
	case strings.HasPrefix(path, "/ui/patrons/"):
		return route{methods: get, admin: true, page: (*webPage).uiPatron}, true
	case path == "/ui/server":
		return route{methods: get, admin: true, page: (*webPage).uiServer}, true
	case path == "/ui/reset":
		return route{methods: []string{http.MethodGet, http.MethodHead, http.MethodPost}, admin: true, page: (*webPage).uiReset}, true
	}
	return route{}, false
}

// layout is what every page's layout needs.
type layout struct {
	Title string
	Nav   string
	Token string
	Out   bool // logged out: the page offers no log-out link
	Data  any
}

func (ui *webPage) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("Cache-Control", "no-store")
	token := ui.formToken(ui.session(w, r))
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if err := uiTemplates.ExecuteTemplate(w, name, layout{Title: title, Nav: nav, Token: token, Data: data,
		Out: name == "login.html" || name == "logout.html"}); err != nil {
		ui.core.log.Warn("page not delivered", "page", name, "err", err)
	}
}

func (ui *webPage) uiStyle(w http.ResponseWriter, r *http.Request) {
	css, _ := uiFiles.ReadFile("ui/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	if r.Method != http.MethodHead {
		w.Write(css)
	}
}

// logoutCookie marks a browser that has just logged out, so that the
// credentials it is asked for next log it in again rather than out.
const logoutCookie = "autosync_logout"

// uiLogin answers a page asked for without an admin's credentials: 401 with
// the challenge, so that the browser asks, and a page that says what to do
// when the person cancels or the account may not import.
func (ui *webPage) uiLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Basic realm="`+defaultRealm+`"`)
	ui.render(w, r, http.StatusUnauthorized, "login.html", "Log in", "", nil)
}

// uiLogout makes the browser forget the credentials it keeps: a 401 for
// the credentials it sent. Browsers have no other way out of Basic Auth.
// The browser then asks again: credentials given to that prompt log in
// again, to the page's start; a cancelled prompt shows that the browser
// has logged out.
func (ui *webPage) uiLogout(w http.ResponseWriter, r *http.Request) {
	_, authorised := ui.accounts.authorised(r)
	if c, err := r.Cookie(logoutCookie); err == nil && c.Value == "1" && authorised {
		http.SetCookie(w, &http.Cookie{Name: logoutCookie, Path: "/ui/logout", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: logoutCookie, Value: "1", Path: "/ui/logout", MaxAge: 600, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	w.Header().Set("WWW-Authenticate", `Basic realm="`+defaultRealm+`"`)
	ui.render(w, r, http.StatusUnauthorized, "logout.html", "Logged out", "", nil)
}

// uiFail shows a refusal of the page's own, as a page.
func (ui *webPage) uiFail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ui.render(w, r, status, "problem.html", http.StatusText(status), "", msg)
}

func (ui *webPage) uiHome(w http.ResponseWriter, r *http.Request) {
	type home struct {
		Patrons, Imports int
		Tries            []*tryResult
	}
	recent := ui.tries.recent()
	ui.render(w, r, http.StatusOK, "home.html", "Try a file", "home", home{Patrons: ui.core.store.Len(), Imports: len(ui.core.history.list()), Tries: recent})
}

// uiTry is the page's form: import the chosen file, or only check it.
func (ui *webPage) uiTry(w http.ResponseWriter, r *http.Request) {
	checked := r.URL.Path == "/ui/check"
	if r.ContentLength > ui.core.maxBody {
		leaveBody(w, r)
		ui.uiFail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than the limit of %s.", FormatBytes(ui.core.maxBody)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, ui.core.maxBody+64<<10) // the file and the form around it
	mr, err := r.MultipartReader()
	if err != nil {
		ui.uiFail(w, r, http.StatusBadRequest, "Choose a CSV file, then Import or Check.")
		return
	}
	token := ""
	for {
		part, err := mr.NextPart()
		if err != nil {
			ui.uiFail(w, r, http.StatusBadRequest, "Choose a CSV file, then Import or Check.")
			return
		}
		if part.FormName() == "token" {
			b, _ := io.ReadAll(io.LimitReader(part, 256))
			token = string(b)
			continue
		}
		if part.FormName() != "file" {
			continue
		}
		if !ui.sameOrigin(r, token) {
			ui.uiFail(w, r, http.StatusForbidden, "The form did not come from this page; open the page again and retry.")
			return
		}
		if part.FileName() == "" {
			ui.uiFail(w, r, http.StatusBadRequest, "Choose a CSV file, then Import or Check.")
			return
		}
		ui.tryFile(w, r, keptText(part.FileName()), io.LimitReader(part, ui.core.maxBody+1), checked)
		return
	}
}

// tryFile imports or checks one file from the page, keeps what came of it,
// and sends the browser to it.
func (ui *webPage) tryFile(w http.ResponseWriter, r *http.Request, name string, file io.Reader, checked bool) {
	// The spool is kept until the check beside the answer has read it too.
	sp, syntax, apiErr := ui.core.receive(file)
	defer ui.core.closeSpool(sp)
	if apiErr == nil && sp.size > ui.core.maxBody {
		apiErr = errTooLarge(ui.core.maxBody)
	}
	if apiErr != nil {
		ui.uiFail(w, r, apiErr.status, apiErr.summary)
		return
	}
	t := &tryResult{Time: time.Now().UTC(), FileName: name, Checked: checked}
	defer func() { // the page's imports are in the log like any other
		what := "import"
		if checked {
			what = "check"
		}
		ui.core.log.Info(what, "file", name, "from", "the web page", "status", t.Status, "summary", t.Summary)
	}()
	rec := ImportRecord{Time: t.Time, FileName: name}
	opts := []rules.ImportOption{rules.WithRowReport(func(row rules.RowReport) {
		if len(t.Lines) < keptTryRows {
			t.Lines = append(t.Lines, int32(row.Line))
			t.Names = append(t.Names, keptText(row.Username))
		}
	})}
	var changes *preview.Recorder
	if checked {
		changes = preview.New(ui.core.store, preview.DefaultThresholds, previewChanges)
		opts = append(opts, changes.Option())
	}
	how := apply
	if checked {
		how = check
	}
	res, apiErr := ui.core.runImport(r.Context(), how, sp, syntax, &rec, opts...)
	switch {
	case apiErr != nil:
		t.Status, t.Summary = apiErr.status, apiErr.summary
		if !checked {
			ui.core.history.add(ImportRecord{Time: t.Time, FileName: name, Status: apiErr.status, Result: rawJSON(refusalBody(apiErr))})
		}
	default:
		t.Status, t.Summary, t.Result = http.StatusOK, res.Summary(), res
		if changes != nil {
			t.Preview = changes.Preview(res)
		}
	}
	if !checked {
		t.History = rec.ID
	}
	if ui.fileCheck != nil {
		if src, err := sp.reader(); err == nil {
			if t.Findings, err = ui.fileCheck(context.WithoutCancel(r.Context()), src, name); err != nil {
				t.CheckErr = err.Error()
			}
		}
	}
	ui.tries.add(t)
	http.Redirect(w, r, "/ui/tries/"+strconv.Itoa(t.ID), http.StatusSeeOther)
}

// uiRow is one row of a table of an import's rows.
type uiRow struct {
	Row      int
	Line     int
	Username string
	Outcome  string
	Failed   bool
}

// pager is one page of a long table.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newPager(r *http.Request, total int) pager {
	p := pager{Total: total, Pages: max(1, (total+uiPageSize-1)/uiPageSize)}
	p.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.Page = min(max(p.Page, 1), p.Pages)
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	return p
}

func (p pager) bounds() (int, int) {
	from := (p.Page - 1) * uiPageSize
	return from, min(from+uiPageSize, p.Total)
}

// uiGroups is the table of a result's failures by reason.
type uiGroups struct {
	Failed int // rows failed in all: the bars' scale
	Groups []rules.FailureGroup
	More   int // reasons past those shown
}

// maxGroups is how many reasons the table shows.
const maxGroups = 20

func groupsOf(res *rules.Result) uiGroups {
	g := uiGroups{Failed: res.FailedRows(), Groups: res.FailureGroups()}
	if len(g.Groups) > maxGroups {
		g.More = len(g.Groups) - maxGroups
		g.Groups = g.Groups[:maxGroups]
	}
	return g
}

// rowFilter offers the row table of a result whole or its failed rows
// only (?failed=1).
type rowFilter struct {
	Failed      bool   // only the failed rows are shown
	FailedCount int    // how many rows failed
	All, Only   string // links to the whole table and to the failed rows
}

// rowTable makes the filter, the pager and a page of the row table of a
// result, as the request asks.
func rowTable(r *http.Request, res *rules.Result, lines []int32, names []string) (rowFilter, pager, []uiRow) {
	f := rowFilter{Failed: r.URL.Query().Get("failed") == "1", FailedCount: res.FailedRows()}
	q := r.URL.Query()
	q.Del("page")
	q.Del("failed")
	f.All = r.URL.Path
	if len(q) > 0 {
		f.All += "?" + q.Encode()
	}
	q.Set("failed", "1")
	f.Only = r.URL.Path + "?" + q.Encode()
	if !f.Failed {
		p := newPager(r, res.Processed())
		return f, p, rowsOf(res, lines, names, p, nil)
	}
	p := newPager(r, f.FailedCount)
	return f, p, rowsOf(res, lines, names, p, res.FailedRow)
}

// rowsOf makes a page of the row table of a result: of every row, or,
// with nth (the number of the i-th row shown), of those rows.
func rowsOf(res *rules.Result, lines []int32, names []string, p pager, nth func(int) int) []uiRow {
	from, to := p.bounds()
	var out []uiRow
	for k := from; k < to; k++ {
		i := k
		if nth != nil {
			i = nth(k) - 1
		}
		o, text := res.Row(i + 1)
		row := uiRow{Row: i + 1, Outcome: outcomeText(o), Failed: o == rules.Failed}
		if text != "" {
			row.Outcome = text
		}
		if i < len(lines) {
			row.Line, row.Username = int(lines[i]), names[i]
		}
		out = append(out, row)
	}
	return out
}

func outcomeText(o rules.Outcome) string {
	switch o {
	case rules.Created:
		return "User Created"
	case rules.Updated:
		return "User Updated"
	}
	return "failed"
}

func idFrom(path, prefix string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(path, prefix))
	return n, err == nil
}

func (ui *webPage) uiTryResult(w http.ResponseWriter, r *http.Request) {
	id, ok := idFrom(r.URL.Path, "/ui/tries/")
	t := ui.tries.get(id)
	if !ok || t == nil {
		ui.uiFail(w, r, http.StatusNotFound, "That result is no longer kept: the page keeps the last ten files tried.")
		return
	}
	type view struct {
		*tryResult
		Answer string
		Rows   []uiRow
		Pager  pager
		Filter rowFilter
		Groups uiGroups
		Damage []Finding // the file check's damage warnings, shown first
		Others []Finding // and the rest of what it says, after the answer
	}
	v := view{tryResult: t}
	for _, f := range t.Findings {
		if f.Damage {
			v.Damage = append(v.Damage, f)
		} else {
			v.Others = append(v.Others, f)
		}
	}
	if t.Result != nil {
		// The answer's start: written up to the bound, never whole.
		answer := &prefix{max: 2000}
		if err := t.Result.WriteJSON(answer); err != nil {
			answer.b = append(answer.b, "…"...)
		}
		v.Answer = string(answer.b)
		v.Filter, v.Pager, v.Rows = rowTable(r, t.Result, t.Lines, t.Names)
		v.Groups = groupsOf(t.Result)
	}
	ui.render(w, r, http.StatusOK, "try.html", "Result: "+t.FileName, "home", v)
}

// uiEntry is a history entry as the page shows it.
type uiEntry struct {
	N       int // its ID, from 1, oldest first
	Record  ImportRecord
	Summary string
}

func summaryOf(rec ImportRecord) string {
	if res, ok := rec.Result.(*rules.Result); ok {
		return res.Summary()
	}
	b, _ := rec.Result.MarshalJSON()
	var v struct{ Summary string }
	json.Unmarshal(b, &v)
	return v.Summary
}

func (ui *webPage) uiImports(w http.ResponseWriter, r *http.Request) {
	var entries []uiEntry
	for _, rec := range ui.core.history.list() {
		entries = append(entries, uiEntry{N: rec.ID, Record: rec, Summary: summaryOf(rec)})
	}
	slices.Reverse(entries)
	ui.render(w, r, http.StatusOK, "imports.html", "Imports", "imports", entries)
}

func (ui *webPage) uiImport(w http.ResponseWriter, r *http.Request) {
	n, ok := idFrom(r.URL.Path, "/ui/imports/")
	rec, found := ui.core.history.get(n)
	if !ok || !found {
		ui.uiFail(w, r, http.StatusNotFound, "No such import in the history: it keeps the latest 100.")
		return
	}
	type view struct {
		Entry  uiEntry
		Rows   []uiRow
		Pager  pager
		Filter rowFilter
		Groups uiGroups
	}
	v := view{Entry: uiEntry{N: n, Record: rec, Summary: summaryOf(rec)}}
	if res, ok := rec.Result.(*rules.Result); ok {
		v.Filter, v.Pager, v.Rows = rowTable(r, res, rec.lines, rec.names)
		v.Groups = groupsOf(res)
	}
	ui.render(w, r, http.StatusOK, "import.html", "Import "+strconv.Itoa(n), "imports", v)
}

func (ui *webPage) uiPatrons(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	// Clamped to the pages there can be, so that no page number overflows
	// the offset; a page past the end of a search shows its last page.
	last := max(1, (ui.core.store.Len()+uiPageSize-1)/uiPageSize)
	page = min(max(page, 1), last)
	found, total := ui.core.store.Find(q, (page-1)*uiPageSize, uiPageSize)
	if len(found) == 0 && total > 0 {
		page = (total + uiPageSize - 1) / uiPageSize
		found, total = ui.core.store.Find(q, (page-1)*uiPageSize, uiPageSize)
	}
	type view struct {
		Query   string
		Patrons []store.Patron
		Pager   pager
		Reset   bool // just reset: the page says so
	}
	q2 := r.URL.Query()
	q2.Set("page", strconv.Itoa(page))
	r.URL.RawQuery = q2.Encode() // the pager reads the page it shows
	v := view{Query: q, Patrons: found, Pager: newPager(r, total), Reset: r.URL.Query().Get("reset") == "done"}
	ui.render(w, r, http.StatusOK, "patrons.html", "Patrons", "patrons", v)
}

func (ui *webPage) uiPatron(w http.ResponseWriter, r *http.Request) {
	name, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/ui/patrons/"))
	p, ok := ui.core.store.Get(name)
	if err != nil || !ok {
		ui.uiFail(w, r, http.StatusNotFound, fmt.Sprintf("No patron has the username %q.", name))
		return
	}
	type field struct{ Name, Value string }
	var fields []field // every column but the password, in column order
	for _, c := range rules.Columns() {
		if c.Secret() {
			continue
		}
		v := rules.Value(&p, c)
		if c.Flag() {
			v = map[string]string{"true": "yes", "false": "no"}[v]
		}
		fields = append(fields, field{c.String(), v})
	}
	ui.render(w, r, http.StatusOK, "patron.html", p.Username, "patrons", fields)
}

// uiServer shows this server's settings and the commands that work
// against it.
func (ui *webPage) uiServer(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	admin, _ := ui.accounts.authorised(r)
	password := "PASSWORD"
	for _, a := range ui.accounts {
		if a.Username == admin && a.Password == DefaultAdminPassword {
			password = a.Password // a default account's password is no secret
		}
	}
	type account struct {
		Name  string
		Admin bool
	}
	type view struct {
		Levels, Groups      []string
		Accounts            []account
		BodyLimit, Scheme   string
		ImportURL           string
		Curl, PowerShell    string
		Push                string
		Faults              []Fault
		DefaultPassword     bool
		BodyIdle, WriteTime string
	}
	v := view{Levels: ui.cfg.AcademicLevels, Groups: ui.cfg.PresentationGroups, BodyLimit: FormatBytes(ui.core.maxBody), Scheme: strings.ToUpper(scheme),
		ImportURL: base + api.ImportPath, Faults: ui.faults.list(), DefaultPassword: password != "PASSWORD",
		BodyIdle: ui.bodyIdle.String(), WriteTime: ui.answerWrite.String()}
	for _, a := range ui.accounts {
		v.Accounts = append(v.Accounts, account{a.Username, a.Admin})
	}
	userinfo := url.UserPassword(admin, password).String()
	cacert := ""
	if r.TLS != nil && ui.caCert != "" {
		cacert = "--cacert " + shellWord(ui.caCert) + " " // the certificate this server made for itself
	}
	v.Curl = fmt.Sprintf(`curl %s-X POST -F "file=@users.csv" %s://%s@%s%s`, cacert, scheme, userinfo, r.Host, api.ImportPath)
	v.PowerShell = ""
	if cacert != "" {
		// PowerShell takes no certificate to trust for one request: the
		// account trusts this one, as curl's --cacert and push's do.
		v.PowerShell = fmt.Sprintf(`# This server made its own certificate: trust it once for your Windows account
# (copy %s to this machine first), or the request fails with a TLS error.
Import-Certificate -FilePath '%s' -CertStoreLocation Cert:\CurrentUser\Root
`, ui.caCert, strings.ReplaceAll(ui.caCert, "'", "''"))
	}
	v.PowerShell += fmt.Sprintf(`# This script example requires PowerShell 6+
$Uri = '%s'
$Header = @{"Authorization" = "Basic "+[System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("%s:%s"))}
$Form = @{
  file = Get-Item -Path 'C:\data\users-to-import.csv'
}
$Result = Invoke-RestMethod -Method POST -Header $Header -Uri $Uri -Form $Form
$AsJson = ConvertTo-Json $Result
echo $AsJson`, base+api.ImportPath, admin, password)
	v.Push = fmt.Sprintf("autosync push users.csv --url %s --username %s --password-env PW", base, admin)
	if cacert != "" {
		v.Push += " " + strings.TrimSpace(cacert)
	}
	ui.render(w, r, http.StatusOK, "server.html", "This server", "server", v)
}

// uiReset asks, then removes every patron and the history.
func (ui *webPage) uiReset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		ui.render(w, r, http.StatusOK, "reset.html", "Reset", "server", ui.core.store.Len())
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil || !ui.sameOrigin(r, r.PostForm.Get("token")) {
		ui.uiFail(w, r, http.StatusForbidden, "The form did not come from this page; open the page again and retry.")
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		ui.uiFail(w, r, http.StatusBadRequest, "Tick the box to confirm that every patron and the import history are to be removed.")
		return
	}
	if apiErr := ui.reset(); apiErr != nil {
		ui.uiFail(w, r, apiErr.status, apiErr.summary)
		return
	}
	http.Redirect(w, r, "/ui/patrons?reset=done", http.StatusSeeOther)
}

// prefix keeps the first max bytes written to it, then refuses more.
type prefix struct {
	b   []byte
	max int
}

// errCapped is what a prefix answers past its bound.
var errCapped = errors.New("over the bound")

// Write keeps what fits of p.
func (p *prefix) Write(b []byte) (int, error) {
	room := p.max - len(p.b)
	if len(b) > room {
		p.b = append(p.b, b[:max(room, 0)]...)
		return max(room, 0), errCapped
	}
	p.b = append(p.b, b...)
	return len(b), nil
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
