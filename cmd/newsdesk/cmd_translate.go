package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/translate"
)

// translateFlags are the flags that choose and shape a translator.
type translateFlags struct {
	backend     string
	glossaryDir string
	rules       string
	noProtect   bool
	detect      string
}

func (e *env) addTranslateFlags(fs *flag.FlagSet) *translateFlags {
	t := &translateFlags{}
	def := e.getenv("NEWSDESK_TRANSLATE_BACKEND")
	if def == "" {
		def = "apertium"
	}
	fs.StringVar(&t.backend, "backend", def, "translation backend: "+strings.Join(translate.BackendNames(), ", ")+" (env NEWSDESK_TRANSLATE_BACKEND)")
	fs.StringVar(&t.glossaryDir, "glossary-dir", e.getenv("NEWSDESK_GLOSSARY_DIR"), "directory of per-pair glossaries (es-en.tsv: Spanish<TAB>English); the built-in ones when empty (env NEWSDESK_GLOSSARY_DIR)")
	fs.StringVar(&t.rules, "rules", "all", "post-editing rules: all, none, or a comma-separated list of "+strings.Join(ruleNames(), ", "))
	fs.BoolVar(&t.noProtect, "no-protect", false, "turn off protected spans and the glossary (to measure them)")
	fs.StringVar(&t.detect, "detect", "", "languages to tell paragraphs apart by (e.g. es,en,fr): HTML paragraphs found in another language than --from are left as written, marked with lang")
	return t
}

func ruleNames() []string {
	var n []string
	for _, r := range translate.DefaultRules {
		n = append(n, r.Name)
	}
	return n
}

// service builds the translator the flags ask for. Backends are configured
// from the environment (see translate.BackendFromEnv).
func (t *translateFlags) service(e *env) (*translate.Service, io.Closer, error) {
	b, err := translate.BackendFromEnv(t.backend, e.getenv)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	s := &translate.Service{Backend: translate.Reliable(b, translate.Policy{}), Display: translate.DisplayName(b.Name()), NoProtect: t.noProtect}
	s.Glossaries = translate.DefaultGlossaries()
	if t.glossaryDir != "" {
		if s.Glossaries, err = translate.LoadGlossaries(t.glossaryDir); err != nil {
			return nil, nil, err
		}
	}
	if t.detect != "" {
		d, err := lang.New(strings.Split(t.detect, ","), lang.Options{})
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		s.Detector = d
	}
	switch t.rules {
	case "all":
	case "none", "":
		s.Rules = []translate.Rule{}
	default:
		s.Rules = []translate.Rule{}
		for _, name := range strings.Split(t.rules, ",") {
			found := false
			for _, r := range translate.DefaultRules {
				if r.Name == strings.TrimSpace(name) {
					s.Rules = append(s.Rules, r)
					found = true
				}
			}
			if !found {
				return nil, nil, usagef("unknown post-editing rule %q (known: %s)", name, strings.Join(ruleNames(), ", "))
			}
		}
	}
	closer := io.Closer(nopCloser{})
	if c, ok := b.(io.Closer); ok {
		closer = c
	}
	return s, closer, nil
}

// translateStdin is where translate reads; tests replace it.
var translateStdin io.Reader = os.Stdin

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

func runTranslate(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("translate", "< INPUT > OUTPUT", "Translate standard input to standard output with newsdesk's protections:\n"+
		"inline markup kept in place (--format html), protected spans (URLs, addresses,\n"+
		"translate=\"no\", passages in another language), the pair's glossary and the\n"+
		"post-editing rules. In text format each line is translated on its own.\n\n"+
		"Backends: apertium (local; Debian packages apertium apertium-eng-spa, modes in\n"+
		"NEWSDESK_APERTIUM_MODES), apy (NEWSDESK_APY_URL), libretranslate\n"+
		"(NEWSDESK_LIBRETRANSLATE_URL, NEWSDESK_LIBRETRANSLATE_KEY), openai: any OpenAI-compatible\n"+
		"chat server (NEWSDESK_OPENAI_URL, NEWSDESK_OPENAI_MODEL, NEWSDESK_OPENAI_KEY).")
	from := fs.String("from", "", "source language, ISO 639-1 (required), e.g. es")
	to := fs.String("to", "en", "target language, ISO 639-1")
	format := fs.String("format", "text", "input format: text or html")
	tf := e.addTranslateFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("translate: --from is required")
	}
	if *format != "text" && *format != "html" {
		return usagef("translate: --format must be text or html, not %q", *format)
	}
	if fs.NArg() > 0 {
		return usagef("translate: unexpected arguments %q (input is read from stdin)", fs.Args())
	}
	svc, closer, err := tf.service(e)
	if err != nil {
		return err
	}
	defer closer.Close()
	in, err := io.ReadAll(translateStdin)
	if err != nil {
		return fmt.Errorf("translate: unable to read stdin: %w", err)
	}
	p := translate.Pair{From: strings.ToLower(*from), To: strings.ToLower(*to)}
	if p.From == p.To {
		// already in the language asked for: the text passes unchanged,
		// as the pipeline leaves an article in the reader's language
		_, err = e.stdout.Write(in)
		return err
	}
	var out string
	if *format == "html" {
		out, err = svc.TranslateHTML(ctx, p, string(in))
	} else {
		out, err = svc.TranslateText(ctx, p, string(in))
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, out)
	return err
}
