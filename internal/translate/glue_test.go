package translate

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

// Boundaries survive translation. Each case is a paragraph as news pages
// write it; the fake engine translates word for word, so what is checked
// is where words, spaces and tags go.
func TestNoGluedText(t *testing.T) {
	s := &Service{Backend: &fakeBackend{}, Rules: []Rule{}}
	tests := []struct {
		name, in string
		want     []string // in the HTML
		text     string   // the plain text, when checked
	}{
		{"sentence ends across blocks", `<div class="body"><p>Dijo el presidente.</p><p>Hola mundo.</p></div>`,
			[]string{"<p>Said the president.</p><p>Hello world.</p>"}, "Said the president.\n\nHello world."},
		{"sentence end without its space", `<p>Dijo el presidente.Hola mundo.</p>`,
			[]string{"Said the president. Hello world."}, ""},
		{"line breaks", `<p>Dijo el presidente.<br>Hola mundo.<br/>En casa.</p>`,
			[]string{"Said the president.<br/>Hello world.<br/>In house."}, "Said the president. Hello world. In house."},
		{"word split by inline markup", `<p>Dijo <strong>l</strong>a casa y el secre<em>tario</em>.</p>`,
			[]string{"Said the house and the secretary."}, ""},
		{"bold starting inside a word", `<p>Dijo el secre<b>tario y el presidente</b>.</p>`,
			[]string{"Said the secretary<b> and the president</b>."}, ""},
		{"bold ending inside a word", `<p><b>Dijo el secre</b>tario.</p>`,
			[]string{"<b>Said the secretary</b>."}, ""},
		{"link followed by a word without a space", `<p>Dijo <a href="/amlo">López Obrador</a>y el presidente.</p>`,
			[]string{`<a href="/amlo">López Obrador</a> and the president`}, "Said López Obrador and the president."},
		{"link followed by a word with a space", `<p>Dijo <a href="/amlo">López Obrador</a> y el presidente.</p>`,
			[]string{`<a href="/amlo">López Obrador</a> and the president`}, ""},
		{"link followed by punctuation", `<p>Con <a href="/amlo">López Obrador</a>, el presidente.</p>`,
			[]string{`<a href="/amlo">López Obrador</a>, the president`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.TranslateHTML(context.Background(), esEn, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got  %s\nwant %s", got, w)
				}
			}
			if tt.text != "" {
				if txt := PlainText(got); txt != tt.text {
					t.Errorf("text %q, want %q", txt, tt.text)
				}
			}
		})
	}
}

// With Apertium: words it does not know stay as written and are marked
// with the source language in HTML, unmarked in plain text; no tag or
// space is lost around links and inline markup.
func TestApertiumBoundariesAndUnknownWords(t *testing.T) {
	a := &Apertium{}
	if !a.Available(esEn) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	s := &Service{Backend: a}
	ctx := context.Background()
	got, err := s.TranslateHTML(ctx, esEn, `<p>Lo dijo <a href="/x">López Obrador</a>y habló en su mañanera.Final triste.<br>Hay que escuchar<strong>lo</strong>.</p>`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="/x">López Obrador</a> and`, `<span lang="es">mañanera</span>.`, `. Sad`, "<br/>"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s\nlacks %s", got, want)
		}
	}
	if n := CountUnknown(got, "es"); n != 1 {
		t.Errorf("CountUnknown = %d, want 1 in %s", n, got)
	}
	txt, err := s.TranslateText(ctx, esEn, "Habló en su mañanera.")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt, " mañanera.") || strings.ContainsAny(txt, "\uE010\uE011*") {
		t.Errorf("plain text %q", txt)
	}
}

// A name right after inline markup is judged in its sentence, not as the
// opening of one.
func TestNameAfterMarkup(t *testing.T) {
	seg := Segment{{Kind: Text, Text: "Lo dijo una consulta de "}, {Kind: Open, HTML: "<em>"}, {Kind: Text, Text: "Castaño"},
		{Kind: Close, HTML: "</em>"}, {Kind: Text, Text: " ayer."}}
	got := protect(seg, nil, esEn, nil)
	if got[2].Kind != Keep || got[2].Text != "Castaño" {
		t.Errorf("after markup: %+v", got)
	}
}
