package translate

import (
	"regexp"
	"strings"
)

// Rule is a post-editing rule: a fix for a known artefact of machine
// translation, applied to the translated text of each segment. Every rule
// in DefaultRules is kept only because `newsdesk eval translate` scores
// better with it than without (see --rules).
type Rule struct {
	Name string
	// Source marks a rule that edits the source text before translation
	// (the others edit the translation).
	Source bool
	// Applies says whether the rule is meant for this pair (nil: every pair).
	Applies func(p Pair) bool
	Fix     func(s string) string
}

// decimalComma lists source languages that write 2,5 for two and a half and
// 6.000 for six thousand.
var decimalComma = map[string]bool{"es": true, "fr": true, "pt": true, "it": true, "de": true, "ca": true, "gl": true, "nl": true, "ro": true}

var (
	reSpaces     = regexp.MustCompile(`[ \t]{2,}`)
	reSpacePunct = regexp.MustCompile(` +([,.;:!?])`)
	reNumber     = regexp.MustCompile(`\d[\d.,]*\d`)
	reThousands  = regexp.MustCompile(`^\d{1,3}(\.\d{3})+(,\d+)?$`)
	reDecimal    = regexp.MustCompile(`^\d+,\d+$`)
	reMillions   = regexp.MustCompile(`(\d) (million|billion|thousand|hundred)s\b`)
	reReporting  = regexp.MustCompile(`\b(has |have |had )?(commented|affirmed|declared|signalled|signaled|assured|stated|manifested)\b( that\b|[.,;:!?]|\s*["“”]|\s+\p{Lu}|\s*$)`)
	reReportsNow = regexp.MustCompile(`\b(comments|affirms|declares|signals|assures)\b( that\b|[.,;:!?]|\s*["“”]|\s*$)`)
	reHonorific  = regexp.MustCompile(`\b[Tt]he (gentleman|lady|mister|madam) (\p{Lu})`)
	reAcronymEN  = regexp.MustCompile(`(?i),?\s*(?:por|según) sus siglas en (?:inglés|ingles)`)
)

// DefaultRules are the post-editing rules newsdesk applies.
var DefaultRules = []Rule{
	{
		// Apertium leaves two spaces where it drops a word (se reunió ->
		// "gathered  with").
		Name: "spaces",
		Fix: func(s string) string {
			s = reSpaces.ReplaceAllString(s, " ")
			return reSpacePunct.ReplaceAllString(s, "$1")
		},
	},
	{
		// 6.000 and 2,5 are six thousand and two and a half in the source;
		// English writes 6,000 and 2.5.
		Name:    "numbers",
		Applies: func(p Pair) bool { return decimalComma[p.From] && p.To == "en" },
		Fix: func(s string) string {
			return reNumber.ReplaceAllStringFunc(s, func(n string) string {
				if reThousands.MatchString(n) || reDecimal.MatchString(n) {
					return strings.Map(func(r rune) rune {
						switch r {
						case '.':
							return ','
						case ',':
							return '.'
						}
						return r
					}, n)
				}
				return n
			})
		},
	},
	{
		// "2.2 millions" -> "2.2 million".
		Name:    "million",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix:     func(s string) string { return reMillions.ReplaceAllString(s, "$1 $2") },
	},
}

func init() {
	DefaultRules = append(DefaultRules,
		Rule{
			// English news attributes speech with "said": Apertium's
			// "commented", "affirmed", "declared", "signalled" for
			// comentó, afirmó, declaró, señaló read as translationese.
			Name:    "said",
			Applies: func(p Pair) bool { return p.To == "en" },
			Fix: func(s string) string {
				s = reReporting.ReplaceAllString(s, "${1}said$3")
				return reReportsNow.ReplaceAllString(s, "says$2")
			},
		},
		Rule{
			// el señor Adams -> "the gentleman Adams": English writes Mr Adams.
			Name:    "honorifics",
			Applies: func(p Pair) bool { return p.To == "en" },
			Fix: func(s string) string {
				return reHonorific.ReplaceAllStringFunc(s, func(m string) string {
					sm := reHonorific.FindStringSubmatch(m)
					t := "Mr. "
					if sm[1] == "lady" || sm[1] == "madam" {
						t = "Ms. "
					}
					return t + sm[2]
				})
			},
		},
		Rule{
			// Typographic quotes become plain ones, as in English wire copy.
			Name:    "quotes",
			Applies: func(p Pair) bool { return p.To == "en" },
			Fix:     func(s string) string { return quoteReplacer.Replace(s) },
		},
		Rule{
			// "(AM, por sus siglas en inglés)" tells a Spanish reader the
			// acronym is English; an English reader needs no such note.
			Name:    "acronym-note",
			Source:  true,
			Applies: func(p Pair) bool { return p.To == "en" },
			Fix:     func(s string) string { return reAcronymEN.ReplaceAllString(s, "") },
		},
	)
}

var quoteReplacer = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "‘", "'", "’", "'")

// RulesFor returns the rules of rules that apply to p.
func RulesFor(rules []Rule, p Pair) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.Applies == nil || r.Applies(p) {
			out = append(out, r)
		}
	}
	return out
}

// postEdit applies rules to each text part of a translated segment; markup
// and protected parts are never edited.
func postEdit(seg Segment, rules []Rule) Segment {
	if len(rules) == 0 {
		return seg
	}
	for i, p := range seg {
		if p.Kind != Text {
			continue
		}
		t := p.Text
		for _, r := range rules {
			if !r.Source {
				t = r.Fix(t)
			}
		}
		seg[i].Text = t
	}
	return seg
}

// preEdit applies the source rules to each text part before translation.
func preEdit(seg Segment, rules []Rule) Segment {
	for i, p := range seg {
		if p.Kind != Text {
			continue
		}
		t := p.Text
		for _, r := range rules {
			if r.Source {
				t = r.Fix(t)
			}
		}
		seg[i].Text = t
	}
	return seg
}
