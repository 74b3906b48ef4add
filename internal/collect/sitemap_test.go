package collect

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestSitemapIndexes: nested indexes are followed to depth 10 and no
// further, an index that lists itself is read once, and the pages of the
// leaf sitemaps are collected.
func TestSitemapIndexes(t *testing.T) {
	t.Parallel()
	o := sampleweb.NewOutlet("Indexed", 4)
	defer o.Server.Close()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		index := func(children ...string) {
			fmt.Fprint(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for _, c := range children {
				fmt.Fprintf(w, "<sitemap><loc>%s%s</loc></sitemap>", srv.URL, c)
			}
			fmt.Fprint(w, "</sitemapindex>")
		}
		switch p := r.URL.Path; {
		case p == "/robots.txt":
			http.NotFound(w, r)
		case strings.HasPrefix(p, "/deep/"):
			// /deep/N is an index of /deep/N+1: the leaf /deep/12 is 11 levels
			// below the root, one too many.
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/deep/"))
			if n == 12 {
				w.Write([]byte(sampleweb.Sitemap(o.Server.URL, 0, 2)))
				return
			}
			index("/deep/" + strconv.Itoa(n+1))
		case strings.HasPrefix(p, "/ok/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/ok/"))
			if n == 3 {
				w.Write([]byte(sampleweb.Sitemap(o.Server.URL, 0, 4)))
				return
			}
			index("/ok/"+strconv.Itoa(n+1), "/loop") // and a loop back to the root
		case p == "/loop":
			index("/loop", "/ok/3")
		}
	}))
	defer srv.Close()
	r := newRig(t, filepath.Join(t.TempDir(), "sm.db"), fetch.Config{})
	defer r.close()
	deep := r.add(t, srv.URL+"/deep/1", news.KindSitemap)
	ok := r.add(t, srv.URL+"/ok/1", news.KindSitemap)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := r.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	s, _ := r.st.Source(ctx, deep)
	if s.State != news.StateFailing || !strings.Contains(s.LastError, "deeper than 10") {
		t.Fatalf("deep index: %s %q", s.State, s.LastError)
	}
	s, _ = r.st.Source(ctx, ok)
	if s.State != news.StateOK || s.ItemsSeen != 4 {
		t.Fatalf("ok index: %s %q items %d", s.State, s.LastError, s.ItemsSeen)
	}
	if n, _ := r.st.CountArticles(ctx, store.ArticleFilter{}); n != 4 {
		t.Fatalf("%d articles, want 4", n)
	}
}
