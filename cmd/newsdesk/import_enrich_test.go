package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func TestEnrichCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "enrich.db")
	off := map[string]string{"NEWSDESK_ENRICH": "off"}
	if code, out, errOut := runCmd(t, off, "import", "--db", db, "testdata/article.html"); code != exitOK {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	code, out, errOut := runCmd(t, nil, "enrich", "--db", db, "--json")
	if code != exitOK {
		t.Fatalf("enrich: %d %q %q", code, out, errOut)
	}
	var sum struct{ Articles, Figures int }
	if err := json.Unmarshal([]byte(lastLine(out)), &sum); err != nil || sum.Articles != 1 || sum.Figures == 0 {
		t.Errorf("summary %q: %+v %v", out, sum, err)
	}
	if code, _, _ := runCmd(t, nil, "enrich", "--db", db, "--since", "yesterday"); code != exitUsage {
		t.Errorf("bad --since: exit %d", code)
	}

	enrichStdin = strings.NewReader("El presidente de México, Andrés Manuel López Obrador, recibió a más de 6.000 migrantes.")
	defer func() { enrichStdin = os.Stdin }()
	code, out, _ = runCmd(t, nil, "enrich", "--stdin", "--lang", "es")
	if code != exitOK || !strings.Contains(out, `"Key":"andres-manuel-lopez-obrador"`) && !strings.Contains(out, `"key":"andres-manuel-lopez-obrador"`) {
		t.Errorf("enrich --stdin: %d %s", code, out)
	}
}
