package audit

import (
	"strings"
	"testing"
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var testWords = map[string]map[string]bool{
	"en": wordSet("the president said that court does not impart justice in and his house vote votes read more share this with government of look another note"),
	"es": wordSet("el presidente dijo que la corte no imparte justicia en y su casa mañanera"),
}

// names stands for translate.NameRuns: the names of these tests.
func names(text, _ string) []string {
	var out []string
	for _, n := range []string{"Marcelino Iglesias", "Estados Unidos", "Gisela Riera", "GateHouse", "Juntos por el Cambio"} {
		if strings.Contains(text, n) {
			out = append(out, n)
		}
	}
	return out
}

func TestAuditCountsEachDefect(t *testing.T) {
	a := &Auditor{Words: testWords, Names: names,
		Conventional: func(from, to string, runs []string) map[string][]string {
			return map[string][]string{"Estados Unidos": {"United States"}}
		}}
	art := Article{
		ID: 1, Language: "es",
		Title: "El presidente dijo que Marcelino Iglesias vota en Estados Unidos",
		Text: "El presidente dijo que la corte no imparte justicia.\nMIRA | Otra nota\nFuente: EFE\n" +
			"Suscríbete a nuestro boletín\nEn su mañanera, Gisela Riera vota.",
		Translation: &Translation{
			Language: "en",
			Title:    "&#34;The president said that Marcelino Churches votes in United States&#34;",
			Text: "The president said that the court does not impart justice.Read more\nIt looks | Another note\n" +
				"In his mañanera, Gisela Riera votes with the governmentOmar and the presidentes.\nShare this",
			BodyHTML: "<p>listen r<b>esto</b></p>",
		},
	}
	got := a.Article(art).Counts
	want := Counts{
		Glued:        3, // "justice.Read", "governmentOmar", "r<b>e"
		Escaped:      2, // the two entities of the title
		Furniture:    5, // MIRA, Fuente, Suscríbete, It looks, Share this
		Untranslated: 1, // mañanera
		Invented:     1, // governmentomar ("presidentes" passes as a plural of a listed word)
		NamesTotal:   3, // Marcelino Iglesias, Estados Unidos, Gisela Riera
		NamesKept:    2, // Gisela Riera as written, Estados Unidos as United States
	}
	if got != want {
		t.Errorf("counts\n got %+v\nwant %+v\nexamples %q", got, want, a.Article(art).Examples)
	}
}

// A clean article counts nothing; brands written with a capital inside
// (repeated in the article) are not glued words.
func TestAuditCleanArticle(t *testing.T) {
	a := &Auditor{Words: testWords, Names: names}
	art := Article{ID: 2, Language: "es",
		Title: "El presidente dijo que GateHouse vota",
		Text:  "El presidente dijo que GateHouse vota en su casa.",
		Translation: &Translation{Language: "en",
			Title: `"The president said that GateHouse votes"`,
			Text:  "The president said that GateHouse votes in his house.",
		},
	}
	rep := a.Audit([]Article{art})
	if rep.Totals.Defects() || rep.Totals.NamesTotal != 1 || rep.NamesKeptShare != 1 || len(rep.Articles) != 1 {
		t.Errorf("clean article: %+v", rep)
	}
}

func TestFurnitureLines(t *testing.T) {
	for line, want := range map[string]bool{
		"MIRA | Kenji Fujimori: PJ concluye":               true,
		"Lea aquí: Operación Orión":                        true,
		"Lee más":                                          true,
		"[Image: a related story]":                         true,
		"El acuerdo se firmó (Ver nota aparte).":           true,
		"Facebook Twitter WhatsApp":                        true,
		"Source: Reuters":                                  true,
		"Con tu suscripción navegás sin límites":           true,
		"Mira, el presidente dijo que no.":                 false,
		"La fuente de la información es el ministerio.":    false,
		"El gobierno presentó su plan de salud para 2023.": false,
	} {
		if got := isFurniture(line); got != want {
			t.Errorf("isFurniture(%q) = %v", line, got)
		}
	}
}

// The particles of a name kept as written are not untranslated words; the
// same words outside the name are.
func TestAuditNameParticles(t *testing.T) {
	a := &Auditor{Words: testWords, Names: names}
	art := Article{ID: 3, Language: "es",
		Title: "Juntos por el Cambio vota",
		Text:  "Juntos por el Cambio vota en su casa.",
		Translation: &Translation{Language: "en",
			Title: "Juntos por el Cambio votes",
			Text:  "Juntos por el Cambio votes in his casa. Juntos por el Cambiocasa.",
		},
	}
	got := a.Article(art).Counts
	// casa, and the "por" of the copy glued to a word, which is no whole name
	if got.Untranslated != 2 || got.NamesKept != 1 || got.NamesTotal != 1 {
		t.Errorf("counts %+v, want casa and the glued copy's por untranslated, the name kept", got)
	}
}
