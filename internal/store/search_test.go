package store

import (
	"strings"
	"testing"
	"time"
)

func TestSnippet(t *testing.T) {
	text := "One two three. Migrants walk north; the caravan of migrantes reached López's town. Four five six seven."
	got, marks := Snippet(text, []string{"lopez", "migrant"}, true, 9)
	var marked []string
	for _, m := range marks {
		marked = append(marked, got[m[0]:m[1]])
	}
	if want := "Migrants,migrantes,López"; strings.Join(marked, ",") != want {
		t.Errorf("marked %q in %q, want %s", marked, got, want)
	}
	if !strings.HasPrefix(got, "… Migrants") || !strings.HasSuffix(got, " …") {
		t.Errorf("snippet %q: want ellipses on both sides", got)
	}
	// Without the prefix rule only whole words match.
	if _, marks := Snippet(text, []string{"migrant"}, false, 8); len(marks) != 0 {
		t.Errorf("whole-word search marked %v", marks)
	}
	// A short text is all of it; no match gives its beginning.
	if got, marks := Snippet("Just this.", []string{"nothing"}, false, 24); got != "Just this" || marks != nil {
		t.Errorf("short text: %q %v", got, marks)
	}
	if got, _ := Snippet("", []string{"x"}, false, 24); got != "" {
		t.Errorf("empty text: %q", got)
	}
}

func TestRankCandidatesAndPage(t *testing.T) {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	c := []SearchCandidate{
		{ID: 1, Relevance: 1, At: now},
		{ID: 2, Relevance: 3, At: now.Add(-SearchHalfLife)},     // 1.5 on the window's scale
		{ID: 3, Relevance: 3, At: now.Add(-2 * SearchHalfLife)}, // 0.75
		{ID: 4, Relevance: 1, At: now},                          // ties with 1: higher ID first
	}
	scores := RankCandidates(c)
	var order []int64
	for _, x := range c {
		order = append(order, x.ID)
	}
	if got := order; got[0] != 2 || got[1] != 4 || got[2] != 1 || got[3] != 3 {
		t.Errorf("order %v, want [2 4 1 3]", got)
	}
	if scores[0] < 1.49 || scores[0] > 1.51 {
		t.Errorf("score of a match one half-life old with relevance 3: %v, want 1.5", scores[0])
	}
	page, _, skip, rest := SearchPage(c, scores, true, 2, 5)
	if len(page) != 2 || page[0].ID != 1 || skip != 0 || rest != 3 {
		t.Errorf("page at 2 of 5: %v, older skip %d limit %d", page, skip, rest)
	}
	if page, _, skip, rest := SearchPage(c, scores, true, 10, 5); len(page) != 0 || skip != 6 || rest != 5 {
		t.Errorf("page at 10: %v, older skip %d limit %d", page, skip, rest)
	}
	if _, _, _, rest := SearchPage(c, scores, false, 2, 5); rest != 0 {
		t.Errorf("no older matches, yet asked for %d", rest)
	}
}
