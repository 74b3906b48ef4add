package extract

import (
	"net/url"
	"strings"
	"testing"
)

func TestAbsolutize(t *testing.T) {
	base, _ := url.Parse("https://diario.example/mundo/nota")
	in := `<p><a href="/tag/amlo">AMLO</a> <a href="otra">x</a> <a href="#n1">note</a> <a href="https://other.example/a">y</a> <img src="//cdn.example/i.jpg"></p>`
	out := absolutize(in, base)
	for _, want := range []string{`href="https://diario.example/tag/amlo"`, `href="https://diario.example/mundo/otra"`, `href="#n1"`, `href="https://other.example/a"`, `src="https://cdn.example/i.jpg"`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %s", out, want)
		}
	}
	if got := absolutize(in, nil); got != in {
		t.Error("no base must leave the body alone")
	}
	if linkBase(nil, "/relative/only") != nil || linkBase(nil, "https://x.example/a").Host != "x.example" {
		t.Error("linkBase: a canonical URL is a base only when absolute http(s)")
	}
}

// A local file has no URL of its own: its links resolve against its
// canonical URL.
func TestFileImportLinksResolveAgainstCanonical(t *testing.T) {
	page := `<html lang="es"><head><link rel="canonical" href="https://diario.example/mundo/nota"><title>Nota</title></head><body><article>` +
		`<p>El presidente <a href="/tag/amlo">Andrés Manuel López Obrador</a> y el secretario de Estado se reunieron este miércoles en el Palacio Nacional para hablar de migración.</p>` +
		`<p>La reunión fue convocada con urgencia y terminó por la tarde sin declaraciones públicas de los participantes ni de sus equipos.</p>` +
		`</article></body></html>`
	res, err := Extract([]byte(page), "/home/me/saved/nota.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Article.BodyHTML, `href="https://diario.example/tag/amlo"`) {
		t.Errorf("link not resolved against the canonical URL: %s", res.Article.BodyHTML)
	}
}
