package api

import (
	"bytes"
	_ "embed" // the OpenAPI document
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// openAPI is the endpoint's contract; see OpenAPIYAML.
//
//go:embed openapi.yaml
var openAPI []byte

// OpenAPIYAML returns the OpenAPI 3.1 document of the import endpoint,
// /healthz and /_mock/, as written in api/openapi.yaml: the contract that
// tools such as Schemathesis and Prism start from. The reference server
// serves it at /openapi.yaml and /openapi.json, and a test checks every
// answer the server gives in the suite's run against it.
func OpenAPIYAML() []byte { return bytes.Clone(openAPI) }

// OpenAPIJSON returns the same document as JSON, its keys in the order the
// YAML gives them.
func OpenAPIJSON() ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	var b bytes.Buffer
	if err := appendJSON(&b, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// appendJSON writes the YAML node n as JSON, keeping the order of mapping
// keys (encoding/json would sort them).
func appendJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("line %d: want one document", n.Line)
		}
		return appendJSON(b, n.Content[0])
	case yaml.AliasNode:
		return appendJSON(b, n.Alias)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a key that is not a scalar", k.Line)
			}
			if err := appendScalar(b, k.Value); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := appendJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := appendJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		return appendScalar(b, v)
	default:
		return fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	return nil
}

func appendScalar(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}
