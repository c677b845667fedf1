package rules

import (
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

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
	// Deviations break named rules on purpose, so that a test can show the
	// conformance suite notices. Never set outside tests.
	Deviations Deviations
}

// Engine judges and applies rows under one Config. It holds no state that an
// import changes, so one Engine serves any number of imports.
type Engine struct {
	levels     map[string]string // lower-case → as declared
	groups     map[string]string
	bcryptCost int
	dev        Deviations
}

// New returns an engine for cfg.
func New(cfg Config) (*Engine, error) {
	e := &Engine{
		levels:     declared(cfg.AcademicLevels),
		groups:     declared(cfg.PresentationGroups),
		bcryptCost: cfg.BcryptCost,
		dev:        cfg.Deviations,
	}
	if e.bcryptCost == 0 {
		e.bcryptCost = bcrypt.MinCost
	}
	if e.bcryptCost < bcrypt.MinCost || e.bcryptCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("rules: bcrypt cost %d is outside %d..%d", cfg.BcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	return e, nil
}

func declared(values []string) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v != "" {
			m[strings.ToLower(v)] = v
		}
	}
	return m
}
