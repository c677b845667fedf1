// Package explore is model-based differential testing of an autoSync
// endpoint: it generates files and requests from the rules (their
// boundaries, dialects, interactions inside one file and across files),
// sends each to the target and to the reference server in process, which
// holds exactly what the run sent the target, and compares the answers: the
// status, the content type, the JSON's shape, success, summary and every
// row's outcome, and, where the target has /_mock/ pages, what it stored.
// A difference is shrunk, on the target, to the fewest requests, rows and
// columns that still show it.
//
// The Gherkin suite (package steps) checks the target against the rules as
// written; explore checks it against the reference engine, which the suite
// checks independently. A difference means the target and the reference
// disagree, on the rules it names.
package explore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
)

// Config is one exploration.
type Config struct {
	Target target.Target
	// Seed makes the run: the same seed and target replay it exactly.
	Seed int64
	// Runs is how many requests to send (default 300); Time, if set, ends
	// the run sooner.
	Runs int
	Time time.Duration
	// Strict fails the run on a difference on a decided rule, and compares
	// failure texts exactly; otherwise those are reported as differing.
	Strict bool
	// MaxPatrons bounds the patrons the run may create on the target
	// (default 2,000).
	MaxPatrons int
	// MaxDifferences ends the run once so many differences are found and
	// shrunk (default 8): each costs the target up to 40 replays.
	MaxDifferences int
	// Long sends the long run's file once, after the ways of sending: 65,537
	// rows of one patron, the last failing (about 2.4 MB, an answer of
	// about 1.6 MB), for the bugs that only files past 10,000 and 65,536
	// rows show. It is not shrunk.
	Long bool
	// Until, if set, ends the run at the first difference on one of these
	// rules: for a vendor working on one rule.
	Until []string
	// Concurrency is how many episodes are played side by side (default 1:
	// one request at a time). Shrinking is always one replay at a time.
	Concurrency int
	// Progress, if set, receives a progress line (on a terminal).
	Progress io.Writer
}

// DefaultRuns and DefaultMaxPatrons are the default budget;
// DefaultVerifyRuns is the smaller one a plain verify spends after the
// scenarios, so that the run a vendor makes reaches what the scenarios do
// not.
const (
	DefaultVerifyRuns     = 100
	DefaultRuns           = defaultGenerated + addedSteps
	DefaultMaxPatrons     = 2000
	DefaultMaxDifferences = 8
)

// A run of at least minRunsForAdded requests ends with the steps added after
// the settled points (generator.addedSteps): addedSteps requests. The
// default budget is defaultGenerated generated requests and those, so that
// a step added there leaves every generated one as it was.
const (
	minRunsForAdded  = 20
	addedSteps       = 18
	defaultGenerated = 296
)

// Report is the outcome of an exploration.
type Report struct {
	Seed        int64
	Generated   int // generated requests sent, shrinking aside
	Requests    int // every request to the target: shrinking and /_mock/ reads included
	Files, Rows int // files sent, and their rows (generated requests only)
	// Exercised lists the rules the generated requests put to the test, in
	// catalogue order.
	Exercised   []string
	Differences []*Difference
	Created     []string // usernames the target's answers show the run created
	// Interrupted is set when ctx was done before the budget was spent: the
	// report covers what was sent.
	Interrupted bool
}

// Difference is one disagreement between the target and the reference, as
// shrunk: the requests, in order, that show it, and what each side
// answered to the last.
type Difference struct {
	Rules     []string // the rules involved, catalogue IDs
	Decided   bool     // every rule involved has a decided part: fails only when strict
	What      string   // what differs, in a sentence
	Steps     []Step   // the minimal reproduction
	Reference string   // the reference's answer to the last step
	Target    string   // the target's
	Exchanges []*target.Exchange
	row       int // the row that differs, from 1; 0 for the whole answer
}

// at notes the row that differs.
func (d *Difference) at(row int) *Difference {
	d.row = row
	return d
}

// Run explores the target. A preflight comes first, as for a suite run.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Runs <= 0 {
		cfg.Runs = DefaultRuns
	}
	if cfg.MaxPatrons <= 0 {
		cfg.MaxPatrons = DefaultMaxPatrons
	}
	if cfg.MaxDifferences <= 0 {
		cfg.MaxDifferences = DefaultMaxDifferences
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano() & 0x7fffffffffff
	}
	if cfg.Target.Prefix == "" {
		cfg.Target.Prefix = fmt.Sprintf("axp-%x-", cfg.Seed&0xffffff)
	}
	if _, err := target.Preflight(ctx, cfg.Target, nil); err != nil {
		return &Report{Seed: cfg.Seed}, err
	}
	e := &explorer{cfg: cfg, rnd: rand.New(rand.NewPCG(uint64(cfg.Seed), 0xe4b1)), created: map[string]bool{}, exercised: map[string]bool{},
		inspect: target.HasInspection(ctx, cfg.Target), gen: newGenerator(cfg.Target, cfg.Long)}
	rep := &Report{Seed: cfg.Seed}
	deadline := time.Time{}
	if cfg.Time > 0 {
		deadline = time.Now().Add(cfg.Time)
	}
	seen := map[string]bool{} // the rules a difference shown names: each rule's is shown once
	conc := max(cfg.Concurrency, 1)
	for sent := 0; sent < cfg.Runs; {
		if ctx.Err() != nil || (!deadline.IsZero() && time.Now().After(deadline)) || e.createdCount() >= cfg.MaxPatrons ||
			len(rep.Differences) >= cfg.MaxDifferences {
			break
		}
		// A round of episodes, made in order from the seed and played side
		// by side, each with its own prefix; their results are taken in
		// order, so a seed replays the same run at any concurrency.
		round := make([]played, 0, conc)
		for planned := sent; len(round) < conc && planned < cfg.Runs; {
			var ep []Step
			reserved := addedSteps
			if e.gen.long {
				reserved++ // the long run's file, if the ways of sending did not come to it
			}
			if generated := cfg.Runs - reserved; cfg.Runs < minRunsForAdded || planned < generated {
				ep = e.gen.episode(e.rnd)
				if cfg.Runs >= minRunsForAdded {
					ep = ep[:min(len(ep), generated-planned)]
				}
			} else {
				ep = e.gen.addedSteps() // last, so that the episodes before are drawn as they were
				if e.gen.long {
					e.gen.long = false
					ep = append([]Step{{kind: upload, file: longFile(), long: true}}, ep...)
				}
			}
			ep = ep[:min(len(ep), cfg.Runs-planned)] // --runs N sends N
			planned += len(ep)
			round = append(round, played{episode: ep, prefix: e.nextPrefix()})
		}
		var wg sync.WaitGroup
		for i := range round {
			wg.Go(func() {
				round[i].found, round[i].n, round[i].err = e.playNoting(ctx, round[i].episode, round[i].prefix)
			})
		}
		wg.Wait()
		stop := false
		for _, p := range round {
			sent += p.n
			e.generated += p.n
			if p.err != nil && ctx.Err() != nil {
				stop = true // told to stop: what was sent is the report
				continue
			}
			if p.err != nil {
				return rep, p.err
			}
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "\rexplore: %d of %d requests, %d differences", sent, cfg.Runs, len(rep.Differences))
			}
			d := p.found
			if d == nil || stop || len(rep.Differences) >= cfg.MaxDifferences {
				continue
			}
			named := d.Rules
			if len(named) == 0 {
				named = []string{""} // one difference that names no rule
			}
			if !slices.ContainsFunc(named, func(r string) bool { return !seen[r] }) {
				continue // every rule it names has its difference shown
			}
			for _, r := range named {
				seen[r] = true
			}
			shrunk := e.shrink(ctx, p.episode[:d.step+1], d)
			rep.Differences = append(rep.Differences, shrunk)
			stop = overlap(shrunk.Rules, cfg.Until)
		}
		if stop {
			break
		}
	}
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	rep.Interrupted = ctx.Err() != nil
	rep.Requests, rep.Generated, rep.Files, rep.Rows = e.requests, e.generated, e.files, e.rows
	for _, r := range features.Rules() {
		if e.exercised[r.ID] {
			rep.Exercised = append(rep.Exercised, r.ID)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for name := range e.created {
		rep.Created = append(rep.Created, name)
	}
	return rep, nil
}

// explorer is one exploration's state.
type explorer struct {
	mu        sync.Mutex // guards created, requests and replays, for episodes played side by side
	cfg       Config
	rnd       *rand.Rand
	gen       *generator
	inspect   bool
	created   map[string]bool
	requests  int
	generated int
	replays   int
	// files, rows and exercised count what the generated requests sent
	// and the rules they put to the test; shrinking's replays aside.
	files, rows int
	exercised   map[string]bool
}

// found is a difference at step of an episode, before shrinking.
type found struct {
	step int
	*Difference
}

// play sends an episode's steps, with a prefix of its own, to the target
// and to a fresh reference, comparing each answer, and stops at the first
// difference. It returns the difference, if any, and how many steps it
// sent.
func (e *explorer) play(ctx context.Context, episode []Step, prefix string) (*found, int, error) {
	return e.playing(ctx, episode, prefix, false)
}

// playNoting plays a generated episode, counting what it sends and the
// rules it exercises.
func (e *explorer) playNoting(ctx context.Context, episode []Step, prefix string) (*found, int, error) {
	return e.playing(ctx, episode, prefix, true)
}

func (e *explorer) playing(ctx context.Context, episode []Step, prefix string, note bool) (*found, int, error) {
	ref := reference(e.cfg.Target)
	var exchanges []*target.Exchange
	for i, st := range episode {
		got, gx, err := send(ctx, e.cfg.Target, st, prefix)
		e.count(1)
		if err != nil {
			return nil, i + 1, err
		}
		exchanges = append(exchanges, gx)
		want, _, err := send(ctx, ref, st, prefix)
		if err != nil {
			return nil, i + 1, fmt.Errorf("explore: the reference did not answer: %w", err)
		}
		e.mu.Lock()
		for _, name := range got.created {
			e.created[name] = true
		}
		if note {
			if st.file != nil && !st.file.empty {
				e.files++
				e.rows += st.Rows()
			}
			for _, r := range exercised(st, want, e.inspect) {
				e.exercised[r] = true
			}
		}
		e.mu.Unlock()
		if d := compare(want, got, st, episode[:i], e.cfg.Strict); d != nil {
			d.Exchanges = exchanges
			return &found{i, d}, i + 1, nil
		}
		if e.inspect && (st.kind == upload || st.kind == wired || st.layout == "over-limit-after") {
			if d := e.compareStored(ctx, ref, prefix, st, want); d != nil {
				d.Exchanges = exchanges
				return &found{i, d}, i + 1, nil
			}
		}
	}
	return nil, len(episode), nil
}

// played is one episode of a round, and what came of it.
type played struct {
	episode []Step
	prefix  string
	found   *found
	n       int
	err     error
}

// nextPrefix is the prefix of the next episode or replay.
func (e *explorer) nextPrefix() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.replays++
	return fmt.Sprintf("%sx%d-", e.cfg.Target.Prefix, e.replays)
}

func (e *explorer) count(n int) {
	e.mu.Lock()
	e.requests += n
	e.mu.Unlock()
}

func (e *explorer) createdCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.created)
}

// reference is a fresh reference server, in process, with the target's
// profile: its accounts, the academic level and presentation group it
// declares, its body limit. It hashes no password: nobody logs in as its
// patrons, and no answer shows a hash.
func reference(t target.Target) target.Target {
	opts := []mockserver.Option{mockserver.WithoutPasswordHashing(), mockserver.WithAdmin(t.Username, t.Password),
		mockserver.WithAcademicLevels(t.AcademicLevel), mockserver.WithPresentationGroups(t.PresentationGroup)}
	if t.NonAdminUsername != "" {
		opts = append(opts, mockserver.WithUser(t.NonAdminUsername, t.NonAdminPassword))
	}
	if t.BodyLimit > 0 {
		opts = append(opts, mockserver.WithMaxBody(t.BodyLimit))
	}
	ref := builtin.HandlerTarget(mockserver.New(opts...)) // a client and a dialer for requests written byte for byte
	ref.Username, ref.Password, ref.NonAdminUsername, ref.NonAdminPassword = t.Username, t.Password, t.NonAdminUsername, t.NonAdminPassword
	ref.AcademicLevel, ref.PresentationGroup, ref.BodyLimit, ref.Prefix = t.AcademicLevel, t.PresentationGroup, t.BodyLimit, t.Prefix
	return ref
}

// decided says whether every rule of ids has a decided part.
func decided(ids []string) bool {
	if len(ids) == 0 {
		return false
	}
	kinds := map[string][]features.Kind{}
	for _, r := range features.Rules() {
		kinds[r.ID] = r.Kinds
	}
	for _, id := range ids {
		has := false
		for _, k := range kinds[id] {
			has = has || k == features.Decided
		}
		if !has {
			return false
		}
	}
	return true
}
