package steps

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// TagExpr is a parsed tag expression.
type TagExpr interface {
	// Match reports whether a scenario with these tags (each with its @)
	// is selected.
	Match(tags map[string]bool) bool
}

type tagLit string
type tagNot struct{ x TagExpr }
type tagAnd struct{ a, b TagExpr }
type tagOr struct{ a, b TagExpr }

func (t tagLit) Match(tags map[string]bool) bool { return tags[string(t)] }
func (t tagNot) Match(tags map[string]bool) bool { return !t.x.Match(tags) }
func (t tagAnd) Match(tags map[string]bool) bool { return t.a.Match(tags) && t.b.Match(tags) }
func (t tagOr) Match(tags map[string]bool) bool  { return t.a.Match(tags) || t.b.Match(tags) }

// Heavy tags the scenarios that send the longest files (past 10,000 and
// 65,536 rows): a run leaves them out unless its tag expression names the
// tag, so the whole suite against the built-in server stays under two
// seconds; CI runs them apart (steps/heavy).
const Heavy = "@heavy"

// WithoutHeavy returns the tag expression s that also leaves out the
// scenarios tagged @heavy, unless s names them.
func WithoutHeavy(s string) string {
	for _, tok := range tokenizeTags(s) {
		if strings.EqualFold(tok, Heavy) {
			return s
		}
	}
	if strings.TrimSpace(s) == "" {
		return "not " + Heavy
	}
	return "(" + s + ") and not " + Heavy
}

// ParseTags reads a Cucumber tag expression: tags joined by "and", "or" and
// "not", with parentheses ("@documented and not @R-AUTH-3"). godog's own
// form is accepted too: "," for or, "&&" for and, "~" for not.
func ParseTags(s string) (TagExpr, error) {
	p := &tagParser{toks: tokenizeTags(s)}
	if len(p.toks) == 0 {
		return nil, nil
	}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("tag expression %q: unexpected %q", s, p.toks[p.pos])
	}
	return x, nil
}

func tokenizeTags(s string) []string {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(' || c == ')' || c == ',' || c == '~':
			flush()
			toks = append(toks, string(c))
		case c == '&' && i+1 < len(s) && s[i+1] == '&':
			flush()
			toks = append(toks, "&&")
			i++
		case unicode.IsSpace(rune(c)):
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return toks
}

type tagParser struct {
	toks []string
	pos  int
}

func (p *tagParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *tagParser) or() (TagExpr, error) {
	x, err := p.and()
	for err == nil && strings.EqualFold(p.peek(), "or") {
		p.pos++
		var y TagExpr
		if y, err = p.and(); err == nil {
			x = tagOr{x, y}
		}
	}
	return x, err
}

func (p *tagParser) and() (TagExpr, error) {
	x, err := p.comma()
	for err == nil && (strings.EqualFold(p.peek(), "and") || p.peek() == "&&") {
		p.pos++
		var y TagExpr
		if y, err = p.comma(); err == nil {
			x = tagAnd{x, y}
		}
	}
	return x, err
}

// comma reads godog's "," (or), which binds tighter than "&&".
func (p *tagParser) comma() (TagExpr, error) {
	x, err := p.not()
	for err == nil && p.peek() == "," {
		p.pos++
		var y TagExpr
		if y, err = p.not(); err == nil {
			x = tagOr{x, y}
		}
	}
	return x, err
}

func (p *tagParser) not() (TagExpr, error) {
	switch t := p.peek(); {
	case strings.EqualFold(t, "not") || t == "~":
		p.pos++
		x, err := p.not()
		return tagNot{x}, err
	case t == "(":
		p.pos++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errors.New("tag expression: missing )")
		}
		p.pos++
		return x, nil
	case strings.HasPrefix(t, "@") && len(t) > 1:
		p.pos++
		return tagLit(t), nil
	case t == "":
		return nil, errors.New("tag expression: ends too soon")
	}
	return nil, fmt.Errorf("tag expression: %q is not a tag (tags start with @)", p.peek())
}

// godogFilter writes x in godog's filter form, which is a conjunction of
// disjunctions ("@a,~@b && @c"): x is put into that form first.
func godogFilter(x TagExpr) string {
	if x == nil {
		return ""
	}
	var clauses []string
	for _, clause := range cnf(nnf(x, false)) {
		clauses = append(clauses, strings.Join(clause, ","))
	}
	return strings.Join(clauses, " && ")
}

// nnf pushes negations down to the tags.
func nnf(x TagExpr, neg bool) TagExpr {
	switch t := x.(type) {
	case tagLit:
		if neg {
			return tagNot{t}
		}
		return t
	case tagNot:
		return nnf(t.x, !neg)
	case tagAnd:
		if neg {
			return tagOr{nnf(t.a, true), nnf(t.b, true)}
		}
		return tagAnd{nnf(t.a, false), nnf(t.b, false)}
	case tagOr:
		if neg {
			return tagAnd{nnf(t.a, true), nnf(t.b, true)}
		}
		return tagOr{nnf(t.a, false), nnf(t.b, false)}
	}
	return x
}

// cnf returns the clauses of x (in negation normal form), each a list of
// literals written "@tag" or "~@tag".
func cnf(x TagExpr) [][]string {
	switch t := x.(type) {
	case tagLit:
		return [][]string{{string(t)}}
	case tagNot:
		return [][]string{{"~" + string(t.x.(tagLit))}}
	case tagAnd:
		return append(cnf(t.a), cnf(t.b)...)
	case tagOr:
		var out [][]string
		for _, a := range cnf(t.a) {
			for _, b := range cnf(t.b) {
				out = append(out, append(append([]string{}, a...), b...))
			}
		}
		return out
	}
	return nil
}
