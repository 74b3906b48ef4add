package translate

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/charset"
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
	reNumber     = regexp.MustCompile(`\d[\d.,]*\d`)
	reThousands  = regexp.MustCompile(`^\d{1,3}(\.\d{3})+(,\d+)?$`)
	reDecimal    = regexp.MustCompile(`^\d+,\d+$`)
	reMillions   = regexp.MustCompile(`(\d) (million|billion|thousand|hundred)s\b`)
	reReporting  = regexp.MustCompile(`\b(has |have |had )?(commented|affirmed|declared|signalled|signaled|assured|stated|manifested|informed)\b( that\b|[.,;:!?]|\s*["“”]|\s+\p{Lu}|\s*$)`)
	reReportsNow = regexp.MustCompile(`\b(comments|affirms|declares|signals|assures)\b( that\b|[.,;:!?]|\s*["“”]|\s*$)`)
	reHonorific  = regexp.MustCompile(`\b[Tt]he (gentleman|lady|mister|madam) (\p{Lu})`)
	reWeekday    = regexp.MustCompile(`(^\s*|\S+\s+|[,;:"“]\s*)\b([Tt])he (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	reLike       = regexp.MustCompile(`(\b\w+'?\w*)( +)like\b`)
	reAgeComma   = regexp.MustCompile(`, of (\d{1,3}) years( old)?( of age)?([,.;)])`)
	reAgeNoun    = regexp.MustCompile(`\b([Aa]n?) (man|woman|boy|girl|child|baby|person|teenager|youth|youngster|driver|player|worker|student|mother|father|son|daughter) of (\d{1,3}) years( old)?( of age)?\b`)
	reWouldHave  = regexp.MustCompile(`\bwould have to\b`)
	reALotOf     = regexp.MustCompile(`\b([Aa]) lot of (\w+)`)
	reTitle      = regexp.MustCompile(`\b([Tt])he (president|prime minister|Prime minister|vice president|judge|senator|governor|mayor|minister|pope|king|queen|prince|princess|chancellor|congressman|congresswoman|general|cardinal|bishop|singer|actress|actor|player|coach|footballer|presenter|journalist|writer|director|economist|lawyer|businessman|businesswoman) (\p{Lu}\p{Ll}+)`)
	reNoArticle  = regexp.MustCompile(`\b([Tt])he (NATO|NASA|UEFA|FIFA|OPEC|UNESCO|UNICEF|Interpol|Europol|Mercosur|Hamas|Hezbollah|Congress)\b`)
	reCommaThat  = regexp.MustCompile(`(\S+) (\S+), that\b`)
	reQuoted     = regexp.MustCompile(`"[^"]+"|“[^”]+”`)
	reNegation   = regexp.MustCompile(`\b(do|does|did|is|was|are|were|have|has|had|could|would|should) not\b`)
	reWillNot    = regexp.MustCompile(`\b(will not|can not|cannot)\b`)
	reTheCountry = regexp.MustCompile(`(^|[.!?:;"“]\s+|\b(?i:of|in|to|from|with|for|by|against|and|that|than|between|on|at|into|about|toward|towards|across|throughout|visit|visited|visits) )(United States|United Kingdom|Netherlands|Philippines|European Union|United Nations)\b`)
	rePastWeek   = regexp.MustCompile(`\b([Tt])he past (week|month|year|weekend|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	reDayPart    = regexp.MustCompile(`\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) in the (morning|afternoon|evening|night)\b`)
	reClock      = regexp.MustCompile(`\b(?:the )?(\d{1,2}(?:[:.]\d{2})?) of the (morning|afternoon|evening|night)\b`)
	reExited     = regexp.MustCompile(`\bexited\b`)
	reAcronymEN  = regexp.MustCompile(`(?i),?\s*(?:por|según) sus siglas en (?:inglés|ingles)`)
)

// DefaultRules are the post-editing rules newsdesk applies.
var DefaultRules = []Rule{
	{
		// Apertium leaves two spaces where it drops a word (se reunió ->
		// "gathered  with").
		Name: "spaces",
		Fix: func(s string) string {
			return reSpaces.ReplaceAllString(s, " ")
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
	{
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
	{
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
	{
		// el domingo -> "the Sunday": English says "on Sunday", or just
		// "Sunday" after a preposition.
		Name:    "weekdays",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			return reWeekday.ReplaceAllStringFunc(s, func(m string) string {
				sm := reWeekday.FindStringSubmatch(m)
				before := strings.ToLower(strings.TrimSpace(sm[1]))
				switch before {
				case "in", "at":
					return strings.Replace(sm[1], strings.TrimSpace(sm[1]), "on", 1) + sm[3]
				case "of", "on", "since", "until", "from", "to", "for", "by", "before", "after", "during", "next", "last", "every", "each", "this", "that":
					return sm[1] + sm[3]
				}
				on := "on "
				if sm[2] == "T" {
					on = "On "
				}
				return sm[1] + on + sm[3]
			})
		},
	},
	{
		// como -> "like": in "joined like president", "like suspect",
		// English says "as". "like" after a subject or an auxiliary is
		// the verb and stays.
		Name:    "as",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			return reLike.ReplaceAllStringFunc(s, func(m string) string {
				sm := reLike.FindStringSubmatch(m)
				switch strings.ToLower(sm[1]) {
				case "i", "you", "we", "they", "would", "to", "not", "don't", "didn't", "doesn't", "also", "really", "wouldn't", "people", "who", "and", "look", "looks", "looked", "seem", "seems", "feel", "feels", "felt", "more", "much", "just", "something", "anything", "nothing":
					return m
				}
				return sm[1] + sm[2] + "as"
			})
		},
	},
	{
		// "Jones, of 52 years," and "a man of 32 years": English gives
		// ages as "Jones, 52," and "a 32-year-old man".
		Name:    "ages",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			s = reAgeComma.ReplaceAllString(s, ", $1$4")
			return reAgeNoun.ReplaceAllStringFunc(s, func(m string) string {
				sm := reAgeNoun.FindStringSubmatch(m)
				a := "a"
				if sm[1] == "An" || sm[1] == "A" {
					a = "A"
				}
				if strings.HasPrefix(sm[3], "8") || sm[3] == "11" || sm[3] == "18" {
					a += "n"
				}
				return a + " " + sm[3] + "-year-old " + sm[2]
			})
		},
	},
	{
		// debería -> "would have to": the sense is "should".
		Name:    "should",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix:     func(s string) string { return reWouldHave.ReplaceAllString(s, "should") },
	},
	{
		// mucho/muchos -> "a lot of": "many" before a plural, "much" else.
		Name:    "many",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			return reALotOf.ReplaceAllStringFunc(s, func(m string) string {
				sm := reALotOf.FindStringSubmatch(m)
				w := "much"
				if strings.HasSuffix(sm[2], "s") || sm[2] == "people" {
					w = "many"
				}
				if sm[1] == "A" {
					w = upperFirst(w)
				}
				return w + " " + sm[2]
			})
		},
	},
	{
		// el presidente Trump -> "the president Trump": English puts a
		// title before a name without the article, capitalised
		// (President Trump), and a role without the article (singer
		// Ariana Grande).
		Name:    "titles",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix: func(s string) string {
			return reTitle.ReplaceAllStringFunc(s, func(m string) string {
				sm := reTitle.FindStringSubmatch(m)
				title := strings.ToLower(sm[2])
				if titles[title] {
					words := strings.Fields(title)
					for i, w := range words {
						words[i] = upperFirst(w)
					}
					title = strings.Join(words, " ")
				} else if sm[1] == "T" {
					title = upperFirst(title)
				}
				return title + " " + sm[3]
			})
		},
	},
	{
		// la OTAN -> "the NATO": some organisations take no article in English.
		Name:    "no-article",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix: func(s string) string {
			return reNoArticle.ReplaceAllStringFunc(s, func(m string) string {
				return m[4:]
			})
		},
	},
	{
		// ", que" opens a non-restrictive clause, which English starts
		// with "who" (people) or "which", never "that".
		Name:    "which",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			return reCommaThat.ReplaceAllStringFunc(s, func(m string) string {
				sm := reCommaThat.FindStringSubmatch(m)
				rel := "which"
				if personNouns[strings.ToLower(sm[2])] || (isCapitalised(sm[1]) && isCapitalised(sm[2]) && !strings.EqualFold(sm[1], "the")) {
					rel = "who"
				}
				return sm[1] + " " + sm[2] + ", " + rel
			})
		},
	},
	{
		// Quoted speech is spoken English: "it does not" reads "it doesn't".
		Name:    "contractions",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix: func(s string) string {
			return reQuoted.ReplaceAllStringFunc(s, func(q string) string {
				q = reNegation.ReplaceAllString(q, "${1}n't")
				return reWillNot.ReplaceAllStringFunc(q, func(m string) string {
					if m == "will not" {
						return "won't"
					}
					return "can't"
				})
			})
		},
	},
	{
		// Estados Unidos -> "United States": English names some
		// countries and unions with "the".
		Name:    "the-country",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix: func(s string) string {
			return reTheCountry.ReplaceAllStringFunc(s, func(m string) string {
				sm := reTheCountry.FindStringSubmatch(m)
				the := "the "
				if isSentenceStart(sm[1]) {
					the = "The "
				}
				return sm[1] + the + sm[2]
			})
		},
	},
	{
		// el pasado lunes, el sábado por la mañana, a las 7 de la mañana:
		// "last Monday", "Saturday morning", "7 a.m.".
		Name:    "time-phrases",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix: func(s string) string {
			s = rePastWeek.ReplaceAllStringFunc(s, func(m string) string {
				sm := rePastWeek.FindStringSubmatch(m)
				if sm[1] == "T" {
					return "Last " + sm[2]
				}
				return "last " + sm[2]
			})
			s = reDayPart.ReplaceAllString(s, "$1 $2")
			return reClock.ReplaceAllStringFunc(s, func(m string) string {
				sm := reClock.FindStringSubmatch(m)
				t := strings.Replace(sm[1], ".", ":", 1)
				if sm[2] == "morning" {
					return t + " a.m."
				}
				return t + " p.m."
			})
		},
	},
	{
		// salió -> "exited": a person or a caravan "left".
		Name:    "left",
		Applies: func(p Pair) bool { return p.From == "es" && p.To == "en" },
		Fix:     func(s string) string { return reExited.ReplaceAllString(s, "left") },
	},
	{
		// Typographic quotes become plain ones, as in English wire copy.
		Name:    "quotes",
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix:     func(s string) string { return quoteReplacer.Replace(s) },
	},
	{
		// "(AM, por sus siglas en inglés)" tells a Spanish reader the
		// acronym is English; an English reader needs no such note.
		Name:    "acronym-note",
		Source:  true,
		Applies: func(p Pair) bool { return p.To == "en" },
		Fix:     func(s string) string { return reAcronymEN.ReplaceAllString(s, "") },
	},
	milRule,
}

var titles = map[string]bool{"president": true, "prime minister": true, "vice president": true, "judge": true, "senator": true,
	"governor": true, "mayor": true, "minister": true, "pope": true, "king": true, "queen": true, "prince": true,
	"princess": true, "chancellor": true, "congressman": true, "congresswoman": true, "general": true, "cardinal": true, "bishop": true}

// personNouns are nouns a relative clause about a person follows.
var personNouns = wordSet(`man men woman women boy boys girl girls child children people person persons player players
		president minister leader leaders driver drivers worker workers student students police officer officers doctor doctors
		mother father son daughter wife husband friend friends singer actor actress coach manager director spokesman spokeswoman
		spokesperson judge senator governor mayor victim victims suspect migrants residents citizens voters fans members member`)

// wordSet makes a set of the words of a space-separated list.
func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

func isSentenceStart(prefix string) bool {
	p := strings.TrimSpace(prefix)
	return p == "" || strings.ContainsAny(p[len(p)-1:], ".!?:;\"“")
}

func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
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

// postEdit applies rules to the text of a translated segment. Text parts
// and the protected words between them (names, glossary terms) are joined
// first, so a rule sees "the president Pedro Sánchez" whole; markup and
// protected elements are never edited.
func postEdit(seg Segment, rules []Rule) Segment {
	if len(rules) == 0 {
		return seg
	}
	var out Segment
	var run strings.Builder
	inRun := false
	flush := func() {
		if !inRun {
			return
		}
		t := run.String()
		for _, r := range rules {
			if !r.Source {
				t = r.Fix(t)
			}
		}
		out = append(out, Part{Kind: Text, Text: t})
		run.Reset()
		inRun = false
	}
	for _, p := range seg {
		if p.Kind == Text || (p.Kind == Keep && p.HTML == "") {
			run.WriteString(p.Text)
			inRun = true
			continue
		}
		flush()
		out = append(out, p)
	}
	flush()
	return out
}

// preEdit drops invisible characters from each text part and applies the
// source rules, before translation.
func preEdit(seg Segment, rules []Rule) Segment {
	for i, p := range seg {
		if p.Kind != Text {
			continue
		}
		// a soft hyphen or zero-width space inside a word would cut
		// it in two for the engine ("presi&shy;dente")
		t := charset.DropInvisible(p.Text)
		// "Termina.Empieza": a sentence end the page wrote without its
		// space would come out glued; "EE.UU." and "weather.com" are left.
		t = reGluedSentence.ReplaceAllString(t, "$1 $2")
		for _, r := range rules {
			if r.Source {
				t = r.Fix(t)
			}
		}
		seg[i].Text = t
	}
	return seg
}

var reGluedSentence = regexp.MustCompile(`(\p{Ll}\p{Ll}[.!?])(\p{Lu}\p{Ll})`)

// reMil is a whole number followed by "mil" (thousand) in Spanish.
var reMil = regexp.MustCompile(`\b(\d{1,3}) mil\b( millones| millón)?`)

// milRule is kept last, after the rules it was measured against.
var milRule = Rule{
	// "130 mil" is 130,000; Apertium gives "130 one thousand". Written
	// as 130.000 in the source, the numbers rule makes it 130,000.
	// "5 mil millones" (five billion) is left to the engine.
	Name:    "mil",
	Source:  true,
	Applies: func(p Pair) bool { return p.From == "es" },
	Fix: func(s string) string {
		return reMil.ReplaceAllStringFunc(s, func(m string) string {
			if sm := reMil.FindStringSubmatch(m); sm[2] == "" {
				return sm[1] + ".000"
			}
			return m
		})
	},
}
