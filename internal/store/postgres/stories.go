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

var _ store.StoryStore = (*Store)(nil)

// ensureStory creates a story row when missing.
func ensureStory(ctx context.Context, tx pgx.Tx, id int64, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO stories (id, created_at, updated_at) VALUES ($1, $2, $2)
		ON CONFLICT (id) DO NOTHING`, id, now)
	return err
}

// inTx runs f in a transaction.
func (s *Store) inTx(ctx context.Context, what string, f func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer tx.Rollback(ctx)
	if err := f(tx); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// AssignStory implements store.StoryStore.
func (s *Store) AssignStory(ctx context.Context, articleID, storyID int64, score float64) error {
	return s.inTx(ctx, "assign story", func(tx pgx.Tx) error {
		now := toMillis(time.Now())
		if err := ensureStory(ctx, tx, storyID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO story_articles (article_id, story_id, score, assigned_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score, assigned_at = excluded.assigned_at`,
			articleID, storyID, score, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE stories SET updated_at = $1 WHERE id = $2`, now, storyID)
		return err
	})
}

// MergeStories implements store.StoryStore.
func (s *Store) MergeStories(ctx context.Context, into int64, from []int64) error {
	if len(from) == 0 {
		return nil
	}
	return s.inTx(ctx, "merge stories", func(tx pgx.Tx) error {
		now := toMillis(time.Now())
		if err := ensureStory(ctx, tx, into, now); err != nil {
			return err
		}
		for _, f := range from {
			if f == into {
				continue
			}
			if err := ensureStory(ctx, tx, f, now); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE story_articles SET story_id = $1 WHERE story_id = $2`, into, f); err != nil {
				return err
			}
			// stories merged into f earlier now point at into directly
			if _, err := tx.Exec(ctx, `UPDATE stories SET merged_into = $1, updated_at = $2 WHERE id = $3 OR merged_into = $3`,
				into, now, f); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE stories SET merged_into = 0, updated_at = $1 WHERE id = $2`, now, into)
		return err
	})
}

// MoveArticles implements store.StoryStore.
func (s *Store) MoveArticles(ctx context.Context, moves []store.StoryMove) error {
	if len(moves) == 0 {
		return nil
	}
	return s.inTx(ctx, "move articles", func(tx pgx.Tx) error {
		now := toMillis(time.Now())
		for _, m := range moves {
			if err := ensureStory(ctx, tx, m.To, now); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE story_articles SET story_id = $1, assigned_at = $2 WHERE article_id = $3`,
				m.To, now, m.ArticleID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE stories SET updated_at = $1 WHERE id = $2`, now, m.To); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveStoryText implements store.StoryStore.
func (s *Store) SaveStoryText(ctx context.Context, storyID int64, headline, summary string, keyNames []string) error {
	if keyNames == nil {
		keyNames = []string{}
	}
	names, _ := json.Marshal(keyNames)
	now := toMillis(time.Now())
	_, err := s.pool.Exec(ctx, `INSERT INTO stories (id, headline, summary, key_names, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, summary = excluded.summary,
			key_names = excluded.key_names, updated_at = excluded.updated_at`,
		storyID, truncate(headline, len(headline)), truncate(summary, len(summary)), string(names), now)
	if err != nil {
		return fmt.Errorf("postgres: save story text: %w", err)
	}
	return nil
}

// resolveStory follows merged_into.
func (s *Store) resolveStory(ctx context.Context, id int64) (int64, error) {
	for range 64 {
		var into int64
		err := s.pool.QueryRow(ctx, `SELECT merged_into FROM stories WHERE id = $1`, id).Scan(&into)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, store.ErrNotFound
		}
		if err != nil {
			return 0, err
		}
		if into == 0 {
			return id, nil
		}
		id = into
	}
	return 0, fmt.Errorf("postgres: story %d: merge chain too long", id)
}

const storyTime = `CASE WHEN a.published_at > 0 THEN a.published_at ELSE a.first_seen_at END`

const storySelect = `SELECT s.id, s.headline, s.summary, s.key_names, s.updated_at,
	COUNT(sa.article_id), MIN(` + storyTime + `), MAX(` + storyTime + `)
	FROM stories s
	LEFT JOIN story_articles sa ON sa.story_id = s.id
	LEFT JOIN articles a ON a.id = sa.article_id`

func (s *Store) scanStories(ctx context.Context, query string, args ...any) ([]news.Story, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Story
	for rows.Next() {
		var st news.Story
		var names string
		var updated int64
		var first, last *int64
		if err := rows.Scan(&st.ID, &st.Headline, &st.Summary, &names, &updated, &st.Articles, &first, &last); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(names), &st.KeyNames)
		st.UpdatedAt = fromMillis(updated)
		if first != nil {
			st.FirstAt = fromMillis(*first)
		}
		if last != nil {
			st.LastAt = fromMillis(*last)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		langs, err := s.storyLanguages(ctx, out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Languages = langs
	}
	return out, nil
}

func (s *Store) storyLanguages(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.language, COUNT(*) FROM story_articles sa JOIN articles a ON a.id = sa.article_id
		WHERE sa.story_id = $1 AND a.language <> '' GROUP BY a.language`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type lc struct {
		lang string
		n    int
	}
	var ls []lc
	for rows.Next() {
		var l lc
		if err := rows.Scan(&l.lang, &l.n); err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].n != ls[j].n {
			return ls[i].n > ls[j].n
		}
		return ls[i].lang < ls[j].lang
	})
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.lang
	}
	return out, nil
}

// Story implements store.StoryStore.
func (s *Store) Story(ctx context.Context, id int64) (*news.Story, error) {
	id, err := s.resolveStory(ctx, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("postgres: story: %w", err)
	}
	out, err := s.scanStories(ctx, storySelect+` WHERE s.id = $1 GROUP BY s.id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: story: %w", err)
	}
	if len(out) == 0 {
		return nil, store.ErrNotFound
	}
	return &out[0], nil
}

// ListStories implements store.StoryStore.
func (s *Store) ListStories(ctx context.Context, f store.StoryFilter) ([]news.Story, error) {
	q := storySelect + ` WHERE s.merged_into = 0 GROUP BY s.id HAVING COUNT(sa.article_id) >= $1`
	args := []any{max(f.MinArticles, 1)}
	if !f.Since.IsZero() {
		args = append(args, toMillis(f.Since))
		q += fmt.Sprintf(` AND MAX(`+storyTime+`) >= $%d`, len(args))
	}
	args = append(args, store.Limit(f.Limit, 20, 200), max(f.Offset, 0))
	q += fmt.Sprintf(` ORDER BY MAX(`+storyTime+`) DESC, s.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args))
	out, err := s.scanStories(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list stories: %w", err)
	}
	return out, nil
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// StoryArticleIDs implements store.StoryStore.
func (s *Store) StoryArticleIDs(ctx context.Context, storyID int64) ([]int64, error) {
	id, err := s.resolveStory(ctx, storyID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("postgres: story articles: %w", err)
	}
	out, err := s.ids(ctx, `SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id
		WHERE sa.story_id = $1 ORDER BY `+storyTime+`, a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: story articles: %w", err)
	}
	return out, nil
}

// StoryOf implements store.StoryStore.
func (s *Store) StoryOf(ctx context.Context, articleID int64) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT story_id FROM story_articles WHERE article_id = $1`, articleID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: story of: %w", err)
	}
	return s.resolveStory(ctx, id)
}

// MaxStoryID implements store.StoryStore.
func (s *Store) MaxStoryID(ctx context.Context) (int64, error) {
	var id *int64
	if err := s.pool.QueryRow(ctx, `SELECT MAX(id) FROM stories`).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: max story id: %w", err)
	}
	if id == nil {
		return 0, nil
	}
	return *id, nil
}

// SetSyndication implements store.StoryStore.
func (s *Store) SetSyndication(ctx context.Context, articleID, groupID, of int64, overlap float64) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO syndication (article_id, group_id, of_article, overlap) VALUES ($1, $2, $3, $4)
		ON CONFLICT (article_id) DO UPDATE SET group_id = excluded.group_id, of_article = excluded.of_article, overlap = excluded.overlap`,
		articleID, groupID, of, overlap)
	if err != nil {
		return fmt.Errorf("postgres: set syndication: %w", err)
	}
	return nil
}

// SetOrigin implements store.StoryStore.
func (s *Store) SetOrigin(ctx context.Context, groupID, originalID int64, agency, why string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO syndication_groups (group_id, original_id, agency, why, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (group_id) DO UPDATE SET original_id = excluded.original_id, agency = excluded.agency, why = excluded.why,
			updated_at = excluded.updated_at`, groupID, originalID, agency, why, toMillis(time.Now()))
	if err != nil {
		return fmt.Errorf("postgres: set origin: %w", err)
	}
	return nil
}

// Syndication implements store.StoryStore.
func (s *Store) Syndication(ctx context.Context, articleID int64) (*news.Syndication, error) {
	var sy news.Syndication
	var orig *int64
	var agency, why *string
	err := s.pool.QueryRow(ctx, `SELECT x.article_id, x.group_id, x.of_article, x.overlap, g.original_id, g.agency, g.why,
		(SELECT COUNT(*) FROM syndication y WHERE y.group_id = x.group_id)
		FROM syndication x LEFT JOIN syndication_groups g ON g.group_id = x.group_id WHERE x.article_id = $1`, articleID).
		Scan(&sy.ArticleID, &sy.GroupID, &sy.Of, &sy.Overlap, &orig, &agency, &why, &sy.Members)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: syndication: %w", err)
	}
	if orig != nil {
		sy.OriginalID = *orig
	}
	if agency != nil {
		sy.Agency = *agency
	}
	if why != nil {
		sy.Why = *why
	}
	return &sy, nil
}

// SyndicationMembers implements store.StoryStore.
func (s *Store) SyndicationMembers(ctx context.Context, groupID int64) ([]int64, error) {
	out, err := s.ids(ctx, `SELECT x.article_id FROM syndication x JOIN articles a ON a.id = x.article_id WHERE x.group_id = $1
		ORDER BY `+storyTime+`, a.id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("postgres: syndication members: %w", err)
	}
	return out, nil
}
