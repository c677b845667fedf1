package target

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RowUsernames returns the username of every row of a CSV file, by row
// number (index 0 is row 1), as a server numbers them: the first record is
// the header, and blank lines get no number (R-CSV-5, R-CSV-8). With
// lazyQuotes, a quote inside a field is read as text (encoding/csv's
// LazyQuotes), for files that are malformed on purpose. It returns nil for
// a file it cannot read. A run and autosync explore both use it.
func RowUsernames(file []byte, lazyQuotes bool) []string {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file, []byte("\ufeff"))))
	r.FieldsPerRecord, r.LazyQuotes = -1, lazyQuotes
	col := -1
	var out []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			return nil
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if col < 0 {
			for i, name := range rec {
				if strings.EqualFold(strings.TrimSpace(name), "username") {
					col = i
				}
			}
			if col < 0 {
				return nil
			}
			continue
		}
		name := ""
		if col < len(rec) {
			name = strings.TrimSpace(rec[col])
		}
		out = append(out, name)
	}
}

var summaryCounts = regexp.MustCompile(`(\d+) users? processed\. (\d+) users? created\. (\d+) users? updated\. (\d+) users? failed\.`)

// Counts reads a documented summary (R-RES-2): processed, created, updated
// and failed. ok is false when summary has another shape.
func Counts(summary string) (n [4]int, ok bool) {
	m := summaryCounts.FindStringSubmatch(summary)
	if m == nil {
		return n, false
	}
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return n, true
}

// Created is the set of patrons a run created on a target, as far as the
// answers show; safe for use by concurrent scenarios. The zero value is
// empty and ready.
type Created struct {
	mu    sync.Mutex
	names map[string]string // lower-case username → as sent
}

// Note remembers the patrons an upload of file created, as far as the
// answer shows: the rows that details call "User Created" or, in an answer
// without details, every row whose username is new to the run when the
// summary counts any creation. Only usernames that start with prefix are
// kept, so that clean-up never touches a target's own patrons.
func (r *Created) Note(prefix string, file []byte, status int, answer map[string]any) {
	if status != http.StatusOK || answer == nil {
		return
	}
	names := RowUsernames(file, false)
	var created []string
	if details, ok := answer["details"].(map[string]any); ok {
		for key, v := range details {
			n, err := strconv.Atoi(key)
			if v == "User Created" && err == nil && n >= 1 && n <= len(names) {
				created = append(created, names[n-1])
			}
		}
	} else if summary, _ := answer["summary"].(string); summary != "" {
		if c, ok := Counts(summary); ok && c[1] > 0 {
			created = names
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names == nil {
		r.names = map[string]string{}
	}
	for _, name := range created {
		key := strings.ToLower(name)
		if name == "" || !strings.HasPrefix(key, strings.ToLower(prefix)) {
			continue
		}
		if _, known := r.names[key]; !known {
			r.names[key] = name
		}
	}
}

// List returns the usernames of the patrons the run created, sorted.
func (r *Created) List() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.names))
	for _, name := range r.names {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// cleanUpTime bounds the clean-up of a run, which goes on after the run
// was told to stop.
const cleanUpTime = 15 * time.Second

// CleanUp disables the patrons names in one import, since the API cannot
// delete them, and says what came of it, e.g. "disabled 81 test patrons
// that the run created".
//
// It runs even when ctx is done: a run stopped by a signal still disables
// what it created, within cleanUpTime.
func CleanUp(ctx context.Context, t Target, names []string) string {
	if len(names) == 0 {
		return "the run created no test patrons"
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanUpTime)
	defer cancel()
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	w.Write([]string{"username", "enabled"})
	for _, name := range names {
		w.Write([]string{name, "N"})
	}
	w.Flush()
	req, err := t.NewUpload(ctx, Part{Field: "file", FileName: "autosync-cleanup.csv", Content: file.Bytes()})
	if err != nil {
		return fmt.Sprintf("could not disable the %d test patrons that the run created: %v", len(names), err)
	}
	req.SetBasicAuth(t.Username, t.Password)
	answer, err := t.Do(req, &Exchange{})
	if err != nil {
		return fmt.Sprintf("could not disable the %d test patrons that the run created: %v", len(names), err)
	}
	summary, _ := answer["summary"].(string)
	if c, ok := Counts(summary); ok && answer["success"] == true && c[2] == len(names) {
		return fmt.Sprintf("disabled %d test %s that the run created", len(names), plural(len(names), "patron"))
	}
	return fmt.Sprintf("tried to disable the %d test %s that the run created; the target answered %q",
		len(names), plural(len(names), "patron"), summary)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
