package translate

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// NameKind is what an engine's dictionary makes of a capitalised run.
type NameKind uint8

// The kinds of run.
const (
	// NameUnknown: not every word is known, or the words are a person's
	// name mixed with common words ("Marcelino Iglesias"): keep as written.
	NameUnknown NameKind = iota
	// NameKnown: every word is a place or organisation of the dictionary
	// and nothing else ("Londres", "Nueva York", "Gran Bretaña"): the
	// engine gives its conventional name in the target language.
	NameKnown
	// NameInstitution: a common noun heading a phrase with "de"
	// ("Universidad de Michigan", "Parlamento de Gales"): the engine
	// translates it as the institution it is.
	NameInstitution
	// NameCommon: every word is a common word of the dictionary, and the
	// run one word ("Delante", "Castaño"), a noun with its adjective
	// ("Inteligencia Artificial") or words in capitals ("GRACIAS").
	NameCommon
	// NamePerson: every word is a given name or surname and nothing else
	// ("Moisés"): kept as written even where a lone capital says nothing.
	NamePerson
	// NameTitle: a run joined by a preposition and headed by a word that
	// is no noun ("Juntos por el Cambio"): a party's, a campaign's or a
	// work's name, kept as written; an institution is headed by a noun.
	NameTitle
	// NameWritten: not the dictionary's answer but the text's: it writes
	// the run as a name inside a sentence (see ArticleNames), so it is
	// kept as written where it opens one too.
	NameWritten
)

// Lexicon is a backend that can say what its dictionary makes of
// capitalised runs, so that names it knows reach it (Apertium: Londres is
// London) while the ones it would translate as words do not.
type Lexicon interface {
	NameKinds(ctx context.Context, p Pair, runs []string) ([]NameKind, error)
	// KnownWords says whether the dictionary knows each word.
	KnownWords(ctx context.Context, p Pair, words []string) ([]bool, error)
}

// lexiconOf finds the Lexicon behind b, through wrappers.
func lexiconOf(b Backend) Lexicon {
	for b != nil {
		if l, ok := b.(Lexicon); ok {
			return l
		}
		u, ok := b.(interface{ Unwrap() Backend })
		if !ok {
			return nil
		}
		b = u.Unwrap()
	}
	return nil
}

// NameKinds implements Lexicon with the pair's morphological analyser
// (the mode's first stage), kept alive like the translation pipeline.
func (a *Apertium) NameKinds(ctx context.Context, p Pair, runs []string) ([]NameKind, error) {
	analyses, err := a.analyse(ctx, p, runs)
	if err != nil {
		return nil, err
	}
	kinds := make([]NameKind, len(analyses))
	for i, an := range analyses {
		kinds[i] = nameKind(an)
	}
	return kinds, nil
}

// KnownWords implements Lexicon: whether the analyser knows each word.
func (a *Apertium) KnownWords(ctx context.Context, p Pair, words []string) ([]bool, error) {
	analyses, err := a.analyse(ctx, p, words)
	if err != nil {
		return nil, err
	}
	known := make([]bool, len(analyses))
	for i, an := range analyses {
		known[i] = an != "" && strings.Contains(an, "<") && !strings.Contains(an, "/*")
	}
	return known, nil
}

// analyse gives the analyser's output for each of texts.
func (a *Apertium) analyse(ctx context.Context, p Pair, texts []string) ([]string, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	pipe, err := a.analyser(p)
	if err != nil {
		return nil, err
	}
	// One request for all texts, each closed by a superblank that names
	// it: a NUL flush per text would cost more than the analysis.
	var b bytes.Buffer
	for i, r := range texts {
		escapeStream(&b, r)
		fmt.Fprintf(&b, "[<nd:%d>]", i)
	}
	b.WriteString(streamEnd)
	b.WriteByte(0)
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	outs, err := pipe.run(ctx, [][]byte{b.Bytes()}, timeout)
	if err != nil {
		return nil, err
	}
	analyses := make([]string, len(texts))
	out := string(outs[0])
	for i := range texts {
		end := fmt.Sprintf("[<nd:%d>]", i)
		j := strings.Index(out, end)
		if j < 0 {
			return nil, fmt.Errorf("apertium: analyser lost text %d", i)
		}
		analyses[i] = out[:j]
		out = out[j+len(end):]
	}
	return analyses, nil
}

// analyser is the first stage of p's mode alone: the morphological
// analyser, kept running like the whole pipe.
func (a *Apertium) analyser(p Pair) (*apertiumPipe, error) {
	return a.modePipe(p, "analyser "+p.String(), 1)
}

// reUnit is one lexical unit of an analysis: ^surface/reading/reading$.
var reUnit = regexp.MustCompile(`\^((?:\\.|[^/$\\])*)((?:/(?:\\.|[^/$\\])*)*)\$`)

// nameKind reads the analysis of one run. Words in lower case (the
// particles de, la) do not count.
func nameKind(analysis string) NameKind {
	units := reUnit.FindAllStringSubmatch(analysis, -1)
	allProper, allCommon, allPerson, particle := true, true, true, false
	firstCommon, seen := false, false // the first capitalised word is a common one
	shouted := true                   // every capitalised word in capitals: "GRACIAS POR RESISTIR"
	for _, u := range units {
		r, _ := utf8.DecodeRuneInString(u[1])
		if !unicode.IsUpper(r) {
			particle = true
			continue
		}
		readings := u[2]
		if !isAllUpper(u[1]) {
			shouted = false
		}
		// Known as a name only if it is nothing else: "Oliva" is also an
		// olive, and the tagger may choose the olive. Given names and
		// surnames are not handed over either: Apertium makes Aquiles
		// Achilles and Moisés Moses.
		place := strings.Contains(readings, "<loc>") || strings.Contains(readings, "<org>") || strings.Contains(readings, "<al>")
		proper := strings.Contains(readings, "<np>") && onlyProper(readings) &&
			(place || !strings.Contains(readings, "<ant>") && !strings.Contains(readings, "<cog>"))
		common := !strings.Contains(readings, "<np>") && strings.Contains(readings, "<") && !strings.Contains(readings, "/*")
		if !proper {
			allProper = false
		}
		if !common {
			allCommon = false
		}
		if !onlyProper(readings) || place || !(strings.Contains(readings, "<ant>") || strings.Contains(readings, "<cog>")) {
			allPerson = false
		}
		if !seen {
			seen, firstCommon = true, common
		}
	}
	switch {
	case len(units) == 0:
		return NameUnknown
	case headedByNoNoun(units):
		return NameTitle
	case allProper:
		return NameKnown
	case allPerson:
		return NamePerson
	case allCommon && (len(units) == 1 || strings.Contains(analysis, "<adj>") && agrees(units) || shouted):
		// "Inteligencia Artificial", "Cruz Roja": a noun and its
		// adjective, a phrase the engine translates. Nouns alone side by
		// side ("Punta Arenas") are a place's name, and so is a noun with
		// an adjective that cannot be its own ("Puerto Natales": a
		// singular noun, a plural adjective).
		return NameCommon
	case firstCommon && particle:
		return NameInstitution
	}
	return NameUnknown
}

// headedByNoNoun says whether the units are a phrase joined by "por"
// whose first word the dictionary knows, and only as something other than
// a noun (an adjective, an adverb, a verb).
func headedByNoNoun(units [][]string) bool {
	joined := false
	for _, u := range units[1:] {
		if u[1] == "por" {
			joined = true
		}
	}
	r := units[0][2]
	return joined && strings.Contains(r, "<") && !strings.Contains(r, "/*") &&
		!strings.Contains(r, "<n>") && !strings.Contains(r, "<np>")
}

// onlyProper says whether every reading of a unit is a proper noun.
func onlyProper(readings string) bool {
	for _, r := range strings.Split(readings, "/")[1:] {
		if !strings.Contains(r, "<np>") {
			return false
		}
	}
	return true
}

// agrees says whether every capitalised word after the first that the
// dictionary knows as an adjective can, in one of its adjective readings,
// agree in gender and number with the first word read as a noun:
// "Inteligencia Artificial" is a noun and its adjective, "Puerto Natales"
// (a masculine singular noun, a plural adjective) is no phrase of the
// language but a name, and so is "Cerro Verdes" (Verdes is also a plural
// noun: nouns side by side, as in "Punta Arenas"). A first word that is no
// noun leaves nothing to agree with.
func agrees(units [][]string) bool {
	var head []string // the noun readings of the first capitalised word
	for _, u := range units {
		r, _ := utf8.DecodeRuneInString(u[1])
		if !unicode.IsUpper(r) {
			continue
		}
		readings := strings.Split(u[2], "/")[1:]
		if head == nil {
			for _, rd := range readings {
				if strings.Contains(rd, "<n>") {
					head = append(head, rd)
				}
			}
			if head == nil {
				return true
			}
			continue
		}
		var adjs []string
		for _, rd := range readings {
			if strings.Contains(rd, "<adj>") {
				adjs = append(adjs, rd)
			}
		}
		if adjs == nil {
			continue
		}
		ok := false
		for _, a := range adjs {
			for _, n := range head {
				if compatible(a, n, "<m>", "<f>") && compatible(a, n, "<sg>", "<pl>") {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// compatible says whether readings ra and rb can share a value of the
// feature whose two values are a and b: a reading that carries neither
// (<mf>, <sp>, an unmarked word) fits both.
func compatible(ra, rb, a, b string) bool {
	val := func(r string) string {
		switch {
		case strings.Contains(r, a):
			return a
		case strings.Contains(r, b):
			return b
		}
		return ""
	}
	va, vb := val(ra), val(rb)
	return va == "" || vb == "" || va == vb
}
