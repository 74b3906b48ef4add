package extract

import (
	"flag"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files testdata/*.html-result")

// TestFailureClasses extracts a page built like each way extraction used
// to fail on pages it was not tuned on, and compares the text with its
// golden file (testdata/x.html-result; go test -update rewrites them).
// The drop lists say what each page is about.
func TestFailureClasses(t *testing.T) {
	tests := []struct {
		file string
		drop []string // text of the failure class that must not come out
	}{
		// The whole page, or its navigation, kept: menus, a long dropdown
		// of other stories, a list of restaurants, the footer.
		{"navigation.html", []string{"Politics", "council agrees budget", "The Arden Arms", "All rights reserved", "By Mara Quint"}},
		// Reader comments after a share bar, and a list of other stories.
		{"comments.html", []string{"forty years", "taxpayers", "reader1", "Reply", "Twitter", "ferry timetable"}},
		// A long article in sections: nothing after the first part lost.
		{"long.html", []string{"ferry timetable", "Privacy"}},
		// The article inside <a name> anchors left open: not a link.
		{"anchors.html", []string{"Politics", "Weather"}},
		// A short article beside a longer sidebar of tour dates and a
		// blogroll: the article is chosen.
		{"sidebar.html", []string{"Tour dates", "box office", "harbour diary", "Blogroll"}},
		// Issue 16's furniture, by what it is: a "MIRA |" teaser line, an
		// image card to another story, "Lea aquí:" and "(Ver nota ...)"
		// teasers, a subscription prompt.
		{"cards-es.html", []string{"MIRA", "Los pescadores cortan", "plan de obras", "Leer más", "Lea aquí", "nunca se terminó", "Las dragas llegan", "Ver nota", "sobre la rampa", "suscripción"}},
		// A name's hover card glued into the sentence.
		{"hovercard.html", []string{"Ana LindqvistAna", "Senate panel delays", "leniency"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := extractFixture(t, tt.file, "https://news.example/2024/breakwater")
			got := res.Article.Text + "\n"
			for _, s := range tt.drop {
				if strings.Contains(got, s) {
					t.Errorf("text kept %q", s)
				}
			}
			golden := "testdata/" + tt.file + "-result"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("text differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestNamedAnchorIsNotALink(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div><p><a name="top">A bookmark around words of text</a> and <a href="/x">a link</a></p></div>`))
	if err != nil {
		t.Fatal(err)
	}
	bs := blocksOf(doc)
	if len(bs) != 1 {
		t.Fatalf("blocks = %d, want 1", len(bs))
	}
	if bs[0].links > len(" a link") {
		t.Errorf("link bytes = %d, want at most %d (only the href link)", bs[0].links, len(" a link"))
	}
}

func TestConfident(t *testing.T) {
	prose := strings.Repeat("<p>The council met on Monday and agreed the plan after a long debate about its cost.</p>", 8)
	tests := []struct {
		name, body string
		want       bool
	}{
		{"article", prose, true},
		{"headline and byline first", "<h1>Council agrees plan</h1><p>By A. Writer</p>" + prose, false},
		{"a fragment", "<p>The council met on Monday and agreed the plan after a long debate.</p>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<div>" + tt.body + "</div>"))
			if err != nil {
				t.Fatal(err)
			}
			if _, got := confident(newCandidate("readability", doc)); got != tt.want {
				t.Errorf("confident = %v, want %v", got, tt.want)
			}
		})
	}
}
