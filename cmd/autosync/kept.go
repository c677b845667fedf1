package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/internal/atomicfile"
)

// defaultKeepDir is where push keeps the last file each target accepted:
// $XDG_STATE_HOME/autosync/accepted, %LOCALAPPDATA%\autosync\accepted on
// Windows, or ~/.local/state/autosync/accepted; "" (nothing kept) when
// none of these is known.
func defaultKeepDir(getenv func(string) string) string {
	for _, base := range []struct{ env, sub string }{
		{"XDG_STATE_HOME", ""}, {"LOCALAPPDATA", ""}, {"HOME", filepath.Join(".local", "state")},
	} {
		if dir := getenv(base.env); dir != "" {
			return filepath.Join(dir, base.sub, "autosync", "accepted")
		}
	}
	return ""
}

// keptPath names the kept file of a target: its host and path, readable,
// and a hash of the whole import URL (without credentials), so that two
// targets never share one.
func keptPath(dir, target string) string {
	u, err := url.Parse(api.ImportURL(target))
	if err != nil {
		return ""
	}
	u.User = nil
	sum := sha256.Sum256([]byte(u.String()))
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, u.Host)
	return filepath.Join(dir, name+"-"+hex.EncodeToString(sum[:6])+".csv")
}

// keep copies the file a target accepted to its kept path, whole or not at
// all (see atomicfile), readable by its owner only: it may hold passwords.
func keep(path, kept string) error {
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	defer src.Close()
	if err := atomicfile.Write(kept, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	}); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	return nil
}
