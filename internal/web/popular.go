package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// viewCounter turns requests into anonymous view records. A client is
// known only by HMAC(daily key, address + user agent): the key is random,
// lives only in this process's memory and changes every day, so the hash
// can neither be reversed nor linked across days. Nothing is set on the
// client. Repeat views are dropped here first (cheaply, in memory) and
// again by the store, which also caps views per client and hour.
type viewCounter struct {
	mu     sync.Mutex
	secret [32]byte
	day    string
	key    []byte
	seen   map[string]time.Time // client hash + article -> last counted
}

const maxSeen = 100_000

func newViewCounter() *viewCounter {
	v := &viewCounter{seen: map[string]time.Time{}}
	rand.Read(v.secret[:])
	return v
}

// clientHash returns the opaque client identifier for today.
func (v *viewCounter) clientHash(addr, agent string, now time.Time) string {
	v.mu.Lock()
	day := now.UTC().Format("2006-01-02")
	if day != v.day {
		m := hmac.New(sha256.New, v.secret[:])
		m.Write([]byte(day))
		v.day, v.key = day, m.Sum(nil)
		clear(v.seen) // yesterday's hashes can never match again
	}
	key := v.key
	v.mu.Unlock()
	m := hmac.New(sha256.New, key)
	m.Write([]byte(addr))
	m.Write([]byte{0})
	m.Write([]byte(agent))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// fresh reports whether this client's view of this article is not a
// repeat within the store's repeat window, and remembers it.
func (v *viewCounter) fresh(client string, id int64, now time.Time) bool {
	k := client + ":" + strconv.FormatInt(id, 10)
	v.mu.Lock()
	defer v.mu.Unlock()
	if t, ok := v.seen[k]; ok && now.Sub(t) < store.RepeatWindow {
		return false
	}
	if len(v.seen) >= maxSeen {
		clear(v.seen)
	}
	v.seen[k] = now
	return true
}

// countView records a reader's view of an article, unless it comes from a
// robot, a prefetch, or the same client recently.
func (s *Server) countView(r *http.Request, id int64) {
	if s.views == nil || r.Method != http.MethodGet || !looksHuman(r) {
		return
	}
	now := s.now()
	client := s.viewer.clientHash(s.clientAddr(r), r.UserAgent(), now)
	if !s.viewer.fresh(client, id, now) {
		return
	}
	// The view is written with its own short deadline: a reader who
	// closed the page still counts, and a slow disk never holds a page.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
	defer cancel()
	if _, err := s.views.RecordView(ctx, store.View{ArticleID: id, Client: client, At: now}); err != nil {
		s.log.Warn("view not recorded", "article", id, "err", err)
	}
}

// looksHuman rejects what announces itself as a robot or a prefetch.
func looksHuman(r *http.Request) bool {
	if p := r.Header.Get("Sec-Purpose") + r.Header.Get("Purpose") + r.Header.Get("X-Moz"); strings.Contains(p, "prefetch") {
		return false
	}
	ua := strings.ToLower(r.UserAgent())
	if ua == "" {
		return false
	}
	for _, bot := range []string{"bot", "crawl", "spider", "slurp", "curl", "wget", "python", "go-http-client", "headless", "feed", "preview"} {
		if strings.Contains(ua, bot) {
			return false
		}
	}
	return true
}

// clientAddr is the client's IP address (without port), or with
// TrustForwardedFor the last hop a reverse proxy added.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// popularWindow is how far back "most popular" looks.
const popularWindow = 48 * time.Hour

// popular returns the most popular articles (memoised briefly).
func (s *Server) popular(ctx context.Context, site, lang string, n int) ([]store.PopularArticle, error) {
	if s.views == nil {
		return nil, nil
	}
	return memoize(s, fmt.Sprintf("popular:%s:%s:%d", site, lang, n), 30*time.Second, func() ([]store.PopularArticle, error) {
		now := s.now()
		ps, err := s.views.Popular(ctx, store.PopularQuery{Now: now, Since: now.Add(-popularWindow), Site: site, Language: lang, Limit: n})
		for i := range ps {
			if t := s.readerTranslation(ctx, &ps[i].Article); t != nil {
				ps[i].Article = ps[i].Article.Localized(t)
			}
		}
		return ps, err
	})
}
