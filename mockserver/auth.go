package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// authorised reports whether r carries the credentials of an account allowed
// to import: an admin (R-AUTH-1). Every account is compared, in constant
// time, whatever matches first, so that timing tells nothing about which part
// was wrong (R-AUTH-4). Credentials in the URL reach the server as this same
// header: clients such as curl send them that way.
func (s *server) authorised(r *http.Request) (string, bool) { return s.accounts.authorised(r) }

// accounts are the accounts a server knows.
type accounts []Account

// authorised is server.authorised, for the accounts.
func (accts accounts) authorised(r *http.Request) (string, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", false
	}
	uh, ph := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
	allowed := 0
	for _, a := range accts {
		au, ap := sha256.Sum256([]byte(a.Username)), sha256.Sum256([]byte(a.Password))
		match := subtle.ConstantTimeCompare(uh[:], au[:]) & subtle.ConstantTimeCompare(ph[:], ap[:])
		admin := 0
		if a.Admin { // R-AUTH-1, R-AUTH-3
			admin = 1
		}
		allowed |= match & admin
	}
	return user, allowed == 1
}
