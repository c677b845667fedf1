package rules

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
	levels     declaredSet
	groups     declaredSet
	bcryptCost int
	skipHash   bool
	judges     judges
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

// declaredSet is a list of declared values, matched case-insensitively and
// stored as declared.
type declaredSet struct {
	exact  map[string]struct{}
	folded map[string]string // lower-case → as declared
}

func declared(values []string) declaredSet {
	s := declaredSet{exact: map[string]struct{}{}, folded: map[string]string{}}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v != "" {
			s.exact[v] = struct{}{}
			s.folded[strings.ToLower(v)] = v
		}
	}
	return s
}
