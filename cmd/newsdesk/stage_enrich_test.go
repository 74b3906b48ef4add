package main

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestImportEnriches(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{{nil, true}, {map[string]string{"NEWSDESK_ENRICH": "off"}, false}} {
		db := filepath.Join(t.TempDir(), "enrich.db")
		if code, out, errOut := runCmd(t, tc.env, "import", "--db", db, "testdata/article.html"); code != exitOK {
			t.Fatalf("import: %d %q %q", code, out, errOut)
		}
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		en, err := st.Enrichment(context.Background(), 1)
		st.Close()
		if !tc.want {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("NEWSDESK_ENRICH=off: enrichment %+v, %v", en, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range en.Figures {
			if f.Value == 2.2e6 && f.Unit == "migrantes" && f.Qualifier == "más de" && f.Period == "entre enero y noviembre" {
				found = true
			}
		}
		if !found {
			t.Errorf("figure not found in %+v", en.Figures)
		}
	}
}
