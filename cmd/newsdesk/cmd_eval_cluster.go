package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/newsdesk/newsdesk/internal/eval"
	"github.com/newsdesk/newsdesk/internal/translate"
)

func evalCluster(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("eval cluster", "", "Stream a labelled JSON Lines corpus ({\"id\",\"cluster\",\"lang\",\"text\"} a line) in\n"+
		"file order through the story clusterer newsdesk runs in production, and print\n"+
		"pair-counting precision, recall and F1 against the gold \"cluster\" field.\n"+
		"Documents not in English are translated first (--translate=auto: when the\n"+
		"backend is available), as production clusters on translations.\n"+
		"With --orders N the stream also runs in N-1 seeded shuffled orders and the\n"+
		"mean and lowest F1 over all N are printed (an online clusterer's score moves\n"+
		"with the order of arrival); precision, recall and F1 stay the file order's.")
	docsPath := fs.String("docs", "", "corpus file, JSON Lines (required)")
	asJSON := fs.Bool("json", false, "print a JSON summary as the last line of stdout")
	mode := fs.String("translate", "auto", "translate non-English documents to English first: auto, yes or no")
	every := fs.Int("refine-every", 0, "run the clusterer's Refine after every N documents (default: the clusterer's)")
	threshold := fs.Float64("threshold", 0, "join threshold (default: the clusterer's)")
	orders := fs.Int("orders", 1, "also run N-1 shuffled orders and report mean and lowest F1 over the N")
	seed := fs.Uint64("seed", 1, "seed of the shuffled orders")
	tf := e.addTranslateFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *docsPath == "" {
		return usagef("eval cluster: --docs is required")
	}
	if *orders < 1 {
		return usagef("eval cluster: --orders must be at least 1, not %d", *orders)
	}
	switch *mode {
	case "auto", "yes", "no":
	default:
		return usagef("eval cluster: --translate must be auto, yes or no, not %q", *mode)
	}
	f, err := os.Open(*docsPath)
	if err != nil {
		return fmt.Errorf("eval cluster: %w", err)
	}
	docs, err := eval.ReadClusterDocs(f)
	f.Close()
	if err != nil {
		return err
	}
	opts := eval.ClusterOptions{RefineEvery: *every}
	opts.Story.Threshold = *threshold
	translated := false
	if *mode != "no" && needsTranslation(docs) {
		svc, closer, err := tf.service(e)
		if err == nil {
			defer closer.Close()
			_, err = svc.TranslateText(ctx, translate.Pair{From: "es", To: "en"}, "Hola.")
		}
		switch {
		case err != nil && *mode == "yes":
			return fmt.Errorf("eval cluster: translation backend unusable: %w", err)
		case err != nil:
			e.log.Warn("clustering untranslated: translation backend unusable", "err", err)
		default:
			translated = true
			opts.Translate = func(ctx context.Context, lang string, texts []string) ([]string, error) {
				out := make([]string, len(texts))
				start := time.Now()
				for i, t := range texts {
					s, err := svc.TranslateText(ctx, translate.Pair{From: lang, To: "en"}, t)
					if err != nil {
						return nil, err
					}
					out[i] = s
				}
				e.log.Info("translated", "lang", lang, "docs", len(texts), "seconds", time.Since(start).Seconds())
				return out, nil
			}
		}
	}
	start := time.Now()
	opts.Progress = func(n int) {
		if n%100 == 0 {
			e.log.Debug("clustered", "docs", n)
		}
	}
	runs, err := eval.ClusterOrders(ctx, docs, opts, *orders, *seed)
	if err != nil {
		return err
	}
	res := runs[0]
	elapsed := time.Since(start)
	fmt.Fprintf(e.stdout, "docs       %d\nstories    %d\nprecision  %.4f\nrecall     %.4f\nF1         %.4f\ntranslated %v\ntime       %.2fs\n",
		res.Docs, res.Stories, res.Precision, res.Recall, res.F1, translated, elapsed.Seconds())
	summary := struct {
		Docs      int      `json:"docs"`
		Stories   int      `json:"stories"`
		Precision float64  `json:"precision"`
		Recall    float64  `json:"recall"`
		F1        float64  `json:"f1"`
		Orders    int      `json:"orders,omitempty"`
		F1Mean    *float64 `json:"f1_mean,omitempty"`
		F1Min     *float64 `json:"f1_min,omitempty"`
	}{Docs: res.Docs, Stories: res.Stories, Precision: round4(res.Precision), Recall: round4(res.Recall), F1: round4(res.F1)}
	if len(runs) > 1 {
		sum, low := 0.0, 1.0
		for _, r := range runs {
			sum += r.F1
			low = min(low, r.F1)
		}
		mean, lowest := round4(sum/float64(len(runs))), round4(low)
		fmt.Fprintf(e.stdout, "orders     %d (file order and %d shuffles, seed %d)\nF1 mean    %.4f\nF1 lowest  %.4f\n", len(runs), len(runs)-1, *seed, mean, lowest)
		summary.Orders, summary.F1Mean, summary.F1Min = len(runs), &mean, &lowest
	}
	if *asJSON {
		b, _ := json.Marshal(summary)
		fmt.Fprintln(e.stdout, string(b))
	}
	return nil
}

func needsTranslation(docs []eval.ClusterDoc) bool {
	for _, d := range docs {
		if d.Lang != "" && d.Lang != "en" {
			return true
		}
	}
	return false
}

func round4(f float64) float64 { return float64(int64(f*10000+0.5)) / 10000 }
