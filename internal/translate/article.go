package translate

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/internal/news"
)

// ErrSameLanguage is returned by Article for an article already in the target language.
var ErrSameLanguage = errors.New("translate: article is already in the target language")

// Article translates an article's title, description and body into to. A
// failed translation comes back with Status failed and the error, so the
// caller can store it, publish the original meanwhile and retry later.
func Article(ctx context.Context, tr Translator, a *news.Article, to string) (*news.Translation, error) {
	from := strings.ToLower(primary(a.Language))
	to = strings.ToLower(primary(to))
	if from == "" {
		return nil, errors.New("translate: article has no language")
	}
	if from == to {
		return nil, ErrSameLanguage
	}
	p := Pair{From: from, To: to}
	t := &news.Translation{
		ArticleID:  a.ID,
		Lang:       to,
		SourceLang: from,
		Engine:     tr.Name(),
		Backend:    backendName(tr),
		SourceHash: a.ContentHash,
		Attempts:   1,
	}
	fail := func(what string, err error) (*news.Translation, error) {
		t.Status = news.TranslationFailed
		t.Error = fmt.Sprintf("%s: %v", what, err)
		return t, fmt.Errorf("translate: article %d %s: %w", a.ID, what, err)
	}
	// The title and the body are translated apart; a surname alone in one
	// is a name when the other names the person in full.
	ctx = WithSurnames(ctx, ArticleNames(a.Title+"\n"+a.Description+"\n"+a.Text, p))
	var err error
	if t.Title, err = tr.TranslateText(ctx, p, a.Title); err != nil {
		return fail("title", err)
	}
	if a.Description != "" {
		if t.Description, err = tr.TranslateText(ctx, p, a.Description); err != nil {
			return fail("description", err)
		}
	}
	if a.BodyHTML != "" {
		if t.BodyHTML, err = tr.TranslateHTML(ctx, p, a.BodyHTML); err != nil {
			return fail("body", err)
		}
		t.Text = PlainText(t.BodyHTML)
	} else if a.Text != "" {
		if t.Text, err = tr.TranslateText(ctx, p, a.Text); err != nil {
			return fail("text", err)
		}
	}
	t.Status = news.TranslationDone
	t.TranslatedAt = time.Now().UTC()
	return t, nil
}

func primary(tag string) string {
	tag, _, _ = strings.Cut(tag, "-")
	tag, _, _ = strings.Cut(tag, "_")
	return tag
}

func backendName(tr Translator) string {
	if s, ok := tr.(*Service); ok && s.Backend != nil {
		return s.Backend.Name()
	}
	return strings.ToLower(tr.Name())
}

// Disclosure is the line a translated article carries, e.g.
// "Machine-translated from Spanish (Apertium)".
func Disclosure(t *news.Translation) string {
	engine := t.Engine
	if engine == "" {
		engine = DisplayName(t.Backend)
	}
	s := "Machine-translated from " + LanguageName(t.SourceLang)
	if engine != "" {
		s += " (" + engine + ")"
	}
	return s
}

// DisclosureHTML is Disclosure as a paragraph that links the original,
// with lang set on both texts.
func DisclosureHTML(t *news.Translation, originalURL string) string {
	var b strings.Builder
	b.WriteString(`<p class="translation-note" lang="` + html.EscapeString(t.Lang) + `">`)
	b.WriteString(html.EscapeString(Disclosure(t)) + ".")
	if originalURL != "" {
		b.WriteString(` <a href="` + html.EscapeString(originalURL) + `" hreflang="` + html.EscapeString(t.SourceLang) + `">Read the original</a>.`)
	}
	b.WriteString("</p>")
	return b.String()
}

// PlainText is the text of an HTML body: one paragraph per block,
// paragraphs separated by blank lines, white space folded.
func PlainText(src string) string {
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := xhtml.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		return ""
	}
	var paras []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			paras = append(paras, s)
		}
		cur.Reset()
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			cur.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
			if n.DataAtom == atom.Br {
				cur.WriteString(" ")
				return
			}
		}
		block := n.Type == xhtml.ElementNode && !inline[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return strings.Join(paras, "\n\n")
}
