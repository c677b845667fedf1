package steps

import (
	"strings"
	"testing"

	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
)

func splitTrim(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func TestExpand(t *testing.T) {
	s := &scenario{
		run:    &runState{runID: "ab12cd", seed: 7},
		target: target.Target{Prefix: "acs-ab12cd-", AcademicLevel: "Y7", PresentationGroup: "Senior School"},
		id:     "s3", fake: fakerFor(7, "x"), password: "Pw-secret",
		values: map[string]string{}, usernames: map[string]bool{},
	}
	got := s.expand("{user:ann},{User:ann},{USER:ann},{email:ann},{barcode:b1},{adminid:s1},{level},{level:swapcase},{group},{password},{run},{repeat:x:3},{tab},{unknown}")
	assert.Equal(t, "acs-ab12cd-s3-ann,Acs-ab12cd-s3-ann,ACS-AB12CD-S3-ANN,acs-ab12cd-s3-ann@example.edu,ACS-AB12CD-S3-BB1,ACS-AB12CD-S3-AS1,Y7,y7,Senior School,Pw-secret,ab12cd,xxx,\t,{unknown}", got)
	assert.Equal(t, map[string]bool{"acs-ab12cd-s3-ann": true}, s.usernames)
	year := s.expand("{year}")
	assert.Equal(t, year, s.expand("{year}"), "a value is stable within a scenario")
	assert.Regexp(t, `^20(2[7-9]|3[0-4])$`, year)
	assert.NotContains(t, s.expand("{given} {surname}"), ",")
}

func TestFakerIsSeededByRunAndScenario(t *testing.T) {
	a, b := fakerFor(42, "f/one"), fakerFor(42, "f/one")
	assert.Equal(t, a.FirstName(), b.FirstName())
	assert.NotEqual(t, fakerFor(42, "f/one").Int64(), fakerFor(42, "f/two").Int64())
}
