package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLintCommand(t *testing.T) {
	bad := writeFile(t, "username,enabled,staffmember,graduationyear,email,emailaddress\njane,Y,N,2029,x,jane@@school\n")
	warnOnly := writeFile(t, "username,enabled,staffmember,graduationyear,email\njane,Y,N,2029,x\n")
	good := writeFile(t, goodCSV)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantOut  string
	}{
		{"clean", []string{good}, "", 0, "users.csv: 2 rows, 0 problems"},
		{"errors", []string{bad}, "", 1, `line 2 (row 1), emailaddress "jane@@school": Field (emailAddress) is not a well-formed email address. [R-ROW-13]`},
		{"warnings pass", []string{warnOnly}, "", 0, `did you mean "emailaddress"?`},
		{"warnings as errors", []string{"--warnings-as-errors", warnOnly}, "", 1, "1 problem"},
		{"standard input", []string{"-"}, goodCSV, 0, "(standard input): 2 rows, 0 problems"},
		{"json", []string{"--format", "json", bad}, "", 1, `"rule": "R-ROW-13"`},
		{"declared levels", []string{"--academic-levels", "Y7", "-"}, "username,enabled,staffmember,academiclevel\nann,Y,N,7\n", 1, "'7' is not a declared academic level"},
		{"existing", []string{"--existing", good, "-"}, "username,formclass\nann,7A\n", 0, "0 problems"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errOut := testEnv(nil)
			e.stdin = strings.NewReader(tt.stdin)
			code := run(context.Background(), e, append([]string{"lint"}, tt.args...))
			assert.Equal(t, tt.wantCode, code, "out: %s err: %s", out.String(), errOut.String())
			assert.Contains(t, out.String(), tt.wantOut)
			if tt.name == "json" {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(out.String()), &v))
				assert.Equal(t, float64(1), v["errors"])
			}
		})
	}
	for _, args := range [][]string{{}, {"a", "b"}, {"--format", "xml", good}, {"/no/such/file.csv"}} {
		e, _, _ := testEnv(nil)
		assert.Equal(t, exitUsage, run(context.Background(), e, append([]string{"lint"}, args...)), args)
	}
}
