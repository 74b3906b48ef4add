package collect

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

func TestAdapt(t *testing.T) {
	var p Policy
	tests := []struct {
		name                 string
		configured, previous time.Duration
		newItems             int
		want                 time.Duration
	}{
		{"first poll with news", 0, 0, 3, 30 * time.Minute},
		{"quiet stretches", 30 * time.Minute, 30 * time.Minute, 0, 45 * time.Minute},
		{"quiet is capped", 30 * time.Minute, 4 * time.Hour, 0, 4 * time.Hour},
		{"news shrinks back", 30 * time.Minute, 4 * time.Hour, 1, 2 * time.Hour},
		{"never below configured", 30 * time.Minute, 40 * time.Minute, 5, 30 * time.Minute},
		{"floor on configured", time.Second, 0, 1, 5 * time.Minute},
		{"daily source capped at a day", 12 * time.Hour, 20 * time.Hour, 0, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Adapt(tt.configured, tt.previous, tt.newItems); got != tt.want {
				t.Fatalf("Adapt = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNextPoll(t *testing.T) {
	var p Policy
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rnd := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name     string
		adaptive time.Duration
		h        Hints
		want     time.Duration
	}{
		{"interval", 30 * time.Minute, Hints{}, 30 * time.Minute},
		{"ttl wins", 30 * time.Minute, Hints{TTL: 2 * time.Hour}, 2 * time.Hour},
		{"max-age wins", 30 * time.Minute, Hints{Fresh: 90 * time.Minute}, 90 * time.Minute},
		{"retry-after wins", 30 * time.Minute, Hints{RetryAfter: 3 * time.Hour}, 3 * time.Hour},
		{"capped", 30 * time.Minute, Hints{TTL: 7 * 24 * time.Hour}, 24 * time.Hour},
		{"websub slows polling", 30 * time.Minute, Hints{WebSub: true}, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.NextPoll(now, tt.adaptive, tt.h, rnd).Sub(now)
			lo, hi := tt.want*9/10, tt.want*11/10
			if got < lo || got > hi {
				t.Fatalf("next poll in %v, want %v ±10%%", got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	var p Policy
	rnd := rand.New(rand.NewPCG(3, 4))
	prevHi := time.Duration(0)
	for n := 1; n <= 20; n++ {
		d := p.Backoff(n, nil, rnd)
		hi := min(time.Minute<<(n-1), 24*time.Hour)
		if n > 12 {
			hi = 24 * time.Hour
		}
		if d < hi/2 || d > hi {
			t.Fatalf("failure %d: backoff %v outside [%v, %v]", n, d, hi/2, hi)
		}
		if hi < prevHi {
			t.Fatalf("backoff bound shrank")
		}
		prevHi = hi
	}
	ra := &fetch.Error{Kind: fetch.KindHTTP, Status: 429, RetryAfter: 2 * time.Hour}
	if d := p.Backoff(1, ra, rnd); d < 2*time.Hour {
		t.Fatalf("Retry-After ignored: %v", d)
	}
	huge := &fetch.Error{Kind: fetch.KindHTTP, Status: 503, RetryAfter: 30 * 24 * time.Hour}
	if d := p.Backoff(1, huge, rnd); d > 24*time.Hour {
		t.Fatalf("Retry-After not capped: %v", d)
	}
	robots := &fetch.Error{Kind: fetch.KindRobots}
	if d := p.Backoff(1, robots, rnd); d < 6*time.Hour || d > 24*time.Hour {
		t.Fatalf("permanent failure backoff %v", d)
	}
}

func TestCleanLabel(t *testing.T) {
	tests := map[string]string{
		"Morning\x1b[2J Gazette\n": "Morning [2J Gazette",
		"  a\u202eb  ":             "a b",
		"plain":                    "plain",
	}
	for in, want := range tests {
		if got := cleanLabel(in, 200); got != want {
			t.Errorf("cleanLabel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanLabel("ééééé", 3); got != "ééé" {
		t.Errorf("cap: %q", got)
	}
}
