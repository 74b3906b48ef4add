package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"
)

// What keeps the admin login from being guessed, raced or used to lock
// the owner out:
//
//   - an attempt is counted before its password is checked, so concurrent
//     guesses beyond the limit are refused at once (429), never evaluated;
//   - limits are per client address and for the account as a whole; after
//     a few free attempts each further one must wait a delay that doubles
//     with every attempt (1 s, 2 s, 4 s ... at most 15 min), so there is no
//     fixed lockout, and a guesser from many addresses gets no more than
//     the account's share;
//   - a browser that has logged in before carries a device cookie, signed
//     with a key derived from the password hash: it is limited on its own,
//     not by the address or the account, so the owner gets in while
//     someone else is guessing (OWASP's "device cookies");
//   - the login form's token is used once;
//   - bcrypt comparisons run a few at a time, on at most a quarter of the
//     cores (each is ~0.25 s of a core at cost 12);
//   - sessions are records in this process: logging out ends one, and
//     they end when idle (and all of them when the process restarts,
//     which is what applies a new password).

const (
	deviceCookie = "newsdesk_device"

	freeAttemptsAddr    = 5  // per client address
	freeAttemptsAccount = 10 // for the account, over all addresses
	freeAttemptsDevice  = 5  // per known device
	attemptBase         = time.Second
	attemptMaxWait      = 15 * time.Minute
	attemptsForgotten   = 24 * time.Hour // quiet this long, a counter starts again

	maxLoginTokens = 10_000
	loginTokenTTL  = time.Hour
	maxSessions    = 1000
)

// bcryptAtOnce is how many password comparisons may run at once: a
// quarter of the cores (at least one), so that a burst of logins leaves
// the rest to readers.
var bcryptAtOnce = max(1, runtime.GOMAXPROCS(0)/4)

// attemptCounter holds, per key, how many attempts were made and when the
// next one may be.
type attemptCounter struct {
	free  int
	state map[string]*attempts
}

type attempts struct {
	n          int
	next, last time.Time
}

func newAttemptCounter(free int) *attemptCounter {
	return &attemptCounter{free: free, state: map[string]*attempts{}}
}

// wait is how long key must wait before its next attempt (0: now).
func (c *attemptCounter) wait(key string, now time.Time) time.Duration {
	a := c.state[key]
	if a == nil || now.Sub(a.last) > attemptsForgotten {
		return 0
	}
	if a.n < c.free || !now.Before(a.next) {
		return 0
	}
	return a.next.Sub(now)
}

// count records an attempt by key.
func (c *attemptCounter) count(key string, now time.Time) {
	if len(c.state) >= 100_000 { // bound memory under a spray of addresses
		for k, a := range c.state {
			if now.Sub(a.last) > attemptsForgotten || !now.Before(a.next) && a.n < c.free {
				delete(c.state, k)
			}
		}
		if len(c.state) >= 100_000 {
			clear(c.state)
		}
	}
	a := c.state[key]
	if a == nil || now.Sub(a.last) > attemptsForgotten {
		a = &attempts{}
		c.state[key] = a
	}
	a.n++
	a.last = now
	if a.n >= c.free {
		d := attemptMaxWait
		if shift := a.n - c.free; shift < 20 {
			d = min(attemptBase<<shift, attemptMaxWait)
		}
		a.next = now.Add(d)
	}
}

func (c *attemptCounter) reset(key string) { delete(c.state, key) }

// loginGuard decides which login attempts are evaluated.
type loginGuard struct {
	mu                     sync.Mutex
	addrs, account, device *attemptCounter
	tokens                 map[string]time.Time // login form tokens not yet used -> expiry
	bcrypt                 chan struct{}
}

func newLoginGuard() *loginGuard {
	return &loginGuard{addrs: newAttemptCounter(freeAttemptsAddr), account: newAttemptCounter(freeAttemptsAccount),
		device: newAttemptCounter(freeAttemptsDevice), tokens: map[string]time.Time{}, bcrypt: make(chan struct{}, bcryptAtOnce)}
}

// issue remembers a new login form token.
func (g *loginGuard) issue(tok string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.tokens) >= maxLoginTokens {
		for t, exp := range g.tokens {
			if now.After(exp) {
				delete(g.tokens, t)
			}
		}
		for t := range g.tokens { // still full: forget some at random
			if len(g.tokens) < maxLoginTokens {
				break
			}
			delete(g.tokens, t)
		}
	}
	g.tokens[tok] = now.Add(loginTokenTTL)
}

// use spends a login form token; false if it was never issued, has
// expired or was used already.
func (g *loginGuard) use(tok string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	exp, ok := g.tokens[tok]
	delete(g.tokens, tok)
	return ok && now.Before(exp)
}

// refused returns how long an attempt from addr (or a known device) would
// have to wait, without counting it: a refusal costs no more than this.
func (g *loginGuard) refused(addr, device string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if device != "" {
		return g.device.wait(device, now)
	}
	return max(g.addrs.wait(addr, now), g.account.wait("", now))
}

// begin counts an attempt from addr (or from a known device, when device
// is not "") and returns 0, or how long it must wait, in which case
// nothing is counted and the attempt must be refused.
func (g *loginGuard) begin(addr, device string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if device != "" {
		if w := g.device.wait(device, now); w > 0 {
			return w
		}
		g.device.count(device, now)
		return 0
	}
	if w := max(g.addrs.wait(addr, now), g.account.wait("", now)); w > 0 {
		return w
	}
	g.addrs.count(addr, now)
	g.account.count("", now)
	return 0
}

// succeeded clears the counter a successful login came through: its
// device's, or else its address's. The account's is left to its waits: the
// owner getting in says nothing of whoever else is guessing.
func (g *loginGuard) succeeded(addr, device string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if device != "" {
		g.device.reset(device)
		return
	}
	g.addrs.reset(addr)
}

// check compares a password under the bound on concurrent comparisons.
func (g *loginGuard) check(ctx context.Context, compare func() bool) (ok, done bool) {
	select {
	case g.bcrypt <- struct{}{}:
	case <-ctx.Done():
		return false, false
	}
	defer func() { <-g.bcrypt }()
	return compare(), true
}

// deviceKey signs device cookies. It is derived from the password hash,
// so devices stay known across restarts and are forgotten when the
// password changes.
func (a *admin) deviceKey() []byte {
	m := hmac.New(sha256.New, []byte(a.o.PasswordHash))
	m.Write([]byte("newsdesk admin device cookie"))
	return m.Sum(nil)
}

func (a *admin) newDevice() string {
	id := make([]byte, 18)
	rand.Read(id)
	v := base64.RawURLEncoding.EncodeToString(id)
	m := hmac.New(sha256.New, a.deviceKey())
	m.Write([]byte(v))
	return v + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// device returns the id of the request's device cookie, or "" when it has
// none that this site signed.
func (a *admin) device(r *http.Request) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	v, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return ""
	}
	m := hmac.New(sha256.New, a.deviceKey())
	m.Write([]byte(v))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(m.Sum(nil))), []byte(sig)) != 1 {
		return ""
	}
	return v
}

// sessionTable holds the sessions of this process. A session cookie
// names a record here; without it, the cookie opens nothing.
type sessionTable struct {
	mu   sync.Mutex
	idle time.Duration
	m    map[string]*sessionRecord
}

type sessionRecord struct {
	expires, lastSeen time.Time
}

func newSessionTable(idle time.Duration) *sessionTable {
	return &sessionTable{idle: idle, m: map[string]*sessionRecord{}}
}

func (t *sessionTable) open(id string, now, expires time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) >= maxSessions {
		t.sweep(now)
	}
	for k := range t.m { // still full: end some
		if len(t.m) < maxSessions {
			break
		}
		delete(t.m, k)
	}
	t.m[id] = &sessionRecord{expires: expires, lastSeen: now}
}

func (t *sessionTable) sweep(now time.Time) {
	for k, s := range t.m {
		if !now.Before(s.expires) || now.Sub(s.lastSeen) > t.idle {
			delete(t.m, k)
		}
	}
}

// touch reports whether session id is open, and marks it used.
func (t *sessionTable) touch(id string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.m[id]
	if s == nil {
		return false
	}
	if !now.Before(s.expires) || now.Sub(s.lastSeen) > t.idle {
		delete(t.m, id)
		return false
	}
	s.lastSeen = now
	return true
}

func (t *sessionTable) end(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, id)
}
