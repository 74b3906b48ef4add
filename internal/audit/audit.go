// Package audit reads stored articles and their translations and counts
// the defects a reader would see: glued words, escaped text, furniture
// left in the body, words left untranslated or invented by the
// translation, and names that did not stay names. It is what an editor
// runs after a big import (`newsdesk audit`); its input is plain data, so
// it knows nothing of the store.
package audit

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Article is what the audit reads of one stored article.
type Article struct {
	ID       int64
	URL      string
	Language string // the original's language ("es")
	Title    string
	// Description and Text are plain text; BodyHTML is the stored body.
	Description, Text, BodyHTML string
	// Translation is the article in the reader's language, nil when none.
	Translation *Translation
}

// Translation is an article's stored translation.
type Translation struct {
	Language                           string
	Title, Description, Text, BodyHTML string
}

// Counts are the defects found, by kind. The JSON keys are the names the
// issue tracker and the demo's checks use.
type Counts struct {
	// Glued: a lower-case letter directly followed by a capitalised word
	// ("OmarImage"), a sentence end without its space ("Moreau.Until"), or
	// a word split by markup ("r<strong>esto").
	Glued int `json:"glued"`
	// Escaped: an HTML entity or tag in a stored title, description or text.
	Escaped int `json:"escaped"`
	// Furniture: teaser, share, source, subscription and image-card lines.
	Furniture int `json:"furniture"`
	// Untranslated: words of the translation that are words of the source
	// language and not of the target's.
	Untranslated int `json:"untranslated"`
	// Invented: words of the translation in neither language's word list.
	Invented int `json:"invented"`
	// NamesTotal and NamesKept: the source's name runs, and those found in
	// the translation as written or under their conventional name.
	NamesTotal int `json:"names_total"`
	NamesKept  int `json:"names_kept"`
}

func (c *Counts) add(o Counts) {
	c.Glued += o.Glued
	c.Escaped += o.Escaped
	c.Furniture += o.Furniture
	c.Untranslated += o.Untranslated
	c.Invented += o.Invented
	c.NamesTotal += o.NamesTotal
	c.NamesKept += o.NamesKept
}

// Defects reports whether any defect was found (names aside).
func (c Counts) Defects() bool {
	return c.Glued+c.Escaped+c.Furniture+c.Untranslated+c.Invented > 0 || c.NamesKept < c.NamesTotal
}

// ArticleReport is the audit of one article, with examples of what was
// found so an editor can look.
type ArticleReport struct {
	ID       int64    `json:"id"`
	URL      string   `json:"url,omitempty"`
	Language string   `json:"language"`
	Counts   Counts   `json:"counts"`
	Examples []string `json:"examples,omitempty"`
}

// Report is the audit of many articles.
type Report struct {
	Articles []ArticleReport `json:"articles"`
	Totals   Counts          `json:"totals"`
	// NamesKeptShare is NamesKept / NamesTotal (1 when there are none).
	NamesKeptShare float64 `json:"names_kept_share"`
}

// Auditor holds what the checks need besides the articles.
type Auditor struct {
	// Words are word lists by language ("en", "es"), lower case; a check
	// whose lists are missing counts nothing.
	Words map[string]map[string]bool
	// Names finds the name runs of a source text (translate.NameRuns).
	Names func(text, lang string) []string
	// Conventional gives the other names a run may take in the
	// translation (España: Spain); nil for none.
	Conventional func(from, to string, runs []string) map[string][]string
	// MaxExamples bounds the examples kept per article (default 5).
	MaxExamples int
}

// Audit checks every article and sums the counts.
func (a *Auditor) Audit(arts []Article) Report {
	rep := Report{Articles: []ArticleReport{}}
	for _, art := range arts {
		ar := a.Article(art)
		rep.Totals.add(ar.Counts)
		rep.Articles = append(rep.Articles, ar)
	}
	rep.NamesKeptShare = 1
	if rep.Totals.NamesTotal > 0 {
		rep.NamesKeptShare = float64(rep.Totals.NamesKept) / float64(rep.Totals.NamesTotal)
	}
	return rep
}

// Article checks one article.
func (a *Auditor) Article(art Article) ArticleReport {
	r := &ArticleReport{ID: art.ID, URL: art.URL, Language: art.Language}
	max := a.MaxExamples
	if max == 0 {
		max = 5
	}
	note := func(kind, what string) {
		if len(r.Examples) < max {
			r.Examples = append(r.Examples, kind+": "+clip(what))
		}
	}
	c := &r.Counts
	plain := []string{art.Title, art.Description, art.Text}
	tr := art.Translation
	if tr != nil {
		plain = append(plain, tr.Title, tr.Description, tr.Text)
	}
	// A word written with a capital inside more than once in an article
	// is a brand (GateHouse, SoftBank); glue happens once in a place.
	seen := map[string]int{}
	for _, s := range plain {
		for _, g := range gluedIn(s) {
			seen[g]++
		}
	}
	for _, s := range plain {
		for _, g := range gluedIn(s) {
			if seen[g] == 1 || strings.ContainsAny(g, ".!?") {
				c.Glued++
				note("glued", g)
			}
		}
		for _, m := range reEscaped.FindAllString(s, -1) {
			c.Escaped++
			note("escaped", m)
		}
	}
	// Markup inside a word is fine in a page as published (a drop cap);
	// in a translation it means the engine moved it ("listen r<b>esto").
	if tr != nil {
		for _, m := range reSplitByMarkup.FindAllString(tr.BodyHTML, -1) {
			c.Glued++
			note("glued", m)
		}
	}
	for _, s := range []string{art.Text, textOf(tr)} {
		for _, line := range strings.Split(s, "\n") {
			if isFurniture(line) {
				c.Furniture++
				note("furniture", line)
			}
		}
	}
	if tr == nil {
		return *r
	}
	// A word of the translation the target's list lacks was left in the
	// source language when the source's list has it or the original
	// uses it (word lists lack many inflections: "descartan"); else the
	// translation made it up.
	// Names first: a name kept as written ("Juntos por el Cambio") is
	// right, and its lower-case particles are no untranslated words.
	hay := tr.Title + "\n" + tr.Text
	checked := hay
	if a.Names != nil {
		runs := uniqueStrings(append(a.Names(art.Title, primary(art.Language)), a.Names(art.Text, primary(art.Language))...))
		var conv map[string][]string
		if a.Conventional != nil && len(runs) > 0 {
			conv = a.Conventional(primary(art.Language), primary(tr.Language), runs)
		}
		for _, n := range runs {
			c.NamesTotal++
			if strings.Contains(hay, n) || containsAny(hay, conv[n]) {
				c.NamesKept++
				checked = blankWhole(checked, n)
			} else {
				note("name lost", n)
			}
		}
	}
	// A word of the translation the target's list lacks was left in the
	// source language when the source's list has it or the original
	// uses it (word lists lack many inflections: "descartan"); else the
	// translation made it up.
	src, dst := a.Words[primary(art.Language)], a.Words[primary(tr.Language)]
	original := map[string]bool{}
	for _, w := range words(art.Title + "\n" + art.Description + "\n" + art.Text) {
		original[strings.ToLower(w)] = true
	}
	for _, w := range words(checked) {
		lw := strings.ToLower(w)
		if isCapitalised(w) || len(dst) == 0 || known(dst, lw) {
			continue // a capitalised word is a name's business
		}
		switch {
		case original[lw] || len(src) > 0 && src[lw]:
			c.Untranslated++
			note("untranslated", w)
		case len(src) > 0:
			c.Invented++
			note("invented", w)
		}
	}
	return *r
}

func textOf(t *Translation) string {
	if t == nil {
		return ""
	}
	return t.Text
}

var (
	// reEscaped is an HTML entity or tag in what should be plain text.
	reEscaped = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,7});|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)
	// reSplitByMarkup is a word cut by an inline element in HTML.
	reSplitByMarkup = regexp.MustCompile(`\p{L}</?(?:strong|b|em|i|u|span|mark|small)(?:\s[^<>]*)?>\p{L}`)
	// reGlued finds a lower-case letter directly before a capitalised word,
	// and a sentence end directly before one.
	reGlued = regexp.MustCompile(`[\p{L}\p{M}'’]*\p{Ll}(?:[.!?])?\p{Lu}\p{Ll}+`)
	reWord  = regexp.MustCompile(`[\p{L}\p{M}]+(?:['’][\p{L}]+)?`)
)

// camelWords are brand names written with a capital inside, which are not
// glued words.
var camelWords = map[string]bool{
	"WhatsApp": true, "PlayStation": true, "JavaScript": true, "TikTok": true, "YouTube": true, "LinkedIn": true,
	"iPhone": true, "iPad": true, "eBay": true, "PayPal": true, "FedEx": true, "McDonald": true, "BlackRock": true,
	"SpaceX": true, "OpenAI": true, "GitHub": true, "DeepMind": true, "PowerPoint": true, "MasterCard": true,
}

// gluedIn returns the glued words of a plain text.
func gluedIn(s string) []string {
	var out []string
	for _, loc := range reGlued.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if camelWords[m] || strings.HasPrefix(m, "Mc") || strings.HasPrefix(m, "Mac") ||
			loc[0] > 0 && strings.ContainsRune("#@/.", rune(s[loc[0]-1])) {
			continue // a hashtag, a handle, a path
		}
		// the lower-case run before the capital: "Omar" in "OmarImage";
		// one or two letters ("eBay", "McCain", "DeSantis") make names.
		i := strings.IndexFunc(m, func(r rune) bool { return r == '.' || r == '!' || r == '?' })
		if i < 0 {
			k := lastLowerRun(m)
			if k < 3 {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// lastLowerRun is the length, in letters, of the lower-case run that ends
// just before the first capital after a lower-case letter.
func lastLowerRun(m string) int {
	run := 0
	prevLower := false
	for _, r := range m {
		if unicode.IsUpper(r) && prevLower {
			return run
		}
		if unicode.IsLower(r) {
			run++
			prevLower = true
		} else {
			run, prevLower = 0, false
		}
	}
	return run
}

// furniture patterns: teasers to other stories, share prompts, credits,
// subscription pitches and image cards, in the languages newsdesk reads.
var (
	reTeaser  = regexp.MustCompile(`(?i)^\s*(?:mira|lee|lea|vea|ver|leer|read|watch|see|related|relacionad[oa]s?|te puede interesar|puede interesarte|también te puede interesar|lea también|lee también|lea aquí|lee aquí|read here|read also|also read|read more|lee más|leer más|ver más|see more|more|más|lire aussi|à lire aussi|lesen sie auch|mehr zum thema|leia também|leia mais|leggi anche|it looks)\s*(?:[|:»>›-]|$)`)
	reVerNota = regexp.MustCompile(`(?i)\((?:ver|see|lea|read) (?:nota|note|más|more)[^)]*\)`)
	reShare   = regexp.MustCompile(`(?i)^\s*(?:share|compartir|comparte|compártelo|partager|teilen|compartilhe|condividi)(?:\s+(?:this|on|en|esta|via|article|artículo|nota|noticia|story))*\s*[:!]?\s*$`)
	reSocial  = regexp.MustCompile(`(?i)^\s*(?:(?:facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|correo|pinterest|reddit|copy link|copiar enlace|imprimir|print)[\s|·,/]*){2,}$`)
	reSource  = regexp.MustCompile(`(?i)^\s*(?:source|fuente|fonte|quelle|source de l'article)\s*:`)
	reSubscr  = regexp.MustCompile(`(?i)\b(?:subscribe|subscription|suscr[ií]b(?:e|ete|ase)|suscripci[oó]n|newsletter|bolet[ií]n|abonnez|abonnieren|abonnement|assine|iscriviti)\b`)
	reImage   = regexp.MustCompile(`(?i)^\s*\[?(?:image|imagen|foto|photo|video|vídeo|galería|gallery)\s*(?::|\(on the original site\))|\bimage \(on the original site\)`)
)

// isFurniture says whether a line of a body is furniture rather than
// article text.
func isFurniture(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	n := len(strings.Fields(line))
	switch {
	case reTeaser.MatchString(line), reVerNota.MatchString(line), reImage.MatchString(line):
		return true
	case n <= 12 && (reShare.MatchString(line) || reSocial.MatchString(line) || reSource.MatchString(line)):
		return true
	case n <= 30 && reSubscr.MatchString(line):
		return true
	}
	return false
}

// words are the words of s a word list can judge: letters only, at least
// three of them.
func words(s string) []string {
	var out []string
	for _, w := range reWord.FindAllString(s, -1) {
		if utf8.RuneCountInString(w) >= 3 {
			out = append(out, w)
		}
	}
	return out
}

// known says whether w, or the word it is an inflection or possessive of,
// is in list.
func known(list map[string]bool, w string) bool {
	if list[w] || list[foldAccents(w)] { // "communiqué" is listed as "communique"
		return true
	}
	for _, suf := range []string{"'s", "’s", "s", "es", "ed", "d", "ing", "ly", "er", "est"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 && (list[stem] || list[stem+"e"]) {
			return true
		}
	}
	return false
}

func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func primary(tag string) string {
	tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
	tag, _, _ = strings.Cut(tag, "_")
	return tag
}

func uniqueStrings(ss []string) []string {
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

func clip(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	return string([]rune(s)[:80]) + "…"
}

// containsAny says whether s holds one of subs, in any case (an engine
// capitalises a name alone differently from a name in a sentence).
func containsAny(s string, subs []string) bool {
	s = strings.ToLower(s)
	for _, x := range subs {
		if x != "" && strings.Contains(s, strings.ToLower(x)) {
			return true
		}
	}
	return false
}

var accentFolder = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "î", "i", "ï", "i", "ó", "o", "ô", "o", "ö", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u", "ç", "c", "ñ", "n")

func foldAccents(s string) string { return accentFolder.Replace(s) }

// blankWhole blanks every occurrence of name in s that stands as whole
// words (not "C" inside "Chile").
func blankWhole(s, name string) string {
	if name == "" {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, name)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(name)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (i > 0 && isWordRune(before)) || (end < len(s) && isWordRune(after)) {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i] + " ")
		}
		s = s[end:]
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
