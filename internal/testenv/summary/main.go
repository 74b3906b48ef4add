// Command summary reads `go test -json` on stdin and prints what a person
// needs from a whole test run: each package's result, the output of every
// failed test, and at the end what was skipped and why, grouped by what
// was missing (see package testenv), then one closing line
// "N passed, N failed, N skipped". It exits 1 when a test or a build
// failed.
//
//	go test -json ./... | go run ./internal/testenv/summary
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type counts struct {
	passed, failed, skipped int
	missing                 map[string][]string // reason -> tests
	otherSkips              int
	failedBuild             bool
}

func main() {
	c, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "summary:", err)
		os.Exit(2)
	}
	if c.failed > 0 || c.failedBuild {
		os.Exit(1)
	}
}

func summarize(r io.Reader, w io.Writer) (counts, error) {
	c := counts{missing: map[string][]string{}}
	out := map[string][]string{}    // package/test -> output lines
	testFailed := map[string]bool{} // packages with a failed test
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			fmt.Fprintln(w, string(line)) // not JSON: pass it on
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			out[key] = append(out[key], e.Output)
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			c.failedBuild = true
		case "pass", "fail", "skip":
			if e.Test == "" { // a package's result
				if e.Action == "fail" {
					// a package that failed without a failed test did
					// not build, or failed outside its tests
					c.failedBuild = c.failedBuild || !testFailed[e.Package]
					for _, l := range out[key] {
						if !strings.HasPrefix(l, "=== ") {
							fmt.Fprint(w, l)
						}
					}
				}
				fmt.Fprintf(w, "%-4s %s (%.1fs)\n", map[string]string{"pass": "ok", "fail": "FAIL", "skip": "--"}[e.Action], e.Package, e.Elapsed)
				delete(out, key)
				continue
			}
			switch e.Action {
			case "pass":
				c.passed++
			case "fail":
				c.failed++
				testFailed[e.Package] = true
				fmt.Fprintf(w, "--- FAIL: %s %s\n", e.Package, e.Test)
				for _, l := range out[key] {
					if !strings.HasPrefix(l, "=== ") {
						fmt.Fprint(w, l)
					}
				}
			case "skip":
				c.skipped++
				reason := ""
				for _, l := range out[key] {
					if i := strings.Index(l, testenv.Prefix); i >= 0 {
						reason = strings.TrimSpace(l[i+len(testenv.Prefix):])
						break
					}
				}
				if reason == "" {
					c.otherSkips++
				} else {
					c.missing[reason] = append(c.missing[reason], shortPkg(e.Package)+"."+e.Test)
				}
			}
			delete(out, key)
		}
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	if len(c.missing) > 0 {
		fmt.Fprintln(w, "\nskipped because something was missing (make test installs it where it can):")
		reasons := make([]string, 0, len(c.missing))
		for r := range c.missing {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			tests := c.missing[r]
			fmt.Fprintf(w, "  %s: %d tests (%s)\n", r, len(tests), strings.Join(first(tests, 4), ", "))
		}
	}
	if c.otherSkips > 0 {
		fmt.Fprintf(w, "\n%d tests skipped on purpose (helpers run by other tests, -short)\n", c.otherSkips)
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", c.passed, c.failed, c.skipped)
	return c, nil
}

func shortPkg(p string) string { return strings.TrimPrefix(p, "github.com/newsdesk/newsdesk/") }

func first(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
}
