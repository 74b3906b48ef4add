package main

import (
	"strings"
	"testing"
)

// serve takes the collector's settings from the environment; its help must
// say how to let it fetch from a loopback site.
func TestServeHelpSaysHowToAllowLoopback(t *testing.T) {
	_, _, errOut := runCmd(t, nil, "serve", "--help")
	if !strings.Contains(errOut, "NEWSDESK_FETCH_ALLOW=127.0.0.1/32") {
		t.Errorf("serve --help does not say how to allow loopback fetching:\n%s", errOut)
	}
}
