package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.EntityStore = (*Store)(nil)

// SaveEnrichment implements store.EntityStore. The article's row is locked
// first, so two saves of one article take turns; entities are written in
// key order, so saves of different articles naming the same entities
// cannot deadlock.
func (s *Store) SaveEnrichment(ctx context.Context, e *news.Enrichment) error {
	if e.ArticleID <= 0 {
		return fmt.Errorf("postgres: save enrichment: article is required")
	}
	if e.EnrichedAt.IsZero() {
		e.EnrichedAt = time.Now().UTC()
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("postgres: save enrichment: %w", err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: save enrichment: %w", err)
	}
	defer tx.Rollback(ctx)
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, e.ArticleID).Scan(&one); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: save enrichment: article %d: %w", e.ArticleID, store.ErrNotFound)
		}
		return fmt.Errorf("postgres: save enrichment: %w", err)
	}
	for _, q := range []string{`DELETE FROM article_entities WHERE article_id = $1`, `DELETE FROM article_quotes WHERE article_id = $1`} {
		if _, err := tx.Exec(ctx, q, e.ArticleID); err != nil {
			return fmt.Errorf("postgres: save enrichment: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO article_enrichments (article_id, language, data, enriched_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (article_id) DO UPDATE SET language = excluded.language, data = excluded.data, enriched_at = excluded.enriched_at`,
		e.ArticleID, e.Language, string(data), toMillis(e.EnrichedAt)); err != nil {
		return fmt.Errorf("postgres: save enrichment: %w", err)
	}
	ents := append([]news.Entity(nil), e.Entities...)
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].Key < ents[j].Key })
	now := toMillis(time.Now())
	for _, en := range ents {
		if en.Key == "" {
			continue
		}
		roles := en.Roles
		if roles == nil {
			roles = []string{}
		}
		rj, _ := json.Marshal(roles)
		if _, err := tx.Exec(ctx, `INSERT INTO article_entities (entity_key, article_id, kind, name, roles, mentions) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (entity_key, article_id) DO UPDATE SET mentions = article_entities.mentions + excluded.mentions`,
			en.Key, e.ArticleID, string(en.Kind), en.Name, string(rj), max(en.Count, 1)); err != nil {
			return fmt.Errorf("postgres: save enrichment: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO entities (key, kind, name, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, name = excluded.name, updated_at = excluded.updated_at`,
			en.Key, string(en.Kind), en.Name, now); err != nil {
			return fmt.Errorf("postgres: save enrichment: %w", err)
		}
	}
	for i, q := range e.Quotes {
		if _, err := tx.Exec(ctx, `INSERT INTO article_quotes (article_id, seq, speaker_key, speaker, verb, text, start_at, end_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.ArticleID, i, q.SpeakerKey, q.Speaker, q.Verb, q.Text, q.Span.Start, q.Span.End); err != nil {
			return fmt.Errorf("postgres: save enrichment: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: save enrichment: %w", err)
	}
	return nil
}

// Enrichment implements store.EntityStore.
func (s *Store) Enrichment(ctx context.Context, articleID int64) (*news.Enrichment, error) {
	var data string
	err := s.pool.QueryRow(ctx, `SELECT data FROM article_enrichments WHERE article_id = $1`, articleID).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: enrichment: %w", err)
	}
	e := &news.Enrichment{}
	if err := json.Unmarshal([]byte(data), e); err != nil {
		return nil, fmt.Errorf("postgres: enrichment of article %d: %w", articleID, err)
	}
	e.ArticleID = articleID
	return e, nil
}

// Entity implements store.EntityStore.
func (s *Store) Entity(ctx context.Context, key string) (*store.EntitySummary, error) {
	sum := &store.EntitySummary{Key: key}
	var kind string
	err := s.pool.QueryRow(ctx, `SELECT kind, name FROM entities WHERE key = $1`, key).Scan(&kind, &sum.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: entity: %w", err)
	}
	sum.Kind = news.EntityKind(kind)
	var last *int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*), max(a.sort_at) FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = $1`, key).Scan(&sum.Articles, &last); err != nil {
		return nil, fmt.Errorf("postgres: entity: %w", err)
	}
	if sum.Articles == 0 {
		return nil, store.ErrNotFound
	}
	if last != nil {
		sum.LastSeen = fromMillis(*last)
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM article_quotes WHERE speaker_key = $1`, key).Scan(&sum.Quotes); err != nil {
		return nil, fmt.Errorf("postgres: entity: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT e.roles FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = $1 AND e.roles <> '[]' ORDER BY a.sort_at DESC, a.id DESC LIMIT 500`, key)
	if err != nil {
		return nil, fmt.Errorf("postgres: entity: %w", err)
	}
	defer rows.Close()
	var lists [][]string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("postgres: entity: %w", err)
		}
		var l []string
		if json.Unmarshal([]byte(raw), &l) == nil {
			lists = append(lists, l)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: entity: %w", err)
	}
	sum.Roles = store.RankRoles(lists)
	return sum, nil
}

// EntityArticles implements store.EntityStore.
func (s *Store) EntityArticles(ctx context.Context, key string, limit, offset int) ([]news.Article, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM article_entities WHERE entity_key = $1`, key).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: entity articles: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM article_entities e JOIN articles a ON a.id = e.article_id
		WHERE e.entity_key = $1 ORDER BY a.sort_at DESC, a.id DESC LIMIT $2 OFFSET $3`, key, store.Limit(limit, 20, 1000), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: entity articles: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		if err := scanArticle(rows, &a); err != nil {
			return nil, 0, fmt.Errorf("postgres: entity articles: %w", err)
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
	rows, err := s.pool.Query(ctx, `SELECT q.article_id, a.title, a.language, a.sort_at, q.speaker_key, q.speaker, q.verb, q.text, q.start_at, q.end_at
		FROM article_quotes q JOIN articles a ON a.id = q.article_id
		WHERE q.speaker_key = $1 ORDER BY a.sort_at DESC, a.id DESC, q.seq LIMIT $2`, key, store.Limit(limit, 20, 200))
	if err != nil {
		return nil, fmt.Errorf("postgres: entity quotes: %w", err)
	}
	defer rows.Close()
	var out []store.EntityQuote
	for rows.Next() {
		var q store.EntityQuote
		var at, start, end int64
		if err := rows.Scan(&q.ArticleID, &q.ArticleTitle, &q.Language, &at, &q.SpeakerKey, &q.Speaker, &q.Verb, &q.Text, &start, &end); err != nil {
			return nil, fmt.Errorf("postgres: entity quotes: %w", err)
		}
		q.Published, q.Span = fromMillis(at), news.Span{Start: int(start), End: int(end)}
		out = append(out, q)
	}
	return out, rows.Err()
}

// TopEntities implements store.EntityStore.
func (s *Store) TopEntities(ctx context.Context, q store.TopEntitiesQuery) ([]store.EntityCount, error) {
	cond, args := "", []any{}
	add := func(c string, v any) {
		args = append(args, v)
		cond += fmt.Sprintf(c, len(args))
	}
	if !q.Since.IsZero() {
		add(` AND a.sort_at >= $%d`, toMillis(q.Since))
	}
	if !q.Until.IsZero() {
		add(` AND a.sort_at < $%d`, toMillis(q.Until))
	}
	if q.Kind != "" {
		add(` AND e.kind = $%d`, string(q.Kind))
	}
	args = append(args, store.Limit(q.Limit, 20, 200))
	rows, err := s.pool.Query(ctx, `SELECT e.entity_key, n.kind, n.name, count(*), sum(e.mentions)::bigint
		FROM article_entities e JOIN articles a ON a.id = e.article_id JOIN entities n ON n.key = e.entity_key
		WHERE true`+cond+fmt.Sprintf(` GROUP BY e.entity_key, n.kind, n.name
		ORDER BY count(*) DESC, sum(e.mentions) DESC, e.entity_key COLLATE "C" LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: top entities: %w", err)
	}
	defer rows.Close()
	var out []store.EntityCount
	for rows.Next() {
		var c store.EntityCount
		var kind string
		if err := rows.Scan(&c.Key, &kind, &c.Name, &c.Articles, &c.Mentions); err != nil {
			return nil, fmt.Errorf("postgres: top entities: %w", err)
		}
		c.Kind = news.EntityKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}
