package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/store"
)

var (
	_ store.ViewStore    = (*Store)(nil)
	_ store.RelatedStore = (*Store)(nil)
	_ store.FacetStore   = (*Store)(nil)
)

// viewWrites counts RecordView calls, so that expired client rows are
// purged every so often rather than on every view.
var viewWrites atomic.Int64

// RecordView implements store.ViewStore. Views of one client are
// serialised by an advisory lock on its hash, so the repeat window and the
// hourly cap hold exactly even with many web processes; the score is
// updated in one statement, so views of one article from different clients
// never lose each other.
func (s *Store) RecordView(ctx context.Context, v store.View) (bool, error) {
	if v.ArticleID <= 0 || v.Client == "" {
		return false, fmt.Errorf("postgres: record view: article and client are required")
	}
	at := v.At
	if at.IsZero() {
		at = time.Now()
	}
	now := toMillis(at)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	defer tx.Rollback(ctx)
	if viewWrites.Add(1)%200 == 1 {
		if _, err := tx.Exec(ctx, `DELETE FROM view_clients WHERE seen_at < $1`, now-store.RepeatWindow.Milliseconds()); err != nil {
			return false, fmt.Errorf("postgres: record view: purge: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "newsdesk view "+v.Client); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	var seen int64
	err = tx.QueryRow(ctx, `SELECT seen_at FROM view_clients WHERE article_id = $1 AND client = $2`, v.ArticleID, v.Client).Scan(&seen)
	switch {
	case err == nil && seen > now-store.RepeatWindow.Milliseconds():
		return false, nil
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	var recent int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM view_clients WHERE client = $1 AND seen_at > $2`,
		v.Client, now-time.Hour.Milliseconds()).Scan(&recent); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	if recent >= store.ClientViewsPerHour {
		return false, nil
	}
	var exists int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM articles WHERE id = $1`, v.ArticleID).Scan(&exists); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	if exists == 0 {
		return false, store.ErrNotFound
	}
	if _, err := tx.Exec(ctx, `INSERT INTO view_clients (article_id, client, seen_at) VALUES ($1, $2, $3)
		ON CONFLICT (article_id, client) DO UPDATE SET seen_at = excluded.seen_at`, v.ArticleID, v.Client, now); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	// rank_key = logaddexp(old, x), as store.DecayKey computes it.
	x := store.DecayKey(0, false, at)
	if _, err := tx.Exec(ctx, `INSERT INTO article_views AS v (article_id, views, rank_key, last_view_at) VALUES ($1, 1, $2, $3)
		ON CONFLICT (article_id) DO UPDATE SET views = v.views + 1,
		rank_key = greatest(v.rank_key, excluded.rank_key) + ln(1 + exp(least(v.rank_key, excluded.rank_key) - greatest(v.rank_key, excluded.rank_key))),
		last_view_at = greatest(v.last_view_at, excluded.last_view_at)`, v.ArticleID, x, now); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("postgres: record view: %w", err)
	}
	return true, nil
}

// Popular implements store.ViewStore.
func (s *Store) Popular(ctx context.Context, q store.PopularQuery) ([]store.PopularArticle, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	w := newFilter(nil, 0, q.Site, q.Language, time.Time{}, time.Time{})
	if !q.Since.IsZero() {
		w.add("v.last_view_at >= ?", toMillis(q.Since))
	}
	cond := w.where()
	lim := w.next()
	w.args = append(w.args, store.Limit(q.Limit, 10, 100))
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+`, v.rank_key, v.views
		FROM article_views v JOIN articles a ON a.id = v.article_id WHERE true`+cond+`
		ORDER BY v.rank_key DESC, a.id DESC LIMIT `+lim, w.args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: popular: %w", err)
	}
	defer rows.Close()
	var out []store.PopularArticle
	for rows.Next() {
		var p store.PopularArticle
		var key float64
		if err := scanArticle(rows, &p.Article, &key, &p.Views); err != nil {
			return nil, fmt.Errorf("postgres: popular: %w", err)
		}
		p.Score = store.DecayScore(key, now)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: popular: %w", err)
	}
	return out, nil
}

// Facets implements store.FacetStore.
func (s *Store) Facets(ctx context.Context) (store.Facets, error) {
	var f store.Facets
	for _, q := range []struct {
		col string
		dst *[]store.Facet
	}{{"site_name", &f.Sites}, {"language", &f.Languages}} {
		rows, err := s.pool.Query(ctx, `SELECT `+q.col+`, count(*) AS n FROM articles WHERE `+q.col+` <> ''
			GROUP BY `+q.col+` ORDER BY n DESC, `+q.col+` LIMIT 200`)
		if err != nil {
			return f, fmt.Errorf("postgres: facets: %w", err)
		}
		for rows.Next() {
			var v store.Facet
			if err := rows.Scan(&v.Value, &v.Count); err != nil {
				rows.Close()
				return f, fmt.Errorf("postgres: facets: %w", err)
			}
			*q.dst = append(*q.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, fmt.Errorf("postgres: facets: %w", err)
		}
	}
	return f, nil
}
