package main

import (
	"context"
	"fmt"
	"os"

	"github.com/newsdesk/newsdesk/internal/feed"
)

// importWARC calls each for every 2xx HTML response record of a .warc or
// .warc.gz file (read with github.com/nlnwa/gowarc).
func importWARC(ctx context.Context, path string, each func(url, contentType string, raw []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = feed.ReadWARC(f, func(p feed.WARCPage) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return each(p.URL, p.ContentType, p.Body)
	})
	if err != nil {
		return fmt.Errorf("import: %s: %w", path, err)
	}
	return nil
}
