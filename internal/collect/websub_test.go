package collect

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/websub"
)

// TestWebSubPush: a poll finds the feed's hub and subscribes; the hub on
// 127.0.0.1 verifies the subscription and pushes a signed update, whose
// new articles are collected without a poll; polling goes on, slower.
func TestWebSubPush(t *testing.T) {
	var (
		mu                    sync.Mutex
		callback, secret, top string
		verified              = make(chan string, 1)
	)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || r.PostForm.Get("hub.mode") != "subscribe" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		mu.Lock()
		callback, secret, top = r.PostForm.Get("hub.callback"), r.PostForm.Get("hub.secret"), r.PostForm.Get("hub.topic")
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		go func() {
			q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {top}, "hub.challenge": {"abc"}, "hub.lease_seconds": {"864000"}}
			resp, err := http.Get(callback + "?" + q.Encode())
			if err != nil {
				verified <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			verified <- string(b)
		}()
	}))
	defer hub.Close()
	o := sampleweb.NewOutlet("Pushed Post", 3)
	defer o.Server.Close()
	o.Hub = hub.URL + "/"

	r := newRig(t, filepath.Join(t.TempDir(), "ws.db"), fetch.Config{})
	defer r.close()
	sub := &websub.Subscriber{Store: r.st, Fetch: r.c.cfg.Fetch, Receiver: r.c, Log: r.c.log}
	cb := httptest.NewServer(http.StripPrefix("/websub", sub))
	defer cb.Close()
	sub.CallbackBase = cb.URL + "/websub/"
	r.c.cfg.Hubs = sub
	id := r.add(t, o.URL("/feed.xml"), "")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	if _, err := r.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := <-verified; got != "abc" {
		t.Fatalf("verification answered %q", got)
	}
	src, _ := r.st.Source(ctx, id)
	if src.WebSub.State != websub.StateActive || top != o.URL("/feed.xml") {
		t.Fatalf("subscription %+v topic %q", src.WebSub, top)
	}

	// The outlet publishes two more; the hub pushes the new feed.
	o.Articles = 5
	body := sampleweb.RSS(o.Name, o.Server.URL, 0, 5)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	req, _ := http.NewRequest(http.MethodPost, callback, strings.NewReader(body))
	req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
	req.Header.Set("Content-Type", "application/rss+xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("push answered %d", resp.StatusCode)
	}
	if _, err := r.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	n, _ := r.st.CountArticles(ctx, store.ArticleFilter{SourceID: id})
	if n != 5 {
		t.Fatalf("%d articles after the push, want 5", n)
	}
	if polls := o.Hits("/feed.xml"); polls != 1 {
		t.Fatalf("feed polled %d times; the push should have sufficed", polls)
	}
}
