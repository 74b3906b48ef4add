package extract

import (
	"os"
	"strings"
	"testing"
)

func extractFixture(t *testing.T, name, pageURL string) *Result {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Extract(raw, pageURL)
	if err != nil {
		t.Fatalf("Extract(%s): %v", name, err)
	}
	return res
}

func TestTeasersAndFurnitureRemoved(t *testing.T) {
	tests := []struct {
		file       string
		keep, drop []string
		credit     string
	}{
		{
			file: "seedlike.html",
			keep: []string{
				"The president and the visiting foreign minister met on Wednesday",
				"The meeting was called at short notice",
				"Security, defence and interior ministers also took part",
			},
			drop: []string{"LOOK HERE", "Candidate repeats harsh remarks", "MORE INFORMATION",
				"Record number of people crossed", "Source: Elcomercio", "Share this article",
				"Skip to content", "Most popular", "Storm leaves thousands", "Sign up for our daily newsletter",
				"All rights reserved", "The two delegations sit at a long table"},
			credit: "Elcomercio",
		},
		{
			file: "teasers-es.html",
			keep: []string{"La autoridad portuaria presentó", "Las asociaciones de vecinos", "La empresa adjudicataria"},
			drop: []string{"LEA TAMBIÉN", "El tráfico de contenedores", "MÁS INFORMACIÓN",
				"Los consignatarios reclaman", "Fuente: Agencia EFE", "Comparte esta noticia"},
			credit: "Agencia EFE",
		},
		{
			file: "teasers-pt-fr.html",
			keep: []string{"A prefeitura inaugurou", "Os moradores elogiaram", "A prefeitura promete anunciar"},
			drop: []string{"LEIA TAMBÉM", "Tarifa do transporte", "LIRE AUSSI", "nouveau réseau",
				"READ ALSO", "Bus drivers agree"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := extractFixture(t, tt.file, "https://news.example/article")
			a := res.Article
			for _, s := range tt.keep {
				if !strings.Contains(a.Text, s) {
					t.Errorf("text lost %q:\n%s", s, a.Text)
				}
			}
			for _, s := range tt.drop {
				if strings.Contains(a.Text, s) {
					t.Errorf("text kept furniture %q:\n%s", s, a.Text)
				}
				if strings.Contains(a.BodyHTML, s) {
					t.Errorf("HTML kept furniture %q", s)
				}
			}
			if res.Credit != tt.credit {
				t.Errorf("Credit = %q, want %q", res.Credit, tt.credit)
			}
			if strings.Contains(a.Text, "\n\n\n") || !strings.Contains(a.Text, "\n\n") {
				t.Errorf("paragraphs are not separated by one blank line:\n%q", a.Text)
			}
		})
	}
}

func TestFurnitureClassifier(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"LOOK HERE: Trump on migrants entering the US", true},
		{"MORE INFORMATION: More than 500,000 migrants crossed the jungle in 2023, a historic record", true},
		{"READ ALSO: Something else happened", true},
		{"Lea también: otra noticia", true},
		{"LEIA TAMBÉM: outra notícia", true},
		{"Lire aussi : une autre histoire", true},
		{"Share this article:", true},
		{"Share this article", true},
		{"SEE ALSO: What the minister said", true},
		{"Reading time: 4 minutes", true},
		{"Write to Jane Doe at jane@example.com", true},
		{"CLICK HERE TO GET THE NEWS APP", true},
		{"Sign up for our newsletter to get the news first.", true},
		{"Tags: elections, migration, border", true},
		{"Filed under: Politics |", true},
		{"Etiquetas: migración, frontera", true},
		{"DON'T MISS Storm warning issued for the coast [VIDEO]", true},
		{"Like this story? Share it with a friend!", true},
		{"Updated at 1:23 p.m.", true},
		{"Reporting by Jane Doe; Editing by John Roe", true},
		{"Continue Reading Below", true},
		// Prose and datelines stay.
		{"Updated figures released on Monday show the economy grew faster than expected in the third quarter.", false},
		{"Tags on the luggage showed the bags had been sent to the wrong city twice in one week.", false},
		{"WASHINGTON: The president said on Tuesday that the talks would continue next week.", false},
		{"The minister said: we will look here and there for a solution.", false},
		{"Related research shows the effect is small, the authors wrote in a long paper published this week.", false},
	}
	for _, tt := range tests {
		b := block{text: tt.text, words: countWords(tt.text)}
		if got := furniture(b) != ""; got != tt.want {
			t.Errorf("furniture(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	if c, ok := sourceCredit("Source: Elcomercio"); !ok || c != "Elcomercio" {
		t.Errorf("sourceCredit = %q, %v", c, ok)
	}
	if _, ok := sourceCredit("Source: a very long sentence that is not a credit at all but goes on and on and on"); ok {
		t.Error("a long line is not a source credit")
	}
}

func TestMetadata(t *testing.T) {
	res := extractFixture(t, "seedlike.html", "https://news.example/x")
	a := res.Article
	if a.Title != "Leaders meet in the capital to discuss migration" {
		t.Errorf("Title = %q", a.Title)
	}
	if a.SiteName != "Global Happenings" {
		t.Errorf("SiteName = %q", a.SiteName)
	}
	if a.Byline != "Ana Reportera" {
		t.Errorf("Byline = %q", a.Byline)
	}
	if got := a.Published.Format("2006-01-02T15:04:05-07:00"); got != "2023-12-27T18:05:00-05:00" {
		t.Errorf("Published = %s", got)
	}
	if got := a.Modified.Format("2006-01-02"); got != "2023-12-28" {
		t.Errorf("Modified = %s", got)
	}
	if a.Image != "https://news.example/img/meeting.jpg" || a.Language != "en" {
		t.Errorf("Image %q Language %q", a.Image, a.Language)
	}
	if a.URL != "https://news.example/2023/12/leaders-meet-migration" {
		t.Errorf("URL = %q", a.URL)
	}
}

func TestRefusesNonPages(t *testing.T) {
	for _, raw := range [][]byte{nil, []byte("   "), {0x89, 'P', 'N', 'G', 0, 0, 0}} {
		if _, err := Extract(raw, ""); err == nil {
			t.Errorf("Extract(%q) succeeded", raw)
		}
	}
}
