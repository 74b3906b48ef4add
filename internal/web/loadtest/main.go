// Command loadtest measures the site under the loads of issue 21 against a
// server on this machine. It only talks to loopback addresses, and every
// run is bounded in connections, requests and time.
//
//	go run ./internal/web/loadtest -mode front -url http://127.0.0.1:8080 -conns 200 -for 40s
//	go run ./internal/web/loadtest -mode junk  -url http://127.0.0.1:8080 -conns 8 -n 2500 -pid $(pgrep -n newsdesk)
//	go run ./internal/web/loadtest -mode login -url http://127.0.0.1:8080 -conns 200 -article /article/1
//
// front: conns keep-alive connections read the front page for the
// duration (asking for br or gzip, as browsers do), while a sampler asks
// for it every 50 ms; prints percentiles and the sampler's waits over
// 200 ms, with when they happened. junk: measures the front page's rate
// from 8 connections, then sends n requests for the front page with a
// unique junk parameter each (-junk-bytes long) from conns connections
// while measuring the front page again; prints both rates and the
// server's RSS (from /proc) before, after and 30 s later. login: fetches
// one login form per guess (conns of them), then sends all the wrong
// guesses at once; prints how each was answered and how fast, the
// server's own histogram of the refusals, and an article's latency before
// and during the burst.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	mode := flag.String("mode", "front", "front, junk or login")
	base := flag.String("url", "http://127.0.0.1:8080", "the site (a loopback address)")
	conns := flag.Int("conns", 200, "connections (front), clients (junk), guesses (login)")
	dur := flag.Duration("for", 40*time.Second, "how long (front)")
	n := flag.Int("n", 2500, "junk requests")
	junkSize := flag.Int("junk-bytes", 60<<10, "size of each junk parameter")
	pid := flag.Int("pid", 0, "the server's process id, to read its RSS (junk)")
	raw := flag.Bool("raw", true, "front: read over raw keep-alive connections as a browser would ask (br, gzip), which leaves more of the CPU to the server than net/http's client")
	article := flag.String("article", "/article/1", "the article page watched during the login burst")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || !loopback(u.Hostname()) {
		fatal("-url must be an http URL on a loopback address")
	}
	if *conns < 1 || *conns > 1000 || *dur <= 0 || *dur > 2*time.Minute || *n < 1 || *n > 10000 || *junkSize > 1<<20 {
		fatal("bounds: 1-1000 conns, at most 2m, 1-10000 requests, junk at most 1 MiB")
	}
	switch *mode {
	case "front":
		front(*base, *conns, *dur, *raw)
	case "junk":
		junk(*base, *conns, *n, *junkSize, *pid)
	case "login":
		login(*base, *conns, *article)
	default:
		fatal("unknown -mode " + *mode)
	}
}

func fatal(msg string) {
	fmt.Fprintln(os.Stderr, "loadtest:", msg)
	os.Exit(2)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func client(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}}
}

// get fetches a URL, reads the body through and returns the status and
// how long it took.
func get(c *http.Client, u string) (int, time.Duration, error) {
	start := time.Now()
	resp, err := c.Get(u)
	if err != nil {
		return 0, time.Since(start), err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

// latencies collects request times and statuses from many goroutines.
type latencies struct {
	mu     sync.Mutex
	d      []time.Duration
	status map[int]int
	errs   int
}

func (l *latencies) add(code int, d time.Duration, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.status == nil {
		l.status = map[int]int{}
	}
	if err != nil {
		l.errs++
		return
	}
	l.d = append(l.d, d)
	l.status[code]++
}

func (l *latencies) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := slices.Clone(l.d)
	slices.Sort(d)
	q := func(p float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, int(p*float64(len(d))))]
	}
	return fmt.Sprintf("n=%d errors=%d status=%v p50=%v p90=%v p99=%v max=%v", len(d), l.errs, l.status,
		q(.5).Round(time.Microsecond*100), q(.9).Round(time.Microsecond*100), q(.99).Round(time.Microsecond*100), q(1).Round(time.Microsecond*100))
}

// hammer has conns goroutines fetch next() until ctx ends or next says
// stop.
func hammer(ctx context.Context, c *http.Client, conns int, next func() (string, bool), l *latencies) {
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				u, ok := next()
				if !ok {
					return
				}
				code, d, err := get(c, u)
				if ctx.Err() != nil && err != nil {
					return
				}
				l.add(code, d, err)
			}
		})
	}
	wg.Wait()
}

func front(base string, conns int, dur time.Duration, raw bool) {
	c := client(conns + 1)
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var l, sl latencies
	var stalls []string
	var wg sync.WaitGroup
	start := time.Now()
	wg.Go(func() { // the sampler: one reader, every 50 ms
		sc := client(1)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			code, d, err := get(sc, base+"/")
			sl.add(code, d, err)
			if d > 200*time.Millisecond {
				stalls = append(stalls, fmt.Sprintf("%.1fs:%v", time.Since(start).Seconds(), d.Round(time.Millisecond)))
			}
		}
	})
	how := "net/http client, no compression"
	if raw {
		how = "raw keep-alive connections, Accept-Encoding: br, gzip"
		u, _ := url.Parse(base)
		rawHammer(ctx, u.Host, "/", conns, &l)
	} else {
		hammer(ctx, c, conns, func() (string, bool) { return base + "/", true }, &l)
	}
	wg.Wait()
	fmt.Printf("front %d conns %v (%s): %s (%.0f req/s)\n", conns, dur, how, &l, float64(len(l.d))/dur.Seconds())
	fmt.Printf("sampler: %s; stalls over 200 ms: %d %v\n", &sl, len(stalls), stalls)
}

// rawHammer has conns connections ask for path over and over until ctx
// ends, each request written by hand and its response read with
// http.ReadResponse.
func rawHammer(ctx context.Context, host, path string, conns int, l *latencies) {
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: loadtest\r\nAccept-Encoding: br, gzip\r\n\r\n")
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var conn net.Conn
			var br *bufio.Reader
			defer func() {
				if conn != nil {
					conn.Close()
				}
			}()
			for ctx.Err() == nil {
				if conn == nil {
					var err error
					if conn, err = net.Dial("tcp", host); err != nil {
						l.add(0, 0, err)
						return
					}
					br = bufio.NewReaderSize(conn, 32<<10)
				}
				start := time.Now()
				_, err := conn.Write(req)
				var resp *http.Response
				if err == nil {
					resp, err = http.ReadResponse(br, nil)
				}
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil {
					if ctx.Err() == nil {
						l.add(0, 0, err)
					}
					conn.Close()
					conn = nil
					continue
				}
				l.add(resp.StatusCode, time.Since(start), nil)
			}
		})
	}
	wg.Wait()
}

func junk(base string, clients, n, size, pid int) {
	rss := func() string {
		if pid == 0 {
			return "?"
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return "?"
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				return strings.TrimSpace(v)
			}
		}
		return "?"
	}
	const frontConns, window = 8, 10 * time.Second
	rate := func(ctx context.Context) (float64, *latencies) {
		var l latencies
		start := time.Now()
		u, _ := url.Parse(base)
		rawHammer(ctx, u.Host, "/", frontConns, &l)
		return float64(len(l.d)) / time.Since(start).Seconds(), &l
	}
	get(client(1), base+"/") // warm the cache
	ctx, cancel := context.WithTimeout(context.Background(), window)
	cached, _ := rate(ctx)
	cancel()
	fmt.Printf("front cached rate (%d conns, %v): %.0f req/s; RSS before %s\n", frontConns, window, cached, rss())

	// The junk requests are written by hand on raw connections: the
	// http.Client would spend more of this machine's CPU parsing its own
	// 60 KB URLs than the server does.
	u, _ := url.Parse(base)
	pad := strings.Repeat("x", max(size-32, 0))
	var sent atomic.Int64
	var jl latencies
	send := func(ctx context.Context) {
		var conn net.Conn
		var br *bufio.Reader
		defer func() {
			if conn != nil {
				conn.Close()
			}
		}()
		for ctx.Err() == nil && sent.Add(1) <= int64(n) {
			if conn == nil {
				var err error
				if conn, err = net.Dial("tcp", u.Host); err != nil {
					jl.add(0, 0, err)
					return
				}
				br = bufio.NewReader(conn)
			}
			var id [16]byte
			rand.Read(id[:])
			req := "GET /?junk=" + hex.EncodeToString(id[:]) + pad + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: loadtest\r\n\r\n"
			start := time.Now()
			io.WriteString(conn, req) // a server that refuses may close before reading it all
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				jl.add(0, 0, err)
				conn.Close()
				conn = nil
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			jl.add(resp.StatusCode, time.Since(start), nil)
			if resp.Close {
				conn.Close()
				conn = nil
			}
		}
	}
	jctx, jcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer jcancel()
	fctx, fcancel := context.WithCancel(jctx)
	var during float64
	var dl *latencies
	var wg sync.WaitGroup
	wg.Go(func() { during, dl = rate(fctx) })
	start := time.Now()
	var jw sync.WaitGroup
	for range clients {
		jw.Go(func() { send(jctx) })
	}
	jw.Wait()
	took := time.Since(start)
	fcancel()
	wg.Wait()
	fmt.Printf("junk: %d requests of %d bytes from %d clients in %v (%.0f req/s, %.0f%% of the cached rate): %s\n",
		n, size, clients, took.Round(time.Millisecond), float64(n)/took.Seconds(), 100*float64(n)/took.Seconds()/cached, &jl)
	fmt.Printf("front during junk: %.0f req/s (%.0f%% of cached) %s; RSS after %s\n", during, 100*during/cached, dl, rss())
	time.Sleep(30 * time.Second)
	fmt.Printf("RSS 30 s later %s\n", rss())
}

func login(base string, guesses int, article string) {
	watch := func(ctx context.Context) *latencies {
		var l latencies
		hammer(ctx, client(4), 4, func() (string, bool) { return base + article, true }, &l)
		return &l
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	before := watch(ctx)
	cancel()
	fmt.Printf("article before: %s\n", before)

	// One login form (cookie and token) per guess, as separate browsers.
	type form struct {
		c   *http.Client
		tok string
	}
	forms := make([]form, 0, guesses)
	for range guesses {
		jar, _ := cookiejar.New(nil)
		c := client(1)
		c.Jar = jar
		resp, err := c.Get(base + "/admin/login")
		if err != nil {
			fatal(err.Error())
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_, after, ok := strings.Cut(string(b), `name="csrf" value="`)
		tok, _, _ := strings.Cut(after, `"`)
		if !ok {
			fatal("no login token on /admin/login")
		}
		forms = append(forms, form{c, tok})
	}
	dctx, dcancel := context.WithCancel(context.Background())
	var during *latencies
	var wg sync.WaitGroup
	wg.Go(func() { during = watch(dctx) })
	time.Sleep(500 * time.Millisecond)
	var mu sync.Mutex
	byStatus := map[int][]time.Duration{}
	var errs int
	gate := make(chan struct{})
	var lw sync.WaitGroup
	for i, f := range forms {
		lw.Go(func() {
			<-gate
			v := url.Values{"csrf": {f.tok}, "password": {"wrong guess " + strconv.Itoa(i)}}
			start := time.Now()
			resp, err := f.c.PostForm(base+"/admin/login", v)
			d := time.Since(start)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			byStatus[resp.StatusCode] = append(byStatus[resp.StatusCode], d)
		})
	}
	burst := time.Now()
	close(gate)
	lw.Wait()
	took := time.Since(burst)
	time.Sleep(500 * time.Millisecond)
	dcancel()
	wg.Wait()
	fmt.Printf("%d wrong logins at once, all answered in %v (errors %d):\n", guesses, took.Round(time.Millisecond), errs)
	for _, code := range slices.Sorted(maps.Keys(byStatus)) {
		d := byStatus[code]
		slices.Sort(d)
		fmt.Printf("  %d (%s): %d, fastest %v, median %v, 90th %v, slowest %v\n", code, meaning(code), len(d), d[0].Round(time.Millisecond/10),
			d[len(d)/2].Round(time.Millisecond/10), d[len(d)*9/10].Round(time.Millisecond/10), d[len(d)-1].Round(time.Millisecond/10))
	}
	// The server's own view of the refusals, from its histogram.
	if resp, err := client(1).Get(base + "/metrics"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("server-side time of the refused logins (cumulative, all runs of this server):")
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, `route="POST /admin/login"`) && strings.Contains(line, `code="4xx"`) &&
				(strings.Contains(line, `le="0.008"`) || strings.Contains(line, `le="0.016"`) || strings.Contains(line, `le="0.032"`) ||
					strings.Contains(line, `le="0.064"`) || strings.Contains(line, `le="+Inf"`)) {
				fmt.Println("  " + line)
			}
		}
	}
	fmt.Printf("article during: %s\n", during)
}

func meaning(code int) string {
	switch code {
	case http.StatusSeeOther:
		return "evaluated: wrong password"
	case http.StatusTooManyRequests:
		return "refused before bcrypt"
	}
	return http.StatusText(code)
}
