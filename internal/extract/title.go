package extract

import (
	"regexp"
	"strings"
)

// titleSep splits "Headline | Site" and its variants.
var titleSep = regexp.MustCompile(`\s+(?:\||-|–|—|::|:|»|/|·|•)\s+`)

// stripSiteName removes a leading or trailing segment of a title that
// names the site ("Headline - Site", "Site | Headline"), as pages append
// their name to the <title> and often to og:title too.
func stripSiteName(title string, sites ...string) string {
	locs := titleSep.FindAllStringIndex(title, -1)
	if len(locs) == 0 {
		return title
	}
	var names []string
	for _, s := range sites {
		if f := foldText(s); f != "" {
			names = append(names, f, strings.ReplaceAll(f, " ", ""))
		}
	}
	isSite := func(seg string) bool {
		f := foldText(seg)
		if f == "" {
			return false
		}
		compact := strings.ReplaceAll(f, " ", "")
		for _, n := range names {
			if f == n || compact == n || strings.Contains(n, compact) && len(compact) >= 4 || strings.Contains(compact, n) && len(n) >= 4 {
				return true
			}
		}
		return false
	}
	// Trailing segments first: "Headline - Section - Site".
	last := locs[len(locs)-1]
	if isSite(title[last[1]:]) {
		return stripSiteName(strings.TrimSpace(title[:last[0]]), sites...)
	}
	first := locs[0]
	if rest := title[first[1]:]; isSite(title[:first[0]]) && len(rest) > first[0] {
		return strings.TrimSpace(rest)
	}
	return title
}
