package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/newsdesk/newsdesk/internal/metrics"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Other methods on a route's path are answered 405 with the methods it
// takes, not 404.
func TestOtherMethodsAnswer405WithAllow(t *testing.T) {
	ts := newTestSite(t, nil)
	for _, tc := range []struct{ method, path, allow string }{
		{"POST", "/", "GET, HEAD"},
		{"DELETE", "/article/1", "GET, HEAD"},
		{"PUT", "/search", "GET, HEAD"},
	} {
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, %q", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.allow)
		}
	}
	rec := httptest.NewRecorder()
	ts.srv.ServeHTTP(rec, httptest.NewRequest("POST", "/no/such/page", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("POST to a path no route has: %d, want 404", rec.Code)
	}
}

// An article imported from a file without a canonical URL is stored under
// its file path; the API, the page and the feeds must not show it.
func TestLocalPathNotShownAsURL(t *testing.T) {
	ts := newTestSite(t, nil)
	a := &news.Article{URL: "/home/operator/pages/secret-draft.html", SiteName: "Local", Title: "An imported page",
		Language: "en", Published: testNow.Add(-time.Hour), Text: "Imported text.", BodyHTML: "<p>Imported text.</p>"}
	if _, err := ts.st.UpsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r := ts.get(t, "/api/v1/articles/"+itoa(a.ID))
	var got apiArticle
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 200 {
		t.Fatalf("api: %d %v", r.status, err)
	}
	if got.URL != "" {
		t.Errorf("API url of an imported page: %q, want none", got.URL)
	}
	for _, path := range []string{"/api/v1/articles/" + itoa(a.ID), "/api/v1/articles", "/article/" + itoa(a.ID), "/feed.atom", "/feed.json"} {
		if r := ts.get(t, path); strings.Contains(r.body, "/home/operator") {
			t.Errorf("%s shows the file path", path)
		}
	}
	if got := ts.get(t, "/api/v1/articles/"+itoa(ts.arts[0].ID)); !strings.Contains(got.body, `"url": "https://outlet.example.com/2026/03/caravan"`) {
		t.Error("a web article's url is gone from the API")
	}
}

// A source's name, URL and language are bounded.
func TestAdminSourceFieldsBounded(t *testing.T) {
	srv, st := adminSite(t, new([]int64))
	c := newAdminBrowser(t)
	_, page := adminLogin(t, srv, c, "correct horse battery")
	tok := adminCSRF(t, page)
	_, page = adminPost(t, c, srv.URL+"/admin/sources", url.Values{"csrf": {tok}, "url": {"https://big.example/feed"}, "name": {strings.Repeat("n", 10<<20)}})
	if !strings.Contains(page, "Not added") {
		t.Error("a 10 MB source name was not refused")
	}
	list, _ := st.ListSources(context.Background())
	if len(list) != 0 {
		t.Errorf("%d sources stored", len(list))
	}
}

func histogramCount(t *testing.T, route, code string) uint64 {
	var m dto.Metric
	if err := metrics.HTTPDuration.WithLabelValues(route, code).(prometheus.Histogram).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount()
}

// A reader who hangs up is counted under code="499" and logged below
// ERROR, not as a server error.
func TestClientCancellationIsNot5xx(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestSite(t, func(c *Config) {
		c.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	const route = "GET /search"
	before5, before499 := histogramCount(t, route, "5xx"), histogramCount(t, route, "499")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/search?q=caravan", nil).WithContext(ctx)
	ts.srv.ServeHTTP(httptest.NewRecorder(), req)
	if n := histogramCount(t, route, "5xx") - before5; n != 0 {
		t.Errorf("%d cancelled requests counted as 5xx", n)
	}
	if n := histogramCount(t, route, "499") - before499; n != 1 {
		t.Errorf("%d cancelled requests counted as 499, want 1", n)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a cancelled request was logged at ERROR:\n%s", logs.String())
	}
}
