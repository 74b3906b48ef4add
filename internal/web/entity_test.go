package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// enrichTestSite is the test site with two articles about the same
// people, enriched the way the pipeline does it.
func enrichTestSite(t *testing.T) (*testSite, []*news.Article) {
	t.Helper()
	ts := newTestSite(t, nil)
	ctx := context.Background()
	arts := []*news.Article{
		{URL: "https://outlet.example.com/2026/03/blinken", SiteName: "Outlet Daily", Title: "AMLO and Blinken meet in Mexico",
			Language: "en", Published: testNow.Add(-2 * 3600e9),
			Text: "The president of Mexico, Andrés Manuel López Obrador, and the US Secretary of State, Antony Blinken, met on Wednesday.\n\n" +
				"“We have many things in common,” López Obrador said.\n\nCBP confirmed the arrival of more than 2.2 million migrants from January to November.",
			BodyHTML: "<p>The president of Mexico met the US Secretary of State.</p>"},
		{URL: "https://diario.example.es/blinken", SiteName: "Diario Ejemplo", Title: "López Obrador recibe a Blinken",
			Language: "es", Published: testNow.Add(-4 * 3600e9),
			Text:     "El presidente de México, Andrés Manuel López Obrador, recibió al secretario de Estado Antony Blinken en el Palacio Nacional.\n\n«Vamos a trabajar juntos en la frontera», dijo López Obrador.",
			BodyHTML: "<p>El presidente recibió al secretario de Estado.</p>"},
	}
	var es store.EntityStore = ts.st
	for _, a := range arts {
		if _, err := ts.st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		r := enrich.Enrich(a.Title, a.Text, a.Language)
		if err := es.SaveEnrichment(ctx, &news.Enrichment{ArticleID: a.ID, Language: a.Language, Entities: r.Entities, Quotes: r.Quotes, Figures: r.Figures}); err != nil {
			t.Fatal(err)
		}
	}
	return ts, arts
}

func TestEntityPages(t *testing.T) {
	ts, arts := enrichTestSite(t)
	const key = "andres-manuel-lopez-obrador"

	res := ts.get(t, fmt.Sprintf("/article/%d", arts[0].ID))
	if res.status != 200 {
		t.Fatalf("article: %d", res.status)
	}
	for _, want := range []string{`id="in-article-h"`, `href="/entity/` + key + `"`, "Andrés Manuel López Obrador", "president of Mexico",
		"US Secretary of State", "<q>We have many things in common</q>", "more than 2.2 million migrants from January to November"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	// The Spanish article's box is marked as Spanish on the English page.
	if res := ts.get(t, fmt.Sprintf("/article/%d", arts[1].ID)); !strings.Contains(res.body, `<q lang="es">Vamos a trabajar juntos en la frontera</q>`) {
		t.Errorf("Spanish quote not marked: %s", res.body)
	}
	// An article without enrichment has no box.
	if res := ts.get(t, fmt.Sprintf("/article/%d", ts.arts[0].ID)); strings.Contains(res.body, "in-article-h") {
		t.Errorf("box on an article without enrichment")
	}

	res = ts.get(t, "/entity/"+key)
	if res.status != 200 {
		t.Fatalf("entity page: %d %s", res.status, res.body)
	}
	for _, want := range []string{"<h1>Andrés Manuel López Obrador</h1>", "Person · named in 2 articles", "president of Mexico",
		"presidente de México", "We have many things in common", `<q lang="es">Vamos a trabajar juntos en la frontera</q>`,
		fmt.Sprintf(`href="/article/%d"`, arts[0].ID), fmt.Sprintf(`href="/article/%d"`, arts[1].ID),
		`<link rel="canonical" href="https://news.example.org/entity/` + key + `">`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	if strings.Count(res.body, "<h1") != 1 {
		t.Errorf("entity page has %d h1", strings.Count(res.body, "<h1"))
	}

	for path, status := range map[string]int{
		"/entity/nobody-at-all":         404,
		"/entity/Bad%20Key":             404,
		"/entity/" + key + "?page=0":    400,
		"/entity/" + key + "?page=9":    404,
		"/api/v1/entities/nobody":       404,
		"/api/v1/entities/" + key + "x": 404,
	} {
		if res := ts.get(t, path); res.status != status {
			t.Errorf("%s: %d, want %d", path, res.status, status)
		}
	}

	res = ts.get(t, "/api/v1/entities/"+key)
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("api: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var got apiEntity
	if err := json.Unmarshal([]byte(res.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Andrés Manuel López Obrador" || got.Kind != "person" || got.Total != 2 || len(got.Articles) != 2 ||
		len(got.Quotes) != 2 || len(got.Roles) != 2 || got.Articles[0].ID != arts[0].ID {
		t.Errorf("api entity = %+v", got)
	}
	// Blinken is one entity across the two articles.
	if res := ts.get(t, "/entity/antony-blinken"); res.status != 200 || !strings.Contains(res.body, "named in 2 articles") {
		t.Errorf("Blinken: %d", res.status)
	}
}

func TestTopEntities(t *testing.T) {
	ts, _ := enrichTestSite(t)
	res := ts.get(t, "/entities")
	if res.status != 200 {
		t.Fatalf("entities: %d", res.status)
	}
	for _, want := range []string{"<h1>In the news</h1>", `href="/entity/andres-manuel-lopez-obrador">Andrés Manuel López Obrador</a> <span class="count">2 articles`,
		`id="places-h"`, `aria-current="page">7 days`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("entities page lacks %q", want)
		}
	}
	if res := ts.get(t, "/entities?kind=place&days=1"); res.status != 200 || strings.Contains(res.body, `id="people-h"`) || !strings.Contains(res.body, `href="/entity/mexico"`) {
		t.Errorf("places only: %d", res.status)
	}
	for _, bad := range []string{"/entities?days=3", "/entities?kind=thing", "/api/v1/entities?days=x"} {
		if res := ts.get(t, bad); res.status != 400 {
			t.Errorf("%s: %d, want 400", bad, res.status)
		}
	}
	res = ts.get(t, "/api/v1/entities?kind=person")
	var got struct {
		Days     int              `json:"days"`
		Entities []apiEntityCount `json:"entities"`
	}
	if err := json.Unmarshal([]byte(res.body), &got); err != nil || got.Days != 7 || len(got.Entities) < 2 ||
		got.Entities[0].Articles != 2 || got.Entities[0].Kind != "person" {
		t.Errorf("api top = %+v, %v", got, err)
	}
}

func TestEntityWindowsEndAtTheNewestArticle(t *testing.T) {
	for _, tc := range []struct {
		name  string
		later time.Duration // how long after the articles the page is read
		want  string
	}{
		{"live", 0, "named by the most articles in the last 7 days."},
		{"archive", 3 * 365 * 24 * time.Hour, "in the 7 days up to the newest article here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, _ := enrichTestSite(t)
			ts.srv.cfg.Now = func() time.Time { return testNow.Add(tc.later) }
			res := ts.get(t, "/entities")
			if res.status != 200 || !strings.Contains(res.body, tc.want) {
				t.Fatalf("%d, want %q in:\n%s", res.status, tc.want, res.body)
			}
			if !strings.Contains(res.body, `href="/entity/andres-manuel-lopez-obrador"`) || strings.Contains(res.body, "None yet.") {
				t.Errorf("the newest week's people are not listed:\n%s", res.body)
			}
			if !strings.Contains(res.body, `<a href="/entities" aria-current="page">In the news</a>`) {
				t.Error("/entities is not the current entry of the navigation")
			}
		})
	}
	// the navigation leads there from every page
	ts := newTestSite(t, nil)
	if !strings.Contains(ts.get(t, "/").body, `<a href="/entities">In the news</a>`) {
		t.Error("the front page's navigation lacks /entities")
	}
}
