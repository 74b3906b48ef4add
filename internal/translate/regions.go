package translate

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Countries and world regions have conventional names in each language
// (España is Spain, Estados Unidos the United States). They come from
// CLDR's locale data as golang.org/x/text ships it, which is kept up to
// date upstream, rather than from a list of our own.

// continents are the UN M.49 areas whose names are used in news; the
// finer ones ("África occidental") read as descriptions, not names.
var continents = []string{"002", "005", "009", "013", "029", "142", "150"}

// regionExclusions are region names that are far more often something
// else in the source language: a given name (Mauricio, Guadalupe, French
// Maurice) or a city (Granada). They stay as written.
var regionExclusions = map[string]bool{"Mauricio": true, "Guadalupe": true, "Granada": true, "Georgia": true, "Maurice": true}

var regionTables sync.Map // Pair -> map[string]string

// regionNames maps the source language's names of countries and world
// regions to the target language's. A name the two languages write alike
// but for accents is left out: it is kept as the source writes it.
func regionNames(p Pair) map[string]string {
	if m, ok := regionTables.Load(p); ok {
		return m.(map[string]string)
	}
	m := buildRegionNames(p)
	actual, _ := regionTables.LoadOrStore(p, m)
	return actual.(map[string]string)
}

func buildRegionNames(p Pair) map[string]string {
	from, err1 := language.Parse(p.From)
	to, err2 := language.Parse(p.To)
	out := map[string]string{}
	if err1 != nil || err2 != nil {
		return out
	}
	src, dst := display.Regions(from), display.Regions(to)
	add := func(r language.Region) {
		s, d := src.Name(r), dst.Name(r)
		if s == "" || d == "" || regionExclusions[s] || strings.ContainsAny(s+d, "()&.,") {
			return
		}
		if r0, _ := utf8First(s); !isUpperRune(r0) {
			return // "zona euro": not a name
		}
		if accentFolder.Replace(s) == accentFolder.Replace(d) {
			return
		}
		if _, dup := out[s]; !dup {
			out[s] = d
		}
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.Canonicalize() != r {
				continue
			}
			add(r)
		}
	}
	for _, c := range continents {
		if r, err := language.ParseRegion(c); err == nil {
			add(r)
		}
	}
	return out
}

// RegionNames returns the conventional region names regionNames finds
// for p, for tools that check translations (newsdesk audit).
func RegionNames(p Pair) map[string]string {
	m := regionNames(p)
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
