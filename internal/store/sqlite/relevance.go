package sqlite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/store"
)

// A search ranks its window here rather than with FTS5's bm25(): bm25
// weighs each word by how rare it is in the whole index, and counts that
// on every query by reading every match of every word, which costs
// seconds for a word most articles have. Within one search every
// candidate holds every word, so the ranking below does without: per
// word, BM25's saturating term frequency over the title (weighing 8) and
// the text, normalised by length against the window's mean, summed over
// the words. PostgreSQL's ts_rank does without word rarity too.

// termCounts is what the ranking needs of one candidate.
type termCounts struct {
	tf     []float64 // per query word, title occurrences weighing 8
	length float64   // in words, title words weighing 8
}

const (
	titleWeight = 8
	bm25K1      = 1.2
	bm25B       = 0.75
)

// termCounter counts a search's words in candidates' title and text,
// folded as the index folds them (lower case, accents removed).
type termCounter struct {
	index  map[string]int
	last   string // the last word, which also matches as a prefix
	nWords int
	buf    []byte
}

func newTermCounter(words []string) *termCounter {
	tc := &termCounter{index: map[string]int{}}
	for _, w := range words {
		f := strings.Join(store.FoldTokens(w), "")
		if _, ok := tc.index[f]; !ok && f != "" {
			tc.index[f] = tc.nWords
			tc.nWords++
		}
		tc.last = f
	}
	if !prefixLast(words) {
		tc.last = ""
	}
	return tc
}

// counts counts the search's words in an article's title, text and the
// text of its translations (trans). A word found in a translation counts
// as one in the text; the length is the original's, so a translated
// article is not ranked below the same article untranslated.
func (tc *termCounter) counts(title, text, trans string) termCounts {
	c := termCounts{tf: make([]float64, tc.nWords)}
	c.length = titleWeight*tc.add(title, c.tf, titleWeight) + tc.add(text, c.tf, 1)
	if trans != "" {
		tc.add(trans, c.tf, 1)
	}
	return c
}

// add counts s's words into tf with weight w and returns how many words
// s has.
func (tc *termCounter) add(s string, tf []float64, w float64) float64 {
	n := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		start, ascii := i, true
		for i < len(s) {
			r, size := rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
				ascii = false
			}
			if !isWordRune(r) {
				break
			}
			i += size
		}
		n++
		tc.buf = tc.buf[:0]
		if ascii {
			for j := start; j < i; j++ {
				b := s[j]
				if 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				tc.buf = append(tc.buf, b)
			}
		} else {
			for _, t := range store.FoldTokens(s[start:i]) {
				tc.buf = append(tc.buf, t...)
			}
		}
		if k, ok := tc.index[string(tc.buf)]; ok {
			tf[k] += w
		} else if tc.last != "" && strings.HasPrefix(string(tc.buf), tc.last) {
			tf[tc.index[tc.last]] += w
		}
	}
	return float64(n)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// all reports whether every word of the search was found.
func (c termCounts) all() bool {
	for _, f := range c.tf {
		if f == 0 {
			return false
		}
	}
	return true
}

// relevance scores each candidate, higher is better.
func relevance(docs []termCounts) []float64 {
	out := make([]float64, len(docs))
	if len(docs) == 0 {
		return out
	}
	avg := 0.0
	for _, d := range docs {
		avg += d.length
	}
	avg = max(avg/float64(len(docs)), 1)
	for i, d := range docs {
		norm := bm25K1 * (1 - bm25B + bm25B*d.length/avg)
		for _, f := range d.tf {
			out[i] += f * (bm25K1 + 1) / (f + norm)
		}
	}
	return out
}
