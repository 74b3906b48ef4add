#!/usr/bin/env bash
# make test: installs what the test suites need when it can, starts a
# throw-away PostgreSQL, runs go vet and every test, and ends with what was
# skipped and why. Under CI=true a test whose program or service is missing
# fails instead of skipping (internal/testenv).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/deps.sh
source scripts/deps.sh
newsdesk_test_deps || true # what is still missing is named by the summary

if [ -z "${NEWSDESK_TEST_POSTGRES:-}" ]; then
	# shellcheck source=.ci/postgres.sh
	source .ci/postgres.sh || true
fi

echo "== go vet"
go vet ./...
echo "== go test (a summary of what was skipped follows the results)"
go test -count=1 -timeout 30m -json ./... | go run ./internal/testenv/summary
