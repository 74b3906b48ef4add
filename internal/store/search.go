package store

import (
	"strings"
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
