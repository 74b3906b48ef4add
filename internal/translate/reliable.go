package translate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Policy says how hard Reliable tries. Zero fields take the defaults.
type Policy struct {
	Timeout     time.Duration // per attempt; 60 s
	Attempts    int           // tries per call, first included; 3
	Backoff     time.Duration // wait before the second try, doubled each time, with jitter; 500 ms
	MaxFailures int           // consecutive failed calls that open the circuit; 5
	Cooldown    time.Duration // how long an open circuit refuses calls; 1 min
	// Now and Sleep are for tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

func (p Policy) withDefaults() Policy {
	if p.Timeout <= 0 {
		p.Timeout = 60 * time.Second
	}
	if p.Attempts <= 0 {
		p.Attempts = 3
	}
	if p.Backoff <= 0 {
		p.Backoff = 500 * time.Millisecond
	}
	if p.MaxFailures <= 0 {
		p.MaxFailures = 5
	}
	if p.Cooldown <= 0 {
		p.Cooldown = time.Minute
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Sleep == nil {
		p.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return p
}

// Reliable wraps a backend with a timeout per attempt, retries with
// exponential backoff for errors that may pass, and a circuit breaker: after
// MaxFailures failed calls in a row it refuses calls (ErrCircuitOpen) for
// Cooldown, then lets one call through to test the backend again.
func Reliable(b Backend, p Policy) *ReliableBackend {
	return &ReliableBackend{b: b, p: p.withDefaults()}
}

// ReliableBackend is a Backend made reliable by Reliable.
type ReliableBackend struct {
	b Backend
	p Policy

	mu        sync.Mutex
	failures  int
	openUntil time.Time
	probing   bool
}

// Name implements Backend.
func (r *ReliableBackend) Name() string { return r.b.Name() }

// Unwrap returns the wrapped backend.
func (r *ReliableBackend) Unwrap() Backend { return r.b }

// Close closes the wrapped backend when it can be closed.
func (r *ReliableBackend) Close() error {
	if c, ok := r.b.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}

// Translate implements Backend.
func (r *ReliableBackend) Translate(ctx context.Context, pair Pair, segs []Segment) ([]Segment, error) {
	if err := r.admit(); err != nil {
		return nil, err
	}
	var err error
	wait := r.p.Backoff
	for attempt := 1; attempt <= r.p.Attempts; attempt++ {
		var out []Segment
		actx, cancel := context.WithTimeout(ctx, r.p.Timeout)
		out, err = r.b.Translate(actx, pair, segs)
		cancel()
		if err == nil {
			r.record(true)
			return out, nil
		}
		if isPermanent(err) || errors.Is(err, ErrUnavailable) || ctx.Err() != nil || attempt == r.p.Attempts {
			break
		}
		jitter := time.Duration(rand.Int64N(int64(wait)/2 + 1))
		if serr := r.p.Sleep(ctx, wait+jitter); serr != nil {
			break
		}
		wait *= 2
	}
	if !isPermanent(err) {
		r.record(false)
	} else {
		r.record(true) // the backend answered; the request was the problem
	}
	return nil, err
}

func (r *ReliableBackend) admit() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.openUntil.IsZero() {
		return nil
	}
	if r.p.Now().Before(r.openUntil) || r.probing {
		return fmt.Errorf("%s: %w (retry after %s)", r.b.Name(), ErrCircuitOpen, r.openUntil.Format(time.RFC3339))
	}
	r.probing = true // half-open: this call tests the backend
	return nil
}

func (r *ReliableBackend) record(ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.probing = false
	if ok {
		r.failures = 0
		r.openUntil = time.Time{}
		return
	}
	r.failures++
	if r.failures >= r.p.MaxFailures || !r.openUntil.IsZero() {
		r.openUntil = r.p.Now().Add(r.p.Cooldown)
	}
}
