package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Cache keeps translated segments, keyed by backend, language pair and a
// hash of the source segment (and of everything else that shapes the
// output: glossary, rules).
type Cache interface {
	// GetTranslations returns the cached values among hashes.
	GetTranslations(ctx context.Context, backend, pair string, hashes []string) (map[string]string, error)
	// PutTranslations stores values by hash.
	PutTranslations(ctx context.Context, backend, pair string, values map[string]string) error
}

// MemoryCache is a Cache in memory, for tests and one-off commands.
type MemoryCache struct {
	m map[string]string
}

// GetTranslations implements Cache.
func (c *MemoryCache) GetTranslations(_ context.Context, backend, pair string, hashes []string) (map[string]string, error) {
	out := map[string]string{}
	for _, h := range hashes {
		if v, ok := c.m[backend+"\x00"+pair+"\x00"+h]; ok {
			out[h] = v
		}
	}
	return out, nil
}

// PutTranslations implements Cache.
func (c *MemoryCache) PutTranslations(_ context.Context, backend, pair string, values map[string]string) error {
	if c.m == nil {
		c.m = map[string]string{}
	}
	for h, v := range values {
		c.m[backend+"\x00"+pair+"\x00"+h] = v
	}
	return nil
}

// Service is a Translator built on a Backend: it cuts text and HTML into
// segments, protects spans, applies the glossary, asks the backend only for
// segments the cache does not have, and post-edits the result.
type Service struct {
	Backend Backend
	// Display is the engine's name for readers ("Apertium"); the backend's
	// name when empty.
	Display string
	// Glossaries holds the forced terms of each pair.
	Glossaries map[Pair]*Glossary
	// Rules are the post-editing rules (DefaultRules if nil; use an empty,
	// non-nil slice for none).
	Rules []Rule
	// Cache, when set, makes re-translating an unchanged segment free.
	Cache Cache
	// NoProtect turns off protected spans and the glossary (for evaluation).
	NoProtect bool
	// Detector, when set, checks each HTML paragraph's language: one
	// clearly in a language other than the source (a quote, say) is left
	// untranslated and marked with its lang.
	Detector LanguageDetector
}

// LanguageDetector tells the language of a paragraph; ok is false when the
// text is too short or unclear (lang.Detector implements it).
type LanguageDetector interface {
	DetectLanguage(text string) (lang string, ok bool)
}

// Name implements Translator.
func (s *Service) Name() string {
	if s.Display != "" {
		return s.Display
	}
	return DisplayName(s.Backend.Name())
}

// DisplayName is how a reader sees a backend's name.
func DisplayName(backend string) string {
	switch backend {
	case "apertium", "apy":
		return "Apertium"
	case "libretranslate":
		return "LibreTranslate"
	case "openai":
		return "a language model"
	}
	return backend
}

func (s *Service) rules() []Rule {
	if s.Rules == nil {
		return DefaultRules
	}
	return s.Rules
}

// TranslateText implements Translator. Each non-blank line is one segment;
// blank lines and line breaks are kept.
func (s *Service) TranslateText(ctx context.Context, p Pair, text string) (string, error) {
	lines := strings.Split(text, "\n")
	var segs []Segment
	var idx []int
	var pads [][2]string
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		seg, pad := trimSegment(Segment{{Kind: Text, Text: l}})
		segs = append(segs, seg)
		pads = append(pads, pad)
		idx = append(idx, i)
	}
	out, err := s.Segments(ctx, p, segs)
	if err != nil {
		return "", err
	}
	for k, i := range idx {
		lines[i] = pads[k][0] + segmentText(out[k]) + pads[k][1]
	}
	return strings.Join(lines, "\n"), nil
}

// TranslateHTML implements Translator. Block elements are translated one
// by one with their inline markup in place; elements marked translate="no",
// code, and passages whose lang differs from the source are left alone.
func (s *Service) TranslateHTML(ctx context.Context, p Pair, src string) (string, error) {
	d, err := splitHTML(src, p.From)
	if err != nil {
		return "", err
	}
	d.langs = make([]string, len(d.segs))
	var todo []Segment
	var at []int
	for i, seg := range d.segs {
		if s.Detector != nil {
			// A paragraph already in another language (a quote in English or
			// French in a Spanish story) is left as written, marked with its lang.
			if l, ok := s.Detector.DetectLanguage(seg.Plain()); ok && !sameLang(l, p.From) {
				d.langs[i] = l
				continue
			}
		}
		todo = append(todo, seg)
		at = append(at, i)
	}
	res, err := s.Segments(ctx, p, todo)
	if err != nil {
		return "", err
	}
	out := append([]Segment(nil), d.segs...)
	for k, i := range at {
		out[i] = res[k]
	}
	return d.join(out), nil
}

// Segments translates segments: protection, cache, backend, post-editing.
func (s *Service) Segments(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	if len(segs) == 0 {
		return nil, nil
	}
	g := s.Glossaries[p]
	rules := RulesFor(s.rules(), p)
	prepared := make([]Segment, len(segs))
	hashes := make([]string, len(segs))
	salt := s.salt(g, rules)
	for i, seg := range segs {
		prepared[i] = preEdit(append(Segment(nil), seg...), rules)
	}
	spaceExPrefixes(ctx, lexiconOf(s.Backend), p, prepared)
	if !s.NoProtect {
		kinds := s.nameKinds(ctx, p, prepared)
		shouted := shoutedNames(prepared, p, kinds)
		for i, seg := range prepared {
			prepared[i] = protect(seg, g, p, kinds)
			if len(shouted) > 0 && mostlyUpper(segText(seg)) {
				prepared[i] = protectShouted(prepared[i], shouted)
			}
		}
	}
	for i, seg := range prepared {
		hashes[i] = segmentHash(seg, salt)
	}
	out := make([]Segment, len(segs))
	var cached map[string]string
	if s.Cache != nil {
		var err error
		cached, err = s.Cache.GetTranslations(ctx, s.Backend.Name(), p.String(), uniq(hashes))
		if err != nil {
			return nil, fmt.Errorf("translate: cache: %w", err)
		}
	}
	var miss []Segment
	var missAt []int
	for i, h := range hashes {
		if v, ok := cached[h]; ok {
			var seg Segment
			if json.Unmarshal([]byte(v), &seg) == nil {
				out[i] = seg
				continue
			}
		}
		miss = append(miss, prepared[i])
		missAt = append(missAt, i)
	}
	if len(miss) == 0 {
		return out, nil
	}
	res, err := s.Backend.Translate(ctx, p, miss)
	if err != nil {
		return nil, err
	}
	if len(res) != len(miss) {
		return nil, fmt.Errorf("translate: %s returned %d segments for %d", s.Backend.Name(), len(res), len(miss))
	}
	put := map[string]string{}
	for k, i := range missAt {
		// The source's own white space is put back by the caller; an
		// engine's (Apertium leaves a space where it drops a first word) is not.
		seg, _ := trimSegment(postEdit(res[k], rules))
		out[i] = seg
		if b, err := json.Marshal(seg); err == nil {
			put[hashes[i]] = string(b)
		}
	}
	if s.Cache != nil {
		if err := s.Cache.PutTranslations(ctx, s.Backend.Name(), p.String(), put); err != nil {
			return nil, fmt.Errorf("translate: cache: %w", err)
		}
	}
	return out, nil
}

// nameKinds asks the backend's Lexicon, when it has one, what it makes of
// the capitalised runs of segs. Without an answer every run is kept as
// written, which is safe.
func (s *Service) nameKinds(ctx context.Context, p Pair, segs []Segment) map[string]NameKind {
	lex := lexiconOf(s.Backend)
	if lex == nil {
		if names := namesFrom(ctx); len(names) > 0 {
			out := map[string]NameKind{}
			for _, w := range names {
				out[w] = contextKind(w, p, NameUnknown)
			}
			return out
		}
		return nil
	}
	var runs []string
	seen := map[string]bool{}
	for _, seg := range segs {
		prefixes := partPrefixes(seg)
		for i, part := range seg {
			if part.Kind != Text {
				continue
			}
			for _, r := range nameCandidates(prefixes[i]+part.Text, p) {
				if !seen[r] {
					seen[r] = true
					runs = append(runs, r)
				}
			}
		}
	}
	kinds, err := lex.NameKinds(ctx, p, runs)
	if err != nil || len(kinds) != len(runs) {
		return nil
	}
	out := make(map[string]NameKind, len(runs))
	for i, r := range runs {
		out[r] = kinds[i]
	}
	rememberSurnames(out, p)
	for _, w := range namesFrom(ctx) {
		out[w] = contextKind(w, p, out[w])
	}
	return out
}

// contextKind is what a name the surrounding text gives (WithSurnames)
// makes of a run the dictionary rates k: a run the text writes with its
// article inside a sentence is a name unless the engine knows the place;
// a surname is a person's unless the engine knows a place or institution.
func contextKind(w string, p Pair, k NameKind) NameKind {
	if k == NameKnown {
		return k
	}
	if articleLed(w, p.From) {
		return NameWritten
	}
	if k == NameInstitution {
		return k
	}
	return NamePerson
}

type namesKey struct{}

// WithSurnames returns a context telling Service that the text it
// translates belongs with one that named these people in full: each word
// of surnames is kept as written even alone at the start of a sentence
// (a headline "Castaño triunfa" under a body naming Javier Castaño).
func WithSurnames(ctx context.Context, surnames []string) context.Context {
	if len(surnames) == 0 {
		return ctx
	}
	return context.WithValue(ctx, namesKey{}, surnames)
}

func namesFrom(ctx context.Context) []string {
	n, _ := ctx.Value(namesKey{}).([]string)
	return n
}

// Surnames are the last words of the names of two words or more of a
// text in p.From, as WithSurnames takes them.
func Surnames(text string, p Pair) []string {
	regions := regionNames(p)
	var out []string
	seen := map[string]bool{}
	for _, r := range NameRuns(text, p.From) {
		i := strings.LastIndexByte(r, ' ')
		if i < 0 || regions[r] != "" {
			continue
		}
		if w := r[i+1:]; len(w) > 2 && isCapitalised(w) && !isAllUpper(w) && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// ArticleNames are the names a text in p.From gives for the title and the
// body translated apart: its Surnames, and the names it writes with a
// capitalised article inside a sentence ("acceso El Espectador"), which
// are names where they open a sentence too ("El Espectador conoció").
func ArticleNames(text string, p Pair) []string {
	out := Surnames(text, p)
	seen := map[string]bool{}
	for _, r := range NameRuns(text, p.From) {
		if articleLed(r, p.From) && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// articleLed says whether run, a name of two words or more, opens with a
// capitalised definite article.
func articleLed(run, lang string) bool {
	nw := nameLanguages[primaryLang(lang)]
	first, rest, ok := strings.Cut(run, " ")
	return ok && nw != nil && rest != "" && isCapitalised(first) && nw.definite[strings.ToLower(first)]
}

// rememberSurnames marks as a person's name the last word of every name
// of two words or more the text keeps as written: a story that named
// "Javier Castaño" goes on with "Castaño salió", where a lone capital
// opening a sentence would otherwise say nothing.
func rememberSurnames(kinds map[string]NameKind, p Pair) {
	regions := regionNames(p)
	var last []string
	for r, k := range kinds {
		i := strings.LastIndexByte(r, ' ')
		if i < 0 || (k != NameUnknown && k != NamePerson) || regions[r] != "" {
			continue
		}
		if w := r[i+1:]; len(w) > 2 && isCapitalised(w) && !isAllUpper(w) {
			last = append(last, w)
		}
	}
	for _, w := range last {
		if k := kinds[w]; k != NameKnown && k != NameInstitution {
			kinds[w] = NamePerson
		}
	}
}

// salt is what besides the segment shapes a translation.
func (s *Service) salt(g *Glossary, rules []Rule) string {
	var b strings.Builder
	b.WriteString("unknown-marked|") // answers cached before unknown words were marked are stale
	b.WriteString(g.fingerprint())
	for _, r := range rules {
		b.WriteString("|" + r.Name)
	}
	return b.String()
}

func segmentHash(seg Segment, salt string) string {
	h := sha256.New()
	h.Write([]byte(salt))
	for _, p := range seg {
		fmt.Fprintf(h, "\x00%d\x00%s\x00%s", p.Kind, p.Text, p.HTML)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ConventionalNames gives, for the name runs of a p.From text (NameRuns),
// the names each may take in p.To instead of its own: a country's
// (España: Spain), a glossary term's, or, for a run the engine's
// dictionary knows as a place, an institution or a phrase of common words,
// the engine's translation of it (Londres: London, Seguridad Nacional:
// National Security); for a run opening with a common word, the
// translation of the run (Presidente Boric: President Boric). Runs without
// one are left out: they stay as written.
func (s *Service) ConventionalNames(ctx context.Context, p Pair, runs []string) map[string][]string {
	out := map[string][]string{}
	regions := regionNames(p)
	g := s.Glossaries[p]
	var ask []string
	for _, r := range runs {
		if conv, ok := regions[r]; ok {
			out[r] = append(out[r], conv)
		}
		if g != nil {
			if spans := g.find(r); len(spans) == 1 && spans[0].start == 0 && spans[0].end == len(r) {
				out[r] = append(out[r], spans[0].out)
			}
		}
		ask = append(ask, r)
		if i := strings.IndexByte(r, ' '); i > 0 {
			ask = append(ask, r[:i])
		}
	}
	lex := lexiconOf(s.Backend)
	if lex == nil || len(ask) == 0 {
		return out
	}
	ks, err := lex.NameKinds(ctx, p, ask)
	if err != nil || len(ks) != len(ask) {
		return out
	}
	kinds := map[string]NameKind{}
	for i, r := range ask {
		kinds[r] = ks[i]
	}
	raw := *s
	raw.NoProtect = true
	nw := nameLanguages[p.From]
	for _, r := range runs {
		if engineName(kinds[r], r) && !(writtenAsName(r, nw) && kinds[r] != NameKnown) {
			if t, err := raw.TranslateText(ctx, p, r); err == nil && t != "" {
				out[r] = append(out[r], t)
			}
		}
		if i := strings.IndexByte(r, ' '); i > 0 && (kinds[r[:i]] == NameCommon || kinds[r[:i]] == NameInstitution) {
			if t, err := s.TranslateText(ctx, p, r); err == nil && t != "" {
				out[r] = append(out[r], t)
			}
		}
	}
	return out
}
