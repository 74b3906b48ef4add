package extract

import (
	"strings"
	"testing"
)

func TestDropCrossRefs(t *testing.T) {
	for in, want := range map[string]string{
		"hasta el 70% de sus retribuciones. (Ver nota aparte).":                                 "hasta el 70% de sus retribuciones.",
		"the council voted (see related story) on Monday.":                                      "the council voted on Monday.",
		"el presidente (Alberto Fernández) habló.":                                              "el presidente (Alberto Fernández) habló.",
		"una cifra (ver más abajo los detalles de la votación en cada provincia del país) alta": "una cifra (ver más abajo los detalles de la votación en cada provincia del país) alta",
		"sin paréntesis (": "sin paréntesis (",
	} {
		if got := dropCrossRefs(in); got != want {
			t.Errorf("dropCrossRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

// A label left alone once its link list went ("More:") is furniture; a
// sentence that starts with the word is not.
func TestLoneLabel(t *testing.T) {
	for text, want := range map[string]bool{
		"More:":                          true,
		"Más:":                           true,
		"More: the council said no.":     false,
		"More than 500 migrants crossed": false,
	} {
		b := block{text: text, words: len(strings.Fields(text))}
		if got := furniture(b) != ""; got != want {
			t.Errorf("furniture(%q) = %v, want %v", text, got, want)
		}
	}
}
