package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// The entity pages: /entity/{key} (who or what it is, the roles articles
// gave it, what it said, the articles that name it), its JSON twin
// /api/v1/entities/{key} (api_entities.go), its feeds (feeds.go), and the
// "In this article" box on article pages.
// They show what the enrich stage stored; a store without entities has
// none of them.

const (
	entityQuotes   = 20 // quotes on an entity page
	entityBoxItems = 10 // people, places... in an article's box
)

// entityKey reads and checks the {key} of an entity URL: keys are lower
// case letters, digits and hyphens (see enrich.Key).
func entityKey(r *http.Request) (string, bool) {
	k := r.PathValue("key")
	if k == "" || len(k) > 200 {
		return "", false
	}
	for _, c := range k {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c > 127) {
			return "", false
		}
	}
	return k, true
}

func kindLabel(k news.EntityKind) string {
	switch k {
	case news.EntityPerson:
		return "Person"
	case news.EntityOrg:
		return "Organisation"
	case news.EntityPlace:
		return "Place"
	}
	return "Entity"
}

type entityPage struct {
	base
	Entity    *store.EntitySummary
	KindLabel string
	Articles  []news.Article
	Total     int
	Quotes    []entityQuoteView
	Pager     pager
}

// entityQuoteView is a quote on an entity page, read as in an article's
// box: translated where it is found in its article's translation, the
// words as said a click away.
type entityQuoteView struct {
	quoteView
	ArticleID    int64
	ArticleTitle string
	TitleLang    string // the title's language when not the page's
	quote        store.EntityQuote
}

// entityQuotes shows quotes in the reader's language where their
// articles have translations.
func (s *Server) entityQuotes(ctx context.Context, qs []store.EntityQuote) []entityQuoteView {
	site := s.base("").Lang
	type pair struct {
		a *news.Article
		t *news.Translation
	}
	seen := map[int64]pair{}
	var out []entityQuoteView
	for _, q := range qs {
		v := entityQuoteView{quoteView: quoteView{Text: q.Text}, ArticleID: q.ArticleID, ArticleTitle: q.ArticleTitle, quote: q}
		if q.Language != "" && !sameLang(q.Language, site) {
			v.Lang, v.TitleLang = q.Language, q.Language
			p, ok := seen[q.ArticleID]
			if !ok {
				if a, err := s.store.Article(ctx, q.ArticleID); err == nil {
					p = pair{a, s.readerTranslation(ctx, a)}
				}
				seen[q.ArticleID] = p
			}
			if p.t != nil {
				v.ArticleTitle, v.TitleLang = p.t.Title, ""
				if tq := translatedQuote(p.a.Text, p.t.Text, q.Quote); tq != "" {
					v.Original, v.OrigLang, v.Text, v.Lang = q.Text, q.Language, tq, ""
				}
			}
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) handleEntity(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response { return s.buildEntity(r) })
}

func (s *Server) buildEntity(r *http.Request) *response {
	es := s.store
	ctx := r.Context()
	key, ok := entityKey(r)
	if !ok {
		return s.notFoundPage(r, "There is no one and nothing at this address.")
	}
	page, err := pageParam(r.URL.Query())
	if err != nil {
		return s.badRequestPage(r, err.Error())
	}
	sum, err := es.Entity(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return s.notFoundPage(r, "No article names anyone or anything by this name.")
	}
	if err != nil {
		return s.errorPage(r, err)
	}
	arts, total, err := es.EntityArticles(ctx, key, pageSize, (page-1)*pageSize)
	if err != nil {
		return s.errorPage(r, err)
	}
	if len(arts) == 0 && page > 1 {
		return s.notFoundPage(r, "There are no more articles.")
	}
	s.localize(ctx, arts)
	data := entityPage{base: s.base(sum.Name), Entity: sum, KindLabel: kindLabel(sum.Kind), Articles: arts, Total: total,
		Pager: makePager(r, page, len(arts), total)}
	if page == 1 && sum.Kind != news.EntityPlace {
		qs, err := es.EntityQuotes(ctx, key, entityQuotes)
		if err != nil {
			s.log.Warn("entity quotes failed", "key", key, "err", err)
		}
		data.Quotes = s.entityQuotes(ctx, qs)
	}
	data.Canonical = s.absURL(r, "/entity/"+key)
	data.Feeds = s.feedLinks(r, "/entity/"+key+"/feed", "", "News naming "+sum.Name)
	data.Description = fmt.Sprintf("%s: %d %s naming %s", kindLabel(sum.Kind), total, pluralize(total, "article", "articles"), sum.Name)
	if len(sum.Roles) > 0 {
		data.Description += " (" + sum.Roles[0] + ")"
	}
	return s.page(r, http.StatusOK, "entity", data)
}

// articleEntities is the "In this article" box.
type articleEntities struct {
	Lang string // the article's language, when not the page's
	// RolesTranslated: the people's roles are in the page's language,
	// each with the original's words a click away.
	RolesTranslated bool
	People          []entityLink
	Orgs            []entityLink
	Places          []entityLink
	Quotes          []quoteView
	Figures         []figureView
}

// figureView is a figure in the box: in the page's language when the page
// shows a translation (Original then holds the words as written), else as
// written, in the box's Lang.
type figureView struct {
	Text, Original string
}

type entityLink struct {
	Name, Href, Role string
	// RoleOriginal is the role as the original wrote it, when Role is its
	// translation into the page's language.
	RoleOriginal string
}

// quoteView is a quote in the "In this article" box: in the reader's
// language when it could be found in the translation, with the words as
// said (Original, in OrigLang) a click away; else as said, marked with
// its language.
type quoteView struct {
	Text, Speaker, Href string
	Lang                string // Text's language when not the page's
	Original, OrigLang  string // set when Text is a translation
}

func (b *articleEntities) Empty() bool {
	return len(b.People)+len(b.Orgs)+len(b.Places)+len(b.Quotes)+len(b.Figures) == 0
}

func articleEntitiesHook(ctx context.Context, s *Server, p *articlePage) error {
	es := s.store
	if p.Article == nil {
		return nil
	}
	en, err := es.Enrichment(ctx, p.Article.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	b := &articleEntities{}
	// Names, roles and figures are as the original wrote them: on a page
	// in another language (the translation's included) they say theirs.
	origLang := firstNonEmpty(en.Language, p.TranslatedFrom, p.Article.Language)
	if p.Original != nil {
		origLang = firstNonEmpty(en.Language, p.Original.Language)
	}
	if origLang != "" && !sameLang(origLang, p.Lang) {
		b.Lang = origLang
	}
	ents := append([]news.Entity(nil), en.Entities...)
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].Count > ents[j].Count })
	for _, e := range ents {
		l := entityLink{Name: e.Name, Href: "/entity/" + e.Key}
		if len(e.Roles) > 0 {
			l.Role = strings.Join(e.Roles, "; ")
		}
		switch e.Kind {
		case news.EntityPerson:
			if b.Lang != "" && l.Role != "" && p.TranslatedFrom != "" { // the page shows the translation
				l.Role, l.RoleOriginal = s.translatePanelText(ctx, b.Lang, p.Lang, l.Role)
				b.RolesTranslated = b.RolesTranslated || l.RoleOriginal != ""
			}
			if len(b.People) < entityBoxItems {
				b.People = append(b.People, l)
			}
		case news.EntityOrg:
			if len(b.Orgs) < entityBoxItems {
				b.Orgs = append(b.Orgs, l)
			}
		case news.EntityPlace:
			if len(b.Places) < entityBoxItems {
				b.Places = append(b.Places, l)
			}
		}
	}
	for _, q := range en.Quotes {
		v := quoteView{Text: q.Text, Speaker: q.Speaker, Lang: b.Lang}
		if p.Original != nil && p.TranslatedFrom != "" {
			if tq := translatedQuote(p.Original.Text, p.Article.Text, q); tq != "" {
				v.Original, v.OrigLang, v.Text, v.Lang = q.Text, b.Lang, tq, ""
			}
		}
		if q.SpeakerKey != "" && en.Entity(q.SpeakerKey) != nil {
			v.Href = "/entity/" + q.SpeakerKey
		}
		b.Quotes = append(b.Quotes, v)
	}
	for _, f := range en.Figures {
		v := figureView{Text: f.Text}
		if b.Lang != "" && p.TranslatedFrom != "" { // the page shows the translation
			v.Text, v.Original = s.translatePanelText(ctx, b.Lang, p.Lang, f.Text)
		}
		b.Figures = append(b.Figures, v)
	}
	if !b.Empty() {
		p.Entities = b
	}
	return nil
}

// The most-named entities over the last days.
var entityWindows = []int{1, 7, 30}

// topParams reads ?days= (1, 7 or 30; default 7) and ?kind=.
func topParams(r *http.Request) (days int, kind news.EntityKind, err error) {
	q := r.URL.Query()
	days = 7
	if v := q.Get("days"); v != "" {
		days = 0
		for _, d := range entityWindows {
			if v == fmt.Sprint(d) {
				days = d
			}
		}
		if days == 0 {
			return 0, "", fmt.Errorf("The number of days must be 1, 7 or 30.")
		}
	}
	switch k := news.EntityKind(q.Get("kind")); k {
	case "", news.EntityPerson, news.EntityOrg, news.EntityPlace:
		kind = k
	default:
		return 0, "", fmt.Errorf("The kind must be person, org or place.")
	}
	return days, kind, nil
}

type topSection struct {
	ID, Heading string
	Items       []store.EntityCount
}

type windowLink struct {
	Label, Href string
	Current     bool
}

type entitiesPage struct {
	base
	Days int
	// Until is the end of the window when it is the newest article's
	// time rather than now (see windowEnd); zero when it is now.
	Until    time.Time
	Windows  []windowLink
	Sections []topSection
}

func (s *Server) handleEntities(w http.ResponseWriter, r *http.Request) {
	s.cachedPage(w, r, func(r *http.Request) *response {
		days, kind, err := topParams(r)
		if err != nil {
			return s.badRequestPage(r, err.Error())
		}
		data := entitiesPage{base: s.base("In the news"), Days: days}
		data.Section = "entities"
		data.Canonical = s.absURL(r, "/entities")
		end, err := s.windowEnd(r.Context())
		if err != nil {
			return s.errorPage(r, err)
		}
		if end.Before(s.now()) {
			data.Until = end
		}
		data.Description = "The people, organisations and places the news named most in the last days."
		for _, d := range entityWindows {
			href := "/entities"
			if d != 7 {
				href += fmt.Sprintf("?days=%d", d)
			}
			label := fmt.Sprintf("%d days", d)
			if d == 1 {
				label = "24 hours"
			}
			data.Windows = append(data.Windows, windowLink{Label: label, Href: href, Current: d == days})
		}
		for _, sec := range []topSection{{ID: "people", Heading: "People"}, {ID: "orgs", Heading: "Organisations"}, {ID: "places", Heading: "Places"}} {
			k := map[string]news.EntityKind{"people": news.EntityPerson, "orgs": news.EntityOrg, "places": news.EntityPlace}[sec.ID]
			if kind != "" && k != kind {
				continue
			}
			sec.Items, err = s.topEntities(r.Context(), days, k, 20)
			if err != nil {
				return s.errorPage(r, err)
			}
			data.Sections = append(data.Sections, sec)
		}
		return s.page(r, http.StatusOK, "entities", data)
	})
}

// translatePanelText puts a role or figure of the side panel from the
// original (in from) into the page's language, to: the translation and the
// text as written, or the text alone (unchanged) when there is no
// translator or it fails. Roles joined by "; " each go on a line of their
// own, so the engine sees them apart.
func (s *Server) translatePanelText(ctx context.Context, from, to, role string) (translated, original string) {
	if s.cfg.Translator == nil || to == "" {
		return role, ""
	}
	roles := strings.Split(role, "; ")
	out, err := s.cfg.Translator.TranslateText(ctx, translate.Pair{From: primaryTag(from), To: primaryTag(to)}, strings.Join(roles, "\n"))
	lines := strings.Split(out, "\n")
	if err != nil || len(lines) != len(roles) {
		if err != nil {
			s.log.Warn("role translation failed", "lang", from, "err", err)
		}
		return role, ""
	}
	for i := range lines {
		lines[i] = initialCaseOf(roles[i], strings.TrimSpace(lines[i]))
	}
	return strings.Join(lines, "; "), role
}

// initialCaseOf gives translated the case of orig's first letter: the
// engine capitalises a line's first word, but a role the article wrote in
// lower case ("presidente de la Corte") is no title. A first word in
// capitals (an acronym, "US Secretary of State") keeps them.
func initialCaseOf(orig, translated string) string {
	o, _ := utf8.DecodeRuneInString(orig)
	first, _, _ := strings.Cut(translated, " ")
	if !unicode.IsLower(o) || len([]rune(first)) < 2 || !unicode.IsLower([]rune(first)[1]) {
		return translated
	}
	r, n := utf8.DecodeRuneInString(translated)
	return string(unicode.ToLower(r)) + translated[n:]
}

// primaryTag is a language tag's primary subtag ("es" of "es-AR").
func primaryTag(tag string) string {
	tag, _, _ = strings.Cut(tag, "-")
	return strings.ToLower(tag)
}
