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
func (c *Clusterer) Refine() []Move {
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
	return moves
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
	return dot / math.Sqrt(dn*cn)
}
