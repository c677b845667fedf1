package rules_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// Example judges a file offline, with no HTTP, and reports
// each row as it is applied.
func Example() {
	engine, err := rules.New(rules.Config{AcademicLevels: []string{"7", "8"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	csv := strings.NewReader("username,enabled,staffmember,academiclevel\njane,Y,N,7\njohn,Y,N,13\n")
	report := rules.WithRowReport(func(r rules.RowReport) {
		fmt.Println(r.Row, r.Username, r.Cells[rules.AcademicLevel], len(r.Reasons))
	})
	res, err := engine.Import(context.Background(), store.New(), csv, report)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Summary())
	// Output:
	// 1 jane 7 0
	// 2 john 13 1
	// 2 users processed. 1 user created. 0 users updated. 1 user failed.
}
