package steps

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/autosync/autosync/features/placeholder"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	"github.com/brianvoe/gofakeit/v7"
)

// scenario is the state of one scenario, made fresh for each.
type scenario struct {
	stop   func() bool // ends the tie between the run's context and the scenario's
	run    *runState
	target target.Target
	strict bool
	id     string // short and unique in the run, e.g. "s12"
	fake   *gofakeit.Faker

	file, second []byte // the CSV to upload, and an optional second file part
	fileName     string

	exchanges []*target.Exchange
	last      *target.Exchange
	answer    map[string]any // the last answer's JSON object, or nil

	values    map[string]string // placeholder → value, stable within the scenario
	usernames map[string]bool   // every username the scenario put in a file
	password  string

	earlyAnswer bool   // the answer came while the upload was still held back
	statusHint  string // what a wrong status may mean, e.g. the body limit given
	skip        string
	noProof     string   // why the scenario's files cannot tell a conforming target from another
	differs     []string // decided-rule wording that differs, when not strict
}

// runState is what the scenarios of one run share.
type runState struct {
	mu      sync.Mutex
	next    int
	seed    int64
	runID   string
	results []*reports.ScenarioResult
	created target.Created  // the patrons the answers show were created
	inspect bool            // the target serves /_mock/ pages
	ctx     context.Context // the run's: done when a signal stops it
}

func (r *runState) newID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	return "s" + strconv.Itoa(r.next)
}

// fakerFor seeds a scenario's faker from the run seed and the scenario's
// name, so that --seed replays the same values whatever the order.
func fakerFor(seed int64, name string) *gofakeit.Faker {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", seed, name)
	return gofakeit.New(h.Sum64())
}

// expand replaces the placeholders of feature text:
//
//	{user:ann} {User:ann} {USER:ann}  a username unique to the run and scenario, in that case
//	{email:ann}                       an address for that username
//	{barcode:b1} {adminid:s1}         a library barcode / admin system id unique to the run
//	{digits:b1}                       twelve digits unique to the run and scenario, for a barcode of digits
//	{user:ann:255} {barcode:b1:255:é} any of these, padded with x (or the
//	                                  character given) to exactly N characters
//	{level} {level:swapcase}          the profile's academic level (letter case swapped)
//	{group} {group:upper} {group:lower} the profile's presentation group (in that case)
//	{group:spaced} {group:nbsp}       the group with its inner spaces doubled, or no-break
//	{year}                            a valid graduation year
//	{given} {surname}                 a fake name
//	{password}                        the scenario's password
//	{run}                             the run id
//	{tab}                             a tab character
//	{char:U+202E}                     the character of that code point
//	{repeat:x:N}                      x written N times
//	{hostile:NAME} {hostile:NAME:csv} a value of package hostile (its quotes doubled, for a quoted field)
//	{variant:NAME:level} {variant:NAME:group} {variant:NAME:barcode:b1} {variant:NAME:adminid:s1} {variant:NAME:user:ann}
//	                                  a value a naive match takes for that one
//	{longline:N}                      a cell of N bytes
func (s *scenario) expand(text string) string {
	return placeholder.Pattern.ReplaceAllStringFunc(text, func(m string) string {
		sub := placeholder.Pattern.FindStringSubmatch(m)
		name, arg := sub[1], sub[2]
		switch name {
		case "user", "User", "USER", "barcode", "adminid":
			if key, n, ok := strings.Cut(arg, ":"); ok {
				return s.padded(name, key, n, m)
			}
		}
		switch name {
		case "user":
			return s.username(arg)
		case "User":
			u := []rune(s.username(arg))
			u[0] = unicode.ToUpper(u[0])
			return string(u)
		case "USER":
			return strings.ToUpper(s.username(arg))
		case "email":
			return s.username(arg) + "@example.edu"
		case "barcode":
			return s.stable("barcode:"+arg, func() string { return strings.ToUpper(s.base()) + "B" + strings.ToUpper(arg) })
		case "adminid":
			return s.stable("adminid:"+arg, func() string { return strings.ToUpper(s.base()) + "A" + strings.ToUpper(arg) })
		case "digits":
			return s.stable("digits:"+arg, func() string {
				h := fnv.New64a()
				fmt.Fprintf(h, "%s/%s", s.base(), arg)
				return strconv.FormatUint(100_000_000_000+h.Sum64()%900_000_000_000, 10)
			})
		case "level":
			if arg == "swapcase" {
				swapped := target.SwapCase(s.target.AcademicLevel)
				if swapped == s.target.AcademicLevel {
					s.noProof = fmt.Sprintf("the academic level %q has no letters, so swapping their case proves nothing; give a level with letters (e.g. Y7) to run this scenario", s.target.AcademicLevel)
				}
				return swapped
			}
			return s.target.AcademicLevel
		case "group":
			switch arg {
			case "upper", "lower":
				v := strings.ToUpper(s.target.PresentationGroup)
				if arg == "lower" {
					v = strings.ToLower(v)
				}
				if v == s.target.PresentationGroup {
					s.noProof = fmt.Sprintf("the presentation group %q is already in %s case, so changing it proves nothing; give a group in mixed case (e.g. Senior School) to run this scenario", s.target.PresentationGroup, arg)
				}
				return v
			case "spaced", "nbsp": // its inner spaces doubled, or no-break
				with := "  "
				if arg == "nbsp" {
					with = "\u00a0"
				}
				if !strings.Contains(s.target.PresentationGroup, " ") {
					s.noProof = fmt.Sprintf("the presentation group %q has no space inside, so writing its spaces otherwise proves nothing; give a group of two words (e.g. Senior School) to run this scenario", s.target.PresentationGroup)
				}
				return strings.ReplaceAll(s.target.PresentationGroup, " ", with)
			}
			return s.target.PresentationGroup
		case "year":
			return s.stable("year", func() string { return strconv.Itoa(2027 + s.fake.IntN(8)) })
		case "given":
			return s.stable("given", func() string { return csvSafe(s.fake.FirstName()) })
		case "surname":
			return s.stable("surname", func() string { return csvSafe(s.fake.LastName()) })
		case "password":
			return s.password
		case "run":
			return s.run.runID
		case "variant":
			if v, ok := s.variant(arg); ok {
				return v
			}
		}
		if v, ok := placeholder.Fixed(name, arg); ok { // {tab}, {char:…}, {repeat:…}, {hostile:…}, {longline:…}
			return v
		}
		return m
	})
}

// padded expands {name:key} and pads it to the length spec gives, "N" or
// "N:c"; a username so made is one the scenario used.
func (s *scenario) padded(name, key, spec, m string) string {
	n, fill, _ := strings.Cut(spec, ":")
	count, err := strconv.Atoi(n)
	if err != nil {
		return m
	}
	if fill == "" {
		fill = "x"
	}
	v := s.expand("{" + name + ":" + key + "}")
	if short := count - utf8.RuneCountInString(v); short > 0 {
		v += strings.Repeat(fill, short)
	}
	if name == "user" || name == "User" || name == "USER" {
		s.usernames[strings.ToLower(v)] = true
	}
	return v
}

// base is the run's prefix plus the scenario id, e.g. "acs-3f9a1c-s12-".
func (s *scenario) base() string {
	return s.target.Prefix + s.id + "-"
}

func (s *scenario) username(name string) string {
	u := s.stable("user:"+name, func() string { return strings.ToLower(s.base() + name) })
	s.usernames[u] = true
	return u
}

func (s *scenario) stable(key string, make func() string) string {
	if v, ok := s.values[key]; ok {
		return v
	}
	v := make()
	s.values[key] = v
	return v
}

// csvSafe keeps a fake value from needing CSV quoting.
func csvSafe(v string) string {
	return strings.NewReplacer(",", "", `"`, "", "\n", "").Replace(v)
}
