package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const articleCols = `a.id, a.source_id, a.url, a.fetch_url, a.site_name, a.title, a.byline,
	a.published_at, a.modified_at, a.language, a.image, a.image_alt, a.description,
	a.body_html, a.text, a.content_hash, a.fetched_at, a.first_seen_at, a.updated_at`

func scanArticle(r pgx.Row, a *news.Article, extra ...any) error {
	var pub, mod, fetched, first, updated int64
	dest := []any{&a.ID, &a.SourceID, &a.URL, &a.FetchURL, &a.SiteName, &a.Title, &a.Byline,
		&pub, &mod, &a.Language, &a.Image, &a.ImageAlt, &a.Description,
		&a.BodyHTML, &a.Text, &a.ContentHash, &fetched, &first, &updated}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	a.Published, a.Modified = fromMillis(pub), fromMillis(mod)
	a.FetchedAt, a.FirstSeenAt, a.UpdatedAt = fromMillis(fetched), fromMillis(first), fromMillis(updated)
	return nil
}

// UpsertArticle implements store.ArticleStore. Concurrent upserts of one URL
// are safe: the unique index on url decides which inserts, the others wait
// for it and then compare content under a row lock.
func (s *Store) UpsertArticle(ctx context.Context, a *news.Article) (store.Outcome, error) {
	if a.URL == "" {
		return 0, fmt.Errorf("postgres: article has no URL")
	}
	if a.ContentHash == "" {
		a.ContentHash = news.ContentHash(a.Title, a.Text)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if a.FetchedAt.IsZero() {
		a.FetchedAt = now
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: upsert %s: %w", a.URL, err)
	}
	defer tx.Rollback(ctx)

	var id, first int64
	var hash string
	const existing = `SELECT id, content_hash, first_seen_at FROM articles WHERE url = $1 FOR UPDATE`
	err = tx.QueryRow(ctx, existing, a.URL).Scan(&id, &hash, &first)
	if errors.Is(err, pgx.ErrNoRows) {
		// Look first, insert second: an unchanged re-fetch (the common case)
		// then burns no identity value.
		err = tx.QueryRow(ctx, `INSERT INTO articles (source_id, url, fetch_url, site_name, title, byline,
			published_at, modified_at, language, image, image_alt, description, body_html, text, content_hash,
			fetched_at, first_seen_at, updated_at, sort_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
			ON CONFLICT (url) DO NOTHING RETURNING id`,
			a.SourceID, a.URL, a.FetchURL, a.SiteName, a.Title, a.Byline, toMillis(a.Published), toMillis(a.Modified),
			a.Language, a.Image, a.ImageAlt, a.Description, a.BodyHTML, a.Text, a.ContentHash,
			toMillis(a.FetchedAt), toMillis(now), toMillis(now), sortAt(a.Published, now)).Scan(&a.ID)
		switch {
		case err == nil:
			a.FirstSeenAt, a.UpdatedAt = now, now
			if err := tx.Commit(ctx); err != nil {
				return 0, fmt.Errorf("postgres: insert %s: %w", a.URL, err)
			}
			return store.Inserted, nil
		case errors.Is(err, pgx.ErrNoRows):
			// Another writer inserted it after our look; it has committed.
			err = tx.QueryRow(ctx, existing, a.URL).Scan(&id, &hash, &first)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: upsert %s: %w", a.URL, err)
	}
	a.ID, a.FirstSeenAt = id, fromMillis(first)
	if hash == a.ContentHash {
		return store.Unchanged, nil
	}
	a.UpdatedAt = now
	_, err = tx.Exec(ctx, `UPDATE articles SET source_id = $1, fetch_url = $2, site_name = $3, title = $4, byline = $5,
		published_at = $6, modified_at = $7, language = $8, image = $9, image_alt = $10, description = $11, body_html = $12,
		text = $13, content_hash = $14, fetched_at = $15, updated_at = $16, sort_at = $17 WHERE id = $18`,
		a.SourceID, a.FetchURL, a.SiteName, a.Title, a.Byline, toMillis(a.Published), toMillis(a.Modified),
		a.Language, a.Image, a.ImageAlt, a.Description, a.BodyHTML, a.Text, a.ContentHash,
		toMillis(a.FetchedAt), toMillis(now), sortAt(a.Published, a.FirstSeenAt), id)
	if err != nil {
		return 0, fmt.Errorf("postgres: update %s: %w", a.URL, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("postgres: update %s: %w", a.URL, err)
	}
	return store.Updated, nil
}

// sortAt is the time an article is listed under: its published time, unless
// unknown or implausibly in the future, when its first-seen time. Same rule
// as store/sqlite.
func sortAt(published, firstSeen time.Time) int64 {
	if published.IsZero() || published.After(firstSeen.Add(24*time.Hour)) {
		return toMillis(firstSeen)
	}
	return toMillis(published)
}

// Article implements store.ArticleStore.
func (s *Store) Article(ctx context.Context, id int64) (*news.Article, error) {
	return s.one(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = $1`, id)
}

// ArticleByURL implements store.ArticleStore.
func (s *Store) ArticleByURL(ctx context.Context, url string) (*news.Article, error) {
	return s.one(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.url = $1`, url)
}

func (s *Store) one(ctx context.Context, query string, arg any) (*news.Article, error) {
	var a news.Article
	err := scanArticle(s.pool.QueryRow(ctx, query, arg), &a)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: article %v: %w", arg, err)
	}
	return &a, nil
}

// filter builds the conditions shared by listings and search, numbering
// its placeholders after the n arguments the caller already has.
type filter struct {
	conds []string
	args  []any
}

func (f *filter) add(cond string, arg any) {
	f.args = append(f.args, arg)
	f.conds = append(f.conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(f.args))))
}

func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(f.conds, " AND ")
}

func (f *filter) next() string { return fmt.Sprintf("$%d", len(f.args)+1) }

func newFilter(args []any, source int64, site, lang string, since, until time.Time) *filter {
	f := &filter{args: args}
	if source != 0 {
		f.add("a.source_id = ?", source)
	}
	if site != "" {
		f.add("a.site_name = ?", site)
	}
	if lang != "" {
		f.add("a.language = ?", lang)
	}
	if !since.IsZero() {
		f.add("a.sort_at >= ?", toMillis(since))
	}
	if !until.IsZero() {
		f.add("a.sort_at < ?", toMillis(until))
	}
	return f
}

// ListArticles implements store.ArticleStore.
func (s *Store) ListArticles(ctx context.Context, f store.ArticleFilter) ([]news.Article, error) {
	w := newFilter(nil, f.SourceID, f.Site, f.Language, f.Since, f.Until)
	cond := w.where()
	lim := w.next()
	w.args = append(w.args, store.Limit(f.Limit, 20, 1000))
	off := w.next()
	w.args = append(w.args, max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM articles a WHERE true`+cond+
		` ORDER BY a.sort_at DESC, a.id DESC LIMIT `+lim+` OFFSET `+off, w.args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list articles: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		if err := scanArticle(rows, &a); err != nil {
			return nil, fmt.Errorf("postgres: list articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list articles: %w", err)
	}
	return out, nil
}

// CountArticles implements store.ArticleStore.
func (s *Store) CountArticles(ctx context.Context, f store.ArticleFilter) (int, error) {
	w := newFilter(nil, f.SourceID, f.Site, f.Language, f.Since, f.Until)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM articles a WHERE true`+w.where(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count articles: %w", err)
	}
	return n, nil
}

// tsQuery turns what a reader typed into safe to_tsquery operands: every
// word is quoted (so &, |, !, <->, : or a stray quote are just text) and
// all must match. The last word, on the rule store/sqlite's FTS5 query
// uses, may also be the beginning of a word: it is returned apart, as
// prefix, for newsdesk_tsquery.
func tsQuery(text string) (words, prefix string) {
	ws := store.QueryWords(text)
	if len(ws) == 0 {
		return "", ""
	}
	isPrefix := store.PrefixLast(ws)
	for i, w := range ws {
		ws[i] = quoteLexeme(w)
	}
	if isPrefix {
		prefix, ws = ws[len(ws)-1], ws[:len(ws)-1]
	}
	return strings.Join(ws, " & "), prefix
}
