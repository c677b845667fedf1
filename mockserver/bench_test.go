package mockserver_test

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// benchRows is the size of the benchmark file: AUTOSYNC_BENCH_ROWS, or a
// million (make bench).
func benchRows(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv("AUTOSYNC_BENCH_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("AUTOSYNC_BENCH_ROWS=%q: %v", v, err)
		}
	}
	return n
}

var (
	given   = []string{"Olivia", "Jack", "Zoë", "José", "Aroha", "Liam", "Mia", "Noah", "Chloé", "Wiremu", "Isla", "Oliver", "Ngaio", "Lucas", "Amelia", "Hemi"}
	family  = []string{"Smith", "O'Brien", "Ngata", "Nguyen", "Williams", "van der Berg", "Taylor", "Brown-Jones", "Wilson", "Müller", "Singh", "Te Whata"}
	classes = []string{"A", "B", "C", "D"}
)

// writeSchool writes a school-like CSV of n patrons with all 16 columns but
// passwords: about 8% staff, students spread over the declared levels.
func writeSchool(b *testing.B, path string, n int) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("username,enabled,staffmember,givenname,surname,middlename,preferredname,emailaddress,graduationyear,academiclevel,librarybarcode,adminsystemid,gender,password,formclass,presentationgrouplabel\n")
	groups := rules.DefaultPresentationGroups()
	for i := 0; i < n; i++ {
		g, s := given[i%len(given)], family[(i/len(given))%len(family)]
		user := fmt.Sprintf("%c%s%d", g[0]|0x20, "user", i)
		middle, preferred := "", ""
		if i%5 == 0 {
			middle = given[(i+3)%len(given)]
		}
		if i%11 == 0 {
			preferred = `"` + g[:2] + `, ` + g + `"`
		}
		gender := [3]string{"M", "F", ""}[i%3]
		if i%13 == 0 { // staff
			fmt.Fprintf(w, "%s,Y,Y,%s,%s,%s,%s,%s@example.edu,,,%010d,STA%06d,%s,,,%s\n",
				user, g, s, middle, preferred, user, i, i, gender, groups[i%len(groups)])
			continue
		}
		level := 1 + i%12
		fmt.Fprintf(w, "%s,Y,N,%s,%s,%s,%s,%s@example.edu,%d,%d,%010d,STU%06d,%s,,%d%s,%s\n",
			user, g, s, middle, preferred, user, 2026+12-level, level, i, i, gender, level, classes[i%4], groups[level/5%len(groups)])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// heapPeak samples the live heap until stopped and keeps the highest value.
type heapPeak struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startPeak() *heapPeak {
	p := &heapPeak{stop: make(chan struct{})}
	p.wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > p.peak.Load() {
				p.peak.Store(m.HeapAlloc)
			}
			select {
			case <-p.stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	return p
}

func (p *heapPeak) end() uint64 {
	close(p.stop)
	p.wg.Wait()
	return p.peak.Load()
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// writeUpload writes the multipart/form-data body that uploads the file at
// path, as curl -F would send it, to path+".upload", and returns its content
// type. Sending a ready body keeps the client's work out of the measurement.
func writeUpload(b *testing.B, path string) (string, string) {
	body := path + ".upload"
	out, err := os.Create(body)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	mw := multipart.NewWriter(w)
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.Copy(fw, f)
	f.Close()
	if err == nil {
		err = mw.Close()
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return body, mw.FormDataContentType()
}

// postUpload sends the upload body written by writeUpload to h.
func postUpload(b *testing.B, h http.Handler, body, contentType string) {
	f, err := os.Open(body)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	req := httptest.NewRequest(http.MethodPost, api.ImportPath, f)
	req.Header.Set("Content-Type", contentType)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() > 200 {
		b.Fatalf("import answered %d: %.300s", rec.Code, rec.Body.String())
	}
}

// benchRounds is how many times BenchmarkImport measures each figure; it
// reports the median, since a shared machine's speed wanders between runs.
const benchRounds = 3

// parseAlone reads the file at path with encoding/csv alone, as the
// baseline, and returns the time it took.
func parseAlone(b *testing.B, path string, n int) time.Duration {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	r.ReuseRecord = true
	parsed := -1
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		parsed++
	}
	if parsed != n {
		b.Fatalf("parsed %d rows, want %d", parsed, n)
	}
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkImport measures a school-sized import against encoding/csv alone
// reading the same file: rows/s for each, the ratio, the store's bytes per
// patron and the heap an import needs above the stored patrons. Each figure
// is the median of three rounds of (a) the bare parse, (b) an import into
// an empty store and (c) the same file again, every row an update. With
// AUTOSYNC_BENCH_GC set, the GC runs at 10% so that the heap peak is close
// to live memory.
func BenchmarkImport(b *testing.B) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "school.csv")
	size := writeSchool(b, path, n)
	upload, contentType := writeUpload(b, path)
	if os.Getenv("AUTOSYNC_BENCH_GC") != "" {
		defer debug.SetGCPercent(debug.SetGCPercent(10))
	}
	levels := mockserver.WithAcademicLevels("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")

	// The first import in a fresh process pays for the memory it touches
	// for the first time (on a virtual machine, dearly); a server pays
	// that once. It is reported on its own, and the rounds below measure a
	// server that has imported before.
	start := time.Now()
	postUpload(b, mockserver.New(levels), upload, contentType)
	first := time.Since(start)
	runtime.GC()

	for range b.N {
		var parses, creates, updates []time.Duration
		var perPatron, above float64
		for range benchRounds {
			parses = append(parses, parseAlone(b, path, n))

			st := store.New()
			h := mockserver.New(mockserver.WithStore(st), levels)
			base := liveHeap()
			peak := startPeak()
			start = time.Now()
			postUpload(b, h, upload, contentType)
			creates = append(creates, time.Since(start))
			createPeak := peak.end()
			stored := liveHeap()
			if st.Len() != n {
				b.Fatalf("stored %d patrons, want %d", st.Len(), n)
			}

			peak = startPeak()
			start = time.Now()
			postUpload(b, h, upload, contentType)
			updates = append(updates, time.Since(start))
			updatePeak := peak.end()

			perPatron = float64(stored-base) / float64(n)
			above = max(above, float64(int64(max(createPeak, updatePeak))-int64(stored))/(1<<20))
		}
		parse, create, update := median(parses), median(creates), median(updates)

		rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
		b.ReportMetric(rate(parse), "parse-rows/s")
		b.ReportMetric(rate(create), "import-rows/s")
		b.ReportMetric(rate(update), "reimport-rows/s")
		b.ReportMetric(create.Seconds()/parse.Seconds(), "import/parse")
		b.ReportMetric(update.Seconds()/parse.Seconds(), "reimport/parse")
		b.ReportMetric(first.Seconds()/parse.Seconds(), "first-import/parse")
		b.ReportMetric(perPatron, "store-B/patron")
		b.ReportMetric(above, "MB-above-store")
		fmt.Printf("\n%d rows, %d MB, median of %d rounds: encoding/csv %.0f rows/s; import %.0f rows/s (%.2fx); re-import %.0f rows/s (%.2fx); "+
			"first import in a fresh process %.0f rows/s (%.2fx); store %.0f B/patron; peak heap above the store %.0f MB\n",
			n, size>>20, benchRounds, rate(parse), rate(create), create.Seconds()/parse.Seconds(), rate(update), update.Seconds()/parse.Seconds(),
			rate(first), first.Seconds()/parse.Seconds(), perPatron, above)
	}
}

// BenchmarkPasswords imports a school of 3,000 patrons that all carry a
// password: bcrypt at the default (minimum) cost, on every core.
func BenchmarkPasswords(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("username,enabled,staffmember,graduationyear,password\n")
	for i := range 3000 {
		fmt.Fprintf(&sb, "p%d,Y,N,2029,Secret-%d-pw\n", i, i)
	}
	csv := sb.String()
	for range b.N {
		h := mockserver.New()
		start := time.Now()
		body, ct := benchBody(b, csv)
		req := httptest.NewRequest(http.MethodPost, api.ImportPath, body)
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), "3000 users created") {
			b.Fatalf("answered %d: %.300s", rec.Code, rec.Body.String())
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/3000-rows")
	}
}

func benchBody(b *testing.B, csv string) (io.Reader, string) {
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "users.csv")
	if err != nil {
		b.Fatal(err)
	}
	io.WriteString(fw, csv)
	mw.Close()
	return strings.NewReader(buf.String()), mw.FormDataContentType()
}

// discard is a ResponseWriter that counts and drops the body.
type discard struct {
	header http.Header
	n      int64
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

// BenchmarkListPatrons lists a school-sized store through /_mock/patrons:
// the time, and the heap the listing needs above the stored patrons.
func BenchmarkListPatrons(b *testing.B) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "school.csv")
	writeSchool(b, path, n)
	upload, contentType := writeUpload(b, path)
	if os.Getenv("AUTOSYNC_BENCH_GC") != "" {
		defer debug.SetGCPercent(debug.SetGCPercent(10))
	}
	h := mockserver.New(mockserver.WithAcademicLevels("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"))
	postUpload(b, h, upload, contentType)
	stored := liveHeap()
	for range b.N {
		req := httptest.NewRequest(http.MethodGet, "/_mock/patrons", nil)
		req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		w := &discard{header: http.Header{}}
		peak := startPeak()
		start := time.Now()
		h.ServeHTTP(w, req)
		took := time.Since(start)
		above := float64(int64(peak.end())-int64(stored)) / (1 << 20)
		b.ReportMetric(took.Seconds(), "s/list")
		b.ReportMetric(above, "MB-above-store")
		fmt.Printf("\n/_mock/patrons, %d patrons, %d MB of JSON: %.2f s; peak heap above the store %.0f MB\n", n, w.n>>20, took.Seconds(), above)
	}
}

// BenchmarkFailingImportsHistory imports a 10 MB file whose every row fails
// (two-byte ragged rows, 5 million of them) four times, and reports the
// server's peak heap and the heap the import history keeps afterwards.
func BenchmarkFailingImportsHistory(b *testing.B) {
	dir := b.TempDir()
	body, ct := filepath.Join(dir, "body"), ""
	f, err := os.Create(body)
	if err != nil {
		b.Fatal(err)
	}
	mw := multipart.NewWriter(f)
	fw, _ := mw.CreateFormFile("file", "ragged.csv")
	bw := bufio.NewWriter(fw)
	bw.WriteString("username,enabled,staffmember,graduationyear\n")
	for bw.Buffered() >= 0 {
		if _, err := bw.WriteString("x\n"); err != nil {
			b.Fatal(err)
		}
		if st, _ := f.Stat(); st.Size() >= 10<<20 {
			break
		}
	}
	bw.Flush()
	mw.Close()
	ct = mw.FormDataContentType()
	f.Close()

	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		stop := make(chan struct{})
		var sampling sync.WaitGroup
		sampling.Go(func() {
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		})
		h := mockserver.New(mockserver.WithSpool(dir, 1<<20))
		for range 4 {
			req := httptest.NewRequest(http.MethodPost, api.ImportPath, mustOpen(b, body))
			req.Header.Set("Content-Type", ct)
			req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
			w := &countingWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			if w.code != http.StatusOK {
				b.Fatalf("import answered %d", w.code)
			}
		}
		close(stop)
		sampling.Wait()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/1e6, "peak-MB")
		b.ReportMetric(float64(after.HeapInuse-min(after.HeapInuse, base.HeapInuse))/1e6, "history-MB")
		runtime.KeepAlive(h)
	}
}

func mustOpen(b *testing.B, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

// countingWriter is an answer that is counted, not kept: a client on
// another machine holds it, not the server.
type countingWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

// BenchmarkImportWithState imports the school file into a server that keeps
// a state file (serve --state), then again (every row an update), beside
// the same imports in memory only: each import is durable when answered.
func BenchmarkImportWithState(b *testing.B) {
	n := benchRows(b)
	dir := b.TempDir()
	path := filepath.Join(dir, "school.csv")
	writeSchool(b, path, n)
	upload, contentType := writeUpload(b, path)
	levels := mockserver.WithAcademicLevels("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
	postUpload(b, mockserver.New(levels), upload, contentType) // the first touch of memory, paid once
	for range b.N {
		var memory, durable [2][]time.Duration // import, re-import
		for round := range benchRounds {
			h := mockserver.New(levels)
			for i := range 2 {
				start := time.Now()
				postUpload(b, h, upload, contentType)
				memory[i] = append(memory[i], time.Since(start))
			}
			st, err := journal.Open(filepath.Join(dir, fmt.Sprintf("state-%d", round)))
			if err != nil {
				b.Fatal(err)
			}
			h = mockserver.New(levels, mockserver.WithPersistence(st))
			for i := range 2 {
				start := time.Now()
				postUpload(b, h, upload, contentType)
				durable[i] = append(durable[i], time.Since(start))
			}
			st.Close()
		}
		rate := func(d []time.Duration) float64 { return float64(n) / median(d).Seconds() }
		b.ReportMetric(rate(memory[0]), "import-rows/s")
		b.ReportMetric(rate(durable[0]), "state-import-rows/s")
		b.ReportMetric(rate(durable[1]), "state-reimport-rows/s")
		fmt.Printf("\n%d rows, median of %d rounds: in memory %.0f rows/s, re-import %.0f rows/s; with --state %.0f rows/s, re-import %.0f rows/s\n",
			n, benchRounds, rate(memory[0]), rate(memory[1]), rate(durable[0]), rate(durable[1]))
	}
}

// BenchmarkPatronPage renders pages of the web page's patron list with the
// school file's patrons stored (a million with make bench): the first page,
// a page deep in the list, and a search.
func BenchmarkPatronPage(b *testing.B) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "school.csv")
	writeSchool(b, path, n)
	upload, contentType := writeUpload(b, path)
	h := mockserver.New(mockserver.WithAcademicLevels("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"))
	postUpload(b, h, upload, contentType)
	for _, p := range []struct{ name, page string }{
		{"first", "/ui/patrons"}, {"middle", fmt.Sprintf("/ui/patrons?page=%d", max(1, n/100/2))}, {"search", "/ui/patrons?q=smith"}, {"search matching nearly all", "/ui/patrons?q=a"},
	} {
		page := p.page
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, page, nil)
				req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
				w := &countingWriter{header: http.Header{}}
				h.ServeHTTP(w, req)
				if w.code != http.StatusOK {
					b.Fatalf("%s answered %d", page, w.code)
				}
			}
		})
	}
}
