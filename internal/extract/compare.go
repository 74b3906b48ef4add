package extract

import (
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// Candidates are compared by word 4-grams (the unit the scrapinghub metric
// scores): a block of one candidate is "agreed" when most of its words sit
// in 4-grams the other candidate also has.

const gram = 4

var seed = maphash.MakeSeed()

// tokenSpan is one word of a candidate's text, with the block it is in.
type tokenSpan struct {
	word  string
	block int
}

func tokenize(bs []block) []tokenSpan {
	var out []tokenSpan
	for i, b := range bs {
		s := b.text
		start := -1
		for j, r := range s {
			w := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
			if w && start < 0 {
				start = j
			} else if !w && start >= 0 {
				out = append(out, tokenSpan{s[start:j], i})
				start = -1
			}
		}
		if start >= 0 {
			out = append(out, tokenSpan{s[start:], i})
		}
	}
	return out
}

func gramHash(toks []tokenSpan) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, t := range toks {
		h.WriteString(t.word)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// gramSet is the set of a token stream's 4-gram hashes.
func gramSet(toks []tokenSpan) map[uint64]struct{} {
	set := make(map[uint64]struct{}, len(toks))
	for i := 0; i+gram <= len(toks); i++ {
		set[gramHash(toks[i:i+gram])] = struct{}{}
	}
	if len(toks) > 0 && len(toks) < gram {
		set[gramHash(toks)] = struct{}{}
	}
	return set
}

// agreement returns, for each block of a candidate, the share of its words
// covered by a 4-gram the other candidate has, and the share over all
// words.
func agreement(toks []tokenSpan, nblocks int, other map[uint64]struct{}) (perBlock []float64, total float64) {
	covered := make([]bool, len(toks))
	if len(toks) < gram {
		if _, ok := other[gramHash(toks)]; ok && len(toks) > 0 {
			for i := range covered {
				covered[i] = true
			}
		}
	}
	for i := 0; i+gram <= len(toks); i++ {
		if _, ok := other[gramHash(toks[i:i+gram])]; ok {
			for j := i; j < i+gram; j++ {
				covered[j] = true
			}
		}
	}
	perBlock = make([]float64, nblocks)
	count := make([]int, nblocks)
	n := 0
	for i, t := range toks {
		count[t.block]++
		if covered[i] {
			perBlock[t.block]++
			n++
		}
	}
	for i := range perBlock {
		if count[i] > 0 {
			perBlock[i] /= float64(count[i])
		}
	}
	if len(toks) > 0 {
		total = float64(n) / float64(len(toks))
	}
	return perBlock, total
}

// sentenceEnd reports whether s ends like prose does.
func sentenceEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', '。', '！', '？', '"', '”', '»', ')', ':', '’', '\'':
		return true
	}
	return false
}
