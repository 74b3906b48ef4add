package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
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
	// documents (default story.DefaultRefineEvery, as the production
	// Tracker does), and once at the end.
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
	texts, err := clusterTexts(ctx, docs, opts)
	if err != nil {
		return ClusterResult{}, nil, err
	}
	return clusterStream(ctx, docs, texts, nil, opts)
}

// ClusterOrders runs ClusterEval's stream in n orders: the file's, then
// n-1 shuffles drawn from seed. An online clusterer decides with what has
// arrived, so its score moves with the order of arrival; the spread over
// orders says how much of a difference between two versions is the
// method and how much is the one order a corpus happens to have.
// Translation is done once.
func ClusterOrders(ctx context.Context, docs []ClusterDoc, opts ClusterOptions, n int, seed uint64) ([]ClusterResult, error) {
	texts, err := clusterTexts(ctx, docs, opts)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, uint64(len(docs))))
	out := make([]ClusterResult, 0, n)
	for k := 0; k < n; k++ {
		order := make([]int, len(docs))
		for i := range order {
			order[i] = i
		}
		if k > 0 {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		res, _, err := clusterStream(ctx, docs, texts, order, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// clusterTexts returns the text each document is clustered on: its
// English translation when opts.Translate is set and it is in another
// language, else the text itself.
func clusterTexts(ctx context.Context, docs []ClusterDoc, opts ClusterOptions) ([]string, error) {
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	if opts.Translate == nil {
		return texts, nil
	}
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
			return nil, fmt.Errorf("eval: unable to translate %s documents: %w", lang, err)
		}
		for j, i := range idx {
			texts[i] = out[j]
		}
	}
	return texts, nil
}

// clusterStream feeds the documents to a new clusterer in order (nil: file
// order) and scores the result; pred is indexed like docs.
func clusterStream(ctx context.Context, docs []ClusterDoc, texts []string, order []int, opts ClusterOptions) (ClusterResult, []int64, error) {
	if order == nil {
		order = make([]int, len(docs))
		for i := range order {
			order[i] = i
		}
	}
	c := story.New(opts.Story)
	pred := make([]int64, len(docs))
	every := opts.RefineEvery
	if every <= 0 {
		every = story.DefaultRefineEvery
	}
	for k, i := range order {
		if err := ctx.Err(); err != nil {
			return ClusterResult{}, nil, err
		}
		a := c.Add(story.Article{ID: int64(i + 1), Features: story.Extract("", texts[i])})
		pred[i] = a.Story
		if (k+1)%every == 0 {
			for _, m := range c.Refine() {
				pred[m.Article-1] = m.To
			}
		}
		if opts.Progress != nil {
			opts.Progress(k + 1)
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
	return PairScore(gold, pred), pred, nil
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
