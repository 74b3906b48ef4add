package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/newsdesk/newsdesk/internal/story"
)

// ClusterDoc is one line of a clustering corpus (JSON Lines): a document and
// its gold story.
type ClusterDoc struct {
	ID      string `json:"id"`
	Topic   string `json:"topic"`
	Cluster string `json:"cluster"`
	Lang    string `json:"lang"`
	Text    string `json:"text"`
}

// ClusterResult is the score of one clustering run. Precision, recall and
// F1 are pair-counting: a true positive is a pair of documents in the same
// gold story and the same predicted story.
type ClusterResult struct {
	Docs      int     `json:"docs"`
	Stories   int     `json:"stories"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// ClusterOptions configure ClusterEval.
type ClusterOptions struct {
	Story story.Options
	// Translate, when set, turns texts in language lang into English
	// before clustering, as production does. Nil clusters the original
	// texts.
	Translate func(ctx context.Context, lang string, texts []string) ([]string, error)
	// RefineEvery runs the clusterer's Refine after every so many
	// documents (default 500), as production's worker does on a timer,
	// and once at the end.
	RefineEvery int
	// Progress, when set, is called after every document.
	Progress func(done int)
}

// ReadClusterDocs reads a JSON Lines clustering corpus.
func ReadClusterDocs(r io.Reader) ([]ClusterDoc, error) {
	var docs []ClusterDoc
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var d ClusterDoc
		if err := json.Unmarshal([]byte(b), &d); err != nil {
			return nil, fmt.Errorf("eval: line %d: %w", line, err)
		}
		if d.Cluster == "" {
			return nil, fmt.Errorf("eval: line %d: no \"cluster\"", line)
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: unable to read documents: %w", err)
	}
	return docs, nil
}

// ClusterEval streams docs, in order, through the production clusterer and
// scores the stories it forms against the gold clusters. It returns the
// predicted story of each document beside the score.
func ClusterEval(ctx context.Context, docs []ClusterDoc, opts ClusterOptions) (ClusterResult, []int64, error) {
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	if opts.Translate != nil {
		byLang := map[string][]int{}
		for i, d := range docs {
			if d.Lang != "" && d.Lang != "en" {
				byLang[d.Lang] = append(byLang[d.Lang], i)
			}
		}
		for lang, idx := range byLang {
			in := make([]string, len(idx))
			for j, i := range idx {
				in[j] = docs[i].Text
			}
			out, err := opts.Translate(ctx, lang, in)
			if err != nil {
				return ClusterResult{}, nil, fmt.Errorf("eval: unable to translate %s documents: %w", lang, err)
			}
			for j, i := range idx {
				texts[i] = out[j]
			}
		}
	}
	c := story.New(opts.Story)
	pred := make([]int64, len(docs))
	every := opts.RefineEvery
	if every <= 0 {
		every = 500
	}
	for i := range docs {
		if err := ctx.Err(); err != nil {
			return ClusterResult{}, nil, err
		}
		a := c.Add(story.Article{ID: int64(i + 1), Features: story.Extract("", texts[i])})
		pred[i] = a.Story
		if (i+1)%every == 0 {
			for _, m := range c.Refine() {
				pred[m.Article-1] = m.To
			}
		}
		if opts.Progress != nil {
			opts.Progress(i + 1)
		}
	}
	for _, m := range c.Refine() {
		pred[m.Article-1] = m.To
	}
	gold := make([]string, len(docs))
	for i, d := range docs {
		gold[i] = d.Cluster
		pred[i] = c.Resolve(pred[i])
	}
	res := PairScore(gold, pred)
	return res, pred, nil
}

// PairScore computes pair-counting precision, recall and F1 of a predicted
// clustering against gold labels (one of each per document).
func PairScore[G, P comparable](gold []G, pred []P) ClusterResult {
	type cell struct {
		g G
		p P
	}
	gs, ps, cs := map[G]int{}, map[P]int{}, map[cell]int{}
	for i := range gold {
		gs[gold[i]]++
		ps[pred[i]]++
		cs[cell{gold[i], pred[i]}]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, predPairs, goldPairs float64
	for _, n := range cs {
		tp += pairs(n)
	}
	for _, n := range ps {
		predPairs += pairs(n)
	}
	for _, n := range gs {
		goldPairs += pairs(n)
	}
	r := ClusterResult{Docs: len(gold), Stories: len(ps)}
	// no predicted pairs: nothing claimed, nothing wrong
	r.Precision = 1
	if predPairs > 0 {
		r.Precision = tp / predPairs
	}
	r.Recall = 1
	if goldPairs > 0 {
		r.Recall = tp / goldPairs
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	return r
}
