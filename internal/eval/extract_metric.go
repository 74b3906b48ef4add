// Package eval measures newsdesk's stages against labelled corpora.
//
// Extraction scoring lives in the extract*.go files: the scrapinghub
// article-extraction-benchmark metric for sets with a full gold text, the
// trafilatura comparison's snippet metric for sets with "with"/"without"
// snippets, and exact-match rates for metadata.
package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shingleSize is the n of the benchmark's word n-grams.
const shingleSize = 4

// Tokens splits text into the benchmark's tokens: maximal runs of word
// characters, as Python's Unicode `\w+` finds them (letters, numbers and
// the underscore; combining marks end a token, as they do in Python).
func Tokens(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Shingles counts the overlapping shingleSize-grams of text's tokens. A
// text with fewer tokens than that gives one shorter shingle (none when it
// has no tokens), as the benchmark does.
func Shingles(text string) map[string]int {
	toks := Tokens(text)
	n := max(1, len(toks)-shingleSize+1)
	out := make(map[string]int, n)
	for i := 0; i < n; i++ {
		s := strings.Join(toks[i:min(len(toks), i+shingleSize)], " ")
		if s != "" {
			out[s]++
		}
	}
	return out
}

// Counts is one page's shingle agreement between a prediction and the gold
// text: true positives, false positives and false negatives.
type Counts struct {
	TP, FP, FN int
}

// CompareText counts shingle agreement between gold and predicted text.
func CompareText(gold, pred string) Counts {
	g, p := Shingles(gold), Shingles(pred)
	var c Counts
	for s, ng := range g {
		np := p[s]
		c.TP += min(ng, np)
		c.FN += max(0, ng-np)
	}
	for s, np := range p {
		c.FP += max(0, np-g[s])
	}
	return c
}

// Precision is the page's precision; a page with nothing wrong scores 1
// and a page with no prediction and something to find scores 0.
func (c Counts) Precision() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP+c.FP == 0:
		return 0
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is the page's recall, with the same conventions as Precision.
func (c Counts) Recall() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP+c.FN == 0:
		return 0
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// F1 is the page's harmonic mean of precision and recall.
func (c Counts) F1() float64 { return f1(c.Precision(), c.Recall()) }

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Score is a set's precision, recall and F1.
type Score struct {
	Pages     int     `json:"pages"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Aggregate is the benchmark's set score. Every page weighs the same (its
// counts are normalised by their sum, which leaves its precision and
// recall unchanged); precision is the mean over the pages that predicted
// something (TP+FP > 0), recall the mean over the pages with gold text
// (TP+FN > 0), as the benchmark's evaluate.py computes them; F1 is the
// harmonic mean of the two means.
func Aggregate(pages []Counts) Score {
	s := Score{Pages: len(pages)}
	var np, nr int
	for _, c := range pages {
		if c.TP+c.FP > 0 {
			s.Precision += c.Precision()
			np++
		}
		if c.TP+c.FN > 0 {
			s.Recall += c.Recall()
			nr++
		}
	}
	if np > 0 {
		s.Precision /= float64(np)
	}
	if nr > 0 {
		s.Recall /= float64(nr)
	}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}
