package release_test

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkFormat opens a built binary with the reader of its system's format
// and checks its architecture.
func checkFormat(t *testing.T, path, goos, goarch string) {
	t.Helper()
	switch goos {
	case "linux":
		f, err := elf.Open(path)
		require.NoError(t, err, "an ELF file")
		defer f.Close()
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
		assert.Equal(t, want, f.Machine)
		assert.Equal(t, elf.ET_EXEC, f.Type)
		for _, p := range f.Progs {
			assert.NotEqual(t, elf.PT_INTERP, p.Type, "static: no dynamic loader needed")
		}
	case "darwin":
		f, err := macho.Open(path)
		require.NoError(t, err, "a Mach-O file")
		defer f.Close()
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		assert.Equal(t, want, f.Cpu)
		assert.Equal(t, macho.TypeExec, f.Type)
	case "windows":
		f, err := pe.Open(path)
		require.NoError(t, err, "a PE file")
		defer f.Close()
		want := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
		assert.Equal(t, want, f.Machine)
		assert.NotZero(t, f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE, "an executable image")
		opt, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		require.True(t, ok, "a 64-bit image")
		assert.Equal(t, uint16(pe.IMAGE_SUBSYSTEM_WINDOWS_CUI), opt.Subsystem, "a console program")
	default:
		t.Fatalf("no format check for %s", goos)
	}
}

// TestDist runs make dist into a temporary directory and checks what it
// wrote: every binary in its system's format (ELF, Mach-O, PE) for its
// architecture, the one for this machine running and printing the stamped
// version, SHA256SUMS matching every file, and a CycloneDX SBOM naming the
// modules linked in. By default it builds one binary per format, this
// machine's among them, to keep make test quick; AUTOSYNC_DIST_ALL=1
// builds and checks all six.
func TestDist(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles autosync; make test runs it")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	if runtime.GOOS != "linux" {
		t.Skip("checks that the Linux binary runs")
	}
	platforms := []string{"linux/" + runtime.GOARCH, "darwin/arm64", "windows/amd64"}
	if os.Getenv("AUTOSYNC_DIST_ALL") == "1" {
		platforms = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}
	}
	dir := t.TempDir()
	const version = "v0.0.0-dist-test"
	cmd := exec.Command("make", "-s", "-C", "..", "dist", "DIST="+dir, "PLATFORMS="+strings.Join(platforms, " "), "VERSION="+version)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)

	var names []string
	for _, p := range platforms {
		goos, goarch, _ := strings.Cut(p, "/")
		name := "autosync-" + goos + "-" + goarch
		if goos == "windows" {
			name += ".exe"
		}
		names = append(names, name)
		t.Run(name, func(t *testing.T) { checkFormat(t, filepath.Join(dir, name), goos, goarch) })
	}

	self := filepath.Join(dir, "autosync-linux-"+runtime.GOARCH)
	v, err := exec.Command(self, "version").CombinedOutput()
	require.NoError(t, err, "%s", v)
	assert.Contains(t, string(v), "autosync "+version)

	sbom := filepath.Join(dir, "autosync.cdx.json")
	checkSBOM(t, sbom)

	// SHA256SUMS: one line per file, "HASH  NAME", each hash right.
	sums, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	require.NoError(t, err)
	defer sums.Close()
	var listed []string
	sc := bufio.NewScanner(sums)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		require.True(t, ok, "line %q", sc.Text())
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		h := sha256.Sum256(b)
		assert.Equal(t, hex.EncodeToString(h[:]), sum, name)
		listed = append(listed, name)
	}
	assert.ElementsMatch(t, append(names, "autosync.cdx.json"), listed)
}

// checkSBOM reads the CycloneDX document: autosync is its subject, and
// the modules the binary links are its components, with versions and
// package URLs; test-only modules are not.
func checkSBOM(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Component struct {
				Name string `json:"name"`
			} `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			PURL    string `json:"purl"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(b, &bom))
	assert.Equal(t, "CycloneDX", bom.BOMFormat)
	assert.NotEmpty(t, bom.SpecVersion)
	assert.Equal(t, "github.com/autosync/autosync", bom.Metadata.Component.Name)
	var modules []string
	for _, c := range bom.Components {
		assert.NotEmpty(t, c.Version, c.Name)
		assert.True(t, strings.HasPrefix(c.PURL, "pkg:golang/"), c.PURL)
		modules = append(modules, c.Name)
	}
	for _, linked := range []string{"github.com/cucumber/godog", "golang.org/x/crypto", "github.com/brianvoe/gofakeit/v7"} {
		assert.True(t, slices.Contains(modules, linked), "%s is linked into autosync: %v", linked, modules)
	}
	assert.False(t, slices.Contains(modules, "github.com/getkin/kin-openapi"), "a test-only module is not in the binary")
}
