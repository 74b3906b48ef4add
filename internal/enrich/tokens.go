package enrich

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/charset"
)

// token is a word or a punctuation mark of the text, with its byte offsets.
type token struct {
	s          string
	lower      string
	start, end int
	word       bool // letters or digits
	cap        bool // a word starting with an upper-case letter
	upper      bool // a word of two or more letters, all upper case
	sentStart  bool // the first word of a sentence, title or paragraph
	spaceAfter bool // only spaces (no line break) before the next token
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits text into words and marks. Joiners (- ' ’ . ,) stay
// inside a word when letters or digits surround them: "U.S", "2.2",
// "6,000", "O'Brien"; but "Mexico’s" is "Mexico" "’" "s".
func tokenize(text string) []token {
	var toks []token
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		start := i
		if isWordRune(r) {
			i += n
			for i < len(text) {
				r, n := utf8.DecodeRuneInString(text[i:])
				if isWordRune(r) {
					i += n
					continue
				}
				// a soft hyphen or zero-width character inside a word
				// ("Vladi&shy;mir") does not end it
				if charset.Invisible(r) {
					if next, _ := utf8.DecodeRuneInString(text[i+n:]); isWordRune(next) {
						i += n
						continue
					}
				}
				if r == '-' || r == '\'' || r == '’' || r == '.' || r == ',' {
					next, nn := utf8.DecodeRuneInString(text[i+n:])
					prev, _ := utf8.DecodeLastRuneInString(text[:i])
					ok := isWordRune(next)
					if r == ',' {
						ok = unicode.IsDigit(prev) && unicode.IsDigit(next)
					}
					if r == '.' && unicode.IsDigit(prev) != unicode.IsDigit(next) {
						ok = false
					}
					if (r == '\'' || r == '’') && (next == 's' || next == 'S') {
						after, _ := utf8.DecodeRuneInString(text[i+n+nn:])
						if !isWordRune(after) {
							ok = false
						}
					}
					if ok {
						i += n
						continue
					}
				}
				break
			}
		} else {
			i += n
		}
		s := charset.DropInvisible(text[start:i])
		t := token{s: s, lower: strings.ToLower(s), start: start, end: i}
		first, _ := utf8.DecodeRuneInString(s)
		t.word = isWordRune(first)
		if t.word {
			t.cap = unicode.IsUpper(first)
			t.upper = isUpperWord(s)
		}
		toks = append(toks, t)
	}
	for k := range toks {
		if k+1 < len(toks) {
			gap := text[toks[k].end:toks[k+1].start]
			toks[k].spaceAfter = !strings.ContainsAny(gap, "\n\r")
		}
	}
	markSentences(text, toks)
	return toks
}

func isUpperWord(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// markSentences sets sentStart on the first word of each sentence: after
// . ! ? : a line break or an opening quotation mark, unless the dot ends a
// known abbreviation.
func markSentences(text string, toks []token) {
	start := true
	for k := range toks {
		t := &toks[k]
		if k > 0 && strings.ContainsAny(text[toks[k-1].end:t.start], "\n\r") {
			start = true
		}
		if t.word {
			t.sentStart = start
			start = false
			continue
		}
		switch t.s {
		case ".":
			if k > 0 && toks[k-1].word && (abbreviations[toks[k-1].lower] || len(toks[k-1].s) == 1 && toks[k-1].cap) {
				continue
			}
			start = true
		case "!", "?", ":", "…", "“", "«", "\"", "„", "¿", "¡":
			start = true
		}
	}
}

// sentenceBounds returns the byte range of the sentence around offset at.
func sentenceBounds(text string, at int) (int, int) {
	s := at
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if r == '\n' || ((r == '.' || r == '!' || r == '?') && s < len(text) && text[s] == ' ' && !initialBefore(text, s-n)) {
			break
		}
		s -= n
	}
	e := at
	for e < len(text) {
		r, n := utf8.DecodeRuneInString(text[e:])
		if r == '\n' {
			break
		}
		e += n
		if (r == '.' || r == '!' || r == '?') && (e == len(text) || text[e] == ' ' || text[e] == '\n') {
			break
		}
	}
	return s, e
}

// initialBefore reports whether the dot at i ends an initial ("A.").
func initialBefore(text string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:i])
	if !unicode.IsUpper(r) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(text[:i-n])
	return i-n == 0 || !unicode.IsLetter(p)
}
