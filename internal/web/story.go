package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The story pages: /story/{id} (one event as every outlet and language
// covered it, the originals credited, a coverage timeline, the people and
// places in it), /stories (the latest stories), their JSON twins under
// /api/v1/stories (api_stories.go), their feeds (feeds.go), and the
// "Stories" section of the front page. They show
// what the story stage stored; a store without stories has none of them.
// (The article page's story box is story_article.go's.)

const (
	storyMaxArticles = 500 // articles shown on a story page
	frontStories     = 5   // stories on the front page
	storyMinArticles = 2   // a listed story has at least this many
)

// storyID reads the {id} of a story URL.
func storyID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// storyArticle is one article as a story page lists it.
type storyArticle struct {
	news.Article
	OrigLang   string // the article's own language (Language may be the translation's)
	At         time.Time
	IsOriginal bool   // credited original of its syndication group
	CopyOf     string // the outlet credited with the original it copies
	CopyOfID   int64
	orig       news.Article      // the article as published (Article may be Localized)
	trans      *news.Translation // the translation shown, if any
}

// storyOriginal is one syndication group: the credited original and the
// outlets that published copies of it.
type storyOriginal struct {
	Credit    string // who is credited: the agency, else the original's outlet
	Agency    string
	Why       string
	Original  *storyArticle // nil when the original is not in the story
	Also      []string      // other outlets, by name
	AlsoCount int
}

type storyOutlet struct {
	Site     string
	Articles []*storyArticle
}

type storyLanguage struct {
	Lang, Name string
	ID         string // for the heading's id
	Count      int
	Outlets    []*storyOutlet
}

// storyNames are the key people, places and other names of a story.
type storyNames struct {
	People, Places, Orgs, Other []entityLink
}

func (n storyNames) Empty() bool {
	return len(n.People)+len(n.Places)+len(n.Orgs)+len(n.Other) == 0
}

// storyView is everything a story page shows, built once for the page and
// the API.
type storyView struct {
	Story    *news.Story
	Headline string
	Lead     string
	// HeadlineLang is set when the headline and lead are in another
	// language than the page's (an untranslated lead article).
	HeadlineLang string
	// HeadlineFrom is the original's language when the headline and lead
	// are a machine translation, HeadlineOriginal our page with the
	// original.
	HeadlineFrom, HeadlineOriginal string
	// NamesLang is the key names' language when it is known and not the
	// page's.
	NamesLang string
	Names     storyNames
	Articles  []*storyArticle
	Originals []*storyOriginal
	Languages []*storyLanguage
	Outlets   int
	Total     int // articles in the story (Articles may hold fewer)
	Timeline  *timeline
	groups    map[int64]*news.Syndication // by article id
}

type storyPageData struct {
	base
	*storyView
	Chart template.HTML
}

// loadStory gathers a story's articles, syndication groups, names and
// timeline. It returns the story the id resolves to (after merges).
func (s *Server) loadStory(ctx context.Context, id int64) (*storyView, error) {
	ss := s.store
	st, err := ss.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	ids, err := ss.StoryArticleIDs(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	v := &storyView{Story: st, Headline: st.Headline, Lead: st.Summary, Total: len(ids), groups: map[int64]*news.Syndication{}}
	if len(ids) > storyMaxArticles {
		ids = ids[:storyMaxArticles]
	}
	arts := make([]news.Article, 0, len(ids))
	for _, aid := range ids {
		a, err := s.store.Article(ctx, aid)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		arts = append(arts, *a)
	}
	origs := append([]news.Article(nil), arts...)
	used := s.localize(ctx, arts)
	byID := map[int64]*storyArticle{}
	var items []timelineItem
	for i := range arts {
		sa := &storyArticle{Article: arts[i], OrigLang: origs[i].Language, At: arts[i].Published, orig: origs[i], trans: used[arts[i].ID]}
		if sa.At.IsZero() {
			sa.At = arts[i].FirstSeenAt
		}
		v.Articles = append(v.Articles, sa)
		byID[sa.ID] = sa
		items = append(items, timelineItem{At: sa.At, Lang: sa.OrigLang})
	}
	if v.Headline == "" && len(v.Articles) > 0 {
		v.Headline = v.Articles[0].Title
	}
	// The headline and lead are the lead article's, in the site's
	// language when it has a translation, else in its own.
	site := s.base("").Lang
	for _, sa := range v.Articles {
		lang := ""
		switch {
		case sa.Title == v.Headline:
			lang = sa.Language
		case sa.orig.Title == v.Headline:
			lang = sa.OrigLang
			if sa.TranslatedFrom != "" {
				// summarised before its translation came: show the
				// translation's headline and lead instead
				v.Headline, lang = sa.Title, sa.Language
				if sa.trans != nil {
					v.Lead = summary(&news.Article{Description: sa.trans.Description, Text: sa.trans.Text})
				}
			}
		default:
			continue
		}
		if lang != "" && !sameLang(lang, site) {
			v.HeadlineLang = lang
		}
		if sa.TranslatedFrom != "" && v.Headline == sa.Title {
			v.HeadlineFrom, v.HeadlineOriginal = sa.TranslatedFrom, fmt.Sprintf("/article/%d?original=1", sa.ID)
		}
		break
	}
	// Key names are as the articles publish them: in a story told in one
	// other language, they are in that language.
	if ls := st.Languages; len(ls) == 1 && !sameLang(ls[0], site) {
		v.NamesLang = ls[0]
	}
	v.Timeline = buildTimeline(items)
	if err := s.storyOriginals(ctx, ss, v, byID); err != nil {
		return nil, err
	}
	v.groupByLanguage()
	v.Names = s.storyKeyNames(ctx, st.KeyNames)
	return v, nil
}

// storyOriginals finds the syndication groups among a story's articles and
// credits each group's original.
func (s *Server) storyOriginals(ctx context.Context, ss store.StoryStore, v *storyView, byID map[int64]*storyArticle) error {
	type group struct {
		sy      *news.Syndication
		members []*storyArticle
	}
	groups := map[int64]*group{}
	var order []int64
	for _, sa := range v.Articles {
		sy, err := ss.Syndication(ctx, sa.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v.groups[sa.ID] = sy
		g := groups[sy.GroupID]
		if g == nil {
			g = &group{sy: sy}
			groups[sy.GroupID] = g
			order = append(order, sy.GroupID)
		}
		g.members = append(g.members, sa)
	}
	for _, gid := range order {
		g := groups[gid]
		if len(g.members) < 2 && g.sy.Members < 2 {
			continue // a group of one is no syndication
		}
		o := &storyOriginal{Agency: g.sy.Agency, Why: g.sy.Why}
		origID := g.sy.OriginalID
		if origID == 0 {
			origID = g.members[0].ID // the earliest: members are oldest first
		}
		o.Original = byID[origID]
		if o.Original == nil {
			if a, err := s.store.Article(ctx, origID); err == nil {
				o.Original = &storyArticle{Article: *a, OrigLang: a.Language, At: a.Published}
			}
		}
		switch {
		case o.Agency != "":
			o.Credit = o.Agency
		case o.Original != nil:
			o.Credit = o.Original.SiteName
		default:
			o.Credit = "an unknown outlet"
		}
		seen := map[string]bool{}
		if o.Original != nil {
			o.Original.IsOriginal = true
			seen[o.Original.SiteName] = true
		}
		for _, m := range g.members {
			if o.Original != nil && m.ID == o.Original.ID {
				continue
			}
			m.CopyOf, m.CopyOfID = o.Credit, origID
			if !seen[m.SiteName] {
				seen[m.SiteName] = true
				o.Also = append(o.Also, m.SiteName)
			}
		}
		o.AlsoCount = len(o.Also)
		v.Originals = append(v.Originals, o)
	}
	sort.SliceStable(v.Originals, func(i, j int) bool { return v.Originals[i].AlsoCount > v.Originals[j].AlsoCount })
	return nil
}

// groupByLanguage lists the articles by their own language (most covered
// first), then by outlet (most articles first), oldest article first.
func (v *storyView) groupByLanguage() {
	byLang := map[string]*storyLanguage{}
	outlets := map[string]bool{}
	for _, sa := range v.Articles {
		l := byLang[sa.OrigLang]
		if l == nil {
			l = &storyLanguage{Lang: sa.OrigLang, Name: langName(sa.OrigLang), ID: "lang-" + idSafe(sa.OrigLang)}
			if sa.OrigLang == "" {
				l.Name, l.ID = "Unknown language", "lang-unknown"
			}
			byLang[sa.OrigLang] = l
			v.Languages = append(v.Languages, l)
		}
		l.Count++
		var o *storyOutlet
		for _, x := range l.Outlets {
			if x.Site == sa.SiteName {
				o = x
			}
		}
		if o == nil {
			o = &storyOutlet{Site: sa.SiteName}
			l.Outlets = append(l.Outlets, o)
		}
		o.Articles = append(o.Articles, sa)
		outlets[sa.SiteName] = true
	}
	v.Outlets = len(outlets)
	sort.SliceStable(v.Languages, func(i, j int) bool { return v.Languages[i].Count > v.Languages[j].Count })
	for _, l := range v.Languages {
		sort.SliceStable(l.Outlets, func(i, j int) bool {
			if len(l.Outlets[i].Articles) != len(l.Outlets[j].Articles) {
				return len(l.Outlets[i].Articles) > len(l.Outlets[j].Articles)
			}
			return l.Outlets[i].Site < l.Outlets[j].Site
		})
	}
}

// idSafe keeps the letters, digits and hyphens of a language tag, for an
// element id.
func idSafe(tag string) string {
	b := []byte(strings.ToLower(tag))
	out := b[:0]
	for _, c := range b {
		if c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "x"
	}
	return string(out)
}

// storyKeyNames sorts a story's key names into people, places and
// organisations, linked to their entity pages, when the store knows them.
func (s *Server) storyKeyNames(ctx context.Context, names []string) storyNames {
	var out storyNames
	for _, name := range names {
		l := entityLink{Name: name}
		key := enrich.Key(name)
		sum, err := s.store.Entity(ctx, key)
		if err != nil {
			out.Other = append(out.Other, l)
			continue
		}
		l.Href = "/entity/" + key
		switch sum.Kind {
		case news.EntityPerson:
			out.People = append(out.People, l)
		case news.EntityPlace:
			out.Places = append(out.Places, l)
		case news.EntityOrg:
			out.Orgs = append(out.Orgs, l)
		default:
			out.Other = append(out.Other, l)
		}
	}
	return out
}

func (s *Server) handleStoryPage(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		id, ok := storyID(r)
		if !ok {
			return s.notFoundPage(r, "There is no story at this address.")
		}
		v, err := s.loadStory(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) || err == nil && v.Total == 0 {
			return s.notFoundPage(r, "There is no story at this address.")
		}
		if err != nil {
			return s.errorPage(r, err)
		}
		if v.Story.ID != id {
			// The story was merged into another: its address moves there.
			to := fmt.Sprintf("/story/%d", v.Story.ID)
			p := newResponse(http.StatusMovedPermanently, "text/plain; charset=utf-8", []byte("This story is now part of "+to+"\n"))
			p.location = to
			p.cacheControl = "public, max-age=3600"
			return p
		}
		data := storyPageData{base: s.base(v.Headline), storyView: v}
		data.Feeds = s.feedLinks(r, fmt.Sprintf("/story/%d/feed", id), "", "Story: "+v.Headline)
		if v.Timeline != nil {
			data.Chart = v.Timeline.SVG("timeline")
		}
		data.Canonical = s.absURL(r, fmt.Sprintf("/story/%d", id))
		data.Description = fmt.Sprintf("One story, %d %s from %d %s", v.Total, pluralize(v.Total, "article", "articles"),
			v.Outlets, pluralize(v.Outlets, "outlet", "outlets"))
		if n := len(v.Languages); n > 1 {
			data.Description += fmt.Sprintf(" in %d languages", n)
		}
		data.Description += ": " + v.Headline
		p := s.page(r, http.StatusOK, "story", data)
		p.modified = v.Story.UpdatedAt
		return p
	})
}

// storyTeaser is a story in a list.
type storyTeaser struct {
	news.Story
	Href      string
	LangNames []string
}

func teasers(sts []news.Story) []storyTeaser {
	out := make([]storyTeaser, 0, len(sts))
	for _, st := range sts {
		t := storyTeaser{Story: st, Href: fmt.Sprintf("/story/%d", st.ID)}
		for _, l := range st.Languages {
			t.LangNames = append(t.LangNames, langName(l))
		}
		out = append(out, t)
	}
	return out
}

type storiesPageData struct {
	base
	Stories []storyTeaser
	Pager   pager
}

func (s *Server) handleStoriesPage(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		page, err := pageParam(r.URL.Query())
		if err != nil {
			return s.badRequestPage(r, err.Error())
		}
		ss := s.store
		sts, err := ss.ListStories(r.Context(), store.StoryFilter{MinArticles: storyMinArticles, Limit: pageSize + 1, Offset: (page - 1) * pageSize})
		if err != nil {
			return s.errorPage(r, err)
		}
		if len(sts) == 0 && page > 1 {
			return s.notFoundPage(r, "There are no more stories.")
		}
		data := storiesPageData{base: s.base("Stories")}
		data.Section = "stories"
		if len(sts) > pageSize {
			sts = sts[:pageSize]
			data.Pager.Next = fmt.Sprintf("/stories?page=%d", page+1)
		}
		if page == 2 {
			data.Pager.Prev = "/stories"
		} else if page > 2 {
			data.Pager.Prev = fmt.Sprintf("/stories?page=%d", page-1)
		}
		data.Stories = teasers(sts)
		data.Canonical = s.absURL(r, "/stories")
		if page > 1 {
			data.Canonical = s.absURL(r, fmt.Sprintf("/stories?page=%d", page))
		}
		data.Description = "The latest stories: each gathers every article on one event, from every outlet and language."
		return s.page(r, http.StatusOK, "stories", data)
	})
}

// frontStoriesHook fills the front page's Stories section (templates/front.html
// calls "front-stories").
func frontStoriesHook(ctx context.Context, s *Server, p *frontPage) error {
	ss := s.store
	if p.Filtered || p.Pager.Prev != "" {
		return nil
	}
	sts, err := ss.ListStories(ctx, store.StoryFilter{MinArticles: storyMinArticles, Limit: frontStories})
	if err != nil {
		return err
	}
	if len(sts) > 0 {
		p.Stories = teasers(sts)
	}
	return nil
}
