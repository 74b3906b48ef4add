package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsdesk/newsdesk/internal/store"
)

var _ store.StepStore = (*Store)(nil)

// PendingSteps implements store.StepStore.
func (s *Store) PendingSteps(ctx context.Context, articleID int64) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT step FROM article_steps WHERE article_id = $1`, articleID)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending steps of %d: %w", articleID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: pending steps of %d: %w", articleID, err)
	}
	return out, nil
}

// StepsDue implements store.StepStore.
func (s *Store) StepsDue(ctx context.Context, step string, queuedBefore time.Time, limit int) ([]int64, error) {
	return s.wrapIDs("steps due")(s.ids(ctx, `SELECT article_id FROM article_steps WHERE step = $1 AND queued_at < $2
		ORDER BY article_id LIMIT $3`, step, toMillis(queuedBefore), store.Limit(limit, 100, 10000)))
}

// StoryQueue implements store.StepStore.
func (s *Store) StoryQueue(ctx context.Context, limit int) ([]int64, error) {
	return s.wrapIDs("story queue")(s.ids(ctx, `SELECT s.article_id FROM article_steps s WHERE s.step = 'story'
		AND NOT EXISTS (SELECT 1 FROM article_steps t WHERE t.article_id = s.article_id AND t.step = 'translate')
		ORDER BY s.article_id LIMIT $1`, store.Limit(limit, 100, 10000)))
}

// QueueStep implements store.StepStore. An article that no longer exists
// is not an error: there is nothing left to do for it.
func (s *Store) QueueStep(ctx context.Context, articleID int64, step string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO article_steps (article_id, step, queued_at)
		SELECT id, $1, $2 FROM articles WHERE id = $3
		ON CONFLICT (article_id, step) DO UPDATE SET queued_at = EXCLUDED.queued_at`,
		step, toMillis(time.Now()), articleID)
	if err != nil {
		return fmt.Errorf("postgres: queue %s of %d: %w", step, articleID, err)
	}
	return nil
}

// FinishStep implements store.StepStore.
func (s *Store) FinishStep(ctx context.Context, articleID int64, step string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM article_steps WHERE article_id = $1 AND step = $2`, articleID, step); err != nil {
		return fmt.Errorf("postgres: finish %s of %d: %w", step, articleID, err)
	}
	return nil
}

// TryLease implements store.StepStore.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now()
	tag, err := s.pool.Exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
		WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < $4`,
		name, holder, toMillis(now.Add(ttl)), toMillis(now))
	if err != nil {
		return false, fmt.Errorf("postgres: lease %s: %w", name, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease implements store.StepStore.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("postgres: release lease %s: %w", name, err)
	}
	return nil
}

// windowCols are the article columns without the body's HTML, which the
// clusterer does not read.
var windowCols = strings.Replace(articleCols, "a.body_html", "''::text", 1)

// StoryWindow implements store.StepStore. A story merged into another is
// read as the one it went into (merges point at the live story directly).
func (s *Store) StoryWindow(ctx context.Context, limit int, lang string, fn func(store.WindowArticle) error) error {
	rows, err := s.pool.Query(ctx, `WITH w AS (
			SELECT sa.article_id AS id FROM story_articles sa ORDER BY sa.article_id DESC LIMIT $1)
		SELECT `+windowCols+`, CASE WHEN st.merged_into <> 0 THEN st.merged_into ELSE st.id END, COALESCE(sy.group_id, 0), COALESCE(t.title, ''), COALESCE(t.body_text, '')
		FROM w JOIN articles a ON a.id = w.id
		JOIN story_articles sa ON sa.article_id = a.id
		JOIN stories st ON st.id = sa.story_id
		LEFT JOIN syndication sy ON sy.article_id = a.id
		LEFT JOIN article_translations t ON t.article_id = a.id AND t.lang = $2 AND t.status = 'done'
		ORDER BY a.id`, store.Limit(limit, 100000, 10000000), lang)
	if err != nil {
		return fmt.Errorf("postgres: story window: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w store.WindowArticle
		if err := scanArticle(rows, &w.Article, &w.Story, &w.Group, &w.TranslatedTitle, &w.TranslatedText); err != nil {
			return fmt.Errorf("postgres: story window: %w", err)
		}
		if err := fn(w); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: story window: %w", err)
	}
	return nil
}

// wrapIDs names the query in an error from ids.
func (s *Store) wrapIDs(what string) func([]int64, error) ([]int64, error) {
	return func(ids []int64, err error) ([]int64, error) {
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		return ids, nil
	}
}
