package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const sourcesUsage = `Usage: newsdesk sources VERB [flags] [ARGS]

Verbs:
  add URL          add a feed, sitemap, home page or article URL
                   [--name NAME --language TAG --interval DURATION --kind feed|sitemap|site|url]
  list             list sources with their state, last error and next poll [--json]
  remove ID|URL    remove a source (its articles stay)
  pause ID|URL     stop polling a source
  resume ID|URL    poll a paused source again (and clear its backoff)
  poll ID|URL...   collect from these sources now, whatever their schedule [--json]
  import-opml FILE add every feed of an OPML file ("-" reads stdin)
  export-opml      write the sources as OPML to stdout

Every verb takes --db and --log-format; "newsdesk sources VERB --help" shows its flags.`

func runSources(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(e.stderr, sourcesUsage)
		if len(args) == 0 {
			return usagef("sources: give a verb")
		}
		return nil
	}
	verb, rest := args[0], args[1:]
	switch verb {
	case "add":
		return sourcesAdd(ctx, e, rest)
	case "list", "ls":
		return sourcesList(ctx, e, rest)
	case "remove", "rm":
		return sourcesChange(ctx, e, "remove", rest)
	case "pause":
		return sourcesChange(ctx, e, "pause", rest)
	case "resume":
		return sourcesChange(ctx, e, "resume", rest)
	case "poll":
		return sourcesPoll(ctx, e, rest)
	case "import-opml":
		return sourcesImportOPML(ctx, e, rest)
	case "export-opml":
		return sourcesExportOPML(ctx, e, rest)
	}
	fmt.Fprintln(e.stderr, sourcesUsage)
	return usagef("sources: unknown verb %q", verb)
}

// checkSourceURL accepts absolute http(s) URLs only.
func checkSourceURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	u.Fragment = ""
	return u.String(), nil
}

func parseKind(s string) (news.SourceKind, error) {
	switch k := news.SourceKind(strings.ToLower(s)); k {
	case "", "auto":
		return "", nil
	case news.KindFeed, news.KindSitemap, news.KindSite, news.KindURL:
		return k, nil
	}
	return "", usagef("--kind must be feed, sitemap, site, url or auto, not %q", s)
}

func sourcesAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("sources add", "URL", "Adds a source. Its kind is found at the first poll unless --kind says it:\na feed (RSS, Atom, JSON Feed), a sitemap or sitemap index, a site's home page\n(its feeds, else its robots.txt sitemaps, are read) or a single article URL.")
	c := e.addCommon(fs)
	name := fs.String("name", "", "display name (default: the feed's title)")
	lang := fs.String("language", "", "BCP 47 language tag the source writes in, e.g. es (default: from the feed)")
	interval := fs.Duration("interval", 0, "how often to poll, e.g. 15m (default 30m; adapted to how often it publishes)")
	kindFlag := fs.String("kind", "auto", "feed, sitemap, site, url or auto")
	asJSON := fs.Bool("json", false, "print the added source as JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sources add: give exactly one URL")
	}
	u, err := checkSourceURL(fs.Arg(0))
	if err != nil {
		return usagef("sources add: %v", err)
	}
	kind, err := parseKind(*kindFlag)
	if err != nil {
		return err
	}
	if *interval < 0 {
		return usagef("--interval must be positive")
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	src := &news.Source{URL: u, Name: *name, Language: *lang, Interval: *interval, Kind: kind}
	if err := st.AddSource(ctx, src); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("sources add: %s is already a source", u)
		}
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(sourceJSON(store.SourceRecord{Source: *src}))
	}
	fmt.Fprintf(e.stdout, "added source %d: %s\n", src.ID, u)
	return nil
}

type sourceOut struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	URL          string    `json:"url"`
	Kind         string    `json:"kind"`
	Language     string    `json:"language,omitempty"`
	State        string    `json:"state"`
	Interval     string    `json:"interval"`
	Adaptive     string    `json:"adaptive_interval,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	Failures     int       `json:"failures"`
	LastPolledAt time.Time `json:"last_polled_at,omitzero"`
	NextPollAt   time.Time `json:"next_poll_at,omitzero"`
	LastStatus   int       `json:"last_status,omitempty"`
	Polls        int       `json:"polls"`
	NotModified  int       `json:"not_modified"`
	ItemsSeen    int       `json:"items_seen"`
	WebSub       string    `json:"websub,omitempty"`
}

func sourceJSON(s store.SourceRecord) sourceOut {
	o := sourceOut{ID: s.ID, Name: s.Name, URL: s.URL, Kind: string(s.Kind), Language: s.Language, State: string(s.State),
		LastError: s.LastError, Failures: s.Failures, LastPolledAt: s.LastPolledAt, NextPollAt: s.NextPollAt,
		LastStatus: s.LastStatus, Polls: s.Polls, NotModified: s.NotModified, ItemsSeen: s.ItemsSeen, WebSub: s.WebSub.State}
	if o.Kind == "" {
		o.Kind = "auto"
	}
	o.Interval = "default"
	if s.Interval > 0 {
		o.Interval = s.Interval.String()
	}
	if s.Adaptive > 0 {
		o.Adaptive = s.Adaptive.String()
	}
	return o
}

func sourcesList(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("sources list", "", "Lists every source with its state, failures, last error and next poll.")
	c := e.addCommon(fs)
	asJSON := fs.Bool("json", false, "print one JSON object {\"sources\": [...]}")
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
	list, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]sourceOut, 0, len(list))
		for _, s := range list {
			out = append(out, sourceJSON(s))
		}
		return json.NewEncoder(e.stdout).Encode(map[string]any{"sources": out})
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "no sources; add one with: newsdesk sources add URL")
		return nil
	}
	now := time.Now()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tKIND\tFAILS\tLAST POLL\tNEXT POLL\tITEMS\tNAME\tURL\tLAST ERROR")
	for _, s := range list {
		o := sourceJSON(s)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, o.State, o.Kind, s.Failures,
			ago(now, s.LastPolledAt), until(now, s.NextPollAt, s.Paused), s.ItemsSeen, clip(s.Name, 30), clip(s.URL, 200), clip(s.LastError, 80))
	}
	return tw.Flush()
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Round(time.Second).String() + " ago"
}

func until(now, t time.Time, paused bool) string {
	switch {
	case paused:
		return "paused"
	case t.IsZero() || !t.After(now):
		return "due"
	}
	return "in " + t.Sub(now).Round(time.Second).String()
}

// clip shortens a field for the table, dropping control characters so
// that a hostile feed title or error cannot drive the terminal.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// findSource resolves an ID or a URL.
func findSource(ctx context.Context, st store.Store, arg string) (*store.SourceRecord, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		return st.Source(ctx, id)
	}
	return st.SourceByURL(ctx, arg)
}

func sourcesChange(ctx context.Context, e *env, verb string, args []string) error {
	fs := e.flagSet("sources "+verb, "ID|URL...", map[string]string{
		"remove": "Removes sources and what was recorded about their collection; their articles stay.",
		"pause":  "Stops polling sources until they are resumed.",
		"resume": "Resumes polling sources (paused or failing): they are polled at the next round, whatever their backoff.",
	}[verb])
	c := e.addCommon(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("sources %s: give a source ID or URL", verb)
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	failed := 0
	for _, arg := range fs.Args() {
		src, err := findSource(ctx, st, arg)
		if err == nil {
			switch verb {
			case "remove":
				err = st.RemoveSource(ctx, src.ID)
			case "pause", "resume":
				src.Paused = verb == "pause"
				err = st.UpdateSource(ctx, &src.Source)
				if err == nil && verb == "resume" {
					// resumed means: try now, whatever the backoff was
					err = st.PollSoon(ctx, src.ID)
				}
			}
		}
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = fmt.Errorf("no source %s", arg)
			}
			fmt.Fprintf(e.stderr, "newsdesk: sources %s %s: %v\n", verb, arg, err)
			failed++
			continue
		}
		fmt.Fprintf(e.stdout, "%s source %d: %s\n", map[string]string{"remove": "removed", "pause": "paused", "resume": "resumed"}[verb], src.ID, src.URL)
	}
	switch {
	case failed == len(fs.Args()):
		return fmt.Errorf("sources %s: nothing done", verb)
	case failed > 0:
		return errPartial
	}
	return nil
}

func sourcesImportOPML(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("sources import-opml", "FILE", "Adds every feed of an OPML subscription list (folders are flattened).\nFeeds already present are skipped. \"-\" reads standard input.")
	c := e.addCommon(fs)
	asJSON := fs.Bool("json", false, "print a JSON summary")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sources import-opml: give one OPML file")
	}
	var r io.Reader = os.Stdin
	if fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	outlines, err := feed.ReadOPML(r)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	var added, skipped int
	var bad []string
	for _, o := range outlines {
		u, err := checkSourceURL(o.XMLURL)
		if err != nil {
			bad = append(bad, err.Error())
			fmt.Fprintf(e.stderr, "newsdesk: skipped %q: %v\n", o.Title, err)
			continue
		}
		src := &news.Source{URL: u, Name: o.Title, Language: o.Language, Kind: news.KindFeed}
		switch err := st.AddSource(ctx, src); {
		case errors.Is(err, store.ErrExists):
			skipped++
		case err != nil:
			return err
		default:
			added++
		}
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(map[string]any{"added": added, "skipped": skipped, "failed": len(bad)}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "added %d, already present %d, invalid %d\n", added, skipped, len(bad))
	}
	if len(bad) > 0 {
		return errPartial
	}
	return nil
}

func sourcesExportOPML(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("sources export-opml", "", "Writes every source as an OPML 2.0 subscription list to standard output.")
	c := e.addCommon(fs)
	title := fs.String("title", "newsdesk sources", "the list's title")
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
	list, err := st.ListSources(ctx)
	if err != nil {
		return err
	}
	outs := make([]feed.Outline, 0, len(list))
	for _, s := range list {
		outs = append(outs, feed.Outline{Title: s.Name, XMLURL: s.URL, Language: s.Language})
	}
	return feed.WriteOPML(e.stdout, *title, outs, time.Now())
}

// sourcesPoll collects from the named sources now: each is polled whatever
// its schedule or backoff, and the articles it announces are fetched and
// processed before the command exits.
func sourcesPoll(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("sources poll", "ID|URL...", "Collects from the given sources now, whatever their schedule or backoff: polls each,\nfetches the articles it announces that were not seen before, extracts and stores them,\nand exits when that is done. Fetching is as polite as poll's.")
	c := e.addCommon(fs)
	var cf collectFlags
	cf.add(e, fs)
	asJSON := fs.Bool("json", false, "print a JSON summary as the last line")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("sources poll: give a source ID or URL")
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, arg := range fs.Args() {
		src, err := findSource(ctx, st, arg)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("sources poll: no source %s (see \"newsdesk sources list\")", arg)
		}
		if err != nil {
			return fmt.Errorf("sources poll %s: %w", arg, err)
		}
		if src.Paused {
			e.log.Warn("polling a paused source once; it stays paused", "source", src.ID)
		}
		cf.only = append(cf.only, src.ID)
	}
	return cf.collectOnce(ctx, e, st, "sources poll", *asJSON)
}
