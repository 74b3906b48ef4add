package media

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

// imageServer serves testdata files on loopback under the Content-Type
// a test chooses, and counts the requests for each path.
type imageServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

// files maps a path to a testdata file and the type it is sent as.
type served struct{ file, contentType string }

func newImageServer(t *testing.T, files map[string]served) *imageServer {
	t.Helper()
	s := &imageServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", f.file))
		if err != nil {
			t.Error(err)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *imageServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// loopbackClient is the project's guarded fetcher, opened to 127.0.0.1
// only, as the tests' image server lives there.
func loopbackClient() *fetch.Client {
	return fetch.New(fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MinDelay: -1, TotalTimeout: 5 * time.Second})
}

func newProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	if cfg.Fetcher == nil {
		cfg.Fetcher = loopbackClient()
	}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func token(t *testing.T, p *Proxy, raw string) string {
	t.Helper()
	path, ok := p.Path(raw)
	if !ok {
		t.Fatalf("Path(%q) refused", raw)
	}
	return strings.TrimPrefix(path, "/media/")
}

func TestServesCheckedImagesAndCachesThem(t *testing.T) {
	srv := newImageServer(t, map[string]served{
		"/a.png": {"small.png", "image/png"},
		"/b.jpg": {"small.jpg", "image/jpeg"},
		"/c.gif": {"small.gif", "application/octet-stream"}, // the bytes decide, not the label
	})
	p := newProxy(t, Config{})
	for _, tc := range []struct {
		path, file, typ string
		w, h            int
	}{{"/a.png", "small.png", "image/png", 40, 30}, {"/b.jpg", "small.jpg", "image/jpeg", 64, 48}, {"/c.gif", "small.gif", "image/gif", 20, 10}} {
		t.Run(tc.path, func(t *testing.T) {
			raw := srv.URL + tc.path
			if _, _, ok := p.Size(raw); ok {
				t.Fatal("size known before the first fetch")
			}
			tok := token(t, p, raw)
			img, err := p.Open(context.Background(), tok)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if img.Type != tc.typ || img.Width != tc.w || img.Height != tc.h || string(img.Body) != string(want) {
				t.Fatalf("got %s %dx%d (%d bytes), want %s %dx%d (%d bytes)", img.Type, img.Width, img.Height, len(img.Body), tc.typ, tc.w, tc.h, len(want))
			}
			again, err := p.Open(context.Background(), tok)
			if err != nil || string(again.Body) != string(want) || again.Type != tc.typ {
				t.Fatalf("second open: %v", err)
			}
			if n := srv.count(tc.path); n != 1 {
				t.Fatalf("the origin was asked %d times, want once (then the cache)", n)
			}
			if w, h, ok := p.Size(raw); !ok || w != tc.w || h != tc.h {
				t.Fatalf("Size = %d, %d, %v", w, h, ok)
			}
		})
	}
}

func TestRefusesWhatIsNotASafeImage(t *testing.T) {
	srv := newImageServer(t, map[string]served{
		"/big.png":  {"big.png", "image/png"},
		"/bomb.png": {"bomb.png", "image/png"},
		"/page":     {"page.html", "text/html"},
		"/fake.png": {"page.html", "image/png"}, // HTML sent as an image
		"/x.svg":    {"script.svg", "image/svg+xml"},
	})
	p := newProxy(t, Config{MaxBytes: 16 << 10, MaxPixels: 10_000_000})
	for _, tc := range []struct {
		path string
		want error
	}{
		{"/big.png", ErrTooLarge},
		{"/bomb.png", ErrTooManyPixels},
		{"/page", ErrNotImage},
		{"/fake.png", ErrNotImage},
		{"/x.svg", ErrNotImage},
		{"/missing.png", ErrFetch},
	} {
		t.Run(tc.path, func(t *testing.T) {
			raw := srv.URL + tc.path
			img, err := p.Open(context.Background(), token(t, p, raw))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, %v; want %v", img, err, tc.want)
			}
			if _, _, ok := p.Size(raw); ok {
				t.Fatal("a refused image was cached")
			}
		})
	}
}

func TestRefusesATruncatedImage(t *testing.T) {
	b, err := os.ReadFile("testdata/small.png")
	if err != nil {
		t.Fatal(err)
	}
	// the PNG signature, then a cut-off header
	if _, _, _, err := check(b[:20], DefaultMaxPixels); !errors.Is(err, ErrNotImage) {
		t.Fatalf("truncated PNG: %v", err)
	}
}

func TestRefusesTamperedTokens(t *testing.T) {
	srv := newImageServer(t, map[string]served{"/a.png": {"small.png", "image/png"}, "/b.png": {"small.png", "image/png"}})
	p := newProxy(t, Config{})
	good := token(t, p, srv.URL+"/a.png")
	sig, _, _ := strings.Cut(good, ".")
	other := token(t, p, srv.URL+"/b.png")
	_, otherURL, _ := strings.Cut(other, ".")
	stranger := newProxy(t, Config{}) // another key
	for name, tok := range map[string]string{
		"another URL under a's signature": sig + "." + otherURL,
		"no signature":                    otherURL,
		"signed with another key":         token(t, stranger, srv.URL+"/a.png"),
		"flipped signature bit":           flip(sig) + good[len(sig):],
		"not base64":                      "!!!." + otherURL,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := p.Open(context.Background(), tok); !errors.Is(err, ErrBadToken) {
				t.Fatalf("got %v, want ErrBadToken", err)
			}
		})
	}
	if n := srv.count("/a.png") + srv.count("/b.png"); n != 0 {
		t.Fatalf("the origin was asked %d times for bad tokens", n)
	}
}

func flip(sig string) string {
	b := []byte(sig)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

func TestKeyOutlivesTheProcess(t *testing.T) {
	dir := t.TempDir()
	a := newProxy(t, Config{Dir: dir})
	b := newProxy(t, Config{Dir: dir})
	pa, _ := a.Path("https://example.org/a.jpg")
	pb, _ := b.Path("https://example.org/a.jpg")
	if pa != pb {
		t.Fatalf("the same directory signs differently: %s, %s", pa, pb)
	}
	if fi, err := os.Stat(filepath.Join(dir, "key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
}

func TestPathTakesOnlyWebURLs(t *testing.T) {
	p := newProxy(t, Config{})
	for _, raw := range []string{"", "data:image/png;base64,AAAA", "javascript:alert(1)", "/relative.png", "ftp://example.org/a.png",
		"https://example.org/" + strings.Repeat("a", maxURLLen)} {
		if path, ok := p.Path(raw); ok {
			t.Errorf("Path(%.40q) = %s, want refused", raw, path)
		}
	}
}

func TestGuardStillBlocksInternalAddresses(t *testing.T) {
	srv := newImageServer(t, map[string]served{"/a.png": {"small.png", "image/png"}})
	p := newProxy(t, Config{Fetcher: fetch.New(fetch.Config{MinDelay: -1})}) // no loopback allowed
	_, err := p.Open(context.Background(), token(t, p, srv.URL+"/a.png"))
	fe, ok := fetch.AsError(err)
	if !errors.Is(err, ErrFetch) || !ok || fe.Kind != fetch.KindBlocked {
		t.Fatalf("got %v, want a blocked fetch", err)
	}
	if srv.count("/a.png") != 0 {
		t.Fatal("the proxy reached a loopback server")
	}
}

func TestCacheStaysWithinItsBound(t *testing.T) {
	files := map[string]served{}
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		files["/"+n+".png"] = served{"big.png", "image/png"} // about 40 kB each
	}
	srv := newImageServer(t, files)
	dir := t.TempDir()
	const bound = 100 << 10 // room for two
	p := newProxy(t, Config{Dir: dir, CacheBytes: bound})
	ctx := context.Background()
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		if _, err := p.Open(ctx, token(t, p, srv.URL+"/"+n+".png")); err != nil {
			t.Fatal(err)
		}
		if got := diskUsage(t, filepath.Join(dir, "images")); got > bound {
			t.Fatalf("after %s: %d bytes on disk, bound %d", n, got, bound)
		}
	}
	// 4 and 5 are kept; reading 4 makes 5 the least recently used
	for _, n := range []string{"1", "2", "3"} {
		if _, _, ok := p.Size(srv.URL + "/" + n + ".png"); ok {
			t.Errorf("%s.png still cached", n)
		}
	}
	if _, err := p.Open(ctx, token(t, p, srv.URL+"/4.png")); err != nil {
		t.Fatal(err)
	}
	if srv.count("/4.png") != 1 {
		t.Fatal("4.png was fetched again")
	}
	if _, err := p.Open(ctx, token(t, p, srv.URL+"/1.png")); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := p.Size(srv.URL + "/5.png"); ok {
		t.Error("5.png, the least recently used, was kept over 4.png")
	}
	// a restart finds what is on disk
	q := newProxy(t, Config{Dir: dir, CacheBytes: bound})
	for _, n := range []string{"4", "1"} {
		if _, _, ok := q.Size(srv.URL + "/" + n + ".png"); !ok {
			t.Errorf("after a restart, %s.png is not known", n)
		}
	}
	// a smaller bound at start evicts down to it
	r := newProxy(t, Config{Dir: dir, CacheBytes: 50 << 10})
	if got := r.cache.usage(); got > 50<<10 || diskUsage(t, filepath.Join(dir, "images")) > 50<<10 {
		t.Fatalf("after restarting with a smaller bound: %d bytes", got)
	}
}

func diskUsage(t *testing.T, dir string) int64 {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, e := range es {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}
