package lint

import (
	"fmt"

	"github.com/autosync/autosync/mockserver/preview"
)

// Damage returns why push should hold the file back: the report's
// warnings of damage a spreadsheet did to the file (scientific notation,
// stripped leading zeros, garbled names, letters lost to ?), then the
// preview's holds (its changes against the known patrons).
func (r *Report) Damage() []preview.Hold {
	var out []preview.Hold
	for _, p := range r.Problems {
		if p.damage {
			ex := p.Value
			if p.Column != "" {
				ex = fmt.Sprintf("line %d, %s %q", p.Line, p.Column, p.Value)
			}
			h := preview.Hold{Reason: p.Message, Fix: p.Fix}
			if ex != "" && p.Value != "" {
				h.Examples = []string{ex}
			}
			out = append(out, h)
		}
	}
	if r.Preview != nil {
		out = append(out, r.Preview.Holds...)
	}
	return out
}

// WithoutDamage returns a copy of the report without the warnings Damage
// says, for a caller that writes Damage's holds itself (push).
func (r *Report) WithoutDamage() *Report {
	c := *r
	c.Problems = []Problem{}
	for _, p := range r.Problems {
		if p.damage || p.held {
			c.Warnings--
			continue
		}
		c.Problems = append(c.Problems, p)
	}
	return &c
}

// IsDamage reports whether the problem warns of damage to the data that
// push holds a file back for (see Report.Damage).
func (p Problem) IsDamage() bool { return p.damage || p.held }
