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

var _ store.SourceStore = (*Store)(nil)

const sourceCols = `id, name, url, kind, language, interval_ms, paused, state, last_error,
	last_polled_at, next_poll_at, failures, etag, last_modified, created_at,
	adaptive_ms, last_status, last_new_items, polls, not_modified, items_seen,
	websub_hub, websub_topic, websub_secret, websub_state, websub_lease_until`

func scanSource(r scanner, s *store.SourceRecord) error {
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

// AddSource implements store.SourceStore.
func (s *Store) AddSource(ctx context.Context, src *news.Source) error {
	if strings.TrimSpace(src.URL) == "" {
		return fmt.Errorf("sqlite: a source needs a URL")
	}
	if src.CreatedAt.IsZero() {
		src.CreatedAt = time.Now().UTC()
	}
	if src.State == "" {
		src.State = news.StateNew
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO sources (name, url, kind, language, interval_ms, paused, state, next_poll_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`,
		src.Name, src.URL, string(src.Kind), src.Language, src.Interval.Milliseconds(), boolInt(src.Paused),
		string(src.State), toMillis(src.NextPollAt), toMillis(src.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: unable to add source: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: source %s", store.ErrExists, src.URL)
	}
	src.ID, err = res.LastInsertId()
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Store) oneSource(ctx context.Context, where string, arg any) (*store.SourceRecord, error) {
	var r store.SourceRecord
	err := scanSource(s.db.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE `+where, arg), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to read source: %w", err)
	}
	return &r, nil
}

// Source implements store.SourceStore.
func (s *Store) Source(ctx context.Context, id int64) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "id = ?", id)
}

// SourceByURL implements store.SourceStore.
func (s *Store) SourceByURL(ctx context.Context, url string) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "url = ?", url)
}

// SourceByTopic implements store.SourceStore.
func (s *Store) SourceByTopic(ctx context.Context, topic string) (*store.SourceRecord, error) {
	return s.oneSource(ctx, "websub_topic = ? AND websub_topic <> ''", topic)
}

func (s *Store) sources(ctx context.Context, query string, args ...any) ([]store.SourceRecord, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to list sources: %w", err)
	}
	defer rows.Close()
	var out []store.SourceRecord
	for rows.Next() {
		var r store.SourceRecord
		if err := scanSource(rows, &r); err != nil {
			return nil, fmt.Errorf("sqlite: unable to read source: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListSources implements store.SourceStore.
func (s *Store) ListSources(ctx context.Context) ([]store.SourceRecord, error) {
	return s.sources(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY id`)
}

// DueSources implements store.SourceStore.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]store.SourceRecord, error) {
	return s.sources(ctx, `SELECT `+sourceCols+` FROM sources WHERE paused = 0 AND next_poll_at <= ?
		ORDER BY next_poll_at, id LIMIT ?`, now.UnixMilli(), store.Limit(limit, 100, 10_000))
}

// UpdateSource implements store.SourceStore.
func (s *Store) UpdateSource(ctx context.Context, src *news.Source) error {
	res, err := s.db.ExecContext(ctx, `UPDATE sources SET name = ?, language = ?, interval_ms = ?, paused = ? WHERE id = ?`,
		src.Name, src.Language, src.Interval.Milliseconds(), boolInt(src.Paused), src.ID)
	if err != nil {
		return fmt.Errorf("sqlite: unable to update source: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// RemoveSource implements store.SourceStore.
func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: unable to remove source: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM source_items WHERE source_id = ?`, id); err != nil {
		return fmt.Errorf("sqlite: unable to remove source: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: unable to remove source: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return tx.Commit()
}

// RecordPoll implements store.SourceStore.
func (s *Store) RecordPoll(ctx context.Context, id int64, p store.PollRecord) error {
	nm := 0
	if p.NotModified {
		nm = 1
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sources SET
		state = ?, last_error = ?, failures = ?, last_polled_at = ?, next_poll_at = ?,
		adaptive_ms = ?, last_status = ?, last_new_items = ?, polls = polls + 1, not_modified = not_modified + ?,
		etag = CASE WHEN ? THEN etag ELSE ? END,
		last_modified = CASE WHEN ? THEN last_modified ELSE ? END,
		kind = CASE WHEN ? <> '' THEN ? ELSE kind END,
		name = CASE WHEN name = '' THEN ? ELSE name END,
		language = CASE WHEN language = '' THEN ? ELSE language END
		WHERE id = ?`,
		string(p.State), truncate(p.Error, 2000), p.Failures, toMillis(p.At), toMillis(p.NextPollAt),
		p.Adaptive.Milliseconds(), p.Status, p.NewItems, nm,
		p.NotModified, p.ETag, p.NotModified, p.LastModified,
		string(p.Kind), string(p.Kind), p.Name, p.Language, id)
	if err != nil {
		return fmt.Errorf("sqlite: unable to record poll: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// MarkSeen implements store.SourceStore.
func (s *Store) MarkSeen(ctx context.Context, sourceID int64, urls []string, now time.Time) ([]string, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to mark items: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO source_items (source_id, url, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to mark items: %w", err)
	}
	defer stmt.Close()
	var fresh []string
	for _, u := range urls {
		res, err := stmt.ExecContext(ctx, sourceID, u, now.UnixMilli())
		if err != nil {
			return nil, fmt.Errorf("sqlite: unable to mark items: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			fresh = append(fresh, u)
		}
	}
	if len(fresh) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET items_seen = items_seen + ? WHERE id = ?`, len(fresh), sourceID); err != nil {
			return nil, fmt.Errorf("sqlite: unable to mark items: %w", err)
		}
	}
	return fresh, tx.Commit()
}

// UnseenItems implements store.SourceStore.
func (s *Store) UnseenItems(ctx context.Context, sourceID int64, urls []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	const batch = 400
	for start := 0; start < len(urls); start += batch {
		part := urls[start:min(len(urls), start+batch)]
		args := make([]any, 0, len(part)+1)
		args = append(args, sourceID)
		for _, u := range part {
			args = append(args, u)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT url FROM source_items WHERE source_id = ? AND url IN (?`+
			strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: unable to check items: %w", err)
		}
		known := map[string]bool{}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: unable to check items: %w", err)
			}
			known[u] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: unable to check items: %w", err)
		}
		for _, u := range part {
			if !known[u] && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// SetWebSub implements store.SourceStore.
func (s *Store) SetWebSub(ctx context.Context, id int64, w store.WebSub) error {
	res, err := s.db.ExecContext(ctx, `UPDATE sources SET websub_hub = ?, websub_topic = ?, websub_secret = ?,
		websub_state = ?, websub_lease_until = ? WHERE id = ?`,
		w.Hub, w.Topic, w.Secret, w.State, toMillis(w.LeaseUntil), id)
	if err != nil {
		return fmt.Errorf("sqlite: unable to record WebSub state: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}
