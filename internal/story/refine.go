package story

import (
	"cmp"
	"gonum.org/v1/gonum/mat"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Move says that an article changed story during Refine.
type Move struct {
	Article  int64
	From, To int64
}

// Refine revisits the articles of the stories that grew since the last
// call and moves each to the story whose centroid (without it) it is most
// similar to, or to a story of its own when none passes RefineThreshold;
// then it splits stories that hold two events and joins stories that are
// parts of one. It returns the articles that moved; a story left empty is
// gone.
//
// Online assignment decides with what has arrived so far: an article that
// came before its own story formed may have joined a neighbouring event
// (two earthquakes a month apart share most of their words), or started
// a story of its own beside its event's. Once the stories have grown,
// their centroids and neighbourhoods say better where it belongs. The
// Tracker calls Refine every RefineEvery articles, and the evaluation
// does the same.
//
// The work that only reads (scoring articles against stories, trying
// splits, deciding joins) runs on every core; its outcome is applied in
// order, so the result is the same however the work was scheduled.
func (c *Clusterer) Refine() []Move { return c.refine(true) }

// refine is Refine; again says to revisit the stories once more after a
// split.
func (c *Clusterer) refine(again bool) []Move {
	if len(c.dirty) == 0 {
		return nil
	}
	// a small story is revisited whole, and so is a large one that grew
	// by a quarter since its last revisit; in a large one that grew less
	// only the new articles are: its centroid has hardly moved, so its
	// older articles would stay, and revisiting every article of a large
	// story each time it gains one would cost its size per new article
	touched := map[int64]bool{}
	var docs []*docState
	for _, d := range c.dirty {
		if !d.alive {
			continue
		}
		sid := c.Resolve(d.story)
		if seen := c.seenSize[sid]; c.size[sid] <= wholeRevisit || c.size[sid]*4 >= seen*5 {
			touched[sid] = true
		}
	}
	for _, d := range c.dirty {
		if d.alive && !touched[c.Resolve(d.story)] {
			docs = append(docs, d)
		}
	}
	c.dirty = c.dirty[:0]
	docs = append(docs, c.members(slices.Collect(maps.Keys(touched)))...)
	for sid := range touched {
		c.seenSize[sid] = c.size[sid]
	}
	var moves []Move
	// every article's similarity to its candidate stories is computed
	// in parallel on the stories as they are now; the moves are then
	// made in order, and a similarity to a story that has changed since
	// is computed again, so the outcome is the same as one at a time.
	// Each centroid's norm is brought up to date by the one task that
	// spreads it, before any article is compared with it.
	// (Resolve compresses paths as it goes, so the stories are looked
	// up before.)
	type scored struct {
		d    *docState
		from int64
		sids []int64
		sims []float64
	}
	pre := make([]scored, len(docs))
	for k, d := range docs {
		from := c.Resolve(d.story)
		pre[k] = scored{d: d, from: from, sids: c.candidates(d, from)}
	}
	// the scoring runs story by story: a story's centroid is spread
	// over a table by term id once (its norm brought up to date in the
	// same pass), and every article that has it as a candidate is
	// compared with that
	type slot struct{ k, i int }
	bySid := map[int64][]slot{}
	for k := range pre {
		pre[k].sims = make([]float64, len(pre[k].sids))
		for i, sid := range pre[k].sids {
			bySid[sid] = append(bySid[sid], slot{k, i})
		}
	}
	parallelMap(slices.Collect(maps.Keys(bySid)), func(sid int64) struct{} {
		ct := c.cents[sid]
		if ct == nil {
			return struct{}{}
		}
		spread := weightPool.Get().(*termTable[float32])
		defer weightPool.Put(spread)
		c.spreadCent(ct, spread)
		for _, s := range bySid[sid] {
			sc := pre[s.k]
			sc.sims[s.i] = c.centCosSpread(sc.d, ct, spread, sid == sc.from)
		}
		return struct{}{}
	})
	changed := map[int64]bool{}
	for k, d := range docs {
		from := c.Resolve(d.story)
		// others: the story has articles besides d
		others := c.cents[from].size() > 1
		best, bestSim := int64(0), 0.0
		for _, sid := range c.candidates(d, from) {
			// d is compared with its own story as it would be without d
			sim := 0.0
			if i := slices.Index(pre[k].sids, sid); i >= 0 && !changed[sid] {
				sim = pre[k].sims[i]
			} else {
				sim = c.centCos(d, sid, sid == from)
			}
			if sim > bestSim {
				best, bestSim = sid, sim
			}
		}
		to := from
		switch {
		case best != 0 && bestSim >= c.opts.RefineThreshold:
			to = best
		case others:
			c.nextID++
			to = c.nextID
		}
		if to != from {
			moves = c.relocate([]*docState{d}, from, to, moves)
			changed[from], changed[to] = true, true
		}
	}
	// then split stories that hold two events; the part without the
	// story's oldest article becomes a new story
	members := map[int64][]*docState{}
	for _, d := range docs {
		sid := c.Resolve(d.story)
		members[sid] = append(members[sid], d)
	}
	sids := make([]int64, 0, len(members))
	for sid := range members {
		sids = append(sids, sid)
	}
	sort.Slice(sids, func(i, j int) bool { return sids[i] < sids[j] })
	split := false
	// stories are tried in rounds: every revisited story, then the
	// parts of those that split. The tries of a round are independent
	// (a try reads only its story's articles and their neighbour lists)
	// and run in parallel; the splits are then made in order, so the
	// outcome is the same as one at a time.
	var round []int64
	if c.opts.SplitThreshold > 0 {
		for _, sid := range sids {
			// a story is tried when it was revisited whole (else only
			// part of it was), unless a try found it clearly one event
			// and it has grown by less than an eighth since: a few more
			// articles do not make such a story two events
			if touched[sid] && c.size[sid]*8 >= c.unsplit[sid]*9 {
				round = append(round, sid)
			}
		}
	}
	for len(round) > 0 {
		tried := parallelMap(round, func(sid int64) splitTry { return c.split(members[sid]) })
		var next []int64
		for k, sid := range round {
			parts := tried[k].parts
			if parts == nil {
				if tried[k].cut >= c.opts.SplitThreshold*clearlyOne {
					c.unsplit[sid] = c.size[sid]
				} else {
					delete(c.unsplit, sid)
				}
				continue
			}
			delete(c.unsplit, sid)
			// members are in arrival order: the part holding the first keeps the id
			move := parts[1]
			if parts[1][0].id < parts[0][0].id {
				move = parts[0]
			}
			c.nextID++
			to := c.nextID
			moves = c.relocate(move, sid, to, moves)
			// either part may hold two events again
			if move[0] == parts[0][0] {
				members[sid], members[to] = parts[1], parts[0]
			} else {
				members[sid], members[to] = parts[0], parts[1]
			}
			next = append(next, sid, to)
			touched[to] = true
			c.seenSize[sid], c.seenSize[to] = c.size[sid], c.size[to]
			split = true
		}
		round = next
	}
	if split && again {
		// articles of a story that was two events may fit another
		// story better than the part they were left in
		c.dirty = append(c.dirty[:0], docs...)
		moves = collapseMoves(append(moves, c.refine(false)...))
	}
	if again && c.opts.SplitThreshold > 0 {
		moves = collapseMoves(append(moves, c.joinParts(docs)...))
	}
	return moves
}

// joinParts merges stories that are parts of one event: two stories whose
// articles are nearest neighbours are joined when the cut between them in
// the split's graph costs at least SplitThreshold, that is when split
// would not have cut them apart. An article that arrived before its
// story had formed can start a story of its own, and moving articles one
// at a time does not bring such a part back: each is closest to its own.
func (c *Clusterer) joinParts(docs []*docState) []Move {
	// candidate pairs: stories linked by at least two nearest-neighbour
	// links from the revisited articles (one link is as likely a stray)
	type pair struct{ a, b int64 }
	links := map[pair]int{}
	for _, d := range docs {
		a := c.Resolve(d.story)
		for _, nb := range d.nbr {
			if !nb.d.alive {
				continue
			}
			if b := c.Resolve(nb.d.story); a != b {
				links[pair{min(a, b), max(a, b)}]++
			}
		}
	}
	var pairs []pair
	want := map[int64]bool{}
	for p, n := range links {
		if n >= 2 {
			pairs = append(pairs, p)
			want[p.a], want[p.b] = true, true
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].a != pairs[j].a {
			return pairs[i].a < pairs[j].a
		}
		return pairs[i].b < pairs[j].b
	})
	members := map[int64][]*docState{}
	for sid := range want {
		members[sid] = c.members([]int64{sid})
	}
	joined := map[int64]int64{}
	find := func(s int64) int64 {
		for {
			t, ok := joined[s]
			if !ok {
				return s
			}
			s = t
		}
	}
	// every pair is decided in parallel on the stories as they are
	// now; the joins are then made in order, and a pair whose story has
	// since taken in another is decided again, so the outcome is the
	// same as deciding one pair at a time. The cached norms of the
	// articles the deciding samples are brought up to date first, so it
	// only reads them.
	for _, ds := range members {
		for _, d := range evenSample(ds, joinSample) {
			d.norm(c)
		}
	}
	decided := parallelMap(pairs, func(p pair) bool {
		A, B := members[p.a], members[p.b]
		if len(A) == 0 || len(B) == 0 || c.joinDeclined[joinKey{p.a, p.b, len(A), len(B)}] {
			return false
		}
		return c.joinable(A, B)
	})
	grown := map[int64]bool{}
	var moves []Move
	for k, p := range pairs {
		a, b := find(p.a), find(p.b)
		if a == b {
			continue
		}
		if b < a { // the older story keeps its id
			a, b = b, a
		}
		A, B := members[a], members[b]
		if len(A) == 0 || len(B) == 0 {
			continue
		}
		// a pair turned down before is looked at again only once either
		// story has changed in size: with the same articles the answer
		// would be the same, and a same-sized story rarely has others
		key := joinKey{a, b, len(A), len(B)}
		if c.joinDeclined[key] {
			continue
		}
		join := decided[k]
		if a != p.a || b != p.b || grown[a] || grown[b] {
			join = c.joinable(A, B)
		}
		if !join {
			c.declineJoin(key)
			continue
		}
		moves = c.relocate(B, b, a, moves)
		members[a] = append(A, B...)
		delete(members, b)
		joined[b] = a
		grown[a] = true
	}
	return moves
}

// joinable reports whether stories A and B are parts of one event: no
// more of their pairs name different holders of an office than name the
// same one, their average link passes a floor, and the cut between them
// costs at least SplitThreshold. It only reads shared state.
func (c *Clusterer) joinable(A, B []*docState) bool {
	// the cut is estimated on an even sample of each story: the
	// decision is about whole stories, and a sample keeps its cost
	// flat however large they grow
	sa, sb := evenSample(A, joinSample), evenSample(B, joinSample)
	if officesDisagree(sa, sb) {
		return false
	}
	// the average link between them must pass a floor (checked
	// first: it is cheaper), and the cut must not separate them.
	// The floor is there because a cut between two loose groups of
	// unrelated articles costs as much as a cut inside one event:
	// without it, a stream of look-alike articles ran into one
	// story of 1,700.
	// The sum of the cosines over all pairs is the dot product of the
	// two samples' sums of unit vectors: one pass over each article,
	// not one per pair.
	sum := sumPool.Get().(*termTable[float64])
	defer sumPool.Put(sum)
	sum.reset(len(c.df))
	for _, y := range sb {
		ny := y.norm(c)
		for i, id := range y.ids {
			sum.add(id, float64(y.w[i])*c.idf(id)/ny)
		}
	}
	var link float64
	for _, x := range sa {
		var s float64
		for i, id := range x.ids {
			if v, ok := sum.get(id); ok {
				s += float64(x.w[i]) * c.idf(id) * v
			}
		}
		link += s / x.norm(c)
	}
	if link/float64(len(sa)*len(sb)) < c.opts.Threshold*joinLinkFloor {
		return false
	}
	return !c.separates(c.joinCut(sa, sb), sa, sb)
}

// separates says whether a cut of cost cut between a and b makes them
// two events: it must cost less than SplitThreshold, and less than
// sameDaysShare of it when both were written over the same few days.
// Events of a kind that look alike (two earthquakes, two rehab stays)
// are mostly months or years apart; two parts of one story written in
// the same days are one event told from two angles (the star checks
// into one clinic, then moves to another), and only a cut far cheaper
// than the usual says otherwise. The days are looked at only for a cut
// whose cost leaves the question open.
func (c *Clusterer) separates(cut float64, a, b []*docState) bool {
	if cut >= c.opts.SplitThreshold {
		return false
	}
	return cut < c.opts.SplitThreshold*sameDaysShare || !sameDays(a, b)
}

// sameDaysShare is the share of SplitThreshold a cut between two groups
// written over the same few days must stay under. On the ECB+ dev topics
// any share from 0.2 to 0.7 gives the same stories.
const sameDaysShare = 0.5

// wholeRevisit is the largest story Refine revisits whole whenever it
// gains an article.
const wholeRevisit = 64

// joinKey is a pair of stories, older first, at given sizes.
type joinKey struct {
	a, b         int64
	sizeA, sizeB int
}

// declineJoin remembers a pair joinParts turned down. The memory is
// forgotten whole when it grows past maxDeclined: it only saves work.
func (c *Clusterer) declineJoin(k joinKey) {
	if c.joinDeclined == nil || len(c.joinDeclined) >= maxDeclined {
		c.joinDeclined = map[joinKey]bool{}
	}
	c.joinDeclined[k] = true
}

const maxDeclined = 100_000

// joinSample is how many articles of each story joinParts compares;
// joinLinkFloor is the least average similarity of two stories it joins,
// as a share of the online join threshold (the cut decides; the floor
// only keeps unrelated stories out).
const (
	joinSample    = 24
	joinLinkFloor = 0.5
)

// evenSample returns at most k of ds, evenly spaced in arrival order.
func evenSample(ds []*docState, k int) []*docState {
	if len(ds) <= k {
		return ds
	}
	out := make([]*docState, k)
	for i := range out {
		out[i] = ds[i*len(ds)/k]
	}
	return out
}

// relocate moves articles ds from story from to story to, appending the
// moves; a story left empty is gone.
func (c *Clusterer) relocate(ds []*docState, from, to int64, moves []Move) []Move {
	for _, d := range ds {
		c.centRemove(from, d)
		c.centAdd(to, d)
		moves = append(moves, Move{Article: d.id, From: from, To: to})
		c.size[from]--
		c.size[to]++
		d.story = to
	}
	if c.size[from] <= 0 {
		delete(c.size, from)
		delete(c.seenSize, from)
		delete(c.unsplit, from)
	}
	return moves
}

// collapseMoves keeps one move per article, from where it was to where it
// ended, in first-move order; an article back where it was has no move.
func collapseMoves(moves []Move) []Move {
	at := map[int64]int{}
	var out []Move
	for _, m := range moves {
		if i, ok := at[m.Article]; ok {
			out[i].To = m.To
			continue
		}
		at[m.Article] = len(out)
		out = append(out, m)
	}
	kept := out[:0]
	for _, m := range out {
		if m.From != m.To {
			kept = append(kept, m)
		}
	}
	return kept
}

// candidates returns the stories Refine compares article d with, in
// ascending order: its own story from when that has other articles, and
// its open neighbours' stories.
func (c *Clusterer) candidates(d *docState, from int64) []int64 {
	out := make([]int64, 0, len(d.nbr)+1)
	if c.cents[from].size() > 1 {
		out = append(out, from)
	}
	for _, nb := range d.nbr {
		if nb.d.alive {
			out = append(out, c.Resolve(nb.d.story))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// members returns the open articles of the given stories in arrival
// order.
func (c *Clusterer) members(sids []int64) []*docState {
	var out []*docState
	for _, sid := range sids {
		if ct := c.cents[sid]; ct != nil {
			out = append(out, ct.docs...)
		}
	}
	slices.SortFunc(out, func(a, b *docState) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// centroid is the sum of a story's open articles' weights (without idf,
// which is applied when comparing, as it drifts with the window), and
// the articles themselves.
type centroid struct {
	// the summed weights by term, ascending by term id: a revisit
	// reads every entry of every candidate story (to bring its norm up
	// to date), which is a walk down two arrays instead of a map's
	ids  []int32
	w    []float32
	docs []*docState // in no particular order
	// norm is the TF-IDF length, valid while normAt is the window's
	// nDocs (idf moves with it) and no article came or went
	norm   float64
	normAt int
}

func (c *Clusterer) centAdd(sid int64, d *docState) {
	ct := c.cents[sid]
	if ct == nil {
		ct = &centroid{}
		c.cents[sid] = ct
	}
	ct.add(d.ids, d.w)
	ct.docs = append(ct.docs, d)
	ct.normAt = -1
}

func (c *Clusterer) centRemove(sid int64, d *docState) {
	ct := c.cents[sid]
	if ct == nil {
		return
	}
	ct.normAt = -1
	if i := slices.Index(ct.docs, d); i >= 0 {
		last := len(ct.docs) - 1
		ct.docs[i] = ct.docs[last]
		ct.docs[last] = nil
		ct.docs = ct.docs[:last]
	}
	if len(ct.docs) == 0 {
		delete(c.cents, sid)
		return
	}
	ct.sub(d.ids, d.w)
}

// centMerge folds story from's centroid into story to's.
func (c *Clusterer) centMerge(to, from int64) {
	f := c.cents[from]
	if f == nil {
		return
	}
	delete(c.cents, from)
	t := c.cents[to]
	if t == nil {
		c.cents[to] = f
		return
	}
	t.add(f.ids, f.w)
	t.docs = append(t.docs, f.docs...)
	t.normAt = -1
}

// add adds the weights ws of the terms ids (ascending) in place: the
// lists grow by the terms that are new, and are merged from the back so
// that nothing is overwritten before it is read.
func (ct *centroid) add(ids []int32, ws []float32) {
	fresh := 0
	for i, j := 0, 0; i < len(ids); i++ {
		for j < len(ct.ids) && ct.ids[j] < ids[i] {
			j++
		}
		if j == len(ct.ids) || ct.ids[j] != ids[i] {
			fresh++
		}
	}
	n := len(ct.ids)
	ct.ids = slices.Grow(ct.ids, fresh)[:n+fresh]
	ct.w = slices.Grow(ct.w, fresh)[:n+fresh]
	i, j := len(ids)-1, n-1
	for k := n + fresh - 1; i >= 0; k-- {
		switch {
		case j >= 0 && ct.ids[j] > ids[i]:
			ct.ids[k], ct.w[k] = ct.ids[j], ct.w[j]
			j--
		case j >= 0 && ct.ids[j] == ids[i]:
			ct.ids[k], ct.w[k] = ids[i], ct.w[j]+ws[i]
			i, j = i-1, j-1
		default:
			ct.ids[k], ct.w[k] = ids[i], ws[i]
			i--
		}
	}
}

// sub takes the weights ws of the terms ids (ascending) out, dropping a
// term whose weight falls to (rounding error above) zero.
func (ct *centroid) sub(ids []int32, ws []float32) {
	k, i := 0, 0
	for j, id := range ct.ids {
		w := ct.w[j]
		for i < len(ids) && ids[i] < id {
			i++
		}
		if i < len(ids) && ids[i] == id {
			if w -= ws[i]; w <= 1e-6 {
				continue
			}
		}
		ct.ids[k], ct.w[k] = id, w
		k++
	}
	ct.ids, ct.w = ct.ids[:k], ct.w[:k]
}

// centCos is the cosine of d and story sid's centroid under current idf.
func (c *Clusterer) centCos(d *docState, sid int64, without bool) float64 {
	ct := c.cents[sid]
	if !ct.comparable(without) {
		return 0
	}
	var dot, dn float64
	j := 0
	for i, id := range d.ids {
		idf := c.idf(id)
		x := float64(d.w[i]) * idf
		dn += x * x
		for j < len(ct.ids) && ct.ids[j] < id {
			j++
		}
		if j < len(ct.ids) && ct.ids[j] == id {
			dot += x * float64(ct.w[j]) * idf
		}
	}
	return c.centCosOf(ct, dot, dn, without)
}

// centCosSpread is centCos with the centroid's weights spread over a
// table by term id: the same products in the same order, without a
// merge through the centroid's list per article.
func (c *Clusterer) centCosSpread(d *docState, ct *centroid, spread *termTable[float32], without bool) float64 {
	if !ct.comparable(without) {
		return 0
	}
	var dot, dn float64
	for i, id := range d.ids {
		idf := c.idf(id)
		x := float64(d.w[i]) * idf
		dn += x * x
		if w, ok := spread.get(id); ok {
			dot += x * float64(w) * idf
		}
	}
	return c.centCosOf(ct, dot, dn, without)
}

// comparable says whether an article can be compared with the centroid
// (without itself, when it is a member).
func (ct *centroid) comparable(without bool) bool {
	return ct.size() > 0 && (!without || ct.size() >= 2)
}

// size is how many open articles the story has; a nil centroid has none.
func (ct *centroid) size() int {
	if ct == nil {
		return 0
	}
	return len(ct.docs)
}

// centCosOf finishes centCos from the dot product and the article's
// squared norm.
func (c *Clusterer) centCosOf(ct *centroid, dot, dn float64, without bool) float64 {
	cn := c.centNorm(ct)
	cn *= cn
	if without {
		// the centroid less d: |C-d|² = |C|² - 2 C·d + |d|², and
		// (C-d)·d = C·d - |d|²; no need to take d out and put it back
		cn += dn - 2*dot
		dot -= dn
	}
	if dn <= 0 || cn <= 1e-12 {
		return 0
	}
	// rounding keeps the last bits of a sum's order out of the
	// decisions (the spread pass and centCos sum in different orders)
	return math.Round(dot/math.Sqrt(dn*cn)*1e9) / 1e9
}

// spreadCent spreads the centroid's weights over the table by term id
// and brings its norm up to date, so that the articles compared with it
// afterwards, in parallel, only read it.
func (c *Clusterer) spreadCent(ct *centroid, spread *termTable[float32]) {
	spread.reset(len(c.df))
	for j, id := range ct.ids {
		spread.add(id, ct.w[j])
	}
	c.centNorm(ct)
}

// centNorm is the centroid's TF-IDF length, recomputed when stale.
func (c *Clusterer) centNorm(ct *centroid) float64 {
	if ct.normAt != c.nDocs {
		ct.norm, ct.normAt = c.tfidfLength(ct.ids, ct.w), c.nDocs
	}
	return ct.norm
}

// split divides a story that holds two events. Re-weighted by rarity
// inside the story, the words all its articles share (what kind of event)
// drop out; if the best two-way cut of the articles' similarity graph
// over what remains is cheap (few, weak links across it relative to the
// links within each side), the story is two events of a kind (two
// earthquakes, two supermarket fires) that global term weights could not
// tell apart. A normalised cut is used rather than the similarity of the
// halves' centroids: centroids of two halves of one event can share
// little too, but one event's articles stay linked to each other.
//
// The graph blends that rarity-weighted similarity with how much two
// articles' nearest neighbours in the whole window overlap (shared
// nearest neighbours, Jarvis and Patrick). Two reports of one event that
// word it differently still have the same neighbours, so a story is not
// cut along a seam of wording, style or translation; two events keep
// apart neighbourhoods.
func (c *Clusterer) split(docs []*docState) splitTry {
	n := len(docs)
	if n < 2*minSplit {
		return splitTry{}
	}
	sim := c.splitGraph(docs)
	ia, ib, ncut := spectralCut(sim)
	if ia == nil || min(len(ia), len(ib))*5 < n || ncut >= c.opts.SplitThreshold {
		return splitTry{cut: ncut}
	}
	out := make([][]*docState, 2)
	for _, i := range ia {
		out[0] = append(out[0], docs[i])
	}
	for _, i := range ib {
		out[1] = append(out[1], docs[i])
	}
	if !c.separates(ncut, out[0], out[1]) {
		return splitTry{cut: ncut}
	}
	return splitTry{out, ncut}
}

// splitTry is what split found: the two parts of a story that holds two
// events (nil when it holds one), and the cost of its best cut (0 when
// the story was too small to try).
type splitTry struct {
	parts [][]*docState
	cut   float64
}

// clearlyOne: a story whose best cut costs this many times SplitThreshold
// is clearly one event, and is not tried again until it grows by an
// eighth. A third of the tries in BenchmarkAssignRefine's stream are
// spared; the ECB+ dev scores are the same with any value from 7/6 up.
const clearlyOne = 4.0 / 3

// splitGraph is the similarity graph split cuts: rarity-weighted
// cosine blended with shared nearest neighbours. Two articles that name
// different holders of one office (Interior Secretary Kempthorne,
// Interior Secretary Salazar) are not linked at all: they report events
// at different times, however alike their words.
func (c *Clusterer) splitGraph(docs []*docState) [][]float64 {
	n := len(docs)
	vecs := c.rarityVecs(docs)
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	// article i's vector is spread over a table by term id, and each
	// later article is compared with it in one pass over its own terms
	// (the products of the terms both hold, in ascending term order)
	row := sumPool.Get().(*termTable[float64])
	defer sumPool.Put(row)
	for i := 0; i < n; i++ {
		row.reset(len(c.df))
		for k, id := range docs[i].ids {
			row.add(id, vecs[i][k])
		}
		for j := i + 1; j < n; j++ {
			var dot float64
			for k, id := range docs[j].ids {
				if v, ok := row.get(id); ok {
					dot += v * vecs[j][k]
				}
			}
			x := (1-sharedWeight)*dot + sharedWeight*sharedCos(docs[i], docs[j])
			if len(docs[i].offices) > 0 && len(docs[j].offices) > 0 && conflicts(docs[i], docs[j]) {
				x = 0 // two holders of one office: not one event
			}
			sim[i][j], sim[j][i] = x, x
		}
	}
	return sim
}

// rarityVecs returns each article's weights re-weighted by rarity among
// docs, in its term-id order, at unit length (or zero).
func (c *Clusterer) rarityVecs(docs []*docState) [][]float64 {
	n := len(docs)
	// how many of the articles hold each term, counted in an array by
	// term id that is reused from graph to graph
	ldf := countPool.Get().(*termTable[int32])
	defer countPool.Put(ldf)
	ldf.reset(len(c.df))
	for _, d := range docs {
		for _, id := range d.ids {
			ldf.add(id, 1)
		}
	}
	logs := make([]float64, n+2) // log k for the counts a term can have
	for k := 1; k < len(logs); k++ {
		logs[k] = math.Log(float64(k))
	}
	lg := logs[n+1]
	vecs := make([][]float64, n)
	for i, d := range docs {
		v := make([]float64, len(d.ids))
		var norm float64
		for j, id := range d.ids {
			x := float64(d.w[j]) * c.idf(id) * (lg - logs[ldf.val(id)])
			if x > 0 {
				v[j] = x
				norm += x * x
			}
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for j := range v {
				v[j] /= norm
			}
		}
		vecs[i] = v
	}
	return vecs
}

// joinCut is the normalised cut between a and b in the split graph,
// cut/vol(a) + cut/vol(b), computed without the graph. Both parts of
// the graph are cosines of unit vectors (rarity-weighted terms, and
// neighbour rows), and a sum of cosines over pairs is a dot product of
// sums: the links across are A·B and the links within a are
// |A|² - Σ|a_i|², where A sums a's vectors. That is one pass over each
// article instead of one per pair. It is 0 when no link crosses.
func (c *Clusterer) joinCut(a, b []*docState) float64 {
	docs := append(append([]*docState(nil), a...), b...)
	vecs := c.rarityVecs(docs)
	// a side's sums: of term weights (in a table by term id, with the
	// terms listed as first seen) and of neighbour rows. Sums are read
	// in those lists' order, so the result does not vary from run to run.
	type sums struct {
		terms *termTable[float64]
		ids   []int32
		rows  map[*docState]int // index into rowD and rowV
		rowD  []*docState
		rowV  []float64
		self  float64 // Σ|u_i|² over both kinds, weighted
	}
	addRow := func(s *sums, d *docState, x float64) {
		if i, ok := s.rows[d]; ok {
			s.rowV[i] += x
			return
		}
		s.rows[d] = len(s.rowV)
		s.rowD = append(s.rowD, d)
		s.rowV = append(s.rowV, x)
	}
	add := func(s *sums, d *docState, v []float64) {
		var n2 float64
		for j, id := range d.ids {
			if v[j] != 0 {
				if s.terms.add(id, v[j]) {
					s.ids = append(s.ids, id)
				}
				n2 += v[j] * v[j]
			}
		}
		s.self += (1 - sharedWeight) * n2
		// d's neighbour row as sharedCos reads it, at unit length
		rn := 1.0
		for _, x := range d.nbr {
			if x.d.alive && x.sim > 0 {
				rn += x.sim * x.sim
			}
		}
		rn = math.Sqrt(rn)
		addRow(s, d, 1/rn)
		for _, x := range d.nbr {
			if x.d.alive && x.sim > 0 {
				addRow(s, x.d, x.sim/rn)
			}
		}
		s.self += sharedWeight
	}
	ta, tb := sumPool.Get().(*termTable[float64]), sumPool.Get().(*termTable[float64])
	defer sumPool.Put(ta)
	defer sumPool.Put(tb)
	ta.reset(len(c.df))
	tb.reset(len(c.df))
	sa := sums{terms: ta, rows: map[*docState]int{}}
	sb := sums{terms: tb, rows: map[*docState]int{}}
	for i, d := range docs {
		if i < len(a) {
			add(&sa, d, vecs[i])
		} else {
			add(&sb, d, vecs[i])
		}
	}
	dot := func(x, y *sums) float64 {
		var t, r float64
		for _, id := range x.ids {
			if v, ok := y.terms.get(id); ok {
				t += x.terms.val(id) * v
			}
		}
		for i, d := range x.rowD {
			if j, ok := y.rows[d]; ok {
				r += x.rowV[i] * y.rowV[j]
			}
		}
		return (1-sharedWeight)*t + sharedWeight*r
	}
	cut := dot(&sa, &sb)
	if cut <= 1e-12 {
		return 0
	}
	volA := dot(&sa, &sa) - sa.self + cut
	volB := dot(&sb, &sb) - sb.self + cut
	return cut/volA + cut/volB
}

var (
	countPool  = sync.Pool{New: func() any { return new(termTable[int32]) }}
	weightPool = sync.Pool{New: func() any { return new(termTable[float32]) }}
	sumPool    = sync.Pool{New: func() any { return new(termTable[float64]) }}
)

// termTable holds a value per term in an array by term id. A generation
// stamp per entry says which use an entry belongs to, so the array is
// never cleared between uses.
type termTable[T int32 | float32 | float64] struct {
	e   []stamped[T]
	gen uint32
}

// stamped is a table's entry: its value and the generation that wrote
// it, side by side so that a lookup touches one cache line, not two.
type stamped[T int32 | float32 | float64] struct {
	v  T
	at uint32
}

// reset empties the table and makes it as long as a vocabulary of n
// terms.
func (t *termTable[T]) reset(n int) {
	if len(t.e) < n {
		t.e = append(t.e, make([]stamped[T], n-len(t.e))...)
	}
	if t.gen++; t.gen == 0 { // wrapped: old stamps could match again
		clear(t.e)
		t.gen = 1
	}
}

// add adds x to id's value and reports whether id had none before.
func (t *termTable[T]) add(id int32, x T) (first bool) {
	e := &t.e[id]
	if e.at != t.gen {
		e.at, e.v = t.gen, 0
		first = true
	}
	e.v += x
	return first
}

func (t *termTable[T]) get(id int32) (T, bool) {
	e := t.e[id]
	if e.at != t.gen {
		return 0, false
	}
	return e.v, true
}

// val is id's value, which the caller knows is set.
func (t *termTable[T]) val(id int32) T { return t.e[id].v }

// sharedWeight is the share of the split graph's similarity that comes
// from shared nearest neighbours; sharedK is how many neighbours count.
const (
	sharedWeight = 0.3
	sharedK      = 10
)

// sharedCos is the cosine of two articles' neighbour rows, a row holding
// the article itself at 1 and its open nearest neighbours at their
// similarity: near 1 when the two have the same neighbours, 0 when they
// share none.
func sharedCos(a, b *docState) float64 {
	dot, na, nb := b.neighbourSim(a), 1.0, 1.0
	for _, x := range a.nbr {
		if x.d.alive && x.sim > 0 {
			na += x.sim * x.sim
			dot += x.sim * b.neighbourSim(x.d)
		}
	}
	for _, x := range b.nbr {
		if x.d.alive && x.sim > 0 {
			nb += x.sim * x.sim
		}
	}
	return dot / math.Sqrt(na*nb)
}

// neighbourSim is o's weight in d's neighbour row: 1 for d itself, its
// similarity for an open neighbour, else 0.
func (d *docState) neighbourSim(o *docState) float64 {
	if o == d {
		return 1
	}
	for _, x := range d.nbr {
		if x.d == o && x.d.alive && x.sim > 0 {
			return x.sim
		}
	}
	return 0
}

// minSplit is the fewest articles each part of a split must have: a
// smaller part is as likely an odd article as a second event.
const minSplit = 4

// spectralCut divides articles in two by an approximate minimum normalised
// cut of their similarity graph (Shi and Malik): the articles are ordered
// by the second eigenvector of D^-1/2 S D^-1/2, and the prefix of that
// order with the cheapest normalised cut, each side at least minSplit
// articles, is one part. It returns the parts (indices in ascending
// order) and the cut's cost, cut/vol(A) + cut/vol(B), which is 0 for two
// unconnected groups and about 1 or more for a homogeneous one. Stories
// are small (tens of articles), so the eigenvector comes from a dense
// symmetric eigendecomposition (gonum's): exact, and cheaper at these
// sizes than the power iteration it replaced, which needed hundreds of
// rounds where a story's second eigenvalue is close to its third.
func spectralCut(sim [][]float64) (ia, ib []int, ncut float64) {
	n := len(sim)
	deg := make([]float64, n)
	sq := make([]float64, n)
	var vol float64
	for i := range sim {
		for _, x := range sim[i] {
			deg[i] += x
		}
		if deg[i] <= 0 {
			deg[i] = 1e-9
		}
		sq[i] = math.Sqrt(deg[i])
		vol += deg[i]
	}
	// the normalised matrix D^-½ S D^-½, whose eigenvalues lie in
	// [-1, 1], with its first eigenvector (the square roots of the
	// degrees, eigenvalue 1) moved to -2, below all others: the
	// largest eigenvector of that is the graph's second, which relaxes
	// the minimum normalised cut
	m := make([]float64, n*n)
	for i := range n {
		for j := range n {
			m[i*n+j] = sim[i][j]/(sq[i]*sq[j]) - 3*sq[i]*sq[j]/vol
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(n, m), true) {
		return nil, nil, 0
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	v := make([]float64, n)
	mat.Col(v, n-1, &vecs) // the values come in ascending order
	order := make([]int, n)
	for i := range order {
		order[i] = i
		v[i] /= sq[i]
	}
	sort.SliceStable(order, func(a, b int) bool { return v[order[a]] < v[order[b]] })
	best, bestK := math.Inf(1), -1
	in := make([]bool, n)
	var volA, cut float64
	for k := 0; k < n-1; k++ {
		i := order[k]
		// i moves to side A: its links to A stop crossing, to B start
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			if in[j] {
				cut -= sim[i][j]
			} else {
				cut += sim[i][j]
			}
		}
		in[i] = true
		volA += deg[i]
		if k+1 < minSplit || n-k-1 < minSplit {
			continue
		}
		if x := cut/volA + cut/(vol-volA); x < best {
			best, bestK = x, k
		}
	}
	if bestK < 0 {
		return nil, nil, 0
	}
	for k, i := range order {
		if k <= bestK {
			ia = append(ia, i)
		} else {
			ib = append(ib, i)
		}
	}
	sort.Ints(ia)
	sort.Ints(ib)
	return ia, ib, best
}

// parallelMap returns f of each item, computed on up to GOMAXPROCS
// goroutines; out[i] is f(in[i]). f must only read shared state.
func parallelMap[T, R any](in []T, f func(T) R) []R {
	out := make([]R, len(in))
	workers := min(runtime.GOMAXPROCS(0), len(in))
	if workers <= 1 {
		for i, x := range in {
			out[i] = f(x)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(in) {
					return
				}
				out[k] = f(in[k])
			}
		})
	}
	wg.Wait()
	return out
}
