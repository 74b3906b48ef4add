package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/media"
)

// mediaCSP is the policy on every proxied image: an image opened on its
// own (or a file that slipped past the checks) can load and run nothing.
const mediaCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// mediaMaxAge is how long browsers keep a proxied image: an address names
// one outlet URL, and outlets publish a changed photo under a new one.
const mediaMaxAge = "public, max-age=2592000" // 30 days

// placeholderSVG stands in for an image the proxy could not fetch or
// refused: a quiet grey panel with a picture outline, never a browser's
// broken-image icon. It is our own file, with no script or reference.
const placeholderSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 100" width="160" height="100" preserveAspectRatio="xMidYMid slice">` +
	`<rect width="160" height="100" fill="#e3e5e8"/>` +
	`<g fill="none" stroke="#a3a8b0" stroke-width="3" stroke-linejoin="round"><rect x="58" y="32" width="44" height="36" rx="3"/>` +
	`<path d="M60 64 L74 50 L84 59 L90 53 L100 64"/></g><circle cx="91" cy="42" r="4" fill="#a3a8b0"/></svg>`

// placeholderStatus is the status of a placeholder answer. It says the
// upstream failed (for logs and metrics); browsers still draw the SVG.
const placeholderStatus = http.StatusBadGateway

// handleMedia serves a proxied image (see internal/media). A token that
// we did not sign is refused outright; an image that cannot be fetched
// or is refused becomes the neutral placeholder.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Media == nil {
		s.handleNotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", mediaCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	img, err := s.cfg.Media.Open(r.Context(), r.PathValue("token"))
	if errors.Is(err, media.ErrBadToken) {
		http.Error(w, "This image address is not one of ours.", http.StatusForbidden)
		return
	}
	if err != nil {
		s.log.Info("image not shown", "err", err)
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Cache-Control", "no-store") // the next page view tries again (the proxy remembers failures a while)
		w.WriteHeader(placeholderStatus)
		w.Write([]byte(placeholderSVG))
		return
	}
	sum := sha256.Sum256(img.Body)
	h.Set("Content-Type", img.Type)
	h.Set("Cache-Control", mediaMaxAge)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", img.ModTime, bytes.NewReader(img.Body))
}

// proxyImage points an article body's <img> at our proxy, with the
// attributes a page needs: alt (empty when the outlet gave none, so the
// image is skipped rather than read out as a file name), width and height
// when the proxy knows them (no layout shift), lazy loading. It reports
// false when the image cannot be proxied.
func (s *Server) proxyImage(n *html.Node) bool {
	src := attr(n, "src")
	path, ok := s.cfg.Media.Path(src)
	if !ok {
		return false
	}
	setAttr(n, "src", path)
	s.finishImage(n, src)
	return true
}

// finishImage adds alt, size and loading hints to an <img> showing raw.
func (s *Server) finishImage(n *html.Node, raw string) {
	if _, ok := attrOK(n, "alt"); !ok {
		setAttr(n, "alt", "")
	}
	if s.cfg.Media != nil && attr(n, "width") == "" && attr(n, "height") == "" {
		if w, h, ok := s.cfg.Media.Size(raw); ok {
			setAttr(n, "width", strconv.Itoa(w))
			setAttr(n, "height", strconv.Itoa(h))
		}
	}
	removeAttr(n, "srcset")
	setAttr(n, "loading", "lazy")
	setAttr(n, "decoding", "async")
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}
