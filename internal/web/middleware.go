package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/metrics"
)

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe records each request's duration by route pattern (never by raw
// path, which would explode the metric's cardinality) and recovers panics.
func (s *Server) observe(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic serving request", "route", route, "path", r.URL.Path, "panic", p)
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			metrics.HTTPDuration.WithLabelValues(route, statusLabel(r, sw.status)).Observe(time.Since(start).Seconds())
		}()
		h.ServeHTTP(sw, r)
	})
}

// statusLabel is the code label of a request's metric: its status class
// ("2xx", "5xx"...), or "499" as nginx has it when the client went away
// before it was answered, whatever the handler made of the cancelled
// work: a reader who hangs up is not a server error.
func statusLabel(r *http.Request, status int) string {
	if errors.Is(r.Context().Err(), context.Canceled) && (status == 0 || status >= 500) {
		return "499"
	}
	if status == 0 {
		status = http.StatusOK
	}
	return strconv.Itoa(status/100) + "xx"
}

// logFailure logs a request that failed: at ERROR, unless the client had
// gone away and the failure is only the cancelled work, which is logged
// at DEBUG.
func (s *Server) logFailure(r *http.Request, msg string, err error, args ...any) {
	args = append(args, "path", r.URL.Path, "err", err)
	if r.Context().Err() != nil || errors.Is(err, context.Canceled) {
		s.log.Debug(msg+" (client gone)", args...)
		return
	}
	s.log.Error(msg, args...)
}

// contentSecurityPolicy is the second wall behind the sanitiser: scripts,
// styles, fonts and connections only from us, no inline script or style,
// no plugins, no <base>, no framing. Images come from us only unless
// remote images are allowed, and then only over https.
func contentSecurityPolicy(remoteImages bool) string {
	img := "img-src 'self'"
	if remoteImages {
		img += " https:"
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; " + img +
		"; font-src 'self'; connect-src 'self'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'" +
		"; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// secure sets the security headers every response carries. Article HTML
// comes only from the sanitiser; the CSP makes sure that even a hole in it
// runs nothing and loads nothing from elsewhere.
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", s.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), browsing-topics=()")
		h.ServeHTTP(w, r)
	})
}
