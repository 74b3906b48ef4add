package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runForTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"newsdesk"}, args...), func(string) string { return "" }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestEvalExtractReference(t *testing.T) {
	dir := "../../internal/eval/testdata/extract/fulltext"
	code, out, errs := runForTest(t, "eval", "extract", "--corpus", dir, "--reference", dir+"/reference.json", "--json", "--per-page")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var got struct {
		Pages                 int
		Precision, Recall, F1 float64
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	if got.Pages != 2 || got.Precision != 0.5 || got.Recall != 0.5 || got.F1 != 0.5 {
		t.Errorf("summary = %+v, want 2 pages at 0.5", got)
	}
	if !strings.Contains(out, "worst") {
		t.Errorf("--per-page printed no page list:\n%s", out)
	}
}

func TestEvalExtractRunsExtractors(t *testing.T) {
	dir := "../../internal/eval/testdata/extract/snippets"
	code, out, errs := runForTest(t, "eval", "extract", "--corpus", dir, "--extractor", "ours,readability", "--json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var got struct {
		Pages     int
		Extractor string
		Compare   []struct{ Extractor string }
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	if got.Pages != 1 || got.Extractor != "ours" || len(got.Compare) != 2 {
		t.Errorf("summary = %+v", got)
	}
}

func TestEvalUsage(t *testing.T) {
	for _, args := range [][]string{
		{"eval"},
		{"eval", "nope"},
		{"eval", "extract"},
		{"eval", "extract", "--corpus", "x", "--extractor", "nope"},
	} {
		if code, _, _ := runForTest(t, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, _ := runForTest(t, "eval", "extract", "--help"); code != exitOK {
		t.Errorf("--help: exit %d", code)
	}
}
