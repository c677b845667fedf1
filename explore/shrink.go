package explore

import (
	"context"
	"slices"
	"strings"

	"github.com/autosync/autosync/features"
)

// maxShrinkAttempts bounds the replays one difference may cost the target.
const maxShrinkAttempts = 40

// shrink reduces an episode that shows d to a minimal reproduction, on the
// target: the fewest steps, then rows, then columns, each attempt replayed
// with a fresh prefix and a fresh reference. An attempt is kept when it
// still shows a difference on one of d's rules. The order of attempts is
// fixed, so shrinking is deterministic for a seed.
func (e *explorer) shrink(ctx context.Context, episode []Step, d *found) *Difference {
	best, bestDiff := slices.Clone(episode), d.Difference
	attempts := 0
	try := func(candidate []Step) bool {
		if attempts >= maxShrinkAttempts || ctx.Err() != nil {
			return false
		}
		attempts++
		got, _, err := e.play(ctx, candidate, e.nextPrefix())
		if err != nil || got == nil || got.step != len(candidate)-1 || !overlap(got.Rules, d.Rules) {
			return false
		}
		best, bestDiff = candidate, got.Difference
		return true
	}
	// Fewer steps: drop each earlier one.
	for i := len(best) - 2; i >= 0; i-- {
		candidate := append(slices.Clone(best[:i]), best[i+1:]...)
		try(candidate)
	}
	// Fewer rows, then fewer columns, in each file from the last.
	for s := len(best) - 1; s >= 0; s-- {
		if best[s].file == nil || best[s].kind != upload {
			continue // the file of a request sent another way is not what it is about
		}
		for row := len(best[s].file.rows) - 1; row >= 0; row-- {
			if len(best[s].file.rows) == 1 {
				break
			}
			candidate := withFile(best, s, func(f *csvFile) { f.rows = slices.Delete(f.rows, row, row+1); dropBlank(f, row) })
			try(candidate)
		}
		for col := len(best[s].file.header) - 1; col >= 0; col-- {
			if len(best[s].file.header) == 1 {
				break
			}
			candidate := withFile(best, s, func(f *csvFile) {
				f.header = slices.Delete(f.header, col, col+1)
				for i, r := range f.rows {
					if col < len(r) {
						f.rows[i] = slices.Delete(r, col, col+1)
					}
				}
			})
			try(candidate)
		}
		// Shorter values: each cell of the row that differs, blanked.
		if row := bestDiff.row; s == len(best)-1 && row > 0 && row <= len(best[s].file.rows) {
			for col := range best[s].file.rows[row-1] {
				if best[s].file.rows[row-1][col] == "" || col < len(best[s].file.header) && isUsername(best[s].file.header[col]) {
					continue
				}
				try(withFile(best, s, func(f *csvFile) {
					if col < len(f.rows[row-1]) {
						f.rows[row-1][col] = ""
					}
				}))
			}
		}
		// Plainer files: no blank lines, no byte-order mark, LF.
		for _, plain := range []func(*csvFile){
			func(f *csvFile) { f.blank = map[int][]string{} },
			func(f *csvFile) { f.bom = false },
			func(f *csvFile) { f.crlf, f.mixed = false, false },
			func(f *csvFile) { f.noFinalBreak = false },
		} {
			try(withFile(best, s, plain))
		}
	}
	bestDiff.Steps = best
	bestDiff.Rules = involved(bestDiff, best)
	bestDiff.Decided = decided(bestDiff.Rules)
	return bestDiff
}

// involved adds to a difference's rules those that its minimal
// reproduction shows are at play: the dialect the file kept (a byte-order
// mark or a header spelled otherwise, R-CSV-4; blank lines, line endings,
// padded cells, R-CSV-5), and, for a row whose username an earlier row or
// file names, what an update keeps (R-ROW-16) and a username twice in one
// file (R-ROW-9).
func involved(d *Difference, best []Step) []string {
	rules := slices.Clone(d.Rules)
	add := func(r string) {
		if !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	if slices.Contains(rules, features.ROW5) || slices.Contains(rules, features.ROW6) {
		add(features.ROW4) // staffmember's reading decides who is a student
	}
	last := best[len(best)-1]
	if f := last.file; f != nil && last.kind == upload {
		if f.bom {
			add(features.CSV4)
		}
		for _, h := range f.header {
			if h != strings.ToLower(strings.TrimSpace(h)) {
				add(features.CSV4)
			}
		}
		if len(f.blank) > 0 || f.crlf || f.mixed || f.noFinalBreak {
			add(features.CSV5)
		}
		for _, r := range f.rows {
			for _, c := range r {
				if v := unquote(c); v != strings.TrimSpace(v) {
					add(features.CSV5)
				}
			}
		}
		if d.row > 0 {
			names := usernames(f.render("{P}"))
			if d.row <= len(names) {
				name := strings.ToLower(names[d.row-1])
				for _, earlier := range names[:d.row-1] {
					if name != "" && strings.ToLower(earlier) == name {
						add(features.ROW9)
						add(features.ROW16)
					}
				}
				for _, st := range best[:len(best)-1] {
					if st.file != nil && slices.ContainsFunc(usernames(st.file.render("{P}")), func(n string) bool { return name != "" && strings.ToLower(n) == name }) {
						add(features.ROW16)
					}
				}
			}
		}
	}
	slices.Sort(rules)
	return rules
}

// withFile returns steps with the file of step s changed by change, the
// others shared.
func withFile(steps []Step, s int, change func(*csvFile)) []Step {
	out := slices.Clone(steps)
	f := out[s].file.clone()
	change(f)
	out[s].file = f
	return out
}

// dropBlank moves the blank lines before a removed row to the next one.
func dropBlank(f *csvFile, row int) {
	blank := map[int][]string{}
	for k, v := range f.blank {
		switch {
		case k > row:
			blank[k-1] = append(blank[k-1], v...)
		default:
			blank[k] = append(blank[k], v...)
		}
	}
	f.blank = blank
}

func isUsername(header string) bool {
	return strings.EqualFold(strings.Trim(strings.TrimSpace(header), `" `), "username")
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
