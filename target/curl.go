package target

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The environment variables a repeated request reads its passwords from:
// a report never holds a real password.
const (
	PasswordVariable         = "AUTOSYNC_PASSWORD"
	NonAdminPasswordVariable = "AUTOSYNC_NONADMIN_PASSWORD"
)

// maxCurlBody is the largest body a curl command repeats; a larger one is
// described instead.
const maxCurlBody = 64 << 10

// CurlBody is what a request sent, for repeating it with curl: multipart
// Parts, or a Raw body (with the request's Content-Type), and a Note on
// what curl cannot repeat.
type CurlBody struct {
	Parts []Part
	Raw   []byte
	Note  string
}

// Curl writes a bash command that repeats req as it was sent with the
// credentials how, and body (nil for none). Passwords that are secrets
// come from the environment (PasswordVariable, NonAdminPasswordVariable).
func (t Target) Curl(req *http.Request, how Credentials, body *CurlBody) string {
	var b strings.Builder
	var feed string // a file sent on standard input
	fed := false
	args := []string{"curl", "-sS", "-i"}
	switch req.Method {
	case http.MethodHead:
		args = append(args, "-I")
	case http.MethodGet:
	default:
		args = append(args, "-X", req.Method)
	}
	u := shellQuote(req.URL.String())
	switch how {
	case AsAdmin:
		args = append(args, "-u", shellQuote(t.Username+":")+`"$`+PasswordVariable+`"`)
	case AsNonAdmin:
		args = append(args, "-u", shellQuote(t.NonAdminUsername+":")+`"$`+NonAdminPasswordVariable+`"`)
	case UnknownUser:
		user, _, _ := req.BasicAuth()
		args = append(args, "-u", shellQuote(user+":")+`"$`+PasswordVariable+`"`)
	case WrongPassword, EmptyPassword:
		user, pass, _ := req.BasicAuth()
		args = append(args, "-u", shellQuote(user+":"+pass)) // not a secret: it is wrong
	case MalformedHeader:
		args = append(args, "-H", shellQuote("Authorization: "+req.Header.Get("Authorization")))
	case UserOtherCase:
		user, _, _ := req.BasicAuth()
		args = append(args, "-u", shellQuote(user+":")+`"$`+PasswordVariable+`"`)
	case PasswordOtherCase:
		args = append(args, "-u", shellQuote(t.Username+":")+`"$(printf %s "$`+PasswordVariable+`" | tr a-zA-Z A-Za-z)"`)
	case AdminInURL:
		c := *req.URL
		c.User = nil
		scheme, rest, _ := strings.Cut(c.String(), "://")
		u = shellQuote(scheme+"://"+url.User(t.Username).String()+":") + `"$` + PasswordVariable + `"` + shellQuote("@"+rest)
	}
	if body != nil {
		size := len(body.Raw)
		for _, p := range body.Parts {
			size += len(p.Content)
		}
		if body.Note != "" {
			fmt.Fprintf(&b, "# %s\n", body.Note)
		}
		if size > maxCurlBody {
			fmt.Fprintf(&b, "# the body (%d bytes) is too large to repeat here; send a file of that size\n", size)
		}
		switch {
		case size > maxCurlBody:
		case body.Parts != nil:
			for _, p := range body.Parts {
				switch {
				case p.EmptyFileName:
					args = append(args, "-F", shellQuote(p.Field+"=@/dev/null;filename=\"\""))
				case p.FileName == "":
					args = append(args, "--form-string", shellQuote(p.Field+"="+string(p.Content)))
				case !fed:
					feed, fed = string(p.Content), true
					args = append(args, "-F", shellQuote(p.Field+"=@-;filename="+p.FileName))
				default:
					args = append(args, "-F", shellQuote(p.Field+"=@")+"<(printf %s "+ansiQuote(string(p.Content))+")"+shellQuote(";filename="+p.FileName))
				}
			}
		default:
			feed, fed = string(body.Raw), true
			args = append(args, "-H", shellQuote("Content-Type: "+req.Header.Get("Content-Type")), "--data-binary", "@-")
		}
	}
	args = append(args, u)
	if fed {
		fmt.Fprintf(&b, "printf %%s %s |\n  ", ansiQuote(feed))
	}
	b.WriteString(strings.Join(args, " "))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ansiQuote quotes s as bash's $'…', so that every byte, line breaks and
// invalid UTF-8 included, comes through as it was sent.
func ansiQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError && size <= 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, s[i])
			size = 1
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}
