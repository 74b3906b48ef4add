// Package testenv is how a test says it needs something from outside the
// repository (a program, a service, the shared corpus) that is not here.
//
// Missing skips the test with a reason that names what is missing and how
// to get it, in a form the test summary (cmd/testsummary) groups, so that
// `make test` ends by saying what it could not run. Under CI=true it fails
// the test instead: CI installs and starts everything, so something
// missing there is a broken set-up, not a reason to pass.
package testenv

import (
	"os"
	"testing"
)

// Prefix starts the message of every skip for a missing requirement.
const Prefix = "missing "

// Missing stops t because what (e.g. "apertium", "postgresql",
// "chromium", "corpus") is not available; how says how to provide it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s%s: %s (CI=true: CI must provide it)", Prefix, what, how)
	}
	t.Skipf("%s%s: %s", Prefix, what, how)
}

// MissingData skips t because data that lives outside the repository
// (the labelled corpus in ../shared) is not here, whether or not under CI:
// a fresh clone has none, and its tests use testdata/ instead.
func MissingData(t testing.TB, what, how string) {
	t.Helper()
	t.Skipf("%s%s: %s", Prefix, what, how)
}

// InCI reports whether the tests run under CI (CI=true), where nothing may
// be missing.
func InCI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}
