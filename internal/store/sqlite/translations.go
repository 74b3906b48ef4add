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

var _ store.TranslationStore = (*Store)(nil)

// GetTranslations implements store.TranslationStore.
func (s *Store) GetTranslations(ctx context.Context, backend, pair string, hashes []string) (map[string]string, error) {
	out := make(map[string]string, len(hashes))
	const chunk = 500
	for len(hashes) > 0 {
		n := min(chunk, len(hashes))
		part := hashes[:n]
		hashes = hashes[n:]
		args := []any{backend, pair}
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT hash, value FROM translation_cache WHERE backend = ? AND pair = ? AND hash IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: translation cache: %w", err)
		}
		for rows.Next() {
			var h, v string
			if err := rows.Scan(&h, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: translation cache: %w", err)
			}
			out[h] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: translation cache: %w", err)
		}
	}
	return out, nil
}

// PutTranslations implements store.TranslationStore.
func (s *Store) PutTranslations(ctx context.Context, backend, pair string, values map[string]string) error {
	if len(values) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: translation cache: %w", err)
	}
	defer tx.Rollback()
	now := toMillis(time.Now())
	for h, v := range values {
		if _, err := tx.ExecContext(ctx, `INSERT INTO translation_cache (backend, pair, hash, value, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (backend, pair, hash) DO UPDATE SET value = excluded.value`, backend, pair, h, v, now); err != nil {
			return fmt.Errorf("sqlite: translation cache: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: translation cache: %w", err)
	}
	return nil
}

// SaveTranslation implements store.TranslationStore.
func (s *Store) SaveTranslation(ctx context.Context, t *news.Translation) error {
	if t.ArticleID <= 0 || t.Lang == "" {
		return fmt.Errorf("sqlite: save translation: article and language are required")
	}
	now := time.Now()
	var prev int
	err := s.db.QueryRowContext(ctx, `SELECT attempts FROM article_translations WHERE article_id = ? AND lang = ?`, t.ArticleID, t.Lang).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: save translation: %w", err)
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
	_, err = s.db.ExecContext(ctx, `INSERT INTO article_translations
		(article_id, lang, source_lang, backend, engine, title, description, body_html, body_text, source_hash,
		 status, error, attempts, next_attempt_at, translated_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id, lang) DO UPDATE SET
			status = excluded.status, error = excluded.error, attempts = excluded.attempts,
			next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at,
			source_lang = CASE WHEN excluded.status = 'done' THEN excluded.source_lang ELSE source_lang END,
			backend = CASE WHEN excluded.status = 'done' THEN excluded.backend ELSE backend END,
			engine = CASE WHEN excluded.status = 'done' THEN excluded.engine ELSE engine END,
			title = CASE WHEN excluded.status = 'done' THEN excluded.title ELSE title END,
			description = CASE WHEN excluded.status = 'done' THEN excluded.description ELSE description END,
			body_html = CASE WHEN excluded.status = 'done' THEN excluded.body_html ELSE body_html END,
			body_text = CASE WHEN excluded.status = 'done' THEN excluded.body_text ELSE body_text END,
			source_hash = CASE WHEN excluded.status = 'done' THEN excluded.source_hash ELSE source_hash END,
			translated_at = CASE WHEN excluded.status = 'done' THEN excluded.translated_at ELSE translated_at END`,
		t.ArticleID, t.Lang, t.SourceLang, t.Backend, t.Engine, t.Title, t.Description, t.BodyHTML, t.Text, t.SourceHash,
		string(status), t.Error, attempts, toMillis(next), toMillis(translated), toMillis(now))
	if err != nil {
		return fmt.Errorf("sqlite: save translation: %w", err)
	}
	t.Status, t.Attempts, t.NextAttemptAt, t.TranslatedAt = status, attempts, next, translated
	return nil
}

// Translation implements store.TranslationStore.
func (s *Store) Translation(ctx context.Context, articleID int64, lang string) (*news.Translation, error) {
	t := &news.Translation{ArticleID: articleID, Lang: lang}
	var status string
	var next, translated int64
	err := s.db.QueryRowContext(ctx, `SELECT source_lang, backend, engine, title, description, body_html, body_text, source_hash,
		status, error, attempts, next_attempt_at, translated_at FROM article_translations WHERE article_id = ? AND lang = ?`, articleID, lang).
		Scan(&t.SourceLang, &t.Backend, &t.Engine, &t.Title, &t.Description, &t.BodyHTML, &t.Text, &t.SourceHash,
			&status, &t.Error, &t.Attempts, &next, &translated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: translation: %w", err)
	}
	t.Status = news.TranslationStatus(status)
	t.NextAttemptAt, t.TranslatedAt = fromMillis(next), fromMillis(translated)
	return t, nil
}

// TranslationsDue implements store.TranslationStore.
func (s *Store) TranslationsDue(ctx context.Context, lang string, now time.Time, limit int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT article_id FROM article_translations
		WHERE lang = ? AND status = 'failed' AND next_attempt_at <= ? ORDER BY next_attempt_at, article_id LIMIT ?`,
		lang, toMillis(now), store.Limit(limit, 100, 1000))
	if err != nil {
		return nil, fmt.Errorf("sqlite: translations due: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: translations due: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
