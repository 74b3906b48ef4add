package story

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Member is one article of a story as the story page shows it.
type Member struct {
	ID       int64
	Title    string
	Text     string // in the site's language (the translation when there is one)
	Features Features
	// Original is the title and text as published, when Title and Text
	// are a translation: names are read and spelled from it, since a
	// machine translation may have translated them ("Punta Arenas" as
	// "Tip Sands").
	Original string
}

// Summary is what a story page leads with.
type Summary struct {
	// Lead is the article that best represents the story: the one most
	// similar to all the others. Its title is the story's headline.
	Lead     int64
	Headline string
	// Summary is the lead article's first sentences, at most about 60
	// words.
	Summary string
	// KeyNames are the names (people, places, organisations) the most
	// articles mention, in the capitalisation they are written in, most
	// mentioned first.
	KeyNames []string
}

// Summarize picks a story's headline, summary and key names from its
// articles. It is deterministic: ties go to the lower article ID.
func Summarize(members []Member, maxNames int) Summary {
	if len(members) == 0 {
		return Summary{}
	}
	// centrality: cosine of each member to the sum of the others, on term
	// counts weighted by how many members share the term
	df := map[string]int{}
	for _, m := range members {
		for t := range m.Features.Terms {
			df[t]++
		}
	}
	sum := map[string]float64{}
	vecs := make([]map[string]float64, len(members))
	for i, m := range members {
		v := map[string]float64{}
		var n float64
		for t, w := range m.Features.Terms {
			x := float64(w) * float64(df[t])
			v[t] = x
			n += x * x
		}
		n = math.Round(n*1e6) / 1e6
		if n > 0 {
			for t := range v {
				v[t] /= math.Sqrt(n)
			}
		}
		vecs[i] = v
		for t, x := range v {
			sum[t] += x
		}
	}
	best, bestScore := 0, -1.0
	for i, v := range vecs {
		// sum in a fixed order: map order would make near-ties flip
		keys := make([]string, 0, len(v))
		for t := range v {
			keys = append(keys, t)
		}
		sort.Strings(keys)
		var dot float64
		for _, t := range keys {
			x := v[t]
			dot += x * (sum[t] - x)
		}
		// a headline-less article cannot lead
		if strings.TrimSpace(members[i].Title) == "" {
			dot -= 1e9
		}
		if dot > bestScore || (dot == bestScore && members[i].ID < members[best].ID) {
			best, bestScore = i, dot
		}
	}
	lead := members[best]
	s := Summary{Lead: lead.ID, Headline: strings.TrimSpace(lead.Title), Summary: leadSentences(lead.Text, 60)}

	// key names: count articles naming each, keep the commonest spelling
	type nc struct {
		key   string
		n     int
		first int
	}
	count := map[string]*nc{}
	order := 0
	for _, m := range members {
		seen := map[string]bool{}
		for _, name := range m.Features.Names {
			if seen[name] {
				continue
			}
			seen[name] = true
			c := count[name]
			if c == nil {
				c = &nc{key: name, first: order}
				order++
				count[name] = c
			}
			c.n++
		}
	}
	all := make([]*nc, 0, len(count))
	for _, c := range count {
		all = append(all, c)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		// longer names first ("lindsay lohan" before "lohan")
		if li, lj := len(all[i].key), len(all[j].key); li != lj {
			return li > lj
		}
		return all[i].first < all[j].first
	})
	texts := make([]string, 0, len(members))
	for _, m := range members {
		if m.Original != "" {
			texts = append(texts, m.Original)
			continue
		}
		texts = append(texts, m.Title+"\n"+m.Text)
	}
	var picked []string
	for _, c := range all {
		if len(picked) == maxNames {
			break
		}
		// skip a name that is part of one already picked ("lohan" after
		// "lindsay lohan")
		dup := false
		for _, p := range picked {
			if strings.Contains(" "+strings.ToLower(p)+" ", " "+c.key+" ") {
				dup = true
				break
			}
		}
		if dup || (c.n < 2 && len(members) > 2) {
			continue
		}
		if spelled := spelling(c.key, texts); spelled != "" {
			picked = append(picked, spelled)
		}
	}
	s.KeyNames = picked
	return s
}

// spelling finds how a folded name is written in the texts.
func spelling(key string, texts []string) string {
	words := strings.Fields(key)
	for _, t := range texts {
		toks := tokenize(t)
		for i := 0; i+len(words) <= len(toks); i++ {
			ok := true
			for j, w := range words {
				if fold(toks[i+j].text) != w {
					ok = false
					break
				}
			}
			if ok {
				parts := make([]string, len(words))
				for j := range words {
					parts[j] = toks[i+j].text
				}
				return strings.Join(parts, " ")
			}
		}
	}
	return ""
}

// leadSentences returns the first sentences of text, up to about max
// words, skipping lines too short to be prose (datelines, bylines).
func leadSentences(text string, max int) string {
	var out []string
	words := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if len(strings.Fields(line)) < 6 {
			continue
		}
		for _, sent := range splitSentences(line) {
			n := len(strings.Fields(sent))
			if words > 0 && words+n > max {
				return strings.Join(out, " ")
			}
			out = append(out, sent)
			words += n
			if words >= max {
				return strings.Join(out, " ")
			}
		}
	}
	return strings.Join(out, " ")
}

// titleAbbrevs are short forms of titles and months (English and
// Spanish) that stand before a name or a number mid-sentence.
var titleAbbrevs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`mr mrs ms dr prof rep reps sen sens gov gen lt col maj capt cmdr adm sgt
		st sr sra srta dra jr rev hon pres supt insp det no nos vol jan feb mar apr jun jul aug sep sept oct nov dec
		ene abr ago dic`) {
		m[w] = true
	}
	return m
}()

func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != '!' && s[i] != '?' {
			continue
		}
		if i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		// "Mr. Smith", "U.S. officials": a one- or two-letter word before
		// the dot does not end a sentence
		j := i
		for j > start && s[j-1] != ' ' {
			j--
		}
		if w := s[j:i]; len(w) <= 2 && s[i] == '.' && (len(w) == 0 || unicode.IsUpper(rune(w[0]))) {
			continue
		}
		// nor does a title or a month written short before a name or a
		// number: "Rep. Ilhan Omar", "Gen. Milley", "Jan. 6"
		if w := strings.ToLower(s[j:i]); s[i] == '.' && titleAbbrevs[w] && i+2 < len(s) {
			if r := rune(s[i+2]); unicode.IsUpper(r) || unicode.IsDigit(r) {
				continue
			}
		}
		out = append(out, strings.TrimSpace(s[start:i+1]))
		start = i + 1
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
