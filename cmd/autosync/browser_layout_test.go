package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

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
