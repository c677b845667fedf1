package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/target"
)

// register gives book every step phrase of the features, bound to s, in
// the order godog tries them.
func (s *scenario) register(book phrasebook) {
	// Files.
	book.Given(`^a CSV file:$`, s.aCSVFile)
	book.Given(`^a second CSV file:$`, s.aSecondCSVFile)
	book.Given(`^an empty CSV file$`, s.anEmptyCSVFile)
	book.Given(`^(\d+) new students in a CSV file$`, s.newStudents)
	book.Given(`^(\d+) new students in a CSV file, the last with the year "([^"]*)"$`, s.newStudentsLastYear)
	book.Given(`^the file has Windows line endings$`, s.theFileHasWindowsLineEndings)
	book.Given(`^the file has Windows line endings on every other line$`, s.theFileHasMixedLineEndings)
	book.Given(`^the file has no line break at the end$`, s.theFileHasNoLineBreakAtTheEnd)
	book.Given(`^the last line ends in a carriage return alone$`, s.theLastLineEndsInACarriageReturnAlone)
	book.Given(`^a CSV file of (\d+) updates?, (\d+) new students? and (\d+) rows? without a username$`, s.aCSVFileOfUpdatesNewAndFailing)
	book.Given(`^the file has old Macintosh line endings$`, s.theFileHasOldMacintoshLineEndings)
	book.Given(`^the file starts with a byte-order mark$`, s.theFileStartsWithAByteOrderMark)
	book.Given(`^the file is saved as Windows-1252$`, s.theFileIsSavedAsWindows1252)
	book.Given(`^the file gets one more row in UTF-8:$`, s.theFileGetsOneMoreRow)
	book.Given(`^these patrons exist:$`, s.thesePatronsExist)

	// Requests.
	book.When(`^I upload the file$`, s.iUploadTheFile)
	book.When(`^I upload the file (without credentials|with a malformed Authorization header|with a wrong password|as an unknown user|as the non-admin account|with the credentials in the URL|with a Bearer token|with Basic credentials without a colon|with the admin's username in another letter case|with the admin's password in another letter case|with the admin's username and an empty password)$`, s.iUploadTheFileHow)
	book.When(`^I upload the file as part "([^"]*)" named "([^"]*)"$`, s.iUploadTheFileAsPart)
	book.When(`^I upload the file after a text field$`, s.iUploadTheFileAfterATextField)
	book.When(`^I upload the file after a part with an empty file name$`, s.iUploadTheFileAfterAnEmptyFileName)
	book.When(`^I upload both files$`, s.iUploadBothFiles)
	book.When(`^I send the file as the whole body with content type "([^"]*)"$`, s.iSendTheFileAsTheWholeBody)
	book.When(`^I send a multipart request without a file part$`, s.iSendAMultipartRequestWithoutAFilePart)
	book.When(`^I send a (GET|PUT|DELETE|PATCH|HEAD|OPTIONS) request to the import path (with|without) credentials$`, s.iSendARequestToTheImportPath)
	book.When(`^I send a POST request to "([^"]*)"$`, s.iSendAPOSTRequestTo)
	book.When(`^I send a (GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) request to "([^"]*)" (with|without) credentials$`, s.iSendARequestTo)
	book.When(`^I send the file as the whole body without a content type$`, s.iSendTheFileWithoutAContentType)
	book.When(`^I upload a file larger than the body limit, starting with patron "([^"]*)"$`, s.iUploadAFileLargerThanTheBodyLimit)
	book.When(`^I upload a file larger than the body limit, starting with patron "([^"]*)", with a wrong password$`, s.iUploadAFileLargerThanTheBodyLimitWithAWrongPassword)
	book.When(`^I upload the file with a wrong password and a body that never ends$`, s.iUploadWithAWrongPasswordAndABodyThatNeverEnds)
	book.When(`^I send the file as "([^"]*)" writes it(|, with a wrong password|, as the non-admin account)$`, s.iSendTheFileAsWayWritesIt)
	book.When(`^I upload the file, reading up to (\d+) MiB of the answer$`, s.iUploadTheFileReadingUpTo)
	book.When(`^I upload an empty file after a text part larger than the body limit$`, s.iUploadAnEmptyFileAfterATextPartOverTheLimit)
	book.When(`^I upload the file in a body of exactly the body limit$`, s.iUploadTheFileInABodyOfExactlyTheLimit)

	// Answers.
	book.Then(`^the status is (\d+)$`, s.theStatusIs)
	book.Then(`^the answer is:$`, s.theAnswerIs)
	book.Then(`^the answer is JSON$`, s.theAnswerIsJSON)
	book.Then(`^the answer has no body$`, s.theAnswerHasNoBody)
	book.Then(`^success is (true|false)$`, s.successIs)
	book.Then(`^the summary is "([^"]*)"$`, s.theSummaryIs)
	book.Then(`^the summary starts with "([^"]*)"$`, s.theSummaryStartsWith)
	book.Then(`^the import succeeds$`, s.theImportSucceeds)
	book.Then(`^there are no details$`, s.thereAreNoDetails)
	book.Then(`^row (\d+) is "(User Created|User Updated)"$`, s.rowIs)
	book.Then(`^row (\d+) fails$`, s.rowFails)
	book.Then(`^rows 1 to (\d+) are "(User Created|User Updated)"$`, s.rowsAre)
	book.Then(`^rows 1 to (\d+) are "(User Created|User Updated)" but row (\d+)$`, s.rowsButAre)
	book.Then(`^row (\d+) fails with "([^"]*)"$`, s.rowFailsWith)
	book.Then(`^row (\d+) fails with exactly "([^"]*)"$`, s.rowFailsWithExactly)
	book.Then(`^row (\d+) fails with these reasons:$`, s.rowFailsWithTheseReasons)
	book.Then(`^the details are:$`, s.theDetailsAre)
	book.Then(`^the details keys are in numeric order$`, s.theDetailsKeysAreInNumericOrder)
	book.Then(`^the header "([^"]*)" is "((?:[^"\\]|\\.)*)"$`, s.theHeaderIs)
	book.Then(`^patron "([^"]*)" (exists|does not exist)$`, s.patronExists)
	book.Then(`^the answer came before the upload finished$`, s.theAnswerCameBeforeTheUploadFinished)
	book.Then(`^no answer so far shows the password$`, s.noAnswerShowsThePassword)
	book.Then(`^the reference shows patron "([^"]*)" with:$`, s.theReferenceShowsPatron)
	book.Then(`^the reference shows patron "([^"]*)" with the ([a-z]+) of patron "([^"]*)"$`, s.theReferenceShowsTheSameField)
}

// skipf skips the rest of the scenario, saying why.
func (s *scenario) skipf(format string, args ...any) error {
	s.skip = fmt.Sprintf(format, args...)
	return godog.ErrSkip
}

// --- Files ---

// csvFrom expands a file of the feature text. A file that cannot tell a
// conforming target from another with this profile skips the scenario.
func (s *scenario) csvFrom(doc *godog.DocString) ([]byte, error) {
	text := s.expand(doc.Content)
	if s.noProof != "" {
		return nil, s.skipf("%s", s.noProof)
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return []byte(text), nil
}

func (s *scenario) aCSVFile(doc *godog.DocString) (err error) {
	s.file, err = s.csvFrom(doc)
	s.fileName = "users.csv"
	return err
}

func (s *scenario) aSecondCSVFile(doc *godog.DocString) (err error) {
	s.second, err = s.csvFrom(doc)
	return err
}

func (s *scenario) anEmptyCSVFile() error {
	s.file, s.fileName = []byte{}, "users.csv"
	return nil
}

func (s *scenario) students(n int, lastYear string) error {
	var b strings.Builder
	b.WriteString("username,enabled,staffmember,graduationyear\n")
	for i := 1; i <= n; i++ {
		year := s.expand("{year}")
		if i == n && lastYear != "" {
			year = lastYear
		}
		fmt.Fprintf(&b, "%s,Y,N,%s\n", s.username("student"+strconv.Itoa(i)), year)
	}
	s.file, s.fileName = []byte(b.String()), "users.csv"
	return nil
}

func (s *scenario) newStudents(n int) error { return s.students(n, "") }

func (s *scenario) newStudentsLastYear(n int, year string) error { return s.students(n, year) }

func (s *scenario) theFileHasWindowsLineEndings() error {
	s.file = bytes.ReplaceAll(bytes.ReplaceAll(s.file, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	return nil
}

// theFileHasOldMacintoshLineEndings ends every line with a carriage return
// alone, as Excel's "CSV (Macintosh)" does.
func (s *scenario) theFileHasOldMacintoshLineEndings() error {
	s.file = bytes.ReplaceAll(bytes.ReplaceAll(s.file, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r"))
	return nil
}

// theFileHasMixedLineEndings ends every other line with CRLF, the others
// with LF, as a file put together from two tools' exports does.
func (s *scenario) theFileHasMixedLineEndings() error {
	lines := bytes.SplitAfter(bytes.ReplaceAll(s.file, []byte("\r\n"), []byte("\n")), []byte("\n"))
	var out []byte
	for i, l := range lines {
		if i%2 == 1 && bytes.HasSuffix(l, []byte("\n")) {
			l = append(l[:len(l)-1:len(l)-1], '\r', '\n')
		}
		out = append(out, l...)
	}
	s.file = out
	return nil
}

// theFileHasNoLineBreakAtTheEnd drops the line break after the last line,
// whichever line endings the file has.
func (s *scenario) theFileHasNoLineBreakAtTheEnd() error {
	s.file = bytes.TrimSuffix(s.file, []byte("\n"))
	s.file = bytes.TrimSuffix(s.file, []byte("\r"))
	return nil
}

// theLastLineEndsInACarriageReturnAlone ends the file with a carriage
// return in place of its last line break, which ends the last line
// (R-CSV-6).
func (s *scenario) theLastLineEndsInACarriageReturnAlone() error {
	if err := s.theFileHasNoLineBreakAtTheEnd(); err != nil {
		return err
	}
	s.file = append(s.file, '\r')
	return nil
}

// aCSVFileOfUpdatesNewAndFailing sets up the patrons to update, then makes
// a file of their updates, the new students and the failing rows, in that
// order, for summaries past the small counts.
func (s *scenario) aCSVFileOfUpdatesNewAndFailing(ctx context.Context, updates, created, failing int) error {
	year := s.expand("{year}")
	if updates > 0 {
		var setup strings.Builder
		setup.WriteString("username,enabled,staffmember,graduationyear\n")
		for i := 1; i <= updates; i++ {
			fmt.Fprintf(&setup, "%s,Y,N,%s\n", s.username("kept"+strconv.Itoa(i)), year)
		}
		if err := s.thesePatronsExist(ctx, &godog.DocString{Content: setup.String()}); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.WriteString("username,enabled,staffmember,graduationyear\n")
	for i := 1; i <= updates; i++ {
		fmt.Fprintf(&b, "%s,,,\n", s.username("kept"+strconv.Itoa(i)))
	}
	for i := 1; i <= created; i++ {
		fmt.Fprintf(&b, "%s,Y,N,%s\n", s.username("new"+strconv.Itoa(i)), year)
	}
	for range failing {
		fmt.Fprintf(&b, ",Y,N,%s\n", year)
	}
	s.file, s.fileName = []byte(b.String()), "users.csv"
	return nil
}

func (s *scenario) theFileStartsWithAByteOrderMark() error {
	s.file = append([]byte("\ufeff"), s.file...)
	return nil
}

// theFileIsSavedAsWindows1252 re-encodes the file as Excel does on Windows:
// one byte a character, which is not valid UTF-8 beyond ASCII.
func (s *scenario) theFileIsSavedAsWindows1252() error {
	var out []byte
	for _, r := range string(s.file) {
		if r < 0x100 {
			out = append(out, byte(r))
		} else {
			out = append(out, '?')
		}
	}
	s.file = out
	return nil
}

func (s *scenario) theFileGetsOneMoreRow(doc *godog.DocString) error {
	more, err := s.csvFrom(doc)
	s.file = append(s.file, more...)
	return err
}

func (s *scenario) thesePatronsExist(ctx context.Context, doc *godog.DocString) error {
	file, err := s.csvFrom(doc)
	if err != nil {
		return err
	}
	if err := s.upload(ctx, target.AsAdmin, filePart("file", "setup.csv", file)); err != nil {
		return err
	}
	if s.last.Status != http.StatusOK || s.answer["success"] != true {
		err := fmt.Errorf("setting up the patrons failed: status %d, answer %s", s.last.Status, s.last.Answer)
		if details, ok := s.answer["details"].(map[string]any); ok {
			return onReasons(nil, fmt.Sprint(details), err) // every reason given is one not wanted
		}
		return err
	}
	return nil
}

// --- Requests ---

func (s *scenario) iUploadTheFile(ctx context.Context) error {
	return s.upload(ctx, target.AsAdmin, filePart("file", s.fileName, s.file))
}

func (s *scenario) iUploadTheFileHow(ctx context.Context, how string) error {
	c := map[string]target.Credentials{
		"without credentials":                              target.NoCredentials,
		"with a malformed Authorization header":            target.MalformedHeader,
		"with a wrong password":                            target.WrongPassword,
		"as an unknown user":                               target.UnknownUser,
		"as the non-admin account":                         target.AsNonAdmin,
		"with the credentials in the URL":                  target.AdminInURL,
		"with a Bearer token":                              target.BearerToken,
		"with Basic credentials without a colon":           target.NoColon,
		"with the admin's username in another letter case": target.UserOtherCase,
		"with the admin's password in another letter case": target.PasswordOtherCase,
		"with the admin's username and an empty password":  target.EmptyPassword,
	}[how]
	if c == target.UserOtherCase && target.SwapCase(s.target.Username) == s.target.Username ||
		c == target.PasswordOtherCase && target.SwapCase(s.target.Password) == s.target.Password {
		return s.skipf("the admin's username or password has no letters, so another letter case proves nothing")
	}
	if c == target.AsNonAdmin && s.target.NonAdminUsername == "" {
		return s.skipf("no non-admin account in the profile (give --nonadmin-username and --nonadmin-password)")
	}
	return s.upload(ctx, c, filePart("file", s.fileName, s.file))
}

func (s *scenario) iUploadTheFileAsPart(ctx context.Context, field, name string) error {
	return s.upload(ctx, target.AsAdmin, filePart(field, name, s.file))
}

func (s *scenario) iUploadTheFileAfterATextField(ctx context.Context) error {
	return s.upload(ctx, target.AsAdmin, textPart("note", []byte("nightly export")), filePart("file", s.fileName, s.file))
}

// iUploadTheFileAfterAnEmptyFileName sends first a file part whose file
// name is empty, as a browser does for a file input left empty, then the
// file.
func (s *scenario) iUploadTheFileAfterAnEmptyFileName(ctx context.Context) error {
	return s.upload(ctx, target.AsAdmin, target.Part{Field: "nothing", EmptyFileName: true}, filePart("file", s.fileName, s.file))
}

func (s *scenario) iUploadBothFiles(ctx context.Context) error {
	return s.upload(ctx, target.AsAdmin, filePart("file", "first.csv", s.file), filePart("file2", "second.csv", s.second))
}

func (s *scenario) iSendTheFileAsTheWholeBody(ctx context.Context, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target.URL(api.ImportPath), bytes.NewReader(s.file))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	if err := s.readOnly(target.AsAdmin, s.file); err != nil {
		return err
	}
	s.authorize(req, target.AsAdmin)
	if err := s.send(req, string(s.file), target.AsAdmin, &target.CurlBody{Raw: s.file}); err != nil {
		return err
	}
	s.run.created.Note(s.target.Prefix, s.file, s.last.Status, s.answer)
	return nil
}

func (s *scenario) iSendAMultipartRequestWithoutAFilePart(ctx context.Context) error {
	return s.upload(ctx, target.AsAdmin, textPart("file", []byte("username,enabled,staffmember\n")))
}

func (s *scenario) iSendARequestToTheImportPath(ctx context.Context, method, with string) error {
	req, err := http.NewRequestWithContext(ctx, method, s.target.URL(api.ImportPath), nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	how := target.NoCredentials
	if with == "with" {
		how = target.AsAdmin
	}
	s.authorize(req, how)
	return s.send(req, "", how, nil)
}

func (s *scenario) iSendAPOSTRequestTo(ctx context.Context, path string) error {
	parts := []target.Part{filePart("file", "users.csv", []byte("username\n"))}
	body, ct, err := target.MultipartBody(parts...)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target.URL(path), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", ct)
	s.authorize(req, target.AsAdmin)
	return s.send(req, "", target.AsAdmin, &target.CurlBody{Parts: parts})
}

func (s *scenario) iSendARequestTo(ctx context.Context, method, path, with string) error {
	var body io.Reader
	var parts []target.Part
	ct := ""
	if method == http.MethodPost {
		parts = []target.Part{filePart("file", "users.csv", []byte("username\n"))}
		b, t, err := target.MultipartBody(parts...)
		if err != nil {
			return err
		}
		body, ct = bytes.NewReader(b), t
	}
	req, err := http.NewRequestWithContext(ctx, method, s.target.URL(path), body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	how := target.NoCredentials
	if with == "with" {
		how = target.AsAdmin
	}
	s.authorize(req, how)
	var cb *target.CurlBody
	if parts != nil {
		cb = &target.CurlBody{Parts: parts}
	}
	return s.send(req, "", how, cb)
}

func (s *scenario) iSendTheFileWithoutAContentType(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target.URL(api.ImportPath), bytes.NewReader(s.file))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	if err := s.readOnly(target.AsAdmin, s.file); err != nil {
		return err
	}
	s.authorize(req, target.AsAdmin)
	if err := s.send(req, string(s.file), target.AsAdmin, &target.CurlBody{Raw: s.file}); err != nil {
		return err
	}
	s.run.created.Note(s.target.Prefix, s.file, s.last.Status, s.answer)
	return nil
}

func (s *scenario) iUploadAFileLargerThanTheBodyLimit(ctx context.Context, user string) error {
	return s.uploadOverTheLimit(ctx, user, target.AsAdmin)
}

// iUploadAFileLargerThanTheBodyLimitWithAWrongPassword: the credentials
// are judged before the body's size (R-AUTH-4), as before the upload.
func (s *scenario) iUploadAFileLargerThanTheBodyLimitWithAWrongPassword(ctx context.Context, user string) error {
	return s.uploadOverTheLimit(ctx, user, target.WrongPassword)
}

func (s *scenario) uploadOverTheLimit(ctx context.Context, user string, how target.Credentials) error {
	limit := s.target.BodyLimit
	if limit <= 0 {
		return s.skipf("the target's body limit is not known (give --body-limit)")
	}
	// One patron that a target which imports the file anyway creates, and
	// filler rows that no target can create (they have no username), so
	// that a --body-limit below the target's real one makes no patrons.
	var b bytes.Buffer
	fmt.Fprintf(&b, "username,enabled,staffmember,graduationyear,preferredname\n%s,Y,N,%s,Big\n", s.expand(user), s.expand("{year}"))
	filler := ",Y,N," + s.expand("{year}") + "," + strings.Repeat("x", 200) + "\n"
	for int64(b.Len()) <= limit {
		b.WriteString(filler)
	}
	err := s.upload(ctx, how, filePart("file", "big.csv", b.Bytes()))
	if s.last != nil {
		s.last.Sent = fmt.Sprintf("[a CSV of %d bytes]", b.Len())
	}
	s.statusHint = fmt.Sprintf("the body was %d bytes, over the --body-limit of %d: if the target's limit is higher, give it with --body-limit", b.Len(), limit)
	return err
}

func (s *scenario) iUploadWithAWrongPasswordAndABodyThatNeverEnds(ctx context.Context) error {
	body, ct, err := target.MultipartBody(filePart("file", s.fileName, s.file))
	if err != nil {
		return err
	}
	held := &heldBody{first: body[:len(body)/2], release: make(chan struct{}), timeout: 3 * time.Second}
	defer close(held.release)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target.URL(api.ImportPath), held)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", ct)
	// The body waits for the server's go-ahead, as curl's does for large files.
	req.Header.Set("Expect", "100-continue")
	s.authorize(req, target.WrongPassword)
	if err := s.send(req, "[half a multipart upload; the rest held back]", target.WrongPassword,
		&target.CurlBody{Parts: []target.Part{filePart("file", s.fileName, s.file)}, Note: "curl cannot hold half of the upload back: this sends it whole"}); err != nil {
		return err
	}
	s.earlyAnswer = !held.timedOut.Load()
	return nil
}

// --- Answers ---

func (s *scenario) needAnswer() error {
	if s.last == nil {
		return fmt.Errorf("no request was sent")
	}
	if s.last.Err != "" {
		return fmt.Errorf("no answer: %s", s.last.Err)
	}
	return nil
}

func (s *scenario) needJSON() error {
	if err := s.needAnswer(); err != nil {
		return err
	}
	if s.last.NotUTF8 { // JSON is UTF-8, and the Content-Type says so (R-HTTP-6)
		return onField(features.HTTP6, nil, fmt.Errorf("the answer is not UTF-8, as its charset says it is: %q", s.last.Answer))
	}
	if s.answer == nil {
		ct := s.last.AnswerHeader.Get("Content-Type")
		err := fmt.Errorf("the answer is not a JSON object: status %d, Content-Type %q, body %q", s.last.Status, ct, s.last.Answer)
		if s.last.NotJSON {
			// Not JSON text at all (a byte-order mark before it, HTML, a
			// stack trace): the answer is not JSON, whatever its
			// Content-Type says (R-HTTP-6).
			return onField(features.HTTP6, jsonRules, err)
		}
		return notJSON(ct, err)
	}
	return nil
}

func (s *scenario) theStatusIs(want int) error {
	if err := s.needAnswer(); err != nil {
		return err
	}
	if s.last.Status != want {
		err := fmt.Errorf("status: got %d want %d", s.last.Status, want)
		if s.statusHint != "" {
			err = fmt.Errorf("status: got %d want %d; %s", s.last.Status, want, s.statusHint)
		}
		if want == http.StatusUnauthorized && s.last.Status == http.StatusForbidden {
			return onField(features.AUTH4, nil, err) // refused, but not as R-AUTH-4 says a refusal is
		}
		if want == http.StatusOK {
			return s.notProcessedAs200(err)
		}
		return err
	}
	return nil
}

// theAnswerIs compares the answer with the expected JSON by meaning: the same
// keys and values, in any layout.
func (s *scenario) theAnswerIs(doc *godog.DocString) error {
	if err := s.needJSON(); err != nil {
		return err
	}
	var want, got any
	if err := json.Unmarshal([]byte(s.expand(doc.Content)), &want); err != nil {
		return fmt.Errorf("the feature's expected JSON does not parse: %w", err)
	}
	if err := json.Unmarshal(s.last.Raw(), &got); err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	if !jsonEqual(want, got) {
		w, _ := json.Marshal(want)
		return fmt.Errorf("answer: got %s want %s", s.last.Raw(), w)
	}
	return nil
}

func (s *scenario) theAnswerIsJSON() error {
	if err := s.needJSON(); err != nil {
		return err
	}
	return nil
}

func (s *scenario) theAnswerHasNoBody() error {
	if err := s.needAnswer(); err != nil {
		return err
	}
	if len(s.last.Raw()) > 0 {
		return fmt.Errorf("body: got %q want none", s.last.Answer)
	}
	return nil
}

func (s *scenario) successIs(want string) error {
	if err := s.needJSON(); err != nil {
		return err
	}
	got, ok := s.answer["success"].(bool)
	if !ok { // success is a JSON boolean (R-RES-1), whatever the scenario's rule
		return onField(features.RES1, nil, fmt.Errorf("success: got %#v want the boolean %s", s.answer["success"], want))
	}
	if strconv.FormatBool(got) != want {
		err := fmt.Errorf("success: got %v want %s", got, want)
		if why := s.selfContradiction(); why != "" {
			return onField(features.RES1, nil, fmt.Errorf("%w: %s", err, why))
		}
		return err
	}
	return nil
}

func (s *scenario) summary() (string, error) {
	if err := s.needJSON(); err != nil {
		return "", err
	}
	v, ok := s.answer["summary"].(string)
	if !ok {
		return "", fmt.Errorf("summary: got %v want a string", s.answer["summary"])
	}
	return v, nil
}

func (s *scenario) theSummaryIs(want string) error {
	got, err := s.summary()
	if err != nil {
		return err
	}
	if want = s.expand(want); got != want {
		err := fmt.Errorf("summary: got %q want %q", got, want)
		if why := countsDoNotAddUp(got); why != "" {
			return onField(features.RES2, nil, fmt.Errorf("%w: %s", err, why))
		}
		if why := s.countsAgainstDetails(got); why != "" {
			return onField(features.RES2, nil, fmt.Errorf("%w: %s", err, why))
		}
		return err
	}
	return nil
}

// countsDoNotAddUp says how a summary's counts do not add up (R-RES-2: the
// rows processed are those created, updated and failed), if they parse and
// do not.
func countsDoNotAddUp(summary string) string {
	c, ok := target.Counts(summary)
	if !ok || c[0] == c[1]+c[2]+c[3] {
		return ""
	}
	return fmt.Sprintf("its counts do not add up: %d processed, but %d created, %d updated and %d failed", c[0], c[1], c[2], c[3])
}

// countsAgainstDetails says how the summary's counts disagree with the
// rows of details, if the answer has both and they do.
func (s *scenario) countsAgainstDetails(summary string) string {
	c, ok := target.Counts(summary)
	rows, has := s.rowCounts()
	if !ok || !has || rows == c {
		return ""
	}
	return fmt.Sprintf("details show %d rows, %d created, %d updated and %d failed", rows[0], rows[1], rows[2], rows[3])
}

func (s *scenario) theSummaryStartsWith(want string) error {
	got, err := s.summary()
	if err != nil {
		return err
	}
	if !strings.HasPrefix(got, want) {
		return fmt.Errorf("summary: got %q want it to start with %q", got, want)
	}
	return nil
}

func (s *scenario) theImportSucceeds() error {
	if err := s.theStatusIs(http.StatusOK); err != nil {
		return fmt.Errorf("%w; answer %s", err, s.last.Answer)
	}
	if err := s.successIs("true"); err != nil {
		return fmt.Errorf("%w; answer %s", err, s.last.Answer)
	}
	return s.thereAreNoDetails()
}

func (s *scenario) thereAreNoDetails() error {
	if err := s.needJSON(); err != nil {
		return err
	}
	if d, ok := s.answer["details"]; ok {
		err := fmt.Errorf("details: got %v want no details key at all", d)
		if rows, _ := s.rowCounts(); rows[3] == 0 {
			return onField(features.RES3, nil, fmt.Errorf("%w: no row failed", err))
		}
		return err
	}
	return nil
}

// outcome returns row n's outcome from details.
func (s *scenario) outcome(n int) (string, error) {
	if err := s.needJSON(); err != nil {
		return "", err
	}
	raw, ok := s.answer["details"]
	if !ok {
		if s.answer["success"] == true {
			return "", fmt.Errorf("row %d: got a successful import with no details, want row %d's outcome (answer %s)", n, n, s.last.Answer)
		}
		err := fmt.Errorf("details: missing; want row %d's outcome (answer %s)", n, s.last.Answer)
		if s.answer["success"] == false && s.last.Status == http.StatusOK {
			return "", onField(features.RES3, nil, err) // a row failed, and details does not say which
		}
		return "", err
	}
	details, ok := raw.(map[string]any)
	if !ok {
		return "", fmt.Errorf("details: got %v want an object of row number → outcome", raw)
	}
	v, ok := details[strconv.Itoa(n)]
	if !ok {
		return "", fmt.Errorf("details: no row %q (answer %s)", strconv.Itoa(n), s.last.Answer)
	}
	text, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("details row %d: got %v want a string", n, v)
	}
	return text, nil
}

func (s *scenario) rowIs(n int, want string) error {
	if err := s.needJSON(); err != nil {
		return err
	}
	if _, has := s.answer["details"]; !has {
		return s.countedAs(n, want)
	}
	got, err := s.outcome(n)
	if err != nil {
		return err
	}
	if got != want {
		return onReasons(nil, got, fmt.Errorf("row %d: got %q want %q", n, got, want))
	}
	return nil
}

// countedAs judges row n of an answer without details, which is right only
// for an import where no row failed (R-RES-3): then the summary must count
// at least n rows, none failed, and at least one as want.
func (s *scenario) countedAs(n int, want string) error {
	summary, err := s.summary()
	if err != nil {
		return err
	}
	c, ok := target.Counts(summary)
	unsummed := countsDoNotAddUp(summary)
	switch {
	case !ok:
		return fmt.Errorf("row %d: the answer has no details and its summary %q is not the documented count, so nothing shows row %d %q", n, summary, n, want)
	case unsummed != "":
		return onField(features.RES2, nil, fmt.Errorf("row %d: %s, so nothing shows row %d %q", n, unsummed, n, want))
	case s.answer["success"] != true || c[3] > 0:
		return onField(features.RES3, nil, fmt.Errorf("row %d: got no details in an import that failed, want row %d's outcome (answer %s)", n, n, s.last.Answer))
	case c[0] < n:
		return fmt.Errorf("row %d: the summary %q counts fewer rows, want row %d %q", n, summary, n, want)
	case want == "User Created" && c[1] == 0, want == "User Updated" && c[2] == 0:
		return fmt.Errorf("row %d: got an answer without details whose summary %q counts no row as %q", n, summary, want)
	}
	return nil
}

func (s *scenario) rowFails(n int) error {
	got, err := s.outcome(n)
	if err != nil {
		return err
	}
	if got == "User Created" || got == "User Updated" {
		return fmt.Errorf("row %d: got %q want a failure", n, got)
	}
	return nil
}

// failureShape is the documented shape of a failed row: its first reason,
// "User failed to import:", then every reason, with one trailing space.
var failureShape = regexp.MustCompile(`^(.+?\.) User failed to import: (.+\.) $`)

func documentedText(reasons []string) string {
	return reasons[0] + " User failed to import: " + strings.Join(reasons, " ") + " "
}

// rowFailsWith checks that row n failed with the documented shape and, when
// strict, the exact reasons. Not strict, different wording is noted as a
// difference from the reference, not a failure.
func (s *scenario) rowFailsWith(n int, reason string) error {
	return s.rowFailsWithReasons(n, []string{s.expand(reason)})
}

func (s *scenario) rowFailsWithTheseReasons(n int, table *godog.Table) error {
	var reasons []string
	for _, r := range table.Rows {
		reasons = append(reasons, s.expand(r.Cells[0].Value))
	}
	return s.rowFailsWithReasons(n, reasons)
}

func (s *scenario) rowFailsWithReasons(n int, reasons []string) error {
	got, err := s.outcome(n)
	if err != nil {
		return err
	}
	want := documentedText(reasons)
	if got == want {
		return nil
	}
	if got == "User Created" || got == "User Updated" {
		return onReasons(reasons, "", fmt.Errorf("row %d: got %q want the failure %q", n, got, want))
	}
	m := failureShape.FindStringSubmatch(got)
	if m == nil || !strings.HasPrefix(m[2], m[1]) {
		return onField(features.RES3, nil, fmt.Errorf("row %d: got %q, not the documented shape \"<reason>. User failed to import: <reasons>. \"; want %q", n, got, want))
	}
	if s.strict {
		return onReasons(reasons, got, fmt.Errorf("row %d: got %q want %q", n, got, want))
	}
	s.differs = append(s.differs, fmt.Sprintf("row %d is worded %q; the reference says %q", n, got, want))
	return nil
}

func (s *scenario) rowFailsWithExactly(n int, want string) error {
	got, err := s.outcome(n)
	if err != nil {
		return err
	}
	if want = s.expand(want); got != want {
		return fmt.Errorf("row %d: got %q want %q", n, got, want)
	}
	return nil
}

func (s *scenario) theDetailsAre(table *godog.Table) error {
	if err := s.needJSON(); err != nil {
		return err
	}
	details, ok := s.answer["details"].(map[string]any)
	if !ok {
		return fmt.Errorf("details: got %v want an object (answer %s)", s.answer["details"], s.last.Answer)
	}
	if len(details) != len(table.Rows)-1 {
		return fmt.Errorf("details: got %d rows want %d (answer %s)", len(details), len(table.Rows)-1, s.last.Answer)
	}
	for _, r := range table.Rows[1:] {
		n, err := strconv.Atoi(r.Cells[0].Value)
		if err != nil {
			return fmt.Errorf("the feature's row number %q: %w", r.Cells[0].Value, err)
		}
		switch want := r.Cells[1].Value; want {
		case "fails":
			err = s.rowFails(n)
		default:
			err = s.rowIs(n, want)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// theDetailsKeysAreInNumericOrder reads the raw answer, since a decoded map
// has no order.
func (s *scenario) theDetailsKeysAreInNumericOrder() error {
	if err := s.needJSON(); err != nil {
		return err
	}
	var v struct {
		Details json.RawMessage `json:"details"`
	}
	if err := json.Unmarshal(s.last.Raw(), &v); err != nil || v.Details == nil {
		return fmt.Errorf("details: missing (answer %s)", s.last.Answer)
	}
	dec := json.NewDecoder(bytes.NewReader(v.Details))
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("details: %w", err)
	}
	prev := 0
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("details: %w", err)
		}
		key, _ := tok.(string)
		keys = append(keys, key)
		n, err := strconv.Atoi(key)
		if err != nil || n <= prev {
			return fmt.Errorf("details keys: got %v, want numbers in ascending order", keys)
		}
		prev = n
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("details: %w", err)
		}
	}
	return nil
}

func (s *scenario) theHeaderIs(name, want string) error {
	if err := s.needAnswer(); err != nil {
		return err
	}
	want = strings.ReplaceAll(want, `\"`, `"`)
	if got := s.last.AnswerHeader.Get(name); got != want {
		err := fmt.Errorf("header %s: got %q want %q", name, got, want)
		if strings.EqualFold(name, "Content-Type") {
			if !saysJSON(got) {
				return notJSON(got, err)
			}
			return onField(features.HTTP6, nil, err) // JSON, but not said as R-HTTP-6 says
		}
		return err
	}
	return nil
}

// patronExists asks the target, through the import API itself: a file of
// just a username updates an existing patron and changes nothing, and fails
// for an unknown one (a new patron needs enabled and staffmember).
func (s *scenario) patronExists(ctx context.Context, name, which string) error {
	name = s.expand(name)
	saved, savedAnswer := s.last, s.answer
	defer func() { s.last, s.answer = saved, savedAnswer }()
	if err := s.upload(ctx, target.AsAdmin, filePart("file", "probe.csv", []byte("username\n"+name+"\n"))); err != nil {
		return err
	}
	var got struct {
		Success bool              `json:"success"`
		Summary string            `json:"summary"`
		Details map[string]string `json:"details"`
	}
	if s.last.Status != http.StatusOK || json.Unmarshal(s.last.Raw(), &got) != nil {
		return s.notProcessedAs200(fmt.Errorf("asking whether %s exists: status %d, answer %s", name, s.last.Status, s.last.Answer))
	}
	if c, _ := target.Counts(got.Summary); c[1] > 0 || got.Details["1"] == "User Created" {
		// The probe itself broke the rule it leans on.
		return onField(features.ROW3, nil, fmt.Errorf("asking whether %s exists: a row of only its username created it, though a new patron needs enabled and staffmember (probe answer %s)", name, s.last.Answer))
	}
	exists := got.Success && got.Details == nil
	if got.Details != nil && got.Details["1"] == "User Updated" {
		exists = true
	}
	if want := which == "exists"; exists != want {
		return fmt.Errorf("patron %s: exists is %v, want %v (probe answer %s)", name, exists, want, s.last.Answer)
	}
	return nil
}

func (s *scenario) theAnswerCameBeforeTheUploadFinished() error {
	if !s.earlyAnswer {
		return fmt.Errorf("the answer came only after the upload was given up on: the server read the body before checking the credentials")
	}
	return nil
}

func (s *scenario) noAnswerShowsThePassword() error {
	for _, x := range s.exchanges {
		if bytes.Contains(x.Raw(), []byte(s.password)) {
			return fmt.Errorf("an answer shows the password: %s %s answered %s", x.Method, x.URL, x.Answer)
		}
	}
	return nil
}

// theReferenceShowsPatron reads the reference server's /_mock/ page: only
// targets that have one run it. An academic level or a presentation group
// is compared in any letter case: the profile may name it in another case
// than the target declares it (see theReferenceShowsTheSameField).
func (s *scenario) theReferenceShowsPatron(ctx context.Context, name string, table *godog.Table) error {
	name = s.expand(name)
	patron, err := s.inspectPatron(ctx, name)
	if err != nil {
		return err
	}
	for _, r := range table.Rows[1:] {
		field, want := r.Cells[0].Value, s.expand(r.Cells[1].Value)
		got := patron[field]
		if got != want && !(declaredField(field) && strings.EqualFold(got, want)) {
			return fmt.Errorf("patron %s, %s: got %q want %q", name, field, got, want)
		}
	}
	return nil
}

// theReferenceShowsTheSameField compares a field of two patrons exactly:
// a value sent in another letter case is stored as the target declares it,
// which the profile does not always spell the same way.
func (s *scenario) theReferenceShowsTheSameField(ctx context.Context, name, field, other string) error {
	name, other = s.expand(name), s.expand(other)
	a, err := s.inspectPatron(ctx, name)
	if err != nil {
		return err
	}
	b, err := s.inspectPatron(ctx, other)
	if err != nil {
		return err
	}
	if a[field] != b[field] {
		return fmt.Errorf("patron %s, %s: got %q want %q, as patron %s has it", name, field, a[field], b[field], other)
	}
	return nil
}

func declaredField(field string) bool {
	return field == "academiclevel" || field == "presentationgrouplabel"
}

// inspectPatron reads patron name from the reference server's /_mock/
// pages, each field as text.
func (s *scenario) inspectPatron(ctx context.Context, name string) (map[string]string, error) {
	if !s.run.inspect {
		return nil, s.skipf("unsupported: the target has no /_mock/ pages to inspect patrons")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.target.URL("/_mock/patrons/"+url.PathEscape(name)), nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	s.authorize(req, target.AsAdmin)
	if err := s.send(req, "", target.AsAdmin, nil); err != nil {
		return nil, err
	}
	if err := s.needJSON(); err != nil {
		return nil, err
	}
	if _, ok := s.answer["password"]; ok {
		return nil, fmt.Errorf("the patron page has a password field: %s", s.last.Answer)
	}
	out := map[string]string{}
	for field, v := range s.answer {
		out[field] = fmt.Sprint(v)
		if f, ok := v.(float64); ok {
			out[field] = strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	return out, nil
}

// jsonEqual compares decoded JSON values by meaning.
func jsonEqual(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return bytes.Equal(ab, bb)
}
