package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// PollSoon implements store.SourceStore.
func (s *Store) PollSoon(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE sources SET next_poll_at = ? WHERE id = ?`, time.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("sqlite: unable to make source %d due: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}
