package web

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"
	"time"
)

// The coverage timeline of a story page: articles per day (per hour when
// the story spans less than three days) by language, drawn as an inline
// SVG of stacked bars and also given as a table. The SVG is written by
// hand (a few dozen elements; no charting library fits an inline,
// script-free, CSP-clean chart) and uses presentation attributes only:
// the page's CSP forbids inline styles. Text and axes use currentColor so
// they follow the page's light or dark scheme.

// timelinePalette holds bar colours for the languages, most used first.
// Each has at least 3:1 contrast against both the light (#fff) and the
// dark (#121212) page background (WCAG 1.4.11), which a test checks. The
// last one is for "other languages".
var timelinePalette = []string{"#2f6fc0", "#c4620a", "#22885a", "#9050c8", "#c8413b", "#17818a", "#7a7a7a"}

// timelineMaxSeries is how many languages get their own colour.
const timelineMaxSeries = 6

// timelineItem is one article on the timeline.
type timelineItem struct {
	At   time.Time
	Lang string // "" when unknown
}

// timelineSeries is one language of the chart.
type timelineSeries struct {
	Lang   string // tag; "" for unknown, "*" for the other languages
	Name   string // English name
	Colour string
	Total  int
}

// timelineBucket is one hour or day.
type timelineBucket struct {
	Start  time.Time
	Label  string // "10 Mar" or "10 Mar 14:00"
	Counts []int  // by series
	Total  int
	ByLang map[string]int // by language tag, every language apart
}

// timeline is the chart's data, shared by the SVG and the table.
type timeline struct {
	Hourly  bool
	Unit    string // "day" or "hour"
	Series  []timelineSeries
	Buckets []timelineBucket
	Total   int
	Peak    int // the largest bucket
	PeakAt  string
	From    time.Time
	To      time.Time
}

// timelineMaxBuckets bounds the chart: a story longer than this many days
// is drawn over its last ones (the table says so).
const timelineMaxBuckets = 120

// buildTimeline buckets the items. Items with no time are left out.
func buildTimeline(items []timelineItem) *timeline {
	var its []timelineItem
	for _, it := range items {
		if !it.At.IsZero() {
			its = append(its, timelineItem{At: it.At.UTC(), Lang: it.Lang})
		}
	}
	if len(its) == 0 {
		return nil
	}
	sort.SliceStable(its, func(i, j int) bool { return its[i].At.Before(its[j].At) })
	tl := &timeline{From: its[0].At, To: its[len(its)-1].At, Unit: "day"}
	tl.Hourly = tl.To.Sub(tl.From) < 72*time.Hour
	step := 24 * time.Hour
	trunc := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	if tl.Hourly {
		step, tl.Unit = time.Hour, "hour"
		trunc = func(t time.Time) time.Time { return t.Truncate(time.Hour) }
	}
	first, last := trunc(tl.From), trunc(tl.To)
	if n := int(last.Sub(first)/step) + 1; n > timelineMaxBuckets {
		first = last.Add(-time.Duration(timelineMaxBuckets-1) * step)
	}

	// Languages by use; beyond timelineMaxSeries they share one series.
	byLang := map[string]int{}
	for _, it := range its {
		byLang[it.Lang]++
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if byLang[langs[i]] != byLang[langs[j]] {
			return byLang[langs[i]] > byLang[langs[j]]
		}
		return langs[i] < langs[j]
	})
	index := map[string]int{}
	for i, l := range langs {
		if i < timelineMaxSeries || len(langs) == timelineMaxSeries+1 {
			index[l] = len(tl.Series)
			name := langName(l)
			if l == "" {
				name = "Unknown language"
			}
			tl.Series = append(tl.Series, timelineSeries{Lang: l, Name: name, Colour: timelinePalette[len(tl.Series)]})
			continue
		}
		if i == timelineMaxSeries {
			tl.Series = append(tl.Series, timelineSeries{Lang: "*", Name: "Other languages", Colour: timelinePalette[len(timelinePalette)-1]})
		}
		index[l] = len(tl.Series) - 1
	}

	for t := first; !t.After(last); t = t.Add(step) {
		b := timelineBucket{Start: t, Counts: make([]int, len(tl.Series)), ByLang: map[string]int{}}
		if tl.Hourly {
			b.Label = t.Format("2 Jan 15:04")
		} else {
			b.Label = t.Format("2 Jan 2006")
		}
		tl.Buckets = append(tl.Buckets, b)
	}
	for _, it := range its {
		t := trunc(it.At)
		if t.Before(first) {
			continue
		}
		i := int(t.Sub(first) / step)
		if i >= len(tl.Buckets) {
			continue
		}
		si := index[it.Lang]
		tl.Buckets[i].Counts[si]++
		tl.Buckets[i].Total++
		tl.Buckets[i].ByLang[it.Lang]++
		tl.Series[si].Total++
		tl.Total++
	}
	for _, b := range tl.Buckets {
		if b.Total > tl.Peak {
			tl.Peak, tl.PeakAt = b.Total, b.Label
		}
	}
	return tl
}

// Rows are the buckets with articles, for the table.
func (tl *timeline) Rows() []timelineBucket {
	var out []timelineBucket
	for _, b := range tl.Buckets {
		if b.Total > 0 {
			out = append(out, b)
		}
	}
	return out
}

// Summary says in words what the chart shows.
func (tl *timeline) Summary() string {
	var parts []string
	for _, s := range tl.Series {
		parts = append(parts, fmt.Sprintf("%d in %s", s.Total, strings.TrimSuffix(s.Name, " language")))
	}
	span := fmt.Sprintf("from %s to %s", tl.From.Format("2 January 2006 15:04"), tl.To.Format("2 January 2006 15:04 UTC"))
	return fmt.Sprintf("%d %s %s, by %s: %s. Busiest %s: %s, with %d.", tl.Total, pluralize(tl.Total, "article", "articles"),
		span, tl.Unit, strings.Join(parts, ", "), tl.Unit, tl.PeakAt, tl.Peak)
}

// SVG draws the chart. ids must be unique on the page.
func (tl *timeline) SVG(id string) template.HTML {
	const (
		width   = 640
		left    = 40 // room for the y axis labels
		right   = 10
		top     = 12
		plotH   = 170
		axisH   = 34 // x labels
		legendH = 22
		perRow  = 3
	)
	rows := (len(tl.Series) + perRow - 1) / perRow
	height := top + plotH + axisH + rows*legendH + 6
	plotW := width - left - right
	n := len(tl.Buckets)
	bw := float64(plotW) / float64(n)
	gap := bw * 0.15
	if gap > 4 {
		gap = 4
	}
	maxY := niceCeil(tl.Peak)
	y := func(v int) float64 { return float64(top) + float64(plotH) - float64(v)*float64(plotH)/float64(maxY) }

	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif" font-size="12">`,
		width, height, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">Coverage timeline: articles per %s by language</title>`, id, tl.Unit)
	fmt.Fprintf(&b, `<desc id="%s-desc">%s</desc>`, id, esc(tl.Summary()))

	// y axis: gridlines at 0, half and the top.
	ticks := []int{0, maxY}
	if maxY >= 2 {
		ticks = []int{0, maxY / 2, maxY}
	}
	for _, v := range ticks {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="currentColor" stroke-opacity="0.35" stroke-width="1"/>`, left, width-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="currentColor">%d</text>`, left-6, y(v)+4, v)
	}

	// Bars, stacked by language.
	for i, bk := range tl.Buckets {
		x := float64(left) + float64(i)*bw + gap/2
		acc := 0
		for si, c := range bk.Counts {
			if c == 0 {
				continue
			}
			y0, y1 := y(acc+c), y(acc)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d in %s</title></rect>`,
				x, y0, bw-gap, y1-y0, tl.Series[si].Colour, esc(bk.Label), c, esc(tl.Series[si].Name))
			acc += c
		}
	}

	// x labels: at most about 6, evenly spread, first and last included.
	for _, i := range labelIndexes(n, 6) {
		tl.xLabel(&b, i, left, bw, top+plotH)
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="currentColor" stroke-width="1"/>`, left, width-right, top+plotH, top+plotH)

	// Legend.
	colW := plotW / perRow
	for i, s := range tl.Series {
		lx := left + (i%perRow)*colW
		ly := top + plotH + axisH + (i/perRow)*legendH
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, lx, ly, s.Colour)
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="currentColor">%s (%d)</text>`, lx+18, ly+11, esc(s.Name), s.Total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (tl *timeline) xLabel(b *strings.Builder, i, left int, bw float64, base int) {
	label := tl.Buckets[i].Label
	if !tl.Hourly {
		label = tl.Buckets[i].Start.Format("2 Jan")
	}
	x := float64(left) + (float64(i)+0.5)*bw
	anchor := "middle"
	if i == 0 && len(tl.Buckets) > 1 {
		anchor, x = "start", float64(left)
	} else if i == len(tl.Buckets)-1 && len(tl.Buckets) > 1 {
		anchor, x = "end", float64(left)+float64(len(tl.Buckets))*bw
	}
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="currentColor" stroke-width="1"/>`,
		float64(left)+(float64(i)+0.5)*bw, float64(left)+(float64(i)+0.5)*bw, base, base+4)
	fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="%s" fill="currentColor">%s</text>`, x, base+18, anchor, html.EscapeString(label))
}

// labelIndexes picks about want evenly spread indexes of n, the first
// and the last among them, none crowding the last.
func labelIndexes(n, want int) []int {
	if n <= 0 {
		return nil
	}
	step := max(1, (n+want-1)/want)
	var out []int
	for i := 0; i < n; i += step {
		out = append(out, i)
	}
	if last := out[len(out)-1]; last != n-1 {
		if len(out) > 1 && n-1-last < step {
			out[len(out)-1] = n - 1
		} else {
			out = append(out, n-1)
		}
	}
	return out
}

// niceCeil rounds a positive count up to 1, 2, 4, 5 or 10 times a power
// of ten, for the top of the y axis; it is even from 2 up so that the
// middle gridline is a whole number.
func niceCeil(v int) int {
	if v <= 1 {
		return 1
	}
	p := 1
	for p*10 < v {
		p *= 10
	}
	for _, m := range []int{1, 2, 4, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
