package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// response is a finished response body with its validators. Responses are
// immutable once built, so the page cache can share them; compressed forms
// are made once, on first demand.
type response struct {
	status       int
	contentType  string
	body         []byte
	etag         string
	modified     time.Time // zero: no Last-Modified
	cacheControl string
	retryAfter   time.Duration // sent as Retry-After when set
	location     string        // sent as Location when set (a redirect)

	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// minCompress is the smallest body worth compressing.
const minCompress = 512

func newResponse(status int, contentType string, body []byte) *response {
	sum := sha256.Sum256(body)
	return &response{
		status: status, contentType: contentType, body: body,
		etag:         `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		cacheControl: "no-cache",
	}
}

func (p *response) gzipped() []byte {
	p.gzOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
		zw.Write(p.body)
		zw.Close()
		p.gz = b.Bytes()
	})
	return p.gz
}

func (p *response) brotlied() []byte {
	p.brOnce.Do(func() {
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, 6)
		bw.Write(p.body)
		bw.Close()
		p.br = b.Bytes()
	})
	return p.br
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "json") ||
		strings.Contains(contentType, "xml") || strings.Contains(contentType, "javascript") ||
		strings.HasPrefix(contentType, "image/svg")
}

// send writes p, answering 304 when the client's copy is current and
// compressing with brotli or gzip when the client accepts it.
func (s *Server) send(w http.ResponseWriter, r *http.Request, p *response) {
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	if p.cacheControl != "" {
		h.Set("Cache-Control", p.cacheControl)
	}
	if p.location != "" {
		h.Set("Location", p.location)
	}
	if p.retryAfter > 0 {
		h.Set("Retry-After", retryAfter(p.retryAfter))
	}
	ok := p.status == http.StatusOK
	if ok {
		h.Set("ETag", p.etag)
		if !p.modified.IsZero() {
			h.Set("Last-Modified", p.modified.UTC().Format(http.TimeFormat))
		}
	}
	canCompress := len(p.body) >= minCompress && compressible(p.contentType)
	if canCompress {
		h.Add("Vary", "Accept-Encoding")
	}
	if ok && notModified(r, p) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := p.body
	if canCompress {
		switch acceptedEncoding(r.Header.Get("Accept-Encoding")) {
		case "br":
			body = p.brotlied()
			h.Set("Content-Encoding", "br")
		case "gzip":
			body = p.gzipped()
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies RFC 9110 §13.2.2: If-None-Match wins over
// If-Modified-Since. ETags are compared weakly, so a validator from a
// compressed response matches too.
func notModified(r *http.Request, p *response) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == p.etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !p.modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil {
			return !p.modified.Truncate(time.Second).After(t)
		}
	}
	return false
}

// acceptedEncoding picks br, then gzip, among those the client accepts
// (q > 0), or "" for none.
func acceptedEncoding(header string) string {
	if header == "" {
		return ""
	}
	var br, gz bool
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				continue
			}
		}
		switch name {
		case "br":
			br = true
		case "gzip", "x-gzip":
			gz = true
		case "*":
			br = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}
