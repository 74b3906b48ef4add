package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// runCmd runs the binary's run function as a user would.
func runCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), append([]string{"newsdesk"}, args...), getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpForEveryCommand(t *testing.T) {
	if code, out, _ := runCmd(t, nil, "help"); code != exitOK || !strings.Contains(out, "import") {
		t.Fatalf("help: code %d, out %q", code, out)
	}
	for _, c := range commands {
		name := c.name
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCmd(t, nil, name, "--help")
			if code != exitOK {
				t.Errorf("%s --help exit %d", name, code)
			}
			if !strings.Contains(errOut, "Usage: newsdesk "+name) {
				t.Errorf("%s --help printed %q", name, errOut)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, _ := runCmd(t, nil); code != exitUsage {
		t.Errorf("no command: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, nil, "no-such-command"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _, _ := runCmd(t, nil, "import", "--no-such-flag"); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
	if code, _, _ := runCmd(t, nil, "import", "--db", filepath.Join(t.TempDir(), "x.db")); code != exitUsage {
		t.Errorf("import without paths: exit %d", code)
	}
	if code, _, errOut := runCmd(t, nil, "import", "--db", "mysql://x", "testdata/article.html"); code != exitUsage || !strings.Contains(errOut, "unsupported database") {
		t.Errorf("bad --db scheme: exit %d, %q", code, errOut)
	}
}

func TestImportIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "n.db")
	code, out, errOut := runCmd(t, nil, "import", "--db", db, "testdata/article.html")
	if code != exitOK || !strings.Contains(out, "imported 1, updated 0, unchanged 0, failed 0") {
		t.Fatalf("first import: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, nil, "import", "--db", db, "testdata/article.html")
	if code != exitOK || !strings.Contains(out, "imported 0, updated 0, unchanged 1, failed 0") {
		t.Fatalf("second import: code %d\n%s", code, out)
	}
	// The same page, changed: an update that keeps the first-seen time.
	s := openDB(t, db)
	before, err := s.ArticleByURL(context.Background(), "https://diario.example/mundo/caravana-migrante-avanza")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, _ := os.ReadFile("testdata/article.html")
	changed := filepath.Join(t.TempDir(), "changed.html")
	os.WriteFile(changed, bytes.Replace(raw, []byte("quince kilómetros"), []byte("veinte kilómetros"), 1), 0o644)
	code, out, _ = runCmd(t, map[string]string{"NEWSDESK_DB": db}, "import", changed)
	if code != exitOK || !strings.Contains(out, "updated 1") {
		t.Fatalf("changed import: code %d\n%s", code, out)
	}
	s = openDB(t, db)
	defer s.Close()
	after, _ := s.ArticleByURL(context.Background(), before.URL)
	if after.ID != before.ID || !after.FirstSeenAt.Equal(before.FirstSeenAt) || !strings.Contains(after.Text, "veinte") {
		t.Errorf("update lost identity or first-seen time: before %d %v, after %d %v", before.ID, before.FirstSeenAt, after.ID, after.FirstSeenAt)
	}
	if after.Language != "es" || after.SiteName != "Diario de Prueba" || after.Published.IsZero() || after.Image == "" {
		t.Errorf("metadata not extracted: %+v", after)
	}
}

func openDB(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestImportBadInput feeds import every kind of bad file: each gets a clear
// one-line reason in the summary, the good file beside them is imported,
// and what was stored before is untouched.
func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "n.db")
	if code, _, _ := runCmd(t, nil, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatal("seed import failed")
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("empty.html", nil)
	write("binary.html", append([]byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d}, bytes.Repeat([]byte{0, 1, 2, 3}, 1000)...))
	write("invalid-utf8.html", []byte("<meta charset=utf-8><title>x</title><p>\xff\xfe\xfd only garbage \xc3\x28</p>"))
	write("no-article.html", []byte(`<html><body><nav><a href="/">Home</a></nav></body></html>`))
	write("deep.html", []byte(strings.Repeat("<div>", 100_000)+"text"))
	write("wide.html", []byte("<html><body>"+strings.Repeat("<b>x</b>", 1_000_000)+"</body></html>"))
	big := filepath.Join(dir, "huge.html")
	f, _ := os.Create(big)
	f.Truncate(200 << 20) // 200 MB, sparse: refused by size before it is read
	f.Close()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("<p>bomb</p>"), 3_000_000)) // ~33 MB decompressed
	zw.Close()
	write("bomb.html.gz", gz.Bytes())
	raw, _ := os.ReadFile("testdata/article.html")
	write("good.html", bytes.Replace(raw, []byte("caravana-migrante-avanza"), []byte("otra-caravana"), 1))

	code, out, errOut := runCmd(t, nil, "import", "--db", db, dir)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (some failed)\n%s\n%s", code, exitPartial, out, errOut)
	}
	if !strings.Contains(out, "imported 1,") {
		t.Errorf("the good file was not imported:\n%s", out)
	}
	wantReasons := map[string]string{
		"empty.html":        "empty",
		"binary.html":       "not an HTML page",
		"invalid-utf8.html": "no article",
		"no-article.html":   "no article",
		"deep.html":         "nested deeper",
		"wide.html":         "more than",
		"huge.html":         "file too large",
		"bomb.html.gz":      "once decompressed",
	}
	for file, reason := range wantReasons {
		line := lineWith(out, "failed: "+filepath.Join(dir, file)+":")
		if line == "" {
			t.Errorf("%s: no failure line in\n%s", file, out)
			continue
		}
		if !strings.Contains(line, reason) {
			t.Errorf("%s: reason %q does not say %q", file, line, reason)
		}
	}
	s := openDB(t, db)
	defer s.Close()
	if n, _ := s.CountArticles(context.Background(), store.ArticleFilter{}); n != 2 {
		t.Errorf("%d articles stored, want 2 (the seed and the good file)", n)
	}
}

func lineWith(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// TestConcurrentImports runs two imports against one database at once:
// both finish, and every page is stored exactly once.
func TestConcurrentImports(t *testing.T) {
	dir := t.TempDir()
	raw, _ := os.ReadFile("testdata/article.html")
	for i := range 20 {
		b := bytes.Replace(raw, []byte("caravana-migrante-avanza"), []byte("caravana-"+string(rune('a'+i))), 1)
		b = bytes.Replace(b, []byte("seis mil"), []byte("seis mil "+string(rune('a'+i))), 1)
		os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".html"), b, 0o644)
	}
	db := filepath.Join(t.TempDir(), "n.db")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out string
			codes[i], out, errs[i] = runCmd(t, nil, "import", "--db", db, dir)
			errs[i] += out
		}()
	}
	wg.Wait()
	if codes[0] != exitOK || codes[1] != exitOK {
		t.Fatalf("exit codes %v:\n%s\n%s", codes, errs[0], errs[1])
	}
	s := openDB(t, db)
	defer s.Close()
	if n, _ := s.CountArticles(context.Background(), store.ArticleFilter{}); n != 20 {
		t.Errorf("%d articles, want 20", n)
	}
}

// Flags may come after the arguments, as the README's examples write them.
func TestFlagsAnywhere(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	name := fs.String("name", "", "")
	once := fs.Bool("once", false, "")
	for _, args := range [][]string{
		{"https://example.org/feed.xml", "--name", "Example", "--once"},
		{"--name=Example", "https://example.org/feed.xml", "-once"},
		{"--once", "--name", "Example", "--", "https://example.org/feed.xml"},
	} {
		*name, *once = "", false
		if err := fs.Parse(interspersed(fs, args)); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if *name != "Example" || !*once || fs.NArg() != 1 || fs.Arg(0) != "https://example.org/feed.xml" {
			t.Errorf("%q: name %q once %v args %q", args, *name, *once, fs.Args())
		}
	}
	// "--" keeps what follows it as arguments, flags or not
	if err := fs.Parse(interspersed(fs, []string{"--", "--name"})); err != nil || fs.NArg() != 1 || fs.Arg(0) != "--name" {
		t.Errorf("after --: %v %q", err, fs.Args())
	}
	// end to end: the README's import line, --db after the path
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "f.db")
	raw, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a.html"), raw, 0o644)
	if code, out, errOut := runCmd(t, map[string]string{"NEWSDESK_TRANSLATE_BACKEND": "off"}, "import", dir, "--db", db); code != exitOK {
		t.Fatalf("import DIR --db F: %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("--db after the path was not used: %v", err)
	}
}
