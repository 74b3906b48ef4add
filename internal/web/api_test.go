package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIDocumentServed: the document is served, is OpenAPI 3.1, and
// describes exactly the API's routes: each of its paths is answered by a
// route (not the fallback), and each API route of the server is in it.
func TestOpenAPIDocumentServed(t *testing.T) {
	ts, a := storyTestSite(t)
	res := ts.get(t, "/api/v1/openapi.json")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || res.header.Get("ETag") == "" {
		t.Fatalf("openapi.json: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	if _, err := openAPI(); err != nil {
		t.Fatalf("the validator refuses the document: %v", err)
	}
	fill := strings.NewReplacer("{id}", fmt.Sprint(a[0].ID), "{key}", "ana-perez")
	for path, ops := range doc.Paths {
		for method := range ops {
			req := httptest.NewRequest(strings.ToUpper(method), fill.Replace(path), nil)
			if _, pattern := ts.srv.mux.Handler(req); pattern == apiFallback || pattern == "/" || pattern == "" {
				t.Errorf("%s %s is documented but no route answers it", method, path)
			}
		}
	}
	// The routes, as routes.go registers them, against the document.
	for _, route := range []string{"/api/v1/openapi.json", "/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/stories",
		"/api/v1/stories/{id}", "/api/v1/entities", "/api/v1/entities/{key}"} {
		if doc.Paths[route]["get"] == nil {
			t.Errorf("GET %s is not documented", route)
		}
		req := httptest.NewRequest("GET", fill.Replace(route), nil)
		if _, pattern := ts.srv.mux.Handler(req); pattern != "GET "+route {
			t.Errorf("GET %s is answered by %q", route, pattern)
		}
	}
}

// TestAPIContractCatchesMismatches proves the check the whole suite runs
// on API responses fails a response that breaks the document: a field
// renamed, retyped, added or missing, an undocumented status, an error in
// the wrong format.
func TestAPIContractCatchesMismatches(t *testing.T) {
	ts := newTestSite(t, nil)
	c, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/articles/" + itoa(ts.arts[0].ID)
	req := httptest.NewRequest("GET", path, nil)
	_, req.Pattern = ts.srv.mux.Handler(req)
	good := ts.get(t, path)
	if good.status != 200 {
		t.Fatalf("%s: %d", path, good.status)
	}
	check := func(status int, ctype, body string) []string {
		return c.check(req, http.Header{}, newResponse(status, ctype, []byte(body)))
	}
	if v := check(200, "application/json; charset=utf-8", good.body); len(v) != 0 {
		t.Fatalf("the real response fails: %v", v)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(good.body), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	for name, body := range map[string]string{
		"title renamed":     edit(func(m map[string]any) { m["headline"] = m["title"]; delete(m, "title") }),
		"id a string":       edit(func(m map[string]any) { m["id"] = "1" }),
		"undocumented":      edit(func(m map[string]any) { m["score"] = 3 }),
		"first_seen absent": edit(func(m map[string]any) { delete(m, "first_seen") }),
		"not JSON":          "<html>",
	} {
		if v := check(200, "application/json; charset=utf-8", body); len(v) == 0 {
			t.Errorf("%s: the check passed %s", name, body)
		}
	}
	if v := check(http.StatusTeapot, "application/problem+json", `{"type":"about:blank","title":"x","status":418}`); len(v) == 0 {
		t.Error("an undocumented status passed")
	}
	if v := check(404, "application/json", `{"error":"no such article"}`); len(v) == 0 {
		t.Error("an error in the old format passed")
	}
	if v := check(404, "application/problem+json", `{"type":"about:blank","title":"Not Found","status":404}`); len(v) != 0 {
		t.Errorf("a good problem failed: %v", v)
	}
	// A request the document calls invalid must not be answered 200.
	bad := httptest.NewRequest("GET", "/api/v1/articles?limit=500", nil)
	_, bad.Pattern = ts.srv.mux.Handler(bad)
	list := ts.get(t, "/api/v1/articles")
	if v := c.check(bad, http.Header{}, newResponse(200, "application/json; charset=utf-8", []byte(list.body))); len(v) == 0 {
		t.Error("a 200 to limit=500 passed")
	}
}

// problemBody is an API error as a client reads it.
type problemBody struct {
	Type, Title, Detail, Instance string
	Status                        int
	Errors                        []struct{ Parameter, Detail string }
}

func getProblem(t *testing.T, res result) problemBody {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problemBody
	if err := json.Unmarshal([]byte(res.body), &p); err != nil {
		t.Fatalf("problem: %v: %s", err, res.body)
	}
	if p.Status != res.status || p.Type == "" || p.Title == "" || p.Detail == "" || p.Instance == "" {
		t.Errorf("problem %+v for status %d", p, res.status)
	}
	return p
}

func TestAPIProblems(t *testing.T) {
	ts, _ := enrichTestSite(t)
	for _, c := range []struct{ path, param string }{
		{"/api/v1/articles?limit=0", "limit"},
		{"/api/v1/articles?limit=101", "limit"},
		{"/api/v1/articles?offset=-1", "offset"},
		{"/api/v1/articles?offset=2&page=2", "page"},
		{"/api/v1/articles?language=not+a+language!", "language"},
		{"/api/v1/articles?lang=%ff", "lang"},
		{"/api/v1/articles?language=en&lang=es", "lang"},
		{"/api/v1/articles?site=%ff", "site"},
		{"/api/v1/articles?site=" + strings.Repeat("x", 201), "site"},
		{"/api/v1/articles?q=*", "q"},
		{"/api/v1/articles?since=yesterday", "since"},
		{"/api/v1/articles?until=2026-13-01", "until"},
		{"/api/v1/articles?since=2026-03-10&until=2026-03-01", "until"},
		{"/api/v1/stories?page=0", "page"},
		{"/api/v1/stories?limit=x", "limit"},
		{"/api/v1/entities?days=3", "days"},
		{"/api/v1/entities?kind=thing", "kind"},
		{"/api/v1/entities/antony-blinken?offset=x", "offset"},
	} {
		res := ts.get(t, c.path)
		if res.status != 400 {
			t.Errorf("%s: %d, want 400", c.path, res.status)
			continue
		}
		p := getProblem(t, res)
		if !strings.HasSuffix(p.Type, problemInvalidParams) || len(p.Errors) != 1 || p.Errors[0].Parameter != c.param {
			t.Errorf("%s: %+v, want an invalid-parameters problem about %s", c.path, p, c.param)
		}
	}
	for _, path := range []string{"/api/v1/articles/999999", "/api/v1/articles/x", "/api/v1/stories/7", "/api/v1/entities/nobody",
		"/api/v1/entities/Bad%20Key", "/api/v1/nothing", "/api/v1/articles/1/more"} {
		res := ts.get(t, path)
		if res.status != 404 {
			t.Errorf("%s: %d, want 404", path, res.status)
			continue
		}
		if p := getProblem(t, res); p.Type != "about:blank" || p.Title != "Not Found" || p.Instance != strings.Split(path, "?")[0] {
			t.Errorf("%s: %+v", path, p)
		}
	}

	rec := httptest.NewRecorder()
	ts.srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/articles", strings.NewReader("x=1")))
	if rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	getProblem(t, result{rec.Code, rec.Header(), rec.Body.String()})
}

func TestAPIRateLimitAndFailureAreProblems(t *testing.T) {
	ts := newTestSite(t, nil)
	for range uncachedBurst {
		ts.get(t, "/api/v1/stories")
	}
	res := ts.get(t, "/api/v1/articles")
	if res.status != 429 || res.header.Get("Retry-After") == "" {
		t.Fatalf("beyond the burst: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	getProblem(t, res)

	// A store that fails (closed) is a 500 problem that does not say why.
	ts = newTestSite(t, nil)
	ts.st.Close()
	for _, path := range []string{"/api/v1/articles", "/api/v1/articles?q=caravan", "/api/v1/stories", "/api/v1/entities/x"} {
		res := ts.get(t, path)
		if res.status != 500 {
			t.Errorf("%s: %d, want 500", path, res.status)
			continue
		}
		if p := getProblem(t, res); strings.Contains(strings.ToLower(p.Detail), "sql") {
			t.Errorf("%s: the problem tells the cause: %q", path, p.Detail)
		}
	}

	// A panic in a handler is a 500 problem too.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/articles", nil)
	ts.srv.apiRoute(func(http.ResponseWriter, *http.Request) { panic("boom") })(rec, req)
	if rec.Code != 500 {
		t.Fatalf("panic: %d", rec.Code)
	}
	getProblem(t, result{rec.Code, rec.Header(), rec.Body.String()})
}

// apiList is any list of the API, as a client pages through it.
type apiList struct {
	Total         *int
	Limit, Offset int
	Next, Prev    string
	Articles      []struct{ ID int64 }
	Stories       []struct{ ID int64 }
	Entities      []struct{ Key string }
	link          string // the Link header
}

func (ts *testSite) getList(t *testing.T, path string) apiList {
	t.Helper()
	res := ts.get(t, path)
	if res.status != 200 {
		t.Fatalf("%s: %d %s", path, res.status, res.body)
	}
	var l apiList
	if err := json.Unmarshal([]byte(res.body), &l); err != nil {
		t.Fatal(err)
	}
	l.link = res.header.Get("Link")
	return l
}

// walk follows next links from path and returns the ids (or keys) of
// every page, checking each page's Link header against its body.
func (ts *testSite) walk(t *testing.T, path string) []string {
	t.Helper()
	var ids []string
	for pages := 0; path != ""; pages++ {
		if pages > 20 {
			t.Fatal("the next links never end")
		}
		l := ts.getList(t, path)
		for _, x := range l.Articles {
			ids = append(ids, itoa(x.ID))
		}
		for _, x := range l.Stories {
			ids = append(ids, itoa(x.ID))
		}
		for _, x := range l.Entities {
			ids = append(ids, x.Key)
		}
		var want []string
		if l.Next != "" {
			want = append(want, "<"+l.Next+`>; rel="next"`)
		}
		if l.Prev != "" {
			want = append(want, "<"+l.Prev+`>; rel="prev"`)
		}
		if l.link != strings.Join(want, ", ") {
			t.Errorf("%s: Link %q, body next %q prev %q", path, l.link, l.Next, l.Prev)
		}
		if pages > 0 && l.Prev == "" {
			t.Errorf("%s: a later page has no prev", path)
		}
		path = strings.TrimPrefix(l.Next, "https://news.example.org")
	}
	return ids
}

// TestAPIPagination: every list pages the same way, and walking its next
// links one item at a time gives the whole list, in order.
func TestAPIPagination(t *testing.T) {
	ts, _ := enrichTestSite(t)
	for _, list := range []string{"/api/v1/articles", "/api/v1/articles?q=migrants", "/api/v1/entities",
		"/api/v1/entities?kind=person&days=30", "/api/v1/entities/andres-manuel-lopez-obrador"} {
		whole := ts.walk(t, list)
		if len(whole) < 2 {
			t.Fatalf("%s: %d items, too few to page", list, len(whole))
		}
		sep := "?"
		if strings.Contains(list, "?") {
			sep = "&"
		}
		if paged := ts.walk(t, list+sep+"limit=1"); !slices.Equal(paged, whole) {
			t.Errorf("%s one at a time: %v, want %v", list, paged, whole)
		}
	}
	// The deprecated page is offset in pages of limit.
	if a, b := ts.getList(t, "/api/v1/articles?limit=2&page=2"), ts.getList(t, "/api/v1/articles?limit=2&offset=2"); a.Offset != 2 ||
		len(a.Articles) != len(b.Articles) || a.Articles[0] != b.Articles[0] {
		t.Errorf("page=2: %+v, offset=2: %+v", a, b)
	}
	// Links carry the parameters the list reads, and only those.
	l := ts.getList(t, "/api/v1/articles?language=en&limit=1&utm_source=x")
	next, err := url.Parse(l.Next)
	if err != nil {
		t.Fatal(err)
	}
	if q := next.Query(); q.Get("language") != "en" || q.Get("limit") != "1" || q.Get("offset") != "1" || q.Has("utm_source") {
		t.Errorf("next = %s", l.Next)
	}
	if l.Total == nil || *l.Total != 4 {
		t.Errorf("total = %v, want the 4 English articles", l.Total)
	}

	sts, _ := storyTestSite(t)
	if ids := sts.walk(t, "/api/v1/stories?limit=1"); !slices.Equal(ids, []string{"1"}) {
		t.Errorf("stories: %v", ids)
	}
}

// TestAPIArticleFilters: q, language, site, since and until narrow the
// list; they combine; an unknown parameter changes nothing.
func TestAPIArticleFilters(t *testing.T) {
	ts := newTestSite(t, nil)
	ids := func(path string) []string {
		t.Helper()
		var out []string
		for _, a := range ts.getList(t, path).Articles {
			out = append(out, itoa(a.ID))
		}
		return out
	}
	id := func(i ...int) []string {
		var out []string
		for _, j := range i {
			out = append(out, itoa(ts.arts[j].ID))
		}
		return out
	}
	// Published: 0 at 09:00, 1 at 07:00 on March 10; 2 at 06:00 on the 9th; 3 on the 7th.
	for path, want := range map[string][]string{
		"/api/v1/articles":                                    id(0, 1, 2, 3),
		"/api/v1/articles?language=es":                        id(1),
		"/api/v1/articles?language=ES":                        id(1),
		"/api/v1/articles?lang=es":                            id(1),
		"/api/v1/articles?site=Sport+Net":                     id(3),
		"/api/v1/articles?since=2026-03-10":                   id(0, 1),
		"/api/v1/articles?until=2026-03-09":                   id(2, 3),
		"/api/v1/articles?since=2026-03-09&until=2026-03-09":  id(2),
		"/api/v1/articles?since=2026-03-10T08:00:00Z":         id(0),
		"/api/v1/articles?until=2026-03-10T08:30:00%2B01:00":  id(1, 2, 3),
		"/api/v1/articles?site=Outlet+Daily&since=2026-03-10": id(0),
		"/api/v1/articles?language=en&colour=blue":            id(0, 2, 3),
		"/api/v1/articles?q=cup+final":                        id(3),
		"/api/v1/articles?q=caravan&language=en":              id(0, 2),
		"/api/v1/articles?q=caravan&until=2026-03-09":         id(2),
		"/api/v1/articles?q=cup&site=Outlet+Daily":            nil,
	} {
		got := ids(path)
		if path == "/api/v1/articles?q=caravan&language=en" {
			slices.Sort(got) // relevance orders a search, not time
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	res := ts.get(t, "/api/v1/articles?q=goalless")
	var hits struct {
		Articles []struct{ Snippet string }
	}
	if err := json.Unmarshal([]byte(res.body), &hits); err != nil || len(hits.Articles) != 1 || !regexp.MustCompile(`(?i)goal`).MatchString(hits.Articles[0].Snippet) {
		t.Errorf("search hit snippet: %v %s", err, res.body)
	}
}

// TestAPIConditional: an API answer carries an ETag, and a client that
// sends it back gets 304.
func TestAPIConditional(t *testing.T) {
	ts := newTestSite(t, nil)
	for _, path := range []string{"/api/v1/articles", "/api/v1/articles/" + itoa(ts.arts[0].ID), "/api/v1/openapi.json"} {
		res := ts.get(t, path)
		etag := res.header.Get("ETag")
		if res.status != 200 || etag == "" {
			t.Fatalf("%s: %d, ETag %q", path, res.status, etag)
		}
		if again := ts.get(t, path, "If-None-Match", etag); again.status != 304 {
			t.Errorf("%s with its ETag: %d, want 304", path, again.status)
		}
	}
}
