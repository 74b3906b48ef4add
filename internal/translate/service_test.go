package translate

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestHTMLKeepsInlineMarkupAndSpaces(t *testing.T) {
	f := &fakeBackend{}
	s := &Service{Backend: f, Rules: []Rule{}}
	in := `<p>El presidente <a href="https://x.example/a?b=1&amp;c=2">López Obrador</a> y el secretario <b>Blinken</b> se reunió.</p>` +
		"\n<ul><li>Hola <em>mundo</em></li></ul><pre>el código</pre><p translate=\"no\">el nombre</p><p><code>el</code> casa</p>"
	out, err := s.TranslateHTML(context.Background(), esEn, in)
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>The president <a href="https://x.example/a?b=1&amp;c=2">López Obrador</a> and the secretary <b>Blinken</b> met.</p>` +
		"\n<ul><li>Hello <em>world</em></li></ul><pre>el código</pre><p translate=\"no\">el nombre</p><p><code>el</code> house</p>"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestTextLinesAndGlossary(t *testing.T) {
	g, err := ParseGlossary(strings.NewReader("# comment\nCasa Blanca\tWhite House\nNochebuena => Christmas Eve\nEFE\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{Backend: &fakeBackend{}, Glossaries: map[Pair]*Glossary{esEn: g}, Rules: []Rule{}}
	out, err := s.TranslateText(context.Background(), esEn, "La casa blanca dijo en la Casa Blanca.\n\n  Nochebuena con EFE, https://example.org/la/casa y ana@example.org\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "The house white said in the White House.\n\n  Christmas Eve with EFE, https://example.org/la/casa and ana@example.org\n"
	if out != want {
		t.Errorf("got\n%q\nwant\n%q", out, want)
	}
}

func TestCacheHitDoesNoWork(t *testing.T) {
	ctx := context.Background()
	f := &fakeBackend{}
	cache := &MemoryCache{}
	s := &Service{Backend: f, Cache: cache}
	in := "<p>Hola <a href=\"/x\">mundo</a>.</p><p>El presidente.</p>"
	first, err := s.TranslateHTML(ctx, esEn, in)
	if err != nil {
		t.Fatal(err)
	}
	if f.calls.Load() != 1 || f.segs.Load() != 2 {
		t.Fatalf("first pass: %d calls, %d segments", f.calls.Load(), f.segs.Load())
	}
	again, err := s.TranslateHTML(ctx, esEn, in)
	if err != nil {
		t.Fatal(err)
	}
	if f.calls.Load() != 1 || again != first {
		t.Errorf("cache hit: %d backend calls (want 1 in all), output %q vs %q", f.calls.Load(), again, first)
	}
	// An article with one paragraph changed costs one segment.
	if _, err := s.TranslateHTML(ctx, esEn, "<p>Hola <a href=\"/x\">mundo</a>.</p><p>El secretario.</p>"); err != nil {
		t.Fatal(err)
	}
	if f.calls.Load() != 2 || f.segs.Load() != 3 {
		t.Errorf("one changed paragraph: %d calls, %d segments (want 2, 3)", f.calls.Load(), f.segs.Load())
	}
	// A different glossary is a different translation: no stale hit.
	g, _ := ParseGlossary(strings.NewReader("mundo\tearth\n"))
	s.Glossaries = map[Pair]*Glossary{esEn: g}
	out, _ := s.TranslateHTML(ctx, esEn, in)
	if !strings.Contains(out, "earth") {
		t.Errorf("glossary change ignored by the cache: %s", out)
	}
}

type fakeDetector map[string]string

func (f fakeDetector) DetectLanguage(text string) (string, bool) {
	for k, v := range f {
		if strings.Contains(text, k) {
			return v, true
		}
	}
	return "", false
}

func TestParagraphInAnotherLanguageStays(t *testing.T) {
	s := &Service{Backend: &fakeBackend{}, Detector: fakeDetector{"Nous": "fr", "Hola": "es", "We have": "en"}}
	out, err := s.TranslateHTML(context.Background(), esEn, "<p>Hola mundo.</p><blockquote><p>Nous avons dit « el ».</p></blockquote><p>We have the casa.</p>")
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>Hello world.</p><blockquote><p><span lang="fr">Nous avons dit « el ».</span></p></blockquote><p><span lang="en">We have the casa.</span></p>`
	if out != want {
		t.Errorf("got %s\nwant %s", out, want)
	}
}

func TestArticleAndDisclosure(t *testing.T) {
	s := &Service{Backend: &fakeBackend{}, Display: "Apertium"}
	a := &news.Article{ID: 7, Language: "es-MX", Title: "Hola mundo", Description: "El presidente",
		BodyHTML: "<p>El presidente y el secretario.</p><p>Hola <em>mundo</em>.</p>", ContentHash: "abc"}
	tr, err := Article(context.Background(), s, a, "en")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Title != "Hello world" || tr.Description != "The president" || tr.Status != news.TranslationDone || tr.SourceHash != "abc" {
		t.Errorf("translation %+v", tr)
	}
	if tr.Text != "The president and the secretary.\n\nHello world." {
		t.Errorf("text %q", tr.Text)
	}
	if got := Disclosure(tr); got != "Machine-translated from Spanish (Apertium)" {
		t.Errorf("disclosure %q", got)
	}
	h := DisclosureHTML(tr, "https://example.org/original")
	for _, want := range []string{`lang="en"`, `href="https://example.org/original"`, `hreflang="es"`, "Machine-translated from Spanish (Apertium)."} {
		if !strings.Contains(h, want) {
			t.Errorf("disclosure HTML %q lacks %q", h, want)
		}
	}
	if _, err := Article(context.Background(), s, &news.Article{Language: "en"}, "en"); err != ErrSameLanguage {
		t.Errorf("same language: %v", err)
	}
	// A failing backend: the translation says so and keeps the error.
	bad := &Service{Backend: &fakeBackend{err: Permanent(ErrUnsupportedPair)}}
	tr, err = Article(context.Background(), bad, a, "en")
	if err == nil || tr == nil || tr.Status != news.TranslationFailed || tr.Error == "" {
		t.Errorf("failure: %+v, %v", tr, err)
	}
}

func TestPostEditRules(t *testing.T) {
	fix := func(name, s string) string {
		for _, r := range DefaultRules {
			if r.Name == name {
				return r.Fix(s)
			}
		}
		t.Fatalf("no rule %s", name)
		return ""
	}
	tests := []struct{ rule, in, want string }{
		{"spaces", "gathered  with the chancellor,  he said", "gathered with the chancellor, he said"},
		{"numbers", "almost 10.000 people, 2,2 millions, in 2023 at 10.30", "almost 10,000 people, 2.2 millions, in 2023 at 10.30"},
		{"million", "2.2 millions of migrants", "2.2 million of migrants"},
		{"said", "Hammel commented that it was, affirmed Adams. He declared war.", "Hammel said that it was, said Adams. He declared war."},
		{"said", "“It is good”, has affirmed.", "“It is good”, has said."},
		{"honorifics", "the gentleman Adams and the lady Capp", "Mr. Adams and Ms. Capp"},
		{"quotes", "“look muppets” and ‘this’", `"look muppets" and 'this'`},
		{"acronym-note", "la Asamblea (AM, por sus siglas en inglés) de Gales", "la Asamblea (AM) de Gales"},
		{"weekdays", "The Sunday, voters will vote the Sunday since the Monday, in the Friday", "On Sunday, voters will vote on Sunday since Monday, on Friday"},
		{"as", "joined like president, I like it", "joined as president, I like it"},
		{"ages", "Jones, of 52 years, and a man of 32 years", "Jones, 52, and a 32-year-old man"},
		{"should", "he would have to go", "he should go"},
		{"many", "a lot of people and A lot of money", "many people and Much money"},
		{"titles", "the president Erdogan met the singer Ariana Grande", "President Erdogan met singer Ariana Grande"},
		{"no-article", "to join the NATO and the EU", "to join NATO and the EU"},
		{"which", "Gjorge Ivanov, that opposes; Greece, that has; the player, that scored", "Gjorge Ivanov, who opposes; Greece, which has; the player, who scored"},
		{"contractions", `it does not matter "we do not know, it will not"`, `it does not matter "we don't know, it won't"`},
		{"time-phrases", "The past Monday, the past year, on Saturday in the morning, before the 7 of the morning", "Last Monday, last year, on Saturday morning, before 7 a.m."},
		{"left", "a caravan that exited on Christmas Eve", "a caravan that left on Christmas Eve"},
		{"the-country", "United States said. In United States and United Kingdom", "The United States said. In the United States and the United Kingdom"},
	}
	for _, tt := range tests {
		if got := fix(tt.rule, tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.rule, tt.in, got, tt.want)
		}
	}
}

func TestParsePair(t *testing.T) {
	if p, err := ParsePair("ES-en"); err != nil || p != esEn {
		t.Errorf("ParsePair = %v, %v", p, err)
	}
	if _, err := ParsePair("es"); err == nil {
		t.Error("ParsePair accepted a single language")
	}
}

func TestFindNames(t *testing.T) {
	s := "la secretaria Luisa María Alcalde y Rosa Icela Rodríguez, con Blanca; El Palacio Nacional y Juan de la Fuente"
	var got []string
	for _, sp := range findNames(s, esEn, nil) {
		got = append(got, s[sp.start:sp.end])
	}
	want := []string{"Luisa María Alcalde", "Rosa Icela Rodríguez", "Blanca", "Juan de la Fuente"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("names %q, want %q", got, want)
	}
}

// A soft hyphen or zero-width space inside a source word reaches the
// engine as one word, not two.
func TestInvisibleCharactersDoNotCutWords(t *testing.T) {
	s := &Service{Backend: &fakeBackend{}}
	p := Pair{From: "es", To: "en"}
	got, err := s.TranslateText(context.Background(), p, "El presi\u00addente y el secre\u200btario.")
	if err != nil {
		t.Fatal(err)
	}
	if got != "The president and the secretary." {
		t.Errorf("text: %q", got)
	}
	h, err := s.TranslateHTML(context.Background(), p, "<p>El presi&shy;dente y el secretario.</p>")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "The president and the secretary.") {
		t.Errorf("HTML: %q", h)
	}
}
