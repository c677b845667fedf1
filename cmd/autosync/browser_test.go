package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browser starts headless Chromium for a test, logged in as the admin when
// the page asks (the browser's Basic Auth prompt, answered). Without
// Chromium the test is skipped, except in CI, where it must run.
func browser(t *testing.T, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	return browserAnswering(t, func() bool { return true }, flags...)
}

// browserAnswering is browser, whose login prompts are answered with the
// admin's credentials while login says so, and cancelled otherwise.
func browserAnswering(t *testing.T, login func() bool, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed, and CI must run the browser tests: .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed: apt-get install chromium (Debian) to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1200, 900))
	opts = append(opts, flags...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
				file := filepath.Join(t.TempDir(), "failure.jpg")
				if os.WriteFile(file, shot, 0o644) == nil {
					t.Logf("screenshot of the page at the failure: %s", file)
				}
			}
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	// The page asks for the admin's credentials (401, WWW-Authenticate); the
	// browser's prompt is answered as a person would.
	auth := chromedp.Events(ctx, fetch.AuthRequired)
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range auth {
			if err != nil {
				return
			}
			answer := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseCancelAuth}
			if login() {
				answer = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials,
					Username: "autoimport", Password: "autoimport"}
			}
			chromedp.Call(ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: answer})
		}
	}()
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}()
	yes := true
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: &yes})
	require.NoError(t, err)
	return ctx
}

// text reads what a person sees in the element sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))))
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(t, err)
	return s
}

// TestWebPage walks the page as a technician would: logs in, imports a file
// with a failing row, checks another without importing, finds the created
// patron, opens the import in the history, and resets the server.
func TestWebPage(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	ctx := browser(t, chromedp.Flag("ignore-certificate-errors", true)) // for the HTTPS server's page; curl gets --cacert
	base, _, _ := startServe(t, nil, "--quiet")
	dir := t.TempDir()
	failing := filepath.Join(dir, "nightly.csv")
	long := strings.Repeat("Wolfeschlegelsteinhausenbergerdorff", 8)[:255] // no break point
	require.NoError(t, os.WriteFile(failing, []byte("username,enabled,staffmember,graduationyear,emailaddress,password,givenname,surname\n"+
		"jane,Y,N,2027,jane@example.edu,Secret-Pw-1,Arlene,Vasquez\njohn,Y,N,2027,john@@example.edu,,,\n"+
		"longname,Y,N,2027,,,"+long+",Smith\n"), 0o644))
	checked := filepath.Join(dir, "tomorrow.csv")
	require.NoError(t, os.WriteFile(checked, []byte("username,enabled,staffmember,graduationyear\ncarol,Y,N,2028\njane,Y,N,2028\n"), 0o644))

	t.Run("import a file with a failing row", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{failing}),
			chromedp.Click(chromedp.CSS("#import")),
			chromedp.WaitVisible(chromedp.CSS("#summary")),
		))
		assert.Equal(t, "3 users processed. 2 users created. 0 users updated. 1 user failed.", text(t, ctx, "#summary"))
		rows := text(t, ctx, "table.rows")
		assert.Contains(t, rows, "john")
		assert.Contains(t, rows, "Field (emailAddress) is not a well-formed email address.")
		assert.Contains(t, text(t, ctx, ".findings"), "R-ROW-13", "lint's findings beside the answer")
	})

	t.Run("check a file without importing", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{checked}),
			chromedp.Click(chromedp.CSS("#check")),
			chromedp.WaitVisible(chromedp.CSS("#summary")),
		))
		assert.Equal(t, "2 users processed. 1 user created. 1 user updated. 0 users failed.", text(t, ctx, "#summary"))
		assert.Contains(t, text(t, ctx, "main"), "checked without importing: nothing was stored")
		assert.Equal(t, "Against 2 known patrons: 1 would be created, 1 updated (1 changed: graduationyear 1; 0 unchanged), 0 would fail.", text(t, ctx, "#changes-summary"))
		changes := text(t, ctx, "table.changes")
		assert.Contains(t, changes, "jane")
		assert.Regexp(t, `graduationyear\s+2027\s+2028`, changes, "old → new")
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/patrons?q=carol")))
		assert.Equal(t, "No patron matches “carol”.", text(t, ctx, "#none"))
	})

	t.Run("find the created patron", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/patrons"),
			chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), "jan"),
			chromedp.Submit(chromedp.CSS("#q")),
			// The list before the search shows jane too: wait for the results.
			chromedp.WaitVisible(chromedp.CSS("#query")),
		))
		assert.Equal(t, "jan", text(t, ctx, "#query"), "the search is the one typed")
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/patrons"),
			chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), "Arlene Vasquez"),
			chromedp.Submit(chromedp.CSS("#q")),
			chromedp.WaitVisible(chromedp.CSS("#query")),
		))
		assert.Contains(t, text(t, ctx, "table"), "jane", "found by the full name the Name column shows")
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`a[href="/ui/patrons/jane"]`)),
			chromedp.WaitVisible(chromedp.CSS("dl.patron")),
		))
		patron := text(t, ctx, "dl.patron")
		assert.Contains(t, patron, "jane@example.edu")
		assert.NotContains(t, text(t, ctx, "body"), "Secret-Pw-1", "never a password")
	})

	t.Run("open the import in the history", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/imports"),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/ui/imports/1"]`)),
			chromedp.Click(chromedp.CSS(`a[href="/ui/imports/1"]`)),
			chromedp.WaitVisible(chromedp.CSS("#summary")),
		))
		assert.Equal(t, "3 users processed. 2 users created. 0 users updated. 1 user failed.", text(t, ctx, "#summary"))
		rows := text(t, ctx, "table.rows")
		assert.Contains(t, rows, "User failed to import")
		assert.Contains(t, rows, "john", "the history's row table has each row's username")
		line, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("table.rows tbody tr:nth-child(2) td:nth-child(2)").textContent`))
		require.NoError(t, err)
		assert.Equal(t, "3", line, "and its line")
	})

	t.Run("a long name does not widen the patron table", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/patrons"),
			chromedp.WaitVisible(chromedp.CSS("table")),
		))
		fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		require.NoError(t, err)
		assert.True(t, fits, "the page is no wider than the window")
	})

	t.Run("reset, and the store is empty", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/server"),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/ui/reset"]`)),
			chromedp.Click(chromedp.CSS(`a[href="/ui/reset"]`)),
			chromedp.WaitVisible(chromedp.CSS("#confirm")),
		))
		ticked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#confirm").checked`))
		require.NoError(t, err)
		assert.False(t, ticked, "the confirmation starts unticked")
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#confirm")),
			chromedp.Click(chromedp.CSS("#reset")),
			chromedp.WaitVisible(chromedp.CSS("#none")),
		))
		assert.Contains(t, text(t, ctx, "#reset-done"), "Reset done")
		assert.Equal(t, "No patron is stored.", text(t, ctx, "#none"))
	})

	t.Run("the commands of an HTTPS server trust its certificate", func(t *testing.T) {
		// As the banner's do, so that copied they work.
		dir := t.TempDir()
		// The browser keeps its HTTP/2 connection open: the server need
		// not wait for it when the test stops it.
		tlsBase, _, _ := startServe(t, nil, "--quiet", "--grace", "100ms", "--tls-self-signed", dir)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(tlsBase+"/ui/server"),
			chromedp.WaitVisible(chromedp.CSS("main")),
		))
		page := text(t, ctx, "main")
		cert := filepath.Join(dir, "cert.pem")
		assert.Contains(t, page, "curl --cacert "+cert+" -X POST")
		assert.Contains(t, page, "--password-env PW --cacert "+cert)
		assert.Contains(t, page, "Import-Certificate -FilePath '"+cert+"' -CertStoreLocation Cert:\\CurrentUser\\Root",
			"the PowerShell script trusts it too")
	})

	t.Run("no page shows a password", func(t *testing.T) {
		for _, path := range []string{"/", "/ui/imports", "/ui/server", "/ui/patrons"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))))
			assert.False(t, strings.Contains(text(t, ctx, "body"), "Secret-Pw"), path)
		}
	})
}
