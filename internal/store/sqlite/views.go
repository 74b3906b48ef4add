package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.ViewStore = (*Store)(nil)

// lastPurge is when expired client rows were last deleted (unix ms):
// they are purged every few minutes rather than on every view.
var lastPurge atomic.Int64

const purgeEvery = 5 * time.Minute

// RecordView implements store.ViewStore.
func (s *Store) RecordView(ctx context.Context, v store.View) (bool, error) {
	if v.ArticleID <= 0 || v.Client == "" {
		return false, fmt.Errorf("sqlite: record view: article and client are required")
	}
	at := v.At
	if at.IsZero() {
		at = time.Now()
	}
	now := toMillis(at)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	defer tx.Rollback()
	if last := lastPurge.Load(); now-last > purgeEvery.Milliseconds() && lastPurge.CompareAndSwap(last, now) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM view_clients WHERE seen_at < ?`, now-store.RepeatWindow.Milliseconds()); err != nil {
			return false, fmt.Errorf("sqlite: record view: purge: %w", err)
		}
	}
	var seen int64
	err = tx.QueryRowContext(ctx, `SELECT seen_at FROM view_clients WHERE article_id = ? AND client = ?`, v.ArticleID, v.Client).Scan(&seen)
	switch {
	case err == nil && seen > now-store.RepeatWindow.Milliseconds():
		return false, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	var recent int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM view_clients WHERE client = ? AND seen_at > ?`,
		v.Client, now-time.Hour.Milliseconds()).Scan(&recent); err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	if recent >= store.ClientViewsPerHour {
		return false, nil
	}
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE id = ?`, v.ArticleID).Scan(&exists); err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	if exists == 0 {
		return false, store.ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO view_clients (article_id, client, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (article_id, client) DO UPDATE SET seen_at = excluded.seen_at`, v.ArticleID, v.Client, now); err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	var key float64
	err = tx.QueryRowContext(ctx, `SELECT rank_key FROM article_views WHERE article_id = ?`, v.ArticleID).Scan(&key)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	key = store.DecayKey(key, err == nil, at)
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_views (article_id, views, rank_key, last_view_at) VALUES (?, 1, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET views = views + 1, rank_key = excluded.rank_key,
		last_view_at = max(last_view_at, excluded.last_view_at)`, v.ArticleID, key, now); err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlite: record view: %w", err)
	}
	return true, nil
}

// Popular implements store.ViewStore.
func (s *Store) Popular(ctx context.Context, q store.PopularQuery) ([]store.PopularArticle, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	cond, args := where(0, q.Site, q.Language, time.Time{}, time.Time{})
	if !q.Since.IsZero() {
		cond += " AND v.last_view_at >= ?"
		args = append(args, toMillis(q.Since))
	}
	args = append(args, store.Limit(q.Limit, 10, 100))
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+`, v.rank_key, v.views
		FROM article_views v JOIN articles a ON a.id = v.article_id WHERE 1=1`+cond+`
		ORDER BY v.rank_key DESC, a.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: popular: %w", err)
	}
	defer rows.Close()
	var out []store.PopularArticle
	for rows.Next() {
		var p store.PopularArticle
		var key float64
		if err := scanArticleAnd(rows, &p.Article, &key, &p.Views); err != nil {
			return nil, fmt.Errorf("sqlite: popular: %w", err)
		}
		p.Score = store.DecayScore(key, now)
		out = append(out, p)
	}
	return out, rows.Err()
}

// scanArticleAnd scans the article columns followed by extra columns.
func scanArticleAnd(r scanner, a *news.Article, extra ...any) error {
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
