package dedup

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// agencies are the wire services whose credit lines newsdesk recognises,
// by the forms they appear in (bylines, datelines, "Source:" lines), each
// with the name readers know.
var agencies = []struct {
	name  string
	forms []string
	hosts []string
}{
	{"EFE", []string{"EFE", "Agencia EFE"}, []string{"efe.com"}},
	{"AP", []string{"AP", "Associated Press", "The Associated Press"}, []string{"apnews.com", "ap.org"}},
	{"Reuters", []string{"Reuters", "Thomson Reuters"}, []string{"reuters.com"}},
	{"AFP", []string{"AFP", "Agence France-Presse", "Agence France Presse"}, []string{"afp.com"}},
	{"dpa", []string{"dpa", "DPA", "Deutsche Presse-Agentur"}, []string{"dpa.com"}},
	{"ANSA", []string{"ANSA"}, []string{"ansa.it"}},
	{"Europa Press", []string{"Europa Press"}, []string{"europapress.es"}},
	{"Xinhua", []string{"Xinhua"}, []string{"xinhuanet.com", "news.cn"}},
	{"UPI", []string{"UPI", "United Press International"}, []string{"upi.com"}},
	{"Bloomberg", []string{"Bloomberg"}, []string{"bloomberg.com"}},
	{"PA", []string{"PA Media", "Press Association"}, []string{"pamediagroup.com"}},
	{"Kyodo", []string{"Kyodo", "Kyodo News"}, []string{"kyodonews.net"}},
	{"Yonhap", []string{"Yonhap"}, []string{"yna.co.kr"}},
	{"Lusa", []string{"Lusa"}, []string{"lusa.pt"}},
	{"Notimex", []string{"Notimex"}, []string{"notimex.gob.mx"}},
	{"ANP", []string{"ANP"}, []string{"anp.nl"}},
}

var (
	// "MADRID (EFE).-", "WASHINGTON (AP) —", "LONDON (Reuters) -",
	// "Lima, 3 ene (EFE)."
	datelineRe = regexp.MustCompile(`^[\p{Lu}][\p{L} .,'’0-9-]{0,60}\(([^)]{2,40})\)\s*(?:\.|-|—|–|:)`)
	// "Source: EFE", "Fuente: EFE", "Credit: AFP", "Con información de
	// Reuters", "(With AFP)", "via Reuters", "Copyright ... AP"
	sourceRe = regexp.MustCompile(`(?i)^(?:source|sources|fuente|fuentes|credit|crédito|con información de|with information from|with|con|via|copyright(?: ©)?(?: \d{4})?|©(?: \d{4})?)\s*:?\s*(.{2,60})$`)
)

// Credit returns the wire agency an article credits — in its byline, a
// dateline at the start of its text, or a "Source:" line at its end — or
// "" when it credits none.
func Credit(byline, text string) string {
	if a := agencyIn(byline, false); a != "" {
		return a
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		if i >= 3 {
			break
		}
		if m := datelineRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			if a := agencyIn(m[1], true); a != "" {
				return a
			}
		}
	}
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-4; i-- {
		l := strings.TrimSpace(strings.Trim(strings.TrimSpace(lines[i]), "()"))
		if m := sourceRe.FindStringSubmatch(l); m != nil {
			if a := agencyIn(m[1], true); a != "" {
				return a
			}
		}
	}
	return ""
}

// agencyIn finds an agency's name in s as a whole word. When whole is
// false (bylines), a short all-capitals form ("AP") must stand alone or
// after "By", so that a reporter named "Apolo" is not credited to AP.
func agencyIn(s string, whole bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	for _, a := range agencies {
		for _, f := range a.forms {
			if containsWord(s, f) {
				if !whole && len(f) <= 3 && !standsAlone(s, f) {
					continue
				}
				return a.name
			}
		}
	}
	return ""
}

func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(s[j-1])
		after := j+len(w) == len(s) || !isWordByte(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func standsAlone(s, f string) bool {
	t := strings.Trim(s, " .,;:-—|/")
	for _, p := range []string{"", "By ", "by ", "Por ", "por "} {
		if t == p+f {
			return true
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '|' || r == ',' || r == ';' }) {
		if strings.TrimSpace(part) == f {
			return true
		}
	}
	return false
}

// Origin says which member of a syndication group is the original and
// whom to credit.
type Origin struct {
	// Original is the ID of the member to credit as the original.
	Original int64
	// Agency is the wire service the group credits, when any ("EFE"); the
	// article page says "Originally published by" it even when the
	// agency's own copy was not collected.
	Agency string
	// Why is how the original was chosen: "canonical", "agency",
	// "earliest".
	Why string
}

// Original chooses a group's original. In order: the member the others'
// canonical links point at; the agency's own copy when the members credit
// an agency; the earliest published (then first seen, by ID).
func Original(members []Article) Origin {
	if len(members) == 0 {
		return Origin{}
	}
	byURL := map[string]int64{}
	for _, m := range members {
		if u := normURL(m.URL); u != "" {
			byURL[u] = m.ID
		}
	}
	votes := map[int64]int{}
	for _, m := range members {
		if c := normURL(m.Canonical); c != "" && c != normURL(m.URL) {
			if id, ok := byURL[c]; ok && id != m.ID {
				votes[id]++
			}
		}
	}
	agencyVotes := map[string]int{}
	for _, m := range members {
		if a := Credit(m.Byline, m.Text); a != "" {
			agencyVotes[a]++
		}
	}
	agency := ""
	for a, n := range agencyVotes {
		if n > agencyVotes[agency] || (n == agencyVotes[agency] && a < agency) {
			agency = a
		}
	}
	if len(votes) > 0 {
		best := int64(0)
		for id, n := range votes {
			if best == 0 || n > votes[best] || (n == votes[best] && id < best) {
				best = id
			}
		}
		return Origin{Original: best, Agency: agency, Why: "canonical"}
	}
	sorted := append([]Article(nil), members...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		switch {
		case a.Published.IsZero() != b.Published.IsZero():
			return !a.Published.IsZero()
		case !a.Published.Equal(b.Published):
			return a.Published.Before(b.Published)
		}
		return a.ID < b.ID
	})
	if agency != "" {
		for _, m := range sorted {
			if isAgencySite(agency, m) {
				return Origin{Original: m.ID, Agency: agency, Why: "agency"}
			}
		}
	}
	return Origin{Original: sorted[0].ID, Agency: agency, Why: "earliest"}
}

func isAgencySite(agency string, m Article) bool {
	for _, a := range agencies {
		if a.name != agency {
			continue
		}
		host := ""
		if u, err := url.Parse(m.URL); err == nil {
			host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
		for _, h := range a.hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return true
			}
		}
		for _, f := range a.forms {
			if strings.EqualFold(strings.TrimSpace(m.Site), f) {
				return true
			}
		}
	}
	return false
}

// normURL reduces a URL to scheme-less host and path, so that http/https,
// "www." and a trailing slash do not matter.
func normURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return host + strings.TrimSuffix(u.EscapedPath(), "/")
}
