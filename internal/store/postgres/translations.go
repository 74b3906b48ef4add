package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.TranslationStore = (*Store)(nil)

// GetTranslations implements store.TranslationStore.
func (s *Store) GetTranslations(ctx context.Context, backend, pair string, hashes []string) (map[string]string, error) {
	out := make(map[string]string, len(hashes))
	if len(hashes) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT hash, value FROM translation_cache
		WHERE backend = $1 AND pair = $2 AND hash = ANY ($3::text[])`, backend, pair, hashes)
	if err != nil {
		return nil, fmt.Errorf("postgres: translation cache: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h, v string
		if err := rows.Scan(&h, &v); err != nil {
			return nil, fmt.Errorf("postgres: translation cache: %w", err)
		}
		out[h] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: translation cache: %w", err)
	}
	return out, nil
}

// PutTranslations implements store.TranslationStore.
func (s *Store) PutTranslations(ctx context.Context, backend, pair string, values map[string]string) error {
	if len(values) == 0 {
		return nil
	}
	hashes := make([]string, 0, len(values))
	vals := make([]string, 0, len(values))
	for h, v := range values {
		hashes = append(hashes, h)
		vals = append(vals, v)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO translation_cache (backend, pair, hash, value, created_at)
		SELECT $1, $2, h, v, $5 FROM unnest($3::text[], $4::text[]) AS t(h, v)
		ON CONFLICT (backend, pair, hash) DO UPDATE SET value = excluded.value`,
		backend, pair, hashes, vals, toMillis(time.Now()))
	if err != nil {
		return fmt.Errorf("postgres: translation cache: %w", err)
	}
	return nil
}

// SaveTranslation implements store.TranslationStore. The attempt count is
// read under a row lock, so two processes saving attempts at once count
// both.
func (s *Store) SaveTranslation(ctx context.Context, t *news.Translation) error {
	if t.ArticleID <= 0 || t.Lang == "" {
		return fmt.Errorf("postgres: save translation: article and language are required")
	}
	now := time.Now()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: save translation: %w", err)
	}
	defer tx.Rollback(ctx)
	var prev int
	err = tx.QueryRow(ctx, `SELECT attempts FROM article_translations WHERE article_id = $1 AND lang = $2 FOR UPDATE`,
		t.ArticleID, t.Lang).Scan(&prev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: save translation: %w", err)
	}
	attempts := prev + 1
	next := t.NextAttemptAt
	status := t.Status
	if status == "" {
		status = news.TranslationDone
	}
	switch status {
	case news.TranslationFailed:
		if next.IsZero() {
			next = now.Add(store.TranslationRetryDelay(attempts))
		}
	case news.TranslationDone:
		attempts, next = 0, time.Time{}
	}
	translated := t.TranslatedAt
	if status == news.TranslationDone && translated.IsZero() {
		translated = now
	}
	// A failed attempt keeps the last good translation's text.
	_, err = tx.Exec(ctx, `INSERT INTO article_translations AS t
		(article_id, lang, source_lang, backend, engine, title, description, body_html, body_text, source_hash,
		 status, error, attempts, next_attempt_at, translated_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (article_id, lang) DO UPDATE SET
			status = excluded.status, error = excluded.error, attempts = excluded.attempts,
			next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at,
			source_lang = CASE WHEN excluded.status = 'done' THEN excluded.source_lang ELSE t.source_lang END,
			backend = CASE WHEN excluded.status = 'done' THEN excluded.backend ELSE t.backend END,
			engine = CASE WHEN excluded.status = 'done' THEN excluded.engine ELSE t.engine END,
			title = CASE WHEN excluded.status = 'done' THEN excluded.title ELSE t.title END,
			description = CASE WHEN excluded.status = 'done' THEN excluded.description ELSE t.description END,
			body_html = CASE WHEN excluded.status = 'done' THEN excluded.body_html ELSE t.body_html END,
			body_text = CASE WHEN excluded.status = 'done' THEN excluded.body_text ELSE t.body_text END,
			source_hash = CASE WHEN excluded.status = 'done' THEN excluded.source_hash ELSE t.source_hash END,
			translated_at = CASE WHEN excluded.status = 'done' THEN excluded.translated_at ELSE t.translated_at END`,
		t.ArticleID, t.Lang, t.SourceLang, t.Backend, t.Engine, t.Title, t.Description, t.BodyHTML, t.Text, t.SourceHash,
		string(status), truncate(t.Error, len(t.Error)), attempts, toMillis(next), toMillis(translated), toMillis(now))
	if err != nil {
		return fmt.Errorf("postgres: save translation: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: save translation: %w", err)
	}
	t.Status, t.Attempts, t.NextAttemptAt, t.TranslatedAt = status, attempts, next, translated
	return nil
}

// Translation implements store.TranslationStore.
func (s *Store) Translation(ctx context.Context, articleID int64, lang string) (*news.Translation, error) {
	t := &news.Translation{ArticleID: articleID, Lang: lang}
	var status string
	var next, translated int64
	err := s.pool.QueryRow(ctx, `SELECT source_lang, backend, engine, title, description, body_html, body_text, source_hash,
		status, error, attempts, next_attempt_at, translated_at FROM article_translations WHERE article_id = $1 AND lang = $2`, articleID, lang).
		Scan(&t.SourceLang, &t.Backend, &t.Engine, &t.Title, &t.Description, &t.BodyHTML, &t.Text, &t.SourceHash,
			&status, &t.Error, &t.Attempts, &next, &translated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: translation: %w", err)
	}
	t.Status = news.TranslationStatus(status)
	t.NextAttemptAt, t.TranslatedAt = fromMillis(next), fromMillis(translated)
	return t, nil
}

// TranslationsDue implements store.TranslationStore.
func (s *Store) TranslationsDue(ctx context.Context, lang string, now time.Time, limit int) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT article_id FROM article_translations
		WHERE lang = $1 AND status = 'failed' AND next_attempt_at <= $2 ORDER BY next_attempt_at, article_id LIMIT $3`,
		lang, toMillis(now), store.Limit(limit, 100, 1000))
	if err != nil {
		return nil, fmt.Errorf("postgres: translations due: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: translations due: %w", err)
	}
	return ids, nil
}
