package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/store"
)

// PatronJSON is a patron as /_mock/patrons shows it: an object keyed by
// the CSV column names, in column order, booleans as JSON booleans, the
// graduation year a number or null, other unset values "". There is no
// password field, ever. Its fields are the columns' (see columns), so a new
// column is shown and read back with no change here.
type PatronJSON store.Patron

// NewPatronJSON returns p as /_mock/patrons shows it.
func NewPatronJSON(p store.Patron) PatronJSON {
	p.PasswordHash = ""
	return PatronJSON(p)
}

// Patron returns the patron j shows, without a password: what a tool that
// reads a /_mock/patrons dump (autosync lint --existing) knows of it.
func (j PatronJSON) Patron() store.Patron {
	p := store.Patron(j)
	p.PasswordHash = ""
	return p
}

// MarshalJSON writes every column but the password, in column order.
func (j PatronJSON) MarshalJSON() ([]byte, error) {
	p := store.Patron(j)
	b := make([]byte, 0, 512)
	b = append(b, '{')
	for c, col := range columns {
		if col.kind == passwordCell {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendJSONString(b, col.header)
		b = append(b, ':')
		switch col.kind {
		case flagCell:
			v, _ := strconv.ParseBool(Value(&p, Column(c)))
			b = strconv.AppendBool(b, v)
		case yearCell:
			if v := Value(&p, Column(c)); v == "" {
				b = append(b, "null"...)
			} else {
				b = append(b, v...)
			}
		default:
			b = appendJSONString(b, Value(&p, Column(c)))
		}
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes; a column it does not give
// is left unset, and a key that names no column is ignored.
func (j *PatronJSON) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	var p store.Patron
	for c, col := range columns {
		raw, ok := fields[col.header]
		if !ok || col.kind == passwordCell || string(raw) == "null" {
			continue
		}
		var v string
		switch col.kind {
		case flagCell:
			var f bool
			if err := json.Unmarshal(raw, &f); err != nil {
				return fmt.Errorf("%s: %w", col.header, err)
			}
			v = strconv.FormatBool(f)
		case yearCell:
			var y int
			if err := json.Unmarshal(raw, &y); err != nil {
				return fmt.Errorf("%s: %w", col.header, err)
			}
			v = strconv.Itoa(y)
		default:
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("%s: %w", col.header, err)
			}
		}
		if !SetValue(&p, Column(c), v) {
			return fmt.Errorf("%s: %q is not a value of the column", col.header, v)
		}
	}
	*j = PatronJSON(p)
	return nil
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping: bytes that are not UTF-8 become U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
