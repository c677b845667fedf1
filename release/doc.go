// Package release tests make dist: the binaries a school downloads
// instead of installing Go, their checksums and their SBOM. It holds no
// code; its test cross-compiles, so it is one of the Makefile's NORACE
// packages and skipped by go test -short.
package release
