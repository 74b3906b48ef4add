// Package ingest reads pages from local files for import: it finds them,
// reads them within a size cap (decompressing .gz safely) and reports
// progress.
package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/internal/extract"
)

// ErrTooLarge is returned for a file, or a decompressed file, over the cap.
var ErrTooLarge = errors.New("file too large")

// Importable reports whether a file name is one import reads.
func Importable(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".html", ".htm", ".xhtml", ".html.gz", ".htm.gz"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// IsWARC reports whether a file name is a WARC archive.
func IsWARC(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz")
}

// Files expands paths into the importable files they name: a file is taken
// as it is (so a mistaken one gets a clear error later), a directory is
// walked recursively for importable and WARC files. The result is sorted.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (Importable(d.Name()) || IsWARC(d.Name())) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: unable to walk %s: %w", p, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// ReadPage reads one page file, refusing anything past limit bytes (of the
// file, and of its content once decompressed) without reading it all.
func ReadPage(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("is a directory")
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%w: %s, the limit is %s", ErrTooLarge, humanBytes(info.Size()), humanBytes(limit))
	}
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("not a gzip file: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	return ReadLimited(r, limit)
}

// ReadLimited reads r to its end, or fails once it passes limit bytes.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%w: more than %s once decompressed", ErrTooLarge, humanBytes(limit))
	}
	return buf.Bytes(), nil
}

// DefaultLimit is the largest page import reads.
const DefaultLimit = extract.MaxPageBytes

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
