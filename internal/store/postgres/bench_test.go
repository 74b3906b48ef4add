package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// BenchmarkSearch runs storetest's search benchmark on PostgreSQL. The
// newsroom is loaded once into a database of its own on the server that
// NEWSDESK_BENCH_POSTGRES (else NEWSDESK_TEST_POSTGRES) names, called
// newsdesk_bench_SIZE_SCHEMA, and reused by later runs of the same size
// and schema:
//
//	NEWSDESK_BENCH_ARTICLES=1000000 NEWSDESK_BENCH_POSTGRES=postgres://localhost/postgres \
//	  go test ./internal/store/postgres -run '^$' -bench Search -benchtime 106x -timeout 5h
func BenchmarkSearch(b *testing.B) {
	n := storetest.BenchSize()
	s, err := Open(context.Background(), benchDatabase(b, n))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	bulkLoad(b, s, n)
	storetest.RunSearchBench(b, s, n)
}

// BenchmarkUpsert measures storing articles one upsert at a time into a
// new database, the search index kept up to date with each.
func BenchmarkUpsert(b *testing.B) {
	s, err := Open(context.Background(), freshDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchUpsert(b, s)
}

// benchDatabase returns the DSN of the newsroom's database, creating it
// empty when missing.
func benchDatabase(b *testing.B, n int) string {
	dsn := os.Getenv("NEWSDESK_BENCH_POSTGRES")
	if dsn == "" {
		dsn = testDSN(b)
	}
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
	name := fmt.Sprintf("newsdesk_bench_%d_%s", n, hex.EncodeToString(h.Sum(nil))[:10])
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var have int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have == 0 {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			b.Fatal(err)
		}
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("database %s", name)
	return withDatabase(dsn, cfg.Database, name)
}

// bulkLoad adds the newsroom's missing articles with COPY, 20,000 a
// transaction, the search index kept up to date as they come; then
// analyzes the table, as autovacuum would soon after.
func bulkLoad(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have >= n {
		bulkTranslations(b, s, n)
		return
	}
	b.Logf("loading articles %d to %d", have, n)
	syn := storetest.NewSynth(42)
	for i := range have {
		syn.Article(i) // the generator is sequential: article i is the same whatever was stored before
	}
	cols := []string{"source_id", "url", "fetch_url", "site_name", "title", "byline", "published_at", "modified_at",
		"language", "image", "image_alt", "description", "body_html", "text", "content_hash", "fetched_at",
		"first_seen_at", "updated_at", "sort_at"}
	now := toMillis(time.Now())
	start := time.Now()
	const batch = 20000
	for i := have; i < n; {
		rows := make([][]any, 0, batch)
		for end := min(i+batch, n); i < end; i++ {
			a := syn.Article(i)
			pub := toMillis(a.Published)
			rows = append(rows, []any{int64(0), a.URL, "", a.SiteName, a.Title, "", pub, int64(0), a.Language, "", "", "",
				a.BodyHTML, a.Text, fmt.Sprint(i), now, now, now, pub})
		}
		if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"articles"}, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		if i%100000 == 0 || i == n {
			b.Logf("loaded %d/%d (%.0f articles/s)", i, n, float64(i-have)/time.Since(start).Seconds())
		}
	}
	b.Logf("loaded %d articles in %s", n-have, time.Since(start).Round(time.Second))
	bulkTranslations(b, s, n)
}

// bulkTranslations adds the newsroom's missing translations (one article
// in five has one) with COPY into a scratch table and one INSERT ...
// SELECT a batch, the trigger indexing each as it comes; then analyzes
// the table, as autovacuum would soon after.
func bulkTranslations(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM article_translations`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	want := storetest.BenchTranslations(n)
	if have >= want {
		return
	}
	b.Logf("loading %d translations", want-have)
	syn := storetest.NewSynth(42)
	now := toMillis(time.Now())
	start := time.Now()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS bench_translations (url text, lang text, source_lang text,
		title text, body_html text, body_text text, translated_at bigint)`); err != nil {
		b.Fatal(err)
	}
	cols := []string{"url", "lang", "source_lang", "title", "body_html", "body_text", "translated_at"}
	const batch = 100000 // articles, a fifth of them translated
	for i := 0; i < n; {
		var rows [][]any
		for end := min(i+batch, n); i < end; i++ {
			if storetest.BenchTranslated(i) {
				t := syn.Translation(i)
				rows = append(rows, []any{storetest.BenchURL(i), t.Lang, t.SourceLang, t.Title, t.BodyHTML, t.Text, toMillis(t.TranslatedAt)})
			}
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"bench_translations"}, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		_, err := conn.Exec(ctx, `INSERT INTO article_translations (article_id, lang, source_lang, backend, engine, title,
			body_html, body_text, status, translated_at, updated_at)
			SELECT a.id, t.lang, t.source_lang, 'bench', 'Bench', t.title, t.body_html, t.body_text, 'done', t.translated_at, $1
			FROM bench_translations t JOIN articles a ON a.url = t.url
			ON CONFLICT (article_id, lang) DO NOTHING`, now)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `TRUNCATE bench_translations`); err != nil {
			b.Fatal(err)
		}
		b.Logf("translations of %d/%d articles (%.0f translations/s)", i, n, float64(i/5)/time.Since(start).Seconds())
	}
	b.Logf("loaded %d translations in %s", want-have, time.Since(start).Round(time.Second))
	t0 := time.Now()
	if _, err := s.pool.Exec(ctx, `VACUUM ANALYZE articles`); err != nil {
		b.Fatal(err)
	}
	b.Logf("vacuum analyze in %s", time.Since(t0).Round(time.Second))
}
