package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// mediaSite is the test site with the image proxy on, fetching from a
// loopback "outlet" that serves a PNG at /lead.png and HTML labelled as a
// PNG at /fake.png, and an article whose images are there.
type mediaSite struct {
	*testSite
	outlet  *httptest.Server
	hits    atomic.Int64
	article *news.Article
}

func newMediaSite(t *testing.T) *mediaSite {
	t.Helper()
	ms := &mediaSite{}
	png, err := os.ReadFile("testdata/media/small.png")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("testdata/media/page.html")
	if err != nil {
		t.Fatal(err)
	}
	ms.outlet = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		ms.hits.Add(1)
		w.Header().Set("Content-Type", "image/png")
		switch r.URL.Path {
		case "/lead.png":
			w.Write(png)
		case "/fake.png":
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ms.outlet.Close)
	client := fetch.New(fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MinDelay: -1, TotalTimeout: 5 * time.Second})
	proxy, err := media.New(media.Config{Fetcher: client, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ms.testSite = newTestSite(t, func(c *Config) { c.Media = proxy })
	ms.article = &news.Article{URL: "https://outlet.example.com/2026/03/pictures", SiteName: "Outlet Daily", Title: "Pictures from the border",
		Language: "en", Published: testNow.Add(-time.Hour), Image: ms.outlet.URL + "/lead.png", ImageAlt: "A road at dawn",
		Text: "Pictures.", BodyHTML: `<p>Pictures.</p><p><img src="` + ms.outlet.URL + `/fake.png"></p><p><img src="data:image/png;base64,AAAA" alt="inline"></p>`}
	if _, err := ms.st.UpsertArticle(context.Background(), ms.article); err != nil {
		t.Fatal(err)
	}
	return ms
}

var imgTag = regexp.MustCompile(`<img [^>]*>`)

// imgs returns the page's <img> tags (the lead, the thumbnails, the body's).
func imgs(body string) []string { return imgTag.FindAllString(body, -1) }

func srcOf(tag string) string {
	m := regexp.MustCompile(`src="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestPagesShowImagesThroughTheProxy(t *testing.T) {
	ms := newMediaSite(t)
	path := fmt.Sprintf("/article/%d", ms.article.ID)
	res := ms.get(t, path)
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self';") {
		t.Errorf("page CSP %q: img-src must be 'self' only", csp)
	}
	tags := imgs(res.body)
	if len(tags) != 2 {
		t.Fatalf("want the lead and one body image (the data: one dropped to a link), got %q", tags)
	}
	for _, tag := range tags {
		if !strings.HasPrefix(srcOf(tag), "/media/") {
			t.Errorf("image not proxied: %s", tag)
		}
		if !strings.Contains(tag, ` alt="`) || !strings.Contains(tag, `decoding="async"`) {
			t.Errorf("image lacks alt or decoding: %s", tag)
		}
	}
	if !strings.Contains(tags[0], `alt="A road at dawn"`) || strings.Contains(tags[0], "width=") {
		t.Errorf("lead before its first fetch: %s", tags[0])
	}
	if !strings.Contains(tags[1], `loading="lazy"`) || !strings.Contains(tags[1], `alt=""`) {
		t.Errorf("body image: %s", tags[1])
	}

	// the lead image, as the browser gets it
	img := ms.get(t, srcOf(tags[0]))
	want, _ := os.ReadFile("testdata/media/small.png")
	if img.status != 200 || img.body != string(want) {
		t.Fatalf("lead image: %d, %d bytes", img.status, len(img.body))
	}
	for k, v := range map[string]string{
		"Content-Type":            "image/png",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": mediaCSP,
		"Cache-Control":           mediaMaxAge,
	} {
		if got := img.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	etag := img.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if again := ms.get(t, srcOf(tags[0]), "If-None-Match", etag); again.status != http.StatusNotModified {
		t.Errorf("conditional GET: %d", again.status)
	}

	// the page now knows the lead's size; the front page shows it too
	res = ms.get(t, path)
	if tags := imgs(res.body); !strings.Contains(tags[0], `width="40" height="30"`) {
		t.Errorf("lead after its fetch: %s", tags[0])
	}
	front := ms.get(t, "/")
	var thumb string
	for _, tag := range imgs(front.body) {
		if strings.Contains(tag, `class="thumb"`) && srcOf(tag) == srcOf(tags[0]) {
			thumb = tag
		}
	}
	if !strings.Contains(thumb, `loading="lazy"`) || !strings.Contains(thumb, `width="40" height="30"`) || !strings.Contains(thumb, `alt="A road at dawn"`) {
		t.Errorf("front page thumbnail: %q", thumb)
	}
}

func TestRefusedImagesBecomeThePlaceholder(t *testing.T) {
	ms := newMediaSite(t)
	tags := imgs(ms.get(t, fmt.Sprintf("/article/%d", ms.article.ID)).body)
	res := ms.get(t, srcOf(tags[1])) // HTML sent as image/png
	if res.status != placeholderStatus || res.header.Get("Content-Type") != "image/svg+xml" || res.body != placeholderSVG {
		t.Fatalf("refused image: %d %q %.60q", res.status, res.header.Get("Content-Type"), res.body)
	}
	if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Content-Security-Policy") != mediaCSP ||
		res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("placeholder headers: %v", res.header)
	}
	if strings.Contains(res.body, "<!doctype") {
		t.Error("the outlet's HTML was passed on")
	}
}

func TestMediaRefusesTokensItDidNotSign(t *testing.T) {
	ms := newMediaSite(t)
	tags := imgs(ms.get(t, fmt.Sprintf("/article/%d", ms.article.ID)).body)
	lead := srcOf(tags[0])
	sig, enc, _ := strings.Cut(strings.TrimPrefix(lead, "/media/"), ".")
	other, _ := media.New(media.Config{Fetcher: fetch.New(fetch.Config{}), Dir: t.TempDir()})
	forged, _ := other.Path(ms.outlet.URL + "/lead.png")
	for name, path := range map[string]string{
		"signature of another key": forged,
		"URL changed":              "/media/" + sig + "." + enc + "AA",
		"no signature":             "/media/" + enc,
	} {
		t.Run(name, func(t *testing.T) {
			res := ms.get(t, path)
			if res.status != http.StatusForbidden || strings.HasPrefix(res.header.Get("Content-Type"), "image/") {
				t.Fatalf("got %d %q", res.status, res.header.Get("Content-Type"))
			}
		})
	}
	if n := ms.hits.Load(); n != 0 {
		t.Errorf("the outlet was asked %d times", n)
	}
}

func TestLeadImageIsNotRepeatedInTheBody(t *testing.T) {
	ms := newMediaSite(t)
	lead := ms.outlet.URL + "/lead.png"
	a := &news.Article{URL: "https://outlet.example.com/2026/03/repeat", SiteName: "Outlet Daily", Title: "Lead repeated",
		Language: "en", Published: testNow.Add(-time.Hour), Image: lead, Text: "Body.",
		BodyHTML: `<figure><img src="` + lead + `" alt="Lead"><figcaption>Caption</figcaption></figure><p>Body.</p><p><img src="` + ms.outlet.URL + `/other.png" alt="Other"></p>`}
	if _, err := ms.st.UpsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	res := ms.get(t, fmt.Sprintf("/article/%d", a.ID))
	tags := imgs(res.body)
	if len(tags) != 2 || srcOf(tags[0]) == srcOf(tags[1]) || !strings.Contains(tags[1], `alt="Other"`) {
		t.Fatalf("want the lead once and the other body image, got %q", tags)
	}
	if !strings.Contains(res.body, "<figcaption>Caption</figcaption>") {
		t.Error("the caption went with the repeated image")
	}
}

func TestAboutSaysHowImagesAreShown(t *testing.T) {
	ms := newMediaSite(t)
	if body := ms.get(t, "/about").body; !strings.Contains(body, "Images are fetched by this site and served from it") {
		t.Error("the about page does not say that images come through our proxy")
	}
	if body := newTestSite(t, nil).get(t, "/about").body; !strings.Contains(body, "we link to them instead of loading them") {
		t.Error("without the proxy, the about page does not say that images are links")
	}
}

func TestMediaWithoutProxy(t *testing.T) {
	ts := newTestSite(t, nil)
	if res := ts.get(t, "/media/abc.def"); res.status != http.StatusNotFound {
		t.Fatalf("/media without a proxy: %d", res.status)
	}
}
