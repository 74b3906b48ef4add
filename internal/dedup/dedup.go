// Package dedup finds syndicated copies: the same article republished by
// other outlets, in another page template, trimmed, lightly edited,
// re-headlined, or machine-translated (compared on its translation). It
// groups the copies and names the original.
//
// Fingerprints are sampled word shingles (Broder's mod-m sketch): every
// 5-word shingle whose hash is 0 mod 4 is kept. Unlike a fixed-size
// MinHash signature, the sample grows with the text, so the share of a
// short copy's sample found in a longer one estimates containment — a
// trimmed copy is contained in its original while their Jaccard
// similarity is low — and a plain inverted index over the samples finds
// candidates without a scan. Shingles present in very many articles
// (template boilerplate) are ignored.
package dedup

import (
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Shingle sizes and sampling modulus. Copies in one language share long
// shingles; a machine-translated copy, compared on its translation back,
// keeps the facts and word order but few runs of five words, so it is
// compared on word pairs instead, with its own threshold.
const (
	shingleWords     = 5
	pairShingleWords = 2
	sampleMod        = 4
)

// Options tune an Index. Zero fields take their defaults.
type Options struct {
	// Threshold is the least overlap (shared sampled shingles over the
	// smaller sample) for two articles to be copies. Default 0.5.
	Threshold float64
	// TranslatedThreshold is the least overlap of word-pair samples for
	// a translated article and another to be copies. Default 0.45.
	TranslatedThreshold float64
	// Window is how far apart in publication time copies may be
	// (default 7 days); articles without a time are compared anyway.
	Window time.Duration
	// MaxArticles bounds the index (default 200,000); the oldest go first.
	MaxArticles int
	// MaxPosting is the most articles a shingle may occur in and still
	// count (default 50): beyond it the shingle is boilerplate.
	MaxPosting int
}

func (o *Options) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = 0.5
	}
	if o.TranslatedThreshold <= 0 {
		o.TranslatedThreshold = 0.45
	}
	if o.Window <= 0 {
		o.Window = 7 * 24 * time.Hour
	}
	if o.MaxArticles <= 0 {
		o.MaxArticles = 200_000
	}
	if o.MaxPosting <= 0 {
		o.MaxPosting = 50
	}
}

// Article is what dedup needs of an article. Text should be the English
// translation when the article was translated, so that a translated copy
// meets its original.
type Article struct {
	ID        int64
	URL       string
	Canonical string // rel=canonical or og:url, when it differs from URL
	Site      string
	Byline    string
	Title     string
	Text      string
	Published time.Time
	// Translated is set when Title and Text are a machine translation
	// of the article as published.
	Translated bool
}

// Match is what Add found for an article.
type Match struct {
	// Group is the syndication group: the ID of the first article of
	// the group seen (the article's own ID when it has no copy yet).
	Group int64
	// Of is the earlier article this one copies most closely, 0 if none.
	Of int64
	// Overlap is the share of the smaller sample found in the other.
	Overlap float64
}

type entry struct {
	id         int64
	group      int64
	sample     []uint32 // 5-word shingles
	pairs      []uint32 // 2-word shingles
	t          time.Time
	translated bool
	alive      bool
}

// Index holds the fingerprints of recent articles. It is not safe for
// concurrent use.
type Index struct {
	opts     Options
	postings map[uint32][]*entry
	pairIdx  map[uint32][]*entry
	order    []*entry
	head     int
	groups   map[int64]int64 // article -> group, for articles in the window
}

// NewIndex makes an empty Index.
func NewIndex(opts Options) *Index {
	opts.defaults()
	return &Index{opts: opts, postings: map[uint32][]*entry{}, pairIdx: map[uint32][]*entry{}, groups: map[int64]int64{}}
}

// Add fingerprints a and returns its group.
func (x *Index) Add(a Article) Match {
	e := x.entry(a)
	m := x.best(e)
	if m.Of == 0 {
		m.Group = a.ID
	}
	x.insert(e, m.Group)
	return m
}

// entry fingerprints a.
func (x *Index) entry(a Article) *entry {
	words := Words(a.Title + "\n" + a.Text)
	return &entry{id: a.ID, group: a.ID, sample: sample(words, shingleWords), pairs: sample(words, pairShingleWords),
		t: a.Published, translated: a.Translated, alive: true}
}

// insert indexes e as a member of group.
func (x *Index) insert(e *entry, group int64) {
	e.group = group
	// a shingle in more than MaxPosting articles is boilerplate: its list
	// stops growing, which bounds the index's memory and each lookup
	for _, h := range e.sample {
		if l := x.postings[h]; len(l) <= x.opts.MaxPosting {
			x.postings[h] = append(l, e)
		}
	}
	for _, h := range e.pairs {
		if l := x.pairIdx[h]; len(l) <= x.opts.MaxPosting {
			x.pairIdx[h] = append(l, e)
		}
	}
	x.order = append(x.order, e)
	x.groups[e.id] = e.group
	for len(x.order)-x.head > x.opts.MaxArticles {
		x.drop()
	}
}

// Compare returns the overlap of two texts' samples (0..1): the share of
// the smaller sample found in the larger.
func Compare(a, b string) float64 {
	return overlap(Sample(a), Sample(b))
}

func (x *Index) best(n *entry) Match {
	var m Match
	consider := func(e *entry, shared, small int, threshold float64) {
		if small == 0 || (!n.t.IsZero() && !e.t.IsZero() && absDur(n.t.Sub(e.t)) > x.opts.Window) {
			return
		}
		ov := min(float64(shared)/float64(small), 1)
		if ov >= threshold && (ov > m.Overlap || (ov == m.Overlap && e.id < m.Of)) {
			m = Match{Group: e.group, Of: e.id, Overlap: ov}
		}
	}
	for e, k := range x.shared(x.postings, n.sample) {
		consider(e, k, min(len(n.sample), len(e.sample)), x.opts.Threshold)
	}
	for e, k := range x.shared(x.pairIdx, n.pairs) {
		if n.translated || e.translated {
			consider(e, k, min(len(n.pairs), len(e.pairs)), x.opts.TranslatedThreshold)
		}
	}
	return m
}

// shared counts, per indexed article, the hashes of s it shares, skipping
// hashes so common that they are boilerplate.
func (x *Index) shared(idx map[uint32][]*entry, s []uint32) map[*entry]int {
	out := map[*entry]int{}
	for _, h := range s {
		list := idx[h]
		live := list[:0]
		for _, e := range list {
			if e.alive {
				live = append(live, e)
			}
		}
		for i := len(live); i < len(list); i++ {
			list[i] = nil
		}
		if len(live) == 0 {
			delete(idx, h)
			continue
		}
		idx[h] = live
		if len(live) > x.opts.MaxPosting {
			continue
		}
		for _, e := range live {
			out[e]++
		}
	}
	return out
}

func (x *Index) drop() {
	e := x.order[x.head]
	x.order[x.head] = nil
	x.head++
	if e.alive {
		e.alive = false
		delete(x.groups, e.id)
	}
	if x.head > 1024 && x.head*2 > len(x.order) {
		x.order = append([]*entry(nil), x.order[x.head:]...)
		x.head = 0
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Sample returns the sorted, distinct sampled 5-word shingle hashes of
// text.
func Sample(text string) []uint32 { return sample(Words(text), shingleWords) }

func sample(words []string, size int) []uint32 {
	if len(words) == 0 {
		return nil
	}
	n := len(words) - size + 1
	if n < 1 {
		n = 1
	}
	seen := make(map[uint32]bool, n/sampleMod+1)
	out := make([]uint32, 0, n/sampleMod+1)
	h := fnv.New32a()
	for i := 0; i < n; i++ {
		h.Reset()
		end := min(i+size, len(words))
		for _, w := range words[i:end] {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		v := h.Sum32()
		// mix before sampling: FNV's low bits are weak
		v ^= v >> 16
		v *= 0x7feb352d
		v ^= v >> 15
		if v%sampleMod != 0 || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func overlap(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}

// Words normalises text for fingerprinting: lower-case, accents folded,
// punctuation dropped, so that template and typography differences
// ("—" for "-", curly quotes) do not matter.
func Words(text string) []string {
	text = norm.NFKD.String(text)
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return words
}
