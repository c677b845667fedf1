package mockserver

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/autosync/autosync/api"
)

// route is one known path: the methods it allows, whether it needs admin
// credentials, and its handler: the server's, or the web page's.
type route struct {
	methods []string
	admin   bool
	handle  func(*server, http.ResponseWriter, *http.Request)
	page    func(*webPage, http.ResponseWriter, *http.Request)
}

func (s *server) route(path string) (route, bool) {
	switch {
	case path == api.ImportPath: // POST {base}/api/import/users (R-HTTP-1)
		return route{methods: []string{http.MethodPost}, admin: true, handle: (*server).serveImport}, true
	case path == "/favicon.ico": // browsers ask for it; there is none, and no error either
		return route{methods: []string{http.MethodGet, http.MethodHead}, handle: func(_ *server, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Cache-Control", "max-age=86400")
			w.WriteHeader(http.StatusNoContent)
		}}, true
	case path == "/healthz":
		return route{methods: []string{http.MethodGet, http.MethodHead}, handle: (*server).serveHealth}, true
	case path == "/openapi.json", path == "/openapi.yaml": // the contract, open like /healthz
		return route{methods: []string{http.MethodGet, http.MethodHead}, handle: (*server).serveOpenAPI}, true
	case path == "/_mock/patrons":
		return route{methods: []string{http.MethodGet, http.MethodHead}, admin: true, handle: (*server).servePatrons}, true
	case strings.HasPrefix(path, "/_mock/patrons/") && len(path) > len("/_mock/patrons/"):
		return route{methods: []string{http.MethodGet, http.MethodHead}, admin: true, handle: (*server).servePatron}, true
	case path == "/_mock/imports":
		return route{methods: []string{http.MethodGet, http.MethodHead}, admin: true, handle: (*server).serveImports}, true
	case path == "/_mock/faults":
		return route{methods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete}, admin: true, handle: (*server).serveFaults}, true
	case path == "/_mock/reset":
		return route{methods: []string{http.MethodPost}, admin: true, handle: (*server).serveReset}, true
	}
	return s.uiRoute(path)
}

// ServeHTTP answers every request with JSON, whatever goes wrong (R-HTTP-6).
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, write: s.answerWrite}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("request panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
			if !sw.wrote {
				s.writeError(sw, r, errInternal)
			}
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"remote", r.RemoteAddr, "duration", time.Since(start).Round(time.Millisecond))
	}()
	body := r.Body
	r.Body = &idleBody{ReadCloser: body, rc: http.NewResponseController(sw), idle: s.bodyIdle}
	// net/http looks at the body's own type after the handler, to decide
	// how much of an unread rest to read: it gets its own back.
	defer func() { r.Body = body }()
	// Every answer: no sniffing, no caching, no referrer to another site
	// (the page's addresses carry usernames; no-referrer would make the
	// browser send Origin: null with the page's own forms). The style
	// sheet allows caching itself.
	h := sw.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
	if !s.knownHost(r.Host) {
		s.writeError(sw, r, errUnknownHost(r.Host))
		return
	}
	if changes(r.Method) && crossSite(r) {
		s.writeError(sw, r, errCrossSite)
		return
	}
	rt, ok := s.route(r.URL.Path)
	if ok && r.URL.Path != api.ImportPath {
		leaveBody(sw, r) // no other path reads a body
	}
	switch {
	case !ok:
		s.writeError(sw, r, errNotFound)
	case !slices.Contains(rt.methods, r.Method):
		// R-HTTP-4: whatever the credentials, before looking at them.
		sw.Header().Set("Allow", strings.Join(rt.methods, ", "))
		s.writeError(sw, r, errMethod(r.Method, rt.methods))
	default:
		if rt.admin {
			// R-AUTH-4: refused before the upload is read, whatever was
			// wrong (R-AUTH-2, R-AUTH-3).
			if _, ok := s.authorised(r); !ok {
				switch {
				case r.URL.Path == api.ImportPath:
					s.refuseImport(sw, r, ImportRecord{Time: time.Now().UTC()}, errUnauthorised)
				case rt.page != nil:
					s.page.uiLogin(sw, r) // a browser's cancelled or wrong login: a page, not JSON
				default:
					s.writeError(sw, r, errUnauthorised)
				}
				return
			}
		}
		if rt.page != nil {
			rt.page(&s.page, sw, r)
			return
		}
		rt.handle(s, sw, r)
	}
}

// statusWriter remembers the status written, for the log, and gives the
// client the write bound to take the answer from when it begins.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
	write  time.Duration
}

// WriteHeader remembers the status and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
		http.NewResponseController(w.ResponseWriter).SetWriteDeadline(time.Now().Add(w.write))
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write remembers that the answer has begun and passes p on.
func (w *statusWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *server) serveHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, []byte(`{"status":"ok"}`))
}

// serveOpenAPI answers the endpoint's OpenAPI document (api/openapi.yaml),
// as YAML or JSON by the path's extension.
func (s *server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".yaml") {
		w.Header().Set("Content-Type", "application/yaml")
		if r.Method != http.MethodHead {
			w.Write(api.OpenAPIYAML())
		}
		return
	}
	body, err := api.OpenAPIJSON()
	if err != nil {
		s.writeError(w, r, errInternal)
		return
	}
	writeJSON(w, r, http.StatusOK, body)
}
