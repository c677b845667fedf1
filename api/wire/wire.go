// Package wire is the catalogue of ways of sending an import: the same
// documented request (a multipart POST of a CSV with Basic credentials) as
// real clients write it, byte for byte. Go's own client would normalise
// most of what differs (header case, the boundary's quoting, part header
// case, chunking), so the suite and autosync explore send these as raw
// bytes, and a server must read every one of them as the rules say.
package wire

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/autosync/autosync/features"
)

// Request is what an import carries, whatever the client.
type Request struct {
	// Host is the Host header: host, or host:port.
	Host string
	// Path is the request target's path, e.g. /api/import/users.
	Path string
	// Username and Password are the Basic credentials.
	Username, Password string
	// File is the CSV; FileName its name ("users.csv" when empty).
	File     []byte
	FileName string
	// Second, when set, is sent as a second file part after the CSV by
	// the ways that send two files.
	Second []byte
	// Origin is the target's own origin, scheme://host, which a browser
	// sends with a form of the same site.
	Origin string
}

// Raw is one request as bytes on the wire.
type Raw struct {
	// Head is the request line and the headers, up to and with the blank
	// line.
	Head []byte
	// Body follows the head (already chunked when the head says so).
	Body []byte
	// Expect says the head asks for 100 Continue: the body is sent only
	// once the server says so, or after a second of silence, as curl does.
	Expect bool
}

// Bytes returns the whole request.
func (r Raw) Bytes() []byte { return append(append([]byte{}, r.Head...), r.Body...) }

// Way is one way of sending the import.
type Way struct {
	// Name names the way in the feature files.
	Name string
	// Client says who sends the request so.
	Client string
	// Quirk says what in it a server must read through.
	Quirk string
	// Rule is the rule the way puts to the test most.
	Rule string
	// Refused says the rules refuse the request (Status says how): the
	// way is one a script must not rely on.
	Refused bool
	// Status is the answer's status the rules fix: 200 unless refused.
	Status int
	// ChallengeFirst sends the request without credentials first and
	// again with them once the server has answered 401 with a Basic
	// challenge, as Windows PowerShell's -Credential and browsers do.
	ChallengeFirst bool

	write func(Request) Raw
}

// Write returns the request as the way writes it.
func (w Way) Write(r Request) Raw {
	if r.FileName == "" {
		r.FileName = "users.csv"
	}
	return w.write(r)
}

// WithoutCredentials returns the request as the way writes it before the
// server's challenge: with no Authorization header.
func (w Way) WithoutCredentials(r Request) Raw {
	raw := w.Write(r)
	var head []string
	for _, line := range strings.SplitAfter(string(raw.Head), "\r\n") {
		if name, _, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "authorization") {
			continue
		}
		head = append(head, line)
	}
	raw.Head = []byte(strings.Join(head, ""))
	return raw
}

// Ways returns the catalogue, the clients first.
func Ways() []Way { return catalogue() }

// Lookup returns the way named name.
func Lookup(name string) (Way, bool) {
	for _, w := range catalogue() {
		if w.Name == name {
			return w, true
		}
	}
	return Way{}, false
}

// header is one header line, written as given.
type header struct{ name, value string }

// part is one part of a multipart body: its header lines and content.
type part struct {
	headers []header
	content []byte
}

// multipart writes parts between boundary lines; preamble and epilogue
// go before the first and after the last.
func multipart(boundary, preamble, epilogue string, parts ...part) []byte {
	var b bytes.Buffer
	b.WriteString(preamble)
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		for _, h := range p.headers {
			b.WriteString(h.name + ": " + h.value + "\r\n")
		}
		b.WriteString("\r\n")
		b.Write(p.content)
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	b.WriteString(epilogue)
	return b.Bytes()
}

// request writes the request line and headers; a header whose value is
// "{length}" gets the body's length.
func request(method, target, proto string, headers []header, body []byte) Raw {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\n", method, target, proto)
	expect := false
	for _, h := range headers {
		v := strings.ReplaceAll(h.value, "{length}", strconv.Itoa(len(body)))
		b.WriteString(h.name + ": " + v + "\r\n")
		expect = expect || strings.EqualFold(h.name, "expect")
	}
	b.WriteString("\r\n")
	return Raw{Head: b.Bytes(), Body: body, Expect: expect}
}

// basic is the value of a Basic Authorization header with scheme spelled
// as given.
func basic(scheme string, r Request) string {
	return scheme + " " + base64.StdEncoding.EncodeToString([]byte(r.Username+":"+r.Password))
}

// chunked writes body in chunks of n bytes, as a client that streams a
// file of unknown length does.
func chunked(body []byte, n int) []byte {
	var b bytes.Buffer
	for len(body) > 0 {
		c := body[:min(n, len(body))]
		body = body[len(c):]
		fmt.Fprintf(&b, "%x\r\n", len(c))
		b.Write(c)
		b.WriteString("\r\n")
	}
	b.WriteString("0\r\n\r\n")
	return b.Bytes()
}

// filePart is the usual file part: quoted name and file name.
func filePart(field, fileName, contentType string, content []byte) part {
	p := part{headers: []header{{"Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, field, fileName)}}, content: content}
	if contentType != "" {
		p.headers = append(p.headers, header{"Content-Type", contentType})
	}
	return p
}

func textPart(field, value string) part {
	return part{headers: []header{{"Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, field)}}, content: []byte(value)}
}

// second returns the second file part when the request has one.
func second(r Request, field string) []part {
	if r.Second == nil {
		return nil
	}
	return []part{filePart(field, "second.csv", "text/csv", r.Second)}
}

// plain is the request most clients write, with the media type, the
// boundary, the headers and the parts given.
func plain(r Request, target, contentType, boundary string, headers []header, parts []part) Raw {
	body := multipart(boundary, "", "", parts...)
	hs := append([]header{{"Host", r.Host}}, headers...)
	hs = append(hs, header{"Content-Type", contentType}, header{"Content-Length", "{length}"})
	return request("POST", target, "HTTP/1.1", hs, body)
}

// curlBoundary is a boundary as curl 8 makes one.
const curlBoundary = "------------------------d74496d66958873e"

// curl is `curl -X POST -F "file=@users.csv" -u user:pass URL` (or the
// credentials in the URL, which curl sends as the same header), changed
// by edit: the baseline the quirks start from.
func curl(r Request, edit func(target *string, headers []header) []header) Raw {
	target := r.Path
	headers := []header{{"Authorization", basic("Basic", r)}, {"User-Agent", "curl/8.5.0"}, {"Accept", "*/*"}}
	if edit != nil {
		headers = edit(&target, headers)
	}
	parts := append([]part{filePart("file", r.FileName, "application/octet-stream", r.File)}, second(r, "file2")...)
	return plain(r, target, "multipart/form-data; boundary="+curlBoundary, curlBoundary, headers, parts)
}

func catalogue() []Way {
	const (
		http1 = features.HTTP1
		http2 = features.HTTP2
		auth1 = features.AUTH1
		auth2 = features.AUTH2
		http4 = features.HTTP4
	)
	ways := []Way{
		{Name: "curl", Client: `curl -F "file=@users.csv" -u USER:PASS URL (curl 8)`, Quirk: "the documents' own command", Rule: http2,
			write: func(r Request) Raw { return curl(r, nil) }},
		{Name: "curl, waiting for 100 Continue", Client: "curl with a file over 1 MiB", Quirk: "Expect: 100-continue: the body follows only once the server says so", Rule: http1,
			write: func(r Request) Raw {
				return curl(r, func(_ *string, h []header) []header { return append(h, header{"Expect", "100-continue"}) })
			}},
		{Name: "PowerShell 7", Client: "Invoke-RestMethod -Method Post -Form @{file = Get-Item users.csv} -Authentication Basic -Credential $cred (PowerShell 7.4, .NET 8)",
			Quirk: `a quoted boundary (boundary="…"), filename* beside filename`, Rule: http2,
			write: func(r Request) Raw {
				const b = "8f1d6c2a-3b4e-4f5a-9c7d-0e1f2a3b4c5d"
				p := part{headers: []header{
					{"Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"; filename*=utf-8''%s`, r.FileName, r.FileName)},
					{"Content-Type", "application/octet-stream"}}, content: r.File}
				return plain(r, r.Path, `multipart/form-data; boundary="`+b+`"`, b,
					[]header{{"User-Agent", "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.1"}, {"Authorization", basic("Basic", r)}},
					append([]part{p}, second(r, "file2")...))
			}},
		{Name: ".NET HttpClient", Client: `new MultipartFormDataContent { { new StreamContent(file), "file", "users.csv" } } posted with HttpClient`,
			Quirk: `a quoted boundary, and the part's name and file name unquoted (name=file; filename=users.csv)`, Rule: http2,
			write: func(r Request) Raw {
				const b = "0f3c9a5e-7d21-4b6e-a8f4-2c5d7e9b1a30"
				p := part{headers: []header{
					{"Content-Disposition", fmt.Sprintf(`form-data; name=file; filename=%s; filename*=utf-8''%s`, r.FileName, r.FileName)}}, content: r.File}
				return plain(r, r.Path, `multipart/form-data; boundary="`+b+`"`, b,
					[]header{{"Authorization", basic("Basic", r)}}, append([]part{p}, second(r, "file2")...))
			}},
		{Name: "Windows PowerShell 5.1", Client: "Invoke-RestMethod -Credential $cred -InFile body.bin -ContentType \"multipart/form-data; boundary=$b\" (a body written by hand, .NET Framework)",
			Quirk: "no credentials until the server challenges, then Expect: 100-continue and Connection: Keep-Alive", Rule: auth1, ChallengeFirst: true,
			write: func(r Request) Raw {
				b := "---------------------------" + "8dc2b3e5f4a1c07"
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				body := multipart(b, "", "", parts...)
				return request("POST", r.Path, "HTTP/1.1", []header{
					{"User-Agent", "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3803"},
					{"Content-Type", "multipart/form-data; boundary=" + b},
					{"Authorization", basic("Basic", r)},
					{"Host", r.Host}, {"Content-Length", "{length}"}, {"Expect", "100-continue"}, {"Connection", "Keep-Alive"}}, body)
			}},
		{Name: "Python requests", Client: `requests.post(url, files={"file": open("users.csv", "rb")}, auth=(user, password)) (requests 2.31)`,
			Quirk: "Accept-Encoding and keep-alive, the credentials last", Rule: http2,
			write: func(r Request) Raw {
				const b = "3b0f8a1c6e2d4f9a8b7c6d5e4f3a2b1c"
				return plain(r, r.Path, "multipart/form-data; boundary="+b, b,
					[]header{{"User-Agent", "python-requests/2.31.0"}, {"Accept-Encoding", "gzip, deflate"}, {"Accept", "*/*"},
						{"Connection", "keep-alive"}, {"Authorization", basic("Basic", r)}},
					append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...))
			}},
		{Name: "Java HttpClient", Client: "java.net.http.HttpClient with a body written by hand (Java 21), over http://",
			Quirk: "an offer to upgrade to HTTP/2 (Upgrade: h2c) the server may ignore", Rule: http1,
			write: func(r Request) Raw {
				const b = "b6a3d1e0-5c4f-4e2a-9d8b-7f6e5d4c3b2a"
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				body := multipart(b, "", "", parts...)
				return request("POST", r.Path, "HTTP/1.1", []header{
					{"Connection", "Upgrade, HTTP2-Settings"}, {"Content-Length", "{length}"}, {"Host", r.Host},
					{"HTTP2-Settings", "AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA"}, {"Upgrade", "h2c"},
					{"User-Agent", "Java-http-client/21.0.2"}, {"Authorization", basic("Basic", r)},
					{"Content-Type", "multipart/form-data; boundary=" + b}}, body)
			}},
		{Name: "a browser form", Client: `<form method="post" enctype="multipart/form-data"> in Chrome, on a page of the same site, after the login prompt`,
			Quirk: "a text field before the file, an empty file input and the button's field after it, Origin and Sec-Fetch headers", Rule: http2, ChallengeFirst: true,
			write: func(r Request) Raw {
				const b = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
				parts := []part{textPart("note", "nightly export"), filePart("file", r.FileName, "text/csv", r.File)}
				parts = append(parts, second(r, "file2")...)
				parts = append(parts, filePart("photos", "", "application/octet-stream", nil), textPart("import", "Import"))
				return plain(r, r.Path, "multipart/form-data; boundary="+b, b, []header{
					{"Connection", "keep-alive"}, {"Cache-Control", "max-age=0"}, {"Authorization", basic("Basic", r)},
					{"Upgrade-Insecure-Requests", "1"}, {"Origin", r.Origin},
					{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
					{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
					{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Mode", "navigate"}, {"Sec-Fetch-User", "?1"}, {"Sec-Fetch-Dest", "document"},
					{"Referer", r.Origin + "/"}, {"Accept-Encoding", "gzip, deflate, br, zstd"}, {"Accept-Language", "en-GB,en;q=0.9"}}, parts)
			}},

		// Spellings: one thing another client writes otherwise.
		{Name: "lower-case header names", Client: "clients that write every header name in lower case, as HTTP/2 does (Node's undici, some proxies)",
			Quirk: "host:, authorization:, content-type: in lower case", Rule: http1,
			write: func(r Request) Raw {
				raw := curl(r, nil)
				var b bytes.Buffer
				for i, line := range strings.SplitAfter(string(raw.Head), "\r\n") {
					if name, rest, ok := strings.Cut(line, ":"); ok && i > 0 {
						line = strings.ToLower(name) + ":" + rest
					}
					b.WriteString(line)
				}
				raw.Head = b.Bytes()
				return raw
			}},
		{Name: "a media type in capitals", Client: "hand-written clients", Quirk: "Content-Type: Multipart/Form-Data; Boundary=…", Rule: http2,
			write: func(r Request) Raw {
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				return plain(r, r.Path, "Multipart/Form-Data; Boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, parts)
			}},
		{Name: "part headers in capitals", Client: "hand-written clients", Quirk: `CONTENT-DISPOSITION: FORM-DATA; NAME="file"; FILENAME="users.csv"`, Rule: http2,
			write: func(r Request) Raw {
				p := part{headers: []header{{"CONTENT-DISPOSITION", fmt.Sprintf(`FORM-DATA; NAME="file"; FILENAME="%s"`, r.FileName)}, {"content-type", "text/csv"}}, content: r.File}
				return plain(r, r.Path, "multipart/form-data; boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, append([]part{p}, second(r, "file2")...))
			}},
		{Name: "a boundary that must be quoted", Client: "JavaMail and mail-library multipart writers", Quirk: `boundary="----=_Part_0_1793.1730000000000" (= is a special character)`, Rule: http2,
			write: func(r Request) Raw {
				const b = "----=_Part_0_1793.1730000000000"
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				return plain(r, r.Path, `multipart/form-data; boundary="`+b+`"`, b, []header{{"Authorization", basic("Basic", r)}}, parts)
			}},
		{Name: "a charset before the boundary", Client: "clients that add a charset to every content type", Quirk: "multipart/form-data; charset=UTF-8; boundary=…", Rule: http2,
			write: func(r Request) Raw {
				parts := append([]part{filePart("file", r.FileName, "text/csv; charset=UTF-8", r.File)}, second(r, "file2")...)
				return plain(r, r.Path, "multipart/form-data; charset=UTF-8; boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, parts)
			}},
		{Name: "a preamble and an epilogue", Client: "MIME libraries that write a note for mail readers", Quirk: "text before the first boundary and after the last, as RFC 2046 allows", Rule: http2,
			write: func(r Request) Raw {
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				body := multipart(curlBoundary, "This is a multi-part message in MIME format.\r\n", "End of the export.\r\n", parts...)
				return request("POST", r.Path, "HTTP/1.1", []header{{"Host", r.Host}, {"Authorization", basic("Basic", r)},
					{"Content-Type", "multipart/form-data; boundary=" + curlBoundary}, {"Content-Length", "{length}"}}, body)
			}},
		{Name: "a chunked body", Client: "clients that stream a file of unknown length (Node's http with a stream, Go's with an io.Reader)",
			Quirk: "Transfer-Encoding: chunked and no Content-Length", Rule: http1,
			write: func(r Request) Raw {
				parts := append([]part{filePart("file", r.FileName, "text/csv", r.File)}, second(r, "file2")...)
				body := chunked(multipart(curlBoundary, "", "", parts...), 64)
				return request("POST", r.Path, "HTTP/1.1", []header{{"Host", r.Host}, {"Authorization", basic("Basic", r)},
					{"Content-Type", "multipart/form-data; boundary=" + curlBoundary}, {"Transfer-Encoding", "chunked"}}, body)
			}},
		{Name: "the scheme in lower case", Client: "hand-written clients and some HTTP libraries", Quirk: "Authorization: basic …", Rule: auth1,
			write: func(r Request) Raw {
				return curl(r, func(_ *string, h []header) []header { h[0].value = basic("basic", r); return h })
			}},
		{Name: "the scheme in capitals", Client: "hand-written clients", Quirk: "Authorization: BASIC …", Rule: auth1,
			write: func(r Request) Raw {
				return curl(r, func(_ *string, h []header) []header { h[0].value = basic("BASIC", r); return h })
			}},
		{Name: "a query string", Client: "scripts that tag their requests (?source=sis)", Quirk: "/api/import/users?source=sis&run=nightly: the path names the endpoint, the query is ignored", Rule: http1,
			write: func(r Request) Raw {
				return curl(r, func(t *string, h []header) []header { *t += "?source=sis&run=nightly"; return h })
			}},
		{Name: "cookies", Client: "a script's session that kept the cookies of an earlier page", Quirk: "Cookie: headers the import must neither need nor trust", Rule: auth1,
			write: func(r Request) Raw {
				return curl(r, func(_ *string, h []header) []header {
					return append(h, header{"Cookie", "ASP.NET_SessionId=k3x9m2q7; JSESSIONID=5F2A9C; PHPSESSID=9b1c4d; session=admin"})
				})
			}},
		{Name: "two file parts named file", Client: "scripts that send the file twice under one name (PHP would keep the last)", Quirk: "the first file part is the CSV, whatever its name", Rule: http2,
			write: func(r Request) Raw {
				parts := []part{textPart("school", "North"), filePart("file", r.FileName, "text/csv", r.File)}
				if r.Second != nil {
					parts = append(parts, filePart("file", "second.csv", "text/csv", r.Second))
				}
				return plain(r, r.Path, "multipart/form-data; boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, parts)
			}},

		{Name: "a CSV typed as Excel's", Client: "a browser on Windows with Excel installed, which types every .csv file as Excel's",
			Quirk: "Content-Type: application/vnd.ms-excel on the file part: the first part with a file name is the CSV, whatever its type", Rule: http2,
			write: func(r Request) Raw {
				parts := []part{filePart("file", r.FileName, "application/vnd.ms-excel", r.File)}
				return plain(r, r.Path, "multipart/form-data; boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, parts)
			}},

		{Name: "a file name in filename* alone", Client: "Python requests on urllib3 1.x, for a file name beyond ASCII",
			Quirk: `Content-Disposition: form-data; name="file"; filename*=utf-8''%C3%89l%C3%A8ves%202026.csv (RFC 5987's parameter, with no filename=)`, Rule: http2,
			write: func(r Request) Raw {
				p := part{headers: []header{{"Content-Disposition", `form-data; name="file"; filename*=utf-8''%C3%89l%C3%A8ves%202026.csv`}, {"Content-Type", "text/csv"}}, content: r.File}
				return plain(r, r.Path, "multipart/form-data; boundary="+curlBoundary, curlBoundary, []header{{"Authorization", basic("Basic", r)}}, []part{p})
			}},

		// Ways the rules refuse.
		{Name: "cookies and no credentials", Client: "a script that logged in to the web page and sends its session cookie instead of credentials",
			Quirk: "no Authorization header: a cookie is not a credential", Rule: auth2, Refused: true, Status: 401,
			write: func(r Request) Raw {
				return curl(r, func(_ *string, h []header) []header {
					return append(h[1:], header{"Cookie", "ASP.NET_SessionId=k3x9m2q7; JSESSIONID=5F2A9C; PHPSESSID=9b1c4d; session=admin; user=" + r.Username})
				})
			}},
		{Name: "a trailing slash", Client: "a script whose URL ends in /users/", Quirk: "/api/import/users/ is another path: 404, nothing imported", Rule: http4, Refused: true, Status: 404,
			write: func(r Request) Raw {
				return curl(r, func(t *string, h []header) []header { *t += "/"; return h })
			}},
	}
	for i := range ways {
		if ways[i].Status == 0 {
			ways[i].Status = 200
		}
	}
	return ways
}
