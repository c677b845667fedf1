# The two commands a newcomer needs: `make run` and `make test`.
GO ?= go

.PHONY: run test vet fmt-check bench build verify fixtures install image

run: build
	./bin/autosync serve

build:
	$(GO) build -buildvcs=auto -o bin/autosync ./cmd/autosync

# Install the binary in $(PREFIX)/bin (default /usr/local/bin).
PREFIX ?= /usr/local
install:
	install -d $(DESTDIR)$(PREFIX)/bin
	$(GO) build -buildvcs=auto -o $(DESTDIR)$(PREFIX)/bin/autosync ./cmd/autosync

# Every package under the race detector, except the heaviest tests: the
# proof that every deviation fails the suite and explore (steps/deviations),
# the scenarios of the longest files (steps/heavy) and the generator's every
# seed (fixtures/fake/seeds). They run without the
# detector, which the same code meets in the other packages, side by side
# with the race run, so that they fill the cores it leaves idle at its end.
# The inner loop: go test -short ./... skips them.
HEAVY = ./steps/deviations ./steps/heavy ./fixtures/fake/seeds
test: fmt-check vet
	@$(GO) test -count=1 $(HEAVY) & proof=$$!; \
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v -e '/steps/deviations$$' -e '/steps/heavy$$' -e '/fixtures/fake/seeds$$'); race=$$?; \
	wait $$proof; proved=$$?; \
	if [ $$race -ne 0 ] || [ $$proved -ne 0 ]; then exit 1; fi

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
# this machine for HTTPS targets, and an empty /data. No base image is
# pulled (Containerfile is FROM scratch).
CONTAINER ?= $(shell command -v podman 2>/dev/null || command -v docker 2>/dev/null)
CA_CERTS ?= /etc/ssl/certs/ca-certificates.crt
IMAGE ?= autosync
IMAGE_DIR ?= bin/image
image:
	@if [ -z "$(CONTAINER)" ]; then echo "make image needs podman or docker (Debian: apt-get install podman)"; exit 1; fi
	rm -rf $(IMAGE_DIR) && mkdir -p $(IMAGE_DIR)/data
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -trimpath -o $(IMAGE_DIR)/autosync ./cmd/autosync
	cp $(CA_CERTS) $(IMAGE_DIR)/ca-certificates.crt
	$(CONTAINER) build -t $(IMAGE) -f Containerfile $(IMAGE_DIR)
