package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
			checkNarrowAndAxe(t, ctx, bctx, axe, why)
		})
	}
}
