package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autosync/autosync/reports"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrappedCells lists the table cells of the page that a person would read
// wrongly when broken over lines: headers, numbers and dates (class n), and
// names short enough to fit on one (class name, at most 14 characters). A
// cell's lines are its text's line boxes, told apart by their tops.
const wrappedCells = `(() => {
	const out = [];
	for (const cell of document.querySelectorAll("th, td.n, td.name")) {
		const text = cell.textContent.trim();
		if (text === "" || (cell.classList.contains("name") && [...text].length > 14)) continue;
		const range = document.createRange();
		range.selectNodeContents(cell);
		const tops = new Set();
		for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
		if (tops.size > 1) out.push(text + " (" + tops.size + " lines)");
	}
	return out;
})()`

// TestPageNumbersDoNotWrap: at 1280 and 800 pixels, no header, number or
// date of the page's tables is broken over lines (row 100 drawn as "10"
// above "0" reads as row 10), and a usual username or file name is not
// broken mid-word, beside failure texts that fill the rest of the row.
func TestPageNumbersDoNotWrap(t *testing.T) {
	t.Parallel()
	base, _, _ := startServe(t, nil, "--quiet")
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear,emailaddress\n")
	for i := 1; i <= 120; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&csv, "pupil.%04d,Y,N,20x7,not-an-address\n", i) // two reasons: a long outcome
		} else {
			fmt.Fprintf(&csv, "pupil.%04d,Y,N,2027,p%d@example.edu\n", i, i)
		}
	}
	file := filepath.Join(t.TempDir(), "nightly-export-2026.csv")
	require.NoError(t, os.WriteFile(file, []byte(csv.String()), 0o600))

	for _, width := range []int{1280, 800} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browser(t, chromedp.WindowSize(width, 900))
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(base+"/"),
				chromedp.WaitVisible(chromedp.CSS("#file")),
				chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
				chromedp.Click(chromedp.CSS("#import")),
				chromedp.WaitVisible(chromedp.CSS("#summary")),
			))
			for _, path := range []string{"/ui/imports", "/ui/imports/1", "/ui/imports/1?failed=1", "/ui/imports/1?failed=1&page=1", "/ui/patrons"} {
				require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("table"))))
				wrapped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](wrappedCells))
				require.NoError(t, err)
				assert.Empty(t, wrapped, "%s at %d px: cells broken over lines", path, width)
			}
			// The failures' page was checked with row 100 on it, a
			// three-digit number.
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/imports/1?failed=1"), chromedp.WaitVisible(chromedp.CSS("table.rows"))))
			found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("table.rows td.n")].some(c => c.textContent === "100")`))
			require.NoError(t, err)
			assert.True(t, found, "row 100 is on the failures' page")
		})
	}
}

// TestPageLogout: the page's "Log out" makes the browser forget the
// admin's credentials, a cancelled prompt shows a page that says so (not
// JSON), and the next page asks again.
func TestPageLogout(t *testing.T) {
	t.Parallel()
	base, _, _ := startServe(t, nil, "--quiet")
	var login atomic.Bool
	login.Store(true)
	ctx := browserAnswering(t, login.Load)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/patrons"), chromedp.WaitVisible(chromedp.CSS(`a[href="/ui/logout"]`))))

	login.Store(false) // from now on, the person cancels every prompt
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/ui/logout"]`)), chromedp.WaitVisible(chromedp.CSS("#logged-out"))))
	assert.Contains(t, text(t, ctx, "#logged-out"), "You are logged out")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/patrons"), chromedp.WaitVisible(chromedp.CSS("main"))))
	page := text(t, ctx, "main")
	assert.Contains(t, page, "log in with one when the browser asks", "the browser no longer sends the credentials")
	assert.NotContains(t, page, `"success"`, "a page, not the import's JSON")

	login.Store(true)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/patrons"), chromedp.WaitVisible(chromedp.CSS(`a[href="/ui/logout"]`))))
}

// TestReportFitsTheWindow: verify's HTML report, with the 255-character
// usernames a run creates on purpose and hundreds of them, is no wider
// than the window at 1280 and 800 pixels, and lists the names one a line.
func TestReportFitsTheWindow(t *testing.T) {
	t.Parallel()
	report := &reports.Report{Target: "https://school.example", Seed: 7, RunID: "abc123", Started: time.Now()}
	for i := range 370 {
		report.Created = append(report.Created, fmt.Sprintf("acs-abc123-%04d", i))
	}
	report.Created = append(report.Created, "acs-abc123-"+strings.Repeat("x", 244))
	report.CleanUp = fmt.Sprintf("disabled %d test patrons that the run created", len(report.Created))
	file := filepath.Join(t.TempDir(), "report.html")
	var b strings.Builder
	require.NoError(t, report.WriteHTML(&b))
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o600))
	for _, width := range []int{1280, 800} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browser(t, chromedp.WindowSize(width, 900))
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS("#cleanup"))))
			// Every details element open, as a reader who opens them all.
			fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				document.querySelectorAll("details").forEach(d => d.open = true);
				return document.documentElement.scrollWidth <= window.innerWidth;
			})()`))
			require.NoError(t, err)
			assert.True(t, fits, "the report is no wider than the window")
			names, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cleanup ul.names li").length`))
			require.NoError(t, err)
			assert.Equal(t, len(report.Created), names, "one name an item")
		})
	}
}
