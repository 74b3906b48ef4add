package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/internal/audit"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

func runAudit(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("audit", "", "Reads the stored articles and their translations into the reader's language\n"+
		"(NEWSDESK_LANG, default en) and counts, per article and in total: glued words,\n"+
		"escaped text (entities or tags in a title, description or text), furniture lines\n"+
		"(teasers, share prompts, credits, subscription pitches, image cards), words left\n"+
		"untranslated, words invented (in neither language's word list: Debian's wamerican\n"+
		"and wspanish), and the source's names kept in the translation as written or under\n"+
		"their conventional name. Run it after a big import.")
	c := e.addCommon(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON (one object, the last line of stdout)")
	limit := fs.Int("limit", 0, "audit at most this many articles, newest first (0: all)")
	examples := fs.Int("examples", 5, "examples of defects shown per article")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("audit: unexpected arguments %q", fs.Args())
	}
	if *limit < 0 {
		return usagef("audit: --limit must not be negative")
	}
	st, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	to := pipeline.ReaderLang(e.getenv("NEWSDESK_LANG"))
	arts, err := auditArticles(ctx, st, to, *limit)
	if err != nil {
		return err
	}
	words, missing := audit.LoadWordLists()
	if len(missing) > 0 {
		e.log.Warn("word lists missing: untranslated and invented words are not counted for these languages",
			"languages", strings.Join(missing, ","), "install", "apt-get install wamerican wamerican-large wspanish")
	}
	a := &audit.Auditor{Words: words, Names: translate.NameRuns, MaxExamples: *examples}
	if r, err := translate.New(translate.Config{Getenv: e.getenv}); err == nil {
		defer r.Close()
		a.Conventional = func(from, to string, runs []string) map[string][]string {
			p := translate.Pair{From: from, To: to}
			if r.Check(p) != nil {
				return nil
			}
			if t, err := r.For(p); err == nil {
				if s, ok := t.(*translate.Service); ok {
					return s.ConventionalNames(ctx, p, runs)
				}
			}
			return nil
		}
	}
	rep := a.Audit(arts)
	if *asJSON {
		b, err := json.Marshal(rep)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		fmt.Fprintln(e.stdout, string(b))
		return nil
	}
	for _, ar := range rep.Articles {
		if !ar.Counts.Defects() {
			continue
		}
		k := ar.Counts
		fmt.Fprintf(e.stdout, "article %d (%s) glued %d escaped %d furniture %d untranslated %d invented %d names %d/%d  %s\n",
			ar.ID, ar.Language, k.Glued, k.Escaped, k.Furniture, k.Untranslated, k.Invented, k.NamesKept, k.NamesTotal, ar.URL)
		for _, x := range ar.Examples {
			fmt.Fprintf(e.stdout, "    %s\n", x)
		}
	}
	k := rep.Totals
	fmt.Fprintf(e.stdout, "articles %d\nglued %d\nescaped %d\nfurniture %d\nuntranslated %d\ninvented %d\nnames kept %d/%d (%.3f)\n",
		len(rep.Articles), k.Glued, k.Escaped, k.Furniture, k.Untranslated, k.Invented, k.NamesKept, k.NamesTotal, rep.NamesKeptShare)
	return nil
}

// auditArticles reads the stored articles, newest first, each with its
// translation into to when there is one.
func auditArticles(ctx context.Context, st store.Store, to string, limit int) ([]audit.Article, error) {
	ts, _ := st.(store.TranslationStore)
	var out []audit.Article
	for offset := 0; ; {
		page := 500
		if limit > 0 {
			page = min(page, limit-len(out))
		}
		if page <= 0 {
			break
		}
		arts, err := st.ListArticles(ctx, store.ArticleFilter{Limit: page, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		for _, a := range arts {
			x := audit.Article{ID: a.ID, URL: a.URL, Language: a.Language, Title: a.Title,
				Description: a.Description, Text: a.Text, BodyHTML: a.BodyHTML}
			if ts != nil && !strings.EqualFold(primaryTag(a.Language), to) {
				t, err := ts.Translation(ctx, a.ID, to)
				switch {
				case err == nil:
					x.Translation = &audit.Translation{Language: t.Lang, Title: t.Title, Description: t.Description, Text: t.Text, BodyHTML: t.BodyHTML}
				case !errors.Is(err, store.ErrNotFound):
					return nil, fmt.Errorf("audit: translation of article %d: %w", a.ID, err)
				}
			}
			out = append(out, x)
		}
		offset += len(arts)
		if len(arts) < page {
			break
		}
	}
	return out, nil
}

func primaryTag(tag string) string {
	tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
	return tag
}
