package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestImportWARC(t *testing.T) {
	var out bytes.Buffer
	m := gowarc.NewMarshaler()
	for i := range 3 {
		page := sampleweb.ArticlePage("Archived Argus", "https://argus.example", i)
		b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore), gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore))
		fmt.Fprintf(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(page), page)
		b.AddWarcHeader(gowarc.WarcRecordID, fmt.Sprintf("<urn:uuid:00000000-0000-4000-8000-%012d>", i))
		b.AddWarcHeaderTime(gowarc.WarcDate, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		b.AddWarcHeader(gowarc.WarcTargetURI, sampleweb.ArticleURL("https://argus.example", i))
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		rec, _, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(&out)
		if _, _, err := m.Marshal(zw, rec, 0); err != nil {
			t.Fatal(err)
		}
		zw.Close()
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "crawl.warc.gz")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "w.db")
	code, stdout, stderr := runCmd(t, map[string]string{"NEWSDESK_DB": db}, "import", path)
	if code != exitOK || !strings.Contains(stdout, "imported 3") {
		t.Fatalf("import: %d %q %q", code, stdout, stderr)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.ArticleByURL(context.Background(), sampleweb.ArticleURL("https://argus.example", 1))
	if err != nil || !strings.Contains(a.Title, "Archived Argus") {
		t.Fatalf("article: %+v %v", a, err)
	}
	if n, _ := st.CountArticles(context.Background(), store.ArticleFilter{}); n != 3 {
		t.Fatalf("%d articles", n)
	}
}
