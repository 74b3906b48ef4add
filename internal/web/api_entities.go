package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The entities in the JSON API: /api/v1/entities (the most-named people,
// organisations and places of the last days) and /api/v1/entities/{key}
// (one entity, its quotes and a page of the articles that name it).

// apiEntity is an entity in the JSON API.
type apiEntity struct {
	Key      string       `json:"key"`
	Kind     string       `json:"kind"`
	Name     string       `json:"name"`
	Roles    []string     `json:"roles"`
	Total    int          `json:"articles_total"`
	LastSeen *time.Time   `json:"last_seen,omitempty"`
	Quotes   []apiQuote   `json:"quotes"`
	Articles []apiArticle `json:"articles"`
	apiPaging
}

type apiQuote struct {
	Text      string     `json:"text"`
	Speaker   string     `json:"speaker"`
	Verb      string     `json:"verb,omitempty"`
	ArticleID int64      `json:"article_id"`
	Title     string     `json:"article_title"`
	Language  string     `json:"language,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	// The quote and its article's title in the site's language, when the
	// article has a translation and the quote was found in it.
	Translation *apiQuoteTranslation `json:"translation,omitempty"`
}

type apiQuoteTranslation struct {
	Language string `json:"language"`
	Text     string `json:"text,omitempty"`
	Title    string `json:"article_title"`
}

func (s *Server) handleAPIEntity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key, ok := entityKey(r)
	if !ok {
		s.writeProblem(w, r, http.StatusNotFound, "There is no entity at this address: keys are lower-case letters, digits and hyphens.")
		return
	}
	p, err := apiPageParams(r.URL.Query())
	if err != nil {
		s.writeBadParams(w, r, err)
		return
	}
	sum, err := s.store.Entity(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		s.writeProblem(w, r, http.StatusNotFound, fmt.Sprintf("No article names an entity %q.", key))
		return
	}
	if err != nil {
		s.writeInternal(w, r, "api entity failed", err, "key", key)
		return
	}
	arts, total, err := s.store.EntityArticles(ctx, key, p.Limit, p.Offset)
	if err != nil {
		s.writeInternal(w, r, "api entity failed", err, "key", key)
		return
	}
	out := apiEntity{Key: sum.Key, Kind: string(sum.Kind), Name: sum.Name, Roles: sum.Roles, Total: total,
		LastSeen: timePtr(sum.LastSeen), Quotes: s.apiQuotes(r, key), Articles: []apiArticle{},
		apiPaging: s.paging(w, r, p, p.Offset+len(arts) < total)}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	for i := range arts {
		out.Articles = append(out.Articles, s.toAPI(r, &arts[i], s.readerTranslation(ctx, &arts[i]), false))
	}
	s.writeAPI(w, r, http.StatusOK, out)
}

// apiQuotes are an entity's quotes, translated as its page shows them. A
// store that fails to give them costs the entity its quotes, not its
// answer.
func (s *Server) apiQuotes(r *http.Request, key string) []apiQuote {
	out := []apiQuote{}
	qs, err := s.store.EntityQuotes(r.Context(), key, entityQuotes)
	if err != nil {
		s.log.Warn("entity quotes failed", "key", key, "err", err)
		return out
	}
	for _, v := range s.entityQuotes(r.Context(), qs) {
		q := v.quote
		aq := apiQuote{Text: q.Text, Speaker: q.Speaker, Verb: q.Verb, ArticleID: q.ArticleID,
			Title: q.ArticleTitle, Language: q.Language, Published: timePtr(q.Published)}
		if v.ArticleTitle != q.ArticleTitle || v.Original != "" {
			aq.Translation = &apiQuoteTranslation{Language: s.base("").Lang, Title: v.ArticleTitle}
			if v.Original != "" {
				aq.Translation.Text = v.Text
			}
		}
		out = append(out, aq)
	}
	return out
}

type apiEntityCount struct {
	Key      string `json:"key"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Articles int    `json:"articles"`
	Mentions int    `json:"mentions"`
	URL      string `json:"url"`
}

// apiEntityList is the body of /api/v1/entities.
type apiEntityList struct {
	Days int `json:"days"`
	// Total is the length of the ranking, at most apiTopEntities.
	Total int `json:"total"`
	apiPaging
	Entities []apiEntityCount `json:"entities"`
}

// apiTopParams reads days (entityWindows; default 7) and kind.
func apiTopParams(q url.Values) (days int, kind news.EntityKind, err error) {
	days = 7
	if v := q.Get("days"); v != "" {
		days, err = strconv.Atoi(v)
		if err != nil || !slices.Contains(entityWindows, days) {
			return 0, "", badParam("days", "days must be 1, 7 or 30, not %q", v)
		}
	}
	switch k := news.EntityKind(q.Get("kind")); k {
	case "", news.EntityPerson, news.EntityOrg, news.EntityPlace:
		kind = k
	default:
		return 0, "", badParam("kind", "kind must be person, org or place, not %q", k)
	}
	return days, kind, nil
}

// apiTopEntities is how far the ranking of /api/v1/entities goes: the
// store ranks at most this many.
const apiTopEntities = 200

func (s *Server) handleAPIEntities(w http.ResponseWriter, r *http.Request) {
	days, kind, err := apiTopParams(r.URL.Query())
	if err != nil {
		s.writeBadParams(w, r, err)
		return
	}
	p, err := apiPageParams(r.URL.Query())
	if err != nil {
		s.writeBadParams(w, r, err)
		return
	}
	top, err := s.topEntities(r.Context(), days, kind, apiTopEntities)
	if err != nil {
		s.writeInternal(w, r, "api entities failed", err)
		return
	}
	out := apiEntityList{Days: days, Total: len(top), Entities: []apiEntityCount{},
		apiPaging: s.paging(w, r, p, p.Offset+p.Limit < len(top), "days", "kind")}
	for _, c := range top[min(p.Offset, len(top)):min(p.Offset+p.Limit, len(top))] {
		out.Entities = append(out.Entities, apiEntityCount{Key: c.Key, Kind: string(c.Kind), Name: c.Name, Articles: c.Articles,
			Mentions: c.Mentions, URL: s.absURL(r, "/api/v1/entities/"+c.Key)})
	}
	s.writeAPI(w, r, http.StatusOK, out)
}
