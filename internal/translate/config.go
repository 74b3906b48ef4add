package translate

import (
	"errors"
	"fmt"
	"strings"
)

// Config is how the rest of newsdesk asks for a translator.
type Config struct {
	// Backend is the default backend's name ("apertium" when empty).
	Backend string
	// PairBackends chooses another backend for some pairs: {"de-en": "libretranslate"}.
	PairBackends map[string]string
	// GlossaryDir holds per-pair glossaries (es-en.tsv); the built-in ones when empty.
	GlossaryDir string
	// Getenv configures the backends (see BackendFromEnv).
	Getenv func(string) string
	// Cache, usually the store, makes unchanged segments free.
	Cache Cache
	// Detector leaves paragraphs in a third language untranslated.
	Detector LanguageDetector
	// Policy is the timeouts, retries and circuit breaker of every backend.
	Policy Policy
}

// New builds the translator a Config describes: a Router over one Service
// per backend, each reliable, with glossaries, post-editing and the cache.
func New(cfg Config) (*Router, error) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	glossaries := DefaultGlossaries()
	if cfg.GlossaryDir != "" {
		var err error
		if glossaries, err = LoadGlossaries(cfg.GlossaryDir); err != nil {
			return nil, err
		}
	}
	services := map[string]*Service{}
	service := func(name string) (*Service, error) {
		name = strings.ToLower(name)
		if name == "" {
			name = "apertium"
		}
		if s := services[name]; s != nil {
			return s, nil
		}
		b, err := BackendFromEnv(name, getenv)
		if err != nil {
			return nil, err
		}
		s := &Service{Backend: Reliable(b, cfg.Policy), Display: DisplayName(b.Name()), Glossaries: glossaries,
			Cache: cfg.Cache, Detector: cfg.Detector}
		services[name] = s
		return s, nil
	}
	def, err := service(cfg.Backend)
	if err != nil {
		return nil, err
	}
	r := &Router{Default: def, Pairs: map[Pair]Translator{}}
	for pair, name := range cfg.PairBackends {
		p, err := ParsePair(pair)
		if err != nil {
			return nil, err
		}
		s, err := service(name)
		if err != nil {
			return nil, err
		}
		r.Pairs[p] = s
	}
	return r, nil
}

// Check says whether p can be translated here, with what to do if not:
// for Apertium, whether the pair's package is installed. HTTP backends are
// only known to work when called.
func (r *Router) Check(p Pair) error {
	t, err := r.pick(p)
	if err != nil {
		return err
	}
	s, ok := t.(*Service)
	if !ok {
		return nil
	}
	b := s.Backend
	if rb, ok := b.(*ReliableBackend); ok {
		b = rb.Unwrap()
	}
	if a, ok := b.(*Apertium); ok {
		if _, err := a.ModeFile(p); err != nil {
			if errors.Is(err, ErrUnavailable) || errors.Is(err, ErrUnsupportedPair) {
				return fmt.Errorf("%w (install the Debian packages apertium and apertium-%s, or choose another backend)",
					err, apertiumPkgPair(p))
			}
			return err
		}
	}
	return nil
}

// apertiumPkgPair names the Debian package of a pair: apertium-eng-spa
// holds both directions, named in alphabetical order.
func apertiumPkgPair(p Pair) string {
	a, b := iso3[p.From], iso3[p.To]
	if a == "" || b == "" {
		return p.From + "-" + p.To
	}
	if a > b {
		a, b = b, a
	}
	return a + "-" + b
}

// Close stops the backends' processes (Apertium pipelines).
func (r *Router) Close() error {
	seen := map[Translator]bool{}
	for _, t := range append([]Translator{r.Default}, values(r.Pairs)...) {
		if t == nil || seen[t] {
			continue
		}
		seen[t] = true
		if s, ok := t.(*Service); ok {
			if c, ok := s.Backend.(interface{ Close() error }); ok {
				c.Close()
			}
		}
	}
	return nil
}

func values(m map[Pair]Translator) []Translator {
	out := make([]Translator, 0, len(m))
	for _, t := range m {
		out = append(out, t)
	}
	return out
}
