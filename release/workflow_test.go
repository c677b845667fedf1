package release_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// TestReleaseWorkflowPublishesDist: the release page the docs send schools
// to is filled by the workflow: a tag builds make dist and publishes every
// file of the folder make dist writes, which TestDist checks.
func TestReleaseWorkflowPublishesDist(t *testing.T) {
	b, err := os.ReadFile("../.github/workflows/release.yml")
	require.NoError(t, err)
	var wf struct {
		On struct {
			Push struct{ Tags []string } `yaml:"push"`
		} `yaml:"on"`
		Permissions map[string]string
		Jobs        map[string]struct {
			Steps []struct {
				Uses string
				Run  string
			}
		}
	}
	require.NoError(t, yaml.Unmarshal(b, &wf))
	assert.Equal(t, []string{"v*"}, wf.On.Push.Tags, "a version tag makes a release")
	assert.Equal(t, "write", wf.Permissions["contents"], "publishing needs it")
	require.Len(t, wf.Jobs, 1)
	var runs []string
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			runs = append(runs, s.Run)
		}
	}
	mk, err := os.ReadFile("../Makefile")
	require.NoError(t, err)
	dist := regexp.MustCompile(`(?m)^DIST \?= (\S+)$`).FindSubmatch(mk)
	require.NotNil(t, dist, "the Makefile names the folder make dist writes")
	built, published := -1, -1
	for i, r := range runs {
		if strings.TrimSpace(r) == "make dist" {
			built = i
		}
		if strings.Contains(r, "gh release create") && strings.Contains(r, string(dist[1])+"/*") {
			published = i
		}
	}
	require.GreaterOrEqual(t, built, 0, "a step runs make dist")
	assert.Greater(t, published, built, "then publishes every file of %s", dist[1])
}
