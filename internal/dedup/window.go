package dedup

// Restore puts an article back into the index in the group it was found
// in before, without matching it again: how a new story writer rebuilds
// the index from the store, oldest first. group 0 means it started none.
func (x *Index) Restore(a Article, group int64) {
	if group == 0 {
		group = a.ID
	}
	x.insert(x.entry(a), group)
}

// Remove takes an article out of the index, so that it can be added again
// with what it says now. It reports whether the article was there.
func (x *Index) Remove(id int64) bool {
	if _, ok := x.groups[id]; !ok {
		return false
	}
	for _, e := range x.order[x.head:] {
		if e != nil && e.id == id && e.alive {
			// readers skip and sweep dead entries; the slot in order
			// is dropped with the prefix as usual
			e.alive = false
			break
		}
	}
	delete(x.groups, id)
	return true
}
