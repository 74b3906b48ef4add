package main

import (
	"bytes"
	"context"
	"github.com/newsdesk/newsdesk/internal/testenv"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// startCmd runs a serving command in the background and returns its URL
// and a stop function that cancels it (as SIGTERM would) and returns its
// exit code.
func startCmd(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"newsdesk"}, args...), func(string) string { return "" }, out, errb)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if u := urlRE.FindString(out.String() + errb.String()); u != "" {
			return u, func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			t.Fatalf("exited early with %d:\n%s\n%s", code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("no URL printed:\n%s\n%s", out.String(), errb.String())
	return "", nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestDemoServesBundledArticles(t *testing.T) {
	base, stop := startCmd(t, "demo", "--no-install", "--addr", "127.0.0.1:0")
	code, front := get(t, base)
	if code != 200 {
		t.Fatalf("front page: %d", code)
	}
	links := regexp.MustCompile(`href="/article/(\d+)"`).FindAllStringSubmatch(front, -1)
	if len(links) < 15 {
		t.Fatalf("front page lists %d articles", len(links))
	}
	spanish := 0
	for _, m := range links {
		_, page := get(t, base+"article/"+m[1])
		if !strings.Contains(page, "Originally published by") || !strings.Contains(page, "Read the original article") {
			t.Errorf("article %s has no credit or original link", m[1])
		}
		// A Spanish article shows in Spanish, or translated with the
		// disclosure when Apertium is installed.
		if strings.Contains(page, `<article class="story" lang="es">`) || strings.Contains(page, "Machine-translated from Spanish") {
			spanish++
		}
	}
	if spanish == 0 {
		t.Error("no Spanish article page found among the front page's links")
	}
	if code, _ := get(t, base+"healthz"); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	if code := stop(); code != exitOK {
		t.Errorf("demo exit %d after shutdown, want 0", code)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	db := t.TempDir() + "/s.db"
	if code, out, _ := runCmd(t, nil, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatalf("import: %s", out)
	}
	base, stop := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--no-collect")
	code, body := get(t, base+"api/v1/articles")
	if code != 200 || !strings.Contains(body, "Caravana migrante") {
		t.Fatalf("api: %d %s", code, body)
	}
	if code, m := get(t, base+"metrics"); code != 200 || !strings.Contains(m, "newsdesk_http_request_duration_seconds") {
		t.Errorf("metrics: %d", code)
	}
	if code := stop(); code != exitOK {
		t.Errorf("serve exit %d after shutdown, want 0", code)
	}
}

// A taken port fails the demo at once, with the flag that fixes it, before
// any import.
func TestDemoPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	code, out, errOut := runCmd(t, nil, "demo", "--addr", ln.Addr().String())
	if code != exitFailure || !strings.Contains(errOut, "already in use") || !strings.Contains(errOut, "--addr") {
		t.Fatalf("demo on a taken port: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "imported") {
		t.Errorf("the demo imported before finding its port taken: %s", out)
	}
	t.Logf("failed in %v", time.Since(start))
}

// The demo says what it translated, or why not and what fixes it.
func TestDemoSaysWhatItTranslated(t *testing.T) {
	for _, backend := range []string{"off", ""} {
		if backend == "" {
			if _, err := os.Stat(apertiumSpaEng); err != nil {
				testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
			}
		}
		var out, errb bytes.Buffer
		getenv := func(k string) string {
			if k == "NEWSDESK_TRANSLATE_BACKEND" {
				return backend
			}
			return ""
		}
		e := &env{stdout: &out, stderr: &errb, getenv: getenv, log: newLogger(&errb, "json", "warn")}
		st := openDB(t, filepath.Join(t.TempDir(), "d.db"))
		if _, err := importDemo(context.Background(), e, st); err != nil {
			t.Fatal(err)
		}
		st.Close()
		switch s := out.String(); {
		case backend == "off" && !(strings.Contains(s, "Spanish articles are shown untranslated: translation is off") && strings.Contains(s, "sudo apt-get install apertium apertium-eng-spa")):
			t.Errorf("translation off: %q", s)
		case backend == "" && !regexp.MustCompile(`translated \d+ of \d+ Spanish articles into English`).MatchString(s):
			t.Errorf("with Apertium: %q", s)
		}
	}
}
