package web

// Browser tests: the site in real headless Chromium, driven by chromedp.
// They need the Debian package "chromium" (or NEWSDESK_CHROMIUM) and, for
// the accessibility checks, axe-core's axe.min.js (NEWSDESK_AXE_JS, or
// `npm install --prefix internal/web/testdata/browser axe-core`). Without
// them the tests skip and say why.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/sanitize"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
	"github.com/newsdesk/newsdesk/internal/testenv"
)

func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if p := os.Getenv("NEWSDESK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, "chromium", "apt-get install chromium, or set NEWSDESK_CHROMIUM")
	return ""
}

// axeSource returns axe-core's script, or "" with the reason it is absent.
func axeSource() (string, string) {
	paths := []string{os.Getenv("NEWSDESK_AXE_JS"), filepath.Join("testdata", "browser", "node_modules", "axe-core", "axe.min.js"),
		"/tmp/newsdesk-axe/node_modules/axe-core/axe.min.js"}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b), ""
		}
	}
	return "", "axe-core not found: set NEWSDESK_AXE_JS to axe.min.js, or run `npm install --prefix internal/web/testdata/browser axe-core`"
}

// newBrowser starts a fresh headless Chromium with its own profile. It
// cannot reach anything but loopback: every other host resolves to
// nothing and every other connection goes to a dead proxy.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	dir, err := os.MkdirTemp("", "newsdesk-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		for range 50 { // the browser's children may still write for a moment
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return ctx
}

// visit is what happened while a page was open.
type visit struct {
	mu       sync.Mutex
	problems []string // console errors, exceptions, error log entries
	requests []string // every URL the page asked for
}

func (v *visit) add(list *[]string, s string) {
	v.mu.Lock()
	*list = append(*list, s)
	v.mu.Unlock()
}

// open navigates the browser's tab to url, recording console problems and
// requests. hook, when set, is a script run in every frame before the
// page's own.
func open(t *testing.T, bctx context.Context, url, hook string) *visit {
	t.Helper()
	v := &visit{}
	lctx, stop := context.WithCancel(bctx)
	t.Cleanup(stop)
	err := chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				v.add(&v.problems, "console."+string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			v.add(&v.problems, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				v.add(&v.problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			v.add(&v.requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			v.add(&v.problems, "dialog: "+e.Message)
			go chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	if hook != "" {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
	// Let deferred scripts, late events and reports arrive.
	chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond))
	return v
}

func eval[T any](t *testing.T, bctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// demoSite serves a few of the bundled real pages, imported through the
// real pipeline, with some views so that "most popular" shows.
func demoSite(t *testing.T) (*httptest.Server, []news.Article) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	proc := pipeline.Minimal(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i, p := range pages {
		if i%3 != 0 {
			continue // a third of them is plenty
		}
		raw, err := demo.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := proc.Process(context.Background(), pipeline.Page{Raw: raw, URL: p.URL, CanonicalURL: p.URL}); err != nil {
			t.Logf("demo page %s not imported: %v", p.File, err)
		}
	}
	arts, err := st.ListArticles(context.Background(), store.ArticleFilter{Limit: 100})
	if err != nil || len(arts) < 3 {
		t.Fatalf("demo import: %d articles, %v", len(arts), err)
	}
	for i, a := range arts[:3] {
		for c := range 3 - i {
			st.RecordView(context.Background(), store.View{ArticleID: a.ID, Client: fmt.Sprint("c", c), At: time.Now()})
		}
	}
	// images as the demo shows them: through the proxy, from the bundle
	proxy, err := media.New(media.Config{Fetcher: demo.Images{}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return serveStore(t, st, func(c *Config) { c.Media = proxy }), arts
}

func serveStore(t *testing.T, st store.Store, mod func(*Config)) *httptest.Server {
	t.Helper()
	cfg := Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv) // listens on 127.0.0.1
	t.Cleanup(hs.Close)
	return hs
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
		Fail   string `json:"failureSummary"`
	} `json:"nodes"`
}

func runAxe(t *testing.T, bctx context.Context, axe string) []axeViolation {
	t.Helper()
	if !eval[bool](t, bctx, `typeof window.axe === "object"`) {
		eval[chromedp.Void](t, bctx, axe)
	}
	raw := eval[[]byte](t, bctx, `axe.run(document, {resultTypes: ["violations"]}).then(r => ({v: r.violations, passes: r.passes.length, version: r.testEngine.version}))`, chromedp.EvalAwaitPromise)
	var res struct {
		V       []axeViolation `json:"v"`
		Passes  int            `json:"passes"`
		Version string         `json:"version"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("axe results: %v", err)
	}
	if res.Passes == 0 {
		t.Fatalf("axe %s checked nothing", res.Version)
	}
	t.Logf("axe-core %s: %d rules passed, %d violated", res.Version, res.Passes, len(res.V))
	return res.V
}

func TestBrowserPages(t *testing.T) {
	bctx := newBrowser(t)
	hs, arts := demoSite(t)
	axe, why := axeSource()
	var es, en *news.Article
	for i := range arts {
		switch {
		case arts[i].Language == "es" && es == nil:
			es = &arts[i]
		case arts[i].Language == "en" && en == nil:
			en = &arts[i]
		}
	}
	paths := []string{"/", "/search?q=presidente", "/about", "/sites"}
	for _, a := range []*news.Article{es, en} {
		if a != nil {
			paths = append(paths, fmt.Sprintf("/article/%d", a.ID))
		}
	}
	for _, path := range paths {
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
			// Every image loads (lazy ones too, once asked), from us.
			broken := eval[string](t, bctx, `new Promise(done => {
				const imgs = [...document.images];
				imgs.forEach(i => { i.loading = "eager"; });
				Promise.all(imgs.map(i => i.decode().catch(() => {}))).then(() =>
					done(imgs.filter(i => !i.complete || i.naturalWidth === 0 || !i.src.startsWith(location.origin + "/")).map(i => i.src).join(" ")));
			})`, chromedp.EvalAwaitPromise)
			if broken != "" {
				t.Errorf("images not shown: %s", broken)
			}
			if path == "/" && eval[int](t, bctx, `document.querySelectorAll("img.thumb[src^='/media/']").length`) == 0 {
				t.Error("the front page shows no pictures")
			}
			if h1 := eval[int](t, bctx, `document.querySelectorAll("h1").length`); h1 != 1 {
				t.Errorf("%d h1 elements", h1)
			}
			// Our own script ran under the CSP: dates are in the reader's
			// time zone, the server's text kept as a tooltip.
			if eval[int](t, bctx, `document.querySelectorAll("time[data-local]").length`) > 0 &&
				eval[string](t, bctx, `document.querySelector("time[data-local]").title`) == "" {
				t.Error("site.js did not localise the dates")
			}
			// The first Tab reaches the skip link, and it is visible then.
			ctx, cancel := context.WithTimeout(bctx, 10*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
			focused := eval[string](t, bctx, `(() => { const a = document.activeElement; const r = a.getBoundingClientRect();
				const st = getComputedStyle(a);
				return a.className + "|" + a.getAttribute("href") + "|" + (r.top >= 0 && r.left >= 0 && r.width > 0) +
					"|" + (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2) })()`)
			if focused != "skip|#main|true|true" {
				t.Errorf("first Tab focused %q, want the visible skip link with a visible focus ring", focused)
			}
			// No horizontal scrolling at 320 CSS pixels.
			checkNarrowAndAxe(t, ctx, bctx, axe, why)
			if dir := os.Getenv("NEWSDESK_SCREENSHOTS"); dir != "" {
				shot(t, bctx, filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(strings.TrimPrefix(path, "/"))+".png"))
			}
		})
	}
}

func shot(t *testing.T, bctx context.Context, file string) {
	ctx, cancel := context.WithTimeout(bctx, 20*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(strings.TrimSuffix(file, ".png")+".jpg", b, 0o644); err != nil {
		t.Log(err)
	}
}

// pwnedHook runs before any script of the page, in every frame: any
// payload that runs calls one of these and is recorded.
const pwnedHook = `(() => {
	if (window.__hits) { return; }
	const hits = [];
	Object.defineProperty(window, "__hits", { value: hits });
	const record = (name) => function (x) { hits.push(name + ":" + String(x)); };
	window.__pwned = record("pwned");
	for (const n of ["alert", "confirm", "prompt", "print"]) { window[n] = record(n); }
	window.eval = record("eval");
})()`

func TestBrowserHostileContent(t *testing.T) {
	bctx := newBrowser(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	files, _ := filepath.Glob(filepath.Join("testdata", "hostile", "*.html"))
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	proc := pipeline.Minimal(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ids := map[string]int64{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := proc.Process(context.Background(), pipeline.Page{Raw: raw, URL: "https://gazette.example/news/" + filepath.Base(f), ContentType: "text/html"})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ids[filepath.Base(f)] = res.Article.ID
		st.RecordView(context.Background(), store.View{ArticleID: res.Article.ID, Client: "c", At: time.Now()})
		// The extractor already drops much of a page; store the whole
		// body through the sanitiser alone too, so that every vector
		// meets the sanitiser, the templates and the CSP.
		whole := &news.Article{URL: "https://gazette.example/raw/" + filepath.Base(f), SiteName: res.Article.SiteName,
			Title: "Raw: " + res.Article.Title, Language: "en", Image: res.Article.Image, Text: string(raw),
			BodyHTML: sanitize.HTML(string(raw)), Published: time.Now()}
		if _, err := st.UpsertArticle(context.Background(), whole); err != nil {
			t.Fatal(err)
		}
		ids["raw-"+filepath.Base(f)] = whole.ID
	}
	hs := serveStore(t, st, nil)
	paths := []string{"/", "/search?q=night+buses"}
	for _, id := range ids {
		paths = append(paths, fmt.Sprintf("/article/%d", id))
	}
	// The hook catches a payload when one runs: a page without our
	// sanitiser or CSP, carrying two of the fixtures' vectors.
	t.Run("control", func(t *testing.T) {
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<!doctype html><title>x</title><script>window.__pwned("script")</script><img src=x onerror="window.__pwned('img')">`)
		}))
		defer bare.Close()
		open(t, bctx, bare.URL+"/", pwnedHook)
		if hits := eval[[]string](t, bctx, `Array.from(window.__hits)`); len(hits) != 2 {
			t.Fatalf("hook recorded %v on an unprotected page, want 2 hits", hits)
		}
	})
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			v := open(t, bctx, hs.URL+path, pwnedHook)
			// Give timers, animations and focus handlers a moment, and
			// move the pointer over the page and Tab through it.
			ctx, cancel := context.WithTimeout(bctx, 20*time.Second)
			defer cancel()
			for range 4 {
				chromedp.Do(ctx, chromedp.KeyEvent("\t"))
			}
			chromedp.Do(ctx, chromedp.MouseClickXY(200, 300), chromedp.Sleep(200*time.Millisecond))
			if !eval[bool](t, bctx, `typeof window.__pwned === "function" && Array.isArray(window.__hits)`) {
				t.Fatal("the hook is not installed: the test would prove nothing")
			}
			hits := eval[[]string](t, bctx, `Array.from(window.__hits || [])`)
			if len(hits) > 0 {
				t.Errorf("hostile script ran: %v", hits)
			}
			if title := eval[string](t, bctx, `document.title`); strings.Contains(title, "PWNED") {
				t.Errorf("title changed by a payload: %q", title)
			}
			frames := eval[int](t, bctx, `document.querySelectorAll("iframe, object, embed, frame, script:not([src]):not([type='application/ld+json'])").length`)
			if frames > 0 {
				t.Errorf("%d frames, objects or inline scripts in the page", frames)
			}
			for _, u := range v.requests {
				if !local(u, hs.URL) {
					t.Errorf("request left for another origin: %s", u)
				}
			}
			for _, p := range v.problems {
				// A CSP report means the sanitiser let something through
				// and the second wall stopped it: worth knowing, not a hole.
				t.Logf("console: %s", p)
			}
		})
	}
}

// local reports whether a request stays on this machine: our origin, or
// a data: URL (Chromium's own, such as the date picker's icon).
func local(u, origin string) bool {
	return strings.HasPrefix(u, origin+"/") || strings.HasPrefix(u, "data:")
}

var _ = cdp.Empty{}

// checkNarrowAndAxe checks the open page for horizontal scrolling at 320
// CSS pixels, then, when axe-core is available (else it skips with why),
// runs axe in light and dark mode: serious and critical violations fail.
func checkNarrowAndAxe(t *testing.T, ctx, bctx context.Context, axe, why string) {
	t.Helper()
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
		testenv.Missing(t, "axe-core", why)
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
}
