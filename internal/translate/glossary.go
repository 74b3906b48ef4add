package translate

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	low := strings.ToLower(s)
	if len(low) != len(s) { // a case mapping changed byte lengths: match exactly
		low = s
	}
	entries := append([]GlossaryEntry(nil), g.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return len(entries[i].Source) > len(entries[j].Source) })
	var spans []span
	taken := make([]bool, len(s))
	for _, e := range entries {
		term, hay := e.Source, s
		if strings.ToLower(term) == term {
			hay = low
		}
		for off := 0; off < len(hay); {
			i := strings.Index(hay[off:], term)
			if i < 0 {
				break
			}
			st, en := off+i, off+i+len(term)
			off = en
			if !wordBoundary(s, st, en) || anyTaken(taken, st, en) {
				continue
			}
			out := e.Target
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
