package story

import (
	"fmt"
	"slices"
	"testing"
)

func TestOfficeRole(t *testing.T) {
	tests := []struct {
		role, want string // want "" for not a single-holder office
	}{
		{"Interior Secretary", "interior secretary"},
		{"Secretary of the Interior", "interior secretary"},
		{"Secretary of State", "state secretary"},
		{"Qeshm Governor", "qeshm governor"},
		{"governor of Qeshm island", "qeshm island governor"},
		{"Boston Red Sox general manager", "boston red sox general manager"},
		{"US President", "us president"},
		{"'' Angels general manager", "angels general manager"},
		{"President", ""},       // which president?
		{"general manager", ""}, // which team's?
		{"Prime Minister", ""},  // which country's?
		{"former Interior Secretary", ""},
		{"Vice President", ""},
		{"President-elect", ""},
		{"Lohan lawyer", ""}, // many hold it at once
		{"White House spokesman", ""},
		{"press secretary", ""}, // every office has one
		{"White House press secretary", "white house press secretary"},
		{"police commissioner", ""}, // which city's?
		{"Los Angeles County Sheriff", "los angeles county sheriff"},
		{"director of the Natural Resources Defense Council", ""},
		{"House Natural Resources Committee Chairman", "house natural resources committee chairman"},
		{"''", ""},
	}
	for _, tc := range tests {
		got, ok := officeRole(tc.role)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("officeRole(%q) = %q, %v; want %q", tc.role, got, ok, tc.want)
		}
	}
}

func TestOffices(t *testing.T) {
	tests := []struct {
		text string
		want []Office
	}{
		{"Interior Secretary Dirk Kempthorne announced the changes on Thursday. Kempthorne said the rules were clear.",
			[]Office{{"interior secretary", "kempthorne"}}},
		{"The rule was restored by Secretary of the Interior Ken Salazar and Commerce Secretary Gary Locke.",
			[]Office{{"commerce secretary", "locke"}, {"interior secretary", "salazar"}}},
		// an office that changes hands in the article says nothing of when
		{"Interior Secretary Ken Salazar reversed the rule. It had been issued by Interior Secretary Dirk Kempthorne.", nil},
		// offices many hold at once, and offices without a qualifier, are not kept
		{"Her lawyer Mark Heller said she would comply. President Obama did not comment.", nil},
		{"House Natural Resources Committee Chairman Nick J. Rahall II welcomed it. Ken Salazar, the Interior Secretary, said so.",
			[]Office{{"house natural resources committee chairman", "rahall"}, {"interior secretary", "salazar"}}},
	}
	for _, tc := range tests {
		got := offices("", tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("offices(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestSameOfficeAndHolder(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"qeshm governor", "qeshm governor", true},
		{"qeshm governor", "qeshm island governor", true},
		{"house resources committee chairman", "house natural resources committee chairman", true},
		{"interior secretary", "commerce secretary", false},
		{"us interior secretary", "us treasury secretary", false},
		{"qeshm governor", "qeshm mayor", false},
	} {
		if got := sameOffice(tc.a, tc.b); got != tc.want {
			t.Errorf("sameOffice(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"alishvandi", "alishbandi", true}, // one letter, transliterated
		{"alishvandi", "alishvand", true},
		{"kempthorne", "salazar", false},
		{"bush", "rush", false}, // short names must match exactly
		{"kempthorne", "kempthornes", true},
		{"kempthorne", "kemptorn", false},
	} {
		if got := sameHolder(tc.a, tc.b); got != tc.want {
			t.Errorf("sameHolder(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// Two events of one kind told in the same words, told apart only by who
// held an office: the Bush administration's change to a rule and the
// Obama administration's reversal of it. Refine splits them, and does not
// join them back; without the offices they are one story.
func TestRefineSplitsByOfficeHolder(t *testing.T) {
	rule := []string{
		"The Endangered Species Act rule on consultations with scientists was changed.",
		"Environmental groups said the consultation rule for endangered species mattered.",
		"Federal agencies consult the Fish and Wildlife Service under the rule.",
		"The rule covers dams, highways and other projects that may harm species.",
	}
	kind := []string{
		"Critics said the change weakened protection for plants and animals.",
		"The Interior Department published the rule in the Federal Register.",
		"Supporters said the rule cut delays for builders.",
		"Lawsuits over the rule are expected.",
	}
	mk := func(holder, own string, seed uint64, office bool) []string {
		texts := eventArticles(append(slices.Clip(rule), own), kind, 10, seed)
		for i := range texts {
			lead := holder + " announced the change to the endangered species rule."
			if office {
				lead = "Interior Secretary " + lead
			}
			texts[i] = lead + " " + texts[i]
		}
		return texts
	}
	for _, office := range []bool{true, false} {
		t.Run(fmt.Sprintf("office=%v", office), func(t *testing.T) {
			texts := append(mk("Dirk Kempthorne", "The change came weeks before the administration left office.", 1, office),
				mk("Ken Salazar", "The reversal restored what the previous administration had dropped.", 2, office)...)
			stories := refinedStories(texts)
			var split bool
			for i := 10; i < 20; i++ {
				if stories[i] != stories[0] {
					split = true
				}
			}
			if !office {
				if split {
					t.Fatalf("without offices the two were split: %v; the test no longer shows what offices add", stories)
				}
				return
			}
			for i := range stories {
				if want := stories[i/10*10]; stories[i] != want {
					t.Errorf("article %d in story %d, want %d (its event's): %v", i, stories[i], want, stories)
				}
			}
			if stories[0] == stories[10] {
				t.Errorf("the two holders' events are one story: %v", stories)
			}
		})
	}
}

func TestConflictsNeedAnUnnamedHolder(t *testing.T) {
	office := func(holder string, people ...string) *docState {
		return &docState{offices: []Office{{"interior minister", holder}}, people: people}
	}
	tests := []struct {
		name string
		a, b *docState
		want bool
	}{
		{"two holders, each unnamed by the other", office("toha", "toha"), office("romero", "romero"), true},
		{"each names the other's holder", office("toha", "romero", "toha"), office("romero", "romero", "toha"), false},
		{"one names the other's holder", office("toha", "romero", "toha"), office("romero", "romero"), false},
		{"one holder", office("toha", "toha"), office("toha", "toha"), false},
		{"no offices", &docState{}, office("toha", "toha"), false},
	}
	for _, tc := range tests {
		if got := conflicts(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: conflicts = %v, want %v", tc.name, got, tc.want)
		}
		if got := conflicts(tc.b, tc.a); got != tc.want {
			t.Errorf("%s (the other way): conflicts = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The interior ministers of two countries meet at their border: each
// country's press gives its own minister the title and names the other,
// and the reports are one event.
func TestRefineKeepsAMeetingOfTwoMinisters(t *testing.T) {
	meeting := []string{
		"The ministers met at the Chacalluta border crossing to discuss migrants stranded there.",
		"Hundreds of migrants have waited at the border for days.",
		"The two governments agreed to open a humanitarian corridor.",
		"Police reinforced the frontier on both sides.",
	}
	kind := []string{
		"The talks lasted three hours.",
		"Officials said more meetings would follow.",
		"Aid groups welcomed the agreement.",
		"The border had been closed to traffic.",
	}
	side := func(own, other string, seed uint64) []string {
		texts := eventArticles(meeting, kind, 8, seed)
		for i := range texts {
			texts[i] = "On Monday " + own + ", the interior minister, met " + other + ". " + texts[i]
		}
		return texts
	}
	texts := append(side("Carolina Toha", "Vicente Romero", 1), side("Vicente Romero", "Carolina Toha", 2)...)
	stories := refinedStories(texts)
	for i := range stories {
		if stories[i] != stories[0] {
			t.Fatalf("article %d left the meeting's story: %v", i, stories)
		}
	}
}

// refinedStories streams texts through a new clusterer, refines once, and
// returns each text's story.
func refinedStories(texts []string) []int64 {
	arts := make([]Article, len(texts))
	for i, text := range texts {
		arts[i] = Article{ID: int64(i + 1), Features: Extract("", text)}
	}
	return refinedArticles(arts)
}

// refinedArticles is refinedStories for articles, numbered from 1.
func refinedArticles(arts []Article) []int64 {
	c := New(Options{})
	stories := make([]int64, len(arts))
	for i, a := range arts {
		stories[i] = c.Add(a).Story
	}
	for _, m := range c.Refine() {
		stories[m.Article-1] = m.To
	}
	for i := range stories {
		stories[i] = c.Resolve(stories[i])
	}
	return stories
}
