package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The stories in the JSON API: /api/v1/stories (the latest stories) and
// /api/v1/stories/{id} (one story, as its page shows it).

type apiStory struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`  // this resource
	Link      string     `json:"link"` // the story page
	Headline  string     `json:"headline"`
	Summary   string     `json:"summary"`
	KeyNames  []string   `json:"key_names"`
	Articles  int        `json:"articles_total"`
	Languages []string   `json:"languages"`
	FirstAt   *time.Time `json:"first_at,omitempty"`
	LastAt    *time.Time `json:"last_at,omitempty"`
	Updated   *time.Time `json:"updated,omitempty"`
}

func (s *Server) toAPIStory(r *http.Request, st *news.Story) apiStory {
	out := apiStory{ID: st.ID, URL: s.absURL(r, fmt.Sprintf("/api/v1/stories/%d", st.ID)), Link: s.absURL(r, fmt.Sprintf("/story/%d", st.ID)),
		Headline: st.Headline, Summary: st.Summary, KeyNames: st.KeyNames, Articles: st.Articles, Languages: st.Languages,
		FirstAt: timePtr(st.FirstAt), LastAt: timePtr(st.LastAt), Updated: timePtr(st.UpdatedAt)}
	if out.KeyNames == nil {
		out.KeyNames = []string{}
	}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	return out
}

// apiStoryList is the body of /api/v1/stories. The store does not count
// stories, so the list has no total; next is there while there are more.
type apiStoryList struct {
	apiPaging
	Stories []apiStory `json:"stories"`
}

func (s *Server) handleAPIStoryList(w http.ResponseWriter, r *http.Request) {
	p, err := apiPageParams(r.URL.Query())
	if err != nil {
		s.writeBadParams(w, r, err)
		return
	}
	sts, err := s.store.ListStories(r.Context(), store.StoryFilter{MinArticles: storyMinArticles, Limit: p.Limit + 1, Offset: p.Offset})
	if err != nil {
		s.writeInternal(w, r, "api stories failed", err)
		return
	}
	more := len(sts) > p.Limit
	if more {
		sts = sts[:p.Limit]
	}
	out := apiStoryList{apiPaging: s.paging(w, r, p, more), Stories: make([]apiStory, 0, len(sts))}
	for i := range sts {
		out.Stories = append(out.Stories, s.toAPIStory(r, &sts[i]))
	}
	s.writeAPI(w, r, http.StatusOK, out)
}

type apiStoryArticle struct {
	apiArticle
	Syndication int64 `json:"syndication_group,omitempty"`
	IsOriginal  bool  `json:"is_original,omitempty"`
	CopyOf      int64 `json:"copy_of,omitempty"`
}

type apiOriginal struct {
	Credit     string   `json:"credited_to"`
	Agency     string   `json:"agency,omitempty"`
	Why        string   `json:"why,omitempty"`
	OriginalID int64    `json:"original_id,omitempty"`
	Site       string   `json:"original_site,omitempty"`
	AlsoBy     []string `json:"also_published_by"`
}

type apiTimeline struct {
	Unit    string           `json:"unit"` // "hour" or "day"
	Buckets []apiTimelineBin `json:"buckets"`
}

type apiTimelineBin struct {
	Start  time.Time      `json:"start"`
	Total  int            `json:"total"`
	ByLang map[string]int `json:"by_language"`
}

// apiStoryDetail is the body of /api/v1/stories/{id}: the story with
// (up to storyMaxArticles of) its articles, which are not paged.
type apiStoryDetail struct {
	apiStory
	Outlets   int               `json:"outlets"`
	Originals []apiOriginal     `json:"originals"`
	Items     []apiStoryArticle `json:"articles"`
	Timeline  *apiTimeline      `json:"timeline,omitempty"`
}

// apiMerged is the body of the redirect from a story merged into another.
type apiMerged struct {
	MergedInto int64  `json:"merged_into"`
	URL        string `json:"url"`
}

func (s *Server) handleAPIStoryOne(w http.ResponseWriter, r *http.Request) {
	id, ok := storyID(r)
	if !ok {
		s.writeProblem(w, r, http.StatusNotFound, "There is no story at this address: a story's id is a positive whole number.")
		return
	}
	v, err := s.loadStory(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && v.Total == 0 {
		s.writeProblem(w, r, http.StatusNotFound, fmt.Sprintf("There is no story %d.", id))
		return
	}
	if err != nil {
		s.writeInternal(w, r, "api story failed", err, "id", id)
		return
	}
	if v.Story.ID != id {
		to := fmt.Sprintf("/api/v1/stories/%d", v.Story.ID)
		w.Header().Set("Location", to)
		s.writeAPI(w, r, http.StatusMovedPermanently, apiMerged{MergedInto: v.Story.ID, URL: s.absURL(r, to)})
		return
	}
	s.writeAPI(w, r, http.StatusOK, s.storyDetail(r, v))
}

// storyDetail is a loaded story as the API shows it.
func (s *Server) storyDetail(r *http.Request, v *storyView) apiStoryDetail {
	out := apiStoryDetail{apiStory: s.toAPIStory(r, v.Story), Outlets: v.Outlets, Originals: []apiOriginal{}, Items: []apiStoryArticle{}}
	out.Headline, out.Summary = v.Headline, v.Lead // as the page shows them (loadStory)
	for _, o := range v.Originals {
		ao := apiOriginal{Credit: o.Credit, Agency: o.Agency, Why: o.Why, AlsoBy: o.Also}
		if o.Original != nil {
			ao.OriginalID, ao.Site = o.Original.ID, o.Original.SiteName
		}
		if ao.AlsoBy == nil {
			ao.AlsoBy = []string{}
		}
		out.Originals = append(out.Originals, ao)
	}
	for _, sa := range v.Articles {
		a := apiStoryArticle{apiArticle: s.toAPI(r, &sa.orig, sa.trans, false), IsOriginal: sa.IsOriginal, CopyOf: sa.CopyOfID}
		if sy := v.groups[sa.ID]; sy != nil {
			a.Syndication = sy.GroupID
		}
		out.Items = append(out.Items, a)
	}
	if tl := v.Timeline; tl != nil {
		out.Timeline = &apiTimeline{Unit: tl.Unit, Buckets: []apiTimelineBin{}}
		for _, b := range tl.Rows() {
			out.Timeline.Buckets = append(out.Timeline.Buckets, apiTimelineBin{Start: b.Start, Total: b.Total, ByLang: b.ByLang})
		}
	}
	return out
}
