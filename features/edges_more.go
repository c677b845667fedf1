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

// valueEdges are the edges of the values of package features/hostile.
func valueEdges() map[string][]Edge {
	V := Values
	level := func(v string) string { return "An academic level written " + v + " is not a declared level" }
	group := func(v string) string { return "A presentation group written " + v + " is not a current group" }
	quoted := func(v string) string { return "A taken barcode holding " + v + " is quoted exactly in the answer" }
	username := func(v string) string {
		return "A username written " + v + " of another patron's is a patron of its own"
	}
	return map[string][]Edge{
		ROW1: {
			{V, "v% (LIKE) is another username", username("like-suffix")}, {V, "the last character as _ (LIKE)", username("like-last")},
			{V, "the last character as ? (glob)", username("glob-last")},
			{V, "the last letter accented (an accent-insensitive collation)", username("accent-last")},
		},
		ROW8: {
			{V, "% (LIKE)", level("like-any")}, {V, "v% (LIKE)", level("like-suffix")}, {V, "_ for each character (LIKE)", level("like-each")},
			{V, "* (glob)", level("glob-any")}, {V, "[c] (glob)", level("glob-class")},
			{V, "a quote in the message", "An undeclared academic level holding double-quote is quoted exactly in the answer"},
			{V, "markup in the message", "An undeclared academic level holding less-than is quoted exactly in the answer"},
		},
		ROW14: {
			{V, "% (LIKE)", group("like-any")}, {V, "* (glob)", group("glob-any")}, {V, "? for each character (glob)", group("glob-each")},
			{V, "[c] (glob)", group("glob-class")},
			{V, "a quote in the message", "A presentation group holding double-quote that is not current is quoted exactly in the answer"},
			{V, "right-to-left in the message", "A presentation group holding arabic that is not current is quoted exactly in the answer"},
		},
		ROW10: {
			{V, "v% (LIKE) is another barcode", "A barcode written like-suffix of another patron's is a barcode of its own"},
			{V, "the last character as _ (LIKE)", "A barcode written like-last of another patron's is a barcode of its own"},
			{V, "the last letter accented (an accent-insensitive collation)", "A barcode written accent-last of another patron's is a barcode of its own"},
			{V, "combining and precomposed", "A barcode with a combining mark and the same barcode precomposed are two barcodes"},
			{V, "an admin id as a barcode", "One patron's admin id is another's barcode, and one's barcode another's admin id"},
			{V, "a quote in the message", quoted("double-quote")},
			{V, "<, & and ' in the message", quoted("less-than")},
			{V, "a backslash before a quote in the message", quoted("backslash-quote")},
			{V, "beyond the BMP in the message", quoted("astral")},
			{V, "right-to-left in the message", quoted("hebrew")},
		},
		ROW11: {
			{V, "the last character as ? (glob) is another id", "An admin id written glob-last of another patron's is an admin id of its own"},
			{V, "[c] (glob)", "An admin id written glob-class of another patron's is an admin id of its own"},
			{V, "the last letter accented (an accent-insensitive collation)", "An admin id written accent-last of another patron's is an admin id of its own"},
			{V, "a quote in the message", "A taken admin id holding double-quote is quoted exactly in the answer"},
			{V, "combining marks in the message", "A taken admin id holding combining is quoted exactly in the answer"},
		},
		ROW15: {
			{V, "510 bytes in 255 code points", "A given name of two-byte-255 is within the limit of 255 code points"},
			{V, "256 bytes in 64 characters beyond the BMP", "A given name of astral-64 is within the limit of 255 code points"},
			{V, "256 UTF-16 units in 128 code points", "A given name of astral-128 is within the limit of 255 code points"},
			{V, "510 UTF-16 units in 255 code points", "A given name of astral-255 is within the limit of 255 code points"},
			{V, "256 code points beyond the BMP", "A given name of astral-256 is over the limit of 255 code points"},
			{V, "256 code points, 128 on screen", "A given name of combining-128 is over the limit of 255 code points"},
			{V, "a barcode of 255 beyond the BMP", "A barcode of 255 characters beyond the BMP is within the limit and unique"},
			{V, "255 and 256 beyond the BMP, username", "A username of 255 characters beyond the BMP is within the limit, and of 256 over it"},
			{V, "255 and 256 beyond the BMP, surname", "A value of 255 characters beyond the BMP in surname is within the limit, and of 256 over it"},
			{V, "255 and 256 beyond the BMP, admin id", "A value of 255 characters beyond the BMP in adminsystemid is within the limit, and of 256 over it"},
			{V, "beyond the BMP (emoji)", "Names holding emoji are stored, and a patron with them is created"},
			{V, "right-to-left letters", "Names holding arabic are stored, and a patron with them is created"},
			{V, "combining marks", "Names holding combining are stored, and a patron with them is created"},
		},
		ROW17: {
			{V, "72 bytes in 18 characters beyond the BMP", "A password of 18 characters beyond the BMP is 72 bytes, within the limit"},
		},
		RES1: {
			{V, "a quote in a failure text", quoted("double-quote")},
			{V, "a backslash in a failure text", quoted("trailing-backslash")},
		},
		CSV5: {
			{V, `a backslash before a quote (PHP's fgetcsv)`, "A backslash before a quote is a character, not an escape"},
		},
		CSV4: {
			{V, "a line of 65,536 bytes", "A line of 65536 bytes, long in a column the server ignores, is read whole"},
			{V, "a line of 70,000 bytes", "A line of 70000 bytes, long in a column the server ignores, is read whole"},
		},
		CSV6: {
			{V, "a well-formed line past 64 KiB is no syntax error", "A line of 70000 bytes, long in a column the server ignores, is read whole"},
		},
	}
}

// longRunEdges are the edges of the long run: the longest files, imports
// in sequence, refusals of an empty file.
func longRunEdges() map[string][]Edge {
	B, I, P := Boundary, Interaction, Path
	return map[string][]Edge{
		RES2: {
			{B, "10,001 rows (@heavy)", "A file of 10,001 rows is counted whole"},
			{B, "65,537 rows, past a 16-bit count (@heavy)", "A file of 65,537 rows is counted whole"},
		},
		CSV8: {
			{B, "10,001 rows, every row (@heavy)", "Every row of a file of 10,001 rows is numbered and answered"},
			{B, "65,537 rows, every row (@heavy)", "Every row of a file of 65,537 rows is numbered and answered"},
		},
		CSV2:  {{I, "a column left out, then sent again", "A column left out of the second import and sent in the third is read: emailaddress"}},
		ROW10: {{I, "moved between patrons and columns over four imports", "A barcode moves between patrons and into another column over four imports"}},
		ROW16: {{I, "columns come and go over three imports", "Columns come and go over three imports, and nothing left out is lost"}},
		AUTH3: {{P, "an empty file", "The non-admin account is refused with an empty file too"}},
		AUTH2: {
			{P, "a wrong password, an empty file", "A wrong password is refused with an empty file too"},
			{P, "no credentials, an empty file", "No credentials are refused with an empty file too"},
		},
		HTTP3: {{P, "an empty body", "An empty body that is not multipart is refused with 415"}},
		HTTP5: {{P, "over the limit, an empty file", "A body over the limit is refused even when its file is empty"}},
	}
}
