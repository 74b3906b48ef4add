package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdesk/newsdesk/internal/eval"
)

// extractRun is one extractor's (or reference file's) report on the set.
type extractRun struct {
	name string
	rep  eval.ExtractReport
	wall time.Duration
}

func evalExtract(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("eval extract", "", "Score main-text extraction on a labelled set: DIR/html/<id>.html[.gz] with\n"+
		"DIR/truth/<id>.txt (scored with the scrapinghub benchmark's shingle metric) or\n"+
		"DIR/truth/<id>.json with/without snippets (scored per snippet, as the\n"+
		"trafilatura comparison does). Title, author and date are scored as exact-match\n"+
		"rates where the set gives them. Several extractors run side by side with\n"+
		"--extractor ours,trafilatura-fallback,readability; the first is the headline.")
	corpus := fs.String("corpus", "", "extraction set directory (required), e.g. ../shared/corpus/extraction/scrapinghub")
	asJSON := fs.Bool("json", false, "print a JSON summary as the last line of stdout")
	reference := fs.String("reference", "", "score this published output file ({id: {\"articleBody\": ...}}) instead of running an extractor")
	perPage := fs.Bool("per-page", false, "list the worst pages of each extractor")
	worst := fs.Int("worst", 20, "how many pages --per-page lists")
	names := fs.String("extractor", "ours", "comma-separated extractors to run: "+strings.Join(eval.ExtractorNames(), ", "))
	save := fs.String("save", "", "write each extractor's text to DIR/<extractor>/<id>.txt for inspection")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "pages extracted in parallel")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *corpus == "" {
		return usagef("eval extract: --corpus DIR is required")
	}
	if fs.NArg() > 0 {
		return usagef("eval extract: unexpected arguments %q", fs.Args())
	}
	type named struct {
		name string
		ex   eval.Extractor
	}
	var chosen []named
	for _, name := range strings.Split(*names, ",") {
		name = strings.TrimSpace(name)
		ex, err := eval.ExtractorByName(name)
		if err != nil {
			return usagef("%v", err)
		}
		chosen = append(chosen, named{name, ex})
	}
	set, err := eval.LoadExtractSet(*corpus)
	if err != nil {
		return err
	}
	var runs []extractRun
	if *reference != "" {
		ref, err := eval.LoadReference(*reference)
		if err != nil {
			return err
		}
		runs = append(runs, extractRun{name: filepath.Base(*reference), rep: eval.ScoreReference(set, ref)})
	} else {
		// Side by side, page by page: see eval.RunExtractors.
		exs := make([]eval.Extractor, len(chosen))
		for i, c := range chosen {
			exs[i] = c.ex
		}
		progress := func(done int) {
			if done%100 == 0 || done == len(set.Pages) {
				fmt.Fprintf(e.stderr, "eval extract: %d/%d pages\n", done, len(set.Pages))
			}
		}
		start := time.Now()
		reps, err := eval.RunExtractors(ctx, set, exs, *workers, progress)
		if err != nil {
			return err
		}
		wall := time.Since(start)
		for i, c := range chosen {
			runs = append(runs, extractRun{name: c.name, rep: reps[i], wall: wall})
			if *save != "" {
				if err := saveTexts(filepath.Join(*save, c.name), reps[i]); err != nil {
					return err
				}
			}
		}
	}
	printExtractTable(e, set, runs)
	if *perPage {
		for _, r := range runs {
			printWorstPages(e, set, r, *worst)
		}
	}
	if *asJSON {
		return printExtractJSON(e, set, runs)
	}
	return nil
}

// saveTexts writes every page's predicted text to dir/<id>.txt.
func saveTexts(dir string, rep eval.ExtractReport) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("eval: unable to save texts: %w", err)
	}
	for _, r := range rep.Results {
		if err := os.WriteFile(filepath.Join(dir, r.Page.ID+".txt"), []byte(r.Pred.Text), 0o644); err != nil {
			return fmt.Errorf("eval: unable to save texts: %w", err)
		}
	}
	return nil
}

func printExtractTable(e *env, set *eval.ExtractSet, runs []extractRun) {
	metric := "scrapinghub shingle metric"
	if set.Kind == eval.Snippets {
		metric = "snippets, P=TP/(TP+FP) R=TP/(TP+FN)"
	}
	fmt.Fprintf(e.stdout, "set %s: %d pages, %s\n", set.Dir, len(set.Pages), metric)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tprecision\trecall\tf1\terrors\tpages/s/core\ttitle\tauthor\tdate\t")
	for _, r := range runs {
		rate := "-"
		if r.rep.Elapsed > 0 {
			rate = fmt.Sprintf("%.1f", float64(r.rep.Pages)/r.rep.Elapsed.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%d\t%s\t%s\t%s\t%s\t\n", r.name, r.rep.Precision, r.rep.Recall, r.rep.F1,
			r.rep.Errors, rate, metaCell(r.rep, "title"), metaCell(r.rep, "author"), metaCell(r.rep, "date"))
	}
	tw.Flush()
	if set.Kind == eval.Snippets {
		for _, r := range runs {
			if s := r.rep.Snippets; s != nil {
				fmt.Fprintf(e.stdout, "%s: TP %d FP %d FN %d TN %d\n", r.name, s.TP, s.FP, s.FN, s.TN)
			}
		}
	}
}

// metaCell shows a metadata exact-match rate and how many pages it is over.
func metaCell(rep eval.ExtractReport, field string) string {
	m, ok := rep.Meta[field]
	if !ok || m.Pages == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f/%d", m.Rate, m.Pages)
}

func printWorstPages(e *env, set *eval.ExtractSet, r extractRun, n int) {
	fmt.Fprintf(e.stdout, "\nworst %d pages for %s:\n", n, r.name)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, p := range r.rep.Worst(n) {
		detail := fmt.Sprintf("P %.3f R %.3f", p.Counts.Precision(), p.Counts.Recall())
		if set.Kind == eval.Snippets {
			s := p.Snippets
			detail = fmt.Sprintf("TP %d FP %d FN %d", s.TP, s.FP, s.FN)
		}
		errText := ""
		if p.Err != nil {
			errText = "error: " + p.Err.Error()
		}
		fmt.Fprintf(tw, "%.3f\t%s\t%s\t%s\t%s\n", p.F1(), detail, p.Page.ID, p.Page.URL, errText)
	}
	tw.Flush()
}

// extractSummary is the --json line: the first extractor's score at the
// top level, every extractor's under "compare".
type extractSummary struct {
	eval.Score
	Extractor string                   `json:"extractor"`
	Set       string                   `json:"set"`
	Kind      eval.ExtractKind         `json:"kind"`
	Errors    int                      `json:"errors"`
	PagesPerS float64                  `json:"pages_per_second_per_core,omitempty"`
	Metadata  map[string]eval.MetaRate `json:"metadata,omitempty"`
	Compare   []extractSummary         `json:"compare,omitempty"`
}

func summarize(set *eval.ExtractSet, r extractRun) extractSummary {
	s := extractSummary{Score: r.rep.Score, Extractor: r.name, Set: set.Dir, Kind: set.Kind,
		Errors: r.rep.Errors, Metadata: r.rep.Meta}
	if r.rep.Elapsed > 0 {
		s.PagesPerS = float64(r.rep.Pages) / r.rep.Elapsed.Seconds()
	}
	return s
}

func printExtractJSON(e *env, set *eval.ExtractSet, runs []extractRun) error {
	top := summarize(set, runs[0])
	if len(runs) > 1 {
		for _, r := range runs {
			top.Compare = append(top.Compare, summarize(set, r))
		}
	}
	b, err := json.Marshal(top)
	if err != nil {
		return fmt.Errorf("eval: unable to encode summary: %w", err)
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", b)
	return err
}
