package eval

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Extractor turns one page's raw bytes into a prediction. pageURL is the
// page's address when the set knows it, "" otherwise.
type Extractor func(raw []byte, pageURL string) (Prediction, error)

// RunExtract runs ex over every page of set with the given number of
// workers, scores each page and returns the report. A page whose extractor
// fails scores as an empty prediction and counts in Errors. progress, when
// not nil, is called after each page with the number done.
func RunExtract(ctx context.Context, set *ExtractSet, ex Extractor, workers int, progress func(done int)) (ExtractReport, error) {
	reps, err := RunExtractors(ctx, set, []Extractor{ex}, workers, progress)
	if err != nil {
		return ExtractReport{}, err
	}
	return reps[0], nil
}

func runPage(p *ExtractPage, kind ExtractKind, ex Extractor) (r PageResult) {
	r.Page = p
	raw, err := p.ReadHTML()
	if err != nil {
		r.Err = err
		ScorePage(kind, &r)
		return r
	}
	defer func() {
		// One page's panic in a third-party extractor must not end the run.
		if v := recover(); v != nil {
			r.Err = fmt.Errorf("eval: extractor panicked on %s: %v", p.ID, v)
			r.Pred = Prediction{}
			ScorePage(kind, &r)
		}
	}()
	start := time.Now()
	r.Pred, r.Err = ex(raw, p.URL)
	r.Duration = time.Since(start)
	if r.Err != nil {
		r.Pred = Prediction{}
	}
	ScorePage(kind, &r)
	return r
}

// RunExtractors runs several extractors over set side by side and returns
// one report per extractor, in the order given. Every page is read by each
// extractor in turn, the first one changing from page to page, so that a
// machine whose load changes during the run slows them all alike and their
// pages per second compare fairly.
func RunExtractors(ctx context.Context, set *ExtractSet, exs []Extractor, workers int, progress func(done int)) ([]ExtractReport, error) {
	workers = max(1, workers)
	results := make([][]PageResult, len(exs))
	for i := range results {
		results[i] = make([]PageResult, len(set.Pages))
	}
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				for k := range exs {
					e := (i + k) % len(exs)
					results[e][i] = runPage(&set.Pages[i], set.Kind, exs[e])
				}
				if progress != nil {
					mu.Lock()
					done++
					progress(done)
					mu.Unlock()
				}
			}
		}()
	}
	var err error
feed:
	for i := range set.Pages {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("eval: extraction interrupted: %w", err)
	}
	reps := make([]ExtractReport, len(exs))
	for i := range exs {
		reps[i] = Report(set.Kind, results[i])
	}
	return reps, nil
}
