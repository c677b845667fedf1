package api

import (
	"bytes"
	_ "embed" // the JSON report's schema
)

// reportSchema describes autosync's JSON report; see ReportSchema.
//
//go:embed report.schema.json
var reportSchema []byte

// ReportSchema returns the JSON Schema (2020-12) of the report that
// autosync verify and explore write with --report json=FILE, as written in
// api/report.schema.json.
func ReportSchema() []byte { return bytes.Clone(reportSchema) }
