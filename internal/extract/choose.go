package extract

import (
	"strings"

	"golang.org/x/net/html/atom"

	"golang.org/x/net/html"
)

// candidate is one extractor's view of the article: a content tree and its
// blocks.
type candidate struct {
	name   string
	root   *html.Node
	blocks []block
	words  int
}

func newCandidate(name string, root *html.Node) *candidate {
	if root == nil {
		return nil
	}
	c := &candidate{name: name, root: root, blocks: dropRepeats(blocksOf(root))}
	for _, b := range c.blocks {
		c.words += b.words
	}
	if c.words == 0 {
		return nil
	}
	return c
}

// Thresholds of the combination, set on the scrapinghub and
// trafilatura-eval development sets.
const (
	proseWords   = 20   // a disputed block needs this many words to be kept
	proseLinks   = 0.25 // and at most this share of link text
	stopLinks    = 0.5  // a block with more link text ends the article
	wordsPerMark = 30   // prose has a punctuation mark at least this often
	minAgreed    = 30   // fewer agreed words: the extractors disagree
)

// choose combines two candidates into the article's blocks. Where both
// extractors agree on a passage it is kept; a passage only one of them
// found is kept when it reads like prose, since what one extractor adds
// and the other leaves out is either content the other missed or page
// furniture, and prose is rarely furniture.
func choose(t, r *candidate) (*candidate, []block) {
	switch {
	case t == nil && r == nil:
		return nil, nil
	case r == nil:
		return t, t.blocks
	case t == nil:
		return r, r.blocks
	}
	tt, rt := tokenize(t.blocks), tokenize(r.blocks)
	aT, _ := agreement(tt, len(t.blocks), gramSet(rt))
	aR, _ := agreement(rt, len(r.blocks), gramSet(tt))
	kt, wt := filterBlocks(t.blocks, aT)
	kr, wr := filterBlocks(r.blocks, aR)
	// A filter that leaves (almost) nothing means the two extractors
	// found different articles; fall back on the unfiltered candidate.
	if wt < minAgreed {
		kt, wt = proseBlocks(t.blocks)
	}
	if wr < minAgreed {
		kr, wr = proseBlocks(r.blocks)
	}
	// Of the two filtered views, the longer holds the more corroborated
	// prose; readability wins ties, its trees keep links.
	if wt > wr {
		return t, pruneTo(t.blocks, kt)
	}
	return r, pruneTo(r.blocks, kr)
}

// pruneTo removes from the content tree the blocks of all that are not in
// kept, so that the article's HTML says what its text says.
func pruneTo(all, kept []block) []block {
	j := 0
	for _, b := range all {
		if j < len(kept) && kept[j].owner == b.owner && kept[j].text == b.text {
			j++
			continue
		}
		b.remove()
	}
	return kept
}

// filterBlocks keeps a candidate's blocks that the other candidate agrees
// on, the prose between them, and prose that runs on from them to either
// side until a link-heavy block (a menu, a share bar, a list of other
// stories) ends the article.
func filterBlocks(bs []block, agree []float64) ([]block, int) {
	first, last := -1, -1
	for i := range bs {
		if agree[i] >= 0.5 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	keepIdx := make([]bool, len(bs))
	for i, b := range bs {
		switch {
		case agree[i] >= 0.5:
			keepIdx[i] = true
		case i > first && i < last:
			keepIdx[i] = b.words >= proseWords && b.linkDensity() < proseLinks && punctuated(b)
		}
	}
	if first >= 0 {
		for i := last + 1; i < len(bs) && !isStop(bs[i]); i++ {
			keepIdx[i] = bs[i].words >= proseWords && bs[i].linkDensity() < proseLinks && punctuated(bs[i])
		}
		for i := first - 1; i >= 0 && !isStop(bs[i]); i-- {
			keepIdx[i] = bs[i].words >= proseWords && bs[i].linkDensity() < proseLinks && punctuated(bs[i])
		}
	}
	var keep []block
	words := 0
	for i, b := range bs {
		if keepIdx[i] {
			keep = append(keep, b)
			words += b.words
		}
	}
	return keep, words
}

// isStop reports whether a block ends an article: a menu, share bar or
// list of other stories, or a heading that introduces one ("Read more",
// "Related").
func isStop(b block) bool {
	return b.words >= 2 && b.linkDensity() > stopLinks || isHeading(b.tag) && furniture(b) != ""
}

// punctuated reports whether a block has the punctuation of prose: a long
// run of words without any is a menu, a tag cloud or a list of links.
func punctuated(b block) bool {
	if b.words < wordsPerMark {
		return true
	}
	marks := 0
	for _, r := range b.text {
		switch r {
		case '.', ',', ';', '!', '?', '。', '，', '、', '！', '？', '؟', '،', '।':
			marks++
		}
	}
	return marks*wordsPerMark >= b.words
}

// proseBlocks drops the long unpunctuated blocks (menus, tag clouds) of a
// candidate the other one does not corroborate.
func proseBlocks(bs []block) ([]block, int) {
	var keep []block
	words := 0
	for _, b := range bs {
		if punctuated(b) {
			keep = append(keep, b)
			words += b.words
		}
	}
	return keep, words
}

// dropRepeats removes blocks whose text already appeared inside a longer
// earlier block. go-trafilatura v1.12.2 copies the lines of a paragraph
// broken with <br> into new paragraphs after it; an identical block (a
// question asked again, a refrain) is left alone.
func dropRepeats(bs []block) []block {
	var out []block
	// seen holds every earlier block's text, NUL-separated: a block it
	// does not contain is in no earlier block, which one search tells
	// instead of one per earlier block.
	var seen strings.Builder
	for i, b := range bs {
		repeat := false
		maybe := b.words >= 2 && strings.Contains(seen.String(), b.text)
		seen.WriteString(b.text)
		seen.WriteByte(0)
		for j := 0; j < i && !repeat && maybe; j++ {
			repeat = len(bs[j].text) > len(b.text) && strings.Contains(bs[j].text, b.text)
		}
		if repeat {
			b.remove()
			continue
		}
		out = append(out, b)
	}
	return out
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
