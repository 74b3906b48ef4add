package story

import (
	"fmt"
	"testing"
	"time"
)

func TestTextDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, title, text string
		want              time.Time
	}{
		{"dateline under the headline", "", "Lohan Checks Into Betty Ford\nMay 3rd, 2013 2:00pm EDT\nAfter leaving rehab...", day(2013, time.May, 3)},
		{"weekday and month", "", "Thursday, December 11, 2008\nThe Red Sox made an offer.", day(2008, time.December, 11)},
		{"label before it", "", "Last Updated: Monday, 28 November 2005, 02:24 GMT\nTen dead in southern Iran quake", day(2005, time.November, 28)},
		{"day first", "", "27 NOVEMBER, 2005\nDid the earth move for you?", day(2005, time.November, 27)},
		{"ISO", "", "Turkmen election to have 2 parties for 1st time\n2013-09-26\nAshgabat", day(2013, time.September, 26)},
		{"month first, numeric", "", "Posted 11/27/2005 7:21 AM\nAn earthquake...", day(2005, time.November, 27)},
		{"tokenised address", "", "http: / / www. foxnews. com / entertainment / 2013 / 05 / 02 / lindsay - lohan /\nLindsay Lohan may change rehab", day(2013, time.May, 2)},
		{"address in capitals", "", "Http://example.com/2012/04/09/gary-ross.html\nGary Ross", day(2012, time.April, 9)},
		{"translated word for word", "", "Madrid, 3 of May of 2013\nLa actriz...", day(2013, time.May, 3)},
		{"in the title", "27 November 2005", "Ten people died.", day(2005, time.November, 27)},
		{"a date in a sentence is about the story", "", "Pinup icon Bettie Page died Thursday.\nPage was born on April 22, 1923, in Nashville.", time.Time{}},
		{"a date far down is not a dateline", "", "One.\nTwo.\nThree.\nFour.\nMay 3, 2013", time.Time{}},
		{"no such day", "", "31 April 2013\nText", time.Time{}},
		{"no year", "", "May 3\nText", time.Time{}},
		{"none", "", "Voters went to the polls on Sunday.", time.Time{}},
	}
	for _, tc := range tests {
		if got := textDate(tc.title, tc.text); !got.Equal(tc.want) {
			t.Errorf("%s: textDate = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSameDays(t *testing.T) {
	group := func(days ...int32) []*docState {
		var out []*docState
		for _, d := range days {
			out = append(out, &docState{day: d})
		}
		return out
	}
	tests := []struct {
		name string
		a, b []*docState
		want bool
	}{
		{"same days", group(100, 101, 101), group(102, 103), true},
		{"a week apart", group(100, 101), group(108, 109), false},
		{"undated", group(0, 0, 0), group(100, 101), false},
		{"mostly undated", group(100, 0, 0), group(100, 101), false},
		{"half dated", group(100, 0), group(101, 101), true},
		{"a stray date does not move the median", group(100, 100, 100, 900), group(101), true},
	}
	for _, tc := range tests {
		if got := sameDays(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: sameDays = %v, want %v", tc.name, got, tc.want)
		}
		if got := sameDays(tc.b, tc.a); got != tc.want {
			t.Errorf("%s (the other way): sameDays = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// One event told from two angles: the star checks into one clinic, and
// reports of the next day follow her to another. The angles share the
// event's names but little else, so their cut is cheap enough to split
// when nothing says when they were written; written in the same days
// they stay one story, and a year apart they are two.
func TestRefineKeepsAnglesOfTheSameDays(t *testing.T) {
	shared := []string{
		"Lindsay Lohan must spend 90 days in rehab under her plea deal.",
		"Her lawyer Shawn Holley told the court about the treatment.",
		"Judge James Dabney set a hearing for June to review her progress.",
		"Her father Michael Lohan said she was doing well.",
	}
	kind := []string{
		"The actress has been in rehab before.",
		"A spokesman declined to comment.",
		"The judge has warned her about missing deadlines.",
		"Fans followed the news closely.",
	}
	first := eventArticles(append([]string{
		"Lohan checked into Morningside Recovery in Newport Beach on Thursday.",
		"She left the Newport Beach facility within minutes, witnesses said.",
	}, shared...), kind, 10, 1)
	second := eventArticles(append([]string{
		"Lohan moved to the Betty Ford Center in Rancho Mirage.",
		"Rancho Mirage staff met her at the Betty Ford gate.",
	}, shared...), kind, 10, 2)
	texts := append(first, second...)
	may2 := time.Date(2013, time.May, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		apart time.Duration // between the angles; -1 for no dates
		one   bool
	}{
		{"undated", -1, false},
		{"the same days", 24 * time.Hour, true},
		{"a year apart", 365 * 24 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arts := make([]Article, len(texts))
			for i, text := range texts {
				arts[i] = Article{ID: int64(i + 1), Features: Extract("", text)}
				if tc.apart >= 0 {
					arts[i].Features.Dated = may2
					if i >= len(first) {
						arts[i].Features.Dated = may2.Add(tc.apart)
					}
				}
			}
			stories := refinedArticles(arts)
			if !tc.one {
				if stories[0] == stories[len(first)] {
					t.Errorf("the angles are one story: %v", stories)
				}
				return
			}
			for i := range stories {
				if stories[i] != stories[0] {
					t.Errorf("article %d left the story: %v", i, stories)
				}
			}
		})
	}
}

func ExampleFeatures_Dated() {
	f := Extract("", "Ten dead in southern Iran quake\nLast Updated: Monday, 28 November 2005, 02:24 GMT\nAn earthquake...")
	fmt.Println(f.Dated.Format(time.DateOnly))
	// Output: 2005-11-28
}

// BenchmarkTextDate looks for a dateline in an opening that has none,
// the common case for articles whose publication time is known.
func BenchmarkTextDate(b *testing.B) {
	text := "The president of Chile, Gabriel Boric, will travel this Wednesday to his native region of Magallanes in his second official trip of 2022 to the interior of the country, after the visit he made in April to the north.\n" +
		"The visit will last three days.\nHe will meet local authorities in Punta Arenas and Puerto Natales.\nMore follows."
	for b.Loop() {
		textDate("Boric starts a tour of Magallanes this Wednesday", text)
	}
}
