// Package placeholder reads the placeholders of the feature files' text,
// {user:ann}, {year}, {tab}: it expands those that need no run (Fixed).
// Package steps gives the others what a run gives them; package
// features/examples keeps a scenario's cell for explore where Fixed can
// finish it, so both read a placeholder the same way.
package placeholder

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/autosync/autosync/features/hostile"
)

// Pattern matches one placeholder: its name and its argument, if any.
var Pattern = regexp.MustCompile(`\{([A-Za-z]+)(?::([^{}]*))?\}`)

// Fixed expands a placeholder that needs no run, and reports whether it
// was one:
//
//	{tab}                             a tab character
//	{char:U+202E}                     the character of that code point
//	{repeat:x:N}                      x written N times
//	{hostile:NAME} {hostile:NAME:csv} a value of package hostile (its quotes doubled, for a quoted field)
//	{longline:N}                      a cell of N bytes
func Fixed(name, arg string) (string, bool) {
	switch name {
	case "tab":
		return "\t", arg == ""
	case "char":
		r, err := strconv.ParseUint(strings.TrimPrefix(arg, "U+"), 16, 32)
		return string(rune(r)), err == nil
	case "repeat":
		what, n, ok := strings.Cut(arg, ":")
		count, err := strconv.Atoi(n)
		if !ok || err != nil || count < 0 {
			return "", false
		}
		return strings.Repeat(what, count), true
	case "hostile":
		key, form, _ := strings.Cut(arg, ":")
		v, ok := hostile.Lookup(key)
		if ok && form == "csv" { // inside a quoted field: quotes doubled
			return strings.ReplaceAll(v, `"`, `""`), true
		}
		return v, ok && form == ""
	case "longline":
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 {
			return "", false
		}
		return hostile.LongLine(n), true
	}
	return "", false
}
