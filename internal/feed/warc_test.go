package feed

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// buildWARC writes records with the library's own builder and marshaler,
// each record its own gzip member as .warc.gz files have them.
func buildWARC(t *testing.T, records []struct {
	typ       gowarc.RecordType
	uri, http string
}) []byte {
	t.Helper()
	var out bytes.Buffer
	m := gowarc.NewMarshaler()
	for i, r := range records {
		b := gowarc.NewRecordBuilder(r.typ, gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore), gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore))
		if _, err := b.WriteString(r.http); err != nil {
			t.Fatal(err)
		}
		b.AddWarcHeader(gowarc.WarcRecordID, fmt.Sprintf("<urn:uuid:00000000-0000-4000-8000-%012d>", i))
		b.AddWarcHeaderTime(gowarc.WarcDate, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		if r.uri != "" {
			b.AddWarcHeader(gowarc.WarcTargetURI, r.uri)
		}
		if r.typ == gowarc.Response || r.typ == gowarc.Request {
			b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		}
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
	return out.Bytes()
}

func TestReadWARC(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<html><body><p>compressed page</p></body></html>"))
	zw.Close()
	page := "<html><body><p>Plain page</p></body></html>"
	data := buildWARC(t, []struct {
		typ       gowarc.RecordType
		uri, http string
	}{
		{gowarc.Warcinfo, "", "software: test\r\n"},
		{gowarc.Response, "https://news.example/a", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(page), page)},
		{gowarc.Response, "https://news.example/gone", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nno"},
		{gowarc.Response, "https://news.example/img.png", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"},
		{gowarc.Response, "https://news.example/gz", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + gz.String()},
	})
	var got []WARCPage
	skipped, err := ReadWARC(bytes.NewReader(data), func(p WARCPage) error {
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || skipped != 2 {
		t.Fatalf("pages %d skipped %d", len(got), skipped)
	}
	if got[0].URL != "https://news.example/a" || string(got[0].Body) != page {
		t.Fatalf("first page %q %q", got[0].URL, got[0].Body)
	}
	if !bytes.Contains(got[1].Body, []byte("compressed page")) {
		t.Fatalf("gzip payload not decoded: %q", got[1].Body)
	}
}
