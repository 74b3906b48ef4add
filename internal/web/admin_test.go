package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

var adminCSRFRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func adminSite(t *testing.T, polled *[]int64) (*httptest.Server, *sqlite.Store) {
	t.Helper()
	return adminSiteAt(t, polled, nil)
}

// adminSiteAt is adminSite on a clock of the test's (nil: the real one).
func adminSiteAt(t *testing.T, polled *[]int64, now func() time.Time) (*httptest.Server, *sqlite.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "admin.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// Cost 4 keeps the test fast; HashAdminPassword uses 12.
	h, _ := bcrypt.GenerateFromPassword([]byte("correct horse battery"), 4)
	admin := &AdminOptions{PasswordHash: string(h), PollNow: func(_ context.Context, id int64) error {
		*polled = append(*polled, id)
		return nil
	}}
	s, err := New(Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Admin: admin, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, st
}

func newAdminBrowser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func adminGet(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func adminPost(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func adminCSRF(t *testing.T, page string) string {
	t.Helper()
	m := adminCSRFRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", page)
	}
	return m[1]
}

func adminLogin(t *testing.T, srv *httptest.Server, c *http.Client, pw string) (int, string) {
	_, page := adminGet(t, c, srv.URL+"/admin/login")
	return adminPost(t, c, srv.URL+"/admin/login", url.Values{"csrf": {adminCSRF(t, page)}, "password": {pw}})
}

func TestAdminLoginAndSources(t *testing.T) {
	var polled []int64
	srv, st := adminSite(t, &polled)
	c := newAdminBrowser(t)

	// Not logged in: redirected to the login page; POSTs refused.
	if code, body := adminGet(t, c, srv.URL+"/admin"); code != 200 || !strings.Contains(body, `type="password"`) {
		t.Fatalf("anonymous /admin: %d", code)
	}
	if code, _ := adminPost(t, c, srv.URL+"/admin/sources", url.Values{"url": {"https://x.example/feed"}}); code != http.StatusUnauthorized {
		t.Fatalf("anonymous add: %d", code)
	}
	// Login without the form's token is refused.
	if code, _ := adminPost(t, newAdminBrowser(t), srv.URL+"/admin/login", url.Values{"password": {"correct horse battery"}}); code != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", code)
	}
	if _, body := adminLogin(t, srv, c, "wrong password!"); !strings.Contains(body, "Wrong password") {
		t.Fatal("wrong password accepted")
	}
	code, page := adminLogin(t, srv, c, "correct horse battery")
	if code != 200 || !strings.Contains(page, "<h1>Sources</h1>") {
		t.Fatalf("login: %d %s", code, page)
	}
	u, _ := url.Parse(srv.URL + "/admin")
	var sess *http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			sess = ck
		}
	}
	if sess == nil {
		t.Fatal("no session cookie")
	}
	tok := adminCSRF(t, page)

	// Add without a token: refused; with: added.
	if code, _ := adminPost(t, c, srv.URL+"/admin/sources", url.Values{"url": {"https://a.example/feed.xml"}}); code != http.StatusForbidden {
		t.Fatalf("add without CSRF: %d", code)
	}
	_, page = adminPost(t, c, srv.URL+"/admin/sources", url.Values{"csrf": {tok}, "url": {"https://a.example/feed.xml"}, "name": {"<A & B>"}, "interval": {"20m"}})
	if !strings.Contains(page, "Added https://a.example/feed.xml") || !strings.Contains(page, "&lt;A &amp; B&gt;") {
		t.Fatalf("add: %s", page)
	}
	if _, page = adminPost(t, c, srv.URL+"/admin/sources", url.Values{"csrf": {tok}, "url": {"javascript:alert(1)"}}); !strings.Contains(page, "Not added") {
		t.Fatal("bad URL added")
	}
	list, _ := st.ListSources(context.Background())
	if len(list) != 1 || list[0].Name != "<A & B>" {
		t.Fatalf("stored: %+v", list)
	}
	id := list[0].ID
	for _, action := range []string{"pause", "resume", "poll"} {
		if _, page := adminPost(t, c, srv.URL+"/admin/sources/"+adminItoa(id)+"/"+action, url.Values{"csrf": {tok}}); !strings.Contains(page, "Done: "+action) {
			t.Fatalf("%s: %s", action, page)
		}
	}
	if len(polled) != 1 || polled[0] != id {
		t.Fatalf("poll now: %v", polled)
	}

	// OPML import (multipart).
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", tok)
	fw, _ := mw.CreateFormFile("opml", "subs.opml")
	io.WriteString(fw, `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="B" xmlUrl="https://b.example/rss"/><outline text="Bad" xmlUrl="ftp://c.example/"/></body></opml>`)
	mw.Close()
	resp, err := c.Post(srv.URL+"/admin/import-opml", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Imported 1 sources, skipped 1") {
		t.Fatalf("import: %s", body)
	}
	if _, page := adminPost(t, c, srv.URL+"/admin/sources/"+adminItoa(id)+"/remove", url.Values{"csrf": {tok}}); !strings.Contains(page, "Done: remove") {
		t.Fatal("remove failed")
	}

	// A token from another session does not work.
	other := newAdminBrowser(t)
	adminLogin(t, srv, other, "correct horse battery")
	if code, _ := adminPost(t, other, srv.URL+"/admin/sources", url.Values{"csrf": {tok}, "url": {"https://z.example/"}}); code != http.StatusForbidden {
		t.Fatalf("foreign CSRF token: %d", code)
	}
	// A forged session cookie is not a session.
	forged := newAdminBrowser(t)
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "a.b.c", Path: "/admin"}})
	if _, body := adminGet(t, forged, srv.URL+"/admin"); !strings.Contains(body, `type="password"`) {
		t.Fatal("forged cookie accepted")
	}
}

func TestAdminLoginRateLimited(t *testing.T) {
	var polled []int64
	clock := testNow
	srv, _ := adminSiteAt(t, &polled, func() time.Time { return clock })
	c := newAdminBrowser(t)
	for range 5 {
		adminLogin(t, srv, c, "nope nope nope")
	}
	code, _ := adminLogin(t, srv, c, "correct horse battery")
	if code != http.StatusTooManyRequests {
		t.Fatalf("6th attempt: %d, want 429 even with the right password", code)
	}
}

func TestAdminOffWithoutPassword(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "off.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/admin", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("/admin without a password: %d", rec.Code)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	a := &admin{o: AdminOptions{SessionTTL: 1}}
	r := httptest.NewRequest("GET", "https://news.example/admin", nil)
	c := a.cookie(r, sessionCookie, "v", 10)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", c)
	}
	if c := a.cookie(httptest.NewRequest("GET", "http://127.0.0.1/admin", nil), sessionCookie, "v", 10); c.Secure {
		t.Fatal("Secure on plain HTTP would lose the cookie")
	}
}

func adminItoa(n int64) string { return strconv.FormatInt(n, 10) }
