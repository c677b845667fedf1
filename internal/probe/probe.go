// Package probe answers questions about an endpoint without sending it a
// request: the checks push and the conformance suite make before they send.
package probe

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"
	"time"
)

// SpeaksTLS reports whether the host and port of u (port 80 if none is
// given) answer in TLS: a TLS handshake with it succeeds within three
// seconds or ctx. Nothing is sent past the handshake.
func SpeaksTLS(ctx context.Context, u *url.URL) bool {
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
	if err != nil {
		return false
	}
	defer conn.Close()
	tc := tls.Client(conn, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true}) // a probe: no data is sent
	return tc.HandshakeContext(ctx) == nil
}
