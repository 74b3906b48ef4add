package enrich

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
)

var (
	numberRe = regexp.MustCompile(`(?i)^(\d+(?:[.,]\d+)*)(\s*(?:%|por\s+ciento|per\s*cent\b|percent\b))?(\s+(?:mil\s+millones|millones|millón|millon|millions?|billions?|billones|billón|thousand|mil)\b)?`)

	monthAlt = `(?:january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)`
	yearOpt  = `(?:,?\s+(?:of\s+|de\s+|del\s+)?\d{4})?`
	periodRe = regexp.MustCompile(`(?i)\b(?:` +
		`(?:from|between|entre|de|desde)\s+` + monthAlt + yearOpt + `\s+(?:to|and|until|through|y|a|al|hasta)\s+` + monthAlt + yearOpt +
		`|(?:in|during|since|by|en|durante|desde|hasta)\s+(?:(?:early|late|mid|principios\s+de|finales\s+de|mediados\s+de)\s+)?(?:` + monthAlt + yearOpt + `|\d{4})` +
		`|(?:so\s+far\s+this|this|last|next|past)\s+(?:year|month|week)` +
		`|(?:en\s+lo\s+que\s+va\s+del|este|el\s+último|el\s+pasado|del|el)\s+(?:año|mes)(?:\s+pasado)?` +
		`|(?:per|a|each)\s+(?:year|month|day|week)` +
		`|(?:al|por|cada)\s+(?:año|mes|día|semana)` +
		`|daily|annually|anualmente|diariamente)\b`)
)

var scales = map[string]float64{
	"thousand": 1e3, "mil": 1e3, "million": 1e6, "millions": 1e6, "millones": 1e6, "millón": 1e6, "millon": 1e6,
	"billion": 1e9, "billions": 1e9, "mil millones": 1e9, "billones": 1e12, "billón": 1e12,
}

var currencies = map[string]string{"$": "dollars", "us$": "dollars", "€": "euros", "£": "pounds", "s/": "soles", "s/.": "soles"}

// findFigures reads the numbers of the text with what they count, the
// qualifier before them and the period they cover. Years, dates, times and
// numbers inside words (COVID-19) are not figures.
func findFigures(doc string, from int) []news.Figure {
	var out []news.Figure
	for i := from; i < len(doc); i++ {
		if doc[i] < '0' || doc[i] > '9' || i > from && doc[i-1] >= '0' && doc[i-1] <= '9' {
			continue
		}
		m := numberRe.FindStringSubmatchIndex(doc[i:min(len(doc), i+48)])
		if m == nil {
			continue
		}
		// loc as if the currency were group 1 of one expression
		loc := make([]int, 10)
		loc[0], loc[1], loc[2], loc[3] = i, i+m[1], -1, -1
		for g := 1; g <= 3; g++ {
			loc[2*g+2], loc[2*g+3] = -1, -1
			if m[2*g] >= 0 {
				loc[2*g+2], loc[2*g+3] = i+m[2*g], i+m[2*g+1]
			}
		}
		if c, at := currencyBefore(doc[from:i]); c != "" {
			loc[0], loc[2], loc[3] = from+at, from+at, from+at+len(c)
		}
		i = loc[1] - 1
		start, end := loc[0], loc[1]
		cur := strings.TrimSpace(sub(doc, loc, 1))
		num := sub(doc, loc, 2)
		pct := sub(doc, loc, 3)
		scale := strings.ToLower(strings.Join(strings.Fields(sub(doc, loc, 4)), " "))
		if start > 0 {
			r, _ := utf8.DecodeLastRuneInString(doc[:start])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == ':' || r == '/' || (r == '.' && cur == "") {
				continue
			}
		}
		if end < len(doc) {
			r, _ := utf8.DecodeRuneInString(doc[end:])
			if unicode.IsLetter(r) || r == ':' && end+1 < len(doc) && doc[end+1] >= '0' && doc[end+1] <= '9' {
				continue
			}
		}
		if cur == "" && pct == "" && scale == "" {
			if len(num) == 4 && !strings.ContainsAny(num, ".,") && num >= "1800" && num <= "2100" {
				continue // a year
			}
			if nextToMonth(doc, start, end) {
				continue // a date
			}
		}
		v, ok := parseNumber(num)
		if !ok {
			continue
		}
		if f, ok := scales[scale]; ok {
			v *= f
		}
		fig := news.Figure{Value: v}
		unitEnd := end
		switch {
		case pct != "":
			fig.Unit = "%"
		case cur != "":
			fig.Unit = currencies[strings.ToLower(strings.TrimSpace(cur))]
		}
		if fig.Unit == "" || cur != "" {
			if u, e := unitAfter(doc, end); u != "" {
				if fig.Unit == "" {
					fig.Unit = u
				}
				unitEnd = e
			}
		}
		if fig.Unit == "" {
			continue // a number without what it counts: a code, a phone number, a page
		}
		qs := start
		if q, at := qualifierBefore(doc, start); q != "" {
			fig.Qualifier, qs = q, at
		}
		stop := unitEnd
		if p := periodAfter(doc, unitEnd); p[1] > 0 {
			fig.Period = doc[p[0]:p[1]]
			stop = p[1]
		}
		fig.Span = news.Span{Start: qs, End: stop}
		fig.Text = doc[qs:stop]
		out = append(out, fig)
	}
	return out
}

func sub(doc string, loc []int, i int) string {
	if loc[2*i] < 0 {
		return ""
	}
	return doc[loc[2*i]:loc[2*i+1]]
}

// parseNumber reads 2.2, 2,2, 6,000, 6.000, 1.500.000 and 1,500.75: a
// separator followed by exactly three digits groups thousands unless the
// other separator comes after it.
func parseNumber(s string) (float64, bool) {
	lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	dec := -1
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = max(lastDot, lastComma)
	case lastDot >= 0 || lastComma >= 0:
		p := max(lastDot, lastComma)
		sep := string(s[p])
		if strings.Count(s, sep) == 1 && (len(s)-p-1 != 3 || s[:p] == "0") {
			dec = p
		}
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case i == dec:
			b.WriteByte('.')
		}
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	return v, err == nil
}

func nextToMonth(doc string, start, end int) bool {
	before := strings.Fields(strings.ToLower(doc[max(0, start-14):start]))
	if len(before) > 0 && months[strings.Trim(before[len(before)-1], ".,")] {
		return true
	}
	after := strings.Fields(strings.ToLower(doc[end:min(len(doc), end+16)]))
	if len(after) > 0 && (after[0] == "de" || after[0] == "of") {
		after = after[1:]
	}
	return len(after) > 0 && months[strings.Trim(after[0], ".,")]
}

// unitAfter returns what a number counts: the next lower-case word, past
// "de"/"of" ("2,2 millones de migrantes").
func unitAfter(doc string, at int) (string, int) {
	rest := doc[at:]
	i := 0
	for w := 0; w < 2; w++ {
		j := i
		for j < len(rest) && rest[j] == ' ' {
			j++
		}
		k := j
		for k < len(rest) {
			r, n := utf8.DecodeRuneInString(rest[k:])
			if !unicode.IsLetter(r) && r != '-' {
				break
			}
			k += n
		}
		if k == j || j == i && i > 0 {
			return "", at
		}
		word := rest[j:k]
		first, _ := utf8.DecodeRuneInString(word)
		lw := strings.ToLower(word)
		if w == 0 && (lw == "de" || lw == "of") {
			i = k
			continue
		}
		if !unicode.IsLower(first) || unitStop[lw] || months[lw] || speechVerbs[lw] {
			return "", at
		}
		return word, at + k
	}
	return "", at
}

// qualifierBefore returns the qualifier that ends just before at and
// where it starts.
func qualifierBefore(doc string, at int) (string, int) {
	before := doc[:at]
	if !strings.HasSuffix(before, " ") {
		return "", at
	}
	before = before[:len(before)-1]
	best := ""
	for _, q := range qualifiers {
		if len(q) <= len(best) || len(before) < len(q) || !strings.EqualFold(before[len(before)-len(q):], q) {
			continue
		}
		p := len(before) - len(q)
		if p > 0 {
			r, _ := utf8.DecodeLastRuneInString(before[:p])
			if unicode.IsLetter(r) {
				continue
			}
		}
		best = before[p:]
	}
	return best, len(before) - len(best)
}

// periodAfter finds a period in the rest of the clause after at.
func periodAfter(doc string, at int) [2]int {
	rest := doc[at:min(len(doc), at+90)]
	if i := strings.Index(rest, ", "); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.IndexAny(rest, ".;:!?\n"); i >= 0 {
		// a dot inside a number does not end the clause
		for i >= 0 && rest[i] == '.' && i+1 < len(rest) && rest[i+1] >= '0' && rest[i+1] <= '9' {
			j := strings.IndexAny(rest[i+1:], ".;:!?\n")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i >= 0 {
			rest = rest[:i]
		}
	}
	loc := periodRe.FindStringIndex(rest)
	if loc == nil {
		return [2]int{}
	}
	// Another number before the period belongs to another figure; a
	// period far from the figure is about something else.
	if strings.IndexFunc(rest[:loc[0]], unicode.IsDigit) >= 0 || len(strings.Fields(rest[:loc[0]])) > 4 {
		return [2]int{}
	}
	return [2]int{at + loc[0], at + loc[1]}
}

// currencyBefore returns the currency sign that ends just before a number
// ("US$ ", "$", "€") and where it starts in s.
func currencyBefore(s string) (string, int) {
	t := strings.TrimSuffix(s, " ")
	for _, c := range []string{"US$", "$", "€", "£", "S/.", "S/"} {
		if strings.HasSuffix(t, c) {
			at := len(t) - len(c)
			if c == "$" && strings.HasSuffix(t, "US$") {
				continue
			}
			return s[at:], at
		}
	}
	return "", 0
}
