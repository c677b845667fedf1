package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTagExpressions(t *testing.T) {
	tests := []struct {
		expr   string
		godog  string
		match  []string
		reject []string
	}{
		{"@documented", "@documented", []string{"@documented"}, []string{"@decided"}},
		{"not @decided", "~@decided", []string{"@documented"}, []string{"@decided"}},
		{"@a and @b", "@a && @b", []string{"@a @b"}, []string{"@a", "@b"}},
		{"@a or @b", "@a,@b", []string{"@a", "@b"}, []string{"@c"}},
		{"@documented and not (@R-AUTH-3 or @R-AUTH-2)", "@documented && ~@R-AUTH-3 && ~@R-AUTH-2",
			[]string{"@documented @R-AUTH-1"}, []string{"@documented @R-AUTH-3", "@decided"}},
		{"(@a and @b) or @c", "@a,@c && @b,@c", []string{"@a @b", "@c"}, []string{"@a", "@b"}},
		{"not (@a and @b)", "~@a,~@b", []string{"@a", "@b", ""}, []string{"@a @b"}},
		{"@a,@b && ~@c", "@a,@b && ~@c", []string{"@a", "@b"}, []string{"@a @c", "@d"}},
		{"NOT @a AND @b", "~@a && @b", []string{"@b"}, []string{"@a @b"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			x, err := ParseTags(tt.expr)
			require.NoError(t, err)
			assert.Equal(t, tt.godog, godogFilter(x))
			set := func(s string) map[string]bool {
				m := map[string]bool{}
				for _, tag := range tokenizeTags(s) {
					m[tag] = true
				}
				return m
			}
			for _, m := range tt.match {
				assert.True(t, x.Match(set(m)), "%q should select %q", tt.expr, m)
			}
			for _, r := range tt.reject {
				assert.False(t, x.Match(set(r)), "%q should not select %q", tt.expr, r)
			}
		})
	}
	for _, bad := range []string{"@a and", "(@a", "@a @b", "and", "documented"} {
		_, err := ParseTags(bad)
		assert.Error(t, err, bad)
	}
	x, err := ParseTags("  ")
	require.NoError(t, err)
	assert.Nil(t, x)
}

// TestGodogFilterAgreesWithTheExpression checks the translation against
// every scenario of the suite: godog's filter and the expression select
// the same scenarios.
func TestGodogFilterAgreesWithTheExpression(t *testing.T) {
	all, err := Scenarios()
	require.NoError(t, err)
	for _, expr := range []string{"@documented and not (@R-AUTH-3 or @R-CSV-1)", "(@decided or @evidence) and not @inspect", "not (@R-ROW-4 and @documented)"} {
		x, err := ParseTags(expr)
		require.NoError(t, err)
		filter := godogFilter(x)
		for _, sc := range all {
			tags := map[string]bool{}
			for _, tag := range sc.Tags {
				tags[tag] = true
			}
			assert.Equal(t, x.Match(tags), godogMatch(filter, sc.Tags), "%s: %q", expr, sc.Name)
		}
	}
}

// godogMatch is godog's documented filter semantics: clauses joined by &&
// must all hold; a clause holds if any of its comma-separated tags (~ for
// not) does.
func godogMatch(filter string, tags []string) bool {
	has := map[string]bool{}
	for _, t := range tags {
		has[t] = true
	}
	for _, clause := range splitTrim(filter, "&&") {
		ok := false
		for _, lit := range splitTrim(clause, ",") {
			if lit[0] == '~' {
				ok = ok || !has[lit[1:]]
			} else {
				ok = ok || has[lit]
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
