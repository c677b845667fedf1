// Package reportschema checks a JSON report (autosync verify or explore
// --report json=FILE) against its JSON Schema, api/report.schema.json. Only
// tests import it, so the validator is not linked into autosync.
package reportschema

import (
	"bytes"
	"fmt"

	"github.com/autosync/autosync/api"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validate reports whether doc is one JSON report of the schema's shape,
// naming every place it is not.
func Validate(doc []byte) error {
	schema, err := compile()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("report: not JSON: %w", err)
	}
	if err := schema.Validate(v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func compile() (*jsonschema.Schema, error) {
	const url = "https://github.com/autosync/autosync/api/report.schema.json"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.ReportSchema()))
	if err != nil {
		return nil, fmt.Errorf("report.schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("report.schema.json: %w", err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("report.schema.json: %w", err)
	}
	return s, nil
}
