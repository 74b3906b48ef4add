package web

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClock is a clock the test moves by hand; the admin reads it.
type testClock struct{ t atomic.Pointer[time.Time] }

func newTestClock() *testClock {
	c := &testClock{}
	c.set(testNow)
	return c
}
func (c *testClock) now() time.Time          { return *c.t.Load() }
func (c *testClock) set(t time.Time)         { c.t.Store(&t) }
func (c *testClock) advance(d time.Duration) { c.set(c.now().Add(d)) }

// loginForm fetches the login form in browser c and returns its token.
func loginForm(t *testing.T, srv string, c *http.Client) string {
	_, page := adminGet(t, c, srv+"/admin/login")
	return adminCSRF(t, page)
}

// Concurrent guesses are counted before their passwords are checked: of
// many at once, only the free attempts are evaluated, and the others are
// refused without a bcrypt comparison.
func TestAdminConcurrentGuessesBeyondLimitRefused(t *testing.T) {
	clock := newTestClock()
	srv, _ := adminSiteAt(t, new([]int64), clock.now)
	const guesses = 40
	browsers := make([]*http.Client, guesses)
	tokens := make([]string, guesses)
	for i := range browsers {
		browsers[i] = newAdminBrowser(t)
		tokens[i] = loginForm(t, srv.URL, browsers[i])
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range browsers {
		wg.Go(func() {
			browsers[i].CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			code, _ := adminPost(t, browsers[i], srv.URL+"/admin/login", url.Values{"csrf": {tokens[i]}, "password": {"guess guess guess"}})
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[http.StatusSeeOther] != freeAttemptsAddr || codes[http.StatusTooManyRequests] != guesses-freeAttemptsAddr {
		t.Fatalf("answers %v: want %d evaluated (303) and the rest refused (429)", codes, freeAttemptsAddr)
	}
}

// A login form's token is good for one attempt.
func TestAdminLoginTokenSingleUse(t *testing.T) {
	clock := newTestClock()
	srv, _ := adminSiteAt(t, new([]int64), clock.now)
	c := newAdminBrowser(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tok := loginForm(t, srv.URL, c)
	if code, _ := adminPost(t, c, srv.URL+"/admin/login", url.Values{"csrf": {tok}, "password": {"first guess!!"}}); code != http.StatusSeeOther {
		t.Fatalf("first use: %d", code)
	}
	if code, _ := adminPost(t, c, srv.URL+"/admin/login", url.Values{"csrf": {tok}, "password": {"correct horse battery"}}); code != http.StatusForbidden {
		t.Fatalf("second use of one token: %d, want 403", code)
	}
}

// Failed attempts make the next one wait longer and longer, but never
// lock the address out: once the wait has passed, the right password
// gets in. And a browser that logged in before gets in while someone
// else is guessing from its address.
func TestAdminLoginBackoffGrowsAndOwnerGetsIn(t *testing.T) {
	clock := newTestClock()
	srv, _ := adminSiteAt(t, new([]int64), clock.now)
	owner := newAdminBrowser(t)
	if code, page := adminLogin(t, srv, owner, "correct horse battery"); code != 200 || !strings.Contains(page, "<h1>Sources</h1>") {
		t.Fatalf("owner login: %d", code)
	}
	attacker := newAdminBrowser(t)
	for range freeAttemptsAddr {
		adminLogin(t, srv, attacker, "wrong wrong wrong")
	}
	if code, _ := adminLogin(t, srv, attacker, "correct horse battery"); code != http.StatusTooManyRequests {
		t.Fatalf("attempt after the address's free ones: %d, want 429", code)
	}
	// The owner's device, from the same address, is not held back.
	if code, page := adminLogin(t, srv, owner, "correct horse battery"); code != 200 || !strings.Contains(page, "<h1>Sources</h1>") {
		t.Fatalf("owner with a known device while guessing goes on: %d", code)
	}

	// From a new browser: 1 s, then 2 s, then 4 s between attempts.
	clock.advance(48 * time.Hour)
	c := newAdminBrowser(t)
	for range freeAttemptsAddr {
		adminLogin(t, srv, c, "wrong wrong wrong")
	}
	for _, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		clock.advance(wait - time.Millisecond)
		if code, _ := adminLogin(t, srv, c, "wrong wrong wrong"); code != http.StatusTooManyRequests {
			t.Fatalf("attempt before %v passed: %d, want 429", wait, code)
		}
		clock.advance(time.Millisecond)
		if code, body := adminLogin(t, srv, c, "wrong wrong wrong"); code != 200 || !strings.Contains(body, "Wrong password") {
			t.Fatalf("attempt once %v passed: %d, want it evaluated", wait, code)
		}
	}
	clock.advance(8 * time.Second)
	if code, page := adminLogin(t, srv, c, "correct horse battery"); code != 200 || !strings.Contains(page, "<h1>Sources</h1>") {
		t.Fatalf("right password after the wait: %d", code)
	}
}

// Logging out ends the session on the server: its cookie, kept, opens
// nothing. A session unused for longer than the idle limit ends too.
func TestAdminSessionsEnd(t *testing.T) {
	clock := newTestClock()
	srv, _ := adminSiteAt(t, new([]int64), clock.now)
	c := newAdminBrowser(t)
	_, page := adminLogin(t, srv, c, "correct horse battery")
	u, _ := url.Parse(srv.URL + "/admin")
	var kept []*http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			kept = append(kept, &http.Cookie{Name: ck.Name, Value: ck.Value, Path: "/admin"})
		}
	}
	if len(kept) != 1 {
		t.Fatal("no session cookie")
	}
	adminPost(t, c, srv.URL+"/admin/logout", url.Values{"csrf": {adminCSRF(t, page)}})
	replay := newAdminBrowser(t)
	replay.Jar.SetCookies(u, kept)
	if _, body := adminGet(t, replay, srv.URL+"/admin"); !strings.Contains(body, `type="password"`) {
		t.Fatal("the cookie of a logged-out session still opens /admin")
	}

	c = newAdminBrowser(t)
	adminLogin(t, srv, c, "correct horse battery")
	clock.advance(59 * time.Minute)
	if _, body := adminGet(t, c, srv.URL+"/admin"); !strings.Contains(body, "<h1>Sources</h1>") {
		t.Fatal("session ended before it was idle an hour")
	}
	clock.advance(61 * time.Minute)
	if _, body := adminGet(t, c, srv.URL+"/admin"); !strings.Contains(body, `type="password"`) {
		t.Fatal("a session idle over an hour still opens /admin")
	}
}

// Guesses from many addresses are held back by the account's limit; a
// known device is not.
func TestLoginGuardAccountLimit(t *testing.T) {
	g := newLoginGuard()
	for i := range freeAttemptsAccount {
		if w := g.begin("192.0.2."+itoa(int64(i)), "", testNow); w != 0 {
			t.Fatalf("attempt %d from a new address must wait %v", i, w)
		}
	}
	if w := g.begin("198.51.100.1", "", testNow); w != attemptBase {
		t.Errorf("attempt beyond the account's free ones from a new address: wait %v, want %v", w, attemptBase)
	}
	if w := g.begin("198.51.100.1", "device-1", testNow); w != 0 {
		t.Errorf("a known device must wait %v", w)
	}
}
