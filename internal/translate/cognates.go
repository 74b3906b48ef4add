package translate

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"sync"
)

// Words Apertium does not know come out in Spanish. Many are Latinate words
// with a regular English cognate (inhabilitación -> inhabilitation,
// desnuclearización -> denuclearization); spelling them the English way
// helps a reader more than the Spanish does, but only when the spelling is
// an English word: the English word list (Debian's wamerican) says so.
// Only unknown words written in lower case are touched: capitalised ones
// are names.

var cognateEndings = []struct{ es, en string }{
	{"izaciones", "izations"}, {"ización", "ization"},
	{"ciones", "tions"}, {"ción", "tion"}, {"siones", "sions"}, {"sión", "sion"},
	{"idades", "ities"}, {"idad", "ity"}, {"dades", "ties"}, {"dad", "ty"},
	{"amente", "ally"}, {"amente", "ly"}, {"amente", "ously"}, {"mente", "ly"},
	{"ismos", "isms"}, {"ismo", "ism"}, {"istas", "ists"}, {"ista", "ist"},
	{"ícos", "ic"}, {"icos", "ic"}, {"ico", "ic"}, {"icas", "ic"}, {"ica", "ic"},
	{"osos", "ous"}, {"osas", "ous"}, {"oso", "ous"}, {"osa", "ous"},
	{"ivos", "ive"}, {"ivas", "ive"}, {"ivo", "ive"}, {"iva", "ive"},
	{"encias", "ences"}, {"encia", "ence"}, {"ancias", "ances"}, {"ancia", "ance"},
	{"izado", "ized"}, {"izada", "ized"}, {"izar", "ize"}, {"iza", "izes"},
	{"arios", "aries"}, {"ario", "ary"}, {"orios", "ories"}, {"orio", "ory"},
	{"ables", "able"}, {"ibles", "ible"},
}

var accentFolder = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n")

var reUnknownLower = regexp.MustCompile(`\*([a-záéíóúüñ]{5,})`)

// cognates are the English spellings an unknown Spanish word may have by
// its ending (and a des- prefix read as de-), most likely first.
func cognates(w string) []string {
	var out []string
	for _, c := range cognateEndings {
		if strings.HasSuffix(w, c.es) && len(w) > len(c.es)+2 {
			stem := accentFolder.Replace(strings.TrimSuffix(w, c.es))
			out = append(out, stem+c.en)
			if rest, ok := strings.CutPrefix(stem, "des"); ok {
				out = append(out, "de"+rest+c.en)
			}
		}
	}
	return out
}

// englishCognates rewrites the unknown lower-case words (marked *) of an
// Apertium answer whose cognate is an English word of words. A cognate
// that is no word ("equivocadally", "movilize") is never written: the
// word stays as the source wrote it.
func englishCognates(out string, words map[string]bool) string {
	if len(words) == 0 {
		return out
	}
	return reUnknownLower.ReplaceAllStringFunc(out, func(m string) string {
		for _, c := range cognates(m[1:]) {
			if words[c] || strings.HasSuffix(c, "s") && words[c[:len(c)-1]] {
				return "*" + c
			}
		}
		return m
	})
}

// EnglishWordLists are where Debian's wamerican-large and wamerican
// packages put their words, the larger first.
var EnglishWordLists = []string{"/usr/share/dict/american-english-large", "/usr/share/dict/american-english"}

// englishWords is the first English word list installed, or nil.
var englishWords = sync.OnceValue(func() map[string]bool {
	for _, f := range EnglishWordLists {
		if w := readWordList(f); w != nil {
			return w
		}
	}
	return nil
})

// readWordList reads a word list, one word a line; nil if it cannot.
func readWordList(path string) map[string]bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	words := make(map[string]bool, bytes.Count(b, []byte("\n")))
	for _, w := range strings.Split(string(b), "\n") {
		if w = strings.TrimSpace(w); w != "" {
			words[w] = true
		}
	}
	return words
}
