package story

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// textDate returns the date an article's opening gives: a dateline
// ("May 3rd, 2013 2:00pm EDT", "27 November 2005", "2013-09-26") or a
// dated address (".../2013/05/03/lohan-rehab"), looked for in the title
// and the first lines only. A date further down is about the story
// ("the 2005 quake"), not when the article was written. It is the zero
// time when there is none: an article whose publication time is known
// does not need it.
//
// Written here rather than with a date-parsing library: the parsers at
// hand read one string that is a date; finding one in running text with
// them means trying every span, and only these few unambiguous forms,
// each with a four-digit year, are wanted.
func textDate(title, text string) time.Time {
	for line := range strings.Lines(title + "\n" + openingLines(text, datelineLines, datelineChars)) {
		address := isAddress(line)
		if !address {
			// a dateline starts near its line's start (datelinePrefix)
			line = line[:min(len(line), datelineLead+datelineLen)]
		}
		if !hasYear(line) { // every form has one; most lines do not
			continue
		}
		best := -1
		var found time.Time
		for _, f := range dateForms {
			m := f.re.FindStringSubmatchIndex(line)
			if m == nil || (best >= 0 && m[0] >= best) {
				continue
			}
			if !address && !datelinePrefix(line[:m[0]]) {
				continue
			}
			if t, ok := f.parse(line, m); ok {
				best, found = m[0], t
			}
		}
		if best >= 0 {
			return found
		}
	}
	return time.Time{}
}

// isAddress says whether a line is (or starts with) a web address, which
// often carries the date the article was published.
func isAddress(line string) bool {
	line = strings.TrimSpace(line)
	return len(line) >= 4 && (strings.EqualFold(line[:4], "http") || strings.EqualFold(line[:3], "www"))
}

// hasYear says whether s holds four digits in a row that start with 19
// or 20.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			run = 0
			continue
		}
		if run++; run >= 4 && (s[i-3:i-1] == "19" || s[i-3:i-1] == "20") {
			return true
		}
	}
	return false
}

// datelinePrefix says whether what comes before a date on its line lets
// it be a dateline: nothing, or labels and weekdays ("Posted:", "Last
// Updated: Monday,"), not a sentence ("Page was born on April 22, 1923").
func datelinePrefix(s string) bool {
	if len(s) > datelineLead {
		return false
	}
	for _, w := range strings.Fields(s) {
		if r := w[0]; r >= 'a' && r <= 'z' && w != "on" && w != "at" {
			return false
		}
	}
	return true
}

// datelineLines and datelineChars bound the opening textDate reads;
// datelineLead is the most a dateline's line holds before it, and
// datelineLen the longest a date runs ("Wednesday, September 25th, 2013"
// is 31 bytes, and tokenised text spaces its numbers out).
const (
	datelineLines = 4
	datelineChars = 400
	datelineLead  = 30
	datelineLen   = 40
)

// openingLines returns the first n non-blank lines of text, at most max
// bytes of them.
func openingLines(text string, n, max int) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if b.Len()+len(line) > max {
			b.WriteString(line[:max-b.Len()])
			break
		}
		b.WriteString(line)
		if n--; n == 0 {
			break
		}
	}
	return b.String()
}

type dateForm struct {
	re *regexp.Regexp
	// y, m, d are submatch numbers; m names the month in words when
	// named is set
	y, m, d int
	named   bool
}

// sep is a separator inside a numeric date; text that was tokenised
// word by word has spaces round it ("2013 / 05 / 03").
const (
	sep      = `\s*[/.-]\s*`
	month    = `(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`
	year     = `((?:19|20)\d\d)`
	day      = `(\d{1,2})(?:st|nd|rd|th)?`
	notDigit = `(?:^|[^\d])`
)

var dateForms = []dateForm{
	// 2013-05-03, 2013/05/03 (in an address)
	{re: regexp.MustCompile(`(?i)` + notDigit + year + sep + `(\d{1,2})` + sep + `(\d{1,2})(?:[^\d]|$)`), y: 1, m: 2, d: 3},
	// May 3rd, 2013; Thursday, December 11, 2008
	{re: regexp.MustCompile(`(?i)\b` + month + `\s+` + day + `\s*,?\s+` + year + `\b`), y: 3, m: 1, d: 2, named: true},
	// 27 November, 2005; 3 of May of 2013 (a Spanish date translated
	// word for word)
	{re: regexp.MustCompile(`(?i)\b` + day + `\s+(?:of\s+)?` + month + `\s*,?\s+(?:of\s+)?` + year + `\b`), y: 3, m: 2, d: 1, named: true},
	// 11/27/2005 (month first, as in American datelines)
	{re: regexp.MustCompile(`(?i)` + notDigit + `(\d{1,2})` + sep + `(\d{1,2})` + sep + year + `\b`), y: 3, m: 1, d: 2},
}

func (f dateForm) parse(s string, m []int) (time.Time, bool) {
	sub := func(i int) string { return s[m[2*i]:m[2*i+1]] }
	y, _ := strconv.Atoi(sub(f.y))
	d, _ := strconv.Atoi(sub(f.d))
	var mo time.Month
	if f.named {
		// the three letters the pattern took; the time package reads
		// them in any case
		t, err := time.Parse("Jan", sub(f.m))
		if err != nil {
			return time.Time{}, false
		}
		mo = t.Month()
	} else {
		n, _ := strconv.Atoi(sub(f.m))
		mo = time.Month(n)
	}
	if mo < time.January || mo > time.December || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April
		return time.Time{}, false
	}
	return t, true
}

// dayOf is the day an article was published, or else the day its text is
// dated, in days since 1970; 0 when neither is known.
func dayOf(a Article) int32 {
	t := a.Published
	if t.IsZero() {
		t = a.Features.Dated
	}
	if t.IsZero() {
		return 0
	}
	if d := int32(t.Unix() / 86400); d != 0 {
		return d
	}
	return 1
}

// sameDays says whether two groups of articles were written over the
// same few days: most of each is dated, and their median days are at
// most closeDays apart.
func sameDays(a, b []*docState) bool {
	ma, ok := medianDay(a)
	if !ok {
		return false
	}
	mb, ok := medianDay(b)
	if !ok {
		return false
	}
	return max(ma-mb, mb-ma) <= closeDays
}

// closeDays is how many days apart two groups' median days can be for
// them to be of the same few days.
const closeDays = 3

// medianDay is the median day of the dated articles of ds, when at least
// half of them are dated.
func medianDay(ds []*docState) (int32, bool) {
	days := make([]int32, 0, len(ds))
	for _, d := range ds {
		if d.day != 0 {
			days = append(days, d.day)
		}
	}
	if len(days) == 0 || 2*len(days) < len(ds) {
		return 0, false
	}
	slices.Sort(days)
	return days[len(days)/2], true
}
