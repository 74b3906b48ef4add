package translate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Router is a Translator that picks a translator per language pair (from
// configuration: Apertium for es-en, LibreTranslate for de-en, ...), with
// a default for the others.
type Router struct {
	Pairs   map[Pair]Translator
	Default Translator
}

func (r *Router) pick(p Pair) (Translator, error) {
	if t := r.Pairs[p]; t != nil {
		return t, nil
	}
	if r.Default != nil {
		return r.Default, nil
	}
	return nil, Permanent(fmt.Errorf("translate: no translator for %s: %w", p, ErrUnsupportedPair))
}

// Name implements Translator: the default translator's name.
func (r *Router) Name() string {
	if r.Default != nil {
		return r.Default.Name()
	}
	return "router"
}

// For returns the translator used for p (for the disclosure line).
func (r *Router) For(p Pair) (Translator, error) { return r.pick(p) }

// TranslateText implements Translator.
func (r *Router) TranslateText(ctx context.Context, p Pair, text string) (string, error) {
	t, err := r.pick(p)
	if err != nil {
		return "", err
	}
	return t.TranslateText(ctx, p, text)
}

// TranslateHTML implements Translator.
func (r *Router) TranslateHTML(ctx context.Context, p Pair, html string) (string, error) {
	t, err := r.pick(p)
	if err != nil {
		return "", err
	}
	return t.TranslateHTML(ctx, p, html)
}

// SaveGlossary writes g as dir/PAIR.tsv, replacing the file atomically (the
// admin's glossary editor saves through it).
func SaveGlossary(dir string, p Pair, g *Glossary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("translate: unable to save glossary: %w", err)
	}
	f, err := os.CreateTemp(dir, ".glossary-*")
	if err != nil {
		return fmt.Errorf("translate: unable to save glossary: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := g.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("translate: unable to save glossary: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("translate: unable to save glossary: %w", err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, p.String()+".tsv")); err != nil {
		return fmt.Errorf("translate: unable to save glossary: %w", err)
	}
	return nil
}
