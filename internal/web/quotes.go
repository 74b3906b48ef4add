package web

import (
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Quotes are found in the original text (internal/enrich), so the words a
// reader of the translation sees must be located in it. The engine keeps
// paragraphs and quotation marks, so a quote is taken to be the same
// numbered quotation in the same numbered paragraph of the translation,
// and only when that numbering is unambiguous: both texts have as many
// paragraphs, both paragraphs as many quotations, and the two are of a
// like length. Otherwise the quote is shown as said, marked with its
// language.

// translatedQuote returns the translation of quote q of original text
// orig, found in translated text tr, or "" when it cannot be told.
func translatedQuote(orig, tr string, q news.Quote) string {
	if q.Text == "" || orig == "" || tr == "" {
		return ""
	}
	at := -1
	if q.Span.Start >= 0 && q.Span.End <= len(orig) && q.Span.Start < q.Span.End && orig[q.Span.Start:q.Span.End] == q.Text {
		at = q.Span.Start
	} else if i := strings.Index(orig, q.Text); i >= 0 && !strings.Contains(orig[i+1:], q.Text) {
		at = i
	}
	if at < 0 {
		return ""
	}
	op, tp := paragraphs(orig), paragraphs(tr)
	if len(op) != len(tp) {
		return ""
	}
	for i, para := range op {
		if at < para[0] || at >= para[1] {
			continue
		}
		oq, tq := quotations(orig[para[0]:para[1]]), quotations(tr[tp[i][0]:tp[i][1]])
		if len(oq) != len(tq) {
			return ""
		}
		for k, x := range oq {
			if at-para[0] < x[0] || at-para[0] >= x[1] {
				continue
			}
			ot := orig[para[0]+x[0] : para[0]+x[1]]
			tt := strings.TrimSpace(tr[tp[i][0]+tq[k][0] : tp[i][0]+tq[k][1]])
			on, tn := utf8.RuneCountInString(ot), utf8.RuneCountInString(tt)
			if tn == 0 || tn*2 < on || tn > on*2+10 {
				return ""
			}
			return tt
		}
		return ""
	}
	return ""
}

// paragraphs are the byte ranges of a plain text's paragraphs, which are
// separated by blank lines.
func paragraphs(text string) [][2]int {
	var out [][2]int
	start := 0
	for {
		i := strings.Index(text[start:], "\n\n")
		end := len(text)
		if i >= 0 {
			end = start + i
		}
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
		if i < 0 {
			return out
		}
		start = end + 2
	}
}

// quotePairs are the quotation marks a quotation opens and closes with.
var quotePairs = map[rune]rune{'“': '”', '«': '»', '"': '"', '„': '“'}

// quotations are the byte ranges of the words inside quotation marks in a
// paragraph, in order; a mark left open ends the search.
func quotations(p string) [][2]int {
	var out [][2]int
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		closer, ok := quotePairs[r]
		if !ok {
			i += n
			continue
		}
		j := strings.IndexRune(p[i+n:], closer)
		if j < 0 {
			return out
		}
		out = append(out, [2]int{i + n, i + n + j})
		i += n + j + utf8.RuneLen(closer)
	}
	return out
}
