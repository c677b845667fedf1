package steps

import (
	"strconv"
	"strings"

	"github.com/autosync/autosync/features/hostile"
)

// expandHostile expands the placeholders of package hostile's values:
// {hostile:NAME}, {hostile:NAME:csv}, {variant:NAME:OF} and {longline:N}.
// OF is level, group, or a placeholder's kind and name: barcode:b1,
// adminid:s1, user:ann.
func (s *scenario) expandHostile(name, arg string) (string, bool) {
	switch name {
	case "hostile":
		key, form, _ := strings.Cut(arg, ":")
		v, ok := hostile.Lookup(key)
		if ok && form == "csv" { // inside a quoted field: quotes doubled
			return strings.ReplaceAll(v, `"`, `""`), true
		}
		return v, ok && form == ""
	case "variant":
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
	case "longline":
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 {
			return "", false
		}
		return hostile.LongLine(n), true
	}
	return "", false
}
