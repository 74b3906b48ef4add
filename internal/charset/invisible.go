package charset

import "strings"

// Invisible reports whether r is a format character that pages put inside
// words: a soft hyphen (a hyphenation hint, "Vladi&shy;mir"), a zero-width
// space or joiner, or a byte order mark left mid-text.
func Invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// DropInvisible removes the Invisible characters from s. A browser shows
// the text the same without them; any other reader (a tokenizer, a
// translation engine) would otherwise see a word cut in two.
func DropInvisible(s string) string {
	if !strings.ContainsFunc(s, Invisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Invisible(r) {
			return -1
		}
		return r
	}, s)
}
