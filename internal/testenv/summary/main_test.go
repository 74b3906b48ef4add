package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p/a","Test":"TestOK"}`,
		`{"Action":"pass","Package":"p/a","Test":"TestOK"}`,
		`{"Action":"output","Package":"p/a","Test":"TestPG","Output":"    x_test.go:9: missing postgresql: NEWSDESK_TEST_POSTGRES is not set\n"}`,
		`{"Action":"skip","Package":"p/a","Test":"TestPG"}`,
		`{"Action":"output","Package":"p/a","Test":"TestChild","Output":"    x_test.go:3: run by other tests\n"}`,
		`{"Action":"skip","Package":"p/a","Test":"TestChild"}`,
		`{"Action":"output","Package":"p/a","Test":"TestBad","Output":"    x_test.go:5: got 2, want 3\n"}`,
		`{"Action":"fail","Package":"p/a","Test":"TestBad"}`,
		`{"Action":"fail","Package":"p/a","Elapsed":1.5}`,
	}, "\n")
	var out strings.Builder
	c, err := summarize(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if c.passed != 1 || c.failed != 1 || c.skipped != 2 || c.otherSkips != 1 {
		t.Errorf("counts %+v", c)
	}
	for _, want := range []string{"--- FAIL: p/a TestBad", "got 2, want 3", "FAIL p/a (1.5s)",
		"postgresql: NEWSDESK_TEST_POSTGRES is not set: 1 tests (p/a.TestPG)", "1 passed, 1 failed, 2 skipped\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if strings.HasSuffix(strings.TrimSpace(s), "skipped") == false {
		t.Errorf("the closing line is not last:\n%s", s)
	}
}
