package engine

import (
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// DefaultAcademicLevels returns the academic level import IDs a server
// declares when none are configured: the reference server's, and what
// lint, fake and push assume unless told.
func DefaultAcademicLevels() []string {
	return strings.Split("K,1,2,3,4,5,6,7,8,9,10,11,12", ",")
}

// DefaultPresentationGroups returns the presentation groups current when
// none are configured.
func DefaultPresentationGroups() []string {
	return []string{"Junior School", "Middle School", "Senior School"}
}

// Config is what a server declares: the values some columns must take.
type Config struct {
	// AcademicLevels are the import IDs declared in Settings > Cohorts >
	// Academic Levels (R-ROW-8).
	AcademicLevels []string
	// PresentationGroups are the current presentation groups (R-ROW-14).
	PresentationGroups []string
	// BcryptCost is the cost of password hashes (R-ROW-17); 0 means
	// bcrypt.MinCost, so that a school's file imports in seconds.
	BcryptCost int
	// SkipPasswordHashing judges passwords without hashing them, for a
	// scratch store whose patrons nobody logs in as (lint, expected
	// results): the outcome of every row is the same.
	SkipPasswordHashing bool
}

// Engine judges and applies rows under one Config. It holds no state that an
// import changes, so one Engine serves any number of imports.
type Engine struct {
	levels     DeclaredSet
	groups     DeclaredSet
	bcryptCost int
	skipHash   bool
	judges     Judges
}

// New returns an engine for cfg.
func New(cfg Config) (*Engine, error) {
	e := &Engine{
		levels:     declared(cfg.AcademicLevels),
		groups:     declared(cfg.PresentationGroups),
		bcryptCost: cfg.BcryptCost,
		skipHash:   cfg.SkipPasswordHashing,
		judges:     defaultJudges(),
	}
	if e.bcryptCost == 0 {
		e.bcryptCost = bcrypt.MinCost
	}
	if e.bcryptCost < bcrypt.MinCost || e.bcryptCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("rules: bcrypt cost %d is outside %d..%d", cfg.BcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	return e, nil
}

// DeclaredSet is a list of declared values, matched case-insensitively and
// stored as declared.
type DeclaredSet struct {
	exact  map[string]struct{}
	Folded map[string]string // lower-case → as declared
}

func declared(values []string) DeclaredSet {
	s := DeclaredSet{exact: map[string]struct{}{}, Folded: map[string]string{}}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v != "" {
			s.exact[v] = struct{}{}
			s.Folded[strings.ToLower(v)] = v
		}
	}
	return s
}

// DeclaredLevels returns the academic levels e was configured with, for a
// judge written outside the engine (mockserver/deviant).
func DeclaredLevels(e *Engine) DeclaredSet { return e.levels }

// DeclaredGroups returns the presentation groups e was configured with,
// for a judge written outside the engine (mockserver/deviant).
func DeclaredGroups(e *Engine) DeclaredSet { return e.groups }

// NewWith returns an engine for cfg whose judges adjust has rewritten: the
// one way to change a rule, which only mockserver/deviant takes, to break
// rules on purpose for the tests that show the suite notices.
func NewWith(cfg Config, adjust func(j *Judges)) (*Engine, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	adjust(&e.judges)
	return e, nil
}
