package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The first-hour mistakes get an answer that says what to do instead.
func TestFirstHourMistakes(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"NEWSDESK_DB": filepath.Join(dir, "news.db")}

	code, _, errOut := runCmd(t, env, "import", "https://example.org/news/a.html")
	if code != exitUsage || !strings.Contains(errOut, "newsdesk sources add https://example.org/news/a.html") {
		t.Fatalf("import of a URL: %d %q", code, errOut)
	}

	missing := filepath.Join(dir, "no", "such", "dir")
	code, _, errOut = runCmd(t, env, "sources", "list", "--db", filepath.Join(missing, "news.db"))
	if code != exitFailure || !strings.Contains(errOut, "does not exist") || !strings.Contains(errOut, "mkdir -p "+missing) {
		t.Fatalf("--db in a missing directory: %d %q", code, errOut)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the missing directory was made behind the user's back: %v", err)
	}
}

// Text already in the language asked for passes through unchanged, without
// a translation engine.
func TestTranslateSameLanguagePassesThrough(t *testing.T) {
	in := "<p>Hola, <b>mundo</b>.</p>\nOtra línea.\n"
	old := translateStdin
	translateStdin = strings.NewReader(in)
	defer func() { translateStdin = old }()
	code, out, errOut := runCmd(t, map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "apy", "NEWSDESK_APY_URL": "http://127.0.0.1:1"},
		"translate", "--from", "es", "--to", "ES", "--format", "html")
	if code != exitOK || out != in {
		t.Fatalf("es to es: %d %q %q", code, out, errOut)
	}
}
