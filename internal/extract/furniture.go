package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page furniture that extractors leave inside article bodies: inline
// "related story" teasers, share and follow prompts, newsletter boxes,
// photo credits, captions, source credits. The phrases are the labels
// CMSs in several languages print, not anything about particular sites.

// teaserLabels start a block that points the reader elsewhere. A short
// block that starts with one of them (case ignored) is furniture.
var teaserLabels = []string{
	// English
	"look here", "more information", "read also", "also read", "read more", "read next",
	"related", "related stories", "related articles", "related content", "related coverage",
	"see also", "more on this", "more from", "recommended", "recommended for you",
	"you may also like", "you might also like", "you may be interested", "don't miss",
	"dont miss", "must read", "trending", "most popular", "most read", "top stories",
	"share this", "share this article", "share this story", "share on", "share:",
	"click here", "tap here", "continue reading", "advertisement", "sponsored",
	"sign up", "subscribe", "follow us", "follow @", "like this story", "watch:", "watch now",
	"listen:", "also:", "previously:", "further reading", "get the", "download the",
	// Spanish
	"lea también", "lee también", "léase también", "mira aquí", "mira también", "ver también",
	"más información", "te puede interesar", "le puede interesar", "también te puede interesar",
	"puede interesarte", "noticias relacionadas", "contenido relacionado", "sigue leyendo",
	"síguenos", "comparte", "compartir", "publicidad", "ver más", "lo más leído", "no te pierdas",
	"relacionado", "relacionada", "recomendado", "suscríbete", "lee más", "leer más",
	"mira", "lea aquí", "lee aquí", "léelo aquí", "ver nota", "ver nota completa", "lea la nota completa",
	"leer nota completa", "leer artículo completo", "leer articulo completo", "leer el artículo completo",
	// Portuguese
	"leia também", "leia mais", "veja também", "veja mais", "saiba mais", "mais informações",
	"compartilhe", "siga-nos", "publicidade", "tempo de leitura", "leia a seguir", "continua depois",
	"relacionadas", "assine", "confira também", "mais lidas",
	// French
	"lire aussi", "à lire aussi", "a lire aussi", "lire également", "à lire également", "voir aussi",
	"en savoir plus", "partager", "partagez", "publicité", "suivez-nous", "lisez aussi",
	"sur le même sujet", "abonnez-vous", "découvrir aussi", "à voir aussi", "les plus lus",
	// German
	"lesen sie auch", "lesen sie mehr", "mehr zum thema", "auch interessant", "weiterlesen",
	"anzeige", "werbung", "teilen", "folgen sie uns", "das könnte sie auch interessieren",
	"meistgelesen", "zum thema", "jetzt abonnieren", "newsletter",
	// Italian
	"leggi anche", "leggi di più", "potrebbe interessarti", "condividi", "pubblicità",
	"ti potrebbe interessare", "approfondisci", "iscriviti",
	// Dutch, Polish
	"lees ook", "lees meer", "meer informatie", "czytaj też", "czytaj także", "czytaj również",
	"zobacz też", "zobacz także", "przeczytaj również", "przeczytaj też", "polecamy",
}

var (
	teaserRe       = labelPattern(teaserLabels)
	teaserHead     = firstWords(teaserLabels)
	sourceRe       = regexp.MustCompile(`(?i)^(?:source|sources|fuente|fuentes|fonte|fontes|quelle|źródło|bron|fonte)\s*:\s*(.{1,80})$`)
	creditRe       = regexp.MustCompile(`(?i)^(?:photo|photos|image|images|picture|foto|fotos|imagen|imagem|bild|credit|credits|crédito|créditos|illustration|video)\s*(?:credit)?\s*[:.…]`)
	readingRe      = regexp.MustCompile(`(?i)^(?:reading time|read time|lesezeit|tempo de leitura|tiempo de lectura|temps de lecture|czas czytania)\b`)
	contactRe      = regexp.MustCompile(`(?i)^(?:write to|email|e-mail|contact)\b.*@|^\S+@\S+\.\w+$|^(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram)\.com/\S+$`)
	contribStartRe = regexp.MustCompile(`(?i)^(?:additional reporting by|reporting by|editing by|(?:con )?información de|com informações d)`)
	contribRe      = regexp.MustCompile(`(?i)(?:contributed (?:to )?(?:this|reporting|the reporting)|^additional reporting by|^reporting by|^editing by|^(?:con )?información de|^com informações d)\b`)
	tagsRe         = regexp.MustCompile(`(?i)^(?:tags|tagged|tagged with|filed under|etiquetas|temas|schlagwörter|stichwörter|mots-clés|palavras-chave|tagi|parole chiave|categories|categorías|categorias)\b\s*:?`)
	ctaStartRe     = regexp.MustCompile(`(?i)^(?:don['’]?t miss|related posts?|read more|read next|see more|you may also like|you might also like|recommended for you|continue reading|sign up|subscribe to|follow us|like this (?:story|article)|this copy is for your personal)\b`)
	stampRe        = regexp.MustCompile(`(?i)^(?:updated|published|posted|last updated|first published|actualizado|publicado|atualizado|mis à jour|publié|aktualisiert|veröffentlicht)\b`)
	shareRe        = regexp.MustCompile(`(?i)^(?:share|compart\pL*|partag\pL*|teilen|condividi|udostępnij|deel|tweet|pin)\b`)
	ctaRe          = regexp.MustCompile(`(?i)\b(?:click here|by clicking here|sign up for|subscribe to|follow (?:us|\S+) on (?:twitter|facebook|instagram)|get the (?:\S+ )*app\b|this (?:web)?site uses cookies|newsletter|subscribe now|become a (?:subscriber|member)|tu suscripción|suscríbete|suscribite|suscribirte|hazte socio|assine já|assine agora|abonnez-vous|jetzt abonnieren)\b`)
)

// labelPattern matches a block that starts with one of labels followed by
// a break: a colon, a dash, an ellipsis or the end of the block.
func labelPattern(labels []string) *regexp.Regexp {
	quoted := make([]string, len(labels))
	for i, l := range labels {
		quoted[i] = regexp.QuoteMeta(strings.TrimRight(l, ":"))
	}
	// A label may be bracketed: "(Ver nota: ...)", "[Read more]".
	return regexp.MustCompile(`(?i)^[(\[]?(?:` + strings.Join(quoted, "|") + `)(?:\s*[:|»›>–—?\])-]|\s*\.\.\.|…|\s*$)`)
}

// firstWord is the first word of s, lower-cased, without an opening
// bracket: a block can match teaserRe only if it is the first word of a
// label, which is far cheaper to ask first.
func firstWord(s string) string {
	s = strings.TrimLeft(s, "([")
	if i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":|»›>–—?-.…)]", r)
	}); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

func firstWords(labels []string) map[string]bool {
	m := make(map[string]bool, len(labels))
	for _, l := range labels {
		m[firstWord(l)] = true
	}
	return m
}

// furniture says why a block is page furniture, or "" when it is not.
// Only short blocks are judged: a long paragraph is prose whatever its
// first words.
func furniture(b block) string {
	t := b.text
	if b.words > 40 {
		return ""
	}
	switch {
	case teaserHead[firstWord(t)] && teaserRe.MatchString(t):
		return "teaser"
	case isLabelHeadline(t):
		return "teaser"
	case b.words <= 6 && shareRe.MatchString(t):
		return "share"
	case readingRe.MatchString(t):
		return "reading time"
	// The cheap tests first: these patterns are not anchored, and most
	// blocks have neither an '@' nor a contributor line.
	case (strings.ContainsRune(t, '@') || strings.Contains(t, ".com/")) && contactRe.MatchString(t):
		return "contact"
	case (strings.Contains(t, "ontributed") || strings.Contains(t, "ONTRIBUTED") || contribStartRe.MatchString(t)) && contribRe.MatchString(t):
		return "credit"
	case tagsRe.MatchString(t) && (b.words <= 3 || strings.Count(t, ",") >= 2 || b.linkDensity() > 0.5 || strings.Contains(t, ":") || strings.Contains(t, "|")):
		return "tags"
	case ctaStartRe.MatchString(t):
		return "prompt"
	case b.words <= 12 && stampRe.MatchString(t) && hasDigit(t):
		return "timestamp"
	case creditRe.MatchString(t) && b.words <= 25:
		return "credit"
	case b.words <= 30 && ctaRe.MatchString(t):
		return "prompt"
	case inFigure(b):
		return "caption"
	}
	return ""
}

// isLabelHeadline matches the inline teaser shape "LABEL IN CAPITALS:
// Headline of another story" (or "LABEL | Headline"): a short
// all-capitals label, a colon or bar, and a headline that does not end
// like a sentence.
func isLabelHeadline(t string) bool {
	i := strings.IndexAny(t, ":|")
	if i <= 0 || i > 40 {
		return false
	}
	label, rest := t[:i], strings.TrimSpace(t[i+1:])
	minWords := 2 // one capitalised word and a colon is a dateline or a speaker
	if t[i] == '|' {
		minWords = 1 // "MIRA | Headline": a bar is never a sentence's
	}
	if rest == "" || sentenceEnd(rest) && !strings.HasSuffix(rest, "”") && !strings.HasSuffix(rest, "\"") {
		return false
	}
	words := strings.Fields(label)
	if len(words) < minWords || len(words) > 4 {
		return false
	}
	letters := 0
	for _, r := range label {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters >= 4 && countWords(rest) <= 25
}

// inFigure reports whether a block is a caption: inside a figure or
// figcaption, or in an element whose class names it a caption or credit.
func inFigure(b block) bool {
	for n := b.owner; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if n.DataAtom == atom.Figure || n.DataAtom == atom.Figcaption {
			return true
		}
		cls := strings.ToLower(attr(n, "class"))
		if strings.Contains(cls, "caption") || strings.Contains(cls, "credit") {
			return true
		}
	}
	return false
}

// sourceCredit returns X of a "Source: X" line.
func sourceCredit(t string) (string, bool) {
	m := sourceRe.FindStringSubmatch(t)
	if m == nil || countWords(m[1]) > 8 {
		return "", false
	}
	return strings.TrimSpace(strings.TrimRight(m[1], ".")), true
}

// cleanBlocks drops furniture, repeated blocks and a leading copy of the
// title, removing them from the content tree too. It returns the blocks
// kept and the source credit when the body had one.
func cleanBlocks(bs []block, titles []string, captions map[string]bool) (kept []block, credit string) {
	var folded []string
	for _, t := range titles {
		if f := foldText(t); f != "" {
			folded = append(folded, f)
		}
	}
	isTitle := func(key string) bool {
		for _, t := range folded {
			if key == t || strings.Count(key, " ") >= 2 && strings.Contains(t, key) {
				return true
			}
		}
		return false
	}
	for i, b := range bs {
		key := foldText(b.text)
		drop := false
		switch {
		case len(kept) == 0 && i < 3 && isTitle(key):
			drop = true // the headline, which is metadata
		case b.words >= 3 && captions[key]:
			drop = true // an image's caption or alt text repeated as a paragraph
		default:
			if c, ok := sourceCredit(b.text); ok && i >= len(bs)/2 {
				credit, drop = c, true
			} else if furniture(b) != "" {
				drop = true
			}
		}
		if drop {
			b.remove()
			continue
		}
		kept = append(kept, b)
	}
	return kept, credit
}

// foldText is s lower-cased with white space and punctuation folded, for
// comparing texts that differ only in formatting.
func foldText(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return sb.String()
}

// pageCaptions collects the page's image captions, photo credits and alt
// texts, folded, so that a block repeating one can be recognised even in a
// candidate tree that lost the markup saying it was a caption.
func pageCaptions(doc *html.Node) map[string]bool {
	out := map[string]bool{}
	add := func(s string) {
		if c := foldText(s); strings.Count(c, " ") >= 2 && strings.Count(c, " ") < 80 {
			out[c] = true
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Img:
				add(attr(n, "alt"))
			case atom.Figcaption:
				add(textOf(n))
				return
			case atom.Script, atom.Style, atom.Head, atom.Noscript:
				return
			default:
				if cls := strings.ToLower(attr(n, "class")); cls != "" && (strings.Contains(cls, "caption") || strings.Contains(cls, "credit")) {
					add(textOf(n))
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }
