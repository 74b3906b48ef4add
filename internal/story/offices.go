package story

import (
	"slices"
	"strings"

	"github.com/newsdesk/newsdesk/internal/enrich"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Office is a post that one person holds at a time, as an article names
// it with its holder: "Interior Secretary Dirk Kempthorne", "the Qeshm
// governor, Mehdi Irannejad".
//
// Two events of one kind at one place are often told apart by who held
// an office when each happened. The Bush administration's change to the
// endangered species rules and the Obama administration's reversal of
// it share nearly every word, but one names Interior Secretary
// Kempthorne and the other Interior Secretary Salazar. Words cannot say
// that; the holder of a single-holder office can.
type Office struct {
	Role   string // lower case, qualified: "interior secretary"
	Holder string // the holder's surname, lower case
}

// singleHolder are the heads of offices that one person holds at a time
// once a qualifier says which ("interior secretary", "qeshm governor",
// "angels general manager"). Offices many hold at once (lawyer,
// spokesman, director, senator) are left out: two of them in one event
// are common.
var singleHolder = map[string]bool{
	"president": true, "secretary": true, "minister": true, "premier": true, "chancellor": true,
	"governor": true, "mayor": true, "king": true, "queen": true, "pope": true, "sheriff": true,
	"ceo": true, "chairman": true, "chairwoman": true, "commissioner": true, "coach": true, "manager": true,
}

// headWords make up an office's title with its head ("general manager",
// "prime minister", "head coach", "press secretary", "police
// commissioner"); they do not say which office: every team, campaign,
// city and party has one.
var headWords = map[string]bool{
	"general": true, "prime": true, "head": true, "chief": true, "executive": true, "managing": true,
	"team": true, "club": true, "federal": true, "national": true, "press": true, "campaign": true,
	"store": true, "city": true, "county": true, "police": true, "fire": true, "party": true,
	"school": true, "union": true, "company": true, "board": true, "district": true,
}

// maxQualifiers is the most words a role may have besides its head
// ("house natural resources committee chairman").
const maxQualifiers = 4

// notCurrent are words that make a role someone's past, future or stand-in
// post, or a post beside the office, not the office itself.
var notCurrent = map[string]bool{
	"former": true, "ex": true, "then": true, "late": true, "outgoing": true, "incoming": true,
	"acting": true, "interim": true, "new": true, "deputy": true, "vice": true, "assistant": true,
	"elect": true,
}

// nameSuffix are generational suffixes, which are not surnames, and
// abbreviated titles, which are not names.
var nameSuffix = map[string]bool{
	"jr": true, "sr": true, "ii": true, "iii": true, "iv": true,
	"rep": true, "sen": true, "gov": true, "gen": true, "lt": true, "col": true, "capt": true, "sgt": true,
}

// offices returns the single-holder offices an article names with their
// holders. A role that the article gives to two different people (a
// story of one office changing hands) says nothing of when it happened,
// and is left out.
func offices(title, text string) []Office {
	holders := map[string]string{}
	for _, e := range enrich.Entities(title, text, "") {
		if e.Kind != news.EntityPerson {
			continue
		}
		name := strings.Fields(strings.ReplaceAll(e.Key, "-", " "))
		for len(name) > 0 && nameSuffix[name[0]] {
			name = name[1:] // "Rep. Nick Rahall"
		}
		for len(name) > 0 && nameSuffix[name[len(name)-1]] {
			name = name[:len(name)-1]
		}
		if len(name) == 0 || len(name[len(name)-1]) < 3 {
			continue // not a name ("Rep." taken for one)
		}
		surname := name[len(name)-1]
		for _, r := range e.Roles {
			role, ok := officeRole(r)
			if !ok {
				continue
			}
			if h, seen := holders[role]; seen && h != surname {
				holders[role] = "" // two holders
				continue
			}
			holders[role] = surname
		}
	}
	var out []Office
	for role, h := range holders {
		if h != "" {
			out = append(out, Office{Role: role, Holder: h})
		}
	}
	slices.SortFunc(out, func(a, b Office) int { return strings.Compare(a.Role, b.Role) })
	return out
}

// namedWords returns the one-word names among names, sorted: every
// capitalised word an article uses, whatever kind of entity it names.
func namedWords(names []string) []string {
	var out []string
	for _, n := range names {
		if !strings.Contains(n, " ") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// officeRole normalises a role as enrich reports it to a qualified
// single-holder office, or says it is not one.
func officeRole(role string) (string, bool) {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(role)) {
		w = strings.Trim(w, "'\"`.,;:()")
		if w == "" {
			continue
		}
		if notCurrent[w] || strings.HasSuffix(w, "-elect") {
			return "", false
		}
		words = append(words, w)
	}
	// "secretary of the interior" is the interior secretary
	if i := slices.Index(words, "of"); i == 1 {
		q := words[2:]
		if len(q) > 0 && q[0] == "the" {
			q = q[1:]
		}
		words = append(slices.Clip(q), words[0])
	}
	if len(words) == 0 || slices.Contains(words, "of") || !singleHolder[words[len(words)-1]] {
		return "", false
	}
	// a qualifier says which office: "general manager" or "prime
	// minister" alone is one of many, "Angels general manager" is one.
	// A long run of capitalised words before the head is more often a
	// name read as part of the role than a qualifier.
	q := 0
	for _, w := range words[:len(words)-1] {
		if !headWords[w] {
			q++
		}
	}
	if q == 0 || q > maxQualifiers {
		return "", false
	}
	return strings.Join(words, " "), true
}

// conflicts reports whether a and b name different holders of one
// office, neither naming the other's holder.
func conflicts(a, b *docState) bool {
	for _, x := range a.offices {
		for _, y := range b.offices {
			if compareHolders(a, b, x, y) < 0 {
				return true
			}
		}
	}
	return false
}

// officesDisagree reports whether more pairs across a and b name different
// holders of an office than name the same one.
func officesDisagree(a, b []*docState) bool {
	balance := 0
	for _, x := range a {
		for _, y := range b {
			for _, o := range x.offices {
				for _, p := range y.offices {
					balance += compareHolders(x, y, o, p)
				}
			}
		}
	}
	return balance < 0
}

// compareHolders compares office x, as article a names it, with office y
// as article b does: +1 when they are one office with one holder, -1 when
// they are one office with two holders and neither article names the
// other's holder at all, else 0. Two holders of one office in one event
// are two offices that share a name (the interior ministers of two
// countries meeting at their border), and then reports of it name both.
func compareHolders(a, b *docState, x, y Office) int {
	switch {
	case !sameOffice(x.Role, y.Role):
		return 0
	case sameHolder(x.Holder, y.Holder):
		return 1
	case mentions(a.people, y.Holder) || mentions(b.people, x.Holder):
		return 0
	}
	return -1
}

// mentions reports whether people (an article's one-word names) holds
// the surname.
func mentions(people []string, surname string) bool {
	for _, p := range people {
		if sameHolder(p, surname) {
			return true
		}
	}
	return false
}

// sameOffice reports whether two roles name one office: the same head,
// and at least half of their qualifiers in common ("qeshm governor" and
// "qeshm island governor"; not "interior secretary" and "commerce
// secretary", nor "us interior secretary" and "us treasury secretary").
func sameOffice(a, b string) bool {
	if a == b {
		return true
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if wa[len(wa)-1] != wb[len(wb)-1] {
		return false
	}
	qa, qb := wa[:len(wa)-1], wb[:len(wb)-1]
	common := 0
	for _, w := range qa {
		if slices.Contains(qb, w) {
			common++
		}
	}
	return 2*common >= len(qa)+len(qb)-common
}

// sameHolder reports whether two surnames are one person's, allowing one
// letter of difference in a long name for transliteration ("Alishvandi",
// "Alishbandi").
func sameHolder(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 6 || len(b) < 6 {
		return false
	}
	return oneEdit(a, b)
}

// oneEdit reports whether a and b differ by one substituted, inserted or
// deleted byte.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
