package reports

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteCucumber writes the cucumber JSON report from godog's (raw) so
// that every consumer counts what verify counts. A scenario that differs
// from the reference failed a step in godog's eyes; here that step passed,
// with the difference embedded as a text/plain note, the way cucumber
// attaches text to a step. A run the preflight stopped (raw is nil) is one
// feature, "preflight", with one failed scenario whose error says why, so
// that a report publisher shows an error, not an empty success.
func (r *Report) WriteCucumber(w io.Writer, raw []byte) error {
	var doc []map[string]any
	if r.Stopped != nil {
		doc = []map[string]any{r.stoppedCucumber()}
	} else {
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("read godog's cucumber report: %w", err)
		}
		differs := map[string]*ScenarioResult{}
		for _, s := range r.Scenarios {
			if s.Status == Differs {
				differs[s.Name] = s
			}
		}
		for _, feature := range doc {
			elements, _ := feature["elements"].([]any)
			for _, el := range elements {
				el, _ := el.(map[string]any)
				name, _ := el["name"].(string)
				if s, ok := differs[name]; ok {
					markDiffers(el, s)
				}
			}
		}
	}
	out, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return fmt.Errorf("write cucumber report: %w", err)
	}
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("write cucumber report: %w", err)
	}
	return nil
}

// markDiffers turns the failed step of a scenario that differs from the
// reference into a passed one that carries the difference as a note; a
// scenario whose steps all passed (a wording noted, not failed) gets the
// note on its last step. The steps after a failed one did not run, and
// stay skipped.
func markDiffers(el map[string]any, s *ScenarioResult) {
	note := "differs from the reference (a decided rule; not a failure unless --strict)"
	if s.Failure != "" {
		note += ": " + s.Failure
	}
	if len(s.Differs) > 0 {
		note += ": " + strings.Join(s.Differs, "; ")
	}
	steps, _ := el["steps"].([]any)
	var at map[string]any // the step that carries the note
	for _, st := range steps {
		st, _ := st.(map[string]any)
		if res, _ := st["result"].(map[string]any); res != nil && res["status"] == "failed" {
			res["status"] = "passed"
			delete(res, "error_message")
			at = st
			break
		}
	}
	for i := len(steps) - 1; i >= 0 && at == nil; i-- {
		st, _ := steps[i].(map[string]any)
		if res, _ := st["result"].(map[string]any); res != nil && res["status"] == "passed" {
			at = st
		}
	}
	if at == nil {
		return
	}
	list, _ := at["embeddings"].([]any)
	at["embeddings"] = append(list, map[string]any{
		"mime_type": "text/plain",
		"name":      "differs from the reference",
		"data":      base64.StdEncoding.EncodeToString([]byte(note)),
	})
}

// stoppedCucumber is the cucumber feature of a run the preflight stopped.
func (r *Report) stoppedCucumber() map[string]any {
	// The step's name says which check stopped the run: the message is
	// what to fix, a sentence a line, each said once.
	msg := strings.Join(r.Stopped.Lines, "\n")
	return map[string]any{
		"uri": "preflight", "id": "preflight", "keyword": "Feature", "name": "preflight",
		"description": "The checks before any scenario: the run stopped here and no rule was judged.",
		"line":        1,
		"elements": []any{map[string]any{
			"id": "preflight;preflight", "keyword": "Scenario", "name": "preflight", "line": 1, "type": "scenario",
			"steps": []any{map[string]any{
				"keyword": "Given ", "name": "the target answers the preflight (" + r.Stopped.Check + ")", "line": 1,
				"result": map[string]any{"status": "failed", "error_message": msg, "duration": r.Duration.Nanoseconds()},
			}},
		}},
	}
}
