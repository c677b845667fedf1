package push

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// BenchmarkPushKeptMillion pushes a one-row night to a target whose kept
// roster holds 1,000,000 patrons: the guard, the send (to a mock) and the
// keep (the roster written again, the row merged in). The goal: under 2 s
// and 300 MB.
func BenchmarkPushKeptMillion(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	kept := keptPath(dir, "https://school.example")
	f, err := os.OpenFile(kept, os.O_CREATE|os.O_WRONLY, 0o600)
	require.NoError(b, err)
	w := bufio.NewWriter(f)
	io.WriteString(w, "username,enabled,staffmember,givenname,surname,graduationyear,librarybarcode,adminsystemid,formclass\n")
	for i := range n {
		fmt.Fprintf(w, "s%07d,Y,N,Given%d,Surname%d,2029,%08d,A%07d,7B\n", i, i, i, i, i)
	}
	require.NoError(b, w.Flush())
	require.NoError(b, f.Close())
	night := filepath.Join(dir, "night.csv")
	require.NoError(b, os.WriteFile(night, []byte("username,enabled\ns0000042,N\n"), 0o600))

	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users",
		httpmock.NewStringResponder(200, `{"success":true,"summary":"1 user processed. 0 users created. 1 user updated. 0 users failed.","details":{"1":"User Updated"}}`))
	o := Options{URL: "https://school.example", Username: "u", PasswordEnv: "PW", Timeout: time.Minute, KeepDir: dir, Hold: defaultHold()}
	e := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "pw" }, Client: &http.Client{Transport: mt}}
	b.ReportAllocs()
	for b.Loop() {
		if code := Run(context.Background(), e, o, night, nil); code != OK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkGuard runs the guard as push does before it sends: a night of
// 2,000 changed patrons (every tenth switched off, the rest in a new form
// class) read against a kept roster of 100,000, the roster streamed once
// and only the patrons the night can touch checked.
func BenchmarkGuard(b *testing.B) {
	const n, changed = 100_000, 2_000
	dir := b.TempDir()
	last := filepath.Join(dir, "kept.csv")
	var roster, night strings.Builder
	head := "username,enabled,staffmember,givenname,surname,graduationyear,librarybarcode,adminsystemid,formclass\n"
	roster.WriteString(head)
	night.WriteString(head)
	for i := range n {
		fmt.Fprintf(&roster, "s%07d,Y,N,Given%d,Surname%d,2029,%08d,A%07d,7B\n", i, i, i, i, i)
		if i%(n/changed) == 0 {
			enabled, form := "Y", "8C"
			if i%(10*n/changed) == 0 {
				enabled, form = "N", "7B"
			}
			fmt.Fprintf(&night, "s%07d,%s,N,Given%d,Surname%d,2029,%08d,A%07d,%s\n", i, enabled, i, i, i, i, form)
		}
	}
	require.NoError(b, os.WriteFile(last, []byte(roster.String()), 0o600))
	path := filepath.Join(dir, "night.csv")
	require.NoError(b, os.WriteFile(path, []byte(night.String()), 0o600))
	sp, err := newSpool(path, dir, "spool-*")
	require.NoError(b, err)
	defer sp.close()
	o := &Options{Hold: defaultHold()}
	b.SetBytes(int64(roster.Len()))
	b.ReportAllocs()
	for b.Loop() {
		lr, _, err := check(context.Background(), sp, "night.csv", o, last)
		require.NoError(b, err)
		if lr.Preview.Known != n || lr.Preview.Updated != changed || len(lr.Damage()) != 0 {
			b.Fatalf("%s; holds %v", lr.Preview.Summary(), lr.Damage())
		}
	}
}
