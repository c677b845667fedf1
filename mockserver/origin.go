package mockserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// This file keeps other sites out. A browser that has logged in to the
// web page sends the admin's Basic credentials with any request to this
// server, also one that another site's page makes, so:
//   - a request that changes something and that the browser marks as from
//     another site (Sec-Fetch-Site, Origin) is refused, on every path;
//     scripts and clients send neither header and are not affected;
//   - with WithHosts, only the host names the server knows are answered,
//     so that a name of an attacker's that resolves to this machine (DNS
//     rebinding) reads nothing;
//   - the page's forms carry a token tied to a session cookie of their own.

// WithHosts makes the server answer only requests whose Host is an IP
// address, localhost (or a name under .localhost), or one of names: the
// names it is reached by. Without it, any Host is answered (a server in
// process, for tests).
func WithHosts(names ...string) Option {
	return func(s *server) {
		if s.hosts == nil {
			s.hosts = map[string]bool{}
		}
		for _, n := range names {
			if n = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), ".")); n != "" {
				s.hosts[n] = true
			}
		}
	}
}

// WithCACert names the certificate file a client trusts this server's
// HTTPS with (a self-signed one's own), for the commands the web page
// shows: curl --cacert and push --cacert.
func WithCACert(path string) Option {
	return func(s *server) { s.page.caCert = path }
}

// knownHost reports whether the server answers requests for hostport.
func (s *server) knownHost(hostport string) bool {
	if s.hosts == nil {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	return s.hosts[host]
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// crossSite reports whether a browser marks r as made by another site's
// page: its Sec-Fetch-Site is cross-site or same-site (another origin on
// the same site), or its Origin is not this server.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host)
}

// changes reports whether a request of this method may change anything.
func changes(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// sessionCookie names the web page's session: its forms carry a token made
// from it, so that a token seen by one browser is worth nothing to another.
const sessionCookie = "autosync_session"

// session returns the page's session id for r, making one (and setting
// its cookie on w) when r has none.
func (ui *webPage) session(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	id := newToken()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return id
}

// formToken is the token of a session's forms.
func (ui *webPage) formToken(session string) string {
	m := hmac.New(sha256.New, ui.key)
	m.Write([]byte(session))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// sameOrigin refuses a form posted from another site, or with a token
// that is not this browser session's.
func (ui *webPage) sameOrigin(r *http.Request, token string) bool {
	if crossSite(r) {
		return false
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(ui.formToken(c.Value))) == 1
}
