package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testenv"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// The reader's language: a Spanish article with a saved English
// translation whose title has quotation marks and an apostrophe, a quote
// and a role found by enrichment in the Spanish text.
const (
	rlOrigTitle  = `"La Corte no imparte justicia", dice O'Neill`
	rlTransTitle = `"The Court doesn't impart justice", says O'Neill`
	rlOrigText   = "El juez habló el lunes.\n\n«La Corte no imparte justicia», dijo O'Neill, presidente de la Corte.\n\nNadie respondió."
	rlTransText  = "The judge spoke on Monday.\n\n«The Court does not impart justice», said O'Neill, president of the Court.\n\nNobody answered."
)

func readerLangSite(t *testing.T) (*testSite, *news.Article) {
	t.Helper()
	return readerLangSiteWith(t, nil)
}

func readerLangSiteWith(t *testing.T, mod func(*Config)) (*testSite, *news.Article) {
	t.Helper()
	ts := newTestSite(t, mod)
	ctx := context.Background()
	a := &news.Article{URL: "https://diario.example.ar/corte", SiteName: "Diario Sur", Title: rlOrigTitle, Language: "es",
		Description: "El juez habló.", Published: testNow.Add(-time.Hour), Text: rlOrigText,
		BodyHTML: "<p>El juez habló el lunes.</p><p>«La Corte no imparte justicia», dijo O'Neill, presidente de la Corte.</p><p>Nadie respondió.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	tr := &news.Translation{ArticleID: a.ID, Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: rlTransTitle, Description: "The judge spoke.", Text: rlTransText,
		BodyHTML:   "<p>The judge spoke on Monday.</p><p>«The Court does not impart justice», said O'Neill, president of the Court.</p><p>Nobody answered.</p>",
		SourceHash: a.ContentHash, Status: news.TranslationDone, TranslatedAt: testNow}
	if err := ts.st.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	q := "La Corte no imparte justicia"
	at := strings.Index(rlOrigText, q)
	en := &news.Enrichment{ArticleID: a.ID, Language: "es", Entities: []news.Entity{
		{Key: "oneill", Kind: news.EntityPerson, Name: "O'Neill", Roles: []string{"presidente de la Corte"}, Count: 2},
	}, Quotes: []news.Quote{{Text: q, Span: news.Span{Start: at, End: at + len(q)}, Speaker: "O'Neill", SpeakerKey: "oneill", Verb: "dijo"}},
		Figures: []news.Figure{{Text: "más de dos millones de personas", Value: 2e6, Unit: "personas", Qualifier: "más de"}}}
	if err := ts.st.SaveEnrichment(ctx, en); err != nil {
		t.Fatal(err)
	}
	return ts, a
}

func TestAPIArticleHasTranslation(t *testing.T) {
	ts, a := readerLangSite(t)
	var one struct {
		Title       string `json:"title"`
		Language    string `json:"language"`
		Text        string `json:"text"`
		Translation *struct {
			Language, Title, Description, Text, Engine, Status, Disclosure string
			BodyHTML                                                       string `json:"body_html"`
		} `json:"translation"`
	}
	res := ts.get(t, fmt.Sprintf("/api/v1/articles/%d", a.ID))
	if err := json.Unmarshal([]byte(res.body), &one); err != nil {
		t.Fatal(err)
	}
	if one.Title != rlOrigTitle || one.Language != "es" || one.Text != rlOrigText {
		t.Errorf("the article's own fields must stay the original's: %q %q", one.Title, one.Language)
	}
	tr := one.Translation
	if tr == nil {
		t.Fatalf("no translation object: %s", res.body)
	}
	if tr.Language != "en" || tr.Title != rlTransTitle || tr.Description != "The judge spoke." || tr.Text != rlTransText ||
		!strings.Contains(tr.BodyHTML, "<p>The judge spoke on Monday.</p>") || tr.Engine != "Apertium" || tr.Status != "done" ||
		tr.Disclosure != "Machine-translated from Spanish (Apertium)" {
		t.Errorf("translation = %+v", *tr)
	}

	// An English article has none.
	if body := ts.get(t, fmt.Sprintf("/api/v1/articles/%d", ts.arts[0].ID)).body; strings.Contains(body, `"translation"`) {
		t.Error("an article in the site's language has a translation object")
	}

	var list struct {
		Articles []struct {
			ID                           int64
			Title, Language, Description string
			OriginalTitle                string `json:"original_title"`
			OriginalLanguage             string `json:"original_language"`
			Text                         string
			Translation                  *struct{ Language, Title, Text string }
		}
	}
	if err := json.Unmarshal([]byte(ts.get(t, "/api/v1/articles").body), &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range list.Articles {
		if x.ID != a.ID {
			if x.OriginalTitle != "" || x.Translation != nil && x.Language == "es" {
				t.Errorf("article %d: %+v", x.ID, x)
			}
			continue
		}
		found = true
		if x.Title != rlTransTitle || x.Language != "en" || x.Description != "The judge spoke." || x.OriginalTitle != rlOrigTitle ||
			x.OriginalLanguage != "es" || x.Translation == nil || x.Translation.Title != rlTransTitle || x.Translation.Text != "" {
			t.Errorf("listed translated article = %+v", x)
		}
	}
	if !found {
		t.Fatal("the article is not listed")
	}
}

func TestFeedItemsInReadersLanguage(t *testing.T) {
	ts, a := readerLangSite(t)
	body := ts.get(t, "/feed.atom").body
	var feed struct {
		Entries []struct {
			Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				Href     string `xml:"href,attr"`
				HrefLang string `xml:"hreflang,attr"`
			} `xml:"link"`
			Summary string `xml:"summary"`
			Content struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf("https://news.example.org/article/%d", a.ID)
	n := 0
	for _, e := range feed.Entries {
		if e.ID != link {
			if e.Content.Text != "" {
				t.Errorf("an untranslated entry has content: %q", e.Content.Text)
			}
			continue
		}
		n++
		if e.Lang != "en" || e.Title != rlTransTitle || e.Summary != "The judge spoke." {
			t.Errorf("atom entry: lang %q title %q summary %q", e.Lang, e.Title, e.Summary)
		}
		via := false
		for _, l := range e.Links {
			via = via || l.Rel == "via" && l.Href == a.URL && l.HrefLang == "es"
		}
		if !via {
			t.Errorf("no via link to the original: %+v", e.Links)
		}
		if e.Content.Type != "html" || !strings.Contains(e.Content.Text, "Machine-translated from Spanish (Apertium).") ||
			!strings.Contains(e.Content.Text, `href="https://diario.example.ar/corte" hreflang="es"`) {
			t.Errorf("atom content lacks the disclosure and link: %q", e.Content.Text)
		}
	}
	if n != 1 {
		t.Fatalf("%d entries for the article", n)
	}
	if strings.Contains(body, "&amp;#") {
		t.Error("the Atom feed escapes text twice")
	}

	var jf struct {
		Items []struct {
			ID, Title, Summary, Language string
			ExternalURL                  string `json:"external_url"`
			ContentText                  string `json:"content_text"`
			ContentHTML                  string `json:"content_html"`
		}
	}
	if err := json.Unmarshal([]byte(ts.get(t, "/feed.json").body), &jf); err != nil {
		t.Fatal(err)
	}
	n = 0
	for _, it := range jf.Items {
		if it.ID != link {
			continue
		}
		n++
		if it.Language != "en" || it.Title != rlTransTitle || it.Summary != "The judge spoke." || it.ExternalURL != a.URL ||
			!strings.Contains(it.ContentText, "Machine-translated from Spanish (Apertium). Original: "+a.URL) ||
			!strings.Contains(it.ContentHTML, "Machine-translated from Spanish (Apertium).") {
			t.Errorf("json feed item = %+v", it)
		}
	}
	if n != 1 {
		t.Fatalf("%d JSON Feed items for the article", n)
	}
}

func TestArticleJSONLDPointsToOriginal(t *testing.T) {
	ts, a := readerLangSite(t)
	body := ts.get(t, fmt.Sprintf("/article/%d", a.ID)).body
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	type work struct {
		URL        string `json:"url"`
		Headline   string `json:"headline"`
		InLanguage string `json:"inLanguage"`
	}
	var ld struct {
		Headline          string `json:"headline"`
		InLanguage        string `json:"inLanguage"`
		TranslationOfWork work   `json:"translationOfWork"`
		IsBasedOn         work   `json:"isBasedOn"`
	}
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("%v\n%s", err, m[1])
	}
	want := work{URL: a.URL, Headline: rlOrigTitle, InLanguage: "es"}
	if ld.Headline != rlTransTitle || ld.InLanguage != "en" || ld.TranslationOfWork != want || ld.IsBasedOn != want {
		t.Errorf("JSON-LD = %+v", ld)
	}
	// The original shown on our page is no translation.
	body = ts.get(t, fmt.Sprintf("/article/%d?original=1", a.ID)).body
	if strings.Contains(body, "translationOfWork") || !strings.Contains(body, `"inLanguage":"es"`) {
		t.Error("the original's JSON-LD must say es and claim no translation")
	}
}

// pageTexts are the parts of a page where a title is shown.
func pageTexts(t *testing.T, body string) (h1, title, ogTitle string, shares []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch {
			case n.Data == "h1":
				h1 = textOf(n)
			case n.Data == "title" && title == "":
				title = textOf(n)
			case n.Data == "meta" && attr["property"] == "og:title":
				ogTitle = attr["content"]
			case n.Data == "a" && strings.HasPrefix(attr["href"], "https://x.com/"):
				u, err := url.Parse(attr["href"])
				if err != nil {
					t.Fatal(err)
				}
				shares = append(shares, u.Query().Get("text"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return
}

func TestTitlesEscapedOnce(t *testing.T) {
	ts, a := readerLangSite(t)
	for path, want := range map[string]string{
		fmt.Sprintf("/article/%d", a.ID):            rlTransTitle,
		fmt.Sprintf("/article/%d?original=1", a.ID): rlOrigTitle,
	} {
		body := ts.get(t, path).body
		h1, title, og, shares := pageTexts(t, body)
		if h1 != want || title != want+" · "+ts.srv.cfg.SiteName || og != want || len(shares) != 1 || shares[0] != want {
			t.Errorf("%s: h1 %q, title %q, og:title %q, share %q; want %q", path, h1, title, og, shares, want)
		}
		if strings.Contains(body, "&amp;#") || strings.Contains(body, "&amp;quot;") {
			t.Errorf("%s: text escaped twice", path)
		}
	}
	front := ts.get(t, "/").body
	if !strings.Contains(front, html.EscapeString(rlTransTitle)+"</a>") || strings.Contains(front, "&amp;#") {
		t.Error("the front page does not list the translated title escaped once")
	}
	if api := ts.get(t, "/api/v1/articles").body; strings.Contains(api, "&#") || strings.Contains(api, `\u0026#`) {
		t.Error("the API escapes text")
	}
}

func TestArticlePanelInReadersLanguage(t *testing.T) {
	ts, a := readerLangSite(t)
	body := ts.get(t, fmt.Sprintf("/article/%d", a.ID)).body
	for _, want := range []string{
		`<q>The Court does not impart justice</q>`,
		`<summary>As said, in Spanish</summary><q lang="es">La Corte no imparte justicia</q>`,
		`<span class="meta" lang="es">presidente de la Corte</span>`,
		`Names and roles as the Spanish original gives them.`,
	} {
		if !strings.Contains(body, html.UnescapeString(want)) && !strings.Contains(body, want) {
			t.Errorf("the translated page's panel lacks %q", want)
		}
	}
	// The original page quotes the original, marked Spanish.
	body = ts.get(t, fmt.Sprintf("/article/%d?original=1", a.ID)).body
	if !strings.Contains(body, `<q lang="es">La Corte no imparte justicia</q>`) || strings.Contains(body, "does not impart") {
		t.Error("the original's panel must quote the Spanish, marked lang=es")
	}
}

// With the translation service, the panel's roles read in the reader's
// language (Apertium here, as the site runs it), the original's words a
// click away in a <details> marked with their language.
func TestArticlePanelTranslatesRoles(t *testing.T) {
	a := &translate.Apertium{}
	if !a.Available(translate.Pair{From: "es", To: "en"}) {
		testenv.Missing(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	defer a.Close()
	ts, art := readerLangSiteWith(t, func(c *Config) {
		c.Translator = &translate.Service{Backend: a, Cache: c.Store}
	})
	body := ts.get(t, fmt.Sprintf("/article/%d", art.ID)).body
	for _, want := range []string{
		`<span class="meta">president of the Court</span>`,
		`<summary>In Spanish</summary><span lang="es">presidente de la Corte</span>`,
		`<summary>In Spanish</summary><span lang="es">más de dos millones de personas</span>`,
		`roles and figures translated`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the translated page's panel lacks %q", want)
		}
	}
	if strings.Contains(body, `<span class="meta" lang="es">presidente de la Corte</span>`) {
		t.Error("the role is still shown in Spanish as the panel's text")
	}
	if strings.Contains(body, `<li lang="es">más de dos millones de personas</li>`) || !strings.Contains(body, "million") {
		t.Error("the figure is still shown in Spanish as the panel's text")
	}
	// The original page keeps the role as written.
	body = ts.get(t, fmt.Sprintf("/article/%d?original=1", art.ID)).body
	if !strings.Contains(body, "presidente de la Corte") || strings.Contains(body, "president of the Court</span>") {
		t.Error("the original's panel must give the role as written")
	}
}

func TestTranslatedQuote(t *testing.T) {
	q := func(text string) news.Quote {
		i := strings.Index(rlOrigText, text)
		return news.Quote{Text: text, Span: news.Span{Start: i, End: i + len(text)}}
	}
	for _, c := range []struct {
		name, orig, tr string
		q              news.Quote
		want           string
	}{
		{"found", rlOrigText, rlTransText, q("La Corte no imparte justicia"), "The Court does not impart justice"},
		{"paragraphs differ", rlOrigText, strings.Replace(rlTransText, "\n\n", " ", 1), q("La Corte no imparte justicia"), ""},
		{"quotation lost", rlOrigText, strings.NewReplacer("«", "", "»", "").Replace(rlTransText), q("La Corte no imparte justicia"), ""},
		{"not in the text", rlOrigText, rlTransText, news.Quote{Text: "otra cosa", Span: news.Span{Start: 0, End: 9}}, ""},
		{"second of two", "Dijo «sí» y luego «no lo haremos nunca».", "Said «yes» and then «we will never do it».",
			news.Quote{Text: "no lo haremos nunca", Span: news.Span{Start: 25, End: 44}}, "we will never do it"},
		{"curly marks", "Afirmó: “vamos a ganar”.", "Said: “we are going to win”.", news.Quote{Text: "vamos a ganar", Span: news.Span{Start: 11, End: 24}}, "we are going to win"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := translatedQuote(c.orig, c.tr, c.q); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSearchListsTranslatedTitle(t *testing.T) {
	ts, a := readerLangSite(t)
	body := ts.get(t, "/search?q=imparte").body
	if !strings.Contains(body, fmt.Sprintf(`<a href="/article/%d">%s</a>`, a.ID, html.EscapeString(rlTransTitle))) {
		t.Errorf("the search result does not show the translated title:\n%s", body)
	}
	if !strings.Contains(body, "Translated from Spanish") {
		t.Error("the search result does not say it is translated")
	}
	if !strings.Contains(body, `<p class="snippet" lang="es">`) {
		t.Error("a snippet cut from the Spanish original is not marked lang=es")
	}
}

func TestEntityPageInReadersLanguage(t *testing.T) {
	ts, a := readerLangSite(t)
	body := ts.get(t, "/entity/oneill").body
	for _, want := range []string{
		`<q>The Court does not impart justice</q>`,
		`<summary>As said, in Spanish</summary><q lang="es">La Corte no imparte justicia</q>`,
		fmt.Sprintf(`<a href="/article/%d">%s</a>`, a.ID, html.EscapeString(rlTransTitle)),
		"Translated from Spanish",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the entity page lacks %q", want)
		}
	}
	var api struct {
		Quotes []struct {
			Text        string
			Translation *struct {
				Language, Text string
				Title          string `json:"article_title"`
			}
		}
		Articles []struct{ Title, OriginalTitle string }
	}
	if err := json.Unmarshal([]byte(ts.get(t, "/api/v1/entities/oneill").body), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Quotes) != 1 || api.Quotes[0].Text != "La Corte no imparte justicia" || api.Quotes[0].Translation == nil ||
		*api.Quotes[0].Translation != (struct {
			Language, Text string
			Title          string `json:"article_title"`
		}{"en", "The Court does not impart justice", rlTransTitle}) {
		t.Errorf("API quotes = %+v", api.Quotes)
	}
	if len(api.Articles) != 1 || api.Articles[0].Title != rlTransTitle {
		t.Errorf("API articles = %+v", api.Articles)
	}
}

func TestNewsSitemapTitleInReadersLanguage(t *testing.T) {
	ts, _ := readerLangSite(t)
	body := ts.get(t, "/sitemaps/news/1.xml").body
	if !strings.Contains(body, "The Court doesn") || strings.Contains(body, "La Corte no imparte") {
		t.Errorf("the news sitemap lacks the translated title:\n%s", body)
	}
}

func TestSnippetLang(t *testing.T) {
	tr := news.Article{Language: "es", Title: "La Corte", Text: rlOrigText}.Localized(&news.Translation{Lang: "en", Title: "The Court", Text: rlTransText, BodyHTML: "<p>x</p>"})
	for _, c := range []struct {
		a             news.Article
		snippet, want string
	}{
		{tr, "… The judge spoke on Monday. …", ""},
		{tr, "… El juez habló el lunes. …", "es"},
		{news.Article{Language: "es", Text: rlOrigText}, "El juez habló", "es"},
		{news.Article{Language: "en", Text: "The judge"}, "The judge", ""},
	} {
		h := store.SearchHit{Article: c.a, Snippet: c.snippet}
		if got := snippetLang(&h, "en"); got != c.want {
			t.Errorf("snippetLang(%q) = %q, want %q", c.snippet, got, c.want)
		}
	}
}

// A site whose readers read Spanish says so on its pages and feeds, shows
// a Spanish article as written and an English one in its Spanish
// translation.
func TestSiteLanguageFromConfig(t *testing.T) {
	ts := newTestSite(t, func(c *Config) { c.Language = "es" })
	ctx := context.Background()
	en := &news.Article{URL: "https://paper.example.com/vote", SiteName: "Paper", Title: "The vote is today", Language: "en",
		Published: testNow.Add(-time.Hour), Text: "The vote is today.", BodyHTML: "<p>The vote is today.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, en); err != nil {
		t.Fatal(err)
	}
	tr := &news.Translation{ArticleID: en.ID, Lang: "es", SourceLang: "en", Backend: "apertium", Engine: "Apertium",
		Title: "La votación es hoy", Text: "La votación es hoy.", BodyHTML: "<p>La votación es hoy.</p>",
		SourceHash: en.ContentHash, Status: news.TranslationDone, TranslatedAt: testNow}
	if err := ts.st.SaveTranslation(ctx, tr); err != nil {
		t.Fatal(err)
	}
	page := ts.get(t, fmt.Sprintf("/article/%d", en.ID)).body
	if !strings.Contains(page, `<html lang="es">`) || !strings.Contains(page, "La votación es hoy") {
		t.Errorf("article page not in Spanish: %.300s", page)
	}
	if atom := ts.get(t, "/feed.atom").body; !strings.Contains(atom, `xml:lang="es"`) {
		t.Errorf("atom feed: %.300s", atom)
	}
	if js := ts.get(t, "/feed.json").body; !strings.Contains(js, `"language": "es"`) {
		t.Errorf("json feed: %.300s", js)
	}
}
