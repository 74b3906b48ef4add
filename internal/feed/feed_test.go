package feed

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
	"time"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	tests := []struct {
		file, base string
		title      string
		lang       string
		ttl        time.Duration
		hubs       int
		urls       []string
	}{
		{"rss2.xml", "https://diario.example/rss.xml", "Diario del Puerto", "es", 45 * time.Minute, 1, []string{
			"https://diario.example/2026/11/ferry-sillac",
			"https://diario.example/2026/11/relative",
			"https://diario.example/2026/11/guid-only",
		}},
		{"rss1.rdf", "https://tageblatt.example/rss", "Tageblatt", "", 30 * time.Minute, 0, []string{"https://tageblatt.example/a/1"}},
		{"atom.xml", "https://veilleur.example/atom.xml", "Le Veilleur", "fr", 0, 1, []string{
			"https://veilleur.example/articles/bibliotheque",
			"https://veilleur.example/articles/sans-date",
		}},
		{"feed.json", "https://ledger.example/feed.json", "The Ledger", "en", 0, 1, []string{
			"https://ledger.example/markets/orchard-prices",
			"https://ledger.example/markets/ferry-fares",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := Parse(read(t, tt.file), tt.base, "")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.title || f.Language != tt.lang || f.TTL != tt.ttl || len(f.Hubs) != tt.hubs {
				t.Fatalf("got title=%q lang=%q ttl=%v hubs=%v", f.Title, f.Language, f.TTL, f.Hubs)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, it.URL)
			}
			if strings.Join(got, " ") != strings.Join(tt.urls, " ") {
				t.Fatalf("items:\n got %v\nwant %v", got, tt.urls)
			}
		})
	}
}

func TestParseDates(t *testing.T) {
	f, err := Parse(read(t, "rss2.xml"), "https://diario.example/rss.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC)
	if !f.Items[0].Published.Equal(want) {
		t.Fatalf("published %v, want %v", f.Items[0].Published, want)
	}
	if f.Hubs[0] != "https://hub.example/" || f.Self != "https://diario.example/rss.xml" {
		t.Fatalf("hub %v self %q", f.Hubs, f.Self)
	}
}

func TestParseRejects(t *testing.T) {
	if _, err := Parse([]byte("<html><body>hi</body></html>"), "", ""); err == nil {
		t.Fatal("HTML parsed as a feed")
	}
	broken := `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>One</title><link>https://x.example/a</link></item><item><title>Two</ti`
	if f, err := Parse([]byte(broken), "", ""); err == nil && len(f.Items) > 1 {
		t.Fatalf("malformed feed gave %d items", len(f.Items))
	}
}

func TestItemCap(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>`)
	for i := 0; i < MaxItems+50; i++ {
		b.WriteString("<item><link>https://x.example/")
		b.WriteString(strings.Repeat("a", 1+i%7))
		b.WriteString("/")
		b.WriteString(time.Duration(i).String())
		b.WriteString("</link></item>")
	}
	b.WriteString("</channel></rss>")
	f, err := Parse(b.Bytes(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != MaxItems {
		t.Fatalf("%d items, want the cap %d", len(f.Items), MaxItems)
	}
}

func TestWrongCharset(t *testing.T) {
	tests := []struct {
		name, body, ct, title string
		repaired              bool
	}{
		{"utf8 label, cp1252 bytes", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>", "", "Café", true},
		{"latin1 label, utf8 bytes", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Café</title></channel></rss>", "", "Café", true},
		{"honest latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>", "", "Café", false},
		{"header charset", "<rss version=\"2.0\"><channel><title>\x8aKODA</title></channel></rss>", "text/xml; charset=windows-1250", "ŠKODA", false},
		{"utf-16 bom", "\xff\xfe" + utf16le(`<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Ñu</title></channel></rss>`), "", "Ñu", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", tt.ct)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.title || (f.Repaired != "") != tt.repaired {
				t.Fatalf("title %q repaired %q", f.Title, f.Repaired)
			}
		})
	}
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func TestSitemap(t *testing.T) {
	sm, err := ParseSitemap(read(t, "sitemap-news.xml"), "https://diario.example/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	if sm.Index || len(sm.URLs) != 2 {
		t.Fatalf("got %+v", sm)
	}
	u := sm.URLs[0]
	if u.Title != "El ferry vuelve a Sillac" || u.Language != "es" || !u.Published.Equal(time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC)) {
		t.Fatalf("news fields: %+v", u)
	}
	if sm.URLs[1].LastMod.IsZero() {
		t.Fatal("lastmod not read")
	}
	idx, err := ParseSitemap(read(t, "sitemap-index.xml"), "https://diario.example/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !idx.Index || len(idx.Children) != 2 || idx.Children[1].Loc != "https://diario.example/sitemap-2026-10.xml" {
		t.Fatalf("index: %+v", idx)
	}
	if _, err := ParseSitemap(read(t, "rss2.xml"), ""); err == nil {
		t.Fatal("RSS parsed as a sitemap")
	}
}

func TestDetect(t *testing.T) {
	tests := map[string]Kind{
		"rss2.xml": KindFeed, "rss1.rdf": KindFeed, "atom.xml": KindFeed, "feed.json": KindFeed,
		"sitemap-news.xml": KindSitemap, "sitemap-index.xml": KindSitemapIndex, "home.html": KindHTML,
		"subscriptions.opml": KindUnknown,
	}
	for file, want := range tests {
		if got := Detect(read(t, file), ""); got != want {
			t.Errorf("Detect(%s) = %s, want %s", file, got, want)
		}
	}
}

func TestDiscover(t *testing.T) {
	d := Discover(read(t, "home.html"), "https://diario.example/")
	want := []string{"https://diario.example/rss.xml", "https://diario.example/atom.xml", "https://diario.example/feed.json", "https://diario.example/deportes.xml"}
	if strings.Join(d.Feeds, " ") != strings.Join(want, " ") {
		t.Fatalf("feeds %v", d.Feeds)
	}
	if len(d.Hubs) != 1 || d.Canonical != "https://diario.example/" {
		t.Fatalf("hubs %v canonical %q", d.Hubs, d.Canonical)
	}
}

func TestLinkHeader(t *testing.T) {
	h := []string{`<https://hub.example/>; rel="hub", </feed.xml>; rel="self"`, `<https://b.example/x,y>; rel="hub alternate"`}
	hubs := LinkHeader(h, "hub", "https://site.example/")
	if len(hubs) != 2 || hubs[1] != "https://b.example/x,y" {
		t.Fatalf("hubs %v", hubs)
	}
	if s := LinkHeader(h, "self", "https://site.example/a"); len(s) != 1 || s[0] != "https://site.example/feed.xml" {
		t.Fatalf("self %v", s)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/subscriptions.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	outs, err := ReadOPML(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Language != "es" || outs[0].Category != "Spanish" || outs[1].Title != "The Ledger" {
		t.Fatalf("outlines %+v", outs)
	}
	var b bytes.Buffer
	if err := WriteOPML(&b, "newsdesk sources", outs, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	back, err := ReadOPML(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].XMLURL != outs[0].XMLURL || back[1].XMLURL != outs[1].XMLURL {
		t.Fatalf("round trip: %+v", back)
	}
	if _, err := ReadOPML(strings.NewReader("<opml><body><outline")); err == nil {
		t.Fatal("broken OPML accepted")
	}
}

func TestGzipSitemap(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(read(t, "sitemap-news.xml"))
	zw.Close()
	if k := Detect(b.Bytes(), "application/gzip"); k != KindSitemap {
		t.Fatalf("Detect = %s", k)
	}
	sm, err := ParseSitemap(b.Bytes(), "https://diario.example/sitemap.xml.gz")
	if err != nil || len(sm.URLs) != 2 {
		t.Fatalf("gz sitemap: %v %+v", err, sm)
	}
	// A gzip bomb stops at the cap.
	var bomb bytes.Buffer
	zw = gzip.NewWriter(&bomb)
	zeros := make([]byte, 1<<20)
	for range MaxSitemapBytes>>20 + 2 {
		zw.Write(zeros)
	}
	zw.Close()
	if _, err := ParseSitemap(bomb.Bytes(), ""); err == nil {
		t.Fatal("gzip bomb sitemap accepted")
	}
}
