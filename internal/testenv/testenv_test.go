package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissing runs a test that calls Missing in a child process, with and
// without CI=true: skipped with the reason outside CI, failed under it.
func TestMissing(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Missing(t, "widget", "apt-get install widget")
		return
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		s := string(out)
		if !strings.Contains(s, "missing widget: apt-get install widget") {
			t.Errorf("CI=%q: the reason is not in the output:\n%s", ci, s)
		}
		switch {
		case ci == "" && (err != nil || !strings.Contains(s, "--- SKIP")):
			t.Errorf("outside CI the test should skip: %v\n%s", err, s)
		case ci == "true" && (err == nil || !strings.Contains(s, "--- FAIL")):
			t.Errorf("under CI the test should fail: %v\n%s", err, s)
		}
	}
}
