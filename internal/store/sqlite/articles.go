package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const articleCols = `a.id, a.source_id, a.url, a.fetch_url, a.site_name, a.title, a.byline,
	a.published_at, a.modified_at, a.language, a.image, a.image_alt, a.description,
	a.body_html, a.text, a.content_hash, a.fetched_at, a.first_seen_at, a.updated_at`

type scanner interface{ Scan(dest ...any) error }

// scanArticle reads articleCols into a, then any extra columns.
func scanArticle(r scanner, a *news.Article, extra ...any) error {
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

// UpsertArticle implements store.ArticleStore.
func (s *Store) UpsertArticle(ctx context.Context, a *news.Article) (store.Outcome, error) {
	if a.URL == "" {
		return 0, fmt.Errorf("sqlite: article has no URL")
	}
	if a.ContentHash == "" {
		a.ContentHash = news.ContentHash(a.Title, a.Text)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if a.FetchedAt.IsZero() {
		a.FetchedAt = now
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: upsert %s: %w", a.URL, err)
	}
	defer tx.Rollback()

	var id, first int64
	var hash string
	err = tx.QueryRowContext(ctx, `SELECT id, content_hash, first_seen_at FROM articles WHERE url = ?`, a.URL).Scan(&id, &hash, &first)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		a.FirstSeenAt, a.UpdatedAt = now, now
		res, err := tx.ExecContext(ctx, `INSERT INTO articles (source_id, url, fetch_url, site_name, title, byline,
			published_at, modified_at, language, image, image_alt, description, body_html, text, content_hash,
			fetched_at, first_seen_at, updated_at, sort_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			a.SourceID, a.URL, a.FetchURL, a.SiteName, a.Title, a.Byline, toMillis(a.Published), toMillis(a.Modified),
			a.Language, a.Image, a.ImageAlt, a.Description, a.BodyHTML, a.Text, a.ContentHash,
			toMillis(a.FetchedAt), toMillis(now), toMillis(now), sortAt(a.Published, now))
		if err != nil {
			return 0, fmt.Errorf("sqlite: insert %s: %w", a.URL, err)
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return 0, err
		}
		return store.Inserted, tx.Commit()
	case err != nil:
		return 0, fmt.Errorf("sqlite: upsert %s: %w", a.URL, err)
	}
	a.ID, a.FirstSeenAt = id, fromMillis(first)
	if hash == a.ContentHash {
		return store.Unchanged, nil
	}
	a.UpdatedAt = now
	_, err = tx.ExecContext(ctx, `UPDATE articles SET source_id = ?, fetch_url = ?, site_name = ?, title = ?, byline = ?,
		published_at = ?, modified_at = ?, language = ?, image = ?, image_alt = ?, description = ?, body_html = ?,
		text = ?, content_hash = ?, fetched_at = ?, updated_at = ?, sort_at = ? WHERE id = ?`,
		a.SourceID, a.FetchURL, a.SiteName, a.Title, a.Byline, toMillis(a.Published), toMillis(a.Modified),
		a.Language, a.Image, a.ImageAlt, a.Description, a.BodyHTML, a.Text, a.ContentHash,
		toMillis(a.FetchedAt), toMillis(now), sortAt(a.Published, a.FirstSeenAt), id)
	if err != nil {
		return 0, fmt.Errorf("sqlite: update %s: %w", a.URL, err)
	}
	return store.Updated, tx.Commit()
}

// sortAt is the time an article is listed under: its published time, unless
// unknown or implausibly in the future, when its first-seen time.
func sortAt(published, firstSeen time.Time) int64 {
	if published.IsZero() || published.After(firstSeen.Add(24*time.Hour)) {
		return toMillis(firstSeen)
	}
	return toMillis(published)
}

// Article implements store.ArticleStore.
func (s *Store) Article(ctx context.Context, id int64) (*news.Article, error) {
	return s.one(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = ?`, id)
}

// ArticleByURL implements store.ArticleStore.
func (s *Store) ArticleByURL(ctx context.Context, url string) (*news.Article, error) {
	return s.one(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.url = ?`, url)
}

func (s *Store) one(ctx context.Context, query string, arg any) (*news.Article, error) {
	var a news.Article
	err := scanArticle(s.db.QueryRowContext(ctx, query, arg), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: article %v: %w", arg, err)
	}
	return &a, nil
}

// where builds the filter clause shared by listings and search.
func where(source int64, site, lang string, since, until time.Time) (string, []any) {
	var conds []string
	var args []any
	if source != 0 {
		conds, args = append(conds, "a.source_id = ?"), append(args, source)
	}
	if site != "" {
		conds, args = append(conds, "a.site_name = ?"), append(args, site)
	}
	if lang != "" {
		conds, args = append(conds, "a.language = ?"), append(args, lang)
	}
	if !since.IsZero() {
		conds, args = append(conds, "a.sort_at >= ?"), append(args, toMillis(since))
	}
	if !until.IsZero() {
		conds, args = append(conds, "a.sort_at < ?"), append(args, toMillis(until))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// ListArticles implements store.ArticleStore.
func (s *Store) ListArticles(ctx context.Context, f store.ArticleFilter) ([]news.Article, error) {
	cond, args := where(f.SourceID, f.Site, f.Language, f.Since, f.Until)
	args = append(args, store.Limit(f.Limit, 20, 1000), max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE 1=1`+cond+
		` ORDER BY a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list articles: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		if err := scanArticle(rows, &a); err != nil {
			return nil, fmt.Errorf("sqlite: list articles: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountArticles implements store.ArticleStore.
func (s *Store) CountArticles(ctx context.Context, f store.ArticleFilter) (int, error) {
	cond, args := where(f.SourceID, f.Site, f.Language, f.Since, f.Until)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles a WHERE 1=1`+cond, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count articles: %w", err)
	}
	return n, nil
}
