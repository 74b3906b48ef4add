package eval

import (
	"sort"
	"strings"
	"time"
	"unicode"
)

// SnippetCounts tallies a snippet-set page: wanted snippets found (TP) or
// missed (FN), unwanted snippets found (FP) or absent (TN).
type SnippetCounts struct {
	TP, FN, FP, TN int
}

// CompareSnippets scores text the way the trafilatura comparison does: a
// snippet is present when it is a substring of the output, unchanged.
func CompareSnippets(text string, with, without []string) SnippetCounts {
	var c SnippetCounts
	for _, s := range with {
		if text != "" && strings.Contains(text, s) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range without {
		if text != "" && strings.Contains(text, s) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

func (c *SnippetCounts) add(o SnippetCounts) {
	c.TP += o.TP
	c.FN += o.FN
	c.FP += o.FP
	c.TN += o.TN
}

// Score is the set score over all snippets: P = TP/(TP+FP),
// R = TP/(TP+FN), F = 2PR/(P+R).
func (c SnippetCounts) Score(pages int) Score {
	s := Score{Pages: pages}
	if c.TP+c.FP > 0 {
		s.Precision = float64(c.TP) / float64(c.TP+c.FP)
	}
	if c.TP+c.FN > 0 {
		s.Recall = float64(c.TP) / float64(c.TP+c.FN)
	}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}

// Prediction is what an extractor made of one page.
type Prediction struct {
	Text   string
	Title  string
	Byline string
	Date   time.Time // zero when none was found
}

// PageResult is one page's prediction and its score.
type PageResult struct {
	Page     *ExtractPage
	Pred     Prediction
	Err      error
	Duration time.Duration
	Counts   Counts        // FullText sets
	Snippets SnippetCounts // Snippets sets
}

// F1 is the page's score, for sorting the worst pages first.
func (r PageResult) F1() float64 {
	if r.Page.With != nil || r.Page.Without != nil {
		return r.Snippets.Score(1).F1
	}
	return r.Counts.F1()
}

// MetaRate is the exact-match rate of one metadata field over the pages
// whose gold gives it.
type MetaRate struct {
	Matched int     `json:"matched"`
	Pages   int     `json:"pages"`
	Rate    float64 `json:"rate"`
}

// ExtractReport is one extractor's score on one set.
type ExtractReport struct {
	Score
	Kind     ExtractKind         `json:"kind"`
	Errors   int                 `json:"errors"`
	Snippets *SnippetCounts      `json:"snippets,omitempty"`
	Meta     map[string]MetaRate `json:"metadata,omitempty"`
	Elapsed  time.Duration       `json:"-"`
	Results  []PageResult        `json:"-"`
}

// ScorePage fills in r's counts from its prediction.
func ScorePage(kind ExtractKind, r *PageResult) {
	if kind == Snippets {
		r.Snippets = CompareSnippets(r.Pred.Text, r.Page.With, r.Page.Without)
		return
	}
	r.Counts = CompareText(r.Page.Gold, r.Pred.Text)
}

// Report scores a set's page results: the main score, metadata match rates
// and the error count. Results must already be scored by ScorePage.
func Report(kind ExtractKind, results []PageResult) ExtractReport {
	rep := ExtractReport{Kind: kind, Results: results, Meta: map[string]MetaRate{}}
	var counts []Counts
	var snip SnippetCounts
	for _, r := range results {
		if r.Err != nil {
			rep.Errors++
		}
		counts = append(counts, r.Counts)
		snip.add(r.Snippets)
		rep.Elapsed += r.Duration
		g := r.Page.Meta
		if g.Title != "" {
			rep.Meta["title"] = tally(rep.Meta["title"], TitleMatches(g.Title, r.Pred.Title))
		}
		if len(g.Authors) > 0 {
			rep.Meta["author"] = tally(rep.Meta["author"], AuthorsMatch(g.Authors, r.Pred.Byline))
		}
		if g.Date != "" {
			rep.Meta["date"] = tally(rep.Meta["date"], DateMatches(g.Date, r.Pred.Date))
		}
	}
	if kind == Snippets {
		rep.Score = snip.Score(len(results))
		rep.Snippets = &snip
	} else {
		rep.Score = Aggregate(counts)
	}
	return rep
}

func tally(m MetaRate, ok bool) MetaRate {
	m.Pages++
	if ok {
		m.Matched++
	}
	m.Rate = float64(m.Matched) / float64(m.Pages)
	return m
}

// Worst returns the n pages with the lowest score, worst first.
func (rep ExtractReport) Worst(n int) []PageResult {
	rs := append([]PageResult(nil), rep.Results...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].F1() < rs[j].F1() })
	return rs[:min(n, len(rs))]
}

// normSpace collapses runs of white space to one space and trims.
func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// TitleMatches is exact match after white space is collapsed.
func TitleMatches(gold, pred string) bool {
	return normSpace(gold) != "" && normSpace(gold) == normSpace(pred)
}

// AuthorsMatch compares the gold author list with a byline as a set of
// names: split on ";", ",", "&" and " and ", white space collapsed, case
// ignored, a leading "By"/"Par"/"Von"/"Por" dropped.
func AuthorsMatch(gold []string, byline string) bool {
	g := authorSet(strings.Join(gold, ";"))
	p := authorSet(byline)
	if len(g) == 0 || len(g) != len(p) {
		return false
	}
	for name := range g {
		if !p[name] {
			return false
		}
	}
	return true
}

func authorSet(s string) map[string]bool {
	s = strings.NewReplacer(",", ";", "&", ";", " and ", ";", "|", ";").Replace(s)
	out := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		name := strings.ToLower(normSpace(part))
		for _, prefix := range []string{"by ", "par ", "von ", "por ", "door ", "di "} {
			name = strings.TrimPrefix(name, prefix)
		}
		name = strings.TrimFunc(name, func(r rune) bool { return !unicode.IsLetter(r) })
		if name != "" && name != "by" {
			out[name] = true
		}
	}
	return out
}

// DateMatches compares the calendar day: the gold string's YYYY-MM-DD
// prefix against the predicted time in its own zone.
func DateMatches(gold string, pred time.Time) bool {
	gold = strings.TrimSpace(gold)
	if len(gold) < 10 || pred.IsZero() {
		return false
	}
	return gold[:10] == pred.Format("2006-01-02")
}

// ScoreReference scores another tool's published outputs (page id to
// text); a page the file lacks counts as an empty prediction.
func ScoreReference(set *ExtractSet, ref map[string]string) ExtractReport {
	results := make([]PageResult, len(set.Pages))
	for i := range set.Pages {
		results[i] = PageResult{Page: &set.Pages[i], Pred: Prediction{Text: ref[set.Pages[i].ID]}}
		ScorePage(set.Kind, &results[i])
	}
	return Report(set.Kind, results)
}
