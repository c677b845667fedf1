package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestREADMEFlags: every flag of every subcommand is named in the section
// of that subcommand in the documentation (the pages under docs/ that the
// README leads to), and a flag a table lists shows the default the code
// has: a flag added, or a default changed, in the code alone fails here. (explore takes verify's target, profile and report flags,
// which verify's section lists; its own are in its table. A list default,
// the reference server's levels or groups, is written out where the
// server's flags are.)
func TestREADMEFlags(t *testing.T) {
	// section returns the text of page from heading to the next "## "
	// (where a command's flags must be named: lint's --hold flags are
	// push's guard's, described under push), and the part of it before the
	// next heading of its own level (whose table rows give the command's
	// defaults, so that another command's table in the same chapter is not
	// read as its own).
	section := func(page, heading string) (string, string) {
		b, err := os.ReadFile("../../" + page)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(b), heading)
		if i < 0 {
			t.Fatalf("%s has no %q", page, heading)
		}
		rest := string(b)[i+len(heading):]
		if j := strings.Index(rest, "\n## "); j >= 0 {
			rest = rest[:j]
		}
		own := rest
		if level := len(heading) - len(strings.TrimLeft(heading, "#")); level > 2 {
			for k := 3; k <= level; k++ {
				if j := strings.Index(own, "\n"+strings.Repeat("#", k)+" "); j >= 0 {
					own = own[:j]
				}
			}
		}
		return rest, own
	}
	verify := verifyFlags(&verifySettings{})
	for _, cmd := range []struct {
		page, heading string
		flags         *flag.FlagSet
	}{
		{"docs/vendors.md", "## `autosync verify`", verify},
		{"docs/vendors.md", "## `autosync explore`", exploreFlags(&exploreSettings{})},
		{"docs/fake.md", "## `autosync fake`", fakeFlags(&fakeConfig{})},
		{"docs/schools.md", "### 1. Check the export: `autosync lint`", lintFlags(&lintConfig{})},
		{"docs/schools.md", "### 2. Send it: `autosync push`", pushFlags(&pushConfig{})},
		{"docs/schools.md", "### 4. Is your script safe? `autosync verify-client`", verifyClientFlags(&verifyClientConfig{})},
		{"docs/server.md", "## `autosync serve`", serveFlags(&serveConfig{})},
	} {
		text, own := section(cmd.page, cmd.heading)
		rows := map[string]string{} // flag name → its table row
		for _, line := range strings.Split(own, "\n") {
			if !strings.HasPrefix(line, "| `-") {
				continue
			}
			for _, cell := range strings.Split(strings.SplitN(line, " | ", 2)[0], "`, `") {
				name, _, _ := strings.Cut(strings.Trim(cell, "|` "), " ")
				rows[strings.TrimLeft(name, "-")] = line
			}
		}
		cmd.flags.VisitAll(func(f *flag.Flag) {
			if cmd.heading == "## `autosync explore`" && verify.Lookup(f.Name) != nil {
				return // verify's, listed there
			}
			dashes := "--"
			if len(f.Name) == 1 {
				dashes = "-"
			}
			if !regexp.MustCompile("(^|[\\s`(])" + regexp.QuoteMeta(dashes+f.Name) + "\\b").MatchString(text) {
				t.Errorf("%s %s: %s%s is not there", cmd.page, cmd.heading, dashes, f.Name)
				return
			}
			row, ok := rows[f.Name]
			if !ok || !shownDefault(f.DefValue) {
				return
			}
			if !rowHasDefault(row, f.DefValue) {
				t.Errorf("%s %s: %s%s defaults to %q in the code; the row there: %s", cmd.page, cmd.heading, dashes, f.Name, f.DefValue, row)
			}
		})
	}
}

// shownDefault reports whether a default is one a table writes: not none,
// not zero, not a list (written as "the reference defaults").
func shownDefault(d string) bool {
	switch d {
	case "", "false", "0", "0s", "0 bytes", "[]":
		return false
	}
	return !strings.Contains(d, ",")
}

var codeSpan = regexp.MustCompile("`([^`]*)`")

// rowHasDefault reports whether a table row shows d, as written or, for a
// duration, as any spelling of it (60s for 1m0s).
func rowHasDefault(row, d string) bool {
	if strings.Contains(row, d) || strings.Contains(row, strings.ReplaceAll(d, " ", "")) {
		return true // 256 MiB is written 256MiB
	}
	want, err := time.ParseDuration(d)
	if err != nil {
		return false
	}
	for _, m := range codeSpan.FindAllStringSubmatch(row, -1) {
		if got, err := time.ParseDuration(m[1]); err == nil && got == want {
			return true
		}
	}
	return false
}
