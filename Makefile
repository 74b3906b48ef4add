# newsdesk: the commands the README names.
GO ?= go

.PHONY: test build demo bench fuzz

build:
	$(GO) build -o bin/newsdesk ./cmd/newsdesk

# All tests. Tests that need a service or tool (PostgreSQL, Apertium,
# Chromium) skip with the reason when it is absent; .ci/run provides them.
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

demo:
	$(GO) run ./cmd/newsdesk demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Short fuzzing runs of every fuzz target (FUZZTIME each).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzToUTF8 -fuzztime $(FUZZTIME) ./internal/charset
	$(GO) test -run '^$$' -fuzz FuzzHTML -fuzztime $(FUZZTIME) ./internal/sanitize
	$(GO) test -run '^$$' -fuzz FuzzExtract -fuzztime $(FUZZTIME) ./internal/extract
