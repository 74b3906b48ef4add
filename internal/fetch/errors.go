package fetch

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a fetch failure so that the scheduler can choose a
// backoff without parsing messages.
type Kind string

// The kinds of fetch failure.
const (
	KindBlocked   Kind = "blocked"   // SSRF guard refused the address
	KindRobots    Kind = "robots"    // robots.txt disallows the URL
	KindTooLarge  Kind = "too_large" // body over the (decompressed) cap
	KindTimeout   Kind = "timeout"   // connect, header or total timeout
	KindRedirects Kind = "redirects" // too many redirects or a loop
	KindHTTP      Kind = "http"      // an HTTP status >= 400
	KindNetwork   Kind = "network"   // DNS, refused, reset, TLS ...
	KindInvalid   Kind = "invalid"   // bad URL or scheme
	KindEncoding  Kind = "encoding"  // broken compressed stream
	KindBusy      Kind = "busy"      // the host's turn is further off than Request.MaxWait
)

// Error is a failed fetch: what failed, for which URL, and, for HTTP
// errors, the status and any Retry-After the server asked for.
type Error struct {
	Kind       Kind
	URL        string
	Status     int           // HTTP status for KindHTTP
	RetryAfter time.Duration // from a 429/503 Retry-After header; 0 if none
	Err        error
}

func (e *Error) Error() string {
	if e.Kind == KindHTTP {
		return fmt.Sprintf("fetch: %s: HTTP %d", e.URL, e.Status)
	}
	if e.Err != nil {
		return fmt.Sprintf("fetch: %s: %s: %v", e.URL, e.Kind, e.Err)
	}
	return fmt.Sprintf("fetch: %s: %s", e.URL, e.Kind)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether retrying soon is pointless: the URL is blocked,
// disallowed, malformed or gone. The scheduler still retries such sources,
// just on the longest backoff, so nothing is silently disabled.
func (e *Error) Permanent() bool {
	switch e.Kind {
	case KindBlocked, KindInvalid, KindRobots:
		return true
	case KindHTTP:
		return e.Status == 404 || e.Status == 410 || e.Status == 401 || e.Status == 403
	}
	return false
}

// AsError returns err as a *Error if it is one.
func AsError(err error) (*Error, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}
