package collect

import (
	"math/rand/v2"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

// Policy sets how often sources are polled and how failures back off.
type Policy struct {
	// DefaultInterval applies to sources without their own. Default 30 min.
	DefaultInterval time.Duration
	// MinInterval is the floor for any configured interval. Default 5 min.
	MinInterval time.Duration
	// MaxInterval caps the time between two polls of a working source,
	// whatever the hints say. Default 24 h.
	MaxInterval time.Duration
	// QuietFactor bounds how far a source that publishes nothing new
	// stretches its interval: at most QuietFactor × its interval. Default 8.
	QuietFactor int
	// BackoffBase is the first retry delay after a failure; it doubles
	// with each further failure up to MaxBackoff (default 1 min and 24 h).
	BackoffBase time.Duration
	MaxBackoff  time.Duration
	// WebSubFactor stretches polling of a source with an active WebSub
	// subscription: pushes bring news, polls are the fallback. Default 4.
	WebSubFactor int
}

func (p Policy) withDefaults() Policy {
	if p.DefaultInterval <= 0 {
		p.DefaultInterval = 30 * time.Minute
	}
	if p.MinInterval <= 0 {
		p.MinInterval = 5 * time.Minute
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 24 * time.Hour
	}
	if p.QuietFactor <= 0 {
		p.QuietFactor = 8
	}
	if p.BackoffBase <= 0 {
		p.BackoffBase = time.Minute
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 24 * time.Hour
	}
	if p.WebSubFactor <= 0 {
		p.WebSubFactor = 4
	}
	return p
}

// Hints are what one successful poll learnt about when to come back.
type Hints struct {
	TTL        time.Duration // feed <ttl> / sy:updatePeriod
	Fresh      time.Duration // Cache-Control max-age or Expires
	RetryAfter time.Duration
	NewItems   int  // items not seen before
	WebSub     bool // an active WebSub subscription pushes updates
}

// interval is the source's configured interval, defaulted and floored.
func (p Policy) interval(configured time.Duration) time.Duration {
	if configured <= 0 {
		configured = p.DefaultInterval
	}
	return max(configured, p.MinInterval)
}

// Adapt returns the learnt interval after a successful poll: a source that
// published something is polled at its configured pace again; one that did
// not is polled half as often again, up to QuietFactor × its interval.
func (p Policy) Adapt(configured, previous time.Duration, newItems int) time.Duration {
	p = p.withDefaults()
	base := p.interval(configured)
	if previous <= 0 {
		previous = base
	}
	if newItems > 0 {
		return max(base, previous/2)
	}
	return min(previous*3/2, base*time.Duration(p.QuietFactor), p.MaxInterval)
}

// NextPoll is when a source that was just polled successfully is due
// again: the largest of its learnt interval and the server's hints (TTL,
// freshness, Retry-After), capped at MaxInterval, with ±10% jitter so that
// sources added together drift apart.
func (p Policy) NextPoll(now time.Time, adaptive time.Duration, h Hints, rnd *rand.Rand) time.Time {
	p = p.withDefaults()
	d := max(adaptive, h.TTL, h.Fresh, h.RetryAfter)
	if h.WebSub {
		d *= time.Duration(p.WebSubFactor)
	}
	d = min(d, p.MaxInterval)
	return now.Add(jitter(d, 0.1, rnd))
}

// Backoff is the delay before retrying a source after its n-th consecutive
// failure (n >= 1): exponential from BackoffBase, capped at MaxBackoff,
// with "equal jitter" (uniform in [d/2, d]); never less than a Retry-After
// the server sent (capped too). Permanent failures (robots, blocked
// address, 404/410) start high — at least 6 h — but are still retried:
// nothing is silently disabled.
func (p Policy) Backoff(n int, err error, rnd *rand.Rand) time.Duration {
	p = p.withDefaults()
	if n < 1 {
		n = 1
	}
	d := p.BackoffBase
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	d = d/2 + time.Duration(randFloat(rnd)*float64(d/2))
	if fe, ok := fetch.AsError(err); ok {
		if fe.RetryAfter > 0 {
			d = max(d, min(fe.RetryAfter, p.MaxBackoff))
		}
		if fe.Permanent() {
			d = max(d, min(6*time.Hour, p.MaxBackoff))
		}
	}
	return d
}

func jitter(d time.Duration, frac float64, rnd *rand.Rand) time.Duration {
	return d + time.Duration((randFloat(rnd)*2-1)*frac*float64(d))
}

func randFloat(rnd *rand.Rand) float64 {
	if rnd == nil {
		return rand.Float64()
	}
	return rnd.Float64()
}
