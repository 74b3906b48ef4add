package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

func withStdin(t *testing.T, s string) {
	t.Helper()
	old := translateStdin
	translateStdin = strings.NewReader(s)
	t.Cleanup(func() { translateStdin = old })
}

func TestTranslateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"translate"}, // no --from
		{"translate", "--from", "es", "--format", "pdf"}, // bad format
		{"translate", "--from", "es", "--backend", "nope"},
		{"translate", "--from", "es", "--rules", "nope"},
	} {
		withStdin(t, "Hola")
		if code, _, errOut := runCmd(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, exitUsage)
		}
	}
}

func TestTranslateHTMLWithApertium(t *testing.T) {
	if _, err := os.Stat(apertiumSpaEng); err != nil {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	withStdin(t, `<p>El presidente <a href="https://example.org/amlo">López Obrador</a> y <a href="/b">Blinken</a> se reunieron en Nochebuena.</p>`)
	code, out, errOut := runCmd(t, nil, "translate", "--from", "es", "--to", "en", "--format", "html")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`Obrador</a> and`, `Blinken</a> met`, "Christmas Eve", `href="https://example.org/amlo"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q: %s", want, out)
		}
	}
}

func TestEvalTranslateScoresHypothesis(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ref := write("ref.en", "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n")
	hyp := write("hyp.en", "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n")
	code, out, errOut := runCmd(t, nil, "eval", "translate", "--ref", ref, "--hyp", hyp, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var res struct {
		Sentences  int
		Chrf, Bleu float64
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if res.Sentences != 3 || res.Bleu <= 0 || res.Bleu >= 100 || res.Chrf <= 0 {
		t.Errorf("result %+v", res)
	}
	if code, _, _ := runCmd(t, nil, "eval", "translate", "--ref", ref); code != exitUsage {
		t.Errorf("missing --src/--hyp: exit %d", code)
	}
}
