package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// storyTestSite adds to the standard test site: a wire copy, story 1 (the
// caravan: three English articles and one Spanish, two of them copies of
// the Spanish one, credited to EFE), story 2 merged into it, and story 3
// (the cup final, one article).
func storyTestSite(t *testing.T) (*testSite, []*news.Article) {
	t.Helper()
	ts := newTestSite(t, nil)
	ctx := context.Background()
	wire := &news.Article{URL: "https://border.example.com/caravan", SiteName: "Border Post", Title: "Caravan arrives at the border",
		Language: "en", Published: testNow.Add(-4 * time.Hour), Text: "Thousands of migrants reached the border on Tuesday, EFE reported.",
		BodyHTML: "<p>Thousands of migrants reached the border on Tuesday.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, wire); err != nil {
		t.Fatal(err)
	}
	a := append(append([]*news.Article{}, ts.arts...), wire)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{1, 0, 2} {
		must(ts.st.AssignStory(ctx, a[i].ID, 1, 0.9))
	}
	must(ts.st.AssignStory(ctx, a[4].ID, 2, 1))
	must(ts.st.MergeStories(ctx, 1, []int64{2}))
	must(ts.st.AssignStory(ctx, a[3].ID, 3, 1))
	must(ts.st.SaveStoryText(ctx, 1, "Migrant caravan reaches the US border", "Thousands of migrants reached the border after weeks on the road.",
		[]string{"Ana Pérez", "Tijuana", "Nobody Known"}))
	must(ts.st.SaveStoryText(ctx, 3, "Cup final ends goalless", "", nil))
	must(ts.st.SetSyndication(ctx, a[1].ID, 10, 0, 0))
	must(ts.st.SetSyndication(ctx, a[0].ID, 10, a[1].ID, 0.8))
	must(ts.st.SetSyndication(ctx, a[4].ID, 10, a[1].ID, 0.9))
	must(ts.st.SetOrigin(ctx, 10, a[1].ID, "EFE", "agency"))
	must(ts.st.SaveTranslation(ctx, &news.Translation{ArticleID: a[1].ID, Lang: "en", SourceLang: "es", Backend: "apertium", Engine: "Apertium",
		Title: "The migrant caravan arrives at the border", Text: "Thousands of migrants of the caravan arrived.", SourceHash: a[1].ContentHash,
		Status: news.TranslationDone, TranslatedAt: testNow}))
	must(ts.st.SaveEnrichment(ctx, &news.Enrichment{ArticleID: a[0].ID, Language: "en", Entities: []news.Entity{
		{Key: "ana-perez", Kind: news.EntityPerson, Name: "Ana Pérez", Count: 2},
		{Key: "tijuana", Kind: news.EntityPlace, Name: "Tijuana", Count: 1},
	}}))
	return ts, a
}

var headingRE = regexp.MustCompile(`<h([1-6])[ >]`)

// checkHeadings asserts one h1 and no skipped heading level.
func checkHeadings(t *testing.T, body string) {
	t.Helper()
	prev, h1 := 0, 0
	for _, m := range headingRE.FindAllStringSubmatch(body, -1) {
		l, _ := strconv.Atoi(m[1])
		if l == 1 {
			h1++
		}
		if l > prev+1 {
			t.Errorf("heading h%d follows h%d", l, prev)
		}
		prev = l
	}
	if h1 != 1 {
		t.Errorf("%d h1 elements", h1)
	}
}

func extractSVG(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, "<svg"), strings.Index(body, "</svg>")
	if i < 0 || j < i {
		t.Fatal("no inline SVG")
	}
	return body[i : j+len("</svg>")]
}

func TestStoryPage(t *testing.T) {
	ts, a := storyTestSite(t)
	res := ts.get(t, "/story/1")
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	body := res.body
	for _, want := range []string{
		"<h1>Migrant caravan reaches the US border</h1>",
		"Thousands of migrants reached the border after weeks on the road.",
		"One story: 4 articles from 3 outlets in 2 languages",
		"Originally published by <strong>EFE</strong>: <a href=\"/article/" + fmt.Sprint(a[1].ID) + `">The migrant caravan arrives at the border</a>`,
		"Also published by 2 outlets: ",
		"headline translated from Spanish",
		"<strong>credited original</strong>", "copy of the original by EFE",
		`<h3 id="lang-en-h">English`, `<h3 id="lang-es-h">Spanish`,
		`<h4><a href="/site/Outlet%20Daily">Outlet Daily</a></h4>`,
		`<h3>People</h3>`, `<a href="/entity/ana-perez">Ana Pérez</a>`, `<h3>Places</h3>`, `<a href="/entity/tijuana">Tijuana</a>`, "Nobody Known",
		`role="img"`, `<title id="timeline-title">Coverage timeline: articles per hour by language</title>`, `aria-labelledby="timeline-title timeline-desc"`,
		"<caption>Articles per hour by language</caption>", `<th scope="col">Spanish</th>`,
		`<link rel="canonical" href="https://news.example.org/story/1">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	for _, x := range []*news.Article{a[0], a[1], a[2], a[4]} {
		if !strings.Contains(body, fmt.Sprintf(`href="/article/%d"`, x.ID)) {
			t.Errorf("story page does not link article %d", x.ID)
		}
	}
	if strings.Contains(body, fmt.Sprintf(`href="/article/%d"`, a[3].ID)) {
		t.Error("story page links an article of another story")
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
		t.Error("story page has inline style or script")
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	checkHeadings(t, body)
	svg := extractSVG(t, body)
	wellFormedXML(t, svg)
	if !strings.Contains(svg, `fill="currentColor">0</text>`) || !strings.Contains(svg, `fill="currentColor">1</text>`) {
		t.Error("the y axis lacks its 0 and 1 labels")
	}
	if n := strings.Count(svg, "<rect"); n < 4 {
		t.Errorf("%d rects in the chart", n)
	}

	// A headline taken from a Spanish article before its translation came
	// reads in English, lead included.
	if err := ts.st.SaveStoryText(context.Background(), 1, "La caravana migrante llega a la frontera", "Miles de migrantes.", nil); err != nil {
		t.Fatal(err)
	}
	body = ts.get(t, "/story/1").body
	if !strings.Contains(body, `<h1>The migrant caravan arrives at the border</h1>`) || !strings.Contains(body, `<p class="dek">Thousands of migrants of the caravan arrived.</p>`) {
		t.Error("a Spanish headline of a translated article is not shown in English")
	}
	if !strings.Contains(body, fmt.Sprintf(`Headline and summary machine-translated from Spanish. <a href="/article/%d?original=1" hreflang="es">`, a[1].ID)) {
		t.Error("a translated story headline does not say so and link the original")
	}
	// A headline taken from an untranslated Spanish article is marked so.
	es := &news.Article{URL: "https://diario.example.mx/caravana", SiteName: "Diario MX", Title: "La caravana migrante llega a Tijuana",
		Language: "es", Published: testNow.Add(-time.Hour), Text: "Miles de migrantes llegaron.", BodyHTML: "<p>Miles de migrantes llegaron.</p>"}
	if _, err := ts.st.UpsertArticle(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	if err := ts.st.AssignStory(context.Background(), es.ID, 1, 0.9); err != nil {
		t.Fatal(err)
	}
	if err := ts.st.SaveStoryText(context.Background(), 1, "La caravana migrante llega a Tijuana", "Miles de migrantes.", nil); err != nil {
		t.Fatal(err)
	}
	body = ts.get(t, "/story/1").body
	if !strings.Contains(body, `<h1 lang="es">La caravana migrante llega a Tijuana</h1>`) || !strings.Contains(body, `<p class="dek" lang="es">Miles`) {
		t.Error("a Spanish headline is not marked lang=es")
	}
}

func TestStoryRedirectsAndNotFound(t *testing.T) {
	ts, _ := storyTestSite(t)
	for _, c := range []struct {
		path, loc string
	}{{"/story/2", "/story/1"}, {"/api/v1/stories/2", "/api/v1/stories/1"}} {
		res := ts.get(t, c.path)
		if res.status != 301 || res.header.Get("Location") != c.loc {
			t.Errorf("%s: %d to %q, want 301 to %s", c.path, res.status, res.header.Get("Location"), c.loc)
		}
	}
	if err := ts.st.SaveStoryText(context.Background(), 4, "An empty story", "", nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/story/4", "/api/v1/stories/4", "/story/999", "/story/0", "/story/abc", "/story/-1", "/api/v1/stories/999", "/api/v1/stories/x"} {
		if res := ts.get(t, p); res.status != 404 {
			t.Errorf("%s: status %d, want 404", p, res.status)
		}
	}
	if res := ts.get(t, "/stories?page=0"); res.status != 400 {
		t.Errorf("/stories?page=0: %d", res.status)
	}
	if res := ts.get(t, "/stories?page=3"); res.status != 404 {
		t.Errorf("/stories?page=3: %d", res.status)
	}
}

func TestStoriesListAndFront(t *testing.T) {
	ts, _ := storyTestSite(t)
	res := ts.get(t, "/stories")
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	if !strings.Contains(res.body, `<a href="/story/1">Migrant caravan reaches the US border</a>`) || !strings.Contains(res.body, "4 articles in English, Spanish") {
		t.Error("/stories lacks story 1")
	}
	if strings.Contains(res.body, "/story/3") || strings.Contains(res.body, "/story/2") {
		t.Error("/stories lists a one-article or merged story")
	}
	checkHeadings(t, res.body)

	front := ts.get(t, "/").body
	if !strings.Contains(front, `<h2 id="stories-h">Stories</h2>`) || !strings.Contains(front, `href="/story/1"`) {
		t.Error("the front page has no Stories section")
	}
	checkHeadings(t, front)
	if strings.Contains(ts.get(t, "/?lang=es").body, "stories-h") {
		t.Error("a filtered front page shows the Stories section")
	}
}

func TestStoriesAPI(t *testing.T) {
	ts, a := storyTestSite(t)
	res := ts.get(t, "/api/v1/stories")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, %s", res.status, res.header.Get("Content-Type"))
	}
	var list struct {
		Offset  int `json:"offset"`
		Stories []struct {
			ID        int64    `json:"id"`
			URL       string   `json:"url"`
			Link      string   `json:"link"`
			Headline  string   `json:"headline"`
			KeyNames  []string `json:"key_names"`
			Articles  int      `json:"articles_total"`
			Languages []string `json:"languages"`
			LastAt    string   `json:"last_at"`
		} `json:"stories"`
		Next *string `json:"next"`
	}
	if err := json.Unmarshal([]byte(res.body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Offset != 0 || len(list.Stories) != 1 || list.Next != nil {
		t.Fatalf("list: %+v", list)
	}
	st := list.Stories[0]
	if st.ID != 1 || st.Articles != 4 || strings.Join(st.Languages, ",") != "en,es" || st.Link != "https://news.example.org/story/1" ||
		st.URL != "https://news.example.org/api/v1/stories/1" || len(st.KeyNames) != 3 || st.LastAt == "" {
		t.Errorf("story: %+v", st)
	}

	res = ts.get(t, "/api/v1/stories/1")
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	var one struct {
		ID        int64 `json:"id"`
		Outlets   int   `json:"outlets"`
		Originals []struct {
			Credit     string   `json:"credited_to"`
			Agency     string   `json:"agency"`
			OriginalID int64    `json:"original_id"`
			AlsoBy     []string `json:"also_published_by"`
		} `json:"originals"`
		Articles []struct {
			ID               int64  `json:"id"`
			Title            string `json:"title"`
			Language         string `json:"language"`
			OriginalLanguage string `json:"original_language"`
			Group            int64  `json:"syndication_group"`
			IsOriginal       bool   `json:"is_original"`
			CopyOf           int64  `json:"copy_of"`
		} `json:"articles"`
		Timeline struct {
			Unit    string `json:"unit"`
			Buckets []struct {
				Total  int            `json:"total"`
				ByLang map[string]int `json:"by_language"`
			} `json:"buckets"`
		} `json:"timeline"`
	}
	if err := json.Unmarshal([]byte(res.body), &one); err != nil {
		t.Fatal(err)
	}
	if one.ID != 1 || one.Outlets != 3 || len(one.Articles) != 4 {
		t.Fatalf("story: %+v", one)
	}
	if len(one.Originals) != 1 || one.Originals[0].Credit != "EFE" || one.Originals[0].OriginalID != a[1].ID || len(one.Originals[0].AlsoBy) != 2 {
		t.Errorf("originals: %+v", one.Originals)
	}
	originals, copies := 0, 0
	for _, x := range one.Articles {
		if x.IsOriginal {
			originals++
			if x.ID != a[1].ID || x.OriginalLanguage != "es" || x.Title != "The migrant caravan arrives at the border" || x.Group != 10 {
				t.Errorf("original: %+v", x)
			}
		}
		if x.CopyOf == a[1].ID {
			copies++
		}
	}
	if originals != 1 || copies != 2 {
		t.Errorf("%d originals, %d copies", originals, copies)
	}
	total, es := 0, 0
	for _, b := range one.Timeline.Buckets {
		total += b.Total
		es += b.ByLang["es"]
	}
	if one.Timeline.Unit != "hour" || total != 4 || es != 1 {
		t.Errorf("timeline: %+v", one.Timeline)
	}
	if res := ts.get(t, "/api/v1/stories?page=x"); res.status != 400 {
		t.Errorf("bad page: %d", res.status)
	}
}

func TestBuildTimeline(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t.Run("daily", func(t *testing.T) {
		items := []timelineItem{{day, "en"}, {day.Add(30 * time.Hour), "es"}, {day.Add(30 * time.Hour), "en"}, {day.Add(9 * 24 * time.Hour), "en"}, {At: time.Time{}, Lang: "fr"}}
		tl := buildTimeline(items)
		if tl.Hourly || tl.Unit != "day" || len(tl.Buckets) != 10 || tl.Total != 4 || tl.Peak != 2 || len(tl.Rows()) != 3 {
			t.Fatalf("%+v", tl)
		}
		if tl.Series[0].Lang != "en" || tl.Series[0].Total != 3 || tl.Series[1].Lang != "es" {
			t.Errorf("series %+v", tl.Series)
		}
		if got := tl.Buckets[1].Counts; got[0] != 1 || got[1] != 1 {
			t.Errorf("2 March: %v", got)
		}
		if !strings.Contains(tl.Summary(), "4 articles") || !strings.Contains(tl.Summary(), "3 in English, 1 in Spanish") {
			t.Errorf("summary %q", tl.Summary())
		}
		wellFormedXML(t, string(tl.SVG("t")))
	})
	t.Run("hourly", func(t *testing.T) {
		tl := buildTimeline([]timelineItem{{day.Add(90 * time.Minute), "en"}, {day.Add(71 * time.Hour), "de"}})
		if !tl.Hourly || len(tl.Buckets) != 71 {
			t.Fatalf("hourly %v, %d buckets", tl.Hourly, len(tl.Buckets))
		}
		wellFormedXML(t, string(tl.SVG("t")))
	})
	t.Run("one", func(t *testing.T) {
		tl := buildTimeline([]timelineItem{{day, ""}})
		if len(tl.Buckets) != 1 || tl.Series[0].Name != "Unknown language" {
			t.Fatalf("%+v", tl)
		}
		wellFormedXML(t, string(tl.SVG("t")))
	})
	t.Run("many languages", func(t *testing.T) {
		var items []timelineItem
		for i, l := range []string{"en", "es", "fr", "de", "it", "pt", "ca", "gl"} {
			for range 10 - i {
				items = append(items, timelineItem{day.Add(time.Duration(i) * 24 * time.Hour), l})
			}
		}
		tl := buildTimeline(items)
		if len(tl.Series) != timelineMaxSeries+1 || tl.Series[timelineMaxSeries].Name != "Other languages" || tl.Series[timelineMaxSeries].Total != 4+3 {
			t.Fatalf("series %+v", tl.Series)
		}
		svg := string(tl.SVG("t"))
		wellFormedXML(t, svg)
		if tl.Buckets[6].ByLang["ca"] != 4 || tl.Buckets[7].ByLang["gl"] != 3 {
			t.Errorf("languages apart: %v %v", tl.Buckets[6].ByLang, tl.Buckets[7].ByLang)
		}
		if !strings.Contains(svg, "Other languages (7)") {
			t.Error("legend lacks the other languages")
		}
	})
	t.Run("long", func(t *testing.T) {
		tl := buildTimeline([]timelineItem{{day, "en"}, {day.Add(400 * 24 * time.Hour), "en"}})
		if len(tl.Buckets) != timelineMaxBuckets || tl.Total != 1 {
			t.Fatalf("%d buckets, %d total", len(tl.Buckets), tl.Total)
		}
	})
	if buildTimeline(nil) != nil {
		t.Error("an empty timeline")
	}
}

func TestLabelIndexesAndNiceCeil(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{1, "[0]"}, {2, "[0 1]"}, {6, "[0 1 2 3 4 5]"}, {10, "[0 2 4 6 9]"}, {71, "[0 12 24 36 48 70]"}, {13, "[0 3 6 9 12]"}} {
		if got := fmt.Sprint(labelIndexes(c.n, 6)); got != c.want {
			t.Errorf("labelIndexes(%d) = %s, want %s", c.n, got, c.want)
		}
	}
	for v, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 4, 5: 6, 7: 8, 9: 10, 11: 20, 35: 40, 101: 200} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestTimelinePaletteContrast checks every bar colour against the light
// and the dark page backgrounds (WCAG 1.4.11: 3:1 for graphics).
func TestTimelinePaletteContrast(t *testing.T) {
	lum := func(hex string) float64 {
		var rgb [3]float64
		for i := range 3 {
			v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			c := float64(v) / 255
			if c <= 0.04045 {
				rgb[i] = c / 12.92
			} else {
				rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	}
	ratio := func(a, b string) float64 {
		la, lb := lum(a), lum(b)
		return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
	}
	if len(timelinePalette) != timelineMaxSeries+1 {
		t.Fatalf("%d colours for %d series", len(timelinePalette), timelineMaxSeries+1)
	}
	for _, c := range timelinePalette {
		for _, bg := range []string{"#ffffff", "#121212"} {
			if r := ratio(c, bg); r < 3 {
				t.Errorf("%s on %s: contrast %.2f < 3", c, bg, r)
			}
		}
	}
}

// TestBrowserStoryPages checks the story pages in a real browser: no
// console problems (the CSP would report inline styles), no other origins,
// no horizontal scrolling at 320px, and no serious axe-core violation in
// light and dark schemes.
func TestBrowserStoryPages(t *testing.T) {
	bctx := newBrowser(t)
	ts, _ := storyTestSite(t)
	hs := httptest.NewServer(ts.srv)
	t.Cleanup(hs.Close)
	axe, why := axeSource()
	for _, path := range []string{"/story/1", "/stories", "/"} {
		t.Run(path, func(t *testing.T) {
			v := open(t, bctx, hs.URL+path, "")
			if len(v.problems) > 0 {
				t.Errorf("console problems:\n%s", strings.Join(v.problems, "\n"))
			}
			for _, u := range v.requests {
				if !local(u, hs.URL) {
					t.Errorf("request to another origin: %s", u)
				}
			}
			if path == "/story/1" && eval[int](t, bctx, `document.querySelectorAll("svg[role=img] rect").length`) < 4 {
				t.Error("no chart bars")
			}
			ctx, cancel := context.WithTimeout(bctx, 20*time.Second)
			defer cancel()
			checkNarrowAndAxe(t, ctx, bctx, axe, why)
		})
	}
}

func TestStoryHostileText(t *testing.T) {
	ts := newTestSite(t, nil)
	ctx := context.Background()
	a := &news.Article{URL: "https://evil.example.com/x", SiteName: `Evil <script>alert(1)</script>`, Title: `<img src=x onerror=alert(1)> "quoted" & more`,
		Language: `x" onmouseover="alert(1)`, Published: testNow, Text: "Text.", BodyHTML: "<p>Text.</p>"}
	if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := *ts.arts[0]
	for _, x := range []*news.Article{a, &b} {
		if err := ts.st.AssignStory(ctx, x.ID, 7, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.st.SaveStoryText(ctx, 7, `</title><script>alert(2)</script>`, `<b>lead</b>`, []string{`<i>name</i>`}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/story/7", "/stories", "/"} {
		body := ts.get(t, p).body
		for _, bad := range []string{"<script>alert", "<img src=x", `onmouseover="alert`, "<b>lead</b>", "<i>name</i>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q unescaped", p, bad)
			}
		}
		if p == "/story/7" {
			wellFormedXML(t, extractSVG(t, body))
			if !strings.Contains(body, `id="lang-xonmouseoveralert1-h"`) {
				t.Error("the language section id is not made safe")
			}
		}
	}
}

// BenchmarkStoryPage renders a story of 200 articles in 4 languages, half
// of them in syndication groups of 5 (the page cache is off).
func BenchmarkStoryPage(b *testing.B) {
	ts := newTestSite(b, nil)
	ctx := context.Background()
	langs := []string{"en", "es", "fr", "de"}
	for i := range 200 {
		a := &news.Article{URL: fmt.Sprintf("https://o%d.example.com/a/%d", i%17, i), SiteName: fmt.Sprintf("Outlet %d", i%17),
			Title: fmt.Sprintf("Article %d", i), Language: langs[i%4], Published: testNow.Add(-time.Duration(i) * 37 * time.Minute),
			Text: "Text.", BodyHTML: "<p>Text.</p>"}
		if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
		if err := ts.st.AssignStory(ctx, a.ID, 1, 1); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if err := ts.st.SetSyndication(ctx, a.ID, int64(100+i/10), 0, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		if res := ts.get(b, "/story/1"); res.status != 200 {
			b.Fatal(res.status)
		}
	}
}
