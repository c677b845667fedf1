package clientcheck

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
)

const importPath = api.ImportPath

// The listeners of a scenario, as requests name them.
const (
	serverImport = "import"
	serverOther  = "other host"
	serverPlain  = "plain HTTP"
)

// stage is one scenario's servers: the reference server the command is
// given, with the scenario's misbehaviour, and the listeners its redirects
// point at. Each listens on a port of its own, chosen by the system, on
// loopback, before the command starts.
type stage struct {
	url, host  string
	recorders  []*recorder
	servers    []*http.Server
	handshakes *lineLog
	stop       chan struct{} // closed when the command has ended: held answers end
}

// setUp starts the servers of s for run r.
func (r *run) setUp(s *Scenario) (st *stage, err error) {
	st = &stage{handshakes: &lineLog{}, stop: make(chan struct{})}
	defer func() {
		if err != nil {
			st.tearDown()
		}
	}()
	password := r.password
	if s.wrongPassword {
		password = r.otherPassword
	}
	opts := []mockserver.Option{mockserver.WithAdmin(r.username, password)}
	if s.maxBody > 0 {
		opts = append(opts, mockserver.WithMaxBody(s.maxBody))
	}
	ref := mockserver.New(opts...)
	if s.fault != "" {
		req := httptest.NewRequest(http.MethodPost, "/_mock/faults", strings.NewReader(s.fault))
		req.SetBasicAuth(r.username, password)
		w := httptest.NewRecorder()
		ref.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			return nil, fmt.Errorf("queue the fault %s: %d %s", s.fault, w.Code, w.Body)
		}
	}
	cert := &r.trusted.server
	if s.misbehave == untrusted {
		cert = &r.untrusted.server
	}
	secure := !r.cfg.HTTP
	var handler http.Handler = ref
	switch s.misbehave {
	case hang:
		handler = st.holdFirst(ref)
	case redirectHost:
		addr, err := st.listen(serverOther, secure, cert, refuseAll())
		if err != nil {
			return nil, err
		}
		_, port, _ := net.SplitHostPort(addr)
		handler = redirectTo(scheme(secure) + "://localhost:" + port)
	case redirectPlain:
		addr, err := st.listen(serverPlain, false, nil, refuseAll())
		if err != nil {
			return nil, err
		}
		handler = redirectTo("http://" + addr)
	}
	addr, err := st.listen(serverImport, secure, cert, handler)
	if err != nil {
		return nil, err
	}
	st.host, st.url = addr, scheme(secure)+"://"+addr
	return st, nil
}

func scheme(secure bool) string {
	if secure {
		return "https"
	}
	return "http"
}

// listen serves h, recorded under name, on a new loopback port, in TLS
// with cert when secure; it returns the address.
func (st *stage) listen(name string, secure bool, cert *tls.Certificate, h http.Handler) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("listen on loopback: %w", err)
	}
	rec := &recorder{name: name, scheme: scheme(secure), next: h}
	srv := &http.Server{Handler: rec, ReadHeaderTimeout: time.Minute, ErrorLog: log.New(st.handshakes, "", 0),
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, &conn{accepted: time.Now()})
		}}
	if secure {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
		l = tls.NewListener(l, srv.TLSConfig)
	}
	st.recorders = append(st.recorders, rec)
	st.servers = append(st.servers, srv)
	go srv.Serve(l)
	return l.Addr().String(), nil
}

// holdFirst holds the answer to the first import back until the command
// gives up or the scenario ends; later requests go to next.
func (st *stage) holdFirst(next http.Handler) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		held := false
		if r.URL.Path == importPath {
			once.Do(func() { held = true })
		}
		if !held {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case <-r.Context().Done():
		case <-st.stop:
		}
		panic(http.ErrAbortHandler) // no answer, ever
	})
}

// redirectTo answers every request with a 307 to the same path at base.
func redirectTo(base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", base+r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusTemporaryRedirect)
		io.WriteString(w, `{"success":false,"summary":"Moved: send the import to the address in Location."}`)
	})
}

// refuseAll is the target of a redirect: it refuses every request as the
// reference refuses wrong credentials, so that a command that followed
// the redirect does not end as if it had imported.
func refuseAll() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="autosync"`)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"success": false, "summary":"Unauthorised. Check credentials."}`)
	})
}

// tearDown ends held answers, closes every server, and waits (a little)
// for their handlers to end.
func (st *stage) tearDown() {
	select {
	case <-st.stop:
	default:
		close(st.stop)
	}
	for _, srv := range st.servers {
		srv.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		settled := true
		for _, rec := range st.recorders {
			settled = settled && rec.settled()
		}
		if settled {
			return
		}
	}
}

// requests returns what every listener received, in the order it came.
func (st *stage) requests() []Request {
	var out []Request
	for _, rec := range st.recorders {
		out = append(out, rec.seen()...)
	}
	for i := 1; i < len(out); i++ {
		for k := i; k > 0 && out[k].Start.Before(out[k-1].Start); k-- {
			out[k], out[k-1] = out[k-1], out[k]
		}
	}
	return out
}

// lineLog keeps the lines a server logs (failed TLS handshakes), at most
// a few.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

// Write keeps a logged line.
func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < 10 {
		line := strings.TrimSpace(string(p))
		line = strings.TrimPrefix(line, "http: ")
		l.lines = append(l.lines, line)
	}
	return len(p), nil
}

func (l *lineLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}
