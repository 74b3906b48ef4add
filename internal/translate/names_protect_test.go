package translate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/testenv"
)

func namesOf(s string, kinds map[string]NameKind) string {
	var got []string
	for _, sp := range findNames(s, esEn, kinds) {
		got = append(got, s[sp.start:sp.end]+"="+sp.out)
	}
	return strings.Join(got, "|")
}

// Every capitalised run inside a Spanish sentence is a name and stays as
// written, particles and all; a run after an article is an institution
// the engine translates; countries take their English name.
func TestFindNamesRuns(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Lo dijo Marcelino Iglesias en Punta Arenas.", "Marcelino Iglesias=Marcelino Iglesias|Punta Arenas=Punta Arenas"},
		{"Llegó a La Moneda con Juan de la Fuente.", "La Moneda=La Moneda|Juan de la Fuente=Juan de la Fuente"},
		{"Habló el Gobierno de España con la Corte Suprema.", ""},
		{"Viajó a Estados Unidos y a Alemania.", "Estados Unidos=United States|Alemania=Germany"},
		{"Según Pedro Sánchez, el acuerdo sigue.", "Pedro Sánchez=Pedro Sánchez"},
		{"El Partido Popular votó.", ""},
		{"Dijo que Castaño votó con Gallego.", "Castaño=Castaño|Gallego=Gallego"},
		{"Castaño votó.", ""}, // a lone capital opening a sentence says nothing
		{"Habló con Josep M. Costa.", "Josep M. Costa=Josep M. Costa"},
		{"La marca Goop de Gwyneth Paltrow.", "Goop=Goop|Gwyneth Paltrow=Gwyneth Paltrow"},
		{"el Ministerio de Ciencia y Tecnología", ""},
		{"con Sánchez y Rajoy", "Sánchez=Sánchez|Rajoy=Rajoy"},
		{"EL GOBIERNO APRUEBA EL PLAN", ""},
	}
	for _, tt := range tests {
		if got := namesOf(tt.in, nil); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// What the engine's dictionary knows decides the doubtful runs.
func TestFindNamesWithLexicon(t *testing.T) {
	kinds := map[string]NameKind{
		"Londres": NameKnown, "Universidad de Michigan": NameInstitution, "Inteligencia Artificial": NameCommon,
		"Moisés": NamePerson, "Delante": NameCommon, "Parlamento": NameCommon, "Castaño": NameCommon,
	}
	tests := []struct{ in, want string }{
		{"Vive en Londres.", ""},
		{"Estudió en Universidad de Michigan.", ""},
		{"Un plan de Inteligencia Artificial.", ""},
		{"Moisés dijo que sí.", "Moisés=Moisés"},
		{"Delante del Parlamento, habló.", ""},
		{"Habló con Castaño.", "Castaño=Castaño"},
	}
	for _, tt := range tests {
		if got := namesOf(tt.in, kinds); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestNameKind(t *testing.T) {
	tests := []struct {
		analysis string
		want     NameKind
	}{
		{`^Londres/Londres<np><loc><m><sg>$`, NameKnown},
		{`^Moisés/Moisés<np><ant><m><sg>$`, NamePerson},
		{`^Aquiles/Aquiles<np><ant><m><sg>$ ^Machado/Machado<np><cog><mf><sg>$`, NamePerson},
		{`^Marcelino/Marcelino<np><ant><m><sg>$ ^Iglesias/iglesia<n><f><pl>$`, NameUnknown},
		{`^Universidad/universidad<n><f><sg>$ ^de/de<pr>$ ^Michigan/Michigan<np><loc>$`, NameInstitution},
		{`^Castaño/Castaño<n><m><sg>/Castaño<adj><m><sg>$`, NameCommon},
		{`^Oliva/Oliva<n><f><sg>/Oliva<np><ant><f><sg>$`, NameUnknown},
		{`^Hammel/*Hammel$`, NameUnknown},
		{`^Juntos/junto<adj><m><pl>$ ^por/por<pr>$ ^el/el<det><def><m><sg>$ ^Cambio/cambio<n><m><sg>/cambiar<vblex><pri><p1><sg>$`, NameTitle},
		{`^Alianza/alianza<n><f><sg>$ ^por/por<pr>$ ^México/México<np><loc><m><sg>$`, NameInstitution},
		// a noun with an adjective that agrees is a phrase the engine
		// translates; one that cannot agree makes a place's name
		{`^Mesa/mesa<n><f><sg>$ ^Redonda/redondo<adj><f><sg>$`, NameCommon},
		{`^Puerto/puerto<n><m><sg>$ ^Natales/natal<adj><mf><pl>$`, NameUnknown},
		{`^Valle/valle<n><m><sg>/vallar<vblex><prs><p3><sg>$ ^Hermosas/hermoso<adj><f><pl>$`, NameUnknown},
		{`^Casa/casa<n><f><sg>$ ^Blanco/blanco<adj><m><sg>$`, NameUnknown},
		{`^Cerro/cerro<n><m><sg>$ ^Verdes/verde<adj><mf><pl>/verde<n><m><pl>$`, NameUnknown},
		{`^Fuerzas/fuerza<n><f><pl>$ ^Armadas/armado<adj><f><pl>/armada<n><f><pl>$`, NameCommon},
	}
	for _, tt := range tests {
		if got := nameKind(tt.analysis); got != tt.want {
			t.Errorf("nameKind(%q) = %d, want %d", tt.analysis, got, tt.want)
		}
	}
}

// With Apertium installed, names it would translate as words stay names
// and places it knows take their English names.
func TestApertiumKeepsNames(t *testing.T) {
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	s := &Service{Backend: a}
	got, err := s.TranslateText(context.Background(), esEn,
		"Marcelino Iglesias y Gisela Riera llegaron a Punta Arenas desde Londres.\nMoisés dijo que sí.")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Marcelino Iglesias", "Gisela Riera", "Punta Arenas", "London", "Moisés"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

// An unknown word is spelled the English way only when the spelling is an
// English word; otherwise it stays as the source wrote it.
func TestCognatesNeverInvent(t *testing.T) {
	words := map[string]bool{"denuclearization": true, "vividly": true, "unionist": true}
	got := englishCognates("the *desnuclearización, *vívidamente, *unionistas, *equivocadamente and *lactancia", words)
	want := "the *denuclearization, *vividly, *unionists, *equivocadamente and *lactancia"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := englishCognates("*desnuclearización", nil); got != "*desnuclearización" {
		t.Errorf("without a word list: %q", got)
	}
}

// A line break or a separator opens a sentence as a full stop does: the
// function word after it is no name.
func TestFindNamesAfterLineBreaks(t *testing.T) {
	for _, in := range []string{"Código Procesal Penal)\n\nSi eres víctima", "#Antártida | Nuevo récord", "temperaturas 🌡️\n\nEste mediodía"} {
		for _, r := range NameRuns(in, "es") {
			if r == "Si" || r == "Nuevo" || r == "Este" {
				t.Errorf("%q: %q taken for a name", in, r)
			}
		}
	}
}

// The shipped glossary and CLDR's region names give institutions, cities
// and countries their English names, with or without an article.
func TestDefaultGlossary(t *testing.T) {
	s := &Service{Backend: &fakeBackend{}, Glossaries: DefaultGlossaries(), Rules: []Rule{}}
	got, err := s.TranslateText(context.Background(), esEn,
		"Dijo en la Ciudad de México que España, Alemania y Estados Unidos y la Corte Suprema se reunieron con Naciones Unidas en la Casa Blanca.")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Mexico City", "Spain", "Germany", "United States", "Supreme Court", "met", "United Nations", "White House"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if n := len(DefaultGlossaries()[esEn].Entries); n > 40 {
		t.Errorf("the glossary has grown to %d entries: institutions belong to the engine, countries to CLDR", n)
	}
}

// The other Romance languages write names the same way.
func TestFindNamesOtherLanguages(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"pt", "O ministro falou com João Pimenta da Veiga em Belo Horizonte.", "João Pimenta da Veiga|Belo Horizonte"},
		{"fr", "Le ministre a parlé avec Jean-Michel Aulas à Lyon.", "Jean-Michel Aulas|Lyon"},
		{"it", "Il ministro ha parlato con Marco Di Vaio a Bologna.", "Marco Di Vaio|Bologna"},
		{"ca", "El conseller va parlar amb Jordi Pujol a Girona.", "Jordi Pujol|Girona"},
		{"de", "Der Minister sprach mit Olaf Scholz in Berlin.", ""}, // German capitalises every noun
	}
	for _, tt := range tests {
		if got := strings.Join(NameRuns(tt.in, tt.lang), "|"); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

// A headline's lone surname is a name when the body names the person in
// full: the engine never sees it.
func TestArticleHeadlineSurname(t *testing.T) {
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	s := &Service{Backend: a}
	art := &news.Article{ID: 1, Language: "es", Title: "Castaño triunfa en Madrid",
		BodyHTML: "<p>El novillero Javier Castaño salió a hombros.</p>", Text: "El novillero Javier Castaño salió a hombros."}
	tr, err := Article(context.Background(), s, art, "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tr.Title, "Castaño ") || !strings.Contains(tr.Text, "Javier Castaño") {
		t.Errorf("title %q, text %q", tr.Title, tr.Text)
	}
}

// Names written the way only names are stay whole, even where the
// dictionary reads an institution: a capitalised article inside a
// sentence, a month capitalised after "de".
func TestFindNamesWrittenAsNames(t *testing.T) {
	kinds := map[string]NameKind{
		"Madres de Plaza de Mayo": NameInstitution, "La Voz de Galicia": NameInstitution, "La Habana": NameKnown,
	}
	tests := []struct{ in, want string }{
		{"Los restos llegaron al Río de La Plata.", "Río de La Plata=Río de La Plata"},
		{"Habló una vocera de Madres de Plaza de Mayo ayer.", "Madres de Plaza de Mayo=Madres de Plaza de Mayo"},
		{"Lo contó el director de La Voz de Galicia.", "La Voz de Galicia=La Voz de Galicia"},
		{"Viajó a La Habana.", ""},                      // a place the engine knows
		{"Falló la Corte Suprema de la Nación.", ""},    // an institution writes its article in lower case
		{"El Ministerio de Trabajo abrió en mayo.", ""}, // a month in lower case is a date
		{"La marca Goop de Gwyneth Paltrow.", "Goop=Goop|Gwyneth Paltrow=Gwyneth Paltrow"},
	}
	for _, tt := range tests {
		if got := namesOf(tt.in, kinds); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// Two runs joined by "por" are one name when the dictionary says the
// first word is no noun (a party, a campaign); a noun heads an
// institution, whose runs stay apart.
func TestFindNamesJoinedByPor(t *testing.T) {
	kinds := map[string]NameKind{"Unidos por el Futuro": NameTitle, "Alianza por el Futuro": NameInstitution}
	tests := []struct{ in, want string }{
		{"La diputada votó con Unidos por el Futuro ayer.", "Unidos por el Futuro=Unidos por el Futuro"},
		{"Unidos por el Futuro presentó su lista.", "Unidos por el Futuro=Unidos por el Futuro"},
		{"La diputada votó con Alianza por el Futuro ayer.", "Alianza=Alianza"},
	}
	for _, tt := range tests {
		if got := namesOf(tt.in, kinds); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// A text that writes an article and a name inside a sentence ("tuvo
// acceso El Observador") names an outlet; where the same words open a
// sentence they are the same name, not "The Observer". A text that never
// writes them so gives no such name.
func TestArticleNamesLedByArticle(t *testing.T) {
	text := "El Observador reveló dos informes.\nSegún los informes, a los que tuvo acceso El Observador, el plan sigue."
	got := ArticleNames(text, esEn)
	if !slices.Contains(got, "El Observador") {
		t.Errorf("ArticleNames = %q, want El Observador among them", got)
	}
	if got := ArticleNames("El Observador reveló dos informes.", esEn); slices.Contains(got, "El Observador") {
		t.Errorf("a name opening its only sentence is taken: %q", got)
	}
}

// Built like a demo page: with Apertium, an outlet named at a sentence's
// start, a party headed by an adjective, a group named after a square and
// a river named with its article all stay names.
func TestApertiumArticleKeepsWrittenNames(t *testing.T) {
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	s := &Service{Backend: a}
	body := "<p>El Observador reveló ayer dos informes sobre el puerto.</p>" +
		"<p>Según los informes, a los que tuvo acceso El Observador, la alianza Unidos por el Futuro votó en contra. " +
		"Una vocera de Madres de Plaza de Mayo habló junto al Río de La Plata.</p>"
	art := &news.Article{ID: 1, Language: "es", Title: "Dos informes sobre el puerto", BodyHTML: body, Text: PlainText(body)}
	tr, err := Article(context.Background(), s, art, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"El Observador revealed", "Unidos por el Futuro", "Madres de Plaza de Mayo", "Río de La Plata"} {
		if !strings.Contains(tr.Text, want) {
			t.Errorf("%q lacks %q", tr.Text, want)
		}
	}
	// Without the name inside a sentence, the words are words.
	lone := &news.Article{ID: 2, Language: "es", Title: "Informe", Text: "El Observador reveló ayer dos informes."}
	if tr, err := Article(context.Background(), s, lone, "en"); err != nil || !strings.Contains(tr.Text, "Observer") {
		t.Errorf("lone opening: %q, %v", tr.Text, err)
	}
}

// Built like a demo sentence: the joined prefix ex- ("excongresista") is
// spaced where the engine knows the word without it, so it is translated;
// words that only begin with "ex" (explicó, exportadores) are untouched.
func TestApertiumExPrefix(t *testing.T) {
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	s := &Service{Backend: a}
	got, err := s.TranslateText(context.Background(), esEn,
		"El excongresista habló con dos exasesores y explicó el plan a los exportadores.")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"excongresista", "exasesores", "ex plic", "ex port"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q has %q", got, bad)
		}
	}
	if !strings.Contains(got, "ex congress") || !strings.Contains(got, "explained") {
		t.Errorf("%q: want the prefix translated and explicó as explained", got)
	}
}

// A place named by a noun and an adjective that cannot be its own (a
// masculine singular noun, a plural adjective) stays as written; a noun
// with its own adjective is still translated.
func TestApertiumKeepsDisagreeingPlaceNames(t *testing.T) {
	a := apertiumOrSkip(t)
	s := &Service{Backend: a}
	got, err := s.TranslateText(context.Background(), esEn,
		"Los turistas llegaron a Valle Hermosas, Cerro Verdes y Puerto Natales para hablar de la Inteligencia Artificial.")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Valle Hermosas", "Cerro Verdes", "Puerto Natales", "Artificial Intelligence"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	for _, bad := range []string{"Natal Port", "Port", "Green Hill"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q has %q", got, bad)
		}
	}
}

// A heading in capitals keeps a place the text under it names in its
// ordinary case; an institution is translated in capitals as in lower case.
func TestApertiumShoutedHeadingKeepsNames(t *testing.T) {
	a := apertiumOrSkip(t)
	s := &Service{Backend: a}
	got, err := s.TranslateHTML(context.Background(), esEn,
		`<h2>VISITA A PUNTA ARENAS Y A LA CORTE SUPREMA</h2><p>La ministra llegó a Punta Arenas y habló ante la Corte Suprema.</p>`)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(got, "</h2>")
	if !strings.Contains(head, "PUNTA ARENAS") || strings.Contains(head, "SANDS") {
		t.Errorf("heading %q: the place is translated", head)
	}
	if !strings.Contains(head, "SUPREME COURT") {
		t.Errorf("heading %q: the institution is not translated", head)
	}
}
