package enrich

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func person(r Result, name string) *news.Entity {
	for i, e := range r.Entities {
		if e.Kind == news.EntityPerson && (e.Name == name || contains(e.Aliases, name)) {
			return &r.Entities[i]
		}
	}
	return nil
}

func findEntity(r Result, kind news.EntityKind, name string) *news.Entity {
	for i, e := range r.Entities {
		if e.Kind == kind && (e.Name == name || contains(e.Aliases, name)) {
			return &r.Entities[i]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPeopleAndRoles(t *testing.T) {
	tests := []struct {
		name, text string
		person     string // fullest name expected
		role       string // "" = any
	}{
		{"en role before with comma", "They met the US Secretary of State, Antony Blinken, on Wednesday.", "Antony Blinken", "US Secretary of State"},
		{"en role before without comma", "He also spoke with the Mexican Secretary of Foreign Affairs Alicia Bárcena on Tuesday.", "Alicia Bárcena", "Mexican Secretary of Foreign Affairs"},
		{"en title inside run", "The delegation includes Secretary of Homeland Security Alejandro Mayorkas and others.", "Alejandro Mayorkas", "Secretary of Homeland Security"},
		{"en role before, semicolon", "The delegation includes the Secretary of Homeland Security, Alejandro Mayorkas; and others.", "Alejandro Mayorkas", "Secretary of Homeland Security"},
		{"en apposition after", "Antony Blinken, the US Secretary of State, arrived in Mexico City.", "Antony Blinken", "US Secretary of State"},
		{"en honorific", "President Joe Biden spoke on Monday.", "Joe Biden", "President"},
		{"en ambassador to", "The talks included the American ambassador to Mexico, Ken Salazar, among others.", "Ken Salazar", "American ambassador to Mexico"},
		{"es role before", "Blinken también conversó con el canciller mexicano, Alicia Bárcena, en Palacio Nacional.", "Alicia Bárcena", "canciller mexicano"},
		{"es presidente", "El presidente de México, Andrés Manuel López Obrador, recibió a la delegación.", "Andrés Manuel López Obrador", "presidente de México"},
		{"es apposition after", "Alicia Bárcena, canciller de México, dijo que la reunión fue buena.", "Alicia Bárcena", "canciller de México"},
		{"es list ellipsis", "Participaron el secretario de la Defensa Nacional, Luis Crescencio Sandoval; de Marina, Rafael Ojeda Durán, y otros.", "Rafael Ojeda Durán", "secretario de Marina"},
		{"es surname that is an office word", "Asistió también la de Gobernación, Luisa María Alcalde.", "Luisa María Alcalde", ""},
		{"no role", "La política del Gobierno de Joe Biden fue valorada.", "Joe Biden", ""},
		{"middle initial", "The prosecutor, James P. Kennedy, spoke on Monday.", "James P. Kennedy", "prosecutor"},
		{"member of", "Habló la integrante de la Comisión de Normas Transitorias, Tania Madriaga.", "Tania Madriaga", "integrante de la Comisión de Normas Transitorias"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Enrich("", tc.text, "")
			p := person(r, tc.person)
			if p == nil {
				t.Fatalf("no person %q in %+v", tc.person, r.Entities)
			}
			if p.Name != tc.person {
				t.Errorf("name = %q, want %q", p.Name, tc.person)
			}
			if tc.role != "" && !contains(p.Roles, tc.role) {
				t.Errorf("roles = %q, want %q", p.Roles, tc.role)
			}
			for _, m := range p.Mentions {
				if got := tc.text[m.Start:m.End]; got != p.Name && !contains(p.Aliases, got) {
					t.Errorf("mention %v = %q, not a form of the name", m, got)
				}
			}
		})
	}
}

func TestSameEntity(t *testing.T) {
	text := "The president of Mexico, Andrés Manuel López Obrador, met Blinken. Later López Obrador said the talks went well, and AMLO left."
	r := Enrich("AMLO and Blinken meet in Mexico", text, "en")
	p := person(r, "Andrés Manuel López Obrador")
	if p == nil {
		t.Fatalf("no person: %+v", r.Entities)
	}
	if p.Key != "andres-manuel-lopez-obrador" {
		t.Errorf("key = %q", p.Key)
	}
	if !contains(p.Aliases, "López Obrador") || !contains(p.Aliases, "AMLO") {
		t.Errorf("aliases = %q", p.Aliases)
	}
	if p.Count != 4 || len(p.Mentions) != 3 {
		t.Errorf("count = %d, mentions = %d; want 4 (one in the title), 3", p.Count, len(p.Mentions))
	}
	if n := 0; true {
		for _, e := range r.Entities {
			if e.Kind == news.EntityPerson && strings.Contains(e.Name, "Obrador") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d entities for López Obrador", n)
		}
	}
	if Key("Andrés Manuel  López-Obrador") != "andres-manuel-lopez-obrador" {
		t.Errorf("Key is not stable: %q", Key("Andrés Manuel  López-Obrador"))
	}
}

func TestOrganisationsAndPlaces(t *testing.T) {
	tests := []struct {
		text string
		kind news.EntityKind
		name string
	}{
		{"The meeting, called urgently at the National Palace, began.", news.EntityPlace, "National Palace"},
		{"La reunión en el Palacio Nacional comenzó tarde.", news.EntityPlace, "Palacio Nacional"},
		{"Sources consulted by EFE said so.", news.EntityOrg, "EFE"},
		{"The Secretariat of Foreign Relations published a note.", news.EntityOrg, "Secretariat of Foreign Relations"},
		{"La Secretaría de Relaciones Exteriores publicó una nota.", news.EntityOrg, "Secretaría de Relaciones Exteriores"},
		{"U.S. Customs and Border Protection (CBP) confirmed it.", news.EntityOrg, "CBP"},
		{"They travelled from South America to the border.", news.EntityPlace, "South America"},
		{"Blinken arrived in Mexico on Wednesday.", news.EntityPlace, "Mexico"},
		{"La caravana salió desde Tapachula el domingo.", news.EntityPlace, "Tapachula"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Enrich("", tc.text, "")
			if findEntity(r, tc.kind, tc.name) == nil {
				t.Errorf("no %s %q in %+v", tc.kind, tc.name, r.Entities)
			}
		})
	}
	// "(CBP)" is the organisation before it.
	r := Enrich("", "U.S. Customs and Border Protection (CBP) confirmed it. CBP said more.", "")
	if e := findEntity(r, news.EntityOrg, "Customs and Border Protection"); e == nil || !contains(e.Aliases, "CBP") || e.Count != 3 {
		t.Errorf("CBP not joined to its organisation: %+v", r.Entities)
	}
}

func TestQuotes(t *testing.T) {
	tests := []struct {
		name, text    string
		quote, speaks string // speaks is the speaker's entity name, "" = none
	}{
		{"en said after, curly", "Antony Blinken arrived. “We have many things in common,” Blinken said before entering.", "We have many things in common", "Antony Blinken"},
		{"en name said that, straight", `López Obrador said that "the causes of migration must be addressed".`, "the causes of migration must be addressed", "López Obrador"},
		{"en pronoun", `President Joe Biden spoke briefly. "This is a good day for both countries," he said.`, "This is a good day for both countries", "Joe Biden"},
		{"en according to", `According to Alicia Bárcena, "the meeting was very good indeed".`, "the meeting was very good indeed", "Alicia Bárcena"},
		{"en office for a name", "The Mexican Secretary of Foreign Affairs Alicia Bárcena arrived. Later, Mexico’s Minister of Foreign Affairs told reporters that the meeting “will be very good, excellent”.", "will be very good, excellent", "Alicia Bárcena"},
		{"es dijo after, guillemets", "«Tenemos muchas cosas en común», dijo Alicia Bárcena antes de entrar.", "Tenemos muchas cosas en común", "Alicia Bárcena"},
		{"es pro-drop", "La canciller mexicana, Alicia Bárcena, llegó temprano. \"Tenemos muchas cosas en común\", dijo antes de entrar.", "Tenemos muchas cosas en común", "Alicia Bárcena"},
		{"es según", "Según López Obrador, «el Congreso debe invertir en las causas».", "el Congreso debe invertir en las causas", "López Obrador"},
		{"es before with que", "Andrés Manuel López Obrador aseguró que “no habrá muros en la frontera”.", "no habrá muros en la frontera", "Andrés Manuel López Obrador"},
		{"es organisation", "La Secretaría de Relaciones Exteriores publicó que la reunión serviría para \"dialogar sobre la cooperación bilateral\".", "dialogar sobre la cooperación bilateral", "Secretaría de Relaciones Exteriores"},
		{"scare quotes are not quotes", "The so-called “Mañanera” began at seven.", "", ""},
		{"a title in quotation marks is not a quote", "Macron habló de la «Comunidad Política Europea de Naciones Libres» ayer.", "", ""},
		{"en pronoun is the subject", "Sonya A. Zoghlin, his attorney, said her client did not mean to harm Ilhan Omar.\n\n“He has taken responsibility for his words,” she said.", "He has taken responsibility for his words", "Sonya A. Zoghlin"},
		{"no speaker", "The banner read “Bienvenidos a todos los migrantes” in large letters.", "Bienvenidos a todos los migrantes", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Enrich("", tc.text, "")
			if tc.quote == "" {
				if len(r.Quotes) != 0 {
					t.Errorf("quotes = %+v, want none", r.Quotes)
				}
				return
			}
			if len(r.Quotes) != 1 {
				t.Fatalf("quotes = %+v, want one", r.Quotes)
			}
			q := r.Quotes[0]
			if q.Text != tc.quote || tc.text[q.Span.Start:q.Span.End] != tc.quote {
				t.Errorf("quote = %q (span %q), want %q", q.Text, tc.text[q.Span.Start:q.Span.End], tc.quote)
			}
			want := ""
			if tc.speaks != "" {
				e := findEntity(r, news.EntityPerson, tc.speaks)
				if e == nil {
					e = findEntity(r, news.EntityOrg, tc.speaks)
				}
				if e == nil {
					t.Fatalf("no entity %q: %+v", tc.speaks, r.Entities)
				}
				want = e.Key
			}
			if q.SpeakerKey != want {
				t.Errorf("speaker = %q (%q, verb %q), want %q", q.SpeakerKey, q.Speaker, q.Verb, want)
			}
		})
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		name, text                    string
		value                         float64
		unit, qualifier, period, span string
	}{
		{"en million with period", "CBP confirmed the arrival of more than 2.2 million migrants from January to November.", 2.2e6, "migrants", "more than", "from January to November", "more than 2.2 million migrants from January to November"},
		{"es millones with period", "La CBP confirmó la llegada de más de 2,2 millones de migrantes entre enero y noviembre.", 2.2e6, "migrantes", "más de", "entre enero y noviembre", "más de 2,2 millones de migrantes entre enero y noviembre"},
		{"en thousands comma", "A caravan of more than 6,000 migrants advanced.", 6000, "migrants", "more than", "", "more than 6,000 migrants"},
		{"es thousands dot", "Una caravana de casi 10.000 personas salió.", 10000, "personas", "casi", "", "casi 10.000 personas"},
		{"en year period", "More than 500,000 migrants crossed the Darién jungle in 2023, a record.", 5e5, "migrants", "More than", "in 2023", ""},
		{"percent", "Inflation rose 4.5% last year.", 4.5, "%", "", "last year", "4.5% last year"},
		{"es por ciento", "La pobreza bajó al 36,3 por ciento en 2022.", 36.3, "%", "", "en 2022", ""},
		{"currency", "Congress approved US$ 1,200 million for the wall.", 1.2e9, "dollars", "", "", ""},
		{"es alrededor de", "Alrededor de 300 agentes participaron.", 300, "agentes", "Alrededor de", "", "Alrededor de 300 agentes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Enrich("", tc.text, "")
			if len(r.Figures) != 1 {
				t.Fatalf("figures = %+v, want one", r.Figures)
			}
			f := r.Figures[0]
			if f.Value != tc.value || f.Unit != tc.unit || f.Qualifier != tc.qualifier || f.Period != tc.period {
				t.Errorf("figure = %+v, want %v %q %q %q", f, tc.value, tc.unit, tc.qualifier, tc.period)
			}
			if got := tc.text[f.Span.Start:f.Span.End]; got != f.Text || (tc.span != "" && got != tc.span) {
				t.Errorf("span text = %q, text = %q, want %q", got, f.Text, tc.span)
			}
		})
	}
	for _, notFigure := range []string{
		"The meeting was held on 27 December 2023 at 10:30.",
		"El 27 de diciembre de 2023 hubo una reunión.",
		"In 2023 COVID-19 was no longer an emergency.",
	} {
		if r := Enrich("", notFigure, ""); len(r.Figures) != 0 {
			t.Errorf("%q: figures %+v, want none", notFigure, r.Figures)
		}
	}
}

// seedWant is what the seed story says, in either language: the people
// and their offices, the quotes' speakers and the figures.
type seedWant struct {
	people  map[string]string // name -> a role it must have ("" = any)
	quotes  map[string]string // start of quote -> speaker name
	figures map[float64]string
}

func TestSeedStory(t *testing.T) {
	cases := map[string]seedWant{
		"seed_en.txt": {
			people: map[string]string{
				"Andrés Manuel López Obrador": "president of Mexico",
				"Antony Blinken":              "US Secretary of State",
				"Alicia Bárcena":              "Mexican Secretary of Foreign Affairs",
				"Joe Biden":                   "",
				"Alejandro Mayorkas":          "Secretary of Homeland Security",
				"Elizabeth Sherwood-Randall":  "Presidential Advisor for National Security",
				"Ken Salazar":                 "American ambassador to Mexico",
			},
			quotes: map[string]string{
				"will be very good":             "Alicia Bárcena",
				"We have many things in common": "Alicia Bárcena",
				"discuss bilateral cooperation": "Secretariat of Foreign Relations",
			},
			figures: map[float64]string{6000: "migrants", 2.2e6: "from January to November", 5e5: "in 2023", 10000: "people"},
		},
		"seed_es.txt": {
			people: map[string]string{
				"Andrés Manuel López Obrador": "presidente de México",
				"Antony Blinken":              "secretario de Estado de Estados Unidos",
				"Alicia Bárcena":              "canciller mexicana",
				"Joe Biden":                   "",
				"Luis Crescencio Sandoval":    "secretario de la Defensa Nacional",
				"Rafael Ojeda Durán":          "secretario de Marina",
				"Rosa Icela Rodríguez":        "secretario de Seguridad",
				"Luisa María Alcalde":         "secretario de Gobernación",
				"Esteban Moctezuma":           "embajador de México en Estados Unidos",
				"Alejandro Mayorkas":          "secretario de Seguridad Nacional",
				"Elizabeth Sherwood-Randall":  "asesora presidencial de Seguridad Nacional",
				"Ken Salazar":                 "embajador estadounidense en México",
			},
			quotes: map[string]string{
				"va a ser muy buena":            "Alicia Bárcena",
				"Tenemos muchas cosas en común": "Alicia Bárcena",
				"dialogar sobre la cooperación": "Secretaría de Relaciones Exteriores",
			},
			figures: map[float64]string{6000: "migrantes", 2.2e6: "entre enero y noviembre", 10000: "personas"},
		},
	}
	for file, want := range cases {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			r := Enrich("AMLO and Blinken meet in Mexico", string(b), "")
			found := 0
			for name, role := range want.people {
				p := person(r, name)
				if p == nil {
					t.Errorf("no person %q", name)
					continue
				}
				found++
				if role != "" && !contains(p.Roles, role) {
					t.Errorf("%s: roles %q, want %q", name, p.Roles, role)
				}
			}
			if p := person(r, "AMLO"); p == nil || p.Name != "Andrés Manuel López Obrador" {
				t.Errorf("AMLO in the title is not López Obrador: %+v", p)
			}
			persons := 0
			for _, e := range r.Entities {
				if e.Kind == news.EntityPerson {
					persons++
				}
			}
			t.Logf("people: %d of %d found, %d reported (precision %.2f)", found, len(want.people), persons, float64(found)/float64(max(persons, 1)))
			if persons > len(want.people)+1 {
				t.Errorf("%d people reported for %d: %+v", persons, len(want.people), r.Entities)
			}
			for start, speaker := range want.quotes {
				ok := false
				for _, q := range r.Quotes {
					if strings.HasPrefix(q.Text, start) {
						ok = true
						if q.Speaker != speaker {
							t.Errorf("quote %q: speaker %q, want %q", start, q.Speaker, speaker)
						}
					}
				}
				if !ok {
					t.Errorf("no quote %q in %+v", start, r.Quotes)
				}
			}
			for v, detail := range want.figures {
				ok := false
				for _, f := range r.Figures {
					if f.Value == v && (f.Unit == detail || f.Period == detail) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("no figure %v %q in %+v", v, detail, r.Figures)
				}
			}
		})
	}
}

func BenchmarkEnrich(b *testing.B) {
	var docs []string
	for _, f := range []string{"seed_en.txt", "seed_es.txt"} {
		raw, err := os.ReadFile("testdata/" + f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(raw))
	}
	bytes := 0
	for _, d := range docs {
		bytes += len(d)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Enrich("AMLO and Blinken meet in Mexico", d, "")
		}
	}
}

func TestNotNames(t *testing.T) {
	for _, text := range []string{
		"La nueva Carta Magna fue aprobada por la Convención Constitucional.",
		"RECUPERAR LA CONFIANZA es el lema de la campaña.",
		"Las Normas Transitorias se discuten ahora. Las normas son largas.",
		"El Código Procesal Penal cambió en marzo.",
	} {
		r := Enrich("", text, "es")
		for _, e := range r.Entities {
			if e.Kind == news.EntityPerson {
				t.Errorf("%q: person %q", text, e.Name)
			}
		}
	}
	r := Enrich("", "She posted it on Twitter Tuesday, and Omar replied.", "en")
	for _, e := range r.Entities {
		if strings.Contains(e.Name, "Tuesday") {
			t.Errorf("weekday kept in %q", e.Name)
		}
	}
}

func TestSoftHyphenInsideAName(t *testing.T) {
	text := "Russian President Vladi\u00admir Putin said on Tuesday that talks with Ol\u200bga Karpova would go on."
	r := Enrich("", text, "")
	p := person(r, "Vladimir Putin")
	if p == nil {
		t.Fatalf("no person Vladimir Putin in %+v", r.Entities)
	}
	if p.Key != "vladimir-putin" || !contains(p.Roles, "Russian President") {
		t.Errorf("key %q, roles %q", p.Key, p.Roles)
	}
	if len(p.Mentions) == 0 || text[p.Mentions[0].Start:p.Mentions[0].End] != "Vladi\u00admir Putin" {
		t.Errorf("mentions %v do not cover the name as written", p.Mentions)
	}
	if q := person(r, "Olga Karpova"); q == nil || q.Key != "olga-karpova" {
		t.Errorf("a zero-width space cut a name: %+v", r.Entities)
	}
}

func TestEntitiesAsEnrich(t *testing.T) {
	for _, f := range []string{"seed_en.txt", "seed_es.txt"} {
		raw, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		want := Enrich("AMLO and Blinken meet in Mexico", string(raw), "").Entities
		got := Entities("AMLO and Blinken meet in Mexico", string(raw), "")
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Entities gives %d entities, Enrich %d, or they differ", f, len(got), len(want))
		}
	}
}

func BenchmarkEntities(b *testing.B) {
	raw, err := os.ReadFile("testdata/seed_es.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Entities("AMLO and Blinken meet in Mexico", string(raw), "")
	}
}
