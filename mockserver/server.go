// Package mockserver is the reference autoSync endpoint: an http.Handler that
// answers POST /api/import/users exactly as the rules catalogue (features/catalogue.go and docs/rules.md) says the real one
// does, plus read-only inspection under /_mock/.
//
// It holds all its state in the handler and opens no listener, so Go users
// can embed it in their own tests:
//
//	h := mockserver.New(mockserver.WithAcademicLevels("7", "8"))
//	srv := httptest.NewServer(h)
//
// or route a client into it with no socket at all (see Route).
package mockserver

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/autosync/autosync/mockserver/internal/seam"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// The built-in defaults: everything works with no configuration.
const (
	DefaultAdminUser     = "autoimport"
	DefaultAdminPassword = "autoimport"
	DefaultUser          = "librarian"
	DefaultUserPassword  = "librarian"
	DefaultMaxBody       = 256 << 20
	DefaultMemorySpool   = 8 << 20
	DefaultHistoryLimit  = 100
	defaultRealm         = "autosync"
)

// Account is a login the server knows.
type Account struct {
	Username, Password string
	// Admin is true for an account with system administration privileges:
	// only those may import (R-AUTH-1, R-AUTH-3).
	Admin bool
}

// Option configures a server.
type Option func(*server)

// WithAdmin adds an account with system administration privileges. Without
// any, the server has the default admin autoimport/autoimport.
func WithAdmin(username, password string) Option {
	return func(s *server) {
		s.accounts = append(s.accounts, Account{Username: username, Password: password, Admin: true})
	}
}

// WithUser adds an account without system administration privileges, which
// is refused like a wrong password (R-AUTH-3). Without any, the server has
// the default librarian/librarian.
func WithUser(username, password string) Option {
	return func(s *server) {
		s.accounts = append(s.accounts, Account{Username: username, Password: password})
	}
}

// WithAcademicLevels declares the academic level import IDs (R-ROW-8).
func WithAcademicLevels(ids ...string) Option {
	return func(s *server) { s.cfg.AcademicLevels = ids }
}

// WithPresentationGroups declares the current presentation groups (R-ROW-14).
func WithPresentationGroups(labels ...string) Option {
	return func(s *server) { s.cfg.PresentationGroups = labels }
}

// WithMaxBody sets the largest request body accepted, in bytes (R-HTTP-5).
func WithMaxBody(n int64) Option {
	return func(s *server) { s.maxBody = n }
}

// WithBcryptCost sets the cost of password hashes. Values outside bcrypt's
// range are clamped to it; the default is bcrypt's minimum.
func WithBcryptCost(cost int) Option {
	return func(s *server) { s.cfg.BcryptCost = min(max(cost, 4), 31) }
}

// WithoutPasswordHashing makes the server judge passwords (R-ROW-17) but
// store no hash of them: for a reference whose patrons nobody logs in as,
// such as explore's, where hashing every row's password twice was most of
// the run's work. Every answer, and every patron /_mock/ shows, is the same.
func WithoutPasswordHashing() Option {
	return func(s *server) { s.cfg.SkipPasswordHashing = true }
}

// WithLogger sets where the server logs each request. By default it logs
// nothing. It never logs a password or an Authorization header.
func WithLogger(l *slog.Logger) Option {
	return func(s *server) { s.log = l }
}

// WithSpool sets how much of an upload is held in memory before the rest
// goes to a temporary file in dir: "" for beside the state file (or where
// another Spooler says), where a restart removes what a crash left, or else
// the system's temporary folder.
func WithSpool(dir string, memory int64) Option {
	return func(s *server) { s.spoolDir, s.spoolMemory = dir, memory }
}

// WithHistoryBudget sets how many bytes of results the import history may
// hold (default DefaultHistoryBudget).
func WithHistoryBudget(n int) Option {
	return func(s *server) { s.history.budget = n }
}

// WithStore makes the server keep its patrons in st, so that a Go test can
// look at them directly.
func WithStore(st *store.Store) Option {
	return func(s *server) { s.store = st }
}

// WithSeam builds the server otherwise, as b says: with another rule
// engine, wrapped in another handler. Its argument is of a type only
// packages under mockserver can name: mockserver/deviant, which tests use
// to break rules on purpose, is the one caller, and autosync links none of
// it (TestBinaryHasNoDeviations).
func WithSeam(b seam.Build) Option {
	return func(s *server) { s.build = b }
}

// server is one reference endpoint: it wires its parts (the import core,
// the web page, the fault queue, persistence under the core) and answers
// the requests, routing them to the API, the inspection endpoints and the
// page.
type server struct {
	importer            // files received, imported, kept
	page        webPage // the web page
	accounts    accounts
	cfg         rules.Config
	faults      faultQueue
	hosts       map[string]bool // the host names answered; nil for any (WithHosts)
	bodyIdle    time.Duration
	answerWrite time.Duration
	// build, set by WithSeam alone, builds the server otherwise: for the
	// tests that break rules on purpose (mockserver/deviant).
	build seam.Build
}

// New returns the reference endpoint configured by opts.
func New(opts ...Option) http.Handler {
	s := &server{
		importer: importer{
			maxBody:     DefaultMaxBody,
			spoolMemory: DefaultMemorySpool,
			history:     history{limit: DefaultHistoryLimit, budget: DefaultHistoryBudget},
			persist:     memory{},
		},
		cfg: rules.Config{
			AcademicLevels:     rules.DefaultAcademicLevels(),
			PresentationGroups: rules.DefaultPresentationGroups(),
		},
		bodyIdle:    DefaultBodyIdle,
		answerWrite: DefaultAnswerWrite,
		page:        webPage{key: []byte(newToken())},
	}
	for _, opt := range opts {
		opt(s)
	}
	if !s.hasAccount(true) {
		s.accounts = append(s.accounts, Account{Username: DefaultAdminUser, Password: DefaultAdminPassword, Admin: true})
	}
	if !s.hasAccount(false) {
		s.accounts = append(s.accounts, Account{Username: DefaultUser, Password: DefaultUserPassword})
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.store == nil {
		s.store = store.New()
	}
	s.spoolName = "autosync-upload-*.csv"
	if sp, ok := s.persist.(Spooler); ok && s.spoolDir == "" {
		s.spoolDir, s.spoolName = sp.Spool()
	}
	if s.spoolDir == "" {
		s.spoolDir = os.TempDir()
	}
	kept, err := s.persist.Load(s.store)
	if err != nil {
		// The state file was read whole and its patrons are the store's
		// last consistent state, so this does not happen.
		s.log.Error("state not restored", "err", err)
	}
	for _, rec := range kept {
		s.history.add(rec) // numbered anew where an older file had no IDs
	}
	newEngine := rules.New
	if s.build.Engine != nil {
		newEngine = s.build.Engine
	}
	s.serial = s.build.Serial
	engine, err := newEngine(s.cfg)
	if err != nil {
		// Unreachable: WithBcryptCost clamps the only value New checks,
		// and a seam's engine takes the same configuration.
		panic(err)
	}
	s.engine = engine
	s.page.core, s.page.faults, s.page.accounts, s.page.cfg = &s.importer, &s.faults, s.accounts, s.cfg
	s.page.bodyIdle, s.page.answerWrite = s.bodyIdle, s.answerWrite
	if s.build.Wrap != nil {
		return s.build.Wrap(seamView{s})
	}
	return s
}

func (s *server) hasAccount(admin bool) bool {
	for _, a := range s.accounts {
		if a.Admin == admin {
			return true
		}
	}
	return false
}
