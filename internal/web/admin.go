package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// AdminOptions turn on /admin, the sources administration.
type AdminOptions struct {
	// PasswordHash is the bcrypt hash of the admin password (see
	// HashAdminPassword and "newsdesk admin set-password").
	PasswordHash string
	// PollNow, when set, polls a source at once (the running collector).
	PollNow func(ctx context.Context, sourceID int64) error
	// SessionTTL is how long a login lasts; default 12 h.
	SessionTTL time.Duration
	// SessionIdle ends a session unused this long; default 1 h.
	SessionIdle time.Duration
}

// HashAdminPassword returns the bcrypt hash to store for a password.
func HashAdminPassword(pw string) (string, error) {
	if len(pw) < 10 {
		return "", errors.New("web: the admin password needs at least 10 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), 12)
	return string(h), err
}

type admin struct {
	s        *Server
	o        AdminOptions
	key      []byte // signs session cookies and CSRF tokens; new each start
	sources  store.SourceStore
	guard    *loginGuard
	sessions *sessionTable
	log      *slog.Logger
}

func newAdmin(s *Server, o AdminOptions) *admin {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = time.Hour
	}
	key := make([]byte, 32)
	rand.Read(key)
	return &admin{s: s, o: o, key: key, sources: s.store, guard: newLoginGuard(),
		sessions: newSessionTable(o.SessionIdle), log: s.log}
}

const (
	sessionCookie = "newsdesk_admin"
	loginCookie   = "newsdesk_login" // pre-login CSRF token
)

func (a *admin) sign(parts ...string) string {
	m := hmac.New(sha256.New, a.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newSession opens a session and returns its cookie value:
// id.expiry.signature.
func (a *admin) newSession(now time.Time) string {
	id := make([]byte, 18)
	rand.Read(id)
	var exp [8]byte
	binary.BigEndian.PutUint64(exp[:], uint64(now.Add(a.o.SessionTTL).Unix()))
	sid := base64.RawURLEncoding.EncodeToString(id)
	a.sessions.open(sid, now, now.Add(a.o.SessionTTL))
	v := sid + "." + base64.RawURLEncoding.EncodeToString(exp[:])
	return v + "." + a.sign("session", v)
}

// session returns the session ID of a valid cookie whose session is open.
func (a *admin) session(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return "", false
	}
	v := parts[0] + "." + parts[1]
	if subtle.ConstantTimeCompare([]byte(a.sign("session", v)), []byte(parts[2])) != 1 {
		return "", false
	}
	exp, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(exp) != 8 || a.s.now().Unix() > int64(binary.BigEndian.Uint64(exp)) {
		return "", false
	}
	if !a.sessions.touch(parts[0], a.s.now()) {
		return "", false // logged out, idle too long, or from before a restart
	}
	return parts[0], true
}

func (a *admin) csrf(session string) string { return a.sign("csrf", session) }

func (a *admin) checkCSRF(r *http.Request, session string) bool {
	return subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(a.csrf(session))) == 1
}

func (a *admin) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/admin", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")}
}

type adminSessionKey struct{}

// requireLogin sends visitors without a session to the login page, and
// refuses a POST without the session's CSRF token.
func (a *admin) requireLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		sess, ok := a.session(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
			if err := r.ParseMultipartForm(16 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			if !a.checkCSRF(r, sess) {
				http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), adminSessionKey{}, sess)))
	}
}

func (a *admin) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	tok := make([]byte, 18)
	rand.Read(tok)
	t := base64.RawURLEncoding.EncodeToString(tok)
	a.guard.issue(t, a.s.now())
	http.SetCookie(w, a.cookie(r, loginCookie, t, 3600))
	a.render(w, http.StatusOK, "login", map[string]any{"CSRF": a.sign("login", t), "Error": r.URL.Query().Get("error")})
}

func (a *admin) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	now := a.s.now()
	ip, device := limitKey(a.s.clientAddr(r)), a.device(r)
	if wait := a.guard.refused(ip, device, now); wait > 0 {
		a.tooMany(w, wait)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, err := r.Cookie(loginCookie)
	if err != nil || r.ParseForm() != nil ||
		subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(a.sign("login", c.Value))) != 1 ||
		!a.guard.use(c.Value, now) {
		http.Error(w, "bad, used or missing login token; reload the login page", http.StatusForbidden)
		return
	}
	if wait := a.guard.begin(ip, device, now); wait > 0 {
		a.tooMany(w, wait) // another attempt was counted since the first look
		return
	}
	ok, done := a.guard.check(r.Context(), func() bool {
		return bcrypt.CompareHashAndPassword([]byte(a.o.PasswordHash), []byte(r.PostFormValue("password"))) == nil
	})
	if !done {
		return // the client left while waiting
	}
	if !ok {
		a.log.Warn("admin login failed", "client", ip, "known_device", device != "")
		http.Redirect(w, r, "/admin/login?error=1", http.StatusSeeOther)
		return
	}
	a.guard.succeeded(ip, device)
	http.SetCookie(w, a.cookie(r, loginCookie, "", -1))
	http.SetCookie(w, a.cookie(r, sessionCookie, a.newSession(now), int(a.o.SessionTTL.Seconds())))
	if device == "" {
		http.SetCookie(w, a.cookie(r, deviceCookie, a.newDevice(), 400*24*3600))
	}
	a.log.Info("admin logged in", "client", ip)
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func (a *admin) tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfter(wait))
	http.Error(w, "too many login attempts; try again in "+wait.Round(time.Second).String(), http.StatusTooManyRequests)
}

func (a *admin) handleLogout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := r.Context().Value(adminSessionKey{}).(string); ok {
		a.sessions.end(sess)
	}
	http.SetCookie(w, a.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

func (a *admin) handleSources(w http.ResponseWriter, r *http.Request) {
	if a.sources == nil {
		http.Error(w, "this store keeps no sources", http.StatusNotImplemented)
		return
	}
	list, err := a.sources.ListSources(r.Context())
	if err != nil {
		a.s.logFailure(r, "admin: list sources", err)
		http.Error(w, "unable to list sources", http.StatusInternalServerError)
		return
	}
	sess, _ := r.Context().Value(adminSessionKey{}).(string)
	a.render(w, http.StatusOK, "sources", map[string]any{
		"Sources": list, "CSRF": a.csrf(sess), "Msg": r.URL.Query().Get("msg"), "Now": a.s.now(),
		"CanPoll": a.o.PollNow != nil,
	})
}

func (a *admin) back(w http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(w, r, "/admin?msg="+url.QueryEscape(msg), http.StatusSeeOther)
}

// Bounds on what an admin may save for a source: enough for any real
// name, address or language tag, and no 10 MB names in every page of the
// admin.
const (
	maxSourceName = 200
	maxSourceURL  = 2048
	maxSourceLang = 35 // BCP 47 tags are short
)

func (a *admin) handleAdd(w http.ResponseWriter, r *http.Request) {
	name, lang, raw := strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("language")), strings.TrimSpace(r.PostFormValue("url"))
	if len(name) > maxSourceName || len(lang) > maxSourceLang || len(raw) > maxSourceURL || len(r.PostFormValue("interval")) > 32 {
		a.back(w, r, fmt.Sprintf("Not added: a name has at most %d bytes, a URL %d, a language tag %d.", maxSourceName, maxSourceURL, maxSourceLang))
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		a.back(w, r, "Not added: give an absolute http or https URL.")
		return
	}
	u.Fragment = ""
	var interval time.Duration
	if v := strings.TrimSpace(r.PostFormValue("interval")); v != "" {
		if interval, err = time.ParseDuration(v); err != nil || interval < 0 {
			a.back(w, r, "Not added: the interval is a duration such as 30m.")
			return
		}
	}
	src := &news.Source{URL: u.String(), Name: name, Language: lang, Interval: interval}
	switch err := a.sources.AddSource(r.Context(), src); {
	case errors.Is(err, store.ErrExists):
		a.back(w, r, "Already a source: "+src.URL)
	case err != nil:
		a.s.logFailure(r, "admin: add source", err)
		a.back(w, r, "Not added: the database refused it.")
	default:
		a.back(w, r, "Added "+src.URL)
	}
}

func (a *admin) handleAction(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	src, err := a.sources.Source(ctx, id)
	if err != nil {
		a.back(w, r, "No such source.")
		return
	}
	switch r.PathValue("action") {
	case "pause", "resume":
		src.Paused = r.PathValue("action") == "pause"
		err = a.sources.UpdateSource(ctx, &src.Source)
	case "remove":
		err = a.sources.RemoveSource(ctx, id)
	case "poll":
		if a.o.PollNow == nil {
			a.back(w, r, "The collector is not running in this process.")
			return
		}
		err = a.o.PollNow(ctx, id)
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		a.s.logFailure(r, "admin: source action", err, "action", r.PathValue("action"))
		a.back(w, r, "Failed: "+r.PathValue("action"))
		return
	}
	a.back(w, r, "Done: "+r.PathValue("action")+" "+src.URL)
}

func (a *admin) handleImport(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("opml")
	if err != nil {
		a.back(w, r, "Choose an OPML file to import.")
		return
	}
	defer f.Close()
	outlines, err := feed.ReadOPML(f)
	if err != nil {
		a.back(w, r, "Not an OPML file.")
		return
	}
	added, skipped := 0, 0
	for _, o := range outlines {
		u, err := url.Parse(strings.TrimSpace(o.XMLURL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			len(o.XMLURL) > maxSourceURL || len(o.Title) > maxSourceName || len(o.Language) > maxSourceLang {
			skipped++
			continue
		}
		err = a.sources.AddSource(r.Context(), &news.Source{URL: u.String(), Name: o.Title, Language: o.Language, Kind: news.KindFeed})
		if err != nil {
			skipped++
			continue
		}
		added++
	}
	a.back(w, r, "Imported "+strconv.Itoa(added)+" sources, skipped "+strconv.Itoa(skipped)+".")
}

func (a *admin) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := adminTemplates.ExecuteTemplate(w, name, data); err != nil {
		a.log.Error("admin: render", "page", name, "err", err)
	}
}

func adminSince(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t).Round(time.Second)
	if d < 0 {
		return "in " + (-d).String()
	}
	return d.String() + " ago"
}

var adminTemplates = template.Must(template.New("admin").Funcs(template.FuncMap{"since": adminSince}).Parse(`
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{{.}} · newsdesk admin</title></head><body>{{end}}
{{define "login"}}{{template "head" "Log in"}}
<main><h1>newsdesk admin</h1>
{{if .Error}}<p role="alert">Wrong password.</p>{{end}}
<form method="post" action="/admin/login">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<label>Password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button>
</form></main></body></html>{{end}}
{{define "sources"}}{{template "head" "Sources"}}
<header><h1>Sources</h1>
<form method="post" action="/admin/logout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button>Log out</button></form></header>
<main>
{{if .Msg}}<p role="status">{{.Msg}}</p>{{end}}
<table><thead><tr><th>ID</th><th>Name</th><th>URL</th><th>Kind</th><th>State</th><th>Failures</th><th>Last error</th><th>Last poll</th><th>Next poll</th><th>Items</th><th>Actions</th></tr></thead><tbody>
{{$csrf := .CSRF}}{{$now := .Now}}{{$poll := .CanPoll}}
{{range .Sources}}<tr>
<td>{{.ID}}</td><td>{{.Name}}</td><td>{{.URL}}</td><td>{{.Kind}}</td><td>{{.State}}</td><td>{{.Failures}}</td>
<td>{{.LastError}}</td><td>{{since $now .LastPolledAt}}</td><td>{{if .Paused}}paused{{else}}{{since $now .NextPollAt}}{{end}}</td><td>{{.ItemsSeen}}</td>
<td>
{{if .Paused}}<form method="post" action="/admin/sources/{{.ID}}/resume"><input type="hidden" name="csrf" value="{{$csrf}}"><button>Resume</button></form>
{{else}}<form method="post" action="/admin/sources/{{.ID}}/pause"><input type="hidden" name="csrf" value="{{$csrf}}"><button>Pause</button></form>{{end}}
{{if $poll}}<form method="post" action="/admin/sources/{{.ID}}/poll"><input type="hidden" name="csrf" value="{{$csrf}}"><button>Poll now</button></form>{{end}}
<form method="post" action="/admin/sources/{{.ID}}/remove"><input type="hidden" name="csrf" value="{{$csrf}}"><button>Remove</button></form>
</td></tr>
{{else}}<tr><td colspan="11">No sources yet.</td></tr>{{end}}
</tbody></table>
<h2>Add a source</h2>
<form method="post" action="/admin/sources"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label>URL <input type="url" name="url" required></label>
<label>Name <input name="name"></label>
<label>Language <input name="language" size="5"></label>
<label>Interval <input name="interval" placeholder="30m" size="6"></label>
<button>Add</button></form>
<h2>Import OPML</h2>
<form method="post" action="/admin/import-opml" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{.CSRF}}">
<input type="file" name="opml" accept=".opml,.xml,text/xml" required> <button>Import</button></form>
</main></body></html>{{end}}
`))
