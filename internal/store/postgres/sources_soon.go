package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// PollSoon implements store.SourceStore.
func (s *Store) PollSoon(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sources SET next_poll_at = $1 WHERE id = $2`, time.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("postgres: unable to make source %d due: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}
