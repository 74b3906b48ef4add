// Package story gathers articles into stories: every article that reports
// the same real event, from any outlet and in any language, ends up in one
// story. It clusters online: each article is assigned once, on arrival, to
// the most similar open story or to a new one, and stories that the new
// article binds together are merged. A window bounds how many articles
// (and how old a story) stay comparable, so memory does not grow with the
// archive.
//
// On arrival an article is compared by TF-IDF over words, names and
// numbers (the lead counting double) with its nearest open articles, and
// joins the story they score best on average. Every so often Refine
// revisits the stories that grew: it moves articles to the story whose
// centroid fits them best, splits a story that holds two events, and
// joins stories that are parts of one. Split and join look at a story's
// articles with the words they all share weighted down (they say which
// kind of event this is, not which one: "earthquake", "Oscars host"), so
// what tells two earthquakes apart is the place, the toll, the names; and
// at how many nearest neighbours two articles share, which holds two
// reports of one event together however differently they are worded.
// Who held an office is a constraint, not a term: two articles that name
// different holders of one office (two interior secretaries, two mayors
// of one town), neither naming the other's, are never linked in a split
// and keep two stories from being joined, since one event has one holder
// of each office.
package story

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
)

// Options tune a Clusterer. The zero value of a field means its default.
type Options struct {
	// Threshold is the least neighbourhood similarity (0..1) of an article
	// to a story for it to join; below it the article starts a new story.
	Threshold float64
	// MergeThreshold is the least similarity of an article to a second
	// story for that story to be merged into the one it joined.
	MergeThreshold float64
	// Window closes articles older than this relative to the article
	// being assigned (default 96h). Articles without a time are closed
	// only by MaxArticles.
	Window time.Duration
	// MaxArticles is how many articles stay comparable (default 100,000);
	// beyond it the oldest are dropped.
	MaxArticles int
	// Neighbours is how many nearest articles form the neighbourhood
	// (default 20).
	Neighbours int
	// RefineThreshold is the least similarity of an article to a story's
	// centroid for Refine to keep it there or move it there.
	RefineThreshold float64
	// SplitThreshold: Refine splits a story in two when the cheapest
	// normalised cut of its articles' similarity graph (rarity inside
	// the story blended with shared nearest neighbours) costs less than
	// this (0 for two unrelated groups, about 1 for one event), and
	// joins two neighbouring stories when the cut between them costs at
	// least this. Negative turns splitting and joining off; zero means
	// the default.
	SplitThreshold float64
	// DocTerms caps the terms kept per article (default 120): the most
	// distinctive stay, which bounds memory and comparison time.
	DocTerms int
}

// Defaults of Options.
const (
	DefaultThreshold       = 0.15
	DefaultMergeThreshold  = 0.35
	DefaultRefineThreshold = 0.20
	DefaultSplitThreshold  = 0.6
	// DefaultRefineEvery is how many assignments the Tracker (and the
	// evaluation) lets pass between two Refines.
	DefaultRefineEvery = 100
)

func (o *Options) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.MergeThreshold <= 0 {
		o.MergeThreshold = DefaultMergeThreshold
	}
	if o.Window <= 0 {
		o.Window = 96 * time.Hour
	}
	if o.MaxArticles <= 0 {
		o.MaxArticles = 100_000
	}
	if o.Neighbours <= 0 {
		o.Neighbours = 20
	}
	if o.SplitThreshold == 0 {
		o.SplitThreshold = DefaultSplitThreshold
	}
	if o.RefineThreshold <= 0 {
		o.RefineThreshold = DefaultRefineThreshold
	}
	if o.DocTerms <= 0 {
		o.DocTerms = 120
	}
}

// Kind weights: a shared name or number says more about "the same event"
// than a shared common word of equal rarity. Numbers (tolls, scores,
// sums, years) also survive translation untouched, where words do not.
var kindWeight = map[byte]float64{kindWord: 1, kindName: 3, kindNumber: 3}

// Article is what the clusterer needs of one article.
type Article struct {
	ID        int64
	Published time.Time // zero when unknown
	Features  Features
}

// Assignment says where an article went.
type Assignment struct {
	Story int64   // the story the article now belongs to
	New   bool    // the article started this story
	Score float64 // similarity to the story it joined (0 for a new story)
	// Merged lists stories that were merged into Story because this
	// article bound them together; callers re-point their articles.
	Merged []int64
}

type docState struct {
	id    int64
	seq   uint64 // arrival order
	story int64  // as assigned; follow merges with resolve
	ids   []int32
	w     []float32 // log-tf times kind weight, length-normalised (no idf)
	t     time.Time
	alive bool

	// nbr is the article's nearest neighbours, best first, at most
	// sharedK: found when it arrives and updated as nearer articles
	// arrive after it. Refine reads them instead of searching again.
	nbr []neighbour

	// offices the article names with their holders (mostly none),
	// and then its one-word names (Features.People)
	offices []Office
	people  []string

	// day is the day the article was published (or its text is dated),
	// in days since 1970; 0 when unknown
	day int32

	normV  float64 // cached TF-IDF norm
	normAt int     // nDocs when normV was computed
}

// Clusterer assigns articles to stories, one at a time. It is not safe for
// concurrent use: production runs one per process, fed in arrival order.
type Clusterer struct {
	opts     Options
	vocab    map[string]int32
	df       []int32
	nDocs    int
	nextID   int64
	seq      uint64      // articles added so far
	base     uint64      // the arrival number of docs[0]
	docs     []*docState // arrival order; a prefix is dropped as it closes
	head     int         // docs[:head] are closed
	postings [][]posting
	dead     []int32   // per term, postings of closed articles not yet compacted away
	logDF    []float64 // log(df+1) per term, kept with df
	logN     float64   // log(nDocs+1)
	parent   map[int64]int64
	size     map[int64]int // open articles per story (after merges)
	dirty    []*docState   // added since the last Refine
	// scratch for neighbours: partial scores by index into docs, the
	// indices scored, and the query's weights by term id
	acc      termTable[float64]
	touched  []int32
	query    termTable[float32]
	cents    map[int64]*centroid
	seenSize map[int64]int // a story's size when Refine last revisited it whole
	// unsplit is a story's size when a try to split it last found one
	// event
	unsplit map[int64]int
	// joinDeclined holds the story pairs Refine did not join, at the
	// sizes they had then
	joinDeclined map[joinKey]bool
}

// New makes a Clusterer.
func New(opts Options) *Clusterer {
	opts.defaults()
	return &Clusterer{
		opts:     opts,
		base:     1, // the first article is number 1
		vocab:    map[string]int32{},
		parent:   map[int64]int64{},
		size:     map[int64]int{},
		cents:    map[int64]*centroid{},
		seenSize: map[int64]int{},
		unsplit:  map[int64]int{},
	}
}

// Resolve follows merges: it returns the story that id was merged into (or
// id itself).
func (c *Clusterer) Resolve(id int64) int64 {
	root := id
	for {
		p, ok := c.parent[root]
		if !ok {
			break
		}
		root = p
	}
	for id != root { // path compression
		p := c.parent[id]
		c.parent[id] = root
		id = p
	}
	return root
}

// OpenArticles is how many articles are comparable now.
func (c *Clusterer) OpenArticles() int { return len(c.docs) - c.head }

// posting is one article under a term, with the term's weight in it.
// The article is named by its arrival number, so that a query reads
// the dense list of open articles, never the articles themselves.
type posting struct {
	seq uint64
	w   float32
}

func (c *Clusterer) idf(t int32) float64 {
	return c.logN - c.logDF[t] + 1
}

// vectorize interns the article's terms, counts them into document
// frequencies and keeps the DocTerms most distinctive.
func (c *Clusterer) vectorize(f Features) ([]int32, []float32) {
	type tw struct {
		id   int32
		w    float64
		rank float64
	}
	all := make([]tw, 0, len(f.Terms))
	// new terms get ids in key order, the same on every run, so ties
	// (broken by id) break the same way and results are reproducible;
	// known terms may come in any order, as all is sorted below
	var fresh []string
	add := func(id int32, term string, tf float32) {
		c.df[id]++
		c.logDF[id] = math.Log(float64(c.df[id] + 1))
		w := (1 + math.Log(float64(tf))) * kindWeight[term[0]]
		all = append(all, tw{id: id, w: w})
	}
	for term, tf := range f.Terms {
		if id, ok := c.vocab[term]; ok {
			add(id, term, tf)
		} else {
			fresh = append(fresh, term)
		}
	}
	slices.Sort(fresh)
	for _, term := range fresh {
		id := int32(len(c.df))
		c.vocab[term] = id
		c.df = append(c.df, 0)
		c.logDF = append(c.logDF, 0)
		add(id, term, f.Terms[term])
	}
	c.nDocs++
	c.logN = math.Log(float64(c.nDocs + 1))
	for i := range all {
		all[i].rank = all[i].w * c.idf(all[i].id)
	}
	if len(all) > c.opts.DocTerms {
		slices.SortFunc(all, func(a, b tw) int {
			if a.rank != b.rank {
				return cmp.Compare(b.rank, a.rank)
			}
			return cmp.Compare(a.id, b.id)
		})
		all = all[:c.opts.DocTerms]
	}
	slices.SortFunc(all, func(a, b tw) int { return cmp.Compare(a.id, b.id) })
	ids := make([]int32, len(all))
	ws := make([]float32, len(all))
	var norm float64
	for _, x := range all {
		norm += x.w * x.w
	}
	norm = math.Sqrt(norm)
	for i, x := range all {
		ids[i] = x.id
		ws[i] = float32(x.w / norm)
	}
	return ids, ws
}

// Add assigns one article to a story and returns where it went.
func (c *Clusterer) Add(a Article) Assignment {
	ids, ws := c.vectorize(a.Features)
	c.seq++
	d := &docState{id: a.ID, seq: c.seq, ids: ids, w: ws, t: a.Published, alive: true, offices: a.Features.Offices, people: a.Features.People, day: dayOf(a)}
	c.closeOld(a.Published)

	nbrs := c.neighbours(d)
	scores := c.storyScores(nbrs)
	c.link(d, nbrs)

	var as Assignment
	best, bestScore := int64(0), 0.0
	for sid, s := range scores {
		if s > bestScore || (s == bestScore && sid < best) {
			best, bestScore = sid, s
		}
	}
	if best != 0 && bestScore >= c.opts.Threshold {
		as.Story, as.Score = best, bestScore
		// other stories this article binds strongly to are the same
		// event, split earlier because their first articles differed
		for sid, s := range scores {
			if sid != best && s >= c.opts.MergeThreshold {
				as.Merged = append(as.Merged, sid)
			}
		}
		sort.Slice(as.Merged, func(i, j int) bool { return as.Merged[i] < as.Merged[j] })
		// the oldest story keeps its id, so links to it stay valid
		if len(as.Merged) > 0 && as.Merged[0] < as.Story {
			as.Merged[0], as.Story = as.Story, as.Merged[0]
			sort.Slice(as.Merged, func(i, j int) bool { return as.Merged[i] < as.Merged[j] })
		}
		for _, m := range as.Merged {
			c.parent[m] = as.Story
			c.size[as.Story] += c.size[m]
			delete(c.size, m)
			delete(c.seenSize, m)
			delete(c.unsplit, m)
			c.centMerge(as.Story, m)
		}
	} else {
		c.nextID++
		as.Story, as.New = c.nextID, true
	}
	c.place(d, as.Story)
	c.dirty = append(c.dirty, d)
	return as
}

// place puts d, compared and linked, into story sid and the postings.
func (c *Clusterer) place(d *docState, sid int64) {
	d.story = sid
	c.size[sid]++
	c.centAdd(sid, d)
	c.docs = append(c.docs, d)
	for i, id := range d.ids {
		for int(id) >= len(c.postings) {
			c.postings = append(c.postings, nil)
			c.dead = append(c.dead, 0)
		}
		c.postings[id] = append(c.postings[id], posting{d.seq, d.w[i]})
	}
	c.evictOverflow()
}

type neighbour struct {
	d   *docState
	sim float64
}

// link keeps the neighbour lists: d's own from its nearest (nbrs, best
// first), and d enters the list of each of them it is nearer to than
// their current last.
func (c *Clusterer) link(d *docState, nbrs []neighbour) {
	d.nbr = append(make([]neighbour, 0, sharedK+1), nbrs[:min(len(nbrs), sharedK)]...)
	for _, nb := range nbrs {
		o := nb.d
		list := o.nbr[:0]         // in place: writes never pass reads
		for _, x := range o.nbr { // drop closed articles on the way
			if x.d.alive {
				list = append(list, x)
			}
		}
		if len(list) >= sharedK && list[len(list)-1].sim >= nb.sim {
			o.nbr = list
			continue
		}
		at := len(list)
		for at > 0 && list[at-1].sim < nb.sim {
			at--
		}
		list = slices.Insert(list, at, neighbour{d, nb.sim})
		if len(list) > sharedK {
			list = list[:sharedK]
		}
		o.nbr = list
	}
}

// neighbours returns the open articles nearest to d by TF-IDF cosine, at
// most Neighbours of them. Candidates come from the postings of d's most
// distinctive terms (a term in a large share of the window says nothing
// and its list is long); the best candidates by that partial score are
// then compared in full.
func (c *Clusterer) neighbours(d *docState) []neighbour {
	q := make([]queryTerm, 0, len(d.ids))
	for i, id := range d.ids {
		q = append(q, queryTerm{id, float64(d.w[i]) * c.idf(id)})
	}
	slices.SortFunc(q, func(a, b queryTerm) int {
		if a.x != b.x {
			return cmp.Compare(b.x, a.x)
		}
		return cmp.Compare(a.id, b.id)
	})
	limit := min(c.OpenArticles()/20+50, maxPosting)
	used := q[:0] // the terms looked up, with their weights squared by idf
	for _, t := range q {
		if len(used) == queryTerms {
			break
		}
		if int(t.id) >= len(c.postings) {
			continue
		}
		// a list too long says nothing and is passed over unread
		if n := len(c.postings[t.id]) - int(c.dead[t.id]); n == 0 || n > limit {
			continue
		}
		used = append(used, queryTerm{t.id, t.x * c.idf(t.id)})
	}
	touched := c.scanPostings(used)
	if len(touched) == 0 {
		return nil
	}
	cands := c.topK(touched, 2*c.opts.Neighbours)
	dn := d.norm(c)
	if dn == 0 {
		return nil
	}
	// d's weights are spread over a table by term id, so each
	// candidate is compared in one pass over its own terms: the TF-IDF
	// dot product over the terms both hold, in ascending term order
	c.query.reset(len(c.df))
	for i, id := range d.ids {
		c.query.add(id, d.w[i])
	}
	for i := range cands {
		b := cands[i].d
		var s float64
		for j, id := range b.ids {
			if w, ok := c.query.get(id); ok {
				idf := c.idf(id)
				s += float64(w) * float64(b.w[j]) * idf * idf
			}
		}
		cands[i].sim = s / (dn * b.norm(c))
	}
	slices.SortFunc(cands, byScore)
	if len(cands) > c.opts.Neighbours {
		cands = cands[:c.opts.Neighbours]
	}
	return cands
}

// queryTerm is a term of a neighbours query and its weight.
type queryTerm struct {
	id int32
	x  float64
}

// scanPostings adds up the partial scores of the open articles that hold
// the query's terms, x times the article's weight of each, in c.acc, a
// table beside c.docs (no map and no article on the hot path), and
// returns the articles it touched, each once.
func (c *Clusterer) scanPostings(used []queryTerm) []int32 {
	c.acc.reset(len(c.docs))
	touched := c.touched[:0]
	for _, t := range used {
		for _, p := range c.postings[t.id] {
			i := p.seq - c.base // wraps to a huge number if reclaimed
			if i >= uint64(len(c.docs)) || c.docs[i] == nil {
				continue // closed
			}
			if c.acc.add(int32(i), t.x*float64(p.w)) {
				touched = append(touched, int32(i))
			}
		}
	}
	c.touched = touched
	return touched
}

// queryTerms is how many of an article's terms are looked up to find its
// candidate neighbours; a term in more than maxPosting open articles is
// too common to be one of them.
const (
	queryTerms = 16
	maxPosting = 1000
)

// compact drops term id's postings of closed articles, in place.
func (c *Clusterer) compact(id int32) {
	c.dead[id] = 0
	list := c.postings[id]
	live := list[:0]
	for _, p := range list {
		if i := p.seq - c.base; i < uint64(len(c.docs)) && c.docs[i] != nil {
			live = append(live, p)
		}
	}
	clear(list[len(live):])
	c.postings[id] = live
}

// norm is the article's TF-IDF length. It is cached: idf drifts slowly, so
// it is recomputed only when the window has grown by an eighth.
func (d *docState) norm(c *Clusterer) float64 {
	if d.normAt > 0 && c.nDocs-d.normAt <= d.normAt/8 {
		return d.normV
	}
	d.normV, d.normAt = c.tfidfLength(d.ids, d.w), c.nDocs
	return d.normV
}

// tfidfLength is the length of the vector of weights w of terms ids
// under the current idf.
func (c *Clusterer) tfidfLength(ids []int32, w []float32) float64 {
	var n2 float64
	for i, id := range ids {
		x := float64(w[i]) * c.idf(id)
		n2 += x * x
	}
	return math.Sqrt(n2)
}

// storyScores scores each story among d's neighbours by average
// linkage: the sum of d's similarities to the story's articles over the
// story's size. An article outside d's neighbourhood counts as zero, so a
// large story must be close as a whole, not through one article.
func (c *Clusterer) storyScores(nbrs []neighbour) map[int64]float64 {
	sums := map[int64]float64{}
	for _, n := range nbrs {
		sums[c.Resolve(n.d.story)] += n.sim
	}
	for sid, s := range sums {
		if n := c.size[sid]; n > 0 {
			sums[sid] = s / float64(n)
		}
	}
	return sums
}

// closeOld drops articles older than the window before now.
func (c *Clusterer) closeOld(now time.Time) {
	if now.IsZero() {
		return
	}
	for c.head < len(c.docs) {
		d := c.docs[c.head]
		if d == nil { // removed
			c.drop()
			continue
		}
		if d.t.IsZero() || now.Sub(d.t) <= c.opts.Window {
			break
		}
		c.drop()
	}
}

func (c *Clusterer) evictOverflow() {
	for c.OpenArticles() > c.opts.MaxArticles {
		c.drop()
	}
}

func (c *Clusterer) drop() {
	d := c.docs[c.head]
	c.docs[c.head] = nil // before close: compaction keeps what is in docs
	c.head++
	if d != nil { // nil: removed already
		c.close(d)
	}
	// reclaim the dropped prefix now and then
	if c.head > 1024 && c.head*2 > len(c.docs) {
		c.docs = append([]*docState(nil), c.docs[c.head:]...)
		c.base += uint64(c.head)
		c.head = 0
	}
}

// close takes d out of its story, its centroid and the postings.
func (c *Clusterer) close(d *docState) {
	d.alive = false
	sid := c.Resolve(d.story)
	if c.size[sid]--; c.size[sid] <= 0 {
		delete(c.size, sid)
		delete(c.seenSize, sid)
		delete(c.unsplit, sid)
	}
	c.centRemove(sid, d)
	// its postings are now dead: readers skip them, and a list is
	// compacted once it is more dead than alive, which bounds the
	// garbage at half and costs each posting O(1) over its life
	for _, id := range d.ids {
		if c.dead[id]++; int(c.dead[id])*2 > len(c.postings[id]) {
			c.compact(id)
		}
	}
	// a closed article may still be named in others' neighbour lists
	// until they are next updated; only its identity is kept
	d.nbr, d.ids, d.w = nil, nil, nil
}

// byScore orders neighbours best first, then by article ID.
func byScore(a, b neighbour) int {
	if a.sim != b.sim {
		return cmp.Compare(b.sim, a.sim)
	}
	return cmp.Compare(a.d.id, b.d.id)
}

// topK returns the k best-scored of the open articles at indices ix of
// c.docs (by their partial score in acc), in no particular order,
// keeping a min-heap of k instead of sorting everything.
func (c *Clusterer) topK(ix []int32, k int) []neighbour {
	h := make([]neighbour, 0, k)
	less := func(i, j int) bool { return byScore(h[i], h[j]) > 0 } // worst at the root
	down := func(i int) {
		for {
			l, r, w := 2*i+1, 2*i+2, i
			if l < len(h) && less(l, w) {
				w = l
			}
			if r < len(h) && less(r, w) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for _, i := range ix {
		n := neighbour{c.docs[i], c.acc.val(i)}
		if len(h) < k {
			h = append(h, n)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(i, p) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if byScore(n, h[0]) < 0 {
			h[0] = n
			down(0)
		}
	}
	return h
}
