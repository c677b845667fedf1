package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlReport string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"class": func(s Status) string { return strings.ReplaceAll(s.String(), " ", "-") },
	"join":  strings.Join,
	"inc":   func(i int) int { return i + 1 },
}).Parse(htmlReport))

// htmlData is what the HTML report shows.
type htmlData struct {
	*Report
	Summary  string
	Rules    []RuleResult
	NotShown []*ScenarioResult // every scenario that did not pass
	Strictly string
}

// WriteHTML writes the report as one self-contained HTML page, with no
// external assets: the counts, every rule of the catalogue with its kind
// and outcome (and, for a documented rule, the documents' sentence), and
// every scenario that did not pass, expandable, with its exchanges and a
// curl command that repeats each (passwords read from $AUTOSYNC_PASSWORD).
func (r *Report) WriteHTML(w io.Writer) error {
	d := htmlData{Report: r, Summary: r.summaryLine(), Rules: r.Rules(), Strictly: strictness(r.Strict)}
	for _, s := range r.Scenarios {
		if s.Status != Passed {
			d.NotShown = append(d.NotShown, s)
		}
	}
	if err := htmlTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}
