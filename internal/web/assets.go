package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// assets serves the embedded static files under checksummed names
// (style.3f2a1b9c.css), so they can be cached forever: a changed file gets
// a new name.
type assets struct {
	byName map[string]string    // logical name -> hashed name
	files  map[string]*response // hashed name -> response
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, files: map[string]*response{}}
	err := fs.WalkDir(staticFS, "static", func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(file)
		if err != nil {
			return err
		}
		name := path.Base(file)
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		p := newResponse(http.StatusOK, contentTypeOf(name), b)
		p.cacheControl = "public, max-age=31536000, immutable"
		p.gzipped() // compress once, at start
		p.brotlied()
		a.byName[name], a.files[hashed] = hashed, p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: unable to load assets: %w", err)
	}
	return a, nil
}

// url returns the public URL of a static file by its logical name.
func (a *assets) url(name string) string {
	if h, ok := a.byName[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func contentTypeOf(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	}
	return "application/octet-stream"
}

// serve sends an asset; the server's send gives it ETag, 304 and
// compression like every other response.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	p, ok := s.assets.files[r.PathValue("file")]
	if !ok {
		s.send(w, r, s.notFoundPage(r, "There is no file at this address."))
		return
	}
	s.send(w, r, p)
}
