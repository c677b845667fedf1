package steps_test

import (
	"context"
	"fmt"

	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target/builtin"
)

// ExampleRun runs part of the suite from Go, as autosync verify does: the
// preflight, the scenarios, then the clean-up.
func ExampleRun() {
	report, err := steps.Run(context.Background(), steps.Config{
		Target: builtin.Target(), // or a target.Target for your endpoint
		Tags:   "@R-ROW-18",
		Strict: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(report.Scenarios), "scenarios, rules failed:", report.FailedRules(), "exit code", report.ExitCode())
	// Output: 5 scenarios, rules failed: [] exit code 0
}
