// Package sampleweb serves a small "web" on 127.0.0.1 for tests and
// benchmarks: news outlets with feeds and article pages, and hostile
// endpoints (compression bombs, endless bodies, redirect loops, slow drips,
// errors, malformed feeds). Every handler is bounded: it stops writing when
// the client goes away or after a fixed amount.
package sampleweb

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Outlet is one news site served on its own port: a feed of Articles
// article pages, a robots.txt and a home page that links the feed.
type Outlet struct {
	Server   *httptest.Server
	Name     string
	Articles int
	// Robots is served as /robots.txt; "" serves 404.
	Robots string
	// RobotsStatus, when non-zero, is the status of /robots.txt.
	RobotsStatus int
	// Delay, when set, is added before each article page is served.
	Delay time.Duration
	// Hub, when set, is announced as the feed's WebSub hub.
	Hub string

	mu                    sync.Mutex
	hits                  map[string]int
	inFlight, maxInFlight atomic.Int32
	// Requests counts every request served.
	Requests atomic.Int64
}

// URL returns the outlet's base URL joined with path.
func (o *Outlet) URL(path string) string { return o.Server.URL + path }

// Hits returns how many times path was requested.
func (o *Outlet) Hits(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

// MaxInFlight is the most requests the outlet served at once.
func (o *Outlet) MaxInFlight() int { return int(o.maxInFlight.Load()) }

// NewOutlet starts an outlet with n articles. Close it with Server.Close.
func NewOutlet(name string, n int) *Outlet {
	o := &Outlet{Name: name, Articles: n, hits: map[string]int{},
		Robots: "User-agent: *\nDisallow: /private/\n"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if o.RobotsStatus != 0 {
			w.WriteHeader(o.RobotsStatus)
			return
		}
		if o.Robots == "" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, o.Robots+"Sitemap: "+o.URL("/sitemap.xml")+"\n")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
</head><body><h1>%s</h1></body></html>`, o.Name, o.Name)
	})
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		etag := fmt.Sprintf(`"rss-%d"`, o.Articles)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		feed := RSS(o.Name, o.Server.URL, 0, o.Articles)
		if o.Hub != "" {
			feed = strings.Replace(feed, "<channel>", `<channel><atom:link rel="hub" href="`+o.Hub+`"/><atom:link rel="self" href="`+o.URL("/feed.xml")+`"/>`, 1)
		}
		io.WriteString(w, feed)
	})
	mux.HandleFunc("GET /atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		io.WriteString(w, Atom(o.Name, o.Server.URL, 0, o.Articles))
	})
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, Sitemap(o.Server.URL, 0, o.Articles))
	})
	mux.HandleFunc("GET /articles/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("n"), ".html"))
		if err != nil || n < 0 || n >= o.Articles {
			http.NotFound(w, r)
			return
		}
		if o.Delay > 0 {
			select {
			case <-time.After(o.Delay):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, ArticlePage(o.Name, o.Server.URL, n))
	})
	mux.HandleFunc("GET /private/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	})
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.Requests.Add(1)
		o.mu.Lock()
		o.hits[r.URL.Path]++
		o.mu.Unlock()
		n := o.inFlight.Add(1)
		defer o.inFlight.Add(-1)
		for {
			m := o.maxInFlight.Load()
			if n <= m || o.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		mux.ServeHTTP(w, r)
	}))
	return o
}

// ArticleURL is the path of article n.
func ArticleURL(base string, n int) string { return fmt.Sprintf("%s/articles/%d.html", base, n) }

var pubBase = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

// RSS returns an RSS 2.0 feed of articles [from, to).
func RSS(name, base string, from, to int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>%s</title><link>%s/</link><description>News from %s</description><ttl>30</ttl>
`, html.EscapeString(name), base, html.EscapeString(name))
	for i := to - 1; i >= from; i-- {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>\n",
			html.EscapeString(headline(name, i)), ArticleURL(base, i), ArticleURL(base, i),
			pubBase.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// Atom returns an Atom feed of articles [from, to).
func Atom(name, base string, from, to int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>%s/</id><updated>%s</updated>
<link rel="self" href="%s/atom.xml"/>
`, html.EscapeString(name), base, pubBase.Format(time.RFC3339), base)
	for i := to - 1; i >= from; i-- {
		fmt.Fprintf(&b, `<entry><title>%s</title><id>%s</id><link href="%s"/><updated>%s</updated></entry>`+"\n",
			html.EscapeString(headline(name, i)), ArticleURL(base, i), ArticleURL(base, i),
			pubBase.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
	}
	b.WriteString("</feed>\n")
	return b.String()
}

// Sitemap returns a news sitemap of articles [from, to).
func Sitemap(base string, from, to int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
`)
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "<url><loc>%s</loc><news:news><news:publication_date>%s</news:publication_date><news:title>Story %d</news:title></news:news></url>\n",
			ArticleURL(base, i), pubBase.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), i)
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

var topics = []string{"harbour", "council", "railway", "vineyard", "observatory", "library", "ferry", "orchard", "bridge", "market"}
var places = []string{"Valdoria", "Port Emmer", "Sillac", "Mount Orrin", "Kessel Bay", "Tarrow", "Lindqvist", "Ashcombe"}

func headline(name string, i int) string {
	return fmt.Sprintf("%s: the %s of %s reopens after %d days", name, topics[i%len(topics)], places[i%len(places)], 10+i%37)
}

// ArticlePage is an ordinary news article page: navigation, an article
// with several paragraphs, a related-links box and a footer.
func ArticlePage(name, base string, i int) string {
	t, p := topics[i%len(topics)], places[(i/3)%len(places)]
	var paras strings.Builder
	for k := 0; k < 6; k++ {
		fmt.Fprintf(&paras, "<p>Residents of %s gathered on day %d of the %s project, paragraph %d of story %d, to hear officials describe what the %s would mean for the town. "+
			"\"We have waited a long time for this,\" said a spokesperson, adding that the works on the %s had cost more than %d thousand and taken %d months longer than planned. "+
			"Local traders said the reopening would bring visitors back to %s before the winter season.</p>\n",
			p, i, t, k+1, i, t, t, 100+i*7%900, 2+k, p)
	}
	return fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>%[1]s</title><link rel="canonical" href="%[2]s">
<meta property="og:site_name" content="%[3]s"><meta property="article:published_time" content="%[4]s">
</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>%[1]s</h1><p class="byline">By Staff Reporter</p>
%[5]s</article>
<aside><h2>Most popular</h2><ul><li><a href="/articles/1.html">Other story</a></li></ul></aside></main>
<footer>© %[3]s</footer></body></html>`,
		html.EscapeString(headline(name, i)), ArticleURL(base, i), html.EscapeString(name),
		pubBase.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), paras.String())
}

// Hostile is a server of misbehaving endpoints. Paths:
//
//	/gzip-bomb     gzip members of zeros repeated: 4 GiB decompressed
//	/br-bomb       a brotli stream of zeros
//	/huge          a 2 GB body streamed with a Content-Length
//	/huge-chunked  a 2 GB body streamed without one
//	/loop          redirects to itself via /loop2
//	/redirects/N   redirects to N+1, for ever
//	/drip          one byte a second
//	/500           always 500
//	/429           429 with Retry-After: 120
//	/malformed.xml an RSS feed cut in the middle of a tag
//	/wrong-charset.xml a feed declaring UTF-8 while being windows-1252
//	/html-bomb     deeply nested HTML, gzip-compressed, 500 MB unpacked
//	/html-deep     1 MB of HTML nested 200,000 deep, under the size cap
//	/private/x     disallowed by robots.txt
//	/bad-articles.xml an RSS feed whose items are the endpoints above,
//	               plus /good-article, a well-behaved page
type Hostile struct {
	Server *httptest.Server
	// DripBytes bounds /drip (default 120 bytes).
	DripBytes int
}

// URL returns the hostile server's base URL joined with path.
func (h *Hostile) URL(path string) string { return h.Server.URL + path }

// BadArticlePaths are the items of /bad-articles.xml: every hostile
// endpoint, and one good article.
var BadArticlePaths = []string{"/gzip-bomb", "/html-bomb", "/html-deep", "/huge", "/huge-chunked", "/loop", "/redirects/0",
	"/drip", "/500", "/429", "/malformed.xml", "/private/x", "/good-article"}

var (
	bombOnce   sync.Once
	bombMember []byte // gzip of 1 MiB of zeros
	htmlMember []byte // gzip of 1 MiB of "<div>"
)

// gzipMembers compresses the bombs' building blocks once; the handlers
// repeat them (gzip allows concatenated members), so serving a bomb costs
// no compression at request time.
func gzipMembers() ([]byte, []byte) {
	bombOnce.Do(func() {
		member := func(chunk []byte) []byte {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(chunk)
			zw.Close()
			return b.Bytes()
		}
		bombMember = member(make([]byte, 1<<20))
		htmlMember = member(bytes.Repeat([]byte("<div>"), (1<<20)/5))
	})
	return bombMember, htmlMember
}

// NewHostile starts the hostile server.
func NewHostile() *Hostile {
	gzipMembers()
	h := &Hostile{DripBytes: 120}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("GET /gzip-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		m, _ := gzipMembers()
		for i := 0; i < 4096; i++ { // 4 GiB decompressed, ~4 MiB on the wire
			if _, err := w.Write(m); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("GET /html-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		_, m := gzipMembers()
		for i := 0; i < 500; i++ { // 500 MiB of markup
			if _, err := w.Write(m); err != nil {
				return
			}
		}
	})
	huge := func(withLength bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			const total = 2 << 30
			if withLength {
				w.Header().Set("Content-Length", strconv.Itoa(total))
			}
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("a"), 64<<10)
			for n := 0; n < total; n += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}
	}
	mux.HandleFunc("GET /huge", huge(true))
	mux.HandleFunc("GET /huge-chunked", huge(false))
	mux.HandleFunc("GET /loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("GET /loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("GET /redirects/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, fmt.Sprintf("/redirects/%d", n+1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fl, _ := w.(http.Flusher)
		for i := 0; i < h.DripBytes; i++ {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("GET /500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>One</title><link>`+h.Server.URL+`/a</link></item><item><title>Two</ti`)
	})
	mux.HandleFunc("GET /wrong-charset.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		// Declares UTF-8; "Café" and "naïve" are windows-1252 bytes.
		io.WriteString(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Caf\xe9 news</title>"+
			"<item><title>A na\xefve caf\xe9</title><link>"+h.Server.URL+"/private/cafe</link></item></channel></rss>")
	})
	mux.HandleFunc("GET /private/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "should never be fetched")
	})
	mux.HandleFunc("GET /html-deep", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html><body>"+strings.Repeat("<div><span>", 100_000)+"text")
	})
	mux.HandleFunc("GET /good-article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, ArticlePage("Hostile Herald", h.Server.URL, 3))
	})
	mux.HandleFunc("GET /bad-articles.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		b := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bad articles</title>`
		for _, p := range BadArticlePaths {
			b += "<item><title>x</title><link>" + h.Server.URL + p + "</link></item>"
		}
		io.WriteString(w, b+"</channel></rss>")
	})
	h.Server = httptest.NewServer(mux)
	return h
}
