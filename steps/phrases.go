package steps

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/cucumber/godog"
)

// A scenario gives godog only the step phrases its own steps use. godog
// matches each step against every phrase given, and records where each was
// given (a stack walk a phrase): giving all of them to every scenario was a
// fifth of a run's time. The phrases are fixed and the scenarios embedded,
// so which phrase each step text of the suite matches is worked out once.

// phrasebook is where step phrases are given: a list of them (phrases),
// from which a scenario's are given to godog.
type phrasebook interface {
	Given(expr, handler any)
	When(expr, handler any)
	Then(expr, handler any)
}

// phrase is one step phrase as register gives it.
type phrase struct {
	keyword string // Given, When or Then
	expr    string
	handler any
}

// phrases are the step phrases register gave, in order.
type phrases []phrase

func (b *phrases) add(keyword string, expr, handler any) {
	*b = append(*b, phrase{keyword: keyword, expr: expr.(string), handler: handler})
}

// Given adds a phrase for a Given step.
func (b *phrases) Given(expr, handler any) { b.add("Given", expr, handler) }

// When adds a phrase for a When step.
func (b *phrases) When(expr, handler any) { b.add("When", expr, handler) }

// Then adds a phrase for a Then step.
func (b *phrases) Then(expr, handler any) { b.add("Then", expr, handler) }

// define gives sc the phrases that the steps of p match, compiled once.
// A step no phrase matches is left for godog to call undefined.
func (b phrases) define(sc *godog.ScenarioContext, p *godog.Scenario) error {
	ix, err := readPhrases()
	if err != nil {
		return err
	}
	given := map[int]bool{}
	for _, st := range p.Steps {
		i, ok := ix.byText[st.Text]
		if !ok {
			i = ix.match(st.Text)
		}
		if i < 0 || i >= len(b) || given[i] {
			continue
		}
		given[i] = true
		switch ph := b[i]; ph.keyword {
		case "Given":
			sc.Given(ix.res[i], ph.handler)
		case "When":
			sc.When(ix.res[i], ph.handler)
		default:
			sc.Then(ix.res[i], ph.handler)
		}
	}
	return nil
}

// phraseIndex is the step phrases compiled, and the phrase each step text
// of the suite matches.
type phraseIndex struct {
	res    []*regexp.Regexp
	byText map[string]int
}

// match returns the first phrase text matches, or -1.
func (ix *phraseIndex) match(text string) int {
	for i, re := range ix.res {
		if re.MatchString(text) {
			return i
		}
	}
	return -1
}

var readPhrases = sync.OnceValues(func() (*phraseIndex, error) {
	var book phrases
	(&scenario{}).register(&book) // the phrases alone: no handler runs
	ix := &phraseIndex{byText: map[string]int{}}
	for _, ph := range book {
		re, err := regexp.Compile(ph.expr)
		if err != nil {
			return nil, fmt.Errorf("step phrase %q: %w", ph.expr, err)
		}
		ix.res = append(ix.res, re)
	}
	suite, err := readSuite()
	if err != nil {
		return nil, err
	}
	for _, text := range suite.texts {
		ix.byText[text] = ix.match(text)
	}
	return ix, nil
})
