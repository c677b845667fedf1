package features

import (
	"regexp"
	"slices"
	"strings"
)

// anyLimit is a length limit worded with any number: a server that words
// the limit of R-ROW-15 or R-ROW-17 with another (its own, wrong, limit)
// still speaks of that rule.
var anyLimit = regexp.MustCompile(`is longer than \d+ (characters|bytes)`)

// limitsAsDocumented writes every length limit of text with the number
// failureTexts gives it, so that their words find it.
func limitsAsDocumented(text string) string {
	if !strings.Contains(text, "is longer than ") {
		return text
	}
	return anyLimit.ReplaceAllStringFunc(text, func(m string) string {
		unit := m[strings.LastIndexByte(m, ' ')+1:]
		for _, ft := range failureTexts {
			if anyLimit.MatchString(ft.text) && strings.HasSuffix(ft.text, unit) {
				return ft.text
			}
		}
		return m
	})
}

// RulesOfFailure names the rules a row's failure text (one reason, or the
// whole text of a failed row) is for, in the order of their words above;
// none when it holds no rule's words.
func RulesOfFailure(text string) []string {
	text = limitsAsDocumented(text)
	var out []string
	for _, ft := range failureTexts {
		if strings.Contains(text, ft.text) && !slices.Contains(out, ft.rule) {
			out = append(out, ft.rule)
		}
	}
	return out
}

// failureCounts counts, for each rule, how many of its words text holds.
func failureCounts(text string) map[string]int {
	text = limitsAsDocumented(text)
	out := map[string]int{}
	for _, ft := range failureTexts {
		if n := strings.Count(text, ft.text); n > 0 {
			out[ft.rule] += n
		}
	}
	return out
}

// RulesDiffering names the rules whose reasons differ between a failed
// row's text as wanted (want, its reasons) and as given (got, the whole
// text, or "" for a row that did not fail): the rules of each reason
// wanted that got lacks, and those of which got gives more reasons than
// wanted.
func RulesDiffering(want []string, got string) []string {
	var out []string
	add := func(rules ...string) {
		for _, r := range rules {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	if _, all, ok := strings.Cut(got, "User failed to import: "); ok {
		got = all // the first reason, again, and then every reason
	}
	wanted := map[string]int{}
	for _, w := range want {
		if !strings.Contains(got, w) {
			add(RulesOfFailure(w)...)
		}
		for r, n := range failureCounts(w) {
			wanted[r] += n
		}
	}
	given := failureCounts(got)
	for _, ft := range failureTexts {
		if given[ft.rule] > wanted[ft.rule] {
			add(ft.rule)
		}
	}
	return out
}

// RuleOfRefusal names the rule of a request refused whole, by its
// answer's summary; "" for a summary no refusal gives.
func RuleOfRefusal(summary string) string {
	switch {
	case strings.HasPrefix(summary, "Missing mandatory column"):
		return CSV3
	case strings.HasPrefix(summary, "Duplicate column"):
		return CSV4
	case strings.HasPrefix(summary, "CSV syntax error"):
		return CSV6
	case strings.HasPrefix(summary, "Unauthorised"):
		return AUTH2
	}
	return ""
}

// Reasons splits a failed row's text into its reasons: the part after
// "User failed to import: " (the whole text when it has none), cut before
// each reason's first words ("Field (", "Row ").
func Reasons(text string) []string {
	if _, all, ok := strings.Cut(text, "User failed to import: "); ok {
		text = all
	}
	text = strings.TrimRight(text, " ")
	var out []string
	for text != "" {
		cut := len(text)
		for _, start := range [...]string{". Field (", ". Row "} {
			if i := strings.Index(text, start); i >= 0 && i+1 < cut {
				cut = i + 1
			}
		}
		out = append(out, text[:cut])
		text = strings.TrimLeft(text[cut:], " ")
	}
	return out
}
