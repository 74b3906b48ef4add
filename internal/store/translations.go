package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TranslationStore keeps machine translations: a cache of translated
// segments, so that re-processing an unchanged article translates nothing,
// and each article's translation per target language.
type TranslationStore interface {
	// GetTranslations returns the cached segment translations among hashes
	// (it implements translate.Cache).
	GetTranslations(ctx context.Context, backend, pair string, hashes []string) (map[string]string, error)
	// PutTranslations caches segment translations by hash.
	PutTranslations(ctx context.Context, backend, pair string, values map[string]string) error

	// SaveTranslation stores an article's translation, keyed by article and
	// language. A failed attempt keeps the last good text, records the
	// error and schedules a retry (NextAttemptAt, backing off with the
	// number of attempts when the caller leaves it zero).
	SaveTranslation(ctx context.Context, t *news.Translation) error
	// Translation returns an article's translation into lang, or ErrNotFound.
	Translation(ctx context.Context, articleID int64, lang string) (*news.Translation, error)
	// TranslationsDue lists articles whose translation into lang failed and
	// is due for another try at now, oldest first.
	TranslationsDue(ctx context.Context, lang string, now time.Time, limit int) ([]int64, error)
}

// TranslationRetryDelay is how long to wait before the next attempt after
// attempts failed ones: 2^attempts minutes, at most a day.
func TranslationRetryDelay(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 10 {
		return 24 * time.Hour
	}
	return min(time.Duration(1<<attempts)*time.Minute, 24*time.Hour)
}
