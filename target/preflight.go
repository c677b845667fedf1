package target

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/csv"
	"errors"
	"fmt"
	"net"
	"net/http"
	neturl "net/url"
	"strings"
	"unicode/utf8"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/internal/probe"
)

// PreflightError stops a run before any scenario: the target cannot be
// reached, or the run's own settings are wrong. It is never a verdict on
// the target's conformance.
type PreflightError struct {
	// Check names what failed: "connection", "import path", "account" or
	// "profile".
	Check string
	// Code is the exit code: ExitUnreachable for a connection that fails,
	// ExitUsage for settings to fix.
	Code int
	// Lines say what is wrong and what to change, one sentence a line.
	Lines []string
}

// Error returns the lines, joined.
func (e *PreflightError) Error() string {
	return "preflight (" + e.Check + "): " + strings.Join(e.Lines, "; ")
}

// emptySummary is the documented answer to an empty file (R-CSV-1).
const emptySummary = "0 users processed. 0 users created. 0 users updated. 0 users failed."

// Preflight checks, before any scenario, that the target answers, that the
// import path and the account work, and that it declares the profile's
// academic level and presentation group. It returns findings that do not
// stop the run, to be shown at the top of the report, and a
// *PreflightError when the run must stop.
//
// The test student it makes is noted in created, for the run's clean-up;
// with created nil, Preflight disables it itself when the run may go on.
func Preflight(ctx context.Context, t Target, created *Created) ([]string, error) {
	if created == nil {
		created = &Created{}
		notes, err := Preflight(ctx, t, created)
		if names := created.List(); len(names) > 0 && err == nil {
			CleanUp(ctx, t, names) // the preflight's test student
		}
		return notes, err
	}
	url := t.URL(api.ImportPath)
	req, err := t.NewUpload(ctx, Part{Field: "file", FileName: "autosync-preflight-empty.csv"})
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(t.Username, t.Password)
	x := &Exchange{}
	answer, err := t.Do(req, x)
	if (err != nil || answer == nil) && speaksTLS(ctx, t.BaseURL) {
		https := "https://" + strings.TrimPrefix(t.BaseURL, "http://")
		return nil, &PreflightError{Check: "connection", Code: ExitUnreachable, Lines: []string{
			fmt.Sprintf("%s answers in TLS: it is an HTTPS port", t.BaseURL),
			fmt.Sprintf("use --target %s", https),
		}}
	}
	if err != nil {
		return nil, connectionError(url, err)
	}
	switch x.Status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return nil, &PreflightError{Check: "import path", Code: ExitUsage, Lines: []string{
			fmt.Sprintf("nothing answers POST %s (status %d)", url, x.Status),
			"check --target: give the base URL of the school's server, e.g. https://school.example",
		}}
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return nil, &PreflightError{Check: "import path", Code: ExitUsage, Lines: []string{
			fmt.Sprintf("POST %s is redirected (status %d) to %s", url, x.Status, x.AnswerHeader.Get("Location")),
			"give the address it redirects to as --target: a school's script posts to one URL and follows no redirect",
		}}
	case http.StatusUnauthorized, http.StatusForbidden:
		lines := []string{
			fmt.Sprintf("the target refused --username %s (status %d)", t.Username, x.Status),
			"the password is wrong, or the account lacks system administration privileges",
		}
		if strings.Contains(t.Password, ":") || strings.ContainsFunc(t.Password, func(r rune) bool { return r >= utf8.RuneSelf }) {
			lines = append(lines, "if they are right, the server reads the password wrongly: it holds a colon or a letter beyond ASCII, which Basic credentials may hold and the server must compare exactly (R-AUTH-1)")
		}
		return nil, &PreflightError{Check: "account", Code: ExitUsage, Lines: lines}
	}
	var notes []string
	if x.Status != http.StatusOK || answer == nil || answer["success"] != true || answer["summary"] != emptySummary || answer["details"] != nil {
		notes = append(notes, fmt.Sprintf("an empty file, which the documents make a successful import of nothing (R-CSV-1), was answered %d %s; the scenarios judge it",
			x.Status, firstLine(string(x.Answer))))
		if x.Status != http.StatusOK {
			return notes, nil // the profile cannot be checked through an import that does not work
		}
	}

	if t.ReadOnly {
		return notes, nil // the profile is checked by importing a student: a write
	}

	// The profile: one student with the run's level and group.
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	w.Write([]string{"username", "enabled", "staffmember", "academiclevel", "presentationgrouplabel"})
	w.Write([]string{t.Prefix + "preflight", "N", "N", t.AcademicLevel, t.PresentationGroup})
	w.Flush()
	if req, err = t.NewUpload(ctx, Part{Field: "file", FileName: "autosync-preflight-profile.csv", Content: file.Bytes()}); err != nil {
		return nil, err
	}
	req.SetBasicAuth(t.Username, t.Password)
	x = &Exchange{}
	if answer, err = t.Do(req, x); err != nil {
		return nil, connectionError(url, err)
	}
	created.Note(t.Prefix, file.Bytes(), x.Status, answer)
	if x.Status == http.StatusOK && answer != nil && answer["success"] == true {
		return notes, nil
	}
	details, _ := answer["details"].(map[string]any)
	reason, _ := details["1"].(string)
	var lines []string
	if refuses(reason, "academiclevel", t.AcademicLevel, "declared") {
		lines = append(lines, fmt.Sprintf("the target does not declare the academic level %q: give one of its import IDs with --academic-level", t.AcademicLevel))
	}
	if refuses(reason, "presentationgroup", t.PresentationGroup, "current") {
		lines = append(lines, fmt.Sprintf("%q is not a current presentation group on the target: give one with --presentation-group", t.PresentationGroup))
	}
	if lines != nil {
		lines = append(lines, "the target answered: "+reason)
		return nil, &PreflightError{Check: "profile", Code: ExitUsage, Lines: lines}
	}
	return append(notes, fmt.Sprintf("a new student with the profile's academic level and presentation group was answered %d %s; the scenarios judge it",
		x.Status, firstLine(string(x.Answer)))), nil
}

// refuses reports whether a row's failure text refuses the profile's value
// of a field: one of its sentences names the field and either the value,
// quoted, or the word the rule uses ("declared", "current"). A sentence that
// names the field beside another ("Field (graduationYear) or Field
// (academicLevel) is mandatory for students.") is about something else: the
// run goes on, and the scenarios judge it.
func refuses(reason, field, value, word string) bool {
	for _, sentence := range strings.Split(reason, ". ") {
		squeezed := strings.ToLower(strings.ReplaceAll(sentence, " ", ""))
		if !strings.Contains(squeezed, field) || strings.Count(squeezed, "field(") > 1 {
			continue
		}
		lower := strings.ToLower(sentence)
		v := strings.ToLower(value)
		if strings.Contains(lower, word) || strings.Contains(lower, "'"+v+"'") || strings.Contains(lower, `"`+v+`"`) {
			return true
		}
	}
	return false
}

// connectionError words a transport failure: the target could not be
// reached, its certificate is not trusted, or it does not speak HTTP.
func connectionError(url string, err error) *PreflightError {
	e := &PreflightError{Check: "connection", Code: ExitUnreachable}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &unknownCA):
		e.Lines = []string{
			fmt.Sprintf("the certificate of %s is signed by an unknown authority", url),
			"pass the CA that signed it with --cacert FILE (PEM), or --insecure for a test system",
		}
	case errors.As(err, &hostname), errors.As(err, &invalid):
		e.Lines = []string{
			fmt.Sprintf("the certificate of %s is not valid for it: %v", url, err),
			"fix the server's certificate, or use --insecure for a test system",
		}
	case errors.As(err, &dnsErr):
		e.Lines = []string{fmt.Sprintf("target unreachable: %s: the name %s is not known (%v)", url, dnsErr.Name, dnsErr.Err), "check --target"}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.Lines = []string{fmt.Sprintf("target unreachable: %s: %v", url, opErr.Err), "check --target and that the server is running"}
	default:
		e.Lines = []string{fmt.Sprintf("target does not answer in HTTP: %v", err), "check the scheme (https:// or http://) and the port in --target"}
	}
	return e
}

// speaksTLS reports whether a plain http:// base URL is in fact an HTTPS
// port: a TLS handshake with it succeeds. It only looks: nothing is sent
// past the handshake, so the certificate is not checked.
func speaksTLS(ctx context.Context, base string) bool {
	u, err := neturl.Parse(base)
	if err != nil || u.Scheme != "http" {
		return false
	}
	return probe.SpeaksTLS(ctx, u)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
