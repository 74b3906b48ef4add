package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalCluster(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	corpus := `{"id":"1","cluster":"a","lang":"en","text":"A magnitude 6.1 earthquake struck Arequipa in southern Peru, killing 4 people."}
{"id":"2","cluster":"b","lang":"en","text":"Fire crews fought a blaze at a Waitrose supermarket in Banstead, Surrey."}
{"id":"3","cluster":"a","lang":"en","text":"Rescuers in Arequipa searched homes after the 6.1 earthquake in Peru killed 4."}
`
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, nil, "eval", "cluster", "--docs", path, "--json", "--translate=no")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var res struct {
		Docs      int     `json:"docs"`
		Stories   int     `json:"stories"`
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
		F1        float64 `json:"f1"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if res.Docs != 3 || res.Stories != 2 || res.F1 != 1 {
		t.Errorf("result %+v", res)
	}
	// several orders: the file order's scores stay, mean and lowest join
	code, stdout, stderr = runCmd(t, nil, "eval", "cluster", "--docs", path, "--json", "--translate=no", "--orders", "4")
	if code != exitOK {
		t.Fatalf("--orders 4: exit %d: %s", code, stderr)
	}
	lines = strings.Split(strings.TrimSpace(stdout), "\n")
	var multi struct {
		F1     float64  `json:"f1"`
		Orders int      `json:"orders"`
		F1Mean *float64 `json:"f1_mean"`
		F1Min  *float64 `json:"f1_min"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &multi); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if multi.Orders != 4 || multi.F1 != res.F1 || multi.F1Mean == nil || multi.F1Min == nil || *multi.F1Min > *multi.F1Mean || *multi.F1Mean > 1 {
		t.Errorf("--orders 4 summary %+v", multi)
	}
	if !strings.Contains(stdout, "F1 mean") || !strings.Contains(stdout, "F1 lowest") {
		t.Errorf("--orders output lacks the mean:\n%s", stdout)
	}
	if code, _, _ := runCmd(t, nil, "eval", "cluster", "--docs", path, "--orders", "0"); code != exitUsage {
		t.Errorf("--orders 0: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, nil, "eval", "cluster"); code != exitUsage {
		t.Errorf("no --docs: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, nil, "eval", "cluster", "--docs", path, "--translate=maybe"); code != exitUsage {
		t.Errorf("bad --translate: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, nil, "eval", "cluster", "--docs", filepath.Join(t.TempDir(), "none.jsonl")); code != exitFailure {
		t.Errorf("missing file: exit %d, want %d", code, exitFailure)
	}
}
