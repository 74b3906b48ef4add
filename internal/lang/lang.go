// Package lang tells which language a text is in. It wraps lingua-go,
// loaded with only the languages newsdesk is configured for (all 75 cost
// about 1.9 GB and 18 s to load; a handful cost a small fraction: see
// BenchmarkLoad), and falls back to what the page or the source declares
// when a text is too short to judge.
package lang

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// Options tune a Detector. Zero fields take the defaults.
type Options struct {
	// HighAccuracy uses lingua's high-accuracy mode (all n-gram models,
	// about five times the memory). The default low-accuracy mode uses
	// trigrams only, which is reliable for a paragraph or more.
	HighAccuracy bool
	// MinLetters is the shortest text (in letters) judged on its own; 40
	// (below it, the declared language is used).
	MinLetters int
	// MinConfidence is the confidence the best language needs; 0.5.
	MinConfidence float64
	// Lazy loads language models on first use instead of at New.
	Lazy bool
}

// Detector detects languages among a configured set. It is safe for
// concurrent use.
type Detector struct {
	langs []string
	det   lingua.LanguageDetector // nil with one language
	opt   Options
}

// New builds a detector for the given ISO 639-1 codes ("es", "en", ...).
func New(codes []string, opt Options) (*Detector, error) {
	if opt.MinLetters <= 0 {
		opt.MinLetters = 40
	}
	if opt.MinConfidence <= 0 {
		opt.MinConfidence = 0.5
	}
	d := &Detector{opt: opt}
	var langs []lingua.Language
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		iso := lingua.GetIsoCode639_1FromValue(c)
		if iso == lingua.UnknownIsoCode639_1 {
			return nil, fmt.Errorf("lang: unknown language code %q", c)
		}
		seen[c] = true
		d.langs = append(d.langs, c)
		langs = append(langs, lingua.GetLanguageFromIsoCode639_1(iso))
	}
	if len(langs) == 0 {
		return nil, fmt.Errorf("lang: no languages configured")
	}
	if len(langs) == 1 {
		return d, nil
	}
	b := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...)
	if !opt.HighAccuracy {
		b = b.WithLowAccuracyMode()
	}
	if !opt.Lazy {
		b = b.WithPreloadedLanguageModels()
	}
	d.det = b.Build()
	return d, nil
}

// Languages are the configured languages.
func (d *Detector) Languages() []string { return append([]string(nil), d.langs...) }

// Detect returns the language of text and the detector's confidence, or
// "" when the text is too short or no language is clear enough.
func (d *Detector) Detect(text string) (string, float64) {
	if letters(text) < d.opt.MinLetters {
		return "", 0
	}
	if d.det == nil {
		return d.langs[0], 1
	}
	vals := d.det.ComputeLanguageConfidenceValues(text)
	if len(vals) == 0 || vals[0].Value() < d.opt.MinConfidence {
		return "", 0
	}
	return strings.ToLower(vals[0].Language().IsoCode639_1().String()), vals[0].Value()
}

// DetectLanguage is Detect for callers that only need a yes or no
// (translate.Service's per-paragraph check).
func (d *Detector) DetectLanguage(text string) (string, bool) {
	l, _ := d.Detect(text)
	return l, l != ""
}

// Article decides an article's language: detected from its title and text
// when they are long enough, else the page's declared lang, else the
// source's language.
func (d *Detector) Article(title, text, declared, source string) string {
	sample := title + "\n" + text
	if len(sample) > 4000 { // enough to judge; bounds the cost
		sample = sample[:4000]
		for !utf8.ValidString(sample) {
			sample = sample[:len(sample)-1]
		}
	}
	if l, _ := d.Detect(sample); l != "" {
		return l
	}
	if l := Primary(declared); l != "" {
		return l
	}
	return Primary(source)
}

// Paragraphs returns the language of each paragraph; a paragraph too short
// to judge takes fallback (the article's language).
func (d *Detector) Paragraphs(paras []string, fallback string) []string {
	out := make([]string, len(paras))
	for i, p := range paras {
		if l, _ := d.Detect(p); l != "" {
			out[i] = l
		} else {
			out[i] = fallback
		}
	}
	return out
}

// Primary is the primary language subtag of a BCP 47 tag, lower case
// ("es-MX" -> "es").
func Primary(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
