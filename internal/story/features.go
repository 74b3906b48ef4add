package story

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/charset"
	"golang.org/x/text/unicode/norm"
)

// Term kinds. A term is stored as a kind byte followed by its text, so that
// the word "may" and the month "May" never collide with a name.
const (
	kindWord   = 'w' // a stemmed content word
	kindName   = 'n' // a capitalised word or run of them (people, places, organisations)
	kindNumber = 'd' // a number of two or more digits (years, tolls, scores)
)

// stemLen is how many letters of a folded word are kept. Truncation is a
// crude but language-neutral stemmer: "facility"/"facilidad",
// "earthquake"/"earthquakes" and "arrested"/"arrests" meet, which an
// English-only suffix stripper would not give across languages.
var stemLen = 6

// Features are the terms of one article with their counts, as the clusterer
// compares them. They depend only on the text, so they can be computed
// once, stored, and fed to a Clusterer later.
type Features struct {
	Terms map[string]float32
	// Names lists the article's names (kindName terms without the prefix)
	// by first appearance, for summaries ("key people and places").
	Names []string
	// Offices are the single-holder offices the article names with
	// their holders: who held a post says when an event happened.
	Offices []Office
	// People are the one-word names in the article, kept when it names
	// an office (to see whether it names another holder of it too);
	// else nil.
	People []string
	// Dated is the date the article's opening gives (a dateline or a
	// dated address), the zero time when none: when the publication time
	// is unknown, it still says when the article was written.
	Dated time.Time
}

// Extract computes the features of an article's title and text. The text
// should be English where a translation exists (cross-lingual clustering
// works on translations); names, numbers and cognates still match without
// one.
func Extract(title, text string) Features {
	f := extractTerms(title, text)
	f.Dated = textDate(title, text)
	if f.Offices = offices(title, text); len(f.Offices) > 0 {
		f.People = namedWords(f.Names)
	}
	return f
}

// extractTerms is Extract without the offices, which summaries do not
// need and which cost a pass of the enrich package over the text.
func extractTerms(title, text string) Features {
	// a soft hyphen or zero-width space would cut a word in two
	title, text = charset.DropInvisible(title), charset.DropInvisible(text)
	f := Features{Terms: make(map[string]float32, 128)}
	seenName := map[string]bool{}
	add := func(kind byte, s string, w float32) {
		f.Terms[string(kind)+s] += w
	}
	// a headline in title case ("Lohan Checks Into Betty Ford") or in
	// capitals capitalises every word: there, a capitalised word is a
	// name only if the article also writes it capitalised in running text
	type line struct {
		toks   []token
		weight float32
		title  bool
	}
	var lines []line
	known := map[string]bool{}
	addLine := func(s string, weight float32) {
		toks := tokenize(s)
		title := isTitleCase(toks)
		if !title {
			for _, t := range toks {
				if t.capital && !t.sentenceStart {
					known[fold(t.text)] = true
				}
			}
		}
		lines = append(lines, line{toks, weight, title})
	}
	process := func(toks []token, weight float32, title bool) {
		if title {
			for i := range toks {
				toks[i].capital = toks[i].capital && known[fold(toks[i].text)]
			}
		}
		run := make([]string, 0, 4)
		flush := func() {
			if len(run) > 1 {
				name := strings.Join(run, " ")
				add(kindName, name, weight)
				if !seenName[name] {
					seenName[name] = true
					f.Names = append(f.Names, name)
				}
			}
			run = run[:0]
		}
		for i, t := range toks {
			if t.afterPunct {
				// "in Punta Arenas, Boric said": two names, not one
				flush()
			}
			if t.clock {
				flush()
				continue
			}
			if t.digits {
				flush()
				if len(t.text) >= 2 {
					add(kindNumber, t.text, weight)
				}
				continue
			}
			low := fold(t.text)
			stop := isStopword(low)
			if t.capital && !t.sentenceStart && !stop && utf8.RuneCountInString(low) >= 2 {
				add(kindName, low, weight)
				if !seenName[low] {
					seenName[low] = true
					f.Names = append(f.Names, low)
				}
				run = append(run, low)
			} else if t.capital && t.sentenceStart && !stop && i+1 < len(toks) && toks[i+1].capital && !toks[i+1].sentenceStart {
				// "Lindsay Lohan checked in": a sentence-initial word
				// followed by a capitalised one starts a name.
				run = append(run, low)
			} else {
				flush()
			}
			if stop || utf8.RuneCountInString(low) < 3 {
				continue
			}
			add(kindWord, stem(low), weight)
		}
		flush()
	}
	addLine(title, 2)
	// News is written as an inverted pyramid: the lead says which event
	// this is, later paragraphs bring background, often about an earlier
	// event of the same kind ("the second heist on the avenue since
	// 2008"). Lead words count double. A line that is only a link is not
	// prose and is skipped.
	words := 0
	for line := range strings.SplitSeq(text, "\n") {
		if isLinkLine(line) {
			continue
		}
		w := float32(1)
		if words < leadWords {
			w = 2
		}
		addLine(line, w)
		words += len(strings.Fields(line))
	}
	for _, l := range lines {
		process(l.toks, l.weight, l.title)
	}
	return f
}

// isTitleCase reports whether a line capitalises (nearly) every word, as
// headlines in title case or in capitals do: at least two words of four
// or more letters after the first that are not stopwords, and none of
// them in lower case (title case lowers only short function words).
func isTitleCase(toks []token) bool {
	n, lower := 0, 0
	for i, t := range toks {
		if i == 0 || t.digits || utf8.RuneCountInString(t.text) < 4 {
			continue
		}
		if isStopword(fold(t.text)) {
			continue
		}
		n++
		if !unicode.IsUpper([]rune(t.text)[0]) {
			lower++
		}
	}
	return n >= 2 && lower == 0
}

// leadWords is how many words of the text, counted by whole lines, make
// its lead.
const leadWords = 120

// isLinkLine reports whether line is a bare link (a source URL pasted
// into the text, however a converter spaced it: "http: / / www. ...").
func isLinkLine(line string) bool {
	s := strings.ToLower(strings.TrimSpace(line))
	return strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:") || strings.HasPrefix(s, "www.")
}

type token struct {
	text          string
	capital       bool // starts with an upper-case letter
	digits        bool // all digits
	sentenceStart bool // first word of a line or after . ! ? : or a quote
	afterPunct    bool // punctuation stands between it and the word before
	clock         bool // the hour or minutes of a clock time
}

// tokenize splits s into words and numbers, remembering which are
// capitalised and which start a sentence (where capitals say nothing).
func tokenize(s string) []token {
	var toks []token
	start, punct, clock := true, false, false
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			j := i
			allDigits := true
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					if !unicode.IsDigit(r2) {
						allDigits = false
					}
					j += sz
					continue
				}
				// a number keeps its decimal and thousands
				// separators: "5.6", "2,000"
				if allDigits && (r2 == '.' || r2 == ',') && j+sz < len(s) && s[j+sz] >= '0' && s[j+sz] <= '9' {
					j += sz
					continue
				}
				// keep apostrophes inside words ("O'Neal") and
				// drop possessive "'s" afterwards
				if (r2 == '\'' || r2 == '’') && j+sz < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+sz:])
					if unicode.IsLetter(r3) {
						j += sz
						continue
					}
				}
				break
			}
			w := s[i:j]
			if k := strings.LastIndexAny(w, "'’"); k > 0 {
				rest := strings.ToLower(w[k:])
				if rest == "'s" || rest == "’s" {
					w = w[:k]
				}
			}
			if allDigits && strings.ContainsAny(w, ".,") {
				w = normNumber(w)
			}
			// "8:20 a.m.", "2: 00pm": a clock time says when a page was
			// posted, not which event it reports; both halves are marked
			if n := len(toks); n > 0 && unicode.IsDigit(r) && toks[n-1].digits && colonBefore(s, i) {
				toks[n-1].clock = true
				clock = true
			}
			upper := unicode.IsUpper(r)
			// an all-capitals headline word is not a name by itself
			if upper && isAllUpper(w) && utf8.RuneCountInString(w) > 4 {
				upper = false
			}
			toks = append(toks, token{text: w, capital: upper, digits: allDigits, sentenceStart: start, afterPunct: punct, clock: clock})
			start, punct, clock = false, false, false
			i = j
			continue
		}
		switch r {
		case '.', '!', '?', ':', '\n', '"', '“', '”', '¿', '¡', '(', '|', '—', ';':
			start = true
		}
		if !unicode.IsSpace(r) && r != '-' && r != '‑' { // "Jean-Luc" stays one name
			punct = true
		}
		i += size
	}
	return toks
}

// colonBefore reports whether s[:i] ends in a colon, perhaps followed by
// spaces, right after a digit: the minutes of "8:20" or "8: 20".
func colonBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	return j >= 2 && s[j-1] == ':' && s[j-2] >= '0' && s[j-2] <= '9'
}

func isAllUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// fold lower-cases s and strips diacritics, so "Perú" meets "Peru" and a
// Spanish word meets its English cognate more often.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || (s[i] >= 'A' && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == '’' {
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func stem(w string) string {
	n := 0
	for i := range w {
		if n == stemLen {
			return w[:i]
		}
		n++
	}
	return w
}

// normNumber writes a number with separators one way whatever the
// language's convention: thousands groups lose their separators ("2,000",
// "2.000" → "2000"), a decimal part keeps a point ("5,6" → "5.6").
func normNumber(w string) string {
	last := strings.LastIndexAny(w, ".,")
	if len(w)-last-1 == 3 {
		return strings.NewReplacer(".", "", ",", "").Replace(w)
	}
	return strings.NewReplacer(".", "", ",", "").Replace(w[:last]) + "." + w[last+1:]
}
