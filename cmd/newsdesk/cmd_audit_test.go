package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// audit --json reads articles and translations through the store and ends
// with one JSON object whose totals hold every count.
func TestAuditJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	a := &news.Article{URL: "https://example.com/a", Language: "es", Title: "La Corte Suprema y Marcelino Iglesias",
		Text: "Dijo que Marcelino Iglesias votó.\nLee más"}
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveTranslation(ctx, &news.Translation{ArticleID: a.ID, Lang: "en", SourceLang: "es", Backend: "apertium",
		Engine: "Apertium", Title: "The Supreme Court and Marcelino Churches", Text: "He said that Marcelino Churches voted.Read more",
		Status: news.TranslationDone}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut := runCmd(t, map[string]string{"NEWSDESK_DB": db, "NEWSDESK_TRANSLATE_BACKEND": "apertium"}, "audit", "--json")
	if code != exitOK {
		t.Fatalf("audit: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var rep struct {
		Totals   map[string]int `json:"totals"`
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatalf("last line is no JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"glued", "escaped", "furniture", "untranslated", "invented", "names_total", "names_kept"} {
		if _, ok := rep.Totals[k]; !ok {
			t.Errorf("totals lack %q: %v", k, rep.Totals)
		}
	}
	if len(rep.Articles) != 1 || rep.Articles[0].ID != a.ID {
		t.Errorf("articles %+v", rep.Articles)
	}
	if rep.Totals["glued"] != 1 || rep.Totals["furniture"] != 1 || rep.Totals["names_total"] != 1 || rep.Totals["names_kept"] != 0 {
		t.Errorf("totals %v", rep.Totals)
	}
}
