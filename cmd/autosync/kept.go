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
// all: a temporary file beside it, synced, then renamed over it.
func keep(path, kept string) error {
	if err := os.MkdirAll(filepath.Dir(kept), 0o700); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(kept), ".accepted-*.csv")
	if err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	if err := os.Rename(tmp.Name(), kept); err != nil {
		return fmt.Errorf("keep the accepted file: %w", err)
	}
	return nil
}
