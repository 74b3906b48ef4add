package translate

import (
	"regexp"
	"strings"
)

// Words Apertium does not know come out in Spanish. Many are Latinate words
// with a regular English cognate (inhabilitación -> inhabilitation,
// desnuclearización -> denuclearization); spelling them the English way
// helps a reader more than the Spanish does. Only unknown words written in
// lower case are touched: capitalised ones are names.

var cognateEndings = []struct{ es, en string }{
	{"izaciones", "izations"}, {"ización", "ization"},
	{"ciones", "tions"}, {"ción", "tion"}, {"siones", "sions"}, {"sión", "sion"},
	{"idades", "ities"}, {"idad", "ity"}, {"dades", "ties"}, {"dad", "ty"},
	{"amente", "ally"}, {"mente", "ly"},
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

// cognate spells an unknown Spanish word the English way when its ending
// has a regular English counterpart; otherwise it returns the word.
func cognate(w string) string {
	for _, c := range cognateEndings {
		if strings.HasSuffix(w, c.es) && len(w) > len(c.es)+2 {
			stem := accentFolder.Replace(strings.TrimSuffix(w, c.es))
			return stem + c.en
		}
	}
	return w
}

// englishCognates rewrites the unknown lower-case words (marked *) of an
// Apertium answer.
func englishCognates(out string) string {
	return reUnknownLower.ReplaceAllStringFunc(out, func(m string) string {
		return "*" + cognate(m[1:])
	})
}
