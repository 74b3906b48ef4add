package websub

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// hub is a minimal WebSub hub on 127.0.0.1: it accepts subscriptions,
// verifies intent against the callback, and can publish signed content.
type hub struct {
	srv *httptest.Server
	t   *testing.T

	mu       sync.Mutex
	callback string
	topic    string
	secret   string
	verified chan string // challenge answers
	deny     bool
}

func newHub(t *testing.T) *hub {
	h := &hub{t: t, verified: make(chan string, 4)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.callback, h.topic, h.secret = r.PostForm.Get("hub.callback"), r.PostForm.Get("hub.topic"), r.PostForm.Get("hub.secret")
		deny := h.deny
		h.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		go h.verify(r.PostForm.Get("hub.mode"), deny)
	}))
	return h
}

func (h *hub) verify(mode string, deny bool) {
	h.mu.Lock()
	cb, topic := h.callback, h.topic
	h.mu.Unlock()
	q := url.Values{"hub.mode": {mode}, "hub.topic": {topic}, "hub.challenge": {"ch4ll3nge"}, "hub.lease_seconds": {"3600"}}
	if deny {
		q = url.Values{"hub.mode": {"denied"}, "hub.topic": {topic}, "hub.reason": {"no"}}
	}
	resp, err := http.Get(cb + "?" + q.Encode())
	if err != nil {
		h.verified <- "error: " + err.Error()
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	h.verified <- fmt.Sprintf("%d %s", resp.StatusCode, b)
}

func (h *hub) publish(body, secret string) int {
	h.mu.Lock()
	cb := h.callback
	h.mu.Unlock()
	req, _ := http.NewRequest(http.MethodPost, cb, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/rss+xml")
	if secret != "" {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(body))
		req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

type receiver struct {
	mu     sync.Mutex
	bodies []string
}

func (r *receiver) Received(_ context.Context, id int64, body []byte, ct string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, string(body))
	return nil
}

func TestSubscribeVerifyPush(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := newHub(t)
	defer h.srv.Close()
	rcv := &receiver{}
	sub := &Subscriber{
		Store:    st,
		Fetch:    fetch.New(fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MinDelay: -1}),
		Receiver: rcv,
	}
	cb := httptest.NewServer(http.StripPrefix("/websub", sub))
	defer cb.Close()
	sub.CallbackBase = cb.URL + "/websub/"

	src := &news.Source{URL: "https://outlet.example/feed.xml"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	rec, _ := st.Source(ctx, src.ID)
	topic := "https://outlet.example/feed.xml"
	if err := sub.Subscribe(ctx, rec, h.srv.URL+"/", topic); err != nil {
		t.Fatal(err)
	}
	if got := <-h.verified; got != "200 ch4ll3nge" {
		t.Fatalf("verification answered %q", got)
	}
	rec, _ = st.Source(ctx, src.ID)
	if rec.WebSub.State != StateActive || rec.WebSub.Topic != topic || rec.WebSub.LeaseUntil.Before(time.Now().Add(59*time.Minute)) {
		t.Fatalf("after verification: %+v", rec.WebSub)
	}
	secret := rec.WebSub.Secret
	if len(secret) < 32 || h.secret != secret {
		t.Fatal("secret not sent or not kept")
	}

	body := `<rss version="2.0"><channel><title>x</title><item><link>https://outlet.example/a</link></item></channel></rss>`
	if code := h.publish(body, secret); code != http.StatusAccepted {
		t.Fatalf("signed push: %d", code)
	}
	if code := h.publish(body, "wrong-secret"); code != http.StatusAccepted {
		t.Fatalf("forged push: %d (the spec wants a 2xx)", code)
	}
	if code := h.publish(body, ""); code != http.StatusAccepted {
		t.Fatalf("unsigned push: %d", code)
	}
	if len(rcv.bodies) != 1 || rcv.bodies[0] != body {
		t.Fatalf("receiver got %d bodies, want only the signed one", len(rcv.bodies))
	}

	// A verification for a topic we never asked for is refused.
	resp, err := http.Get(sub.CallbackBase + fmt.Sprint(src.ID) + "?hub.mode=subscribe&hub.topic=https://evil.example/&hub.challenge=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unsolicited verification: %d", resp.StatusCode)
	}

	// Renewal keeps the secret; a denial is recorded.
	rec, _ = st.Source(ctx, src.ID)
	h.mu.Lock()
	h.deny = true
	h.mu.Unlock()
	if err := sub.Subscribe(ctx, rec, h.srv.URL+"/", topic); err != nil {
		t.Fatal(err)
	}
	<-h.verified
	rec, _ = st.Source(ctx, src.ID)
	if rec.WebSub.State != StateDenied || rec.WebSub.Secret != secret {
		t.Fatalf("after denial: %+v", rec.WebSub)
	}
}

func TestSubscribeFailureRecorded(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusInternalServerError)
	}))
	defer down.Close()
	sub := &Subscriber{CallbackBase: "https://news.example/websub/", Store: st,
		Fetch: fetch.New(fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MinDelay: -1})}
	src := &news.Source{URL: "https://o.example/f"}
	st.AddSource(ctx, src)
	rec, _ := st.Source(ctx, src.ID)
	if err := sub.Subscribe(ctx, rec, down.URL, "https://o.example/f"); err == nil {
		t.Fatal("hub error not reported")
	}
	rec, _ = st.Source(ctx, src.ID)
	if rec.WebSub.State != StateFailed {
		t.Fatalf("state %q", rec.WebSub.State)
	}
	// A hub on an internal address is refused by the fetcher's guard.
	strict := &Subscriber{CallbackBase: "https://news.example/websub/", Store: st, Fetch: fetch.New(fetch.Config{MinDelay: -1})}
	if err := strict.Subscribe(ctx, rec, down.URL, "https://o.example/f"); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Fatalf("internal hub: %v", err)
	}
	var _ store.SourceStore = st
}

func TestValidSignature(t *testing.T) {
	body := []byte("hello")
	sign := func(h string) string {
		m := hmac.New(sha256.New, []byte("s3cret"))
		m.Write(body)
		return h + "=" + hex.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		header string
		ok     bool
	}{
		{sign("sha256"), true},
		{sign("SHA256"), true},
		{sign("sha1"), false}, // digest of another method
		{"sha256=zz", false},
		{"md5=abcd", false},
		{"", false},
		{"sha256", false},
	}
	for _, tt := range tests {
		if got := ValidSignature(tt.header, "s3cret", body); got != tt.ok {
			t.Errorf("ValidSignature(%q) = %v", tt.header, got)
		}
	}
	if ValidSignature(sign("sha256"), "", body) {
		t.Error("empty secret accepted")
	}
}
