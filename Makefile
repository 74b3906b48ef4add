# newsdesk: the commands the README names.
GO ?= go

.PHONY: test build demo bench fuzz

build:
	$(GO) build -o bin/newsdesk ./cmd/newsdesk

# All tests: installs what they need when it can (scripts/deps.sh), starts
# PostgreSQL, runs vet and every test, and ends with what was skipped and
# why. Under CI=true a missing program or service fails the run.
test:
	bash scripts/test.sh

# The reader site with the bundled pages (it installs Apertium when it is
# missing and it can, so that the Spanish pages are translated).
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
