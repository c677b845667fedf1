package explore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/api/wire"
	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/target"
)

// answer is what one side answered, as judged.
type answer struct {
	status                 int
	contentType, challenge string
	allow                  string
	json                   map[string]any
	created                []string // usernames the answer shows created
	rowFailed              map[int]bool
	x                      *target.Exchange
	noBody                 bool
	early                  bool // answered while the upload was held back
}

// notUTF8 reports whether a's body, as it came, is not UTF-8 (R-HTTP-6).
func notUTF8(a *answer) bool { return a.x != nil && a.x.NotUTF8 }

// send sends st, with prefix, to t.
func send(ctx context.Context, t target.Target, st Step, prefix string) (*answer, *target.Exchange, error) {
	var file []byte
	if st.file != nil {
		file = st.file.render(prefix)
	}
	var x *target.Exchange
	var obj map[string]any
	var err error
	held := false
	if st.long {
		x, obj, err = sendLong(ctx, t, file, prefix)
	} else if st.kind == upload {
		x, obj, err = target.Upload(ctx, t, target.Part{Field: "file", FileName: "users.csv", Content: file})
	} else if st.kind == heldBody {
		x, obj, held, err = sendHeld(ctx, t, file)
	} else if st.kind == wired {
		x, obj, err = sendWay(ctx, t, st, file, prefix)
	} else {
		req, shown, berr := build(ctx, t, st, file)
		if berr != nil {
			return nil, nil, berr
		}
		x, obj, err = target.Request(t, req, shown)
	}
	if err != nil && !target.IsUnreachable(err) {
		return nil, nil, err
	}
	if err != nil {
		return nil, x, err
	}
	a := &answer{status: x.Status, json: obj, x: x, early: held, contentType: x.AnswerHeader.Get("Content-Type"),
		challenge: x.AnswerHeader.Get("Www-Authenticate"), allow: x.AnswerHeader.Get("Allow"), noBody: len(x.Answer) == 0}
	if (st.kind == upload || st.kind == wired) && a.status == http.StatusOK && obj != nil {
		a.created, a.rowFailed = outcomes(file, obj)
	}
	return a, x, nil
}

// secondFile is the second file part of the ways that send two: a header
// alone, so that a server that reads it instead of the first shows it.
var secondFile = []byte("username,enabled,staffmember\n")

// sendWay writes the upload as way st.way writes it, byte for byte, on a
// connection of its own: first without credentials, for the ways that wait
// for the server's challenge.
func sendWay(ctx context.Context, t target.Target, st Step, file []byte, prefix string) (*target.Exchange, map[string]any, error) {
	way, ok := wire.Lookup(st.way)
	if !ok {
		return nil, nil, fmt.Errorf("explore: no way of sending named %q", st.way)
	}
	req := t.WireRequest(target.AsAdmin, prefix, file, "users.csv", secondFile)
	if way.ChallengeFirst {
		x, _, err := t.SendRaw(ctx, way, way.WithoutCredentials(req), target.NoCredentials)
		if err != nil || x.Status != http.StatusUnauthorized {
			return x, nil, err // the answer to the request without credentials is the one to judge
		}
	}
	return t.SendRaw(ctx, way, way.Write(req), target.AsAdmin)
}

// sendLong uploads the long run's file as curl writes it and reads up to
// longAnswer bytes of the answer.
func sendLong(ctx context.Context, t target.Target, file []byte, prefix string) (*target.Exchange, map[string]any, error) {
	way, ok := wire.Lookup("curl")
	if !ok {
		return nil, nil, fmt.Errorf("explore: no way of sending named curl")
	}
	return t.SendRawLimit(ctx, way, way.Write(t.WireRequest(target.AsAdmin, prefix, file, "users.csv", nil)), target.AsAdmin, longAnswer)
}

// sendHeld posts the file with a wrong password, sending half of the
// multipart body and holding the rest back for up to two seconds, and
// reports whether the answer came while it was held: the credentials are
// checked before the upload is read (R-AUTH-4).
func sendHeld(ctx context.Context, t target.Target, file []byte) (*target.Exchange, map[string]any, bool, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "users.csv")
	w.Write(file)
	mw.Close()
	release := make(chan struct{})
	timer := time.AfterFunc(2*time.Second, func() { close(release) })
	h := &heldReader{first: body.Bytes()[:body.Len()/2], rest: body.Bytes()[body.Len()/2:], release: release}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL(api.ImportPath), h)
	if err != nil {
		return nil, nil, false, fmt.Errorf("explore: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Expect", "100-continue")
	req.SetBasicAuth(t.Username, t.Password+"-wrong")
	x, obj, err := target.Request(t, req, "[half a multipart upload; the rest held back]")
	early := timer.Stop() // the timer had not fired: the answer came first
	if early {
		close(release)
	}
	return x, obj, early, err
}

// heldReader gives first, then waits for release before giving rest.
type heldReader struct {
	first, rest []byte
	release     chan struct{}
}

func (h *heldReader) Read(p []byte) (int, error) {
	if len(h.first) > 0 {
		n := copy(p, h.first)
		h.first = h.first[n:]
		return n, nil
	}
	<-h.release
	if len(h.rest) == 0 {
		return 0, io.EOF
	}
	n := copy(p, h.rest)
	h.rest = h.rest[n:]
	return n, nil
}

// build makes the request of a step that is not a plain upload.
func build(ctx context.Context, t target.Target, st Step, file []byte) (*http.Request, string, error) {
	u := t.URL(api.ImportPath)
	var body bytes.Buffer
	ctype := ""
	method := http.MethodPost
	switch st.kind {
	case credentials, otherPart:
		mw := multipart.NewWriter(&body)
		switch st.layout {
		case "text-first":
			mw.WriteField("note", "nightly export")
		case "over-limit": // a text part of the whole body limit first (R-HTTP-5)
			if t.BodyLimit > 0 && t.BodyLimit <= maxPad {
				mw.WriteField("note", strings.Repeat("x", int(t.BodyLimit)))
			}
		case "at-limit": // a text part that makes the body exactly the limit (R-HTTP-5)
			if t.BodyLimit > 0 && t.BodyLimit <= maxPad {
				mw.WriteField("note", strings.Repeat("x", max(0, int(t.BodyLimit)-uploadSize(file))))
			}
		case "empty-name-first":
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{`form-data; name="nothing"; filename=""`}
			h["Content-Type"] = []string{"application/octet-stream"}
			mw.CreatePart(h)
		}
		field := "file"
		if st.layout == "field" {
			field = "upload"
		}
		if st.layout == "text-only" { // the CSV as a text field named file: no file part (R-HTTP-3)
			mw.WriteField("file", string(file))
			mw.Close()
			ctype = mw.FormDataContentType()
			break
		}
		w, err := mw.CreateFormFile(field, "export.txt")
		if err != nil {
			return nil, "", fmt.Errorf("explore: %w", err)
		}
		w.Write(file)
		if st.layout == "over-limit-after" && t.BodyLimit > 0 && t.BodyLimit <= maxPad { // the file's rows, then a text part past the limit (R-HTTP-5)
			mw.WriteField("note", strings.Repeat("x", int(t.BodyLimit)))
		}
		mw.Close()
		ctype = mw.FormDataContentType()
	case notMultipart:
		body.Write(file)
		ctype = st.ctype
	case otherMethod:
		method = st.method
	case otherPath:
		u = t.URL(st.path)
		mw := multipart.NewWriter(&body)
		w, _ := mw.CreateFormFile("file", "users.csv")
		w.Write(file)
		mw.Close()
		ctype = mw.FormDataContentType()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body.Bytes()))
	if err != nil {
		return nil, "", fmt.Errorf("explore: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch st.auth {
	case "wrong":
		req.SetBasicAuth(t.Username, t.Password+"-wrong")
	case "unknown":
		req.SetBasicAuth("nobody-explore", t.Password)
	case "none":
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+base64.StdEncoding.EncodeToString([]byte(t.Password)))
	case "nonadmin":
		req.SetBasicAuth(t.NonAdminUsername, t.NonAdminPassword)
	case "user-case":
		req.SetBasicAuth(target.SwapCase(t.Username), t.Password)
	case "password-case":
		req.SetBasicAuth(t.Username, target.SwapCase(t.Password))
	case "empty-password":
		req.SetBasicAuth(t.Username, "")
	default:
		req.SetBasicAuth(t.Username, t.Password)
	}
	return req, string(file), nil
}

// uploadSize is the size of a multipart body of an empty text part named
// note and file as the part file of export.txt, as build writes it:
// boundaries are all one length.
func uploadSize(file []byte) int {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("note", "")
	w, _ := mw.CreateFormFile("file", "export.txt")
	w.Write(file)
	mw.Close()
	return body.Len()
}

// maxPad is the largest body limit explore sends a body over: a target
// that takes more is not sent one.
const maxPad = 8 << 20

// outcomes reads, from an import's answer, the usernames it created and
// which rows failed.
func outcomes(file []byte, obj map[string]any) ([]string, map[int]bool) {
	names := usernames(file)
	failed := map[int]bool{}
	var created []string
	details, ok := obj["details"].(map[string]any)
	if !ok {
		if s, _ := obj["summary"].(string); !strings.Contains(s, " 0 users created.") {
			created = names
		}
		return created, failed
	}
	for key, v := range details {
		n, err := strconv.Atoi(key)
		if err != nil || n < 1 {
			continue
		}
		switch v {
		case "User Created":
			if n <= len(names) {
				created = append(created, names[n-1])
			}
		case "User Updated":
		default:
			failed[n] = true
		}
	}
	return created, failed
}

// usernames reads the username of each row of a rendered file, quotes
// read leniently: some files are malformed on purpose.
func usernames(file []byte) []string { return target.RowUsernames(file, true) }

var failureShape = regexp.MustCompile(`^(.+?\.) User failed to import: (.+\.) $`)

// statusRules names the rules a request of st's kind answered with status
// is judged by.
func statusRules(st Step, status int, summary string) []string {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		if st.auth == "nonadmin" {
			return []string{features.AUTH3, features.AUTH4}
		}
		if st.auth == "user-case" || st.auth == "password-case" {
			return []string{features.AUTH1, features.AUTH2}
		}
		return []string{features.AUTH2, features.AUTH4}
	case http.StatusMethodNotAllowed, http.StatusNotFound:
		return []string{features.HTTP4}
	case http.StatusUnsupportedMediaType:
		return []string{features.HTTP3}
	case http.StatusRequestEntityTooLarge:
		return []string{features.HTTP5}
	case http.StatusBadRequest:
		if r := features.RuleOfRefusal(summary); r != "" {
			return []string{r}
		}
		return []string{features.HTTP3}
	}
	switch st.kind {
	case credentials:
		if st.auth == "user-case" || st.auth == "password-case" {
			return []string{features.AUTH1}
		}
	case otherPart:
		return []string{features.HTTP2}
	case otherMethod, otherPath:
		return []string{features.HTTP4}
	}
	return []string{features.RES4}
}

// exercised names the rules a step puts to the test, by what it sends and
// what the reference answers: the rules of the way it is sent, of the
// answer's shape, of every failure text, and of the file's dialect.
func exercised(st Step, want *answer, inspect bool) []string {
	out := []string{features.HTTP1, features.HTTP6}
	summary, _ := want.json["summary"].(string)
	out = append(out, statusRules(st, want.status, summary)...)
	if st.kind == wired && st.rule != "" {
		out = append(out, st.rule)
	}
	if st.kind == heldBody {
		out = append(out, features.AUTH4)
	}
	if want.status == http.StatusOK && want.json != nil {
		out = append(out, features.RES1, features.RES2, features.RES4, features.AUTH1)
		if d, ok := want.json["details"].(map[string]any); ok {
			out = append(out, features.RES3, features.CSV8)
			for _, v := range d {
				text, _ := v.(string)
				switch text {
				case "User Created":
					out = append(out, features.ROW1, features.ROW3)
				case "User Updated":
					out = append(out, features.ROW1, features.ROW16)
				default:
					out = append(out, features.RulesOfFailure(text)...)
				}
			}
		}
		if processed(summary) == 0 {
			out = append(out, features.CSV1)
		}
		if inspect {
			out = append(out, features.ROW18)
		}
	}
	if r := features.RuleOfRefusal(summary); r != "" {
		out = append(out, r)
	}
	if f := st.file; f != nil && !f.empty {
		out = append(out, features.CSV2)
		if f.bom || !plainHeader(f) {
			out = append(out, features.CSV4)
		}
		if len(f.blank) > 0 || f.crlf || f.mixed || f.noFinalBreak {
			out = append(out, features.CSV5)
		}
	}
	return out
}

// compare judges the target's answer against the reference's. Only what
// the rules fix is compared: the wording of 404, 405, 413 and 415, and the
// reason after a syntax error's line number, are compared by shape.
func compare(want, got *answer, st Step, before []Step, strict bool) *Difference {
	m := matching{st.file, before}
	diff := func(rules []string, format string, args ...any) *Difference {
		if st.kind == wired && st.rule != "" {
			rules = append(rules, st.rule) // the way's quirk is what the target read otherwise
		}
		sort.Strings(rules)
		rules = slices.Compact(rules)
		return &Difference{Rules: rules, Decided: decided(rules), What: fmt.Sprintf(format, args...),
			Reference: describe(want), Target: describe(got)}
	}
	wantSummary, _ := want.json["summary"].(string)
	gotSummary, _ := got.json["summary"].(string)
	if st.kind == heldBody && want.early && !got.early {
		return diff([]string{features.AUTH4}, "the target answered a wrong password only once it had the whole upload: it reads the upload before the credentials")
	}
	if want.status != got.status {
		rules := append(statusRules(st, want.status, wantSummary), statusRules(st, got.status, gotSummary)...)
		if st.kind == upload && want.status == http.StatusOK && got.status == http.StatusBadRequest {
			rules = append(rules, features.CSV5) // a file the reference reads, refused
			if strings.HasPrefix(wantSummary, "0 users processed.") {
				rules = append(rules, features.CSV1) // an empty file, or a header alone
			}
		}
		return diff(rules, "status: the reference answers %d, the target %d", want.status, got.status)
	}
	if want.contentType != got.contentType && !(want.noBody && got.noBody) {
		rules := []string{features.HTTP6}
		if want.status == http.StatusNotFound || want.status == http.StatusMethodNotAllowed {
			rules = append(rules, features.HTTP4)
		}
		return diff(rules, "Content-Type: the reference answers %q, the target %q", want.contentType, got.contentType)
	}
	if notUTF8(got) && !notUTF8(want) {
		return diff([]string{features.HTTP6}, "the target's answer is not UTF-8, as its charset says it is")
	}
	if want.status == http.StatusUnauthorized && want.challenge != got.challenge {
		return diff([]string{features.AUTH4}, "WWW-Authenticate: the reference answers %q, the target %q", want.challenge, got.challenge)
	}
	if want.status == http.StatusMethodNotAllowed && want.allow != got.allow {
		return diff([]string{features.HTTP4}, "Allow: the reference answers %q, the target %q", want.allow, got.allow)
	}
	if want.noBody || st.kind == otherMethod && want.status == http.StatusMethodNotAllowed && want.json == nil {
		return nil
	}
	if got.json == nil {
		return diff(append(statusRules(st, want.status, wantSummary), features.HTTP6, features.RES1), "the target's answer is not a JSON object")
	}
	if want.status == http.StatusOK && st.kind != upload && st.kind != wired && got.json != nil && processed(wantSummary) != processed(gotSummary) {
		// The file sent another way was not the file read.
		return diff(statusRules(st, want.status, wantSummary), "the reference processed %d rows of the file, the target %d: %q",
			processed(wantSummary), processed(gotSummary), gotSummary)
	}
	if want.status == http.StatusOK && processed(wantSummary) >= 0 && processed(gotSummary) >= 0 && processed(wantSummary) != processed(gotSummary) {
		// The rows of the file were read otherwise: a line dropped, a
		// blank line counted, a quoted line break taken for a row.
		return diff([]string{features.CSV5, features.RES2}, "the reference read %d rows of the file, the target %d: %q",
			processed(wantSummary), processed(gotSummary), gotSummary)
	}
	if want.status == http.StatusOK && processed(wantSummary) == processed(gotSummary) {
		// The same rows read: the rows first, since a success or a count
		// that differs follows from a row judged otherwise, and the row's
		// rule is the one to name.
		if d := compareRows(want, got, m, strict, diff); d != nil {
			return d
		}
	}
	if _, ok := got.json["success"].(bool); !ok || got.json["success"] != want.json["success"] {
		return diff(append(statusRules(st, want.status, wantSummary), features.RES1), "success: the reference answers %v, the target %v", want.json["success"], got.json["success"])
	}
	switch want.status {
	case http.StatusOK:
		if d := compareRows(want, got, m, strict, diff); d != nil {
			return d
		}
		if _, ok := got.json["details"].(map[string]any); ok && got.x != nil && !detailsInOrder(got.x.Raw()) {
			// The same rows, written in another order.
			return diff([]string{features.RES4}, "details: the target writes the rows' keys out of numeric order")
		}
		return compareSummary(want, got, m, diff)
	case http.StatusUnauthorized, http.StatusBadRequest:
		r := features.RuleOfRefusal(wantSummary)
		if r == features.CSV6 {
			if line := syntaxLine(wantSummary); line != syntaxLine(gotSummary) {
				return diff([]string{features.CSV6}, "summary: the reference names %q, the target %q", line, syntaxLine(gotSummary))
			}
			return nil
		}
		if r != "" && wantSummary != gotSummary {
			rules := append(statusRules(st, want.status, wantSummary), r)
			if other := features.RuleOfRefusal(gotSummary); other != "" {
				rules = append(rules, other) // another refusal first: which comes first is the other's rule too
			}
			return diff(rules, "summary: the reference answers %q, the target %q", wantSummary, gotSummary)
		}
	}
	if _, ok := got.json["summary"].(string); !ok {
		return diff(statusRules(st, want.status, wantSummary), "the target's answer has no summary")
	}
	return nil
}

var syntaxPrefix = regexp.MustCompile(`^CSV syntax error on line \d+: `)

func syntaxLine(s string) string { return syntaxPrefix.FindString(s) }

// compareRows compares two answers to an import row by row. An answer
// without details where the other has them is judged by what that means:
// rows the target accepted that the reference fails are the failures'
// rules; rows the target fails that the reference accepts, theirs.
func compareRows(want, got *answer, f matching, strict bool, diff func([]string, string, ...any) *Difference) *Difference {
	wd, wok := want.json["details"].(map[string]any)
	gd, gok := got.json["details"].(map[string]any)
	switch {
	case wok && !gok:
		if n, w := firstFailure(wd); n > 0 && got.json["success"] == true {
			return diff(newOrNot(features.RulesOfFailure(w), f), "row %d: the reference fails it (%q), the target answers success without details", n, w).at(n)
		}
		return diff([]string{features.RES3}, "details: the reference answers them present, the target absent")
	case !wok && gok:
		if n, g := firstFailure(gd); n > 0 {
			rules := features.RulesOfFailure(g)
			if taken(rules) {
				rules = append(rules, features.ROW18)
			}
			return diff(rules, "row %d: the reference imports every row, the target fails it: %q", n, g).at(n)
		}
		return diff([]string{features.RES3}, "details: the reference answers them absent, the target present")
	}
	keys := make([]int, 0, len(wd))
	for k := range wd {
		n, _ := strconv.Atoi(k)
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for k := range gd {
		if _, ok := wd[k]; !ok {
			return diff([]string{features.CSV8, features.RES3}, "details: the target numbers a row %q, which the reference does not (its rows are 1 to %d)", k, len(wd))
		}
	}
	for _, n := range keys {
		k := strconv.Itoa(n)
		w, _ := wd[k].(string)
		g, ok := gd[k].(string)
		switch {
		case !ok:
			return diff([]string{features.RES3, features.CSV8}, "row %d: the target's details have no such row", n).at(n)
		case w == g:
			continue
		case isOutcome(w) && isOutcome(g):
			return diff([]string{features.ROW1, features.ROW2, features.ROW9}, "row %d: the reference answers %q, the target %q", n, w, g).at(n)
		case isOutcome(w):
			rules := features.RulesOfFailure(g)
			if taken(rules) {
				rules = append(rules, features.ROW18) // a value taken that the reference finds free: a failed row's, perhaps
			}
			return diff(rules, "row %d: the reference answers %q, the target fails it: %q", n, w, g).at(n)
		case isOutcome(g):
			return diff(newOrNot(features.RulesOfFailure(w), f), "row %d: the reference fails it (%q), the target answers %q", n, w, g).at(n)
		case failureShape.FindStringSubmatch(g) == nil:
			return diff([]string{features.RES3}, "row %d: the target's failure %q is not of the documented shape", n, g).at(n)
		case strict:
			rules := features.RulesDiffering(features.Reasons(w), g) // the rules whose reasons differ
			if len(rules) == 0 {
				rules = append(features.RulesOfFailure(w), features.RulesOfFailure(g)...)
			}
			if taken(features.RulesOfFailure(g)) && !taken(features.RulesOfFailure(w)) {
				rules = append(rules, features.ROW18)
			}
			if reasonsDisagree(w, g) {
				rules = append(rules, features.RES3)
			}
			return diff(rules, "row %d: the reference fails it with %q, the target with %q", n, w, g).at(n)
		}
	}
	if len(gd) != len(wd) {
		return diff([]string{features.RES3, features.CSV8}, "details: the reference has %d rows, the target %d", len(wd), len(gd))
	}
	return nil
}

// detailsInOrder reports whether the keys of an answer's details, as
// written, are in numeric order (R-RES-4); a map decoded loses the order, so
// the answer's bytes are read as tokens.
func detailsInOrder(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	depth, inDetails, last := 0, false, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return true // the end, or not JSON: judged elsewhere
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
				if inDetails && depth == 1 {
					return true
				}
			}
		case string:
			if depth == 1 && t == "details" && dec.More() {
				inDetails = true
				continue
			}
			if inDetails && depth == 2 {
				n, err := strconv.Atoi(t)
				if err != nil || n <= last {
					return false
				}
				last = n
				if _, err := dec.Token(); err != nil { // its value
					return true
				}
			}
		}
	}
}

// processed reads how many rows a summary says were processed; -1 when it
// does not say.
func processed(summary string) int {
	n, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(summary, " ", 2)[0]))
	if err != nil {
		return -1
	}
	return n
}

// firstFailure returns the first row of details that failed, and its text.
func firstFailure(details map[string]any) (int, string) {
	first, text := 0, ""
	for k, v := range details {
		n, err := strconv.Atoi(k)
		s, _ := v.(string)
		if err != nil || isOutcome(s) || first > 0 && n > first {
			continue
		}
		first, text = n, s
	}
	return first, text
}

// compareSummary compares two answers to an import by their summaries,
// once their rows agree.
func compareSummary(want, got *answer, f matching, diff func([]string, string, ...any) *Difference) *Difference {
	ws, _ := want.json["summary"].(string)
	gs, _ := got.json["summary"].(string)
	if ws == gs {
		return nil
	}
	rules := []string{features.RES2}
	if w, ok := target.Counts(ws); ok {
		if g, ok := target.Counts(gs); ok && w[0] == g[0] && w[3] == g[3] && w[1] != g[1] {
			// The same rows, created and updated otherwise: counted
			// otherwise, or matched to patrons otherwise.
			rules = append(rules, f.rules()...)
		}
	}
	return diff(rules, "summary: the reference answers %q, the target %q", ws, gs)
}

// newOrNot adds to the rules of a failure the reference gave and the target
// did not those by which rows are matched to patrons, when the failure is
// one of a new patron's (R-ROW-3): the target may have matched the row to
// a patron the reference did not.
func newOrNot(rules []string, f matching) []string {
	if slices.Contains(rules, features.ROW3) {
		return append(rules, f.rules()...)
	}
	return rules
}

// matching is a file and the steps of its episode before it: what the
// rows of the file are matched to patrons by.
type matching struct {
	file   *csvFile
	before []Step
}

// rules names the rules by which the rows of the file are matched to
// patrons: the username as the key (R-ROW-1), in any letter case when the
// file, or it and an earlier one, spell a username two ways (R-ROW-2), and
// a username the file names twice (R-ROW-9).
func (m matching) rules() []string {
	out := []string{features.ROW1}
	if m.file == nil {
		return out
	}
	spellings := map[string]string{} // a username's matching key → its first spelling
	twice, otherCase := false, false
	files := append(stepFiles(m.before), m.file)
	for i, f := range files {
		this := map[string]bool{}
		for _, v := range f.usernames() {
			key := matchKey(v)
			if first, ok := spellings[key]; !ok {
				spellings[key] = v
			} else if first != v {
				otherCase = true
			}
			if i == len(files)-1 { // the file itself
				twice = twice || this[key]
				this[key] = true
			}
		}
	}
	if otherCase {
		out = append(out, features.ROW2)
	}
	if twice {
		out = append(out, features.ROW9)
	}
	return out
}

// stepFiles returns the files of steps, those with one.
func stepFiles(steps []Step) []*csvFile {
	var out []*csvFile
	for _, st := range steps {
		if st.file != nil {
			out = append(out, st.file)
		}
	}
	return out
}

// usernames returns the username cells of f's rows as written, trimmed
// and unquoted; blank ones left out.
func (f *csvFile) usernames() []string {
	col := slices.IndexFunc(f.header, isUsername)
	if col < 0 {
		return nil
	}
	var out []string
	for _, row := range f.rows {
		if col < len(row) {
			if v := strings.TrimSpace(unquote(row[col])); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// reasonsDisagree reports the differences between two failures of one
// row that R-RES-3's decided part settles: a row without a username given
// reasons beyond its cells' (the reference gives the username's alone, or
// with cell reasons, and the target more), a field given another reason,
// or two (which comes first within a field), and the same fields' reasons
// out of column order.
func reasonsDisagree(want, got string) bool {
	w, g := fieldReasons(want), fieldReasons(got)
	if len(g) < len(fieldList(got)) {
		return true // a field named twice
	}
	if wl, gl := fieldList(want), fieldList(got); !slices.Equal(wl, gl) && slices.Equal(slices.Sorted(slices.Values(wl)), slices.Sorted(slices.Values(gl))) {
		return true // the same fields, out of column order
	}
	if _, nameless := w["username"]; nameless && strings.Contains(w["username"], ") is mandatory.") {
		for f := range g {
			if _, ok := w[f]; !ok {
				return true
			}
		}
	}
	for f, text := range w {
		if other, ok := g[f]; ok && other != text {
			return true
		}
	}
	return false
}

var fieldReason = regexp.MustCompile(`Field \(([A-Za-z]+)\)[^.]*\.`)

// fieldList lists the fields a failure's reasons name, in order, after
// "User failed to import:".
func fieldList(text string) []string {
	m := failureShape.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	var out []string
	for _, r := range fieldReason.FindAllStringSubmatch(m[2], -1) {
		out = append(out, r[1])
	}
	return out
}

// fieldReasons maps each field a failure names to its reason.
func fieldReasons(text string) map[string]string {
	out := map[string]string{}
	m := failureShape.FindStringSubmatch(text)
	if m == nil {
		return out
	}
	for _, r := range fieldReason.FindAllStringSubmatch(m[2], -1) {
		out[r[1]] = r[0]
	}
	return out
}

func isOutcome(s string) bool { return s == "User Created" || s == "User Updated" }

// taken reports a barcode or admin id already used.
func taken(rules []string) bool {
	return slices.Contains(rules, features.ROW10) || slices.Contains(rules, features.ROW11)
}

func presence(ok bool) string {
	if ok {
		return "present"
	}
	return "absent"
}

func describe(a *answer) string {
	if a == nil || a.x == nil {
		return "(no answer)"
	}
	return fmt.Sprintf("%d %s", a.status, strings.TrimSpace(string(a.x.Answer)))
}

// compareStored compares what the target and the reference stored for the
// patrons of an upload, through /_mock/patrons. A field that differs for a
// username a row of the file failed for (in the reference's answer,
// answered) is R-ROW-18's too; a patron stored by a body over the limit is
// R-HTTP-5's.
func (e *explorer) compareStored(ctx context.Context, ref target.Target, prefix string, st Step, answered *answer) *Difference {
	file := st.file.render(prefix)
	seen := map[string]bool{}
	failed := map[string]bool{} // usernames a row of the file failed for, in the reference's answer
	for i, name := range usernames(file) {
		if answered != nil && answered.rowFailed[i+1] {
			failed[strings.ToLower(name)] = true
		}
	}
	for _, name := range usernames(file) {
		key := strings.ToLower(name)
		if name == "" || seen[key] {
			continue
		}
		seen[key] = true
		want, werr := patron(ctx, ref, name)
		got, gerr := patron(ctx, e.cfg.Target, name)
		e.count(1)
		if werr != nil || gerr != nil {
			continue
		}
		if (want == nil) != (got == nil) {
			rule := features.ROW18 // a failed row stored
			if st.layout == "over-limit-after" {
				rule = features.HTTP5 // a body over the limit imports nothing
			}
			return &Difference{Rules: []string{rule}, What: fmt.Sprintf("patron %s: the reference stores it: %v, the target: %v", name, want != nil, got != nil),
				Reference: fmt.Sprint(want), Target: fmt.Sprint(got)}
		}
		for field, w := range want {
			if g := got[field]; fmt.Sprint(g) != fmt.Sprint(w) {
				rules := []string{features.ROW16}
				switch field {
				case "academiclevel":
					rules = append(rules, features.ROW8)
				case "presentationgrouplabel":
					rules = append(rules, features.ROW14)
				case "gender":
					rules = append(rules, features.ROW12)
				case "username":
					rules = append(rules, features.ROW2)
				case "enabled", "staffmember":
					rules = append(rules, features.ROW4)
				}
				if failed[key] {
					rules = append(rules, features.ROW18) // a row of the file failed, and changed the patron all the same
				}
				if st.layout == "over-limit-after" {
					rules = []string{features.HTTP5} // a body over the limit changes nothing
				}
				sort.Strings(rules)
				return &Difference{Rules: rules, Decided: decided(rules),
					What:      fmt.Sprintf("patron %s, %s: the reference stores %v, the target %v", name, field, w, g),
					Reference: fmt.Sprint(w), Target: fmt.Sprint(g)}
			}
		}
	}
	return nil
}

// patron reads one patron from a target's /_mock/ pages; nil when there is
// none.
func patron(ctx context.Context, t target.Target, name string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL("/_mock/patrons/"+url.PathEscape(name)), nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(t.Username, t.Password)
	resp, err := t.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, target.MaxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.URL.Path, err)
	}
	if len(body) > target.MaxAnswer {
		return nil, fmt.Errorf("read %s: the answer is longer than %d bytes", req.URL.Path, target.MaxAnswer)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("read %s: %w", req.URL.Path, err)
	}
	return v, nil
}
