package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type testSite struct {
	srv  *Server
	st   *sqlite.Store
	arts []*news.Article
}

func newTestSite(t testing.TB, mod func(*Config)) *testSite {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ts := &testSite{st: st}
	for _, a := range testArticles() {
		if _, err := st.UpsertArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		ts.arts = append(ts.arts, a)
	}
	cfg := Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return testNow },
		BaseURL: "https://news.example.org", CacheTTL: -1}
	if mod != nil {
		mod(&cfg)
	}
	if ts.srv, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, v := range takeAPIViolations(ts.srv) {
			t.Error(v)
		}
	})
	return ts
}

func testArticles() []*news.Article {
	return []*news.Article{
		{URL: "https://outlet.example.com/2026/03/caravan", SiteName: "Outlet Daily", Title: "Migrant caravan reaches the border",
			Byline: "Ana Pérez", Language: "en", Published: testNow.Add(-3 * time.Hour), Modified: testNow.Add(-time.Hour),
			Image: "https://outlet.example.com/img/caravan.jpg", ImageAlt: "People walking along a road",
			Description: "Thousands walked north for weeks.",
			Text:        "Thousands of migrants in a caravan reached the border on Tuesday after weeks of walking north.",
			BodyHTML:    `<p>Thousands of migrants in a caravan reached the border on Tuesday.</p><p><img src="https://outlet.example.com/img/2.jpg" alt="The border crossing"></p>`},
		{URL: "https://diario.example.es/caravana", SiteName: "Diario Ejemplo", Title: "La caravana migrante llega a la frontera",
			Byline: "Luis Gómez", Language: "es", Published: testNow.Add(-5 * time.Hour),
			Text:     "Miles de migrantes de la caravana llegaron a la frontera el martes tras semanas de camino.",
			BodyHTML: "<p>Miles de migrantes de la caravana llegaron a la frontera el martes.</p>"},
		{URL: "https://outlet.example.com/2026/03/caravan-border-talks", SiteName: "Outlet Daily", Title: "Border talks follow migrant caravan",
			Language: "en", Published: testNow.Add(-30 * time.Hour),
			Text:     "Officials held border talks as the migrant caravan waited, the caravan organisers said.",
			BodyHTML: "<p>Officials held border talks as the migrant caravan waited.</p>"},
		{URL: "https://sport.example.net/final", SiteName: "Sport Net", Title: "Cup final ends goalless <b>draw</b>",
			Language: "en", Published: testNow.Add(-80 * time.Hour),
			Text:     "The cup final ended without goals after extra time.",
			BodyHTML: "<p>The cup final ended without goals after extra time.</p>"},
	}
}

type result struct {
	status int
	header http.Header
	body   string
}

func (ts *testSite) get(t testing.TB, path string, hdr ...string) result {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = "192.0.2.1:1234"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	ts.srv.ServeHTTP(rec, req)
	return result{rec.Code, rec.Header(), rec.Body.String()}
}

func TestRoutes(t *testing.T) {
	ts := newTestSite(t, nil)
	id := func(i int) string { return fmt.Sprint(ts.arts[i].ID) }
	tests := []struct {
		path   string
		status int
		ctype  string
		want   []string
	}{
		{"/", 200, "text/html", []string{"<h1>Top stories</h1>", "Migrant caravan reaches the border", `lang="es"`, "Most popular"}},
		{"/?lang=es", 200, "text/html", []string{"Stories in Spanish", "La caravana migrante"}},
		{"/?site=Sport+Net", 200, "text/html", []string{"Cup final ends goalless &lt;b&gt;draw&lt;/b&gt;"}},
		{"/?page=2", 200, "text/html", []string{"Top stories"}},
		{"/article/" + id(0), 200, "text/html", []string{
			"<h1>Migrant caravan reaches the border</h1>", "Ana Pérez",
			`<time datetime="2026-03-10T09:00:00Z" data-local>`,
			`<link rel="canonical" href="https://news.example.org/article/` + id(0) + `">`,
			`<meta property="og:type" content="article">`, `<meta property="article:published_time" content="2026-03-10T09:00:00Z">`,
			`<meta property="og:image" content="https://outlet.example.com/img/caravan.jpg">`,
			"Originally published by <strong>Outlet Daily</strong>", `href="https://outlet.example.com/2026/03/caravan"`,
			"Related coverage", "Border talks follow migrant caravan",
			"https://x.com/intent/post?", "https://www.facebook.com/sharer/sharer.php?u=", "https://wa.me/?text=",
			"https://t.me/share/url?", "https://www.linkedin.com/sharing/share-offsite/?url=", "mailto:?subject=", "data-copy",
			"Lead image: <span", "Image: The border crossing (on the original site)",
		}},
		{"/article/" + id(1), 200, "text/html", []string{`<article class="story" lang="es">`, `<html lang="en">`}},
		{"/search?q=caravan", 200, "text/html", []string{"<mark>caravan</mark>", "result"}},
		{"/search?q=caravana&lang=es", 200, "text/html", []string{"La caravana migrante"}},
		{"/search?q=caravan&site=Outlet+Daily&from=2026-03-09&to=2026-03-10", 200, "text/html", []string{"Migrant caravan reaches"}},
		{"/search", 200, "text/html", []string{"<h1>Search</h1>"}},
		{"/sites", 200, "text/html", []string{"Outlet Daily", "2 articles", "Spanish"}},
		{"/site/Outlet%20Daily", 200, "text/html", []string{"News from Outlet Daily", "/site/Outlet%20Daily/feed.atom"}},
		{"/about", 200, "text/html", []string{"time-decayed", "12 hours", "30 views an hour", "no cookie"}},
		{"/feed.atom", 200, "application/atom+xml", []string{"<feed"}},
		{"/feed.json", 200, "application/feed+json", []string{"jsonfeed.org/version/1.1"}},
		{"/feed.atom?lang=es", 200, "application/atom+xml", []string{"La caravana"}},
		{"/site/Outlet%20Daily/feed.atom", 200, "application/atom+xml", []string{"Outlet Daily"}},
		{"/site/Outlet%20Daily/feed.json", 200, "application/feed+json", []string{"Outlet Daily"}},
		{"/search/feed.atom?q=caravan", 200, "application/atom+xml", []string{"search for caravan"}},
		{"/search/feed.json?q=caravan", 200, "application/feed+json", []string{"caravan"}},
		{"/sitemap.xml", 200, "application/xml", []string{"<urlset", "https://news.example.org/article/" + id(3)}},
		{"/news-sitemap.xml", 200, "application/xml", []string{"<news:news>", "<news:language>es</news:language>"}},
		{"/robots.txt", 200, "text/plain", []string{"Sitemap: https://news.example.org/news-sitemap.xml"}},
		{"/api/v1/articles", 200, "application/json", []string{`"total": 4`}},
		{"/api/v1/articles/" + id(0), 200, "application/json", []string{`"body_html"`}},
		{"/healthz", 200, "text/plain", []string{"ok"}},
		{"/metrics", 200, "text/plain", nil},
		// Not found.
		{"/nope", 404, "text/html", []string{"There is no page at this address."}},
		{"/article/999999", 404, "text/html", []string{"There is no article"}},
		{"/article/abc", 404, "text/html", nil},
		{"/article/-1", 404, "text/html", nil},
		{"/site/Nobody", 404, "text/html", nil},
		{"/source/77", 404, "text/html", nil},
		{"/source/x", 404, "text/html", nil},
		{"/site/Nobody/feed.atom", 404, "text/plain", nil},
		{"/source/77/feed.json", 404, "text/plain", nil},
		{"/static/nope.css", 404, "text/html", nil},
		{"/sitemaps/news/2.xml", 404, "text/html", nil},
		{"/sitemaps/articles/01.xml", 404, "text/html", nil},
		{"/api/v1/articles/999999", 404, "application/problem+json", []string{`"status": 404`}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res := ts.get(t, tc.path)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d; body:\n%.500s", res.status, tc.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tc.ctype)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
			if tc.path != "/metrics" {
				if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("CSP = %q", csp)
				}
				if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Referrer-Policy") == "" {
					t.Errorf("security headers missing: %v", res.header)
				}
			}
		})
	}
}

// TestBadInput: hostile or malformed parameters get a clear message and a
// 4xx, never a 500.
func TestBadInput(t *testing.T) {
	ts := newTestSite(t, nil)
	long := strings.Repeat("caravan+", 40)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/search?q=" + long, 400, "too long"},
		{"/search?q=%ff%fe", 400, "not valid text"},
		{"/search?q=%22", 200, "Type one or more words"},
		{"/search?q=NEAR(", 200, "Nothing found"},
		{"/search?q=NEAR(caravan%2C+border)", 200, "Nothing found"},
		{"/search?q=caravan+NEAR(", 200, "Nothing found"},
		{"/search?q=caravan%22", 200, "results for"},
		{"/search?q=caravan%22+OR+%221", 200, "Nothing found"},
		{"/search?q=*", 200, "Type one or more words"},
		{"/search?q=%27%3B+DROP+TABLE+articles%3B--", 200, "Nothing found"},
		{"/search?q=caravan&page=abc", 400, "page number"},
		{"/search?q=caravan&page=0", 400, "page number"},
		{"/search?q=caravan&page=99999999999999999999", 400, "page number"},
		{"/search?q=caravan&from=yesterday", 400, "from date"},
		{"/search?q=caravan&from=2026-03-10&to=2026-03-01", 400, "must not be after"},
		{"/search?q=caravan&lang=%ff", 400, "not valid text"},
		{"/search?q=caravan&page=500", 200, "caravan"},
		{"/?site=" + strings.Repeat("x", 300), 400, "too long"},
		{"/?lang=%c3%28", 400, "not valid text"},
		{"/?page=-3", 400, "page number"},
		{"/site/Outlet%20Daily?page=x", 400, "page number"},
		{"/search/feed.atom?q=%ff", 400, "not valid text"},
		{"/search/feed.json", 400, "needs words"},
		{"/feed.atom?site=%ff", 400, "not valid text"},
		{"/site/%ff", 404, "no site"},
		{"/api/v1/articles?limit=0", 400, "limit"},
		{"/api/v1/articles?offset=-1", 400, "offset"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res := ts.get(t, tc.path)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d; body:\n%.800s", res.status, tc.status, res.body)
			}
			if !strings.Contains(res.body, tc.want) {
				t.Errorf("body lacks %q:\n%.1500s", tc.want, res.body)
			}
		})
	}
}

func TestFeedsValidate(t *testing.T) {
	ts := newTestSite(t, nil)
	parser := gofeed.NewParser()
	for _, path := range []string{"/feed.atom", "/feed.json", "/feed.atom?lang=es", "/site/Sport%20Net/feed.atom",
		"/site/Sport%20Net/feed.json", "/search/feed.atom?q=caravan", "/search/feed.json?q=frontera"} {
		t.Run(path, func(t *testing.T) {
			res := ts.get(t, path)
			if res.status != 200 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if strings.HasSuffix(strings.Split(path, "?")[0], ".atom") {
				wellFormedXML(t, res.body)
				var f atomFeed
				if err := xml.Unmarshal([]byte(res.body), &f); err != nil || f.ID == "" || f.Updated == "" || len(f.Entries) == 0 {
					t.Fatalf("atom: %v %+v", err, f)
				}
				for _, e := range f.Entries {
					if e.ID == "" || e.Title == "" || e.Updated == "" || e.Author.Name == "" {
						t.Errorf("entry lacks a required element: %+v", e)
					}
					if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
						t.Errorf("updated %q: %v", e.Updated, err)
					}
				}
			} else {
				var doc map[string]any
				if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
					t.Fatal(err)
				}
				if doc["version"] != "https://jsonfeed.org/version/1.1" || doc["title"] == "" {
					t.Errorf("json feed header: %v", doc)
				}
				for _, it := range doc["items"].([]any) {
					m := it.(map[string]any)
					if m["id"] == "" || m["url"] == "" || m["external_url"] == "" {
						t.Errorf("item: %v", m)
					}
				}
			}
			f, err := parser.ParseString(res.body)
			if err != nil || len(f.Items) == 0 {
				t.Fatalf("gofeed: %v (%d items)", err, len(f.Items))
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, "https://news.example.org/article/") {
					t.Errorf("item link %q is not our page", it.Link)
				}
			}
		})
	}
}

func wellFormedXML(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

func TestSitemaps(t *testing.T) {
	ts := newTestSite(t, nil)
	res := ts.get(t, "/sitemap.xml")
	wellFormedXML(t, res.body)
	var set urlSet
	if err := xml.Unmarshal([]byte(res.body), &set); err != nil || len(set.URLs) != 3+len(ts.arts) {
		t.Fatalf("sitemap: %v, %d urls", err, len(set.URLs))
	}
	// The news sitemap has the last 48 hours only: three of four.
	res = ts.get(t, "/news-sitemap.xml")
	wellFormedXML(t, res.body)
	if n := strings.Count(res.body, "<url>"); n != 3 {
		t.Errorf("news sitemap has %d urls, want 3", n)
	}
	if !strings.Contains(res.body, `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`) {
		t.Error("news namespace missing")
	}

	// Beyond a file's limit, both become indexes of parts.
	defer func(a, b int) { sitemapPerFile, newsSitemapPerFile = a, b }(sitemapPerFile, newsSitemapPerFile)
	sitemapPerFile, newsSitemapPerFile = 3, 2
	res = ts.get(t, "/news-sitemap.xml")
	wellFormedXML(t, res.body)
	var idx sitemapIndex
	if err := xml.Unmarshal([]byte(res.body), &idx); err != nil || len(idx.Sitemaps) != 2 {
		t.Fatalf("news index: %v %+v\n%s", err, idx, res.body)
	}
	total := 0
	for i, sm := range idx.Sitemaps {
		want := fmt.Sprintf("https://news.example.org/sitemaps/news/%d.xml", i+1)
		if sm.Loc != want {
			t.Errorf("index entry %q, want %q", sm.Loc, want)
		}
		part := ts.get(t, strings.TrimPrefix(sm.Loc, "https://news.example.org"))
		if part.status != 200 {
			t.Fatalf("%s: %d", sm.Loc, part.status)
		}
		wellFormedXML(t, part.body)
		total += strings.Count(part.body, "<url>")
	}
	if total != 3 {
		t.Errorf("news parts hold %d urls, want 3", total)
	}
	if res := ts.get(t, "/sitemaps/news/3.xml"); res.status != 404 {
		t.Errorf("part beyond the end: %d", res.status)
	}
	res = ts.get(t, "/sitemap.xml")
	if !strings.Contains(res.body, "<sitemapindex") || !strings.Contains(res.body, "/sitemaps/articles/2.xml") {
		t.Errorf("sitemap index:\n%s", res.body)
	}
	if res := ts.get(t, "/sitemaps/articles/2.xml"); res.status != 200 || strings.Count(res.body, "<url>") != 1 {
		t.Errorf("sitemap part 2: %d\n%s", res.status, res.body)
	}
}

func TestJSONLD(t *testing.T) {
	ts := newTestSite(t, nil)
	res := ts.get(t, fmt.Sprintf("/article/%d", ts.arts[0].ID))
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld struct {
		Type      string `json:"@type"`
		Headline  string `json:"headline"`
		URL       string `json:"url"`
		IsBasedOn struct {
			URL       string `json:"url"`
			Publisher struct {
				Name string `json:"name"`
			} `json:"publisher"`
		} `json:"isBasedOn"`
		DatePublished string `json:"datePublished"`
	}
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	if ld.Type != "NewsArticle" || ld.IsBasedOn.URL != ts.arts[0].URL || ld.IsBasedOn.Publisher.Name != "Outlet Daily" ||
		!strings.HasPrefix(ld.URL, "https://news.example.org/article/") || ld.DatePublished == "" {
		t.Errorf("JSON-LD = %+v", ld)
	}
}

func TestConditionalAndCompression(t *testing.T) {
	ts := newTestSite(t, nil)
	path := fmt.Sprintf("/article/%d", ts.arts[0].ID)
	first := ts.get(t, path)
	etag := first.header.Get("ETag")
	if etag == "" || first.header.Get("Last-Modified") == "" || first.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("validators missing: %v", first.header)
	}
	for _, hdr := range [][]string{
		{"If-None-Match", etag},
		{"If-None-Match", `"x", W/` + etag},
		{"If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)},
	} {
		if res := ts.get(t, path, hdr...); res.status != 304 || res.body != "" {
			t.Errorf("%v: status %d, want 304", hdr, res.status)
		}
	}
	if res := ts.get(t, path, "If-None-Match", `"other"`, "If-Modified-Since", testNow.Format(http.TimeFormat)); res.status != 200 {
		t.Errorf("If-None-Match must win over If-Modified-Since: %d", res.status)
	}
	for _, enc := range []struct{ accept, want string }{{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0, gzip", "gzip"}, {"identity", ""}} {
		res := ts.get(t, path, "Accept-Encoding", enc.accept)
		if got := res.header.Get("Content-Encoding"); got != enc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", enc.accept, got, enc.want)
			continue
		}
		var r io.Reader = strings.NewReader(res.body)
		switch enc.want {
		case "br":
			r = brotli.NewReader(r)
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(b, []byte(first.body)) {
			t.Errorf("%s body differs after decoding (%v)", enc.want, err)
		}
		if !strings.Contains(res.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("no Vary: Accept-Encoding")
		}
	}
	// Assets: checksummed names, cached for a year.
	css := regexp.MustCompile(`/static/style\.[0-9a-f]{8}\.css`).FindString(first.body)
	res := ts.get(t, css, "Accept-Encoding", "br")
	if res.status != 200 || !strings.Contains(res.header.Get("Cache-Control"), "immutable") || res.header.Get("Content-Encoding") != "br" {
		t.Errorf("asset %s: %d %v", css, res.status, res.header)
	}
}

func TestPopularity(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.CacheTTL = time.Minute })
	path := fmt.Sprintf("/article/%d", ts.arts[3].ID)
	view := func(addr, ua string) {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr, req.Header["User-Agent"] = addr, []string{ua}
		ts.srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	view("198.51.100.7:1000", firefox)
	view("198.51.100.7:1001", firefox) // a reload: not counted
	view("198.51.100.8:1000", firefox)
	view("198.51.100.9:1000", "Googlebot/2.1") // a robot: not counted
	view("198.51.100.10:1000", "")             // no user agent: not counted
	pop, err := ts.st.Popular(context.Background(), popularQuery(testNow))
	if err != nil || len(pop) != 1 || pop[0].Views != 2 {
		t.Fatalf("popular = %+v, %v; want one article with 2 views", pop, err)
	}
	// No cookie is ever set.
	res := ts.get(t, path, "User-Agent", firefox)
	if c := res.header.Get("Set-Cookie"); c != "" {
		t.Errorf("Set-Cookie: %s", c)
	}
	if !strings.Contains(ts.get(t, "/?fresh").body, `<section class="popular"`) {
		t.Error("front page lacks the popular box")
	}
}

func TestRemoteImages(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.RemoteImages = true })
	res := ts.get(t, fmt.Sprintf("/article/%d", ts.arts[0].ID))
	if !strings.Contains(res.body, `<img src="https://outlet.example.com/img/caravan.jpg" alt="People walking along a road"`) ||
		!strings.Contains(res.body, `<img src="https://outlet.example.com/img/2.jpg"`) {
		t.Errorf("remote images not shown:\n%s", res.body)
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https:") {
		t.Errorf("CSP = %q", csp)
	}
	off := newTestSite(t, nil)
	res = off.get(t, fmt.Sprintf("/article/%d", off.arts[0].ID))
	if strings.Contains(res.body, "<img") || !strings.Contains(res.header.Get("Content-Security-Policy"), "img-src 'self';") {
		t.Errorf("remote images must not load by default")
	}
}

func TestPageCache(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.CacheTTL = time.Minute })
	a := ts.get(t, "/")
	b := ts.get(t, "/")
	if a.header.Get("ETag") != b.header.Get("ETag") {
		t.Error("cached page changed")
	}
}

func TestArticleBodyFixes(t *testing.T) {
	ts := newTestSite(t, nil)
	tests := []struct{ in, want string }{
		{`<p>a <a href="https://x.example/"></a> b</p>`, `<p>a  b</p>`},
		{`<p><a href="https://x.example/"><img src="https://x.example/i.png" alt="Chart"></a></p>`,
			`<p><a href="https://x.example/"><span class="image-link">[Image: Chart]</span></a></p>`},
		{`<p><img src="https://x.example/i.png"></p>`,
			`<p><a class="image-link" rel="nofollow noopener noreferrer" href="https://x.example/i.png">Image (on the original site)</a></p>`},
		{`<ul><a href="/x">one</a><li>two</li>three</ul>`, `<ul><li><a href="/x">one</a></li><li>two</li><li>three</li></ul>`},
		{`<h1>Sub</h1><p>x</p>`, `<h2>Sub</h2><p>x</p>`},
		{`<h3>A</h3><h3>B</h3><h4>C</h4><h6>D</h6>`, `<h2>A</h2><h2>B</h2><h3>C</h3><h4>D</h4>`},
		{`<h5>Only</h5>`, `<h2>Only</h2>`},
		{`<p>Fine &amp; <em>dandy</em></p>`, `<p>Fine &amp; <em>dandy</em></p>`},
	}
	for _, tc := range tests {
		if got := string(ts.srv.articleBody(tc.in)); got != tc.want {
			t.Errorf("articleBody(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestSourcePage(t *testing.T) {
	ts := newTestSite(t, nil)
	ctx := context.Background()
	src := &news.Source{Name: "Outlet Daily feed", URL: "https://outlet.example.com/feed.xml", Kind: news.KindFeed}
	if err := ts.st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	a := &news.Article{URL: "https://outlet.example.com/2026/03/from-feed", SourceID: src.ID, SiteName: "Outlet Daily",
		Title: "Collected from the feed", Language: "en", Published: testNow.Add(-time.Hour), Text: "Feed text.", BodyHTML: "<p>Feed text.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/source/%d", src.ID)
	res := ts.get(t, path)
	if res.status != 200 || !strings.Contains(res.body, "News from Outlet Daily feed") || !strings.Contains(res.body, "Collected from the feed") {
		t.Fatalf("source page: %d\n%s", res.status, res.body)
	}
	for _, f := range []string{"/feed.atom", "/feed.json"} {
		res := ts.get(t, path+f)
		if res.status != 200 || !strings.Contains(res.body, "Outlet Daily feed") || !strings.Contains(res.body, "Collected from the feed") {
			t.Errorf("%s%s: %d\n%s", path, f, res.status, res.body)
		}
	}
}

func TestHead(t *testing.T) {
	ts := newTestSite(t, nil)
	for _, path := range []string{"/", fmt.Sprintf("/article/%d", ts.arts[0].ID), "/feed.atom", "/sitemap.xml"} {
		req := httptest.NewRequest("HEAD", path, nil)
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" || rec.Header().Get("ETag") == "" {
			t.Errorf("HEAD %s: %d, %d body bytes, headers %v", path, rec.Code, rec.Body.Len(), rec.Header())
		}
	}
}
