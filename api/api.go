// Package api names the documented autoSync endpoint: its import path, and
// how a school's base URL becomes the URL an import is posted to. The
// reference server, the suite and the client all use it, so the path is
// written once.
package api

import "strings"

// ImportPath is the documented import path (R-HTTP-1).
const ImportPath = "/api/import/users"

// BaseURL returns the scheme and host of a URL given with or without the
// import path and trailing slashes: "https://school.example/api/import/users/"
// becomes "https://school.example".
func BaseURL(u string) string {
	return strings.TrimSuffix(strings.TrimRight(u, "/"), ImportPath)
}

// ImportURL returns the import URL for a base URL given with or without the
// import path.
func ImportURL(u string) string {
	return BaseURL(u) + ImportPath
}
