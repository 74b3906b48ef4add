package store

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxQueryWords bounds how many words of a search are used.
const MaxQueryWords = 12

// QueryWords splits a reader's search text into plain words: runs of
// letters and digits. Everything else, including any query syntax of a
// backend, is a separator. Invalid UTF-8 is dropped.
func QueryWords(text string) []string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	if len(words) > MaxQueryWords {
		words = words[:MaxQueryWords]
	}
	for i, w := range words {
		if len(w) > 64 {
			words[i] = w[:64]
			for !utf8.ValidString(words[i]) {
				words[i] = words[i][:len(words[i])-1]
			}
		}
	}
	return words
}

// SplitMarks removes open/close markers from s and returns the plain text
// with the byte ranges the markers enclosed.
func SplitMarks(s, open, close string) (string, [][2]int) {
	var b strings.Builder
	var marks [][2]int
	start := -1
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, open):
			start = b.Len()
			s = s[len(open):]
		case strings.HasPrefix(s, close):
			if start >= 0 {
				marks = append(marks, [2]int{start, b.Len()})
			}
			start = -1
			s = s[len(close):]
		default:
			_, n := utf8.DecodeRuneInString(s)
			b.WriteString(s[:n])
			s = s[n:]
		}
	}
	return b.String(), marks
}

// The cost of a search follows the page asked for, not the number of
// articles that match: a common word matches most of a large newsroom.
//
// Hits come in one order that does not depend on the page asked for, so
// paging is stable: the SearchWindow newest matches (by the time articles
// are listed under), ranked by text relevance and age
// (see SearchHalfLife); then every older match, newest
// first. A query with fewer matches than the window is ranked whole.
const SearchWindow = 1000

// SearchTotalCap is how far a search counts its matches: the window, so
// that the count costs nothing more than ranking it. A store returns the
// exact number up to it, and SearchTotalCap+1 beyond.
const SearchTotalCap = SearchWindow

// SearchHalfLife is how fast a match's weight falls with its age: an
// article SearchHalfLife older than another needs twice its text
// relevance to come first. A match's score is its relevance times
// 2^(-age/SearchHalfLife), its age counted from the newest match in the
// window; the order this gives does not depend on that origin.
const SearchHalfLife = 30 * 24 * time.Hour

// SearchCandidate is a match in a search's window: the article, its text
// relevance (higher is better) and the time it is listed under.
type SearchCandidate struct {
	ID        int64
	Relevance float64
	At        time.Time
}

// RankCandidates sorts a search's window best first by score, ties newer
// first, then by higher ID, and returns each candidate's score in that
// order. Scores are compared as logarithms, so a match years old still
// orders by its relevance among its peers.
func RankCandidates(c []SearchCandidate) []float64 {
	if len(c) == 0 {
		return nil
	}
	newest := c[0].At
	for _, x := range c {
		if x.At.After(newest) {
			newest = x.At
		}
	}
	logScore := func(x SearchCandidate) float64 {
		return math.Log2(max(x.Relevance, 1e-12)) - newest.Sub(x.At).Hours()/SearchHalfLife.Hours()
	}
	sort.Slice(c, func(i, j int) bool {
		si, sj := logScore(c[i]), logScore(c[j])
		switch {
		case si != sj:
			return si > sj
		case !c[i].At.Equal(c[j].At):
			return c[i].At.After(c[j].At)
		}
		return c[i].ID > c[j].ID
	})
	out := make([]float64, len(c))
	for i, x := range c {
		out[i] = math.Exp2(logScore(x))
	}
	return out
}

// MoreHits reports whether a search's total means "more than
// SearchTotalCap".
func MoreHits(total int) bool { return total > SearchTotalCap }

// PrefixLast reports whether the last of a search's words (from
// QueryWords) also matches as the beginning of a longer word: when it has
// five letters or more, ending in a letter or one digit after letters.
// PostgreSQL's rule; SQLite has always taken three letters.
func PrefixLast(words []string) bool {
	if len(words) == 0 {
		return false
	}
	last := []rune(words[len(words)-1])
	n := len(last)
	return n >= 5 && unicode.IsLetter(last[n-2])
}

// Snippet picks the passage of text, about size words long, that holds
// the most of words (folded as FoldTokens does; the last also as a
// prefix when prefix is set), and returns it with the byte ranges of the
// matched words. A passage that does not begin or end the text is marked
// with " … ".
func Snippet(text string, words []string, prefix bool, size int) (string, [][2]int) {
	want := map[string]bool{}
	lastWord := ""
	for i, w := range words {
		for _, t := range FoldTokens(w) {
			want[t] = true
			if i == len(words)-1 {
				lastWord = t
			}
		}
	}
	type token struct {
		start, end int
		hit        bool
	}
	var toks []token
	inWord := false
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case word && !inWord:
			toks = append(toks, token{start: i})
		case !word && inWord:
			toks[len(toks)-1].end = i
		}
		inWord = word
	}
	if inWord {
		toks[len(toks)-1].end = len(text)
	}
	for i := range toks {
		f := strings.Join(FoldTokens(text[toks[i].start:toks[i].end]), "")
		toks[i].hit = want[f] || prefix && lastWord != "" && strings.HasPrefix(f, lastWord)
	}
	if len(toks) == 0 {
		return "", nil
	}
	best, bestN, n := 0, -1, 0
	for i := range toks {
		if toks[i].hit {
			n++
		}
		if i >= size && toks[i-size].hit {
			n--
		}
		if start := max(i-size+1, 0); n > bestN && (i >= size-1 || i == len(toks)-1) {
			best, bestN = start, n
		}
	}
	// Centre the matches in the passage.
	first, last := -1, -1
	for i := best; i < min(best+size, len(toks)); i++ {
		if toks[i].hit {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first >= 0 {
		best = max(min(first-(size-(last-first+1))/2, len(toks)-size), 0)
	}
	end := min(best+size, len(toks))
	var b strings.Builder
	if best > 0 {
		b.WriteString("… ")
	}
	var marks [][2]int
	from := toks[best].start
	for _, t := range toks[best:end] {
		if t.hit {
			b.WriteString(text[from:t.start])
			s := b.Len()
			b.WriteString(text[t.start:t.end])
			marks = append(marks, [2]int{s, b.Len()})
			from = t.end
		}
	}
	b.WriteString(text[from:toks[end-1].end])
	if end < len(toks) {
		b.WriteString(" …")
	}
	return b.String(), marks
}

// SearchPage cuts the page [offset, offset+limit) from a search's window,
// ranked by RankCandidates with scores, and says how many of the matches
// older than the window the page goes on with (olderLimit), after
// skipping olderSkip of them; more says whether any match is older.
func SearchPage(window []SearchCandidate, scores []float64, more bool, offset, limit int) (page []SearchCandidate, pageScores []float64, olderSkip, olderLimit int) {
	if offset < len(window) {
		end := min(offset+limit, len(window))
		page, pageScores = window[offset:end], scores[offset:end]
	}
	if rest := limit - len(page); rest > 0 && more {
		return page, pageScores, max(offset-len(window), 0), rest
	}
	return page, pageScores, 0, 0
}

// OlderScore is the score of a match past the window, on the window's
// scale: relevance halved for every SearchHalfLife it is older than
// newest, the window's newest match.
func OlderScore(c SearchCandidate, newest time.Time) float64 {
	return c.Relevance * math.Exp2(-newest.Sub(c.At).Hours()/SearchHalfLife.Hours())
}
