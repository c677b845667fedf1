package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// loadOpenAPI reads the document with kin-openapi and validates it as
// OpenAPI 3.1, its examples against their schemas included.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPIYAML())
	require.NoError(t, err)
	require.True(t, doc.IsOpenAPI31OrLater(), "the document is OpenAPI 3.1")
	require.NoError(t, doc.Validate(loader.Context, openapi3.EnableExamplesValidation(), openapi3.EnableSchemaPatternValidation(), openapi3.EnableMultiError()))
	return doc
}

func TestOpenAPIIsValid(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, p := range []string{api.ImportPath, "/healthz", "/_mock/patrons", "/_mock/patrons/{username}", "/_mock/imports", "/_mock/faults", "/_mock/reset"} {
		assert.NotNil(t, doc.Paths.Value(p), p)
	}
}

// TestOpenAPIRejectsWrongAnswers: the schemas are strict enough to catch
// the mistakes the suite catches: a plural for one user, a details key
// that is not a row number, an empty details, a password shown.
func TestOpenAPIRejectsWrongAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	schema := func(name string) *openapi3.Schema { return doc.Components.Schemas[name].Value }
	tests := []struct {
		name, schema, body string
		ok                 bool
	}{
		{"created", "ImportResult", `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, true},
		{"a failed row", "ImportResult", `{"success":false,"summary":"2 users processed. 1 user created. 0 users updated. 1 user failed.","details":{"1":"User Created","2":"Field (username) is mandatory. User failed to import: Field (username) is mandatory. "}}`, true},
		{"plural for one", "ImportResult", `{"success":true,"summary":"1 users processed. 1 user created. 0 users updated. 0 users failed."}`, false},
		{"singular for two", "ImportResult", `{"success":true,"summary":"2 user processed. 2 users created. 0 users updated. 0 users failed."}`, false},
		{"twelve", "ImportResult", `{"success":true,"summary":"12 users processed. 10 users created. 2 users updated. 0 users failed."}`, true},
		{"row zero", "ImportResult", `{"success":false,"summary":"1 user processed. 0 users created. 0 users updated. 1 user failed.","details":{"0":"x"}}`, false},
		{"a key that is no row", "ImportResult", `{"success":false,"summary":"1 user processed. 0 users created. 0 users updated. 1 user failed.","details":{"row 1":"x"}}`, false},
		{"empty details", "ImportResult", `{"success":true,"summary":"0 users processed. 0 users created. 0 users updated. 0 users failed.","details":{}}`, false},
		{"no summary", "ImportResult", `{"success":true}`, false},
		{"a refusal", "Refusal", `{"success":false,"summary":"Missing mandatory column (username)."}`, true},
		{"a refusal that succeeds", "Refusal", `{"success":true,"summary":"Missing mandatory column (username)."}`, false},
		{"a password shown", "Patron", patronWith(t, `"password":"secret"`), false},
		{"a patron", "Patron", patronWith(t, ""), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			require.NoError(t, json.Unmarshal([]byte(tt.body), &v))
			err := doc.ValidateSchemaJSON(schema(tt.schema), v, openapi3.EnableJSONSchema2020())
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// patronWith returns a patron as /_mock/patrons shows it, with extra
// fields added.
func patronWith(t *testing.T, extra string) string {
	b, err := json.Marshal(rules.NewPatronJSON(store.Patron{Username: "jsmith", Enabled: true, GraduationYear: 2027}))
	require.NoError(t, err)
	if extra == "" {
		return string(b)
	}
	return string(b[:len(b)-1]) + "," + extra + "}"
}

// TestOpenAPIServed: serve answers the document at /openapi.yaml as
// written and at /openapi.json as the same document.
func TestOpenAPIServed(t *testing.T) {
	srv := mockserver.New()
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil))
		require.Equal(t, http.StatusOK, w.Code, path)
		return w
	}
	y := get("/openapi.yaml")
	assert.Equal(t, "application/yaml", y.Header().Get("Content-Type"))
	assert.Equal(t, api.OpenAPIYAML(), y.Body.Bytes())

	j := get("/openapi.json")
	assert.Equal(t, "application/json; charset=utf-8", j.Header().Get("Content-Type"))
	var fromJSON, fromYAML any
	require.NoError(t, json.Unmarshal(j.Body.Bytes(), &fromJSON))
	require.NoError(t, yaml.Unmarshal(api.OpenAPIYAML(), &fromYAML))
	yj, err := json.Marshal(fromYAML)
	require.NoError(t, err)
	assert.JSONEq(t, string(yj), j.Body.String())
	assert.True(t, strings.HasPrefix(j.Body.String(), `{"openapi":"3.1.0","info":{"title":`), "the keys keep the document's order")

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(j.Body.Bytes())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
}

// TestPatronSchemaIsTheColumns: the Patron schema names every column the
// server shows, in its order, and nothing else.
func TestPatronSchemaIsTheColumns(t *testing.T) {
	doc := loadOpenAPI(t)
	var shown []string
	dec := json.NewDecoder(strings.NewReader(patronWith(t, "")))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		shown = append(shown, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	patron := doc.Components.Schemas["Patron"].Value
	assert.Equal(t, shown, patron.Required)
	assert.ElementsMatch(t, shown, slices.Collect(func(yield func(string) bool) {
		for k := range patron.Properties {
			if !yield(k) {
				return
			}
		}
	}))
}

// answer is one request the reference server answered, as it answered it.
type answer struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// recorder serves with h and keeps every answer.
type recorder struct {
	h       http.Handler
	mu      sync.Mutex
	answers []answer
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &teeWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		rec.mu.Lock()
		req := r.Clone(context.Background())
		if req.URL.Host == "" { // a request read from a connection (the ways of api/wire) names its host apart
			req.URL.Scheme, req.URL.Host = "http", r.Host
		}
		rec.answers = append(rec.answers, answer{req: req, status: tw.status, header: w.Header().Clone(), body: tw.body.Bytes()})
		rec.mu.Unlock()
	}()
	rec.h.ServeHTTP(tw, r)
}

type teeWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.wrote = true
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestSuiteAnswersMatchOpenAPI runs the whole conformance suite against the
// reference server and checks every answer it gave against the document:
// the status is one the operation lists, the headers it requires are
// there, and the body is of its schema. A path or method the document does
// not have must be answered with its 404 or 405 refusal. So the document
// and the server cannot drift apart.
func TestSuiteAnswersMatchOpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	tg := builtin.Target()
	doc.Servers = openapi3.Servers{{URL: tg.BaseURL}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)

	rec := &recorder{h: mockserver.New(mockserver.WithMaxBody(builtin.BodyLimit))}
	tg = builtin.HandlerTarget(rec)
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Strict: true, Concurrency: 4})
	require.NoError(t, err)
	require.Equal(t, target.ExitConformant, report.ExitCode())
	require.NotEmpty(t, rec.answers)

	seen := map[string]bool{}
	for _, a := range rec.answers {
		name := fmt.Sprintf("%s %s → %d", a.req.Method, a.req.URL, a.status)
		if err := checkAnswer(doc, router, a); err != nil {
			t.Errorf("%s: %v\n%s", name, err, a.body)
		}
		seen[a.req.Method+" "+a.req.URL.Path] = true
	}
	t.Logf("%d answers checked, %d distinct requests", len(rec.answers), len(seen))
}

func checkAnswer(doc *openapi3.T, router routers.Router, a answer) error {
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	req := a.req.Clone(context.Background())
	req.URL.User = nil // credentials in the URL (R-AUTH-1) are not part of the route
	head := req.Method == http.MethodHead
	if head {
		if len(a.body) > 0 {
			return errors.New("a HEAD answer with a body")
		}
		req.Method = http.MethodGet
	}
	refusal := func(status int, header string) error {
		if a.status != status {
			return fmt.Errorf("want %d", status)
		}
		if header != "" && a.header.Get(header) == "" {
			return fmt.Errorf("no %s header", header)
		}
		if head {
			return nil
		}
		var v any
		if err := json.Unmarshal(a.body, &v); err != nil {
			return err
		}
		return doc.ValidateSchemaJSON(doc.Components.Schemas["Refusal"].Value, v, openapi3.EnableJSONSchema2020())
	}
	route, params, err := router.FindRoute(req)
	var re *routers.RouteError // the router makes new ones: compare reasons
	switch {
	case errors.As(err, &re) && re.Reason == routers.ErrPathNotFound.Error():
		return refusal(http.StatusNotFound, "")
	case errors.As(err, &re) && re.Reason == routers.ErrMethodNotAllowed.Error():
		return refusal(http.StatusMethodNotAllowed, "Allow")
	case err != nil:
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 a.status,
		Header:                 a.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if head {
		in.Options.ExcludeResponseBody = true
	} else {
		in.SetBodyBytes(a.body)
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// TestCheckAnswerCatchesDrift: the check that every answer meets the
// document fails for answers the document does not allow.
func TestCheckAnswerCatchesDrift(t *testing.T) {
	doc := loadOpenAPI(t)
	doc.Servers = openapi3.Servers{{URL: "http://autosync.builtin"}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	jsonHeader := func(kv ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		ok                 bool
	}{
		{"an import", http.MethodPost, api.ImportPath, 200, jsonHeader(), `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, true},
		{"a plural for one", http.MethodPost, api.ImportPath, 200, jsonHeader(), `{"success":true,"summary":"1 users processed. 1 user created. 0 users updated. 0 users failed."}`, false},
		{"empty details", http.MethodPost, api.ImportPath, 200, jsonHeader(), `{"success":true,"summary":"0 users processed. 0 users created. 0 users updated. 0 users failed.","details":{}}`, false},
		{"a refusal", http.MethodPost, api.ImportPath, 401, jsonHeader("WWW-Authenticate", `Basic realm="autosync"`), `{"success":false,"summary":"Unauthorised. Check credentials."}`, true},
		{"a refusal without its challenge", http.MethodPost, api.ImportPath, 401, jsonHeader(), `{"success":false,"summary":"Unauthorised. Check credentials."}`, false},
		{"another summary for 401", http.MethodPost, api.ImportPath, 401, jsonHeader("WWW-Authenticate", `Basic realm="autosync"`), `{"success":false,"summary":"Wrong password."}`, false},
		{"a status not listed", http.MethodGet, "/healthz", 204, jsonHeader(), ``, false},
		{"a field more", http.MethodGet, "/healthz", 200, jsonHeader(), `{"status":"ok","uptime":3}`, false},
		{"HTML", http.MethodGet, "/healthz", 200, http.Header{"Content-Type": {"text/html"}}, `<p>ok</p>`, false},
		{"a 405 without Allow", http.MethodPut, "/healthz", 405, jsonHeader(), `{"success":false,"summary":"Method PUT is not allowed here; use GET or HEAD."}`, false},
		{"a 405", http.MethodPut, "/healthz", 405, jsonHeader("Allow", "GET, HEAD"), `{"success":false,"summary":"Method PUT is not allowed here; use GET or HEAD."}`, true},
		{"an unknown path answered 200", http.MethodGet, "/nothing", 200, jsonHeader(), `{"success":false,"summary":"Not found."}`, false},
		{"a HEAD with a body", http.MethodHead, "/healthz", 200, jsonHeader(), `{"status":"ok"}`, false},
		{"a HEAD", http.MethodHead, "/healthz", 200, jsonHeader(), ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := answer{req: httptest.NewRequest(tt.method, "http://autosync.builtin"+tt.path, nil), status: tt.status, header: tt.header, body: []byte(tt.body)}
			err := checkAnswer(doc, router, a)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
