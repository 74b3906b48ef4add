package story

// Restore puts an article back into the window, in the story it was
// assigned to before, without assigning it again: a new story writer
// rebuilds its window from the store this way, oldest first, and carries
// on where the last writer stopped. New story ids continue after the
// largest restored.
func (c *Clusterer) Restore(a Article, story int64) {
	ids, ws := c.vectorize(a.Features)
	c.seq++
	d := &docState{id: a.ID, seq: c.seq, ids: ids, w: ws, t: a.Published, alive: true,
		offices: a.Features.Offices, people: a.Features.People, day: dayOf(a)}
	c.closeOld(a.Published)
	c.link(d, c.neighbours(d))
	c.place(d, story)
	c.nextID = max(c.nextID, story)
}

// Remove takes an article out of the window, so that it can be added
// again with what it says now (its translation arrived, its text
// changed). It reports whether the article was in the window.
func (c *Clusterer) Remove(id int64) bool {
	for i := c.head; i < len(c.docs); i++ {
		if d := c.docs[i]; d != nil && d.id == id {
			c.docs[i] = nil // before close: compaction keeps what is in docs
			c.close(d)
			return true
		}
	}
	return false
}
