package reports

import "io"

// Format is one format a report can take.
type Format struct {
	// Name is what --format and --report call it.
	Name string
	// Terminal says it is for a person at a terminal.
	Terminal bool
	// Write writes the report; nil for cucumber, which the suite's run
	// writes as it goes, from godog's own (see Report.WriteCucumber).
	Write func(r *Report, w io.Writer) error
}

// Formats is every format a report can take. The commands' flags, their
// validation and their help are read from it, so a format added here is
// added everywhere.
var Formats = []Format{
	{"pretty", true, (*Report).WritePretty},
	{"progress", true, (*Report).WriteProgress},
	{"junit", false, (*Report).WriteJUnit},
	{"cucumber", false, nil},
	{"html", false, (*Report).WriteHTML},
	{"json", false, (*Report).WriteJSON},
}

// Named returns the format called name.
func Named(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Names lists the formats' names; with written, only those a report of
// its own writes (cucumber aside).
func Names(written bool) []string {
	var names []string
	for _, f := range Formats {
		if !written || f.Write != nil {
			names = append(names, f.Name)
		}
	}
	return names
}
