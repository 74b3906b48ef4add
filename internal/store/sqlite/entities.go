package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.EntityStore = (*Store)(nil)

// SaveEnrichment implements store.EntityStore.
func (s *Store) SaveEnrichment(ctx context.Context, e *news.Enrichment) error {
	if e.ArticleID <= 0 {
		return fmt.Errorf("sqlite: save enrichment: article is required")
	}
	if e.EnrichedAt.IsZero() {
		e.EnrichedAt = time.Now().UTC()
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("sqlite: save enrichment: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: save enrichment: %w", err)
	}
	defer tx.Rollback()
	now := toMillis(time.Now())
	for _, q := range []string{`DELETE FROM article_entities WHERE article_id = ?`, `DELETE FROM article_quotes WHERE article_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, e.ArticleID); err != nil {
			return fmt.Errorf("sqlite: save enrichment: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_enrichments (article_id, language, data, enriched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET language = excluded.language, data = excluded.data, enriched_at = excluded.enriched_at`,
		e.ArticleID, e.Language, string(data), toMillis(e.EnrichedAt)); err != nil {
		return fmt.Errorf("sqlite: save enrichment: %w", err)
	}
	for _, en := range e.Entities {
		if en.Key == "" {
			continue
		}
		roles, _ := json.Marshal(nonNil(en.Roles))
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_entities (entity_key, article_id, kind, name, roles, mentions) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (entity_key, article_id) DO UPDATE SET mentions = mentions + excluded.mentions`,
			en.Key, e.ArticleID, string(en.Kind), en.Name, string(roles), max(en.Count, 1)); err != nil {
			return fmt.Errorf("sqlite: save enrichment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO entities (key, kind, name, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, name = excluded.name, updated_at = excluded.updated_at`,
			en.Key, string(en.Kind), en.Name, now); err != nil {
			return fmt.Errorf("sqlite: save enrichment: %w", err)
		}
	}
	for i, q := range e.Quotes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_quotes (article_id, seq, speaker_key, speaker, verb, text, start_at, end_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ArticleID, i, q.SpeakerKey, q.Speaker, q.Verb, q.Text, q.Span.Start, q.Span.End); err != nil {
			return fmt.Errorf("sqlite: save enrichment: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: save enrichment: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Enrichment implements store.EntityStore.
func (s *Store) Enrichment(ctx context.Context, articleID int64) (*news.Enrichment, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM article_enrichments WHERE article_id = ?`, articleID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: enrichment: %w", err)
	}
	e := &news.Enrichment{}
	if err := json.Unmarshal([]byte(data), e); err != nil {
		return nil, fmt.Errorf("sqlite: enrichment of article %d: %w", articleID, err)
	}
	e.ArticleID = articleID
	return e, nil
}

// Entity implements store.EntityStore.
func (s *Store) Entity(ctx context.Context, key string) (*store.EntitySummary, error) {
	sum := &store.EntitySummary{Key: key}
	var kind string
	err := s.db.QueryRowContext(ctx, `SELECT kind, name FROM entities WHERE key = ?`, key).Scan(&kind, &sum.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: entity: %w", err)
	}
	sum.Kind = news.EntityKind(kind)
	var last sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), max(a.sort_at) FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = ?`, key).Scan(&sum.Articles, &last); err != nil {
		return nil, fmt.Errorf("sqlite: entity: %w", err)
	}
	if sum.Articles == 0 {
		return nil, store.ErrNotFound
	}
	sum.LastSeen = fromMillis(last.Int64)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM article_quotes WHERE speaker_key = ?`, key).Scan(&sum.Quotes); err != nil {
		return nil, fmt.Errorf("sqlite: entity: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.roles FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = ? AND e.roles != '[]' ORDER BY a.sort_at DESC, a.id DESC LIMIT 500`, key)
	if err != nil {
		return nil, fmt.Errorf("sqlite: entity: %w", err)
	}
	defer rows.Close()
	var lists [][]string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("sqlite: entity: %w", err)
		}
		var l []string
		if json.Unmarshal([]byte(raw), &l) == nil {
			lists = append(lists, l)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: entity: %w", err)
	}
	sum.Roles = store.RankRoles(lists)
	return sum, nil
}

// EntityArticles implements store.EntityStore.
func (s *Store) EntityArticles(ctx context.Context, key string, limit, offset int) ([]news.Article, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM article_entities WHERE entity_key = ?`, key).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: entity articles: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+` FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = ? ORDER BY a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?`, key, store.Limit(limit, 20, 1000), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: entity articles: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		if err := scanArticle(rows, &a); err != nil {
			return nil, 0, fmt.Errorf("sqlite: entity articles: %w", err)
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// EntityQuotes implements store.EntityStore.
func (s *Store) EntityQuotes(ctx context.Context, key string, limit int) ([]store.EntityQuote, error) {
	if key == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT q.article_id, a.title, a.language, a.sort_at, q.speaker_key, q.speaker, q.verb, q.text, q.start_at, q.end_at
		FROM article_quotes q JOIN articles a ON a.id = q.article_id
		WHERE q.speaker_key = ? ORDER BY a.sort_at DESC, a.id DESC, q.seq LIMIT ?`, key, store.Limit(limit, 20, 200))
	if err != nil {
		return nil, fmt.Errorf("sqlite: entity quotes: %w", err)
	}
	defer rows.Close()
	var out []store.EntityQuote
	for rows.Next() {
		var q store.EntityQuote
		var at int64
		if err := rows.Scan(&q.ArticleID, &q.ArticleTitle, &q.Language, &at, &q.SpeakerKey, &q.Speaker, &q.Verb, &q.Text, &q.Span.Start, &q.Span.End); err != nil {
			return nil, fmt.Errorf("sqlite: entity quotes: %w", err)
		}
		q.Published = fromMillis(at)
		out = append(out, q)
	}
	return out, rows.Err()
}

// TopEntities implements store.EntityStore.
func (s *Store) TopEntities(ctx context.Context, q store.TopEntitiesQuery) ([]store.EntityCount, error) {
	cond, args := "", []any{}
	if !q.Since.IsZero() {
		cond += ` AND a.sort_at >= ?`
		args = append(args, toMillis(q.Since))
	}
	if !q.Until.IsZero() {
		cond += ` AND a.sort_at < ?`
		args = append(args, toMillis(q.Until))
	}
	if q.Kind != "" {
		cond += ` AND e.kind = ?`
		args = append(args, string(q.Kind))
	}
	args = append(args, store.Limit(q.Limit, 20, 200))
	rows, err := s.db.QueryContext(ctx, `SELECT e.entity_key, n.kind, n.name, count(*), sum(e.mentions)
		FROM article_entities e JOIN articles a ON a.id = e.article_id JOIN entities n ON n.key = e.entity_key
		WHERE 1=1`+cond+` GROUP BY e.entity_key, n.kind, n.name ORDER BY count(*) DESC, sum(e.mentions) DESC, e.entity_key LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: top entities: %w", err)
	}
	defer rows.Close()
	var out []store.EntityCount
	for rows.Next() {
		var c store.EntityCount
		var kind string
		if err := rows.Scan(&c.Key, &kind, &c.Name, &c.Articles, &c.Mentions); err != nil {
			return nil, fmt.Errorf("sqlite: top entities: %w", err)
		}
		c.Kind = news.EntityKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}
