package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkSearch runs storetest's search benchmark on SQLite:
//
//	NEWSDESK_BENCH_ARTICLES=1000000 go test ./internal/store/sqlite -run '^$' \
//	  -bench Search -benchtime 106x -timeout 3h
//
// The newsroom is loaded once into /tmp/newsdesk-bench (or the file
// NEWSDESK_BENCH_SQLITE names) and reused by later runs of the same size
// and schema.
func BenchmarkSearch(b *testing.B) {
	n := storetest.BenchSize()
	path := os.Getenv("NEWSDESK_BENCH_SQLITE")
	if path == "" {
		dir := filepath.Join(os.TempDir(), "newsdesk-bench")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		path = filepath.Join(dir, fmt.Sprintf("sqlite-%d-%s.db", n, schemaHash(b)))
	}
	st, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	bulkLoad(b, st, n)
	storetest.RunSearchBench(b, st, n)
}

// BenchmarkUpsert measures storing articles one upsert at a time into a
// new database, the full-text index kept up to date by its triggers.
func BenchmarkUpsert(b *testing.B) {
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "upsert.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	storetest.BenchUpsert(b, st)
}

// schemaHash names the schema the migrations make, so a cached newsroom
// is never read by a build whose schema differs.
func schemaHash(b *testing.B) string {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := migrations.ReadFile(path)
		h.Write([]byte(path))
		h.Write(body)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// bulkLoad adds the newsroom's missing articles, 10,000 a transaction
// through one prepared statement; the triggers index each as it comes.
func bulkLoad(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	var have int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have >= n {
		bulkTranslations(b, s, n)
		return
	}
	b.Logf("loading articles %d to %d", have, n)
	syn := storetest.NewSynth(42)
	start := time.Now()
	now := time.Now().UTC()
	const batch = 10000
	for i := 0; i < n; {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		// A larger page cache for the load only: the index's merges read
		// back what they wrote.
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO articles (source_id, url, fetch_url, site_name, title, byline,
			published_at, modified_at, language, image, image_alt, description, body_html, text, content_hash,
			fetched_at, first_seen_at, updated_at, sort_at) VALUES (0,?,'',?,?,'',?,0,?,'','','',?,?,?,?,?,?,?)`)
		if err != nil {
			b.Fatal(err)
		}
		for end := min(i+batch, n); i < end; i++ {
			a := syn.Article(i) // always made, so article i is the same whatever was stored before
			if i < have {
				continue
			}
			_, err := stmt.ExecContext(ctx, a.URL, a.SiteName, a.Title, toMillis(a.Published), a.Language,
				a.BodyHTML, a.Text, fmt.Sprint(i), toMillis(now), toMillis(now), toMillis(now), sortAt(a.Published, now))
			if err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		if i%100000 == 0 || i == n {
			b.Logf("loaded %d/%d (%.0f articles/s)", i, n, float64(i-have)/time.Since(start).Seconds())
		}
	}
	if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d articles in %s", n-have, time.Since(start).Round(time.Second))
	bulkTranslations(b, s, n)
}

// bulkTranslations adds the newsroom's missing translations (one article
// in five has one), 10,000 a transaction; the triggers rewrite each
// article's row of the index as they come.
func bulkTranslations(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	var have int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM article_translations`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	want := storetest.BenchTranslations(n)
	if have >= want {
		return
	}
	b.Logf("loading %d translations", want-have)
	syn := storetest.NewSynth(42)
	start, now := time.Now(), toMillis(time.Now())
	const batch = 10000
	for i := 0; i < n; {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO article_translations (article_id, lang, source_lang,
			backend, engine, title, body_html, body_text, status, translated_at, updated_at)
			SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM articles WHERE url = ?`)
		if err != nil {
			b.Fatal(err)
		}
		for end := min(i+batch*5, n); i < end; i++ {
			if !storetest.BenchTranslated(i) {
				continue
			}
			t := syn.Translation(i)
			if _, err := stmt.ExecContext(ctx, t.Lang, t.SourceLang, t.Backend, t.Engine, t.Title, t.BodyHTML, t.Text,
				string(t.Status), toMillis(t.TranslatedAt), now, storetest.BenchURL(i)); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		if i%500000 == 0 || i == n {
			b.Logf("translations of %d/%d articles (%.0f translations/s)", i, n, float64(i/5)/time.Since(start).Seconds())
		}
	}
	if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d translations in %s", want-have, time.Since(start).Round(time.Second))
}
