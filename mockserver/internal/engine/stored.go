package engine

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/store"
)

// CheckStored reports what makes p a patron no import could have stored,
// whatever the server's configuration: no username, or one with spaces
// around it; a graduation year outside 1900 to 2100 (R-ROW-7); text that is
// not UTF-8, holds control characters or is longer than 255 characters
// (R-ROW-15). A state file is checked with it patron by patron, so that an
// impossible one refuses the file rather than being loaded; what depends on
// the configuration (academic levels, presentation groups) is not checked,
// since it may change between two runs. Uniqueness is the store's to check.
func CheckStored(p *store.Patron) error {
	if p.Username == "" || strings.TrimSpace(p.Username) != p.Username {
		return fmt.Errorf("patron %q: no username, or spaces around it (R-ROW-1)", p.Username)
	}
	if y := p.GraduationYear; y != 0 && (y < 1900 || y > 2100) {
		return fmt.Errorf("patron %q: graduation year %d is not from 1900 to 2100 (R-ROW-7)", p.Username, y)
	}
	for c := range Column(numColumns) {
		f := text(p, c)
		if f == nil || *f == "" {
			continue
		}
		switch v := *f; {
		case !utf8.ValidString(v):
			return fmt.Errorf("patron %q: %s is not UTF-8", p.Username, c)
		case c.isText() && HasControl(v):
			return fmt.Errorf("patron %q: %s holds control characters (R-ROW-15)", p.Username, c)
		case c.isText() && utf8.RuneCountInString(v) > MaxText:
			return fmt.Errorf("patron %q: %s is longer than %d characters (R-ROW-15)", p.Username, c, MaxText)
		}
	}
	return nil
}
