package translate

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names must come out as written, but a rule-based engine translates the
// ones that are also words: "Marcelino Iglesias" becomes "Marcelino
// Churches", "Punta Arenas" "Tip Sands", "La Moneda" "The Coin". Spanish
// (like the other Romance languages) writes only names with capitals
// inside a sentence, so a run of capitalised words there, with the
// particles names use (de, de la, da...), is protected whole.
//
// Some capitalised runs are left to the engine, which translates them as
// English writes them:
//   - a run right after an article, possessive or demonstrative ("el
//     Gobierno", "la Corte Suprema" are institutions);
//   - a lone capital opening a sentence (any word may open one), unless
//     the engine knows it only as a person's name ("Moisés") or the text
//     named the person in full before ("Javier Castaño ... Castaño salió");
//   - what the engine's dictionary (Lexicon) knows as a place ("Londres"),
//     an institution ("Universidad de Michigan") or a phrase of common
//     words ("Inteligencia Artificial").
// A run that opens a sentence loses its leading function words ("Según
// Pedro Sánchez"), and a leading common word the Lexicon knows ("Delante
// del Parlamento"). Countries take their conventional names (regions.go).

// nameWords are the closed classes of one source language that tell a
// name run apart.
type nameWords struct {
	// particles join the parts of a name: "Juan de la Fuente".
	particles map[string]bool
	// articles before a run make it an institution or a common noun.
	articles map[string]bool
	// openers are function words written with a capital only because they
	// open a sentence.
	openers map[string]bool
	// conj joins two names ("Sánchez y Rajoy"); a one-word run after it
	// inherits the article of the run before ("el Ministerio de Ciencia y
	// Tecnología").
	conj map[string]bool
	// definite are the definite articles: capitalised inside a sentence
	// they open a name ("La Voz de Galicia").
	definite map[string]bool
	// lowerNouns are words the language writes in lower case that names
	// made of them capitalise: the months ("Plaza de Mayo"). A closed
	// class, listed here as the particles are.
	lowerNouns map[string]bool
	// joiners are the prepositions that may join the words of a name
	// headed by no noun ("Juntos por el Cambio").
	joiners map[string]bool
}

// nameLanguages are the source languages whose capitals mark names. German
// capitalises every noun, so it is not among them.
var nameLanguages = map[string]*nameWords{
	"es": {
		particles: wordSet(`de la las los da das do dos di van von der den`),
		articles:  wordSet(`el la los las lo del al un una unos unas este esta estos estas ese esa esos esas aquel aquella su sus nuestro nuestra nuestros nuestras mi mis tu tus cuyo cuya algunos algunas varios varias muchos muchas otros otras todos todas ambos ambas cada otro otra`),
		openers: wordSet(`el la los las lo del al un una unos unas este esta estos estas ese esa esos esas aquel aquella aquello esto eso
			su sus mi mis nuestro nuestra nuestros nuestras tu tus a ante bajo con contra de desde durante en entre hacia hasta mediante para por
			según sin sobre tras y e o u ni pero sino que como cuando donde mientras aunque porque pues si no ya también tampoco además incluso
			hoy ayer mañana ahora luego después antes entonces así aquí allí allá sólo solo muy más menos tanto tan todo toda todos todas
			cada otro otra otros otras varios varias muchos muchas pocos pocas algunos algunas ningún ninguna alguien nadie quien quienes
			cual cuales qué quién cuál cómo dónde cuándo cuánto se me te le les nos os lo yo tú él ella ellos ellas usted ustedes nosotros
			hay fue es son era está están sí tal dicho dicha dichos dichas ambos ambas uno dos tres cuatro cinco seis siete ocho nueve diez
			primer primero primera segundo segunda último última sin embargo mismo misma`),
		conj:       wordSet(`y e`),
		definite:   wordSet(`el la los las`),
		lowerNouns: wordSet(`enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre`),
		joiners:    wordSet(`por`),
	},
	"pt": {
		particles: wordSet(`de da das do dos e van von`),
		articles:  wordSet(`o a os as do da dos das no na nos nas ao aos à às um uma uns umas este esta estes estas esse essa esses essas aquele aquela seu sua seus suas nosso nossa`),
		openers: wordSet(`o a os as do da dos das no na nos nas ao aos à às um uma uns umas este esta estes estas esse essa isso isto aquele aquela
			seu sua seus suas nosso nossa em de com por para sem sobre entre até desde segundo após durante contra e ou mas que como quando onde
			se não já também ainda hoje ontem amanhã agora depois antes então assim aqui ali mais menos muito todo toda todos todas cada outro outra
			ele ela eles elas eu nós você vocês há foi é são era está estão`),
		conj:     wordSet(`e`),
		definite: wordSet(`o a os as`),
	},
	"fr": {
		particles: wordSet(`de du des la le d' van von`),
		articles:  wordSet(`le la les l' un une des du au aux ce cet cette ces son sa ses notre nos leur leurs`),
		openers: wordSet(`le la les un une des du au aux ce cet cette ces son sa ses notre nos leur leurs en de dans avec pour par sans sur sous
			entre vers chez depuis selon après avant pendant contre et ou mais que qui comme quand où si ne pas déjà aussi encore aujourd'hui
			hier demain maintenant puis alors ainsi ici là plus moins très tout toute tous toutes chaque autre il elle ils elles je nous vous on
			c'est il y ce sont était est`),
		conj:     wordSet(`et`),
		definite: wordSet(`le la les`),
	},
	"it": {
		particles: wordSet(`de di del della dei degli da dal dalla van von`),
		articles:  wordSet(`il lo la i gli le l' un uno una del dello della dei degli delle al allo alla ai agli alle questo questa questi queste quel quella suo sua suoi sue nostro nostra`),
		openers: wordSet(`il lo la i gli le un uno una del della dei degli delle al alla ai questo questa questi queste quel quella suo sua suoi sue
			in di da con per tra fra su senza secondo dopo prima durante contro e o ma che come quando dove se non già anche ancora oggi ieri
			domani ora poi allora così qui lì più meno molto tutto tutta tutti tutte ogni altro altra lui lei loro io noi voi è sono era c'è`),
		conj:     wordSet(`e ed`),
		definite: wordSet(`il lo la i gli le`),
	},
	"ca": {
		particles: wordSet(`de del i la les els d'`),
		articles:  wordSet(`el la els les l' un una uns unes del dels al als aquest aquesta aquests aquestes aquell aquella seu seva seus seves`),
		openers: wordSet(`el la els les un una uns unes del dels al als aquest aquesta aquests aquestes aquell aquella seu seva seus seves
			a amb de des en per per a sense sobre entre fins segons després abans durant contra i o però que com quan on si no ja també encara
			avui ahir demà ara després llavors així aquí allà més menys molt tot tota tots totes cada altre altra ell ella ells elles jo nosaltres és són era`),
		conj:     wordSet(`i`),
		definite: wordSet(`el la els les`),
	},
}

// nameRun is a capitalised run found in a text.
type nameRun struct {
	start, end int
	// institution: the run follows an article (or is joined by "y" to
	// one that does), so the engine translates it.
	institution bool
	// opening: the run opens a sentence with a word that is no function
	// word, and may be a common word all the same ("Delante del
	// Parlamento"); rest is where the run starts without it (-1: nowhere),
	// restInstitution whether an article stood between.
	opening         bool
	firstEnd, rest  int
	restInstitution bool
	// lead is where the run starts with the capitalised article that
	// opened its sentence ("El Espectador conoció"; -1: none): the run with
	// it is a name when the text writes it so inside a sentence too.
	lead int
}

type word struct{ start, end int }

var reWord = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*`)

// findNameRuns returns the capitalised runs of s, a text in from.
func findNameRuns(s, from string) []nameRun {
	nw := nameLanguages[from]
	if nw == nil {
		return nil
	}
	loc := reWord.FindAllStringIndex(s, -1)
	if len(loc) == 0 {
		return nil
	}
	words := make([]word, len(loc))
	for i, l := range loc {
		words[i] = word{l[0], l[1]}
	}
	shouting := mostlyUpper(s)
	text := func(i int) string { return s[words[i].start:words[i].end] }
	lower := func(i int) string { return strings.ToLower(text(i)) }
	capital := func(i int) bool {
		w := text(i)
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		// In a text written in capitals, a word in capitals says nothing.
		return !shouting || !isAllUpper(w)
	}
	gap := func(i int) string { // what stands between word i-1 and word i
		if i == 0 {
			return s[:words[0].start]
		}
		return s[words[i-1].end:words[i].start]
	}
	// joined says whether words i-1 and i belong to one run: one space
	// between them, or an initial's full stop ("Josep M. Costa").
	joined := func(i int) bool {
		g := gap(i)
		if g == " " || g == "\u00a0" {
			return true
		}
		prev := text(i - 1)
		return (g == ". " || g == ".\u00a0") && utf8.RuneCountInString(prev) == 1 && unicode.IsUpper([]rune(prev)[0])
	}
	sentenceStart := func(i int) bool {
		if i == 0 {
			return true
		}
		if joined(i) {
			return false
		}
		// a line break, a sentence end, an opening quote, a dash or a
		// separator ("#Antártida | Nuevo récord") opens a sentence
		return strings.ContainsAny(gap(i), "\n.!?:;\"“«¿¡—–|•·")
	}
	var runs []nameRun
	lastEnd, lastInstitution := -2, false
	for i := 0; i < len(words); {
		if !capital(i) {
			i++
			continue
		}
		start, end := i, i
		for {
			k := end + 1
			if k >= len(words) || !joined(k) {
				break
			}
			if capital(k) {
				end = k
				continue
			}
			m := k
			for m < len(words) && m-k < 2 && nw.particles[text(m)] && !nw.conj[text(m)] && (m == k || joined(m)) {
				m++
			}
			// "Juan de la Fuente" is one name; in "Goop de Gwyneth Paltrow"
			// and "KSWB-TV de San Diego" the de joins two, but a word and a
			// name that opens with its article are one ("Río de La Plata";
			// "Palacio de Gobierno de La Paz" is an institution in a place).
			if m > k && m < len(words) && joined(m) && capital(m) &&
				(nw.definite[lower(m)] && end == start || !(m+1 < len(words) && joined(m+1) && capital(m+1))) {
				end = m
				continue
			}
			break
		}
		next := end + 1
		institution := false
		lead := -1
		if sentenceStart(start) {
			stripped := false
			for start <= end && nw.openers[lower(start)] {
				institution = nw.articles[lower(start)]
				lead = -1
				if institution && capital(start) {
					lead = words[start].start
				}
				start++
				stripped = true
			}
			for start <= end && !capital(start) { // particles after the stripped words
				start++
			}
			if start > end {
				i = next
				continue
			}
			if !stripped {
				r := nameRun{start: words[start].start, end: words[end].end, opening: true, firstEnd: words[start].end, rest: -1, lead: -1}
				k := start + 1
				for k <= end && !capital(k) {
					r.restInstitution = r.restInstitution || nw.articles[lower(k)]
					k++
				}
				if k <= end {
					r.rest = words[k].start
				}
				runs = append(runs, r)
				lastEnd, lastInstitution = end, false
				i = next
				continue
			}
		} else if start > 0 && joined(start) {
			prev := lower(start - 1)
			switch {
			case nw.articles[prev]:
				institution = true
			case nw.conj[prev] && lastEnd == start-2 && start == end:
				institution = lastInstitution
			}
		}
		if lead >= 0 && (start == 0 || !nw.articles[lower(start-1)] || words[start-1].start != lead) {
			lead = -1 // the article does not stand right before the run
		}
		runs = append(runs, nameRun{start: words[start].start, end: words[end].end, institution: institution, rest: -1, lead: lead})
		lastEnd, lastInstitution = end, institution
		i = next
	}
	return runs
}

// mostlyUpper says whether most letters of s are capitals (a headline in
// capitals, a shouted line).
func mostlyUpper(s string) bool {
	up, all := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return all > 0 && up*2 > all
}

func isAllUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func utf8First(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

func isUpperRune(r rune) bool { return unicode.IsUpper(r) }

// findNames returns the spans to protect as names in s, a text in p.From,
// with what each becomes: a country or region under its conventional name
// in p.To, any other name as written. Institutions are left out, and so
// are the runs kinds (from the engine's Lexicon) says the engine knows.
func findNames(s string, p Pair, kinds map[string]NameKind) []span {
	var spans []span
	regions := regionNames(p)
	nw := nameLanguages[p.From]
	runs := findNameRuns(s, p.From)
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		if i+1 < len(runs) && joinedByPreposition(s, nw, r, runs[i+1]) && kinds[s[r.start:runs[i+1].end]] == NameTitle {
			// "Juntos por el Cambio": a name headed by no noun.
			spans = append(spans, span{r.start, runs[i+1].end, s[r.start:runs[i+1].end]})
			i++
			continue
		}
		if r.lead >= 0 && kinds[s[r.lead:r.end]] == NameWritten {
			// "El Espectador conoció...", where the text wrote "acceso El
			// Espectador" inside a sentence too.
			spans = append(spans, span{r.lead, r.end, s[r.lead:r.end]})
			continue
		}
		if r.opening && r.firstEnd == r.end {
			// A lone capital opening a sentence says nothing, unless the
			// engine knows the word only as a person's name ("Moisés").
			if kinds[s[r.start:r.end]] == NamePerson {
				spans = append(spans, span{r.start, r.end, s[r.start:r.end]})
			}
			continue
		}
		if r.opening && kinds != nil {
			// "Delante del Parlamento": a common word opened the sentence.
			if k := kinds[s[r.start:r.firstEnd]]; k == NameCommon || k == NameInstitution {
				if r.rest < 0 {
					continue
				}
				r.start, r.institution = r.rest, r.restInstitution
			}
		}
		name := s[r.start:r.end]
		if conv, ok := regions[name]; ok && kinds[name] != NamePerson {
			spans = append(spans, span{r.start, r.end, conv})
			continue
		}
		if writtenAsName(name, nw) && kinds[name] != NameKnown {
			spans = append(spans, span{r.start, r.end, name})
			continue
		}
		if r.institution || engineName(kinds[name], name) {
			continue
		}
		spans = append(spans, span{r.start, r.end, name})
	}
	return spans
}

// writtenAsName says whether a run is written the way only names are:
// with a capitalised article inside a sentence ("La Voz de Galicia", "Río
// de La Plata", where one word and "de" stand before it; after a longer
// head it names the place of an institution: "Palacio de Gobierno de La
// Paz"), or with a word the language writes in lower case
// capitalised after a particle ("Plaza de Mayo", "Avenida 9 de Julio":
// streets and squares named after a date). An institution's name writes
// its articles and months in lower case ("la Corte Suprema de la Nación").
func writtenAsName(name string, nw *nameWords) bool {
	if nw == nil {
		return false
	}
	words := strings.Fields(name)
	for i, w := range words {
		if !isCapitalised(w) {
			continue
		}
		lw := strings.ToLower(w)
		if i == 0 && nw.definite[lw] && len(words) > 1 {
			return true
		}
		if i > 0 && !isCapitalised(words[i-1]) && nw.particles[words[i-1]] && (nw.definite[lw] && i == 2 || nw.lowerNouns[lw]) {
			return true
		}
	}
	return false
}

// joinedByPreposition says whether runs a and b of s stand apart only by
// one of the prepositions that join the words of a name ("Juntos por el
// Cambio"), with or without an article.
func joinedByPreposition(s string, nw *nameWords, a, b nameRun) bool {
	if nw == nil || len(nw.joiners) == 0 || b.start <= a.end {
		return false
	}
	gap := strings.Fields(s[a.end:b.start])
	if s[a.end] != ' ' || s[b.start-1] != ' ' || len(gap) == 0 || len(gap) > 2 || !nw.joiners[gap[0]] {
		return false
	}
	return len(gap) == 1 || nw.definite[gap[1]]
}

// nameCandidates are the runs of s findNames would keep as written, to
// ask a Lexicon about.
func nameCandidates(s string, p Pair) []string {
	var out []string
	for _, sp := range findNames(s, p, nil) {
		if sp.out == s[sp.start:sp.end] {
			out = append(out, sp.out)
		}
	}
	nw := nameLanguages[p.From]
	runs := findNameRuns(s, p.From)
	for i, r := range runs {
		if i+1 < len(runs) && joinedByPreposition(s, nw, r, runs[i+1]) {
			out = append(out, s[r.start:runs[i+1].end])
		}
		if r.opening && r.firstEnd == r.end {
			out = append(out, s[r.start:r.end])
		} else if r.opening {
			out = append(out, s[r.start:r.firstEnd])
			if r.rest >= 0 {
				out = append(out, s[r.rest:r.end])
			}
		}
	}
	return out
}

// engineName says whether the engine is better left a run of this kind:
// places it knows, institutions, and phrases of common words
// ("Inteligencia Artificial") and known words in capitals (VIH); a lone
// common word is a surname as often ("Castaño", "Gallego") and stays.
func engineName(k NameKind, name string) bool {
	switch k {
	case NameKnown, NameInstitution:
		return true
	case NameCommon:
		// a word in capitals the engine knows is an acronym (VIH) or shouted
		return strings.Contains(name, " ") || isAllUpper(name)
	}
	return false
}

// NameRuns returns the names of text, a text in lang, as protection finds
// them without an engine's dictionary: every capitalised run but
// institutions after an article and lone capitals opening a sentence. A
// translation should keep each as written or under its conventional name
// (see Service.ConventionalNames); newsdesk audit counts them.
func NameRuns(text, lang string) []string {
	var out []string
	for _, r := range findNameRuns(text, primaryLang(lang)) {
		if r.institution || r.opening && r.firstEnd == r.end {
			continue
		}
		out = append(out, text[r.start:r.end])
	}
	return out
}

func primaryLang(tag string) string {
	tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
	return tag
}
