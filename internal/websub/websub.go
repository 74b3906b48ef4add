// Package websub is newsdesk's WebSub (W3C Recommendation) subscriber: it
// subscribes sources to the hubs their feeds name, answers the hubs'
// verification challenges, checks the X-Hub-Signature HMAC on pushed
// content and hands verified content to the collector. Polling goes on,
// less often, as the fallback.
package websub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Subscription states kept in store.WebSub.State.
const (
	StatePending = "pending" // asked; waiting for the hub's verification
	StateActive  = "active"  // verified; LeaseUntil says until when
	StateDenied  = "denied"  // the hub refused
	StateFailed  = "failed"  // the request to the hub failed
)

// DefaultLease is the lease asked for; hubs may grant another.
const DefaultLease = 10 * 24 * time.Hour

// MaxPushBytes caps a pushed body.
const MaxPushBytes = 15 << 20

// Receiver takes verified pushed content (the collector enqueues the
// articles it announces).
type Receiver interface {
	Received(ctx context.Context, sourceID int64, body []byte, contentType string) error
}

// Subscriber subscribes sources and serves their callbacks. The same
// value is the collector's collect.HubSubscriber and, mounted at the path
// of CallbackBase, the http.Handler hubs call.
type Subscriber struct {
	// CallbackBase is the public URL under which Handler is reachable, e.g.
	// "https://news.example/websub/"; a source's callback is
	// CallbackBase + its ID.
	CallbackBase string
	Store        store.SourceStore
	Fetch        *fetch.Client
	Receiver     Receiver
	Log          *slog.Logger
	Lease        time.Duration
	Now          func() time.Time
}

func (s *Subscriber) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Subscriber) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Subscriber) callback(id int64) string {
	return strings.TrimSuffix(s.CallbackBase, "/") + "/" + strconv.FormatInt(id, 10)
}

// Subscribe asks hub to push topic's updates to the source's callback
// (RFC-like §5.1). The subscription is pending until the hub verifies it.
// It is also how a lease is renewed.
func (s *Subscriber) Subscribe(ctx context.Context, src *store.SourceRecord, hub, topic string) error {
	if s.CallbackBase == "" {
		return errors.New("websub: no public callback URL configured")
	}
	secret := src.WebSub.Secret
	if secret == "" || src.WebSub.Hub != hub || src.WebSub.Topic != topic {
		secret = newSecret()
	}
	lease := s.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	// Record the secret before asking, so the verification request that
	// may arrive before the hub answers finds it. While pending,
	// LeaseUntil is when to ask again if the hub never verifies.
	w := store.WebSub{Hub: hub, Topic: topic, Secret: secret, State: StatePending, LeaseUntil: s.now().Add(time.Hour)}
	if err := s.Store.SetWebSub(ctx, src.ID, w); err != nil {
		return err
	}
	form := url.Values{
		"hub.mode":          {"subscribe"},
		"hub.topic":         {topic},
		"hub.callback":      {s.callback(src.ID)},
		"hub.secret":        {secret},
		"hub.lease_seconds": {strconv.Itoa(int(lease.Seconds()))},
	}
	status, body, err := s.Fetch.PostForm(ctx, hub, form)
	if err == nil && status != http.StatusAccepted && (status < 200 || status > 299) {
		err = fmt.Errorf("websub: hub %s answered %d: %s", hub, status, strings.TrimSpace(string(body[:min(len(body), 200)])))
	}
	if err != nil {
		w.State = StateFailed
		if serr := s.Store.SetWebSub(ctx, src.ID, w); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	s.log().Info("WebSub subscription requested", "source", src.ID, "hub", hub, "topic", topic)
	return nil
}

// Unsubscribe asks the hub to stop pushing.
func (s *Subscriber) Unsubscribe(ctx context.Context, src *store.SourceRecord) error {
	if src.WebSub.Hub == "" {
		return nil
	}
	form := url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {src.WebSub.Topic}, "hub.callback": {s.callback(src.ID)}}
	status, _, err := s.Fetch.PostForm(ctx, src.WebSub.Hub, form)
	if err == nil && (status < 200 || status > 299) {
		err = fmt.Errorf("websub: hub answered %d to unsubscribe", status)
	}
	return err
}

func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ServeHTTP answers hubs at CallbackBase + ID: GET is a verification of
// intent (or a denial), POST is content distribution.
func (s *Subscriber) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := strings.LastIndexByte(strings.TrimSuffix(r.URL.Path, "/"), '/')
	id, err := strconv.ParseInt(strings.TrimSuffix(r.URL.Path, "/")[i+1:], 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.verify(w, r, id)
	case http.MethodPost:
		s.receive(w, r, id)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Subscriber) verify(w http.ResponseWriter, r *http.Request, id int64) {
	q := r.URL.Query()
	ctx := r.Context()
	src, err := s.Store.Source(ctx, id)
	if err != nil || src.WebSub.Topic == "" || q.Get("hub.topic") != src.WebSub.Topic {
		http.NotFound(w, r) // not a subscription we asked for
		return
	}
	sub := src.WebSub
	switch q.Get("hub.mode") {
	case "subscribe":
		if sub.State != StatePending && sub.State != StateActive {
			http.NotFound(w, r)
			return
		}
		lease, err := strconv.Atoi(q.Get("hub.lease_seconds"))
		if err != nil || lease <= 0 {
			lease = int(DefaultLease.Seconds())
		}
		sub.State = StateActive
		sub.LeaseUntil = s.now().Add(time.Duration(lease) * time.Second)
	case "unsubscribe":
		sub.State, sub.LeaseUntil = "", time.Time{}
	case "denied":
		sub.State = StateDenied
		s.log().Warn("WebSub hub denied the subscription", "source", id, "reason", q.Get("hub.reason"))
	default:
		http.Error(w, "unknown hub.mode", http.StatusBadRequest)
		return
	}
	if err := s.Store.SetWebSub(ctx, id, sub); err != nil {
		http.Error(w, "unable to record", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, q.Get("hub.challenge"))
}

func (s *Subscriber) receive(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	src, err := s.Store.Source(ctx, id)
	if err != nil || src.WebSub.Secret == "" || src.WebSub.State != StateActive {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPushBytes+1))
	if err != nil || len(body) > MaxPushBytes {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !ValidSignature(r.Header.Get("X-Hub-Signature"), src.WebSub.Secret, body) {
		// The spec asks for a 2xx anyway, so that a forger learns nothing;
		// the content is dropped.
		s.log().Warn("WebSub push with a bad signature ignored", "source", id)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if s.Receiver != nil {
		if err := s.Receiver.Received(ctx, id, body, r.Header.Get("Content-Type")); err != nil {
			s.log().Warn("WebSub push not processed", "source", id, "err", err)
			http.Error(w, "unable to process", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// ValidSignature checks an X-Hub-Signature header ("method=hexdigest",
// method sha1, sha256, sha384 or sha512) against body, in constant time.
func ValidSignature(header, secret string, body []byte) bool {
	method, sig, ok := strings.Cut(strings.TrimSpace(header), "=")
	if !ok || secret == "" {
		return false
	}
	var h func() hash.Hash
	switch strings.ToLower(method) {
	case "sha1":
		h = sha1.New
	case "sha256":
		h = sha256.New
	case "sha384":
		h = sha512.New384
	case "sha512":
		h = sha512.New
	default:
		return false
	}
	want, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	m := hmac.New(h, []byte(secret))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}
