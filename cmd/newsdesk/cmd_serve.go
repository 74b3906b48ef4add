package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/web"
)

func init() {
	register(command{name: "serve", summary: "serve the reader site, JSON API and /metrics (and collect in the background)", run: runServe})
}

// backgroundCollector, when set by the collector, runs collection until ctx
// ends. serve starts it unless --no-collect.
var backgroundCollector func(ctx context.Context, e *env, st store.Store) error

// backgroundJobs run beside the site until it stops (translation retries
// ...), with or without the collector.
var backgroundJobs []func(ctx context.Context, e *env, st store.Store)

// webOptions are extra web.Config settings from other files (the admin,
// stories ...), applied in order.
var webOptions []func(ctx context.Context, e *env, st store.Store, cfg *web.Config) error

type serveFlags struct {
	addr, baseURL, siteName string
	noCollect               bool
	remoteImages, trustXFF  bool
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
	set.BoolVar(&fsAddr.remoteImages, "remote-images", e.getenv("NEWSDESK_REMOTE_IMAGES") == "1", "show article images from the outlets' servers (they then see who reads what); default: link to them (env NEWSDESK_REMOTE_IMAGES=1)")
	set.BoolVar(&fsAddr.trustXFF, "trust-proxy", false, "take the client address for view counting from X-Forwarded-For (only behind a reverse proxy)")
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("serve", "", "Serves the reader site, the JSON API (/api/v1/...), /healthz and /metrics.\nUnless --no-collect, also collects from the configured sources in the background.\nStops gracefully on SIGINT/SIGTERM, finishing requests in flight.\nThe collector refuses internal and loopback addresses; to collect from a local site,\nallow them in the environment, e.g. NEWSDESK_FETCH_ALLOW=127.0.0.1/32.")
	c := e.addCommon(fs)
	var sf serveFlags
	addServeFlags(e, &sf, fs)
	fs.BoolVar(&sf.noCollect, "no-collect", false, "only serve; do not collect from sources")
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
	return serve(ctx, e, st, sf, nil)
}

// serve runs the site on st until ctx ends. ready, when not nil, is called
// with the URL once the site listens.
func serve(ctx context.Context, e *env, st store.Store, sf serveFlags, ready func(url string)) error {
	cfg := web.Config{Store: st, Log: e.log, BaseURL: sf.baseURL, SiteName: sf.siteName,
		RemoteImages: sf.remoteImages, TrustForwardedFor: sf.trustXFF}
	for _, opt := range webOptions {
		if err := opt(ctx, e, st, &cfg); err != nil {
			return err
		}
	}
	site, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", sf.addr)
	if err != nil {
		return fmt.Errorf("serve: unable to listen on %s: %w", sf.addr, err)
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
	if backgroundCollector != nil && !sf.noCollect {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := backgroundCollector(collectCtx, e, st); err != nil && !errors.Is(err, context.Canceled) {
				e.log.Error("collector stopped", "err", err)
			}
		}()
	}

	for _, job := range backgroundJobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job(collectCtx, e, st)
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
