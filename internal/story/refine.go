package story

import (
	"math"
	"sort"
)

// Move says that an article changed story during Refine.
type Move struct {
	Article  int64
	From, To int64
}

// Refine revisits the articles of the stories that grew since the last
// call and moves each to the story whose centroid (without it) it is most
// similar to, or to a story of its own when none passes RefineThreshold.
// It returns the articles that moved; a story left empty is gone.
//
// Online assignment decides with what has arrived so far: an article that
// came before its own story formed may have joined a neighbouring event
// (two earthquakes a month apart share most of their words). Once the
// stories have grown, their centroids say better where it belongs.
// Production calls Refine now and then (the worker, on a timer); the
// evaluation calls it every RefineEvery documents.
func (c *Clusterer) Refine() []Move { return c.refine(true) }

// refine is Refine; again says to revisit the stories once more after a
// split.
func (c *Clusterer) refine(again bool) []Move {
	if len(c.dirty) == 0 {
		return nil
	}
	touched := map[int64]bool{}
	for _, d := range c.dirty {
		if d.alive {
			touched[c.Resolve(d.story)] = true
		}
	}
	c.dirty = c.dirty[:0]
	var docs []*docState
	for _, d := range c.docs[c.head:] {
		if touched[c.Resolve(d.story)] {
			docs = append(docs, d)
		}
	}
	var moves []Move
	for _, d := range docs {
		from := c.Resolve(d.story)
		own := c.cents[from]
		c.centRemove(from, d)
		cands := map[int64]bool{}
		if own != nil && own.n > 0 {
			cands[from] = true
		}
		for _, nb := range c.neighbours(d) {
			if nb.d != d {
				cands[c.Resolve(nb.d.story)] = true
			}
		}
		ids := make([]int64, 0, len(cands))
		for sid := range cands {
			ids = append(ids, sid)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		best, bestSim := int64(0), 0.0
		for _, sid := range ids {
			if sim := c.centCos(d, sid); sim > bestSim {
				best, bestSim = sid, sim
			}
		}
		to := from
		switch {
		case best != 0 && bestSim >= c.opts.RefineThreshold:
			to = best
		case own != nil && own.n > 0:
			c.nextID++
			to = c.nextID
		}
		c.centAdd(to, d)
		if to != from {
			moves = append(moves, Move{Article: d.id, From: from, To: to})
			c.size[from]--
			if c.size[from] <= 0 {
				delete(c.size, from)
			}
			c.size[to]++
			d.story = to
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
	for k := 0; k < len(sids); k++ {
		sid := sids[k]
		if c.opts.SplitThreshold <= 0 {
			break
		}
		parts := c.split(members[sid])
		if parts == nil {
			continue
		}
		// members are in arrival order: the part holding the first keeps the id
		move := parts[1]
		if parts[1][0].id < parts[0][0].id {
			move = parts[0]
		}
		c.nextID++
		to := c.nextID
		for _, d := range move {
			c.centRemove(sid, d)
			c.centAdd(to, d)
			moves = append(moves, Move{Article: d.id, From: sid, To: to})
			c.size[sid]--
			c.size[to]++
			d.story = to
		}
		// either part may hold two events again
		if move[0] == parts[0][0] {
			members[sid], members[to] = parts[1], parts[0]
		} else {
			members[sid], members[to] = parts[0], parts[1]
		}
		sids = append(sids, sid, to)
		split = true
	}
	if split && again {
		// articles of a story that was two events may fit another
		// story better than the part they were left in
		c.dirty = append(c.dirty[:0], docs...)
		moves = collapseMoves(append(moves, c.refine(false)...))
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

// centroid is the sum of a story's open articles' weights (without idf,
// which is applied when comparing, as it drifts with the window).
type centroid struct {
	w map[int32]float32
	n int
}

func (c *Clusterer) centAdd(sid int64, d *docState) {
	ct := c.cents[sid]
	if ct == nil {
		ct = &centroid{w: make(map[int32]float32, len(d.ids))}
		c.cents[sid] = ct
	}
	for i, id := range d.ids {
		ct.w[id] += d.w[i]
	}
	ct.n++
}

func (c *Clusterer) centRemove(sid int64, d *docState) {
	ct := c.cents[sid]
	if ct == nil {
		return
	}
	ct.n--
	if ct.n <= 0 {
		delete(c.cents, sid)
		return
	}
	for i, id := range d.ids {
		if v := ct.w[id] - d.w[i]; v > 1e-6 {
			ct.w[id] = v
		} else {
			delete(ct.w, id)
		}
	}
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
	for id, w := range f.w {
		t.w[id] += w
	}
	t.n += f.n
}

// centCos is the cosine of d and story sid's centroid under current idf.
func (c *Clusterer) centCos(d *docState, sid int64) float64 {
	ct := c.cents[sid]
	if ct == nil || ct.n == 0 {
		return 0
	}
	var dot, dn, cn float64
	for i, id := range d.ids {
		idf := c.idf(id)
		x := float64(d.w[i]) * idf
		dn += x * x
		if w, ok := ct.w[id]; ok {
			dot += x * float64(w) * idf
		}
	}
	for id, w := range ct.w {
		x := float64(w) * c.idf(id)
		cn += x * x
	}
	if dn == 0 || cn == 0 {
		return 0
	}
	// cn sums over a map, whose order varies from run to run; rounding
	// keeps the last bits of that order out of the decisions
	return math.Round(dot/math.Sqrt(dn*cn)*1e9) / 1e9
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
func (c *Clusterer) split(docs []*docState) [][]*docState {
	n := len(docs)
	if n < 2*minSplit {
		return nil
	}
	ldf := map[int32]int{}
	for _, d := range docs {
		for _, id := range d.ids {
			ldf[id]++
		}
	}
	lg := math.Log(float64(n + 1))
	vecs := make([]map[int32]float64, n)
	for i, d := range docs {
		v := make(map[int32]float64, len(d.ids))
		var norm float64
		for j, id := range d.ids {
			x := float64(d.w[j]) * c.idf(id) * (lg - math.Log(float64(ldf[id])))
			if x > 0 {
				v[id] = x
				norm += x * x
			}
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for id := range v {
				v[id] /= norm
			}
		}
		vecs[i] = v
	}
	cos := func(a, b map[int32]float64) float64 {
		var dot, na, nb float64
		for id, x := range a {
			na += x * x
			dot += x * b[id]
		}
		for _, x := range b {
			nb += x * x
		}
		if na == 0 || nb == 0 {
			return 0
		}
		return math.Round(dot/math.Sqrt(na*nb)*1e9) / 1e9
	}
	ia, ib, ncut := spectralCut(vecs, cos)
	if ia == nil || min(len(ia), len(ib))*5 < n || ncut >= c.opts.SplitThreshold {
		return nil
	}
	out := make([][]*docState, 2)
	for _, i := range ia {
		out[0] = append(out[0], docs[i])
	}
	for _, i := range ib {
		out[1] = append(out[1], docs[i])
	}
	return out
}

// minSplit is the fewest articles each part of a split must have: a
// smaller part is as likely an odd article as a second event.
const minSplit = 4

// spectralCut divides articles in two by an approximate minimum normalised
// cut of their similarity graph (Shi and Malik): the articles are ordered
// by the second eigenvector of D^-1/2 S D^-1/2, found by power iteration
// with the first (known) eigenvector projected out, and the prefix of that
// order with the cheapest normalised cut, each side at least minSplit
// articles, is one part. It returns the parts (indices in ascending
// order) and the cut's cost, cut/vol(A) + cut/vol(B), which is 0 for two
// unconnected groups and about 1 or more for a homogeneous one. Stories
// are small (tens of articles), so the dense n² matrix is cheap; a
// linear-algebra library would add a dependency for one eigenvector.
func spectralCut(vecs []map[int32]float64, cos func(a, b map[int32]float64) float64) (ia, ib []int, ncut float64) {
	n := len(vecs)
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			x := cos(vecs[i], vecs[j])
			sim[i][j], sim[j][i] = x, x
		}
	}
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
	u1 := make([]float64, n) // the first eigenvector, sqrt of the degrees
	for i := range u1 {
		u1[i] = sq[i] / math.Sqrt(vol)
	}
	// a fixed, uneven start keeps runs reproducible
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i) - float64(n-1)/2 + 0.1*float64(i%3)
	}
	w := make([]float64, n)
	for iter := 0; iter < spectralIters; iter++ {
		var p float64
		for i := range v {
			p += v[i] * u1[i]
		}
		for i := range v {
			v[i] -= p * u1[i]
		}
		// iterate on M+I: its eigenvalues are non-negative, so the
		// largest after u1 is the one power iteration finds
		var nrm float64
		for i := 0; i < n; i++ {
			s := v[i]
			for j := 0; j < n; j++ {
				s += sim[i][j] / (sq[i] * sq[j]) * v[j]
			}
			w[i] = s
			nrm += s * s
		}
		if nrm == 0 {
			return nil, nil, 0
		}
		nrm = math.Sqrt(nrm)
		for i := range w {
			v[i] = w[i] / nrm
		}
	}
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

// spectralIters is how many power iterations find the second eigenvector.
const spectralIters = 300
