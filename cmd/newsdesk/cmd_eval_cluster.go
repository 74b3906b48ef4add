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

func init() { evalCommands["cluster"] = evalCluster }

func evalCluster(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("eval cluster", "", "Stream a labelled JSON Lines corpus ({\"id\",\"cluster\",\"lang\",\"text\"} a line) in\n"+
		"file order through the story clusterer newsdesk runs in production, and print\n"+
		"pair-counting precision, recall and F1 against the gold \"cluster\" field.\n"+
		"Documents not in English are translated first (--translate=auto: when the\n"+
		"backend is available), as production clusters on translations.")
	docsPath := fs.String("docs", "", "corpus file, JSON Lines (required)")
	asJSON := fs.Bool("json", false, "print a JSON summary as the last line of stdout")
	mode := fs.String("translate", "auto", "translate non-English documents to English first: auto, yes or no")
	every := fs.Int("refine-every", 0, "run the clusterer's Refine after every N documents (default: the clusterer's)")
	threshold := fs.Float64("threshold", 0, "join threshold (default: the clusterer's)")
	tf := e.addTranslateFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *docsPath == "" {
		return usagef("eval cluster: --docs is required")
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
	res, _, err := eval.ClusterEval(ctx, docs, opts)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(e.stdout, "docs       %d\nstories    %d\nprecision  %.4f\nrecall     %.4f\nF1         %.4f\ntranslated %v\ntime       %.2fs\n",
		res.Docs, res.Stories, res.Precision, res.Recall, res.F1, translated, elapsed.Seconds())
	if *asJSON {
		b, _ := json.Marshal(struct {
			Docs      int     `json:"docs"`
			Stories   int     `json:"stories"`
			Precision float64 `json:"precision"`
			Recall    float64 `json:"recall"`
			F1        float64 `json:"f1"`
		}{res.Docs, res.Stories, round4(res.Precision), round4(res.Recall), round4(res.F1)})
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
