package web

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

func popularQuery(now time.Time) store.PopularQuery {
	return store.PopularQuery{Now: now, Since: now.Add(-popularWindow), Limit: 10}
}
