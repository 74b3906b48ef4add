package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserEntityPages checks the entity page and the article page's
// "In this article" box in a real browser: one h1, no console problems, no
// other origins, no horizontal scrolling at 320px, and no serious axe-core
// violation in light and dark schemes (see browser_test.go for what it
// needs).
func TestBrowserEntityPages(t *testing.T) {
	bctx := newBrowser(t)
	ts, arts := enrichTestSite(t)
	hs := httptest.NewServer(ts.srv)
	t.Cleanup(hs.Close)
	axe, why := axeSource()
	for _, path := range []string{"/entity/andres-manuel-lopez-obrador", "/entities", fmt.Sprintf("/article/%d", arts[0].ID), fmt.Sprintf("/article/%d", arts[1].ID)} {
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
			if h1 := eval[int](t, bctx, `document.querySelectorAll("h1").length`); h1 != 1 {
				t.Errorf("%d h1 elements", h1)
			}
			if strings.HasPrefix(path, "/article/") && eval[int](t, bctx, `document.querySelectorAll("#in-article-h").length`) != 1 {
				t.Errorf("no In this article box")
			}
			ctx, cancel := context.WithTimeout(bctx, 20*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
				t.Fatal(err)
			}
			if w := eval[int](t, bctx, `document.documentElement.scrollWidth`); w > 320 {
				t.Errorf("page is %dpx wide at a 320px viewport", w)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
				t.Fatal(err)
			}
			if axe == "" {
				t.Skip(why)
			}
			for _, scheme := range []string{"light", "dark"} {
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
					t.Fatal(err)
				}
				for _, vi := range runAxe(t, bctx, axe) {
					msg := fmt.Sprintf("axe (%s) %s [%s]: %s", scheme, vi.ID, vi.Impact, vi.Help)
					for i, n := range vi.Nodes {
						if i < 3 {
							msg += fmt.Sprintf("\n    %v %s\n      %s", n.Target, n.HTML, n.Fail)
						}
					}
					if vi.Impact == "serious" || vi.Impact == "critical" {
						t.Error(msg)
					} else {
						t.Log(msg)
					}
				}
			}
			chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		})
	}
}
