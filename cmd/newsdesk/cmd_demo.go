package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("demo", "", "Creates a fresh database in a temporary directory, imports the bundled sample of\nreal news pages (English and Spanish; see internal/demo/NOTICE), then serves the site.\nThe database is removed on exit unless --keep.")
	var sf serveFlags
	addServeFlags(e, &sf, fs)
	logFormat := fs.String("log-format", "auto", "log format: auto, text or json")
	keep := fs.Bool("keep", false, "keep the demo database after exit (its path is printed)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(&commonFlags{logFormat: *logFormat}); err != nil {
		return err
	}
	sf.noCollect = true // the demo has no sources to collect from
	// the port first: a taken one fails now, not after the import
	var err error
	if sf.ln, err = listen(sf.addr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer sf.ln.Close()
	dir, err := os.MkdirTemp("", "newsdesk-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	dbPath := filepath.Join(dir, "newsdesk.db")
	st, err := openStore(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := importDemo(ctx, e, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: imported %d bundled articles into %s\n", n, dbPath)
	return serve(ctx, e, st, sf, func(url string) {
		fmt.Fprintf(e.stdout, "demo: newsdesk is running at %s (Ctrl-C to stop)\n", url)
	})
}

// importDemo runs the bundled pages through the same pipeline as import.
func importDemo(ctx context.Context, e *env, st store.Store) (int, error) {
	pages, err := demo.Pages()
	if err != nil {
		return 0, err
	}
	proc, err := newPipeline(ctx, e, st)
	if err != nil {
		return 0, err
	}
	defer proc.Close()
	n := 0
	for _, p := range pages {
		raw, err := demo.Read(p)
		if err != nil {
			return n, err
		}
		if _, err := proc.Process(ctx, pipeline.Page{Raw: raw, URL: p.URL, CanonicalURL: p.URL}); err != nil {
			e.log.Warn("demo page not imported", "file", p.File, "err", err)
			continue
		}
		n++
	}
	return n, proc.Finish(ctx)
}
