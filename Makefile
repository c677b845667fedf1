# The two commands a newcomer needs: `make run` and `make test`.
GO ?= go

.PHONY: run test vet fmt-check bench build verify fixtures install image dist

run: build
	./bin/autosync serve $(ARGS)

build:
	$(GO) build -buildvcs=auto -o bin/autosync ./cmd/autosync

# Install the binary in $(PREFIX)/bin (default /usr/local/bin).
PREFIX ?= /usr/local
install:
	install -d $(DESTDIR)$(PREFIX)/bin
	$(GO) build -buildvcs=auto -o $(DESTDIR)$(PREFIX)/bin/autosync ./cmd/autosync

# Every package under the race detector, except the heaviest tests: the
# proof that every deviation fails the suite and explore (steps/deviations),
# the scenarios of the longest files (steps/heavy), the generator's every
# seed (fixtures/fake/seeds), make dist's cross-compiled binaries (release:
# one per format), the check of a whole run's answers against the OpenAPI
# description (api), the packages with no concurrency of their own (the
# fixtures and the faker, lint, and the container image's test, which waits
# on podman), and the tests of cmd/autosync that drive whole runs of
# the suite or explore, a killed server, the GitHub Action, the clients'
# scenarios and the page layout in Chromium (WHOLE). They run without the
# detector, which the same code meets in the other packages and tests, side
# by side with the race run, and go vet beside them all. The race run runs four packages at once: many
# of its tests wait on processes and sockets, and the cores would otherwise
# idle. The inner loop: go test -short ./... skips the heaviest.
NORACE = ./steps/deviations ./steps/heavy ./fixtures/fake/seeds ./release ./api ./fixtures ./fixtures/fake ./cmd/autosync/internal/lint ./container
WHOLE = TestVerifyCommand|TestVerifyAgainstServe|TestVerifyExploresByDefault|TestExploreCommand|TestStateAfterSIGKILL|TestAction|TestPushPassesEveryClientScenario|TestPageNumbersDoNotWrap|TestReportFitsTheWindow
test: fmt-check
	@$(GO) vet ./... & vetted=$$!; \
	$(GO) test -count=1 $(NORACE) & proof=$$!; \
	$(GO) test -count=1 -run '^($(WHOLE))$$' ./cmd/autosync & whole=$$!; \
	$(GO) test -race -p 4 -count=1 -skip '^($(WHOLE))$$' $$($(GO) list ./... | grep -v -x -F "$$($(GO) list $(NORACE))"); race=$$?; \
	wait $$vetted; vet=$$?; wait $$proof; proved=$$?; wait $$whole; wholed=$$?; \
	if [ $$vet -ne 0 ] || [ $$race -ne 0 ] || [ $$proved -ne 0 ] || [ $$wholed -ne 0 ]; then exit 1; fi

# The conformance suite against the built-in reference server, as a vendor sees it.
verify: build
	./bin/autosync verify

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# Speed and memory: 1,000,000-row imports and friends, one package at a time
# so that no benchmark shares the cores with another. Takes a few minutes.
bench:
	AUTOSYNC_BENCH_ROWS=$${AUTOSYNC_BENCH_ROWS:-1000000} $(GO) test -p 1 -run '^$$' -bench . -benchmem -benchtime 1x -timeout 30m ./...

# Rewrite the generated fixtures (fixtures/gen-*) from the generator, deterministically.
fixtures:
	$(GO) test ./fixtures/fake -run TestGeneratedFixtures -update

# The container image, tagged autosync, with podman or docker, whichever is
# installed: the static binary (version recorded), the CA certificates of
# this machine for HTTPS targets, an empty /data and an empty /tmp. No base
# image is pulled (Containerfile is FROM scratch). podman builds it in
# Docker's format, the one that keeps a HEALTHCHECK.
CONTAINER ?= $(shell command -v podman 2>/dev/null || command -v docker 2>/dev/null)
CA_CERTS ?= /etc/ssl/certs/ca-certificates.crt
IMAGE ?= autosync
IMAGE_DIR ?= bin/image
image:
	@if [ -z "$(CONTAINER)" ]; then echo "make image needs podman or docker (Debian: apt-get install podman)"; exit 1; fi
	rm -rf $(IMAGE_DIR) && mkdir -p $(IMAGE_DIR)/data $(IMAGE_DIR)/tmp && chmod 1777 $(IMAGE_DIR)/tmp
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -trimpath -o $(IMAGE_DIR)/autosync ./cmd/autosync
	cp $(CA_CERTS) $(IMAGE_DIR)/ca-certificates.crt
	$(CONTAINER) build $(if $(findstring podman,$(CONTAINER)),--format docker) -t $(IMAGE) -f Containerfile $(IMAGE_DIR)

# Binaries to download, for machines without Go (a school's Windows server):
# autosync for Linux, macOS and Windows on amd64 and arm64, static, the
# version from git describe stamped in (autosync version prints it), their
# SHA256SUMS, and a CycloneDX SBOM of the modules linked in, written by
# CycloneDX's own Go tool from the build information Go records in the
# binary (fetched by go run through the module proxy; the first run
# downloads it). SBOM= leaves the SBOM out.
DIST ?= bin/dist
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
SBOM ?= github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0
SHA256SUM ?= $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)
dist:
	rm -rf $(DIST) && mkdir -p $(DIST)
	@for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; if [ "$$os" = windows ]; then ext=.exe; fi; \
		out=$(DIST)/autosync-$$os-$$arch$$ext; echo "$$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -buildvcs=auto -trimpath \
			-ldflags "-s -w -X main.release=$(VERSION)" -o $$out ./cmd/autosync || exit 1; \
	done
	@if [ -n "$(SBOM)" ]; then \
		first=$$(ls $(DIST)/autosync-* | head -n 1); echo $(DIST)/autosync.cdx.json; \
		$(GO) run $(SBOM) bin -json -version $(VERSION) -output $(DIST)/autosync.cdx.json $$first || exit 1; \
	fi
	cd $(DIST) && $(SHA256SUM) autosync* > SHA256SUMS
