package eval

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Don't stop—café 42_x, naïve!", []string{"Don", "t", "stop", "café", "42_x", "naïve"}},
		{"Москва, 2024 год", []string{"Москва", "2024", "год"}},
		// A combining mark is not a word character in Python's \w.
		{"cafe\u0301 ok", []string{"cafe", "ok"}},
		{"日本語 テキスト", []string{"日本語", "テキスト"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShingles(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]int
	}{
		{"", map[string]int{}},
		{"one two", map[string]int{"one two": 1}},
		{"a b c d", map[string]int{"a b c d": 1}},
		{"a b c d a b c d", map[string]int{"a b c d": 2, "b c d a": 1, "c d a b": 1, "d a b c": 1}},
	}
	for _, tt := range tests {
		if got := Shingles(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Shingles(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCompareText(t *testing.T) {
	tests := []struct {
		name, gold, pred string
		want             Counts
		p, r             float64
	}{
		{"same", "a b c d e", "a b c d e", Counts{TP: 2}, 1, 1},
		{"both empty", "", "", Counts{}, 1, 1},
		{"nothing predicted", "a b c d e", "", Counts{FN: 2}, 0, 0},
		{"extra", "a b c d", "a b c d e", Counts{TP: 1, FP: 1}, 0.5, 1},
		{"missing", "a b c d e f", "a b c d", Counts{TP: 1, FN: 2}, 1, 1.0 / 3},
		{"repeat counted once", "a b c d", "a b c d . a b c d", Counts{TP: 1, FP: 4}, 0.2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareText(tt.gold, tt.pred)
			if got != tt.want {
				t.Fatalf("CompareText = %+v, want %+v", got, tt.want)
			}
			if !near(got.Precision(), tt.p) || !near(got.Recall(), tt.r) {
				t.Errorf("P, R = %v, %v; want %v, %v", got.Precision(), got.Recall(), tt.p, tt.r)
			}
		})
	}
}

func TestAggregate(t *testing.T) {
	pages := []Counts{
		{TP: 1},        // P 1, R 1
		{TP: 1, FP: 3}, // P .25, R 1
		{FN: 5},        // nothing predicted: left out of the precision mean, R 0
	}
	got := Aggregate(pages)
	wantP, wantR := (1+0.25)/2, 2.0/3
	if got.Pages != 3 || !near(got.Precision, wantP) || !near(got.Recall, wantR) || !near(got.F1, 2*wantP*wantR/(wantP+wantR)) {
		t.Errorf("Aggregate = %+v; want P %v R %v", got, wantP, wantR)
	}
	if z := Aggregate(nil); z != (Score{}) {
		t.Errorf("Aggregate(nil) = %+v", z)
	}
}

func TestCompareSnippets(t *testing.T) {
	c := CompareSnippets("Erster Satz. Zweiter Satz. Impressum",
		[]string{"Erster Satz", "Dritter Satz"}, []string{"Impressum", "Cookies"})
	if want := (SnippetCounts{TP: 1, FN: 1, FP: 1, TN: 1}); c != want {
		t.Fatalf("CompareSnippets = %+v, want %+v", c, want)
	}
	s := SnippetCounts{TP: 8, FP: 2, FN: 4}.Score(3)
	if !near(s.Precision, 0.8) || !near(s.Recall, 8.0/12) || s.Pages != 3 {
		t.Errorf("Score = %+v", s)
	}
	if e := CompareSnippets("", []string{"x"}, []string{"y"}); e != (SnippetCounts{FN: 1, TN: 1}) {
		t.Errorf("empty output: %+v", e)
	}
}

func TestMetadataMatch(t *testing.T) {
	if !TitleMatches("  A  title\n", "A title") || TitleMatches("A title", "A Title") || TitleMatches("", "") {
		t.Error("TitleMatches")
	}
	authors := []struct {
		gold   []string
		byline string
		want   bool
	}{
		{[]string{"Heike Buchter"}, "Heike Buchter", true},
		{[]string{"Heike Buchter"}, "By HEIKE BUCHTER", true},
		{[]string{"Ann Author", "Bob Writer"}, "Bob Writer; Ann Author", true},
		{[]string{"By Ann Author and Bob Writer"}, "Ann Author, Bob Writer", true},
		{[]string{"Ann Author"}, "Ann Author, Bob Writer", false},
		{[]string{"Ann Author"}, "", false},
	}
	for _, a := range authors {
		if got := AuthorsMatch(a.gold, a.byline); got != a.want {
			t.Errorf("AuthorsMatch(%q, %q) = %v", a.gold, a.byline, got)
		}
	}
	est := time.FixedZone("EST", -5*3600)
	dates := []struct {
		gold string
		pred time.Time
		want bool
	}{
		{"2024-03-01T23:30:00-05:00", time.Date(2024, 3, 1, 23, 30, 0, 0, est), true},
		{"2024-03-01", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), true},
		{"2024-03-01", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), false},
		{"2024-03-01", time.Time{}, false},
	}
	for _, d := range dates {
		if got := DateMatches(d.gold, d.pred); got != d.want {
			t.Errorf("DateMatches(%q, %v) = %v", d.gold, d.pred, got)
		}
	}
}

func TestLoadAndScoreFixtureSets(t *testing.T) {
	set, err := LoadExtractSet("testdata/extract/fulltext")
	if err != nil {
		t.Fatal(err)
	}
	if set.Kind != FullText || len(set.Pages) != 2 || set.Pages[0].ID != "one" {
		t.Fatalf("fulltext set: %+v", set)
	}
	if m := set.Pages[0].Meta; m.Title != "One" || len(m.Authors) != 1 || m.Date == "" {
		t.Errorf("metadata not loaded: %+v", m)
	}
	ref, err := LoadReference("testdata/extract/fulltext/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	rep := ScoreReference(set, ref)
	if !near(rep.Precision, 0.5) || !near(rep.Recall, 0.5) || !near(rep.F1, 0.5) || rep.Pages != 2 {
		t.Errorf("reference score = %+v, want 0.5 each", rep.Score)
	}
	if w := rep.Worst(1); len(w) != 1 || w[0].Page.ID != "two" {
		t.Errorf("worst page = %v", w)
	}

	snip, err := LoadExtractSet("testdata/extract/snippets")
	if err != nil {
		t.Fatal(err)
	}
	if snip.Kind != Snippets || len(snip.Pages) != 1 || snip.Pages[0].URL != "https://example.org/de1" {
		t.Fatalf("snippet set: %+v", snip)
	}
	raw, err := snip.Pages[0].ReadHTML()
	if err != nil || len(raw) == 0 {
		t.Fatalf("ReadHTML: %v", err)
	}
	r := PageResult{Page: &snip.Pages[0], Pred: Prediction{
		Text: "Erster Satz im Artikel. Zweiter Satz.", Title: "Erster", Byline: "Eva Muster",
		Date: time.Date(2020, 2, 3, 10, 0, 0, 0, time.UTC)}}
	ScorePage(snip.Kind, &r)
	srep := Report(snip.Kind, []PageResult{r})
	if srep.F1 != 1 || srep.Meta["title"].Rate != 1 || srep.Meta["author"].Rate != 1 || srep.Meta["date"].Rate != 1 {
		t.Errorf("snippet report = %+v %+v", srep.Score, srep.Meta)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
