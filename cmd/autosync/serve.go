package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/internal/safe"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
	"github.com/autosync/autosync/mockserver/rules"
)

// accountList is a repeatable USER:PASS flag; a comma separates several in
// one value (as in the environment variable).
type accountList []mockserver.Account

// String lists the usernames (never the passwords).
func (l *accountList) String() string {
	names := make([]string, len(*l))
	for i, a := range *l {
		names[i] = a.Username
	}
	return strings.Join(names, ",")
}

// Set adds USER:PASS accounts, comma-separated.
func (l *accountList) Set(v string) error {
	for _, pair := range strings.Split(v, ",") {
		user, pass, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok || user == "" || pass == "" {
			return errors.New("want USER:PASS")
		}
		*l = append(*l, mockserver.Account{Username: user, Password: pass})
	}
	return nil
}

// byteSize is a flag holding a size such as 256MiB.
type byteSize int64

// String writes the size with its unit.
func (b *byteSize) String() string { return mockserver.FormatBytes(int64(*b)) }

// Set reads a size such as 256MiB.
func (b *byteSize) Set(v string) error {
	n, err := mockserver.ParseBytes(v)
	*b = byteSize(n)
	return err
}

type serveConfig struct {
	addr          string
	admins, users accountList
	levels        declaredList
	hosts         declaredList
	groups        declaredList
	maxBody       byteSize
	tlsCert       string
	tlsKey        string
	tlsSelfSigned string
	bcryptCost    int
	quiet         bool
	bodyIdle      time.Duration
	grace         time.Duration
	faults        randomFaultList
	state         string
	healthcheck   bool
}

// randomFaultList is the repeatable --fault KIND:RATE flag.
type randomFaultList []mockserver.RandomFault

// String lists the faults.
func (l *randomFaultList) String() string {
	var out []string
	for _, f := range *l {
		out = append(out, fmt.Sprintf("%s:%g", f.Fault, f.Rate))
	}
	return strings.Join(out, ",")
}

// Set adds a fault.
func (l *randomFaultList) Set(v string) error {
	f, err := mockserver.ParseRandomFault(v)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}

var serveEnv = map[string]string{
	"addr": "AUTOSYNC_ADDR", "admin": "AUTOSYNC_ADMIN", "user": "AUTOSYNC_USER",
	"academic-levels": "AUTOSYNC_ACADEMIC_LEVELS", "presentation-groups": "AUTOSYNC_PRESENTATION_GROUPS",
	"max-body": "AUTOSYNC_MAX_BODY", "tls-cert": "AUTOSYNC_TLS_CERT", "tls-key": "AUTOSYNC_TLS_KEY",
	"tls-self-signed": "AUTOSYNC_TLS_SELF_SIGNED", "bcrypt-cost": "AUTOSYNC_BCRYPT_COST", "state": "AUTOSYNC_STATE",
	"host": "AUTOSYNC_HOSTS",
}

func serveFlags(c *serveConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.maxBody = mockserver.DefaultMaxBody
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen `address` (host:port; port 0 picks a free one)")
	fs.Var(&c.admins, "admin", "admin account `USER:PASS` that may import (repeatable; default autoimport:autoimport)")
	fs.Var(&c.users, "user", "account `USER:PASS` without system administration privileges, refused like a wrong password (repeatable; default librarian:librarian)")
	c.levels = rules.DefaultAcademicLevels()
	fs.Var(&c.levels, "academic-levels", "declared academic level import `IDs`, comma-separated")
	c.groups = rules.DefaultPresentationGroups()
	fs.Var(&c.groups, "presentation-groups", "current presentation `groups`, comma-separated")
	fs.Var(&c.maxBody, "max-body", "largest request body accepted (`size`: bytes, or with a unit like 256MiB)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `file` (PEM; with --tls-key)")
	fs.StringVar(&c.tlsKey, "tls-key", "", "private key `file` for --tls-cert (PEM)")
	fs.StringVar(&c.tlsSelfSigned, "tls-self-signed", "", "serve HTTPS with a new self-signed certificate for localhost, written to `DIR`/cert.pem for curl --cacert")
	fs.IntVar(&c.bcryptCost, "bcrypt-cost", 4, "bcrypt `cost` of stored patron passwords (4 to 31)")
	fs.BoolVar(&c.quiet, "quiet", false, "log nothing per request")
	fs.DurationVar(&c.bodyIdle, "body-idle", mockserver.DefaultBodyIdle, "give up an upload that sends nothing for this `duration`")
	fs.Var(&c.faults, "fault", "answer this share of imports badly, for soak tests: `KIND:RATE`, e.g. "+strings.Join(mockserver.FaultExamples(), ":0.1, ")+":0.1 (repeatable)")
	fs.StringVar(&c.state, "state", "", "keep the patrons and the import history in `FILE`, across restarts and crashes (default: in memory only)")
	fs.Var(&c.hosts, "host", "host `names` the server is reached by, comma-separated, beyond IP addresses and localhost, which always work; another name is answered 421, so that no other site's name (DNS rebinding) reaches it")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "on SIGTERM or Ctrl-C, let running requests finish for this `duration`, then cut them off")
	fs.BoolVar(&c.healthcheck, "healthcheck", false, "serve nothing: ask the server these settings start (at --addr, over HTTPS with a TLS flag) for /healthz, and exit 0 if it answers, 1 if not (the container's HEALTHCHECK)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync serve [flags]

Runs the reference autoSync endpoint: POST /api/import/users answers as the
documented one does; /_mock/ shows what was imported. Every flag can also be
set by the environment variable in brackets; a flag wins over the variable.

Example:
  autosync serve --addr 127.0.0.1:9000 --academic-levels 7,8,9 --tls-self-signed ./tls

Exit codes: 0 stopped cleanly (Ctrl-C or SIGTERM), 1 the server failed while
running (e.g. the address is in use), 2 bad flags or an unsafe configuration.

Flags:
`)
		writeFlags(fs, serveEnv)
	}
	return fs
}

func runServe(ctx context.Context, e env, args []string) int {
	var c serveConfig
	fs := serveFlags(&c)
	rest, code, ok := parseFlags(fs, e, args, serveEnv)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "autosync serve: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	if c.healthcheck {
		if err := healthcheck(ctx, &c); err != nil {
			fmt.Fprintf(e.stderr, "autosync serve: --healthcheck: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	if err := serve(ctx, e, &c, nil); err != nil {
		fmt.Fprintf(e.stderr, "autosync serve: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

// usageError is a configuration the user must change.
type usageError struct{ msg string }

// Error returns the message for the user.
func (u usageError) Error() string { return u.msg }

// serve listens first, so a bad address fails at once, then serves until ctx
// ends. ready, if set, is called with the base URL once listening.
func serve(ctx context.Context, e env, c *serveConfig, ready func(baseURL string)) error {
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return usageError{"--tls-cert and --tls-key go together"}
	}
	if c.tlsCert != "" && c.tlsSelfSigned != "" {
		return usageError{"choose --tls-cert/--tls-key or --tls-self-signed, not both"}
	}
	if c.bcryptCost < 4 || c.bcryptCost > 31 {
		return usageError{fmt.Sprintf("--bcrypt-cost %d: give a cost from 4 to 31 (4, the default, keeps a 3,000-row file with passwords to a second or two)", c.bcryptCost)}
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return usageError{fmt.Sprintf("--addr %q: give HOST:PORT, e.g. 127.0.0.1:8080 (or :8080 for every interface)", c.addr)}
	}
	admins := c.admins
	if len(admins) == 0 {
		admins = accountList{{Username: mockserver.DefaultAdminUser, Password: mockserver.DefaultAdminPassword}}
	}
	if !isLoopback(c.addr) {
		for _, a := range admins {
			if a.Password != mockserver.DefaultAdminPassword {
				continue
			}
			if inContainer(e) {
				return usageError{fmt.Sprintf("refusing to start: in this container the server listens on %s, which a published port reaches from beyond the host, "+
					"and admin %q has the default password; pass your own with -e AUTOSYNC_ADMIN=user:password", c.addr, a.Username)}
			}
			return usageError{fmt.Sprintf("refusing to listen on %s, beyond this machine, while admin %q has the default password; "+
				"set your own with --admin USER:PASS (or AUTOSYNC_ADMIN=USER:PASS)", c.addr, a.Username)}
		}
	}

	hosts := append([]string(nil), c.hosts...)
	if h, _, err := net.SplitHostPort(c.addr); err == nil && h != "" && net.ParseIP(h) == nil {
		hosts = append(hosts, h) // the name it listens on
	}
	opts := []mockserver.Option{
		mockserver.WithHosts(hosts...),
		mockserver.WithAcademicLevels(c.levels...),
		mockserver.WithPresentationGroups(c.groups...),
		mockserver.WithMaxBody(int64(c.maxBody)),
		mockserver.WithBcryptCost(c.bcryptCost),
		mockserver.WithBodyIdle(c.bodyIdle),
		mockserver.WithRandomFaults(c.faults...),
		mockserver.WithFileCheck(lintCheck(c.levels, c.groups)),
	}
	if !c.quiet {
		opts = append(opts, mockserver.WithLogger(slog.New(slog.NewTextHandler(e.stderr, nil))))
	}
	for _, a := range admins {
		opts = append(opts, mockserver.WithAdmin(a.Username, a.Password))
	}
	for _, a := range c.users {
		opts = append(opts, mockserver.WithUser(a.Username, a.Password))
	}

	var tlsConfig *tls.Config
	switch {
	case c.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return usageError{fmt.Sprintf("load TLS certificate: %v", err)}
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	case c.tlsSelfSigned != "":
		cert, err := selfSigned(c.tlsSelfSigned)
		if err != nil {
			return fmt.Errorf("self-signed certificate: %w", err)
		}
		if abs, err := filepath.Abs(filepath.Join(c.tlsSelfSigned, "cert.pem")); err == nil {
			opts = append(opts, mockserver.WithCACert(abs))
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("listen on %s: %w; another program (or another autosync serve) has that port: stop it, or give another address with --addr, e.g. --addr 127.0.0.1:8081 (make run ARGS=\"--addr 127.0.0.1:8081\")", c.addr, err)
		}
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	defer ln.Close()
	// The state file is opened once the address is ours: a server that
	// cannot listen leaves no file behind.
	loaded := ""
	if c.state != "" {
		state, err := journal.Open(c.state)
		if err != nil {
			return usageError{fmt.Sprintf("--state: %v", err)}
		}
		defer state.Close()
		opts = append(opts, mockserver.WithPersistence(state))
		patrons, imports := state.Loaded()
		loaded = fmt.Sprintf("loaded %s and %s", plural(patrons, "patron"), plural(imports, "import"))
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	base := scheme + "://" + displayAddr(ln.Addr())
	where := ""
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// [::] or 0.0.0.0 is where it listens, not an address to open.
		base = scheme + "://" + net.JoinHostPort("localhost", strconv.Itoa(tcp.Port))
		where = fmt.Sprintf("listening on every interface, port %d; from another machine use this machine's name or address", tcp.Port)
		if inContainer(e) {
			where = fmt.Sprintf("listening on port %d inside the container; the addresses below assume it is published "+
				"as -p 127.0.0.1:8080:%d: use the host port you published", tcp.Port, tcp.Port)
			base = scheme + "://127.0.0.1:8080"
		}
	}
	var running sync.WaitGroup // requests in flight, so that a stop waits for their clean-up
	handler := mockserver.New(opts...)
	// Requests' contexts end when the grace period does: a delay fault
	// still pending then gives up, and its import is not applied.
	base0, cutOff := context.WithCancel(context.Background())
	defer cutOff()
	srv := &http.Server{
		BaseContext: func(net.Listener) context.Context { return base0 },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			running.Add(1)
			defer running.Done()
			handler.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(e.stderr, nil).WithAttrs([]slog.Attr{slog.String("from", "http")}), slog.LevelWarn),
	}
	banner(e.stdout, c, admins, base, where, loaded)
	if ready != nil {
		ready(base)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), c.grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Past the grace period, requests still running (an upload that
		// stalls, a delay fault) are cut off; their handlers then remove
		// their spool files, which is waited for.
		cutOff()
		srv.Close()
		fmt.Fprintf(e.stderr, "autosync serve: cut off the requests still running after %s\n", c.grace)
	}
	running.Wait()
	fmt.Fprintln(e.stdout, "autosync serve: stopped")
	return nil
}

// healthcheck asks the server that c starts whether it answers: GET
// /healthz at its listen address (a loopback address where it listens on
// every interface), over HTTPS if it serves HTTPS. The certificate is not
// checked: the question is only whether this machine's server answers.
func healthcheck(ctx context.Context, c *serveConfig) error {
	host, port, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("--addr %q: give HOST:PORT", c.addr)
	}
	switch ip := net.ParseIP(host); {
	case host == "":
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	scheme := "http"
	if c.tlsCert != "" || c.tlsSelfSigned != "" {
		scheme = "https"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} // only whether it answers
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("no answer from %s: %w", req.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", req.URL, resp.Status)
	}
	return nil
}

// inContainer reports whether serve runs in the project's container image,
// which says so in AUTOSYNC_CONTAINER.
func inContainer(e env) bool { return e.getenv("AUTOSYNC_CONTAINER") != "" }

func banner(w io.Writer, c *serveConfig, admins accountList, base, where, loaded string) {
	shown := func(a mockserver.Account, def string) string {
		if a.Password == def {
			return a.Username + " / " + a.Password
		}
		return a.Username + " / (the password you set)"
	}
	users := c.users
	if len(users) == 0 {
		users = accountList{{Username: mockserver.DefaultUser, Password: mockserver.DefaultUserPassword}}
	}
	fmt.Fprintf(w, "autosync serve: the reference autoSync endpoint is listening\n\n")
	if where != "" {
		fmt.Fprintf(w, "  %s\n\n", where)
	}
	fmt.Fprintf(w, "  web page             %s/  (log in as the admin)\n", base)
	fmt.Fprintf(w, "  import URL           %s%s\n", base, api.ImportPath)
	for _, a := range admins {
		fmt.Fprintf(w, "  admin (may import)   %s\n", shown(a, mockserver.DefaultAdminPassword))
	}
	for _, a := range users {
		fmt.Fprintf(w, "  non-admin (refused)  %s\n", shown(a, mockserver.DefaultUserPassword))
	}
	fmt.Fprintf(w, "  academic levels      %s\n", strings.Join(c.levels, ", "))
	fmt.Fprintf(w, "  presentation groups  %s\n", strings.Join(c.groups, ", "))
	fmt.Fprintf(w, "  body limit           %s\n", mockserver.FormatBytes(int64(c.maxBody)))
	if c.state != "" {
		fmt.Fprintf(w, "  state file           %s (patrons and history survive a restart; %s)\n", c.state, loaded)
	}
	fmt.Fprintf(w, "  inspect (as admin)   %s/_mock/patrons  %s/_mock/imports  %s/_mock/faults\n", base, base, base)
	fmt.Fprintf(w, "  OpenAPI document     %s/openapi.yaml  %s/openapi.json\n", base, base)
	for _, f := range c.faults {
		fmt.Fprintf(w, "  random fault         %s on %g of imports\n", f.Fault, f.Rate)
	}
	pass := admins[0].Password
	if pass != mockserver.DefaultAdminPassword {
		pass = "PASSWORD"
	}
	u := strings.Replace(base, "://", "://"+admins[0].Username+":"+pass+"@", 1)
	cacert := ""
	if c.tlsSelfSigned != "" {
		cacert = "--cacert " + filepath.Join(c.tlsSelfSigned, "cert.pem") + " "
	}
	fmt.Fprintf(w, "\nTry it:\n  curl %s-X POST -F \"file=@users.csv\" %s%s\n\n", cacert, u, api.ImportPath)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// isLoopback reports whether a listen address stays on this machine.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	return net.JoinHostPort(tcp.IP.String(), fmt.Sprint(tcp.Port))
}

// selfSigned makes a certificate for localhost, 127.0.0.1 and ::1, writes it
// (and its key) to dir so that clients can trust it, and returns it.
func selfSigned(dir string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "autosync reference server", Organization: []string{"autosync"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("encode key: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return tls.Certificate{}, fmt.Errorf("create %s: %w", dir, err)
	}
	// Both are made new (see atomicfile): a link or a loose file planted
	// in dir is replaced, never written through, and the key is the
	// owner's alone.
	if err := atomicfile.Write(filepath.Join(dir, "cert.pem"), 0o644, writeBytes(certPEM)); err != nil {
		return tls.Certificate{}, fmt.Errorf("write certificate: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, "key.pem"), atomicfile.Secret, writeBytes(keyPEM)); err != nil {
		return tls.Certificate{}, fmt.Errorf("write key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("load generated certificate: %w", err)
	}
	return cert, nil
}

// writeBytes writes b, for atomicfile.Write.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// lintCheck is autosync lint, for the web page to show beside the server's
// answer.
func lintCheck(levels, groups []string) mockserver.FileCheck {
	return func(ctx context.Context, src io.ReadSeeker, name string) ([]mockserver.Finding, error) {
		rep, err := lint.Check(ctx, src, name, lint.Options{AcademicLevels: levels, PresentationGroups: groups})
		if err != nil {
			return nil, err
		}
		out := make([]mockserver.Finding, 0, len(rep.Problems))
		for _, p := range rep.Problems {
			out = append(out, mockserver.Finding{Severity: string(p.Severity), Line: p.Line, Row: p.Row, Column: safe.Text(p.Column),
				Value: safe.Text(p.Value), Message: safe.Text(p.Message), Fix: p.Fix, Rule: p.Rule, Damage: p.IsDamage()})
		}
		if rep.LeftOut > 0 {
			out = append(out, mockserver.Finding{Severity: string(lint.Note),
				Message: fmt.Sprintf("… and %d more problems like these, not listed: the page lists the first %d.", rep.LeftOut, len(rep.Problems))})
		}
		return out, nil
	}
}

// plural says n things: "1 patron", "2 patrons".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
