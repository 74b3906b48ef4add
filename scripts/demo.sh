#!/usr/bin/env bash
# make demo: installs Apertium when it is missing (the demo translates its
# Spanish pages with it), then runs the reader site with the bundled pages.
# Arguments go to `newsdesk demo` (e.g. --addr 127.0.0.1:8081).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
source scripts/deps.sh
newsdesk_demo_deps || echo "demo: going on without translation" >&2
exec go run ./cmd/newsdesk demo "$@"
