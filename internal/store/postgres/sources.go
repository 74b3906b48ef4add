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

var _ store.SourceStore = (*Store)(nil)

const sourceCols = `id, name, url, kind, language, interval_ms, paused, state, last_error,
	last_polled_at, next_poll_at, failures, etag, last_modified, created_at,
	adaptive_ms, last_status, last_new_items, polls, not_modified, items_seen,
	websub_hub, websub_topic, websub_secret, websub_state, websub_lease_until`

func scanSource(r pgx.Row, s *store.SourceRecord) error {
	var interval, polled, next, created, adaptive, lease int64
	var paused int
	var kind, state string
	err := r.Scan(&s.ID, &s.Name, &s.URL, &kind, &s.Language, &interval, &paused, &state, &s.LastError,
		&polled, &next, &s.Failures, &s.ETag, &s.LastModified, &created,
		&adaptive, &s.LastStatus, &s.LastNewItems, &s.Polls, &s.NotModified, &s.ItemsSeen,
		&s.WebSub.Hub, &s.WebSub.Topic, &s.WebSub.Secret, &s.WebSub.State, &lease)
	if err != nil {
		return err
	}
	s.Kind = news.SourceKind(kind)
	s.State = news.SourceState(state)
	s.Interval = time.Duration(interval) * time.Millisecond
	s.Adaptive = time.Duration(adaptive) * time.Millisecond
	s.Paused = paused != 0
	if s.Paused {
		s.State = news.StatePaused
	}
	s.LastPolledAt = fromMillis(polled)
	s.NextPollAt = fromMillis(next)
	s.CreatedAt = fromMillis(created)
	s.WebSub.LeaseUntil = fromMillis(lease)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// AddSource implements store.SourceStore.
func (s *Store) AddSource(ctx context.Context, src *news.Source) error {
	if strings.TrimSpace(src.URL) == "" {
		return fmt.Errorf("postgres: a source needs a URL")
	}
	if src.CreatedAt.IsZero() {
		src.CreatedAt = time.Now().UTC()
	}
	if src.State == "" {
		src.State = news.StateNew
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO sources (name, url, kind, language, interval_ms, paused, state, next_poll_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (url) DO NOTHING RETURNING id`,
		src.Name, src.URL, string(src.Kind), src.Language, src.Interval.Milliseconds(), boolInt(src.Paused),
		string(src.State), toMillis(src.NextPollAt), toMillis(src.CreatedAt)).Scan(&src.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: source %s", store.ErrExists, src.URL)
	}
	if err != nil {
		return fmt.Errorf("postgres: unable to add source: %w", err)
	}
	return nil
}

func (s *Store) oneSource(ctx context.Context, where string, arg any) (*store.SourceRecord, error) {
	var r store.SourceRecord
	err := scanSource(s.pool.QueryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE `+where, arg), &r)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to read source: %w", err)
	}
	return &r, nil
}

// Source implements store.SourceStore.
func (s *Store) Source(ctx context.Context, id int64) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "id = $1", id)
}

// SourceByURL implements store.SourceStore.
func (s *Store) SourceByURL(ctx context.Context, url string) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "url = $1", url)
}

// SourceByTopic implements store.SourceStore.
func (s *Store) SourceByTopic(ctx context.Context, topic string) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "websub_topic = $1 AND websub_topic <> ''", topic)
}

func (s *Store) sources(ctx context.Context, query string, args ...any) ([]store.SourceRecord, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to list sources: %w", err)
	}
	defer rows.Close()
	var out []store.SourceRecord
	for rows.Next() {
		var r store.SourceRecord
		if err := scanSource(rows, &r); err != nil {
			return nil, fmt.Errorf("postgres: unable to read source: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: unable to list sources: %w", err)
	}
	return out, nil
}

// ListSources implements store.SourceStore.
func (s *Store) ListSources(ctx context.Context) ([]store.SourceRecord, error) {
	return s.sources(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY id`)
}

// DueSources implements store.SourceStore.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]store.SourceRecord, error) {
	return s.sources(ctx, `SELECT `+sourceCols+` FROM sources WHERE paused = 0 AND next_poll_at <= $1
		ORDER BY next_poll_at, id LIMIT $2`, now.UnixMilli(), store.Limit(limit, 100, 10_000))
}

func affected(tag interface{ RowsAffected() int64 }, err error, what string) error {
	if err != nil {
		return fmt.Errorf("postgres: unable to %s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// UpdateSource implements store.SourceStore.
func (s *Store) UpdateSource(ctx context.Context, src *news.Source) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET name = $1, language = $2, interval_ms = $3, paused = $4 WHERE id = $5`,
		src.Name, src.Language, src.Interval.Milliseconds(), boolInt(src.Paused), src.ID)
	return affected(tag, err, "update source")
}

// RemoveSource implements store.SourceStore. Its seen items go with it (ON
// DELETE CASCADE).
func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sources WHERE id = $1`, id)
	return affected(tag, err, "remove source")
}

// RecordPoll implements store.SourceStore.
func (s *Store) RecordPoll(ctx context.Context, id int64, p store.PollRecord) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET
		state = $1, last_error = $2, failures = $3, last_polled_at = $4, next_poll_at = $5,
		adaptive_ms = $6, last_status = $7, last_new_items = $8, polls = polls + 1, not_modified = not_modified + $9,
		etag = CASE WHEN $10 THEN etag ELSE $11 END,
		last_modified = CASE WHEN $10 THEN last_modified ELSE $12 END,
		kind = CASE WHEN $13 <> '' THEN $13 ELSE kind END,
		name = CASE WHEN name = '' THEN $14 ELSE name END,
		language = CASE WHEN language = '' THEN $15 ELSE language END
		WHERE id = $16`,
		string(p.State), truncate(p.Error, 2000), p.Failures, toMillis(p.At), toMillis(p.NextPollAt),
		p.Adaptive.Milliseconds(), p.Status, p.NewItems, boolInt(p.NotModified),
		p.NotModified, p.ETag, p.LastModified, string(p.Kind), p.Name, p.Language, id)
	return affected(tag, err, "record poll")
}

// truncate cuts s to at most n bytes without splitting a character
// (PostgreSQL, unlike SQLite, rejects invalid UTF-8).
func truncate(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ToValidUTF8(s[:n], "")
}

// MarkSeen implements store.SourceStore.
func (s *Store) MarkSeen(ctx context.Context, sourceID int64, urls []string, now time.Time) ([]string, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to mark items: %w", err)
	}
	defer tx.Rollback(ctx)
	// One statement for the whole list; ordinality keeps the caller's order
	// and the first of any repeats.
	rows, err := tx.Query(ctx, `INSERT INTO source_items (source_id, url, first_seen_at)
		SELECT $1, u.url, $3 FROM (SELECT DISTINCT ON (url) url, n FROM unnest($2::text[]) WITH ORDINALITY AS t(url, n) ORDER BY url, n) u
		ORDER BY u.n
		ON CONFLICT DO NOTHING RETURNING url`, sourceID, urls, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to mark items: %w", err)
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to mark items: %w", err)
	}
	var fresh []string
	if len(inserted) > 0 {
		isNew := make(map[string]bool, len(inserted))
		for _, u := range inserted {
			isNew[u] = true
		}
		for _, u := range urls {
			if isNew[u] {
				fresh = append(fresh, u)
				delete(isNew, u)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE sources SET items_seen = items_seen + $1 WHERE id = $2`, len(fresh), sourceID); err != nil {
			return nil, fmt.Errorf("postgres: unable to mark items: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: unable to mark items: %w", err)
	}
	return fresh, nil
}

// UnseenItems implements store.SourceStore.
func (s *Store) UnseenItems(ctx context.Context, sourceID int64, urls []string) ([]string, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT url FROM source_items WHERE source_id = $1 AND url = ANY ($2::text[])`, sourceID, urls)
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to check items: %w", err)
	}
	known, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to check items: %w", err)
	}
	skip := make(map[string]bool, len(known))
	for _, u := range known {
		skip[u] = true
	}
	var out []string
	for _, u := range urls {
		if !skip[u] {
			skip[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// SetWebSub implements store.SourceStore.
func (s *Store) SetWebSub(ctx context.Context, id int64, w store.WebSub) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET websub_hub = $1, websub_topic = $2, websub_secret = $3,
		websub_state = $4, websub_lease_until = $5 WHERE id = $6`,
		w.Hub, w.Topic, w.Secret, w.State, toMillis(w.LeaseUntil), id)
	return affected(tag, err, "record WebSub state")
}
