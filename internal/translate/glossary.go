package translate

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Glossary forces the translation of terms for one language pair: names an
// engine would translate word by word (Nochebuena is Christmas Eve, not
// "Goodnight") and institutions with an established English name. A term
// with an empty target is kept as written.
//
// The file format is one term a line, source and target separated by a tab
// (or " => "); blank lines and lines starting with # are ignored.
type Glossary struct {
	Entries []GlossaryEntry

	once     sync.Once
	matchers []termMatcher
}

// GlossaryEntry is one forced term.
type GlossaryEntry struct {
	Source, Target string
}

// ParseGlossary reads a glossary file.
func ParseGlossary(r io.Reader) (*Glossary, error) {
	g := &Glossary{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		src, tgt, ok := strings.Cut(s, "\t")
		if !ok {
			src, tgt, ok = strings.Cut(s, "=>")
		}
		src, tgt = strings.TrimSpace(src), strings.TrimSpace(tgt)
		if src == "" {
			return nil, fmt.Errorf("translate: glossary line %d: no source term", line)
		}
		_ = ok // a line with only a source term protects it
		g.Entries = append(g.Entries, GlossaryEntry{Source: src, Target: tgt})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("translate: unable to read glossary: %w", err)
	}
	return g, nil
}

// LoadGlossaries reads every PAIR.tsv file (es-en.tsv) of dir. A missing
// directory gives no glossaries.
func LoadGlossaries(dir string) (map[Pair]*Glossary, error) {
	out := map[Pair]*Glossary{}
	files, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	for _, f := range files {
		p, err := ParsePair(strings.TrimSuffix(filepath.Base(f), ".tsv"))
		if err != nil {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("translate: unable to open glossary: %w", err)
		}
		g, err := ParseGlossary(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[p] = g
	}
	return out, nil
}

// WriteTo writes the glossary in its file format.
func (g *Glossary) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, e := range g.Entries {
		fmt.Fprintf(&b, "%s\t%s\n", e.Source, e.Target)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// fingerprint changes whenever the glossary does; it is part of cache keys.
func (g *Glossary) fingerprint() string {
	if g == nil || len(g.Entries) == 0 {
		return ""
	}
	h := sha256.New()
	for _, e := range g.Entries {
		fmt.Fprintf(h, "%s\x00%s\x00", e.Source, e.Target)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// span is a byte range of a text with what to put out there instead.
type span struct {
	start, end int
	out        string
}

// find returns the glossary terms in s, longest first where they overlap,
// on word boundaries. A term written in lower case matches in any case (and
// a capital in the text gives the target a capital); a term with capitals,
// a name, matches only as written.
func (g *Glossary) find(s string) []span {
	if g == nil || len(g.Entries) == 0 {
		return nil
	}
	g.once.Do(g.compile)
	var spans []span
	taken := make([]bool, len(s))
	for _, m := range g.matchers {
		for _, loc := range m.re.FindAllStringIndex(s, -1) {
			st, en := loc[0], loc[1]
			if !wordBoundary(s, st, en) || anyTaken(taken, st, en) {
				continue
			}
			out := m.target
			if out == "" {
				out = s[st:en]
			} else if r, _ := utf8.DecodeRuneInString(s[st:]); unicode.IsUpper(r) {
				out = upperFirst(out)
			}
			for k := st; k < en; k++ {
				taken[k] = true
			}
			spans = append(spans, span{st, en, out})
		}
	}
	return spans
}

type termMatcher struct {
	re     *regexp.Regexp
	target string
}

// compile makes one pattern per term, longest term first; any run of
// spaces (no-break spaces too) in a term matches any other.
func (g *Glossary) compile() {
	entries := append([]GlossaryEntry(nil), g.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return len(entries[i].Source) > len(entries[j].Source) })
	for _, e := range entries {
		words := strings.Fields(e.Source)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		pat := strings.Join(words, `[\s\p{Zs}]+`)
		if strings.ToLower(e.Source) == e.Source {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			continue
		}
		g.matchers = append(g.matchers, termMatcher{re, e.Target})
	}
}

func anyTaken(t []bool, st, en int) bool {
	for k := st; k < en; k++ {
		if t[k] {
			return true
		}
	}
	return false
}

func wordBoundary(s string, st, en int) bool {
	if st > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:st])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if en < len(s) {
		r, _ := utf8.DecodeRuneInString(s[en:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
