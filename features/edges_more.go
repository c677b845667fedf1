package features

// wireEdges are the edges of the wire: each way of sending of package
// api/wire, under the rule it puts to the test most.
func wireEdges() map[string][]Edge {
	read := func(way string) string { return "A file written as " + way + " writes it is read as the documents say" }
	var m = map[string][]Edge{}
	for _, w := range []struct{ rule, way, name string }{
		{HTTP1, "curl, waiting for 100 Continue", "Expect: 100-continue"},
		{HTTP1, "Java HttpClient", "Upgrade: h2c offered"},
		{HTTP1, "lower-case header names", "header names in lower case"},
		{HTTP1, "a chunked body", "a chunked body"},
		{HTTP1, "a query string", "a query string"},
		{HTTP2, "curl", "curl"},
		{HTTP2, "PowerShell 7", `PowerShell 7 -Form (boundary="…")`},
		{HTTP2, ".NET HttpClient", "unquoted name and filename"},
		{HTTP2, "Python requests", "Python requests"},
		{HTTP2, "a browser form", "a browser form with more parts"},
		{HTTP2, "a media type in capitals", "Multipart/Form-Data"},
		{HTTP2, "part headers in capitals", "part headers in capitals"},
		{HTTP2, "a boundary that must be quoted", "a boundary with = quoted"},
		{HTTP2, "a charset before the boundary", "a charset before the boundary"},
		{HTTP2, "a preamble and an epilogue", "a preamble and an epilogue"},
		{HTTP2, "two file parts named file", "two file parts of one name"},
		{AUTH1, "Windows PowerShell 5.1", "credentials only after the challenge"},
		{AUTH1, "cookies", "cookies beside the credentials"},
		{AUTH1, "the scheme in lower case", "basic"},
		{AUTH1, "the scheme in capitals", "BASIC"},
	} {
		m[w.rule] = append(m[w.rule], Edge{Wire, w.name, read(w.way)})
	}
	m[AUTH2] = append(m[AUTH2],
		Edge{Wire, "a wrong password, every way", "A wrong password written as a chunked body writes it is refused with the documented answer"},
		Edge{Wire, "a cookie instead of credentials", "A cookie is not a credential"})
	m[AUTH3] = append(m[AUTH3], Edge{Wire, "the non-admin account, other clients", "The non-admin account is refused whichever way it writes the request: Windows PowerShell 5.1"})
	m[HTTP4] = append(m[HTTP4], Edge{Wire, "a trailing slash", "A trailing slash names another path, and nothing is imported"})
	return m
}

func valueEdges() map[string][]Edge { return nil }

func longRunEdges() map[string][]Edge { return nil }
