package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// enrichStdin is where --stdin reads from (tests replace it).
var enrichStdin io.Reader = os.Stdin

func runEnrich(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("enrich", "", "Enriches the stored articles again, newest first, replacing what was found before:\n"+
		"their people (with roles), organisations, places, quotes with speakers and figures.\n"+
		"New articles are enriched as they are stored; this is for articles stored before,\n"+
		"or after the rules changed. With --stdin it reads one text and prints what it finds.")
	c := e.addCommon(fs)
	since := fs.String("since", "", "only articles listed since this date (YYYY-MM-DD)")
	limit := fs.Int("limit", 0, "enrich at most this many articles (0: all)")
	stdin := fs.Bool("stdin", false, "read a plain text from stdin and print its enrichment as JSON (no database)")
	title := fs.String("title", "", "with --stdin: the text's title")
	lang := fs.String("lang", "", "with --stdin: the text's language (en, es)")
	asJSON := fs.Bool("json", false, "print the summary as JSON (last line of stdout)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("enrich: unexpected arguments %q", fs.Args())
	}
	if *stdin {
		raw, err := io.ReadAll(io.LimitReader(enrichStdin, 16<<20))
		if err != nil {
			return fmt.Errorf("enrich: unable to read stdin: %w", err)
		}
		return json.NewEncoder(e.stdout).Encode(enrich.Enrich(*title, string(raw), *lang))
	}
	var from time.Time
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			return usagef("enrich: --since must look like 2024-05-31")
		}
		from = t
	}
	if *limit < 0 {
		return usagef("enrich: --limit must not be negative")
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	total, err := st.CountArticles(ctx, store.ArticleFilter{Since: from})
	if err != nil {
		return err
	}
	if *limit > 0 {
		total = min(total, *limit)
	}
	start := time.Now()
	var sum struct {
		Articles int     `json:"articles"`
		Entities int     `json:"entities"`
		Quotes   int     `json:"quotes"`
		Figures  int     `json:"figures"`
		Failed   int     `json:"failed"`
		Seconds  float64 `json:"seconds"`
	}
	last := time.Now()
	for offset := 0; offset < total && ctx.Err() == nil; offset += 500 {
		arts, err := st.ListArticles(ctx, store.ArticleFilter{Since: from, Limit: min(500, total-offset), Offset: offset})
		if err != nil {
			return err
		}
		if len(arts) == 0 {
			break
		}
		for i := range arts {
			a := &arts[i]
			r := enrich.Enrich(a.Title, a.Text, a.Language)
			err := st.SaveEnrichment(ctx, &news.Enrichment{ArticleID: a.ID, Language: a.Language, Entities: r.Entities,
				Quotes: r.Quotes, Figures: r.Figures})
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				sum.Failed++
				e.log.Warn("enrich failed", "article", a.ID, "err", err)
				continue
			}
			sum.Articles++
			sum.Entities += len(r.Entities)
			sum.Quotes += len(r.Quotes)
			sum.Figures += len(r.Figures)
		}
		if time.Since(last) > 2*time.Second {
			fmt.Fprintf(e.stderr, "enrich: %d of %d articles\n", sum.Articles+sum.Failed, total)
			last = time.Now()
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "enriched %d articles: %d entities, %d quotes, %d figures, failed %d (%s)\n",
			sum.Articles, sum.Entities, sum.Quotes, sum.Figures, sum.Failed, time.Duration(sum.Seconds*float64(time.Second)).Round(time.Millisecond))
	}
	if ctx.Err() != nil {
		return fmt.Errorf("enrich interrupted after %d of %d articles: %w", sum.Articles+sum.Failed, total, ctx.Err())
	}
	if sum.Failed > 0 {
		return errPartial
	}
	return nil
}
