package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// serve shows images through its proxy, its cache beside the database;
// --remote-images keeps the outlet's address instead.
func TestServeImagesThroughTheProxy(t *testing.T) {
	dir := t.TempDir()
	db := dir + "/s.db"
	if code, out, _ := runCmd(t, nil, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatalf("import: %s", out)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"proxy", nil, `<img src="/media/`},
		{"remote", []string{"--remote-images"}, `<img src="https://diario.example/img/caravana.jpg"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, stop := startCmd(t, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--no-collect"}, tc.args...)...)
			defer stop()
			_, front := get(t, base)
			m := regexp.MustCompile(`href="/article/(\d+)"`).FindStringSubmatch(front)
			if m == nil {
				t.Fatalf("no article on the front page:\n%s", front)
			}
			_, page := get(t, base+"article/"+m[1])
			if !strings.Contains(page, tc.want) {
				t.Errorf("article page lacks %q", tc.want)
			}
		})
	}
	if _, err := os.Stat(db + ".media/key"); err != nil {
		t.Errorf("the proxy's key is not beside the database: %v", err)
	}
}

func TestMediaDirBeside(t *testing.T) {
	for dsn, want := range map[string]string{
		"news.db":                         "news.db.media",
		"sqlite:/var/lib/n.db":            "/var/lib/n.db.media",
		"/data/n.db?_pragma=busy_timeout": "/data/n.db.media",
		"postgres://u@h/db":               "",
		":memory:":                        "",
	} {
		if got := mediaDirBeside(dsn); got != want {
			t.Errorf("mediaDirBeside(%q) = %q, want %q", dsn, got, want)
		}
	}
}
