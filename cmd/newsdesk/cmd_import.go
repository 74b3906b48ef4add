package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("import", "PATH...", "Imports .html, .htm and .html.gz files (directories are walked recursively) and\n.warc/.warc.gz archives: each page is decoded, its article extracted and stored.\nRe-importing an unchanged page changes nothing; a changed page is updated.")
	c := e.addCommon(fs)
	workers := fs.Int("workers", runtime.NumCPU(), "pages processed at once")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("import: give at least one file or directory")
	}
	for _, arg := range fs.Args() {
		if u, err := url.Parse(arg); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return usagef("import reads local files, directories and WARC archives, not %s: to collect from the web, add it as a source (newsdesk sources add %s) and collect it now (newsdesk sources poll %s)", arg, arg, arg)
		}
	}
	files, err := ingest.Files(fs.Args())
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	// the story writer works while pages come in (when no other process
	// holds its lease); Finish waits for the last of them
	proc, stopPipeline, err := startPipeline(ctx, e, st)
	if err != nil {
		return err
	}
	defer stopPipeline()
	sum := importFiles(ctx, e, proc, files, max(*workers, 1))
	if ctx.Err() != nil {
		sum.print(e.stdout)
		return fmt.Errorf("import interrupted after %d of %d files: %w", sum.done(), len(files), ctx.Err())
	}
	if err := proc.Finish(ctx); err != nil {
		sum.print(e.stdout)
		return fmt.Errorf("import: stories: %w", err)
	}
	sum.print(e.stdout)
	if len(sum.failures) > 0 {
		return errPartial
	}
	return nil
}

type failure struct{ file, reason string }

type importSummary struct {
	mu                                  sync.Mutex
	imported, updated, unchanged, pages int
	failures                            []failure
	elapsed                             time.Duration
}

func (s *importSummary) done() int {
	return s.imported + s.updated + s.unchanged + len(s.failures)
}

func (s *importSummary) record(file string, out store.Outcome, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages++
	if err != nil {
		s.failures = append(s.failures, failure{file, err.Error()})
		return
	}
	switch out {
	case store.Inserted:
		s.imported++
	case store.Updated:
		s.updated++
	case store.Unchanged:
		s.unchanged++
	}
}

func (s *importSummary) print(w io.Writer) {
	fmt.Fprintf(w, "imported %d, updated %d, unchanged %d, failed %d (%s)\n",
		s.imported, s.updated, s.unchanged, len(s.failures), s.elapsed.Round(time.Millisecond))
	sort.Slice(s.failures, func(i, j int) bool { return s.failures[i].file < s.failures[j].file })
	for _, f := range s.failures {
		fmt.Fprintf(w, "failed: %s: %s\n", f.file, f.reason)
	}
}

func importFiles(ctx context.Context, e *env, proc *pipeline.Processor, files []string, workers int) *importSummary {
	sum := &importSummary{}
	start := time.Now()
	prog := ingest.NewProgress(e.stderr, isTerminal(e.stderr), len(files), "import")
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				importOne(ctx, proc, path, sum)
				prog.Add(1)
			}
		}()
	}
feed:
	for _, f := range files {
		select {
		case jobs <- f:
		case <-ctx.Done():
			// Stop taking new files; the ones in flight finish and are stored.
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	prog.Finish()
	sum.elapsed = time.Since(start)
	return sum
}

func importOne(ctx context.Context, proc *pipeline.Processor, path string, sum *importSummary) {
	if ingest.IsWARC(path) {
		err := importWARC(ctx, path, func(url, ct string, raw []byte) error {
			res, err := proc.Process(context.WithoutCancel(ctx), pipeline.Page{Raw: raw, URL: url, ContentType: ct, CanonicalURL: ""})
			sum.record(path+" "+url, res.Outcome, err)
			return ctx.Err()
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			sum.record(path, 0, err)
		}
		return
	}
	raw, err := ingest.ReadPage(path, ingest.DefaultLimit)
	if err != nil {
		sum.record(path, 0, err)
		return
	}
	// In-flight work finishes even when shutdown was asked for: a page read
	// is a page stored.
	res, err := proc.Process(context.WithoutCancel(ctx), pipeline.Page{Raw: raw, URL: path})
	sum.record(path, res.Outcome, err)
}
