package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TermFreqs counts an article's words of four or more letters (numbers
// left out), folded the way both backends' full-text indexes fold them:
// diacritics removed, lower case. Title words count three times. Related
// coverage compares articles on these counts; keeping the one definition
// here is what makes SQLite and PostgreSQL relate the same articles.
func TermFreqs(title, text string) map[string]float64 {
	tf := map[string]float64{}
	add := func(s string, w float64) {
		for _, t := range FoldTokens(s) {
			if len([]rune(t)) >= 4 && !isDigits(t) {
				tf[t] += w
			}
		}
	}
	add(title, 3)
	add(text, 1)
	return tf
}

// FoldTokens splits s into lower-case, accent-free runs of letters and
// digits.
func FoldTokens(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
