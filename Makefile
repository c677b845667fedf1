# The two commands a newcomer needs: `make run` and `make test`.
GO ?= go

.PHONY: run test vet fmt-check bench build verify fixtures install

run: build
	./bin/autosync serve

build:
	$(GO) build -buildvcs=auto -o bin/autosync ./cmd/autosync

# Install the binary in $(PREFIX)/bin (default /usr/local/bin).
PREFIX ?= /usr/local
install:
	install -d $(DESTDIR)$(PREFIX)/bin
	$(GO) build -buildvcs=auto -o $(DESTDIR)$(PREFIX)/bin/autosync ./cmd/autosync

# Every package under the race detector, except the proof that every
# deviation fails the suite (steps/deviations): it runs the whole suite once
# a deviation, and runs without the detector, which the same code meets in
# package steps. The inner loop: go test -short ./... skips that proof.
test: fmt-check vet
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/steps/deviations$$')
	$(GO) test -count=1 ./steps/deviations

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
