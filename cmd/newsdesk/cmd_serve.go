package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/web"
)

type serveFlags struct {
	addr, baseURL, siteName string
	noCollect               bool
	remoteImages, trustXFF  bool
	mediaDir                string // the image proxy's cache and key
	// images, when set, is where the image proxy gets images (the demo's
	// bundled ones); nil fetches them from the web
	images media.Fetcher
	// ln, when set, is already listening on addr (the demo takes its
	// port before the import, so that a taken port fails at once)
	ln net.Listener
}

// listen opens addr, with a hint when it is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("%s is already in use (another newsdesk, or another program, listens there): choose another address with --addr, e.g. --addr 127.0.0.1:8081", addr)
		}
		return nil, fmt.Errorf("unable to listen on %s: %w", addr, err)
	}
	return ln, nil
}

func addServeFlags(e *env, fsAddr *serveFlags, set interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	def := e.getenv("NEWSDESK_ADDR")
	if def == "" {
		def = "127.0.0.1:8080"
	}
	set.StringVar(&fsAddr.addr, "addr", def, "address to listen on (env NEWSDESK_ADDR)")
	set.StringVar(&fsAddr.baseURL, "base-url", e.getenv("NEWSDESK_BASE_URL"), "public URL of the site, for canonical links and feeds (env NEWSDESK_BASE_URL; default: from each request)")
	set.StringVar(&fsAddr.siteName, "site-name", "newsdesk", "name shown in the site's header")
	set.BoolVar(&fsAddr.remoteImages, "remote-images", e.getenv("NEWSDESK_REMOTE_IMAGES") == "1", "show article images from the outlets' servers (they then see who reads what); default: fetch them ourselves and serve them from this site (env NEWSDESK_REMOTE_IMAGES=1)")
	set.BoolVar(&fsAddr.trustXFF, "trust-proxy", false, "take the client address for view counting from X-Forwarded-For (only behind a reverse proxy)")
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("serve", "", "Serves the reader site, the JSON API (/api/v1/...), /healthz and /metrics.\nUnless --no-collect, also collects from the configured sources in the background.\nStops gracefully on SIGINT/SIGTERM, finishing requests in flight.\nThe collector refuses internal and loopback addresses; to collect from a local site,\nallow them in the environment, e.g. NEWSDESK_FETCH_ALLOW=127.0.0.1/32.")
	c := e.addCommon(fs)
	var sf serveFlags
	addServeFlags(e, &sf, fs)
	fs.BoolVar(&sf.noCollect, "no-collect", false, "only serve; do not collect from sources")
	fs.StringVar(&sf.mediaDir, "media-dir", e.getenv("NEWSDESK_MEDIA_DIR"), "directory of the image proxy's cache (at most 256 MiB) and signing key (env NEWSDESK_MEDIA_DIR; default: beside a SQLite database, DB.media; with PostgreSQL newsdesk/media in the user's cache directory)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if sf.mediaDir == "" {
		sf.mediaDir = mediaDirBeside(c.db)
	}
	return serve(ctx, e, st, sf, nil)
}

// serve runs the site on st until ctx ends. ready, when not nil, is called
// with the URL once the site listens.
func serve(ctx context.Context, e *env, st store.Store, sf serveFlags, ready func(url string)) error {
	proc, err := newPipeline(ctx, e, st)
	if err != nil {
		return err
	}
	defer proc.Close()
	cfg := web.Config{Store: st, Log: e.log, BaseURL: sf.baseURL, SiteName: sf.siteName, Language: proc.ReaderLanguage(),
		RemoteImages: sf.remoteImages, TrustForwardedFor: sf.trustXFF,
		Admin: adminOptions(ctx, e, st), WebSub: websubHandler(e), Translator: proc.Translator()}
	if !sf.remoteImages {
		if cfg.Media, err = mediaProxy(e, sf); err != nil {
			return err
		}
	}
	site, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln := sf.ln
	if ln == nil {
		if ln, err = listen(sf.addr); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    web.MaxHeaderBytes,
	}
	url := "http://" + ln.Addr().String() + "/"
	e.log.Info("serving", "url", url)
	if ready != nil {
		ready(url)
	}

	var wg sync.WaitGroup
	collectCtx, stopCollect := context.WithCancel(ctx)
	defer stopCollect()
	if !sf.noCollect {
		wg.Go(func() {
			if err := collectInBackground(collectCtx, e, st, proc); err != nil && !errors.Is(err, context.Canceled) {
				e.log.Error("collector stopped", "err", err)
			}
		})
	}
	// the story writer (when this process holds its lease), translation
	// retries, and steps other processes left undone
	wg.Go(func() { proc.Run(collectCtx) })

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(web.GuardListener(ln, web.GuardOptions{})) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down: finishing requests and jobs in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopCollect()
	wg.Wait()
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	e.log.Info("stopped")
	return nil
}

// mediaDirBeside is the image proxy's default directory for a database:
// beside a SQLite file, so that the cache lives and goes with the data;
// "" (the user's cache directory) for PostgreSQL.
func mediaDirBeside(dsn string) string {
	if strings.Contains(dsn, "://") {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "sqlite:"), "?")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return ""
	}
	return path + ".media"
}

// mediaProxy opens the image proxy the site shows images through: from
// sf.images when set (the demo), else fetched from the web by a client
// with the collector's SSRF guard (NEWSDESK_FETCH_ALLOW opens internal
// ranges for both). Images are fetched for a reader waiting on a page, as
// a browser would, so there is no politeness delay; one connection per
// host still holds.
func mediaProxy(e *env, sf serveFlags) (*media.Proxy, error) {
	dir := sf.mediaDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, usagef("no cache directory for the image proxy (%v): choose one with --media-dir", err)
		}
		dir = filepath.Join(cache, "newsdesk", "media")
	}
	fetcher := sf.images
	if fetcher == nil {
		allow, err := fetch.ParseAllow(e.getenv("NEWSDESK_FETCH_ALLOW"))
		if err != nil {
			return nil, usagef("NEWSDESK_FETCH_ALLOW: %v", err)
		}
		fetcher = fetch.New(fetch.Config{Contact: e.getenv("NEWSDESK_CONTACT"), Allow: allow, MinDelay: -1, TotalTimeout: 30 * time.Second})
	}
	p, err := media.New(media.Config{Fetcher: fetcher, Dir: dir, Log: e.log})
	if err != nil {
		return nil, fmt.Errorf("serve: image proxy: %w", err)
	}
	return p, nil
}
