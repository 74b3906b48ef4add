package enrich

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/newsdesk/newsdesk/internal/charset"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Key returns the linking key of a name: lower case, accents dropped,
// words joined by hyphens ("Andrés Manuel López Obrador" ->
// "andres-manuel-lopez-obrador"). The same name gives the same key in every
// article.
func Key(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r) || charset.Invisible(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return b.String()
}

// mention is one place a name occurs in the document.
type mention struct {
	from, to int // token range [from, to)
	start    int // byte offsets in the document
	end      int
	name     string
	kind     news.EntityKind // "" until classified
	role     string
	weak     bool // one word, at a sentence start or unexplained: kept only if it matches an entity
	ent      *entity
}

// entity gathers an entity's mentions while the document is read.
type entity struct {
	kind     news.EntityKind
	name     string
	words    []string // lower-case significant words of name
	aliases  []string
	roles    []string
	mentions []*mention
}

func (e *entity) addRole(r string) {
	r = strings.TrimSpace(r)
	if r == "" {
		return
	}
	for _, have := range e.roles {
		if strings.EqualFold(have, r) {
			return
		}
	}
	e.roles = append(e.roles, r)
}

func (e *entity) addAlias(a string) {
	if a == e.name {
		return
	}
	for _, have := range e.aliases {
		if have == a {
			return
		}
	}
	e.aliases = append(e.aliases, a)
}

// significant returns the lower-case words of a name without connectors.
func significant(toks []token) []string {
	var out []string
	for _, t := range toks {
		if t.word && !connectors[t.lower] {
			out = append(out, t.lower)
		}
	}
	return out
}

// capRuns finds the runs of capitalised words, joined by single spaces and
// connectors ("Secretary of State Antony Blinken", "Luisa María Alcalde").
func capRuns(toks []token) [][2]int {
	var runs [][2]int
	for k := 0; k < len(toks); k++ {
		if !isNameWord(toks[k]) {
			continue
		}
		end := k + 1
		for end < len(toks) {
			// a middle initial: "Sonya A. Zoghlin", "Robert F. Kennedy"
			if initial(toks[end-1]) && toks[end].s == "." && end+1 < len(toks) && toks[end].spaceAfter && isNameWord(toks[end+1]) {
				end += 2
				continue
			}
			if !toks[end-1].spaceAfter {
				break
			}
			if isNameWord(toks[end]) {
				end++
				continue
			}
			// connectors, then a capitalised word
			j := end
			for j < len(toks) && j-end < 3 && toks[j].word && connectors[toks[j].lower] && !toks[j].cap && toks[j-1].spaceAfter {
				j++
			}
			if j > end && j < len(toks) && toks[j-1].spaceAfter && isNameWord(toks[j]) {
				end = j + 1
				continue
			}
			break
		}
		runs = append(runs, [2]int{k, end})
		k = end - 1
	}
	return runs
}

func initial(t token) bool {
	return t.word && t.cap && len(t.s) == 1
}

func isNameWord(t token) bool {
	if !t.word || !(t.cap || t.upper) {
		return false
	}
	r := []rune(t.s)[0]
	return unicode.IsLetter(r)
}

// findMentions turns capitalised runs into classified mentions, reading
// roles from inside the run ("President Joe Biden"), before it ("the US
// Secretary of State, Antony Blinken") and after it ("Alicia Bárcena,
// canciller mexicana,").
func findMentions(doc string, toks []token) []*mention {
	// Words the text also writes in lower case are common words when they
	// open a sentence ("Tanto", "Cerca de Daer").
	common := map[string]bool{}
	for _, t := range toks {
		if t.word && !t.cap && !t.upper {
			common[t.lower] = true
		}
	}
	var out []*mention
	for _, run := range capRuns(toks) {
		from, to := run[0], run[1]
		for from < to && toks[from].sentStart && common[toks[from].lower] {
			from++
		}
		if to-from >= 2 && allUpper(toks[from:to]) {
			continue // a heading in capitals, not a name
		}
		for _, part := range splitRun(toks, from, to) {
			out = append(out, classifyRun(doc, toks, part[0], part[1], common)...)
		}
	}
	return out
}

func allUpper(toks []token) bool {
	for _, t := range toks {
		if t.word && !t.upper && !connectors[t.lower] {
			return false
		}
	}
	return true
}

// splitRun trims function words from a run's ends and splits it at "and"
// and "y" unless it names an organisation ("Customs and Border
// Protection").
func splitRun(toks []token, from, to int) [][2]int {
	for from < to && (capitalisedFunctionWords[toks[from].lower] || connectors[toks[from].lower]) {
		from++
	}
	for to > from && (connectors[toks[to-1].lower] || capitalisedFunctionWords[toks[to-1].lower]) {
		to-- // "Twitter Tuesday", "Madrid el"
	}
	if from >= to {
		return nil
	}
	org := false
	for k := from; k < to; k++ {
		if orgHeads[toks[k].lower] {
			org = true
		}
	}
	if !org {
		for k := from; k < to; k++ {
			if l := toks[k].lower; (l == "and" || l == "y" || l == "e") && !toks[k].cap {
				return append(splitRun(toks, from, k), splitRun(toks, k+1, to)...)
			}
		}
	}
	return [][2]int{{from, to}}
}

func spanText(doc string, toks []token, from, to int) string {
	return doc[toks[from].start:toks[to-1].end]
}

// classifyRun makes the mentions of one run.
func classifyRun(doc string, toks []token, from, to int, common map[string]bool) []*mention {
	// The object of a lower-case office before it ("secretario de
	// Seguridad Nacional", "secretario de Estado de Estados Unidos") is
	// part of the role, not an entity: drop its institution words.
	k := from - 1
	for k >= 0 && toks[k].word && roleConnectors[toks[k].lower] && toks[k].spaceAfter {
		k--
	}
	if k > 0 && k < from-1 && toks[k].word && !toks[k].cap && roleHeads[toks[k-1].lower] && !unitStop[toks[k].lower] {
		k-- // "asesora presidencial de Seguridad Nacional"
	}
	if k >= 0 && k < from-1 && toks[k].word && roleHeads[toks[k].lower] && !toks[k].cap {
		start := from
		for from < to && (institutionWords[toks[from].lower] || connectors[toks[from].lower]) {
			from++
		}
		if from >= to {
			return nil
		}
		if from == start {
			// "líder de Acción Humanista", "presidente de Chile": what
			// the office is of, an organisation or a place.
			return []*mention{roleObject(doc, toks, from, to)}
		}
	}
	// A role inside the run: "President Joe Biden", "Secretary of State
	// Antony Blinken", "US Secretary of State" (no name: a role alone).
	for h := from; h < to; h++ {
		if !roleHeads[toks[h].lower] || toks[h].upper && len(toks[h].s) > 3 {
			continue
		}
		k := h + 1
		for k < to && (connectors[toks[k].lower] || institutionWords[toks[k].lower] || roleHeads[toks[k].lower]) {
			k++
		}
		for k < to && connectors[toks[k].lower] {
			k++
		}
		if k >= to {
			if h == to-1 && h-from >= 2 {
				break // "Luisa María Alcalde": a surname, not an office
			}
			return nil // a role without a name
		}
		for j := k; j < to; j++ {
			if orgHeads[toks[j].lower] || placeHeads[toks[j].lower] {
				// "Coordinadora de Industrias de Productos Alimenticios":
				// what the office is of.
				return []*mention{roleObject(doc, toks, k, to)}
			}
		}
		if k == h+1 || to-k >= 2 {
			m := &mention{from: k, to: to, kind: news.EntityPerson}
			m.start, m.end, m.name = toks[k].start, toks[to-1].end, spanText(doc, toks, k, to)
			m.role = strings.TrimSuffix(spanText(doc, toks, from, k), ",")
			if to-k == 1 {
				m.weak = false // "President Biden": the role vouches for the name
			}
			trimRoleArticle(m)
			return []*mention{m}
		}
		return nil
	}
	m := &mention{from: from, to: to}
	m.start, m.end, m.name = toks[from].start, toks[to-1].end, spanText(doc, toks, from, to)
	words := to - from
	sig := significant(toks[from:to])
	hasOrg, hasPlace, hasInst := false, false, false
	for k := from; k < to; k++ {
		l := toks[k].lower
		hasOrg = hasOrg || orgHeads[l]
		hasPlace = hasPlace || placeHeads[l]
		hasInst = hasInst || institutionWords[l]
	}
	prev := ""
	if from > 0 && toks[from-1].word {
		prev = toks[from-1].lower
	}
	// "Government of Joe Biden", "Gobierno de Joe Biden": the person.
	if hasOrg && words >= 4 && governments[toks[from].lower] && (toks[from+1].lower == "of" || toks[from+1].lower == "de") {
		tail := significant(toks[from+2 : to])
		plain := len(tail) >= 2 && len(tail) <= 3 && !common[tail[0]]
		for _, w := range tail {
			plain = plain && !orgHeads[w] && !placeHeads[w] && !institutionWords[w]
		}
		if plain {
			p := &mention{from: from + 2, to: to, kind: news.EntityPerson}
			p.start, p.end, p.name = toks[from+2].start, toks[to-1].end, spanText(doc, toks, from+2, to)
			return []*mention{p}
		}
	}
	// "la Carta Magna", "la nueva Carta Magna", "el Código Procesal
	// Penal": a name with an article before it is a thing or an
	// institution, never a person.
	det := determiners[prev] || prev == "del" || prev == "al"
	if !det && from >= 2 && prev != "" && !toks[from-1].cap && !roleHeads[prev] {
		p2 := toks[from-2].lower
		det = determiners[p2] || p2 == "del" || p2 == "al"
	}
	if len(sig) >= 2 && det {
		switch {
		case hasOrg:
			m.kind = news.EntityOrg
		case hasPlace:
			m.kind = news.EntityPlace
		default:
			return nil
		}
		return []*mention{m}
	}
	switch {
	case hasOrg && !(hasPlace && placeHeads[toks[to-1].lower]):
		m.kind = news.EntityOrg
	case hasPlace:
		m.kind = news.EntityPlace
	case words == 1 && toks[from].upper:
		m.kind = news.EntityOrg // an acronym, unless it is a person's initials
		m.weak = len([]rune(toks[from].s)) < 3 || strings.Contains(toks[from].s, ".")
	case len(sig) >= 2 && placeModifiers[toks[from].lower]:
		m.kind = news.EntityPlace
	case placePrepositions[prev] && (len(sig) == 1 || strongPlacePrepositions[prev]) && len(sig) <= 3:
		m.kind = news.EntityPlace
	case len(sig) >= 2 && hasAcronym(toks[from:to]):
		m.kind = news.EntityOrg
	case len(sig) >= 2 && !hasInst && common[sig[0]]:
		// "Normas Transitorias", "Sistema Político": the text also
		// writes its first word in lower case, so it is no given name.
		return nil
	case len(sig) >= 2 && !hasInst:
		m.kind = news.EntityPerson
	case len(sig) >= 2:
		m.kind = news.EntityOrg
	}
	if len(sig) <= 1 {
		// One word: a surname, initials, a place after "in"... decided
		// once the fuller names are known.
		m.weak = true
		if len(sig) == 1 && (placeHeads[sig[0]] || orgHeads[sig[0]]) {
			return nil // "Estado", "Gobierno" alone
		}
	}
	return []*mention{m}
}

func trimRoleArticle(m *mention) {
	r := strings.TrimSpace(m.role)
	for {
		first, rest, ok := strings.Cut(r, " ")
		if !ok || !capitalisedFunctionWords[strings.ToLower(first)] || roleHeads[strings.ToLower(first)] {
			break
		}
		r = rest
	}
	m.role = r
}

// roleBefore reads a role that stands just before a name: "the US
// Secretary of State, Antony Blinken", "el canciller mexicano, Alicia
// Bárcena", "Mexico's Minister of Foreign Affairs Alicia Bárcena".
func roleBefore(doc string, toks []token, from int) string {
	k := from - 1
	if k >= 0 && toks[k].s == "," {
		k--
	}
	end := k + 1
	lowerSeen := 0
	head := -1
	for ; k >= 0 && from-k <= 9; k-- {
		t := toks[k]
		if !t.spaceAfter {
			break
		}
		if !t.word {
			if (t.s == "’" || t.s == "'") && head >= 0 {
				continue
			}
			break
		}
		if roleHeads[t.lower] && !t.upper {
			head = k
			continue
		}
		if t.cap || roleConnectors[t.lower] || roleModifiers[t.lower] || institutionWords[t.lower] || t.lower == "s" {
			if head >= 0 && !t.cap && !roleModifiers[t.lower] {
				break
			}
			continue
		}
		// one lower-case adjective after the head ("canciller mexicano")
		if head < 0 && lowerSeen == 0 && !speechVerbs[t.lower] && !unitStop[t.lower] {
			lowerSeen++
			continue
		}
		break
	}
	if head < 0 {
		return ""
	}
	start := k + 1
	for start < head && (determiners[toks[start].lower] || roleConnectors[toks[start].lower]) {
		start++
	}
	if start >= end {
		return ""
	}
	return strings.TrimSpace(doc[toks[start].start:toks[end-1].end])
}

// roleAfter reads an apposition after a name: "Antony Blinken, the US
// Secretary of State," "Alicia Bárcena, canciller mexicana, dijo".
func roleAfter(doc string, toks []token, to int) string {
	if to >= len(toks) || toks[to].s != "," {
		return ""
	}
	k := to + 1
	for k < len(toks) && toks[k].word && determiners[toks[k].lower] && k-to <= 2 {
		k++
	}
	if k < len(toks) && conjunctions[toks[k].lower] {
		return ""
	}
	start := k
	head := -1
	for ; k < len(toks) && toks[k].word && k-start < 9; k++ {
		if roleHeads[toks[k].lower] && !toks[k].upper {
			head = k
		}
		if speechVerbs[toks[k].lower] {
			break
		}
		if head < 0 && k-start >= 3 {
			return ""
		}
	}
	if head < 0 || start >= k {
		return ""
	}
	if k < len(toks) && toks[k].word {
		return "" // the phrase runs on: not an apposition
	}
	return strings.TrimSpace(doc[toks[start].start:toks[k-1].end])
}

// resolve groups mentions into entities: the fullest name of a person
// takes its shorter forms ("López Obrador") and initials ("AMLO");
// organisations and places group by key.
func resolve(doc string, toks []token, ms []*mention) []*entity {
	var ents []*entity
	byKey := map[string]*entity{}
	persons := []*mention{}
	for _, m := range ms {
		if m.kind == news.EntityPerson && !m.weak {
			persons = append(persons, m)
		}
	}
	sort.SliceStable(persons, func(i, j int) bool {
		return len(significant(toks[persons[i].from:persons[i].to])) > len(significant(toks[persons[j].from:persons[j].to]))
	})
	for _, m := range persons {
		words := significant(toks[m.from:m.to])
		found := personFor(ents, words, m.start)
		if found == nil {
			found = &entity{kind: news.EntityPerson, name: m.name, words: words}
			ents = append(ents, found)
			byKey[Key(m.name)] = found
		}
		attach(found, m)
	}
	// Organisations and places by key.
	for _, m := range ms {
		if m.weak || m.ent != nil || m.kind == "" || m.kind == news.EntityPerson {
			continue
		}
		if m.kind == news.EntityOrg && m.to-m.from == 1 && toks[m.from].upper {
			if p := byInitials(ents, toks[m.from].s); p != nil {
				attach(p, m)
				continue
			}
			// "Customs and Border Protection (CBP)"
			if m.from >= 2 && toks[m.from-1].s == "(" && m.to < len(toks) && toks[m.to].s == ")" {
				if prev := mentionEndingAt(ms, m.from-2); prev != nil && prev.ent != nil && prev.ent.kind == news.EntityOrg {
					attach(prev.ent, m)
					byKey[Key(m.name)] = prev.ent
					continue
				}
			}
		}
		key := Key(m.name)
		e := byKey[key]
		if e == nil {
			e = &entity{kind: m.kind, name: m.name, words: significant(toks[m.from:m.to])}
			ents = append(ents, e)
			byKey[key] = e
		}
		attach(e, m)
	}
	// Single words: a surname, initials, or a name seen whole elsewhere.
	for _, m := range ms {
		if m.ent != nil {
			continue
		}
		words := significant(toks[m.from:m.to])
		if len(words) == 0 {
			continue
		}
		if e := byKey[Key(m.name)]; e != nil {
			attach(e, m)
			continue
		}
		if toks[m.from].upper {
			if p := byInitials(ents, toks[m.from].s); p != nil {
				attach(p, m)
				continue
			}
			// "Customs and Border Protection (CBP)"
			if m.from >= 2 && toks[m.from-1].s == "(" && m.to < len(toks) && toks[m.to].s == ")" {
				if prev := mentionEndingAt(ms, m.from-2); prev != nil && prev.ent != nil && prev.ent.kind == news.EntityOrg {
					attach(prev.ent, m)
					byKey[Key(m.name)] = prev.ent
					continue
				}
			}
		}
		if found := personFor(ents, words, m.start); found != nil {
			attach(found, m)
			continue
		}
		if m.kind == news.EntityPlace || m.kind == news.EntityOrg && toks[m.from].upper && len([]rune(toks[m.from].s)) >= 3 && !strings.Contains(toks[m.from].s, ".") {
			e := &entity{kind: m.kind, name: m.name, words: words}
			ents = append(ents, e)
			byKey[Key(m.name)] = e
			attach(e, m)
			continue
		}
		prev := ""
		if m.from > 0 {
			prev = toks[m.from-1].lower
		}
		if placePrepositions[prev] && !toks[m.from].sentStart {
			e := &entity{kind: news.EntityPlace, name: m.name, words: words}
			ents = append(ents, e)
			byKey[Key(m.name)] = e
			attach(e, m)
		}
	}
	// Roles around person mentions.
	for _, m := range ms {
		if m.ent == nil || m.ent.kind != news.EntityPerson {
			continue
		}
		if m.role != "" {
			m.ent.addRole(m.role)
			continue
		}
		if r := roleBefore(doc, toks, m.from); r != "" {
			m.role = r
		} else if r := roleAfter(doc, toks, m.to); r != "" {
			m.role = r
		}
		m.ent.addRole(m.role)
	}
	// Lists that name the office once: "el secretario de la Defensa
	// Nacional, Luis Crescencio Sandoval; de Marina, Rafael Ojeda Durán".
	for i, m := range ms {
		if m.ent == nil || m.ent.kind != news.EntityPerson || m.role != "" {
			continue
		}
		if r := listRole(doc, toks, ms[:i], m); r != "" {
			m.role = r
			m.ent.addRole(r)
		}
	}
	return ents
}

// listRole reads "; [la de|that of the] Marina, NAME" after a person whose
// role names the office: the role is that office's head with the new
// object ("secretario de Marina").
func listRole(doc string, toks []token, before []*mention, m *mention) string {
	k := m.from - 1
	if k < 1 || toks[k].s != "," {
		return ""
	}
	objEnd := k
	k--
	for k >= 0 && toks[k].word && (toks[k].cap || institutionWords[toks[k].lower]) && objEnd-k <= 3 {
		k--
	}
	objStart := k + 1
	if objStart >= objEnd {
		return ""
	}
	for k >= 0 && toks[k].word && (roleConnectors[toks[k].lower] || determiners[toks[k].lower] || toks[k].lower == "that") && objStart-k <= 4 {
		k--
	}
	if k < 0 || toks[k].s != ";" {
		return ""
	}
	for j := len(before) - 1; j >= 0; j-- {
		p := before[j]
		if p.ent == nil || p.ent.kind != news.EntityPerson || p.role == "" {
			continue
		}
		if strings.Contains(doc[p.end:toks[objStart].start], ".") {
			return ""
		}
		rt := tokenize(p.role)
		for h, t := range rt {
			if roleHeads[t.lower] {
				conn := " of "
				if h+1 < len(rt) && (rt[h+1].lower == "de" || rt[h+1].lower == "del") {
					conn = " de "
				}
				return p.role[:t.end] + conn + doc[toks[objStart].start:toks[objEnd-1].end]
			}
		}
		return ""
	}
	return ""
}

func attach(e *entity, m *mention) {
	m.ent = e
	if m.kind == news.EntityPerson && len(m.name) > len(e.name) && e.kind == news.EntityPerson {
		e.addAlias(e.name)
		e.name = m.name
	}
	e.addAlias(m.name)
	e.mentions = append(e.mentions, m)
}

// suffixOf reports whether short is the end of long ("lópez obrador" of
// "andrés manuel lópez obrador"), or one of its words when short is one
// word (a surname or a first name used alone).
func suffixOf(short, long []string) bool {
	if len(short) == 0 || len(short) > len(long) {
		return false
	}
	if len(short) == 1 {
		for _, w := range long {
			if w == short[0] {
				return true
			}
		}
		return false
	}
	off := len(long) - len(short)
	for i, w := range short {
		if long[off+i] != w {
			return false
		}
	}
	return true
}

// byInitials finds the person whose initials are acr ("AMLO").
func byInitials(ents []*entity, acr string) *entity {
	acr = strings.ToLower(strings.ReplaceAll(acr, ".", ""))
	if len(acr) < 2 {
		return nil
	}
	for _, e := range ents {
		if e.kind != news.EntityPerson || len(e.words) != len([]rune(acr)) {
			continue
		}
		var b strings.Builder
		for _, w := range e.words {
			b.WriteRune([]rune(w)[0])
		}
		if Key(b.String()) == Key(acr) {
			return e
		}
	}
	return nil
}

func mentionEndingAt(ms []*mention, tok int) *mention {
	for _, m := range ms {
		if m.to-1 == tok {
			return m
		}
	}
	return nil
}

func hasAcronym(toks []token) bool {
	for _, t := range toks {
		if t.upper && len(t.s) >= 2 {
			return true
		}
	}
	return false
}

// roleObject is the mention of what an office is of.
func roleObject(doc string, toks []token, from, to int) *mention {
	m := &mention{from: from, to: to, kind: news.EntityOrg}
	m.start, m.end, m.name = toks[from].start, toks[to-1].end, spanText(doc, toks, from, to)
	hasOrg := false
	for k := from; k < to; k++ {
		hasOrg = hasOrg || orgHeads[toks[k].lower]
		if placeHeads[toks[k].lower] {
			m.kind = news.EntityPlace
		}
	}
	if hasOrg {
		m.kind = news.EntityOrg
	}
	if len(significant(toks[from:to])) == 1 {
		m.weak = true
		if !hasOrg && !toks[from].upper {
			m.kind = news.EntityPlace // "presidente de Chile"
		}
	}
	return m
}

// personFor finds the person a short form names ("Biden"): of the people
// it fits, the one named last before it, else the first.
func personFor(ents []*entity, words []string, at int) *entity {
	var first, best *entity
	bestAt := -1
	for _, e := range ents {
		if e.kind != news.EntityPerson || !suffixOf(words, e.words) {
			continue
		}
		if first == nil {
			first = e
		}
		for _, m := range e.mentions {
			if m.start < at && m.start > bestAt {
				best, bestAt = e, m.start
			}
		}
	}
	if best != nil {
		return best
	}
	return first
}
