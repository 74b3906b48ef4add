package translate

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A word the engine does not know stays as the source wrote it, and a
// reader (or a screen reader) should know it is in the source language.
// The backend brackets such a word with two private-use runes, which
// travel through post-editing and the cache like any other character;
// HTML output turns them into <span lang="es">…</span>, plain text drops
// them.
const unknownOpen, unknownClose = '\uE010', '\uE011'

var (
	unknownStripper = strings.NewReplacer(string(unknownOpen), "", string(unknownClose), "")
	unknownSpanEnd  = strings.NewReplacer(string(unknownClose), "</span>")
)

// dropUnknownMarks removes the marks around unknown words.
func dropUnknownMarks(s string) string {
	if !strings.ContainsRune(s, unknownOpen) && !strings.ContainsRune(s, unknownClose) {
		return s
	}
	return unknownStripper.Replace(s)
}

// unknownSpans turns the marks of escaped HTML text into spans in lang;
// without a lang the marks are dropped.
func unknownSpans(escaped, lang string) string {
	if !strings.ContainsRune(escaped, unknownOpen) {
		return dropUnknownMarks(escaped)
	}
	if lang == "" {
		return dropUnknownMarks(escaped)
	}
	s := strings.ReplaceAll(escaped, string(unknownOpen), `<span lang="`+lang+`">`)
	return unknownSpanEnd.Replace(s)
}

// CountUnknown counts the words of a translated HTML body left in the
// source language: the spans in lang that Service marks.
func CountUnknown(bodyHTML, lang string) int {
	if lang == "" {
		return 0
	}
	return strings.Count(bodyHTML, `<span lang="`+lang+`">`)
}

// isWordRune says whether r continues a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-'
}

// appendUnknownOpen starts the mark of an unknown word in out.
func appendUnknownOpen(out []byte) []byte { return utf8.AppendRune(out, unknownOpen) }

// appendUnknownClose ends it.
func appendUnknownClose(out []byte) []byte { return utf8.AppendRune(out, unknownClose) }

// unmarkWords drops the marks around unknown words that are words of the
// target language all the same (words).
func unmarkWords(b []byte, words map[string]bool) []byte {
	if len(words) == 0 || !bytes.ContainsRune(b, unknownOpen) {
		return b
	}
	s := string(b)
	var out strings.Builder
	for {
		i := strings.IndexRune(s, unknownOpen)
		if i < 0 {
			break
		}
		j := strings.IndexRune(s[i:], unknownClose)
		if j < 0 {
			break
		}
		w := s[i+len(string(unknownOpen)) : i+j]
		out.WriteString(s[:i])
		if words[w] {
			out.WriteString(w)
		} else {
			out.WriteString(s[i : i+j+len(string(unknownClose))])
		}
		s = s[i+j+len(string(unknownClose)):]
	}
	out.WriteString(s)
	return []byte(out.String())
}
