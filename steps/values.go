package steps

import (
	"strings"

	"github.com/autosync/autosync/features/hostile"
)

// variant expands {variant:NAME:OF}: a value a naive match takes for the
// one OF names, which is level, group, or a placeholder's kind and name
// (barcode:b1, adminid:s1, user:ann).
func (s *scenario) variant(arg string) (string, bool) {
	key, of, ok := strings.Cut(arg, ":")
	if !ok {
		return "", false
	}
	var v string
	switch kind, id, _ := strings.Cut(of, ":"); kind {
	case "level":
		v = s.target.AcademicLevel
	case "group":
		v = s.target.PresentationGroup
	case "barcode", "adminid", "user":
		v = s.expand("{" + kind + ":" + id + "}")
	default:
		return "", false
	}
	return hostile.VariantOf(key, v)
}
