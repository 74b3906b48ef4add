package translate

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

var esEn = Pair{"es", "en"}

func apertiumOrSkip(t testing.TB) *Apertium {
	t.Helper()
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// The seed page's defect: names inside links glued to the next word.
const seedHTML = `<p>El presidente de México, <a href="https://example.org/amlo">Andrés Manuel López Obrador</a> y el secretario de Estado de EE.UU., <a href="https://example.org/blinken">Anthony Blinken</a> se reunieron este miércoles en el <a href="https://example.org/palacio">Palacio Nacional</a>, en medio del avance de una caravana que salió en <em>Nochebuena</em> con casi 10.000 personas.</p>
<p>Blinken <strong>se reunió</strong> con la canciller <a href="https://example.org/barcena">Alicia Bárcena</a>, aunque la reunión fue privada.</p>
<blockquote lang="fr"><p>Nous avons beaucoup de choses en commun.</p></blockquote>
<p>Participó el embajador <a href="https://example.org/salazar">Ken Salazar</a> entre otros.</p>`

func TestSeedStructureApertium(t *testing.T) {
	a := apertiumOrSkip(t)
	s := &Service{Backend: a, Glossaries: DefaultGlossaries()}
	out, err := s.TranslateHTML(context.Background(), esEn, seedHTML)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out)
	for _, want := range []string{
		`Obrador</a> and`,
		`Blinken</a> met`,
		`Salazar</a> among`,
		`<a href="https://example.org/amlo">Andrés Manuel López Obrador</a>`,
		`<a href="https://example.org/palacio">`,
		`Christmas Eve`,
		`10,000`,
		`<blockquote lang="fr"><p>Nous avons beaucoup de choses en commun.</p></blockquote>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("translation lacks %q", want)
		}
	}
	// No word glued to the end of a link: every </a> is followed by a space or punctuation.
	if m := regexp.MustCompile(`</a>[\p{L}\p{N}]`).FindString(out); m != "" {
		t.Errorf("glued word after a link: %q", m)
	}
	if strings.Count(out, "<a ") != 5 || strings.Count(out, "</a>") != 5 {
		t.Errorf("links lost: %d <a>, %d </a>", strings.Count(out, "<a "), strings.Count(out, "</a>"))
	}
	for _, bad := range []string{"Goodnight", "  ", "ObradorAnd", "Blinkenmet"} {
		if strings.Contains(out, bad) {
			t.Errorf("translation contains %q", bad)
		}
	}
}

func TestNamesStayNamesApertium(t *testing.T) {
	a := apertiumOrSkip(t)
	s := &Service{Backend: a, Glossaries: DefaultGlossaries()}
	out, err := s.TranslateText(context.Background(), esEn,
		"También participó la secretaria de Gobernación, Luisa María Alcalde.\nPedro Sánchez dijo que Blanca Paloma Rosales irá.")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Luisa María Alcalde", "Pedro Sánchez said", "Blanca Paloma Rosales"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q: %s", want, out)
		}
	}
	for _, bad := range []string{"Mayor", "Rosebushes", "It said", "Zqv"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q: %s", bad, out)
		}
	}
}
