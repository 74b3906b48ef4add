package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
)

func init() {
	register(command{name: "import", summary: "import local HTML files, directories and WARC archives", run: runImport})
}

// warcImporter, when set by the WARC support, calls each for every HTML
// response record of a WARC file.
var warcImporter func(ctx context.Context, path string, each func(url, contentType string, raw []byte) error) error

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
	files, err := ingest.Files(fs.Args())
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	proc := &pipeline.Processor{Store: st, Log: e.log, Stages: pipelineStages(ctx, e, st)}
	sum := importFiles(ctx, e, proc, files, max(*workers, 1))
	sum.print(e.stdout)
	if ctx.Err() != nil {
		return fmt.Errorf("import interrupted after %d of %d files: %w", sum.done(), len(files), ctx.Err())
	}
	if len(sum.failures) > 0 {
		return errPartial
	}
	return nil
}

// pipelineStages returns the later stages configured for this process.
// Stages register themselves through stageFactories from their own files.
func pipelineStages(ctx context.Context, e *env, st store.Store) []pipeline.Stage {
	var out []pipeline.Stage
	names := make([]string, 0, len(stageFactories))
	for n := range stageFactories {
		names = append(names, n)
	}
	// Known stages run in data-flow order (language before translation,
	// translation before what works on translations); any other after them.
	rank := func(n string) int {
		for i, k := range stageOrder {
			if k == n {
				return i
			}
		}
		return len(stageOrder)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		s, err := stageFactories[n](ctx, e, st)
		if err != nil {
			e.log.Warn("pipeline stage disabled", "stage", n, "err", err)
			continue
		}
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// stageOrder is the data-flow order of the stages this binary knows.
var stageOrder = []string{"lang", "translate", "enrich", "dedup", "story"}

// stageFactories build the optional pipeline stages (translation, stories
// ...). A factory returning nil, nil means "not configured".
var stageFactories = map[string]func(ctx context.Context, e *env, st store.Store) (pipeline.Stage, error){}

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
		if warcImporter == nil {
			sum.record(path, 0, errors.New("WARC archives are not supported by this build"))
			return
		}
		err := warcImporter(ctx, path, func(url, ct string, raw []byte) error {
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
