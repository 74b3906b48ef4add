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
	byName map[string]string // logical name -> hashed name
	files  map[string][]byte // hashed name -> content
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byName[name], a.files[hashed] = hashed, b
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

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	b, ok := a.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(r.PathValue("file")) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
